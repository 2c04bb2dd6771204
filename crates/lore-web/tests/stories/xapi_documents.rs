//! Documents of `/xapi/` (state, activity profile, agent profile) with ETags and
//! preconditions, activities (merged definitions) and agents (Person), in both versions.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::story;
use crate::support::TestApp;
use crate::xapi_harness::{Lrs, Reply, VERSIONS, agent, client, statement};

async fn put_doc(lrs: &Lrs, path: &str, body: &str, headers: &[(&str, &str)]) -> Reply {
    let mut req = lrs
        .request(Method::PUT, path)
        .header("content-type", "application/json")
        .body(body.to_owned());
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    lrs.send(req).await
}

async fn post_doc(lrs: &Lrs, path: &str, content_type: &str, body: &str) -> Reply {
    lrs.send(
        lrs.request(Method::POST, path)
            .header("content-type", content_type)
            .body(body.to_owned()),
    )
    .await
}

story!(state_documents_merge_list_and_delete);
async fn state_documents_merge_list_and_delete(t: TestApp) {
    for version in VERSIONS {
        let lrs = client(&t, &["statements/write"], version).await;
        let base = format!(
            "/activities/state?{}",
            serde_urlencoded::to_string([
                (
                    "activityId",
                    format!("https://lore.test/activities/{version}")
                ),
                ("agent", agent("ada")),
            ])
            .expect("query")
        );
        let one = format!("{base}&stateId=bookmark");
        put_doc(&lrs, &one, r#"{"page": 3}"#, &[])
            .await
            .expect(StatusCode::NO_CONTENT);
        let r = lrs.get(&one).await;
        r.expect(StatusCode::OK);
        assert_eq!(r.json(), json!({"page": 3}));
        let etag = r.header("etag");
        assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
        assert!(!r.header("last-modified").is_empty());
        // 1.0.3 lets state be replaced without a precondition; 2.0.0 asks for one (409
        // without, decision 0035). A wrong If-Match is 412.
        if version == "1.0.3" {
            put_doc(&lrs, &one, r#"{"page": 4}"#, &[])
                .await
                .expect(StatusCode::NO_CONTENT);
        } else {
            put_doc(&lrs, &one, r#"{"page": 4}"#, &[])
                .await
                .expect(StatusCode::CONFLICT);
            put_doc(&lrs, &one, r#"{"page": 4}"#, &[("If-Match", &etag)])
                .await
                .expect(StatusCode::NO_CONTENT);
        }
        put_doc(&lrs, &one, r#"{"page": 5}"#, &[("If-Match", &etag)])
            .await
            .expect(StatusCode::PRECONDITION_FAILED);
        put_doc(&lrs, &one, r#"{"page": 5}"#, &[("If-None-Match", "*")])
            .await
            .expect(StatusCode::PRECONDITION_FAILED);
        // POST merges JSON objects; a non-JSON merge is 400.
        post_doc(&lrs, &one, "application/json", r#"{"chapter": 2}"#)
            .await
            .expect(StatusCode::NO_CONTENT);
        assert_eq!(lrs.get(&one).await.json(), json!({"page": 4, "chapter": 2}));
        post_doc(&lrs, &one, "text/plain", "plain")
            .await
            .expect_rule("document-merge-json");
        // The ids, and since.
        t.clock.advance(time::Duration::minutes(1));
        let mark = "2000-01-01T00:00:00Z";
        put_doc(&lrs, &format!("{base}&stateId=progress"), "{}", &[])
            .await
            .expect(StatusCode::NO_CONTENT);
        assert_eq!(lrs.get(&base).await.json(), json!(["bookmark", "progress"]));
        assert_eq!(
            lrs.get(&format!("{base}&since={mark}")).await.json(),
            json!(["bookmark", "progress"])
        );
        // Bad input: no agent, a bad registration, an unknown parameter.
        lrs.get("/activities/state?activityId=https://lore.test/a&stateId=x")
            .await
            .expect_rule("parameter-required");
        lrs.get(&format!("{one}&registration=nope"))
            .await
            .expect_rule("registration-uuid");
        lrs.get(&format!("{one}&colour=blue"))
            .await
            .expect_rule("unknown-parameter");
        // DELETE one, then all.
        lrs.send(lrs.request(Method::DELETE, &one))
            .await
            .expect(StatusCode::NO_CONTENT);
        lrs.get(&one).await.expect(StatusCode::NOT_FOUND);
        lrs.send(lrs.request(Method::DELETE, &base))
            .await
            .expect(StatusCode::NO_CONTENT);
        assert_eq!(lrs.get(&base).await.json(), json!([]));
    }
}

story!(profiles_need_preconditions_to_change);
async fn profiles_need_preconditions_to_change(t: TestApp) {
    for version in VERSIONS {
        let lrs = client(&t, &["all"], version).await;
        let activity = format!("https://lore.test/activities/profiled-{version}");
        for base in [
            format!(
                "/activities/profile?{}",
                serde_urlencoded::to_string([("activityId", activity.as_str())]).expect("q")
            ),
            format!(
                "/agents/profile?{}",
                serde_urlencoded::to_string([("agent", agent(&format!("p{version}")))]).expect("q")
            ),
        ] {
            let one = format!("{base}&profileId=prefs");
            put_doc(&lrs, &one, r#"{"a": 1}"#, &[("If-None-Match", "*")])
                .await
                .expect(StatusCode::NO_CONTENT);
            let etag = lrs.get(&one).await.header("etag");
            // Without a precondition on an existing profile: 409.
            put_doc(&lrs, &one, r#"{"a": 2}"#, &[])
                .await
                .expect(StatusCode::CONFLICT);
            put_doc(&lrs, &one, r#"{"a": 2}"#, &[("If-Match", "\"nope\"")])
                .await
                .expect(StatusCode::PRECONDITION_FAILED);
            put_doc(&lrs, &one, r#"{"a": 2}"#, &[("If-Match", &etag)])
                .await
                .expect(StatusCode::NO_CONTENT);
            let r = lrs.get(&one).await;
            assert_eq!(r.json(), json!({"a": 2}));
            assert_ne!(r.header("etag"), etag);
            assert_eq!(lrs.get(&base).await.json(), json!(["prefs"]));
            // HEAD carries the length.
            let head = lrs.send(lrs.request(Method::HEAD, &one)).await;
            head.expect(StatusCode::OK);
            assert_eq!(head.header("content-length"), r.body.len().to_string());
            // Deleting with a stale ETag: 412; with the right one: gone.
            let del = |etag: String| {
                let lrs = &lrs;
                let one = one.clone();
                async move {
                    lrs.send(lrs.request(Method::DELETE, &one).header("If-Match", etag))
                        .await
                }
            };
            del(etag).await.expect(StatusCode::PRECONDITION_FAILED);
            del(r.header("etag")).await.expect(StatusCode::NO_CONTENT);
            lrs.get(&one).await.expect(StatusCode::NOT_FOUND);
        }
    }
}

story!(activities_and_agents);
async fn activities_and_agents(t: TestApp) {
    for version in VERSIONS {
        let lrs = client(&t, &["all"], version).await;
        let mut first = statement("ada", "experienced", "defined");
        first["object"]["definition"] = json!({
            "name": { "en-US": "Defined" },
            "type": "http://adlnet.gov/expapi/activities/lesson"
        });
        let mut second = statement("ada", "experienced", "defined");
        second["object"]["definition"] = json!({ "name": { "fr-FR": "Défini" } });
        lrs.store(&first).await;
        lrs.store(&second).await;
        let r = lrs
            .get("/activities?activityId=https://lore.test/activities/defined")
            .await;
        r.expect(StatusCode::OK);
        let a = r.json();
        assert_eq!(a["id"], "https://lore.test/activities/defined");
        assert_eq!(
            a["definition"]["name"],
            json!({ "en-US": "Defined", "fr-FR": "Défini" })
        );
        assert_eq!(
            a["definition"]["type"],
            "http://adlnet.gov/expapi/activities/lesson"
        );
        // Unknown activities still answer with their id.
        let r = lrs
            .get("/activities?activityId=https://lore.test/activities/never")
            .await;
        r.expect(StatusCode::OK);
        assert_eq!(r.json()["id"], "https://lore.test/activities/never");
        lrs.get("/activities")
            .await
            .expect_rule("parameter-required");
        // Agents: the Person object.
        let r = lrs
            .get(&format!(
                "/agents?{}",
                serde_urlencoded::to_string([("agent", agent("ada"))]).expect("q")
            ))
            .await;
        r.expect(StatusCode::OK);
        let p = r.json();
        assert_eq!(p["objectType"], "Person");
        assert_eq!(p["mbox"], json!(["mailto:ada@acme.test"]));
        lrs.get(&format!(
            "/agents?{}",
            serde_urlencoded::to_string([("agent", r#"{"name":"nobody"}"#)]).expect("q")
        ))
        .await
        .expect(StatusCode::BAD_REQUEST);
    }
}
