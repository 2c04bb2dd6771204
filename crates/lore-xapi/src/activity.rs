//! Activities and their definitions.

use serde_json::Value;

use crate::{Invalid, interaction, iri, json, language};

const DEFINITION_KEYS: &[&str] = &[
    "name",
    "description",
    "type",
    "moreInfo",
    "extensions",
    "interactionType",
    "correctResponsesPattern",
    "choices",
    "scale",
    "source",
    "target",
    "steps",
];

/// An Activity (`objectType` "Activity" or absent): an IRI id and an optional definition.
pub(crate) fn activity(value: &Value, path: &str) -> Result<(), Invalid> {
    let map = json::object(value, path, &["objectType", "id", "definition"])?;
    if let Some(kind) = json::object_type(map, path)?
        && kind != "Activity"
    {
        return Err(Invalid::new(
            "object-type",
            json::join(path, "objectType"),
            format!("{kind:?} is not Activity."),
        ));
    }
    let id = json::required(map, path, "id", "activity-id")?;
    iri::iri(id, &json::join(path, "id"), "activity-id")?;
    if let Some(definition) = map.get("definition") {
        self::definition(definition, &json::join(path, "definition"))?;
    }
    Ok(())
}

fn definition(value: &Value, path: &str) -> Result<(), Invalid> {
    let map = json::object(value, path, DEFINITION_KEYS)?;
    for (key, item) in map {
        let at = json::join(path, key);
        match key.as_str() {
            "name" | "description" => language::map(item, &at)?,
            "type" => {
                iri::iri(item, &at, "activity-type-iri")?;
            }
            "moreInfo" => {
                iri::iri(item, &at, "activity-more-info-irl")?;
            }
            "extensions" => iri::extensions(item, &at)?,
            _ => {}
        }
    }
    interaction::interaction(map, path)
}
