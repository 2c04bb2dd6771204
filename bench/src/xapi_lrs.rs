//! The learning record store under load: statement ingestion in batches of 100 and the
//! common query shapes over many stored statements (issue 16).
//!
//! It starts the release `lore` binary on 127.0.0.1 with the small demo in a temporary folder
//! (or on a PostgreSQL database you name), signs in the demo's administrator, makes an API
//! token and an xAPI client with it (as an operator would), then posts realistic statements
//! (2,000 people, 400 activities in 40 courses, eight verbs, registrations, scores, contexts)
//! from several connections, and runs each query shape many times: by agent, by verb, by
//! activity (with and without related activities), by registration, a since/until window,
//! agent and verb together, and ten pages through `more`. Prints statements/s and per-query
//! p50/p95/p99.
//!
//! ```sh
//! cargo build --release -p lore-cli -p lore-bench
//! ./target/release/xapi-lrs                                  # 1,000,000 statements, SQLite
//! ./target/release/xapi-lrs --statements 200000 --connections 4 \
//!     --database-url postgres://postgres@127.0.0.1:55432/lore_xapi_bench
//! RUST_LOG=sqlx::query=debug ./target/release/xapi-lrs --statements 20000 \
//!     --server-log /tmp/lore-statements.log    # every SQL statement with its time
//! ```

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

mod common;

use anyhow::{Context, Result, bail};
use common::csrf;
use hdrhistogram::Histogram;
use serde_json::{Value, json};

const BATCH: u64 = 100;
const PEOPLE: u64 = 2_000;
const COURSES: u64 = 40;
const STEPS: u64 = 10;
const VERBS: [&str; 8] = [
    "http://adlnet.gov/expapi/verbs/experienced",
    "http://adlnet.gov/expapi/verbs/attempted",
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/answered",
    "http://adlnet.gov/expapi/verbs/passed",
    "http://adlnet.gov/expapi/verbs/failed",
    "http://adlnet.gov/expapi/verbs/progressed",
    "http://adlnet.gov/expapi/verbs/commented",
];
const VERSION: &str = "1.0.3";

struct Args {
    lore: PathBuf,
    database_url: Option<String>,
    statements: u64,
    connections: u64,
    queries: u64,
    /// Where the server's log goes (`RUST_LOG` from the environment, else `warn`).
    server_log: Option<PathBuf>,
}

fn args() -> Result<Args> {
    let mut a = Args {
        lore: PathBuf::from("target/release/lore"),
        database_url: None,
        statements: 1_000_000,
        connections: 4,
        queries: 50,
        server_log: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--lore" => a.lore = PathBuf::from(value()?),
            "--database-url" => a.database_url = Some(value()?),
            "--statements" => a.statements = value()?.parse()?,
            "--connections" => a.connections = value()?.parse()?,
            "--queries" => a.queries = value()?.parse()?,
            "--server-log" => a.server_log = Some(PathBuf::from(value()?)),
            other => bail!("unknown option {other}; see the top of bench/src/xapi_lrs.rs"),
        }
    }
    Ok(a)
}

/// The server under test, stopped when dropped.
struct Server {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

impl Server {
    async fn start(a: &Args) -> Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let dir = tempfile::tempdir()?;
        let mut cmd = Command::new(&a.lore);
        cmd.arg("demo").arg("--data-dir").arg(dir.path());
        if let Some(url) = &a.database_url {
            cmd.arg("--database-url").arg(url);
        }
        let log = match &a.server_log {
            Some(path) => Stdio::from(
                std::fs::File::create(path)
                    .with_context(|| format!("create {}", path.display()))?,
            ),
            None => Stdio::null(),
        };
        let child = cmd
            .env(
                "RUST_LOG",
                std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".to_owned()),
            )
            .env("LORE_LISTEN", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .with_context(|| format!("start {} (build it with --release)", a.lore.display()))?;
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        };
        common::wait_ready(&server.base).await?;
        Ok(server)
    }
}

/// The text of the first element marked `data-testid="{id}"`.
fn testid(body: &str, id: &str) -> Option<String> {
    let at = body.find(&format!("data-testid=\"{id}\""))?;
    let rest = &body[at..];
    let start = rest.find('>')? + 1;
    let end = rest[start..].find('<')? + start;
    Some(rest[start..end].trim().to_owned())
}

