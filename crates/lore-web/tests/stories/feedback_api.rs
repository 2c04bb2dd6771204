//! The feedback loop through the JSON API with tokens: reacting (and refusals that store
//! nothing), the author's feedback, resolving as fixed after publishing, a suggested edit from
//! proposal to published version, notifications, "needs attention", and the document.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::api::token_for;
use crate::courses::{team, write_runbook};
use crate::story;
use crate::support::{Page, TestApp};

/// An error answer: the status, the stable code, and the `{"error": {"code", "message"}}` shape.
pub(crate) fn expect_error(page: &Page, status: StatusCode, code: &str) {
    page.expect_status(status);
    let body = page.json();
    assert_eq!(body["error"]["code"], code, "{}", page.body);
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "a message: {}",
        page.body
    );
    assert_eq!(
        body.as_object().map(|o| o.len()),
        Some(1),
        "only `error`: {}",
        page.body
    );
}

pub(crate) fn assert_rfc3339(value: &Value) {
    let text = value.as_str().expect("a time as text");
    OffsetDateTime::parse(text, &Rfc3339).expect("RFC 3339");
}

async fn reaction_count(t: &TestApp, course: i64) -> usize {
    t.app
        .store()
        .course_reactions(course)
        .await
        .expect("reactions")
        .len()
}

