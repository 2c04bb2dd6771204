//! The first hour, in Chromium: an author finds a new "not clear" reaction from home in one
//! click and sees it lower the course's health; a learner on an older version opens every step
//! the player shows; a learner finishes the steps, is led to the evaluation, passes, and the
//! course says done.

use lore_app::courses::authoring::StepInput;
use thirtyfour::prelude::*;

use crate::browser::{
    browser_tests_wanted, chromium, click_and_load, shot, sign_in, start_driver, text_of,
    text_with, wait_for_path,
};
use crate::support::{Db, TestApp};

/// Ada writes for Acme, Bo learns there.
async fn team(t: &TestApp) -> (lore_app::Caller, lore_app::Caller) {
    let acme = t.group(None, "Acme").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, acme, "author").await;
    let bo = t.person("bo@acme.test", "Bo Learner", false).await;
    t.member(bo, acme, "learner").await;
    (
        t.caller("ada@acme.test").await,
        t.caller("bo@acme.test").await,
    )
}

fn text_step<'a>(title: &'a str, body: &'a str) -> StepInput<'a> {
    StepInput {
        kind: "text",
        title,
        body,
        video_url: "",
        blob_hash: None,
        required: true,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_author_reaches_a_new_not_clear_reaction_from_home_in_one_click() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    let (ada, bo) = team(&t).await;
    let course = t.published_course(&ada, "Rotating secrets").await;
    let before = t
        .app
        .stored_course_health(course)
        .await
        .expect("health")
        .expect("a published course has health")
        .health
        .score;
    t.app.enrol(&bo, course).await.expect("enrol");
    let step = t.app.draft(&ada, course).await.expect("draft").steps[0]
        .step_key
        .clone();
    t.app
        .react(&bo, course, &step, "unclear", "Which box comes first?")
        .await
        .expect("react");

    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result = async {
        sign_in(&web, &t.base, "ada@acme.test").await?;
        let line = text_of(&web, &format!("[data-testid=authored-{course}]")).await;
        assert!(
            line.contains("1 open reaction"),
            "home says what waits: {line}"
        );
        // One click: from home to the course's feedback.
        let link = web
            .find(By::Css(format!(
                "[data-testid=authored-{course}] [data-testid=authored-feedback]"
            )))
            .await?;
        click_and_load(&web, link).await?;
        wait_for_path(&web, &format!("/courses/{course}/feedback")).await?;
        let reactions = text_of(&web, "[data-testid=reaction-list]").await;
        assert!(
            reactions.contains("Which box comes first?") && reactions.contains("The list"),
            "the reaction with its step and comment: {reactions}"
        );
        let score: u32 = text_of(&web, "[data-testid=health-score]")
            .await
            .trim()
            .parse()
            .expect("a number");
        assert!(score < before, "health {score} is lower than {before}");
        let reasons = text_of(&web, "[data-testid=health-reasons]").await;
        assert!(reasons.to_lowercase().contains("not clear"), "{reasons}");
        shot(&web, "first-hour-author-feedback").await;
        Ok::<(), WebDriverError>(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_on_an_older_version_opens_every_step_shown() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    let (ada, bo) = team(&t).await;
    let course = t.published_course(&ada, "Incident basics").await;
    t.app
        .add_step(&ada, course, text_step("Call the on-call", "Page them."))
        .await
        .expect("step");
    t.app.publish(&ada, course, "Second").await.expect("v2");
    // Bo starts on version 2; then the author removes a step and adds another in version 3.
    t.app.enrol(&bo, course).await.expect("enrol");
    let draft = t.app.draft(&ada, course).await.expect("draft");
    let second = draft.steps[1].id;
    t.app
        .delete_step(&ada, course, second)
        .await
        .expect("delete");
    t.app
        .add_step(
            &ada,
            course,
            text_step("Write the timeline", "Minute by minute."),
        )
        .await
        .expect("step");
    t.app.publish(&ada, course, "Third").await.expect("v3");

    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result = async {
        sign_in(&web, &t.base, "bo@acme.test").await?;
        web.goto(format!("{}/courses/{course}/learn/1", t.base))
            .await?;
        let notice = text_of(&web, ".player .flash").await;
        assert!(notice.contains("version 3 is out"), "{notice}");
        let mut shown = Vec::new();
        for li in web
            .find_all(By::Css("[data-testid=player-steps] li"))
            .await?
        {
            shown.push(
                li.prop("textContent")
                    .await?
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
            );
        }
        assert_eq!(
            shown,
            ["The list", "Call the on-call"],
            "the steps of Bo's version 2, not the newest"
        );
        // Every step in the list opens, from the list itself.
        for (i, title) in shown.iter().enumerate() {
            web.goto(format!("{}/courses/{course}/learn/1", t.base))
                .await?;
            if i > 0 {
                web.find(By::Css("[data-testid=player-steps] summary"))
                    .await?
                    .click()
                    .await?;
                let link = web
                    .find(By::Css(format!(
                        "[data-testid=player-steps] li:nth-child({}) a",
                        i + 1
                    )))
                    .await?;
                click_and_load(&web, link).await?;
            }
            assert_eq!(&text_of(&web, "#step-title").await, title, "step {}", i + 1);
        }
        shot(&web, "first-hour-older-version").await;
        Ok::<(), WebDriverError>(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
}

/// A published course of two steps and one question, the evaluation a practice.
async fn ports_course(t: &TestApp, ada: &lore_app::Caller) -> i64 {
    let ada = ada.clone();
    let course = t
        .app
        .create_course(
            &ada,
            lore_app::courses::authoring::NewCourse {
                title: "Ports",
                group_id: None,
                first_step_title: "The web",
                first_step_body: "HTTP and HTTPS.",
            },
        )
        .await
        .expect("course");
    t.app
        .add_step(&ada, course, text_step("Secure", "HTTPS listens on 443."))
        .await
        .expect("step");
    let question = crate::browser::https_question();
    t.app
        .add_question(&ada, course, None, &question)
        .await
        .expect("question");
    t.app.publish(&ada, course, "").await.expect("publish");
    course
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_finishes_is_led_to_the_evaluation_passes_and_the_course_shows_done() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    let (ada, _bo) = team(&t).await;
    let course = ports_course(&t, &ada).await;

    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result = async {
        sign_in(&web, &t.base, "bo@acme.test").await?;
        web.goto(format!("{}/courses/{course}", t.base)).await?;
        click_and_load(&web, web.find(By::Id("start")).await?).await?;
        wait_for_path(&web, &format!("/courses/{course}/learn")).await?;
        click_and_load(&web, web.find(By::Id("next")).await?).await?;
        // The last step points to what is left: the evaluation.
        let finish = web.find(By::Id("finish")).await?;
        assert!(
            finish.text().await?.contains("evaluation"),
            "the last step leads to the evaluation: {}",
            finish.text().await?
        );
        click_and_load(&web, finish).await?;
        wait_for_path(&web, &format!("/courses/{course}")).await?;
        click_and_load(&web, web.find(By::Id("take-evaluation")).await?).await?;
        web.query(By::Css("input[value=p443]"))
            .first()
            .await?
            .click()
            .await?;
        click_and_load(&web, web.find(By::Id("submit-attempt")).await?).await?;
        if let Some(confirm) = web
            .find_all(By::Id("confirm-submit"))
            .await?
            .into_iter()
            .next()
        {
            click_and_load(&web, confirm).await?;
        }
        assert!(
            text_with(&web, "[data-testid=attempt-result]", "Passed")
                .await
                .contains("Passed")
        );
        web.goto(format!("{}/courses/{course}", t.base)).await?;
        let progress = text_of(&web, "[data-testid=progress]").await;
        assert!(
            progress.contains("100% done") && progress.contains("completed"),
            "the course shows done: {progress}"
        );
        assert!(
            !web.find_all(By::Css("[data-testid=evaluation-passed]"))
                .await?
                .is_empty(),
            "the evaluation shows passed"
        );
        shot(&web, "first-hour-course-done").await;
        Ok::<(), WebDriverError>(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
}

/// Press Tab (at most 120 times) until the focused element matches `css`, then `key`: proof
/// that the control is in the tab order and works from the keyboard.
async fn tab_to(
    web: &WebDriver,
    css: &str,
    key: impl Into<thirtyfour::TypingData>,
) -> WebDriverResult<()> {
    let mut key = Some(key.into());
    for _ in 0..120 {
        let here = web
            .execute(
                "return document.activeElement && document.activeElement.matches(arguments[0]);",
                vec![serde_json::json!(css)],
            )
            .await?
            .json()
            .as_bool()
            .unwrap_or(false);
        if here {
            let old = web.find(By::Css("html")).await?;
            if let Some(key) = key.take() {
                web.action_chain().send_keys(key).perform().await?;
            }
            // Wait for a page that the key loads, if it loads one.
            for _ in 0..20 {
                if old.tag_name().await.is_err() {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            for _ in 0..100 {
                let ready = web
                    .execute("return document.readyState", Vec::new())
                    .await?;
                if ready.json().as_str() == Some("complete") {
                    return Ok(());
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            return Ok(());
        }
        // Keys go to the page as a person types them (an element's send_keys would treat a
        // file input's Tab as a file name).
        web.action_chain().send_keys(Key::Tab).perform().await?;
    }
    panic!(
        "{css} is not reachable with Tab on {}",
        web.current_url().await?
    );
}

/// Sign in typing only: the email, Tab to the password, Enter.
async fn keyboard_sign_in(web: &WebDriver, base: &str, email: &str) -> WebDriverResult<()> {
    web.goto(format!("{base}/sign-in")).await?;
    web.find(By::Id("email")).await?.click().await?;
    web.action_chain().send_keys(email).perform().await?;
    tab_to(web, "#password", Key::Home).await?;
    web.action_chain()
        .send_keys(crate::support::PASSWORD)
        .perform()
        .await?;
    web.action_chain().send_keys(Key::Enter).perform().await?;
    web.query(By::Css("[data-testid=signed-in-as]"))
        .first()
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_takes_a_course_and_its_evaluation_with_the_keyboard_alone() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    let (ada, _bo) = team(&t).await;
    let course = ports_course(&t, &ada).await;

    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result = async {
        keyboard_sign_in(&web, &t.base, "bo@acme.test").await?;
        tab_to(&web, "a[href='/courses']", Key::Enter).await?;
        wait_for_path(&web, "/courses").await?;
        tab_to(&web, &format!("a[href='/courses/{course}']"), Key::Enter).await?;
        wait_for_path(&web, &format!("/courses/{course}")).await?;
        tab_to(&web, "#start", Key::Enter).await?;
        wait_for_path(&web, &format!("/courses/{course}/learn")).await?;
        tab_to(&web, "#next", Key::Enter).await?;
        tab_to(&web, "#finish", Key::Enter).await?;
        tab_to(&web, "#take-evaluation", Key::Enter).await?;
        // A radio group is one Tab stop; the arrow keys choose within it.
        tab_to(&web, "input[value=p80]", Key::Down).await?;
        assert!(
            web.find(By::Css("input[value=p443]"))
                .await?
                .is_selected()
                .await?,
            "the arrow key chose 443"
        );
        tab_to(&web, "#submit-attempt", Key::Enter).await?;
        if !web.find_all(By::Id("confirm-submit")).await?.is_empty() {
            tab_to(&web, "#confirm-submit", Key::Enter).await?;
        }
        assert!(
            text_with(&web, "[data-testid=attempt-result]", "Passed")
                .await
                .contains("Passed")
        );
        web.goto(format!("{}/courses/{course}", t.base)).await?;
        let progress = text_of(&web, "[data-testid=progress]").await;
        assert!(progress.contains("100% done"), "{progress}");
        Ok::<(), WebDriverError>(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_author_reaches_feedback_edits_and_publishes_with_the_keyboard_alone() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    let (ada, bo) = team(&t).await;
    let course = t.published_course(&ada, "Rotating secrets").await;
    t.app.enrol(&bo, course).await.expect("enrol");
    let step = t.app.draft(&ada, course).await.expect("draft").steps[0]
        .step_key
        .clone();
    t.app
        .react(&bo, course, &step, "unclear", "Which box comes first?")
        .await
        .expect("react");

    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result = async {
        keyboard_sign_in(&web, &t.base, "ada@acme.test").await?;
        tab_to(
            &web,
            &format!("[data-testid=authored-{course}] [data-testid=authored-feedback]"),
            Key::Enter,
        )
        .await?;
        wait_for_path(&web, &format!("/courses/{course}/feedback")).await?;
        assert!(
            text_of(&web, "[data-testid=reaction-list]")
                .await
                .contains("Which box comes first?")
        );
        // The fix, typed and published without a mouse.
        web.goto(format!("{}/courses/{course}/edit", t.base))
            .await?;
        tab_to(&web, "textarea[id^='body-']", Key::Control + Key::End).await?;
        web.active_element()
            .await?
            .send_keys(" Start with the top one.")
            .await?;
        tab_to(&web, "#publish", Key::Enter).await?;
        wait_for_path(&web, &format!("/courses/{course}")).await?;
        Ok::<(), WebDriverError>(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
    let store = t.app.store();
    let v2 = store
        .version(course, 2)
        .await
        .expect("v")
        .expect("version 2");
    let body = store.steps_of(v2.id).await.expect("steps")[0].body.clone();
    assert_eq!(body, "Tick every box. Start with the top one.");
}
