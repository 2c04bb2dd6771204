//! In a real headless Chromium: sign in, see the home page, visit the main pages, sign out.
//! Runs when Chromium's driver is installed (Debian's `chromium-driver`); CI sets
//! `LORE_BROWSER_TESTS=1`, which makes a missing driver a failure instead of a skip.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use thirtyfour::prelude::*;

use crate::support::{Db, PASSWORD, TestApp};

const DRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// A chromedriver process on a free loopback port, killed when dropped.
pub(crate) struct Driver {
    child: Child,
    url: String,
    profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

pub(crate) fn browser_tests_wanted() -> bool {
    let required = std::env::var("LORE_BROWSER_TESTS").is_ok_and(|v| v == "1");
    let present = Path::new(DRIVER).exists() && Path::new(CHROMIUM).exists();
    assert!(
        present || !required,
        "LORE_BROWSER_TESTS=1 but {DRIVER} or {CHROMIUM} is missing"
    );
    if !present {
        eprintln!("browser test skipped: install chromium and chromium-driver to run it");
    }
    present
}

pub(crate) async fn start_driver() -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let child = Command::new(DRIVER)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Driver {
        child,
        url,
        profile: tempfile::tempdir().expect("profile dir"),
    }
}

pub(crate) async fn chromium(driver: &Driver) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(CHROMIUM).expect("binary");
    // Console errors and failed loads, for the stories that read them (`web.browser_log()`).
    caps.set_browser_log_level(thirtyfour::LoggingPrefsLogLevel::Severe)
        .expect("logging prefs");
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--window-size=1280,900",
    ] {
        caps.add_arg(arg).expect("arg");
    }
    caps.add_arg(&format!(
        "--user-data-dir={}",
        driver.profile.path().display()
    ))
    .expect("profile");
    WebDriver::new(&driver.url, caps)
        .await
        .expect("WebDriver session")
}

fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).ok();
    dir
}

pub(crate) async fn shot(web: &WebDriver, name: &str) {
    web.screenshot(&screenshot_dir().join(format!("{name}.png")))
        .await
        .expect("screenshot");
}

