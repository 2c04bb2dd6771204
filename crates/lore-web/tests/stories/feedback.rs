//! The feedback loop end to end: a learner flags a step outdated, the author hears at once
//! (live count), another learner's suggested edit goes into version N+1 with credit, the flag
//! is marked fixed in N+1 and the reactor is told; scores and health follow the formulas;
//! spam-like input is refused or rendered inert.

use std::time::Duration;

use reqwest::StatusCode;

use crate::courses::{team, write_runbook};
use crate::story;
use crate::support::TestApp;

/// The step key in the player's reaction form.
pub(crate) fn step_key(player: &str, course: i64) -> String {
    let marker = format!("/courses/{course}/steps/");
    let at = player.find(&marker).expect("a step form") + marker.len();
    player[at..].split('/').next().expect("key").to_owned()
}

/// The next `unread` count on a server-sent event stream.
pub(crate) async fn next_unread(stream: &mut reqwest::Response) -> u64 {
    let mut seen = String::new();
    loop {
        let chunk = tokio::time::timeout(Duration::from_secs(10), stream.chunk())
            .await
            .expect("an event within 10 s")
            .expect("stream readable")
            .expect("stream open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = seen.find("\n\n") {
            let event: String = seen.drain(..end + 2).collect();
            if event.contains("event: unread") {
                let data = event
                    .lines()
                    .find_map(|l| l.strip_prefix("data: "))
                    .expect("data line");
                return data.trim().parse().expect("a count");
            }
        }
    }
}

async fn reaction_rows(t: &TestApp, course: i64) -> Vec<lore_store::ReactionRow> {
    t.app
        .store()
        .course_reactions(course)
        .await
        .expect("reactions")
}

/// The main story runs with a real SMTP server (aiosmtpd), on both databases.
mod an_outdated_flag_is_heard_fixed_by_a_peer_edit_and_closed {
    use crate::support::Db;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        let (t, mail) = crate::mail::with_mail(Db::Sqlite, true)
            .await
            .expect("sqlite test app");
        super::an_outdated_flag_is_heard_fixed_by_a_peer_edit_and_closed(t, mail).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        match crate::mail::with_mail(Db::Postgres, true).await {
            Some((t, mail)) => {
                super::an_outdated_flag_is_heard_fixed_by_a_peer_edit_and_closed(t, mail).await
            }
            None => eprintln!("PostgreSQL story skipped: LORE_TEST_DATABASE_URL is not set"),
        }
    }
}

