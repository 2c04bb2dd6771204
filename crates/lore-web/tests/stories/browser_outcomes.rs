//! The outcome report in Chromium: a coach opens it from the list of metrics and sees the
//! chart of both sides' means per month drawn, with the table beneath it.

use thirtyfour::prelude::*;

use crate::browser::{browser_tests_wanted, chromium, click_and_load, shot, sign_in, start_driver};
use crate::outcomes::{completion_day, metric_with_values};
use crate::support::{Db, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coach_opens_the_outcome_report_and_sees_the_chart_in_chromium() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn_at(Db::Sqlite, |_| {}, completion_day())
        .await
        .expect("app");
    let id = metric_with_values(&t).await;

    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result: WebDriverResult<()> = async {
        sign_in(&web, &t.base, "cora@acme.test").await?;
        web.goto(format!("{}/outcomes", t.base)).await?;
        let link = web
            .find(By::Css(format!("a[href='/outcomes/{id}']")))
            .await?;
        click_and_load(&web, link).await?;
        let svg = web.find(By::Css("figure.chart svg")).await?;
        assert_eq!(svg.attr("role").await?.as_deref(), Some("img"));
        let lines = web.find_all(By::Css("figure.chart svg polyline")).await?;
        assert_eq!(lines.len(), 2, "completed and did not");
        let rows = web
            .find_all(By::Css("[data-testid=outcome-periods] tbody tr"))
            .await?;
        assert_eq!(rows.len(), 3, "the table beneath, one row a month");
        let ci = web.find(By::Css("[data-testid=ci]")).await?.text().await?;
        assert_eq!(ci, "0.01 to 3.99");
        shot(&web, "outcome-report").await;
        Ok(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
}