/// Click something that loads a new page (a link, a form's button) and wait (up to 15 s)
/// until the old page is gone, so what is read next is the new page — also when it has the
/// same address, as after a form that redirects back.
pub(crate) async fn click_and_load(web: &WebDriver, target: WebElement) -> WebDriverResult<()> {
    let old = web.find(By::Css("html")).await?;
    target.click().await?;
    for _ in 0..150 {
        if old.tag_name().await.is_err() {
            // The old document is detached; wait for the new one to finish loading.
            for _ in 0..150 {
                let state = web
                    .execute("return document.readyState", Vec::new())
                    .await?
                    .json()
                    .as_str()
                    .map(str::to_owned);
                if state.as_deref() == Some("complete") {
                    return Ok(());
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("clicking did not load a new page")
}

/// Wait (up to 15 s) until the browser has arrived at a path starting with `prefix`
/// (or equal to it, when `prefix` is "/").
pub(crate) async fn wait_for_path(web: &WebDriver, prefix: &str) -> WebDriverResult<()> {
    for _ in 0..150 {
        let path = web.current_url().await?.path().to_owned();
        if path == prefix || (prefix != "/" && path.starts_with(prefix)) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "the browser did not arrive at {prefix}: it is at {}",
        web.current_url().await?
    );
}

/// The text of the first element matching `css`, waiting (up to 10 s) for a page still
/// loading after a click to show it.
/// The text of the first element matching `css` once it contains `needle` (waiting up to
/// 10 s: the element may still be the page before a click's navigation), else its last text.
pub(crate) async fn text_with(web: &WebDriver, css: &str, needle: &str) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(el) = web.find(By::Css(css)).await
            && let Ok(text) = el.text().await
        {
            if text.contains(needle) {
                return text;
            }
            last = text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    last
}

pub(crate) async fn text_of(web: &WebDriver, css: &str) -> String {
    for _ in 0..100 {
        if let Ok(el) = web.find(By::Css(css)).await
            && let Ok(text) = el.text().await
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    web.find(By::Css(css))
        .await
        .expect(css)
        .text()
        .await
        .expect("text")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_see_home_and_sign_out_in_chromium() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let ada = t.person("ada@acme.test", "Ada Lovelace", true).await;
    t.member(ada, eng, "coach").await;

    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result = async {
        web.goto(format!("{}/", t.base)).await?;
        // Not signed in: the home page sends us to sign in.
        assert!(web.current_url().await?.path().starts_with("/sign-in"));
        shot(&web, "sign-in").await;
        web.find(By::Id("email"))
            .await?
            .send_keys("ada@acme.test")
            .await?;
        web.find(By::Id("password"))
            .await?
            .send_keys("wrong password!")
            .await?;
        web.find(By::Id("sign-in")).await?.click().await?;
        assert!(
            text_with(&web, "[data-testid=sign-in-error]", "do not match")
                .await
                .contains("do not match")
        );
        web.find(By::Id("password"))
            .await?
            .send_keys(PASSWORD)
            .await?;
        web.find(By::Id("sign-in")).await?.click().await?;

        wait_for_path(&web, "/").await?;
        assert_eq!(text_of(&web, "h1").await, "Hello, Ada");
        let groups = text_of(&web, "[data-testid=my-groups]").await;
        assert!(
            groups.contains("Acme/Engineering") && groups.contains("coach"),
            "{groups}"
        );
        shot(&web, "home").await;

        for (path, name) in [
            ("/groups", "groups"),
            (&format!("/groups/{eng}") as &str, "group"),
            ("/people", "people"),
            ("/people/invite", "invite"),
            ("/people/import", "import"),
            ("/account", "account"),
        ] {
            web.goto(format!("{}{path}", t.base)).await?;
            assert!(
                !web.find_all(By::Css("h1")).await?.is_empty(),
                "{path} has a heading"
            );
            shot(&web, name).await;
        }

        web.find(By::Css(".nav-user button")).await?.click().await?;
        wait_for_path(&web, "/sign-in").await?;
        web.goto(format!("{}/account", t.base)).await?;
        assert!(
            web.current_url().await?.path().starts_with("/sign-in"),
            "signed out for real"
        );
        Ok::<(), WebDriverError>(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
}

/// The "few clicks" promise: from the home page after sign-in, a course with one text step
/// is published in at most five interactions (clicks and form submissions; typing is not one).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_author_publishes_a_course_in_five_interactions_and_a_peer_takes_it() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let ada = t.person("ada@acme.test", "Ada Lovelace", false).await;
    t.member(ada, eng, "learner").await;
    let bo = t.person("bo@acme.test", "Bo Peer", false).await;
    t.member(bo, eng, "learner").await;

    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result = async {
        sign_in(&web, &t.base, "ada@acme.test").await?;
        let mut interactions = 0;
        web.find(By::Id("new-course")).await?.click().await?;
        interactions += 1;
        wait_for_path(&web, "/courses/new").await?;
        web.find(By::Id("title"))
            .await?
            .send_keys("Rotating secrets safely")
            .await?;
        web.find(By::Id("step_body"))
            .await?
            .send_keys("Rotate the **database password** every quarter.")
            .await?;
        shot(&web, "course-new").await;
        web.find(By::Id("publish")).await?.click().await?;
        interactions += 1;
        wait_for_path(&web, "/courses/").await?;
        assert!(
            text_with(&web, ".flash", "Published")
                .await
                .contains("Published")
        );
        assert_eq!(text_of(&web, "h1").await, "Rotating secrets safely");
        assert!(interactions <= 5, "{interactions} interactions");
        shot(&web, "course").await;

        // Bo finds it, takes it and finishes it.
        web.find(By::Css(".nav-user button")).await?.click().await?;
        wait_for_path(&web, "/sign-in").await?;
        sign_in(&web, &t.base, "bo@acme.test").await?;
        web.goto(format!("{}/courses?q=password", t.base)).await?;
        assert!(
            text_with(&web, "[data-testid=snippet]", "password")
                .await
                .contains("password")
        );
        shot(&web, "catalogue").await;
        web.find(By::LinkText("Rotating secrets safely"))
            .await?
            .click()
            .await?;
        web.query(By::Id("start")).first().await?.click().await?;
        wait_for_path(&web, "/courses/").await?;
        assert!(
            text_with(&web, "[data-testid=step-counter]", "Step 1 of 1")
                .await
                .contains("Step 1 of 1")
        );
        shot(&web, "player").await;
        web.find(By::Id("finish")).await?.click().await?;
        assert!(
            text_with(&web, "[data-testid=progress]", "100% done")
                .await
                .contains("100% done")
        );
        web.goto(format!("{}/learning", t.base)).await?;
        assert!(
            text_with(&web, "[data-testid=completed]", "Rotating secrets safely")
                .await
                .contains("Rotating secrets safely")
        );
        shot(&web, "my-learning").await;
        Ok::<(), WebDriverError>(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
}

pub(crate) async fn sign_in(web: &WebDriver, base: &str, email: &str) -> WebDriverResult<()> {
    sign_in_with(web, base, email, PASSWORD).await
}

/// Sign in with a password other than the stories' own (the demo organisation's).
pub(crate) async fn sign_in_with(
    web: &WebDriver,
    base: &str,
    email: &str,
    password: &str,
) -> WebDriverResult<()> {
    web.goto(format!("{base}/sign-in")).await?;
    web.find(By::Id("email")).await?.send_keys(email).await?;
    web.find(By::Id("password"))
        .await?
        .send_keys(password)
        .await?;
    web.find(By::Id("sign-in")).await?.click().await?;
    web.query(By::Css("[data-testid=signed-in-as]"))
        .first()
        .await?;
    Ok(())
}

/// A learner practises (feedback at once, then right on the second try) and takes an exam
/// (results only after submitting) in Chromium.
/// One single-choice question: which port HTTPS uses (`p80` wrong, `p443` right).
pub(crate) fn https_question() -> lore_domain::question::Question {
    use lore_domain::question::{ChoiceOption, Question, QuestionBody};
    Question {
        prompt: "Which port does HTTPS use?".into(),
        body: QuestionBody::SingleChoice {
            options: [("p80", "80", false), ("p443", "443", true)]
                .iter()
                .map(|(id, text, correct)| ChoiceOption {
                    id: (*id).into(),
                    text: (*text).into(),
                    correct: *correct,
                    feedback: String::new(),
                    weight: None,
                })
                .collect(),
        },
        points: 1.0,
        explanation: "HTTPS listens on 443.".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_takes_a_practice_and_an_exam_in_chromium() {
    use lore_app::courses::authoring::NewCourse;
    use lore_app::evaluations::authoring::SettingsInput;
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    let acme = t.group(None, "Acme").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, acme, "author").await;
    let bo = t.person("bo@acme.test", "Bo Learner", false).await;
    t.member(bo, acme, "learner").await;
    let author = t.app.caller(ada).await.expect("caller").expect("active");
    let question = https_question();
    let mut courses = Vec::new();
    for (title, mode) in [("Practice course", "practice"), ("Exam course", "exam")] {
        let id = t
            .app
            .create_course(
                &author,
                NewCourse {
                    title,
                    group_id: None,
                    first_step_title: "Read",
                    first_step_body: "Ports.",
                },
            )
            .await
            .expect("course");
        t.app
            .add_question(&author, id, None, &question)
            .await
            .expect("question");
        t.app
            .save_evaluation_settings(
                &author,
                id,
                &SettingsInput {
                    mode,
                    pass_mark: "100",
                    ..SettingsInput::default()
                },
            )
            .await
            .expect("settings");
        t.app.publish(&author, id, "").await.expect("publish");
        courses.push(id);
    }

    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result = async {
        sign_in(&web, &t.base, "bo@acme.test").await?;
        // Practice: a wrong answer gets feedback at once; the second try is right.
        web.goto(format!("{}/courses/{}", t.base, courses[0]))
            .await?;
        web.query(By::Id("take-evaluation"))
            .first()
            .await?
            .click()
            .await?;
        web.query(By::Css("input[value=p80]"))
            .first()
            .await?
            .click()
            .await?;
        web.find(By::Id("check")).await?.click().await?;
        assert!(
            text_with(&web, "[data-testid=feedback-1]", "Not right")
                .await
                .contains("Not right")
        );
        assert!(
            text_with(&web, "[data-testid=feedback-1]", "HTTPS listens on 443.")
                .await
                .contains("HTTPS listens on 443.")
        );
        shot(&web, "practice").await;
        web.find(By::Css("input[value=p443]"))
            .await?
            .click()
            .await?;
        web.find(By::Id("check")).await?.click().await?;
        assert!(
            text_with(&web, "[data-testid=feedback-1]", "Right")
                .await
                .contains("Right")
        );
        web.find(By::Id("submit-attempt")).await?.click().await?;
        assert!(
            text_with(&web, "[data-testid=attempt-result]", "Passed")
                .await
                .contains("Passed")
        );

        // Exam: nothing is revealed until the submission.
        web.goto(format!("{}/courses/{}", t.base, courses[1]))
            .await?;
        web.query(By::Id("take-evaluation"))
            .first()
            .await?
            .click()
            .await?;
        web.query(By::Css("input[value=p443]"))
            .first()
            .await?
            .click()
            .await?;
        assert!(
            web.find_all(By::Css("[data-testid=feedback-1]"))
                .await?
                .is_empty()
        );
        shot(&web, "exam").await;
        web.find(By::Id("submit-attempt")).await?.click().await?;
        // An exam asks before it closes.
        web.find(By::Id("confirm-submit")).await?.click().await?;
        let result = text_of(&web, "[data-testid=attempt-result]").await;
        assert!(
            result.contains("Passed") && result.contains("1.0 of 1.0"),
            "{result}"
        );
        shot(&web, "exam-result").await;
        Ok::<(), WebDriverError>(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
}
