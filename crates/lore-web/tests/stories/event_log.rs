//! The event log as the record: every event says which attempt, enrolment (registration),
//! need and group it belongs to, and so does its outbox row; the outbox is pruned once every
//! consumer has moved past its rows, and a consumer that never acknowledges holds rows only
//! up to the maximum age.

use lore_app::courses::authoring::NewCourse;
use lore_app::evaluations::authoring::SettingsInput;
use lore_app::needs::asking::NeedInput;
use lore_domain::question::{Answer, ChoiceOption, Question, QuestionBody};
use lore_store::EventRow;

use crate::story;
use crate::support::TestApp;

fn question() -> Question {
    let opt = |id: &str| ChoiceOption {
        id: id.into(),
        text: format!("Option {id}"),
        correct: id == "a",
        feedback: String::new(),
        weight: None,
    };
    Question {
        prompt: "Which pager?".into(),
        body: QuestionBody::SingleChoice {
            options: vec![opt("a"), opt("b")],
        },
        points: 1.0,
        explanation: "The new one.".into(),
    }
}

async fn every_event(t: &TestApp) -> Vec<EventRow> {
    t.app.store().events_after(0, 10_000).await.expect("events")
}

/// Bo and Cy take a course with a practice quiz and Cy votes for Bo's need: Bo's learning
/// events share one registration (his enrolment's), Cy's another; attempt events name the
/// attempt; the vote names the need; all say the group, in the table and in the outbox.
async fn events_carry_their_attempt_registration_need_and_group(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, eng, "author").await;
    for (email, name) in [("bo@acme.test", "Bo"), ("cy@acme.test", "Cy")] {
        let id = t.person(email, name, false).await;
        t.member(id, eng, "learner").await;
    }
    let (ada, bo, cy) = (
        t.caller("ada@acme.test").await,
        t.caller("bo@acme.test").await,
        t.caller("cy@acme.test").await,
    );
    let course = t
        .app
        .create_course(
            &ada,
            NewCourse {
                title: "On-call basics",
                group_id: Some(eng),
                first_step_title: "Read",
                first_step_body: "Carry the pager.",
            },
        )
        .await
        .expect("course");
    let key = t
        .app
        .add_question(&ada, course, None, &question())
        .await
        .expect("question")
        .question_key;
    t.app
        .save_evaluation_settings(
            &ada,
            course,
            &SettingsInput {
                mode: "practice",
                pass_mark: "50",
                ..SettingsInput::default()
            },
        )
        .await
        .expect("settings");
    t.app.publish(&ada, course, "").await.expect("publish");

    let bo_enrolment = t.app.enrol(&bo, course).await.expect("enrol bo");
    let view = t.app.player(&bo, course, None).await.expect("player");
    let step = view.step().step_key.clone();
    t.app
        .complete_step(&bo, course, &step, 30)
        .await
        .expect("complete");
    let attempt = t.app.start_attempt(&bo, course).await.expect("attempt");
    t.app
        .answer(&bo, attempt.id, &key, Answer::Choices(vec!["a".into()]))
        .await
        .expect("answer");
    let cy_enrolment = t.app.enrol(&cy, course).await.expect("enrol cy");
    t.app.player(&cy, course, None).await.expect("player");

    let need = t
        .app
        .ask_need(
            &bo,
            NeedInput {
                title: "Pager escalation rules",
                questions: "Who is next?",
                audiences: vec![eng],
                ..Default::default()
            },
        )
        .await
        .expect("need");
    t.app.vote_need(&cy, need).await.expect("vote");

    let events = every_event(&t).await;
    let of = |user: i64| -> Vec<&EventRow> {
        events
            .iter()
            .filter(|e| e.user_id == user && e.course_id == Some(course))
            .collect()
    };

    // One registration per enrolment: on every learning event of it, and on no one else's.
    assert_eq!(bo_enrolment.registration.len(), 36);
    assert_ne!(bo_enrolment.registration, cy_enrolment.registration);
    let bo_events = of(bo.id.0);
    for verb in ["enrolled", "started", "viewed-step", "completed-step"] {
        assert!(
            bo_events.iter().any(|e| e.verb == verb),
            "no {verb} in {bo_events:?}"
        );
    }
    for e in &bo_events {
        assert_eq!(
            e.registration.as_deref(),
            Some(bo_enrolment.registration.as_str()),
            "{e:?}"
        );
        assert_eq!(e.group_id, Some(eng), "{e:?}");
    }
    let cy_events = of(cy.id.0);
    assert!(cy_events.iter().any(|e| e.verb == "viewed-step"));
    for e in &cy_events {
        assert_eq!(
            e.registration.as_deref(),
            Some(cy_enrolment.registration.as_str())
        );
    }

    // Attempt events name their attempt; the details keep only what the verb adds.
    let attempt_events: Vec<&&EventRow> = bo_events
        .iter()
        .filter(|e| e.verb == "started-attempt" || e.verb == "answered")
        .collect();
    assert_eq!(attempt_events.len(), 2, "{attempt_events:?}");
    for e in &attempt_events {
        assert_eq!(e.attempt_id, Some(attempt.id), "{e:?}");
        assert!(
            !e.data.as_deref().unwrap_or("").contains("attempt"),
            "{e:?}"
        );
    }
    // Learning events are no attempt's or need's.
    let viewed = bo_events
        .iter()
        .find(|e| e.verb == "viewed-step")
        .expect("viewed");
    assert_eq!((viewed.attempt_id, viewed.need_id), (None, None));

    // The author's publication is in the record too, with no enrolment.
    let published = events
        .iter()
        .find(|e| e.verb == "published")
        .expect("published");
    assert_eq!(
        (published.user_id, published.course_id, published.group_id),
        (ada.id.0, Some(course), Some(eng))
    );
    assert_eq!(published.registration, None);

    // Need actions: asked, voted, each naming the need, still in the need's own history.
    let asked = events
        .iter()
        .find(|e| e.verb == "asked-need")
        .expect("asked");
    assert_eq!((asked.user_id, asked.need_id), (bo.id.0, Some(need)));
    let voted = events
        .iter()
        .find(|e| e.verb == "voted-need")
        .expect("voted");
    assert_eq!((voted.user_id, voted.need_id), (cy.id.0, Some(need)));
    assert_eq!(voted.registration, None);
    let history = t.app.store().need_events(need).await.expect("history");
    assert!(history.iter().any(|h| h.kind == "voted"), "{history:?}");

    // The outbox carries the same fields.
    let rows = read_all(&t, "story").await;
    let answered = rows
        .iter()
        .find(|r| r.payload["verb"] == "answered")
        .expect("answered in the outbox");
    assert_eq!(answered.payload["attempt_id"], attempt.id);
    assert_eq!(
        answered.payload["registration"],
        bo_enrolment.registration.as_str()
    );
    assert_eq!(answered.payload["group_id"], eng);
    let vote = rows
        .iter()
        .find(|r| r.payload["verb"] == "voted-need")
        .expect("vote in the outbox");
    assert_eq!(vote.payload["need_id"], need);
}
story!(events_carry_their_attempt_registration_need_and_group);

