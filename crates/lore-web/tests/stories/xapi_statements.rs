//! The statements resource of `/xapi/`, for xAPI 1.0.3 and 2.0.0: storing, conflicts,
//! voiding, every filter, `more` paging, formats, headers, bad statements named by rule.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::story;
use crate::support::TestApp;
use crate::xapi_harness::{VERSIONS, agent, client, query, statement};

story!(statements_are_stored_fetched_and_conflicts_refused);
async fn statements_are_stored_fetched_and_conflicts_refused(t: TestApp) {
    for version in VERSIONS {
        let lrs = client(&t, &["all"], version).await;
        // POST one: its new id comes back; GET by id shows what the LRS set.
        let ids = lrs.store(&statement("ada", "completed", "rust-1")).await;
        assert_eq!(ids.len(), 1);
        let r = lrs.get(&query(&[("statementId", &ids[0])])).await;
        r.expect(StatusCode::OK);
        assert_eq!(r.header("x-experience-api-version"), version);
        assert!(!r.header("x-experience-api-consistent-through").is_empty());
        assert!(!r.header("last-modified").is_empty());
        let s = r.json();
        assert_eq!(s["id"], ids[0].as_str());
        assert!(s["stored"].is_string() && s["timestamp"].is_string());
        assert_eq!(s["authority"]["account"]["name"], lrs.key.as_str());
        // HEAD: the same headers and length, no body.
        let head = lrs
            .send(lrs.request(Method::HEAD, &query(&[("statementId", &ids[0])])))
            .await;
        head.expect(StatusCode::OK);
        assert!(head.body.is_empty());
        assert_eq!(head.header("content-length"), r.body.len().to_string());

        // PUT under a chosen id; the same again is a no-op, other content a conflict.
        let id = uuid(version, 1);
        let put = |body: Value| {
            let lrs = &lrs;
            let id = id.clone();
            async move { lrs.put(&query(&[("statementId", &id)]), &body).await }
        };
        put(statement("bob", "attempted", "rust-2"))
            .await
            .expect(StatusCode::NO_CONTENT);
        put(statement("bob", "attempted", "rust-2"))
            .await
            .expect(StatusCode::NO_CONTENT);
        put(statement("bob", "passed", "rust-2"))
            .await
            .expect(StatusCode::CONFLICT);
        // A batch re-using the id with other content is refused whole.
        let mut reused = statement("bob", "failed", "rust-2");
        reused["id"] = json!(id);
        let fresh_id = uuid(version, 2);
        let mut fresh = statement("cy", "attempted", "rust-2");
        fresh["id"] = json!(fresh_id);
        lrs.post("/statements", &json!([fresh, reused]))
            .await
            .expect(StatusCode::CONFLICT);
        lrs.get(&query(&[("statementId", &fresh_id)]))
            .await
            .expect(StatusCode::NOT_FOUND);
        // PUT with an id in the body that differs from the parameter, and without the
        // parameter: 400.
        let mut other = statement("bob", "attempted", "rust-2");
        other["id"] = json!(uuid(version, 3));
        put(other).await.expect(StatusCode::BAD_REQUEST);
        lrs.put("/statements", &statement("bob", "attempted", "rust-2"))
            .await
            .expect_rule("parameter-required");
        // A batch: ids in order.
        let ids = lrs
            .store(&json!([
                statement("dee", "attempted", "rust-3"),
                statement("dee", "completed", "rust-3")
            ]))
            .await;
        assert_eq!(ids.len(), 2);
        lrs.get("/statements?statementId=not-a-uuid")
            .await
            .expect(StatusCode::BAD_REQUEST);
        lrs.get(&query(&[("statementId", &uuid(version, 9))]))
            .await
            .expect(StatusCode::NOT_FOUND);
    }
}

/// A fixed UUID per version and number, so the two versions' statements do not meet.
fn uuid(version: &str, n: u32) -> String {
    let v = if version == "1.0.3" { 1 } else { 2 };
    format!("00000000-0000-4000-8000-{v:06}{n:06}")
}

