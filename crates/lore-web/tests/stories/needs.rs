//! Learning needs end to end: a learner searches, finds nothing and asks; a second learner
//! finds the need while typing theirs and upvotes instead; a coach assigns the suggested
//! expert; the expert publishes the course from the pre-filled draft; both learners are told.
//! Duplicate votes, votes on a closed need and merging a need into itself are refused.

use reqwest::StatusCode;

use crate::courses::{course_id, team, write_runbook};
use crate::story;
use crate::support::TestApp;

/// The id in a `/needs/{id}…` redirect.
fn need_id(location: &str) -> i64 {
    location
        .trim_start_matches("/needs/")
        .split(['/', '?', '#'])
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no need id in {location:?}"))
}

/// The markup from the start of the first element carrying `data-testid="{id}"`, up to
/// 1,500 bytes on.
fn markup<'a>(body: &'a str, id: &str) -> &'a str {
    let marker = format!("data-testid=\"{id}\"");
    let at = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no data-testid={id} in:\n{body}"));
    let start = body[..at].rfind('<').unwrap_or(at);
    let mut end = (start + 1500).min(body.len());
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    &body[start..end]
}

async fn votes(t: &TestApp, need: i64) -> usize {
    t.app
        .store()
        .need_votes(Some(&[need]))
        .await
        .expect("votes")
        .len()
}

async fn status(t: &TestApp, need: i64) -> String {
    t.app
        .store()
        .need(need)
        .await
        .expect("need")
        .expect("a need")
        .status
        .as_str()
        .to_owned()
}

