//! The JSON API with bearer tokens: the same rules as the pages, errors with stable codes.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::story;
use crate::support::TestApp;

pub(crate) async fn token_for(t: &TestApp, email: &str) -> String {
    let b = t.signed_in(email).await;
    b.get("/account").await;
    b.post("/account/tokens", &[("name", "story")])
        .await
        .testid("new-token")
}

/// An admin manages groups, members and invitations through the API; a learner is refused.
async fn the_api_follows_the_policy(t: TestApp) {
    t.person("admin@acme.test", "Avery Admin", true).await;
    t.person("lia@acme.test", "Lia Learner", false).await;
    let admin = t.api(&token_for(&t, "admin@acme.test").await);
    let lia = t.api(&token_for(&t, "lia@acme.test").await);

    let me = admin.get("/me").await;
    me.expect_status(StatusCode::OK);
    assert_eq!(me.json()["email"], "admin@acme.test");

    let acme = admin
        .send(Method::POST, "/groups", Some(json!({"name": "Acme"})))
        .await;
    acme.expect_status(StatusCode::CREATED);
    let acme_id = acme.json()["id"].as_i64().expect("id");
    let eng = admin
        .send(
            Method::POST,
            "/groups",
            Some(json!({"name": "Engineering", "parent_id": acme_id})),
        )
        .await;
    eng.expect_status(StatusCode::CREATED);
    let eng_id = eng.json()["id"].as_i64().expect("id");
    assert_eq!(eng.json()["path"], "Acme/Engineering");

    let lia_id = t
        .app
        .store()
        .user_by_email("lia@acme.test")
        .await
        .expect("q")
        .expect("lia")
        .id;
    admin
        .send(
            Method::PUT,
            &format!("/groups/{eng_id}/members/{lia_id}"),
            Some(json!({"role": "learner"})),
        )
        .await
        .expect_status(StatusCode::NO_CONTENT);
    let members = admin.get(&format!("/groups/{eng_id}/members")).await;
    assert_eq!(members.json()["total"], 1);
    assert_eq!(members.json()["members"][0]["email"], "lia@acme.test");
    assert_eq!(members.json()["members"][0]["role"], "learner");

    // Lia sees her group through the API, and may do nothing more.
    let lia_me = lia.get("/me").await.json();
    assert_eq!(lia_me["groups"][0]["path"], "Acme/Engineering");
    let refused = lia
        .send(Method::POST, "/groups", Some(json!({"name": "Mine"})))
        .await;
    refused.expect_status(StatusCode::FORBIDDEN);
    assert_eq!(refused.json()["error"]["code"], "forbidden");
    lia.get("/users").await.expect_status(StatusCode::FORBIDDEN);
    lia.send(
        Method::PATCH,
        &format!("/groups/{eng_id}"),
        Some(json!({"name": "Lia's"})),
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);
    assert_eq!(
        admin.get(&format!("/groups/{eng_id}")).await.json()["name"],
        "Engineering"
    );

    // Invitations through the API give a working one-time link.
    let invited = admin
        .send(Method::POST, "/users", Some(json!({"email": "neo@acme.test", "name": "Neo Anders", "group_id": eng_id, "role": "author"})))
        .await;
    invited.expect_status(StatusCode::CREATED);
    let url = invited.json()["invite_url"]
        .as_str()
        .expect("url")
        .to_owned();
    let neo = t.browser();
    neo.get(url.strip_prefix(&t.base).expect("local"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Neo Anders");

    // Bad input: a clear error with a stable code, and nothing changes.
    let before = admin.get("/groups").await.json().as_array().map(Vec::len);
    for (body, what) in [
        (json!({"name": ""}), "empty name"),
        (json!({"nom": "Typo"}), "unknown field"),
        (json!({"name": 42}), "wrong type"),
    ] {
        let r = admin.send(Method::POST, "/groups", Some(body)).await;
        r.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["code"], "invalid_input", "{what}");
    }
    let broken = admin
        .send_raw(
            Method::POST,
            "/groups",
            "application/json",
            b"{not json".to_vec(),
        )
        .await;
    assert_eq!(broken.json()["error"]["code"], "invalid_input");
    assert_eq!(
        admin.get("/groups").await.json().as_array().map(Vec::len),
        before
    );
    let missing = admin.get("/groups/99999").await;
    missing.expect_status(StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"]["code"], "not_found");

    // No token, a made-up token: 401 with the same shape.
    let anon = t.api("lore_not-a-real-token");
    let r = anon.get("/me").await;
    r.expect_status(StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "unauthenticated");
}
story!(the_api_follows_the_policy);

/// Tokens are shown once, listed without their secret, and stop working when revoked.
async fn tokens_are_listed_and_revoked(t: TestApp) {
    t.person("tom@acme.test", "Tom Tran", false).await;
    let first = t.api(&token_for(&t, "tom@acme.test").await);
    let made = first
        .send(
            Method::POST,
            "/tokens",
            Some(json!({"name": "nightly export"})),
        )
        .await;
    made.expect_status(StatusCode::CREATED);
    let secret = made.json()["token"].as_str().expect("token").to_owned();
    let id = made.json()["id"].as_i64().expect("id");
    let list = first.get("/tokens").await;
    list.expect_lacks(&secret).expect_contains("nightly export");
    t.api(&secret)
        .get("/me")
        .await
        .expect_status(StatusCode::OK);
    first
        .send(Method::DELETE, &format!("/tokens/{id}"), None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    t.api(&secret)
        .get("/me")
        .await
        .expect_status(StatusCode::UNAUTHORIZED);
    // Only the hash is stored.
    let stored = t
        .app
        .store()
        .tokens_of(
            t.app
                .store()
                .user_by_email("tom@acme.test")
                .await
                .expect("q")
                .expect("tom")
                .id,
        )
        .await
        .expect("tokens");
    assert!(
        stored
            .iter()
            .all(|row| row.token_hash != secret && !row.token_hash.contains(&secret[5..]))
    );
}
story!(tokens_are_listed_and_revoked);

/// The people import through the API: bad rows listed as JSON, nothing imported.
async fn csv_import_through_the_api(t: TestApp) {
    t.group(None, "Acme").await;
    t.person("admin@acme.test", "Avery Admin", true).await;
    let admin = t.api(&token_for(&t, "admin@acme.test").await);
    let bad = "email,name,groups\nok@acme.test,Ok,Acme\nbroken,Nope,Acme\n";
    let r = admin
        .send_raw(
            Method::POST,
            "/users/import",
            "text/csv",
            bad.as_bytes().to_vec(),
        )
        .await;
    r.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["code"], "import_rejected");
    assert_eq!(r.json()["error"]["rows"][0]["line"], 3);
    assert!(
        t.app
            .store()
            .user_by_email("ok@acme.test")
            .await
            .expect("q")
            .is_none()
    );
    let good = "email,name,groups\nok@acme.test,Ok Person,Acme\n";
    let r = admin
        .send_raw(
            Method::POST,
            "/users/import",
            "text/csv",
            good.as_bytes().to_vec(),
        )
        .await;
    r.expect_status(StatusCode::OK);
    assert_eq!(r.json()["created"], 1);
}
story!(csv_import_through_the_api);

/// The OpenAPI document describes the API as version 3.1 and needs no sign-in.
async fn the_openapi_document_is_served(t: TestApp) {
    let r = t.browser().get("/api/v1/openapi.json").await;
    r.expect_status(StatusCode::OK);
    let doc = r.json();
    assert!(doc["openapi"].as_str().expect("version").starts_with("3.1"));
    for path in [
        "/api/v1/me",
        "/api/v1/users",
        "/api/v1/groups/{id}/members/{user_id}",
        "/api/v1/tokens/{id}",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
}
story!(the_openapi_document_is_served);
