//! Peer review of open answers (decision 0050): the author asks N peers — people who
//! completed the course — to review each essay. Peers who agree within the threshold settle
//! it with their mean; peers who disagree send it to the coach, whose review settles it. One's
//! own answer and people who did not complete the course are refused, with nothing changed.

use lore_domain::question::Answer;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::api::token_for;
use crate::essays::{Setup, answer_and_submit, completed, read_the_step, setup};
use crate::story;
use crate::support::TestApp;

/// `email` answers the evaluation and the coach gives the essay full marks: they completed
/// the course, and may review as a peer.
async fn complete_through_the_coach(t: &TestApp, s: &Setup, email: &str) {
    let attempt = answer_and_submit(t, s, email, "a", "My own review.").await;
    let cole = t.caller("cole@acme.test").await;
    t.app
        .review_essay(&cole, s.course, attempt, &s.essay_key, &[4.0, 2.0], "")
        .await
        .expect("coach review");
    assert!(completed(t, email, s.course).await, "{email} completed");
}

/// The author turns peer review on in the editor: a bad setting first, refused.
async fn turn_peer_review_on(t: &TestApp, course: i64, peers: &str, threshold: &str) {
    let ada = t.signed_in("ada@acme.test").await;
    let path = format!("/courses/{course}/edit/people");
    ada.get(&format!("/courses/{course}/edit"))
        .await
        .expect_contains("Peer review")
        .expect_contains("Peers per answer (1 to 5)");
    ada.post(
        &path,
        &[
            ("action", "peer-review"),
            ("peers", "6"),
            ("threshold", "1"),
        ],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("Ask 1 to 5 peers to review each answer (not 6).");
    assert_eq!(
        t.app
            .store()
            .peer_review_setting(course)
            .await
            .expect("read"),
        None,
        "nothing set after the refusal"
    );
    ada.post(
        &path,
        &[
            ("action", "peer-review"),
            ("peers", peers),
            ("threshold", threshold),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
}

fn review_path(course: i64, attempt: i64) -> String {
    format!("/courses/{course}/essays/{attempt}/review")
}

async fn two_peers_who_agree_settle_an_answer_with_their_mean(t: TestApp) {
    let s = setup(&t).await;
    let course = s.course;
    complete_through_the_coach(&t, &s, "lou@acme.test").await;
    complete_through_the_coach(&t, &s, "pia@acme.test").await;
    turn_peer_review_on(&t, course, "2", "1").await;
    let author = t.api(&token_for(&t, "ada@acme.test").await);
    let setting = author.get(&format!("/courses/{course}/peer-review")).await;
    setting.expect_status(StatusCode::OK);
    assert_eq!(setting.json(), json!({"peers": 2, "threshold": 1.0}));

    let attempt = answer_and_submit(&t, &s, "lea@acme.test", "a", "We *listened* first.").await;
    let key = s.essay_key.as_str();
    // A peer's queue: the answer and the rubric, the learner's name hidden.
    let lou = t.signed_in("lou@acme.test").await;
    lou.get(&format!("/courses/{course}"))
        .await
        .expect_contains("data-testid=\"essays-link\"");
    lou.get(&format!("/courses/{course}/essays"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("You review as a peer")
        .expect_contains("A learner")
        .expect_lacks("Lea Learner")
        .expect_contains("<em>listened</em>")
        .expect_contains("Argument (0 to 4)");
    // Lou: 3 + 2 of 6 → 3.3333 of 4 points. One peer is not enough: still waiting.
    lou.post(
        &review_path(course, attempt),
        &[
            ("question", key),
            ("points", "3"),
            ("points", "2"),
            ("comment", "Good listening."),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    assert_eq!(
        t.app
            .store()
            .attempt(attempt)
            .await
            .expect("read")
            .expect("row")
            .passed,
        None,
        "one of two peers: still waiting"
    );
    assert!(!completed(&t, "lea@acme.test", course).await);
    // Lou does not see it again, nor review it twice.
    lou.get(&format!("/courses/{course}/essays"))
        .await
        .expect_contains("No answers wait for review");
    lou.post(
        &review_path(course, attempt),
        &[("question", key), ("points", "4"), ("points", "2")],
    )
    .await
    .expect_status(StatusCode::CONFLICT);
    // Pia through the API: her queue hides the name too. 3 + 1 of 6 → 2.6667 of 4.
    let pia = t.api(&token_for(&t, "pia@acme.test").await);
    let queue = pia.get(&format!("/courses/{course}/essays")).await;
    queue.expect_status(StatusCode::OK);
    let body = queue.json();
    assert_eq!(body["as_peer"], true, "{body}");
    assert_eq!(body["essays"][0]["attempt_id"], attempt, "{body}");
    assert_eq!(body["essays"][0]["learner_id"], json!(null), "{body}");
    assert_eq!(body["essays"][0]["learner_name"], "A learner", "{body}");
    let done = pia
        .send(
            Method::POST,
            &review_path(course, attempt),
            Some(json!({"question_key": key, "points": [3, 1], "comment": "Add sources."})),
        )
        .await;
    done.expect_status(StatusCode::CREATED);
    let outcome = done.json();
    // 3.3333 and 2.6667 are 0.67 apart, within 1: the mean 3.0 counts; 1 + 3 of 5 passes.
    assert_eq!(outcome["by_peer"], true, "{outcome}");
    assert_eq!(outcome["peers_disagree"], false, "{outcome}");
    assert_eq!(outcome["still_waiting"], 0, "{outcome}");
    assert_eq!(outcome["passed"], true, "{outcome}");
    assert_eq!(outcome["attempt_score"], 4.0, "{outcome}");
    assert!(
        completed(&t, "lea@acme.test", course).await,
        "the course completes"
    );
    // The learner is told and reads both peers' comments.
    let lea = t.signed_in("lea@acme.test").await;
    lea.get("/notifications")
        .await
        .expect_contains("Your answers in “Incident reviews” were reviewed");
    lea.get(&format!("/attempts/{attempt}"))
        .await
        .expect_contains("Passed")
        .expect_contains("Good listening.")
        .expect_contains("Add sources.");
    // Settled: in nobody's queue.
    let cole = t.signed_in("cole@acme.test").await;
    cole.get(&format!("/courses/{course}/essays"))
        .await
        .expect_contains("No answers wait for review");
    // Item analysis: the answer reviewed twice is measured (shares 0.83 and 0.67: apart by
    // 17 % of the points, more than the 10 % that agree).
    cole.get(&format!("/courses/{course}/stats"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("0% of 1 agree (mean spread 17% of the points)");
}
story!(two_peers_who_agree_settle_an_answer_with_their_mean);

async fn peers_who_disagree_leave_the_answer_to_the_coach(t: TestApp) {
    let s = setup(&t).await;
    let course = s.course;
    complete_through_the_coach(&t, &s, "lou@acme.test").await;
    complete_through_the_coach(&t, &s, "pia@acme.test").await;
    // Through the API this time; a bad threshold is refused first.
    let author = t.api(&token_for(&t, "ada@acme.test").await);
    // A bad threshold, and `peers` left out (the document requires it; null turns it off).
    for body in [
        json!({"peers": 2, "threshold": -1}),
        json!({"threshold": 0.0}),
    ] {
        let bad = author
            .send(
                Method::PUT,
                &format!("/courses/{course}/peer-review"),
                Some(body),
            )
            .await;
        bad.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["error"]["code"], "invalid_input");
    }
    assert_eq!(
        t.app
            .store()
            .peer_review_setting(course)
            .await
            .expect("read"),
        None
    );
    author
        .send(
            Method::PUT,
            &format!("/courses/{course}/peer-review"),
            Some(json!({"peers": 2, "threshold": 0.5})),
        )
        .await
        .expect_status(StatusCode::OK);
    let attempt = answer_and_submit(&t, &s, "lea@acme.test", "a", "It was nobody's fault.").await;
    let key = s.essay_key.clone();
    let lou = t.caller("lou@acme.test").await;
    let pia = t.caller("pia@acme.test").await;
    t.app
        .review_essay(&lou, course, attempt, &key, &[4.0, 2.0], "Excellent.")
        .await
        .expect("lou");
    let second = t
        .app
        .review_essay(&pia, course, attempt, &key, &[0.0, 0.0], "Off topic.")
        .await
        .expect("pia");
    // 4 and 0 points: further apart than 0.5. Not settled; the coach's queue marks it.
    assert!(second.peers_disagree);
    assert_eq!(second.passed, None);
    assert!(!completed(&t, "lea@acme.test", course).await);
    let coach = t.signed_in("cole@acme.test").await;
    coach
        .get(&format!("/courses/{course}/essays"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Lea Learner")
        .expect_contains("Peers disagree")
        .expect_contains("Lou Learner: 4 of 4 pt — “Excellent.”")
        .expect_contains("Pia Peer: 0 of 4 pt — “Off topic.”");
    let api = t.api(&token_for(&t, "cole@acme.test").await);
    let body = api.get(&format!("/courses/{course}/essays")).await.json();
    assert_eq!(body["essays"][0]["peers_disagree"], true, "{body}");
    assert_eq!(
        body["essays"][0]["peer_reviews"].as_array().map(Vec::len),
        Some(2),
        "{body}"
    );
    // No peer may add a third review.
    let peer_queue = t
        .api(&token_for(&t, "lou@acme.test").await)
        .get(&format!("/courses/{course}/essays"))
        .await
        .json();
    assert_eq!(peer_queue["essays"], json!([]), "{peer_queue}");
    // The coach settles: 2 + 1 of 6 → 2 of 4; 1 + 2 of 5 is 60 %, passed.
    coach
        .post(
            &review_path(course, attempt),
            &[
                ("question", key.as_str()),
                ("points", "2"),
                ("points", "1"),
                ("comment", "Somewhere between."),
            ],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let row = t
        .app
        .store()
        .attempt(attempt)
        .await
        .expect("read")
        .expect("row");
    assert_eq!(row.passed, Some(true));
    assert!((row.score.expect("score") - 3.0).abs() < 1e-9, "{row:?}");
    assert!(completed(&t, "lea@acme.test", course).await);
    let lea = t.signed_in("lea@acme.test").await;
    lea.get(&format!("/attempts/{attempt}"))
        .await
        .expect_contains("Somewhere between.");
    coach
        .get(&format!("/courses/{course}/essays"))
        .await
        .expect_contains("No answers wait for review");
}
story!(peers_who_disagree_leave_the_answer_to_the_coach);

async fn own_answers_and_people_who_did_not_complete_are_refused(t: TestApp) {
    let s = setup(&t).await;
    let course = s.course;
    let key = s.essay_key.clone();
    complete_through_the_coach(&t, &s, "lou@acme.test").await;
    let lea_attempt = answer_and_submit(&t, &s, "lea@acme.test", "a", "Waiting.").await;
    // Peer review off: completing the course does not make Lou a reviewer.
    let lou = t.signed_in("lou@acme.test").await;
    lou.get(&format!("/courses/{course}/essays"))
        .await
        .expect_status(StatusCode::FORBIDDEN);
    turn_peer_review_on(&t, course, "1", "0").await;
    // Lou answers again; his own answer is not in his queue and is refused.
    let lou_caller = t.caller("lou@acme.test").await;
    let second = t
        .app
        .start_attempt(&lou_caller, course)
        .await
        .expect("start");
    t.app
        .answer(&lou_caller, second.id, &key, Answer::Text("Again.".into()))
        .await
        .expect("essay");
    t.app
        .submit_attempt(&lou_caller, second.id)
        .await
        .expect("submit");
    let queue = lou.get(&format!("/courses/{course}/essays")).await;
    queue
        .expect_status(StatusCode::OK)
        .expect_contains(&format!("essay-{lea_attempt}-"))
        .expect_lacks(&format!("essay-{}-", second.id));
    lou.post(
        &review_path(course, second.id),
        &[("question", key.as_str()), ("points", "4"), ("points", "2")],
    )
    .await
    .expect_status(StatusCode::CONFLICT)
    .expect_contains("You cannot review your own answer");
    let lou_api = t.api(&token_for(&t, "lou@acme.test").await);
    let own = lou_api
        .send(
            Method::POST,
            &review_path(course, second.id),
            Some(json!({"question_key": key, "points": [4, 2]})),
        )
        .await;
    own.expect_status(StatusCode::CONFLICT);
    assert_eq!(own.json()["error"]["code"], "own_answer");
    // Lea has not completed the course: no link, no queue, no review (403, she sees the
    // course).
    let lea = t.signed_in("lea@acme.test").await;
    lea.get(&format!("/courses/{course}"))
        .await
        .expect_status(StatusCode::OK)
        .expect_lacks("data-testid=\"essays-link\"");
    lea.get(&format!("/courses/{course}/essays"))
        .await
        .expect_status(StatusCode::FORBIDDEN);
    lea.post(
        &review_path(course, second.id),
        &[("question", key.as_str()), ("points", "4"), ("points", "2")],
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);
    let lea_api = t.api(&token_for(&t, "lea@acme.test").await);
    let refused = lea_api
        .send(
            Method::POST,
            &review_path(course, second.id),
            Some(json!({"question_key": key, "points": [4, 2]})),
        )
        .await;
    refused.expect_status(StatusCode::FORBIDDEN);
    assert_eq!(refused.json()["error"]["code"], "forbidden");
    // Someone outside the course's audience does not even see it (404).
    let hq = t.group(None, "Elsewhere").await;
    let zed = t.person("zed@acme.test", "Zed Outsider", false).await;
    t.member(zed, hq, "learner").await;
    t.api(&token_for(&t, "zed@acme.test").await)
        .get(&format!("/courses/{course}/essays"))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    // A learner may not read or set the course's peer review.
    lea_api
        .send(
            Method::PUT,
            &format!("/courses/{course}/peer-review"),
            Some(json!({"peers": null})),
        )
        .await
        .expect_status(StatusCode::FORBIDDEN);
    // Nothing was reviewed by the refusals.
    assert!(
        t.app
            .store()
            .essay_reviews_of(second.id)
            .await
            .expect("reviews")
            .is_empty()
    );
    // Lou reviews Lea's answer as the one peer asked for: settled.
    let ok = lou_api
        .send(
            Method::POST,
            &review_path(course, lea_attempt),
            Some(json!({"question_key": key, "points": [4, 2]})),
        )
        .await;
    ok.expect_status(StatusCode::CREATED);
    assert_eq!(ok.json()["passed"], true);
}
story!(own_answers_and_people_who_did_not_complete_are_refused);

/// A peer reads the file with an answer while they are asked to review it, and after they
/// reviewed it — not the file of an answer no longer waiting for peers, nor of one not
/// submitted yet (decision 0050, tightened in 0055's session).
async fn a_peer_reads_only_the_files_of_answers_they_review(t: TestApp) {
    let s = setup(&t).await;
    let course = s.course;
    complete_through_the_coach(&t, &s, "lou@acme.test").await;
    complete_through_the_coach(&t, &s, "pia@acme.test").await;
    turn_peer_review_on(&t, course, "1", "1").await;

    read_the_step(&t, "lea@acme.test", course).await;
    let lea = t.caller("lea@acme.test").await;
    let attempt = t.app.start_attempt(&lea, course).await.expect("start").id;
    t.app
        .answer(
            &lea,
            attempt,
            &s.choice_key,
            Answer::Choices(vec!["a".into()]),
        )
        .await
        .expect("choice");
    t.app
        .answer(
            &lea,
            attempt,
            &s.essay_key,
            Answer::Text("See the file.".into()),
        )
        .await
        .expect("essay");
    t.app
        .attach_essay_file(
            &lea,
            attempt,
            &s.essay_key,
            b"# Timeline\n".to_vec().into(),
            "text/markdown",
            "timeline.md",
        )
        .await
        .expect("file");
    let file = format!("/attempts/{attempt}/answers/{}/file", s.essay_key);
    let (lou, pia) = (
        t.signed_in("lou@acme.test").await,
        t.signed_in("pia@acme.test").await,
    );
    assert_eq!(
        lou.get_bytes(&file, &[]).await.status,
        StatusCode::NOT_FOUND,
        "not submitted yet"
    );
    t.app.submit_attempt(&lea, attempt).await.expect("submit");

    // Waiting for one peer: both peers may read it.
    for peer in [&lou, &pia] {
        let read = peer.get_bytes(&file, &[]).await;
        assert_eq!(read.status, StatusCode::OK);
        assert_eq!(read.bytes, b"# Timeline\n");
    }
    // Lou's review settles it: he still reads what he reviewed; Pia no longer may.
    let lou_caller = t.caller("lou@acme.test").await;
    t.app
        .review_essay(&lou_caller, course, attempt, &s.essay_key, &[4.0, 2.0], "")
        .await
        .expect("peer review");
    assert_eq!(lou.get_bytes(&file, &[]).await.status, StatusCode::OK);
    assert_eq!(
        pia.get_bytes(&file, &[]).await.status,
        StatusCode::NOT_FOUND,
        "no longer an answer she is asked to review"
    );
    // The coach still reads it.
    let cole = t.signed_in("cole@acme.test").await;
    assert_eq!(cole.get_bytes(&file, &[]).await.status, StatusCode::OK);
}
story!(a_peer_reads_only_the_files_of_answers_they_review);
