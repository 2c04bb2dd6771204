//! Two servers on one database behave as one: a session made on one works on the other;
//! sign-out, deactivation and role changes take effect on both at once; a live unread count
//! reaches a person connected to the other server; a job runs once however many workers
//! there are; a file uploaded through one is served by the other.

use std::time::Duration;

use lore_app::notifications::Notice;
use lore_domain::notification::NotificationKind;
use reqwest::StatusCode;

use crate::feedback::next_unread;
use crate::support::{Db, MailServer, TestApp};

async fn two_servers_behave_as_one(db: Db) {
    let mail = MailServer::start().await;
    let url = mail.url();
    let Some(a) = TestApp::spawn_with(db, |s| {
        s.mail.smtp_url = Some(url);
        s.mail.public_url = "https://lore.example.com".to_owned();
        s.mail.from = "Lore <lore@acme.test>".to_owned();
    })
    .await
    else {
        eprintln!("PostgreSQL story skipped: LORE_TEST_DATABASE_URL is not set");
        return;
    };
    let b = a.second_server().await;
    assert_ne!(a.base, b.base);
    a.person("admin@acme.test", "Avery Admin", true).await;
    let acme = a.group(None, "Acme").await;
    let lia = a.person("lia@acme.test", "Lia Learner", false).await;
    a.member(lia, acme, "learner").await;

    // A session made on A works on B.
    let on_a = a.signed_in("lia@acme.test").await;
    let on_b = on_a.moved_to(&b.base);
    on_b.get("/")
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("data-testid=\"signed-in-as\"");

    // A role given through A shows on B at the next request.
    on_b.get("/people/invite")
        .await
        .expect_status(StatusCode::FORBIDDEN);
    a.member(lia, acme, "admin").await;
    on_b.get("/people/invite")
        .await
        .expect_status(StatusCode::OK);

    // A live count: Lia listens on B, a notification is made on A.
    let mut live = on_b.stream("/notifications/stream").await;
    assert_eq!(live.status(), StatusCode::OK);
    assert_eq!(next_unread(&mut live).await, 0);
    a.app
        .notify(Notice {
            user_id: lia,
            kind: NotificationKind::Reply,
            title: "Bo answered your question".to_owned(),
            body: "Details.".to_owned(),
            link: "/courses".to_owned(),
            actor_id: None,
        })
        .await
        .expect("notify")
        .expect("stored");
    assert_eq!(next_unread(&mut live).await, 1, "B hears what A stored");
    drop(live);

    // Both workers run; the mail goes once.
    let m = mail
        .wait_for_mail("lia@acme.test", Duration::from_secs(20))
        .await;
    assert_eq!(m.subject, "Bo answered your question");
    a.run_jobs().await;
    b.run_jobs().await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(
        mail.mails_to("lia@acme.test").len(),
        1,
        "one mail, not one per server"
    );

    // A file uploaded through A is served by B.
    let admin_a = a.signed_in("admin@acme.test").await;
    admin_a.get("/account").await; // a page, for the form token
    let png = crate::blobs::PNG_1X1.to_vec();
    let uploaded = admin_a
        .post_multipart(
            "/blobs",
            &[("purpose", "image")],
            Some(("dot.png", "image/png", png.clone())),
        )
        .await;
    uploaded.expect_status(StatusCode::CREATED);
    let hash = uploaded.json()["hash"]
        .as_str()
        .expect("the upload answers its hash")
        .to_owned();
    let got = admin_a
        .moved_to(&b.base)
        .get_bytes(&format!("/blobs/{hash}"), &[])
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.bytes, png, "B serves the bytes A stored");

    // Deactivated through A: refused on B at once.
    let admin = a.caller("admin@acme.test").await;
    a.app.deactivate(&admin, lia).await.expect("deactivate");
    let gone = on_b.get("/").await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.body);
    assert!(
        gone.location().starts_with("/sign-in"),
        "{}",
        gone.location()
    );

    // Signed out on A: the session is gone on B too.
    let admin_b = admin_a.moved_to(&b.base);
    admin_b.get("/").await.expect_status(StatusCode::OK);
    admin_a.get("/").await;
    admin_a
        .post("/sign-out", &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let after = admin_b.get("/").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.location().starts_with("/sign-in"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgresql_behave_as_one() {
    two_servers_behave_as_one(Db::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_sqlite_file_behave_as_one() {
    two_servers_behave_as_one(Db::Sqlite).await;
}
