//! The context: registration, instructor, team, context activities, revision and platform,
//! language, statement reference, extensions; in 2.0.0 also context agents and groups.

use serde_json::Value;

use crate::{Invalid, Version, activity, agent, iri, json, language, statement, uuid_rule};

const KEYS_1: &[&str] = &[
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "revision",
    "platform",
    "language",
    "statement",
    "extensions",
];
const KEYS_2: &[&str] = &[
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "revision",
    "platform",
    "language",
    "statement",
    "extensions",
    "contextAgents",
    "contextGroups",
];

/// Checks a context; `object_is_activity` says whether the statement's object is an Activity
/// (revision and platform are only allowed then).
pub(crate) fn context(
    value: &Value,
    path: &str,
    version: Version,
    object_is_activity: bool,
) -> Result<(), Invalid> {
    let keys = if version == Version::V2_0_0 {
        KEYS_2
    } else {
        KEYS_1
    };
    let map = json::object(value, path, keys)?;
    for (key, item) in map {
        let at = json::join(path, key);
        match key.as_str() {
            "registration" => {
                uuid_rule::parse_value(item, &at)?;
            }
            "instructor" => agent::actor(item, &at, false)?,
            "team" => {
                let kind = json::object_type(json::any_object(item, &at)?, &at)?;
                if kind != Some("Group") {
                    return Err(Invalid::new(
                        "context-team-group",
                        at,
                        "A context's team must be a Group.",
                    ));
                }
                agent::group(item, &at)?;
            }
            "contextActivities" => context_activities(item, &at)?,
            "revision" | "platform" => {
                json::string(item, &at)?;
                if !object_is_activity {
                    return Err(Invalid::new(
                        if key == "revision" {
                            "context-revision-activity"
                        } else {
                            "context-platform-activity"
                        },
                        at,
                        format!(
                            "{key:?} may only be used when the statement's object is an Activity."
                        ),
                    ));
                }
            }
            "language" => {
                language::tag(item, &at)?;
            }
            "statement" => statement::statement_ref(item, &at, "context-statement-ref")?,
            "extensions" => iri::extensions(item, &at)?,
            "contextAgents" => relevant_list(item, &at, "contextAgent", "agent")?,
            _ => relevant_list(item, &at, "contextGroup", "group")?,
        }
    }
    Ok(())
}

/// parent, grouping, category, other: an Activity or an array of Activities each.
fn context_activities(value: &Value, path: &str) -> Result<(), Invalid> {
    let map = json::object(value, path, &["parent", "grouping", "category", "other"])?;
    for (key, item) in map {
        let at = json::join(path, key);
        match item {
            Value::Array(items) => {
                for (index, activity) in items.iter().enumerate() {
                    activity::activity(activity, &json::at(&at, index))?;
                }
            }
            Value::Object(_) => activity::activity(item, &at)?,
            _ => {
                return Err(Invalid::new(
                    "context-activities",
                    at,
                    "Context activities are an Activity or an array of Activities.",
                ));
            }
        }
    }
    Ok(())
}

/// 2.0.0 contextAgents / contextGroups: arrays of `{objectType, agent|group, relevantTypes}`.
fn relevant_list(value: &Value, path: &str, kind: &str, member: &str) -> Result<(), Invalid> {
    let rule = if member == "agent" {
        "context-agents"
    } else {
        "context-groups"
    };
    for (index, item) in json::array(value, path)?.iter().enumerate() {
        let at = json::at(path, index);
        let map = json::object(item, &at, &["objectType", member, "relevantTypes"])?;
        if json::object_type(map, &at)? != Some(kind) {
            return Err(Invalid::new(
                rule,
                json::join(&at, "objectType"),
                format!("Each entry needs \"objectType\": {kind:?}."),
            ));
        }
        let who = json::required(map, &at, member, rule)?;
        let who_path = json::join(&at, member);
        if member == "agent" {
            agent::agent(who, &who_path)?;
        } else {
            agent::group(who, &who_path)?;
        }
        if let Some(types) = map.get("relevantTypes") {
            let types_path = json::join(&at, "relevantTypes");
            let types = json::array(types, &types_path)?;
            if types.is_empty() {
                return Err(Invalid::new(
                    rule,
                    types_path,
                    "relevantTypes, when given, lists at least one IRI.",
                ));
            }
            for (i, relevant) in types.iter().enumerate() {
                iri::iri(relevant, &json::at(&types_path, i), "relevant-type-iri")?;
            }
        }
    }
    Ok(())
}
