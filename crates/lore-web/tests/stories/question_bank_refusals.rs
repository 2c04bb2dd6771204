//! What the question banks' API and pages refuse, with the status and code the document
//! states (decision 0037): a group or bank that does not exist is 404, a name the group's
//! banks have already is 409 `name_taken` (the page keeps what was typed), a name typed over
//! two lines becomes one line. Nothing is added by a refusal.

use lore_app::courses::authoring::NewCourse;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::api::token_for;
use crate::story;
use crate::support::TestApp;

async fn banks_refuse_missing_references_and_taken_names(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, eng, "author").await;
    let api = t.api(&token_for(&t, "ada@acme.test").await);

    let missing = api
        .send(
            Method::POST,
            "/question-banks",
            Some(json!({"group_id": 987_654, "name": "Nowhere"})),
        )
        .await;
    missing.expect_status(StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"]["code"], "not_found");

    let created = api
        .send(
            Method::POST,
            "/question-banks",
            Some(json!({"group_id": eng, "name": "Security\n\tbasics"})),
        )
        .await;
    created.expect_status(StatusCode::CREATED);
    assert_eq!(created.json()["name"], "Security basics");
    let bank = created.json()["id"].as_i64().expect("bank id");

    let again = api
        .send(
            Method::POST,
            "/question-banks",
            Some(json!({"group_id": eng, "name": "Security basics"})),
        )
        .await;
    again.expect_status(StatusCode::CONFLICT);
    assert_eq!(again.json()["error"]["code"], "name_taken");

    // The page says the same on its form, with the name still typed in.
    let page = t.signed_in("ada@acme.test").await;
    page.get("/question-banks")
        .await
        .expect_contains("Security basics");
    page.post(
        "/question-banks",
        &[
            ("group_id", eng.to_string().as_str()),
            ("name", "Security basics"),
        ],
    )
    .await
    .expect_status(StatusCode::CONFLICT)
    .expect_contains("has a bank of that name already")
    .expect_contains("value=\"Security basics\"");
    let banks = api.get("/question-banks").await.json();
    assert_eq!(banks.as_array().map(Vec::len), Some(1), "{banks}");

    // A draw from a bank that does not exist is 404; the draft keeps drawing nothing.
    let course = t
        .app
        .create_course(
            &t.caller("ada@acme.test").await,
            NewCourse {
                title: "Keys",
                group_id: None,
                first_step_title: "Read",
                first_step_body: "Rotate.",
            },
        )
        .await
        .expect("course");
    let draw = format!("/courses/{course}/evaluation/draw");
    let nowhere = api
        .send(
            Method::PUT,
            &draw,
            Some(json!({"bank_id": bank + 1000, "count": 1})),
        )
        .await;
    nowhere.expect_status(StatusCode::NOT_FOUND);
    assert!(api.get(&draw).await.json().is_null());
}
story!(banks_refuse_missing_references_and_taken_names);
