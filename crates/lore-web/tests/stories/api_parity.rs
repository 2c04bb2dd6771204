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
    assert!(
        enrolled[0]["occurred_at"]
            .as_str()
            .is_some_and(|a| a.ends_with('Z'))
    );

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
    for bad in [
        "since=yesterday",
        "since=12",
        "since=-1-2",
        "limit=0",
        "limit=1001",
    ] {
        let r = root
            .send(Method::GET, &format!("/events?{bad}"), None)
            .await;
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
        assert!(
            r.body.contains("\"not_enrolled\""),
            "{method} {path}: {}",
            r.body
        );
    }

    // Enrol (twice: the same enrolment).
    let enrolled = ada
        .send(Method::POST, &format!("{base}/enrolment"), None)
        .await;
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
    let step = ada
        .send(Method::POST, &format!("{base}/player"), None)
        .await;
    step.expect_status(StatusCode::OK);
    let step = step.json();
    assert_eq!(step["position"], 1);
    assert_eq!(step["count"], 2);
    assert_eq!(step["title"], "Why");
    assert_eq!(step["body"], "Pages wake people up.");
    assert!(
        step["progress"]["enrolment"]["started_at"].is_string(),
        "{step}"
    );
    ada.send(
        Method::POST,
        &format!("{base}/player"),
        Some(serde_json::json!({"position": 3})),
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);
    ada.send(
        Method::POST,
        &format!("{base}/player"),
        Some(serde_json::json!({"position": 0})),
    )
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
        .send(
            Method::POST,
            &format!("{base}/player"),
            Some(serde_json::json!({"position": 2})),
        )
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
    assert_eq!(
        bo_learning["assigned"][0]["course_id"], course,
        "{bo_learning}"
    );
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
    for body in [
        serde_json::json!({}),
        serde_json::json!({"email": "bo@acme.test"}),
    ] {
        ada.send(Method::POST, &format!("{base}/assign"), Some(body))
            .await
            .expect_status(StatusCode::FORBIDDEN);
    }
    let ada_learning = ada.get("/me/learning").await.json();
    assert_eq!(ada_learning["assigned"], serde_json::json!([]));
}
story!(a_learner_takes_a_course_through_the_api);

