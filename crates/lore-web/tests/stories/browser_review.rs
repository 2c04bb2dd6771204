//! Review before publishing in Chromium: the author submits, a coach asks for changes on
//! step 2, the author fixes it and submits again straight after typing (no waiting for the
//! save), the coach approves and the author publishes what was approved.

use std::time::Duration;

use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

use crate::browser::{
    browser_tests_wanted, chromium, click_and_load, shot, sign_in, start_driver, wait_for_path,
};
use crate::courses::team;
use crate::reviews::draft_runbook;
use crate::support::{Db, TestApp};

async fn as_person(web: &WebDriver, base: &str, email: &str) -> WebDriverResult<()> {
    web.delete_all_cookies().await?;
    sign_in(web, base, email).await
}

async fn status_of_review(web: &WebDriver) -> WebDriverResult<String> {
    let el = web.find(By::Css("[data-testid=review-status]")).await?;
    Ok(el.attr("data-status").await?.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coach_asks_for_changes_on_step_2_then_approves_in_chromium() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    let (eng, _) = team(&t).await;
    let cora = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(cora, eng, "coach").await;
    let root = t.person("root@acme.test", "Rae Root", true).await;
    let root = t.app.caller(root).await.expect("read").expect("root");
    t.app
        .set_group_review_rules(&root, eng, true, "")
        .await
        .expect("rules");
    let ada = t.signed_in("ada@acme.test").await;
    ada.get("/courses/new").await;
    let (id, steps) = draft_runbook(&ada).await;
    let step2 = steps[1];

    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result: WebDriverResult<()> = async {
        // Ada submits from the editor.
        sign_in(&web, &t.base, "ada@acme.test").await?;
        web.goto(format!("{}/courses/{id}/edit", t.base)).await?;
        let box_text = web
            .find(By::Css("[data-testid=review-box]"))
            .await?
            .text()
            .await?;
        assert!(box_text.contains("requires review"), "{box_text}");
        click_and_load(
            &web,
            web.find(By::Css("[data-testid=submit-review]")).await?,
        )
        .await?;
        wait_for_path(&web, &format!("/courses/{id}/review")).await?;
        assert_eq!(status_of_review(&web).await?, "waiting");

        // Cora comments on step 2 and asks for changes.
        as_person(&web, &t.base, "cora@acme.test").await?;
        web.goto(format!("{}/courses/{id}/review", t.base)).await?;
        let select = SelectElement::new(&web.find(By::Id("comment-step")).await?).await?;
        select.select_by_index(2).await?;
        web.find(By::Id("comment-body"))
            .await?
            .send_keys("Say five minutes, not an hour.")
            .await?;
        click_and_load(&web, web.find(By::Css("[data-testid=add-comment]")).await?).await?;
        let thread = web
            .find(By::Css("[data-testid=pinned]"))
            .await?
            .text()
            .await?;
        assert_eq!(thread, "Step 2 · When the pager fires");
        web.find(By::Id("verdict-note"))
            .await?
            .send_keys("See step 2.")
            .await?;
        click_and_load(
            &web,
            web.find(By::Css("[data-testid=request-changes]")).await?,
        )
        .await?;
        assert_eq!(status_of_review(&web).await?, "changes-requested");
        shot(&web, "review-changes-requested").await;

        // Ada fixes step 2 and submits again the moment she stops typing.
        as_person(&web, &t.base, "ada@acme.test").await?;
        web.goto(format!("{}/courses/{id}/edit", t.base)).await?;
        let body = web.find(By::Id(format!("body-{step2}"))).await?;
        body.send_keys(Key::Control + "a").await?;
        body.send_keys("Acknowledge within five minutes.").await?;
        click_and_load(
            &web,
            web.find(By::Css("[data-testid=submit-review]")).await?,
        )
        .await?;
        wait_for_path(&web, &format!("/courses/{id}/review")).await?;
        // What was submitted is what she typed: nothing changed since.
        assert_eq!(status_of_review(&web).await?, "waiting");

        // Cora approves.
        as_person(&web, &t.base, "cora@acme.test").await?;
        web.goto(format!("{}/courses/{id}/review", t.base)).await?;
        click_and_load(&web, web.find(By::Css("[data-testid=approve]")).await?).await?;
        assert_eq!(status_of_review(&web).await?, "approved");

        // Ada publishes.
        as_person(&web, &t.base, "ada@acme.test").await?;
        web.goto(format!("{}/courses/{id}/edit", t.base)).await?;
        web.find(By::Id("publish")).await?.click().await?;
        for _ in 0..150 {
            if web.current_url().await?.path() == format!("/courses/{id}") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(web.current_url().await?.path(), format!("/courses/{id}"));
        shot(&web, "review-published").await;
        Ok(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
    let store = t.app.store();
    let v1 = store.version(id, 1).await.expect("v").expect("version 1");
    let bodies: Vec<String> = store
        .steps_of(v1.id)
        .await
        .expect("steps")
        .into_iter()
        .map(|s| s.body)
        .collect();
    assert_eq!(bodies[1], "Acknowledge within five minutes.");
}
