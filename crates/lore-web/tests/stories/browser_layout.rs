//! The layout on a phone and on a laptop, in Chromium: on the demo organisation, every main
//! page fits 390 px wide without sideways scrolling, the header folds into a menu that still
//! reaches Sign out, and the same pages fit 1280 px. Plus the icons that make Lore installable.

use reqwest::StatusCode;
use thirtyfour::prelude::*;

use crate::browser::{browser_tests_wanted, chromium, shot, sign_in_with, start_driver};
use crate::support::{Db, TestApp};

pub(crate) const PHONE: (u32, u32) = (390, 844);
pub(crate) const LAPTOP: (u32, u32) = (1280, 800);

/// How far the page reaches sideways, and what sticks out past the viewport (for the failure).
pub(crate) const MEASURE: &str = r#"
const root = document.documentElement;
const limit = root.clientWidth;
const out = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && r.right > limit + 0.5) {
    // Only the innermost offenders: skip an element whose child also sticks out.
    const childOut = [...el.children].some(c => c.getBoundingClientRect().right > limit + 0.5);
    if (!childOut) {
      const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
      out.push(el.tagName.toLowerCase() + cls + ' right=' + Math.round(r.right) + ' "' + (el.textContent || '').trim().slice(0, 40) + '"');
    }
  }
}
return { scroll: root.scrollWidth, client: limit, inner: window.innerWidth, offenders: out.slice(0, 8) };
"#;

/// Controls a thumb has to hit on a phone that are shorter than 44 px.
const SHORT_TARGETS: &str = r#"
const out = [];
for (const el of document.querySelectorAll('.site-header a, .site-header button, .site-header summary, main .btn, main button:not(.btn-link), .pager a')) {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && r.height > 0 && r.height < 43.5) {
    out.push(el.tagName.toLowerCase() + ' "' + (el.textContent || '').trim().slice(0, 30) + '" ' + Math.round(r.height) + 'px');
  }
}
return out.slice(0, 8);
"#;

pub(crate) async fn set_size(web: &WebDriver, (w, h): (u32, u32)) -> WebDriverResult<()> {
    web.set_window_rect(0, 0, w, h).await
}

/// The page fits its window: no sideways scrolling of the whole page. A page that does not is
/// noted in `problems`, so one run names every page that needs work.
async fn check_fits(
    web: &WebDriver,
    page: &str,
    size: &str,
    problems: &mut Vec<String>,
) -> WebDriverResult<()> {
    let m = web.execute(MEASURE, Vec::new()).await?.json().clone();
    let scroll = m["scroll"].as_f64().unwrap_or(f64::MAX);
    let client = m["client"].as_f64().unwrap_or(0.0);
    let inner = m["inner"].as_f64().unwrap_or(0.0);
    if !(scroll <= client && scroll <= inner) {
        problems.push(format!(
            "{page} at {size} scrolls sideways: {scroll} px wide in a {client} px viewport \
             (window {inner}); sticking out: {}",
            m["offenders"]
        ));
    }
    Ok(())
}

/// On a phone, Sign out is hidden behind the menu at most: open it (if there is one to open)
/// and Sign out shows, along with the main navigation.
async fn check_sign_out_reachable(
    web: &WebDriver,
    page: &str,
    problems: &mut Vec<String>,
) -> WebDriverResult<()> {
    let toggle = web.find_all(By::Css("[data-testid=menu-toggle]")).await?;
    if let Some(toggle) = toggle.first()
        && toggle.is_displayed().await?
    {
        assert_eq!(
            toggle.attr("aria-expanded").await?.as_deref(),
            Some("false"),
            "{page}: the menu starts closed on a phone"
        );
        toggle.click().await?;
        assert_eq!(
            toggle.attr("aria-expanded").await?.as_deref(),
            Some("true"),
            "{page}: the menu says it is open"
        );
    }
    let sign_out = web.find(By::Css("[data-testid=sign-out]")).await?;
    assert!(
        sign_out.is_displayed().await?,
        "{page}: Sign out is visible on a phone once the menu is open"
    );
    let r = sign_out.rect().await?;
    assert!(
        r.x >= 0.0 && r.x + r.width <= f64::from(PHONE.0),
        "{page}: Sign out lies inside the phone's width ({r:?})"
    );
    let short = web.execute(SHORT_TARGETS, Vec::new()).await?.json().clone();
    if !short.as_array().is_some_and(Vec::is_empty) {
        problems.push(format!(
            "{page}: touch targets shorter than 44 px on a phone: {short}"
        ));
    }
    Ok(())
}

