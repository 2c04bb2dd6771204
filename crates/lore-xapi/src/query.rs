//! GET /statements parameters, parsed and checked.

use crate::{Format, Invalid, Version, agent, agent_key, iri, timestamp, uuid_rule};

const PARAMETERS: &[&str] = &[
    "statementId",
    "voidedStatementId",
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
];
/// What may go with statementId / voidedStatementId.
const WITH_ID: &[&str] = &["statementId", "voidedStatementId", "format", "attachments"];

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
    /// Parse the query string's pairs (already percent-decoded). Unknown or repeated
    /// parameters, statementId with filters, both ids at once, and malformed values are
    /// refused with the parameter's name as the path.
    pub fn parse(params: &[(String, String)], version: Version) -> Result<StatementQuery, Invalid> {
        let mut query = StatementQuery::default();
        let mut seen: Vec<&str> = Vec::new();
        for (name, value) in params {
            let name = name.as_str();
            if !PARAMETERS.contains(&name) {
                return Err(Invalid::new(
                    "query-unknown-parameter",
                    name,
                    format!("Unknown parameter {name:?}."),
                ));
            }
            if seen.contains(&name) {
                return Err(Invalid::new(
                    "query-repeated-parameter",
                    name,
                    "Give each parameter once.",
                ));
            }
            seen.push(name);
            query.set(name, value, version)?;
        }
        let has_id = seen
            .iter()
            .any(|n| matches!(*n, "statementId" | "voidedStatementId"));
        if query.statement_id.is_some() && query.voided_statement_id.is_some() {
            return Err(Invalid::new(
                "query-both-ids",
                "voidedStatementId",
                "Give statementId or voidedStatementId, not both.",
            ));
        }
        if let Some(other) = seen
            .iter()
            .find(|n| !WITH_ID.contains(n))
            .filter(|_| has_id)
        {
            return Err(Invalid::new(
                "query-statement-id-filters",
                *other,
                "statementId and voidedStatementId go only with format and attachments.",
            ));
        }
        Ok(query)
    }

    fn set(&mut self, name: &str, value: &str, version: Version) -> Result<(), Invalid> {
        let flag = |value: &str| match value {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(Invalid::new("query-boolean", name, "Use true or false.")),
        };
        let instant =
            |value: &str| timestamp::parse(value, name, version).map(timestamp::normalise);
        match name {
            "statementId" => self.statement_id = Some(uuid_rule::parse(value, name)?),
            "voidedStatementId" => self.voided_statement_id = Some(uuid_rule::parse(value, name)?),
            "agent" => self.agent = Some(agent_parameter(value)?),
            "verb" => self.verb = Some(iri_parameter(value, name, "verb-id")?),
            "activity" => self.activity = Some(iri_parameter(value, name, "activity-id")?),
            "registration" => self.registration = Some(uuid_rule::parse(value, name)?),
            "related_activities" => self.related_activities = flag(value)?,
            "related_agents" => self.related_agents = flag(value)?,
            "since" => self.since = Some(instant(value)?),
            "until" => self.until = Some(instant(value)?),
            "limit" => {
                self.limit = value.parse().map_err(|_| {
                    Invalid::new("query-limit", name, "limit is a whole number, 0 or more.")
                })?;
            }
            "format" => {
                self.format = Format::parse(value).ok_or_else(|| {
                    Invalid::new("query-format", name, "format is ids, exact or canonical.")
                })?;
            }
            "attachments" => self.attachments = flag(value)?,
            _ => self.ascending = flag(value)?,
        }
        Ok(())
    }
}

fn iri_parameter(value: &str, name: &str, rule: &'static str) -> Result<String, Invalid> {
    iri::iri(&serde_json::Value::String(value.to_owned()), name, rule).map(str::to_owned)
}

/// The agent parameter: an Agent or identified Group as JSON → its key.
fn agent_parameter(value: &str) -> Result<String, Invalid> {
    let parsed: serde_json::Value = serde_json::from_str(value).map_err(|_| {
        Invalid::new(
            "query-agent",
            "agent",
            "agent is an Agent or Group as JSON.",
        )
    })?;
    agent::actor(&parsed, "agent", false)?;
    agent_key(&parsed).map_err(|_| {
        Invalid::new(
            "query-agent",
            "agent",
            "agent needs an identifier (an anonymous Group has none).",
        )
    })
}
