//! Forwarding to another learning record store: a small LRS started here on 127.0.0.1
//! receives every statement stored while forwarding is on — tools' statements and Lore's
//! own event statements — once each, in order, with the version header and Basic
//! credentials, across a restart and with two servers; a failing store gets the batch after
//! back-off on the story clock; refused statements become dead letters an administrator
//! replays; only platform administrators see any of it, and the secret is never shown.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use base64::Engine;
use lore_app::Settings;
use lore_domain::webhook::AllowedRange;
use reqwest::Method;
use serde_json::{Value, json};

use crate::api::token_for;
use crate::story;
use crate::support::{Api, TestApp};
use crate::xapi_harness::{client, statement};

const SECRET: &str = "other-store-secret-7f3a9c";

/// One POST the other store got.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    version: String,
    authorization: String,
    ids: Vec<String>,
    /// The SHA-2 of each attachment part, when the body was multipart/mixed.
    parts: Vec<String>,
}

/// The other LRS: records every request and answers with the next queued status, then
/// with the standing one.
struct OtherStore {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
    queued: Arc<Mutex<VecDeque<u16>>>,
    standing: Arc<AtomicU16>,
    _task: tokio::task::JoinHandle<()>,
}

impl OtherStore {
    async fn start() -> OtherStore {
        Self::start_with(false).await
    }

    /// A store that sees only the clients' statements: statements of Lore's own events are
    /// answered 200 and not recorded, for stories that count requests and queue answers (on
    /// PostgreSQL an event of the story's set-up may become a statement late, after
    /// forwarding is switched on).
    async fn for_clients_only() -> OtherStore {
        Self::start_with(true).await
    }

    async fn start_with(clients_only: bool) -> OtherStore {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let queued: Arc<Mutex<VecDeque<u16>>> = Arc::default();
        let standing = Arc::new(AtomicU16::new(200));
        let (g, q, s) = (got.clone(), queued.clone(), standing.clone());
        let app = axum::Router::new().fallback(
            move |uri: axum::http::Uri, headers: HeaderMap, body: Bytes| {
                let (g, q, s) = (g.clone(), q.clone(), s.clone());
                async move {
                    let header = |name: &str| {
                        headers
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_owned()
                    };
                    let content_type = header("content-type");
                    let (statements, parts) = if content_type.starts_with("multipart/mixed") {
                        let (statements, parts) = lore_xapi::parse_multipart(&content_type, &body)
                            .unwrap_or((Value::Null, Vec::new()));
                        (statements, parts.into_iter().map(|p| p.sha2).collect())
                    } else {
                        let statements = serde_json::from_slice(&body).unwrap_or(Value::Null);
                        (statements, Vec::new())
                    };
                    let all = statements.as_array().cloned().unwrap_or_default();
                    let ids: Vec<String> = all
                        .iter()
                        .filter(|s| !clients_only || s["authority"]["account"]["name"] != "lore")
                        .map(|s| s["id"].as_str().unwrap_or("?").to_owned())
                        .collect();
                    if clients_only && ids.is_empty() && !all.is_empty() {
                        return (StatusCode::OK, "[]").into_response();
                    }
                    g.lock().expect("lock").push(Received {
                        path: uri.path().to_owned(),
                        version: header("x-experience-api-version"),
                        authorization: header("authorization"),
                        ids,
                        parts,
                    });
                    let code = q
                        .lock()
                        .expect("lock")
                        .pop_front()
                        .unwrap_or_else(|| s.load(Ordering::SeqCst));
                    let code = StatusCode::from_u16(code).expect("status");
                    (code, "{\"message\": \"as told\"}").into_response()
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
        OtherStore {
            url,
            got,
            queued,
            standing,
            _task: task,
        }
    }

    fn answer_next(&self, codes: &[u16]) {
        self.queued.lock().expect("lock").extend(codes);
    }

    fn answer(&self, code: u16) {
        self.standing.store(code, Ordering::SeqCst);
    }

    fn requests(&self) -> Vec<Received> {
        self.got.lock().expect("lock").clone()
    }

    /// The requests once `n` have come (the worker may be sending), and a moment more to
    /// see that no others follow.
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

    /// Every statement id received with a success, in order (a refused request's are not).
    fn ids(&self) -> Vec<String> {
        self.requests().into_iter().flat_map(|r| r.ids).collect()
    }
}

fn allow_loopback(s: &mut Settings) {
    s.webhooks.allow_private = vec![AllowedRange::parse("127.0.0.1").expect("range")];
}

/// A platform administrator's API client.
async fn admin(t: &TestApp) -> Api {
    t.person("root@acme.test", "Rae Root", true).await;
    t.api(&token_for(t, "root@acme.test").await)
}

async fn switch(api: &Api, enabled: bool, endpoint: &str) -> Page {
    api.send(
        Method::PUT,
        "/xapi/forwarding",
        Some(json!({
            "enabled": enabled,
            "endpoint": endpoint,
            "key": "lore",
            "secret": SECRET,
            "version": "1.0.3",
        })),
    )
    .await
}

use crate::support::Page;

async fn forwarding(api: &Api) -> Value {
    let r = api.get("/xapi/forwarding").await;
    r.expect_status(StatusCode::OK);
    assert!(!r.body.contains(SECRET), "{}", r.body);
    r.json()
}

fn basic() -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("lore:{SECRET}"))
    )
}

