//! API parity, the audit (issue 17, item 2; docs/decisions/0052): the page actions the audit
//! found without an operation — editing and deleting one's post, locking and hiding a
//! thread, hiding a post — through the use cases their pages call, with the same refusals,
//! and permission asked before any body is read.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::api_people::{api, code, place};
use crate::story;
use crate::support::{Api, TestApp};

/// Acme with Aki (author), Cleo (coach), Ada and Cy (learners); Other Co with Eve (learner).
/// Returns Aki's caller.
async fn people(t: &TestApp) -> lore_app::Caller {
    let acme = t.group(None, "Acme").await;
    let other = t.group(None, "Other Co").await;
    place(
        t,
        &[
            ("aki@acme.test", "Aki Author", "author", acme),
            ("cleo@acme.test", "Cleo Coach", "coach", acme),
            ("ada@acme.test", "Ada Lovelace", "learner", acme),
            ("cy@acme.test", "Cy Young", "learner", acme),
            ("eve@other.test", "Eve Elsewhere", "learner", other),
        ],
    )
    .await;
    t.caller("aki@acme.test").await
}

/// The posts of a thread as `who` sees them: (id, markdown, deleted, hidden).
async fn posts(who: &Api, thread: &str) -> Vec<(i64, String, bool, bool)> {
    let page = who.get(thread).await;
    page.expect_status(StatusCode::OK);
    page.json()["posts"]
        .as_array()
        .expect("posts")
        .iter()
        .map(|p| {
            (
                p["id"].as_i64().expect("id"),
                p["markdown"].as_str().expect("markdown").to_owned(),
                p["deleted"].as_bool().expect("deleted"),
                p["hidden"].as_bool().expect("hidden"),
            )
        })
        .collect()
}

