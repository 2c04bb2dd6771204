//! The CRM feed: a CRM pulls course and path completions, evaluation results and
//! certificates per person (email as key) from a cursor, as JSON and as CSV, and the next
//! pull brings only what happened since; learners are refused, bad cursors change nothing.

use lore_app::Caller;
use lore_app::assignments::{AssignRequest, Target};
use lore_app::paths::{PathDetails, PathEdit};
use lore_domain::assignment::Due;
use lore_domain::path::{ItemRef, PathItem, PathOrder};
use lore_domain::question::Answer;
use reqwest::StatusCode;

use crate::api::token_for;
use crate::attention::choice;
use crate::story;
use crate::support::TestApp;

/// Finish every step of a course the learner is enrolled in.
async fn finish(t: &TestApp, who: &Caller, course: i64) {
    let e = t
        .app
        .store()
        .enrolment(who.id.0, course)
        .await
        .expect("enrolment")
        .expect("enrolled");
    let v = t
        .app
        .store()
        .version(course, e.version_number)
        .await
        .expect("version")
        .expect("exists");
    for s in t.app.store().steps_of(v.id).await.expect("steps") {
        t.app
            .complete_step(who, course, &s.step_key, 30)
            .await
            .expect("complete step");
    }
}

/// Take the course's evaluation answering `choice` to every question.
async fn take_exam(t: &TestApp, who: &Caller, course: i64, choice: &str) {
    let attempt = t.app.start_attempt(who, course).await.expect("attempt");
    let v = t
        .app
        .store()
        .version(course, 1)
        .await
        .expect("version")
        .expect("v1");
    for q in t.app.store().questions_of(v.id).await.expect("questions") {
        t.app
            .answer(
                who,
                attempt.id,
                &q.question_key,
                Answer::Choices(vec![choice.into()]),
            )
            .await
            .expect("answer");
    }
    t.app.submit_attempt(who, attempt.id).await.expect("submit");
}