story!(
    attachments_travel_with_forwarded_statements,
    settings = crate::xapi_forwarding::allow_loopback
);
async fn attachments_travel_with_forwarded_statements(t: TestApp) {
    let api = admin(&t).await;
    let other = OtherStore::start().await;
    let endpoint = format!("{}/xapi", other.url);
    switch(&api, true, &endpoint)
        .await
        .expect_status(StatusCode::OK);
    let tool = client(&t, &["statements/write"], "1.0.3").await;
    let content = b"certificate of completion".to_vec();
    let (s, sha2) = crate::xapi_statements::with_certificate(
        statement("ann", "completed", "with-file"),
        &content,
    );
    let r = tool
        .send(
            tool.request(Method::POST, "/statements")
                .header("content-type", "multipart/mixed; boundary=abc")
                .body(crate::xapi_statements::multipart(&s, &content, &sha2)),
        )
        .await;
    r.expect(StatusCode::OK);
    let id = r.json()[0].as_str().expect("id").to_owned();
    t.run_jobs().await;
    let requests = other.wait_for(1).await;
    let with = requests
        .iter()
        .find(|r| r.ids.contains(&id))
        .unwrap_or_else(|| panic!("the statement was not forwarded: {requests:?}"));
    // The other store gets the attachment's content with it, as a part of its SHA-2.
    assert_eq!(with.parts, [sha2]);
}

