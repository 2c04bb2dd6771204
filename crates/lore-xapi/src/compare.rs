//! Statement comparison ("Statement Comparison Requirements", xAPI Data 2.3.1): two statements
//! match when they differ only where Statement Immutability allows.
//!
//! Ignored: id, authority, stored, timestamp and version (set or changed by the LRS), activity
//! definitions and verb displays (not part of the statement), attachments, the serialisation
//! of a sub-statement's timestamp (compared as an instant), the order of a group's members,
//! and the case of an mbox's domain. Everything else, the result duration included, must be
//! equal as JSON.

use serde_json::{Map, Value};

use crate::{Version, agent, timestamp};

/// Statement equality for "same id, different content" conflicts and signed statements.
pub fn same_statement(a: &Value, b: &Value) -> bool {
    comparable(a, true) == comparable(b, true)
}

/// The statement with everything the comparison ignores taken out or normalised.
fn comparable(statement: &Value, top: bool) -> Value {
    let Some(map) = statement.as_object() else {
        return statement.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        let value = match key.as_str() {
            "id" | "authority" | "stored" | "version" if top => continue,
            "timestamp" if top => continue,
            "attachments" => continue,
            "timestamp" => instant(value),
            "verb" => strip(value, "display"),
            "object" => object(value),
            "actor" => actor(value),
            "context" => context(value),
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    Value::Object(out)
}

fn strip(value: &Value, key: &str) -> Value {
    let mut value = value.clone();
    if let Some(map) = value.as_object_mut() {
        map.remove(key);
    }
    value
}

fn instant(value: &Value) -> Value {
    value
        .as_str()
        .and_then(|raw| timestamp::parse(raw, "", Version::V1_0_3).ok())
        .map_or_else(|| value.clone(), |t| Value::String(timestamp::normalise(t)))
}

fn object(value: &Value) -> Value {
    match value.get("objectType").and_then(Value::as_str) {
        Some("SubStatement") => comparable(value, false),
        Some("Agent" | "Group") => actor(value),
        Some("StatementRef") => lower_id(value),
        _ => strip(value, "definition"),
    }
}

fn lower_id(value: &Value) -> Value {
    let mut value = value.clone();
    if let Some(id) = value
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
    {
        value["id"] = Value::String(id);
    }
    value
}

/// Members sorted, mbox domains in lower case.
fn actor(value: &Value) -> Value {
    let mut value = value.clone();
    if let Some(map) = value.as_object_mut() {
        normal_identifier(map);
        if let Some(Value::Array(members)) = map.get_mut("member") {
            for member in members.iter_mut() {
                if let Some(member) = member.as_object_mut() {
                    normal_identifier(member);
                }
            }
            members.sort_by_key(Value::to_string);
        }
    }
    value
}

fn normal_identifier(map: &mut Map<String, Value>) {
    if let Some(mbox) = map
        .get("mbox")
        .and_then(Value::as_str)
        .map(agent::normal_mbox)
    {
        map.insert("mbox".to_owned(), Value::String(mbox));
    }
    if let Some(sum) = map
        .get("mbox_sha1sum")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
    {
        map.insert("mbox_sha1sum".to_owned(), Value::String(sum));
    }
}

fn context(value: &Value) -> Value {
    let mut value = value.clone();
    let Some(map) = value.as_object_mut() else {
        return value;
    };
    for key in ["instructor", "team"] {
        if let Some(who) = map.get(key).map(actor) {
            map.insert(key.to_owned(), who);
        }
    }
    if let Some(registration) = map.get("registration").and_then(Value::as_str) {
        let lower = registration.to_ascii_lowercase();
        map.insert("registration".to_owned(), Value::String(lower));
    }
    if let Some(statement) = map.get("statement").map(lower_id) {
        map.insert("statement".to_owned(), statement);
    }
    if let Some(Value::Object(activities)) = map.get_mut("contextActivities") {
        for list in activities.values_mut() {
            // A single activity and a one-element array say the same.
            let items = match &*list {
                Value::Array(items) => items.clone(),
                other => vec![other.clone()],
            };
            *list = Value::Array(items.iter().map(|a| strip(a, "definition")).collect());
        }
    }
    value
}
