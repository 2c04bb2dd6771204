//! API parity, the rest (issue 17, item 2; docs/decisions/0051): archiving, restoring and
//! deleting a course; co-authors and audiences; the evaluation's settings and questions as
//! JSON; files on the draft — each through the use case its page calls, with the same
//! refusals, and permission asked before any body is read.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::api_people::{api, code, place};
use crate::story;
use crate::support::TestApp;

/// Acme with Aki (author), Ada (learner), Bo (author); Sales with Sam (learner); Other Co
/// with Eve (learner). Returns (Aki's caller, Sales' id).
async fn people(t: &TestApp) -> (lore_app::Caller, i64) {
    let acme = t.group(None, "Acme").await;
    let sales = t.group(None, "Sales").await;
    let other = t.group(None, "Other Co").await;
    place(
        t,
        &[
            ("aki@acme.test", "Aki Author", "author", acme),
            ("ada@acme.test", "Ada Lovelace", "learner", acme),
            ("bo@acme.test", "Bo Builder", "author", acme),
            ("sam@sales.test", "Sam Seller", "learner", sales),
            ("eve@other.test", "Eve Elsewhere", "learner", other),
        ],
    )
    .await;
    (t.caller("aki@acme.test").await, sales)
}

/// An author archives, restores and deletes courses through the API as the editor's
/// buttons do: archived courses leave learners' sight, a published course cannot be deleted
/// (409, archive it instead), a draft-only one can; a learner is refused (403) and someone
/// who cannot see the course gets 404, and nothing changes.
async fn an_author_archives_restores_and_deletes_through_the_api(t: TestApp) {
    let (aki_caller, _) = people(&t).await;
    let course = t.published_course(&aki_caller, "Pager duty").await;
    let (aki, ada, eve) = (
        api(&t, "aki@acme.test").await,
        api(&t, "ada@acme.test").await,
        api(&t, "eve@other.test").await,
    );
    let base = format!("/courses/{course}");

    for action in ["archive", "restore"] {
        ada.send(Method::POST, &format!("{base}/{action}"), None)
            .await
            .expect_status(StatusCode::FORBIDDEN);
        eve.send(Method::POST, &format!("{base}/{action}"), None)
            .await
            .expect_status(StatusCode::NOT_FOUND);
    }
    ada.send(Method::DELETE, &base, None)
        .await
        .expect_status(StatusCode::FORBIDDEN);
    ada.get(&base).await.expect_status(StatusCode::OK);

    // Archived: the learner no longer sees it; restored: she does again.
    aki.send(Method::POST, &format!("{base}/archive"), None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    ada.get(&base).await.expect_status(StatusCode::NOT_FOUND);
    aki.send(Method::POST, &format!("{base}/archive"), None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    aki.send(Method::POST, &format!("{base}/restore"), None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    ada.get(&base).await.expect_status(StatusCode::OK);

    // A published course is not deleted: 409, and it is still there.
    let refused = aki.send(Method::DELETE, &base, None).await;
    refused.expect_status(StatusCode::CONFLICT);
    assert_eq!(code(&refused.body), "conflict", "{}", refused.body);
    assert!(
        refused.body.contains("Archive it instead"),
        "{}",
        refused.body
    );
    ada.get(&base).await.expect_status(StatusCode::OK);

    // A course never published is deleted.
    let draft = aki
        .send(
            Method::POST,
            "/courses",
            Some(json!({"title": "Half an idea", "publish": false})),
        )
        .await;
    draft.expect_status(StatusCode::CREATED);
    let draft = draft.json()["id"].as_i64().expect("id");
    aki.get(&format!("/courses/{draft}/draft"))
        .await
        .expect_status(StatusCode::OK);
    aki.send(Method::DELETE, &format!("/courses/{draft}"), None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    aki.get(&format!("/courses/{draft}/draft"))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    aki.send(Method::DELETE, &format!("/courses/{draft}"), None)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    aki.send(Method::DELETE, "/courses/first", None)
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
}
story!(an_author_archives_restores_and_deletes_through_the_api);

/// An author names co-authors by email and offers the course to another group through the
/// API, as the editor's people section does: a co-author may edit the draft until removed;
/// people of an audience group see the course; an address nobody active has and a group
/// that does not exist are 404, a bad address 422, and a learner is refused before her body
/// is read. The editor's form shows the unknown address beside the form. Handed over, the
/// former owner stays on as a co-author.
async fn an_author_names_coauthors_and_audiences_through_the_api(t: TestApp) {
    let (aki_caller, sales) = people(&t).await;
    let course = t.published_course(&aki_caller, "Pager duty").await;
    let (aki, ada, bo, sam) = (
        api(&t, "aki@acme.test").await,
        api(&t, "ada@acme.test").await,
        api(&t, "bo@acme.test").await,
        api(&t, "sam@sales.test").await,
    );
    let base = format!("/courses/{course}");

    let team = aki.get(&format!("{base}/coauthors")).await;
    team.expect_status(StatusCode::OK);
    let team = team.json();
    assert_eq!(team["owner"]["name"], "Aki Author");
    assert_eq!(team["coauthors"], json!([]));

    // A learner is refused whatever she sends.
    for body in [json!({"email": "ada@acme.test"}), json!({"nonsense": 1})] {
        ada.send(Method::POST, &format!("{base}/coauthors"), Some(body))
            .await
            .expect_status(StatusCode::FORBIDDEN);
    }
    ada.send(
        Method::PUT,
        &format!("{base}/audiences"),
        Some(json!({"group_ids": "all"})),
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);
    ada.get(&format!("{base}/coauthors"))
        .await
        .expect_status(StatusCode::FORBIDDEN);

    // Bo may not edit the draft until he is a co-author.
    bo.get(&format!("{base}/draft"))
        .await
        .expect_status(StatusCode::FORBIDDEN);
    let added = aki
        .send(
            Method::POST,
            &format!("{base}/coauthors"),
            Some(json!({"email": "bo@acme.test"})),
        )
        .await;
    added.expect_status(StatusCode::OK);
    let added = added.json();
    assert_eq!(added["coauthors"][0]["name"], "Bo Builder");
    assert_eq!(added["coauthors"][0]["email"], "bo@acme.test");
    let bo_id = added["coauthors"][0]["id"].as_i64().expect("id");
    bo.get(&format!("{base}/draft"))
        .await
        .expect_status(StatusCode::OK);

    let nobody = aki
        .send(
            Method::POST,
            &format!("{base}/coauthors"),
            Some(json!({"email": "nobody@acme.test"})),
        )
        .await;
    nobody.expect_status(StatusCode::NOT_FOUND);
    assert_eq!(code(&nobody.body), "not_found");
    let bad = aki
        .send(
            Method::POST,
            &format!("{base}/coauthors"),
            Some(json!({"email": "not an address"})),
        )
        .await;
    bad.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code(&bad.body), "invalid_input");
    assert_eq!(
        aki.get(&format!("{base}/coauthors")).await.json()["coauthors"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    aki.send(Method::DELETE, &format!("{base}/coauthors/{bo_id}"), None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    aki.send(Method::DELETE, &format!("{base}/coauthors/{bo_id}"), None)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    bo.get(&format!("{base}/draft"))
        .await
        .expect_status(StatusCode::FORBIDDEN);

    // Audiences: Sam in Sales sees the course once Sales is in its audience.
    sam.get(&base).await.expect_status(StatusCode::NOT_FOUND);
    let audience = aki.get(&format!("{base}/audiences")).await;
    audience.expect_status(StatusCode::OK);
    let audience = audience.json();
    assert_eq!(audience["owning_group"]["path"], "Acme");
    assert_eq!(audience["audiences"], json!([]));
    let set = aki
        .send(
            Method::PUT,
            &format!("{base}/audiences"),
            Some(json!({"group_ids": [sales, sales]})),
        )
        .await;
    set.expect_status(StatusCode::OK);
    assert_eq!(
        set.json()["audiences"],
        json!([{"id": sales, "path": "Sales"}])
    );
    sam.get(&base).await.expect_status(StatusCode::OK);
    aki.send(
        Method::PUT,
        &format!("{base}/audiences"),
        Some(json!({"group_ids": [sales, 999_999]})),
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);
    sam.get(&base).await.expect_status(StatusCode::OK);
    aki.send(
        Method::PUT,
        &format!("{base}/audiences"),
        Some(json!({"group_ids": []})),
    )
    .await
    .expect_status(StatusCode::OK);
    sam.get(&base).await.expect_status(StatusCode::NOT_FOUND);

    // The editor's form says the same about an unknown address, beside the form.
    let browser = t.signed_in("aki@acme.test").await;
    browser.get(&format!("/courses/{course}/edit")).await;
    let page = browser
        .post(
            &format!("/courses/{course}/edit/people"),
            &[("action", "add-coauthor"), ("email", "nobody@acme.test")],
        )
        .await;
    page.expect_status(StatusCode::NOT_FOUND);
    page.expect_contains("An active person with that address was not found.");

    // Handing over: a learner is refused before her body is read; an unknown address is
    // 404; handed to Bo, Aki stays on as a co-author.
    ada.send(
        Method::POST,
        &format!("{base}/transfer"),
        Some(json!({"email": "ada@acme.test"})),
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);
    aki.send(
        Method::POST,
        &format!("{base}/transfer"),
        Some(json!({"email": "nobody@acme.test"})),
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);
    let handed = aki
        .send(
            Method::POST,
            &format!("{base}/transfer"),
            Some(json!({"email": "bo@acme.test"})),
        )
        .await;
    handed.expect_status(StatusCode::OK);
    let handed = handed.json();
    assert_eq!(handed["owner"]["name"], "Bo Builder");
    assert_eq!(handed["coauthors"][0]["name"], "Aki Author");
    bo.get(&format!("{base}/draft"))
        .await
        .expect_status(StatusCode::OK);
}
story!(an_author_names_coauthors_and_audiences_through_the_api);

/// One question of each kind GIFT imports, as JSON.
fn every_kind() -> Vec<Value> {
    vec![
        json!({"kind": "single_choice", "prompt": "Who is paged first?", "points": 1,
               "options": [{"id": "a", "text": "On-call", "correct": true},
                           {"id": "b", "text": "The CEO", "correct": false}]}),
        json!({"kind": "multiple_choice", "prompt": "What goes in a handover?", "points": 2,
               "partial_credit": true,
               "options": [{"id": "a", "text": "Open incidents", "correct": true},
                           {"id": "b", "text": "Lunch plans", "correct": false},
                           {"id": "c", "text": "Known risks", "correct": true}]}),
        json!({"kind": "true_false", "prompt": "Pages may wait until morning.", "points": 1,
               "answer": false}),
        json!({"kind": "short_text", "prompt": "The tool we page with?", "points": 1,
               "accepted": ["PagerDuty"], "case_sensitive": false}),
        json!({"kind": "number", "prompt": "Minutes to acknowledge?", "points": 1,
               "value": 5, "tolerance": 0}),
        json!({"kind": "ordering", "prompt": "Put the steps in order", "points": 1,
               "partial_credit": false,
               "items": [{"id": "1", "text": "Acknowledge"}, {"id": "2", "text": "Mitigate"}]}),
        json!({"kind": "matching", "prompt": "Match the severities", "points": 1,
               "partial_credit": true,
               "pairs": [{"id": "p1", "left": "SEV1", "right": "Everyone"},
                         {"id": "p2", "left": "SEV3", "right": "Next day"}]}),
        json!({"kind": "essay", "prompt": "Describe your last page.", "points": 4,
               "rubric": [{"name": "Clarity", "max_points": 4}]}),
    ]
}

/// An author sets the evaluation and writes its questions as JSON through the API: the
/// settings as the editor's form sets them, a question of every kind GIFT imports, edited
/// (409 on a stale revision), reordered and removed; the domain's rules refuse bad
/// questions and numbers (422) and nothing changes; the GETs open no draft; a learner is
/// refused before her body is read. Published, the version carries them.
async fn an_author_writes_the_evaluation_through_the_api(t: TestApp) {
    let (aki_caller, _) = people(&t).await;
    let course = t.published_course(&aki_caller, "Pager duty").await;
    let (aki, ada) = (
        api(&t, "aki@acme.test").await,
        api(&t, "ada@acme.test").await,
    );
    let base = format!("/courses/{course}/evaluation");

    let settings = aki.get(&format!("{base}/settings")).await;
    settings.expect_status(StatusCode::OK);
    assert_eq!(
        settings.json(),
        json!({"mode": "practice", "pass_mark": 80, "max_attempts": null,
               "time_limit_minutes": null, "shuffle": false, "required_for_completion": false})
    );
    let listed = aki.get(&format!("{base}/questions")).await.json();
    assert_eq!(listed["state"], "published", "a GET opens no draft");
    assert_eq!(listed["questions"], json!([]));

    for (method, path, body) in [
        (Method::PUT, "settings", json!({"mode": "quiz"})),
        (Method::POST, "questions", json!({"question": 1})),
        (Method::PUT, "questions/order", json!({})),
    ] {
        ada.send(method, &format!("{base}/{path}"), Some(body))
            .await
            .expect_status(StatusCode::FORBIDDEN);
    }
    ada.get(&format!("{base}/questions"))
        .await
        .expect_status(StatusCode::FORBIDDEN);

    // Settings, all at once; numbers out of range and unknown modes change nothing.
    let exam = json!({"mode": "exam", "pass_mark": 70, "max_attempts": 2,
                      "time_limit_minutes": 15, "shuffle": true,
                      "required_for_completion": true});
    let saved = aki
        .send(Method::PUT, &format!("{base}/settings"), Some(exam.clone()))
        .await;
    saved.expect_status(StatusCode::OK);
    assert_eq!(saved.json(), exam);
    for bad in [
        json!({"mode": "quiz"}),
        json!({"pass_mark": 0}),
        json!({"max_attempts": 101}),
        json!({"time_limit_minutes": 601}),
        json!({"shuffle": "yes"}),
    ] {
        let r = aki
            .send(Method::PUT, &format!("{base}/settings"), Some(bad.clone()))
            .await;
        r.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(code(&r.body), "invalid_input", "{bad}");
    }
    assert_eq!(aki.get(&format!("{base}/settings")).await.json(), exam);

    // A question of every kind.
    let mut keys = Vec::new();
    for q in every_kind() {
        let r = aki
            .send(
                Method::POST,
                &format!("{base}/questions"),
                Some(json!({"question": q})),
            )
            .await;
        r.expect_status(StatusCode::CREATED);
        let r = r.json();
        assert_eq!(r["question"]["kind"], q["kind"], "{r}");
        assert_eq!(r["step_key"], Value::Null);
        keys.push(r["key"].as_str().expect("key").to_owned());
    }
    let listed = aki.get(&format!("{base}/questions")).await.json();
    assert_eq!(listed["state"], "draft");
    let listed_keys: Vec<&str> = listed["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| q["key"].as_str().expect("key"))
        .collect();
    assert_eq!(listed_keys, keys);
    assert_eq!(listed["questions"][7]["position"], 8);

    // The domain's rules: one correct option, a known kind, a step the draft has.
    for (body, status) in [
        (
            json!({"question": {"kind": "single_choice", "prompt": "Two right?", "points": 1,
                   "options": [{"id": "a", "text": "A", "correct": true},
                               {"id": "b", "text": "B", "correct": true}]}}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"question": {"kind": "riddle", "prompt": "?", "points": 1}}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"question": {"kind": "true_false", "prompt": "Free?", "points": 0,
                   "answer": true}}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"step_key": "s-nope", "question": every_kind()[2]}),
            StatusCode::NOT_FOUND,
        ),
    ] {
        aki.send(Method::POST, &format!("{base}/questions"), Some(body))
            .await
            .expect_status(status);
    }

    // Edit: the kind may change; a stale revision is 409 and changes nothing.
    let tf = &keys[2];
    let edited = aki
        .send(
            Method::PUT,
            &format!("{base}/questions/{tf}"),
            Some(json!({"revision": 0, "question": {"kind": "true_false",
                   "prompt": "Pages may wait until morning.", "points": 1, "answer": true,
                   "explanation": "Only on weekends."}})),
        )
        .await;
    edited.expect_status(StatusCode::OK);
    let edited = edited.json();
    assert_eq!(edited["question"]["answer"], true);
    assert_eq!(edited["revision"], 1);
    let stale = aki
        .send(
            Method::PUT,
            &format!("{base}/questions/{tf}"),
            Some(json!({"revision": 0, "question": every_kind()[2]})),
        )
        .await;
    stale.expect_status(StatusCode::CONFLICT);
    assert_eq!(code(&stale.body), "conflict");
    aki.send(
        Method::PUT,
        &format!("{base}/questions/q-nope"),
        Some(json!({"question": every_kind()[2]})),
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);

    // Reorder: every key once; anything else is 422 and changes nothing.
    let reversed: Vec<String> = keys.iter().rev().cloned().collect();
    let r = aki
        .send(
            Method::PUT,
            &format!("{base}/questions/order"),
            Some(json!({"question_keys": reversed})),
        )
        .await;
    r.expect_status(StatusCode::OK);
    assert_eq!(r.json()[0]["key"], reversed[0].as_str());
    for bad in [
        json!({"question_keys": keys[..7]}),
        json!({"question_keys": [&keys[0], &keys[0]]}),
        json!({"question_keys": []}),
    ] {
        aki.send(Method::PUT, &format!("{base}/questions/order"), Some(bad))
            .await
            .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let listed = aki.get(&format!("{base}/questions")).await.json();
    assert_eq!(listed["questions"][0]["key"], reversed[0].as_str());

    // Remove one.
    let essay = &keys[7];
    aki.send(Method::DELETE, &format!("{base}/questions/{essay}"), None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    aki.send(Method::DELETE, &format!("{base}/questions/{essay}"), None)
        .await
        .expect_status(StatusCode::NOT_FOUND);

    // Published, version 2 holds seven questions and the exam settings.
    aki.send(
        Method::POST,
        &format!("/courses/{course}/publish"),
        Some(json!({"note": "An exam"})),
    )
    .await
    .expect_status(StatusCode::OK);
    let listed = aki.get(&format!("{base}/questions")).await.json();
    assert_eq!(
        (&listed["state"], &listed["version"]),
        (&json!("published"), &json!(2))
    );
    assert_eq!(listed["questions"].as_array().map(Vec::len), Some(7));
    assert_eq!(aki.get(&format!("{base}/settings")).await.json(), exam);
}
story!(an_author_writes_the_evaluation_through_the_api);

/// An author puts a cover on the draft and attaches an image to a text step through the
/// API, as the editor's forms do: the cover is on the draft, the image at the end of the
/// step's text; a file that is not an image, a body that is not multipart and a step not in
/// the draft are refused; a learner is refused before her file is read.
async fn an_author_attaches_files_through_the_api(t: TestApp) {
    let (aki_caller, _) = people(&t).await;
    let course = t.published_course(&aki_caller, "Pager duty").await;
    let (aki, ada) = (
        api(&t, "aki@acme.test").await,
        api(&t, "ada@acme.test").await,
    );
    let send = |path: String, token: String, part: reqwest::multipart::Part| {
        let url = format!("{}/api/v1{path}", aki.base);
        async move {
            let r = reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .multipart(reqwest::multipart::Form::new().part("file", part))
                .send()
                .await
                .expect("upload");
            let status = r.status();
            (status, r.text().await.expect("text"))
        }
    };
    let png = || {
        reqwest::multipart::Part::bytes(crate::blobs::PNG_1X1.to_vec())
            .file_name("dot.png")
            .mime_str("image/png")
            .expect("mime")
    };
    let text = || {
        reqwest::multipart::Part::bytes(b"hello".to_vec())
            .file_name("notes.txt")
            .mime_str("text/plain")
            .expect("mime")
    };
    let cover = format!("/courses/{course}/draft/cover");

    let (status, _) = send(cover.clone(), ada.token.clone(), png()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    ada.send_raw(Method::POST, &cover, "text/plain", b"x".to_vec())
        .await
        .expect_status(StatusCode::FORBIDDEN);
    let (status, body) = send(cover.clone(), aki.token.clone(), text()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    aki.send_raw(Method::POST, &cover, "text/plain", b"x".to_vec())
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let draft = t
        .app
        .preview_draft(&aki_caller, course)
        .await
        .expect("draft");
    assert_eq!(draft.version.cover_blob, None);

    let (status, body) = send(cover.clone(), aki.token.clone(), png()).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let draft = t
        .app
        .preview_draft(&aki_caller, course)
        .await
        .expect("draft");
    assert!(
        draft.version.cover_blob.is_some(),
        "the cover is on the draft"
    );

    // An image into the first (text) step, at the end of its text.
    let steps = aki.get(&format!("/courses/{course}/draft")).await.json();
    assert_eq!(steps["state"], "draft");
    let step_id = steps["steps"][0]["id"].as_i64().expect("id");
    let attach = format!("/courses/{course}/draft/steps/{step_id}/attach");
    let (status, body) = send(attach.clone(), ada.token.clone(), png()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = send(attach.clone(), aki.token.clone(), png()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let step: Value = serde_json::from_str(&body).expect("json");
    assert!(
        step["body"]
            .as_str()
            .is_some_and(|b| b.contains("![dot.png](/blobs/")),
        "{step}"
    );
    let (status, _) = send(
        format!("/courses/{course}/draft/steps/999999/attach"),
        aki.token.clone(),
        png(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(attach, aki.token.clone(), text()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
story!(an_author_attaches_files_through_the_api);
