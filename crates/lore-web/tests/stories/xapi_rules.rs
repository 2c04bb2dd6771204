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
