//! An exam draws its questions from a question bank, in Chromium (issue 18's "Done when"):
//! an author opens the banks from the menu, starts a bank, pastes GIFT with `$CATEGORY:`
//! lines into it, and makes the course's exam draw five questions of one topic; a learner
//! takes the exam twice and gets two different draws, a reloaded attempt shows the same
//! questions, and each attempt keeps its own questions and result — at 1280 px, with the
//! main pages checked at 390 px too.

use std::collections::BTreeSet;

use lore_app::courses::authoring::NewCourse;
use lore_app::evaluations::authoring::SettingsInput;
use thirtyfour::prelude::*;

use crate::browser::{browser_tests_wanted, chromium, click_and_load, shot, sign_in, start_driver};
use crate::browser_layout::{LAPTOP, MEASURE, PHONE, set_size};
use crate::support::{Db, TestApp};

/// Thirty questions on passwords and three on phishing, as Moodle exports them: the topic of
/// each is the last part of the `$CATEGORY:` path above it. A draw of five of thirty repeats with a
/// chance of about one in 140,000.
fn bank_gift() -> String {
    let mut gift = String::from("// Exported from Moodle\n$CATEGORY: $course$/top/Passwords\n\n");
    for i in 1..=30 {
        gift.push_str(&format!(
            "::P{i}:: Password fact number {i} holds. {{TRUE}}\n\n"
        ));
    }
    gift.push_str("$CATEGORY: $course$/top/Phishing\n\n");
    for i in 1..=3 {
        gift.push_str(&format!(
            "::F{i}:: Phishing fact number {i} holds. {{TRUE}}\n\n"
        ));
    }
    gift
}

async fn fits(web: &WebDriver, what: &str) -> WebDriverResult<()> {
    let m = web.execute(MEASURE, Vec::new()).await?.json().clone();
    let scroll = m["scroll"].as_f64().unwrap_or(f64::MAX);
    let client = m["client"].as_f64().unwrap_or(0.0);
    assert!(
        scroll <= client,
        "{what} scrolls sideways: {scroll} px in {client} px; sticking out: {}",
        m["offenders"]
    );
    Ok(())
}

/// The prompts of the questions an attempt page shows, in order.
async fn prompts(web: &WebDriver) -> WebDriverResult<Vec<String>> {
    let mut out = Vec::new();
    for p in web.find_all(By::Css("fieldset.question p.prose")).await? {
        out.push(p.text().await?);
    }
    Ok(out)
}

/// Answer every true-or-false question of the attempt page with `answer`, submit, confirm.
async fn answer_all_and_submit(web: &WebDriver, answer: &str) -> WebDriverResult<()> {
    for radio in web
        .find_all(By::Css(format!(
            "fieldset.question input[type=radio][value='{answer}']"
        )))
        .await?
    {
        radio.click().await?;
    }
    click_and_load(web, web.find(By::Id("submit-attempt")).await?).await?;
    click_and_load(web, web.find(By::Id("confirm-submit")).await?).await?;
    Ok(())
}

