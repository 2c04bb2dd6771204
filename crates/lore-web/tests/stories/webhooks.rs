//! Webhooks: a receiver started here on 127.0.0.1 gets every subscribed event once, signed
//! (checked with HMAC-SHA256 here), also when it was down for a while, across a restart
//! and with two servers; rotation signs with both secrets for a day; private addresses are
//! refused unless allowed; redirects are not followed; Slack and Teams hooks get their
//! message shapes.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use hmac::{Hmac, Mac};
use lore_app::Settings;
use lore_domain::webhook::AllowedRange;
use reqwest::Method;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::api::token_for;
use crate::story;
use crate::support::TestApp;

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
}

/// A webhook receiver on 127.0.0.1: records every request and answers with `status`
/// (`/redirect` answers 307 to `/target`).
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
    _task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    async fn start() -> Receiver {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let status = Arc::new(AtomicU16::new(200));
        let (g, s) = (got.clone(), status.clone());
        let app = axum::Router::new().fallback(
            move |uri: axum::http::Uri, headers: HeaderMap, body: Bytes| {
                let (g, s) = (g.clone(), s.clone());
                async move {
                    let path = uri.path().to_owned();
                    g.lock().expect("lock").push(Received {
                        path: path.clone(),
                        headers,
                        body: body.to_vec(),
                    });
                    if path == "/redirect" {
                        return (
                            StatusCode::TEMPORARY_REDIRECT,
                            [("location", "/target")],
                            "",
                        )
                            .into_response();
                    }
                    let code = StatusCode::from_u16(s.load(Ordering::SeqCst)).expect("status");
                    (code, "thanks").into_response()
                }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.ok();
        });
        Receiver {
            url,
            got,
            status,
            _task: task,
        }
    }

    fn answer(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    fn requests(&self) -> Vec<Received> {
        self.got.lock().expect("lock").clone()
    }

    /// The requests once `n` have come (the worker may be sending some), and a moment more
    /// to see that no others follow.
    async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..200 {
            if self.requests().len() >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.requests()
    }
}

fn allow_loopback(s: &mut Settings) {
    s.webhooks.allow_private = vec![AllowedRange::parse("127.0.0.1").expect("range")];
}

/// The hex HMAC-SHA256 of `"{t}.{body}"`, as a receiver computes it.
fn expected_signature(secret: &str, t: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(t.as_bytes());
    mac.update(b".");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// The `v1` signatures of a request, after checking its timestamp matches the header's.
fn signatures(r: &Received) -> Vec<String> {
    let header = r.header("lore-webhook-signature");
    let mut parts = header.split(',');
    assert_eq!(
        parts.next().map(|t| t.trim_start_matches("t=").to_owned()),
        Some(r.header("lore-webhook-timestamp")),
        "{header}"
    );
    parts
        .map(|p| p.strip_prefix("v1=").expect("v1").to_owned())
        .collect()
}

fn signed_with(r: &Received, secret: &str) -> bool {
    let expected = expected_signature(secret, &r.header("lore-webhook-timestamp"), &r.body);
    signatures(r).contains(&expected)
}

/// An administrator, an author in Engineering; the admin's API client.
async fn setup(t: &TestApp) -> (crate::support::Api, i64) {
    t.person("root@acme.test", "Rae Root", true).await;
    let eng = t.group(None, "Engineering").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, eng, "author").await;
    (t.api(&token_for(t, "root@acme.test").await), eng)
}

