//! A statement as a whole: its properties, its object (Activity, Agent, Group, StatementRef,
//! SubStatement), voiding, batches, and what the LRS fills in.

use serde_json::{Map, Value};

use crate::{
    Invalid, Version, activity, agent, attachment, context, json, result, timestamp, uuid_rule,
    verb, vocabulary,
};

const STATEMENT_KEYS: &[&str] = &[
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
];
const SUB_STATEMENT_KEYS: &[&str] = &[
    "objectType",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "attachments",
];

/// Every rule of the spec for a statement as sent by a client (before the LRS sets id,
/// stored, authority, version, timestamp). Unknown properties are refused.
pub fn validate_statement(statement: &Value, version: Version) -> Result<(), Invalid> {
    validate_at(statement, "", version)
}

fn validate_at(statement: &Value, path: &str, version: Version) -> Result<(), Invalid> {
    let map = json::object(statement, path, STATEMENT_KEYS)?;
    if let Some(id) = map.get("id") {
        uuid_rule::parse_value(id, &json::join(path, "id"))?;
    }
    for key in ["stored"] {
        if let Some(value) = map.get(key) {
            timestamp::check(value, &json::join(path, key), version)?;
        }
    }
    if let Some(authority) = map.get("authority") {
        agent::actor(authority, &json::join(path, "authority"), false)?;
    }
    if let Some(given) = map.get("version") {
        statement_version(given, &json::join(path, "version"), version)?;
    }
    body(map, path, version, false)
}

/// What statements and sub-statements share: actor, verb, object, result, context,
/// timestamp, attachments.
fn body(
    map: &Map<String, Value>,
    path: &str,
    version: Version,
    nested: bool,
) -> Result<(), Invalid> {
    let actor = json::required(map, path, "actor", "statement-actor")?;
    agent::actor(actor, &json::join(path, "actor"), false)?;
    let verb_id = verb::verb(
        json::required(map, path, "verb", "statement-verb")?,
        &json::join(path, "verb"),
    )?;
    let object = json::required(map, path, "object", "statement-object")?;
    let object_path = json::join(path, "object");
    let kind = object_kind(object, &object_path)?;
    match kind {
        "Activity" => activity::activity(object, &object_path)?,
        "Agent" => agent::actor(object, &object_path, true)?,
        "Group" => agent::group(object, &object_path)?,
        "StatementRef" => statement_ref(object, &object_path, "statement-ref")?,
        _ if nested => {
            return Err(Invalid::new(
                "substatement-nested",
                json::join(&object_path, "objectType"),
                "A SubStatement cannot have a SubStatement as its object.",
            ));
        }
        _ => sub_statement(object, &object_path, version)?,
    }
    if verb_id == vocabulary::verbs::VOIDED.id && kind != "StatementRef" {
        return Err(Invalid::new(
            "voiding-statement-ref",
            object_path,
            "A voiding statement's object must be a StatementRef to the statement it voids.",
        ));
    }
    if let Some(value) = map.get("result") {
        result::result(value, &json::join(path, "result"))?;
    }
    if let Some(value) = map.get("context") {
        context::context(
            value,
            &json::join(path, "context"),
            version,
            kind == "Activity",
        )?;
    }
    if let Some(value) = map.get("timestamp") {
        timestamp::check(value, &json::join(path, "timestamp"), version)?;
    }
    if let Some(value) = map.get("attachments") {
        attachment::attachments(value, &json::join(path, "attachments"))?;
    }
    Ok(())
}

/// The object's `objectType`, "Activity" when absent.
fn object_kind<'a>(object: &'a Value, path: &str) -> Result<&'a str, Invalid> {
    let map = json::any_object(object, path)?;
    match json::object_type(map, path)? {
        None => Ok("Activity"),
        Some(kind @ ("Activity" | "Agent" | "Group" | "StatementRef" | "SubStatement")) => Ok(kind),
        Some(other) => Err(Invalid::new(
            "object-type",
            json::join(path, "objectType"),
            format!(
                "{other:?} is not an object type; use Activity, Agent, Group, StatementRef or SubStatement."
            ),
        )),
    }
}

fn sub_statement(value: &Value, path: &str, version: Version) -> Result<(), Invalid> {
    let map = json::any_object(value, path)?;
    for key in ["id", "stored", "version", "authority"] {
        if map.contains_key(key) {
            return Err(Invalid::new(
                "substatement-property",
                json::join(path, key),
                format!("A SubStatement cannot have {key:?}."),
            ));
        }
    }
    let map = json::object(value, path, SUB_STATEMENT_KEYS)?;
    body(map, path, version, true)
}

/// A StatementRef: `objectType: "StatementRef"` and a UUID id.
pub(crate) fn statement_ref(value: &Value, path: &str, rule: &'static str) -> Result<(), Invalid> {
    let map = json::object(value, path, &["objectType", "id"])?;
    if json::object_type(map, path)? != Some("StatementRef") {
        return Err(Invalid::new(
            rule,
            json::join(path, "objectType"),
            "A statement reference needs \"objectType\": \"StatementRef\".",
        ));
    }
    uuid_rule::parse_value(
        json::required(map, path, "id", rule)?,
        &json::join(path, "id"),
    )?;
    Ok(())
}

