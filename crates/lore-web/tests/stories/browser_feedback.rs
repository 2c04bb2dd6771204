//! The feedback loop in Chromium: a learner flags a step outdated, the author's unread count
//! moves without a reload (server-sent events), the author follows the notification, accepts
//! a suggested edit, publishes, marks the flag fixed, and the learner is told.

use std::time::Duration;

use thirtyfour::prelude::*;

use crate::browser::{
    browser_tests_wanted, chromium, click_and_load, shot, sign_in, start_driver, wait_for_path,
};
use crate::courses::{team, write_runbook};
use crate::support::{Db, TestApp};

/// Wait (up to 15 s) until the header's unread badge shows `n`.
async fn wait_for_unread(web: &WebDriver, n: u64) -> WebDriverResult<()> {
    for _ in 0..150 {
        let badge = web.find(By::Id("unread-count")).await?;
        let shown = badge.is_displayed().await?;
        let text = badge.text().await?;
        // No news is no badge at all (not a "0").
        if (n == 0 && !shown) || (n > 0 && shown && text.trim() == n.to_string()) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the unread badge did not reach {n}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outdated_flag_reaches_the_author_live_in_chromium() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    team(&t).await;
    let id = write_runbook(&t.signed_in("ada@acme.test").await).await;
    let base = t.base.clone();
    let (ada_driver, bo_driver) = (start_driver().await, start_driver().await);
    let ada = chromium(&ada_driver).await;
    let bo = chromium(&bo_driver).await;
    let result: WebDriverResult<()> = async {
        sign_in(&ada, &base, "ada@acme.test").await?;
        ada.goto(format!("{base}/courses/{id}")).await?;
        wait_for_unread(&ada, 0).await?;

        // Bo flags step 2 as outdated from the player.
        sign_in(&bo, &base, "bo@acme.test").await?;
        bo.goto(format!("{base}/courses/{id}")).await?;
        let start = bo.find(By::Id("start")).await?;
        click_and_load(&bo, start).await?;
        bo.goto(format!("{base}/courses/{id}/learn/2")).await?;
        bo.find(By::Id("kind-outdated")).await?.click().await?;
        bo.find(By::Id("reaction-comment"))
            .await?
            .send_keys("We page through Opsgenie now.")
            .await?;
        bo.find(By::Id("send-reaction")).await?.click().await?;
        bo.query(By::Css("[data-testid=my-reactions]"))
            .first()
            .await?;
        shot(&bo, "feedback-1-learner-flagged").await;

        // Ada's page, untouched, shows the news.
        wait_for_unread(&ada, 1).await?;
        shot(&ada, "feedback-2-author-live-count").await;
        let target = ada
            .find(By::Css("[data-testid=notifications-link]"))
            .await?;
        click_and_load(&ada, target).await?;
        wait_for_path(&ada, "/notifications").await?;
        let target = ada.find(By::Css(".notification-title")).await?;
        click_and_load(&ada, target).await?;
        wait_for_path(&ada, &format!("/courses/{id}/feedback")).await?;
        let list = ada
            .find(By::Css("[data-testid=reaction-list]"))
            .await?
            .text()
            .await?;
        assert!(list.contains("We page through Opsgenie now."), "{list}");
        wait_for_unread(&ada, 0).await?;

        // Bo suggests the fix.
        bo.goto(format!("{base}/courses/{id}/learn/2")).await?;
        bo.find(By::Css("[data-testid=suggest-edit]"))
            .await?
            .click()
            .await?;
        let body = bo.find(By::Id("body")).await?;
        body.clear().await?;
        body.send_keys(
            "Acknowledge in Opsgenie within five minutes, then open the incident channel.",
        )
        .await?;
        bo.find(By::Id("reason"))
            .await?
            .send_keys("We moved to Opsgenie.")
            .await?;
        let target = bo.find(By::Id("send-suggestion")).await?;
        click_and_load(&bo, target).await?;
        wait_for_path(&bo, &format!("/courses/{id}/suggestions/")).await?;
        let review = bo.current_url().await?.path().to_owned();

        // Ada sees it live, reviews the diff and accepts; then publishes version 2.
        wait_for_unread(&ada, 1).await?;
        ada.goto(format!("{base}{review}")).await?;
        let diff = ada
            .find(By::Css("[data-testid=suggestion-diff] ins"))
            .await?
            .text()
            .await?;
        assert_eq!(diff.trim(), "in Opsgenie");
        shot(&ada, "feedback-3-suggestion-diff").await;
        let target = ada.find(By::Id("accept-suggestion")).await?;
        click_and_load(&ada, target).await?;
        let status = ada
            .find(By::Css("[data-testid=suggestion-status]"))
            .await?
            .text()
            .await?;
        assert_eq!(status.trim(), "accepted into version 2");
        ada.goto(format!("{base}/courses/{id}/edit")).await?;
        let target = ada
            .find(By::Css("form[action$='/publish'] button[type=submit]"))
            .await?;
        click_and_load(&ada, target).await?;
        wait_for_path(&ada, &format!("/courses/{id}")).await?;

        // Ada marks the flag fixed in version 2; Bo's badge moves while Bo reads.
        bo.goto(format!("{base}/courses/{id}/learn/1")).await?;
        let before: u64 = bo
            .find(By::Id("unread-count"))
            .await?
            .text()
            .await?
            .trim()
            .parse()
            .unwrap_or(0);
        ada.goto(format!("{base}/courses/{id}/feedback")).await?;
        ada.find(By::Css(".resolve-form select[name=version]"))
            .await?
            .send_keys("2")
            .await?;
        ada.find(By::Css(".resolve-form button[type=submit]"))
            .await?
            .click()
            .await?;
        // The page reloads after the form: read the status until the new page shows it
        // (the old page's element goes stale under the reader meanwhile).
        let mut status = String::new();
        for _ in 0..50 {
            if let Ok(el) = ada.find(By::Css("[data-testid=reaction-status]")).await
                && let Ok(text) = el.text().await
            {
                status = text;
                if status.trim() == "fixed" {
                    break;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        assert_eq!(status.trim(), "fixed");
        wait_for_unread(&bo, before + 1).await?;
        let target = bo.find(By::Css("[data-testid=notifications-link]")).await?;
        click_and_load(&bo, target).await?;
        let news = bo
            .find(By::Css("[data-testid=notifications]"))
            .await?
            .text()
            .await?;
        assert!(
            news.contains("is fixed in version 2 of On-call runbook"),
            "{news}"
        );
        shot(&bo, "feedback-4-learner-told").await;
        Ok(())
    }
    .await;
    ada.quit().await.ok();
    bo.quit().await.ok();
    result.expect("browser story");
}