/// A learner edits and deletes her own reply through the API as the thread page's buttons
/// do: someone else is refused (403) whatever body they send, someone who cannot see the
/// course gets 404, an empty text is refused (422) and nothing changes; a deleted post shows
/// as deleted, and deleting it again is a conflict.
async fn a_learner_edits_and_deletes_her_post_through_the_api(t: TestApp) {
    let aki = people(&t).await;
    let course = t.published_course(&aki, "Pager duty").await;
    let (ada, cy, eve) = (
        api(&t, "ada@acme.test").await,
        api(&t, "cy@acme.test").await,
        api(&t, "eve@other.test").await,
    );
    let created = cy
        .send(
            Method::POST,
            &format!("/courses/{course}/threads"),
            Some(json!({"title": "Who is on call?", "body": "At night, who answers?"})),
        )
        .await;
    created.expect_status(StatusCode::CREATED);
    let thread = format!("/courses/{course}/threads/{}", created.json()["id"]);
    let reply = ada
        .send(
            Method::POST,
            &format!("{thread}/posts"),
            Some(json!({"body": "The secondary, from 22:00."})),
        )
        .await;
    reply.expect_status(StatusCode::CREATED);
    let post_id = reply.json()["id"].as_i64().expect("id");
    let post = format!("{thread}/posts/{post_id}");

    // Not hers: 403 before the body is read (a bad body too); not visible: 404.
    for body in [json!({"body": "Me!"}), json!({"nope": 1})] {
        let refused = cy.send(Method::PATCH, &post, Some(body)).await;
        refused.expect_status(StatusCode::FORBIDDEN);
        assert_eq!(code(&refused.body), "forbidden", "{}", refused.body);
    }
    cy.send(Method::DELETE, &post, None)
        .await
        .expect_status(StatusCode::FORBIDDEN);
    eve.send(Method::PATCH, &post, Some(json!({"body": "Me!"})))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    eve.send(Method::DELETE, &post, None)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    // Bad input from the author: 422, and the text is as it was.
    let empty = ada
        .send(Method::PATCH, &post, Some(json!({"body": "   "})))
        .await;
    empty.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    ada.send(Method::PATCH, &post, Some(json!({"body": 7})))
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    ada.send(
        Method::PATCH,
        &format!("{thread}/posts/999999"),
        Some(json!({"body": "x"})),
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);
    assert!(
        posts(&cy, &thread)
            .await
            .iter()
            .any(|p| p.0 == post_id && p.1 == "The secondary, from 22:00."),
        "nothing changed"
    );

    // Her edit: the post reads the new text, for everyone.
    let edited = ada
        .send(
            Method::PATCH,
            &post,
            Some(json!({"body": "The secondary, from **21:00**."})),
        )
        .await;
    edited.expect_status(StatusCode::OK);
    let e = edited.json();
    assert_eq!(e["markdown"], "The secondary, from **21:00**.");
    assert!(
        e["html"]
            .as_str()
            .expect("html")
            .contains("<strong>21:00</strong>")
    );
    assert!(e["edited_at"].is_string(), "{e}");
    assert!(
        posts(&cy, &thread)
            .await
            .iter()
            .any(|p| p.0 == post_id && p.1 == "The secondary, from **21:00**."),
        "the edit shows"
    );

    // Deleted: shows as deleted to others; a second delete or an edit is a conflict.
    ada.send(Method::DELETE, &post, None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    let seen = posts(&cy, &thread).await;
    let gone = seen.iter().find(|p| p.0 == post_id).expect("still listed");
    assert!(gone.2 && gone.1.is_empty(), "{gone:?}");
    let again = ada.send(Method::DELETE, &post, None).await;
    again.expect_status(StatusCode::CONFLICT);
    assert_eq!(code(&again.body), "conflict", "{}", again.body);
    ada.send(Method::PATCH, &post, Some(json!({"body": "Back"})))
        .await
        .expect_status(StatusCode::CONFLICT);
}
story!(a_learner_edits_and_deletes_her_post_through_the_api);

/// A coach or an author moderates a discussion through the API as the thread page does:
/// a locked thread takes no reply until unlocked, a hidden post or thread is gone for
/// learners and still there, marked hidden, for moderators. A learner is refused (403)
/// whatever body she sends, someone who cannot see the course gets 404, a body of the wrong
/// shape is 422, and nothing changes.
async fn a_coach_locks_and_hides_through_the_api(t: TestApp) {
    let aki_caller = people(&t).await;
    let course = t.published_course(&aki_caller, "Pager duty").await;
    let (aki, cleo, ada, cy, eve) = (
        api(&t, "aki@acme.test").await,
        api(&t, "cleo@acme.test").await,
        api(&t, "ada@acme.test").await,
        api(&t, "cy@acme.test").await,
        api(&t, "eve@other.test").await,
    );
    let created = ada
        .send(
            Method::POST,
            &format!("/courses/{course}/threads"),
            Some(json!({"title": "Rota", "body": "Where is the rota?"})),
        )
        .await;
    created.expect_status(StatusCode::CREATED);
    let thread = format!("/courses/{course}/threads/{}", created.json()["id"]);
    let reply = cy
        .send(
            Method::POST,
            &format!("{thread}/posts"),
            Some(json!({"body": "Ask the lead."})),
        )
        .await;
    reply.expect_status(StatusCode::CREATED);
    let post_id = reply.json()["id"].as_i64().expect("id");
    let post_hidden = format!("{thread}/posts/{post_id}/hidden");
    let (locked, hidden) = (format!("{thread}/locked"), format!("{thread}/hidden"));

    // A learner: 403 whatever the body; Eve: 404; nothing changes.
    for (path, good) in [
        (&locked, json!({"locked": true})),
        (&hidden, json!({"hidden": true})),
        (&post_hidden, json!({"hidden": true})),
    ] {
        for body in [good.clone(), json!({"nope": 1})] {
            let refused = ada.send(Method::PUT, path, Some(body)).await;
            refused.expect_status(StatusCode::FORBIDDEN);
            assert_eq!(code(&refused.body), "forbidden", "{}", refused.body);
        }
        eve.send(Method::PUT, path, Some(good))
            .await
            .expect_status(StatusCode::NOT_FOUND);
        cleo.send(
            Method::PUT,
            path,
            Some(json!({"locked": "yes", "hidden": 1})),
        )
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let now = ada.get(&thread).await;
    assert_eq!(now.json()["locked"], false);
    assert_eq!(now.json()["hidden"], false);
    assert!(posts(&ada, &thread).await.iter().any(|p| p.0 == post_id));
    cleo.send(
        Method::PUT,
        &format!("/courses/{course}/threads/999999/locked"),
        Some(json!({"locked": true})),
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);

    // Locked by the coach: no reply until the author unlocks it.
    let l = cleo
        .send(Method::PUT, &locked, Some(json!({"locked": true})))
        .await;
    l.expect_status(StatusCode::OK);
    assert_eq!(l.json()["locked"], true);
    ada.send(
        Method::POST,
        &format!("{thread}/posts"),
        Some(json!({"body": "Found it."})),
    )
    .await
    .expect_status(StatusCode::CONFLICT);
    aki.send(Method::PUT, &locked, Some(json!({"locked": false})))
        .await
        .expect_status(StatusCode::OK);
    ada.send(
        Method::POST,
        &format!("{thread}/posts"),
        Some(json!({"body": "Found it."})),
    )
    .await
    .expect_status(StatusCode::CREATED);

    // A hidden post: gone for learners, marked hidden for moderators; shown again.
    let h = cleo
        .send(Method::PUT, &post_hidden, Some(json!({"hidden": true})))
        .await;
    h.expect_status(StatusCode::OK);
    assert_eq!(h.json()["hidden"], true);
    assert!(!posts(&ada, &thread).await.iter().any(|p| p.0 == post_id));
    assert!(
        posts(&aki, &thread)
            .await
            .iter()
            .any(|p| p.0 == post_id && p.3)
    );
    cleo.send(Method::PUT, &post_hidden, Some(json!({"hidden": false})))
        .await
        .expect_status(StatusCode::OK);
    assert!(posts(&ada, &thread).await.iter().any(|p| p.0 == post_id));

    // A hidden thread: 404 for learners, there for moderators; shown again.
    let ht = aki
        .send(Method::PUT, &hidden, Some(json!({"hidden": true})))
        .await;
    ht.expect_status(StatusCode::OK);
    assert_eq!(ht.json()["hidden"], true);
    cy.get(&thread).await.expect_status(StatusCode::NOT_FOUND);
    cleo.get(&thread).await.expect_status(StatusCode::OK);
    aki.send(Method::PUT, &hidden, Some(json!({"hidden": false})))
        .await
        .expect_status(StatusCode::OK);
    cy.get(&thread).await.expect_status(StatusCode::OK);
}
story!(a_coach_locks_and_hides_through_the_api);

/// How many assignments the caller has.
async fn mine(who: &Api) -> usize {
    who.get("/me/assignments")
        .await
        .json()
        .as_array()
        .expect("list")
        .len()
}

/// How many notifications titled `title` the person has.
async fn told(t: &TestApp, email: &str, title: &str) -> usize {
    t.signed_in(email)
        .await
        .get("/notifications")
        .await
        .body
        .matches(&format!("{title}</button>"))
        .count()
}

/// A coach who assigned a course by mistake takes it back, on the progress page (a
/// confirmation, CSRF) and through the API: the assignment leaves the learner's list and
/// the coach's, its due-date reminders do not go out, an `unassigned` event is recorded;
/// an assignment still in force (Cy's own) keeps reminding. A learner is refused (403),
/// someone who cannot see the course gets 404, a form without its CSRF token changes
/// nothing, and an assignment already removed is not there (404).
async fn a_coach_takes_an_assignment_back(t: TestApp) {
    let aki = people(&t).await;
    let course = t.published_course(&aki, "Pager duty").await;
    let acme = t.app.store().all_groups().await.expect("groups");
    let acme = acme.iter().find(|g| g.name == "Acme").expect("Acme").id;
    let (cleo, ada, eve) = (
        api(&t, "cleo@acme.test").await,
        api(&t, "ada@acme.test").await,
        api(&t, "eve@other.test").await,
    );
    let assign = |body: Value| {
        let cleo = &cleo;
        async move {
            let r = cleo.send(Method::POST, "/assignments", Some(body)).await;
            r.expect_status(StatusCode::CREATED);
            r.json()["assignment_ids"][0].as_i64().expect("id")
        }
    };
    let rule = json!({"before_days": [2], "overdue_every_days": 7});
    let to_acme = assign(
        json!({"target": format!("course:{course}"), "group_ids": [acme],
        "due_days": 10, "reminder_rule": rule.clone()}),
    )
    .await;
    let to_cy = assign(
        json!({"target": format!("course:{course}"), "emails": ["cy@acme.test"],
        "due_days": 10, "reminder_rule": rule}),
    )
    .await;
    let progress = format!("/courses/{course}/progress");
    let listed = |r: &crate::support::Page| -> Vec<i64> {
        r.json()["assignments"]
            .as_array()
            .expect("assignments")
            .iter()
            .map(|a| a["id"].as_i64().expect("id"))
            .collect()
    };
    assert_eq!(listed(&cleo.get(&progress).await), vec![to_acme, to_cy]);
    assert_eq!(mine(&ada).await, 1);

    // Refused, and nothing changes.
    let refused = ada
        .send(Method::DELETE, &format!("/assignments/{to_acme}"), None)
        .await;
    refused.expect_status(StatusCode::FORBIDDEN);
    assert_eq!(code(&refused.body), "forbidden", "{}", refused.body);
    eve.send(Method::DELETE, &format!("/assignments/{to_acme}"), None)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    cleo.send(Method::DELETE, "/assignments/999999", None)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    cleo.send(Method::DELETE, "/assignments/first", None)
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let coach = t.signed_in("cleo@acme.test").await;
    let page = coach
        .get(&format!("/progress?target=course:{course}"))
        .await;
    page.expect_status(StatusCode::OK);
    page.expect_contains("Remove the assignment to Acme");
    page.expect_contains(&format!("action=\"/assignments/{to_acme}/remove\""));
    let forged = coach
        .post_raw(&format!("/assignments/{to_acme}/remove"), &[])
        .await;
    assert!(forged.status.is_client_error(), "{}", forged.status);
    let learner = t.signed_in("ada@acme.test").await;
    learner
        .get(&format!("/courses/{course}"))
        .await
        .expect_status(StatusCode::OK);
    let by_learner = learner
        .post(&format!("/assignments/{to_acme}/remove"), &[])
        .await;
    assert_eq!(by_learner.status, StatusCode::FORBIDDEN);
    assert_eq!(listed(&cleo.get(&progress).await), vec![to_acme, to_cy]);
    assert_eq!(mine(&ada).await, 1);

    // The coach's button: the group's assignment is gone; Cy's own stays.
    let removed = coach
        .post(&format!("/assignments/{to_acme}/remove"), &[])
        .await;
    removed.expect_status(StatusCode::SEE_OTHER);
    let back = coach.get(&removed.location()).await;
    back.expect_contains("Assignment removed");
    assert!(!back.body.contains("Remove the assignment to Acme"));
    back.expect_contains("Remove the assignment to Cy Young");
    assert_eq!(listed(&cleo.get(&progress).await), vec![to_cy]);
    assert_eq!(mine(&ada).await, 0);
    let ada_caller = t.caller("ada@acme.test").await;
    let events = t
        .app
        .store()
        .events_of(ada_caller.id.0, course)
        .await
        .expect("events");
    assert_eq!(
        events.iter().filter(|e| e.verb == "unassigned").count(),
        1,
        "one unassigned event for Ada"
    );

    // Two days before the due date: Cy (still assigned) is reminded, Ada is not.
    t.clock.advance(time::Duration::days(8));
    t.run_jobs().await;
    let soon = "“Pager duty” is due in 2 days";
    assert_eq!(told(&t, "cy@acme.test", soon).await, 1);
    assert_eq!(told(&t, "ada@acme.test", soon).await, 0);

    // Through the API: Cy's goes too; removing again is not there.
    cleo.send(Method::DELETE, &format!("/assignments/{to_cy}"), None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    cleo.send(Method::DELETE, &format!("/assignments/{to_cy}"), None)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    assert!(listed(&cleo.get(&progress).await).is_empty());
}
story!(a_coach_takes_an_assignment_back);