async fn subscribe(api: &crate::support::Api, url: &str, events: &[&str]) -> (i64, String) {
    let created = api
        .send(
            Method::POST,
            "/webhooks",
            Some(json!({ "url": url, "description": "CRM", "events": events })),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let j = created.json();
    (
        j["webhook"]["id"].as_i64().expect("id"),
        j["secret"].as_str().expect("secret").to_owned(),
    )
}

story!(
    every_event_arrives_once_signed,
    settings = crate::webhooks::allow_loopback
);
async fn every_event_arrives_once_signed(t: TestApp) {
    let (api, eng) = setup(&t).await;
    let receiver = Receiver::start().await;
    let (id, secret) = subscribe(
        &api,
        &format!("{}/hooks", receiver.url),
        &["person.created", "course.published", "course.enrolled"],
    )
    .await;
    assert!(secret.starts_with("whsec_"));
    // The list never shows the secret again.
    let listed = api.get("/webhooks").await;
    assert!(!listed.body.contains(&secret));
    assert_eq!(listed.json()[0]["events"].as_array().map(Vec::len), Some(3));

    let ada = t.caller("ada@acme.test").await;
    let course = t.published_course(&ada, "Release checklist").await;
    let lia = t.person("lia@acme.test", "Lia Learner", false).await;
    t.member(lia, eng, "learner").await;
    let lia = t.caller("lia@acme.test").await;
    t.app.enrol(&lia, course).await.expect("enrol");
    // Not subscribed: a reaction, a view.
    t.run_jobs().await;
    t.run_jobs().await;

    let got = receiver.wait_for(3).await;
    assert_eq!(got.len(), 3, "{got:?}");
    let mut types: Vec<String> = got
        .iter()
        .map(|r| r.json()["type"].as_str().expect("type").to_owned())
        .collect();
    types.sort();
    assert_eq!(
        types,
        ["course.enrolled", "course.published", "person.created"]
    );
    for r in &got {
        assert_eq!(r.path, "/hooks");
        assert_eq!(r.header("content-type"), "application/json");
        assert!(signed_with(r, &secret), "bad signature: {r:?}");
        assert!(!signed_with(r, "whsec_wrong"));
        let body = r.json();
        assert_eq!(
            body["id"].as_str(),
            Some(r.header("lore-webhook-id").as_str())
        );
        assert_eq!(body["id"].as_str().map(str::len), Some(36));
        assert!(
            body["created_at"]
                .as_str()
                .expect("created_at")
                .ends_with('Z')
        );
        assert!(body["data"].is_object());
    }
    let published = got
        .iter()
        .map(Received::json)
        .find(|b| b["type"] == "course.published")
        .expect("published");
    assert_eq!(published["data"]["course"]["title"], "Release checklist");
    assert_eq!(published["data"]["course"]["id"], course);
    assert_eq!(published["data"]["person"]["email"], "ada@acme.test");
    let created = got
        .iter()
        .map(Received::json)
        .find(|b| b["type"] == "person.created")
        .expect("person");
    assert_eq!(created["data"]["person"]["name"], "Lia Learner");

    // The log says delivered, with the receiver's answer.
    let log = api.get(&format!("/webhooks/{id}/deliveries")).await.json();
    assert_eq!(log.as_array().map(Vec::len), Some(3));
    for d in log.as_array().expect("log") {
        assert_eq!(d["status"], "delivered");
        assert_eq!(d["attempts"][0]["status_code"], 200);
        assert_eq!(d["attempts"][0]["response_excerpt"], "thanks");
    }

    // Redelivery by hand: a new attempt, the same id and body.
    let first = &log[0];
    let again = api
        .send(
            Method::POST,
            &format!("/webhooks/{id}/deliveries/{}/redeliver", first["id"]),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::ACCEPTED);
    t.run_jobs().await;
    let got = receiver.wait_for(4).await;
    assert_eq!(got.len(), 4);
    assert_eq!(
        got[3].header("lore-webhook-id"),
        first["delivery_id"].as_str().expect("id")
    );
    let same: Vec<&Received> = got
        .iter()
        .filter(|r| r.header("lore-webhook-id") == got[3].header("lore-webhook-id"))
        .collect();
    assert_eq!(same.len(), 2);
    assert_eq!(same[0].body, same[1].body);
    let log = api.get(&format!("/webhooks/{id}/deliveries")).await.json();
    assert_eq!(log[0]["attempts"][1]["manual"], true);

    // A learner may not see or make webhooks.
    let lia_api = t.api(&token_for(&t, "lia@acme.test").await);
    assert_eq!(lia_api.get("/webhooks").await.status, StatusCode::FORBIDDEN);
    // Webhooks are for platform administrators: permission is checked before
    // the id is looked up, so a learner learns nothing about which ids exist.
    assert_eq!(
        lia_api.get(&format!("/webhooks/{id}")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        lia_api.get("/webhooks/999999").await.status,
        StatusCode::FORBIDDEN
    );
}

story!(
    a_receiver_that_is_down_gets_it_later,
    settings = crate::webhooks::allow_loopback
);
async fn a_receiver_that_is_down_gets_it_later(mut t: TestApp) {
    let (api, _) = setup(&t).await;
    t.stop_worker().await;
    let receiver = Receiver::start().await;
    receiver.answer(503);
    let (id, _) = subscribe(&api, &receiver.url, &["course.published"]).await;
    let ada = t.caller("ada@acme.test").await;
    t.published_course(&ada, "Incident drill").await;

    t.run_jobs().await;
    assert_eq!(receiver.requests().len(), 1);
    // Not again before its time.
    t.run_jobs().await;
    assert_eq!(receiver.requests().len(), 1);
    let log = api.get(&format!("/webhooks/{id}/deliveries")).await.json();
    assert_eq!(log[0]["status"], "pending");
    assert_eq!(log[0]["attempts"][0]["status_code"], 503);
    assert!(log[0]["next_attempt_at"].is_string());

    // One minute, then two: the pauses double.
    t.clock.advance(time::Duration::minutes(1));
    t.run_jobs().await;
    assert_eq!(receiver.requests().len(), 2);
    t.clock.advance(time::Duration::minutes(1));
    t.run_jobs().await;
    assert_eq!(
        receiver.requests().len(),
        2,
        "the second pause is two minutes"
    );

    // Pending deliveries survive a restart; the receiver is back.
    t.restart().await;
    t.stop_worker().await;
    receiver.answer(200);
    t.clock.advance(time::Duration::minutes(1));
    t.run_jobs().await;
    let got = receiver.requests();
    assert_eq!(got.len(), 3);
    let ids: Vec<String> = got.iter().map(|r| r.header("lore-webhook-id")).collect();
    assert!(
        ids.iter().all(|i| *i == ids[0]),
        "one id on every attempt: {ids:?}"
    );
    let api = t.api(&api.token);
    let log = api.get(&format!("/webhooks/{id}/deliveries")).await.json();
    assert_eq!(log[0]["status"], "delivered");
    assert_eq!(log[0]["attempts"].as_array().map(Vec::len), Some(3));
    t.clock.advance(time::Duration::hours(2));
    t.run_jobs().await;
    assert_eq!(receiver.requests().len(), 3, "delivered once");

    // An event fanned out but not sent before a restart is sent after it.
    t.published_course(&ada, "Postmortems").await;
    t.app.fan_out_webhooks().await.expect("fan out");
    t.restart().await;
    let api = t.api(&api.token);
    t.run_jobs().await;
    let got = receiver.wait_for(4).await;
    assert_eq!(got.len(), 4);
    assert_eq!(got[3].json()["data"]["course"]["title"], "Postmortems");

    // A receiver down for good: tried for a day, then failed.
    receiver.answer(500);
    t.published_course(&ada, "Never heard").await;
    t.stop_worker().await;
    for _ in 0..40 {
        t.run_jobs().await;
        t.clock.advance(time::Duration::hours(1));
    }
    let log = api.get(&format!("/webhooks/{id}/deliveries")).await.json();
    assert_eq!(log[0]["status"], "failed");
    let tries = log[0]["attempts"].as_array().map(Vec::len).unwrap_or(0);
    assert!((8..=14).contains(&tries), "{tries} attempts");
}

story!(
    two_servers_send_each_event_once,
    settings = crate::webhooks::allow_loopback
);
async fn two_servers_send_each_event_once(t: TestApp) {
    let (api, _) = setup(&t).await;
    let receiver = Receiver::start().await;
    subscribe(&api, &receiver.url, &["course.published", "person.created"]).await;
    let second = t.second_server().await;
    let ada = t.caller("ada@acme.test").await;
    for i in 0..4 {
        t.published_course(&ada, &format!("Course {i}")).await;
        t.person(&format!("p{i}@acme.test"), &format!("P {i}"), false)
            .await;
    }
    for _ in 0..3 {
        tokio::join!(t.run_jobs(), second.run_jobs());
    }
    let got = receiver.wait_for(8).await;
    assert_eq!(
        got.len(),
        8,
        "{:?}",
        got.iter().map(Received::json).collect::<Vec<_>>()
    );
    let mut ids: Vec<String> = got.iter().map(|r| r.header("lore-webhook-id")).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 8, "every delivery once");
}

story!(
    rotation_signs_with_both_secrets_for_a_day,
    settings = crate::webhooks::allow_loopback
);
async fn rotation_signs_with_both_secrets_for_a_day(t: TestApp) {
    let (api, _) = setup(&t).await;
    let receiver = Receiver::start().await;
    let (id, old) = subscribe(&api, &receiver.url, &["person.created"]).await;
    let rotated = api
        .send(Method::POST, &format!("/webhooks/{id}/rotate"), None)
        .await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);
    let new = rotated.json()["secret"]
        .as_str()
        .expect("secret")
        .to_owned();
    assert_ne!(new, old);
    assert!(rotated.json()["webhook"]["previous_secret_until"].is_string());

    t.person("one@acme.test", "One", false).await;
    t.run_jobs().await;
    let got = receiver.wait_for(1).await;
    assert_eq!(signatures(&got[0]).len(), 2);
    assert!(signed_with(&got[0], &new));
    assert!(signed_with(&got[0], &old));

    t.clock.advance(time::Duration::hours(25));
    t.person("two@acme.test", "Two", false).await;
    t.run_jobs().await;
    let got = receiver.wait_for(2).await;
    assert_eq!(signatures(&got[1]).len(), 1);
    assert!(signed_with(&got[1], &new));
    assert!(!signed_with(&got[1], &old));
}

