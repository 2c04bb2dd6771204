//! An operator's Prometheus reads `/metrics`: requests per route template (never a raw id),
//! the database pool, the statements run and the job queue. Only allowed addresses (loopback
//! by default) and platform administrators' tokens get it; everyone else sees the site's
//! ordinary "not found".

use reqwest::StatusCode;

use crate::api::token_for;
use crate::story;
use crate::support::{Download, TestApp};
use lore_app::Clock;

const COURSE_ROUTE: &str = "method=\"GET\",route=\"/courses/{id}\",status=\"2xx\"";

/// An administrator, and Ada who writes a published course in Acme, where Bo learns.
async fn acme_with_a_course(t: &TestApp) -> i64 {
    t.person("root@acme.test", "Root Admin", true).await;
    let acme = t.group(None, "Acme").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, acme, "author").await;
    let bo = t.person("bo@acme.test", "Bo Learner", false).await;
    t.member(bo, acme, "learner").await;
    let ada = t.caller("ada@acme.test").await;
    t.published_course(&ada, "Checklists").await
}

/// `GET /metrics` with these headers, from 127.0.0.1 like every test client.
async fn scrape(t: &TestApp, headers: &[(&str, &str)]) -> Download {
    t.browser().get_bytes("/metrics", headers).await
}

fn text(d: &Download) -> String {
    String::from_utf8_lossy(&d.bytes).into_owned()
}

/// The value of the series `name{labels}` (or `name` when `labels` is empty), if present.
fn series(exposition: &str, name: &str, labels: &str) -> Option<f64> {
    let key = if labels.is_empty() {
        name.to_owned()
    } else {
        format!("{name}{{{labels}}}")
    };
    exposition.lines().find_map(|line| {
        let (series, value) = line.rsplit_once(' ')?;
        (series == key).then(|| value.parse().ok()).flatten()
    })
}

#[track_caller]
fn value(exposition: &str, name: &str) -> f64 {
    series(exposition, name, "").unwrap_or_else(|| panic!("no {name} in:\n{exposition}"))
}

