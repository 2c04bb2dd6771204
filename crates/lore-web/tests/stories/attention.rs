//! "Needs attention" reads figures stored per course: they equal a fresh count after every
//! kind of change (open "not clear" reactions included), a use case that fails halfway leaves them as they were, the list and the
//! home page run the same number of statements with 10 and 200 courses, and the list comes
//! 20 courses a page.

use lore_app::Caller;
use lore_app::courses::authoring::NewCourse;
use lore_app::discussions::NewThreadInput;
use lore_app::evaluations::authoring::SettingsInput;
use lore_domain::question::{Answer, ChoiceOption, Question, QuestionBody};
use lore_domain::reactions::Resolution;
use reqwest::StatusCode;

use crate::story;
use crate::support::TestApp;

pub(crate) fn choice(prompt: &str) -> Question {
    let opt = |id: &str| ChoiceOption {
        id: id.into(),
        text: format!("Option {id}"),
        correct: id == "a",
        feedback: String::new(),
        weight: None,
    };
    Question {
        prompt: prompt.into(),
        body: QuestionBody::SingleChoice {
            options: vec![opt("a"), opt("b")],
        },
        points: 1.0,
        explanation: "Because.".into(),
    }
}

/// Acme > Engineering with Ada (author), Cora (coach) and four learners.
async fn people(t: &TestApp) -> (Caller, Vec<Caller>) {
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, eng, "author").await;
    let cora = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(cora, eng, "coach").await;
    let mut learners = Vec::new();
    for i in 1..=4 {
        let email = format!("l{i}@acme.test");
        let id = t.person(&email, &format!("Learner {i}"), false).await;
        t.member(id, eng, "learner").await;
        learners.push(t.caller(&email).await);
    }
    (t.caller("ada@acme.test").await, learners)
}

/// A published course of Ada's with one step, and with the questions as a final evaluation.
pub(crate) async fn course(t: &TestApp, ada: &Caller, title: &str, questions: &[Question]) -> i64 {
    let id = t
        .app
        .create_course(
            ada,
            NewCourse {
                title,
                group_id: None,
                first_step_title: "Read",
                first_step_body: "Rotate keys every quarter.",
            },
        )
        .await
        .expect("course");
    for q in questions {
        t.app
            .add_question(ada, id, None, q)
            .await
            .expect("question");
    }
    if !questions.is_empty() {
        t.app
            .save_evaluation_settings(ada, id, &SettingsInput::default())
            .await
            .expect("settings");
    }
    t.app.publish(ada, id, "").await.expect("publish");
    id
}

/// Every course's stored health equals a fresh count from the feedback.
async fn assert_stored_equals_fresh(t: &TestApp, ada: &Caller, when: &str) {
    for c in t.app.store().courses(true).await.expect("courses") {
        let stored = t
            .app
            .stored_course_health(c.id)
            .await
            .expect("stored")
            .expect("figures stored for every published course");
        let fresh = t
            .app
            .course_feedback(ada, c.id)
            .await
            .expect("feedback")
            .health;
        assert_eq!(stored, fresh, "course {} {when}", c.id);
    }
}

