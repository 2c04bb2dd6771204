//! What a stored statement is found by: the rows of the store's index.

use serde_json::Value;

/// Every agent key a statement names and every activity id, flagged direct (true) or
/// related (false); its verb, registration, and the statement it voids.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Index {
    pub agents: Vec<(String, bool)>,
    pub activities: Vec<(String, bool)>,
    pub verb: String,
    pub registration: Option<uuid::Uuid>,
    pub voids: Option<uuid::Uuid>,
}

/// The index rows of a (valid, completed) statement.
pub fn index(statement: &Value) -> Index {
    let _ = statement;
    Index::default()
}