story!(
    statements_reach_the_other_store_once_in_order,
    settings = crate::xapi_forwarding::allow_loopback
);
async fn statements_reach_the_other_store_once_in_order(mut t: TestApp) {
    let api = admin(&t).await;
    let other = OtherStore::start().await;
    let endpoint = format!("{}/xapi", other.url);
    // (Only statements stored while forwarding is on are sent.)
    let tool = client(&t, &["statements/write"], "1.0.3").await;
    t.run_jobs().await;

    // Set up but off: nothing is sent.
    let saved = switch(&api, false, &endpoint).await;
    saved.expect_status(StatusCode::OK);
    assert!(!saved.body.contains(SECRET));
    let saved = saved.json();
    assert_eq!(saved["endpoint"], format!("{endpoint}/"));
    assert_eq!(saved["secret_set"], true);
    let before = tool
        .store(&json!([statement("ann", "experienced", "a1")]))
        .await;
    t.run_jobs().await;
    assert!(other.wait_for(1).await.is_empty());

    // On: from the newest statement; the one stored while off is never sent.
    switch(&api, true, &endpoint)
        .await
        .expect_status(StatusCode::OK);
    let mut sent = tool
        .store(&json!([
            statement("ann", "experienced", "a2"),
            statement("bob", "attempted", "a3"),
            statement("cat", "completed", "a4"),
        ]))
        .await;
    sent.extend(tool.store(&json!([statement("dan", "passed", "a5")])).await);
    // An event of Lore's own (a course published) becomes a statement, forwarded too.
    let team = t.group(None, "Team").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, team, "author").await;
    let author = t.caller("ada@acme.test").await;
    t.published_course(&author, "Release checklist").await;
    t.run_jobs().await;
    let requests = other.wait_for(2).await;
    let ids = other.ids();
    let n = ids.len();
    assert!(n >= 5, "{requests:?}");
    assert_eq!(&ids[..4], &sent[..]);
    assert!(!ids.contains(&before[0]));
    for r in &requests {
        assert_eq!(r.path, "/xapi/statements");
        assert_eq!(r.version, "1.0.3");
        assert_eq!(r.authorization, basic());
    }
    let reader = client(&t, &["statements/read"], "2.0.0").await;
    let mut verbs = Vec::new();
    for id in &ids[4..] {
        let s = reader.get(&format!("/statements?statementId={id}")).await;
        verbs.push(s.json()["verb"]["id"].as_str().unwrap_or("").to_owned());
    }
    assert!(
        verbs.contains(&"http://adlnet.gov/expapi/verbs/shared".to_owned()),
        "{verbs:?}"
    );
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), n, "once each");

    // Running again sends nothing more.
    t.run_jobs().await;
    assert_eq!(
        other.wait_for(requests.len() + 1).await.len(),
        requests.len()
    );
    assert_eq!(forwarding(&api).await["delivered"], n);

    // After a restart nothing is lost or doubled.
    t.restart().await;
    let api = t.api(&api.token);
    let tool = client(&t, &["statements/write"], "2.0.0").await;
    let after = tool
        .store(&json!([statement("fay", "experienced", "a6")]))
        .await;
    t.run_jobs().await;
    other.wait_for(requests.len() + 1).await;
    assert_eq!(other.ids().len(), n + 1);
    assert_eq!(other.ids()[n], after[0]);

    // Two servers on one database send each statement once.
    let second = t.second_server().await;
    let many: Vec<Value> = (0..230)
        .map(|i| statement("gus", "experienced", &format!("b{i}")))
        .collect();
    let many_ids = tool.store(&Value::Array(many)).await;
    let (a, b) = tokio::join!(t.app.run_due_jobs(), second.app.run_due_jobs());
    a.expect("first server");
    b.expect("second server");
    t.run_jobs().await;
    let total = n + 1 + 230;
    for _ in 0..100 {
        if other.ids().len() >= total {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    other.wait_for(0).await;
    let ids = other.ids();
    assert_eq!(ids.len(), total, "each statement once");
    assert_eq!(&ids[n + 1..], &many_ids[..], "in the order stored");
    assert!(
        other.requests().iter().all(|r| r.ids.len() <= 100),
        "batches of at most 100"
    );
    assert_eq!(forwarding(&api).await["delivered"], total);
}

story!(
    a_failing_store_gets_the_batch_after_back_off,
    settings = crate::xapi_forwarding::allow_loopback
);
async fn a_failing_store_gets_the_batch_after_back_off(mut t: TestApp) {
    // Jobs run only when the story says: the worker would otherwise send a replay or a
    // retry between two looks at the queue.
    t.stop_worker().await;
    let api = admin(&t).await;
    let other = OtherStore::for_clients_only().await;
    let tool = client(&t, &["statements/write"], "1.0.3").await;
    t.run_jobs().await;
    switch(&api, true, &format!("{}/xapi/", other.url))
        .await
        .expect_status(StatusCode::OK);
    other.answer_next(&[500, 503]);
    let sent = tool
        .store(&json!([
            statement("ann", "experienced", "a1"),
            statement("bob", "experienced", "a2"),
        ]))
        .await;
    t.run_jobs().await;
    assert_eq!(other.wait_for(1).await.len(), 1);
    let state = forwarding(&api).await;
    assert_eq!(state["failed_attempts"], 1, "{state}");
    assert_eq!(state["last_status"], 500);
    assert!(state["next_attempt_at"].is_string());

    // Not before the pause is over.
    t.run_jobs().await;
    assert_eq!(other.wait_for(2).await.len(), 1);
    t.clock.advance(time::Duration::seconds(31));
    t.run_jobs().await;
    assert_eq!(other.wait_for(2).await.len(), 2);
    assert_eq!(forwarding(&api).await["failed_attempts"], 2);
    t.clock.advance(time::Duration::minutes(1));
    t.run_jobs().await;
    assert_eq!(
        other.wait_for(3).await.len(),
        2,
        "the second pause is 2 minutes"
    );
    t.clock
        .advance(time::Duration::minutes(1) + time::Duration::seconds(1));
    t.run_jobs().await;
    let requests = other.wait_for(3).await;
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.ids == sent));
    let state = forwarding(&api).await;
    assert_eq!(state["failed_attempts"], 0);
    assert_eq!(state["delivered"], 2);
    assert_eq!(state["dead_letters"], 0);
}