/// Reactions (one resolved, one withdrawn), a thread, a suggestion, a failed quiz attempt and
/// a new version: after each, the stored figures are what a fresh count gives, now and a
/// year later.
async fn stored_figures_follow_every_change(t: TestApp) {
    let (ada, learners) = people(&t).await;
    let quiz = course(&t, &ada, "Secrets quiz", &[choice("Q1"), choice("Q2")]).await;
    let plain = course(&t, &ada, "Rotating keys", &[]).await;
    assert_stored_equals_fresh(&t, &ada, "after publishing").await;

    let mut step = String::new();
    for l in &learners {
        t.app.enrol(l, quiz).await.expect("enrol");
        step = t.app.player(l, quiz, Some(1)).await.expect("player").steps[0]
            .step_key
            .clone();
    }
    t.app.enrol(&learners[0], plain).await.expect("enrol");
    t.app
        .player(&learners[0], plain, Some(1))
        .await
        .expect("player");
    assert_stored_equals_fresh(&t, &ada, "after first views").await;

    let react = |who: usize, kind: &'static str, comment: &'static str| {
        let (app, caller, step) = (t.app.clone(), learners[who].clone(), step.clone());
        async move {
            app.react(&caller, quiz, &step, kind, comment)
                .await
                .expect("react")
        }
    };
    react(0, "useful", "").await;
    let outdated = react(1, "outdated", "The key tool changed.").await;
    let question = react(2, "question", "How often exactly?").await;
    let withdrawn = react(3, "unclear", "Which keys?").await;
    // A "not clear" that stays open: an input of health like the question and the flag.
    react(0, "unclear", "Rotate them where?").await;
    assert_stored_equals_fresh(&t, &ada, "after reactions").await;
    t.app
        .resolve_reaction(
            &ada,
            quiz,
            question.id,
            Resolution::Answered("Every quarter.".into()),
        )
        .await
        .expect("resolve");
    t.app
        .withdraw_reaction(&learners[3], Some(quiz), withdrawn.id)
        .await
        .expect("withdraw");
    assert_stored_equals_fresh(&t, &ada, "after a resolution and a withdrawal").await;

    t.app
        .start_thread(
            &learners[0],
            quiz,
            NewThreadInput {
                title: "Which vault?",
                body: "Do we use the old vault still?",
                step_key: Some(&step),
            },
        )
        .await
        .expect("thread");
    t.app
        .propose_edit(
            &learners[1],
            quiz,
            &step,
            "Rotate keys every month.",
            "The policy changed in spring.",
        )
        .await
        .expect("suggestion");
    assert_stored_equals_fresh(&t, &ada, "after a thread and a suggestion").await;

    let attempt = t
        .app
        .start_attempt(&learners[2], quiz)
        .await
        .expect("attempt");
    let keys: Vec<String> = t
        .app
        .store()
        .questions_of(
            t.app
                .store()
                .version(quiz, 1)
                .await
                .expect("version")
                .expect("v1")
                .id,
        )
        .await
        .expect("questions")
        .into_iter()
        .map(|q| q.question_key)
        .collect();
    for k in &keys {
        t.app
            .answer(
                &learners[2],
                attempt.id,
                k,
                Answer::Choices(vec!["b".into()]),
            )
            .await
            .expect("answer");
    }
    t.app
        .submit_attempt(&learners[2], attempt.id)
        .await
        .expect("submit");
    let after_attempt = t
        .app
        .stored_course_health(quiz)
        .await
        .expect("stored")
        .expect("figures");
    assert!(after_attempt.flagged_items > 0, "{after_attempt:?}");
    assert_eq!(after_attempt.open_outdated, 1);
    assert_eq!(
        after_attempt.unanswered, 1,
        "the thread; the question is answered"
    );
    assert_eq!(after_attempt.open_suggestions, 1);
    assert_eq!(
        after_attempt.open_not_clear, 1,
        "one open, one withdrawn 'not clear'"
    );
    assert!(
        after_attempt
            .health
            .reasons
            .iter()
            .any(|r| r.text == "1 open “not clear” reaction"),
        "{after_attempt:?}"
    );
    assert_stored_equals_fresh(&t, &ada, "after a failed attempt").await;

    // A new version: nobody answered its evaluation yet, and it is new.
    t.clock.advance(time::Duration::days(30));
    // Publishing needs a change since version 1.
    let draft = t.app.draft(&ada, quiz).await.expect("draft");
    t.app
        .save_draft_field(
            &ada,
            quiz,
            lore_app::courses::authoring::DraftField::Summary,
            draft.version.revision,
            "Refreshed every quarter.",
        )
        .await
        .expect("summary");
    t.app.publish(&ada, quiz, "Quarterly").await.expect("v2");
    t.app
        .resolve_reaction(&ada, quiz, outdated.id, Resolution::Fixed(2))
        .await
        .expect("fixed");
    assert_stored_equals_fresh(&t, &ada, "after a new version").await;

    // Age is read at the time of reading: a year on, both lose points for it, as counted.
    t.clock.advance(time::Duration::days(365));
    assert_stored_equals_fresh(&t, &ada, "a year later").await;
    let aged = t
        .app
        .stored_course_health(plain)
        .await
        .expect("stored")
        .expect("figures");
    assert!(aged.days_since_review >= 365 && aged.health.score < 100);
}
story!(stored_figures_follow_every_change);

/// A reaction, and an author's resolution, made to fail after the figures were written
/// (at the notification that follows) leave the stored figures as they were.
async fn a_failed_use_case_leaves_the_figures(t: TestApp) {
    let (ada, learners) = people(&t).await;
    let id = course(&t, &ada, "Secrets quiz", &[]).await;
    let l = &learners[0];
    t.app.enrol(l, id).await.expect("enrol");
    let step = t.app.player(l, id, Some(1)).await.expect("player").steps[0]
        .step_key
        .clone();
    let before = t.app.store().course_health(id).await.expect("figures");
    assert!(before.is_some());

    t.app
        .store()
        .fail_next_statement_containing("INSERT INTO \"notifications\"");
    assert!(
        t.app
            .react(l, id, &step, "outdated", "The key tool changed.")
            .await
            .is_err()
    );
    assert_eq!(
        t.app.store().course_health(id).await.expect("figures"),
        before
    );
    assert!(
        t.app
            .store()
            .course_reactions(id)
            .await
            .expect("rows")
            .is_empty()
    );

    let row = t
        .app
        .react(l, id, &step, "outdated", "The key tool changed.")
        .await
        .expect("react");
    let flagged = t.app.store().course_health(id).await.expect("figures");
    assert_eq!(flagged.map(|f| f.open_outdated), Some(1));

    t.app
        .store()
        .fail_next_statement_containing("INSERT INTO \"notifications\"");
    assert!(
        t.app
            .resolve_reaction(
                &ada,
                id,
                row.id,
                Resolution::Dismissed("It is fine.".into())
            )
            .await
            .is_err()
    );
    assert_eq!(
        t.app.store().course_health(id).await.expect("figures"),
        flagged
    );
}
story!(a_failed_use_case_leaves_the_figures);

