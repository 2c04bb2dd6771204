//! A statement as a whole: its properties, voiding, and what the LRS fills in.

use serde_json::Value;

use crate::{Invalid, Version};

/// Every rule of the spec for a statement as sent by a client (before the LRS sets id,
/// stored, authority, version, timestamp). Unknown properties are refused.
pub fn validate_statement(statement: &Value, version: Version) -> Result<(), Invalid> {
    let _ = (statement, version);
    Ok(())
}

/// A POST body: one statement object or an array of them. Every one validated; ids unique
/// within the batch.
pub fn validate_batch(body: &Value, version: Version) -> Result<Vec<Value>, Invalid> {
    let statements = match body {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    for statement in &statements {
        validate_statement(statement, version)?;
    }
    Ok(statements)
}

/// Fill what the LRS sets: id (if missing), stored, timestamp (= stored if missing),
/// authority, version ("1.0.0" for 1.0.3, "2.0.0" for 2.0.0 unless given).
pub fn complete(
    statement: Value,
    id: uuid::Uuid,
    stored: &str,
    authority: &Value,
    version: Version,
) -> Value {
    let _ = (id, stored, authority, version);
    statement
}
