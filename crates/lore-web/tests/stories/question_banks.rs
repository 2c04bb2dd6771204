//! Question banks (decision 0044): an author keeps a bank of questions for their group, an
//! exam draws its questions from it, and every attempt gets its own draw, kept with it —
//! reloaded, the attempt shows and scores the same questions. Bad input changes nothing.

use std::collections::BTreeSet;

use lore_app::courses::authoring::NewCourse;
use lore_app::evaluations::authoring::SettingsInput;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::api::token_for;
use crate::story;
use crate::support::TestApp;

/// Thirty true-or-false questions on passwords: a draw of five from them repeats with a
/// chance of about one in seventeen million.
fn thirty_questions() -> String {
    let mut gift = String::from("$CATEGORY: Passwords\n\n");
    for i in 1..=30 {
        gift.push_str(&format!(
            "::F{i}:: Password fact number {i} holds. {{TRUE}}\n\n"
        ));
    }
    gift
}

fn id_at_end(location: &str) -> i64 {
    location
        .split('?')
        .next()
        .and_then(|p| p.rsplit('/').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("an id at the end of {location}"))
}

async fn an_exam_draws_its_questions_from_a_bank(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let sales = t.group(Some(acme), "Sales").await;
    let ada_id = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada_id, eng, "author").await;
    let sam_id = t.person("sam@acme.test", "Sam Seller", false).await;
    t.member(sam_id, sales, "author").await;
    for (email, name) in [("l1@acme.test", "Lea One"), ("l2@acme.test", "Leo Two")] {
        let id = t.person(email, name, false).await;
        t.member(id, eng, "learner").await;
    }
    let ada = t.signed_in("ada@acme.test").await;
    let eng_id = eng.to_string();

    // A bank needs a name; then it starts.
    ada.get("/question-banks")
        .await
        .expect_contains("No question banks yet");
    ada.post(
        "/question-banks",
        &[("group_id", eng_id.as_str()), ("name", "   ")],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("Give the bank a name");
    let created = ada
        .post(
            "/question-banks",
            &[("group_id", eng_id.as_str()), ("name", "Security basics")],
        )
        .await;
    created.expect_status(StatusCode::SEE_OTHER);
    let bank = id_at_end(&created.location());
    let bank_page = format!("/question-banks/{bank}");

    // A paste with a bad question adds nothing until the author chooses the good ones.
    let mixed = format!("{}Broken {{ =a\n", thirty_questions());
    ada.post(
        &format!("{bank_page}/questions"),
        &[("gift", mixed.as_str()), ("topic", "")],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("nothing was added")
    .expect_contains("Add only the 30 good ones");
    ada.get(&bank_page)
        .await
        .expect_contains("No questions yet")
        .expect_lacks("Password fact number 1 holds");
    ada.post(
        &format!("{bank_page}/questions"),
        &[("gift", mixed.as_str()), ("topic", ""), ("only_good", "1")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    ada.get(&bank_page)
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Password fact number 17 holds")
        .expect_contains("Passwords");
    ada.get("/question-banks")
        .await
        .expect_contains("Security basics");

    // Banks are their group's: a learner does not see them, nor do other groups' authors.
    let lea = t.signed_in("l1@acme.test").await;
    lea.get(&bank_page)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    let sam = t.caller("sam@acme.test").await;
    let sales_bank = t
        .app
        .create_bank(&sam, sales, "Objections")
        .await
        .expect("sales bank");
    assert!(matches!(
        t.app.question_bank(&sam, bank).await,
        Err(lore_app::AppError::NotFound(_))
    ));

    // An exam of Engineering with one question of its own, drawing five from the bank.
    let ada_caller = t.caller("ada@acme.test").await;
    let course = t
        .app
        .create_course(
            &ada_caller,
            NewCourse {
                title: "Passwords exam",
                group_id: None,
                first_step_title: "Read",
                first_step_body: "Use a password manager.",
            },
        )
        .await
        .expect("course");
    t.app
        .import_questions(&ada_caller, course, "Own question of the course. {TRUE}\n")
        .await
        .expect("own question");
    t.app
        .save_evaluation_settings(
            &ada_caller,
            course,
            &SettingsInput {
                mode: "exam",
                pass_mark: "50",
                max_attempts: "3",
                ..SettingsInput::default()
            },
        )
        .await
        .expect("settings");
    let draw_page = format!("/courses/{course}/edit/draw");
    ada.get(&draw_page)
        .await
        .expect_contains("No draw")
        .expect_contains("Security basics")
        .expect_lacks("Objections");
    let bank_id = bank.to_string();
    let sales_bank_id = sales_bank.id.to_string();
    for (fields, message) in [
        (
            [
                ("bank_id", bank_id.as_str()),
                ("topic", ""),
                ("count", "31"),
            ],
            "holds 30 questions",
        ),
        (
            [
                ("bank_id", bank_id.as_str()),
                ("topic", "Firewalls"),
                ("count", "1"),
            ],
            "holds no question",
        ),
        (
            [("bank_id", bank_id.as_str()), ("topic", ""), ("count", "0")],
            "from 1 to 100",
        ),
        (
            [
                ("bank_id", sales_bank_id.as_str()),
                ("topic", ""),
                ("count", "1"),
            ],
            "belongs to another group",
        ),
    ] {
        ada.post(&draw_page, &fields)
            .await
            .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
            .expect_contains(message);
    }
    ada.get(&draw_page).await.expect_contains("No draw");
    ada.post(
        &draw_page,
        &[
            ("bank_id", bank_id.as_str()),
            ("topic", "Passwords"),
            ("count", "5"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    ada.get(&draw_page).await.expect_contains(
        "Each attempt draws <strong>5</strong> questions from <strong>Security basics</strong>",
    );
    t.app
        .publish(&ada_caller, course, "")
        .await
        .expect("publish");

    // Lea's first attempt: the course's own question and five drawn ones, kept with it.
    let l1 = t.caller("l1@acme.test").await;
    lea.get(&format!("/courses/{course}")).await;
    let started = lea
        .post(&format!("/courses/{course}/evaluation"), &[])
        .await;
    let first_url = started.location();
    let first = id_at_end(&first_url);
    let first_keys = t
        .app
        .drawn_question_keys(&l1, first)
        .await
        .expect("drawn keys");
    assert_eq!(first_keys.len(), 5, "five questions drawn");
    let view = t.app.attempt_view(&l1, first).await.expect("view");
    assert_eq!(
        view.questions.len(),
        6,
        "its own question and the five drawn"
    );
    let shown: Vec<String> = view.questions.iter().map(|q| q.key.clone()).collect();
    let page = lea.get(&first_url).await;
    page.expect_status(StatusCode::OK)
        .expect_contains("Own question of the course")
        .expect_contains("Password fact number");
    // Reloaded (and resumed by starting again), the attempt shows the same questions.
    let again = lea
        .post(&format!("/courses/{course}/evaluation"), &[])
        .await;
    assert_eq!(id_at_end(&again.location()), first);
    assert_eq!(lea.get(&first_url).await.body, page.body);
    assert_eq!(
        t.app.drawn_question_keys(&l1, first).await.expect("keys"),
        first_keys
    );
    // Every question true: all points, scored on the drawn questions.
    let mut answers: Vec<(String, &str)> =
        shown.iter().map(|k| (format!("q.{k}"), "true")).collect();
    answers.push(("action".to_owned(), "submit"));
    // An exam asks before it submits.
    answers.push(("confirmed".to_owned(), "yes"));
    let fields: Vec<(&str, &str)> = answers.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    lea.post(&first_url, &fields)
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let done = t.app.attempt_view(&l1, first).await.expect("submitted");
    assert_eq!(
        (
            done.attempt.score,
            done.attempt.max_score,
            done.attempt.passed
        ),
        (Some(6.0), Some(6.0), Some(true))
    );
    let scored: Vec<String> = done
        .results
        .as_ref()
        .expect("results")
        .iter()
        .map(|r| r.key.clone())
        .collect();
    assert_eq!(
        scored.iter().collect::<BTreeSet<_>>(),
        shown.iter().collect::<BTreeSet<_>>(),
        "scored on the questions it showed"
    );

    // A second attempt draws again: other questions.
    let second_url = lea
        .post(&format!("/courses/{course}/evaluation"), &[])
        .await
        .location();
    let second = id_at_end(&second_url);
    assert_ne!(second, first);
    let second_keys = t
        .app
        .drawn_question_keys(&l1, second)
        .await
        .expect("second draw");
    assert_eq!(second_keys.len(), 5);
    assert_ne!(second_keys, first_keys, "two attempts, two draws");
    // Both are kept with their attempts: reloaded, each still has its own.
    assert_eq!(
        t.app
            .drawn_question_keys(&l1, first)
            .await
            .expect("first again"),
        first_keys
    );
    lea.get(&first_url)
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("6.0 of 6.0 points");
    let second_view = t.app.attempt_view(&l1, second).await.expect("second view");
    let second_shown: BTreeSet<String> = second_view
        .questions
        .iter()
        .map(|q| q.key.clone())
        .collect();
    for k in &second_keys {
        assert!(
            second_shown.contains(k),
            "{k} is shown in the second attempt"
        );
    }

    // Another learner draws their own.
    let leo = t.caller("l2@acme.test").await;
    let third = t
        .app
        .start_attempt(&leo, course)
        .await
        .expect("Leo's attempt");
    let third_keys = t
        .app
        .drawn_question_keys(&leo, third.id)
        .await
        .expect("Leo's draw");
    assert_eq!(third_keys.len(), 5);
    assert!(third_keys != first_keys || third_keys != second_keys);

    // The bank's figures count the submitted attempt, in every course that drew it.
    let detail = t.app.question_bank(&ada_caller, bank).await.expect("bank");
    let counted: Vec<_> = detail
        .questions
        .iter()
        .filter(|q| q.stats.attempts == 1)
        .collect();
    assert_eq!(counted.len(), 5, "the five drawn by the submitted attempt");
    assert!(counted.iter().all(|q| q.stats.share_correct == Some(1.0)
        && q.stats.courses == 1
        && first_keys.contains(&q.key)));
    ada.get(&bank_page).await.expect_contains("100 %");
}
story!(an_exam_draws_its_questions_from_a_bank);

async fn banks_through_the_api(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let sales = t.group(Some(acme), "Sales").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, eng, "author").await;
    let sam = t.person("sam@acme.test", "Sam Seller", false).await;
    t.member(sam, sales, "author").await;
    let api = t.api(&token_for(&t, "ada@acme.test").await);

    api.send(
        Method::POST,
        "/question-banks",
        Some(json!({"group_id": eng, "name": ""})),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let created = api
        .send(
            Method::POST,
            "/question-banks",
            Some(json!({"group_id": eng, "name": "Security basics"})),
        )
        .await;
    created.expect_status(StatusCode::CREATED);
    let bank = created.json()["id"].as_i64().expect("bank id");
    api.send(
        Method::POST,
        "/question-banks",
        Some(json!({"group_id": sales, "name": "Not mine"})),
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);

    let added = api
        .send(
            Method::POST,
            &format!("/question-banks/{bank}/questions/gift"),
            Some(json!({"gift": "$CATEGORY: Keys\n\nKeys rotate. {TRUE}\n\nPorts? {#443}\n\nBroken { =a\n"})),
        )
        .await;
    added.expect_status(StatusCode::CREATED);
    assert_eq!(added.json()["added"], 2);
    api.send(
        Method::POST,
        &format!("/question-banks/{bank}/questions"),
        Some(json!({"topic": "Keys", "question": {"prompt": "", "kind": "true_false"}})),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let shown = api.get(&format!("/question-banks/{bank}")).await;
    shown.expect_status(StatusCode::OK);
    let body = shown.json();
    assert_eq!(body["bank"]["questions"], 2);
    assert_eq!(body["topics"][0]["topic"], "Keys");
    assert_eq!(body["questions"][0]["figures"]["attempts"], 0);

    let ada_caller = t.caller("ada@acme.test").await;
    let course = t
        .app
        .create_course(
            &ada_caller,
            NewCourse {
                title: "Keys",
                group_id: None,
                first_step_title: "Read",
                first_step_body: "Rotate.",
            },
        )
        .await
        .expect("course");
    let draw = format!("/courses/{course}/evaluation/draw");
    let refused = api
        .send(
            Method::PUT,
            &draw,
            Some(json!({"bank_id": bank, "count": 3})),
        )
        .await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"]["field"], "count");
    let set = api
        .send(
            Method::PUT,
            &draw,
            Some(json!({"bank_id": bank, "topic": "Keys", "count": 2})),
        )
        .await;
    set.expect_status(StatusCode::OK);
    assert_eq!(set.json()["count"], 2);
    assert_eq!(api.get(&draw).await.json()["bank"], "Security basics");
    api.send(Method::DELETE, &draw, None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    assert!(api.get(&draw).await.json().is_null());

    let sam_api = t.api(&token_for(&t, "sam@acme.test").await);
    sam_api
        .get(&format!("/question-banks/{bank}"))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    let first_question = body["questions"][0]["id"].as_i64().expect("question id");
    api.send(
        Method::DELETE,
        &format!("/question-banks/{bank}/questions/{first_question}"),
        None,
    )
    .await
    .expect_status(StatusCode::NO_CONTENT);
    assert_eq!(
        api.get(&format!("/question-banks/{bank}")).await.json()["bank"]["questions"],
        1
    );
}
story!(banks_through_the_api);

/// A published course of Engineering by Ada whose exam draws `count` questions from `bank`,
/// with the difficulty given (empty for any).
async fn drawing_course(
    t: &TestApp,
    ada: &lore_app::Caller,
    title: &str,
    bank: i64,
    count: &str,
    difficulty: &str,
) -> i64 {
    let course = t
        .app
        .create_course(
            ada,
            NewCourse {
                title,
                group_id: None,
                first_step_title: "Read",
                first_step_body: "Read this first.",
            },
        )
        .await
        .expect("course");
    t.app
        .save_evaluation_settings(
            ada,
            course,
            &SettingsInput {
                mode: "exam",
                pass_mark: "50",
                ..SettingsInput::default()
            },
        )
        .await
        .expect("settings");
    let bank_id = bank.to_string();
    t.app
        .set_draw(
            ada,
            course,
            &lore_app::evaluations::banks::DrawInput {
                bank_id: &bank_id,
                topic: "",
                count,
                difficulty,
            },
        )
        .await
        .expect("draw");
    t.app.publish(ada, course, "").await.expect("publish");
    course
}

async fn a_draw_filters_by_difficulty_from_the_answers(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let sales = t.group(Some(acme), "Sales").await;
    let ada_id = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada_id, eng, "author").await;
    let sam_id = t.person("sam@acme.test", "Sam Seller", false).await;
    t.member(sam_id, sales, "author").await;
    let mut learners = Vec::new();
    for i in 1..=6 {
        let email = format!("l{i}@acme.test");
        let id = t.person(&email, &format!("Learner {i}"), false).await;
        t.member(id, eng, "learner").await;
        learners.push(email);
    }
    let ada = t.caller("ada@acme.test").await;
    let bank = t
        .app
        .create_bank(&ada, eng, "Operations")
        .await
        .expect("bank")
        .id;
    let gift = "$CATEGORY: Ops\n\n::E1:: Easy fact one. {TRUE}\n\n::E2:: Easy fact two. {TRUE}\n\n\
                ::H1:: Hard fact one. {TRUE}\n\n::H2:: Hard fact two. {TRUE}\n";
    t.app
        .import_bank_gift(&ada, bank, gift, "", None, false)
        .await
        .expect("questions");
    let sam = t.caller("sam@acme.test").await;
    let sales_bank = t
        .app
        .create_bank(&sam, sales, "Objections")
        .await
        .expect("sales bank")
        .id;
    t.app
        .import_bank_gift(
            &sam,
            sales_bank,
            "Hard objection. {TRUE}\n",
            "",
            None,
            false,
        )
        .await
        .expect("sales question");

    // A warm-up exam draws all four; each learner gets the easy ones right and the hard
    // ones wrong.
    let warm_up = drawing_course(&t, &ada, "Operations warm-up", bank, "4", "").await;
    let prompts: std::collections::BTreeMap<String, String> = t
        .app
        .question_bank(&ada, bank)
        .await
        .expect("bank")
        .questions
        .into_iter()
        .map(|q| (q.key, q.question.prompt))
        .collect();
    let key_of = |prompt: &str| {
        prompts
            .iter()
            .find(|(_, p)| p.starts_with(prompt))
            .map(|(k, _)| k.clone())
            .expect("a question of the bank")
    };
    let hard: BTreeSet<String> = [key_of("Hard fact one"), key_of("Hard fact two")].into();
    let page = t.signed_in("ada@acme.test").await;
    let take = |email: String| {
        let t = &t;
        let hard = &hard;
        async move {
            let caller = t.caller(&email).await;
            let attempt = t.app.start_attempt(&caller, warm_up).await.expect("start");
            for key in t
                .app
                .drawn_question_keys(&caller, attempt.id)
                .await
                .expect("keys")
            {
                let right = !hard.contains(&key);
                t.app
                    .answer(
                        &caller,
                        attempt.id,
                        &key,
                        lore_domain::question::Answer::Bool(right),
                    )
                    .await
                    .expect("answer");
            }
            t.app
                .submit_attempt(&caller, attempt.id)
                .await
                .expect("submit");
        }
    };
    for email in learners.iter().take(4) {
        take(email.clone()).await;
    }

    // Four answers: every question is still unrated, so no band can serve a draw.
    let second = t
        .app
        .create_course(
            &ada,
            NewCourse {
                title: "Operations, the hard part",
                group_id: None,
                first_step_title: "Read",
                first_step_body: "Read this first.",
            },
        )
        .await
        .expect("course");
    let draw_path = format!("/courses/{second}/edit/draw");
    let bank_id = bank.to_string();
    page.get(&draw_path)
        .await
        .expect_contains("Any, rated or not")
        .expect_contains("Hard (under 30 % answer it right)");
    page.post(
        &draw_path,
        &[
            ("bank_id", bank_id.as_str()),
            ("topic", "Ops"),
            ("count", "1"),
            ("difficulty", "hard"),
        ],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("holds no question for this choice")
    .expect_contains("Only 0 of the 4 questions for this topic are hard");
    page.get(&format!("/question-banks/{bank}"))
        .await
        .expect_contains("unrated (4 of 5 answers)");

    // The fifth scored attempt rates them: two easy, two hard.
    take(learners[4].clone()).await;
    let detail = t.app.question_bank(&ada, bank).await.expect("bank");
    for q in &detail.questions {
        let expected = if hard.contains(&q.key) {
            lore_domain::question_bank::Difficulty::Hard
        } else {
            lore_domain::question_bank::Difficulty::Easy
        };
        assert_eq!(q.difficulty, Some(expected), "{}", q.question.prompt);
        assert_eq!(q.rated_answers, 5);
    }
    page.get(&format!("/question-banks/{bank}"))
        .await
        .expect_contains(">hard</td>")
        .expect_contains(">easy</td>");

    // Bad input changes nothing: a band with too few questions, an unknown band, a bank of
    // another group (its id sent by hand).
    let sales_bank_id = sales_bank.to_string();
    for (fields, message) in [
        (
            [
                ("bank_id", bank_id.as_str()),
                ("count", "3"),
                ("difficulty", "hard"),
            ],
            "Only 2 of the 4 questions for this topic are hard",
        ),
        (
            [
                ("bank_id", bank_id.as_str()),
                ("count", "1"),
                ("difficulty", "medium"),
            ],
            "holds no question for this choice",
        ),
        (
            [
                ("bank_id", bank_id.as_str()),
                ("count", "1"),
                ("difficulty", "tricky"),
            ],
            "Choose a difficulty",
        ),
        (
            [
                ("bank_id", sales_bank_id.as_str()),
                ("count", "1"),
                ("difficulty", "hard"),
            ],
            "belongs to another group",
        ),
    ] {
        page.post(&draw_path, &fields)
            .await
            .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
            .expect_contains(message);
    }
    page.get(&draw_path).await.expect_contains("No draw");

    // Two hard ones per attempt: every attempt draws exactly the hard questions.
    page.post(
        &draw_path,
        &[
            ("bank_id", bank_id.as_str()),
            ("topic", "Ops"),
            ("count", "2"),
            ("difficulty", "hard"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    page.get(&draw_path)
        .await
        .expect_contains("only <strong>hard</strong> ones")
        .expect_contains(&format!("href=\"/question-banks/{bank}\""));
    t.app.publish(&ada, second, "").await.expect("publish");
    let l6 = t.caller(&learners[5]).await;
    let attempt = t.app.start_attempt(&l6, second).await.expect("start");
    let drawn: BTreeSet<String> = t
        .app
        .drawn_question_keys(&l6, attempt.id)
        .await
        .expect("drawn")
        .into_iter()
        .collect();
    assert_eq!(drawn, hard, "the hard questions, and only them");

    // The same through the API.
    let api = t.api(&token_for(&t, "ada@acme.test").await);
    let draw_api = format!("/courses/{second}/evaluation/draw");
    for (body, field) in [
        (
            json!({"bank_id": bank, "count": 1, "difficulty": "tricky"}),
            "difficulty",
        ),
        (
            json!({"bank_id": bank, "count": 3, "difficulty": "easy"}),
            "count",
        ),
        (
            json!({"bank_id": sales_bank, "count": 1, "difficulty": "hard"}),
            "bank_id",
        ),
    ] {
        let refused = api.send(Method::PUT, &draw_api, Some(body)).await;
        refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.json()["error"]["field"], field);
    }
    let set = api
        .send(
            Method::PUT,
            &draw_api,
            Some(json!({"bank_id": bank, "count": 2, "difficulty": "easy"})),
        )
        .await;
    set.expect_status(StatusCode::OK);
    assert_eq!(set.json()["difficulty"], "easy");
    assert_eq!(api.get(&draw_api).await.json()["difficulty"], "easy");
    let shown = api.get(&format!("/question-banks/{bank}")).await.json();
    let bands: BTreeSet<String> = shown["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| q["figures"]["difficulty"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        bands,
        BTreeSet::from(["easy".to_owned(), "hard".to_owned()])
    );

    // The warm-up's statistics list the questions its attempts drew, with its figures.
    page.get(&format!("/courses/{warm_up}/stats"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Questions drawn from banks")
        .expect_contains("Easy fact one.")
        .expect_contains("Hard fact two.")
        .expect_contains("5 attempts")
        .expect_contains("100%")
        .expect_contains("0%")
        .expect_contains(&format!(
            "<a href=\"/question-banks/{bank}\">Operations</a>"
        ));
    // The second course's attempt is not scored yet: drawn by 1 attempt, none scored.
    page.get(&format!("/courses/{second}/stats"))
        .await
        .expect_contains("1 attempt<");
}
story!(a_draw_filters_by_difficulty_from_the_answers);
