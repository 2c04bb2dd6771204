//! Mail: notifications reach people through a real SMTP server (aiosmtpd on 127.0.0.1) by
//! their choice per kind — instantly, in a daily digest, or never — sent by background
//! jobs that survive a server that is down.

use std::time::Duration;

use lore_app::notifications::Notice;
use lore_domain::notification::NotificationKind;
use lore_store::{JobFilter, JobRow};
use reqwest::StatusCode;

use crate::story;
use crate::support::{Db, MailServer, TestApp};

/// The address links in mails start with.
const PUBLIC: &str = "https://lore.example.com";
const WAIT: Duration = Duration::from_secs(20);

/// Lore with its mail going to a fresh SMTP server, running or (for `running = false`)
/// not started yet. `None` when PostgreSQL is asked for but not configured.
pub(crate) async fn with_mail(db: Db, running: bool) -> Option<(TestApp, MailServer)> {
    let server = if running {
        MailServer::start().await
    } else {
        MailServer::reserve()
    };
    let url = server.url();
    let t = TestApp::spawn_with(db, |s| {
        s.mail.smtp_url = Some(url);
        s.mail.public_url = PUBLIC.to_owned();
        s.mail.from = "Lore <lore@acme.test>".to_owned();
    })
    .await?;
    Some((t, server))
}

/// Like `story!`, for stories that take the app and its mail server.
macro_rules! mail_story {
    ($name:ident) => {
        mail_story!($name, running = true);
    };
    ($name:ident, running = $running:expr) => {
        mod $name {
            use crate::support::Db;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                let (t, mail) = super::with_mail(Db::Sqlite, $running)
                    .await
                    .expect("sqlite test app");
                super::$name(t, mail).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                match super::with_mail(Db::Postgres, $running).await {
                    Some((t, mail)) => super::$name(t, mail).await,
                    None => {
                        eprintln!("PostgreSQL story skipped: LORE_TEST_DATABASE_URL is not set")
                    }
                }
            }
        }
    };
}

fn notice(user_id: i64, kind: NotificationKind, title: &str, link: &str) -> Notice {
    Notice {
        user_id,
        kind,
        title: title.to_owned(),
        body: format!("Details about: {title}."),
        link: link.to_owned(),
        actor_id: None,
    }
}

async fn caller(t: &TestApp, id: i64) -> lore_app::Caller {
    t.app.caller(id).await.expect("caller").expect("active")
}

async fn choose(t: &TestApp, id: i64, choices: &[(&str, &str)]) {
    let choices: Vec<(String, String)> = choices
        .iter()
        .map(|(k, m)| ((*k).to_owned(), (*m).to_owned()))
        .collect();
    t.app
        .set_mail_choices(&caller(t, id).await, &choices)
        .await
        .expect("mail choices");
}

/// Every job ever queued, pending and failed (done ones are not listed).
async fn open_jobs(t: &TestApp) -> Vec<JobRow> {
    let mut jobs = t.app.jobs(JobFilter::Pending, 100).await.expect("jobs");
    jobs.extend(t.app.jobs(JobFilter::Failed, 100).await.expect("jobs"));
    jobs
}

