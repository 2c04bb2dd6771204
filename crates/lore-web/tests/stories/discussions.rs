//! Discussions end to end: questions on a step reach the authors, replies reach the asker,
//! an accepted answer reaches its writer, mentions notify once; history for moderators,
//! hiding and locking by coaches; inert scripts, size and rate limits; the API.

use lore_app::AppError;
use lore_app::courses::authoring::NewCourse;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::story;
use crate::support::{Browser, TestApp};

/// Ada (author) publishes a two-step course for Engineering, where Bo and Cy learn and Cora
/// coaches; Sam is in Sales and cannot see it. Returns the course id and its step keys.
async fn course(t: &TestApp) -> (i64, Vec<String>) {
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let sales = t.group(Some(acme), "Sales").await;
    for (email, name, group, role) in [
        ("ada@acme.test", "Ada Author", eng, "author"),
        ("bo@acme.test", "Bo Learner", eng, "learner"),
        ("cy@acme.test", "Cy Learner", eng, "learner"),
        ("cora@acme.test", "Cora Coach", eng, "coach"),
        ("sam@acme.test", "Sam Sales", sales, "learner"),
    ] {
        let id = t.person(email, name, false).await;
        t.member(id, group, role).await;
    }
    let ada = t.caller("ada@acme.test").await;
    let id = t
        .app
        .create_course(
            &ada,
            NewCourse {
                title: "Key rotation",
                group_id: None,
                first_step_title: "Why rotate",
                first_step_body: "Keys leak.",
            },
        )
        .await
        .expect("course");
    t.app.publish(&ada, id, "").await.expect("publish");
    let keys = t
        .app
        .discussions(&ada, id, None)
        .await
        .expect("discussions")
        .steps
        .into_iter()
        .map(|s| s.key)
        .collect();
    (id, keys)
}

/// Notifications of a person of one kind, newest first.
async fn told(t: &TestApp, email: &str, kind: &str) -> Vec<lore_store::NotificationRow> {
    let c = t.caller(email).await;
    t.app
        .notifications(&c, 100)
        .await
        .expect("notifications")
        .into_iter()
        .filter(|n| n.kind == kind)
        .collect()
}

