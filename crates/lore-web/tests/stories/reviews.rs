//! Review before publishing and keeping courses current: a group requires review, the
//! author submits, a coach asks for changes on a step, the author fixes it, the coach
//! approves and it publishes; a change after approval asks again; the conversation stays
//! with the version. A course not checked for its interval shows as stale, with its reason,
//! in the coach's list until its owner confirms it.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::courses::{course_id, step_ids, team};
use crate::story;
use crate::support::{Browser, TestApp};

/// Ada writes a three-step draft through the pages (not published). Returns the course and
/// its step ids.
pub(crate) async fn draft_runbook(ada: &Browser) -> (i64, Vec<i64>) {
    let created = ada
        .post(
            "/courses",
            &[
                ("title", "On-call runbook"),
                ("step_title", "Before your shift"),
                ("step_body", "Check the pager works."),
                ("action", "draft"),
            ],
        )
        .await;
    created.expect_status(StatusCode::SEE_OTHER);
    let id = course_id(&created.location());
    for title in ["When the pager fires", "Handing over"] {
        ada.post(
            &format!("/courses/{id}/edit/steps"),
            &[("title", title), ("kind", "text")],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    }
    let steps = step_ids(&ada.get(&format!("/courses/{id}/edit")).await.body);
    for (step, body) in steps[1..]
        .iter()
        .zip(["Acknowledge within an hour.", "Write the handover note."])
    {
        autosave(ada, id, *step, 0, body).await;
    }
    (id, steps)
}

async fn autosave(ada: &Browser, course: i64, step: i64, revision: i64, body: &str) {
    ada.post(
        &format!("/courses/{course}/edit/autosave"),
        &[
            ("field", "step_body"),
            ("step_id", &step.to_string()),
            ("revision", &revision.to_string()),
            ("value", body),
        ],
    )
    .await
    .expect_status(StatusCode::OK);
}

/// The value of the review page's step choice that reads "Step {n} · …".
fn step_key(review_page: &str, n: usize) -> String {
    let label = format!("\">Step {n} · ");
    let at = review_page
        .find(&label)
        .expect("the step in the comment form");
    let start = review_page[..at].rfind("value=\"").expect("its value") + 7;
    review_page[start..at].to_owned()
}

/// The id of the first review thread on the page.
fn first_thread(review_page: &str) -> String {
    let at = review_page
        .find("data-testid=\"review-thread-")
        .expect("a thread");
    review_page[at + 27..]
        .split('"')
        .next()
        .expect("its id")
        .to_owned()
}

async fn a_reviewed_course_publishes_only_once_approved(t: TestApp) {
    let (eng, _) = team(&t).await;
    let cora = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(cora, eng, "coach").await;
    t.person("root@acme.test", "Rae Root", true).await;
    let root = t.signed_in("root@acme.test").await;
    root.get(&format!("/groups/{eng}")).await;
    root.post(
        &format!("/groups/{eng}/review-rules"),
        &[("review_required", "1"), ("review_days", "")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    root.get(&format!("/groups/{eng}"))
        .await
        .expect_contains("name=\"review_required\" value=\"1\" checked");

    let ada = t.signed_in("ada@acme.test").await;
    ada.get("/courses/new").await;
    let (id, steps) = draft_runbook(&ada).await;
    let editor = ada.get(&format!("/courses/{id}/edit")).await;
    assert!(
        editor.testid("review-box").contains("requires review"),
        "the editor says review is required"
    );

    // Publishing waits for review; nothing goes live.
    ada.post(&format!("/courses/{id}/publish"), &[("note", "")])
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("requires review before publishing");
    let bo = t.signed_in("bo@acme.test").await;
    bo.get(&format!("/courses/{id}"))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    // Bo neither writes nor reviews it.
    bo.get(&format!("/courses/{id}/review"))
        .await
        .expect_status(StatusCode::NOT_FOUND);

    // Ada submits; Cora is asked.
    let submitted = ada.post(&format!("/courses/{id}/review/submit"), &[]).await;
    submitted.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(
        submitted.location(),
        format!("/courses/{id}/review?notice=review-submitted")
    );
    let coach = t.signed_in("cora@acme.test").await;
    coach
        .get("/notifications")
        .await
        .expect_contains("Ada Author asks you to review “On-call runbook”");
    coach
        .get(&format!("/courses/{id}/preview/2"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Acknowledge within an hour.");

    // Cora comments on step 2 and asks for changes.
    let page = coach.get(&format!("/courses/{id}/review")).await;
    page.expect_status(StatusCode::OK)
        .expect_contains("data-status=\"waiting\"");
    let key = step_key(&page.body, 2);
    coach
        .post(
            &format!("/courses/{id}/review/comments"),
            &[
                ("step", &key),
                ("body", "An hour is too slow: say five minutes."),
            ],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    coach
        .post(
            &format!("/courses/{id}/review/verdict"),
            &[("verdict", "changes-requested"), ("note", "See step 2.")],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    ada.get("/notifications")
        .await
        .expect_contains("Cora Coach asks for changes to “On-call runbook”");
    let review = ada.get(&format!("/courses/{id}/review")).await;
    review
        .expect_contains("data-status=\"changes-requested\"")
        .expect_contains("Step 2 · When the pager fires")
        .expect_contains("An hour is too slow");
    ada.post(&format!("/courses/{id}/publish"), &[("note", "")])
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("asked for changes");

    // Ada may not approve her own course.
    ada.post(
        &format!("/courses/{id}/review/verdict"),
        &[("verdict", "approved"), ("note", "")],
    )
    .await
    .expect_status(StatusCode::CONFLICT)
    .expect_contains("someone else must review it");

    // Ada fixes step 2, answers and resolves the comment, and submits again.
    autosave(&ada, id, steps[1], 1, "Acknowledge within five minutes.").await;
    let thread = first_thread(&review.body);
    ada.post(
        &format!("/courses/{id}/review/comments"),
        &[("parent", &thread), ("body", "Done: five minutes.")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    ada.post(
        &format!("/courses/{id}/review/comments/{thread}/resolve"),
        &[("resolved", "1")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    ada.post(&format!("/courses/{id}/review/submit"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);

    // Cora approves through the API (the pages' twin).
    let api = t.api(&crate::api::token_for(&t, "cora@acme.test").await);
    let approved = api
        .send(
            Method::POST,
            &format!("/courses/{id}/review/verdict"),
            Some(json!({ "verdict": "approved", "note": "Good now." })),
        )
        .await;
    approved.expect_status(StatusCode::OK);
    assert_eq!(approved.json()["standing"], "approved");
    let bad = api
        .send(
            Method::POST,
            &format!("/courses/{id}/review/verdict"),
            Some(json!({ "verdict": "maybe" })),
        )
        .await;
    bad.expect_status(StatusCode::UNPROCESSABLE_ENTITY);

    // A change after approval asks again.
    autosave(
        &ada,
        id,
        steps[2],
        1,
        "Write the handover note before you leave.",
    )
    .await;
    ada.post(&format!("/courses/{id}/publish"), &[("note", "")])
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("changed after it was approved");
    bo.get(&format!("/courses/{id}"))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    ada.post(&format!("/courses/{id}/review/submit"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    coach
        .post(
            &format!("/courses/{id}/review/verdict"),
            &[("verdict", "approved"), ("note", "")],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    ada.post(&format!("/courses/{id}/publish"), &[("note", "")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    bo.get(&format!("/courses/{id}"))
        .await
        .expect_status(StatusCode::OK);
    bo.start_course(id).await;
    bo.get(&format!("/courses/{id}/learn/2"))
        .await
        .expect_contains("Acknowledge within five minutes.");

    // The conversation stays with version 1, linked from its history.
    ada.get(&format!("/courses/{id}/versions"))
        .await
        .expect_contains(&format!("/courses/{id}/review?version=1"));
    bo.get(&format!("/courses/{id}/versions"))
        .await
        .expect_lacks("review?version=1");
    let kept = coach.get(&format!("/courses/{id}/review?version=1")).await;
    kept.expect_contains("data-status=\"published\"")
        .expect_contains("An hour is too slow")
        .expect_contains("Done: five minutes.")
        .expect_contains("data-testid=\"resolved\"");
    bo.get(&format!("/courses/{id}/review?version=1"))
        .await
        .expect_status(StatusCode::FORBIDDEN);
    // Every step is in the record.
    let wanted = [
        "submitted-for-review",
        "review-commented",
        "review-changes-requested",
        "review-approved",
        "published",
    ];
    let verbs: Vec<String> = t
        .app
        .store()
        .course_events(id, &wanted)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.verb)
        .collect();
    for verb in wanted {
        assert!(verbs.iter().any(|v| v == verb), "{verb} in {verbs:?}");
    }
}
story!(a_reviewed_course_publishes_only_once_approved);

/// Without the group's rule a course publishes at once; a comment on a draft nobody
/// submitted, a comment on a step not in the draft and an empty comment are refused.
async fn review_is_optional_and_bad_comments_change_nothing(t: TestApp) {
    let (eng, _) = team(&t).await;
    let cora = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(cora, eng, "coach").await;
    let ada = t.signed_in("ada@acme.test").await;
    ada.get("/courses/new").await;
    let (id, _) = draft_runbook(&ada).await;
    let coach = t.signed_in("cora@acme.test").await;
    coach.get("/").await;
    coach
        .post(
            &format!("/courses/{id}/review/comments"),
            &[("step", ""), ("body", "Hello")],
        )
        .await
        .expect_status(StatusCode::CONFLICT)
        .expect_contains("not under review");
    ada.post(&format!("/courses/{id}/review/submit"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    ada.post(&format!("/courses/{id}/review/submit"), &[])
        .await
        .expect_status(StatusCode::CONFLICT)
        .expect_contains("already waiting for review");
    coach
        .post(
            &format!("/courses/{id}/review/comments"),
            &[("step", "no-such-step"), ("body", "Hello")],
        )
        .await
        // A step the draft lacks is not there (decision 0037).
        .expect_status(StatusCode::NOT_FOUND);
    coach
        .post(
            &format!("/courses/{id}/review/comments"),
            &[("step", ""), ("body", "   ")],
        )
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    coach
        .get(&format!("/courses/{id}/review"))
        .await
        .expect_contains("No comments yet.");
    // Optional review: publishing does not wait, and the review closes with the version.
    ada.post(&format!("/courses/{id}/publish"), &[("note", "")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    coach
        .get(&format!("/courses/{id}/review?version=1"))
        .await
        .expect_contains("data-status=\"published\"");
}
story!(review_is_optional_and_bad_comments_change_nothing);

/// A course not checked for its interval is stale: it shows with its reason in the coach's
/// "needs attention", its owner is asked once, and a confirmation (who and when) clears it.
async fn a_stale_course_shows_in_the_coachs_list_with_its_reason(t: TestApp) {
    let (eng, _) = team(&t).await;
    let cora = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(cora, eng, "coach").await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = crate::courses::write_runbook(&ada).await;
    let coach = t.signed_in("cora@acme.test").await;
    coach
        .get("/attention")
        .await
        .expect_lacks(&format!("data-testid=\"attention-{id}\""));

    t.clock.advance(time::Duration::days(181));
    // Sessions lapse over half a year: sign in again.
    let coach = t.signed_in("cora@acme.test").await;
    let ada = t.signed_in("ada@acme.test").await;
    coach
        .get("/attention")
        .await
        .expect_contains(&format!("data-testid=\"attention-{id}\""))
        .expect_contains("not checked for 181 days (its review interval is 180 days)");
    // The owner is asked once, however many sweeps and servers.
    t.run_jobs().await;
    t.run_jobs().await;
    let other = t.second_server().await;
    other.run_jobs().await;
    let asked = ada.get("/notifications").await;
    assert_eq!(
        asked
            .body
            .matches("Is “On-call runbook” still right?</button>")
            .count(),
        1,
        "asked exactly once"
    );

    // A bad interval is refused and changes nothing.
    ada.post(
        &format!("/courses/{id}/review-interval"),
        &[("review_days", "0")],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    ada.get(&format!("/courses/{id}/feedback"))
        .await
        .expect_contains("Review interval: 180 days (the default)");

    // Ada confirms from the list; it leaves the coach's list.
    let confirmed = ada
        .post(&format!("/courses/{id}/confirm"), &[("back", "attention")])
        .await;
    assert_eq!(confirmed.location(), "/attention?notice=course-confirmed");
    coach
        .get("/attention")
        .await
        .expect_lacks(&format!("data-testid=\"attention-{id}\""));
    ada.get(&format!("/courses/{id}/feedback"))
        .await
        .expect_contains("Last confirmed still right by Ada Author");

    // A shorter interval of its own makes it stale sooner.
    ada.post(
        &format!("/courses/{id}/review-interval"),
        &[("review_days", "30")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    t.clock.advance(time::Duration::days(31));
    let coach = t.signed_in("cora@acme.test").await;
    coach
        .get("/attention")
        .await
        .expect_contains("not checked for 31 days (its review interval is 30 days)");
    // Learners cannot confirm.
    let bo = t.signed_in("bo@acme.test").await;
    bo.post(&format!("/courses/{id}/confirm"), &[])
        .await
        .expect_status(StatusCode::FORBIDDEN);
}
story!(a_stale_course_shows_in_the_coachs_list_with_its_reason);

/// The review settings through the API, as on the pages: a group's rules (a bad interval
/// changes nothing), a course's interval, and a named expert who may then review.
async fn review_settings_have_api_twins(t: TestApp) {
    let (eng, _) = team(&t).await;
    let cora = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(cora, eng, "coach").await;
    t.person("root@acme.test", "Rae Root", true).await;
    t.person("exa@acme.test", "Exa Expert", false).await;
    let root = t.api(&crate::api::token_for(&t, "root@acme.test").await);
    let saved = root
        .send(
            Method::PUT,
            &format!("/groups/{eng}/review-rules"),
            Some(json!({ "review_required": true, "review_days": 90 })),
        )
        .await;
    saved.expect_status(StatusCode::OK);
    assert_eq!(saved.json()["review_days"], 90);
    root.send(
        Method::PUT,
        &format!("/groups/{eng}/review-rules"),
        Some(json!({ "review_required": false, "review_days": 0 })),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let rules = t.app.group_review_rules(eng).await.expect("rules");
    assert!(rules.review_required, "unchanged by the refused request");
    assert_eq!(rules.review_days, Some(90));

    let ada = t.signed_in("ada@acme.test").await;
    ada.get("/courses/new").await;
    let (id, _) = draft_runbook(&ada).await;
    let coach = t.api(&crate::api::token_for(&t, "cora@acme.test").await);
    coach
        .send(
            Method::POST,
            &format!("/courses/{id}/reviewers"),
            Some(json!({ "email": "exa@acme.test" })),
        )
        .await
        .expect_status(StatusCode::NO_CONTENT);
    coach
        .send(
            Method::POST,
            &format!("/courses/{id}/reviewers"),
            Some(json!({ "email": "ada@acme.test" })),
        )
        .await
        .expect_status(StatusCode::CONFLICT);
    // Named twice: a conflict too; an address that is no address is bad input.
    coach
        .send(
            Method::POST,
            &format!("/courses/{id}/reviewers"),
            Some(json!({ "email": "exa@acme.test" })),
        )
        .await
        .expect_status(StatusCode::CONFLICT);
    coach
        .send(
            Method::POST,
            &format!("/courses/{id}/reviewers"),
            Some(json!({ "email": "not an address" })),
        )
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    coach
        .send(
            Method::PUT,
            &format!("/courses/{id}/review-interval"),
            Some(json!({ "review_days": 30 })),
        )
        .await
        .expect_status(StatusCode::NO_CONTENT);
    ada.post(&format!("/courses/{id}/review/submit"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let expert = t.api(&crate::api::token_for(&t, "exa@acme.test").await);
    let review = expert.get(&format!("/courses/{id}/review")).await;
    review.expect_status(StatusCode::OK);
    assert_eq!(review.json()["can_review"], true);
    let exa = t.caller("exa@acme.test").await;
    coach
        .send(
            Method::DELETE,
            &format!("/courses/{id}/reviewers/{}", exa.id.0),
            None,
        )
        .await
        .expect_status(StatusCode::NO_CONTENT);
    expert
        .get(&format!("/courses/{id}/review"))
        .await
        .expect_status(StatusCode::NOT_FOUND);
}
story!(review_settings_have_api_twins);
