//! What the xAPI stories share: a client of `/xapi/` with Basic credentials made through the
//! admin use case, and small statement builders.

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::TestApp;

pub const VERSIONS: [&str; 2] = ["1.0.3", "2.0.0"];

/// A client of `/xapi/` speaking one version.
pub struct Lrs {
    pub base: String,
    pub key: String,
    pub secret: String,
    pub version: String,
    pub http: reqwest::Client,
}

/// An answer of `/xapi/`.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {} {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }

    /// Check the status, showing the body when it is not the one expected.
    pub fn expect(&self, status: StatusCode) -> &Self {
        assert_eq!(
            self.status,
            status,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        self
    }

    /// A 400 naming this rule.
    pub fn expect_rule(&self, rule: &str) -> &Self {
        self.expect(StatusCode::BAD_REQUEST);
        assert_eq!(
            self.json()["error"],
            rule,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        self
    }
}

/// A client with these scopes, made by a platform administrator through the use case.
pub async fn client(t: &TestApp, scopes: &[&str], version: &str) -> Lrs {
    let admin = "lrs-admin@acme.test";
    if t.app
        .store()
        .user_by_email(admin)
        .await
        .expect("look up")
        .is_none()
    {
        t.person(admin, "LRS Admin", true).await;
    }
    let caller = t.caller(admin).await;
    let scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
    let made = t
        .app
        .create_xapi_client(&caller, "Story tool", &scopes)
        .await
        .expect("create a client");
    Lrs {
        base: t.base.clone(),
        key: made.client.key,
        secret: made.secret,
        version: version.to_owned(),
        http: reqwest::Client::new(),
    }
}

impl Lrs {
    pub fn with_version(&self, version: &str) -> Lrs {
        Lrs {
            base: self.base.clone(),
            key: self.key.clone(),
            secret: self.secret.clone(),
            version: version.to_owned(),
            http: self.http.clone(),
        }
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}/xapi{path}", self.base)
        };
        self.http
            .request(method, url)
            .basic_auth(&self.key, Some(&self.secret))
            .header("X-Experience-API-Version", &self.version)
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Reply {
        let r = req.send().await.expect("request");
        Reply {
            status: r.status(),
            headers: r.headers().clone(),
            body: r.bytes().await.expect("body").to_vec(),
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.request(Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(self.request(Method::POST, path).json(body)).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Reply {
        self.send(self.request(Method::PUT, path).json(body)).await
    }

    /// Store statements; their ids.
    pub async fn store(&self, statements: &Value) -> Vec<String> {
        let r = self.post("/statements", statements).await;
        r.expect(StatusCode::OK);
        r.json()
            .as_array()
            .expect("ids")
            .iter()
            .map(|v| v.as_str().expect("id").to_owned())
            .collect()
    }

    /// Every statement of a query, following `more`, with the number of pages.
    pub async fn all(&self, path: &str) -> (Vec<Value>, usize) {
        let mut found = Vec::new();
        let mut pages = 0;
        let mut next = path.to_owned();
        loop {
            let r = self.get(&next).await;
            r.expect(StatusCode::OK);
            let page = r.json();
            pages += 1;
            found.extend(page["statements"].as_array().expect("statements").clone());
            match page["more"].as_str() {
                Some(more) if !more.is_empty() => {
                    next = format!("{}{more}", self.base);
                }
                _ => return (found, pages),
            }
        }
    }
}

/// A statement: `who` did `verb` on `activity` (short names made into IRIs).
pub fn statement(who: &str, verb: &str, activity: &str) -> Value {
    json!({
        "actor": { "objectType": "Agent", "name": who, "mbox": format!("mailto:{who}@acme.test") },
        "verb": { "id": format!("http://adlnet.gov/expapi/verbs/{verb}"), "display": { "en-US": verb } },
        "object": {
            "objectType": "Activity",
            "id": format!("https://lore.test/activities/{activity}"),
            "definition": { "name": { "en-US": activity } }
        }
    })
}

pub fn query(params: &[(&str, &str)]) -> String {
    format!(
        "/statements?{}",
        serde_urlencoded::to_string(params).expect("query string")
    )
}

pub fn agent(who: &str) -> String {
    json!({ "mbox": format!("mailto:{who}@acme.test") }).to_string()
}

/// A query-string value, percent-encoded.
pub fn encode(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)]).expect("encode")[2..].to_owned()
}