/// A learner takes a course's exam through the API: start (and resume) an attempt, answer
/// one question at a time (an exam reveals nothing before), submit, read the result; a
/// submitted attempt never changes (409 `attempt_closed`); someone else's attempt is 404
/// whatever they send; the course's coach reads the item analysis, a learner may not.
async fn a_learner_takes_an_exam_through_the_api(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    for (email, name, role) in [
        ("aki@acme.test", "Aki Author", "author"),
        ("cleo@acme.test", "Cleo Coach", "coach"),
        ("ada@acme.test", "Ada Lovelace", "learner"),
        ("bo@acme.test", "Bo Builder", "learner"),
    ] {
        let id = t.person(email, name, false).await;
        t.member(id, acme, role).await;
    }
    let aki = t.caller("aki@acme.test").await;
    let course = t
        .app
        .create_course(
            &aki,
            lore_app::courses::authoring::NewCourse {
                title: "Key rotation",
                group_id: None,
                first_step_title: "Read",
                first_step_body: "Rotate keys every quarter.",
            },
        )
        .await
        .expect("course");
    for prompt in ["How often?", "Who rotates?"] {
        t.app
            .add_question(&aki, course, None, &crate::attention::choice(prompt))
            .await
            .expect("question");
    }
    t.app
        .save_evaluation_settings(
            &aki,
            course,
            &lore_app::evaluations::authoring::SettingsInput {
                mode: "exam",
                pass_mark: "50",
                max_attempts: "2",
                ..Default::default()
            },
        )
        .await
        .expect("settings");
    t.app.publish(&aki, course, "").await.expect("publish");
    let ada = t.api(&token_for(&t, "ada@acme.test").await);
    let bo = t.api(&token_for(&t, "bo@acme.test").await);
    let base = format!("/courses/{course}");

    assert_eq!(
        ada.get(&format!("{base}/attempts")).await.json(),
        serde_json::json!([])
    );
    let started = ada
        .send(Method::POST, &format!("{base}/attempts"), None)
        .await;
    started.expect_status(StatusCode::OK);
    let started = started.json();
    assert_eq!(started["mode"], "exam");
    assert_eq!(started["submitted_at"], Value::Null);
    assert_eq!(started["results"], Value::Null);
    let questions = started["questions"].as_array().expect("questions").clone();
    assert_eq!(questions.len(), 2);
    assert_eq!(questions[0]["question"]["prompt"], "How often?");
    assert_eq!(questions[0]["question"]["kind"], "single_choice");
    assert_eq!(questions[0]["question"]["options"][0]["id"], "a");
    assert!(
        !started.to_string().contains("\"correct\""),
        "an open exam shows no key: {started}"
    );
    let attempt = started["id"].as_i64().expect("id");
    let (k1, k2) = (
        questions[0]["key"].as_str().expect("key").to_owned(),
        questions[1]["key"].as_str().expect("key").to_owned(),
    );
    // Starting again resumes the open attempt.
    let resumed = ada
        .send(Method::POST, &format!("{base}/attempts"), None)
        .await
        .json();
    assert_eq!(resumed["id"], attempt);

    // Answers, one at a time; an exam reveals nothing before submission.
    let right = serde_json::json!({"kind": "choices", "value": ["a"]});
    let saved = ada
        .send(
            Method::PUT,
            &format!("/attempts/{attempt}/answers/{k1}"),
            Some(right.clone()),
        )
        .await;
    saved.expect_status(StatusCode::OK);
    assert_eq!(saved.json()["result"], Value::Null);
    ada.send(
        Method::PUT,
        &format!("/attempts/{attempt}/answers/{k2}"),
        Some(serde_json::json!({"kind": "choices", "value": ["b"]})),
    )
    .await
    .expect_status(StatusCode::OK);
    ada.send(
        Method::PUT,
        &format!("/attempts/{attempt}/answers/q-nope"),
        Some(right.clone()),
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);
    for bad in [
        serde_json::json!({"kind": "guess", "value": 1}),
        serde_json::json!({"kind": "choices"}),
        serde_json::json!({"value": ["a"]}),
    ] {
        ada.send(
            Method::PUT,
            &format!("/attempts/{attempt}/answers/{k1}"),
            Some(bad),
        )
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let shown = ada.get(&format!("/attempts/{attempt}")).await;
    shown.expect_status(StatusCode::OK);
    assert_eq!(shown.json()["questions"][0]["answer"], right);

    // Someone else's attempt is not there for them, whatever they send.
    bo.get(&format!("/attempts/{attempt}"))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    for body in [right.clone(), serde_json::json!({"nonsense": true})] {
        bo.send(
            Method::PUT,
            &format!("/attempts/{attempt}/answers/{k1}"),
            Some(body),
        )
        .await
        .expect_status(StatusCode::NOT_FOUND);
    }
    bo.send(Method::POST, &format!("/attempts/{attempt}/submit"), None)
        .await
        .expect_status(StatusCode::NOT_FOUND);

    // Submit: one of two right passes a 50 % mark; the results show the key now.
    let submitted = ada
        .send(Method::POST, &format!("/attempts/{attempt}/submit"), None)
        .await;
    submitted.expect_status(StatusCode::OK);
    let submitted = submitted.json();
    assert_eq!(submitted["score"], 1.0, "{submitted}");
    assert_eq!(submitted["max_score"], 2.0);
    assert_eq!(submitted["passed"], true);
    let results = submitted["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    let by_key = |k: &str| {
        results
            .iter()
            .find(|r| r["key"] == k)
            .expect("a result per question")
            .clone()
    };
    assert_eq!(by_key(&k1)["correct"], true);
    assert_eq!(by_key(&k2)["correct"], false);
    assert_eq!(by_key(&k2)["explanation"], "Because.");
    // It never changes again.
    for (method, path, body) in [
        (Method::POST, format!("/attempts/{attempt}/submit"), None),
        (
            Method::PUT,
            format!("/attempts/{attempt}/answers/{k2}"),
            Some(right.clone()),
        ),
    ] {
        let r = ada.send(method, &path, body).await;
        r.expect_status(StatusCode::CONFLICT);
        assert!(r.body.contains("\"attempt_closed\""), "{}", r.body);
    }
    let mine = ada.get(&format!("{base}/attempts")).await.json();
    assert_eq!(mine.as_array().map(Vec::len), Some(1));
    assert_eq!(mine[0]["passed"], true);
    // The page shows the same attempt submitted.
    t.signed_in("ada@acme.test")
        .await
        .get(&format!("/attempts/{attempt}"))
        .await
        .expect_status(StatusCode::OK);

    // Questions inside a step: none here; checking an unknown one is 404.
    let step = ada.get(&format!("{base}/enrolment")).await.json()["steps"][0]["key"]
        .as_str()
        .expect("key")
        .to_owned();
    assert_eq!(
        ada.get(&format!("{base}/steps/{step}/questions"))
            .await
            .json(),
        serde_json::json!([])
    );
    ada.send(
        Method::POST,
        &format!("{base}/steps/{step}/check"),
        Some(serde_json::json!({"answers": [{"key": "q-nope", "answer": right}]})),
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);

    // Item analysis: the coach reads it; a learner may not; a version not there is 404.
    let cleo = t.api(&token_for(&t, "cleo@acme.test").await);
    let analysis = cleo.get(&format!("{base}/item-analysis")).await;
    analysis.expect_status(StatusCode::OK);
    let analysis = analysis.json();
    assert_eq!(analysis["version"], 1);
    assert_eq!(analysis["summary"]["attempts"], 1);
    let items = analysis["questions"].as_array().expect("questions");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["prompt"], "How often?");
    assert_eq!(items[0]["responses"], 1);
    assert_eq!(items[0]["facility"], 1.0);
    assert_eq!(items[1]["facility"], 0.0);
    assert!(
        items[0]["flags"]
            .as_array()
            .is_some_and(|f| f.contains(&serde_json::json!("too_few_responses"))),
        "{analysis}"
    );
    ada.get(&format!("{base}/item-analysis"))
        .await
        .expect_status(StatusCode::FORBIDDEN);
    cleo.get(&format!("{base}/item-analysis?version=9"))
        .await
        .expect_status(StatusCode::NOT_FOUND);
}
story!(a_learner_takes_an_exam_through_the_api);

