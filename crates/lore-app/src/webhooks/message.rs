//! What a delivery says: Lore's JSON (`{id, type, created_at, data}`) for webhooks, a Slack
//! message (`{text, blocks}`) or a Teams MessageCard for chat hooks, from the event and the
//! few facts about it a reader needs (who, which course or need, a link back to Lore).

use serde_json::{Value, json};

/// What the fan-out found out about an event.
#[derive(Debug, Clone, Default)]
pub(crate) struct EventFacts {
    pub event_id: i64,
    pub occurred_at: String,
    /// `{id, email, name}`.
    pub person: Option<Value>,
    /// `(id, title, absolute URL)`.
    pub course: Option<(i64, String, String)>,
    pub need: Option<(i64, String, String)>,
    pub group_name: Option<String>,
    /// The event as the outbox carries it (docs/events.md).
    pub event: Value,
}

/// The JSON body of a Lore webhook delivery.
pub(crate) fn lore_body(delivery_id: &str, kind: &str, f: &EventFacts) -> Value {
    let linked = |x: &Option<(i64, String, String)>| {
        x.as_ref()
            .map(|(id, title, url)| json!({ "id": id, "title": title, "url": url }))
    };
    let mut course = linked(&f.course);
    if let (Some(c), Some(v)) = (course.as_mut(), f.event.get("version_number")) {
        c["version"] = v.clone();
    }
    json!({
        "id": delivery_id,
        "type": kind,
        "created_at": f.occurred_at,
        "data": {
            "event_id": f.event_id,
            "person": f.person,
            "course": course,
            "need": linked(&f.need),
            "group_id": f.event.get("group_id"),
            "registration": f.event.get("registration"),
            "attempt_id": f.event.get("attempt_id"),
            "details": f.event.get("data"),
        },
    })
}

/// A chat message in words: (the headline, the link's target, the link's label).
fn chat_text(kind: &str, f: &EventFacts) -> (String, String, &'static str) {
    let person = f
        .person
        .as_ref()
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("Someone");
    let (course_title, course_url) = f
        .course
        .as_ref()
        .map(|(_, t, u)| (t.as_str(), u.as_str()))
        .unwrap_or(("a course", ""));
    let group = f
        .group_name
        .as_deref()
        .map(|g| format!(" in {g}"))
        .unwrap_or_default();
    match kind {
        "course.published" => (
            format!("New{group}: “{course_title}” was published."),
            course_url.to_owned(),
            "Open the course",
        ),
        "need.answered" => {
            let (title, url) = f
                .need
                .as_ref()
                .map(|(_, t, u)| (t.as_str(), u.as_str()))
                .unwrap_or(("A learning need", ""));
            (
                format!("The learning need “{title}” was answered{group}."),
                url.to_owned(),
                "See the answer",
            )
        }
        "assignment.overdue" => (
            format!("{person} is overdue on “{course_title}”{group}."),
            course_url.to_owned(),
            "Open the course",
        ),
        other => (
            format!("{other}{group}"),
            course_url.to_owned(),
            "Open Lore",
        ),
    }
}

/// Slack's incoming-webhook message: plain `text` (notifications) and the same as blocks
/// with a button back to Lore.
pub(crate) fn slack_body(kind: &str, f: &EventFacts) -> Value {
    let (text, url, label) = chat_text(kind, f);
    // Slack's mrkdwn treats these three as markup.
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let mut blocks = vec![json!({
        "type": "section",
        "text": { "type": "mrkdwn", "text": escaped },
    })];
    if !url.is_empty() {
        blocks.push(json!({
            "type": "actions",
            "elements": [{
                "type": "button",
                "text": { "type": "plain_text", "text": label },
                "url": url,
            }],
        }));
    }
    json!({ "text": escaped, "blocks": blocks })
}

/// A Microsoft Teams connector MessageCard with an "open" action back to Lore.
pub(crate) fn teams_body(kind: &str, f: &EventFacts) -> Value {
    let (text, url, label) = chat_text(kind, f);
    let mut card = json!({
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": text,
        "themeColor": "2F6FEB",
        "title": "Lore",
        "text": text,
    });
    if !url.is_empty() {
        card["potentialAction"] = json!([{
            "@type": "OpenUri",
            "name": label,
            "targets": [{ "os": "default", "uri": url }],
        }]);
    }
    card
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> EventFacts {
        EventFacts {
            event_id: 7,
            occurred_at: "2026-11-02T09:00:00Z".into(),
            person: Some(json!({"id": 3, "email": "a@b.test", "name": "Ada <A&B>"})),
            course: Some((
                5,
                "Git <basics>".into(),
                "https://lore.test/courses/5".into(),
            )),
            need: None,
            group_name: Some("Engineering".into()),
            event: json!({"version_number": 2, "group_id": 9, "data": {"passed": true}}),
        }
    }

    #[test]
    fn lore_body_carries_id_type_time_and_data() {
        let b = lore_body("u-1", "course.published", &facts());
        assert_eq!(b["id"], "u-1");
        assert_eq!(b["type"], "course.published");
        assert_eq!(b["created_at"], "2026-11-02T09:00:00Z");
        assert_eq!(b["data"]["course"]["title"], "Git <basics>");
        assert_eq!(b["data"]["course"]["version"], 2);
        assert_eq!(b["data"]["details"]["passed"], true);
        assert!(b["data"]["need"].is_null());
    }

    #[test]
    fn chat_bodies_escape_and_link_back() {
        let s = slack_body("assignment.overdue", &facts());
        assert_eq!(
            s["text"],
            "Ada &lt;A&amp;B&gt; is overdue on “Git &lt;basics&gt;” in Engineering."
        );
        assert_eq!(
            s["blocks"][1]["elements"][0]["url"],
            "https://lore.test/courses/5"
        );
        let t = teams_body("course.published", &facts());
        assert_eq!(t["@type"], "MessageCard");
        assert_eq!(
            t["potentialAction"][0]["targets"][0]["uri"],
            "https://lore.test/courses/5"
        );
    }
}