/// Something that writes outbox rows: a person asks a need (its event).
async fn ask(t: &TestApp, who: &lore_app::Caller, eng: i64, title: &'static str) {
    t.app
        .ask_need(
            who,
            NeedInput {
                title,
                questions: "How?",
                audiences: vec![eng],
                ..Default::default()
            },
        )
        .await
        .expect("ask");
}

/// Every row still in the outbox, as `consumer` reads it from its cursor (which here is
/// never past a row still there). On PostgreSQL a row is read only once every transaction
/// older than its own has ended, which other stories' transactions may delay a moment.
async fn read_all(t: &TestApp, consumer: &str) -> Vec<lore_app::outbox::Delivery> {
    let total = outbox_rows(t).await;
    for _ in 0..300 {
        let rows = t.app.outbox_batch(consumer, 1000).await.expect("batch");
        if rows.len() as u64 >= total {
            return rows;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{consumer} never saw the {total} rows of the outbox");
}

/// Read everything `consumer` has not acknowledged and acknowledge it.
async fn catch_up(t: &TestApp, consumer: &str) {
    let rows = read_all(t, consumer).await;
    if let Some(last) = rows.last() {
        t.app
            .acknowledge_outbox(consumer, last.position)
            .await
            .expect("ack");
    }
}

async fn outbox_rows(t: &TestApp) -> u64 {
    t.app.store().outbox_total().await.expect("outbox")
}

/// Two consumers read the outbox. Rows stay while they are young or one consumer is behind;
/// once both moved past them and a week went by they are deleted. A consumer that stops
/// acknowledging holds rows only for 30 days.
async fn the_outbox_is_pruned_behind_its_consumers(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let bo = t.person("bo@acme.test", "Bo", false).await;
    t.member(bo, eng, "learner").await;
    let bo = t.caller("bo@acme.test").await;

    ask(&t, &bo, eng, "Pager escalation rules").await;
    ask(&t, &bo, eng, "Incident reviews").await;
    // Both consumers are known from their first read; only the CRM feed acknowledges.
    catch_up(&t, "crm").await;
    assert!(
        !t.app
            .outbox_batch("xapi", 1)
            .await
            .expect("xapi")
            .is_empty()
    );
    let written = outbox_rows(&t).await;
    assert!(written >= 2, "{written}");

    // Acknowledged by one, younger than the retention: kept.
    t.run_jobs().await;
    assert_eq!(outbox_rows(&t).await, written);
    // Eight days on, past the retention, but xAPI has not acknowledged them: still kept.
    t.clock.advance(time::Duration::days(8));
    t.run_jobs().await;
    assert_eq!(outbox_rows(&t).await, written);
    // xAPI catches up: every consumer is past them, they are older than a week, they go.
    catch_up(&t, "xapi").await;
    t.run_jobs().await;
    assert_eq!(outbox_rows(&t).await, 0);

    // New rows, which xAPI never acknowledges (it stopped for good).
    ask(&t, &bo, eng, "Runbook style guide").await;
    catch_up(&t, "crm").await;
    let written = outbox_rows(&t).await;
    assert!(written >= 1);
    t.clock.advance(time::Duration::days(29));
    t.run_jobs().await;
    assert_eq!(
        outbox_rows(&t).await,
        written,
        "an unacknowledged row younger than the maximum age is kept"
    );
    t.clock.advance(time::Duration::days(2));
    t.run_jobs().await;
    assert_eq!(
        outbox_rows(&t).await,
        0,
        "past the maximum age, a dead consumer holds nothing"
    );
    // The consumers read on from where they were, with nothing lost that they had not read.
    assert!(t.app.outbox_batch("crm", 10).await.expect("crm").is_empty());
}
story!(the_outbox_is_pruned_behind_its_consumers);