/// Sign in as the demo's administrator, make an API token, and with it an xAPI client that
/// reads and writes: (key, secret).
async fn client_credentials(base: &str) -> Result<(String, String)> {
    let web = reqwest::Client::builder()
        .cookie_provider(Arc::new(reqwest::cookie::Jar::default()))
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let page = web
        .get(format!("{base}/sign-in"))
        .send()
        .await?
        .text()
        .await?;
    let token = csrf(&page).context("sign-in form token")?;
    let email = format!("admin@{}", lore_app::demo::DOMAIN);
    let signed = web
        .post(format!("{base}/sign-in"))
        .form(&[
            ("email", email.as_str()),
            ("password", lore_app::demo::DEMO_PASSWORD),
            ("_csrf", &token),
        ])
        .send()
        .await?;
    if signed.status() != reqwest::StatusCode::SEE_OTHER {
        bail!("signing in answered {}", signed.status());
    }
    let account = web
        .get(format!("{base}/account"))
        .send()
        .await?
        .text()
        .await?;
    let token = csrf(&account).context("account form token")?;
    let made = web
        .post(format!("{base}/account/tokens"))
        .form(&[("name", "xapi bench"), ("_csrf", &token)])
        .send()
        .await?
        .text()
        .await?;
    let api_token = testid(&made, "new-token").context("the new API token on the page")?;
    let created: Value = reqwest::Client::new()
        .post(format!("{base}/api/v1/xapi/clients"))
        .bearer_auth(&api_token)
        .json(&json!({
            "name": "Load bench",
            "scopes": ["statements/read", "statements/write"]
        }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let key = created["key"].as_str().context("client key")?;
    let secret = created["secret"].as_str().context("client secret")?;
    Ok((key.to_owned(), secret.to_owned()))
}

/// A small deterministic generator (xorshift), so every run stores the same statements.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The registration of a person in a course: one UUID (version 4 layout) per pair.
fn registration(person: u64, course: u64) -> String {
    format!(
        "{person:08x}-{course:04x}-4000-8000-{:012x}",
        person * 1000 + course
    )
}

fn agent_param(person: u64) -> String {
    urlencode(&json!({"mbox": format!("mailto:person{person}@bench.example")}).to_string())
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Statement `n`: a person working through a step of a course.
fn statement(n: u64, rng: &mut Rng, start: time::OffsetDateTime) -> Value {
    let person = rng.below(PEOPLE);
    let course = rng.below(COURSES);
    let step = rng.below(STEPS);
    let verb = VERBS[rng.below(VERBS.len() as u64) as usize];
    let mut s = json!({
        "actor": {"objectType": "Agent", "name": format!("Person {person}"),
                  "mbox": format!("mailto:person{person}@bench.example")},
        "verb": {"id": verb, "display": {"en-US": verb.rsplit('/').next().unwrap_or("did")}},
        "object": {"objectType": "Activity",
                   "id": format!("https://bench.example/courses/{course}/steps/{step}"),
                   "definition": {"type": "http://adlnet.gov/expapi/activities/lesson",
                                  "name": {"en-US": format!("Step {step} of course {course}")}}},
        "context": {"registration": registration(person, course),
                    "contextActivities": {"parent": [{
                        "id": format!("https://bench.example/courses/{course}"),
                        "definition": {"type": "http://adlnet.gov/expapi/activities/course"}}]},
                    "platform": "bench"},
        "timestamp": rfc3339(start + time::Duration::seconds(n as i64)),
    });
    if verb.ends_with("passed") || verb.ends_with("failed") || verb.ends_with("answered") {
        let raw = rng.below(11) as f64;
        s["result"] = json!({
            "score": {"scaled": raw / 10.0, "raw": raw, "min": 0.0, "max": 10.0},
            "success": raw >= 7.0,
            "duration": format!("PT{}S", rng.below(600))
        });
    }
    s
}

fn ms(h: &Histogram<u64>, q: f64) -> f64 {
    h.value_at_quantile(q) as f64 / 1000.0
}

fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The query string of one query of a shape, different each time.
/// `stored` (what since/until filter on) of the first and last statement: the ingestion's
/// start and end by the clock.
type Stored = (time::OffsetDateTime, time::OffsetDateTime);

fn query(shape: &str, r: &mut Rng, stored: Stored) -> String {
    let verb = |r: &mut Rng| urlencode(VERBS[r.below(VERBS.len() as u64) as usize]);
    match shape {
        "by agent" => format!("agent={}", agent_param(r.below(PEOPLE))),
        "by verb" => format!("verb={}", verb(r)),
        "by activity" => format!(
            "activity={}",
            urlencode(&format!(
                "https://bench.example/courses/{}/steps/{}",
                r.below(COURSES),
                r.below(STEPS)
            ))
        ),
        "by activity, related (a course)" => format!(
            "activity={}&related_activities=true",
            urlencode(&format!(
                "https://bench.example/courses/{}",
                r.below(COURSES)
            ))
        ),
        "by registration" => format!(
            "registration={}",
            registration(r.below(PEOPLE), r.below(COURSES))
        ),
        "since/until, a twentieth of the run" => {
            // A window of a twentieth of the ingestion's time, somewhere inside it.
            let span = (stored.1 - stored.0).whole_milliseconds().max(20) as u64;
            let width = span / 20;
            let from = stored.0 + time::Duration::milliseconds(r.below(span - width) as i64);
            format!(
                "since={}&until={}",
                urlencode(&rfc3339(from)),
                urlencode(&rfc3339(from + time::Duration::milliseconds(width as i64)))
            )
        }
        _ => format!("agent={}&verb={}", agent_param(r.below(PEOPLE)), verb(r)),
    }
}

const SHAPES: [&str; 7] = [
    "by agent",
    "by verb",
    "by activity",
    "by activity, related (a course)",
    "by registration",
    "since/until, a twentieth of the run",
    "agent and verb",
];

async fn get(http: &reqwest::Client, url: &str, key: &str, secret: &str) -> Result<Value> {
    Ok(http
        .get(url)
        .basic_auth(key, Some(secret))
        .header("X-Experience-API-Version", VERSION)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?)
}

/// Post every batch from `connections` connections: statements/s and batch latencies.
async fn ingest(
    a: &Args,
    http: &reqwest::Client,
    base: &str,
    key: &str,
    secret: &str,
) -> Result<(u64, f64, Histogram<u64>, Stored)> {
    let batches = a.statements.div_ceil(BATCH);
    let start = time::OffsetDateTime::now_utc() - time::Duration::seconds(batches as i64 * 100);
    let next = Arc::new(AtomicU64::new(0));
    let began = Instant::now();
    let first_stored = time::OffsetDateTime::now_utc();
    let mut tasks = Vec::new();
    for c in 0..a.connections {
        let (http, base, key, secret, next) = (
            http.clone(),
            base.to_owned(),
            key.to_owned(),
            secret.to_owned(),
            next.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut h = Histogram::<u64>::new(3)?;
            let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (c + 1));
            loop {
                let b = next.fetch_add(1, Ordering::Relaxed);
                if b >= batches {
                    return Ok::<_, anyhow::Error>(h);
                }
                let body: Vec<Value> = (0..BATCH)
                    .map(|i| statement(b * BATCH + i, &mut rng, start))
                    .collect();
                let t = Instant::now();
                let r = http
                    .post(format!("{base}/xapi/statements"))
                    .basic_auth(&key, Some(&secret))
                    .header("X-Experience-API-Version", VERSION)
                    .json(&body)
                    .send()
                    .await?;
                if !r.status().is_success() {
                    let status = r.status();
                    bail!("batch {b}: {status} {}", r.text().await.unwrap_or_default());
                }
                r.bytes().await?;
                h.record(t.elapsed().as_micros() as u64)?;
            }
        }));
    }
    let mut latency = Histogram::<u64>::new(3)?;
    for t in tasks {
        latency.add(t.await??)?;
    }
    let stored = (first_stored, time::OffsetDateTime::now_utc());
    Ok((
        batches * BATCH,
        began.elapsed().as_secs_f64(),
        latency,
        stored,
    ))
}

