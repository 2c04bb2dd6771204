//! Lore's events as xAPI statements (docs/decisions/0033): every learning action of the event
//! log (docs/events.md) becomes one statement, with standard verbs (ADL, cmi5 and the xAPI
//! registry) where one fits and Lore's own verb IRIs under the instance's address where none
//! does, and Lore's courses, steps, questions, evaluations, paths, needs and certificates as
//! activities under that address. Pure: the writer (an outbox reader) looks up names and
//! titles and stores what this returns.
//!
//! The statement id is derived from the instance and the event id, so writing an event twice
//! (at-least-once delivery) is the same statement, which the store accepts as a no-op.

use lore_store::EventRow;
use lore_xapi::vocabulary::{Term, activity_types, verbs};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// What the event does not say and the statement shows: the instance's address, the
/// person's name, and titles where known.
#[derive(Debug, Clone, Copy)]
pub struct StatementContext<'a> {
    /// `https://learn.example.com`, no trailing slash.
    pub base_url: &'a str,
    pub actor_name: &'a str,
    /// The title of the course version the event is about.
    pub course_title: Option<&'a str>,
    /// The title of the path (`completed-path`).
    pub path_title: Option<&'a str>,
}

/// Activity Streams' types for what xAPI's vocabularies have none: a group of people, and
/// the Lore instance itself (the object of an event that names nothing else).
const GROUP_TYPE: Term = Term {
    id: "http://activitystrea.ms/schema/1.0/group",
    display: "group",
};
const APPLICATION_TYPE: Term = Term {
    id: "http://activitystrea.ms/schema/1.0/application",
    display: "application",
};

/// Browsing the catalogue is not a learning action of one person on one thing: one event
/// lists a page of courses. It stays out of the learning record.
pub const NOT_STATEMENTS: &[&str] = &["listed-courses"];

