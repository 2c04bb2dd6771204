use lore_xapi::{Version, validate_statement};
use serde_json::json;

use super::*;

const BASE: &str = "https://learn.acme.test";

/// Every verb of docs/events.md.
const VERBS: &[&str] = &[
    "listed-courses",
    "created-person",
    "viewed-course",
    "enrolled",
    "assigned",
    "unassigned",
    "started",
    "viewed-step",
    "completed-step",
    "completed-course",
    "completed-path",
    "switched-version",
    "started-attempt",
    "answered",
    "submitted-attempt",
    "submitted-essays",
    "reviewed-essay",
    "reacted",
    "withdrew-reaction",
    "suggested-edit",
    "published",
    "submitted-for-review",
    "review-commented",
    "review-approved",
    "review-changes-requested",
    "reminded",
    "confirmed-current",
    "certificate-awarded",
    "certificate-reminded",
    "certificate-expired",
    "certificate-rules-changed",
    "asked-need",
    "edited-need",
    "voted-need",
    "unvoted-need",
    "followed-need",
    "unfollowed-need",
    "changed-need-status",
    "merged-need",
    "assigned-expert",
    "volunteered",
    "linked-course",
];

fn event(verb: &str, data: Option<serde_json::Value>) -> EventRow {
    let need = verb.ends_with("-need")
        || matches!(verb, "volunteered" | "assigned-expert" | "linked-course");
    let course = !matches!(verb, "listed-courses" | "completed-path")
        && !verb.ends_with("-need")
        && verb != "volunteered";
    EventRow {
        id: 4711,
        user_id: 12,
        verb: verb.to_owned(),
        course_id: course.then_some(30),
        version_number: course.then_some(2),
        step_key: matches!(
            verb,
            "viewed-step" | "completed-step" | "answered" | "reacted" | "review-commented"
        )
        .then(|| "s-01 intro".to_owned()),
        attempt_id: matches!(verb, "started-attempt" | "answered" | "submitted-attempt")
            .then_some(5),
        need_id: need.then_some(8),
        registration: course.then(|| "0f8e7c2a-5b1d-4e3f-9a6b-1c2d3e4f5a6b".to_owned()),
        group_id: Some(3),
        data: data.map(|d| d.to_string()),
        occurred_at: time::macros::datetime!(2026-11-02 09:15:30 UTC),
    }
}

fn cx() -> StatementContext<'static> {
    StatementContext {
        base_url: BASE,
        actor_name: "Ada Lovelace",
        course_title: Some("Key rotation"),
        path_title: Some("Onboarding"),
    }
}

fn data_for(verb: &str) -> Option<serde_json::Value> {
    match verb {
        "completed-step" => Some(json!({"seconds": 42})),
        "answered" => Some(json!({"points": 1, "max": 2})),
        "submitted-attempt" => Some(json!({"score": 3, "max": 4, "passed": true})),
        "reacted" => Some(json!({"kind": "unclear", "reaction": 9})),
        "certificate-awarded" => {
            Some(json!({"certificate": 77, "expires_at": null, "replaced": 0}))
        }
        "completed-path" => Some(json!({"path": 6, "assignment": 2})),
        "listed-courses" => Some(json!({"courses": [[30, 2]]})),
        _ => None,
    }
}

#[test]
fn every_event_but_a_listing_is_a_valid_statement_in_both_versions() {
    for verb in VERBS {
        let e = event(verb, data_for(verb));
        let Some(s) = statement_of(&e, &cx()) else {
            assert_eq!(*verb, "listed-courses");
            continue;
        };
        for version in [Version::V1_0_3, Version::V2_0_0] {
            if let Err(bad) = validate_statement(&s, version) {
                panic!(
                    "{verb} ({version:?}): {} at {}: {}\n{s:#}",
                    bad.rule, bad.path, bad.message
                );
            }
        }
        assert_eq!(s["actor"]["account"]["name"], "12", "{verb}");
        assert_eq!(s["timestamp"], "2026-11-02T09:15:30Z", "{verb}");
        assert_eq!(
            s["context"]["extensions"][format!("{BASE}/xapi/extensions/event")],
            4711
        );
    }
}

