//! Evaluations end to end through the app: every kind scored in practice, exam rules kept by
//! the server, answers hidden until submission, and item analysis equal to hand-computed values.

use lore_app::courses::authoring::NewCourse;
use lore_app::evaluations::authoring::SettingsInput;
use lore_domain::question::{Answer, ChoiceOption, MatchPair, OrderItem, Question, QuestionBody};

use crate::story;
use crate::support::TestApp;

fn choice(prompt: &str, correct: &str) -> Question {
    let opt = |id: &str| ChoiceOption {
        id: id.into(),
        text: format!("Option {id}"),
        correct: id == correct,
        feedback: format!("You chose {id}"),
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

/// A course of Engineering with one text step and the given final evaluation, published.
async fn course_with(
    t: &TestApp,
    questions: &[Question],
    settings: SettingsInput<'_>,
) -> (i64, Vec<String>) {
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, eng, "author").await;
    for i in 1..=6 {
        let id = t
            .person(&format!("l{i}@acme.test"), &format!("Learner {i}"), false)
            .await;
        t.member(id, eng, "learner").await;
    }
    let ada = t.caller("ada@acme.test").await;
    let id = t
        .app
        .create_course(
            &ada,
            NewCourse {
                title: "Secrets quiz",
                group_id: None,
                first_step_title: "Read",
                first_step_body: "Rotate keys.",
            },
        )
        .await
        .expect("course");
    let mut keys = Vec::new();
    for q in questions {
        keys.push(
            t.app
                .add_question(&ada, id, None, q)
                .await
                .expect("question")
                .question_key,
        );
    }
    t.app
        .save_evaluation_settings(&ada, id, &settings)
        .await
        .expect("settings");
    t.app.publish(&ada, id, "").await.expect("publish");
    (id, keys)
}

async fn every_kind_is_scored_in_practice(t: TestApp) {
    let questions = vec![
        choice("Single", "b"),
        Question {
            prompt: "Multiple".into(),
            body: QuestionBody::MultipleChoice {
                options: ["a", "b", "c"]
                    .iter()
                    .map(|id| ChoiceOption {
                        id: (*id).into(),
                        text: (*id).into(),
                        correct: *id != "c",
                        feedback: String::new(),
                        weight: None,
                    })
                    .collect(),
                partial_credit: true,
            },
            points: 2.0,
            explanation: String::new(),
        },
        Question {
            prompt: "True?".into(),
            body: QuestionBody::TrueFalse {
                answer: true,
                feedback_true: String::new(),
                feedback_false: String::new(),
            },
            points: 1.0,
            explanation: String::new(),
        },
        Question {
            prompt: "Word".into(),
            body: QuestionBody::ShortText {
                accepted: vec!["Key Rotation".into()],
                case_sensitive: false,
                feedback: Vec::new(),
                others: Vec::new(),
            },
            points: 1.0,
            explanation: String::new(),
        },
        Question {
            prompt: "Number".into(),
            body: QuestionBody::Number {
                value: 4321.0,
                tolerance: 5.0,
                feedback: String::new(),
                others: Vec::new(),
            },
            points: 1.0,
            explanation: String::new(),
        },
        Question {
            prompt: "Order".into(),
            body: QuestionBody::Ordering {
                items: ["x", "y", "z"]
                    .iter()
                    .map(|i| OrderItem {
                        id: (*i).into(),
                        text: (*i).into(),
                    })
                    .collect(),
                partial_credit: false,
            },
            points: 1.0,
            explanation: String::new(),
        },
        Question {
            prompt: "Match".into(),
            body: QuestionBody::Matching {
                pairs: ["p1", "p2"]
                    .iter()
                    .map(|p| MatchPair {
                        id: (*p).into(),
                        left: format!("L{p}"),
                        right: format!("R{p}"),
                    })
                    .collect(),
                partial_credit: true,
                distractors: Vec::new(),
            },
            points: 1.0,
            explanation: String::new(),
        },
    ];
    let (id, keys) = course_with(&t, &questions, SettingsInput::default()).await;
    let l1 = t.caller("l1@acme.test").await;
    let attempt = t.app.start_attempt(&l1, id).await.expect("attempt");
    // While open, nothing in what the learner sees gives the answers away.
    let view = t.app.attempt_view(&l1, attempt.id).await.expect("view");
    let shown = serde_json::to_string(&view.questions).expect("json");
    for secret in [
        "\"correct\"",
        "Key Rotation",
        "You chose",
        "Because",
        "4321",
    ] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
    let pair = |l: &str, r: &str| (l.to_owned(), r.to_owned());
    let cases: Vec<(usize, Answer, f64)> = vec![
        (0, Answer::Choices(vec!["b".into()]), 1.0),
        (0, Answer::Choices(vec!["a".into()]), 0.0),
        (1, Answer::Choices(vec!["a".into(), "b".into()]), 2.0),
        // One right, one wrong of two correct: 2 × (1 − 1)/2 = 0; one right alone: 2 × 1/2 = 1.
        (1, Answer::Choices(vec!["a".into(), "c".into()]), 0.0),
        (1, Answer::Choices(vec!["a".into()]), 1.0),
        (2, Answer::Bool(true), 1.0),
        (2, Answer::Bool(false), 0.0),
        (3, Answer::Text("  key   ROTATION ".into()), 1.0),
        (3, Answer::Text("rotation".into()), 0.0),
        (4, Answer::Number(4325.9), 1.0),
        (4, Answer::Number(4327.0), 0.0),
        (
            5,
            Answer::Order(vec!["x".into(), "y".into(), "z".into()]),
            1.0,
        ),
        (
            5,
            Answer::Order(vec!["y".into(), "x".into(), "z".into()]),
            0.0,
        ),
        (
            6,
            Answer::Matches(vec![pair("p1", "p1"), pair("p2", "p2")]),
            1.0,
        ),
        (
            6,
            Answer::Matches(vec![pair("p1", "p1"), pair("p2", "p1")]),
            0.5,
        ),
        // The wrong shape for the kind scores nothing rather than failing.
        (6, Answer::Text("p1".into()), 0.0),
    ];
    for (q, answer, expected) in cases {
        let result = t
            .app
            .answer(&l1, attempt.id, &keys[q], answer.clone())
            .await
            .expect("answer")
            .expect("practice gives feedback");
        assert!(
            (result.score.points - expected).abs() < 1e-9,
            "{:?} on question {q}: {} ≠ {expected}",
            answer,
            result.score.points
        );
    }
}
story!(every_kind_is_scored_in_practice);

async fn the_server_keeps_the_exam_rules(t: TestApp) {
    let questions = vec![choice("One", "a"), choice("Two", "a")];
    let settings = SettingsInput {
        mode: "exam",
        pass_mark: "50",
        max_attempts: "2",
        time_limit_minutes: "10",
        required_for_completion: true,
        ..SettingsInput::default()
    };
    let (id, keys) = course_with(&t, &questions, settings).await;
    let l1 = t.caller("l1@acme.test").await;

    // Exams reveal nothing while open.
    let first = t.app.start_attempt(&l1, id).await.expect("attempt");
    assert!(
        t.app
            .answer(&l1, first.id, &keys[0], Answer::Choices(vec!["b".into()]))
            .await
            .expect("answer")
            .is_none()
    );
    // A disconnect: starting again resumes the open attempt with its answer.
    let resumed = t.app.start_attempt(&l1, id).await.expect("resume");
    assert_eq!(resumed.id, first.id);
    assert_eq!(
        t.app
            .attempt_view(&l1, first.id)
            .await
            .expect("view")
            .questions
            .iter()
            .filter(|q| q.answer.is_some())
            .count(),
        1
    );
    let submitted = t.app.submit_attempt(&l1, first.id).await.expect("submit");
    assert_eq!(
        (submitted.score, submitted.passed),
        (Some(0.0), Some(false))
    );
    // Tampering with a submitted attempt is refused and changes nothing.
    let tamper = t
        .app
        .answer(&l1, first.id, &keys[0], Answer::Choices(vec!["a".into()]))
        .await;
    assert!(
        matches!(tamper, Err(lore_app::AppError::AttemptClosed(_))),
        "{tamper:?}"
    );
    assert!(matches!(
        t.app.submit_attempt(&l1, first.id).await,
        Err(lore_app::AppError::AttemptClosed(_))
    ));
    assert_eq!(
        t.app
            .attempt_view(&l1, first.id)
            .await
            .expect("view")
            .attempt
            .score,
        Some(0.0)
    );

    // The second attempt runs out of time: a late answer and a late submission are refused,
    // and the attempt closes with what was saved in time.
    let second = t.app.start_attempt(&l1, id).await.expect("second attempt");
    t.app
        .answer(&l1, second.id, &keys[0], Answer::Choices(vec!["a".into()]))
        .await
        .expect("in time");
    t.clock.advance(time::Duration::minutes(11));
    assert!(matches!(
        t.app
            .answer(&l1, second.id, &keys[1], Answer::Choices(vec!["a".into()]))
            .await,
        Err(lore_app::AppError::AttemptClosed(_))
    ));
    assert!(matches!(
        t.app.submit_attempt(&l1, second.id).await,
        Err(lore_app::AppError::AttemptClosed(_))
    ));
    let closed = t.app.attempt_view(&l1, second.id).await.expect("view");
    assert_eq!(
        (closed.attempt.score, closed.attempt.passed),
        (Some(1.0), Some(true))
    );
    assert!(closed.results.is_some(), "results shown after the close");

    // No third attempt.
    assert!(matches!(
        t.app.start_attempt(&l1, id).await,
        Err(lore_app::AppError::AttemptClosed(_))
    ));

    // Passing the exam is what completes the course once the steps are done.
    let l2 = t.caller("l2@acme.test").await;
    t.app.enrol(&l2, id).await.expect("enrol");
    let player = t.app.player(&l2, id, None).await.expect("player");
    let key = player.step().step_key.clone();
    assert!(
        !t.app.complete_step(&l2, id, &key, 30).await.expect("step"),
        "not complete without the exam"
    );
    let a = t.app.start_attempt(&l2, id).await.expect("attempt");
    for k in &keys {
        t.app
            .answer(&l2, a.id, k, Answer::Choices(vec!["a".into()]))
            .await
            .expect("answer");
    }
    t.app.submit_attempt(&l2, a.id).await.expect("submit");
    let overview = t.app.course_overview(&l2, id).await.expect("overview");
    assert!(
        overview.enrolment.and_then(|e| e.completed_at).is_some(),
        "passing completed the course"
    );
}
story!(the_server_keeps_the_exam_rules);

/// Five learners answer three questions as in the hand-computed data set A of
/// `lore_domain::item_analysis` (1 = right, 0 = wrong): 111, 110, 101, 010, 000.
async fn item_analysis_matches_hand_computed_values(t: TestApp) {
    let questions = vec![choice("Q1", "a"), choice("Q2", "a"), choice("Q3", "a")];
    let (id, keys) = course_with(
        &t,
        &questions,
        SettingsInput {
            mode: "exam",
            ..SettingsInput::default()
        },
    )
    .await;
    let pattern = [[1, 1, 1], [1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 0]];
    for (i, row) in pattern.iter().enumerate() {
        let learner = t.caller(&format!("l{}@acme.test", i + 1)).await;
        let attempt = t.app.start_attempt(&learner, id).await.expect("attempt");
        for (q, right) in row.iter().enumerate() {
            // Question n takes 10·n seconds to answer, so each median time is known.
            t.clock
                .advance(time::Duration::seconds(10 * (q as i64 + 1)));
            let option = if *right == 1 { "a" } else { "b" };
            t.app
                .answer(
                    &learner,
                    attempt.id,
                    &keys[q],
                    Answer::Choices(vec![option.into()]),
                )
                .await
                .expect("answer");
        }
        t.app
            .submit_attempt(&learner, attempt.id)
            .await
            .expect("submit");
    }
    let ada = t.caller("ada@acme.test").await;
    let (version, summary, stats) = t.app.item_analysis(&ada, id, None).await.expect("analysis");
    assert_eq!(version, 1);
    let close =
        |a: Option<f64>, b: f64| assert!(a.is_some_and(|a| (a - b).abs() < 1e-6), "{a:?} ≠ {b}");
    // Facility 3/5, 3/5, 2/5; point-biserial 1/√2.4, 0, 0.6/√3.36; D 1, 0.5, 0.5; α = 6/13
    // (derivations in lore-domain/src/item_analysis.rs, data set A).
    close(stats[0].stats.facility, 0.6);
    close(stats[1].stats.facility, 0.6);
    close(stats[2].stats.facility, 0.4);
    close(stats[0].stats.point_biserial, 0.645_497_224);
    close(stats[1].stats.point_biserial, 0.0);
    close(stats[2].stats.point_biserial, 0.327_326_835);
    close(stats[0].stats.discrimination_index, 1.0);
    close(stats[2].stats.discrimination_index, 0.5);
    close(summary.cronbach_alpha, 6.0 / 13.0);
    assert!(
        stats[1]
            .stats
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("barely separates"))
    );
    close(stats[0].stats.median_seconds, 10.0);
    close(stats[2].stats.median_seconds, 30.0);
    // Option b of Q1 was chosen by the two who got it wrong.
    assert!(stats[0].stats.option_counts.contains(&("b".to_owned(), 2)));
    // Learners may not see the statistics.
    let l1 = t.caller("l1@acme.test").await;
    assert!(matches!(
        t.app.item_analysis(&l1, id, None).await,
        Err(lore_app::AppError::Forbidden)
    ));
}
story!(item_analysis_matches_hand_computed_values);

