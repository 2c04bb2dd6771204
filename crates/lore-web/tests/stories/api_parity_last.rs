//! API parity, the last rows of the audit (issue 17; docs/decisions/0052 and 0054): a question
//! CSV into the final evaluation, a GIFT text into a question step, who may write a group's
//! courses, assigning the people of a CSV file, and the calendar feed's address — each through
//! the use case its page calls, all or none, and permission asked before any body is read.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::api_people::{api, code, place};
use crate::story;
use crate::support::{Api, TestApp};

/// Acme with Aki (author), Cleo (coach), Gus (group admin), Ada and Cy (learners); Other Co
/// with Eve (learner). Returns Aki's caller and Acme's id.
async fn people(t: &TestApp) -> (lore_app::Caller, i64) {
    let acme = t.group(None, "Acme").await;
    let other = t.group(None, "Other Co").await;
    place(
        t,
        &[
            ("aki@acme.test", "Aki Author", "author", acme),
            ("cleo@acme.test", "Cleo Coach", "coach", acme),
            ("gus@acme.test", "Gus Admin", "admin", acme),
            ("ada@acme.test", "Ada Lovelace", "learner", acme),
            ("cy@acme.test", "Cy Young", "learner", acme),
            ("eve@other.test", "Eve Elsewhere", "learner", other),
        ],
    )
    .await;
    (t.caller("aki@acme.test").await, acme)
}

/// The lines of an `import_rejected` answer.
fn bad_lines(body: &str) -> Vec<u64> {
    serde_json::from_str::<Value>(body).expect("json")["error"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["line"].as_u64().expect("line"))
        .collect()
}

