//! The course editor in Chromium: what an author types is what gets published, even when
//! Publish is clicked the moment the typing stops; a change that could not be saved holds
//! Publish back and makes leaving the page ask first.

use std::time::Duration;

use thirtyfour::prelude::*;

use crate::browser::{browser_tests_wanted, chromium, shot, sign_in, start_driver};
use crate::courses::team;
use crate::support::{Db, TestApp};

/// A draft course by Ada with one step that has a title and no text yet: (course, step).
async fn draft(t: &TestApp) -> (i64, i64) {
    team(t).await;
    let ada = t.caller("ada@acme.test").await;
    let id = t
        .app
        .create_course(
            &ada,
            lore_app::courses::authoring::NewCourse {
                title: "Pager duty",
                group_id: None,
                first_step_title: "Introduction",
                first_step_body: "",
            },
        )
        .await
        .expect("create");
    (id, step_ids(t, id, 1).await[0])
}

async fn step_ids(t: &TestApp, course: i64, number: i32) -> Vec<i64> {
    let store = t.app.store();
    let v = store
        .version(course, number)
        .await
        .expect("version")
        .expect("that version");
    store
        .steps_of(v.id)
        .await
        .expect("steps")
        .iter()
        .map(|s| s.id)
        .collect()
}

/// Wait (up to 15 s) until the browser shows exactly `path`.
async fn wait_for_exact_path(web: &WebDriver, path: &str) -> WebDriverResult<()> {
    for _ in 0..150 {
        if web.current_url().await?.path() == path {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "the browser did not arrive at {path}: it is at {}",
        web.current_url().await?
    );
}

/// Wait (up to 15 s) until the editor's save state is `state`.
async fn wait_for_save_state(web: &WebDriver, state: &str) -> WebDriverResult<String> {
    for _ in 0..150 {
        let el = web.find(By::Id("save-state")).await?;
        if el.attr("data-state").await?.as_deref() == Some(state) {
            return el.text().await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the save state never became {state}");
}

async fn page_is_dirty(web: &WebDriver) -> WebDriverResult<bool> {
    let ret = web
        .execute(
            "return document.documentElement.getAttribute('data-unsaved') === 'true';",
            Vec::new(),
        )
        .await?;
    Ok(ret.json().as_bool().unwrap_or(false))
}

/// Whether the page would ask before being left (its `beforeunload` is cancelled).
async fn leaving_asks(web: &WebDriver) -> WebDriverResult<bool> {
    let ret = web
        .execute(
            "const e = new Event('beforeunload', { cancelable: true }); \
             window.dispatchEvent(e); return e.defaultPrevented;",
            Vec::new(),
        )
        .await?;
    Ok(ret.json().as_bool().unwrap_or(false))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_a_step_and_publishing_at_once_loses_nothing_in_chromium() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    let (id, step) = draft(&t).await;
    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result: WebDriverResult<()> = async {
        sign_in(&web, &t.base, "ada@acme.test").await?;
        web.goto(format!("{}/courses/{id}/edit", t.base)).await?;
        let title = web.find(By::Id(format!("title-{step}"))).await?;
        let body = web.find(By::Id(format!("body-{step}"))).await?;
        let publish = web.find(By::Id("publish")).await?;
        title.send_keys(Key::Control + "a").await?;
        title.send_keys("Before the pager fires").await?;
        body.send_keys("Check the battery **twice**.").await?;
        // No waiting: Publish straight after the last key.
        publish.click().await?;
        wait_for_exact_path(&web, &format!("/courses/{id}")).await?;
        shot(&web, "editor-published-at-once").await;
        Ok(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
    let store = t.app.store();
    let v1 = store.version(id, 1).await.expect("v").expect("version 1");
    let steps: Vec<(String, String)> = store
        .steps_of(v1.id)
        .await
        .expect("steps")
        .into_iter()
        .map(|s| (s.title, s.body))
        .collect();
    assert_eq!(
        steps,
        vec![(
            "Before the pager fires".to_owned(),
            "Check the battery **twice**.".to_owned()
        )]
    );
    assert_eq!(
        store
            .course(id)
            .await
            .expect("c")
            .expect("course")
            .latest_version,
        Some(1)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsaved_change_holds_publish_and_leaving_asks_first_in_chromium() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    let (id, step) = draft(&t).await;
    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result: WebDriverResult<()> = async {
        sign_in(&web, &t.base, "ada@acme.test").await?;
        web.goto(format!("{}/courses/{id}/edit", t.base)).await?;
        shot(&web, "editor").await;
        assert!(!page_is_dirty(&web).await?);
        assert!(!leaving_asks(&web).await?, "a saved page lets you go");

        // The body saves itself; the page says so.
        let body = web.find(By::Id(format!("body-{step}"))).await?;
        body.send_keys("Keep the charger at hand.").await?;
        let said = wait_for_save_state(&web, "saved").await?;
        assert!(said.contains("saved"), "{said}");

        // A title wiped out cannot be saved: the page says so, Publish waits, leaving asks.
        let title = web.find(By::Id(format!("title-{step}"))).await?;
        title.send_keys(Key::Control + "a").await?;
        title.send_keys(Key::Backspace).await?;
        let said = wait_for_save_state(&web, "failed").await?;
        assert!(said.contains("Not saved"), "{said}");
        assert!(page_is_dirty(&web).await?);
        assert!(
            leaving_asks(&web).await?,
            "leaving with an unsaved change asks first"
        );
        shot(&web, "editor-not-saved").await;
        web.find(By::Id("publish")).await?.click().await?;
        let blocked = web.find(By::Css("[data-publish-blocked]")).await?;
        for _ in 0..100 {
            if blocked.is_displayed().await? {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(blocked.text().await?.contains("Not published"));
        assert_eq!(
            web.current_url().await?.path(),
            format!("/courses/{id}/edit")
        );

        // Fixed, it saves, and the page may be left without a question.
        title.send_keys("Charging").await?;
        wait_for_save_state(&web, "saved").await?;
        assert!(!page_is_dirty(&web).await?);
        assert!(!leaving_asks(&web).await?);
        Ok(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
    assert_eq!(
        t.app
            .store()
            .course(id)
            .await
            .expect("c")
            .expect("course")
            .latest_version,
        None,
        "nothing was published"
    );
    let store = t.app.store();
    let v1 = store.version(id, 1).await.expect("v").expect("draft");
    let saved = store.steps_of(v1.id).await.expect("steps");
    assert_eq!(saved[0].title, "Charging");
    assert_eq!(saved[0].body, "Keep the charger at hand.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_course_gets_two_steps_and_a_preview_in_chromium() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    team(&t).await;
    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result: WebDriverResult<i64> = async {
        sign_in(&web, &t.base, "ada@acme.test").await?;
        web.goto(format!("{}/courses/new", t.base)).await?;
        web.find(By::Id("title"))
            .await?
            .send_keys("Code review")
            .await?;
        web.find(By::Id("step_title"))
            .await?
            .send_keys(Key::Control + "a")
            .await?;
        web.find(By::Id("step_title"))
            .await?
            .send_keys("Why")
            .await?;
        web.find(By::Id("step_body"))
            .await?
            .send_keys("Two pairs of eyes.")
            .await?;
        // With script, spare slots give way to "Add a step".
        assert!(web.find_all(By::Id("step_title_2")).await?.is_empty());
        web.find(By::Id("add-new-step")).await?.click().await?;
        web.find(By::Id("step_title_2"))
            .await?
            .send_keys("How")
            .await?;
        web.find(By::Id("step_body_2"))
            .await?
            .send_keys("Small changes.")
            .await?;
        shot(&web, "course-new-two-steps").await;
        web.find(By::Css("button[value=draft]"))
            .await?
            .click()
            .await?;
        for _ in 0..150 {
            if web.current_url().await?.path().ends_with("/edit") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let path = web.current_url().await?.path().to_owned();
        let id: i64 = path
            .trim_start_matches("/courses/")
            .trim_end_matches("/edit")
            .parse()
            .expect("course id");
        web.find(By::Id("preview-link")).await?.click().await?;
        wait_for_exact_path(&web, &format!("/courses/{id}/preview")).await?;
        let banner = web
            .find(By::Css("[data-testid=preview-banner]"))
            .await?
            .text()
            .await?;
        assert!(banner.contains("Preview as learner"), "{banner}");
        shot(&web, "course-preview").await;
        Ok(id)
    }
    .await;
    web.quit().await.ok();
    let id = result.expect("browser story");
    let store = t.app.store();
    let v1 = store.version(id, 1).await.expect("v").expect("draft");
    let titles: Vec<String> = store
        .steps_of(v1.id)
        .await
        .expect("steps")
        .into_iter()
        .map(|s| s.title)
        .collect();
    assert_eq!(titles, vec!["Why".to_owned(), "How".to_owned()]);
    assert!(
        store
            .enrolments_in(id)
            .await
            .expect("enrolments")
            .is_empty()
    );
}