/// Wait until job `id` satisfies `done` (the worker may be the one running it).
async fn wait_for_job(t: &TestApp, id: i64, done: impl Fn(&JobRow) -> bool) -> JobRow {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let job = t
            .app
            .store()
            .job(id)
            .await
            .expect("job")
            .expect("job exists");
        if done(&job) {
            return job;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "job never got there: {job:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Give the worker time to do something it should not, then check it did not.
/// Wait until no job is waiting or running: a mail that arrived may not be marked sent yet,
/// and moving the clock past its lock then would send it again.
async fn wait_until_idle(t: &TestApp) {
    let deadline = std::time::Instant::now() + WAIT;
    while !t
        .app
        .jobs(JobFilter::Pending, 100)
        .await
        .expect("jobs")
        .is_empty()
    {
        assert!(std::time::Instant::now() < deadline, "jobs still running");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn settle(t: &TestApp) {
    t.run_jobs().await;
    tokio::time::sleep(Duration::from_millis(700)).await;
}

mail_story!(a_notification_arrives_by_mail_at_once);
async fn a_notification_arrives_by_mail_at_once(t: TestApp, mail: MailServer) {
    let ada = t.person("ada@acme.test", "Ada Lovelace", false).await;
    let row = t
        .app
        .notify(notice(
            ada,
            NotificationKind::Reply,
            "Bob answered your question",
            "/courses/3/threads/7",
        ))
        .await
        .expect("notify")
        .expect("stored");

    // Nobody runs the jobs by hand: the worker, woken by the new job, sends the mail.
    let m = mail.wait_for_mail("ada@acme.test", WAIT).await;
    assert_eq!(m.subject, "Bob answered your question");
    assert!(
        m.text
            .contains("Details about: Bob answered your question."),
        "{m:?}"
    );
    assert!(
        m.text
            .contains("https://lore.example.com/courses/3/threads/7"),
        "{m:?}"
    );
    assert!(
        m.text.contains("https://lore.example.com/account#mail"),
        "the footer says where to change mail choices: {m:?}"
    );
    assert!(
        m.html
            .contains("href=\"https://lore.example.com/courses/3/threads/7\""),
        "{m:?}"
    );

    // The notification is marked mailed; its job is done; running again sends nothing more.
    let deadline = std::time::Instant::now() + WAIT;
    while t
        .app
        .store()
        .notification(row.id)
        .await
        .expect("notification")
        .expect("exists")
        .mailed_at
        .is_none()
    {
        assert!(std::time::Instant::now() < deadline, "never marked mailed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    settle(&t).await;
    assert!(open_jobs(&t).await.is_empty());
    assert_eq!(mail.mails_to("ada@acme.test").len(), 1);
}

mail_story!(a_mail_waits_out_a_server_that_is_down, running = false);
async fn a_mail_waits_out_a_server_that_is_down(t: TestApp, mut mail: MailServer) {
    let ada = t.person("ada@acme.test", "Ada Lovelace", false).await;
    t.app
        .notify(notice(
            ada,
            NotificationKind::Mention,
            "Cleo mentioned you",
            "/courses/1",
        ))
        .await
        .expect("notify");
    let queued = open_jobs(&t).await;
    assert_eq!(queued.len(), 1);

    // The first attempt fails (nothing listens) and is put off by the first pause.
    let job = wait_for_job(&t, queued[0].id, |j| {
        j.attempts == 1 && j.locked_until.is_none()
    })
    .await;
    assert!(
        job.last_error.as_deref().unwrap_or("").starts_with("SMTP"),
        "{job:?}"
    );
    assert_eq!(job.run_at, t.app.now() + time::Duration::seconds(30));
    assert!(job.failed_at.is_none() && job.done_at.is_none());

    // The server comes up, but the retry waits for its time.
    mail.run().await;
    assert_eq!(t.run_jobs().await, lore_app::jobs::JobCounts::default());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(mail.mails().is_empty());

    // Thirty seconds later the mail goes out, once.
    t.clock.advance(time::Duration::seconds(31));
    t.run_jobs().await;
    let m = mail.wait_for_mail("ada@acme.test", WAIT).await;
    assert_eq!(m.subject, "Cleo mentioned you");
    let job = wait_for_job(&t, job.id, |j| j.done_at.is_some()).await;
    assert_eq!(job.attempts, 2);
    settle(&t).await;
    assert_eq!(mail.mails().len(), 1);
}

mail_story!(a_mail_is_given_up_after_its_last_attempt, running = false);
async fn a_mail_is_given_up_after_its_last_attempt(t: TestApp, _mail: MailServer) {
    let ada = t.person("ada@acme.test", "Ada Lovelace", false).await;
    t.app
        .notify(notice(
            ada,
            NotificationKind::Mention,
            "Cleo mentioned you",
            "/courses/1",
        ))
        .await
        .expect("notify");
    let id = open_jobs(&t).await[0].id;
    let job = wait_for_job(&t, id, |j| j.attempts == 1 && j.locked_until.is_none()).await;
    let mut attempts = job.attempts;
    // 30 s, 2 min, 10 min, 1 h, 6 h: each wait passed, the next attempt fails too.
    while attempts < lore_app::notifications::MAIL_ATTEMPTS {
        t.clock.advance(time::Duration::hours(6));
        t.run_jobs().await;
        let next = attempts + 1;
        attempts = wait_for_job(&t, id, |j| j.attempts == next && j.locked_until.is_none())
            .await
            .attempts;
    }
    let job = wait_for_job(&t, id, |j| j.failed_at.is_some()).await;
    assert_eq!(job.attempts, lore_app::notifications::MAIL_ATTEMPTS);
    assert!(job.last_error.is_some());
    // Operators still see it, among the failed jobs.
    let failed = t.app.jobs(JobFilter::Failed, 10).await.expect("failed");
    assert_eq!(failed.iter().map(|j| j.id).collect::<Vec<_>>(), vec![id]);
    assert!(
        t.app
            .jobs(JobFilter::Pending, 10)
            .await
            .expect("pending")
            .is_empty()
    );
    t.clock.advance(time::Duration::days(2));
    assert_eq!(t.run_jobs().await, lore_app::jobs::JobCounts::default());
}

mail_story!(a_digest_gathers_the_day_into_one_mail);
async fn a_digest_gathers_the_day_into_one_mail(t: TestApp, mail: MailServer) {
    let ada = t.person("ada@acme.test", "Ada Lovelace", false).await;
    let all_digest: Vec<(&str, &str)> = NotificationKind::ALL
        .iter()
        .map(|k| (k.as_str(), "digest"))
        .collect();
    choose(&t, ada, &all_digest).await;
    for (kind, title) in [
        (NotificationKind::Reaction, "Someone found step 2 unclear"),
        (NotificationKind::Thread, "A new discussion on Onboarding"),
        (NotificationKind::SuggestedEdit, "An edit was suggested"),
    ] {
        t.app
            .notify(notice(ada, kind, title, "/courses/5/feedback"))
            .await
            .expect("notify");
    }
    // It is 09:00 UTC; the digest goes at 07:00. Nothing today.
    assert!(open_jobs(&t).await.is_empty());
    settle(&t).await;
    assert!(mail.mails().is_empty());

    // The next morning at seven, one mail lists all three.
    t.clock.advance(time::Duration::hours(22));
    t.run_jobs().await;
    let m = mail.wait_for_mail("ada@acme.test", WAIT).await;
    assert_eq!(m.subject, "Your Lore digest: 3 new notifications");
    for title in [
        "Someone found step 2 unclear",
        "A new discussion on Onboarding",
        "An edit was suggested",
    ] {
        assert!(m.text.contains(title), "{title} missing from {m:?}");
        assert!(m.html.contains(title), "{title} missing from {m:?}");
    }
    assert!(
        m.text
            .contains("https://lore.example.com/courses/5/feedback")
    );
    assert!(m.text.contains("https://lore.example.com/account#mail"));

    // Exactly one, however often the jobs run that day.
    settle(&t).await;
    wait_until_idle(&t).await;
    t.clock.advance(time::Duration::hours(1));
    settle(&t).await;
    assert_eq!(mail.mails_to("ada@acme.test").len(), 1);
}

mail_story!(never_means_no_mail_but_the_notification_is_there);
async fn never_means_no_mail_but_the_notification_is_there(t: TestApp, mail: MailServer) {
    let ada = t.person("ada@acme.test", "Ada Lovelace", false).await;
    choose(&t, ada, &[("reply", "never")]).await;
    t.app
        .notify(notice(
            ada,
            NotificationKind::Reply,
            "Bob answered your question",
            "/courses/3/threads/7",
        ))
        .await
        .expect("notify");
    assert!(open_jobs(&t).await.is_empty(), "no mail job was queued");

    // Another kind still mails at once: the server works, the choice is what keeps quiet.
    t.app
        .notify(notice(
            ada,
            NotificationKind::Mention,
            "Cleo mentioned you",
            "/courses/1",
        ))
        .await
        .expect("notify");
    let m = mail.wait_for_mail("ada@acme.test", WAIT).await;
    assert_eq!(m.subject, "Cleo mentioned you");
    wait_until_idle(&t).await;
    t.clock.advance(time::Duration::days(1));
    settle(&t).await;
    assert_eq!(mail.mails().len(), 1);

    let inbox = t
        .app
        .notifications(&caller(&t, ada).await, 10)
        .await
        .expect("notifications");
    let titles: Vec<&str> = inbox.iter().map(|n| n.title.as_str()).collect();
    assert_eq!(
        titles,
        vec!["Cleo mentioned you", "Bob answered your question"]
    );
    assert_eq!(
        t.app
            .unread_count(&caller(&t, ada).await)
            .await
            .expect("count"),
        2
    );
}

story!(mail_choices_are_saved_from_the_account_page);
async fn mail_choices_are_saved_from_the_account_page(t: TestApp) {
    let ada = t.person("ada@acme.test", "Ada Lovelace", false).await;
    let b = t.signed_in("ada@acme.test").await;
    let page = b.get("/account").await;
    page.expect_status(StatusCode::OK)
        .expect_contains("id=\"mail\"")
        .expect_contains("<select id=\"mail-reply\" name=\"reply\">")
        .expect_contains("Replies and answers to my posts");

    let mut form: Vec<(&'static str, &'static str)> = NotificationKind::ALL
        .iter()
        .map(|k| (k.as_str(), "instant"))
        .collect();
    fn set(form: &mut [(&'static str, &'static str)], kind: &str, mode: &'static str) {
        if let Some(field) = form.iter_mut().find(|(k, _)| *k == kind) {
            field.1 = mode;
        }
    }
    set(&mut form, "reply", "digest");
    set(&mut form, "mention", "never");
    let saved = b.post("/account/mail", &form).await;
    saved.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(saved.location(), "/account?notice=mail-choices-saved");
    let modes = || async {
        t.app
            .mail_choices(&caller(&t, ada).await)
            .await
            .expect("choices")
            .into_iter()
            .map(|c| (c.kind.as_str(), c.mode.as_str()))
            .collect::<Vec<_>>()
    };
    let before = modes().await;
    assert!(before.contains(&("reply", "digest")));
    assert!(before.contains(&("mention", "never")));
    assert!(before.contains(&("thread", "instant")));
    b.get("/account?notice=mail-choices-saved")
        .await
        .expect_contains("Mail and notification choices saved.")
        .expect_contains("<option value=\"digest\" selected>Daily digest</option>");

    // An unknown mode: refused with a clear message, and nothing changes — not even the
    // valid choices sent with it.
    set(&mut form, "mention", "instant");
    set(&mut form, "reply", "hourly");
    let refused = b.post("/account/mail", &form).await;
    refused
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains(
            "Replies and answers to my posts: choose instantly, daily digest or never.",
        );
    assert_eq!(modes().await, before);

    // Without the CSRF token nothing is saved either.
    let forged = b.post_raw("/account/mail", &[("reply", "never")]).await;
    assert!(forged.status.is_client_error(), "{}", forged.status);
    assert_eq!(modes().await, before);
}

story!(mail_choices_through_the_api);
async fn mail_choices_through_the_api(t: TestApp) {
    t.person("ada@acme.test", "Ada Lovelace", false).await;
    let b = t.signed_in("ada@acme.test").await;
    b.get("/account").await;
    let token = b
        .post("/account/tokens", &[("name", "mail settings")])
        .await
        .testid("new-token");
    let api = t.api(&token);

    let got = api.get("/me/notification-settings").await;
    got.expect_status(StatusCode::OK);
    let body = got.json();
    let choices = body["choices"].as_array().expect("choices");
    assert_eq!(choices.len(), NotificationKind::ALL.len());
    assert_eq!(choices[0]["mode"], "instant");
    assert!(choices[0]["label"].is_string());

    let put = api
        .send(
            reqwest::Method::PUT,
            "/me/notification-settings",
            Some(serde_json::json!({"choices": [
                {"kind": "reaction", "mode": "digest"},
                {"kind": "thread", "mode": "never"}
            ]})),
        )
        .await;
    put.expect_status(StatusCode::OK);
    let body = put.json();
    let mode_of = |body: &serde_json::Value, kind: &str| {
        body["choices"]
            .as_array()
            .expect("choices")
            .iter()
            .find(|c| c["kind"] == kind)
            .map(|c| c["mode"].as_str().unwrap_or("").to_owned())
            .expect("kind listed")
    };
    assert_eq!(mode_of(&body, "reaction"), "digest");
    assert_eq!(mode_of(&body, "thread"), "never");
    assert_eq!(mode_of(&body, "reply"), "instant");

    for bad in [
        serde_json::json!({"choices": [{"kind": "reaction", "mode": "never"}, {"kind": "reply", "mode": "hourly"}]}),
        serde_json::json!({"choices": [{"kind": "everything", "mode": "never"}]}),
    ] {
        let refused = api
            .send(reqwest::Method::PUT, "/me/notification-settings", Some(bad))
            .await;
        refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.json()["error"]["code"], "invalid_input");
    }
    let after = api.get("/me/notification-settings").await.json();
    assert_eq!(mode_of(&after, "reaction"), "digest", "nothing changed");
}
