//! Output formats of GET statements: exact (as stored), ids (agents, groups, activities and
//! verbs by identifier only) and canonical (one language of each language map).
//!
//! Canonical also means "activity definitions as the LRS knows them": the store substitutes
//! its canonical definitions before calling [`format_statement`]; this function picks the
//! language.

use serde_json::{Map, Value};

use crate::agent;

/// The `format` parameter of GET statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Exact,
    Ids,
    Canonical,
}

impl Format {
    /// "exact", "ids" or "canonical".
    pub fn parse(raw: &str) -> Option<Format> {
        match raw {
            "exact" => Some(Format::Exact),
            "ids" => Some(Format::Ids),
            "canonical" => Some(Format::Canonical),
            _ => None,
        }
    }
}

/// The statement as the format asks; `accept_language` in the client's order of preference.
pub fn format_statement(statement: &Value, format: Format, accept_language: &[String]) -> Value {
    match format {
        Format::Exact => statement.clone(),
        Format::Ids => ids(statement),
        Format::Canonical => canonical(statement, accept_language),
    }
}

/// Agents/groups → identifier (anonymous groups keep members, each by identifier);
/// activities → id; verbs → id.
fn ids(statement: &Value) -> Value {
    let Some(map) = statement.as_object() else {
        return statement.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        let value = match key.as_str() {
            "actor" | "authority" => who(value),
            "verb" => keep(value, &["id"]),
            "object" => object_ids(value),
            "context" => context_ids(value),
            _ => value.clone(),
        };
        out.insert(key.clone(), value);
    }
    Value::Object(out)
}

fn keep(value: &Value, keys: &[&str]) -> Value {
    let Some(map) = value.as_object() else {
        return value.clone();
    };
    Value::Object(
        map.iter()
            .filter(|(k, _)| keys.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

fn who(value: &Value) -> Value {
    let mut out = agent::identifier_only(value);
    if let (Some(members), Some(map)) = (
        value.get("member").and_then(Value::as_array),
        out.as_object_mut(),
    ) && agent::agent_key(value).is_err()
    {
        map.insert(
            "member".to_owned(),
            Value::Array(members.iter().map(agent::identifier_only).collect()),
        );
    }
    out
}

fn object_ids(value: &Value) -> Value {
    match value.get("objectType").and_then(Value::as_str) {
        Some("Agent" | "Group") => who(value),
        Some("SubStatement") => ids(value),
        Some("StatementRef") => value.clone(),
        _ => keep(value, &["objectType", "id"]),
    }
}

fn context_ids(value: &Value) -> Value {
    let mut value = value.clone();
    let Some(map) = value.as_object_mut() else {
        return value;
    };
    for key in ["instructor", "team"] {
        if let Some(entry) = map.get(key).map(who) {
            map.insert(key.to_owned(), entry);
        }
    }
    if let Some(Value::Object(activities)) = map.get_mut("contextActivities") {
        for list in activities.values_mut() {
            *list = match &*list {
                Value::Array(items) => Value::Array(
                    items
                        .iter()
                        .map(|a| keep(a, &["objectType", "id"]))
                        .collect(),
                ),
                other => keep(other, &["objectType", "id"]),
            };
        }
    }
    for (key, member) in [("contextAgents", "agent"), ("contextGroups", "group")] {
        if let Some(Value::Array(items)) = map.get_mut(key) {
            for item in items.iter_mut() {
                if let Some(entry) = item.get(member).map(who) {
                    item[member] = entry;
                }
            }
        }
    }
    value
}

/// Every language map (verb display, definition name/description, component descriptions,
/// attachment display/description) reduced to the best language for the reader.
fn canonical(value: &Value, accept_language: &[String]) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, item)| {
                    let item = if key == "extensions" {
                        item.clone()
                    } else if is_language_map_key(key) && item.is_object() {
                        choose(item, accept_language)
                    } else {
                        canonical(item, accept_language)
                    };
                    (key.clone(), item)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| canonical(i, accept_language))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn is_language_map_key(key: &str) -> bool {
    matches!(key, "display" | "name" | "description")
}

/// One entry: the first preference that matches a key exactly or as a prefix ("en" matches
/// "en-US" and "en-US" matches "en"), else "und", else the first entry.
fn choose(map: &Value, accept_language: &[String]) -> Value {
    let Some(entries) = map.as_object() else {
        return map.clone();
    };
    let matches = |want: &str, have: &str| {
        let (want, have) = (want.to_ascii_lowercase(), have.to_ascii_lowercase());
        want == "*"
            || want == have
            || have.starts_with(&format!("{want}-"))
            || want.starts_with(&format!("{have}-"))
    };
    let picked = accept_language
        .iter()
        .find_map(|want| entries.iter().find(|(have, _)| matches(want, have)))
        .or_else(|| entries.iter().find(|(have, _)| have.as_str() == "und"))
        .or_else(|| entries.iter().next());
    let mut out = Map::new();
    if let Some((key, text)) = picked {
        out.insert(key.clone(), text.clone());
    }
    Value::Object(out)
}