/// The statement's `version`: 1.0.x under 1.0.3, 2.0.x under 2.0.0.
fn statement_version(value: &Value, path: &str, version: Version) -> Result<(), Invalid> {
    let given = json::string(value, path)?;
    let prefix = match version {
        Version::V1_0_3 => "1.0.",
        Version::V2_0_0 => "2.0.",
    };
    let patch_ok = given
        .strip_prefix(prefix)
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()));
    if patch_ok {
        Ok(())
    } else {
        Err(Invalid::new(
            "statement-version",
            path,
            format!("{given:?} is not a {prefix}x version, as the request's version requires."),
        ))
    }
}

/// A POST body: one statement object or an array of them. Every one validated; ids unique
/// within the batch.
pub fn validate_batch(body: &Value, version: Version) -> Result<Vec<Value>, Invalid> {
    check_batch(body, version)?;
    Ok(match body {
        Value::Array(items) => items.clone(),
        _ => vec![body.clone()],
    })
}

/// [`validate_batch`] taking the body, so that its statements are moved rather than copied.
pub fn validate_batch_owned(body: Value, version: Version) -> Result<Vec<Value>, Invalid> {
    check_batch(&body, version)?;
    Ok(match body {
        Value::Array(items) => items,
        other => vec![other],
    })
}

fn check_batch(body: &Value, version: Version) -> Result<(), Invalid> {
    let statements: &[Value] = match body {
        Value::Array(items) => items,
        Value::Object(_) => std::slice::from_ref(body),
        _ => {
            return Err(Invalid::new(
                "type-object",
                "",
                "The body is a statement object or an array of statements.",
            ));
        }
    };
    let mut ids: Vec<uuid::Uuid> = Vec::new();
    for (index, statement) in statements.iter().enumerate() {
        let path = if body.is_array() {
            format!("[{index}]")
        } else {
            String::new()
        };
        validate_at(statement, &path, version)?;
        if let Some(id) = statement.get("id").and_then(Value::as_str) {
            let id = uuid_rule::parse(id, &json::join(&path, "id"))?;
            if ids.contains(&id) {
                return Err(Invalid::new(
                    "batch-duplicate-id",
                    json::join(&path, "id"),
                    format!("The id {id} appears twice in this batch."),
                ));
            }
            ids.push(id);
        }
    }
    Ok(())
}

/// Fill what the LRS sets: id (if missing), stored, timestamp (= stored if missing),
/// authority (always the credentials' own), version ("1.0.0" for 1.0.3, "2.0.0" for 2.0.0
/// unless given).
pub fn complete(
    statement: Value,
    id: uuid::Uuid,
    stored: &str,
    authority: &Value,
    version: Version,
) -> Value {
    let (mut done, undated) = complete_unstored(statement, id, authority, version);
    if let Value::Object(map) = &mut done {
        map.insert("stored".to_owned(), Value::String(stored.to_owned()));
        if undated {
            map.insert("timestamp".to_owned(), Value::String(stored.to_owned()));
        }
    }
    done
}

/// [`complete`] but for `stored`, which an LRS takes at the moment it writes: the statement,
/// and whether it has no timestamp (it then gets `stored` as its timestamp). [`stamp`] adds
/// both to the statement once serialised, so that a statement can be serialised before the
/// writer's turn.
pub fn complete_unstored(
    statement: Value,
    id: uuid::Uuid,
    authority: &Value,
    version: Version,
) -> (Value, bool) {
    let Value::Object(mut map) = statement else {
        return (statement, false);
    };
    map.entry("id")
        .or_insert_with(|| Value::String(id.to_string()));
    map.remove("stored");
    let undated = !map.contains_key("timestamp");
    map.insert("authority".to_owned(), authority.clone());
    let default_version = match version {
        Version::V1_0_3 => "1.0.0",
        Version::V2_0_0 => "2.0.0",
    };
    map.entry("version")
        .or_insert_with(|| Value::String(default_version.to_owned()));
    (Value::Object(map), undated)
}

/// A statement completed by [`complete_unstored`] and serialised, with `stored` (and the
/// timestamp of an undated statement) written in: the text [`complete`] would serialise to,
/// but for the order of the keys.
pub fn stamp(text: &str, stored: &str, undated: bool) -> String {
    let Some(rest) = text.strip_prefix('{').filter(|r| r.trim_start() != "}") else {
        return text.to_owned();
    };
    // `stored` is written by the LRS in RFC 3339 and never needs escaping; still, it goes
    // through the serialiser so that the text stays JSON whatever it holds.
    let stored = Value::String(stored.to_owned()).to_string();
    let mut out = String::with_capacity(text.len() + 2 * stored.len() + 24);
    out.push_str("{\"stored\":");
    out.push_str(&stored);
    out.push(',');
    if undated {
        out.push_str("\"timestamp\":");
        out.push_str(&stored);
        out.push(',');
    }
    out.push_str(rest);
    out
}