/// The draft's questions: (kind, prompt, step key).
async fn questions(aki: &Api, course: i64) -> Vec<(String, String, Option<String>)> {
    let listed = aki
        .get(&format!("/courses/{course}/evaluation/questions"))
        .await;
    listed.expect_status(StatusCode::OK);
    listed.json()["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| {
            (
                q["question"]["kind"].as_str().expect("kind").to_owned(),
                q["question"]["prompt"].as_str().expect("prompt").to_owned(),
                q["step_key"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

const GOOD_CSV: &str = "kind,prompt,points,options,correct\n\
                        single_choice,Which port does HTTPS use?,2,80;443;22,b\n\
                        true_false,TLS 1.0 is still safe.,,,false\n";

/// An author adds questions from a question CSV and from GIFT into a question step, as the
/// editor's boxes do: a learner is refused (403) whatever she sends, a file with a bad row
/// adds nothing and names the row, a step of another kind refuses GIFT, and what was added
/// is in the draft where it was sent.
async fn an_author_imports_questions_through_the_api(t: TestApp) {
    let (aki_caller, _) = people(&t).await;
    let course = t.published_course(&aki_caller, "Pager duty").await;
    let (aki, ada, eve) = (
        api(&t, "aki@acme.test").await,
        api(&t, "ada@acme.test").await,
        api(&t, "eve@other.test").await,
    );
    let csv = format!("/courses/{course}/questions/csv");

    // Not hers to edit: 403 before the body is read (no CSV, or not even the right type);
    // a course she cannot see: 404.
    for (content_type, body) in [("text/csv", GOOD_CSV), ("application/json", "{}")] {
        let refused = ada
            .send_raw(Method::POST, &csv, content_type, body.as_bytes().to_vec())
            .await;
        refused.expect_status(StatusCode::FORBIDDEN);
        assert_eq!(code(&refused.body), "forbidden");
    }
    eve.send_raw(Method::POST, &csv, "text/csv", GOOD_CSV.as_bytes().to_vec())
        .await
        .expect_status(StatusCode::NOT_FOUND);

    // Bad input from the author changes nothing: a bad row (named by its line), GIFT sent
    // as CSV, the wrong content type, an empty file.
    let bad = "kind,prompt,options,correct\n\
               single_choice,Fine?,yes;no,a\n\
               single_choice,No right option?,yes;no,\n\
               hologram,What?,,\n";
    let refused = aki
        .send_raw(Method::POST, &csv, "text/csv", bad.as_bytes().to_vec())
        .await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code(&refused.body), "import_rejected");
    assert_eq!(bad_lines(&refused.body), [3, 4], "{}", refused.body);
    for (content_type, body) in [
        ("text/csv", "What is 2+2? {=4 ~3 ~5}"),
        ("text/plain", GOOD_CSV),
        ("text/csv", ""),
    ] {
        aki.send_raw(Method::POST, &csv, content_type, body.as_bytes().to_vec())
            .await
            .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert!(questions(&aki, course).await.is_empty(), "nothing added");

    // The good file: both questions, in the final evaluation.
    let added = aki
        .send_raw(Method::POST, &csv, "text/csv", GOOD_CSV.as_bytes().to_vec())
        .await;
    added.expect_status(StatusCode::CREATED);
    assert_eq!(added.json()["added"], 2);
    assert_eq!(
        questions(&aki, course).await,
        [
            (
                "single_choice".to_owned(),
                "Which port does HTTPS use?".to_owned(),
                None
            ),
            (
                "true_false".to_owned(),
                "TLS 1.0 is still safe.".to_owned(),
                None
            ),
        ]
    );

    // GIFT into a step: only a step of kind `question` takes it.
    let step = |kind: &str| json!({"kind": kind, "title": format!("A {kind} step"), "body": "Check yourself."});
    let mut step_ids = Vec::new();
    for kind in ["question", "text"] {
        let r = aki
            .send(
                Method::POST,
                &format!("/courses/{course}/draft/steps"),
                Some(step(kind)),
            )
            .await;
        r.expect_status(StatusCode::CREATED);
        step_ids.push(r.json()["id"].as_i64().expect("step id"));
    }
    let (quiz_step, text_step) = (step_ids[0], step_ids[1]);
    let into = |step: i64| format!("/courses/{course}/draft/steps/{step}/questions");
    let gift = "::Pager:: Who answers first? {=The primary ~The lead ~Nobody}\n\n\
                Escalate after 15 minutes. {T}\n";
    for body in [json!({"gift": gift}), json!({"nope": 1})] {
        let refused = ada.send(Method::POST, &into(quiz_step), Some(body)).await;
        refused.expect_status(StatusCode::FORBIDDEN);
    }
    let not_quiz = aki
        .send(Method::POST, &into(text_step), Some(json!({"gift": gift})))
        .await;
    not_quiz.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(not_quiz.json()["error"]["field"], "step");
    aki.send(Method::POST, &into(999_999), Some(json!({"gift": gift})))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    let broken = aki
        .send(
            Method::POST,
            &into(quiz_step),
            Some(json!({"gift": "Fine? {=yes ~no}\n\nBroken? {=yes ~no\n"})),
        )
        .await;
    broken.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code(&broken.body), "import_rejected");
    aki.send(Method::POST, &into(quiz_step), Some(json!({"gift": 7})))
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    // A text over 100,000 characters is refused whole by the use case, so the editor's form
    // refuses it as the API does.
    let too_long = format!("{gift}{}", "x".repeat(100_001 - gift.chars().count()));
    let refused = aki
        .send(
            Method::POST,
            &into(quiz_step),
            Some(json!({"gift": too_long})),
        )
        .await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code(&refused.body), "invalid_input");
    assert_eq!(refused.json()["error"]["field"], "gift");
    let editor = t.signed_in("aki@acme.test").await;
    editor.get(&format!("/courses/{course}/edit")).await;
    let page = editor
        .post(
            &format!("/courses/{course}/edit/steps/{quiz_step}/questions"),
            &[("gift", too_long.as_str())],
        )
        .await;
    page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("The text has 100001 characters"),
        "the editor says why"
    );
    assert!(
        page.body
            .contains(&format!("{}</textarea>", "x".repeat(50))),
        "the refused text is in the step's field again"
    );
    assert_eq!(questions(&aki, course).await.len(), 2, "nothing added");

    let added = aki
        .send(Method::POST, &into(quiz_step), Some(json!({"gift": gift})))
        .await;
    added.expect_status(StatusCode::CREATED);
    assert_eq!(added.json()["added"], 2);
    let now = questions(&aki, course).await;
    assert_eq!(now.len(), 4);
    let in_step: Vec<&(String, String, Option<String>)> =
        now.iter().filter(|q| q.2.is_some()).collect();
    assert_eq!(in_step.len(), 2, "{now:?}");
    assert_eq!(in_step[0].1, "Who answers first?");
    assert_eq!(in_step[1].0, "true_false");
}
story!(an_author_imports_questions_through_the_api);

/// A group's administrator says who may write its courses, as the group page's setting does:
/// anyone who sees the group reads it, only its administrators change it (a learner is
/// refused whatever she sends), an unknown role changes nothing, and the rule holds at once
/// for a learner who tries to write a course there.
async fn a_group_admin_sets_who_may_write_courses_through_the_api(t: TestApp) {
    let (_, acme) = people(&t).await;
    let (gus, ada, eve) = (
        api(&t, "gus@acme.test").await,
        api(&t, "ada@acme.test").await,
        api(&t, "eve@other.test").await,
    );
    let address = format!("/groups/{acme}/authoring");
    let read = ada.get(&address).await;
    read.expect_status(StatusCode::OK);
    assert_eq!(read.json(), json!({"role": "learner"}));
    eve.get(&address).await.expect_status(StatusCode::NOT_FOUND);

    for body in [
        json!({"role": "author"}),
        json!({"role": "wizard"}),
        json!([]),
    ] {
        let refused = ada.send(Method::PUT, &address, Some(body)).await;
        refused.expect_status(StatusCode::FORBIDDEN);
        assert_eq!(code(&refused.body), "forbidden");
    }
    eve.send(Method::PUT, &address, Some(json!({"role": "author"})))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    for bad in [json!({"role": "wizard"}), json!({"role": 3}), json!({})] {
        gus.send(Method::PUT, &address, Some(bad))
            .await
            .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(ada.get(&address).await.json()["role"], "learner");

    // Before: Ada may write a course for Acme.
    let course = |title: &str| json!({"title": title, "group_id": acme});
    ada.send(Method::POST, "/courses", Some(course("Ada's notes")))
        .await
        .expect_status(StatusCode::CREATED);
    let saved = gus
        .send(Method::PUT, &address, Some(json!({"role": "author"})))
        .await;
    saved.expect_status(StatusCode::OK);
    assert_eq!(saved.json(), json!({"role": "author"}));
    assert_eq!(ada.get(&address).await.json()["role"], "author");
    // After: she may not; the audit log has the change.
    let refused = ada
        .send(Method::POST, "/courses", Some(course("More notes")))
        .await;
    assert!(
        refused.status == StatusCode::FORBIDDEN
            || refused.status == StatusCode::UNPROCESSABLE_ENTITY,
        "{} {}",
        refused.status,
        refused.body
    );
    let audit = t
        .app
        .store()
        .audit_rows(&lore_store::AuditFilter::default(), 100)
        .await
        .expect("audit");
    let row = audit
        .iter()
        .find(|r| r.action == "authoring_role_changed")
        .expect("the change is audited");
    assert_eq!(row.actor_name, "Gus Admin");
    assert!(row.detail.contains("was learner"), "{}", row.detail);
}
story!(a_group_admin_sets_who_may_write_courses_through_the_api);

/// A coach assigns a course to the people of a CSV file, as the assign page's upload does:
/// a learner is refused before her file is read, a file with an unknown address assigns
/// nobody and names the line, bad due dates and reminders are refused, and a good file
/// reaches each person once, with the due date.
async fn a_coach_assigns_the_people_of_a_csv_file_through_the_api(t: TestApp) {
    let (aki_caller, _) = people(&t).await;
    let course = t.published_course(&aki_caller, "Pager duty").await;
    let (cleo, ada, cy) = (
        api(&t, "cleo@acme.test").await,
        api(&t, "ada@acme.test").await,
        api(&t, "cy@acme.test").await,
    );
    let address = |query: &str| format!("/assignments/csv?target=course:{course}{query}");
    let good = "email\nada@acme.test\ncy@acme.test\n";

    for (content_type, body) in [("text/csv", good), ("application/json", "{}")] {
        let refused = ada
            .send_raw(
                Method::POST,
                &address(""),
                content_type,
                body.as_bytes().to_vec(),
            )
            .await;
        refused.expect_status(StatusCode::FORBIDDEN);
    }

    let unknown = "email\nada@acme.test\nnobody@acme.test\nnot-an-address\n";
    let refused = cleo
        .send_raw(
            Method::POST,
            &address(""),
            "text/csv",
            unknown.as_bytes().to_vec(),
        )
        .await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code(&refused.body), "import_rejected");
    assert_eq!(bad_lines(&refused.body), [3, 4], "{}", refused.body);
    for (query, content_type) in [
        ("&due_at=next-week", "text/csv"),
        ("&due_days=7&due_at=2030-01-01T00:00:00Z", "text/csv"),
        ("&remind_before=0", "text/csv"),
        ("&remind_overdue=400", "text/csv"),
        ("", "text/plain"),
    ] {
        let r = cleo
            .send_raw(
                Method::POST,
                &address(query),
                content_type,
                good.as_bytes().to_vec(),
            )
            .await;
        r.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(code(&r.body), "invalid_input", "{query}: {}", r.body);
    }
    cleo.send_raw(
        Method::POST,
        "/assignments/csv?target=course:999999",
        "text/csv",
        good.as_bytes().to_vec(),
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);
    for who in [&ada, &cy] {
        let mine = who.get("/me/assignments").await;
        mine.expect_status(StatusCode::OK);
        assert_eq!(mine.json(), json!([]), "nobody assigned yet");
    }

    let assigned = cleo
        .send_raw(
            Method::POST,
            &address("&due_days=14&remind_before=7,1"),
            "text/csv",
            good.as_bytes().to_vec(),
        )
        .await;
    assigned.expect_status(StatusCode::CREATED);
    assert_eq!(assigned.json()["people_reached"], 2, "{}", assigned.body);
    for who in [&ada, &cy] {
        let mine = who.get("/me/assignments").await.json();
        let mine = mine.as_array().expect("assignments");
        assert_eq!(mine.len(), 1, "{mine:?}");
        assert_eq!(mine[0]["target_id"], course);
        assert!(mine[0]["due_at"].is_string(), "{mine:?}");
    }
}
story!(a_coach_assigns_the_people_of_a_csv_file_through_the_api);

/// A learner makes her calendar feed's address through the API, as the account page does:
/// the address is shown once and works without a session, a new one replaces it, and
/// turning it off stops it at once.
async fn a_learner_manages_her_calendar_feed_through_the_api(t: TestApp) {
    let (aki_caller, _) = people(&t).await;
    let course = t.published_course(&aki_caller, "Pager duty").await;
    let (ada, cleo) = (
        api(&t, "ada@acme.test").await,
        api(&t, "cleo@acme.test").await,
    );
    cleo.send(
        Method::POST,
        "/assignments",
        Some(
            json!({"target": format!("course:{course}"), "emails": ["ada@acme.test"],
                    "due_days": 10}),
        ),
    )
    .await
    .expect_status(StatusCode::CREATED);

    let state = ada.get("/me/calendar").await;
    state.expect_status(StatusCode::OK);
    assert_eq!(state.json(), json!({"active": false, "since": null}));

    let made = ada.send(Method::POST, "/me/calendar", None).await;
    made.expect_status(StatusCode::CREATED);
    let first = made.json()["url"].as_str().expect("url").to_owned();
    let path_of = |url: &str| url[url.find("/calendar/").expect("feed path")..].to_owned();
    let feed = t.browser().get(&path_of(&first)).await;
    feed.expect_status(StatusCode::OK);
    assert!(feed.body.contains("BEGIN:VCALENDAR"), "{}", feed.body);
    assert!(feed.body.contains("Pager duty"), "{}", feed.body);
    let state = ada.get("/me/calendar").await.json();
    assert_eq!(state["active"], true);
    assert!(state["since"].is_string(), "{state}");
    assert!(
        !state.to_string().contains(&path_of(&first)),
        "never shown again"
    );

    // A new address replaces the old one; off means off.
    let second = ada.send(Method::POST, "/me/calendar", None).await.json()["url"]
        .as_str()
        .expect("url")
        .to_owned();
    assert_ne!(first, second);
    t.browser()
        .get(&path_of(&first))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    t.browser()
        .get(&path_of(&second))
        .await
        .expect_status(StatusCode::OK);
    ada.send(Method::DELETE, "/me/calendar", None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    t.browser()
        .get(&path_of(&second))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    assert_eq!(
        ada.get("/me/calendar").await.json(),
        json!({"active": false, "since": null})
    );
    // Each person's feed is their own: Cleo's state is untouched by Ada's.
    assert_eq!(cleo.get("/me/calendar").await.json()["active"], false);
    // Without a token: 401.
    let anonymous = t.api("");
    anonymous
        .get("/me/calendar")
        .await
        .expect_status(StatusCode::UNAUTHORIZED);
}
story!(a_learner_manages_her_calendar_feed_through_the_api);