story!(private_addresses_are_refused_without_the_setting);
async fn private_addresses_are_refused_without_the_setting(t: TestApp) {
    let (api, _) = setup(&t).await;
    let receiver = Receiver::start().await;
    for url in [
        receiver.url.clone(),
        "http://localhost/hooks".to_owned(),
        "http://10.1.2.3/hooks".to_owned(),
        "http://169.254.169.254/latest/meta-data".to_owned(),
        "http://[::1]:8080/".to_owned(),
        "ftp://example.com/".to_owned(),
    ] {
        let refused = api
            .send(
                Method::POST,
                "/webhooks",
                Some(json!({ "url": url, "events": ["person.created"] })),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}");
        assert!(refused.body.contains("url"), "{}", refused.body);
    }
    let unknown = api
        .send(
            Method::POST,
            "/webhooks",
            Some(json!({ "url": "http://203.0.113.9/", "events": ["course.exploded"] })),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        api.get("/webhooks")
            .await
            .json()
            .as_array()
            .expect("list")
            .is_empty()
    );
}

story!(
    redirects_are_not_followed,
    settings = crate::webhooks::allow_loopback
);
async fn redirects_are_not_followed(t: TestApp) {
    let (api, _) = setup(&t).await;
    let receiver = Receiver::start().await;
    let (id, _) = subscribe(
        &api,
        &format!("{}/redirect", receiver.url),
        &["person.created"],
    )
    .await;
    t.person("one@acme.test", "One", false).await;
    t.run_jobs().await;
    let got = receiver.wait_for(1).await;
    assert_eq!(got.len(), 1);
    assert!(got.iter().all(|r| r.path == "/redirect"));
    let log = api.get(&format!("/webhooks/{id}/deliveries")).await.json();
    assert_eq!(log[0]["attempts"][0]["status_code"], 307);
    assert_eq!(log[0]["attempts"][0]["error"], "redirects are not followed");
    assert_eq!(log[0]["status"], "pending");
}