/// An author writes a course through the API alone: create it, read the draft, change its
/// fields and steps, publish, open a second version, publish it, list the versions and read
/// the diff; the course goes out as a zip and comes back as a new course. A learner is
/// refused before any input is read, a stale revision is 409, bad input is 422 and nothing
/// changes.
/// A refusal that tells nothing: 403, or 404 for what the caller may not even see.
fn refused(page: &crate::support::Page) {
    assert!(
        page.status == StatusCode::FORBIDDEN || page.status == StatusCode::NOT_FOUND,
        "{}: {}",
        page.status,
        page.body
    );
    assert!(!page.body.contains("Pages wake"), "{}", page.body);
}

async fn an_author_writes_a_course_through_the_api(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    for (email, name, role) in [
        ("aki@acme.test", "Aki Author", "author"),
        ("ada@acme.test", "Ada Lovelace", "learner"),
    ] {
        let id = t.person(email, name, false).await;
        t.member(id, acme, role).await;
    }
    // Nol is in no group: there is nowhere Nol may write.
    t.person("nol@acme.test", "Nol Nowhere", false).await;
    let aki = t.api(&token_for(&t, "aki@acme.test").await);
    let ada = t.api(&token_for(&t, "ada@acme.test").await);
    let nol = t.api(&token_for(&t, "nol@acme.test").await);

    // Someone who may write nowhere is refused, whatever the body.
    for body in [serde_json::json!({}), serde_json::json!({"title": "Mine"})] {
        nol.send(Method::POST, "/courses", Some(body))
            .await
            .expect_status(StatusCode::FORBIDDEN);
    }
    for bad in [
        serde_json::json!({}),
        serde_json::json!({"title": "   "}),
        serde_json::json!({"title": "x".repeat(151)}),
        serde_json::json!({"title": "Pager duty", "steps": [{"title": "", "body": "a"}, {"title": "", "body": "text without a title"}]}),
    ] {
        aki.send(Method::POST, "/courses", Some(bad.clone()))
            .await
            .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    // A group that does not exist is 404, as every missing reference is.
    aki.send(
        Method::POST,
        "/courses",
        Some(serde_json::json!({"title": "Pager duty", "group_id": 999_999})),
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);
    let created = aki
        .send(
            Method::POST,
            "/courses",
            Some(serde_json::json!({
                "title": "Pager duty",
                "steps": [{"title": "Why", "body": "Pages wake people up."},
                          {"title": "How", "body": "Acknowledge within five minutes."}]
            })),
        )
        .await;
    created.expect_status(StatusCode::CREATED);
    let created = created.json();
    assert_eq!(created["published_version"], Value::Null);
    let course = created["id"].as_i64().expect("id");
    let base = format!("/courses/{course}");

    let draft = aki.get(&format!("{base}/draft")).await;
    draft.expect_status(StatusCode::OK);
    let draft = draft.json();
    assert_eq!(draft["version"], 1);
    assert_eq!(draft["state"], "draft");
    assert_eq!(draft["steps"].as_array().map(Vec::len), Some(2));
    // Ada may not read the draft (the course is not even out yet).
    refused(&ada.get(&format!("{base}/draft")).await);

    // The course's fields: saved; a stale revision is 409 and changes nothing; bad input 422.
    let revision = draft["revision"].as_i64().expect("revision");
    let edited = aki
        .send(
            Method::PATCH,
            &format!("{base}/draft"),
            Some(serde_json::json!({
                "revision": revision, "summary": "For on-call engineers.",
                "tags": ["on-call", "pager"], "estimated_minutes": 10
            })),
        )
        .await;
    edited.expect_status(StatusCode::OK);
    let edited = edited.json();
    assert_eq!(edited["title"], "Pager duty");
    assert_eq!(edited["summary"], "For on-call engineers.");
    assert_eq!(edited["tags"], serde_json::json!(["on-call", "pager"]));
    assert_eq!(edited["estimated_minutes"], 10);
    let stale = aki
        .send(
            Method::PATCH,
            &format!("{base}/draft"),
            Some(serde_json::json!({"revision": revision, "title": "Overwritten"})),
        )
        .await;
    stale.expect_status(StatusCode::CONFLICT);
    for bad in [
        serde_json::json!({"title": ""}),
        serde_json::json!({"language": "not a language"}),
        serde_json::json!({"estimated_minutes": 0}),
        serde_json::json!({"colour": "red"}),
    ] {
        aki.send(Method::PATCH, &format!("{base}/draft"), Some(bad))
            .await
            .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(
        aki.get(&format!("{base}/draft")).await.json()["title"],
        "Pager duty"
    );
    for body in [serde_json::json!({}), serde_json::json!({"title": "Mine"})] {
        refused(
            &ada.send(Method::PATCH, &format!("{base}/draft"), Some(body))
                .await,
        );
    }

    // Steps: add one, save one, reorder, delete one.
    let added = aki
        .send(
            Method::POST,
            &format!("{base}/draft/steps"),
            Some(
                serde_json::json!({"kind": "text", "title": "Escalate", "body": "Call the lead."}),
            ),
        )
        .await;
    added.expect_status(StatusCode::CREATED);
    let added = added.json();
    assert_eq!(added["position"], 3);
    aki.send(
        Method::POST,
        &format!("{base}/draft/steps"),
        Some(serde_json::json!({"kind": "hologram", "title": "Nope"})),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let ids: Vec<i64> = aki.get(&format!("{base}/draft")).await.json()["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["id"].as_i64().expect("id"))
        .collect();
    let saved = aki
        .send(
            Method::PUT,
            &format!("{base}/draft/steps/{}", ids[1]),
            Some(serde_json::json!({"kind": "text", "title": "How", "body": "Acknowledge within two minutes."})),
        )
        .await;
    saved.expect_status(StatusCode::OK);
    assert_eq!(saved.json()["body"], "Acknowledge within two minutes.");
    aki.send(
        Method::PUT,
        &format!("{base}/draft/steps/999999"),
        Some(serde_json::json!({"kind": "text", "title": "How"})),
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);
    let reordered = aki
        .send(
            Method::PUT,
            &format!("{base}/draft/order"),
            Some(serde_json::json!({"step_ids": [ids[2], ids[0], ids[1]]})),
        )
        .await;
    reordered.expect_status(StatusCode::OK);
    assert_eq!(reordered.json()["steps"][0]["title"], "Escalate");
    aki.send(
        Method::PUT,
        &format!("{base}/draft/order"),
        Some(serde_json::json!({"step_ids": [ids[0]]})),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);

    // A file step without its file stops publishing: 409 `incomplete_step`, nothing published.
    let file_step = aki
        .send(
            Method::POST,
            &format!("{base}/draft/steps"),
            Some(serde_json::json!({"kind": "file", "title": "Checklist"})),
        )
        .await;
    file_step.expect_status(StatusCode::CREATED);
    let file_step = file_step.json()["id"].as_i64().expect("step id");
    let incomplete = aki
        .send(Method::POST, &format!("{base}/publish"), None)
        .await;
    incomplete.expect_status(StatusCode::CONFLICT);
    assert_eq!(incomplete.json()["error"]["code"], "incomplete_step");
    assert_eq!(
        aki.get(&format!("{base}/draft")).await.json()["state"],
        "draft"
    );
    aki.send(
        Method::DELETE,
        &format!("{base}/draft/steps/{file_step}"),
        None,
    )
    .await
    .expect_status(StatusCode::NO_CONTENT);

    // Publish version 1; publishing again with nothing changed is 409.
    let published = aki
        .send(Method::POST, &format!("{base}/publish"), None)
        .await;
    published.expect_status(StatusCode::OK);
    assert_eq!(published.json()["version"], 1);
    ada.send(
        Method::POST,
        &format!("{base}/publish"),
        Some(serde_json::json!({"note": 5})),
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);
    let again = aki
        .send(Method::POST, &format!("{base}/publish"), None)
        .await;
    again.expect_status(StatusCode::CONFLICT);
    assert!(again.body.contains("\"nothing_changed\""), "{}", again.body);

    // Version 2 changes a step; the diff shows it word by word.
    let draft2 = aki
        .send(
            Method::PATCH,
            &format!("{base}/draft"),
            Some(serde_json::json!({})),
        )
        .await
        .json();
    assert_eq!(draft2["version"], 2);
    let why = draft2["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["title"] == "Why")
        .expect("why")
        .clone();
    // A revision no step can have (the largest number) is stale, not a server error
    // (schemathesis found the sum overflowing); nothing changes.
    for revision in [i64::MAX, -1] {
        aki.send(
            Method::PUT,
            &format!("{base}/draft/steps/{}", why["id"]),
            Some(serde_json::json!({"revision": revision, "kind": "text", "title": "Why", "body": "Overwritten"})),
        )
        .await
        .expect_status(StatusCode::CONFLICT);
        aki.send(
            Method::PATCH,
            &format!("{base}/draft"),
            Some(serde_json::json!({"revision": revision, "title": "Overwritten"})),
        )
        .await
        .expect_status(StatusCode::CONFLICT);
    }
    aki.send(
        Method::PUT,
        &format!("{base}/draft/steps/{}", why["id"]),
        Some(serde_json::json!({"revision": why["revision"], "kind": "text", "title": "Why", "body": "Pages wake the whole team up."})),
    )
    .await
    .expect_status(StatusCode::OK);
    let v2 = aki
        .send(
            Method::POST,
            &format!("{base}/publish"),
            Some(serde_json::json!({"note": "Clearer why"})),
        )
        .await;
    v2.expect_status(StatusCode::OK);
    assert_eq!(v2.json()["version"], 2);
    let versions = ada.get(&format!("{base}/versions")).await;
    versions.expect_status(StatusCode::OK);
    let versions = versions.json();
    assert_eq!(versions.as_array().map(Vec::len), Some(2), "{versions}");
    assert_eq!(versions[1]["change_note"], "Clearer why");
    let diff = ada.get(&format!("{base}/versions/diff?from=1&to=2")).await;
    diff.expect_status(StatusCode::OK);
    let diff = diff.json();
    let steps = diff["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 1, "{diff}");
    assert_eq!(steps[0]["change"], "changed");
    assert!(
        steps[0]["diff"]
            .as_array()
            .expect("diff")
            .iter()
            .any(|p| p["op"] == "added" && p["text"].as_str().is_some_and(|t| t.contains("whole"))),
        "{diff}"
    );
    ada.get(&format!("{base}/versions/diff?from=1&to=9"))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    ada.get(&format!("{base}/versions/diff?from=1"))
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);

    // Out as a zip and back in as a new course; only an editor exports, only an author imports.
    let zip = aki.get(&format!("{base}/export.zip")).await;
    zip.expect_status(StatusCode::OK);
    assert_eq!(
        zip.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/zip")
    );
    ada.get(&format!("{base}/export.zip"))
        .await
        .expect_status(StatusCode::FORBIDDEN);
    let bytes = reqwest::Client::new()
        .get(format!("{}/api/v1{base}/export.zip", aki.base))
        .bearer_auth(&aki.token)
        .send()
        .await
        .expect("export")
        .bytes()
        .await
        .expect("bytes");
    let import = |token: String, body: Vec<u8>| {
        let url = format!("{}/api/v1/courses/import", aki.base);
        async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .header("content-type", "application/zip")
                .body(body)
                .send()
                .await
                .expect("import")
        }
    };
    let imported = import(aki.token.clone(), bytes.to_vec()).await;
    assert_eq!(imported.status(), StatusCode::CREATED);
    let imported: Value = imported.json().await.expect("json");
    let copy = imported["id"].as_i64().expect("id");
    assert_ne!(copy, course);
    let copy_draft = aki.get(&format!("/courses/{copy}/draft")).await.json();
    assert_eq!(copy_draft["title"], "Pager duty");
    assert_eq!(copy_draft["state"], "published");
    assert_eq!(copy_draft["steps"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        import(aki.token.clone(), b"not a zip".to_vec())
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        import(nol.token.clone(), bytes.to_vec()).await.status(),
        StatusCode::FORBIDDEN
    );
}
story!(an_author_writes_a_course_through_the_api);

/// A program uploads a file through the API (the editor's upload, one use case): it is
/// served by its hash; a file of the wrong kind, a missing purpose or a body that is not
/// multipart is a clear 422; without a token, 401.
async fn a_program_uploads_a_file_through_the_api(t: TestApp) {
    t.person("aki@acme.test", "Aki Author", false).await;
    let aki = t.api(&token_for(&t, "aki@acme.test").await);
    let url = format!("{}/api/v1/uploads", aki.base);
    let send = |form: reqwest::multipart::Form, token: Option<String>| {
        let url = url.clone();
        async move {
            let mut req = reqwest::Client::new().post(url).multipart(form);
            if let Some(token) = token {
                req = req.bearer_auth(token);
            }
            req.send().await.expect("upload")
        }
    };
    let png = || {
        reqwest::multipart::Part::bytes(crate::blobs::PNG_1X1.to_vec())
            .file_name("dot.png")
            .mime_str("image/png")
            .expect("mime")
    };
    let stored = send(
        reqwest::multipart::Form::new()
            .text("purpose", "image")
            .part("file", png()),
        Some(aki.token.clone()),
    )
    .await;
    assert_eq!(stored.status(), StatusCode::CREATED);
    let stored: Value = stored.json().await.expect("json");
    assert_eq!(stored["content_type"], "image/png");
    assert_eq!(stored["name"], "dot.png");
    // The file is served where the editor shows it (a page address, for signed-in people).
    let served = t
        .signed_in("aki@acme.test")
        .await
        .get(stored["url"].as_str().expect("url"))
        .await;
    served.expect_status(StatusCode::OK);
    assert_eq!(
        served
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/png")
    );

    for form in [
        reqwest::multipart::Form::new()
            .text("purpose", "video")
            .part("file", png()),
        reqwest::multipart::Form::new().part("file", png()),
        reqwest::multipart::Form::new().text("purpose", "image"),
    ] {
        let r = send(form, Some(aki.token.clone())).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.expect("text").contains("\"invalid_input\""));
    }
    let not_multipart = aki
        .send(
            Method::POST,
            "/uploads",
            Some(serde_json::json!({"file": "x"})),
        )
        .await;
    not_multipart.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        not_multipart.body.contains("\"invalid_input\""),
        "{}",
        not_multipart.body
    );
    let anonymous = send(
        reqwest::multipart::Form::new()
            .text("purpose", "image")
            .part("file", png()),
        None,
    )
    .await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}
story!(a_program_uploads_a_file_through_the_api);
