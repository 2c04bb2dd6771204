//! Body limits of the JSON API: every text the domain allows fits, in any characters (a
//! 20,000-character post of 4-byte emoji is 80 KB), and a body over the limit is refused
//! with 413 and the stable code `body_too_large`, storing nothing.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::api::token_for;
use crate::courses::{team, write_runbook};
use crate::feedback_api::expect_error;
use crate::story;
use crate::support::TestApp;

story!(the_longest_text_fits_and_a_larger_body_is_413);
async fn the_longest_text_fits_and_a_larger_body_is_413(t: TestApp) {
    team(&t).await;
    let ada_b = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada_b).await;
    let ada = t.api(&token_for(&t, "ada@acme.test").await);
    let threads = format!("/courses/{id}/threads");

    // 20,000 emoji of four bytes each: the longest post there is, 80 KB of JSON.
    let longest = "🦀".repeat(lore_domain::discussion::MAX_BODY_CHARS);
    assert!(longest.len() > 64 * 1024);
    let posted = ada
        .send(
            Method::POST,
            &threads,
            Some(json!({"title": "Crabs", "body": longest})),
        )
        .await;
    posted.expect_status(StatusCode::CREATED);

    // One character more is the domain's refusal, not the body limit's.
    let over = format!("{longest}🦀");
    let refused = ada
        .send(
            Method::POST,
            &threads,
            Some(json!({"title": "Too many crabs", "body": over})),
        )
        .await;
    expect_error(&refused, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");

    // A body larger than any text the API takes: 413, whatever the route.
    let huge = "🦀".repeat(4 * lore_domain::course::StepBody::MAX_CHARS);
    // The server answers before reading the rest of such a body and then closes the
    // connection, so each call (and the listing after) starts a connection of its own
    // rather than reuse one the server may be closing.
    for path in [threads.as_str(), "/groups", "/needs"] {
        let page = t
            .api(&ada.token)
            .send(
                Method::POST,
                path,
                Some(json!({"title": "Huge", "body": huge, "name": huge})),
            )
            .await;
        expect_error(&page, StatusCode::PAYLOAD_TOO_LARGE, "body_too_large");
    }
    let listed = t.api(&ada.token).get(&threads).await;
    listed.expect_status(StatusCode::OK);
    let titles: Vec<String> = listed
        .json()
        .as_array()
        .expect("a list of threads")
        .iter()
        .filter_map(|thread| thread["title"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(titles, ["Crabs"], "only the post that fitted was stored");
}

story!(admin_only_operations_refuse_before_reading_input);
/// A learner gets 403 from operations only platform administrators may use, whatever the
/// address or body: a 422 would tell them which inputs would have been valid.
async fn admin_only_operations_refuse_before_reading_input(t: TestApp) {
    t.person("lia@acme.test", "Lia Learner", false).await;
    let lia = t.api(&token_for(&t, "lia@acme.test").await);
    let nonsense = json!({"nonsense": true});
    for (method, path) in [
        (Method::PUT, "/xapi/forwarding"),
        (
            Method::POST,
            "/xapi/forwarding/dead-letters/not-a-number/replay",
        ),
        (Method::POST, "/webhooks"),
        (Method::PATCH, "/webhooks/not-a-number"),
        (Method::POST, "/xapi/clients"),
        (Method::DELETE, "/xapi/clients/not-a-number"),
    ] {
        let page = lia.send(method.clone(), path, Some(nonsense.clone())).await;
        expect_error(&page, StatusCode::FORBIDDEN, "forbidden");
    }
    let audit = lia.get("/audit-log?limit=not-a-number").await;
    expect_error(&audit, StatusCode::FORBIDDEN, "forbidden");
    let import = lia
        .send_raw(
            Method::POST,
            "/users/import",
            "text/plain",
            b"nonsense".to_vec(),
        )
        .await;
    expect_error(&import, StatusCode::FORBIDDEN, "forbidden");
}
