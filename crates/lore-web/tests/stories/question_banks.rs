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