/// A pull of the feed once `records` records are there. On PostgreSQL the feed shows only
/// events of transactions older than every running one in the whole server, and other
/// stories run at once, so a moment may pass before what this story wrote is settled.
async fn pull(api: &crate::support::Api, query: &str, records: usize) -> serde_json::Value {
    for _ in 0..200 {
        let page = api.send(reqwest::Method::GET, query, None).await;
        page.expect_status(StatusCode::OK);
        let page = page.json();
        if page["records"].as_array().map_or(0, Vec::len) >= records {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{query}: fewer than {records} records after 20 s");
}

async fn crm_feed_pulls_achievements_incrementally(t: TestApp) {
    t.person("root@acme.test", "Rita Root", true).await;
    let acme = t.group(None, "Acme").await;
    let sales = t.group(Some(acme), "Sales").await;
    for (email, name, role) in [
        ("cleo@acme.test", "Cleo Coach", "coach"),
        ("ada@acme.test", "Ada Lovelace", "learner"),
        ("bob@acme.test", "Bob Builder", "learner"),
    ] {
        let id = t.person(email, name, false).await;
        t.member(id, sales, role).await;
    }
    let cleo = t.caller("cleo@acme.test").await;
    let ada = t.caller("ada@acme.test").await;
    let bob = t.caller("bob@acme.test").await;
    let root = t.api(&token_for(&t, "root@acme.test").await);

    // Nothing yet: an empty page whose cursor is the start.
    let empty = root.send(reqwest::Method::GET, "/crm/records", None).await;
    empty.expect_status(StatusCode::OK);
    let empty = empty.json();
    assert_eq!(empty["records"].as_array().map(Vec::len), Some(0));
    assert_eq!(empty["next"], "0-0");
    assert_eq!(empty["has_more"], false);

    // A quiz course (two questions), and a path of two plain courses assigned to Bob.
    let quiz = crate::attention::course(
        &t,
        &cleo,
        "Pricing quiz",
        &[choice("Discount cap?"), choice("Who signs?")],
    )
    .await;
    let first = t.published_course(&cleo, "Know the product").await;
    let second = t.published_course(&cleo, "Run a demo").await;
    let path = t
        .app
        .create_path(
            &cleo,
            sales,
            PathDetails {
                title: "Sales onboarding".into(),
                description: String::new(),
                order: PathOrder::Free,
            },
        )
        .await
        .expect("path")
        .id;
    for course in [first, second] {
        t.app
            .edit_path(
                &cleo,
                path,
                PathEdit::Add(PathItem {
                    item: ItemRef::course(course),
                    mandatory: true,
                    final_evaluation: false,
                    after: Vec::new(),
                }),
            )
            .await
            .expect("add");
    }
    t.app.publish_path(&cleo, path).await.expect("publish path");
    t.app
        .assign_target(
            &cleo,
            AssignRequest {
                target: Target::Path(path),
                group_ids: Vec::new(),
                emails: vec!["bob@acme.test".into()],
                due: Due::None,
                reminder_rule: None,
            },
        )
        .await
        .expect("assign");

    // Ada reads the course (which completes it), fails the quiz (every answer wrong),
    // then passes it (every answer right).
    t.app.enrol(&ada, quiz).await.expect("enrol");
    finish(&t, &ada, quiz).await;
    take_exam(&t, &ada, quiz, "b").await;
    take_exam(&t, &ada, quiz, "a").await;

    let page = pull(&root, "/crm/records?limit=2", 2).await;
    let records = page["records"].as_array().expect("records").clone();
    assert_eq!(page["has_more"], true, "{page}");
    assert_eq!(records.len(), 2);
    let kinds = |rs: &[serde_json::Value]| -> Vec<String> {
        rs.iter()
            .map(|r| {
                format!(
                    "{} {}",
                    r["kind"].as_str().expect("text"),
                    r["email"].as_str().expect("text")
                )
            })
            .collect()
    };
    assert_eq!(
        kinds(&records),
        [
            "course.completed ada@acme.test",
            "evaluation.failed ada@acme.test"
        ]
    );
    assert_eq!(records[0]["course_title"], "Pricing quiz");
    assert_eq!(records[0]["course_version"], 1);
    assert_eq!(records[0]["name"], "Ada Lovelace");
    assert_eq!(records[0]["score"], serde_json::Value::Null);
    assert_eq!(records[1]["score"], 0.0);
    assert_eq!(records[1]["max"], 2.0);
    assert_eq!(records[1]["percent"], 0);
    assert_eq!(records[1]["passed"], false);
    assert_eq!(page["next"], records[1]["cursor"]);

    // The rest, from the cursor kept: the passed attempt.
    let next = page["next"].as_str().expect("text").to_owned();
    let rest = pull(&root, &format!("/crm/records?since={next}"), 1).await;
    let after: Vec<serde_json::Value> = rest["records"].as_array().expect("array").clone();
    assert_eq!(kinds(&after), ["evaluation.passed ada@acme.test"], "{rest}");
    assert_eq!(after[0]["percent"], 100);
    assert_eq!(after[0]["passed"], true);
    assert_eq!(rest["has_more"], false);
    let kept = rest["next"].as_str().expect("text").to_owned();

    // The second course awards a certificate for a year.
    t.api(&token_for(&t, "cleo@acme.test").await)
        .send(
            reqwest::Method::PUT,
            &format!("/courses/{second}/certificates/rules"),
            Some(serde_json::json!({"awards": true, "validity_days": 365, "reminder_days": [30]})),
        )
        .await
        .expect_status(StatusCode::OK);

    // Bob finishes both courses of his path: two completions, a certificate, then the path.
    for course in [first, second] {
        finish(&t, &bob, course).await;
    }
    let new = pull(&root, &format!("/crm/records?since={kept}"), 4).await;
    let new_records = new["records"].as_array().expect("array").clone();
    assert_eq!(
        kinds(&new_records),
        [
            "course.completed bob@acme.test",
            "course.completed bob@acme.test",
            "certificate.awarded bob@acme.test",
            "path.completed bob@acme.test"
        ],
        "only what happened since the kept cursor: {new}"
    );
    assert_eq!(new_records[2]["course_title"], "Run a demo");
    assert!(new_records[2]["certificate_id"].as_i64().is_some(), "{new}");
    let expires = new_records[2]["expires_at"].as_str().expect("expires");
    let awarded = new_records[2]["at"].as_str().expect("at");
    assert!(expires > awarded, "{expires} after {awarded}");
    assert_eq!(new_records[3]["path_id"], path);
    assert_eq!(new_records[3]["path_title"], "Sales onboarding");
    assert_eq!(new_records[0]["course_title"], "Know the product");

    // Asked again from the same cursor: the same records (a failed pull loses nothing).
    let again = root
        .send(
            reqwest::Method::GET,
            &format!("/crm/records?since={kept}"),
            None,
        )
        .await
        .json();
    assert_eq!(again["records"], new["records"]);

    // The same records as CSV, the next cursor in a header; and on the admin page.
    let csv = root
        .send(
            reqwest::Method::GET,
            &format!("/crm/records.csv?since={kept}"),
            None,
        )
        .await;
    csv.expect_status(StatusCode::OK);
    let next_header = csv
        .headers
        .get("lore-next-cursor")
        .and_then(|v| v.to_str().ok());
    assert_eq!(next_header, new["next"].as_str());
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines.len(), 5, "{}", csv.body);
    assert!(lines[0].starts_with("cursor,kind,email,name,at,"));
    assert!(
        lines[4].contains(",path.completed,bob@acme.test,Bob Builder,"),
        "{}",
        lines[4]
    );
    let admin = t.signed_in("root@acme.test").await;
    admin
        .get("/admin/crm")
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Evaluation failed")
        .expect_contains("Path completed")
        .expect_contains("Certificate awarded")
        .expect_contains("Sales onboarding");
    let file = admin.get(&format!("/admin/crm.csv?since={kept}")).await;
    file.expect_status(StatusCode::OK);
    assert_eq!(file.body.lines().count(), 5);
    admin
        .get("/admin")
        .await
        .expect_contains("href=\"/admin/crm\"");

    // A learner is refused; bad cursors and limits are a clear 422.
    let learner = t.api(&token_for(&t, "ada@acme.test").await);
    learner
        .send(reqwest::Method::GET, "/crm/records", None)
        .await
        .expect_status(StatusCode::FORBIDDEN);
    t.signed_in("ada@acme.test")
        .await
        .get("/admin/crm")
        .await
        .expect_status(StatusCode::FORBIDDEN);
    for bad in ["since=yesterday", "since=12", "limit=0", "limit=10001"] {
        let r = root
            .send(reqwest::Method::GET, &format!("/crm/records?{bad}"), None)
            .await;
        r.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("\"invalid_input\""), "{bad}: {}", r.body);
    }
    admin
        .get("/admin/crm?since=nonsense")
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
}
story!(crm_feed_pulls_achievements_incrementally);