story!(bad_statements_get_400_with_the_rule);
async fn bad_statements_get_400_with_the_rule(t: TestApp) {
    for version in VERSIONS {
        let lrs = client(&t, &["all"], version).await;
        let mut two_ids = statement("ada", "completed", "a");
        two_ids["actor"]["openid"] = json!("https://ada.example/");
        let mut scaled = statement("ada", "completed", "a");
        scaled["result"] = json!({ "score": { "scaled": 1.5 } });
        let mut extension = statement("ada", "completed", "a");
        extension["context"] = json!({ "extensions": { "not an iri": 1 } });
        let mut language = statement("ada", "completed", "a");
        language["verb"]["display"] = json!({ "not a tag!": "done" });
        let mut duration = statement("ada", "completed", "a");
        duration["result"] = json!({ "duration": "an hour" });
        for (bad, rule) in [
            (two_ids, "agent-one-identifier"),
            (scaled, "score-scaled-range"),
            (extension, "extension-key-iri"),
            (language, "language-tag"),
            (duration, "duration-iso8601"),
        ] {
            let r = lrs.post("/statements", &bad).await;
            r.expect_rule(rule);
            assert!(!r.json()["message"].as_str().unwrap_or("").is_empty());
        }
        // Nothing was stored.
        let (all, _) = lrs.all("/statements").await;
        assert!(all.is_empty(), "{all:?}");
        // Not JSON, and an unknown parameter.
        lrs.send(
            lrs.request(Method::POST, "/statements")
                .header("content-type", "application/json")
                .body("{nope"),
        )
        .await
        .expect_rule("json-syntax");
        lrs.get("/statements?colour=blue")
            .await
            .expect_rule("query-unknown-parameter");
    }
}

story!(voided_statements_are_hidden_but_fetchable_by_voided_id);
async fn voided_statements_are_hidden_but_fetchable_by_voided_id(t: TestApp) {
    for version in VERSIONS {
        let lrs = client(&t, &["all"], version).await;
        let target = lrs
            .store(&statement("ada", "passed", "quiz"))
            .await
            .remove(0);
        let voiding = json!({
            "actor": { "mbox": "mailto:admin@acme.test" },
            "verb": { "id": "http://adlnet.gov/expapi/verbs/voided", "display": { "en-US": "voided" } },
            "object": { "objectType": "StatementRef", "id": target }
        });
        let voiding_id = lrs.store(&voiding).await.remove(0);
        lrs.get(&query(&[("statementId", &target)]))
            .await
            .expect(StatusCode::NOT_FOUND);
        let r = lrs.get(&query(&[("voidedStatementId", &target)])).await;
        r.expect(StatusCode::OK);
        assert_eq!(r.json()["id"], target.as_str());
        // The voiding statement is not voided: voidedStatementId does not find it.
        lrs.get(&query(&[("voidedStatementId", &voiding_id)]))
            .await
            .expect(StatusCode::NOT_FOUND);
        let (all, _) = lrs.all("/statements").await;
        let ids: Vec<&str> = all.iter().filter_map(|s| s["id"].as_str()).collect();
        assert!(ids.contains(&voiding_id.as_str()) && !ids.contains(&target.as_str()));
        // A voiding statement cannot be voided.
        let mut again = voiding.clone();
        again["object"]["id"] = json!(voiding_id);
        lrs.post("/statements", &again)
            .await
            .expect_rule("voiding-target-voiding");
        // Clear the way for the other version's run.
        let _ = t.app.store();
    }
}