story!(
    refused_statements_wait_as_dead_letters_until_replayed,
    settings = crate::xapi_forwarding::allow_loopback
);
async fn refused_statements_wait_as_dead_letters_until_replayed(mut t: TestApp) {
    // Jobs run only when the story says: the worker would otherwise send a replay or a
    // retry between two looks at the queue.
    t.stop_worker().await;
    let api = admin(&t).await;
    let other = OtherStore::for_clients_only().await;
    let tool = client(&t, &["statements/write"], "2.0.0").await;
    t.run_jobs().await;
    switch(&api, true, &format!("{}/xapi/", other.url))
        .await
        .expect_status(StatusCode::OK);

    // The other store refuses everything: the batch is tried one by one, then kept.
    other.answer(400);
    let refused = tool
        .store(&json!([
            statement("ann", "experienced", "a1"),
            statement("bob", "experienced", "a2"),
        ]))
        .await;
    t.run_jobs().await;
    assert_eq!(
        other.wait_for(3).await.len(),
        3,
        "the batch, then each alone"
    );
    let letters = api.get("/xapi/forwarding/dead-letters").await.json();
    assert_eq!(letters["total"], 1, "{letters}");
    let letter = &letters["dead_letters"][0];
    assert_eq!(letter["statement_ids"], json!(refused));
    assert_eq!(letter["status_code"], 400);
    let id = letter["id"].as_i64().expect("id");

    // Later statements still flow; a 409 in a batch means "already there" for each.
    other.answer(200);
    other.answer_next(&[409, 409]);
    let later = tool
        .store(&json!([
            statement("cat", "experienced", "a3"),
            statement("dan", "experienced", "a4"),
        ]))
        .await;
    t.run_jobs().await;
    let requests = other.wait_for(6).await;
    assert_eq!(requests.len(), 6, "{requests:?}");
    assert_eq!(requests[5].ids, vec![later[1].clone()]);
    let state = forwarding(&api).await;
    assert_eq!(state["delivered"], 2);
    assert_eq!(state["dead_letters"], 1);

    // The administrator sees it and presses Replay (a form with CSRF).
    let admin = t.signed_in("root@acme.test").await;
    let page = admin.get("/admin/xapi/forwarding").await;
    page.expect_status(StatusCode::OK)
        .expect_contains(&refused[0])
        .expect_contains("HTTP 400")
        .expect_contains(&format!("/admin/xapi/forwarding/dead-letters/{id}/replay"))
        .expect_lacks(SECRET);
    assert_eq!(page.testid("secret-state"), "set");
    admin
        .post(
            &format!("/admin/xapi/forwarding/dead-letters/{id}/replay"),
            &[],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    admin
        .get("/admin/xapi/forwarding")
        .await
        .expect_contains("replay queued");
    t.run_jobs().await;
    let requests = other.wait_for(7).await;
    assert_eq!(requests.len(), 7);
    assert_eq!(requests[6].ids, refused);
    admin
        .get("/admin/xapi/forwarding")
        .await
        .expect_lacks(&refused[0])
        .expect_contains("None. Statements the other store refuses");
    assert_eq!(forwarding(&api).await["dead_letters"], 0);
    let none = api
        .send(Method::POST, "/xapi/forwarding/dead-letters/replay", None)
        .await;
    none.expect_status(StatusCode::OK);
    assert_eq!(none.json()["queued"], 0);
    api.send(
        Method::POST,
        &format!("/xapi/forwarding/dead-letters/{id}/replay"),
        None,
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);
}

story!(forwarding_is_for_administrators_and_checks_what_it_is_given);
async fn forwarding_is_for_administrators_and_checks_what_it_is_given(t: TestApp) {
    let api = admin(&t).await;
    let team = t.group(None, "Team").await;
    let lea = t.person("lea@acme.test", "Lea Learner", false).await;
    t.member(lea, team, "learner").await;

    // Private addresses are refused without the operator's setting; nothing changes.
    let private = switch(&api, true, "http://127.0.0.1:9/xapi/").await;
    private.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        private.body.contains("private or local address"),
        "{}",
        private.body
    );
    assert!(!private.body.contains(SECRET));
    for (bad, says) in [
        ("not a url", "Give a full address"),
        ("ftp://lrs.example.com/xapi/", "http and https"),
        ("https://user:pw@93.184.215.14/xapi/", "their own fields"),
    ] {
        let r = switch(&api, true, bad).await;
        r.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains(says), "{bad}: {}", r.body);
    }
    let state = forwarding(&api).await;
    assert_eq!(state["enabled"], false);
    assert_eq!(state["endpoint"], "");
    assert_eq!(state["secret_set"], false);
    // Switching on needs an address, a key and a secret; the version is one of two.
    api.send(
        Method::PUT,
        "/xapi/forwarding",
        Some(json!({ "enabled": true, "endpoint": "", "key": "k" })),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    api.send(
        Method::PUT,
        "/xapi/forwarding",
        Some(json!({ "enabled": false, "version": "3.0" })),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("1.0.3 or 2.0.0");

    // The page says the same, keeps what was typed, and never shows a secret.
    let root = t.signed_in("root@acme.test").await;
    root.get("/admin/xapi")
        .await
        .expect_contains("/admin/xapi/forwarding");
    root.get("/admin/xapi/forwarding")
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("while forwarding is on");
    let refused = root
        .post(
            "/admin/xapi/forwarding",
            &[
                ("enabled", "on"),
                ("endpoint", "http://10.0.0.7/xapi/"),
                ("key", "lore"),
                ("secret", SECRET),
                ("version", "2.0.0"),
            ],
        )
        .await;
    refused
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("private or local address")
        .expect_contains("http://10.0.0.7/xapi/")
        .expect_lacks(SECRET);
    // Off, with a public address: saved; the secret shows as "set" only.
    root.post(
        "/admin/xapi/forwarding",
        &[
            ("endpoint", "http://93.184.215.14/lrs"),
            ("key", "lore"),
            ("secret", SECRET),
            ("version", "2.0.0"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let page = root
        .get("/admin/xapi/forwarding?notice=xapi-forwarding-saved")
        .await;
    page.expect_contains("http://93.184.215.14/lrs/")
        .expect_contains("Forwarding settings saved.")
        .expect_lacks(SECRET);
    assert_eq!(page.testid("secret-state"), "set");
    assert_eq!(page.testid("forwarding-state"), "off");
    let audit = api.get("/audit-log?action=xapi_forwarding_changed").await;
    audit.expect_status(StatusCode::OK).expect_lacks(SECRET);
    assert_eq!(audit.json()["total"], 1);

    // A learner is refused on the page and in the API.
    let learner = t.signed_in("lea@acme.test").await;
    learner
        .get("/admin/xapi/forwarding")
        .await
        .expect_status(StatusCode::FORBIDDEN);
    learner
        .post("/admin/xapi/forwarding/dead-letters/replay", &[])
        .await
        .expect_status(StatusCode::FORBIDDEN);
    let learner_api = t.api(&token_for(&t, "lea@acme.test").await);
    learner_api
        .get("/xapi/forwarding")
        .await
        .expect_status(StatusCode::FORBIDDEN);
    switch(&learner_api, false, "")
        .await
        .expect_status(StatusCode::FORBIDDEN);
    learner_api
        .get("/xapi/forwarding/dead-letters")
        .await
        .expect_status(StatusCode::FORBIDDEN);
}
