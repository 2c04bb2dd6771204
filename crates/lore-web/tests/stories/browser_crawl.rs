//! Every page a role can reach, in Chromium, at a laptop's and a phone's size: starting from
//! each demo role's home, follow every link the pages show and fail on a link that answers
//! 4xx/5xx, a console error or failed load, a page wider than its window, or a serious or
//! critical accessibility violation found by axe-core (vendored from npm under
//! `tests/vendor/axe-core`). A screenshot of each kind of page at both sizes is kept in the test
//! output (`target/tmp/screenshots/crawl-*`).
//!
//! "Every page" means every kind of page: addresses are grouped by their shape (numbers stand
//! for ids, query keys without their values), and the crawl opens two of each shape per role,
//! while the links on every opened page are all checked.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use thirtyfour::prelude::*;

use crate::browser::{browser_tests_wanted, chromium, shot, sign_in_with, start_driver};
use crate::browser_layout::{LAPTOP, MEASURE, PHONE, set_size};
use crate::support::{Db, TestApp};

const AXE: &str = include_str!("../vendor/axe-core/axe.min.js");

/// Pages of one shape opened per role.
const PER_SHAPE: usize = 2;

/// axe-core over the whole document; only what blocks people (serious, critical) is returned.
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ['violations'] }).then(r => done(
  r.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' +
      v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))
)).catch(e => done(['axe failed: ' + e]));
"#;

/// The same-origin links of the page (without fragments), and any link leaving the origin.
const LINKS: &str = r#"
const out = new Set();
for (const a of document.querySelectorAll('a[href]')) {
  const u = new URL(a.getAttribute('href'), location.href);
  if (u.protocol === 'mailto:' || u.protocol === 'tel:') continue;
  if (u.origin !== location.origin) { out.add('EXTERNAL ' + u.href); continue; }
  u.hash = '';
  out.add(u.pathname + u.search);
}
return [...out];
"#;

/// Each address fetched as the signed-in person: its status and content type.
const FETCH: &str = r#"
const [urls, done] = [arguments[0], arguments[arguments.length - 1]];
Promise.all(urls.map(u => fetch(u, { credentials: 'same-origin' })
  .then(r => [u, r.status, r.headers.get('content-type') || ''])
  .catch(e => [u, 0, String(e)]))).then(done);
"#;

/// The shape of an address: numbers in the path stand for ids, query values are dropped.
fn shape(url: &str) -> String {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path: Vec<&str> = path
        .split('/')
        .map(|s| if is_id(s) { "#" } else { s })
        .collect();
    let keys: BTreeSet<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').map_or(p, |(k, _)| k))
        .collect();
    let keys: Vec<&str> = keys.into_iter().collect();
    format!("{}?{}", path.join("/"), keys.join("&"))
}

/// Letters and digits of `text`, the rest as single dashes: a screenshot's file name.
fn file_name(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// A path segment that names one thing: a number, or a step's stable key (`s-25029e1c5e`).
fn is_id(segment: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let key = |s: &str| {
        s.strip_prefix("s-")
            .is_some_and(|k| k.len() >= 6 && k.chars().all(|c| c.is_ascii_hexdigit()))
    };
    digits(segment) || key(segment)
}

/// Whether the crawl opens an address it found (it checks every one's status either way).
fn worth_opening(url: &str) -> bool {
    !(url.starts_with("/api/")
        || url.starts_with("/blobs/")
        || url.starts_with("/sign-out")
        || url.ends_with(".csv")
        || url.ends_with(".zip")
        || url.contains("/export"))
}

pub(crate) struct Crawl<'a> {
    web: &'a WebDriver,
    base: &'a str,
    who: String,
    pub(crate) problems: Vec<String>,
    /// Address → (status, whether it is an HTML page), for every link checked.
    pub(crate) checked: BTreeMap<String, (u16, bool)>,
    pub(crate) opened: usize,
    /// Both sizes, screenshots, width and axe-core; without it one size and only `dom_check`.
    thorough: bool,
    /// A script run on every page that returns `{problems: [...], found: [...]}`: its problems
    /// are the crawl's, what it found is gathered in `found`.
    dom_check: Option<&'static str>,
    pub(crate) found: BTreeSet<String>,
    /// Pages opened first, after home and search.
    start: Vec<String>,
}