story!(
    group_chat_hooks_post_to_slack_and_teams,
    settings = crate::webhooks::allow_loopback
);
async fn group_chat_hooks_post_to_slack_and_teams(t: TestApp) {
    let (_, eng) = setup(&t).await;
    let platform = t.group(Some(eng), "Platform").await;
    let sales = t.group(None, "Sales").await;
    let gia = t.person("gia@acme.test", "Gia Admin", false).await;
    t.member(gia, eng, "admin").await;
    let sam = t.person("sam@acme.test", "Sam Sales", false).await;
    t.member(sam, sales, "author").await;
    let pia = t.person("pia@acme.test", "Pia Platform", false).await;
    t.member(pia, platform, "author").await;
    let receiver = Receiver::start().await;

    // Eng's admin adds a Slack hook on the group's page (a form with CSRF) …
    let b = t.signed_in("gia@acme.test").await;
    b.get(&format!("/groups/{eng}"))
        .await
        .expect_contains(&format!("/groups/{eng}/chat-hooks"));
    b.get(&format!("/groups/{eng}/chat-hooks"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("No chat hooks yet");
    let refused = b
        .post(
            &format!("/groups/{eng}/chat-hooks"),
            &[
                ("format", "slack"),
                ("url", &format!("{}/slack", receiver.url)),
                ("events", "person.created"),
            ],
        )
        .await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    b.post(
        &format!("/groups/{eng}/chat-hooks"),
        &[
            ("format", "slack"),
            ("url", &format!("{}/slack", receiver.url)),
            ("events", "course.published"),
            ("events", "need.answered"),
        ],
    )
    .await
    .expect_status(StatusCode::CREATED);
    // … and a Teams hook through the API.
    let gia_api = t.api(&token_for(&t, "gia@acme.test").await);
    let teams = gia_api
        .send(
            Method::POST,
            &format!("/groups/{eng}/chat-hooks"),
            Some(json!({ "format": "teams", "url": format!("{}/teams", receiver.url), "events": ["course.published"] })),
        )
        .await;
    assert_eq!(teams.status, StatusCode::CREATED, "{}", teams.body);
    assert!(teams.json()["secret"].is_null());
    // Sales' author may not see Eng's hooks.
    let sam_api = t.api(&token_for(&t, "sam@acme.test").await);
    assert_eq!(
        sam_api
            .get(&format!("/groups/{eng}/chat-hooks"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // A course published in Platform (below Engineering) is posted; one in Sales is not.
    let pia = t.caller("pia@acme.test").await;
    let course = t.published_course(&pia, "Deploying safely").await;
    let sam = t.caller("sam@acme.test").await;
    t.published_course(&sam, "Closing deals").await;
    t.run_jobs().await;
    let got = receiver.wait_for(2).await;
    assert_eq!(got.len(), 2, "{got:?}");
    let slack = got
        .iter()
        .find(|r| r.path == "/slack")
        .expect("slack")
        .json();
    assert!(
        slack["text"]
            .as_str()
            .expect("text")
            .contains("Deploying safely")
    );
    assert_eq!(slack["blocks"][0]["type"], "section");
    assert!(
        slack["blocks"][1]["elements"][0]["url"]
            .as_str()
            .expect("link")
            .ends_with(&format!("/courses/{course}"))
    );
    let teams = got.iter().find(|r| r.path == "/teams").expect("teams");
    assert_eq!(teams.header("lore-webhook-signature"), "");
    let teams = teams.json();
    assert_eq!(teams["@type"], "MessageCard");
    assert!(
        teams["text"]
            .as_str()
            .expect("text")
            .contains("Deploying safely")
    );
    assert_eq!(teams["potentialAction"][0]["@type"], "OpenUri");
}

story!(
    administrators_manage_webhooks_on_their_page,
    settings = crate::webhooks::allow_loopback
);
async fn administrators_manage_webhooks_on_their_page(t: TestApp) {
    setup(&t).await;
    let receiver = Receiver::start().await;
    let b = t.signed_in("root@acme.test").await;
    b.get("/admin/webhooks")
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("No webhooks yet");
    let created = b
        .post(
            "/admin/webhooks",
            &[
                ("url", &format!("{}/crm", receiver.url)),
                ("description", "CRM sync"),
                ("events", "person.created"),
            ],
        )
        .await;
    created.expect_status(StatusCode::CREATED);
    let secret = created.testid("hook-secret");
    assert!(secret.contains("whsec_"), "{secret}");
    let listed = b.get("/admin/webhooks").await;
    listed.expect_contains("CRM sync").expect_lacks("whsec_");
    let id = t
        .app
        .webhooks(&t.caller("root@acme.test").await, None)
        .await
        .expect("hooks")[0]
        .id;
    t.person("zero@acme.test", "Zero", false).await;
    t.run_jobs().await;
    assert_eq!(receiver.wait_for(1).await.len(), 1);
    let off = b
        .post(&format!("/webhooks/{id}/enabled"), &[("enabled", "false")])
        .await;
    off.expect_status(StatusCode::SEE_OTHER);
    b.get(&off.location())
        .await
        .expect_contains("Resume sending")
        .expect_contains("Saved.");
    t.person("one@acme.test", "One", false).await;
    t.run_jobs().await;
    assert_eq!(receiver.requests().len(), 1, "off: nothing sent");
    b.post(&format!("/webhooks/{id}/rotate"), &[])
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("previous secret keeps signing");
    let gone = b.post(&format!("/webhooks/{id}/delete"), &[]).await;
    gone.expect_status(StatusCode::SEE_OTHER);
    b.get(&gone.location())
        .await
        .expect_contains("No webhooks yet");
    // With no webhook left, the reader's cursor follows the outbox, holding nothing back.
    t.person("two@acme.test", "Two", false).await;
    t.run_jobs().await;
    let store = t.app.store();
    assert_eq!(
        store
            .outbox_cursor(lore_app::webhooks::WEBHOOK_CONSUMER)
            .await
            .expect("cursor"),
        Some(store.outbox_end().await.expect("end"))
    );
    t.signed_in("ada@acme.test")
        .await
        .get("/admin/webhooks")
        .await
        .expect_status(StatusCode::FORBIDDEN);
}
