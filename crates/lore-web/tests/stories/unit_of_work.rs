//! One use case, one commit: a use case that fails halfway leaves nothing behind; the outbox
//! hands every event to a consumer once, across a restart; opening the player enrols no one;
//! learner pages run a fixed number of statements however many courses exist.

use reqwest::StatusCode;

use crate::courses::{team, write_runbook};
use crate::feedback::step_key;
use crate::story;
use crate::support::{Browser, TestApp};

/// What a failed use case must not leave behind, counted.
#[derive(Debug, PartialEq, Eq)]
struct Traces {
    reactions: usize,
    learner_events: usize,
    event_outbox: u64,
    notification_outbox: u64,
    author_unread: u64,
    steps_done: usize,
}

async fn traces(t: &TestApp, course: i64, learner: i64, author: i64) -> Traces {
    let store = t.app.store();
    let enrolment = store
        .enrolment(learner, course)
        .await
        .expect("enrolment")
        .expect("enrolled");
    Traces {
        reactions: store
            .course_reactions(course)
            .await
            .expect("reactions")
            .len(),
        learner_events: store
            .events_of(learner, course)
            .await
            .expect("events")
            .len(),
        event_outbox: store.outbox_count("event").await.expect("outbox"),
        notification_outbox: store.outbox_count("notification").await.expect("outbox"),
        author_unread: store.unread_count(author).await.expect("unread"),
        steps_done: store
            .progress_of(enrolment.id)
            .await
            .expect("progress")
            .iter()
            .filter(|p| p.completed_at.is_some())
            .count(),
    }
}