impl<'a> Crawl<'a> {
    /// Every check at both sizes (the crawl of every page).
    pub(crate) fn thorough(web: &'a WebDriver, base: &'a str, who: &str) -> Self {
        Crawl {
            web,
            base,
            who: who.to_owned(),
            problems: Vec::new(),
            checked: BTreeMap::new(),
            opened: 0,
            thorough: true,
            dom_check: None,
            found: BTreeSet::new(),
            start: Vec::new(),
        }
    }

    /// At one size, console errors and `script` on every page: quicker, for a crawl that looks
    /// for one thing.
    pub(crate) fn with_dom_check(
        web: &'a WebDriver,
        base: &'a str,
        who: &str,
        script: &'static str,
        start: Vec<String>,
    ) -> Self {
        Crawl {
            thorough: false,
            dom_check: Some(script),
            start,
            ..Crawl::thorough(web, base, who)
        }
    }

    pub(crate) async fn run(&mut self) -> WebDriverResult<()> {
        // Home, and what the header's search form opens (forms are not links).
        let mut queue = VecDeque::from(["/".to_owned(), "/search?q=incident".to_owned()]);
        queue.extend(self.start.iter().cloned());
        let mut queued: BTreeSet<String> = queue.iter().cloned().collect();
        let mut per_shape: BTreeMap<String, usize> = BTreeMap::new();
        while let Some(url) = queue.pop_front() {
            let count = per_shape.entry(shape(&url)).or_default();
            if *count >= PER_SHAPE {
                continue;
            }
            *count += 1;
            let first_of_shape = *count == 1;
            let links = self.visit(&url, first_of_shape && self.thorough).await?;
            for link in links {
                if worth_opening(&link) && queued.insert(link.clone()) {
                    queue.push_back(link);
                }
            }
        }
        Ok(())
    }

    /// Open one page at both sizes, note its problems, return the HTML pages it links to.
    async fn visit(&mut self, url: &str, screenshot: bool) -> WebDriverResult<Vec<String>> {
        self.opened += 1;
        let web = self.web;
        let page = format!("{url} (as the {})", self.who);
        let name = format!(
            "crawl-{}-{}",
            file_name(&self.who),
            file_name(&shape(url).replace('#', "id"))
        );

        set_size(web, LAPTOP).await?;
        web.browser_log().await?; // drop what an earlier page left
        web.goto(format!("{}{url}", self.base)).await?;
        let here = web.current_url().await?;
        if here.path() == "/sign-in" && url != "/sign-in" {
            self.problems.push(format!(
                "{page}: the page sent a signed-in person to sign in"
            ));
            return Ok(Vec::new());
        }
        self.check_page(&page, "1280 px").await?;
        if screenshot {
            shot(web, &format!("{name}-laptop")).await;
        }
        let links: Vec<String> = web
            .execute(LINKS, Vec::new())
            .await?
            .json()
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let mut fresh = Vec::new();
        for link in &links {
            if let Some(external) = link.strip_prefix("EXTERNAL ") {
                self.problems
                    .push(format!("{page} links outside Lore: {external}"));
            } else if !self.checked.contains_key(link) {
                fresh.push(link.clone());
            }
        }
        if !fresh.is_empty() {
            let answers = web
                .execute_async(FETCH, vec![serde_json::json!(fresh)])
                .await?
                .json()
                .clone();
            for answer in answers.as_array().into_iter().flatten() {
                let link = answer[0].as_str().unwrap_or_default().to_owned();
                let status = answer[1].as_u64().unwrap_or(0) as u16;
                let kind = answer[2].as_str().unwrap_or_default();
                if !(200..400).contains(&status) {
                    self.problems
                        .push(format!("{page} links to {link}, which answers {status}"));
                }
                self.checked
                    .insert(link, (status, kind.starts_with("text/html")));
            }
        }
        // Every HTML page it links to, also those checked from an earlier page (the caller
        // skips what it has queued already).
        let html: Vec<String> = links
            .iter()
            .filter(|l| {
                self.checked
                    .get(*l)
                    .is_some_and(|(s, html)| *html && (200..400).contains(s))
            })
            .cloned()
            .collect();

        if !self.thorough {
            return Ok(html);
        }
        set_size(web, PHONE).await?;
        web.goto(format!("{}{url}", self.base)).await?;
        self.check_page(&page, "390 px").await?;
        if screenshot {
            shot(web, &format!("{name}-phone")).await;
        }
        Ok(html)
    }

