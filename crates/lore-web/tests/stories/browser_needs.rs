//! Learning needs, end to end. In Chromium: a learner finds no course, asks for it from the
//! catalogue, a peer finds the need while typing and upvotes it instead, a coach assigns the
//! suggested expert, the expert publishes the outlined draft, and everyone who asked is told.
//! Without a browser: the pages' refusals, fragments and board, on both databases.

use reqwest::StatusCode;
use thirtyfour::prelude::*;

use crate::browser::{
    browser_tests_wanted, chromium, click_and_load, shot, sign_in, start_driver, wait_for_path,
};
use crate::courses::course_id;
use crate::story;
use crate::support::{Browser, Db, TestApp};

/// Engineering with learners Lea and Bo, coach Cora and author Eve, who has published a
/// course on rotating TLS certificates. Returns the group's id.
async fn needs_team(t: &TestApp) -> i64 {
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    for (email, name, role) in [
        ("lea@acme.test", "Lea Learner", "learner"),
        ("bo@acme.test", "Bo Learner", "learner"),
        ("cora@acme.test", "Cora Coach", "coach"),
        ("eve@acme.test", "Eve Expert", "author"),
    ] {
        let id = t.person(email, name, false).await;
        t.member(id, eng, role).await;
    }
    let eve = t.signed_in("eve@acme.test").await;
    eve.get("/courses/new").await.expect_status(StatusCode::OK);
    eve.post(
        "/courses",
        &[
            ("title", "Rotating TLS certificates"),
            ("step_title", "Before it expires"),
            (
                "step_body",
                "Every TLS certificate we serve is renewed by cert-manager 30 days before it expires.",
            ),
            ("action", "publish"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    eng
}

fn need_id(location: &str) -> i64 {
    location
        .trim_start_matches("/needs/")
        .split(['/', '?', '#'])
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no need id in {location:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_need_is_asked_upvoted_assigned_and_answered_in_chromium() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    needs_team(&t).await;
    let base = t.base.clone();
    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result: WebDriverResult<()> = async {
        // Lea looks for a course that does not exist and asks for it from the catalogue.
        sign_in(&web, &base, "lea@acme.test").await?;
        web.goto(format!("{base}/courses")).await?;
        web.find(By::Id("q"))
            .await?
            .send_keys("mutual TLS certificates")
            .await?;
        let search = web
            .find(By::Css(".catalogue-filters button[type=submit]"))
            .await?;
        click_and_load(&web, search).await?;
        let nothing = web
            .find(By::Css("[data-testid=nothing-matches]"))
            .await?
            .text()
            .await?;
        assert!(
            nothing.contains("Nothing matches “mutual TLS certificates”"),
            "{nothing}"
        );
        shot(&web, "needs-1-catalogue-nothing").await;
        web.find(By::Css("[data-testid=ask-for-this]"))
            .await?
            .click()
            .await?;
        wait_for_path(&web, "/needs/new").await?;
        let title = web.find(By::Id("title")).await?;
        assert_eq!(
            title.value().await?.as_deref(),
            Some("mutual TLS certificates")
        );
        // The course Eve wrote is offered at once, in case it is enough.
        web.query(By::Css("[data-testid=similar-course]"))
            .first()
            .await?;
        web.find(By::Id("problem"))
            .await?
            .send_keys(
                "Our services talk over plain HTTP inside the cluster; the audit flagged it.",
            )
            .await?;
        web.find(By::Id("questions"))
            .await?
            .send_keys("How does a new service get its certificate?\nWho rotates the root CA?")
            .await?;
        shot(&web, "needs-2-ask-form").await;
        let ask = web.find(By::Id("ask")).await?;
        click_and_load(&web, ask).await?;
        wait_for_path(&web, "/needs/").await?;
        let path = web.current_url().await?.path().to_owned();
        let need = need_id(&path);
        assert_eq!(
            web.find(By::Css("h1")).await?.text().await?,
            "mutual TLS certificates"
        );
        assert_eq!(
            web.find(By::Css("[data-testid=votes]"))
                .await?
                .text()
                .await?,
            "1"
        );
        shot(&web, "needs-3-need-page").await;

        // Bo starts asking for the same thing; the need shows up while he types.
        web.delete_all_cookies().await?;
        sign_in(&web, &base, "bo@acme.test").await?;
        web.find(By::Css("[data-testid=nav-ask]"))
            .await?
            .click()
            .await?;
        wait_for_path(&web, "/needs/new").await?;
        web.find(By::Id("title"))
            .await?
            .send_keys("Mutual TLS between services")
            .await?;
        let similar = web
            .query(By::Css("[data-testid=similar-need]"))
            .first()
            .await?;
        assert!(
            similar.text().await?.contains("mutual TLS certificates"),
            "{}",
            similar.text().await?
        );
        shot(&web, "needs-4-similar-live").await;
        let upvote = similar
            .find(By::Css("[data-testid=upvote-similar]"))
            .await?;
        click_and_load(&web, upvote).await?;
        wait_for_path(&web, &format!("/needs/{need}")).await?;
        assert_eq!(
            web.find(By::Css("[data-testid=votes]"))
                .await?
                .text()
                .await?,
            "2"
        );
        web.find(By::Css("[data-testid=unvote]")).await?;

        // Cora sees Eve suggested, with the course as the reason, and assigns her.
        web.delete_all_cookies().await?;
        sign_in(&web, &base, "cora@acme.test").await?;
        let board = web.find(By::Css("[data-testid=nav-needs]")).await?;
        click_and_load(&web, board).await?;
        wait_for_path(&web, "/needs").await?;
        let row = web.find(By::Css("[data-testid=need-row]")).await?;
        assert!(row.text().await?.contains("mutual TLS certificates"));
        shot(&web, "needs-5-board").await;
        let link = row.find(By::Css("a")).await?;
        click_and_load(&web, link).await?;
        wait_for_path(&web, &format!("/needs/{need}")).await?;
        let expert = web.find(By::Css("[data-testid=suggested-expert]")).await?;
        let why = expert.text().await?;
        assert!(
            why.contains("Eve Expert") && why.contains("Wrote “Rotating TLS certificates”"),
            "{why}"
        );
        expert.scroll_into_view().await?;
        shot(&web, "needs-6-coach-experts").await;
        let assign = expert.find(By::Css("[data-testid=assign-expert]")).await?;
        click_and_load(&web, assign).await?;
        wait_for_path(&web, &format!("/needs/{need}")).await?;
        let experts = web
            .find(By::Css("[data-testid=experts]"))
            .await?
            .text()
            .await?;
        assert!(
            experts.contains("Eve Expert") && experts.contains("assigned"),
            "{experts}"
        );
        assert_eq!(
            web.find(By::Css("[data-testid=need-status]"))
                .await?
                .text()
                .await?,
            "In progress"
        );

        // Eve follows her notification to the draft: one step per question. She publishes.
        web.delete_all_cookies().await?;
        sign_in(&web, &base, "eve@acme.test").await?;
        web.goto(format!("{base}/notifications")).await?;
        web.query(By::Css(".notification-title"))
            .with_text("Cora Coach asks you to answer “mutual TLS certificates”")
            .first()
            .await?
            .click()
            .await?;
        wait_for_path(&web, "/courses/").await?;
        let path = web.current_url().await?.path().to_owned();
        assert!(path.ends_with("/edit"), "{path}");
        let course = course_id(&path);
        let editor = web.source().await?;
        for q in [
            "How does a new service get its certificate?",
            "Who rotates the root CA?",
        ] {
            assert!(editor.contains(q), "the draft has a step for {q:?}");
        }
        shot(&web, "needs-7-expert-draft").await;
        let publish = web.find(By::Id("publish")).await?;
        click_and_load(&web, publish).await?;
        wait_for_path(&web, &format!("/courses/{course}")).await?;
        web.goto(format!("{base}/needs/{need}")).await?;
        assert_eq!(
            web.find(By::Css("[data-testid=need-status]"))
                .await?
                .text()
                .await?,
            "Answered"
        );
        shot(&web, "needs-8-answered").await;

        // Everyone who asked is told.
        for who in ["lea@acme.test", "bo@acme.test"] {
            web.delete_all_cookies().await?;
            sign_in(&web, &base, who).await?;
            web.goto(format!("{base}/notifications")).await?;
            let news = web
                .find(By::Css("[data-testid=notifications]"))
                .await?
                .text()
                .await?;
            assert!(news.contains("Answered"), "{who}: {news}");
        }
        web.goto(format!("{base}/needs?status=all")).await?;
        web.find(By::Css("[data-testid=lead-time]")).await?;
        shot(&web, "needs-9-board-answered").await;
        Ok(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
}

/// Lea asks through the pages; returns the need's id.
async fn ask(lea: &Browser, title: &str) -> i64 {
    lea.get("/needs/new").await.expect_status(StatusCode::OK);
    let asked = lea
        .post(
            "/needs",
            &[
                ("title", title),
                ("problem", "Renewals keep breaking."),
                ("urgency", "high"),
                ("questions", "Who renews them?\nHow often?"),
            ],
        )
        .await;
    asked.expect_status(StatusCode::SEE_OTHER);
    need_id(&asked.location())
}

story!(need_pages_refuse_kindly_and_keep_what_was_typed);
async fn need_pages_refuse_kindly_and_keep_what_was_typed(t: TestApp) {
    needs_team(&t).await;
    let lea = t.signed_in("lea@acme.test").await;

    // A title too short: the form comes back with the message and the typed text.
    lea.get("/needs/new?title=Certificate%20renewal")
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("value=\"Certificate renewal\"")
        .expect_contains("Rotating TLS certificates");
    let refused = lea
        .post(
            "/needs",
            &[
                ("title", "TL"),
                ("problem", "Keep <this> text"),
                ("questions", "First?"),
            ],
        )
        .await;
    refused
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("data-testid=\"error\"")
        .expect_contains("at least 4 characters")
        .expect_contains("Keep &#60;this&#62; text")
        .expect_contains("First?");

    let need = ask(&lea, "Certificate renewal for services").await;
    let page = lea.get(&format!("/needs/{need}")).await;
    page.expect_status(StatusCode::OK)
        .expect_contains("Who renews them?")
        .expect_contains("round(10 · urgency · (1 + log2(1 + audience))");
    assert_eq!(page.testid("votes"), "1");

    // The asker may edit it while it is open; others may not.
    lea.get(&format!("/needs/{need}/edit"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("value=\"Certificate renewal for services\"");
    let edited = lea
        .post(
            &format!("/needs/{need}/edit"),
            &[
                ("title", "Certificate renewal for services"),
                ("problem", "Renewals keep breaking at night."),
                ("urgency", "high"),
                ("questions", "Who renews them?\nHow often?\nWhat alerts us?"),
            ],
        )
        .await;
    assert_eq!(edited.location(), format!("/needs/{need}"));
    lea.get(&format!("/needs/{need}"))
        .await
        .expect_contains("What alerts us?");

    // Voting twice is refused on the page, not with a bare error.
    lea.post(&format!("/needs/{need}/vote"), &[])
        .await
        .expect_status(StatusCode::CONFLICT)
        .expect_contains("data-testid=\"error\"")
        .expect_contains("already voted");

    // The live hints: nothing for nothing, the need for a word of it.
    let empty = lea.get("/needs/similar?q=").await;
    empty.expect_status(StatusCode::OK);
    assert!(!empty.body.contains("similar-need"), "{}", empty.body);
    lea.get("/needs/similar?title=renewal")
        .await
        .expect_contains("data-testid=\"similar-need\"")
        .expect_contains(&format!("/needs/{need}"));

    // Bo sees it on the board and in the catalogue's "Others asked for", and upvotes it.
    let bo = t.signed_in("bo@acme.test").await;
    let board = bo.get("/needs").await;
    board
        .expect_status(StatusCode::OK)
        .expect_contains("data-testid=\"need-row\"")
        .expect_contains("data-testid=\"lead-time\"")
        .expect_contains("0 of 1 answered");
    bo.get("/courses?q=renewal%20pipelines")
        .await
        .expect_contains("data-testid=\"ask-for-this\"")
        .expect_contains("/needs/new?title=renewal%20pipelines")
        .expect_contains("Others asked for")
        .expect_contains("Certificate renewal for services");
    let voted = bo.post(&format!("/needs/{need}/vote"), &[]).await;
    assert_eq!(voted.location(), format!("/needs/{need}"));
    assert_eq!(bo.get(&format!("/needs/{need}")).await.testid("votes"), "2");
    bo.get("/")
        .await
        .expect_contains("Top needs in your groups")
        .expect_contains("Certificate renewal for services");

    bo.get(&format!("/needs/{need}/edit"))
        .await
        .expect_status(StatusCode::FORBIDDEN);

    // Learners have no coach's tools; a coach's refusals come back on the page.
    bo.get(&format!("/needs/{need}"))
        .await
        .expect_lacks("data-testid=\"coach-panel\"");
    let cora = t.signed_in("cora@acme.test").await;
    cora.get(&format!("/needs/{need}"))
        .await
        .expect_contains("data-testid=\"coach-panel\"")
        .expect_contains("data-testid=\"suggested-expert\"");
    cora.post(
        &format!("/needs/{need}/status"),
        &[("status", "declined"), ("reason", "")],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("Say why the need is declined");
    cora.post(
        &format!("/needs/{need}/merge"),
        &[("into", need.to_string().as_str())],
    )
    .await
    .expect_status(StatusCode::CONFLICT)
    .expect_contains("cannot be merged into itself");
    let declined = cora
        .post(
            &format!("/needs/{need}/status"),
            &[
                ("status", "declined"),
                ("reason", "Covered by the <b>PKI</b> course."),
            ],
        )
        .await;
    assert_eq!(declined.location(), format!("/needs/{need}"));
    bo.get(&format!("/needs/{need}"))
        .await
        .expect_contains("Covered by the &#60;b&#62;PKI&#60;/b&#62; course.")
        .expect_lacks("data-testid=\"vote\"");
    bo.post(&format!("/needs/{need}/vote"), &[])
        .await
        .expect_status(StatusCode::CONFLICT);
    bo.get("/needs?status=declined")
        .await
        .expect_contains("Certificate renewal for services");
    bo.get("/needs")
        .await
        .expect_lacks("data-testid=\"need-row\"")
        .expect_contains("Ask for a need");
}
