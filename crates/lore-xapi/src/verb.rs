//! The verb: an IRI and an optional display language map.

use serde_json::Value;

use crate::{Invalid, iri, json, language};

/// Checks a verb object; returns its id.
pub(crate) fn verb<'a>(value: &'a Value, path: &str) -> Result<&'a str, Invalid> {
    let map = json::object(value, path, &["id", "display"])?;
    let id = iri::iri(
        json::required(map, path, "id", "verb-id")?,
        &json::join(path, "id"),
        "verb-id",
    )?;
    if let Some(display) = map.get("display") {
        language::map(display, &json::join(path, "display"))?;
    }
    Ok(id)
}