#[test]
fn learning_actions_get_standard_verbs_and_results() {
    let s = |verb: &str| statement_of(&event(verb, data_for(verb)), &cx()).expect("statement");
    let passed = s("submitted-attempt");
    assert_eq!(
        passed["verb"]["id"],
        "http://adlnet.gov/expapi/verbs/passed"
    );
    assert_eq!(
        passed["object"]["id"],
        format!("{BASE}/courses/30/evaluation")
    );
    assert_eq!(passed["result"]["score"]["scaled"], 0.75);
    assert_eq!(passed["result"]["score"]["raw"], 3.0);
    assert_eq!(passed["result"]["success"], true);
    assert_eq!(
        passed["context"]["registration"],
        "0f8e7c2a-5b1d-4e3f-9a6b-1c2d3e4f5a6b"
    );
    assert_eq!(
        passed["context"]["contextActivities"]["parent"][0]["id"],
        format!("{BASE}/courses/30")
    );

    let failed = statement_of(
        &event(
            "submitted-attempt",
            Some(json!({"score": 1, "max": 4, "passed": false})),
        ),
        &cx(),
    )
    .expect("statement");
    assert_eq!(
        failed["verb"]["id"],
        "http://adlnet.gov/expapi/verbs/failed"
    );
    assert_eq!(failed["result"]["success"], false);

    let step = s("completed-step");
    assert_eq!(
        step["verb"]["id"],
        "http://adlnet.gov/expapi/verbs/completed"
    );
    assert_eq!(
        step["object"]["id"],
        format!("{BASE}/courses/30/steps/s-01%20intro")
    );
    assert_eq!(step["result"]["duration"], "PT42S");

    let course = s("completed-course");
    assert_eq!(
        course["object"]["definition"]["name"]["en-US"],
        "Key rotation"
    );
    assert_eq!(
        course["object"]["definition"]["type"],
        "http://adlnet.gov/expapi/activities/course"
    );
    assert!(
        course["context"]["contextActivities"]
            .get("parent")
            .is_none(),
        "a course is not its own parent"
    );

    let path = s("completed-path");
    assert_eq!(path["object"]["id"], format!("{BASE}/paths/6"));
    assert_eq!(path["object"]["definition"]["name"]["en-US"], "Onboarding");

    let earned = s("certificate-awarded");
    assert_eq!(earned["verb"]["id"], "http://id.tincanapi.com/verb/earned");
    assert_eq!(earned["object"]["id"], format!("{BASE}/certificates/77"));

    assert_eq!(
        s("enrolled")["verb"]["id"],
        "http://adlnet.gov/expapi/verbs/registered"
    );
    assert_eq!(
        s("viewed-step")["verb"]["id"],
        "http://adlnet.gov/expapi/verbs/experienced"
    );
    assert_eq!(s("answered")["result"]["score"]["scaled"], 0.5);
    assert_eq!(s("answered")["result"]["success"], false);
    assert_eq!(s("asked-need")["object"]["id"], format!("{BASE}/needs/8"));
    assert_eq!(s("reacted")["result"]["response"], "unclear");

    let own = s("switched-version");
    assert_eq!(
        own["verb"]["id"],
        format!("{BASE}/xapi/verbs/switched-version")
    );
    assert_eq!(own["verb"]["display"]["en-US"], "switched version");
    assert_eq!(s("voted-need")["object"]["id"], format!("{BASE}/needs/8"));
}

#[test]
fn the_same_event_is_always_the_same_statement_id() {
    let a = statement_id(BASE, 1);
    assert_eq!(a, statement_id(BASE, 1));
    assert_ne!(a, statement_id(BASE, 2));
    assert_ne!(a, statement_id("https://other.test", 1));
    assert_eq!(a.get_variant(), uuid::Variant::RFC4122);
}

#[test]
fn bad_details_leave_out_the_score_rather_than_break_the_statement() {
    for data in [
        json!({"score": 9, "max": 4, "passed": true}),
        json!({"score": -1, "max": 4, "passed": false}),
        json!({"score": 1, "max": 0, "passed": false}),
        json!("not an object"),
    ] {
        let s = statement_of(&event("submitted-attempt", Some(data.clone())), &cx())
            .expect("statement");
        assert!(s["result"].get("score").is_none(), "{data}");
        validate_statement(&s, Version::V1_0_3).expect("valid");
    }
}
