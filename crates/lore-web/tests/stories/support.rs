//! `TestApp`: the real Lore server on a fresh database (SQLite file, or a new PostgreSQL
//! database when `LORE_TEST_DATABASE_URL` is set), listening on 127.0.0.1, plus clients
//! that drive it like a browser (cookies, forms with CSRF tokens) or like an API program.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use lore_app::{App, ManualClock, Settings, Store};
use reqwest::StatusCode;
use tokio::sync::oneshot;

pub const PASSWORD: &str = "correct horse battery staple";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub app: App,
    pub clock: Arc<ManualClock>,
    db_url: String,
    settings: Settings,
    _dir: tempfile::TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    pg: Option<(String, String)>,
}

fn start_time() -> time::OffsetDateTime {
    time::macros::datetime!(2026-11-02 09:00 UTC)
}

impl TestApp {
    /// Start Lore on a fresh database; `None` for PostgreSQL when no server is configured.
    pub async fn spawn(db: Db) -> Option<TestApp> {
        Self::spawn_with(db, |_| {}).await
    }

    /// As [`TestApp::spawn`], with settings changed by `adjust` (blobs always go to the
    /// test's temporary folder).
    pub async fn spawn_with(db: Db, adjust: impl FnOnce(&mut Settings)) -> Option<TestApp> {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut settings = Settings {
            blob_dir: dir.path().join("blobs"),
            ..Settings::default()
        };
        adjust(&mut settings);
        let (db_url, pg) = match db {
            Db::Sqlite => (
                format!("sqlite://{}?mode=rwc", dir.path().join("lore.db").display()),
                None,
            ),
            Db::Postgres => {
                let admin = std::env::var("LORE_TEST_DATABASE_URL")
                    .ok()
                    .filter(|u| !u.is_empty())?;
                let name = format!("lore_test_{}", &lore_app::secrets::random_token()[..16]);
                let conn = sea_orm::Database::connect(admin.as_str())
                    .await
                    .expect("connect to PostgreSQL admin URL");
                sea_orm::ConnectionTrait::execute_unprepared(
                    &conn,
                    &format!("CREATE DATABASE {name}"),
                )
                .await
                .expect("create test database");
                conn.close().await.ok();
                let base = admin
                    .rsplit_once('/')
                    .map(|(b, _)| b.to_owned())
                    .unwrap_or(admin.clone());
                (format!("{base}/{name}"), Some((admin, name)))
            }
        };
        let clock = Arc::new(ManualClock::new(start_time()));
        let mut t = TestApp {
            base: String::new(),
            app: Self::build_app(&db_url, clock.clone(), settings.clone()).await,
            clock,
            db_url,
            settings,
            _dir: dir,
            shutdown: None,
            server: None,
            pg,
        };
        t.listen().await;
        Some(t)
    }

    async fn build_app(db_url: &str, clock: Arc<ManualClock>, settings: Settings) -> App {
        let store = Store::connect(db_url).await.expect("connect");
        store.migrate().await.expect("migrate");
        App::new(store, clock, settings).expect("app")
    }