#[tokio::main]
async fn main() -> Result<()> {
    let a = args()?;
    let server = Server::start(&a).await?;
    let base = server.base.clone();
    let (key, secret) = client_credentials(&base).await?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()?;

    let (count, seconds, latency, stored) = ingest(&a, &http, &base, &key, &secret).await?;
    println!(
        "ingested {count} statements in {seconds:.1} s: {:.0} statements/s \
         ({} connections, batches of {BATCH}; a batch p50 {:.1} ms, p95 {:.1} ms)",
        count as f64 / seconds,
        a.connections,
        ms(&latency, 0.5),
        ms(&latency, 0.95),
    );

    println!(
        "\n| query (limit 100) | p50 ms | p95 ms | p99 ms | statements per answer (mean) |\n|---|---|---|---|---|"
    );
    let mut rng = Rng(42);
    for shape in SHAPES {
        let mut h = Histogram::<u64>::new(3)?;
        let mut found = 0usize;
        for _ in 0..a.queries {
            let q = query(shape, &mut rng, stored);
            let t = Instant::now();
            let r = get(
                &http,
                &format!("{base}/xapi/statements?{q}&limit=100"),
                &key,
                &secret,
            )
            .await?;
            h.record(t.elapsed().as_micros() as u64)?;
            found += r["statements"].as_array().map_or(0, Vec::len);
        }
        println!(
            "| {shape} | {:.1} | {:.1} | {:.1} | {:.0} |",
            ms(&h, 0.5),
            ms(&h, 0.95),
            ms(&h, 0.99),
            found as f64 / a.queries as f64
        );
    }
    // Paging: the newest statements, ten pages through `more`.
    let mut h = Histogram::<u64>::new(3)?;
    let mut url = format!("{base}/xapi/statements?limit=100");
    for _ in 0..10 {
        let t = Instant::now();
        let r = get(&http, &url, &key, &secret).await?;
        h.record(t.elapsed().as_micros() as u64)?;
        match r["more"].as_str().filter(|m| !m.is_empty()) {
            Some(more) => url = format!("{base}{more}"),
            None => break,
        }
    }
    println!(
        "| ten pages through `more` (each) | {:.1} | {:.1} | {:.1} | 100 |",
        ms(&h, 0.5),
        ms(&h, 0.95),
        ms(&h, 0.99)
    );
    Ok(())
}
