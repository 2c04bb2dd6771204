//! What knowing who a request is from costs: one statement for a session or an API token,
//! however many groups the person is in; nothing about them is kept between requests, so a
//! deactivation, a sign-out elsewhere or a new role shows on their very next request; and a
//! session that slides forward gets its cookie again with the new lifetime.

use reqwest::StatusCode;

use crate::story;
use lore_app::Clock;

use crate::support::{Page, TestApp};

/// How many statements a request ran (the server reports it to tests).
fn statements(page: &Page) -> u64 {
    page.headers
        .get("x-lore-statements")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a statement count")
}

/// The `Set-Cookie` headers of a response that set or remove the session cookie.
fn session_cookies(page: &Page) -> Vec<String> {
    page.headers
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter(|v| v.starts_with("lore_session="))
        .map(str::to_owned)
        .collect()
}

/// A cookie's `Max-Age`, in seconds.
fn max_age(cookie: &str) -> Option<i64> {
    cookie.split(';').find_map(|part| {
        part.trim()
            .strip_prefix("Max-Age=")
            .and_then(|v| v.parse().ok())
    })
}

/// Acme > Engineering > Platform, and Sales beside Engineering; Bo is a learner in Platform
/// and an author in Sales, and has a notification waiting. Returns Bo's id and the groups.
async fn bo_in_groups(t: &TestApp) -> (i64, [i64; 4]) {
    let bo = t.person("bo@acme.test", "Bo Reyes", false).await;
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let platform = t.group(Some(eng), "Platform").await;
    let sales = t.group(Some(acme), "Sales").await;
    t.member(bo, platform, "learner").await;
    t.member(bo, sales, "author").await;
    (bo, [acme, eng, platform, sales])
}

/// A signed-in request costs one statement more than the same request without a session,
/// and a bearer token costs one statement too, with the person in several groups of a tree
/// (reading the session, the person, the memberships, the group tree and the unread count
/// one by one took five).
async fn a_signed_in_request_costs_one_statement(t: TestApp) {
    let (bo_id, _) = bo_in_groups(&t).await;
    let bo = t.signed_in("bo@acme.test").await;
    let anonymous = t.browser();

    // `/healthz` runs no statement of its own: all a session adds is its lookup.
    let without = anonymous.get("/healthz").await;
    without.expect_status(StatusCode::OK);
    let with = bo.get("/healthz").await;
    with.expect_status(StatusCode::OK);
    assert_eq!(
        statements(&with),
        statements(&without) + 1,
        "a session costs one statement"
    );

    // The same API call with the session or with a token runs as many statements: the token
    // is looked up, with its person, in one statement too.
    bo.get("/account").await.expect_status(StatusCode::OK);
    let token = bo
        .post("/account/tokens", &[("name", "cost story")])
        .await
        .expect_status(StatusCode::OK)
        .testid("new-token");
    let api = t.api(&token);
    // The first use records when the token was used (a write, at most once a minute).
    api.get("/me").await.expect_status(StatusCode::OK);
    let by_token = api.get("/me").await;
    by_token.expect_status(StatusCode::OK);
    let by_session = bo.get("/api/v1/me").await;
    by_session.expect_status(StatusCode::OK);
    assert_eq!(by_token.json(), by_session.json());
    assert_eq!(statements(&by_token), statements(&by_session));

    // Loading a caller by id (background work, the command line) is one statement as well.
    let (caller, n) = lore_app::count_statements(t.app.caller(bo_id)).await;
    assert!(caller.expect("caller").is_some());
    assert_eq!(n, 1, "a caller by id costs one statement");
}
story!(a_signed_in_request_costs_one_statement);

/// The one statement finds the same person the policy knew before: the memberships, every
/// group at or above them and nothing beside them; a membership whose role the app does not
/// know is skipped with the groups above it; a deactivated person is nobody.
async fn the_lookup_knows_the_groups_above_each_membership(t: TestApp) {
    let (bo_id, [acme, eng, platform, sales]) = bo_in_groups(&t).await;
    let elsewhere = t.group(None, "Elsewhere").await;
    let beyond = t.group(Some(elsewhere), "Beyond").await;
    t.app
        .store()
        .put_membership(bo_id, beyond, "overlord", t.clock.now())
        .await
        .expect("a membership with a role no one knows");
    let bo = t.caller("bo@acme.test").await;
    let mut within: Vec<i64> = bo.actor.within.iter().map(|g| g.0).collect();
    within.sort();
    let mut expected = vec![acme, eng, platform, sales];
    expected.sort();
    assert_eq!(within, expected);
    let memberships: Vec<(i64, String)> = bo
        .actor
        .memberships
        .iter()
        .map(|(g, r)| (g.0, r.as_str().to_owned()))
        .collect();
    assert_eq!(
        memberships,
        vec![
            (platform, "learner".to_owned()),
            (sales, "author".to_owned())
        ]
    );

    lore_app::people::operator::set_active(&t.app, "bo@acme.test", false)
        .await
        .expect("deactivate");
    assert!(t.app.caller(bo_id).await.expect("caller").is_none());
}
story!(the_lookup_knows_the_groups_above_each_membership);

