//! The author's analytics page in Chromium, on the demo: the funnel and the reactions are drawn
//! as charts (SVG with bars and points), the tables beneath them, at 1280 and 390 px wide
//! without sideways scrolling; comparing two versions shows the test's figures.

use thirtyfour::prelude::*;

use crate::browser::{browser_tests_wanted, chromium, shot, sign_in, start_driver};
use crate::support::{Db, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_analytics_page_draws_its_charts_in_chromium() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    lore_app::demo::seed(&t.app).await.expect("seed");
    let root = t.person("root@acme.test", "Rae Root", true).await;
    let root_caller = t.app.caller(root).await.expect("read").expect("root");
    // A demo course revised since people took it.
    let list = t
        .app
        .catalogue(&root_caller, &Default::default(), 1, 50)
        .await
        .expect("catalogue");
    let mut chosen = None;
    for c in &list.entries {
        let f = t
            .app
            .course_funnel(&root_caller, c.course_id, &Default::default())
            .await
            .expect("funnel");
        if f.versions.len() >= 2 && f.funnel.people > 0 {
            chosen = Some((c.course_id, f.versions[1], f.versions[0]));
            break;
        }
    }
    let (id, a, b) = chosen.expect("a revised demo course");

    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result: WebDriverResult<()> = async {
        sign_in(&web, &t.base, "root@acme.test").await?;
        for (width, height) in [(1280u32, 900u32), (390, 844)] {
            web.set_window_rect(0, 0, width, height).await?;
            web.goto(format!("{}/courses/{id}/analytics?a={a}&b={b}", t.base))
                .await?;
            let charts = web.find_all(By::Css("figure.chart svg")).await?;
            assert!(charts.len() >= 2, "the funnel and the reactions are drawn");
            let bars = web
                .find_all(By::Css("[data-testid=funnel] figure.chart svg rect.bar"))
                .await?;
            assert!(bars.len() >= 5, "a bar per stage with people: {}", bars.len());
            let points = web
                .find_all(By::Css("[data-testid=reaction-weeks] figure.chart svg circle"))
                .await?;
            assert_eq!(points.len(), 24, "two lines of twelve weeks");
            let cells = web
                .find_all(By::Css("[data-testid=funnel-table] tbody tr"))
                .await?;
            assert_eq!(cells.len(), bars.len().max(cells.len()));
            let compared = web
                .find(By::Css("[data-testid=compare-table]"))
                .await?
                .text()
                .await?;
            assert!(compared.contains("More than chance?"), "{compared}");
            let scroll: i64 = web
                .execute(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                    vec![],
                )
                .await?
                .convert()?;
            assert!(scroll <= 0, "no sideways scrolling at {width} px ({scroll} px)");
            shot(&web, &format!("analytics-{width}")).await;
        }
        Ok(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
}