/// With 10 and with 200 courses needing attention, /attention and home run the same number
/// of statements; the list comes 20 a page, least healthy first, with "N more" on home.
async fn the_list_is_paged_and_keeps_a_statement_budget(t: TestApp) {
    let (ada_caller, learners) = people(&t).await;
    let add_courses = |from: usize, to: usize| {
        let t = &t;
        let ada = ada_caller.clone();
        async move {
            for i in from..to {
                course(t, &ada, &format!("Checklist number {i}"), &[]).await;
            }
        }
    };
    add_courses(0, 10).await;
    // The first course has an open flag; the rest need attention for their age only.
    let first = t
        .app
        .store()
        .courses(false)
        .await
        .expect("courses")
        .iter()
        .map(|c| c.id)
        .min()
        .expect("a course");
    t.app.enrol(&learners[0], first).await.expect("enrol");
    let step = t
        .app
        .player(&learners[0], first, Some(1))
        .await
        .expect("player")
        .steps[0]
        .step_key
        .clone();
    t.app
        .react(&learners[0], first, &step, "outdated", "Old list.")
        .await
        .expect("react");
    t.clock.advance(time::Duration::days(400));

    let ada = t.signed_in("ada@acme.test").await;
    let cora = t.signed_in("cora@acme.test").await;
    let pages = ["/", "/attention"];
    for p in pages {
        ada.statements(p).await;
    }
    let small: Vec<u64> = {
        let mut s = Vec::new();
        for p in pages {
            s.push(ada.statements(p).await);
        }
        s
    };
    let list = ada.get("/attention").await;
    list.expect_contains(&format!("data-testid=\"attention-{first}\""))
        .expect_contains("you write it")
        .expect_lacks("data-testid=\"pager\"");
    cora.get("/attention")
        .await
        .expect_contains(&format!("data-testid=\"attention-{first}\""))
        .expect_contains("you coach it");

    add_courses(10, 200).await;
    t.clock.advance(time::Duration::days(400));
    // Signed in again: the first session would have expired in 400 days.
    let ada = t.signed_in("ada@acme.test").await;
    for p in pages {
        ada.statements(p).await;
    }
    let mut large = Vec::new();
    for p in pages {
        large.push(ada.statements(p).await);
    }
    for ((page, s), l) in pages.iter().zip(&small).zip(&large) {
        assert_eq!(s, l, "{page}: {s} statements with 10 courses, {l} with 200");
    }
    // Any page of the list costs what the first does.
    assert_eq!(ada.statements("/attention?page=7").await, large[1]);

    // 200 courses: 10 pages of 20, the flagged course first.
    let one = ada.get("/attention").await;
    one.expect_contains("Page 1 of 10")
        .expect_contains("href=\"/attention?page=2\"")
        .expect_lacks("rel=\"prev\"");
    assert_eq!(one.body.matches("class=\"attention-item\"").count(), 20);
    let at = |body: &str, id: i64| body.find(&format!("data-testid=\"attention-{id}\""));
    assert_eq!(
        one.body.find("data-testid=\"attention-"),
        at(&one.body, first),
        "the least healthy course comes first"
    );
    let two = ada.get("/attention?page=2").await;
    two.expect_contains("Page 2 of 10")
        .expect_contains("href=\"/attention?page=1\"")
        .expect_contains("href=\"/attention?page=3\"");
    assert_eq!(two.body.matches("class=\"attention-item\"").count(), 20);
    assert!(at(&two.body, first).is_none());
    let past = ada.get("/attention?page=11").await;
    past.expect_status(StatusCode::OK);
    assert_eq!(past.body.matches("class=\"attention-item\"").count(), 0);
    ada.get("/").await.expect_contains("197 more");
    let api = ada.get("/api/v1/attention?page=10").await;
    api.expect_status(StatusCode::OK);
    assert_eq!(api.json().as_array().map(Vec::len), Some(20));
}
story!(the_list_is_paged_and_keeps_a_statement_budget);
