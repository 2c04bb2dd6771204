//! CSRF, error pages, and what never leaks.

use reqwest::StatusCode;

use crate::story;
use crate::support::TestApp;

/// A form without the CSRF token, or with a wrong one, is refused and changes nothing.
async fn forms_without_the_csrf_token_change_nothing(t: TestApp) {
    t.person("admin@acme.test", "Avery Admin", true).await;
    let admin = t.signed_in("admin@acme.test").await;
    admin.get("/groups").await;
    let missing = admin.post_raw("/groups", &[("name", "Forged")]).await;
    missing
        .expect_status(StatusCode::FORBIDDEN)
        .expect_contains("This form has expired");
    let wrong = admin
        .post_raw("/groups", &[("_csrf", "0000"), ("name", "Forged")])
        .await;
    wrong.expect_status(StatusCode::FORBIDDEN);
    assert!(t.app.store().all_groups().await.expect("groups").is_empty());

    // Signing in needs the token too (no login CSRF).
    let anon = t.browser();
    anon.post_raw(
        "/sign-in",
        &[
            ("email", "admin@acme.test"),
            ("password", crate::support::PASSWORD),
        ],
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);
}
story!(forms_without_the_csrf_token_change_nothing);

/// Error pages speak human and show no internals.
async fn error_pages_are_friendly(t: TestApp) {
    t.person("ann@acme.test", "Ann Lee", false).await;
    let ann = t.signed_in("ann@acme.test").await;
    ann.get("/no/such/page")
        .await
        .expect_status(StatusCode::NOT_FOUND)
        .expect_contains("Page not found");
    ann.get("/groups/abc")
        .await
        .expect_status(StatusCode::NOT_FOUND);
    ann.get("/groups/999999")
        .await
        .expect_status(StatusCode::NOT_FOUND);
    ann.get("/people/import")
        .await
        .expect_status(StatusCode::FORBIDDEN)
        .expect_contains("Not allowed");
    // Anonymous visitors are sent to sign in, and come back where they were going.
    let anon = t.browser();
    let r = anon.get("/account").await;
    assert_eq!(r.location(), "/sign-in?next=/account");
    anon.get("/sign-in?next=/account").await;
    let signed = anon
        .post(
            "/sign-in",
            &[
                ("email", "ann@acme.test"),
                ("password", crate::support::PASSWORD),
                ("next", "/account"),
            ],
        )
        .await;
    assert_eq!(signed.location(), "/account");
    // But never to another site.
    let evil = t.browser();
    evil.get("/sign-in").await;
    let r = evil
        .post(
            "/sign-in",
            &[
                ("email", "ann@acme.test"),
                ("password", crate::support::PASSWORD),
                ("next", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/");
    // Health checks.
    let health = anon.get("/readyz").await;
    health
        .expect_status(StatusCode::OK)
        .expect_contains("ready");
    assert!(health.headers.contains_key("x-request-id"));
}
story!(error_pages_are_friendly);

/// Every page forbids what an injected tag could use to run or load code: scripts from
/// elsewhere, a `<base>` redirecting relative links and scripts, plugins, framing.
async fn pages_forbid_foreign_scripts_base_and_plugins(t: TestApp) {
    t.person("ann@acme.test", "Ann Lee", false).await;
    let ann = t.signed_in("ann@acme.test").await;
    for path in ["/", "/courses", "/account"] {
        let page = ann.get(path).await;
        let csp = page
            .headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        for directive in [
            "script-src 'self'",
            "base-uri 'none'",
            "object-src 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(
                csp.split(';').any(|d| d.trim() == directive),
                "{path}: {directive} missing from {csp}"
            );
        }
    }
}
story!(pages_forbid_foreign_scripts_base_and_plugins);
