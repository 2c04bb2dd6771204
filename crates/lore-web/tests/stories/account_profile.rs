//! A person's account: their profile (name, photo, language, time zone), dates shown in
//! their time zone in one format, which notifications show in the app, marking one read,
//! and "Forgot your password?" by mail — or a clear word to ask an administrator.

use std::time::Duration;

use lore_app::notifications::Notice;
use lore_domain::notification::NotificationKind;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::api::token_for;
use crate::blobs::PNG_1X1;
use crate::story;
use crate::support::{Browser, MailServer, TestApp};

const WAIT: Duration = Duration::from_secs(20);

fn notice(user_id: i64, kind: NotificationKind, title: &str) -> Notice {
    Notice {
        user_id,
        kind,
        title: title.to_owned(),
        body: String::new(),
        link: "/courses".to_owned(),
        actor_id: None,
    }
}

async fn save_profile(b: &Browser, fields: &[(&str, &str)]) -> crate::support::Page {
    b.get("/account").await;
    b.post_multipart("/account/profile", fields, None).await
}

/// A person changes their name, time zone and language; an unknown time zone is refused on
/// the page and in the API, and changes nothing; a photo must be an uploaded image.
async fn a_profile_is_updated_and_a_bad_time_zone_refused(t: TestApp) {
    t.person("ada@acme.test", "Ada Lovelace", false).await;
    let ada = t.signed_in("ada@acme.test").await;
    ada.get("/account")
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("<option value=\"UTC\" selected>")
        .expect_contains("<option value=\"Europe/Paris\">");

    save_profile(
        &ada,
        &[
            ("name", "Ada King"),
            ("time_zone", "Europe/Paris"),
            ("language", "fr"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let page = ada.get("/account?notice=profile-saved").await;
    page.expect_contains("Profile saved.")
        .expect_contains("<option value=\"Europe/Paris\" selected>")
        .expect_contains("<option value=\"fr\" lang=\"fr\" selected>");
    assert_eq!(page.testid("signed-in-as"), "Ada King");

    let refused = save_profile(
        &ada,
        &[
            ("name", "Ada Byron"),
            ("time_zone", "Mars/Olympus_Mons"),
            ("language", "en"),
        ],
    )
    .await;
    refused
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("Choose a time zone from the list")
        .expect_contains("value=\"Ada Byron\"");

    let api = t.api(&token_for(&t, "ada@acme.test").await);
    let me = api.get("/me/profile").await;
    me.expect_status(StatusCode::OK);
    let me = me.json();
    assert_eq!(me["name"], "Ada King", "the refused form changed nothing");
    assert_eq!(me["time_zone"], "Europe/Paris");
    assert_eq!(me["language"], "fr");
    assert_eq!(me["photo"], serde_json::Value::Null);

    let bad = api
        .send(
            Method::PATCH,
            "/me/profile",
            Some(json!({ "time_zone": "Nowhere/Else", "name": "Someone Else" })),
        )
        .await;
    bad.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["error"]["code"], "invalid_input");
    let good = api
        .send(
            Method::PATCH,
            "/me/profile",
            Some(json!({ "time_zone": "Asia/Tokyo" })),
        )
        .await;
    good.expect_status(StatusCode::OK);
    assert_eq!(good.json()["time_zone"], "Asia/Tokyo");
    assert_eq!(good.json()["name"], "Ada King");

    // A photo: an image uploaded to Lore, shown on the account page; anything else refused.
    let uploaded = ada
        .post_multipart(
            "/blobs",
            &[("purpose", "image")],
            Some(("me.png", "image/png", PNG_1X1.to_vec())),
        )
        .await;
    uploaded.expect_status(StatusCode::CREATED);
    let hash = uploaded.json()["hash"].as_str().expect("hash").to_owned();
    api.send(
        Method::PATCH,
        "/me/profile",
        Some(json!({ "photo": "0".repeat(64) })),
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);
    api.send(Method::PATCH, "/me/profile", Some(json!({ "photo": hash })))
        .await
        .expect_status(StatusCode::OK);
    ada.get("/account")
        .await
        .expect_contains(&format!("src=\"/blobs/{hash}\""));
}
story!(a_profile_is_updated_and_a_bad_time_zone_refused);

/// Dates on pages read "2 Nov 2026, 09:00" in the reader's own time zone, daylight saving
/// time included.
async fn dates_show_in_the_readers_time_zone(t: TestApp) {
    let ada_id = t.person("ada@acme.test", "Ada Lovelace", false).await;
    t.app
        .notify(notice(
            ada_id,
            NotificationKind::Mention,
            "Bo mentioned you",
        ))
        .await
        .expect("notify");
    let ada = t.signed_in("ada@acme.test").await;
    ada.get("/notifications")
        .await
        .expect_contains("2 Nov 2026, 09:00");
    ada.get("/account")
        .await
        .expect_contains("last active 2 Nov 2026, 09:00")
        .expect_lacks(" UTC</span>");

    // New York left daylight saving time on 1 November: five hours behind.
    save_profile(&ada, &[("time_zone", "America/New_York")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    ada.get("/notifications")
        .await
        .expect_contains("2 Nov 2026, 04:00")
        .expect_lacks("2 Nov 2026, 09:00");
    save_profile(&ada, &[("time_zone", "Asia/Tokyo")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    ada.get("/notifications")
        .await
        .expect_contains("2 Nov 2026, 18:00");
    ada.get("/account")
        .await
        .expect_contains("last active 2 Nov 2026, 18:00");
}
story!(dates_show_in_the_readers_time_zone);

/// Each notification can be marked read on its own; someone else's cannot; kinds the person
/// hides stay out of the list and the unread count.
async fn notifications_are_marked_read_one_by_one(t: TestApp) {
    let ada_id = t.person("ada@acme.test", "Ada Lovelace", false).await;
    let bo_id = t.person("bo@acme.test", "Bo Chen", false).await;
    let first = t
        .app
        .notify(notice(
            ada_id,
            NotificationKind::Mention,
            "Bo mentioned you",
        ))
        .await
        .expect("notify")
        .expect("stored");
    let second = t
        .app
        .notify(notice(ada_id, NotificationKind::Reply, "Cy answered you"))
        .await
        .expect("notify")
        .expect("stored");
    let bos = t
        .app
        .notify(notice(bo_id, NotificationKind::Reply, "For Bo only"))
        .await
        .expect("notify")
        .expect("stored");

    let ada = t.signed_in("ada@acme.test").await;
    let page = ada.get("/notifications").await;
    page.expect_contains(&format!("data-testid=\"mark-read-{}\"", first.id))
        .expect_contains(&format!("data-testid=\"mark-read-{}\"", second.id));
    assert_eq!(page.testid("unread-count"), "2");

    let marked = ada
        .post(&format!("/notifications/{}/read", first.id), &[])
        .await;
    marked.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(marked.location(), "/notifications?notice=notification-read");
    let page = ada.get("/notifications").await;
    page.expect_lacks(&format!("data-testid=\"mark-read-{}\"", first.id))
        .expect_contains(&format!("data-testid=\"mark-read-{}\"", second.id))
        .expect_contains("Bo mentioned you");
    assert_eq!(page.testid("unread-count"), "1");

    ada.post(&format!("/notifications/{}/read", bos.id), &[])
        .await
        .expect_status(StatusCode::NOT_FOUND);
    let still = t
        .app
        .store()
        .notification(bos.id)
        .await
        .expect("read")
        .expect("exists");
    assert!(still.read_at.is_none(), "Bo's notification stays unread");

    // Ada hides replies in the app (their mail stays as it was).
    let mut fields: Vec<(String, String)> = vec![("in_app_choices".to_owned(), "1".to_owned())];
    for kind in NotificationKind::ALL {
        fields.push((kind.as_str().to_owned(), "never".to_owned()));
        if kind != NotificationKind::Reply {
            fields.push((format!("app-{}", kind.as_str()), "1".to_owned()));
        }
    }
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    ada.get("/account").await;
    // Without the marker (a form of before), mail modes change and nothing gets hidden.
    let mail_only: Vec<(&str, &str)> = NotificationKind::ALL
        .iter()
        .map(|k| (k.as_str(), "never"))
        .collect();
    ada.post("/account/mail", &mail_only)
        .await
        .expect_status(StatusCode::SEE_OTHER);
    ada.get("/account")
        .await
        .expect_contains("name=\"app-reply\" value=\"1\" checked");
    ada.post("/account/mail", &fields)
        .await
        .expect_status(StatusCode::SEE_OTHER);
    ada.get("/account")
        .await
        .expect_contains("name=\"app-mention\" value=\"1\" checked")
        .expect_contains("name=\"app-reply\" value=\"1\">");
    t.app
        .notify(notice(ada_id, NotificationKind::Reply, "Hidden reply"))
        .await
        .expect("notify");
    t.app
        .notify(notice(ada_id, NotificationKind::Mention, "Shown mention"))
        .await
        .expect("notify");
    let page = ada.get("/notifications").await;
    page.expect_contains("Shown mention")
        .expect_lacks("Hidden reply")
        .expect_lacks("Cy answered you");
    assert_eq!(page.testid("unread-count"), "1");
}
story!(notifications_are_marked_read_one_by_one);

/// Without mail, "Forgot your password?" says to ask an administrator, and sends nothing.
async fn without_mail_people_are_told_to_ask_an_administrator(t: TestApp) {
    t.person("ada@acme.test", "Ada Lovelace", false).await;
    let anon = t.browser();
    anon.get("/sign-in")
        .await
        .expect_contains("href=\"/forgot-password\"")
        .expect_contains("Forgot your password?");
    let page = anon.get("/forgot-password").await;
    page.expect_status(StatusCode::OK);
    assert!(page.testid("ask-an-admin").contains("Ask an administrator"));
    let refused = anon
        .post("/forgot-password", &[("email", "ada@acme.test")])
        .await;
    refused
        .expect_status(StatusCode::CONFLICT)
        .expect_contains("Ask an administrator");
    assert!(
        t.app
            .jobs(lore_store::JobFilter::Pending, 10)
            .await
            .expect("jobs")
            .is_empty()
    );
}
story!(without_mail_people_are_told_to_ask_an_administrator);

/// The reset link in a mail, as a path inside Lore.
fn link_in(text: &str) -> String {
    let start = text.find("/welcome/").expect("a link in the mail");
    text[start..]
        .split_whitespace()
        .next()
        .expect("link")
        .to_owned()
}

async fn wait_for_mails(mail: &MailServer, to: &str, n: usize) -> Vec<crate::support::Mail> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let got = mail.mails_to(to);
        if got.len() >= n {
            return got;
        }
        assert!(std::time::Instant::now() < deadline, "no mail {n} to {to}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn forgot(b: &Browser, email: &str) -> crate::support::Page {
    b.get("/forgot-password").await;
    b.post("/forgot-password", &[("email", email)]).await
}

/// "Forgot your password?" mails a link that works once, within the hour; an unknown
/// address gets the same answer and no mail; asking too often is slowed down.
async fn a_forgotten_password_is_reset_by_mail(t: TestApp, mail: MailServer) {
    t.person("ada@acme.test", "Ada Lovelace", false).await;
    let anon = t.browser();

    let known = forgot(&anon, "ada@acme.test").await;
    let unknown = forgot(&anon, "nobody@acme.test").await;
    known.expect_status(StatusCode::SEE_OTHER);
    unknown.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(
        known.location(),
        unknown.location(),
        "no account enumeration"
    );
    anon.get(&known.location())
        .await
        .expect_contains("If that address has an account");

    let first = wait_for_mails(&mail, "ada@acme.test", 1).await;
    assert_eq!(first[0].subject, "Reset your Lore password");
    let link = link_in(&first[0].text);
    assert!(
        first[0]
            .text
            .contains(&format!("https://lore.example.com{link}")),
        "{:?}",
        first[0]
    );

    // Past the hour, the link is dead.
    t.clock.advance(time::Duration::minutes(61));
    anon.get(&link)
        .await
        .expect_status(StatusCode::GONE)
        .expect_contains("expired");

    // A new one works once and signs Ada in with her new password.
    forgot(&anon, "ada@acme.test")
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let second = wait_for_mails(&mail, "ada@acme.test", 2).await;
    let link = link_in(&second[1].text);
    anon.get(&link).await.expect_status(StatusCode::OK);
    let set = anon
        .post(&link, &[("password", "a brand new passphrase")])
        .await;
    set.expect_status(StatusCode::SEE_OTHER);
    let again = t.browser();
    again.get(&link).await.expect_status(StatusCode::GONE);
    again
        .sign_in("ada@acme.test", "a brand new passphrase")
        .await
        .expect_status(StatusCode::SEE_OTHER);

    // Nothing ever went to the unknown address.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(mail.mails_to("nobody@acme.test").is_empty());
    assert_eq!(mail.mails().len(), 2);

    // Signed in now, Ada is sent to her account page to change her password there.
    let to_account = anon.get("/forgot-password").await;
    to_account.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(to_account.location(), "/account");

    // Asking again and again for one address is slowed down, known or not.
    let anon = t.browser();
    for _ in 0..5 {
        forgot(&anon, "ghost@acme.test")
            .await
            .expect_status(StatusCode::SEE_OTHER);
    }
    forgot(&anon, "ghost@acme.test")
        .await
        .expect_status(StatusCode::TOO_MANY_REQUESTS)
        .expect_contains("Too many attempts");
}

mod a_forgotten_password_is_reset_by_mail {
    use crate::support::Db;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        let (t, mail) = crate::mail::with_mail(Db::Sqlite, true)
            .await
            .expect("sqlite test app");
        super::a_forgotten_password_is_reset_by_mail(t, mail).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        match crate::mail::with_mail(Db::Postgres, true).await {
            Some((t, mail)) => super::a_forgotten_password_is_reset_by_mail(t, mail).await,
            None => eprintln!("PostgreSQL story skipped: LORE_TEST_DATABASE_URL is not set"),
        }
    }
}

/// The admin overview says whether mail is configured.
async fn the_overview_says_mail_is_on(t: TestApp, _mail: MailServer) {
    t.person("root@acme.test", "Root Admin", true).await;
    let root = t.signed_in("root@acme.test").await;
    let page = root.get("/admin").await;
    page.expect_status(StatusCode::OK);
    assert!(page.testid("mail-state").contains("configured"));
    page.expect_lacks("not configured");
}

mod the_overview_says_mail_is_on {
    use crate::support::Db;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_sqlite() {
        let (t, mail) = crate::mail::with_mail(Db::Sqlite, true)
            .await
            .expect("sqlite test app");
        super::the_overview_says_mail_is_on(t, mail).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_postgres() {
        match crate::mail::with_mail(Db::Postgres, true).await {
            Some((t, mail)) => super::the_overview_says_mail_is_on(t, mail).await,
            None => eprintln!("PostgreSQL story skipped: LORE_TEST_DATABASE_URL is not set"),
        }
    }
}