story!(every_filter_and_more_paging);
async fn every_filter_and_more_paging(t: TestApp) {
    let registration = "6fbd6a4c-0bd1-4a57-b1d5-7d0d5d5b2a11";
    let writer = client(&t, &["all"], "1.0.3").await;
    let mut with_context = statement("ada", "experienced", "lesson-1");
    with_context["context"] = json!({
        "registration": registration,
        "instructor": { "mbox": "mailto:coach@acme.test" },
        "contextActivities": { "parent": [{ "id": "https://lore.test/activities/course-1" }] }
    });
    writer.store(&with_context).await;
    t.clock.advance(time::Duration::minutes(1));
    let after_first = writer.get("/statements?limit=1").await.json()["statements"][0]["stored"]
        .as_str()
        .expect("stored")
        .to_owned();
    for i in 0..5 {
        writer
            .store(&statement("bob", "attempted", &format!("quiz-{i}")))
            .await;
    }
    t.clock.advance(time::Duration::minutes(1));
    writer
        .store(&statement("ada", "completed", "course-1"))
        .await;
    for version in VERSIONS {
        let lrs = writer.with_version(version);
        let count = |params: Vec<(&'static str, String)>| {
            let lrs = &lrs;
            async move {
                let pairs: Vec<(&str, &str)> =
                    params.iter().map(|(k, v)| (*k, v.as_str())).collect();
                // The clients' statements only: on PostgreSQL a statement of one of Lore's
                // own events (the client's creation) may be stored late, after a query.
                let (all, _) = lrs.all(&query(&pairs)).await;
                all.into_iter()
                    .filter(|s| s["authority"]["account"]["name"] != "lore")
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(count(vec![]).await.len(), 7);
        assert_eq!(count(vec![("agent", agent("ada"))]).await.len(), 2);
        assert_eq!(count(vec![("agent", agent("coach"))]).await.len(), 0);
        assert_eq!(
            count(vec![
                ("agent", agent("coach")),
                ("related_agents", "true".into())
            ])
            .await
            .len(),
            1
        );
        assert_eq!(
            count(vec![(
                "verb",
                "http://adlnet.gov/expapi/verbs/attempted".into()
            )])
            .await
            .len(),
            5
        );
        let course = "https://lore.test/activities/course-1".to_owned();
        assert_eq!(count(vec![("activity", course.clone())]).await.len(), 1);
        assert_eq!(
            count(vec![
                ("activity", course),
                ("related_activities", "true".into())
            ])
            .await
            .len(),
            2
        );
        assert_eq!(
            count(vec![("registration", registration.into())])
                .await
                .len(),
            1
        );
        assert_eq!(count(vec![("since", after_first.clone())]).await.len(), 6);
        assert_eq!(count(vec![("until", after_first.clone())]).await.len(), 1);
        // Newest first by default, oldest first with ascending; format=ids leaves agents
        // with their identifier only.
        let newest = count(vec![]).await;
        assert_eq!(
            newest[0]["verb"]["id"],
            "http://adlnet.gov/expapi/verbs/completed"
        );
        let oldest = count(vec![("ascending", "true".into())]).await;
        assert_eq!(
            oldest[0]["verb"]["id"],
            "http://adlnet.gov/expapi/verbs/experienced"
        );
        let ids = count(vec![("format", "ids".into())]).await;
        assert!(ids[0]["actor"].get("name").is_none(), "{}", ids[0]);
        // Paging: limit 2 gives four pages, and every statement once. (On PostgreSQL one of
        // Lore's own statements may be stored late, mid-paging, as `count` says: it is left
        // out, and it may add a page.)
        let (paged, pages) = lrs.all("/statements?limit=2").await;
        assert!((4..=5).contains(&pages), "{pages} pages");
        let clients: Vec<&serde_json::Value> = paged
            .iter()
            .filter(|s| s["authority"]["account"]["name"] != "lore")
            .collect();
        let mut seen: Vec<&str> = clients.iter().filter_map(|s| s["id"].as_str()).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!((seen.len(), clients.len()), (7, 7), "each once");
        // Filters hold across pages.
        let (bobs, pages) = lrs
            .all(&query(&[("agent", &agent("bob")), ("limit", "2")]))
            .await;
        assert_eq!((bobs.len(), pages), (5, 3));
        lrs.get("/statements?more=garbage")
            .await
            .expect_rule("more-token");
    }
}

story!(version_header_about_cors_and_alternate_syntax);
async fn version_header_about_cors_and_alternate_syntax(t: TestApp) {
    let lrs = client(&t, &["all"], "1.0.3").await;
    let http = reqwest::Client::new();
    // Without the version header: 400 (with the header on the answer); /about needs none.
    let r = http
        .get(format!("{}/xapi/statements", t.base))
        .basic_auth(&lrs.key, Some(&lrs.secret))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.headers().contains_key("x-experience-api-version"));
    lrs.with_version("0.9.5")
        .get("/statements")
        .await
        .expect_rule("version-header");
    let about = http
        .get(format!("{}/xapi/about", t.base))
        .send()
        .await
        .expect("about");
    assert_eq!(about.status(), StatusCode::OK);
    let body: Value = about.json().await.expect("json");
    assert_eq!(body["version"], json!(["1.0.3", "2.0.0"]));
    // A browser's preflight.
    let pre = http
        .request(Method::OPTIONS, format!("{}/xapi/statements", t.base))
        .header("Origin", "https://tool.example")
        .header("Access-Control-Request-Method", "PUT")
        .send()
        .await
        .expect("options");
    assert!(pre.status().is_success());
    assert_eq!(pre.headers()["access-control-allow-origin"], "*");
    assert!(
        pre.headers()["access-control-allow-headers"]
            .to_str()
            .unwrap_or("")
            .contains("X-Experience-API-Version")
    );

    // The alternate request syntax: a form POST standing for a PUT, then a GET (1.0.3).
    let id = "00000000-0000-4000-8000-00000000a1a1";
    let auth = format!(
        "Basic {}",
        base64_encode(&format!("{}:{}", lrs.key, lrs.secret))
    );
    let content = statement("ada", "attempted", "alt").to_string();
    let form = [
        ("Authorization", auth.as_str()),
        ("X-Experience-API-Version", "1.0.3"),
        ("Content-Type", "application/json"),
        ("statementId", id),
        ("content", content.as_str()),
    ];
    let r = http
        .post(format!("{}/xapi/statements?method=PUT", t.base))
        .form(&form)
        .send()
        .await
        .expect("alternate put");
    assert_eq!(
        r.status(),
        StatusCode::NO_CONTENT,
        "{}",
        r.text().await.unwrap_or_default()
    );
    let r = http
        .post(format!("{}/xapi/statements?method=GET", t.base))
        .form(&[
            ("Authorization", auth.as_str()),
            ("X-Experience-API-Version", "1.0.3"),
            ("statementId", id),
        ])
        .send()
        .await
        .expect("alternate get");
    assert_eq!(r.status(), StatusCode::OK);
    let s: Value = r.json().await.expect("json");
    assert_eq!(s["id"], id);
    // 2.0.0 has no alternate syntax.
    let r = http
        .post(format!("{}/xapi/statements?method=GET", t.base))
        .form(&[
            ("Authorization", auth.as_str()),
            ("X-Experience-API-Version", "2.0.0"),
            ("statementId", id),
        ])
        .send()
        .await
        .expect("alternate get 2.0");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

fn base64_encode(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

story!(attachments_travel_in_multipart_and_a_wrong_hash_is_refused);
async fn attachments_travel_in_multipart_and_a_wrong_hash_is_refused(t: TestApp) {
    for version in VERSIONS {
        let lrs = client(&t, &["all"], version).await;
        let content = b"certificate text".to_vec();
        let (s, sha2) = with_certificate(statement("ada", "completed", "with-file"), &content);
        let good = multipart(&s, &content, &sha2);
        let r = lrs
            .send(
                lrs.request(Method::POST, "/statements")
                    .header("content-type", "multipart/mixed; boundary=abc")
                    .body(good),
            )
            .await;
        r.expect(StatusCode::OK);
        let id = r.json()[0].as_str().expect("id").to_owned();
        let wrong = multipart(&s, b"other text", &sha2);
        lrs.send(
            lrs.request(Method::POST, "/statements")
                .header("content-type", "multipart/mixed; boundary=abc")
                .body(wrong),
        )
        .await
        .expect(StatusCode::BAD_REQUEST);
        // Without the part at all: refused too.
        lrs.post("/statements", &s)
            .await
            .expect(StatusCode::BAD_REQUEST);
        // attachments=true answers multipart/mixed with the content.
        let r = lrs
            .get(&query(&[("statementId", &id), ("attachments", "true")]))
            .await;
        r.expect(StatusCode::OK);
        assert!(r.header("content-type").starts_with("multipart/mixed"));
        let text = String::from_utf8_lossy(&r.body);
        assert!(text.contains("certificate text") && text.contains(&sha2));
    }
}

/// The statement with a certificate attachment of this content, and the content's SHA-2.
pub(crate) fn with_certificate(mut s: Value, content: &[u8]) -> (Value, String) {
    let sha2 = sha256(content);
    s["attachments"] = json!([{
        "usageType": "http://id.tincanapi.com/attachment/certificate-of-completion",
        "display": { "en-US": "Certificate" },
        "contentType": "text/plain",
        "length": content.len(),
        "sha2": sha2,
    }]);
    (s, sha2)
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

pub(crate) fn multipart(statement: &Value, content: &[u8], sha2: &str) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(b"--abc\r\nContent-Type: application/json\r\n\r\n");
    body.extend_from_slice(statement.to_string().as_bytes());
    body.extend_from_slice(
        format!(
            "\r\n--abc\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\n\
             X-Experience-API-Hash: {sha2}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(b"\r\n--abc--\r\n");
    body
}