    async fn listen(&mut self) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("addr");
        self.base = format!("http://{addr}");
        let (tx, rx) = oneshot::channel::<()>();
        let options = lore_web::WebOptions::for_url(&self.base);
        let app = self.app.clone();
        self.server = Some(tokio::spawn(async move {
            lore_web::serve(app, options, listener, async {
                rx.await.ok();
            })
            .await
            .expect("serve");
        }));
        self.shutdown = Some(tx);
    }

    /// Stop the server and start a new one on the same database, as after a restart.
    /// (The address changes; clients must be made again, but cookies can be carried over.)
    pub async fn restart(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            tx.send(()).ok();
        }
        if let Some(s) = self.server.take() {
            s.await.ok();
        }
        self.app = Self::build_app(&self.db_url, self.clock.clone(), self.settings.clone()).await;
        self.listen().await;
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    pub fn api(&self, token: &str) -> Api {
        Api {
            base: self.base.clone(),
            token: token.to_owned(),
            http: reqwest::Client::new(),
        }
    }

    /// Create a person with a password straight through the app (as `lore users add` does).
    pub async fn person(&self, email: &str, name: &str, platform_admin: bool) -> i64 {
        lore_app::people::operator::add_user(&self.app, email, name, PASSWORD, platform_admin)
            .await
            .expect("add user")
            .id
    }

    pub async fn group(&self, parent: Option<i64>, name: &str) -> i64 {
        lore_app::people::operator::create_group(&self.app, parent, name)
            .await
            .expect("group")
    }

    pub async fn member(&self, user: i64, group: i64, role: &str) {
        let role = lore_domain::role::Role::parse(role).expect("role");
        lore_app::people::operator::put_membership(&self.app, user, group, role)
            .await
            .expect("membership");
    }

    /// A browser already signed in as `email`.
    pub async fn signed_in(&self, email: &str) -> Browser {
        let b = self.browser();
        b.sign_in(email, PASSWORD)
            .await
            .expect_status(StatusCode::SEE_OTHER);
        b
    }

    pub async fn user_count(&self) -> u64 {
        self.app.store().count_users().await.expect("count")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            tx.send(()).ok();
        }
        if let Some((admin, name)) = self.pg.take() {
            // Best effort: drop the database from a thread of its own (Drop cannot await).
            std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async {
                    if let Ok(conn) = sea_orm::Database::connect(admin.as_str()).await {
                        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        sea_orm::ConnectionTrait::execute_unprepared(&conn, &sql)
                            .await
                            .ok();
                    }
                });
            })
            .join()
            .ok();
        }
    }
}

/// A response, read whole.
pub struct Page {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    #[track_caller]
    pub fn expect_status(&self, status: StatusCode) -> &Self {
        assert_eq!(
            self.status,
            status,
            "unexpected status; body:\n{}",
            &self.body[..self.body.len().min(3000)]
        );
        self
    }

    #[track_caller]
    pub fn expect_contains(&self, text: &str) -> &Self {
        assert!(
            self.body.contains(text),
            "expected {text:?} in:\n{}",
            self.body
        );
        self
    }

    #[track_caller]
    pub fn expect_lacks(&self, text: &str) -> &Self {
        assert!(
            !self.body.contains(text),
            "did not expect {text:?} in:\n{}",
            self.body
        );
        self
    }

    pub fn location(&self) -> String {
        self.headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The text of the element carrying `data-testid="{id}"` (first one), tags stripped.
    pub fn testid(&self, id: &str) -> String {
        let marker = format!("data-testid=\"{id}\"");
        let Some(start) = self.body.find(&marker) else {
            panic!("no data-testid={id} in:\n{}", self.body)
        };
        let rest = &self.body[start..];
        let open_end = rest.find('>').map_or(0, |i| i + 1);
        let close = rest.find("</").unwrap_or(rest.len());
        rest[open_end..close].trim().to_owned()
    }
}

/// A cookie-keeping client that behaves like a browser: it never follows redirects on its
/// own, and it sends the CSRF token of the last page it saw with every form.
pub struct Browser {
    pub base: String,
    http: reqwest::Client,
    pub csrf: Mutex<String>,
}

impl Browser {
    pub fn new(base: &str) -> Self {
        Browser {
            base: base.to_owned(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .user_agent("Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 StoryTest")
                .build()
                .expect("client"),
            csrf: Mutex::new(String::new()),
        }
    }

    async fn read(&self, r: reqwest::Response) -> Page {
        let status = r.status();
        let headers = r.headers().clone();
        let body = r.text().await.unwrap_or_default();
        if let Some(token) = extract_csrf(&body) {
            *self.csrf.lock().expect("lock") = token;
        }
        Page {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET");
        self.read(r).await
    }

    /// Open a long-lived response (server-sent events) to read chunk by chunk.
    pub async fn stream(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .header("accept", "text/event-stream")
            .send()
            .await
            .expect("GET stream")
    }

    /// Submit a form with the CSRF token of the last page seen.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf.lock().expect("lock").clone();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Submit exactly these fields (no CSRF token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .form(fields)
            .send()
            .await
            .expect("POST");
        self.read(r).await
    }

    pub async fn post_file(&self, path: &str, file_name: &str, data: Vec<u8>) -> Page {
        let token = self.csrf.lock().expect("lock").clone();
        let form = reqwest::multipart::Form::new().text("_csrf", token).part(
            "file",
            reqwest::multipart::Part::bytes(data)
                .file_name(file_name.to_owned())
                .mime_str("text/csv")
                .expect("mime"),
        );
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .multipart(form)
            .send()
            .await
            .expect("POST");
        self.read(r).await
    }

    /// Send a multipart form: the CSRF token of the last page seen, `fields`, and a `file`
    /// part (name, content type, bytes) when given.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, Vec<u8>)>,
    ) -> Page {
        let token = self.csrf.lock().expect("lock").clone();
        let mut form = reqwest::multipart::Form::new().text("_csrf", token);
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        if let Some((name, mime, data)) = file {
            form = form.part(
                "file",
                reqwest::multipart::Part::bytes(data)
                    .file_name(name.to_owned())
                    .mime_str(mime)
                    .expect("mime"),
            );
        }
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .multipart(form)
            .send()
            .await
            .expect("POST");
        self.read(r).await
    }

