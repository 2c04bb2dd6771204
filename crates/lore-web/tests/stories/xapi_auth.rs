//! Who may use `/xapi/`: clients by Basic credentials and their scopes (401, 403), revoked
//! clients, signed-in people reading (their own, or all for platform administrators), and
//! the admin page and API that make clients.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::story;
use crate::support::TestApp;
use crate::xapi_harness::{Lrs, VERSIONS, agent, client, query, statement};

story!(credentials_and_scopes);
async fn credentials_and_scopes(t: TestApp) {
    for version in VERSIONS {
        let writer = client(&t, &["statements/write"], version).await;
        let reader = client(&t, &["statements/read"], version).await;
        let mine = client(&t, &["statements/read/mine", "statements/write"], version).await;
        // Missing and wrong credentials: 401 asking for Basic.
        let http = reqwest::Client::new();
        let r = http
            .get(format!("{}/xapi/statements", t.base))
            .header("X-Experience-API-Version", version)
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(
            r.headers()["www-authenticate"]
                .to_str()
                .unwrap_or("")
                .starts_with("Basic")
        );
        let wrong = Lrs {
            secret: "wrong".to_owned(),
            ..writer.with_version(version)
        };
        wrong
            .get("/statements")
            .await
            .expect(StatusCode::UNAUTHORIZED);
        let bearer = http
            .get(format!("{}/xapi/statements", t.base))
            .header("X-Experience-API-Version", version)
            .bearer_auth("lore_nothing")
            .send()
            .await
            .expect("get");
        assert_eq!(bearer.status(), StatusCode::UNAUTHORIZED);
        // Scopes: a writer cannot read, a reader cannot write.
        let written = writer.store(&statement("ada", "attempted", "a")).await;
        writer
            .get("/statements")
            .await
            .expect(StatusCode::FORBIDDEN);
        reader
            .post("/statements", &statement("ada", "attempted", "a"))
            .await
            .expect(StatusCode::FORBIDDEN);
        let r = reader.get(&query(&[("statementId", &written[0])])).await;
        r.expect(StatusCode::OK);
        // Read mine: only what this client wrote.
        let own = mine.store(&statement("bob", "attempted", "b")).await;
        let (seen, _) = mine.all("/statements").await;
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0]["id"], own[0].as_str());
        mine.get(&query(&[("statementId", &written[0])]))
            .await
            .expect(StatusCode::NOT_FOUND);
        // Revoked: 401 at once.
        let admin = t.caller("lrs-admin@acme.test").await;
        let id = t
            .app
            .xapi_clients(&admin)
            .await
            .expect("clients")
            .into_iter()
            .find(|c| c.key == reader.key)
            .expect("the reader")
            .id;
        t.app.revoke_xapi_client(&admin, id).await.expect("revoke");
        reader
            .get("/statements")
            .await
            .expect(StatusCode::UNAUTHORIZED);
    }
}