/// The path of the first link matching `css`, on the page the browser shows.
async fn first_link(web: &WebDriver, css: &str) -> WebDriverResult<String> {
    let link = web.find(By::Css(css)).await?;
    let href = link.attr("href").await?.unwrap_or_default();
    Ok(href)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_main_page_fits_a_phone_and_a_laptop_in_chromium() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    lore_app::demo::seed(&t.app).await.expect("demo");
    let store = t.app.store();
    let domain = lore_app::demo::DOMAIN;
    let priya = store
        .user_by_email(&format!("priya.raman@{domain}"))
        .await
        .expect("look up")
        .expect("the demo author")
        .id;
    let courses = store.courses(false).await.expect("courses");
    let authored = courses
        .iter()
        .find(|c| c.owner_id == priya && c.latest_version.is_some())
        .expect("a published course of Priya's")
        .id;
    let engineering = store
        .all_groups()
        .await
        .expect("groups")
        .into_iter()
        .find(|g| g.name == "Engineering")
        .expect("Engineering")
        .id;

    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let base = t.base.clone();
    let result = async {
        // The learner: what they see every day.
        let mut visits: Vec<(&str, String, String)> = Vec::new();
        let mut problems = Vec::new();
        sign_in_with(
            &web,
            &base,
            &format!("mei.chen@{domain}"),
            lore_app::demo::DEMO_PASSWORD,
        )
        .await?;
        web.goto(format!("{base}/courses")).await?;
        let course =
            first_link(&web, "main a[href^='/courses/']:not([href='/courses/new'])").await?;
        web.goto(format!("{base}/needs")).await?;
        let need = first_link(&web, "[data-testid=needs] a[href^='/needs/']").await?;
        let player = format!("{course}/learn/1");
        let learner = [
            ("home", "/".to_owned()),
            ("courses", "/courses".to_owned()),
            ("course page", course.clone()),
            ("player", player),
            ("my learning", "/learning".to_owned()),
            ("needs board", "/needs".to_owned()),
            ("a need", need),
            ("notifications", "/notifications".to_owned()),
            ("account", "/account".to_owned()),
            ("groups", "/groups".to_owned()),
            ("a group", format!("/groups/{engineering}")),
        ];
        for (name, path) in learner {
            visits.push(("learner", name.to_owned(), path));
        }
        check_pages(&web, &base, &visits, &mut problems).await?;
        sign_out(&web).await?;

        // The author and coach: what needs their attention.
        sign_in_with(
            &web,
            &base,
            &format!("priya.raman@{domain}"),
            lore_app::demo::DEMO_PASSWORD,
        )
        .await?;
        let author = vec![
            ("author", "home".to_owned(), "/".to_owned()),
            (
                "author",
                "course feedback".to_owned(),
                format!("/courses/{authored}/feedback"),
            ),
            ("author", "attention".to_owned(), "/attention".to_owned()),
            (
                "author",
                "notifications".to_owned(),
                "/notifications".to_owned(),
            ),
            ("author", "my learning".to_owned(), "/learning".to_owned()),
        ];
        check_pages(&web, &base, &author, &mut problems).await?;
        sign_out(&web).await?;

        // The platform admin: everyone.
        sign_in_with(
            &web,
            &base,
            &format!("admin@{domain}"),
            lore_app::demo::DEMO_PASSWORD,
        )
        .await?;
        let admin = vec![
            ("admin", "home".to_owned(), "/".to_owned()),
            ("admin", "people".to_owned(), "/people".to_owned()),
            ("admin", "groups".to_owned(), "/groups".to_owned()),
            (
                "admin",
                "a group".to_owned(),
                format!("/groups/{engineering}"),
            ),
            ("admin", "needs board".to_owned(), "/needs".to_owned()),
            (
                "admin",
                "notifications".to_owned(),
                "/notifications".to_owned(),
            ),
        ];
        check_pages(&web, &base, &admin, &mut problems).await?;
        let pages = visits.len() + author.len() + admin.len();
        assert!(
            problems.is_empty(),
            "{} problems on {pages} page visits:\n{}",
            problems.len(),
            problems.join("\n")
        );
        Ok::<(), WebDriverError>(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
}

/// Each page at phone size (fits, Sign out reachable), then at laptop size (fits).
async fn check_pages(
    web: &WebDriver,
    base: &str,
    visits: &[(&str, String, String)],
    problems: &mut Vec<String>,
) -> WebDriverResult<()> {
    for (who, name, path) in visits {
        let page = format!("{name} ({path}, as the {who})");
        set_size(web, PHONE).await?;
        web.goto(format!("{base}{path}")).await?;
        assert!(
            !web.find_all(By::Css("h1")).await?.is_empty(),
            "{page} has a heading"
        );
        check_fits(web, &page, "390 px", problems).await?;
        shot(web, &format!("phone-{who}-{}", name.replace(' ', "-"))).await;
        check_sign_out_reachable(web, &page, problems).await?;
        shot(web, &format!("phone-menu-{who}-{}", name.replace(' ', "-"))).await;
        check_fits(web, &page, "390 px with the menu open", problems).await?;
        set_size(web, LAPTOP).await?;
        web.goto(format!("{base}{path}")).await?;
        check_fits(web, &page, "1280 px", problems).await?;
    }
    Ok(())
}

async fn sign_out(web: &WebDriver) -> WebDriverResult<()> {
    set_size(web, LAPTOP).await?;
    let button = web.find(By::Css("[data-testid=sign-out]")).await?;
    crate::browser::click_and_load(web, button).await?;
    crate::browser::wait_for_path(web, "/sign-in").await
}

/// The icons and the manifest a phone needs to put Lore on its home screen.
async fn favicon_and_manifest_are_served(t: TestApp) {
    let b = t.browser();
    for (path, kind) in [
        ("/favicon.ico", "image/x-icon"),
        ("/icon.svg", "image/svg+xml"),
        ("/icon-192.png", "image/png"),
        ("/icon-512.png", "image/png"),
        ("/manifest.webmanifest", "application/manifest+json"),
    ] {
        let got = b.get_bytes(path, &[]).await;
        assert_eq!(got.status, StatusCode::OK, "{path}");
        assert_eq!(got.header("content-type"), kind, "{path}");
        assert!(!got.bytes.is_empty(), "{path} has a body");
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&b.get_bytes("/manifest.webmanifest", &[]).await.bytes)
            .expect("the manifest is JSON");
    assert_eq!(manifest["name"], "Lore");
    let sizes: Vec<&str> = manifest["icons"]
        .as_array()
        .expect("icons")
        .iter()
        .filter_map(|i| i["sizes"].as_str())
        .collect();
    assert!(
        sizes.contains(&"192x192") && sizes.contains(&"512x512"),
        "{sizes:?}"
    );
    // The PNGs are what they claim: the signature, then a header with the size.
    for (path, size) in [("/icon-192.png", 192u32), ("/icon-512.png", 512)] {
        let png = b.get_bytes(path, &[]).await.bytes;
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{path}");
        let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
        assert_eq!((width, height), (size, size), "{path}");
    }
    // Every page links them, also the sign-in page a first visit lands on.
    let page = b.get("/sign-in").await;
    page.expect_contains("rel=\"icon\"")
        .expect_contains("rel=\"manifest\" href=\"/manifest.webmanifest\"")
        .expect_contains("name=\"theme-color\"");
}
crate::story!(favicon_and_manifest_are_served);

/// On a phone the header folds into the menu; the unread count rides on the Menu button, so a
/// closed menu does not hide that something is waiting.
async fn the_menu_button_carries_the_unread_count(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, acme, "author").await;
    let bo = t.person("bo@acme.test", "Bo Learner", false).await;
    t.member(bo, acme, "learner").await;
    let ada = t.caller("ada@acme.test").await;
    let bo = t.caller("bo@acme.test").await;
    let course = t.published_course(&ada, "Paging").await;
    let a = t.signed_in("ada@acme.test").await;
    a.get("/")
        .await
        .expect_contains("id=\"menu-unread\" data-testid=\"menu-unread\" hidden>");
    t.app.enrol(&bo, course).await.expect("enrol");
    let key = t.app.draft(&ada, course).await.expect("draft").steps[0]
        .step_key
        .clone();
    t.app
        .react(&bo, course, &key, "outdated", "The pager app changed.")
        .await
        .expect("react");
    t.run_jobs().await;
    let home = a.get("/").await;
    home.expect_contains(
        "id=\"menu-unread\" data-testid=\"menu-unread\"><span class=\"n\">1</span><span class=\"sr-only\"> unread</span>",
    );
}
crate::story!(the_menu_button_carries_the_unread_count);
