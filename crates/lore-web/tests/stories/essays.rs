//! Open answers (essays) reviewed with a rubric (decision 0043): a learner answers an essay,
//! the attempt waits for review, a coach reviews it with the rubric through the page and
//! through the API, the learner is told and the course completes; bad reviews are refused
//! with nothing changed.

use lore_app::courses::authoring::NewCourse;
use lore_app::evaluations::authoring::SettingsInput;
use lore_domain::question::{Answer, ChoiceOption, Question, QuestionBody};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::api::token_for;
use crate::story;
use crate::support::TestApp;

pub(crate) struct Setup {
    pub(crate) course: i64,
    pub(crate) choice_key: String,
    pub(crate) essay_key: String,
}

/// Engineering's course with a one-point choice question and a 4-point essay whose rubric
/// the author sets in the editor; pass mark 50 %, the evaluation required for completion.
pub(crate) async fn setup(t: &TestApp) -> Setup {
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    for (email, name, role) in [
        ("ada@acme.test", "Ada Author", "author"),
        ("cole@acme.test", "Cole Coach", "coach"),
        ("lea@acme.test", "Lea Learner", "learner"),
        ("lou@acme.test", "Lou Learner", "learner"),
        ("pia@acme.test", "Pia Peer", "learner"),
    ] {
        let id = t.person(email, name, false).await;
        t.member(id, eng, role).await;
    }
    let ada = t.caller("ada@acme.test").await;
    let course = t
        .app
        .create_course(
            &ada,
            NewCourse {
                title: "Incident reviews",
                group_id: None,
                first_step_title: "Read",
                first_step_body: "Blameless reviews.",
            },
        )
        .await
        .expect("course");
    let choice = Question {
        prompt: "Blame the person?".into(),
        body: QuestionBody::SingleChoice {
            options: vec![
                ChoiceOption {
                    id: "a".into(),
                    text: "No".into(),
                    correct: true,
                    ..ChoiceOption::default()
                },
                ChoiceOption {
                    id: "b".into(),
                    text: "Yes".into(),
                    correct: false,
                    ..ChoiceOption::default()
                },
            ],
        },
        points: 1.0,
        explanation: String::new(),
    };
    let essay = Question {
        prompt: "Describe a review you led.".into(),
        body: QuestionBody::plain_essay(),
        points: 4.0,
        explanation: String::new(),
    };
    let choice_key = t
        .app
        .add_question(&ada, course, None, &choice)
        .await
        .expect("choice")
        .question_key;
    let essay_row = t
        .app
        .add_question(&ada, course, None, &essay)
        .await
        .expect("essay");
    t.app
        .save_evaluation_settings(
            &ada,
            course,
            &SettingsInput {
                mode: "practice",
                pass_mark: "50",
                required_for_completion: true,
                ..SettingsInput::default()
            },
        )
        .await
        .expect("settings");
    // The author sets the rubric and the model answer in the editor; a bad rubric is refused.
    let author = t.signed_in("ada@acme.test").await;
    author
        .get(&format!("/courses/{course}/edit"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Rubric and model answer");
    let rubric_path = format!("/courses/{course}/edit/questions/{}/rubric", essay_row.id);
    author
        .post(
            &rubric_path,
            &[("rubric", "Argument: 4\nSources"), ("model_answer", "x")],
        )
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("Line 2 of the rubric");
    author
        .post(
            &rubric_path,
            &[
                ("rubric", "Argument: 4\nSources: 2"),
                ("model_answer", "We found **three** causes."),
            ],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    t.app.publish(&ada, course, "").await.expect("publish");
    Setup {
        course,
        choice_key,
        essay_key: essay_row.question_key,
    }
}

/// `email` enrols and reads the course's one step: what is left to complete is the
/// evaluation.
pub(crate) async fn read_the_step(t: &TestApp, email: &str, course: i64) {
    let who = t.caller(email).await;
    if t.app
        .store()
        .enrolment(who.id.0, course)
        .await
        .expect("enrolment")
        .is_none()
    {
        t.app.enrol(&who, course).await.expect("enrol");
    }
    let player = t.app.player(&who, course, None).await.expect("player");
    let key = player.step().step_key.clone();
    assert!(
        !t.app
            .complete_step(&who, course, &key, 30)
            .await
            .expect("step"),
        "not complete without the evaluation"
    );
}

/// `email` reads the step, answers through the app and submits; the attempt's id.
pub(crate) async fn answer_and_submit(
    t: &TestApp,
    s: &Setup,
    email: &str,
    choice: &str,
    text: &str,
) -> i64 {
    read_the_step(t, email, s.course).await;
    let who = t.caller(email).await;
    let attempt = t.app.start_attempt(&who, s.course).await.expect("start");
    t.app
        .answer(
            &who,
            attempt.id,
            &s.choice_key,
            Answer::Choices(vec![choice.into()]),
        )
        .await
        .expect("choice");
    t.app
        .answer(&who, attempt.id, &s.essay_key, Answer::Text(text.into()))
        .await
        .expect("essay");
    t.app
        .submit_attempt(&who, attempt.id)
        .await
        .expect("submit");
    attempt.id
}

pub(crate) async fn completed(t: &TestApp, email: &str, course: i64) -> bool {
    let who = t.caller(email).await;
    t.app
        .store()
        .enrolment(who.id.0, course)
        .await
        .expect("enrolment")
        .is_some_and(|e| e.completed_at.is_some())
}

async fn a_coach_reviews_an_essay_with_the_rubric_and_the_course_completes(t: TestApp) {
    let s = setup(&t).await;
    let course = s.course;
    // The learner writes the essay on the attempt page and submits.
    let lea = t.signed_in("lea@acme.test").await;
    lea.start_course(course).await;
    read_the_step(&t, "lea@acme.test", course).await;
    let started = lea
        .post(&format!("/courses/{course}/evaluation"), &[])
        .await;
    started.expect_status(StatusCode::SEE_OTHER);
    let attempt_path = started.location();
    let attempt: i64 = attempt_path
        .trim_start_matches("/attempts/")
        .parse()
        .expect("attempt id");
    lea.get(&attempt_path)
        .await
        .expect_contains("Your answer (Markdown; a reviewer scores it)");
    let choice_field = format!("q.{}", s.choice_key);
    let essay_field = format!("q.{}", s.essay_key);
    let essay = "We met **the next day**.\n\n<script>alert(1)</script>";
    lea.post(
        &attempt_path,
        &[
            (choice_field.as_str(), "a"),
            (essay_field.as_str(), essay),
            ("action", "submit"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    // Waiting: neither passed nor failed, the course not complete.
    let page = lea.get(&attempt_path).await;
    page.expect_status(StatusCode::OK)
        .expect_contains("Waiting for review")
        .expect_contains("<strong>the next day</strong>")
        .expect_lacks("<script>alert(1)");
    let row = t
        .app
        .store()
        .attempt(attempt)
        .await
        .expect("read")
        .expect("row");
    assert!(row.submitted_at.is_some());
    assert_eq!(row.passed, None, "neither passed nor failed while waiting");
    assert!(!completed(&t, "lea@acme.test", course).await);

    // The coach's queue: the answer (rendered, sanitised), the model answer and the rubric.
    let cole = t.signed_in("cole@acme.test").await;
    cole.get(&format!("/courses/{course}"))
        .await
        .expect_contains("Answers to review");
    let queue = cole.get(&format!("/courses/{course}/essays")).await;
    queue
        .expect_status(StatusCode::OK)
        .expect_contains("Lea Learner")
        .expect_contains("<strong>the next day</strong>")
        .expect_lacks("<script>alert(1)")
        .expect_contains("We found <strong>three</strong> causes.")
        .expect_contains("Argument (0 to 4)")
        .expect_contains("Sources (0 to 2)");
    let review_path = format!("/courses/{course}/essays/{attempt}/review");
    let key = s.essay_key.as_str();
    // Bad reviews change nothing: over a maximum, negative, not numbers, not a reviewer.
    let over = cole
        .post(
            &review_path,
            &[
                ("question", key),
                ("points", "5"),
                ("points", "1"),
                ("comment", "Kept"),
            ],
        )
        .await;
    over.expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("Give “Argument” from 0 to 4 points")
        .expect_contains("Kept");
    cole.post(
        &review_path,
        &[("question", key), ("points", "-1"), ("points", "1")],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    cole.post(
        &review_path,
        &[("question", key), ("points", "many"), ("points", "1")],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("Give a number of points for each criterion.");
    let lou = t.signed_in("lou@acme.test").await;
    lou.get(&format!("/courses/{course}")).await;
    lou.post(
        &review_path,
        &[("question", key), ("points", "4"), ("points", "2")],
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);
    lou.get(&format!("/courses/{course}/essays"))
        .await
        .expect_status(StatusCode::FORBIDDEN);
    assert!(
        t.app
            .store()
            .essay_reviews_of(attempt)
            .await
            .expect("reviews")
            .is_empty(),
        "nothing reviewed after refusals"
    );
    assert_eq!(
        t.app
            .store()
            .attempt(attempt)
            .await
            .expect("read")
            .expect("row")
            .passed,
        None
    );

    // The review: 3 of 4 and 2 of 2 → 5/6 of the essay's 4 points; 1 + 3.3333 of 5 passes.
    cole.get(&format!("/courses/{course}/essays")).await;
    let done = cole
        .post(
            &review_path,
            &[
                ("question", key),
                ("points", "3"),
                ("points", "2"),
                ("comment", "Clear timeline."),
            ],
        )
        .await;
    done.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(
        done.location(),
        format!("/courses/{course}/essays?notice=essay-reviewed")
    );
    let row = t
        .app
        .store()
        .attempt(attempt)
        .await
        .expect("read")
        .expect("row");
    assert_eq!(row.passed, Some(true));
    assert_eq!(row.max_score, Some(5.0));
    assert!((row.score.expect("score") - 4.3333).abs() < 1e-3, "{row:?}");
    assert!(
        completed(&t, "lea@acme.test", course).await,
        "the course completes"
    );
    // Reviewing twice is refused.
    cole.get(&format!("/courses/{course}/essays"))
        .await
        .expect_contains("No answers wait for review");
    cole.post(
        &review_path,
        &[("question", key), ("points", "4"), ("points", "2")],
    )
    .await
    .expect_status(StatusCode::CONFLICT);
    // The learner is told, and sees the result with the reviewer's comment.
    lea.get("/notifications")
        .await
        .expect_contains("Your answers in “Incident reviews” were reviewed");
    lea.get(&attempt_path)
        .await
        .expect_contains("Passed")
        .expect_contains("Clear timeline.");
    // The same events as a passed quiz: submitted (scored) and completed.
    let events = t
        .app
        .store()
        .events_of(row.user_id, course)
        .await
        .expect("events");
    let verbs: Vec<&str> = events.iter().map(|e| e.verb.as_str()).collect();
    assert!(verbs.contains(&"submitted-attempt"), "{verbs:?}");
    assert!(verbs.contains(&"completed-course"), "{verbs:?}");
    // Item analysis counts the essay's scores by band of its points (5/6 of 4 points: the
    // top band); no answer was reviewed twice, so agreement is not measured.
    cole.get(&format!("/courses/{course}/stats"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Open answers")
        .expect_contains(
            "<tr data-testid=\"open-answer-1\"><td>Describe a review you led.</td><td>4</td>\
             <td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td><td>83%</td><td>—</td></tr>",
        );
    // A learner does not read the statistics.
    lea.get(&format!("/courses/{course}/stats"))
        .await
        .expect_status(StatusCode::FORBIDDEN);
}
story!(a_coach_reviews_an_essay_with_the_rubric_and_the_course_completes);

async fn essays_are_reviewed_through_the_api(t: TestApp) {
    let s = setup(&t).await;
    let course = s.course;
    let lou_attempt = answer_and_submit(&t, &s, "lou@acme.test", "b", "I *blamed* nobody.").await;
    // The coach takes the course too: their own answer is listed but not theirs to review.
    let own = answer_and_submit(&t, &s, "cole@acme.test", "a", "Mine.").await;
    let api = t.api(&token_for(&t, "cole@acme.test").await);
    let queue = api.get(&format!("/courses/{course}/essays")).await;
    queue.expect_status(StatusCode::OK);
    let body = queue.json();
    let essays = body["essays"].as_array().expect("essays");
    assert_eq!(essays.len(), 2, "{body}");
    assert_eq!(essays[0]["attempt_id"], lou_attempt);
    assert_eq!(essays[0]["answer"], "I *blamed* nobody.");
    assert_eq!(essays[0]["model_answer"], "We found **three** causes.");
    assert_eq!(
        essays[0]["rubric"],
        json!([{"name": "Argument", "max_points": 4.0}, {"name": "Sources", "max_points": 2.0}])
    );
    assert_eq!(essays[1]["own"], true);
    let review = |attempt: i64| format!("/courses/{course}/essays/{attempt}/review");
    // Refusals with stable codes; nothing changes.
    let over = api
        .send(
            Method::POST,
            &review(lou_attempt),
            Some(json!({"question_key": s.essay_key, "points": [4.5, 0], "comment": ""})),
        )
        .await;
    over.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(over.json()["error"]["code"], "invalid_input");
    let mine = api
        .send(
            Method::POST,
            &review(own),
            Some(json!({"question_key": s.essay_key, "points": [4, 2]})),
        )
        .await;
    mine.expect_status(StatusCode::CONFLICT);
    assert_eq!(mine.json()["error"]["code"], "own_answer");
    let learner = t.api(&token_for(&t, "lea@acme.test").await);
    learner
        .send(
            Method::POST,
            &review(lou_attempt),
            Some(json!({"question_key": s.essay_key, "points": [4, 2]})),
        )
        .await
        .expect_status(StatusCode::FORBIDDEN);
    assert!(
        t.app
            .store()
            .essay_reviews_of(lou_attempt)
            .await
            .expect("reviews")
            .is_empty()
    );
    // 1 of 6 → 0.6667 of 4; 0 + 0.6667 of 5 does not pass: scored, not completed.
    let ok = api
        .send(
            Method::POST,
            &review(lou_attempt),
            Some(json!({"question_key": s.essay_key, "points": [1, 0], "comment": "Say more."})),
        )
        .await;
    ok.expect_status(StatusCode::CREATED);
    let outcome = ok.json();
    assert_eq!(outcome["passed"], false, "{outcome}");
    assert_eq!(outcome["still_waiting"], 0);
    assert_eq!(outcome["attempt_max"], 5.0);
    assert!(!completed(&t, "lou@acme.test", course).await);
    let again = api
        .send(
            Method::POST,
            &review(lou_attempt),
            Some(json!({"question_key": s.essay_key, "points": [4, 2]})),
        )
        .await;
    again.expect_status(StatusCode::CONFLICT);
    assert_eq!(again.json()["error"]["code"], "already_reviewed");
    let lou = t.caller("lou@acme.test").await;
    let told = t.app.notifications(&lou, 10).await.expect("notifications");
    assert!(
        told.iter()
            .any(|n| n.kind == "essay-review" && n.body.contains("not passed")),
        "{told:?}"
    );
    // The author reviews the coach's answer; the queue is then empty.
    let author = t.api(&token_for(&t, "ada@acme.test").await);
    author
        .send(
            Method::POST,
            &review(own),
            Some(json!({"question_key": s.essay_key, "points": [4, 2]})),
        )
        .await
        .expect_status(StatusCode::CREATED);
    let left = api.get(&format!("/courses/{course}/essays")).await.json();
    assert_eq!(left["essays"], json!([]));
    assert!(completed(&t, "cole@acme.test", course).await);
}
story!(essays_are_reviewed_through_the_api);

/// The author names an expert from another group to review the essays (decision 0046): bad
/// names are refused with nothing changed, the expert is told, reviews through the page,
/// and once removed no longer reaches the queue; the same through the API.
async fn an_expert_the_author_names_reviews_the_essays(t: TestApp) {
    let s = setup(&t).await;
    let course = s.course;
    let acme = t.group(None, "Acme HQ").await;
    let sales = t.group(Some(acme), "Sales").await;
    let eve = t.person("eve@acme.test", "Eve Expert", false).await;
    t.member(eve, sales, "learner").await;
    let first = answer_and_submit(&t, &s, "lou@acme.test", "a", "We *listened* first.").await;
    let queue = format!("/courses/{course}/essays");
    let review = format!("/courses/{course}/essays/{first}/review");
    let key = s.essay_key.as_str();

    // Before being named, the expert does not even see the course.
    let expert = t.signed_in("eve@acme.test").await;
    expert
        .get(&queue)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    expert
        .get(&format!("/courses/{course}"))
        .await
        .expect_status(StatusCode::NOT_FOUND);

    // Bad names change nothing: nobody with the address, not an address, someone who
    // reviews already as a coach, and a coach (not an editor) naming someone.
    let ada = t.signed_in("ada@acme.test").await;
    let people = format!("/courses/{course}/edit/people");
    ada.get(&format!("/courses/{course}/edit")).await;
    ada.post(
        &people,
        &[
            ("action", "add-reviewer"),
            ("email", "nobody@elsewhere.test"),
        ],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("Nobody active has the address nobody@elsewhere.test");
    ada.post(
        &people,
        &[("action", "add-reviewer"), ("email", "eve at acme")],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    ada.post(
        &people,
        &[("action", "add-reviewer"), ("email", "cole@acme.test")],
    )
    .await
    .expect_status(StatusCode::CONFLICT)
    .expect_contains("reviews the open answers already");
    let cole = t.signed_in("cole@acme.test").await;
    cole.get(&format!("/courses/{course}")).await;
    cole.post(
        &people,
        &[("action", "add-reviewer"), ("email", "eve@acme.test")],
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);
    assert!(
        t.app
            .store()
            .answer_reviewers(course)
            .await
            .expect("read")
            .is_empty(),
        "nobody named after refusals"
    );

    // The author names Eve in the editor; naming her twice is refused.
    let named = ada
        .post(
            &people,
            &[("action", "add-reviewer"), ("email", "eve@acme.test")],
        )
        .await;
    named.expect_status(StatusCode::SEE_OTHER);
    ada.get(&format!("/courses/{course}/edit"))
        .await
        .expect_contains("Reviewers of open answers")
        .expect_contains("Eve Expert &lt;eve@acme.test&gt;");
    ada.post(
        &people,
        &[("action", "add-reviewer"), ("email", "eve@acme.test")],
    )
    .await
    .expect_status(StatusCode::CONFLICT)
    .expect_contains("already reviews");
    assert_eq!(
        t.app.store().answer_reviewers(course).await.expect("read"),
        vec![eve]
    );

    // Eve is told, finds the queue from the course page and reviews.
    expert
        .get("/notifications")
        .await
        .expect_contains("You review the open answers of “Incident reviews”");
    expert
        .get(&format!("/courses/{course}"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("data-testid=\"essays-link\"")
        .expect_lacks("Question statistics");
    expert
        .get(&queue)
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Lou Learner")
        .expect_contains("<em>listened</em>");
    expert
        .post(
            &review,
            &[
                ("question", key),
                ("points", "4"),
                ("points", "1"),
                ("comment", "Good listening."),
            ],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let scored = t
        .app
        .store()
        .attempt(first)
        .await
        .expect("read")
        .expect("row");
    assert_eq!(scored.passed, Some(true));
    let reviews = t
        .app
        .store()
        .essay_reviews_of(first)
        .await
        .expect("reviews");
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].reviewer_id, eve);

    // Through the API: the list, the same refusals with stable codes, removal.
    let api = t.api(&token_for(&t, "ada@acme.test").await);
    let path = format!("/courses/{course}/answer-reviewers");
    let listed = api.get(&path).await;
    listed.expect_status(StatusCode::OK);
    assert_eq!(
        listed.json()["reviewers"],
        json!([{"user_id": eve, "name": "Eve Expert", "email": "eve@acme.test"}])
    );
    let nobody = api
        .send(
            Method::POST,
            &path,
            Some(json!({"email": "nobody@elsewhere.test"})),
        )
        .await;
    nobody.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(nobody.json()["error"]["code"], "invalid_input");
    let twice = api
        .send(Method::POST, &path, Some(json!({"email": "eve@acme.test"})))
        .await;
    twice.expect_status(StatusCode::CONFLICT);
    assert_eq!(twice.json()["error"]["code"], "already_reviewer");
    let coach_api = t.api(&token_for(&t, "cole@acme.test").await);
    coach_api
        .send(Method::POST, &path, Some(json!({"email": "lea@acme.test"})))
        .await
        .expect_status(StatusCode::FORBIDDEN);
    coach_api
        .get(&path)
        .await
        .expect_status(StatusCode::FORBIDDEN);
    api.send(Method::DELETE, &format!("{path}/{eve}"), None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    api.send(Method::DELETE, &format!("{path}/{eve}"), None)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    assert!(
        t.app
            .store()
            .answer_reviewers(course)
            .await
            .expect("read")
            .is_empty()
    );
    // Removed: the queue and the course are out of reach again; her review stays.
    let second = answer_and_submit(&t, &s, "lea@acme.test", "a", "Timeline first.").await;
    expert
        .get(&queue)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    let eve_api = t.api(&token_for(&t, "eve@acme.test").await);
    eve_api
        .send(
            Method::POST,
            &format!("/courses/{course}/essays/{second}/review"),
            Some(json!({"question_key": s.essay_key, "points": [4, 2]})),
        )
        .await
        .expect_status(StatusCode::NOT_FOUND);
    assert!(
        t.app
            .store()
            .essay_reviews_of(second)
            .await
            .expect("reviews")
            .is_empty()
    );
    assert_eq!(
        t.app
            .store()
            .essay_reviews_of(first)
            .await
            .expect("reviews")
            .len(),
        1
    );
    // Named again through the API: 201 with the person.
    let again = api
        .send(Method::POST, &path, Some(json!({"email": "eve@acme.test"})))
        .await;
    again.expect_status(StatusCode::CREATED);
    assert_eq!(again.json()["user_id"], eve);
}
story!(an_expert_the_author_names_reviews_the_essays);