async fn an_outdated_flag_is_heard_fixed_by_a_peer_edit_and_closed(
    t: TestApp,
    mail: crate::support::MailServer,
) {
    let (eng, _) = team(&t).await;
    let cy = t.person("cy@acme.test", "Cy Peer", false).await;
    t.member(cy, eng, "learner").await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;

    // Ada keeps a live stream open: the count starts at 0.
    let mut live = ada.stream("/notifications/stream").await;
    assert_eq!(live.status(), StatusCode::OK);
    assert!(
        live.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/event-stream")
    );
    assert_eq!(next_unread(&mut live).await, 0);

    // Bo flags step 2 outdated; without a comment it is refused and nothing is stored.
    let bo = t.signed_in("bo@acme.test").await;
    bo.start_course(id).await;
    let player = bo.get(&format!("/courses/{id}/learn/2")).await;
    player.expect_status(StatusCode::OK);
    let key = step_key(&player.body, id);
    let refused = bo
        .post(
            &format!("/courses/{id}/steps/{key}/reactions"),
            &[("kind", "outdated"), ("comment", "  "), ("position", "2")],
        )
        .await;
    refused
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("Say in a few words what is outdated.");
    assert!(reaction_rows(&t, id).await.is_empty());
    let flagged = bo
        .post(
            &format!("/courses/{id}/steps/{key}/reactions"),
            &[
                ("kind", "outdated"),
                (
                    "comment",
                    "We page through Opsgenie now, not the old pager.",
                ),
                ("position", "2"),
            ],
        )
        .await;
    flagged.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(
        flagged.location(),
        format!("/courses/{id}/learn/2?notice=reaction-saved")
    );
    // The same flag twice is refused; the player shows Bo's reaction with a withdraw button.
    bo.post(
        &format!("/courses/{id}/steps/{key}/reactions"),
        &[
            ("kind", "outdated"),
            ("comment", "again"),
            ("position", "2"),
        ],
    )
    .await
    .expect_status(StatusCode::CONFLICT);
    bo.get(&format!("/courses/{id}/learn/2"))
        .await
        .expect_contains("data-testid=\"my-reactions\"")
        .expect_contains("We page through Opsgenie now");

    // Ada hears at once: the live count moves to 1, the page header and list show it.
    assert_eq!(next_unread(&mut live).await, 1);
    let home = ada.get("/").await;
    assert_eq!(home.testid("unread-count"), "1");
    ada.get("/notifications")
        .await
        .expect_contains("Bo Learner flagged it as outdated — “When the pager fires”");

    // ... and by mail, sent by the background worker (not in the request).
    let flag_mail = mail
        .wait_for_mail("ada@acme.test", Duration::from_secs(20))
        .await;
    assert!(
        flag_mail
            .subject
            .contains("Bo Learner flagged it as outdated — “When the pager fires”"),
        "{flag_mail:?}"
    );
    assert!(flag_mail.text.contains("We page through Opsgenie now"));
    assert!(
        flag_mail
            .text
            .contains(&format!("/courses/{id}/feedback#reaction-"))
    );

    // Health: one open outdated flag costs 15.
    let feedback = ada.get(&format!("/courses/{id}/feedback")).await;
    feedback.expect_status(StatusCode::OK);
    assert_eq!(feedback.testid("health-score"), "85");
    feedback.expect_contains("1 step is marked outdated");
    // Learners do not see the feedback page.
    bo.get(&format!("/courses/{id}/feedback"))
        .await
        .expect_status(StatusCode::FORBIDDEN);

    // Cy suggests the fix; Ada is told.
    let cyb = t.signed_in("cy@acme.test").await;
    let form = cyb.get(&format!("/courses/{id}/steps/{key}/suggest")).await;
    form.expect_status(StatusCode::OK)
        .expect_contains("Acknowledge within five minutes, then open the incident channel.");
    let new_text = "Acknowledge in Opsgenie within five minutes, then open the incident channel.";
    let sent = cyb
        .post(
            &format!("/courses/{id}/steps/{key}/suggest"),
            &[
                ("body", new_text),
                ("reason", "We moved to Opsgenie in March."),
            ],
        )
        .await;
    sent.expect_status(StatusCode::SEE_OTHER);
    let review_path = sent.location().split('?').next().expect("path").to_owned();
    assert_eq!(next_unread(&mut live).await, 2);

    // Ada reviews the word diff and accepts it into the draft of version 2.
    let review = ada.get(&review_path).await;
    review
        .expect_status(StatusCode::OK)
        .expect_contains("<ins>in Opsgenie </ins>")
        .expect_lacks("data-testid=\"conflict\"");
    ada.post(&format!("{review_path}/accept"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let accepted = ada.get(&review_path).await;
    assert_eq!(
        accepted.testid("suggestion-status"),
        "accepted into version 2"
    );
    // Accepting twice is refused.
    ada.post(&format!("{review_path}/accept"), &[])
        .await
        .expect_status(StatusCode::CONFLICT);
    ada.get(&format!("/courses/{id}/edit"))
        .await
        .expect_contains(new_text);

    // Version 2 is published; its note credits Cy.
    ada.post(
        &format!("/courses/{id}/publish"),
        &[("note", "Pager tool updated")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    ada.get(&format!("/courses/{id}/versions"))
        .await
        .expect_contains("Pager tool updated")
        .expect_contains("Suggested edits by Cy Peer (“When the pager fires”).");

    // The step's history credits Cy on version 2, with the change.
    let history = bo.get(&format!("/courses/{id}/steps/{key}/history")).await;
    history
        .expect_status(StatusCode::OK)
        .expect_contains("Improved by a suggested edit from Cy Peer.")
        .expect_contains("<ins>in Opsgenie </ins>");
    assert!(history.body.find("Version 2") < history.body.find("Version 1"));
    bo.get(&format!("/courses/{id}/steps/no-such-step/history"))
        .await
        .expect_status(StatusCode::NOT_FOUND);

    // Ada marks the flag fixed in version 2; a version before the flag is refused.
    let reaction = reaction_rows(&t, id).await[0].id;
    ada.get(&format!("/courses/{id}/feedback")).await;
    ada.post(
        &format!("/courses/{id}/reactions/{reaction}/resolve"),
        &[("action", "fixed"), ("version", "1"), ("note", "")],
    )
    .await
    // A version that does not come after the flag's is a conflict (decision 0037).
    .expect_status(StatusCode::CONFLICT)
    .expect_contains("Choose a published version after version 1");
    ada.post(
        &format!("/courses/{id}/reactions/{reaction}/resolve"),
        &[("action", "fixed"), ("version", "2"), ("note", "")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let row = &reaction_rows(&t, id).await[0];
    assert_eq!(row.status.map(|s| s.as_str()), Some("fixed"));
    assert_eq!(row.fixed_in_version, Some(2));
    let after = ada.get(&format!("/courses/{id}/feedback")).await;
    assert_eq!(after.testid("health-score"), "100");

    // Bo is told it is fixed in version 2; Cy that the edit is accepted, then live.
    let bo_news = bo.get("/notifications").await;
    bo_news.expect_contains("“When the pager fires” is fixed in version 2 of On-call runbook");
    let cy_news = cyb.get("/notifications").await;
    cy_news
        .expect_contains("Your edit to “When the pager fires” was accepted into version 2")
        .expect_contains("Your edit to “When the pager fires” is live in version 2");
    // The reactor hears of the fix by mail too.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        if mail
            .mails_to("bo@acme.test")
            .iter()
            .any(|m| m.subject.contains("is fixed in version 2"))
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no mail about the fix"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Opening the notification marks it read and leads to the change.
    let open_at = bo_news.body.find("/open\"").expect("a notification");
    let nid: String = bo_news.body[..open_at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let opened = bo.post(&format!("/notifications/{nid}/open"), &[]).await;
    opened.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(
        opened.location(),
        format!("/courses/{id}/versions/diff?from=1&to=2")
    );
    bo.get(&opened.location())
        .await
        .expect_contains("<ins>in Opsgenie </ins>");
    let bo_home = bo.get("/").await;
    assert_eq!(bo_home.testid("unread-count"), "0");
}

story!(scores_and_health_follow_the_formulas);
async fn scores_and_health_follow_the_formulas(t: TestApp) {
    let (eng, _) = team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    // Twelve learners open step 1; fewer than ten viewers show no score.
    let mut learners = Vec::new();
    for n in 0..12 {
        let email = format!("learner{n}@acme.test");
        let uid = t.person(&email, &format!("Learner {n}"), false).await;
        t.member(uid, eng, "learner").await;
        learners.push(t.caller(&email).await);
    }
    let mut key = String::new();
    for (n, c) in learners.iter().enumerate() {
        t.app.enrol(c, id).await.expect("enrol");
        let v = t.app.player(c, id, Some(1)).await.expect("player");
        key = v.step().step_key.clone();
        if n == 8 {
            let page = ada.get(&format!("/courses/{id}/feedback")).await;
            assert_eq!(
                page.testid("course-score"),
                "not yet: it shows once 10 people have opened the course",
                "9 viewers: no score yet, and a word on when it comes"
            );
        }
    }
    for (c, kind, comment) in [
        (&learners[0], "useful", ""),
        (&learners[1], "learned", ""),
        (&learners[2], "liked", "Great checklist"),
        (&learners[3], "unclear", "Which pager app?"),
    ] {
        t.app
            .react(c, id, &key, kind, comment)
            .await
            .expect("react");
    }
    // Ada hears of the reactions with words (the liked one with a comment, the unclear one),
    // not of the plain clicks.
    let told = t
        .app
        .notifications(&t.caller("ada@acme.test").await, 50)
        .await
        .expect("notifications");
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(told.iter().any(|n| n.body.contains("Great checklist")));
    assert!(told.iter().any(|n| n.body.contains("Which pager app?")));
    // P = 3, N = 1, V = 12: 100 × 2 / max(4, ⌈12/10⌉) = 50.
    let page = ada.get(&format!("/courses/{id}/feedback")).await;
    assert_eq!(page.testid("course-score"), "50");
    page.expect_contains("<td>Before your shift</td><td>12</td><td>3</td><td>1</td><td>50</td>");
    // Withdrawing the positive one moves it: P = 2 → 100 × 1 / 3 = 33.
    let mine = t
        .app
        .my_reactions(&learners[0], id, 1, &key)
        .await
        .expect("mine");
    t.app
        .withdraw_reaction(&learners[0], None, mine[0].id)
        .await
        .expect("withdraw");
    assert_eq!(
        ada.get(&format!("/courses/{id}/feedback"))
            .await
            .testid("course-score"),
        "33"
    );
    // A question costs 10 health until answered; then it is 100 again and the asker is told.
    for learner in &learners[4..7] {
        t.app
            .react(learner, id, &key, "question", "Who pages the pager?")
            .await
            .expect("question");
    }
    // P = 2, N = 4 → score 100 × −2 / 6 = −33, costing 33 / 5 = 6; three questions cost 30
    // and the open "not clear" 10.
    let page = ada.get(&format!("/courses/{id}/feedback")).await;
    assert_eq!(page.testid("course-score"), "-33");
    assert_eq!(page.testid("health-score"), "54");
    page.expect_contains("3 questions are waiting for an answer")
        .expect_contains("1 open “not clear” reaction")
        .expect_contains("reactions are negative (-33)");
    ada.get("/")
        .await
        .expect_contains("data-testid=\"home-attention\"")
        .expect_contains("3 questions are waiting for an answer");
    let attention = ada.get("/attention").await;
    attention
        .expect_contains(&format!("data-testid=\"attention-{id}\""))
        .expect_contains("3 questions are waiting for an answer");
    // A coach of the group sees it too; a learner has nothing to look after.
    let cora = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(cora, eng, "coach").await;
    t.signed_in("cora@acme.test")
        .await
        .get("/attention")
        .await
        .expect_contains(&format!("data-testid=\"attention-{id}\""))
        .expect_contains("you coach it");
    t.signed_in("bo@acme.test")
        .await
        .get("/attention")
        .await
        .expect_contains("data-testid=\"attention-empty\"");
    let ada_c = t.caller("ada@acme.test").await;
    for r in reaction_rows(&t, id).await {
        if matches!(r.kind.as_str(), "question" | "unclear") {
            t.app
                .resolve_reaction(
                    &ada_c,
                    id,
                    r.id,
                    lore_domain::reactions::Resolution::Answered("The on-call lead.".to_owned()),
                )
                .await
                .expect("answer");
        }
    }
    // Answered questions and "not clear" reactions cost nothing; the negative score still
    // costs 6.
    assert_eq!(
        ada.get(&format!("/courses/{id}/feedback"))
            .await
            .testid("health-score"),
        "94"
    );
    let asked = t
        .app
        .notifications(&learners[4], 10)
        .await
        .expect("notifications");
    assert!(
        asked
            .iter()
            .any(|n| n.title.contains("was answered") && n.body.contains("The on-call lead."))
    );
    // Age: a year without a new version costs the full 20 more.
    t.clock.advance(time::Duration::days(365));
    let ada = t.signed_in("ada@acme.test").await;
    let old = ada.get(&format!("/courses/{id}/feedback")).await;
    assert_eq!(old.testid("health-score"), "74");
    old.expect_contains("not reviewed for 365 days");
}

story!(spam_like_reactions_are_refused_or_inert);
async fn spam_like_reactions_are_refused_or_inert(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let bo = t.signed_in("bo@acme.test").await;
    bo.start_course(id).await;
    let player = bo.get(&format!("/courses/{id}/learn/1")).await;
    let key = step_key(&player.body, id);

    // Positive reactions are toggles: one click adds, the pressed button takes it back.
    bo.post(
        &format!("/courses/{id}/steps/{key}/reactions"),
        &[("kind", "useful"), ("position", "1")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let pressed = bo.get(&format!("/courses/{id}/learn/1")).await;
    pressed.expect_contains(
        "aria-pressed=\"true\" title=\"Click to take it back\" data-testid=\"react-useful\"",
    );
    let useful = reaction_rows(&t, id).await[0].id;
    bo.post(
        &format!("/courses/{id}/reactions/{useful}/withdraw"),
        &[("position", "1")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    assert!(reaction_rows(&t, id).await.is_empty());
    // Nobody withdraws another person's reaction.
    bo.post(
        &format!("/courses/{id}/steps/{key}/reactions"),
        &[("kind", "liked"), ("position", "1")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let liked = reaction_rows(&t, id).await[0].id;
    ada.get("/").await;
    ada.post(
        &format!("/courses/{id}/reactions/{liked}/withdraw"),
        &[("position", "1")],
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);
    bo.post(
        &format!("/courses/{id}/reactions/{liked}/withdraw"),
        &[("position", "1")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);

    // A 1 MB comment is refused with the reason; the text comes back; nothing is stored.
    let huge = "x".repeat(1024 * 1024);
    let refused = bo
        .post(
            &format!("/courses/{id}/steps/{key}/reactions"),
            &[("kind", "unclear"), ("comment", &huge), ("position", "1")],
        )
        .await;
    refused
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("Keep the comment to 1000 characters");
    assert!(reaction_rows(&t, id).await.is_empty());

    // A script in a comment is shown as text to the author, in the list and the notification.
    bo.post(
        &format!("/courses/{id}/steps/{key}/reactions"),
        &[
            ("kind", "unclear"),
            (
                "comment",
                "<script>alert('x')</script><img src=x onerror=alert(1)>",
            ),
            ("position", "1"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let feedback = ada.get(&format!("/courses/{id}/feedback")).await;
    feedback
        .expect_contains("&#60;script&#62;alert(")
        .expect_lacks("<script>alert(")
        .expect_lacks("<img src=x");
    ada.get("/notifications")
        .await
        .expect_contains("&#60;script&#62;")
        .expect_lacks("<script>alert(");

    // Ten thousand reactions from one person: repeats are refused by the one-per-kind rule,
    // and past 60 an hour everything is refused until the hour is over.
    let bo_c = t.caller("bo@acme.test").await;
    let ada_c = t.caller("ada@acme.test").await;
    let mut keys = Vec::new();
    for n in 0..12 {
        let step = t
            .app
            .add_step(
                &ada_c,
                id,
                lore_app::courses::authoring::StepInput {
                    kind: "text",
                    title: &format!("Extra {n}"),
                    body: "More.",
                    video_url: "",
                    required: false,
                    blob_hash: None,
                },
            )
            .await
            .expect("step");
        keys.push(step.step_key);
    }
    t.app
        .publish(&ada_c, id, "More steps")
        .await
        .expect("publish");
    t.app.switch_to_latest(&bo_c, id).await.expect("switch");
    let kinds = [
        "useful", "learned", "liked", "outdated", "question", "unclear",
    ];
    let (mut stored, mut duplicate, mut limited) = (0, 0, 0);
    for n in 0..10_000usize {
        let k = &keys[(n / 6) % keys.len()];
        match t.app.react(&bo_c, id, k, kinds[n % 6], "spam").await {
            Ok(_) => stored += 1,
            Err(lore_app::AppError::Conflict(_)) => duplicate += 1,
            Err(lore_app::AppError::RateLimited { .. }) => {
                limited += 1;
                if limited >= 50 {
                    break;
                }
            }
            Err(e) => panic!("unexpected refusal: {e}"),
        }
    }
    // Three reactions were given earlier within the hour (two of them withdrawn since:
    // withdrawing does not give the allowance back): 57 more fit.
    assert_eq!(stored, 57);
    assert_eq!(duplicate, 0);
    assert_eq!(limited, 50);
    assert_eq!(reaction_rows(&t, id).await.len(), 58);
    // Repeats are refused on their own merits.
    t.clock.advance(time::Duration::minutes(61));
    assert!(matches!(
        t.app.react(&bo_c, id, &keys[0], "useful", "").await,
        Err(lore_app::AppError::Conflict(_))
    ));
    // After the hour, a new reaction is welcome again.
    t.app
        .react(&bo_c, id, &keys[11], "useful", "")
        .await
        .expect("allowed again after an hour");
}

story!(a_suggestion_on_a_changed_step_is_a_conflict_not_a_merge);
async fn a_suggestion_on_a_changed_step_is_a_conflict_not_a_merge(t: TestApp) {
    let (eng, _) = team(&t).await;
    let cy = t.person("cy@acme.test", "Cy Peer", false).await;
    t.member(cy, eng, "learner").await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let bo = t.signed_in("bo@acme.test").await;
    bo.start_course(id).await;
    let player = bo.get(&format!("/courses/{id}/learn/2")).await;
    let key = step_key(&player.body, id);
    let suggest = format!("/courses/{id}/steps/{key}/suggest");

    // An unchanged text is refused, and the reason is required; the text typed is kept.
    bo.get(&suggest).await;
    bo.post(
        &suggest,
        &[
            (
                "body",
                "Acknowledge within five minutes, then open the incident channel.",
            ),
            ("reason", "no change"),
        ],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("The text is unchanged");
    bo.post(&suggest, &[("body", "Page the lead."), ("reason", " ")])
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("Say why the step should change.")
        .expect_contains("Page the lead.");
    let sent = bo
        .post(
            &suggest,
            &[
                (
                    "body",
                    "Acknowledge within two minutes, then open the incident channel.",
                ),
                ("reason", "Our SLA is two minutes."),
            ],
        )
        .await;
    sent.expect_status(StatusCode::SEE_OTHER);
    let bo_review = sent.location().split('?').next().expect("path").to_owned();

    // Meanwhile Ada rewrites the step and publishes version 2.
    let ada_c = t.caller("ada@acme.test").await;
    let draft = t.app.draft(&ada_c, id).await.expect("draft");
    let step = draft
        .steps
        .iter()
        .find(|s| s.step_key == key)
        .expect("step")
        .clone();
    t.app
        .save_step(
            &ada_c,
            id,
            step.id,
            step.revision,
            lore_app::courses::authoring::StepInput {
                kind: "text",
                title: &step.title,
                body: "Acknowledge within five minutes in the pager app, then open the incident channel.",
                video_url: "",
                required: true,
                blob_hash: None,
            },
        )
        .await
        .expect("save");
    t.app
        .publish(&ada_c, id, "Pager app")
        .await
        .expect("publish");

    // The review shows the conflict; a plain accept is refused and changes nothing.
    let review = ada.get(&bo_review).await;
    review
        .expect_status(StatusCode::OK)
        .expect_contains("data-testid=\"conflict\"")
        .expect_contains("<ins>minutes in the pager app,</ins>")
        .expect_lacks("id=\"accept-suggestion\"");
    ada.post(&format!("{bo_review}/accept"), &[])
        .await
        .expect_status(StatusCode::CONFLICT)
        .expect_contains("The step changed after this suggestion was made on version 1");
    let unchanged = t.app.draft(&ada_c, id).await.expect("draft");
    assert!(
        unchanged
            .steps
            .iter()
            .any(|s| s.body.contains("five minutes in the pager app"))
    );

    // A learner can neither decide nor see another person's suggestion.
    let cyb = t.signed_in("cy@acme.test").await;
    cyb.get(&bo_review)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    bo.get(&bo_review).await.expect_status(StatusCode::OK);
    bo.post(&format!("{bo_review}/accept"), &[])
        .await
        .expect_status(StatusCode::FORBIDDEN);

    // Ada merges by hand and accepts that text.
    let merged = "Acknowledge within two minutes in the pager app, then open the incident channel.";
    ada.get(&bo_review).await;
    ada.post(&format!("{bo_review}/accept"), &[("body", merged)])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let draft = t.app.draft(&ada_c, id).await.expect("draft");
    assert!(draft.steps.iter().any(|s| s.body == merged));
    let bo_news = t
        .app
        .notifications(&t.caller("bo@acme.test").await, 10)
        .await
        .expect("news");
    assert!(bo_news.iter().any(|n| n.title.contains("accepted into version 3")
        && n.body.contains("with changes")));

    // Cy's suggestion is declined with a reason, which Cy is told; no reason is refused.
    cyb.start_course(id).await;
    let player = cyb.get(&format!("/courses/{id}/learn/1")).await;
    let first = step_key(&player.body, id);
    cyb.get(&format!("/courses/{id}/steps/{first}/suggest"))
        .await;
    let sent = cyb
        .post(
            &format!("/courses/{id}/steps/{first}/suggest"),
            &[("body", "Check the pager."), ("reason", "Shorter")],
        )
        .await;
    sent.expect_status(StatusCode::SEE_OTHER);
    let cy_review = sent.location().split('?').next().expect("path").to_owned();
    ada.get(&cy_review).await;
    ada.post(&format!("{cy_review}/decline"), &[("reason", "")])
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("Say why the suggestion is declined.");
    ada.post(
        &format!("{cy_review}/decline"),
        &[("reason", "The bold word matters to new joiners.")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    cyb.get("/notifications")
        .await
        .expect_contains("Your edit to “Before your shift” was declined")
        .expect_contains("The bold word matters to new joiners.");
    let feedback = ada.get(&format!("/courses/{id}/feedback")).await;
    feedback
        .expect_contains("accepted into version 3")
        .expect_contains("declined");
}

story!(an_unanswered_discussion_counts_against_health_until_answered);
async fn an_unanswered_discussion_counts_against_health_until_answered(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let bo = t.caller("bo@acme.test").await;
    let (thread, _) = t
        .app
        .start_thread(
            &bo,
            id,
            lore_app::discussions::NewThreadInput {
                title: "Which pager app?",
                body: "The step does not name it.",
                step_key: None,
            },
        )
        .await
        .expect("thread");
    let page = ada.get(&format!("/courses/{id}/feedback")).await;
    assert_eq!(page.testid("health-score"), "90");
    page.expect_contains("1 question is waiting for an answer");
    let ada_c = t.caller("ada@acme.test").await;
    t.app
        .reply(&ada_c, id, thread.id, "Opsgenie, since March.")
        .await
        .expect("reply");
    assert_eq!(
        ada.get(&format!("/courses/{id}/feedback"))
            .await
            .testid("health-score"),
        "100"
    );
}

/// The part of a page from the element with `data-testid="{id}"` to the end of its form.
fn form_of<'a>(body: &'a str, id: &str) -> &'a str {
    let start = body
        .find(&format!("data-testid=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id} in:\n{body}"));
    let end = body[start..]
        .find("</form>")
        .map_or(body.len(), |e| start + e);
    &body[start..end]
}

story!(the_reaction_and_resolve_forms_start_on_a_fitting_choice);
/// The learner's "something wrong" form presumes nothing and sits below Next; the author's
/// Resolve form starts on Answer for a question and on the newest fix for an outdated flag.
async fn the_reaction_and_resolve_forms_start_on_a_fitting_choice(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let bo = t.signed_in("bo@acme.test").await;
    bo.start_course(id).await;
    let player = bo.get(&format!("/courses/{id}/learn/2")).await;
    let form = form_of(&player.body, "negative-reaction");
    assert!(!form.contains("checked"), "no choice preselected: {form}");
    let next = player.body.find("id=\"next\"").expect("Next");
    let reactions = player
        .body
        .find("data-testid=\"reactions\"")
        .expect("reactions");
    assert!(next < reactions, "Next comes before the reaction form");
    let key = step_key(&player.body, id);

    // Sending without a choice is refused with a clear error; the comment is kept.
    bo.post(
        &format!("/courses/{id}/steps/{key}/reactions"),
        &[("comment", "Which pager app?"), ("position", "2")],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("Choose what is wrong")
    .expect_contains("Which pager app?");
    assert!(reaction_rows(&t, id).await.is_empty());

    bo.post(
        &format!("/courses/{id}/steps/{key}/reactions"),
        &[
            ("kind", "question"),
            ("comment", "Which pager app?"),
            ("position", "2"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let step1 = bo.get(&format!("/courses/{id}/learn/1")).await;
    let key1 = step_key(&step1.body, id);
    bo.post(
        &format!("/courses/{id}/steps/{key1}/reactions"),
        &[
            ("kind", "outdated"),
            ("comment", "The pager is gone."),
            ("position", "1"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);

    // Versions 2 and 3 come out.
    for title in ["Postmortem", "Escalation"] {
        crate::editor::add_step_with_text(&ada, id, title, "Who to call, and when.").await;
        ada.post(&format!("/courses/{id}/publish"), &[("note", "")])
            .await
            .expect_status(StatusCode::SEE_OTHER);
    }

    let rows = reaction_rows(&t, id).await;
    let of = |kind: &str| {
        rows.iter()
            .find(|r| r.kind.as_str() == kind)
            .map(|r| r.id)
            .expect("reaction")
    };
    let page = ada.get(&format!("/courses/{id}/feedback")).await;
    page.expect_status(StatusCode::OK);
    let question = form_of(&page.body, &format!("resolve-{}", of("question")));
    assert!(question.contains("value=\"answer\" checked"), "{question}");
    assert!(!question.contains("value=\"fixed\" checked"), "{question}");
    let outdated = form_of(&page.body, &format!("resolve-{}", of("outdated")));
    assert!(outdated.contains("value=\"fixed\" checked"), "{outdated}");
    assert!(
        outdated.contains("<option value=\"3\" selected>"),
        "{outdated}"
    );
    assert!(!outdated.contains("value=\"answer\" checked"), "{outdated}");
}