    /// Console errors, width and axe-core on the page as the browser shows it now.
    async fn check_page(&mut self, page: &str, size: &str) -> WebDriverResult<()> {
        let web = self.web;
        for entry in web.browser_log().await? {
            if entry.level == "SEVERE" {
                self.problems.push(format!(
                    "{page} at {size}: console error: {}",
                    entry.message
                ));
            }
        }
        if let Some(script) = self.dom_check {
            let answer = web.execute(script, Vec::new()).await?.json().clone();
            for p in answer["problems"].as_array().into_iter().flatten() {
                self.problems
                    .push(format!("{page}: {}", p.as_str().unwrap_or_default()));
            }
            for f in answer["found"].as_array().into_iter().flatten() {
                self.found.insert(f.as_str().unwrap_or_default().to_owned());
            }
        }
        if !self.thorough {
            return Ok(());
        }
        let m = web.execute(MEASURE, Vec::new()).await?.json().clone();
        let scroll = m["scroll"].as_f64().unwrap_or(f64::MAX);
        let client = m["client"].as_f64().unwrap_or(0.0);
        if scroll > client {
            self.problems.push(format!(
                "{page} at {size} is {scroll} px wide in a {client} px window; sticking out: {}",
                m["offenders"]
            ));
        }
        web.execute(format!("{AXE}\nreturn true;"), Vec::new())
            .await?;
        let violations = web.execute_async(RUN_AXE, Vec::new()).await?.json().clone();
        for v in violations.as_array().into_iter().flatten() {
            self.problems.push(format!(
                "{page} at {size}: {}",
                v.as_str().unwrap_or_default()
            ));
        }
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_every_role_works_fits_and_is_accessible_in_chromium() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    let sign_ins = lore_app::demo::seed(&t.app).await.expect("demo");
    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result = async {
        let mut problems = Vec::new();
        let mut report = Vec::new();
        for who in &sign_ins {
            web.delete_all_cookies().await?;
            set_size(&web, LAPTOP).await?;
            sign_in_with(&web, &t.base, &who.email, lore_app::demo::DEMO_PASSWORD).await?;
            let mut crawl = Crawl::thorough(&web, &t.base, who.role);
            crawl.run().await?;
            report.push(format!(
                "{}: {} pages opened, {} links checked",
                who.role,
                crawl.opened,
                crawl.checked.len()
            ));
            // A role that reaches only a handful of pages means the crawl lost its way.
            assert!(
                crawl.opened >= 10,
                "the {} reached only {} pages: {:?}",
                who.role,
                crawl.opened,
                crawl.checked
            );
            problems.extend(crawl.problems);
        }
        eprintln!("crawl: {}", report.join("; "));
        assert!(
            problems.is_empty(),
            "{} problems ({}):\n{}",
            problems.len(),
            report.join("; "),
            problems.join("\n")
        );
        Ok::<(), WebDriverError>(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
}

#[test]
fn addresses_are_grouped_by_shape() {
    assert_eq!(shape("/courses/12/learn/3"), "/courses/#/learn/#?");
    assert_eq!(shape("/courses?topic=rust&page=2"), "/courses?page&topic");
    assert_eq!(shape("/courses?page=3&topic=go"), "/courses?page&topic");
    assert_ne!(shape("/courses/12"), shape("/courses/new"));
    assert_eq!(
        shape("/courses/3/steps/s-25029e1c5e/history"),
        "/courses/#/steps/#/history?"
    );
    assert_eq!(file_name("coach (Engineering)"), "coach-engineering");
    assert_ne!(
        file_name(&shape("/courses/1").replace('#', "id")),
        file_name(&shape("/courses").replace('#', "id"))
    );
}
