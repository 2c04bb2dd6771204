//! Interaction activities: the interaction type, its component lists and the correct
//! responses pattern.

use serde_json::{Map, Value};

use crate::{Invalid, json, language};

const TYPES: &[&str] = &[
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
];
const COMPONENT_LISTS: &[&str] = &["choices", "scale", "source", "target", "steps"];

/// The component lists an interaction type may carry.
fn lists_for(kind: &str) -> &'static [&'static str] {
    match kind {
        "choice" | "sequencing" => &["choices"],
        "likert" => &["scale"],
        "matching" => &["source", "target"],
        "performance" => &["steps"],
        _ => &[],
    }
}

/// The interaction properties of an activity definition.
pub(crate) fn interaction(definition: &Map<String, Value>, path: &str) -> Result<(), Invalid> {
    let kind = match definition.get("interactionType") {
        Some(kind) => {
            let at = json::join(path, "interactionType");
            let kind = json::string(kind, &at)?;
            if !TYPES.contains(&kind) {
                return Err(Invalid::new(
                    "interaction-type",
                    at,
                    format!(
                        "{kind:?} is not an interaction type; use {}.",
                        TYPES.join(", ")
                    ),
                ));
            }
            Some(kind)
        }
        None => None,
    };
    if let Some(pattern) = definition.get("correctResponsesPattern") {
        let at = json::join(path, "correctResponsesPattern");
        if kind.is_none() {
            return Err(Invalid::new(
                "interaction-type-required",
                at,
                "correctResponsesPattern needs an interactionType.",
            ));
        }
        for (index, item) in json::array(pattern, &at)?.iter().enumerate() {
            if !item.is_string() {
                return Err(Invalid::new(
                    "correct-responses-pattern",
                    json::at(&at, index),
                    "Each correct response pattern is a string.",
                ));
            }
        }
    }
    for list in COMPONENT_LISTS {
        let Some(components) = definition.get(*list) else {
            continue;
        };
        let at = json::join(path, list);
        let allowed = kind.is_some_and(|kind| lists_for(kind).contains(list));
        if !allowed {
            return Err(Invalid::new(
                "interaction-components",
                at,
                format!(
                    "{list:?} is not a component list of interaction type {}.",
                    kind.unwrap_or("(none)")
                ),
            ));
        }
        self::components(components, &at)?;
    }
    Ok(())
}

/// A list of interaction components: each an id (unique in the list) and a description.
fn components(value: &Value, path: &str) -> Result<(), Invalid> {
    let mut seen: Vec<&str> = Vec::new();
    for (index, component) in json::array(value, path)?.iter().enumerate() {
        let at = json::at(path, index);
        let map = json::object(component, &at, &["id", "description"])?;
        let id = json::required_str(map, &at, "id", "interaction-component-id")?;
        if id.is_empty() || id.chars().any(char::is_whitespace) {
            return Err(Invalid::new(
                "interaction-component-id",
                json::join(&at, "id"),
                "A component id is a non-empty string without spaces.",
            ));
        }
        if seen.contains(&id) {
            return Err(Invalid::new(
                "interaction-component-id-unique",
                json::join(&at, "id"),
                format!("The component id {id:?} appears twice in this list."),
            ));
        }
        seen.push(id);
        if let Some(description) = map.get("description") {
            language::map(description, &json::join(&at, "description"))?;
        }
    }
    Ok(())
}
