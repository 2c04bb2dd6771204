//! LRS rules checked across resources, in both versions: document ETags are the quoted SHA-1
//! of the content, the 409 rule for a PUT without a precondition (profiles in both versions,
//! state in 2.0.0 only: docs/decisions/0035), and the version header `1.0`.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::story;
use crate::support::TestApp;
use crate::xapi_harness::{Lrs, Reply, VERSIONS, agent, client, query, statement};

async fn put(lrs: &Lrs, path: &str, body: &str, headers: &[(&str, &str)]) -> Reply {
    let mut req = lrs
        .request(Method::PUT, path)
        .header("content-type", "application/json")
        .body(body.to_owned());
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    lrs.send(req).await
}

story!(document_etags_are_the_sha1_of_the_content);
async fn document_etags_are_the_sha1_of_the_content(t: TestApp) {
    for version in VERSIONS {
        let lrs = client(&t, &["all"], version).await;
        let doc = format!(
            "/activities/profile?{}",
            serde_urlencoded::to_string([
                (
                    "activityId",
                    format!("https://lore.test/activities/etag-{version}")
                ),
                ("profileId", "p".to_owned()),
            ])
            .expect("query")
        );
        put(&lrs, &doc, r#"{"a":1}"#, &[("If-None-Match", "*")])
            .await
            .expect(StatusCode::NO_CONTENT);
        let r = lrs.get(&doc).await;
        r.expect(StatusCode::OK);
        // sha1(b'{"a":1}'), quoted (1.0.3 Communication 3.1; 2.0.0 4.1.4).
        assert_eq!(
            r.header("etag"),
            "\"9f89c740ceb46d7418c924a78ac57941d5e96520\""
        );
    }
}

story!(a_put_without_precondition_on_existing_state_is_409_in_2_0_0_only);
async fn a_put_without_precondition_on_existing_state_is_409_in_2_0_0_only(t: TestApp) {
    for version in VERSIONS {
        let lrs = client(&t, &["all"], version).await;
        let state = format!(
            "/activities/state?{}",
            serde_urlencoded::to_string([
                (
                    "activityId",
                    format!("https://lore.test/activities/s-{version}")
                ),
                ("agent", agent("ada")),
                ("stateId", "bookmark".to_owned()),
            ])
            .expect("query")
        );
        // Creating needs no precondition, in either version.
        put(&lrs, &state, r#"{"page":1}"#, &[])
            .await
            .expect(StatusCode::NO_CONTENT);
        let r = put(&lrs, &state, r#"{"page":2}"#, &[]).await;
        if version == "1.0.3" {
            // 1.0.3 Communication 3.1: the State Resource permits PUT without concurrency headers.
            r.expect(StatusCode::NO_CONTENT);
            assert_eq!(lrs.get(&state).await.json(), json!({"page": 2}));
        } else {
            // 2.0.0 4.1.4: 409 with a message, the document unchanged.
            r.expect(StatusCode::CONFLICT);
            assert!(String::from_utf8_lossy(&r.body).contains("If-Match"));
            assert_eq!(lrs.get(&state).await.json(), json!({"page": 1}));
            // If-None-Match: * on an existing document is 412; the right If-Match passes.
            put(&lrs, &state, r#"{"page":2}"#, &[("If-None-Match", "*")])
                .await
                .expect(StatusCode::PRECONDITION_FAILED);
            let etag = lrs.get(&state).await.header("etag");
            put(&lrs, &state, r#"{"page":2}"#, &[("If-Match", &etag)])
                .await
                .expect(StatusCode::NO_CONTENT);
        }
        // POST (merge) needs no precondition in either version.
        lrs.send(
            lrs.request(Method::POST, &state)
                .header("content-type", "application/json")
                .body(r#"{"chapter":3}"#),
        )
        .await
        .expect(StatusCode::NO_CONTENT);
        assert_eq!(
            lrs.get(&state).await.json(),
            json!({"page": 2, "chapter": 3})
        );
    }
}

story!(the_version_header_1_0_is_taken_as_1_0_0);
async fn the_version_header_1_0_is_taken_as_1_0_0(t: TestApp) {
    let lrs = client(&t, &["all"], "1.0").await;
    let r = lrs.get("/statements").await;
    r.expect(StatusCode::OK);
    assert_eq!(r.header("x-experience-api-version"), "1.0.3");
    let old = lrs.with_version("0.95");
    old.get("/statements").await.expect_rule("version-header");
}

story!(single_statement_lookups_follow_the_parameter_rules);
async fn single_statement_lookups_follow_the_parameter_rules(t: TestApp) {
    for version in VERSIONS {
        let lrs = client(&t, &["all"], version).await;
        let ids = lrs.store(&statement("ada", "completed", "lookup")).await;
        let id = ids[0].as_str();
        let other = "0f0f0f0f-0000-4000-8000-000000000000";
        // statementId goes only with format and attachments; never with voidedStatementId.
        lrs.get(&query(&[("statementId", id), ("agent", &agent("ada"))]))
            .await
            .expect_rule("query-statement-id-filters");
        lrs.get(&query(&[("statementId", id), ("voidedStatementId", other)]))
            .await
            .expect_rule("query-both-ids");
        lrs.get(&query(&[("statementId", id), ("format", "ids")]))
            .await
            .expect(StatusCode::OK);
        // Parameters match by case: "StatementId" is not one.
        lrs.get(&query(&[("StatementId", id)]))
            .await
            .expect_rule("query-unknown-parameter");
        // An unknown id is 404; a stored, unvoided one is not found by voidedStatementId.
        lrs.get(&query(&[("statementId", other)]))
            .await
            .expect(StatusCode::NOT_FOUND);
        lrs.get(&query(&[("voidedStatementId", id)]))
            .await
            .expect(StatusCode::NOT_FOUND);
        // No match is still 200 with an empty list.
        let r = lrs.get(&query(&[("agent", &agent("nobody-at-all"))])).await;
        r.expect(StatusCode::OK);
        assert_eq!(r.json()["statements"], json!([]));
    }
}

story!(an_oversized_request_is_413_and_other_rules_hold);
async fn an_oversized_request_is_413_and_other_rules_hold(t: TestApp) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    for version in VERSIONS {
        // A body declared larger than the LRS takes (16 MB): 413 before it is read, with
        // the version header (Communication 3.2).
        let address = t.base.trim_start_matches("http://").to_owned();
        let mut stream = tokio::net::TcpStream::connect(&address)
            .await
            .expect("connect");
        let request = format!(
            "POST /xapi/statements HTTP/1.1\r\nHost: {address}\r\n\
             X-Experience-API-Version: {version}\r\nContent-Type: application/json\r\n\
             Content-Length: 17000000\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.ok();
        let answer = String::from_utf8_lossy(&answer).to_lowercase();
        assert!(answer.starts_with("http/1.1 413"), "{answer}");
        assert!(
            answer.contains(&format!("x-experience-api-version: {version}")),
            "{answer}"
        );
        assert!(answer.contains("request-too-large"), "{answer}");

        let lrs = client(&t, &["all"], version).await;
        // POST onto a document with a failing If-Match: 412, unchanged (2.0.0 4.1.4 SHALL;
        // 1.0.3 SHOULD*).
        let doc = format!(
            "/agents/profile?{}",
            serde_urlencoded::to_string([
                ("agent", agent(&format!("post-{version}"))),
                ("profileId", "p".to_owned()),
            ])
            .expect("query")
        );
        put(&lrs, &doc, r#"{"a":1}"#, &[("If-None-Match", "*")])
            .await
            .expect(StatusCode::NO_CONTENT);
        lrs.send(
            lrs.request(Method::POST, &doc)
                .header("content-type", "application/json")
                .header("If-Match", "\"0000000000000000000000000000000000000000\"")
                .body(r#"{"b":2}"#),
        )
        .await
        .expect(StatusCode::PRECONDITION_FAILED);
        assert_eq!(lrs.get(&doc).await.json(), json!({"a": 1}));
        // An agent the LRS has never seen still gets a Person (Communication 2.4).
        let r = lrs
            .get(&format!(
                "/agents?{}",
                serde_urlencoded::to_string([("agent", agent("never-seen"))]).expect("q")
            ))
            .await;
        r.expect(StatusCode::OK);
        assert_eq!(
            r.json(),
            json!({ "objectType": "Person", "mbox": ["mailto:never-seen@acme.test"] })
        );
    }
}

story!(the_agent_filter_finds_groups_the_agent_is_a_member_of);
async fn the_agent_filter_finds_groups_the_agent_is_a_member_of(t: TestApp) {
    for version in VERSIONS {
        let lrs = client(&t, &["all"], version).await;
        let member = format!("member-{version}");
        let mut by_group = statement("ada", "attended", "group-session");
        by_group["actor"] = json!({
            "objectType": "Group",
            "name": "Reading group",
            "member": [
                { "mbox": format!("mailto:{member}@acme.test") },
                { "mbox": "mailto:other@acme.test" }
            ]
        });
        let ids = lrs.store(&by_group).await;
        // Communication 2.1.3, agent: a group whose members match the agent is a match.
        let r = lrs.get(&query(&[("agent", &agent(&member))])).await;
        r.expect(StatusCode::OK);
        let page = r.json();
        let found: Vec<&str> = page["statements"]
            .as_array()
            .expect("statements")
            .iter()
            .filter_map(|s| s["id"].as_str())
            .collect();
        assert_eq!(found, vec![ids[0].as_str()]);
    }
}