/// Every value the `route` label takes.
fn routes(exposition: &str) -> Vec<String> {
    let mut found: Vec<String> = exposition
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let start = l.find("route=\"")? + "route=\"".len();
            let end = l[start..].find('"')?;
            Some(l[start..start + end].to_owned())
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

/// From 127.0.0.1 with the default configuration, `/metrics` answers in the Prometheus text
/// format, and a course page shows up under its route template with its latency, next to
/// the statements run, the pool and the job queue.
async fn loopback_reads_requests_pool_statements_and_jobs(mut t: TestApp) {
    let course = acme_with_a_course(&t).await;
    let ada = t.signed_in("ada@acme.test").await;

    let before = scrape(&t, &[]).await;
    assert_eq!(before.status, StatusCode::OK, "{}", text(&before));
    assert_eq!(
        before.header("content-type"),
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let before = text(&before);
    let count = "lore_http_request_duration_seconds_count";
    let seen_before = series(&before, count, COURSE_ROUTE).unwrap_or(0.0);

    for _ in 0..2 {
        ada.get(&format!("/courses/{course}"))
            .await
            .expect_status(StatusCode::OK);
    }
    let after = text(&scrape(&t, &[]).await);
    assert_eq!(
        series(&after, count, COURSE_ROUTE),
        Some(seen_before + 2.0),
        "{after}"
    );
    assert_eq!(
        series(&after, "lore_http_requests_total", COURSE_ROUTE),
        Some(seen_before + 2.0),
        "{after}"
    );
    let slowest_bucket = format!("{COURSE_ROUTE},le=\"+Inf\"");
    assert_eq!(
        series(
            &after,
            "lore_http_request_duration_seconds_bucket",
            &slowest_bucket
        ),
        Some(seen_before + 2.0),
        "{after}"
    );
    assert!(value(&after, "lore_db_statements_total") > 0.0);
    assert!(value(&after, "lore_db_statements_total") > value(&before, "lore_db_statements_total"));
    let open = value(&after, "lore_db_pool_connections");
    assert!(open >= 1.0, "{after}");
    assert_eq!(
        value(&after, "lore_db_pool_idle_connections")
            + value(&after, "lore_db_pool_in_use_connections"),
        open
    );
    assert!(value(&after, "lore_db_pool_max_connections") >= open);
    // The scrape itself is in flight while it is answered.
    assert!(value(&after, "lore_http_requests_in_flight") >= 1.0);
    assert_eq!(value(&after, "lore_live_streams"), 0.0);

    // The queue: with no worker running, a due job waits; once run (no worker knows its
    // kind) it has failed for good.
    t.stop_worker().await;
    let idle = text(&scrape(&t, &[]).await);
    let waiting = value(&idle, "lore_jobs_waiting");
    let failed = value(&idle, "lore_jobs_failed");
    let now = t.clock.now();
    t.app
        .store()
        .enqueue_job("story.unknown", "{}".to_owned(), now, 1, now)
        .await
        .expect("enqueue");
    let queued = text(&scrape(&t, &[]).await);
    assert_eq!(
        value(&queued, "lore_jobs_waiting"),
        waiting + 1.0,
        "{queued}"
    );
    assert_eq!(value(&queued, "lore_jobs_failed"), failed);
    t.run_jobs().await;
    let ran = text(&scrape(&t, &[]).await);
    assert_eq!(value(&ran, "lore_jobs_waiting"), 0.0, "{ran}");
    assert_eq!(value(&ran, "lore_jobs_failed"), failed + 1.0, "{ran}");
}
story!(loopback_reads_requests_pool_statements_and_jobs);

/// A live notification stream counts while it is open.
async fn live_streams_are_counted_while_open(t: TestApp) {
    acme_with_a_course(&t).await;
    let bo = t.signed_in("bo@acme.test").await;
    let stream = bo.stream("/notifications/stream").await;
    assert_eq!(stream.status(), StatusCode::OK);
    let open = text(&scrape(&t, &[]).await);
    assert_eq!(value(&open, "lore_live_streams"), 1.0, "{open}");
    drop(stream);
    // The server notices the closed connection on its next write or poll: wait for it.
    let mut closed = f64::NAN;
    for _ in 0..100 {
        closed = value(&text(&scrape(&t, &[]).await), "lore_live_streams");
        if closed == 0.0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(closed, 0.0);
}
story!(live_streams_are_counted_while_open);

/// With an allow-list that leaves loopback out, an anonymous scrape and a learner's token
/// get the site's "not found"; a platform administrator's token (or session) gets the
/// figures. A request that came through a proxy is never let in by its peer address unless
/// forwarded headers are trusted, and then the forwarded address decides.
async fn elsewhere_only_an_administrator_reads_metrics(mut t: TestApp) {
    acme_with_a_course(&t).await;
    let admin_token = token_for(&t, "root@acme.test").await;
    let learner_token = token_for(&t, "bo@acme.test").await;
    let lan = lore_web::AddressRange::parse("10.0.0.0/8").expect("range");
    t.serve_with(|o| o.metrics_allow = vec![lan]).await;

    let missing = t.browser().get_bytes("/no-such-page", &[]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let anonymous = scrape(&t, &[]).await;
    assert_eq!(anonymous.status, StatusCode::NOT_FOUND);
    assert_eq!(
        anonymous.header("content-type"),
        missing.header("content-type")
    );
    assert!(!text(&anonymous).contains("lore_"), "{}", text(&anonymous));

    let learner = scrape(&t, &[("authorization", &format!("Bearer {learner_token}"))]).await;
    assert_eq!(learner.status, StatusCode::NOT_FOUND);
    let forged = scrape(&t, &[("authorization", "Bearer lore_not_a_real_token")]).await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);

    let admin = scrape(&t, &[("authorization", &format!("Bearer {admin_token}"))]).await;
    assert_eq!(admin.status, StatusCode::OK, "{}", text(&admin));
    assert!(text(&admin).contains("lore_db_statements_total"));
    let root = t.signed_in("root@acme.test").await;
    let by_session = root.get_bytes("/metrics", &[]).await;
    assert_eq!(by_session.status, StatusCode::OK);
    let bo = t.signed_in("bo@acme.test").await;
    assert_eq!(
        bo.get_bytes("/metrics", &[]).await.status,
        StatusCode::NOT_FOUND
    );

    // Loopback allowed (the default), but the request says a proxy forwarded it.
    t.serve_with(|_| {}).await;
    assert_eq!(scrape(&t, &[]).await.status, StatusCode::OK);
    let proxied = scrape(&t, &[("x-forwarded-for", "203.0.113.9")]).await;
    assert_eq!(proxied.status, StatusCode::NOT_FOUND);

    // Behind a trusted proxy, the forwarded client address is checked against the list.
    t.serve_with(|o| {
        o.metrics_allow = vec![lan];
        o.trust_forwarded_for = true;
    })
    .await;
    let inside = scrape(&t, &[("x-forwarded-for", "10.1.2.3")]).await;
    assert_eq!(inside.status, StatusCode::OK);
    let outside = scrape(&t, &[("x-forwarded-for", "203.0.113.9")]).await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND);
}
story!(elsewhere_only_an_administrator_reads_metrics);

/// The route label is the route's template, `unmatched` when no route matched: requests for
/// many ids and random paths add no new label values.
async fn route_labels_never_hold_a_raw_id(t: TestApp) {
    let course = acme_with_a_course(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let token = token_for(&t, "ada@acme.test").await;
    let api = t.api(&token);
    ada.get(&format!("/courses/{course}"))
        .await
        .expect_status(StatusCode::OK);
    api.get(&format!("/courses/{course}"))
        .await
        .expect_status(StatusCode::OK);
    for id in [987_654_321_i64, 123_456_789] {
        ada.get(&format!("/courses/{id}"))
            .await
            .expect_status(StatusCode::NOT_FOUND);
        api.get(&format!("/courses/{id}"))
            .await
            .expect_status(StatusCode::NOT_FOUND);
        ada.get(&format!("/no/such/{id}/path"))
            .await
            .expect_status(StatusCode::NOT_FOUND);
    }
    let exposition = text(&scrape(&t, &[]).await);
    let found = routes(&exposition);
    for expected in ["/courses/{id}", "/api/v1/courses/{id}", "unmatched"] {
        assert!(
            found.iter().any(|r| r == expected),
            "no {expected} in {found:?}"
        );
    }
    for route in &found {
        let digits_outside_version = route
            .trim_start_matches("/api/v1")
            .chars()
            .any(|c| c.is_ascii_digit());
        assert!(!digits_outside_version, "a raw path as a label: {route}");
    }
    assert!(
        series(
            &exposition,
            "lore_http_requests_total",
            "method=\"GET\",route=\"/courses/{id}\",status=\"4xx\""
        ) >= Some(2.0),
        "{exposition}"
    );
    assert!(
        series(
            &exposition,
            "lore_http_requests_total",
            "method=\"GET\",route=\"unmatched\",status=\"4xx\""
        ) >= Some(2.0),
        "{exposition}"
    );
}
story!(route_labels_never_hold_a_raw_id);