/// Nothing about a person is kept between requests: deactivated, signed out elsewhere or
/// given a new role, their very next request sees it.
async fn the_next_request_sees_what_changed(t: TestApp) {
    t.person("admin@acme.test", "Avery Admin", true).await;
    let (bo_id, [_, _, platform, _]) = bo_in_groups(&t).await;
    let laptop = t.signed_in("bo@acme.test").await;
    let phone = t.signed_in("bo@acme.test").await;
    laptop.get("/account").await.expect_status(StatusCode::OK);
    let token = laptop
        .post("/account/tokens", &[("name", "my script")])
        .await
        .expect_status(StatusCode::OK)
        .testid("new-token");
    let api = t.api(&token);

    // A new role: the home page and the API say so at once.
    let role_in_platform = |me: serde_json::Value| {
        me["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .find(|g| g["id"] == platform)
            .map(|g| g["role"].as_str().unwrap_or_default().to_owned())
    };
    assert_eq!(
        role_in_platform(api.get("/me").await.json()).as_deref(),
        Some("learner")
    );
    laptop
        .get("/")
        .await
        .expect_status(StatusCode::OK)
        .expect_lacks("badge-coach");
    t.member(bo_id, platform, "coach").await;
    laptop
        .get("/")
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("badge-coach");
    assert_eq!(
        role_in_platform(api.get("/me").await.json()).as_deref(),
        Some("coach")
    );
    assert_eq!(
        role_in_platform(laptop.get("/api/v1/me").await.json()).as_deref(),
        Some("coach")
    );

    // Signed out elsewhere: the phone's next request goes to the sign-in page.
    laptop.get("/account").await;
    laptop
        .post("/account/sessions/revoke-others", &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let phone_after = phone.get("/account").await;
    phone_after.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(phone_after.location(), "/sign-in?next=/account");
    // ... and the browser is told to forget the dead cookie.
    let forgotten = session_cookies(&phone_after);
    assert_eq!(forgotten.len(), 1, "{forgotten:?}");
    assert_eq!(max_age(&forgotten[0]), Some(0), "{}", forgotten[0]);
    laptop.get("/account").await.expect_status(StatusCode::OK);

    // Deactivated: the browser goes to the sign-in page, the token is refused.
    let admin = t.signed_in("admin@acme.test").await;
    admin.get(&format!("/people/{bo_id}")).await;
    admin
        .post(&format!("/people/{bo_id}/deactivate"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let after = laptop.get("/account").await;
    after.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(after.location(), "/sign-in?next=/account");
    api.get("/me").await.expect_status(StatusCode::UNAUTHORIZED);
}
story!(the_next_request_sees_what_changed);

/// When a request slides the session's expiry forward, the cookie comes again with a
/// `Max-Age` as long as the session now lives; requests in between leave it alone; signing
/// out removes it even when the session was due to slide.
async fn a_sliding_session_renews_its_cookie(t: TestApp) {
    t.person("cy@acme.test", "Cy Young", false).await;
    let cy = t.browser();
    let signed_in = cy.sign_in("cy@acme.test", crate::support::PASSWORD).await;
    signed_in.expect_status(StatusCode::SEE_OTHER);
    let issued = session_cookies(&signed_in);
    assert_eq!(issued.len(), 1, "{issued:?}");
    let thirty_days = time::Duration::days(30).whole_seconds();
    assert_eq!(max_age(&issued[0]), Some(thirty_days));

    // Within the minute nothing slides and no cookie is sent.
    let soon = cy.get("/").await;
    soon.expect_status(StatusCode::OK);
    assert!(session_cookies(&soon).is_empty(), "{:?}", soon.headers);

    // Twenty days on, the session slides to thirty days from now, and so does the cookie.
    t.clock.advance(time::Duration::days(20));
    let later = cy.get("/").await;
    later.expect_status(StatusCode::OK);
    let renewed = session_cookies(&later);
    assert_eq!(renewed.len(), 1, "{renewed:?}");
    assert_eq!(max_age(&renewed[0]), Some(thirty_days));
    assert_eq!(
        renewed[0].split(';').next(),
        issued[0].split(';').next(),
        "the same session, sent again"
    );
    assert!(renewed[0].contains("HttpOnly"), "{}", renewed[0]);
    // The request right after does not send it again.
    let next = cy.get("/account").await;
    next.expect_status(StatusCode::OK);
    assert!(session_cookies(&next).is_empty());

    // Twenty more days: past the first thirty, still signed in (the session slid).
    t.clock.advance(time::Duration::days(20));
    cy.get("/account")
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Cy Young");

    // Signing out when the session is due to slide again removes the cookie; nothing
    // sends it back.
    t.clock.advance(time::Duration::days(2));
    let out = cy.post("/sign-out", &[]).await;
    out.expect_status(StatusCode::SEE_OTHER);
    let removed = session_cookies(&out);
    assert_eq!(removed.len(), 1, "{removed:?}");
    assert_eq!(max_age(&removed[0]), Some(0), "{}", removed[0]);
    let gone = cy.get("/account").await;
    gone.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(gone.location(), "/sign-in?next=/account");
}
story!(a_sliding_session_renews_its_cookie);