/// The thread id in a `/courses/{id}/discussions/{thread_id}…` address.
fn thread_id(location: &str) -> i64 {
    location
        .split("/discussions/")
        .nth(1)
        .and_then(|s| s.split(['/', '#', '?']).next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no thread id in {location:?}"))
}

/// The post id in a `…#post-{id}` address.
fn post_id(location: &str) -> i64 {
    location
        .split("#post-")
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no post id in {location:?}"))
}

async fn ask(b: &Browser, id: i64, step: &str, title: &str, body: &str) -> i64 {
    b.get(&format!("/courses/{id}/discussions?step={step}"))
        .await
        .expect_status(StatusCode::OK);
    let r = b
        .post(
            &format!("/courses/{id}/discussions"),
            &[("title", title), ("body", body), ("step", step)],
        )
        .await;
    r.expect_status(StatusCode::SEE_OTHER);
    thread_id(&r.location())
}

async fn answer(b: &Browser, id: i64, thread: i64, body: &str) -> i64 {
    b.get(&format!("/courses/{id}/discussions/{thread}"))
        .await
        .expect_status(StatusCode::OK);
    let r = b
        .post(
            &format!("/courses/{id}/discussions/{thread}/replies"),
            &[("body", body)],
        )
        .await;
    r.expect_status(StatusCode::SEE_OTHER);
    post_id(&r.location())
}

async fn a_question_on_a_step_is_answered_and_accepted(t: TestApp) {
    let (id, keys) = course(&t).await;
    let bo = t.signed_in("bo@acme.test").await;
    bo.get(&format!("/courses/{id}/discussions?step={}", keys[0]))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Why rotate")
        .expect_contains("No discussions yet");
    let thread = ask(&bo, id, &keys[0], "How often?", "Every **90** days?").await;

    let to_ada = told(&t, "ada@acme.test", "thread").await;
    assert_eq!(to_ada.len(), 1);
    assert!(
        to_ada[0].title.contains("How often?"),
        "{}",
        to_ada[0].title
    );
    assert!(
        to_ada[0]
            .link
            .starts_with(&format!("/courses/{id}/discussions/{thread}#post-")),
        "{}",
        to_ada[0].link
    );
    assert!(told(&t, "bo@acme.test", "thread").await.is_empty());
    assert_eq!(
        t.app
            .store()
            .unanswered_thread_count(id)
            .await
            .expect("count"),
        1
    );

    let cy = t.signed_in("cy@acme.test").await;
    let cy_post = answer(&cy, id, thread, "Yes, every 90 days.").await;
    assert_eq!(told(&t, "bo@acme.test", "reply").await.len(), 1);
    let ada = t.signed_in("ada@acme.test").await;
    answer(&ada, id, thread, "Cy is right.").await;
    assert_eq!(told(&t, "bo@acme.test", "reply").await.len(), 2);
    assert_eq!(told(&t, "cy@acme.test", "reply").await.len(), 1);
    assert!(told(&t, "ada@acme.test", "reply").await.is_empty());
    assert_eq!(
        t.app
            .store()
            .unanswered_thread_count(id)
            .await
            .expect("count"),
        0
    );

    // Cy may not choose the answer; Bo, who asked, does, and Cy hears of it.
    cy.get(&format!("/courses/{id}/discussions/{thread}"))
        .await
        .expect_lacks("Accept as answer");
    cy.post(
        &format!("/courses/{id}/discussions/{thread}/accept"),
        &[("post_id", &cy_post.to_string())],
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);
    bo.get(&format!("/courses/{id}/discussions/{thread}"))
        .await
        .expect_contains("Accept as answer");
    bo.post(
        &format!("/courses/{id}/discussions/{thread}/accept"),
        &[("post_id", &cy_post.to_string())],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let to_cy = told(&t, "cy@acme.test", "reply").await;
    assert_eq!(to_cy.len(), 2);
    assert!(to_cy[0].title.contains("accepted"), "{}", to_cy[0].title);
    assert!(to_cy[0].link.ends_with(&format!("#post-{cy_post}")));
    let page = bo.get(&format!("/courses/{id}/discussions/{thread}")).await;
    page.expect_contains("accepted answer")
        .expect_contains("<strong>90</strong>");

    // The lists: by step, and the course page's count; Sam cannot see the course at all.
    bo.get(&format!("/courses/{id}/discussions?step={}", keys[0]))
        .await
        .expect_contains("How often?")
        .expect_contains("answered");
    bo.get(&format!("/courses/{id}/discussions?step=no-such-step"))
        .await
        .expect_lacks("How often?");
    bo.get(&format!("/courses/{id}"))
        .await
        .expect_contains("Discussions (1)");
    let sam = t.signed_in("sam@acme.test").await;
    sam.get(&format!("/courses/{id}/discussions"))
        .await
        .expect_status(StatusCode::NOT_FOUND);
}
story!(a_question_on_a_step_is_answered_and_accepted);

async fn a_mention_tells_the_mentioned_person_once(t: TestApp) {
    let (id, keys) = course(&t).await;
    let bo = t.signed_in("bo@acme.test").await;
    let thread = ask(
        &bo,
        id,
        &keys[0],
        "Who knows?",
        "Asking @Cy@acme.test and @cy@acme.test, @sam@acme.test, @nobody@acme.test and @ada@acme.test.",
    )
    .await;
    let to_cy = told(&t, "cy@acme.test", "mention").await;
    assert_eq!(to_cy.len(), 1);
    assert!(
        to_cy[0]
            .link
            .starts_with(&format!("/courses/{id}/discussions/{thread}#post-"))
    );
    // Sam cannot see the course, so is not told of it.
    assert!(told(&t, "sam@acme.test", "mention").await.is_empty());
    // Ada, mentioned in a question on her course, hears once, as a mention.
    assert_eq!(told(&t, "ada@acme.test", "mention").await.len(), 1);
    assert!(told(&t, "ada@acme.test", "thread").await.is_empty());

    // Editing the post without new mentions tells nobody again; a new mention is told.
    let first = t
        .app
        .discussion_thread(&t.caller("bo@acme.test").await, id, thread)
        .await
        .expect("thread")
        .posts[0]
        .id;
    bo.get(&format!("/courses/{id}/discussions/{thread}")).await;
    bo.post(
        &format!("/courses/{id}/discussions/{thread}/posts/{first}/edit"),
        &[("body", "Asking @cy@acme.test and @cora@acme.test again.")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    assert_eq!(told(&t, "cy@acme.test", "mention").await.len(), 1);
    assert_eq!(told(&t, "cora@acme.test", "mention").await.len(), 1);
    // Mentioning oneself tells nobody.
    answer(&bo, id, thread, "Note to @bo@acme.test.").await;
    assert!(told(&t, "bo@acme.test", "mention").await.is_empty());
}
story!(a_mention_tells_the_mentioned_person_once);

async fn edits_keep_their_history_for_moderators_only(t: TestApp) {
    let (id, keys) = course(&t).await;
    let bo = t.signed_in("bo@acme.test").await;
    let thread = ask(&bo, id, &keys[0], "Typos", "First wording, embarrassing.").await;
    let post = answer(&bo, id, thread, "A reply I regret.").await;
    bo.post(
        &format!("/courses/{id}/discussions/{thread}/posts/{post}/edit"),
        &[("body", "A better reply.")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    // A refused edit comes back open, with the message and the text as typed.
    let long = format!("Keep me {}", "y".repeat(20_000));
    bo.post(
        &format!("/courses/{id}/discussions/{thread}/posts/{post}/edit"),
        &[("body", &long)],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("at most 20,000 characters")
    .expect_contains("Keep me yyyy");
    // Only the author edits.
    let cy = t.signed_in("cy@acme.test").await;
    cy.get(&format!("/courses/{id}/discussions/{thread}"))
        .await
        .expect_contains("A better reply.")
        .expect_contains("edited")
        .expect_lacks("A reply I regret.");
    cy.post(
        &format!("/courses/{id}/discussions/{thread}/posts/{post}/edit"),
        &[("body", "Hijacked")],
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);
    bo.get(&format!("/courses/{id}/discussions/{thread}"))
        .await
        .expect_lacks("A reply I regret.");
    let cora = t.signed_in("cora@acme.test").await;
    cora.get(&format!("/courses/{id}/discussions/{thread}"))
        .await
        .expect_contains("History (1)")
        .expect_contains("A reply I regret.");

    // Deleted: shown as deleted to all; its text stays in the coach's history.
    bo.post(
        &format!("/courses/{id}/discussions/{thread}/posts/{post}/delete"),
        &[],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    cy.get(&format!("/courses/{id}/discussions/{thread}"))
        .await
        .expect_contains("This post was deleted")
        .expect_lacks("A better reply.");
    cora.get(&format!("/courses/{id}/discussions/{thread}"))
        .await
        .expect_contains("History (2)")
        .expect_contains("A better reply.");

    let learner = t.caller("cy@acme.test").await;
    assert!(matches!(
        t.app.post_history(&learner, id, post).await,
        Err(AppError::Forbidden)
    ));
    let coach = t.caller("cora@acme.test").await;
    let history = t.app.post_history(&coach, id, post).await.expect("history");
    assert_eq!(
        history
            .iter()
            .map(|r| r.markdown.as_str())
            .collect::<Vec<_>>(),
        ["A reply I regret.", "A better reply."]
    );
}
story!(edits_keep_their_history_for_moderators_only);

async fn coaches_hide_posts_and_lock_threads(t: TestApp) {
    let (id, keys) = course(&t).await;
    let bo = t.signed_in("bo@acme.test").await;
    let thread = ask(&bo, id, &keys[0], "Rotation tooling", "Which tool?").await;
    let cy = t.signed_in("cy@acme.test").await;
    let rude = answer(&cy, id, thread, "Something rude.").await;
    let thread_page = format!("/courses/{id}/discussions/{thread}");

    // A learner may not moderate.
    bo.post(
        &format!("{thread_page}/posts/{rude}/hide"),
        &[("on", "true")],
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);
    let cora = t.signed_in("cora@acme.test").await;
    cora.get(&thread_page).await;
    cora.post(
        &format!("{thread_page}/posts/{rude}/hide"),
        &[("on", "true")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    bo.get(&thread_page).await.expect_lacks("Something rude.");
    cy.get(&thread_page).await.expect_lacks("Something rude.");
    cora.get(&thread_page)
        .await
        .expect_contains("Something rude.")
        .expect_contains("data-testid=\"hidden-post\"");

    // Locked: a reply is refused with a clear message, the text kept, nothing stored.
    cora.post(&format!("{thread_page}/lock"), &[("on", "true")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let before = t.app.store().posts_of(thread).await.expect("posts").len();
    bo.get(&thread_page).await.expect_contains("locked");
    let refused = bo
        .post(
            &format!("{thread_page}/replies"),
            &[("body", "Still wondering about tooling")],
        )
        .await;
    refused
        .expect_status(StatusCode::CONFLICT)
        .expect_contains("This discussion is locked")
        .expect_contains("Still wondering about tooling");
    assert_eq!(
        t.app.store().posts_of(thread).await.expect("posts").len(),
        before
    );

    // A hidden thread leaves the learners' list and cannot be opened by them.
    cora.post(&format!("{thread_page}/hide"), &[("on", "true")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    bo.get(&format!("/courses/{id}/discussions"))
        .await
        .expect_lacks("Rotation tooling");
    bo.get(&thread_page)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    cora.get(&format!("/courses/{id}/discussions"))
        .await
        .expect_contains("Rotation tooling")
        .expect_contains("hidden");
    assert_eq!(
        t.app
            .store()
            .unanswered_thread_count(id)
            .await
            .expect("count"),
        0
    );
}
story!(coaches_hide_posts_and_lock_threads);

async fn scripts_in_posts_are_rendered_inert(t: TestApp) {
    let (id, keys) = course(&t).await;
    let bo = t.signed_in("bo@acme.test").await;
    let thread = ask(
        &bo,
        id,
        &keys[0],
        "<script>alert('title')</script>",
        "<script>alert('body')</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(2)>",
    )
    .await;
    // Seen by someone else (the writer's own edit box holds the text, escaped).
    let cy = t.signed_in("cy@acme.test").await;
    let page = cy.get(&format!("/courses/{id}/discussions/{thread}")).await;
    page.expect_status(StatusCode::OK)
        .expect_lacks("<script>alert")
        .expect_lacks("javascript:alert")
        .expect_lacks("onerror=")
        .expect_contains("&#60;script&#62;alert")
        .expect_contains("click");
    bo.get(&format!("/courses/{id}/discussions"))
        .await
        .expect_lacks("<script>alert");
}
story!(scripts_in_posts_are_rendered_inert);

async fn a_huge_post_is_refused_and_nothing_is_stored(t: TestApp) {
    let (id, keys) = course(&t).await;
    let bo = t.signed_in("bo@acme.test").await;
    bo.get(&format!("/courses/{id}/discussions")).await;
    let huge = "x".repeat(1024 * 1024);
    let refused = bo
        .post(
            &format!("/courses/{id}/discussions"),
            &[
                ("title", "My big question"),
                ("body", &huge),
                ("step", &keys[0]),
            ],
        )
        .await;
    refused
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("at most 20,000 characters")
        .expect_contains("value=\"My big question\"");
    assert!(
        t.app
            .store()
            .threads_of(id, None, true)
            .await
            .expect("threads")
            .is_empty()
    );

    let thread = ask(&bo, id, &keys[0], "Small one", "Short.").await;
    bo.post(
        &format!("/courses/{id}/discussions/{thread}/replies"),
        &[("body", &huge)],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        t.app.store().posts_of(thread).await.expect("posts").len(),
        1
    );
}
story!(a_huge_post_is_refused_and_nothing_is_stored);

async fn the_thirty_first_post_in_an_hour_is_refused(t: TestApp) {
    let (id, keys) = course(&t).await;
    let me = t.caller("bo@acme.test").await;
    let (thread, _) = t
        .app
        .start_thread(
            &me,
            id,
            lore_app::discussions::NewThreadInput {
                title: "Chatty",
                body: "One",
                step_key: Some(&keys[0]),
            },
        )
        .await
        .expect("thread");
    for i in 2..=30 {
        t.clock.advance(time::Duration::seconds(10));
        t.app
            .reply(&me, id, thread.id, &format!("Post {i}"))
            .await
            .expect("reply");
    }
    let bo = t.signed_in("bo@acme.test").await;
    bo.get(&format!("/courses/{id}/discussions/{}", thread.id))
        .await;
    let refused = bo
        .post(
            &format!("/courses/{id}/discussions/{}/replies", thread.id),
            &[("body", "Post 31")],
        )
        .await;
    refused
        .expect_status(StatusCode::TOO_MANY_REQUESTS)
        .expect_contains("Post 31");
    assert!(refused.headers.get("retry-after").is_some());
    assert_eq!(
        t.app
            .store()
            .posts_of(thread.id)
            .await
            .expect("posts")
            .len(),
        30
    );
    // Others are not slowed down; an hour after the first post, Bo may post again.
    let cy = t.signed_in("cy@acme.test").await;
    answer(&cy, id, thread.id, "I can still talk.").await;
    t.clock.advance(time::Duration::minutes(60));
    answer(&bo, id, thread.id, "Post 31, later").await;
}
story!(the_thirty_first_post_in_an_hour_is_refused);

async fn the_api_lists_starts_replies_and_accepts(t: TestApp) {
    let (id, keys) = course(&t).await;
    let bo_caller = t.caller("bo@acme.test").await;
    let cy_caller = t.caller("cy@acme.test").await;
    let bo = t.api(
        &t.app
            .create_token(&bo_caller, "story")
            .await
            .expect("token")
            .1,
    );
    let cy = t.api(
        &t.app
            .create_token(&cy_caller, "story")
            .await
            .expect("token")
            .1,
    );

    let made = bo
        .send(
            Method::POST,
            &format!("/courses/{id}/threads"),
            Some(json!({"title": "API question", "body": "Via **API**", "step_key": keys[0]})),
        )
        .await;
    made.expect_status(StatusCode::CREATED);
    let thread = made.json()["id"].as_i64().expect("id");
    assert_eq!(
        made.json()["posts"][0]["html"],
        "<p>Via <strong>API</strong></p>\n"
    );

    let listed = cy
        .get(&format!("/courses/{id}/threads?step={}", keys[0]))
        .await;
    listed.expect_status(StatusCode::OK);
    assert_eq!(listed.json()[0]["title"], "API question");
    assert_eq!(listed.json()[0]["asker"], "Bo Learner");

    let reply = cy
        .send(
            Method::POST,
            &format!("/courses/{id}/threads/{thread}/posts"),
            Some(json!({"body": "An answer"})),
        )
        .await;
    reply.expect_status(StatusCode::CREATED);
    let answer_id = reply.json()["id"].as_i64().expect("id");

    cy.send(
        Method::POST,
        &format!("/courses/{id}/threads/{thread}/accept"),
        Some(json!({"post_id": answer_id})),
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);
    let accepted = bo
        .send(
            Method::POST,
            &format!("/courses/{id}/threads/{thread}/accept"),
            Some(json!({"post_id": answer_id})),
        )
        .await;
    accepted.expect_status(StatusCode::OK);
    assert_eq!(accepted.json()["accepted_post_id"], answer_id);
    assert_eq!(accepted.json()["posts"][1]["accepted"], true);

    let shown = cy.get(&format!("/courses/{id}/threads/{thread}")).await;
    shown.expect_status(StatusCode::OK);
    assert_eq!(shown.json()["posts"].as_array().expect("posts").len(), 2);

    let huge = cy
        .send(
            Method::POST,
            &format!("/courses/{id}/threads/{thread}/posts"),
            Some(json!({"body": "x".repeat(30_000)})),
        )
        .await;
    huge.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(huge.json()["error"]["code"], "invalid_input");
    assert_eq!(huge.json()["error"]["field"], "body");

    let coach = t.caller("cora@acme.test").await;
    t.app
        .lock_thread(&coach, id, thread, true)
        .await
        .expect("lock");
    let locked = cy
        .send(
            Method::POST,
            &format!("/courses/{id}/threads/{thread}/posts"),
            Some(json!({"body": "Too late"})),
        )
        .await;
    locked.expect_status(StatusCode::CONFLICT);
    assert_eq!(locked.json()["error"]["code"], "conflict");
    assert!(
        locked.json()["error"]["message"]
            .as_str()
            .expect("message")
            .contains("locked")
    );
}
story!(the_api_lists_starts_replies_and_accepts);