/// Through the pages: questions come in as GIFT (a bad file adds nothing and names its
/// lines), a learner practises with feedback, and the author reads the statistics.
async fn questions_from_gift_and_a_practice_through_the_pages(t: TestApp) {
    let (id, _) = course_with(&t, &[choice("Warm-up", "a")], SettingsInput::default()).await;
    let ada = t.signed_in("ada@acme.test").await;
    let editor = ada.get(&format!("/courses/{id}/edit")).await;
    editor.expect_contains("Warm-up");
    // (An essay, `{}`, is good GIFT since decision 0039; the broken question is on line 5.)
    let bad = "What is 2+2? {=4 ~3}\n\nEssay please. {}\n\nBroken { =a\n";
    let refused = ada
        .post(&format!("/courses/{id}/edit/questions"), &[("gift", bad)])
        .await;
    refused
        .expect_status(reqwest::StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("no question was added")
        .expect_contains("<tr><td>5</td>");
    ada.get(&format!("/courses/{id}/edit"))
        .await
        .expect_lacks("What is 2+2?");
    let good =
        "::Q1:: Keys are rotated every 90 days. {TRUE}\n\nWhich port does HTTPS use? {#443}\n";
    ada.post(&format!("/courses/{id}/edit/questions"), &[("gift", good)])
        .await
        .expect_status(reqwest::StatusCode::SEE_OTHER);
    ada.post(
        &format!("/courses/{id}/publish"),
        &[("note", "More questions")],
    )
    .await
    .expect_status(reqwest::StatusCode::SEE_OTHER);

    let learner = t.signed_in("l1@acme.test").await;
    learner
        .get(&format!("/courses/{id}"))
        .await
        .expect_contains("Practise");
    let started = learner
        .post(&format!("/courses/{id}/evaluation"), &[])
        .await;
    let attempt = started.location();
    let page = learner.get(&attempt).await;
    page.expect_contains("Keys are rotated every 90 days")
        .expect_lacks("Because.");
    let key = |n: usize| {
        page.body
            .split("name=\"q.")
            .nth(n)
            .and_then(|s| s.split('"').next())
            .expect("key")
            .to_owned()
    };
    let (k1, k2, k3) = (key(1), key(3), key(5));
    let checked = learner
        .post(
            &attempt,
            &[
                (&format!("q.{k1}"), "b"),
                (&format!("q.{k2}"), "true"),
                (&format!("q.{k3}"), "443"),
                ("action", "check"),
            ],
        )
        .await;
    checked
        .expect_status(reqwest::StatusCode::OK)
        .expect_contains("Not right")
        .expect_contains("Because.")
        .expect_contains("You chose b");
    assert_eq!(
        checked.body.matches("<strong>Right</strong>").count(),
        2,
        "two right of three"
    );
    learner
        .post(&attempt, &[(&format!("q.{k1}"), "a"), ("action", "submit")])
        .await
        .expect_status(reqwest::StatusCode::SEE_OTHER);
    learner
        .get(&attempt)
        .await
        .expect_contains("Passed")
        .expect_contains("3.0 of 3.0 points");

    let stats = ada.get(&format!("/courses/{id}/stats")).await;
    stats
        .expect_status(reqwest::StatusCode::OK)
        .expect_contains("Keys are rotated")
        .expect_contains("too few attempts");
    learner
        .get(&format!("/courses/{id}/stats"))
        .await
        .expect_status(reqwest::StatusCode::FORBIDDEN);
    let gift = ada.get(&format!("/courses/{id}/questions.gift")).await;
    gift.expect_contains("{TRUE}").expect_contains("{#443");
}
story!(questions_from_gift_and_a_practice_through_the_pages);

/// A question step is a micro-evaluation: its questions show in the player, answers get
/// feedback at once and land in the event log.
async fn question_steps_check_understanding_inside_the_course(t: TestApp) {
    let (id, _) = course_with(&t, &[choice("Final", "a")], SettingsInput::default()).await;
    let ada = t.signed_in("ada@acme.test").await;
    ada.get(&format!("/courses/{id}/edit")).await;
    ada.post(
        &format!("/courses/{id}/edit/steps"),
        &[("title", "Quick check"), ("kind", "question")],
    )
    .await;
    let editor = ada.get(&format!("/courses/{id}/edit")).await;
    let step = editor
        .body
        .split("/edit/steps/")
        .filter_map(|s| s.split('/').next())
        .filter_map(|s| s.parse::<i64>().ok())
        .last()
        .expect("step id");
    ada.post(
        &format!("/courses/{id}/edit/steps/{step}/questions"),
        &[("gift", "Rotate keys yearly? {FALSE####Every 90 days.}")],
    )
    .await
    .expect_status(reqwest::StatusCode::SEE_OTHER);
    ada.get(&format!("/courses/{id}/edit"))
        .await
        .expect_contains("Questions in this step (1 so far)");
    ada.post(
        &format!("/courses/{id}/publish"),
        &[("note", "Quick check")],
    )
    .await
    .expect_status(reqwest::StatusCode::SEE_OTHER);

    let learner = t.signed_in("l1@acme.test").await;
    learner.start_course(id).await;
    let player = learner.get(&format!("/courses/{id}/learn/2")).await;
    player
        .expect_contains("Rotate keys yearly?")
        .expect_lacks("Every 90 days.");
    let key = player
        .body
        .split("name=\"q.")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("key")
        .to_owned();
    let checked = learner
        .post(
            &format!(
                "/courses/{id}/steps/{}/check",
                player
                    .body
                    .split("/steps/")
                    .nth(1)
                    .and_then(|s| s.split('/').next())
                    .expect("step key")
            ),
            &[(&format!("q.{key}"), "true"), ("position", "2")],
        )
        .await;
    checked
        .expect_status(reqwest::StatusCode::OK)
        .expect_contains("Not right")
        .expect_contains("Every 90 days.");
    let l1 = t.caller("l1@acme.test").await;
    let answered = t
        .app
        .store()
        .events_of(l1.id.0, id)
        .await
        .expect("events")
        .iter()
        .filter(|e| e.verb == "answered")
        .count();
    assert_eq!(answered, 1);
}
story!(question_steps_check_understanding_inside_the_course);

/// Through the pages: the last step leads to an exam not yet passed; the exam's Submit asks
/// first; after passing, the course is done and the pages say so.
async fn the_last_step_leads_to_the_exam_which_asks_before_submitting(t: TestApp) {
    use reqwest::StatusCode;
    let settings = SettingsInput {
        mode: "exam",
        pass_mark: "50",
        max_attempts: "",
        time_limit_minutes: "",
        shuffle: false,
        required_for_completion: true,
    };
    let (id, keys) = course_with(&t, &[choice("Warm-up", "a")], settings).await;
    let learner = t.signed_in("l1@acme.test").await;
    learner.start_course(id).await;
    let step = learner.get(&format!("/courses/{id}/learn/1")).await;
    step.expect_contains("Done, go to the evaluation")
        .expect_lacks("Finish the course");
    let key = crate::feedback::step_key(&step.body, id);
    let on = learner
        .post(
            &format!("/courses/{id}/steps/{key}/complete"),
            &[("position", "1"), ("count", "1"), ("then", "evaluation")],
        )
        .await;
    assert_eq!(on.location(), format!("/courses/{id}#evaluation-heading"));
    learner
        .get(&format!("/courses/{id}"))
        .await
        .expect_contains("Take the exam");

    let attempt = learner
        .post(&format!("/courses/{id}/evaluation"), &[])
        .await
        .location();
    learner.get(&attempt).await;
    let answer = format!("q.{}", keys[0]);
    let asked = learner
        .post(&attempt, &[(&answer, "a"), ("action", "submit")])
        .await;
    asked
        .expect_status(StatusCode::OK)
        .expect_contains("Submit the exam?")
        .expect_contains("id=\"confirm-submit\"");
    learner
        .get(&attempt)
        .await
        .expect_lacks("data-testid=\"attempt-result\"");
    learner
        .post(&attempt, &[("confirmed", "yes"), ("action", "submit")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    learner
        .get(&attempt)
        .await
        .expect_contains("Passed")
        .expect_contains("Back to the course");

    let course = learner.get(&format!("/courses/{id}")).await;
    course
        .expect_contains("100% done")
        .expect_contains("completed")
        .expect_contains("data-testid=\"evaluation-passed\"")
        .expect_contains("Take it again");
    learner
        .get(&format!("/courses/{id}/learn/1"))
        .await
        .expect_contains("Back to the course")
        .expect_lacks("go to the evaluation");
}
story!(the_last_step_leads_to_the_exam_which_asks_before_submitting);