    /// GET with extra request headers, keeping the body as bytes (for files).
    pub async fn get_bytes(&self, path: &str, headers: &[(&str, &str)]) -> Download {
        let mut req = self.http.get(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let r = req.send().await.expect("GET");
        Download {
            status: r.status(),
            headers: r.headers().clone(),
            bytes: r.bytes().await.expect("body").to_vec(),
        }
    }

    /// The same browser (same cookies) talking to a server at a new address.
    pub fn moved_to(&self, base: &str) -> Browser {
        Browser {
            base: base.to_owned(),
            http: self.http.clone(),
            csrf: Mutex::new(self.csrf.lock().expect("lock").clone()),
        }
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Page {
        self.get("/sign-in").await.expect_status(StatusCode::OK);
        self.post("/sign-in", &[("email", email), ("password", password)])
            .await
    }
}

/// A response whose body is a file.
pub struct Download {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub bytes: Vec<u8>,
}

impl Download {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

fn extract_csrf(body: &str) -> Option<String> {
    let marker = "name=\"_csrf\" value=\"";
    let start = body.find(marker)? + marker.len();
    let end = body[start..].find('"')?;
    Some(body[start..start + end].to_owned()).filter(|t| !t.is_empty())
}

/// A program calling the JSON API with a bearer token.
pub struct Api {
    pub base: String,
    pub token: String,
    http: reqwest::Client,
}

impl Api {
    async fn read(r: reqwest::Response) -> Page {
        let status = r.status();
        let headers = r.headers().clone();
        let body = r.text().await.unwrap_or_default();
        Page {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        Self::read(
            self.http
                .get(format!("{}/api/v1{path}", self.base))
                .bearer_auth(&self.token)
                .send()
                .await
                .expect("GET"),
        )
        .await
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Page {
        let mut req = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        Self::read(req.send().await.expect("request")).await
    }

    pub async fn send_raw(
        &self,
        method: reqwest::Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Page {
        let req = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body);
        Self::read(req.send().await.expect("request")).await
    }
}

/// Run a story on SQLite and, when configured, on PostgreSQL;
/// `story!(name, settings = adjust)` changes the settings first (`fn adjust(&mut Settings)`).
#[macro_export]
macro_rules! story {
    ($name:ident) => {
        $crate::story!($name, settings = |_| {});
    };
    ($name:ident, settings = $adjust:expr) => {
        mod $name {

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                let t = $crate::support::TestApp::spawn_with($crate::support::Db::Sqlite, $adjust)
                    .await
                    .expect("sqlite test app");
                super::$name(t).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                match $crate::support::TestApp::spawn_with($crate::support::Db::Postgres, $adjust)
                    .await
                {
                    Some(t) => super::$name(t).await,
                    None => {
                        eprintln!("PostgreSQL story skipped: LORE_TEST_DATABASE_URL is not set")
                    }
                }
            }
        }
    };
}
