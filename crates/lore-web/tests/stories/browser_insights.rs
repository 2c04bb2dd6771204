//! The coach's insight pages in Chromium: knowledge gaps and experts of their group, each
//! with its chart drawn (an SVG inside `figure.chart`) and the table beneath.

use thirtyfour::prelude::*;

use crate::browser::{browser_tests_wanted, chromium, shot, sign_in, start_driver};
use crate::insights::seeded;
use crate::support::{Db, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coach_reads_the_gaps_and_experts_charts_in_chromium() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    let eng = seeded(&t).await.eng;
    let base = t.base.clone();
    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result: WebDriverResult<()> = async {
        sign_in(&web, &base, "cora@acme.test").await?;
        web.goto(format!("{base}/reports")).await?;
        web.find(By::Css(
            "[data-testid=insight-links] a[href='/insights/gaps']",
        ))
        .await?
        .click()
        .await?;
        web.find(By::Css("[data-testid=gap-topics]")).await?;
        let charts = web.find_all(By::Css("figure.chart svg")).await?;
        assert_eq!(charts.len(), 2, "weakest topics and content per 100 people");
        let label = charts[0].attr("role").await?;
        assert_eq!(label.as_deref(), Some("img"));
        let bars = web.find_all(By::Css("figure.chart svg rect")).await?;
        assert!(!bars.is_empty(), "bars are drawn");
        shot(&web, "insights-1-gaps").await;

        web.goto(format!("{base}/insights/experts?group={eng}&topic=rust"))
            .await?;
        web.find(By::Css("figure.chart svg")).await?;
        let first = web
            .find(By::Css("[data-testid=experts] tbody tr td a"))
            .await?;
        assert_eq!(first.text().await?, "Bo Builder");
        first.click().await?;
        let drill = web
            .find(By::Css("[data-testid=expert-courses]"))
            .await?
            .text()
            .await?;
        assert!(drill.contains("Rust traits"), "{drill}");
        shot(&web, "insights-2-experts").await;
        Ok(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
}