async fn result_text(web: &WebDriver) -> WebDriverResult<String> {
    web.find(By::Css("[data-testid=attempt-result]"))
        .await?
        .text()
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exam_draws_from_a_bank_and_each_attempt_keeps_its_draw_in_chromium() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let ada_id = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada_id, eng, "author").await;
    let lea_id = t.person("lea@acme.test", "Lea Learner", false).await;
    t.member(lea_id, eng, "learner").await;
    let ada = t.caller("ada@acme.test").await;
    let course = t
        .app
        .create_course(
            &ada,
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
        .save_evaluation_settings(
            &ada,
            course,
            &SettingsInput {
                mode: "exam",
                pass_mark: "60",
                max_attempts: "3",
                ..SettingsInput::default()
            },
        )
        .await
        .expect("exam settings");

    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result: WebDriverResult<()> = async {
        set_size(&web, LAPTOP).await?;
        sign_in(&web, &t.base, "ada@acme.test").await?;

        // The menu offers the banks to an author; she starts one for her group.
        click_and_load(&web, web.find(By::Css("[data-testid=nav-banks]")).await?).await?;
        assert_eq!(web.current_url().await?.path(), "/question-banks");
        web.find(By::Id("b-name"))
            .await?
            .send_keys("Security basics")
            .await?;
        click_and_load(
            &web,
            web.find(By::Css(
                "form[action='/question-banks'] button[type=submit]",
            ))
            .await?,
        )
        .await?;
        let bank_path = web.current_url().await?.path().to_owned();
        assert!(bank_path.starts_with("/question-banks/"), "{bank_path}");

        // She pastes the Moodle export; each `$CATEGORY:` becomes a topic.
        web.execute(
            "const el = document.getElementById('bank-gift'); el.value = arguments[0]; \
             el.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::json!(bank_gift())],
        )
        .await?;
        click_and_load(
            &web,
            web.find(By::Css("form[action$='/questions'] button.btn-primary"))
                .await?,
        )
        .await?;
        let topics = web
            .find(By::Css("[data-testid=bank-topics]"))
            .await?
            .text()
            .await?;
        assert!(
            topics.contains("Passwords") && topics.contains("30 questions"),
            "{topics}"
        );
        assert!(
            topics.contains("Phishing") && topics.contains("3 questions"),
            "{topics}"
        );
        let listed = web
            .find(By::Css("[data-testid=bank-questions]"))
            .await?
            .text()
            .await?;
        assert!(
            listed.contains("Password fact number 30 holds."),
            "{listed}"
        );
        fits(&web, "the bank at 1280 px").await?;
        shot(&web, "bank-1280").await;
        set_size(&web, PHONE).await?;
        fits(&web, "the bank at 390 px").await?;
        shot(&web, "bank-390").await;
        set_size(&web, LAPTOP).await?;

        // The exam draws five questions on passwords: from the editor to the draw page.
        web.goto(format!("{}/courses/{course}/edit#evaluation", t.base))
            .await?;
        click_and_load(&web, web.find(By::Css("[data-testid=draw-link]")).await?).await?;
        web.find(By::Id("draw-topic"))
            .await?
            .send_keys("Passwords")
            .await?;
        web.find(By::Id("draw-count")).await?.send_keys("5").await?;
        click_and_load(
            &web,
            web.find(By::Css("form.form button.btn-primary")).await?,
        )
        .await?;
        let draw = web
            .find(By::Css("[data-testid=current-draw]"))
            .await?
            .text()
            .await?;
        assert_eq!(
            draw,
            "Each attempt draws 5 questions from Security basics on the topic Passwords."
        );
        // The draw page leads back to the bank.
        let link = web.find(By::Css("[data-testid=drawn-bank-link]")).await?;
        assert_eq!(
            link.attr("href").await?.as_deref(),
            Some(bank_path.as_str())
        );
        fits(&web, "the draw page at 1280 px").await?;
        shot(&web, "bank-draw-1280").await;
        set_size(&web, PHONE).await?;
        fits(&web, "the draw page at 390 px").await?;
        shot(&web, "bank-draw-390").await;
        set_size(&web, LAPTOP).await?;
        click_and_load(&web, web.find(By::Css("[data-testid=sign-out]")).await?).await?;
        Ok(())
    }
    .await;
    if let Err(e) = result {
        web.quit().await.ok();
        panic!("the author's part: {e}");
    }
    t.app.publish(&ada, course, "").await.expect("publish");

    let result: WebDriverResult<()> = async {
        sign_in(&web, &t.base, "lea@acme.test").await?;
        // A learner is not offered the banks.
        assert!(
            web.find_all(By::Css("[data-testid=nav-banks]"))
                .await?
                .is_empty()
        );

        // First attempt: five questions on passwords, none on phishing.
        web.goto(format!("{}/courses/{course}", t.base)).await?;
        click_and_load(&web, web.find(By::Id("take-evaluation")).await?).await?;
        let first_url = web.current_url().await?.path().to_owned();
        let first = prompts(&web).await?;
        assert_eq!(first.len(), 5, "{first:?}");
        assert!(
            first.iter().all(|p| p.starts_with("Password fact number")),
            "{first:?}"
        );
        assert_eq!(
            first.iter().collect::<BTreeSet<_>>().len(),
            5,
            "five distinct questions: {first:?}"
        );
        fits(&web, "the attempt at 1280 px").await?;
        shot(&web, "bank-attempt-1280").await;
        set_size(&web, PHONE).await?;
        fits(&web, "the attempt at 390 px").await?;
        shot(&web, "bank-attempt-390").await;
        set_size(&web, LAPTOP).await?;

        // Reloaded, the attempt shows the same questions in the same order.
        web.refresh().await?;
        assert_eq!(prompts(&web).await?, first, "reloaded");
        // Coming back through the course page resumes it, with the same questions.
        web.goto(format!("{}/courses/{course}", t.base)).await?;
        click_and_load(&web, web.find(By::Id("take-evaluation")).await?).await?;
        assert_eq!(web.current_url().await?.path(), first_url);
        assert_eq!(prompts(&web).await?, first, "resumed");

        // Every fact is true: passed, on the five questions it showed.
        answer_all_and_submit(&web, "true").await?;
        let said = result_text(&web).await?;
        assert!(
            said.contains("Passed") && said.contains("5.0 of 5.0 points"),
            "{said}"
        );
        assert_eq!(prompts(&web).await?, first, "results of the same questions");
        shot(&web, "bank-attempt-passed").await;

        // Second attempt: a new draw.
        click_and_load(
            &web,
            web.find(By::Css("[data-testid=attempt-result] form button"))
                .await?,
        )
        .await?;
        let second_url = web.current_url().await?.path().to_owned();
        assert_ne!(second_url, first_url);
        let second = prompts(&web).await?;
        assert_eq!(second.len(), 5, "{second:?}");
        assert!(
            second.iter().all(|p| p.starts_with("Password fact number")),
            "{second:?}"
        );
        assert_ne!(
            second.iter().collect::<BTreeSet<_>>(),
            first.iter().collect::<BTreeSet<_>>(),
            "two attempts, two draws"
        );
        web.refresh().await?;
        assert_eq!(prompts(&web).await?, second, "the second, reloaded");
        answer_all_and_submit(&web, "false").await?;
        let said = result_text(&web).await?;
        assert!(
            said.contains("Not passed") && said.contains("0.0 of 5.0 points"),
            "{said}"
        );

        // Each attempt keeps its questions and its result.
        web.goto(format!("{}{first_url}", t.base)).await?;
        assert_eq!(prompts(&web).await?, first, "the first, later");
        let said = result_text(&web).await?;
        assert!(
            said.contains("Passed") && said.contains("5.0 of 5.0"),
            "{said}"
        );
        web.goto(format!("{}{second_url}", t.base)).await?;
        assert_eq!(prompts(&web).await?, second, "the second, later");
        let said = result_text(&web).await?;
        assert!(said.contains("Not passed"), "{said}");
        set_size(&web, PHONE).await?;
        fits(&web, "a submitted attempt at 390 px").await?;
        shot(&web, "bank-attempt-kept-390").await;
        Ok(())
    }
    .await;
    web.quit().await.ok();
    result.expect("the learner's part");
}