story!(signed_in_people_read_their_own_and_admins_all);
async fn signed_in_people_read_their_own_and_admins_all(t: TestApp) {
    let lrs = client(&t, &["all"], "1.0.3").await;
    lrs.store(&statement("ada", "attempted", "a")).await;
    lrs.store(&statement("bob", "attempted", "b")).await;
    t.person("ada@acme.test", "Ada", false).await;
    t.person("root@acme.test", "Root", true).await;
    let ada = t.signed_in("ada@acme.test").await;
    let headers = [("X-Experience-API-Version", "1.0.3")];
    let r = ada.get_bytes("/xapi/statements", &headers).await;
    assert_eq!(r.status, StatusCode::OK);
    let page: serde_json::Value = serde_json::from_slice(&r.bytes).expect("json");
    let statements = page["statements"].as_array().expect("statements");
    assert_eq!(statements.len(), 1);
    assert_eq!(statements[0]["actor"]["mbox"], "mailto:ada@acme.test");
    let root = t.signed_in("root@acme.test").await;
    let r = root.get_bytes("/xapi/statements", &headers).await;
    let page: serde_json::Value = serde_json::from_slice(&r.bytes).expect("json");
    // The client's two, whoever wrote them; Lore's own statements of the people just made
    // (written by the worker whenever it runs) are not what this counts.
    let mut actors: Vec<&str> = page["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .filter(|s| {
            s["verb"]["id"]
                .as_str()
                .is_some_and(|v| v.ends_with("/attempted"))
        })
        .filter_map(|s| s["actor"]["mbox"].as_str())
        .collect();
    actors.sort_unstable();
    assert_eq!(actors, ["mailto:ada@acme.test", "mailto:bob@acme.test"]);
    // A session never writes, not even a platform administrator's.
    let who = lore_app::lrs::XapiCaller::person(t.caller("root@acme.test").await);
    let refused = t
        .app
        .xapi_post_statements(
            &who,
            lore_xapi::Version::V1_0_3,
            &statement("ada", "attempted", "a"),
            &[],
        )
        .await;
    assert!(matches!(
        refused,
        Err(lore_app::lrs::LrsError::Forbidden(_))
    ));
    // And documents are not a learner's to read.
    let r = ada
        .get_bytes(
            &format!(
                "/xapi/activities/state?activityId=https://lore.test/a&agent={}",
                crate::xapi_harness::encode(&agent("ada"))
            ),
            &headers,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

story!(admins_make_list_and_revoke_clients);
async fn admins_make_list_and_revoke_clients(t: TestApp) {
    t.person("root@acme.test", "Root", true).await;
    t.person("ada@acme.test", "Ada", false).await;
    let root = t.signed_in("root@acme.test").await;
    root.get("/admin").await.expect_contains("/admin/xapi");
    root.get("/admin/xapi").await.expect_status(StatusCode::OK);
    let made = root
        .post(
            "/admin/xapi",
            &[("name", "Reporting tool"), ("scopes", "statements/read")],
        )
        .await;
    made.expect_status(StatusCode::OK);
    let key = made.testid("client-key");
    let secret = made.testid("client-secret");
    assert!(
        key.starts_with("lore_xapi_") && secret.len() >= 32,
        "{key} {secret}"
    );
    // The secret works once shown, and is never shown again.
    let r = reqwest::Client::new()
        .get(format!("{}/xapi/statements", t.base))
        .header("X-Experience-API-Version", "2.0.0")
        .basic_auth(&key, Some(&secret))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::OK);
    let list = root.get("/admin/xapi").await;
    list.expect_contains("Reporting tool").expect_contains(&key);
    list.expect_lacks(&secret);
    // Learners may not.
    let ada = t.signed_in("ada@acme.test").await;
    ada.get("/admin/xapi")
        .await
        .expect_status(StatusCode::FORBIDDEN);
    // The API twin.
    let token = crate::api::token_for(&t, "root@acme.test").await;
    let api = t.api(&token);
    let r = api
        .send(
            Method::POST,
            "/xapi/clients",
            Some(json!({"name": "Sync", "scopes": ["statements/write"]})),
        )
        .await;
    r.expect_status(StatusCode::CREATED);
    let created = r.json();
    assert!(created["secret"].as_str().is_some_and(|s| s.len() >= 32));
    let id = created["id"].as_i64().expect("id");
    let listed = api.get("/xapi/clients").await.json();
    assert!(
        listed
            .as_array()
            .expect("list")
            .iter()
            .all(|c| c.get("secret").is_none())
    );
    assert_eq!(listed.as_array().expect("list").len(), 2);
    api.send(Method::DELETE, &format!("/xapi/clients/{id}"), None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    let listed = api.get("/xapi/clients").await.json();
    assert!(
        listed
            .as_array()
            .expect("list")
            .iter()
            .any(|c| c["id"] == id && !c["revoked_at"].is_null())
    );
    api.send(
        Method::POST,
        "/xapi/clients",
        Some(json!({"name": "Bad", "scopes": ["everything"]})),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    // Revoking from the page.
    let first = t
        .app
        .xapi_clients(&t.caller("root@acme.test").await)
        .await
        .expect("clients")
        .into_iter()
        .find(|c| c.key == key)
        .expect("made on the page");
    root.post(&format!("/admin/xapi/{}/revoke", first.id), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let r = reqwest::Client::new()
        .get(format!("{}/xapi/statements", t.base))
        .header("X-Experience-API-Version", "2.0.0")
        .basic_auth(&key, Some(&secret))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let _ = VERSIONS;
}
