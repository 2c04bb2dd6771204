//! The demo organisation: every role it prints can sign in and sees what the role allows.

use reqwest::StatusCode;

use crate::story;
use crate::support::TestApp;

async fn every_demo_role_can_sign_in(t: TestApp) {
    let sign_ins = lore_app::demo::seed(&t.app).await.expect("seed");
    // Seeding twice changes nothing (the demo command runs it at every start).
    let again = lore_app::demo::seed(&t.app).await.expect("seed again");
    assert_eq!(sign_ins.len(), again.len());
    assert!(t.user_count().await >= 30, "about thirty people");
    let roles: Vec<&str> = sign_ins.iter().map(|s| s.role).collect();
    for wanted in [
        "platform admin",
        "group admin",
        "coach",
        "author",
        "learner",
    ] {
        assert!(
            roles.iter().any(|r| r.starts_with(wanted)),
            "a {wanted} sign-in is printed"
        );
    }
    for s in &sign_ins {
        let b = t.browser();
        b.sign_in(&s.email, lore_app::demo::DEMO_PASSWORD)
            .await
            .expect_status(StatusCode::SEE_OTHER);
        let home = b.get("/").await;
        home.expect_status(StatusCode::OK);
        let first = s.name.split_whitespace().next().unwrap_or("");
        home.expect_contains(&format!("Hello, {first}"));
        let people = b.get("/people").await.status;
        if s.role == "platform admin" {
            assert_eq!(people, StatusCode::OK);
            home.expect_contains("Import people");
        } else {
            assert_eq!(
                people,
                StatusCode::FORBIDDEN,
                "{} may not list everyone",
                s.role
            );
            home.expect_contains("data-testid=\"my-groups\"")
                .expect_contains("Acme");
        }
    }
    let groups = t.app.store().all_groups().await.expect("groups");
    for name in ["Acme", "Engineering", "Sales", "Customer Success"] {
        assert!(groups.iter().any(|g| g.name == name), "{name} exists");
    }
}
story!(every_demo_role_can_sign_in);
