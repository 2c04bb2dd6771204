//! The dashboard in Chromium, on the small demo: a coach opens it from their group and sees
//! the charts drawn (active learners per week, completion rates per assignment), with the
//! same figures in the tables beneath.

use thirtyfour::prelude::*;

use crate::browser::{browser_tests_wanted, chromium, shot, sign_in_with, start_driver};
use crate::support::{Db, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coach_opens_the_dashboard_and_sees_its_charts_in_chromium() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    lore_app::demo::seed(&t.app).await.expect("demo");
    let domain = lore_app::demo::DOMAIN;
    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let base = t.base.clone();
    let result: WebDriverResult<()> = async {
        sign_in_with(
            &web,
            &base,
            &format!("lukas.becker@{domain}"),
            lore_app::demo::DEMO_PASSWORD,
        )
        .await?;
        web.goto(format!("{base}/dashboard")).await?;
        let charts = web.find_all(By::Css("figure.chart svg")).await?;
        assert!(
            charts.len() >= 2,
            "the active learners line and the assignment bars are drawn, {} found",
            charts.len()
        );
        let line = web
            .find(By::Css("figure.chart svg polyline, figure.chart svg path"))
            .await;
        assert!(line.is_ok(), "the line of active learners is drawn");
        let weeks = web
            .find_all(By::Css("[data-testid=active-weeks] tbody tr"))
            .await?;
        assert_eq!(weeks.len(), 12, "the table beneath has the twelve weeks");
        shot(&web, "dashboard").await;
        Ok(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
}
