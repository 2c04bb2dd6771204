//! API parity (issue 17, item 2; docs/decisions/0049): what the pages do, the API does, through
//! the same use cases — the events feed for reporting tools, enrolment and progress, the
//! player, evaluations and attempts, and authoring.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::api::token_for;
use crate::story;
use crate::support::{Api, TestApp};

/// Every event the store holds, by id, oldest first.
async fn stored_event_ids(t: &TestApp) -> Vec<i64> {
    t.app
        .store()
        .events_after(0, 10_000)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.id)
        .collect()
}

/// The whole feed once it shows `count` events. On PostgreSQL the feed shows only events of
/// transactions older than every running one on the server, and other stories run at once.
async fn whole_feed(api: &Api, count: usize) -> Value {
    for _ in 0..200 {
        let page = api.send(Method::GET, "/events?limit=1000", None).await;
        page.expect_status(StatusCode::OK);
        let page = page.json();
        if page["events"].as_array().map_or(0, Vec::len) >= count {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the feed shows fewer than {count} events after 20 s");
}

fn ids(events: &Value) -> Vec<i64> {
    events
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["id"].as_i64().expect("id"))
        .collect()
}

/// A reporting tool pulls the event log from a cursor: oldest first, a page at a time, each
/// event once; new events come after the kept cursor; learners are refused and bad cursors
/// or limits are a clear 422.
async fn events_feed_pages_the_log_once_each(t: TestApp) {
    t.person("root@acme.test", "Rita Root", true).await;
    let acme = t.group(None, "Acme").await;
    let author = t.person("aki@acme.test", "Aki Author", false).await;
    t.member(author, acme, "author").await;
    let ada = t.person("ada@acme.test", "Ada Lovelace", false).await;
    t.member(ada, acme, "learner").await;
    let aki = t.caller("aki@acme.test").await;
    let ada_caller = t.caller("ada@acme.test").await;
    let root = t.api(&token_for(&t, "root@acme.test").await);

    let first = t.published_course(&aki, "Pager duty").await;
    let second = t.published_course(&aki, "Runbooks").await;
    for course in [first, second] {
        t.app.enrol(&ada_caller, course).await.expect("enrol");
    }
    let stored = stored_event_ids(&t).await;
    assert!(stored.len() >= 4, "publications and enrolments: {stored:?}");

    // The whole log, oldest first, with names a report needs.
    let whole = whole_feed(&root, stored.len()).await;
    assert_eq!(ids(&whole["events"]), stored);
    assert_eq!(whole["has_more"], false);
    let enrolled: Vec<&Value> = whole["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["verb"] == "enrolled")
        .collect();
    assert_eq!(enrolled.len(), 2, "{whole}");
    assert_eq!(enrolled[0]["user_name"], "Ada Lovelace");
    assert_eq!(enrolled[0]["course_id"], first);
    assert_eq!(enrolled[0]["course_title"], "Pager duty");
    assert!(enrolled[0]["occurred_at"].as_str().is_some_and(|a| a.ends_with('Z')));

    // Two at a time from the start: every event once, in the same order.
    let mut seen = Vec::new();
    let mut since = String::new();
    loop {
        let page = root
            .send(Method::GET, &format!("/events?limit=2&since={since}"), None)
            .await;
        page.expect_status(StatusCode::OK);
        let page = page.json();
        let got = ids(&page["events"]);
        assert!(got.len() <= 2);
        seen.extend(got);
        since = page["next"].as_str().expect("next").to_owned();
        if page["has_more"] == false {
            break;
        }
    }
    assert_eq!(seen, stored, "paging gets each event once");
    assert_eq!(since, whole["next"].as_str().expect("next"));

    // Something new: only it comes after the kept cursor; asked again, the same.
    let step = {
        let v = t
            .app
            .store()
            .version(first, 1)
            .await
            .expect("version")
            .expect("v1");
        t.app.store().steps_of(v.id).await.expect("steps")[0]
            .step_key
            .clone()
    };
    t.app
        .complete_step(&ada_caller, first, &step, 30)
        .await
        .expect("complete");
    let after = stored_event_ids(&t).await;
    let new: Vec<i64> = after[stored.len()..].to_vec();
    assert!(!new.is_empty());
    let mut next_page = Value::Null;
    for _ in 0..200 {
        next_page = root
            .send(Method::GET, &format!("/events?since={since}"), None)
            .await
            .json();
        if ids(&next_page["events"]).len() >= new.len() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(ids(&next_page["events"]), new, "{next_page}");
    let completed = next_page["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["verb"] == "completed-step")
        .expect("the completed step is in the feed");
    assert_eq!(completed["step_key"], step.as_str());
    assert_eq!(completed["user_name"], "Ada Lovelace");
    let again = root
        .send(Method::GET, &format!("/events?since={since}"), None)
        .await
        .json();
    assert_eq!(again["events"], next_page["events"]);

    // A learner is refused whatever they send; bad cursors and limits are 422.
    let learner = t.api(&token_for(&t, "ada@acme.test").await);
    for query in ["/events", "/events?since=nonsense"] {
        learner
            .send(Method::GET, query, None)
            .await
            .expect_status(StatusCode::FORBIDDEN);
    }
    for bad in ["since=yesterday", "since=12", "since=-1-2", "limit=0", "limit=1001"] {
        let r = root.send(Method::GET, &format!("/events?{bad}"), None).await;
        r.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("\"invalid_input\""), "{bad}: {}", r.body);
    }
}
story!(events_feed_pages_the_log_once_each);

/// A course of Aki's with two text steps, published; its id.
async fn two_step_course(t: &TestApp, aki: &lore_app::Caller, title: &str) -> i64 {
    let (id, published) = t
        .app
        .create_course_with_steps(
            aki,
            lore_app::courses::authoring::NewCourseWithSteps {
                title,
                group_id: None,
                steps: vec![
                    ("Why", "Pages wake people up."),
                    ("How", "Acknowledge within five minutes."),
                ],
                publish: true,
            },
        )
        .await
        .expect("course");
    assert_eq!(published, Some(1));
    id
}

/// A learner takes a course through the API alone: enrol, read progress, open steps, complete
/// them (the course completes), see it in "My learning", and move to a newer version; a coach
/// assigns the course to a person. Refusals are the stable codes: 409 `not_enrolled`, 404 for
/// a step not there, 403 before any input for someone who may not assign.
async fn a_learner_takes_a_course_through_the_api(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    let other = t.group(None, "Other Co").await;
    for (email, name, role, group) in [
        ("aki@acme.test", "Aki Author", "author", acme),
        ("cleo@acme.test", "Cleo Coach", "coach", acme),
        ("ada@acme.test", "Ada Lovelace", "learner", acme),
        ("bo@acme.test", "Bo Builder", "learner", acme),
        ("eve@other.test", "Eve Elsewhere", "learner", other),
    ] {
        let id = t.person(email, name, false).await;
        t.member(id, group, role).await;
    }
    let aki = t.caller("aki@acme.test").await;
    let course = two_step_course(&t, &aki, "Pager duty").await;
    let ada = t.api(&token_for(&t, "ada@acme.test").await);
    let base = format!("/courses/{course}");

    // Before enrolling: the player, progress and completing are 409 not_enrolled.
    for (method, path) in [
        (Method::GET, format!("{base}/enrolment")),
        (Method::POST, format!("{base}/player")),
        (Method::POST, format!("{base}/switch-latest")),
    ] {
        let r = ada.send(method.clone(), &path, None).await;
        r.expect_status(StatusCode::CONFLICT);
        assert!(r.body.contains("\"not_enrolled\""), "{method} {path}: {}", r.body);
    }

    // Enrol (twice: the same enrolment).
    let enrolled = ada.send(Method::POST, &format!("{base}/enrolment"), None).await;
    enrolled.expect_status(StatusCode::OK);
    let enrolled = enrolled.json();
    assert_eq!(enrolled["version"], 1);
    assert_eq!(enrolled["source"], "self");
    assert_eq!(enrolled["started_at"], Value::Null);
    let again = ada
        .send(Method::POST, &format!("{base}/enrolment"), None)
        .await
        .json();
    assert_eq!(again["registration"], enrolled["registration"]);

    let progress = ada.get(&format!("{base}/enrolment")).await;
    progress.expect_status(StatusCode::OK);
    let progress = progress.json();
    assert_eq!(progress["percent"], 0);
    assert_eq!(progress["resume_position"], 1);
    let steps = progress["steps"].as_array().expect("steps").clone();
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0]["title"], "Why");
    assert_eq!(steps[0]["done"], false);
    let (why, how) = (
        steps[0]["key"].as_str().expect("key").to_owned(),
        steps[1]["key"].as_str().expect("key").to_owned(),
    );

    // Open the first step: the visit starts the course.
    let step = ada.send(Method::POST, &format!("{base}/player"), None).await;
    step.expect_status(StatusCode::OK);
    let step = step.json();
    assert_eq!(step["position"], 1);
    assert_eq!(step["count"], 2);
    assert_eq!(step["title"], "Why");
    assert_eq!(step["body"], "Pages wake people up.");
    assert!(step["progress"]["enrolment"]["started_at"].is_string(), "{step}");
    ada.send(Method::POST, &format!("{base}/player"), Some(serde_json::json!({"position": 3})))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    ada.send(Method::POST, &format!("{base}/player"), Some(serde_json::json!({"position": 0})))
        .await
        .expect_status(StatusCode::NOT_FOUND);

    // Complete the first step: half done; a step not in the course is 404.
    let done = ada
        .send(
            Method::POST,
            &format!("{base}/steps/{why}/complete"),
            Some(serde_json::json!({"seconds": 30})),
        )
        .await;
    done.expect_status(StatusCode::OK);
    let done = done.json();
    assert_eq!(done["course_completed"], false);
    assert_eq!(done["progress"]["percent"], 50);
    assert_eq!(done["progress"]["steps"][0]["done"], true);
    ada.send(Method::POST, &format!("{base}/steps/s-nope/complete"), None)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    ada.send(
        Method::POST,
        &format!("{base}/steps/{how}/complete"),
        Some(serde_json::json!({"seconds": -1})),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);

    // Open the second, then complete it: the course is complete.
    let second = ada
        .send(Method::POST, &format!("{base}/player"), Some(serde_json::json!({"position": 2})))
        .await
        .json();
    assert_eq!(second["title"], "How");
    assert_eq!(
        ada.get(&format!("{base}/enrolment")).await.json()["resume_position"],
        2
    );
    let finished = ada
        .send(Method::POST, &format!("{base}/steps/{how}/complete"), None)
        .await
        .json();
    assert_eq!(finished["course_completed"], true, "{finished}");
    assert_eq!(finished["progress"]["percent"], 100);
    assert!(finished["progress"]["enrolment"]["completed_at"].is_string());
    let mine = ada.get("/me/learning").await;
    mine.expect_status(StatusCode::OK);
    let mine = mine.json();
    assert_eq!(mine["completed"][0]["course_id"], course, "{mine}");
    assert_eq!(mine["completed"][0]["percent"], 100);
    // The page shows the same (one use case).
    t.signed_in("ada@acme.test")
        .await
        .get("/learning")
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Pager duty");

    // A second version with a third step: switching keeps the two steps done.
    t.app
        .add_step(
            &aki,
            course,
            lore_app::courses::authoring::StepInput {
                kind: "text",
                title: "Escalate",
                body: "Call the lead after fifteen minutes.",
                required: true,
                ..Default::default()
            },
        )
        .await
        .expect("step");
    t.app.publish(&aki, course, "Escalation").await.expect("v2");
    let before = ada.get(&format!("{base}/enrolment")).await.json();
    assert_eq!(before["newer_version"], 2);
    let switched = ada
        .send(Method::POST, &format!("{base}/switch-latest"), None)
        .await;
    switched.expect_status(StatusCode::OK);
    assert_eq!(switched.json()["version"], 2);
    let after = ada.get(&format!("{base}/enrolment")).await.json();
    assert_eq!(after["enrolment"]["version"], 2);
    assert_eq!(after["percent"], 66);
    assert_eq!(after["newer_version"], Value::Null);

    // Someone the course is not for does not see it.
    let eve = t.api(&token_for(&t, "eve@other.test").await);
    eve.send(Method::POST, &format!("{base}/enrolment"), None)
        .await
        .expect_status(StatusCode::NOT_FOUND);

    // A coach assigns it to Bo with a due date; Bo sees it in "My learning".
    let cleo = t.api(&token_for(&t, "cleo@acme.test").await);
    let due = (t.app.now() + time::Duration::days(14))
        .format(&time::format_description::well_known::Rfc3339)
        .expect("date");
    let assigned = cleo
        .send(
            Method::POST,
            &format!("{base}/assign"),
            Some(serde_json::json!({"email": "bo@acme.test", "due_at": due})),
        )
        .await;
    assigned.expect_status(StatusCode::OK);
    assert_eq!(assigned.json()["source"], "assigned");
    let bo = t.api(&token_for(&t, "bo@acme.test").await);
    let bo_learning = bo.get("/me/learning").await.json();
    assert_eq!(bo_learning["assigned"][0]["course_id"], course, "{bo_learning}");
    assert!(bo_learning["assigned"][0]["due_at"].is_string());
    // Bad input is 422 and assigns nobody; a learner is refused before the body is read.
    let past = (t.app.now() - time::Duration::days(1))
        .format(&time::format_description::well_known::Rfc3339)
        .expect("date");
    for body in [
        serde_json::json!({"email": "not an address"}),
        serde_json::json!({"email": "nobody@acme.test"}),
        serde_json::json!({"email": "eve@other.test"}),
        serde_json::json!({"email": "ada@acme.test", "due_at": past}),
        serde_json::json!({}),
    ] {
        cleo.send(Method::POST, &format!("{base}/assign"), Some(body.clone()))
            .await
            .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    for body in [serde_json::json!({}), serde_json::json!({"email": "bo@acme.test"})] {
        ada.send(Method::POST, &format!("{base}/assign"), Some(body))
            .await
            .expect_status(StatusCode::FORBIDDEN);
    }
    let ada_learning = ada.get("/me/learning").await.json();
    assert_eq!(ada_learning["assigned"], serde_json::json!([]));
}
story!(a_learner_takes_a_course_through_the_api);