story!(a_program_runs_the_feedback_loop);
/// Learners, a peer and an author run the whole loop with tokens.
async fn a_program_runs_the_feedback_loop(t: TestApp) {
    let (eng, _) = team(&t).await;
    let cy_id = t.person("cy@acme.test", "Cy Peer", false).await;
    t.member(cy_id, eng, "learner").await;
    let ada_b = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada_b).await;
    // Bo and Cy start the course in the browser; after that they use programs.
    for email in ["bo@acme.test", "cy@acme.test"] {
        let learner = t.signed_in(email).await;
        learner.start_course(id).await;
        learner
            .get(&format!("/courses/{id}/learn/2"))
            .await
            .expect_status(StatusCode::OK);
    }
    let ada = t.api(&token_for(&t, "ada@acme.test").await);
    let bo = t.api(&token_for(&t, "bo@acme.test").await);
    let cy = t.api(&token_for(&t, "cy@acme.test").await);
    let course = bo.get(&format!("/courses/{id}")).await.json();
    let key = course["steps"][1]["key"].as_str().expect("key").to_owned();
    let key3 = course["steps"][2]["key"].as_str().expect("key").to_owned();
    let reactions = format!("/courses/{id}/steps/{key}/reactions");

    // Bo flags step 2 outdated.
    let flagged = bo
        .send(
            Method::POST,
            &reactions,
            Some(json!({"kind": "outdated", "comment": "We page through Opsgenie now."})),
        )
        .await;
    flagged.expect_status(StatusCode::CREATED);
    let flag = flagged.json();
    assert_eq!(flag["course_id"], id);
    assert_eq!(flag["version"], 1);
    assert_eq!(flag["step_key"], key.as_str());
    assert_eq!(flag["kind"], "outdated");
    assert_eq!(flag["comment"], "We page through Opsgenie now.");
    assert_eq!(flag["status"], "open");
    assert_rfc3339(&flag["created_at"]);
    let flag_id = flag["id"].as_i64().expect("id");

    // Refusals, each with a stable code, and nothing stored.
    let again = bo
        .send(
            Method::POST,
            &reactions,
            Some(json!({"kind": "outdated", "comment": "again"})),
        )
        .await;
    expect_error(&again, StatusCode::CONFLICT, "conflict");
    let huge = "x".repeat(1024 * 1024);
    let too_big = bo
        .send(
            Method::POST,
            &reactions,
            Some(json!({"kind": "unclear", "comment": huge})),
        )
        .await;
    // A body over the limit is 413 with its own code (decision 0037).
    expect_error(&too_big, StatusCode::PAYLOAD_TOO_LARGE, "body_too_large");
    let too_long = bo
        .send(
            Method::POST,
            &reactions,
            Some(json!({"kind": "unclear", "comment": "y".repeat(1001)})),
        )
        .await;
    expect_error(&too_long, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert_eq!(too_long.json()["error"]["field"], "comment");
    for body in [
        json!({"kind": "unclear"}),
        json!({"kind": "shrug"}),
        json!({"kind": "useful", "mood": "happy"}),
        json!({"comment": "no kind"}),
    ] {
        let r = bo.send(Method::POST, &reactions, Some(body.clone())).await;
        expect_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    }
    let no_step = bo
        .send(
            Method::POST,
            &format!("/courses/{id}/steps/nope/reactions"),
            Some(json!({"kind": "useful"})),
        )
        .await;
    expect_error(&no_step, StatusCode::NOT_FOUND, "not_found");
    let bad_id = bo
        .send(
            Method::POST,
            &format!("/courses/abc/steps/{key}/reactions"),
            Some(json!({"kind": "useful"})),
        )
        .await;
    expect_error(&bad_id, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert_eq!(reaction_count(&t, id).await, 1);

    // Cy likes the step; Bo cannot withdraw it (404, it stays), Cy can.
    let liked = cy
        .send(Method::POST, &reactions, Some(json!({"kind": "liked"})))
        .await;
    liked.expect_status(StatusCode::CREATED);
    assert!(liked.json()["status"].is_null());
    assert!(liked.json()["comment"].is_null());
    let liked_id = liked.json()["id"].as_i64().expect("id");
    let not_bos = bo
        .send(Method::DELETE, &format!("/reactions/{liked_id}"), None)
        .await;
    expect_error(&not_bos, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(reaction_count(&t, id).await, 2);
    cy.send(Method::DELETE, &format!("/reactions/{liked_id}"), None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    let gone = cy
        .send(Method::DELETE, &format!("/reactions/{liked_id}"), None)
        .await;
    expect_error(&gone, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(reaction_count(&t, id).await, 1);

    // Learners do not see the feedback or the list of suggestions.
    let refused = bo.get(&format!("/courses/{id}/feedback")).await;
    expect_error(&refused, StatusCode::FORBIDDEN, "forbidden");
    expect_error(
        &bo.get(&format!("/courses/{id}/suggestions")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    expect_error(
        &bo.send(
            Method::POST,
            &format!("/courses/{id}/reactions/{flag_id}/resolve"),
            Some(json!({"action": "dismiss", "note": "mine now"})),
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );

    // Cy suggests the fix.
    let new_text = "Acknowledge in Opsgenie within five minutes, then open the incident channel.";
    let proposed = cy
        .send(
            Method::POST,
            &format!("/courses/{id}/steps/{key}/suggestions"),
            Some(json!({"body": new_text, "reason": "We moved to Opsgenie in March."})),
        )
        .await;
    proposed.expect_status(StatusCode::CREATED);
    let suggestion = proposed.json();
    assert_eq!(suggestion["status"], "open");
    assert_eq!(suggestion["proposer"], "Cy Peer");
    assert_eq!(suggestion["step_key"], key.as_str());
    assert_eq!(suggestion["base_version"], 1);
    assert_rfc3339(&suggestion["created_at"]);
    let sid = suggestion["id"].as_i64().expect("id");
    expect_error(
        &cy.send(
            Method::POST,
            &format!("/courses/{id}/steps/{key}/suggestions"),
            Some(json!({"body": new_text})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
    );
    // Only the proposer, authors and coaches see a suggestion.
    expect_error(
        &bo.get(&format!("/courses/{id}/suggestions/{sid}")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_eq!(
        cy.get(&format!("/courses/{id}/suggestions/{sid}"))
            .await
            .json()["status"],
        "open"
    );

    // Ada reads the feedback: one open outdated flag costs 15; too few viewers for a score.
    let feedback = ada.get(&format!("/courses/{id}/feedback")).await;
    feedback.expect_status(StatusCode::OK);
    let f = feedback.json();
    assert_eq!(f["health"]["score"], 85);
    assert_eq!(f["health"]["reasons"][0]["points"], 15);
    assert_eq!(
        f["health"]["reasons"][0]["text"],
        "1 step is marked outdated"
    );
    assert!(f["reaction_score"].is_null());
    assert_eq!(f["negative"], 1);
    assert_eq!(f["positive"], 0);
    assert_eq!(f["steps"].as_array().map(Vec::len), Some(3));
    assert_eq!(f["steps"][1]["step_key"], key.as_str());
    assert_eq!(f["steps"][1]["negative"], 1);
    assert!(f["steps"][1]["score"].is_null());
    assert_eq!(f["reactions"][0]["id"], flag_id);
    assert_eq!(f["reactions"][0]["status"], "open");
    assert_eq!(f["reactions"][0]["who"], "Bo Learner");
    assert_eq!(f["reactions"][0]["step_title"], "When the pager fires");
    assert!(f["reactions"][0]["fixed_in_version"].is_null());
    assert_eq!(f["suggestions"][0]["id"], sid);
    assert_eq!(f["suggestions"][0]["proposer"], "Cy Peer");
    assert_eq!(
        f["suggestions"][0]["reason"],
        "We moved to Opsgenie in March."
    );
    assert!(f["suggestions"][0]["accepted_into_version"].is_null());
    assert_eq!(f["can_edit"], true);

    // It needs attention, as Ada writes it; not for Bo.
    let attention = ada.get("/attention").await;
    attention.expect_status(StatusCode::OK);
    let a = attention.json();
    assert_eq!(a[0]["course_id"], id);
    assert_eq!(a[0]["title"], "On-call runbook");
    assert_eq!(a[0]["health"], 85);
    assert_eq!(a[0]["reasons"][0]["text"], "1 step is marked outdated");
    assert_eq!(a[0]["open_suggestions"], 1);
    assert_eq!(a[0]["because"], "author");
    assert_eq!(bo.get("/attention").await.json(), json!([]));

    // Ada reviews the word diff: no conflict.
    let list = ada.get(&format!("/courses/{id}/suggestions")).await;
    assert_eq!(list.json()[0]["id"], sid);
    let review = ada.get(&format!("/courses/{id}/suggestions/{sid}")).await;
    review.expect_status(StatusCode::OK);
    let r = review.json();
    assert_eq!(r["conflict"], false);
    assert_eq!(r["can_decide"], true);
    assert_eq!(
        r["current_body"],
        "Acknowledge within five minutes, then open the incident channel."
    );
    let diff = r["diff"].as_array().expect("diff");
    assert!(
        diff.iter()
            .any(|p| p["op"] == "added" && p["text"] == "in Opsgenie "),
        "{diff:?}"
    );
    assert!(diff.iter().any(|p| p["op"] == "same"));
    let rebuilt: String = diff
        .iter()
        .filter(|p| p["op"] != "removed")
        .filter_map(|p| p["text"].as_str())
        .collect();
    assert_eq!(rebuilt, new_text);

    // "Fixed in version 2" before version 2 exists: no such version (decision 0037).
    let early = ada
        .send(
            Method::POST,
            &format!("/courses/{id}/reactions/{flag_id}/resolve"),
            Some(json!({"action": "fixed", "version": 2})),
        )
        .await;
    expect_error(&early, StatusCode::NOT_FOUND, "not_found");
    for body in [
        json!({"action": "shrug"}),
        json!({"action": "answer"}),
        json!({"action": "answer", "note": "x", "extra": 1}),
    ] {
        let r = ada
            .send(
                Method::POST,
                &format!("/courses/{id}/reactions/{flag_id}/resolve"),
                Some(body),
            )
            .await;
        expect_error(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    }

    // Accepted (without a body) into the draft of version 2; twice is refused; Bo may not.
    expect_error(
        &bo.send(
            Method::POST,
            &format!("/courses/{id}/suggestions/{sid}/accept"),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    expect_error(
        &cy.send(
            Method::POST,
            &format!("/courses/{id}/suggestions/{sid}/accept"),
            None,
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    // A `null` body is "no edited text", as the document says.
    let accepted = ada
        .send(
            Method::POST,
            &format!("/courses/{id}/suggestions/{sid}/accept"),
            Some(Value::Null),
        )
        .await;
    accepted.expect_status(StatusCode::OK);
    assert_eq!(accepted.json(), json!({"version": 2}));
    let twice = ada
        .send(
            Method::POST,
            &format!("/courses/{id}/suggestions/{sid}/accept"),
            Some(json!({})),
        )
        .await;
    expect_error(&twice, StatusCode::CONFLICT, "conflict");
    let after = ada.get(&format!("/courses/{id}/suggestions/{sid}")).await;
    assert_eq!(after.json()["status"], "accepted");
    assert_eq!(after.json()["accepted_into_version"], 2);

    // Version 2 is published (in the browser); then the flag is resolved as fixed in it.
    ada_b
        .get(&format!("/courses/{id}/edit"))
        .await
        .expect_contains(new_text);
    ada_b
        .post(
            &format!("/courses/{id}/publish"),
            &[("note", "Pager tool updated")],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    assert_eq!(
        ada.get(&format!("/courses/{id}")).await.json()["steps"][1]["markdown"],
        new_text
    );
    ada.send(
        Method::POST,
        &format!("/courses/{id}/reactions/{flag_id}/resolve"),
        Some(json!({"action": "fixed", "version": 2})),
    )
    .await
    .expect_status(StatusCode::NO_CONTENT);
    let again = ada
        .send(
            Method::POST,
            &format!("/courses/{id}/reactions/{flag_id}/resolve"),
            Some(json!({"action": "dismiss", "note": "never mind"})),
        )
        .await;
    expect_error(&again, StatusCode::CONFLICT, "conflict");
    let f = ada.get(&format!("/courses/{id}/feedback")).await.json();
    assert_eq!(f["health"]["score"], 100);
    assert_eq!(f["health"]["reasons"], json!([]));
    assert_eq!(f["reactions"][0]["status"], "fixed");
    assert_eq!(f["reactions"][0]["fixed_in_version"], 2);
    assert_rfc3339(&f["reactions"][0]["resolved_at"]);
    assert_eq!(f["suggestions"][0]["accepted_into_version"], 2);
    assert_eq!(f["published_versions"], json!([1, 2]));
    assert_eq!(ada.get("/attention").await.json(), json!([]));

    // Bo is told it is fixed; he marks that read.
    let news = bo.get("/notifications").await;
    news.expect_status(StatusCode::OK);
    let n = news.json();
    assert_eq!(n["unread"], 1);
    let item = &n["items"][0];
    assert_eq!(item["kind"], "resolution");
    assert_eq!(
        item["title"],
        "“When the pager fires” is fixed in version 2 of On-call runbook"
    );
    assert_eq!(
        item["link"],
        format!("/courses/{id}/versions/diff?from=1&to=2")
    );
    assert_eq!(item["read"], false);
    assert_rfc3339(&item["created_at"]);
    let nid = item["id"].as_i64().expect("id");
    // Nobody else can mark it read.
    expect_error(
        &cy.send(Method::POST, &format!("/notifications/{nid}/read"), None)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    bo.send(Method::POST, &format!("/notifications/{nid}/read"), None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    let n = bo.get("/notifications").await.json();
    assert_eq!(n["unread"], 0);
    assert_eq!(n["items"][0]["read"], true);

    // Cy hears the edit was accepted, then live; she marks all read.
    let n = cy.get("/notifications").await.json();
    assert_eq!(n["unread"], 2);
    assert_eq!(
        n["items"][0]["title"],
        "Your edit to “When the pager fires” is live in version 2"
    );
    assert_eq!(
        n["items"][1]["title"],
        "Your edit to “When the pager fires” was accepted into version 2"
    );
    assert_eq!(
        cy.get("/notifications?limit=1").await.json()["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    expect_error(
        &cy.get("/notifications?limit=many").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
    );
    expect_error(
        &cy.get("/notifications?page=2").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
    );
    let marked = cy.send(Method::POST, "/notifications/read-all", None).await;
    marked.expect_status(StatusCode::OK);
    assert_eq!(marked.json(), json!({"marked": 2}));
    assert_eq!(cy.get("/notifications").await.json()["unread"], 0);

    // Ada heard of the flag and the suggestion.
    let kinds: Vec<Value> = ada.get("/notifications").await.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["kind"].clone())
        .collect();
    assert!(kinds.contains(&json!("reaction")), "{kinds:?}");
    assert!(kinds.contains(&json!("suggested-edit")), "{kinds:?}");

    // A second suggestion is declined: a reason is required, and only once.
    let second = cy
        .send(
            Method::POST,
            &format!("/courses/{id}/steps/{key3}/suggestions"),
            Some(json!({"body": "Write the handover note.", "reason": "Shorter."})),
        )
        .await;
    second.expect_status(StatusCode::CREATED);
    let sid2 = second.json()["id"].as_i64().expect("id");
    let decline = format!("/courses/{id}/suggestions/{sid2}/decline");
    expect_error(
        &ada.send(Method::POST, &decline, Some(json!({"reason": " "})))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
    );
    expect_error(
        &ada.send(Method::POST, &decline, None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
    );
    ada.send(
        Method::POST,
        &decline,
        Some(json!({"reason": "The details matter here."})),
    )
    .await
    .expect_status(StatusCode::NO_CONTENT);
    expect_error(
        &ada.send(Method::POST, &decline, Some(json!({"reason": "Again."})))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    );
    let declined = cy.get(&format!("/courses/{id}/suggestions/{sid2}")).await;
    assert_eq!(declined.json()["status"], "declined");
    assert_eq!(declined.json()["decision_note"], "The details matter here.");
    assert_eq!(
        cy.get("/notifications").await.json()["items"][0]["title"],
        "Your edit to “Handing over” was declined"
    );
}

story!(the_document_lists_the_feedback_api);
/// The OpenAPI document lists the feedback and notification endpoints, with error bodies.
async fn the_document_lists_the_feedback_api(t: TestApp) {
    let doc = t.browser().get("/api/v1/openapi.json").await.json();
    for (method, path) in [
        ("post", "/api/v1/courses/{id}/steps/{key}/reactions"),
        ("delete", "/api/v1/reactions/{id}"),
        ("get", "/api/v1/courses/{id}/feedback"),
        (
            "post",
            "/api/v1/courses/{id}/reactions/{reaction_id}/resolve",
        ),
        ("post", "/api/v1/courses/{id}/steps/{key}/suggestions"),
        ("get", "/api/v1/courses/{id}/suggestions"),
        ("get", "/api/v1/courses/{id}/suggestions/{sid}"),
        ("post", "/api/v1/courses/{id}/suggestions/{sid}/accept"),
        ("post", "/api/v1/courses/{id}/suggestions/{sid}/decline"),
        ("get", "/api/v1/notifications"),
        ("post", "/api/v1/notifications/{id}/read"),
        ("post", "/api/v1/notifications/read-all"),
        ("get", "/api/v1/attention"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} documented"
        );
    }
    let react = &doc["paths"]["/api/v1/courses/{id}/steps/{key}/reactions"]["post"];
    for status in ["409", "422", "429"] {
        assert_eq!(
            react["responses"][status]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ErrorBody",
            "{status}"
        );
    }
    let tags: Vec<&str> = doc["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert!(tags.contains(&"feedback") && tags.contains(&"notifications"));
}
