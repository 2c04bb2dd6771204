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
    /// The background job worker, as `lore serve` runs it.
    worker: Option<lore_app::jobs::Worker>,
    pg: Option<(String, String)>,
}

/// Where the story clock starts. A fixed date keeps stories readable ("due 20 Nov 2026");
/// nothing depends on how far it is from the real date (`clock_stories` prove it).
pub fn start_time() -> time::OffsetDateTime {
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
        Self::spawn_at(db, adjust, start_time()).await
    }

    /// As [`TestApp::spawn_with`], with the story clock starting at `start`.
    pub async fn spawn_at(
        db: Db,
        adjust: impl FnOnce(&mut Settings),
        start: time::OffsetDateTime,
    ) -> Option<TestApp> {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut settings = Settings {
            blob_dir: dir.path().join("blobs"),
            // Stories read the event log right after a page; the batching has its own story
            // (`courses::course_page_views_are_written_by_the_worker_and_kept_at_stop`).
            views_in_batches: false,
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
        let clock = Arc::new(ManualClock::new(start));
        let mut t = TestApp {
            base: String::new(),
            app: Self::build_app(&db_url, clock.clone(), settings.clone()).await,
            clock,
            db_url,
            settings,
            _dir: dir,
            shutdown: None,
            server: None,
            worker: None,
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
        self.listen_with(|_| {}).await;
    }

    async fn listen_with(&mut self, adjust: impl FnOnce(&mut lore_web::WebOptions)) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("addr");
        self.base = format!("http://{addr}");
        let (tx, rx) = oneshot::channel::<()>();
        let mut options = lore_web::WebOptions::for_url(&self.base);
        options.count_statements = true;
        adjust(&mut options);
        let app = self.app.clone();
        self.server = Some(tokio::spawn(async move {
            lore_web::serve(app, options, listener, async {
                rx.await.ok();
            })
            .await
            .expect("serve");
        }));
        self.shutdown = Some(tx);
        self.worker = Some(self.app.spawn_worker());
    }

    /// Run `sql` (one or more statements) on the story's database directly, as an operator
    /// with a database shell would: for stories about what pages do with whatever is stored.
    pub async fn sql(&self, sql: &str) {
        let conn = sea_orm::Database::connect(self.db_url.as_str())
            .await
            .expect("connect to the story's database");
        sea_orm::ConnectionTrait::execute_unprepared(&conn, sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        conn.close().await.ok();
    }

    /// The first column of every row `sql` answers, as numbers (ids), read directly from the
    /// story's database.
    pub async fn sql_ids(&self, sql: &str) -> Vec<i64> {
        let conn = sea_orm::Database::connect(self.db_url.as_str())
            .await
            .expect("connect to the story's database");
        let backend = sea_orm::ConnectionTrait::get_database_backend(&conn);
        let rows = sea_orm::ConnectionTrait::query_all_raw(
            &conn,
            sea_orm::Statement::from_string(backend, sql.to_owned()),
        )
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
        conn.close().await.ok();
        rows.iter()
            .map(|r| r.try_get_by_index::<i64>(0).expect("a number"))
            .collect()
    }

    /// Run every due job now (as the worker would at its next wake-up), for stories that
    /// must not depend on the worker's timing.
    pub async fn run_jobs(&self) -> lore_app::jobs::JobCounts {
        self.settle_outbox().await;
        self.app.run_due_jobs().await.expect("run due jobs")
    }

    /// On PostgreSQL, wait (up to 20 s) until every outbox and event row of this story's database is
    /// readable by the worker. The worker reads only rows of transactions older than every
    /// transaction still running in the whole server (decision 0010), and other stories run
    /// at the same time, so a row committed a moment ago may wait for one of theirs to end.
    /// On SQLite every committed row is readable at once.
    async fn settle_outbox(&self) {
        if self.pg.is_none() {
            return;
        }
        let unsettled = "WITH x AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin) \
            SELECT id FROM outbox, x WHERE tx_id >= x.xmin \
            UNION ALL SELECT id FROM events, x WHERE tx_id >= x.xmin LIMIT 1";
        for _ in 0..200 {
            if self.sql_ids(unsettled).await.is_empty() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// Serve the same app again with its web options changed by `adjust`, as after a restart
    /// with another configuration (the address changes; make clients again).
    pub async fn serve_with(&mut self, adjust: impl FnOnce(&mut lore_web::WebOptions)) {
        self.stop_serving().await;
        self.listen_with(adjust).await;
    }

    /// Stop the background worker, for stories that look at the job queue as it stands
    /// (`run_jobs` still runs what is due).
    pub async fn stop_worker(&mut self) {
        if let Some(w) = self.worker.take() {
            w.stop().await;
        }
    }

    async fn stop_serving(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            tx.send(()).ok();
        }
        if let Some(s) = self.server.take() {
            s.await.ok();
        }
        self.stop_worker().await;
    }

    /// Stop the server and start a new one on the same database, as after a restart.
    /// (The address changes; clients must be made again, but cookies can be carried over.)
    pub async fn restart(&mut self) {
        self.stop_serving().await;
        self.app = Self::build_app(&self.db_url, self.clock.clone(), self.settings.clone()).await;
        self.listen().await;
    }

    /// A second server on the same database, blob folder, mail and clock, as a second
    /// `lore serve` behind the same load balancer: its own process state (app, worker, live
    /// relay), nothing shared in memory.
    pub async fn second_server(&self) -> TestApp {
        let mut u = TestApp {
            base: String::new(),
            app: Self::build_app(&self.db_url, self.clock.clone(), self.settings.clone()).await,
            clock: self.clock.clone(),
            db_url: self.db_url.clone(),
            settings: self.settings.clone(),
            _dir: tempfile::tempdir().expect("temp dir"),
            shutdown: None,
            server: None,
            worker: None,
            // The first server drops the database when it goes.
            pg: None,
        };
        u.listen().await;
        u
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
    /// The acting person behind an email, for calling the app directly.
    pub async fn caller(&self, email: &str) -> lore_app::Caller {
        let id = self
            .app
            .store()
            .user_by_email(email)
            .await
            .expect("look up the person")
            .expect("a person with that email")
            .id;
        self.app.caller(id).await.expect("caller").expect("active")
    }

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

    /// A one-step course written and published by `author` through the app; its id.
    pub async fn published_course(&self, author: &lore_app::Caller, title: &str) -> i64 {
        let course = self
            .app
            .create_course(
                author,
                lore_app::courses::authoring::NewCourse {
                    title,
                    group_id: None,
                    first_step_title: "The list",
                    first_step_body: "Tick every box.",
                },
            )
            .await
            .expect("create");
        self.app
            .publish(author, course, "First")
            .await
            .expect("publish");
        course
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            tx.send(()).ok();
        }
        // Aborts the worker before its database goes away.
        self.worker.take();
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

    /// Send any method with the CSRF token of the last page seen in the `X-CSRF-Token`
    /// header, as a script on a page does, and `body` if given (content type, bytes);
    /// `None` if no answer came within `timeout`.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, &'static [u8])>,
        timeout: std::time::Duration,
    ) -> Option<Page> {
        let token = self.csrf.lock().expect("lock").clone();
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("x-csrf-token", token);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some((content_type, bytes)) = body {
            req = req
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(bytes);
        }
        let r = tokio::time::timeout(timeout, req.send())
            .await
            .ok()?
            .expect("request");
        let status = r.status();
        let headers = r.headers().clone();
        // A stream (server-sent events) never ends: its first moment is enough.
        let body = tokio::time::timeout(std::time::Duration::from_secs(2), r.text())
            .await
            .map(|b| b.unwrap_or_default())
            .unwrap_or_default();
        Some(Page {
            status,
            headers,
            body,
        })
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

    /// How many statements a page ran (the server reports it to tests in `x-lore-statements`).
    pub async fn statements(&self, path: &str) -> u64 {
        let page = self.get(path).await;
        page.expect_status(StatusCode::OK);
        page.headers
            .get("x-lore-statements")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("a statement count")
    }

    /// Press "Start the course" on a course's page (opening the player enrols no one).
    pub async fn start_course(&self, course_id: i64) -> Page {
        self.get(&format!("/courses/{course_id}")).await;
        let started = self.post(&format!("/courses/{course_id}/enrol"), &[]).await;
        started.expect_status(StatusCode::SEE_OTHER);
        started
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
        $crate::story!(
            $name,
            settings = $adjust,
            starts = $crate::support::start_time()
        );
    };
    ($name:ident, starts = $start:expr) => {
        $crate::story!($name, settings = |_| {}, starts = $start);
    };
    ($name:ident, settings = $adjust:expr, starts = $start:expr) => {
        mod $name {

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                let t = $crate::support::TestApp::spawn_at(
                    $crate::support::Db::Sqlite,
                    $adjust,
                    $start,
                )
                .await
                .expect("sqlite test app");
                super::$name(t).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                match $crate::support::TestApp::spawn_at(
                    $crate::support::Db::Postgres,
                    $adjust,
                    $start,
                )
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

/// A real SMTP server on 127.0.0.1 — Python's aiosmtpd with its Maildir handler — that
/// keeps every mail it accepts in a temporary Maildir. Stopped (killed) on drop.
///
/// aiosmtpd comes from the system's Python when it has it; otherwise it is installed once
/// with pip into `{target}/tmp/pydeps` (so `cargo test` works on a fresh machine).
pub struct MailServer {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<std::process::Child>,
}

/// A mail as the server received it.
#[derive(Debug, Clone)]
pub struct Mail {
    /// The `To` addresses, comma-separated.
    pub to: String,
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part (empty when the mail has none).
    pub html: String,
}

impl MailServer {
    /// A server on a free port, running.
    pub async fn start() -> MailServer {
        let mut server = Self::reserve();
        server.run().await;
        server
    }

    /// A free port for a server that is not running yet: mail sent there fails until
    /// [`MailServer::run`].
    pub fn reserve() -> MailServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        MailServer {
            port,
            dir: tempfile::tempdir().expect("maildir"),
            child: None,
        }
    }

    /// The URL for `MailSettings::smtp_url` (plain SMTP, as for a local relay).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Start the server process and wait until it accepts connections.
    pub async fn run(&mut self) {
        if self.child.is_some() {
            return;
        }
        let mut command = std::process::Command::new("python3");
        command
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.dir.path().join("maildir"))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        if let Some(path) = aiosmtpd_path() {
            command.env("PYTHONPATH", path);
        }
        self.child = Some(command.spawn().expect("start python3 -m aiosmtpd"));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .is_err()
        {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                panic!("aiosmtpd stopped at start ({status})");
            }
            assert!(
                std::time::Instant::now() < deadline,
                "aiosmtpd did not start listening"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Kill the server (mail already received stays readable).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }

    /// Every mail received so far, in the order the files were written.
    pub fn mails(&self) -> Vec<Mail> {
        let Ok(entries) = std::fs::read_dir(self.dir.path().join("maildir").join("new")) else {
            return Vec::new();
        };
        let mut files: Vec<(std::time::SystemTime, std::path::PathBuf)> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let modified = e.metadata().and_then(|m| m.modified()).ok()?;
                Some((modified, e.path()))
            })
            .collect();
        files.sort();
        files
            .into_iter()
            .filter_map(|(_, path)| std::fs::read(path).ok())
            .map(|raw| parse_mail(&raw))
            .collect()
    }

    /// The mails received for `to` so far.
    pub fn mails_to(&self, to: &str) -> Vec<Mail> {
        self.mails()
            .into_iter()
            .filter(|m| m.to.contains(to))
            .collect()
    }

    /// Wait for the first mail to `to`; panics after `timeout`.
    pub async fn wait_for_mail(&self, to: &str, timeout: std::time::Duration) -> Mail {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            if let Some(mail) = self.mails_to(to).into_iter().next() {
                return mail;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no mail to {to} within {timeout:?}; received: {:?}",
                self.mails()
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn parse_mail(raw: &[u8]) -> Mail {
    let message = mail_parser::MessageParser::default()
        .parse(raw)
        .expect("a mail the parser reads");
    let to = message
        .to()
        .map(|a| {
            a.iter()
                .filter_map(|addr| addr.address())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    Mail {
        to,
        subject: message.subject().unwrap_or_default().to_owned(),
        text: message
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
        html: message
            .body_html(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
    }
}

/// Where aiosmtpd is, when the system's Python lacks it: installed once per machine (per
/// target folder), into a fresh folder renamed into place so parallel runs never see half
/// an install.
fn aiosmtpd_path() -> Option<std::path::PathBuf> {
    static PATH: std::sync::OnceLock<Option<std::path::PathBuf>> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let importable = |path: Option<&std::path::Path>| {
            let mut check = std::process::Command::new("python3");
            check.args(["-c", "import aiosmtpd"]);
            if let Some(p) = path {
                check.env("PYTHONPATH", p);
            }
            check
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        if importable(None) {
            return None;
        }
        let target = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("pydeps");
        if !importable(Some(&target)) {
            let fresh = target.with_extension(format!("partial-{}", std::process::id()));
            let installed = std::process::Command::new("python3")
                .env("PIP_ROOT_USER_ACTION", "ignore")
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                ])
                .arg("--target")
                .arg(&fresh)
                .arg("aiosmtpd")
                .status()
                .expect("run python3 -m pip");
            assert!(
                installed.success(),
                "could not install aiosmtpd with pip; install it: python3 -m pip install aiosmtpd"
            );
            // Another run may have won the race; then its copy is as good as ours.
            if std::fs::rename(&fresh, &target).is_err() {
                std::fs::remove_dir_all(&fresh).ok();
            }
            assert!(importable(Some(&target)), "aiosmtpd is not importable");
        }
        Some(target)
    })
    .clone()
}
