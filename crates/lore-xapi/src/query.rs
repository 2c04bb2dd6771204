//! GET /statements parameters, parsed and checked.

use crate::{Format, Invalid, Version};

/// GET /statements parameters, parsed and checked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatementQuery {
    pub statement_id: Option<uuid::Uuid>,
    pub voided_statement_id: Option<uuid::Uuid>,
    /// The agent's [`crate::agent_key`].
    pub agent: Option<String>,
    pub verb: Option<String>,
    pub activity: Option<String>,
    pub registration: Option<uuid::Uuid>,
    pub related_activities: bool,
    pub related_agents: bool,
    /// Normalised RFC 3339 UTC with milliseconds.
    pub since: Option<String>,
    /// Normalised RFC 3339 UTC with milliseconds.
    pub until: Option<String>,
    /// 0 means "the server's maximum".
    pub limit: u32,
    pub format: Format,
    pub attachments: bool,
    pub ascending: bool,
}

impl StatementQuery {
    /// Parse the query string's pairs (already percent-decoded).
    pub fn parse(params: &[(String, String)], version: Version) -> Result<StatementQuery, Invalid> {
        let _ = (params, version);
        Ok(StatementQuery::default())
    }
}