story!(a_need_is_asked_upvoted_assigned_and_answered);
async fn a_need_is_asked_upvoted_assigned_and_answered(t: TestApp) {
    let (eng, _) = team(&t).await;
    let lea = t.person("lea@acme.test", "Lea Learner", false).await;
    t.member(lea, eng, "learner").await;
    let cora = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(cora, eng, "coach").await;
    // Ada has written a healthy course on being on call: the evidence that makes her an expert.
    let ada_browser = t.signed_in("ada@acme.test").await;
    let runbook = write_runbook(&ada_browser).await;
    let ada = t.caller("ada@acme.test").await.id.0;

    // Lea searches the catalogue, finds nothing, and asks for it from there.
    let lea_b = t.signed_in("lea@acme.test").await;
    let search = lea_b.get("/courses?q=escalation+ladder").await;
    search.expect_status(StatusCode::OK);
    assert_eq!(search.testid("ask-for-this"), "Ask for this");
    let ask = markup(&search.body, "ask-for-this");
    assert!(ask.contains("/needs/new?title=escalation"), "{ask}");
    lea_b
        .get("/needs/new?title=escalation+ladder")
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("value=\"escalation ladder\"");
    let asked = lea_b
        .post(
            "/needs",
            &[
                ("title", "Escalation ladder for pager incidents"),
                (
                    "problem",
                    "Nobody knows whom to wake when an incident outgrows the on-call person.",
                ),
                ("topic", "On call"),
                ("urgency", "high"),
                (
                    "questions",
                    "Whom do I call after fifteen minutes?\nWhen do I wake the manager?",
                ),
                ("audiences", &eng.to_string()),
            ],
        )
        .await;
    asked.expect_status(StatusCode::SEE_OTHER);
    let need = need_id(&asked.location());
    lea_b
        .get(&format!("/needs/{need}"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Escalation ladder for pager incidents")
        .expect_contains("Whom do I call after fifteen minutes?");
    assert_eq!(votes(&t, need).await, 1, "the asker's own vote");
    // Cora, who coaches Engineering, hears of it — by mail in the daily digest unless she
    // chooses otherwise; learners of the group are not told.
    let cora_told = t
        .app
        .store()
        .notifications_of(cora, 10)
        .await
        .expect("notifications");
    let asked_note = cora_told
        .iter()
        .find(|n| n.kind == "need-asked")
        .unwrap_or_else(|| panic!("Cora is told: {cora_told:?}"));
    assert_eq!(asked_note.link, format!("/needs/{need}"));
    assert_eq!(asked_note.mail_mode.as_deref(), Some("digest"));
    let bo_id = t.caller("bo@acme.test").await.id.0;
    let bo_told = t
        .app
        .store()
        .notifications_of(bo_id, 10)
        .await
        .expect("notifications");
    assert!(
        bo_told.iter().all(|n| n.kind != "need-asked"),
        "{bo_told:?}"
    );

    // Bo types his own, differently worded need; Lea's shows up while he types.
    let bo_b = t.signed_in("bo@acme.test").await;
    let similar = bo_b
        .get("/needs/similar?q=How+do+we+escalate+a+pager+incident")
        .await;
    similar.expect_status(StatusCode::OK);
    assert!(
        similar
            .testid("similar-need")
            .contains(&format!("/needs/{need}")),
        "{}",
        similar.body
    );
    bo_b.post(&format!("/needs/{need}/vote"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    assert_eq!(votes(&t, need).await, 2);
    // A second vote is refused, clearly, and changes nothing.
    bo_b.post(&format!("/needs/{need}/vote"), &[])
        .await
        .expect_status(StatusCode::CONFLICT)
        .expect_contains("already voted");
    assert_eq!(votes(&t, need).await, 2);

    // Cora, a coach of Engineering, sees Ada suggested with the evidence, and assigns her.
    let cora_b = t.signed_in("cora@acme.test").await;
    let page = cora_b.get(&format!("/needs/{need}")).await;
    page.expect_status(StatusCode::OK);
    let suggested = markup(&page.body, "suggested-expert");
    assert!(suggested.contains("Ada Author"), "{suggested}");
    assert!(
        suggested.contains("On-call runbook"),
        "the reason: {suggested}"
    );
    // A need cannot be merged into itself.
    cora_b
        .post(
            &format!("/needs/{need}/merge"),
            &[("into", &need.to_string())],
        )
        .await
        .expect_status(StatusCode::CONFLICT)
        .expect_contains("cannot be merged into itself");
    assert_eq!(status(&t, need).await, "open");
    cora_b
        .post(
            &format!("/needs/{need}/experts"),
            &[("user_id", &ada.to_string())],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    assert_eq!(status(&t, need).await, "in-progress");

    // Ada is told, and finds a draft outlined from the need's questions.
    let told = ada_browser.get("/notifications").await;
    told.expect_status(StatusCode::OK)
        .expect_contains("asks you to answer");
    let links = t
        .app
        .store()
        .need_courses(Some(&[need]))
        .await
        .expect("linked courses");
    assert_eq!(links.len(), 1);
    let draft = links[0].course_id;
    assert_ne!(draft, runbook);
    // Opening the notification leads to the draft.
    let notification: i64 = told
        .body
        .split("/notifications/")
        .skip(1)
        .find_map(|rest| rest.split('/').next()?.parse().ok())
        .expect("a notification to open");
    let opened = ada_browser
        .post(&format!("/notifications/{notification}/open"), &[])
        .await;
    opened.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(opened.location(), format!("/courses/{draft}/edit"));
    ada_browser
        .get(&format!("/courses/{draft}/edit"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Whom do I call after fifteen minutes?")
        .expect_contains("When do I wake the manager?");
    let published = ada_browser
        .post(&format!("/courses/{draft}/publish"), &[("note", "")])
        .await;
    published.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(course_id(&published.location()), draft);
    assert_eq!(status(&t, need).await, "answered");

    // Both learners are told the need is answered, with a way to the course.
    for b in [&lea_b, &bo_b] {
        b.get("/notifications")
            .await
            .expect_status(StatusCode::OK)
            .expect_contains("Answered by the course");
        b.get(&format!("/needs/{need}"))
            .await
            .expect_contains(&format!("/courses/{draft}"));
    }

    // Cora closes it; a vote on a closed need is refused and changes nothing.
    cora_b
        .post(
            &format!("/needs/{need}/status"),
            &[("status", "closed"), ("reason", "")],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let dee = t.person("dee@acme.test", "Dee Late", false).await;
    t.member(dee, eng, "learner").await;
    let dee_b = t.signed_in("dee@acme.test").await;
    dee_b
        .get(&format!("/needs/{need}"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Closed");
    dee_b
        .post(&format!("/needs/{need}/vote"), &[])
        .await
        .expect_status(StatusCode::CONFLICT)
        .expect_contains("no longer takes votes");
    assert_eq!(votes(&t, need).await, 2);
}

story!(merging_keeps_every_vote_and_follower);
async fn merging_keeps_every_vote_and_follower(t: TestApp) {
    use lore_app::needs::asking::NeedInput;
    let (eng, _) = team(&t).await;
    let cora = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(cora, eng, "coach").await;
    let mut voters = Vec::new();
    for i in 0..4 {
        let email = format!("p{i}@acme.test");
        let id = t.person(&email, &format!("Person {i}"), false).await;
        t.member(id, eng, "learner").await;
        voters.push(t.caller(&email).await);
    }
    let bo = t.caller("bo@acme.test").await;
    let cora = t.caller("cora@acme.test").await;
    let ask = |title: &'static str| NeedInput {
        title,
        questions: "How?",
        audiences: vec![eng],
        ..Default::default()
    };
    let a = t
        .app
        .ask_need(&bo, ask("Terraform state locking"))
        .await
        .expect("a");
    let b = t
        .app
        .ask_need(&voters[0], ask("Locking terraform state files"))
        .await
        .expect("b");
    for v in &voters[1..3] {
        t.app.vote_need(v, a).await.expect("vote a");
    }
    // Person 2 voted for both: after the merge they still count once.
    for v in &voters[2..4] {
        t.app.vote_need(v, b).await.expect("vote b");
    }
    assert_eq!(votes(&t, a).await, 3);
    assert_eq!(votes(&t, b).await, 3);
    let refused = t.app.merge_need(&cora, b, b).await.expect_err("self merge");
    assert_eq!(refused.code(), "merge_into_itself");
    let learner_merge = t.app.merge_need(&bo, b, a).await.expect_err("learner");
    assert_eq!(learner_merge.code(), "forbidden");
    let totals = t.app.merge_need(&cora, b, a).await.expect("merge");
    assert_eq!(totals.votes_moved, 2);
    assert_eq!(totals.votes_already_there, 1);
    assert_eq!(votes(&t, a).await, 5, "bo, p0, p1, p2, p3");
    assert_eq!(status(&t, b).await, "merged");
    let followers = t.app.store().need_followers(a).await.expect("followers");
    assert_eq!(followers.len(), 5);
    let merged_vote = t.app.vote_need(&cora, b).await.expect_err("merged");
    assert_eq!(merged_vote.code(), "need_closed");
    // The board shows one need, with every vote.
    let board = t
        .app
        .needs_board(&cora, &Default::default())
        .await
        .expect("board");
    assert_eq!(board.needs.len(), 1);
    assert_eq!(board.needs[0].votes, 5);
    // Followers of the duplicate heard where it went.
    let p3 = t
        .app
        .store()
        .notifications_of(voters[3].id.0, 10)
        .await
        .expect("notifications");
    assert!(p3.iter().any(|n| n.title.contains("Merged into")), "{p3:?}");
}

story!(experts_are_suggested_from_evidence_on_the_topic);
async fn experts_are_suggested_from_evidence_on_the_topic(t: TestApp) {
    use lore_app::courses::authoring::NewCourse;
    use lore_app::needs::asking::NeedInput;
    let (eng, _) = team(&t).await;
    let cora = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(cora, eng, "coach").await;
    let cora = t.caller("cora@acme.test").await;
    // Two people wrote about Kubernetes upgrades; six wrote about other things, each
    // mentioning "production" as courses do.
    let courses = [
        ("Kim Kube", "Kubernetes upgrades, step by step"),
        ("Kai Kube", "Upgrading a Kubernetes cluster"),
        ("Pat One", "Shipping to production on Fridays"),
        ("Pat Two", "Production incident reviews"),
        ("Pat Three", "Feature flags in production"),
        ("Pat Four", "Logging in production"),
        ("Pat Five", "Production database backups"),
        ("Pat Six", "Production access requests"),
    ];
    for (i, (name, title)) in courses.iter().enumerate() {
        let email = format!("author{i}@acme.test");
        let id = t.person(&email, name, false).await;
        t.member(id, eng, "author").await;
        let author = t.caller(&email).await;
        let course = t
            .app
            .create_course(
                &author,
                NewCourse {
                    title,
                    first_step_title: "In production",
                    first_step_body: "What changes when this runs in production.",
                    ..Default::default()
                },
            )
            .await
            .expect("course");
        t.app.publish(&author, course, "").await.expect("publish");
    }
    let vic = t.person("vic@acme.test", "Vic Volunteer", false).await;
    t.member(vic, eng, "learner").await;
    let vic = t.caller("vic@acme.test").await;
    let bo = t.caller("bo@acme.test").await;
    let need = t
        .app
        .ask_need(
            &bo,
            NeedInput {
                title: "Upgrading Kubernetes in production",
                questions: "How do I drain a node?",
                audiences: vec![eng],
                ..Default::default()
            },
        )
        .await
        .expect("need");
    t.app
        .volunteer_for_need(&vic, need)
        .await
        .expect("volunteer");
    let again = t
        .app
        .volunteer_for_need(&vic, need)
        .await
        .expect_err("twice");
    assert_eq!(again.code(), "already_expert");

    let experts = t.app.suggest_experts(&cora, need).await.expect("experts");
    let mut names: Vec<&str> = experts.iter().map(|e| e.name.as_str()).collect();
    names.sort_unstable();
    // The Kubernetes authors, each with the course that makes them one, and the volunteer;
    // "production" is in every course and says nothing about who knows Kubernetes.
    assert_eq!(
        names,
        vec!["Kai Kube", "Kim Kube", "Vic Volunteer"],
        "{experts:?}"
    );
    let kim = experts.iter().find(|e| e.name == "Kim Kube").expect("Kim");
    assert_eq!(
        kim.reasons,
        vec!["Wrote “Kubernetes upgrades, step by step” (health 100)".to_owned()]
    );
    assert_eq!(kim.score, 3);
    let vic_row = experts
        .iter()
        .find(|e| e.name == "Vic Volunteer")
        .expect("Vic");
    assert!(vic_row.volunteered);
    assert_eq!(vic_row.reasons, vec!["Volunteered".to_owned()]);
    // Learners do not see the suggestions.
    let refused = t.app.suggest_experts(&bo, need).await.expect_err("learner");
    assert_eq!(refused.code(), "forbidden");
}

story!(a_merge_that_fails_halfway_changes_nothing);
/// A merge made to fail at its last move (the duplicate's courses, after votes and followers
/// moved) is refused; both needs, their votes and followers are as before. Tried again, it
/// merges.
async fn a_merge_that_fails_halfway_changes_nothing(t: TestApp) {
    use lore_app::needs::asking::NeedInput;
    let (eng, _) = team(&t).await;
    let cora = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(cora, eng, "coach").await;
    let p = t.person("p@acme.test", "Pat", false).await;
    t.member(p, eng, "learner").await;
    let bo = t.caller("bo@acme.test").await;
    let pat = t.caller("p@acme.test").await;
    let cora = t.caller("cora@acme.test").await;
    let ask = |title: &'static str| NeedInput {
        title,
        questions: "How?",
        audiences: vec![eng],
        ..Default::default()
    };
    let a = t
        .app
        .ask_need(&bo, ask("Terraform state locking"))
        .await
        .expect("a");
    let b = t
        .app
        .ask_need(&pat, ask("Locking terraform state files"))
        .await
        .expect("b");
    let store = t.app.store();
    let snapshot = || async {
        (
            store.need(a).await.expect("a").expect("a need"),
            store.need(b).await.expect("b").expect("a need"),
            store.need_votes(Some(&[a, b])).await.expect("votes"),
            store.need_followers(a).await.expect("followers"),
            store.need_followers(b).await.expect("followers"),
            store.need_events(a).await.expect("events").len(),
            store.need_events(b).await.expect("events").len(),
        )
    };
    let before = snapshot().await;

    store.fail_next_statement_containing("INSERT INTO need_courses");
    let failed = t.app.merge_need(&cora, b, a).await.expect_err("injected");
    assert_eq!(failed.code(), "internal");
    assert_eq!(snapshot().await, before);
    assert_eq!(status(&t, b).await, "open");

    let totals = t.app.merge_need(&cora, b, a).await.expect("merge");
    assert_eq!(totals.votes_moved, 1);
    assert_eq!(status(&t, b).await, "merged");
    assert_eq!(votes(&t, a).await, 2);
}

story!(a_draft_on_a_need_links_to_its_editor_only_for_its_editors);
/// A coach sees the expert's draft on a need by its title, without a link into an editor
/// that would refuse her; the expert gets the link. A refused or missing page keeps the
/// usual navigation and offers a way back.
async fn a_draft_on_a_need_links_to_its_editor_only_for_its_editors(t: TestApp) {
    let (eng, _) = team(&t).await;
    let cora = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(cora, eng, "coach").await;
    let ada_b = t.signed_in("ada@acme.test").await;
    let ada = t.caller("ada@acme.test").await.id.0;
    let bo_b = t.signed_in("bo@acme.test").await;
    bo_b.get("/needs/new").await;
    let asked = bo_b
        .post(
            "/needs",
            &[
                ("title", "Escalation ladder for pager incidents"),
                ("problem", "Nobody knows whom to wake."),
                ("topic", "On call"),
                ("urgency", "high"),
                ("questions", "Whom do I call after fifteen minutes?"),
                ("audiences", &eng.to_string()),
            ],
        )
        .await;
    asked.expect_status(StatusCode::SEE_OTHER);
    let need = need_id(&asked.location());
    let cora_b = t.signed_in("cora@acme.test").await;
    cora_b.get(&format!("/needs/{need}")).await;
    cora_b
        .post(
            &format!("/needs/{need}/experts"),
            &[("user_id", &ada.to_string())],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let draft = t
        .app
        .store()
        .need_courses(Some(&[need]))
        .await
        .expect("linked courses")[0]
        .course_id;
    let editor = format!("/courses/{draft}/edit");

    let page = cora_b.get(&format!("/needs/{need}")).await;
    page.expect_status(StatusCode::OK);
    let courses = markup(&page.body, "need-courses");
    assert!(courses.contains("draft in progress"), "{courses}");
    assert!(
        !courses.contains(&editor),
        "no editor link for Cora: {courses}"
    );
    ada_b
        .get(&format!("/needs/{need}"))
        .await
        .expect_contains(&format!("href=\"{editor}\""));

    // Had she followed an old link: the refusal keeps her navigation and a way back.
    let refused = cora_b.get(&editor).await;
    refused.expect_status(StatusCode::FORBIDDEN);
    assert_eq!(refused.testid("signed-in-as"), "Cora Coach");
    refused.expect_contains("href=\"/learning\"");
    assert!(markup(&refused.body, "error-back").contains(&format!("href=\"/courses/{draft}\"")));
    let missing = cora_b.get("/needs/999999").await;
    missing
        .expect_status(StatusCode::NOT_FOUND)
        .expect_contains("Page not found")
        .expect_contains("href=\"/learning\"");
    assert!(markup(&missing.body, "error-back").contains("href=\"/needs\""));
    // Someone signed out gets the way to sign in.
    t.browser()
        .get("/no-such-page")
        .await
        .expect_status(StatusCode::NOT_FOUND)
        .expect_contains("href=\"/sign-in\"");
}