/// Reacting writes a reaction, an event, a notification for the author and their outbox
/// rows; a player visit writes the learner's place and an event. Made to fail after the first
/// write, each answers with an error page and leaves no trace; tried again, it works.
async fn a_use_case_that_fails_halfway_changes_nothing(t: TestApp) {
    team(&t).await;
    let ada_id = t.caller("ada@acme.test").await.id.0;
    let bo_id = t.caller("bo@acme.test").await.id.0;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let bo = t.signed_in("bo@acme.test").await;
    bo.start_course(id).await;
    let player = bo.get(&format!("/courses/{id}/learn/2")).await;
    player.expect_status(StatusCode::OK);
    let key = step_key(&player.body, id);
    let before = traces(&t, id, bo_id, ada_id).await;

    // The event's outbox row comes after the reaction is inserted.
    t.app
        .store()
        .fail_next_statement_containing("INSERT INTO \"outbox\"");
    let react = [
        ("kind", "unclear"),
        ("comment", "Which pager do we use now?"),
        ("position", "2"),
    ];
    let failed = bo
        .post(&format!("/courses/{id}/steps/{key}/reactions"), &react)
        .await;
    failed.expect_status(StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!failed.body.contains("injected"), "no internals in errors");
    assert_eq!(traces(&t, id, bo_id, ada_id).await, before);

    // Recording a visit of the player fails the same way: the page errs, nothing is kept.
    t.app
        .store()
        .fail_next_statement_containing("INSERT INTO \"outbox\"");
    bo.get(&format!("/courses/{id}/learn/3"))
        .await
        .expect_status(StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(traces(&t, id, bo_id, ada_id).await, before);

    // Tried again, it works and everything is there.
    let before = traces(&t, id, bo_id, ada_id).await;
    bo.get(&format!("/courses/{id}/learn/2")).await;
    let reacted = bo
        .post(&format!("/courses/{id}/steps/{key}/reactions"), &react)
        .await;
    reacted.expect_status(StatusCode::SEE_OTHER);
    let after = traces(&t, id, bo_id, ada_id).await;
    assert_eq!(after.reactions, before.reactions + 1);
    assert_eq!(after.notification_outbox, before.notification_outbox + 1);
    assert_eq!(after.author_unread, before.author_unread + 1);
    assert!(after.learner_events > before.learner_events);
}
story!(a_use_case_that_fails_halfway_changes_nothing);

/// Completing a step made to fail at its event keeps the step not done; tried again it is.
async fn a_step_completed_halfway_is_not_done(t: TestApp) {
    team(&t).await;
    let ada_id = t.caller("ada@acme.test").await.id.0;
    let bo_id = t.caller("bo@acme.test").await.id.0;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let bo = t.signed_in("bo@acme.test").await;
    bo.start_course(id).await;
    let player = bo.get(&format!("/courses/{id}/learn/1")).await;
    let key = step_key(&player.body, id);
    let before = traces(&t, id, bo_id, ada_id).await;
    t.app
        .store()
        .fail_next_statement_containing("INSERT INTO \"events\"");
    bo.post(
        &format!("/courses/{id}/steps/{key}/complete"),
        &[("position", "1")],
    )
    .await
    .expect_status(StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(traces(&t, id, bo_id, ada_id).await, before);

    bo.get(&format!("/courses/{id}/learn/1")).await;
    bo.post(
        &format!("/courses/{id}/steps/{key}/complete"),
        &[("position", "1")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let after = traces(&t, id, bo_id, ada_id).await;
    assert_eq!(after.steps_done, before.steps_done + 1);
    assert!(after.learner_events > before.learner_events);
    assert!(after.event_outbox > before.event_outbox);
}
story!(a_step_completed_halfway_is_not_done);

/// A learner opening the player by its address, without pressing Start, sees the course's
/// page; nothing about them changes until they press Start.
async fn opening_the_player_enrols_no_one(t: TestApp) {
    team(&t).await;
    let bo_id = t.caller("bo@acme.test").await.id.0;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let bo = t.signed_in("bo@acme.test").await;
    for path in [
        format!("/courses/{id}/learn"),
        format!("/courses/{id}/learn/2"),
    ] {
        let opened = bo.get(&path).await;
        opened.expect_status(StatusCode::SEE_OTHER);
        assert_eq!(opened.location(), format!("/courses/{id}"));
    }
    bo.get(&format!("/courses/{id}"))
        .await
        .expect_contains("You have not started this course.");
    bo.get("/learning").await.expect_lacks("On-call runbook");
    let store = t.app.store();
    assert!(store.enrolment(bo_id, id).await.expect("read").is_none());
    // Seeing the course page is recorded (the funnel counts it); nothing else is.
    let verbs: Vec<String> = store
        .events_of(bo_id, id)
        .await
        .expect("read")
        .into_iter()
        .map(|e| e.verb)
        .collect();
    assert!(verbs.iter().all(|v| v == "viewed-course"), "{verbs:?}");

    let started = bo.start_course(id).await;
    assert_eq!(started.location(), format!("/courses/{id}/learn"));
    bo.get(&format!("/courses/{id}/learn"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Before your shift");
    assert!(store.enrolment(bo_id, id).await.expect("read").is_some());
}
story!(opening_the_player_enrols_no_one);

/// Every event id the consumer was handed, acknowledging each batch, until it has been
/// handed every event committed so far. On PostgreSQL a row waits while any older
/// transaction on the server is still open (other tests' databases share the server), so
/// this keeps asking for a while rather than taking one empty batch as the end.
async fn drain(t: &TestApp, consumer: &str, seen: &mut Vec<i64>) {
    let wanted = all_event_ids(t).await.len();
    for _ in 0..300 {
        drain_once(t, consumer, seen).await;
        if seen.len() >= wanted {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// A batch for the consumer, waiting (as `drain` does) until one is there.
async fn next_batch(t: &TestApp, consumer: &str) -> Vec<lore_app::outbox::Delivery> {
    for _ in 0..300 {
        let batch = t.app.outbox_batch(consumer, 100).await.expect("batch");
        if !batch.is_empty() {
            return batch;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Vec::new()
}

async fn drain_once(t: &TestApp, consumer: &str, seen: &mut Vec<i64>) {
    loop {
        let batch = t.app.outbox_batch(consumer, 7).await.expect("batch");
        let Some(last) = batch.last() else { break };
        let last = last.position;
        seen.extend(
            batch
                .iter()
                .filter(|d| d.topic == "event")
                .map(|d| d.row_id),
        );
        t.app
            .acknowledge_outbox(consumer, last)
            .await
            .expect("acknowledge");
    }
}

async fn all_event_ids(t: &TestApp) -> Vec<i64> {
    t.app
        .store()
        .events_after(0, 100_000)
        .await
        .expect("events")
        .iter()
        .map(|e| e.id)
        .collect()
}

/// A consumer reads the outbox in batches; a batch it did not acknowledge before a restart
/// comes again; after the restart it goes on where it stopped; in the end it was handed
/// every event exactly once (counting acknowledged batches).
async fn the_outbox_hands_every_event_once_across_a_restart(mut t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let bo = t.signed_in("bo@acme.test").await;
    bo.start_course(id).await;
    let player = bo.get(&format!("/courses/{id}/learn/1")).await;
    let key = step_key(&player.body, id);
    bo.post(
        &format!("/courses/{id}/steps/{key}/complete"),
        &[("position", "1")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);

    let mut seen = Vec::new();
    drain(&t, "story-consumer", &mut seen).await;
    assert_eq!(seen, all_event_ids(&t).await);
    assert!(!seen.is_empty());

    // More happens; the consumer reads a batch but stops before acknowledging it.
    bo.get(&format!("/courses/{id}/learn/2")).await;
    let unacknowledged = next_batch(&t, "story-consumer").await;
    assert!(!unacknowledged.is_empty());

    t.restart().await;
    let bo = Browser::moved_to(&bo, &t.base);
    let again = t
        .app
        .outbox_batch("story-consumer", 100)
        .await
        .expect("batch");
    assert_eq!(
        again.iter().map(|d| d.position).collect::<Vec<_>>(),
        unacknowledged
            .iter()
            .map(|d| d.position)
            .collect::<Vec<_>>(),
        "what was not acknowledged comes again after a restart"
    );
    bo.get(&format!("/courses/{id}/learn/3")).await;
    drain(&t, "story-consumer", &mut seen).await;
    let all = all_event_ids(&t).await;
    assert_eq!(seen, all, "every event once, in order");
    // An event's payload says who did what; a new consumer starts at the beginning.
    let bo_id = t.caller("bo@acme.test").await.id.0;
    let from_start = t
        .app
        .outbox_batch("another-consumer", 1000)
        .await
        .expect("batch");
    assert!(from_start.iter().any(|d| d.payload["verb"] == "enrolled"
        && d.payload["user_id"] == bo_id
        && d.payload["course_id"] == id));
}
story!(the_outbox_hands_every_event_once_across_a_restart);

/// The event log, folded, equals the stored progress: for the whole demo (learners at every
/// stage, version switches, exams that complete courses) and for a story's learner.
async fn the_event_log_replays_into_the_demos_progress(t: TestApp) {
    lore_app::demo::seed(&t.app).await.expect("seed");
    let stored = t.app.progress_stored().await.expect("stored");
    assert!(stored.len() > 20, "the demo has learners");
    assert!(stored.values().any(|p| p.completed));
    assert_eq!(t.app.progress_from_events().await.expect("replay"), stored);
}
story!(the_event_log_replays_into_the_demos_progress);

async fn the_event_log_replays_into_a_learners_progress(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let bo = t.signed_in("bo@acme.test").await;
    bo.start_course(id).await;
    for position in 1..=3 {
        let player = bo.get(&format!("/courses/{id}/learn/{position}")).await;
        let key = step_key(&player.body, id);
        bo.post(
            &format!("/courses/{id}/steps/{key}/complete"),
            &[("position", &position.to_string())],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    }
    let bo_id = t.caller("bo@acme.test").await.id.0;
    let stored = t.app.progress_stored().await.expect("stored");
    assert!(stored[&(bo_id, id)].completed);
    assert_eq!(stored[&(bo_id, id)].steps_done.len(), 3);
    assert_eq!(t.app.progress_from_events().await.expect("replay"), stored);
}
story!(the_event_log_replays_into_a_learners_progress);

/// Learner pages run a fixed number of statements, the same with 10 courses and with 1,000
/// courses, 150 more people, 150 learning needs and 25 more courses taken by the learner.
async fn learner_pages_keep_a_statement_budget(t: TestApp) {
    team(&t).await;
    let ada_caller = t.caller("ada@acme.test").await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let bo = t.signed_in("bo@acme.test").await;
    bo.start_course(id).await;
    let pages = [
        "/".to_owned(),
        "/courses".to_owned(),
        "/courses?q=runbook".to_owned(),
        format!("/courses/{id}"),
        format!("/courses/{id}/learn/1"),
        "/learning".to_owned(),
        "/needs".to_owned(),
    ];
    let add_courses = |n: usize| {
        let t = &t;
        let caller = ada_caller.clone();
        async move {
            let mut ids = Vec::new();
            for i in 0..n {
                ids.push(
                    t.published_course(&caller, &format!("Checklist number {i}"))
                        .await,
                );
            }
            ids
        }
    };
    add_courses(9).await;
    // People who each ask for one learning need.
    let add_people_and_needs = |range: std::ops::Range<usize>| {
        let t = &t;
        async move {
            let eng = t
                .app
                .store()
                .all_groups()
                .await
                .expect("groups")
                .into_iter()
                .find(|g| g.name == "Engineering")
                .expect("engineering")
                .id;
            for i in range {
                let email = format!("learner{i}@acme.test");
                let id = t.person(&email, &format!("Learner {i}"), false).await;
                t.member(id, eng, "learner").await;
                let title = format!("How do we rotate secret number {i}");
                t.app
                    .ask_need(
                        &t.caller(&email).await,
                        lore_app::needs::asking::NeedInput {
                            title: &title,
                            problem: "We keep asking each other how this works.",
                            topic: "Security",
                            urgency: "normal",
                            questions: "",
                            audiences: Vec::new(),
                        },
                    )
                    .await
                    .expect("ask");
            }
        }
    };
    add_people_and_needs(0..1).await;
    // A first visit records a first view; from then on a visit is like any other.
    for p in &pages {
        bo.statements(p).await;
    }
    let mut small = Vec::new();
    for p in &pages {
        small.push(bo.statements(p).await);
    }
    let more = add_courses(990).await;
    // Bo takes 25 more courses: "My learning" and home list them without a statement each.
    let bo_caller = t.caller("bo@acme.test").await;
    for course in more.iter().take(25) {
        t.app.enrol(&bo_caller, *course).await.expect("enrol");
    }
    add_people_and_needs(1..151).await;
    // New people: the audience sizes kept between requests are counted again once.
    for p in &pages {
        bo.statements(p).await;
    }
    let mut large = Vec::new();
    for p in &pages {
        large.push(bo.statements(p).await);
    }
    for ((page, s), l) in pages.iter().zip(&small).zip(&large) {
        // Shown with --nocapture: the figures BENCHMARKS.md quotes.
        eprintln!("statements per request: {page}: {s} with 10 courses, {l} with 1,000");
        assert_eq!(
            s, l,
            "{page}: {s} statements with 10 courses, {l} with 1,000"
        );
        assert!(*l <= 40, "{page}: {l} statements");
    }
}
story!(learner_pages_keep_a_statement_budget);
