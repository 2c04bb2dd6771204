//! Stories pass on any date: the server's clock may be a year behind or ahead of the real
//! one (as the story clock is, sooner or later) and a browser still keeps its session, because
//! the session cookie's lifetime is counted by the browser's clock, not the server's.

use reqwest::StatusCode;

use crate::story;
use crate::support::TestApp;

fn a_year_before_today() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc() - time::Duration::days(365)
}

fn a_year_after_today() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc() + time::Duration::days(365)
}

/// Sign in, move between pages, make and use an API token; the session ends when the
/// server's clock says so, not before.
async fn a_session_lives_by_the_servers_clock(t: TestApp) {
    t.person("ada@acme.test", "Ada Lovelace", false).await;
    let ada = t.signed_in("ada@acme.test").await;
    ada.get("/").await.expect_status(StatusCode::OK);
    ada.get("/account").await.expect_status(StatusCode::OK);
    let token = ada
        .post("/account/tokens", &[("name", "clock story")])
        .await
        .expect_status(StatusCode::OK)
        .testid("new-token");
    t.api(&token).get("/me").await.expect_status(StatusCode::OK);

    // Four weeks of server time later, still signed in (the browser kept its cookie).
    t.clock.advance(time::Duration::days(28));
    ada.get("/account")
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Ada Lovelace");

    // A month without use ends the session: the server says so, whatever the real date.
    t.clock.advance(time::Duration::days(31));
    let after = ada.get("/account").await;
    after.expect_status(StatusCode::SEE_OTHER);
    assert!(
        after.location().starts_with("/sign-in"),
        "{}",
        after.location()
    );
}
story!(
    a_session_lives_by_the_servers_clock_a_year_ago,
    starts = super::a_year_before_today()
);
story!(
    a_session_lives_by_the_servers_clock_a_year_ahead,
    starts = super::a_year_after_today()
);

async fn a_session_lives_by_the_servers_clock_a_year_ago(t: TestApp) {
    a_session_lives_by_the_servers_clock(t).await;
}

async fn a_session_lives_by_the_servers_clock_a_year_ahead(t: TestApp) {
    a_session_lives_by_the_servers_clock(t).await;
}
