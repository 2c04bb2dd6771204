//! Small helpers every check uses: typed access to JSON with the path for the error, and the
//! spec's ban on unknown properties, null values and empty objects.

use serde_json::{Map, Value};

use crate::Invalid;

/// `parent.key` (or `key` at the top).
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// `parent[index]`.
pub(crate) fn at(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

/// `value` as a JSON object with only `allowed` keys, no nulls and at least one property.
pub(crate) fn object<'a>(
    value: &'a Value,
    path: &str,
    allowed: &[&str],
) -> Result<&'a Map<String, Value>, Invalid> {
    let map = any_object(value, path)?;
    if map.is_empty() {
        return Err(Invalid::new(
            "empty-object",
            path,
            "An empty object is not allowed here.",
        ));
    }
    for (key, item) in map {
        if !allowed.contains(&key.as_str()) {
            return Err(Invalid::new(
                "unknown-property",
                join(path, key),
                format!(
                    "Unknown property {key:?}; allowed here: {}.",
                    allowed.join(", ")
                ),
            ));
        }
        if item.is_null() {
            return Err(Invalid::new(
                "null-value",
                join(path, key),
                "A property may not be null; leave it out instead.",
            ));
        }
    }
    Ok(map)
}

/// `value` as a JSON object of any shape (extensions, language maps check their own keys).
pub(crate) fn any_object<'a>(
    value: &'a Value,
    path: &str,
) -> Result<&'a Map<String, Value>, Invalid> {
    value
        .as_object()
        .ok_or_else(|| Invalid::new("type-object", path, "Must be a JSON object."))
}

pub(crate) fn array<'a>(value: &'a Value, path: &str) -> Result<&'a Vec<Value>, Invalid> {
    value
        .as_array()
        .ok_or_else(|| Invalid::new("type-array", path, "Must be a JSON array."))
}

pub(crate) fn string<'a>(value: &'a Value, path: &str) -> Result<&'a str, Invalid> {
    value
        .as_str()
        .ok_or_else(|| Invalid::new("type-string", path, "Must be a string."))
}

pub(crate) fn boolean(value: &Value, path: &str) -> Result<bool, Invalid> {
    value
        .as_bool()
        .ok_or_else(|| Invalid::new("type-boolean", path, "Must be true or false."))
}

pub(crate) fn number(value: &Value, path: &str) -> Result<f64, Invalid> {
    value
        .as_f64()
        .ok_or_else(|| Invalid::new("type-number", path, "Must be a number."))
}

/// A required property, or `missing` with `rule`.
pub(crate) fn required<'a>(
    map: &'a Map<String, Value>,
    path: &str,
    key: &str,
    rule: &'static str,
) -> Result<&'a Value, Invalid> {
    map.get(key).ok_or_else(|| {
        Invalid::new(
            rule,
            join(path, key),
            format!("The property {key:?} is required."),
        )
    })
}

/// A required string property.
pub(crate) fn required_str<'a>(
    map: &'a Map<String, Value>,
    path: &str,
    key: &str,
    rule: &'static str,
) -> Result<&'a str, Invalid> {
    string(required(map, path, key, rule)?, &join(path, key))
}

/// The `objectType` of an object, if given, as a string.
pub(crate) fn object_type<'a>(
    map: &'a Map<String, Value>,
    path: &str,
) -> Result<Option<&'a str>, Invalid> {
    map.get("objectType")
        .map(|v| string(v, &join(path, "objectType")))
        .transpose()
}