/// The statement id of an event: a UUID (version 4 layout, variant 2) made from a hash of the
/// instance's address and the event id, so the same event is always the same statement.
pub fn statement_id(base_url: &str, event_id: i64) -> uuid::Uuid {
    let digest = Sha256::digest(format!("lore-event {base_url} {event_id}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// The agent of a Lore person: an account on this instance (emails change; ids do not).
pub fn agent(base_url: &str, user_id: i64, name: &str) -> Value {
    json!({
        "objectType": "Agent",
        "name": name,
        "account": { "homePage": base_url, "name": user_id.to_string() }
    })
}

/// Lore itself, the authority of the statements it writes from its events.
pub fn authority(base_url: &str) -> Value {
    json!({
        "objectType": "Agent",
        "name": "Lore",
        "account": { "homePage": base_url, "name": "lore" }
    })
}

/// Lore's own verb for an action no vocabulary names: `{base}/xapi/verbs/{verb}`.
fn lore_verb(base: &str, verb: &str) -> Value {
    json!({
        "id": format!("{base}/xapi/verbs/{verb}"),
        "display": { "en-US": verb.replace('-', " ") }
    })
}

fn activity(id: String, kind: Term, name: Option<&str>) -> Value {
    let mut definition = json!({ "type": kind.id });
    if let Some(n) = name.filter(|n| !n.trim().is_empty()) {
        definition["name"] = json!({ "en-US": n });
    }
    json!({ "objectType": "Activity", "id": id, "definition": definition })
}

fn data_of(e: &EventRow) -> Value {
    e.data
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or(Value::Null)
}

/// A safe path segment of an IRI: letters, digits, `-`, `_`, `.` kept; others percent-encoded.
fn segment(raw: &str) -> String {
    let mut out = String::new();
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn score(points: f64, max: f64) -> Option<Value> {
    (max > 0.0 && points.is_finite() && max.is_finite() && (0.0..=max).contains(&points)).then(
        || {
            json!({
                "scaled": (points / max * 10_000.0).round() / 10_000.0,
                "raw": points,
                "min": 0.0,
                "max": max
            })
        },
    )
}

/// The statement of one event, or `None` for events that are not learning actions
/// ([`NOT_STATEMENTS`]). The LRS completes it (stored, authority, version) when it stores it.
pub fn statement_of(e: &EventRow, cx: &StatementContext<'_>) -> Option<Value> {
    if NOT_STATEMENTS.contains(&e.verb.as_str()) {
        return None;
    }
    let base = cx.base_url.trim_end_matches('/');
    let data = data_of(e);
    let course = e.course_id.map(|c| {
        activity(
            format!("{base}/courses/{c}"),
            activity_types::COURSE,
            cx.course_title,
        )
    });
    let step = match (e.course_id, e.step_key.as_deref()) {
        (Some(c), Some(s)) => Some(activity(
            format!("{base}/courses/{c}/steps/{}", segment(s)),
            activity_types::LESSON,
            None,
        )),
        _ => None,
    };
    let assessment = e.course_id.map(|c| {
        activity(
            format!("{base}/courses/{c}/evaluation"),
            activity_types::ASSESSMENT,
            cx.course_title
                .map(|t| format!("{t}: evaluation"))
                .as_deref(),
        )
    });
    let need = e
        .need_id
        .map(|n| activity(format!("{base}/needs/{n}"), activity_types::QUESTION, None));
    let number = |key: &str| data.get(key).and_then(Value::as_f64);
    let mut result = Map::new();
    let mut parent_is_course = true;

    let (verb, object) = match e.verb.as_str() {
        "viewed-course" => (verbs::EXPERIENCED.verb(), course.clone()),
        "viewed-step" => (verbs::EXPERIENCED.verb(), step.clone()),
        "enrolled" => (verbs::REGISTERED.verb(), course.clone()),
        "started" => (verbs::ATTEMPTED.verb(), course.clone()),
        "completed-step" => {
            result.insert("completion".into(), json!(true));
            if let Some(s) = number("seconds").filter(|s| *s >= 0.0) {
                result.insert("duration".into(), json!(format!("PT{}S", s.round() as i64)));
            }
            (verbs::COMPLETED.verb(), step.clone())
        }
        "completed-course" => {
            result.insert("completion".into(), json!(true));
            (verbs::COMPLETED.verb(), course.clone())
        }
        "completed-path" => {
            result.insert("completion".into(), json!(true));
            let path = data.get("path").and_then(Value::as_i64);
            (
                verbs::COMPLETED.verb(),
                path.map(|p| {
                    activity(
                        format!("{base}/paths/{p}"),
                        activity_types::PATH,
                        cx.path_title,
                    )
                }),
            )
        }
        "started-attempt" => (verbs::ATTEMPTED.verb(), assessment.clone()),
        "answered" => {
            if let (Some(p), Some(m)) = (number("points"), number("max")) {
                if let Some(s) = score(p, m) {
                    result.insert("score".into(), s);
                }
                result.insert("success".into(), json!(m > 0.0 && p >= m));
            }
            let question = match (e.course_id, e.step_key.as_deref()) {
                (Some(c), Some(q)) => Some(json!({
                    "objectType": "Activity",
                    "id": format!("{base}/courses/{c}/questions/{}", segment(q)),
                    "definition": { "type": activity_types::INTERACTION.id, "interactionType": "other" }
                })),
                _ => None,
            };
            (verbs::ANSWERED.verb(), question)
        }
        "submitted-attempt" => {
            let passed = data.get("passed").and_then(Value::as_bool) == Some(true);
            if let (Some(p), Some(m)) = (number("score"), number("max"))
                && let Some(s) = score(p, m)
            {
                result.insert("score".into(), s);
            }
            result.insert("success".into(), json!(passed));
            result.insert("completion".into(), json!(true));
            let verb = if passed { verbs::PASSED } else { verbs::FAILED };
            (verb.verb(), assessment.clone())
        }
        "reacted" => {
            let kind = data.get("kind").and_then(Value::as_str).unwrap_or("");
            if !kind.is_empty() {
                result.insert("response".into(), json!(kind));
            }
            let verb = if kind == "question" {
                verbs::ASKED
            } else {
                verbs::RATED
            };
            (verb.verb(), step.clone().or_else(|| course.clone()))
        }
        "certificate-awarded" => {
            let id = data.get("certificate").and_then(Value::as_i64);
            (
                verbs::EARNED.verb(),
                id.map(|c| {
                    activity(
                        format!("{base}/certificates/{c}"),
                        activity_types::CERTIFICATE,
                        cx.course_title
                            .map(|t| format!("{t}: certificate"))
                            .as_deref(),
                    )
                }),
            )
        }
        "published" => (verbs::SHARED.verb(), course.clone()),
        "asked-need" => {
            parent_is_course = false;
            (verbs::ASKED.verb(), need.clone())
        }
        other => {
            // Lore's own verb, about the most specific thing the event names.
            parent_is_course = step.is_some();
            let object = if other.ends_with("-need") || other == "volunteered" {
                parent_is_course = false;
                need.clone()
            } else {
                None
            };
            (
                lore_verb(base, other),
                object
                    .or_else(|| step.clone())
                    .or_else(|| course.clone())
                    .or_else(|| need.clone()),
            )
        }
    };
    // Everything is about something: the instance itself when the event names nothing else.
    let object =
        object.unwrap_or_else(|| activity(base.to_owned(), APPLICATION_TYPE, Some("Lore")));
    let mut context = Map::new();
    if let Some(r) = e
        .registration
        .as_deref()
        .and_then(|r| uuid::Uuid::parse_str(r).ok())
    {
        context.insert("registration".into(), json!(r.to_string()));
    }
    let mut activities = Map::new();
    let object_id = object.get("id").and_then(Value::as_str).unwrap_or_default();
    if let Some(c) = course.filter(|c| parent_is_course && c["id"] != object_id) {
        activities.insert("parent".into(), json!([c]));
    }
    if let Some(g) = e.group_id {
        activities.insert(
            "grouping".into(),
            json!([activity(format!("{base}/groups/{g}"), GROUP_TYPE, None)]),
        );
    }
    if !activities.is_empty() {
        context.insert("contextActivities".into(), Value::Object(activities));
    }
    context.insert("platform".into(), json!("Lore"));
    let mut extensions = Map::new();
    extensions.insert(format!("{base}/xapi/extensions/event"), json!(e.id));
    if let Some(v) = e.version_number {
        extensions.insert(format!("{base}/xapi/extensions/course-version"), json!(v));
    }
    context.insert("extensions".into(), Value::Object(extensions));

    let mut statement = json!({
        "id": statement_id(base, e.id).to_string(),
        "actor": agent(base, e.user_id, cx.actor_name),
        "verb": verb,
        "object": object,
        "context": context,
        "timestamp": e.occurred_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
    });
    if !result.is_empty() {
        statement["result"] = Value::Object(result);
    }
    Some(statement)
}

#[cfg(test)]
mod tests;
