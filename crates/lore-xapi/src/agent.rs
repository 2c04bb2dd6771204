//! Agents and groups: exactly one inverse functional identifier, members, the Person object.

use serde_json::Value;

use crate::Invalid;

/// The identifier of an agent/identified group as one canonical string, for indexing:
/// "mbox:mailto:a@b", "mbox_sha1sum:…", "openid:…", "account:homePage|name".
pub fn agent_key(agent: &Value) -> Result<String, Invalid> {
    let _ = agent;
    Ok(String::new())
}

/// The Person object for GET /agents from the agents sharing an identifier.
pub fn person(agent: &Value) -> Value {
    let _ = agent;
    serde_json::json!({ "objectType": "Person" })
}
