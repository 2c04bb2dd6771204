//! The load benchmark: Lore's pages under many connections, each against the HTTP stack's own
//! ceiling (the unauthenticated `/healthz`) in the same run, on this machine.
//!
//! It starts the release `lore` binary on 127.0.0.1 (the small demo in a temporary folder, or
//! `serve` on a data folder and database you name), signs in a learner, an author and a coach,
//! finds a course, a search word and the author's feedback page on the pages themselves, then
//! loads each page with N concurrent connections for a few seconds and prints requests/s, the
//! ratio to `/healthz`, p50/p95/p99 and errors, and the server's peak memory (VmHWM).
//!
//! A plain tokio + reqwest loop rather than a load-testing framework: the journeys need the
//! session cookie and CSRF token of real sign-ins, the figures wanted are a handful of
//! percentiles per page, and the loop is short enough to read whole (hdrhistogram keeps the
//! latencies exactly).
//!
//! ```sh
//! cargo build --release -p lore-cli -p lore-bench
//! ./target/release/load                       # the demo, 32/100/200 connections, 5 s a page
//! ./target/release/load --seconds 10 --connections 32,200 \
//!     --data-dir /var/tmp/lore-large [--database-url postgres://…] \
//!     --learner someone@example.com --author … --coach … --password …
//! # the access log's cost: every request logged, against the default (errors and slow only)
//! ./target/release/load --server-env RUST_LOG=info --server-env LORE_LOG_REQUESTS=all
//! ```

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod common;

use anyhow::{Context, Result, bail};
use common::csrf;
use hdrhistogram::Histogram;

struct Args {
    lore: PathBuf,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    seconds: u64,
    connections: Vec<usize>,
    learner: String,
    author: String,
    coach: String,
    password: String,
    /// Extra environment for the server (`--server-env KEY=VALUE`, repeatable), e.g. to
    /// measure the access log: `RUST_LOG=info` with `LORE_LOG_REQUESTS=all` or `errors`.
    server_env: Vec<(String, String)>,
    /// Only the pages whose name contains one of these (`--only dashboard,analytics`), with
    /// `/healthz` always first as the ceiling.
    only: Vec<String>,
}

fn args() -> Result<Args> {
    let domain = lore_app::demo::DOMAIN;
    let mut a = Args {
        lore: PathBuf::from("target/release/lore"),
        data_dir: None,
        database_url: None,
        seconds: 5,
        connections: vec![32, 100, 200],
        learner: format!("mei.chen@{domain}"),
        author: format!("priya.raman@{domain}"),
        coach: format!("lukas.becker@{domain}"),
        password: lore_app::demo::DEMO_PASSWORD.to_owned(),
        server_env: Vec::new(),
        only: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--lore" => a.lore = value()?.into(),
            "--data-dir" => a.data_dir = Some(value()?.into()),
            "--database-url" => a.database_url = Some(value()?),
            "--seconds" => a.seconds = value()?.parse().context("--seconds")?,
            "--connections" => {
                a.connections = value()?
                    .split(',')
                    .map(|c| c.trim().parse().context("--connections"))
                    .collect::<Result<_>>()?;
            }
            "--learner" => a.learner = value()?,
            "--author" => a.author = value()?,
            "--coach" => a.coach = value()?,
            "--password" => a.password = value()?,
            "--server-env" => {
                let pair = value()?;
                let (k, v) = pair
                    .split_once('=')
                    .with_context(|| format!("--server-env wants KEY=VALUE, not {pair}"))?;
                a.server_env.push((k.to_owned(), v.to_owned()));
            }
            "--only" => {
                a.only = value()?
                    .split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect();
            }
            other => bail!("unknown option {other}; see the top of bench/src/load.rs"),
        }
    }
    Ok(a)
}

/// The server under test, stopped when dropped.
struct Server {
    child: Child,
    base: String,
    _dir: Option<tempfile::TempDir>,
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
        let mut cmd = Command::new(&a.lore);
        let dir = match &a.data_dir {
            Some(d) => {
                cmd.arg("serve").arg("--data-dir").arg(d);
                if let Some(url) = &a.database_url {
                    cmd.arg("--database-url").arg(url);
                }
                None
            }
            None => {
                let dir = tempfile::tempdir()?;
                cmd.arg("demo").arg("--data-dir").arg(dir.path());
                Some(dir)
            }
        };
        cmd.env("RUST_LOG", "warn");
        for (k, v) in &a.server_env {
            cmd.env(k, v);
        }
        let child = cmd
            .env("LORE_LISTEN", format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
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

    /// The most memory the server held (kB), from /proc.
    fn peak_rss_kb(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }
}

/// The first capture of `prefix(\d+)` in `body`.
fn first_id(body: &str, prefix: &str) -> Option<i64> {
    body.match_indices(prefix).find_map(|(at, _)| {
        let digits: String = body[at + prefix.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    })
}

/// A client signed in as `email`, its cookies shared by every connection that uses it.
async fn signed_in(base: &str, email: &str, password: &str) -> Result<reqwest::Client> {
    let client = reqwest::Client::builder()
        .cookie_provider(Arc::new(reqwest::cookie::Jar::default()))
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(256)
        .build()?;
    let page = client
        .get(format!("{base}/sign-in"))
        .send()
        .await?
        .text()
        .await?;
    let token = csrf(&page).context("the sign-in page has a form token")?;
    let r = client
        .post(format!("{base}/sign-in"))
        .form(&[("email", email), ("password", password), ("_csrf", &token)])
        .send()
        .await?;
    if r.status() != reqwest::StatusCode::SEE_OTHER {
        bail!("signing in as {email} answered {}", r.status());
    }
    Ok(client)
}

/// What one request of a target is.
enum Req {
    Get(String),
    /// A form post (the CSRF token among the fields); a redirect is its success.
    Post(String, Vec<(String, String)>),
    /// The author's editor: open it, then autosave the first step's text with the revision
    /// the page gave (a 409 means another connection saved in between: counted as an error).
    EditStep(i64),
}

struct Target {
    name: &'static str,
    req: Req,
    client: reqwest::Client,
    bearer: Option<String>,
}

struct Outcome {
    requests: u64,
    errors: u64,
    seconds: f64,
    latencies: Histogram<u64>,
}

/// `value="…"` after `marker` in `body`.
fn value_after(body: &str, marker: &str, attribute: &str) -> Option<String> {
    let at = body.find(marker)?;
    let rest = &body[at..];
    let v = rest.find(attribute)? + attribute.len();
    Some(rest[v..].split('"').next()?.to_owned())
}

/// One request (or the editor's two) of `target`; whether it answered as it should. A form's
/// refusal by a rate limit (429: a person's reactions are limited per hour) or by the state
/// (409: one reaction of a kind per person and step) is a proper answer: past the learner's
/// first reaction, the reaction row measures that refusal (the player page shown again).
async fn once(target: &Target, base: &str, n: u64) -> bool {
    let ok = |r: &reqwest::Response| {
        r.status().is_success()
            || r.status().is_redirection()
            || r.status() == reqwest::StatusCode::TOO_MANY_REQUESTS
            || (matches!(target.req, Req::Post(..)) && r.status() == reqwest::StatusCode::CONFLICT)
    };
    match &target.req {
        Req::Get(path) => {
            let mut req = target.client.get(format!("{base}{path}"));
            if let Some(t) = &target.bearer {
                req = req.bearer_auth(t);
            }
            match req.send().await {
                Ok(r) if ok(&r) => r.bytes().await.is_ok(),
                _ => false,
            }
        }
        Req::Post(path, form) => match target
            .client
            .post(format!("{base}{path}"))
            .form(form)
            .send()
            .await
        {
            Ok(r) if ok(&r) => r.bytes().await.is_ok(),
            _ => false,
        },
        Req::EditStep(course) => {
            let Ok(page) = target
                .client
                .get(format!("{base}/courses/{course}/edit"))
                .send()
                .await
            else {
                return false;
            };
            let Ok(page) = page.text().await else {
                return false;
            };
            let (Some(step), Some(revision), Some(token)) = (
                value_after(&page, "data-step=", "data-step=\""),
                value_after(&page, "data-step=", "name=\"revision\" value=\""),
                csrf(&page),
            ) else {
                return false;
            };
            let body = format!("A step rewritten by the load benchmark, save {n}.");
            match target
                .client
                .post(format!("{base}/courses/{course}/edit/autosave"))
                .form(&[
                    ("field", "step_body"),
                    ("step_id", step.as_str()),
                    ("revision", revision.as_str()),
                    ("value", body.as_str()),
                    ("_csrf", token.as_str()),
                ])
                .send()
                .await
            {
                Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                Err(_) => false,
            }
        }
    }
}

/// `connections` requests in flight at all times for `seconds`.
async fn load(
    target: &Arc<Target>,
    base: &str,
    connections: usize,
    seconds: u64,
) -> Result<Outcome> {
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let target = Arc::clone(target);
        let base = base.to_owned();
        let mut h = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
        tasks.push(tokio::spawn(async move {
            let mut errors = 0u64;
            let mut n = 0u64;
            while Instant::now() < deadline {
                n += 1;
                let t0 = Instant::now();
                if !once(&target, &base, n).await {
                    errors += 1;
                }
                h.saturating_record(t0.elapsed().as_micros() as u64);
            }
            (h, errors)
        }));
    }
    let mut latencies = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
    let mut errors = 0;
    for t in tasks {
        let (h, e) = t.await?;
        latencies.add(&h)?;
        errors += e;
    }
    Ok(Outcome {
        requests: latencies.len(),
        errors,
        seconds: start.elapsed().as_secs_f64(),
        latencies,
    })
}

#[tokio::main]
async fn main() -> Result<()> {
    let a = args()?;
    let server = Server::start(&a).await?;
    let base = server.base.clone();
    let anonymous = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()?;
    let learner = signed_in(&base, &a.learner, &a.password).await?;
    let author = signed_in(&base, &a.author, &a.password).await?;
    let coach = signed_in(&base, &a.coach, &a.password).await?;

    // What to open, found on the pages themselves.
    let catalogue = learner
        .get(format!("{base}/courses"))
        .send()
        .await?
        .text()
        .await?;
    let course = first_id(&catalogue, "href=\"/courses/").context("a course in the catalogue")?;
    let course_page = learner
        .get(format!("{base}/courses/{course}"))
        .send()
        .await?
        .text()
        .await?;
    let title = course_page
        .split("<h1")
        .nth(1)
        .and_then(|h| h.split('>').nth(1))
        .and_then(|t| t.split('<').next())
        .unwrap_or("");
    let word = title
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.len() >= 5)
        .unwrap_or("course")
        .to_lowercase();
    let home = author.get(format!("{base}/")).send().await?.text().await?;
    let feedback = home
        .match_indices("/feedback\"")
        .next()
        .and_then(|(at, _)| home[..at].rsplit("href=\"").next())
        .map(|p| format!("{p}/feedback"))
        .context("a course of the author's with a feedback page on their home")?;
    let account = learner
        .get(format!("{base}/account"))
        .send()
        .await?
        .text()
        .await?;
    let token_page = learner
        .post(format!("{base}/account/tokens"))
        .form(&[
            ("name", "load"),
            ("_csrf", &csrf(&account).unwrap_or_default()),
        ])
        .send()
        .await?
        .text()
        .await?;
    let token = token_page
        .split("data-testid=\"new-token\"")
        .nth(1)
        .and_then(|t| t.split('>').nth(1))
        .and_then(|t| t.split('<').next())
        .map(str::trim)
        .map(str::to_owned)
        .filter(|t| !t.is_empty());

    let mut targets = vec![
        (
            "/healthz (ceiling)",
            "/healthz".to_owned(),
            anonymous.clone(),
            None,
        ),
        ("learner: home", "/".to_owned(), learner.clone(), None),
        (
            "learner: catalogue",
            "/courses".to_owned(),
            learner.clone(),
            None,
        ),
        (
            "learner: search",
            format!("/courses?q={word}"),
            learner.clone(),
            None,
        ),
        (
            "learner: course",
            format!("/courses/{course}"),
            learner.clone(),
            None,
        ),
        (
            "learner: my learning",
            "/learning".to_owned(),
            learner.clone(),
            None,
        ),
        (
            "learner: needs board",
            "/needs".to_owned(),
            learner.clone(),
            None,
        ),
        (
            "learner: header search",
            format!("/search?q={word}"),
            learner.clone(),
            None,
        ),
        ("author: feedback", feedback.clone(), author.clone(), None),
        (
            "author: analytics (funnel)",
            feedback.replace("/feedback", "/analytics"),
            author.clone(),
            None,
        ),
        (
            "coach: needs attention",
            "/attention".to_owned(),
            coach.clone(),
            None,
        ),
        // The dashboards of issue 15, for the coach's first group (all of it for an
        // administrator of the root).
        (
            "coach: dashboard",
            "/dashboard".to_owned(),
            coach.clone(),
            None,
        ),
        (
            "coach: dashboard courses",
            "/dashboard/courses".to_owned(),
            coach.clone(),
            None,
        ),
        (
            "coach: knowledge gaps",
            "/insights/gaps".to_owned(),
            coach.clone(),
            None,
        ),
        (
            "coach: experts",
            "/insights/experts".to_owned(),
            coach.clone(),
            None,
        ),
        (
            "coach: outcomes",
            "/outcomes".to_owned(),
            coach.clone(),
            None,
        ),
    ];
    if let Some(t) = token {
        targets.push((
            "api: list courses",
            "/api/v1/courses".to_owned(),
            anonymous.clone(),
            Some(t.clone()),
        ));
        targets.push((
            "api: search",
            format!("/api/v1/courses?q={word}"),
            anonymous.clone(),
            Some(t),
        ));
    }
    let mut targets: Vec<Arc<Target>> = targets
        .into_iter()
        .map(|(name, path, client, bearer)| {
            Arc::new(Target {
                name,
                req: Req::Get(path),
                client,
                bearer,
            })
        })
        .collect();
    targets.extend(
        writes(&base, &learner, &author, course, &feedback)
            .await?
            .into_iter()
            .map(Arc::new),
    );

    if !a.only.is_empty() {
        targets.retain(|t| {
            t.name.starts_with("/healthz") || a.only.iter().any(|o| t.name.contains(o.as_str()))
        });
    }
    // Every page answers before it is measured.
    for t in &targets {
        if !once(t, &base, 0).await {
            bail!("{} did not answer as it should before the run", t.name);
        }
    }

    println!(
        "| page | connections | requests/s | of /healthz | p50 ms | p95 ms | p99 ms | errors |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for &c in &a.connections {
        let mut ceiling = None;
        for t in &targets {
            let o = load(t, &base, c, a.seconds).await?;
            let rate = o.requests as f64 / o.seconds;
            let ceiling_rate = *ceiling.get_or_insert(rate);
            let ms = |q: f64| o.latencies.value_at_quantile(q) as f64 / 1000.0;
            println!(
                "| {} | {c} | {rate:.0} | {:.1} % | {:.1} | {:.1} | {:.1} | {} |",
                t.name,
                100.0 * rate / ceiling_rate,
                ms(0.5),
                ms(0.95),
                ms(0.99),
                o.errors
            );
        }
    }
    match server.peak_rss_kb() {
        Some(kb) => println!("\nserver peak RSS (VmHWM): {:.0} MB", kb as f64 / 1024.0),
        None => println!("\nserver peak RSS: not readable"),
    }
    Ok(())
}

/// The journeys that write: a learner opens a step (the player records the place), completes
/// it and reacts to it; an author edits a step of their course (the editor's autosave).
async fn writes(
    base: &str,
    learner: &reqwest::Client,
    author: &reqwest::Client,
    course: i64,
    feedback: &str,
) -> Result<Vec<Target>> {
    let page = learner
        .get(format!("{base}/courses/{course}"))
        .send()
        .await?
        .text()
        .await?;
    let token = csrf(&page).context("a form token on the course page")?;
    if page.contains(&format!("action=\"/courses/{course}/enrol\"")) {
        learner
            .post(format!("{base}/courses/{course}/enrol"))
            .form(&[("_csrf", token.as_str())])
            .send()
            .await?;
    }
    let step_page = learner
        .get(format!("{base}/courses/{course}/learn/1"))
        .send()
        .await?
        .text()
        .await?;
    let marker = format!("/courses/{course}/steps/");
    let key = step_page
        .match_indices(&marker)
        .next()
        .and_then(|(at, _)| step_page[at + marker.len()..].split('/').next())
        .map(str::to_owned)
        .context("the first step's key on the player")?;
    let authored = first_id(feedback, "/courses/").context("the author's course")?;
    let form = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<Vec<_>>()
    };
    Ok(vec![
        Target {
            name: "learner: open a step",
            req: Req::Get(format!("/courses/{course}/learn/1")),
            client: learner.clone(),
            bearer: None,
        },
        Target {
            name: "learner: complete a step",
            req: Req::Post(
                format!("/courses/{course}/steps/{key}/complete"),
                form(&[("_csrf", &token)]),
            ),
            client: learner.clone(),
            bearer: None,
        },
        Target {
            name: "learner: react to a step",
            req: Req::Post(
                format!("/courses/{course}/steps/{key}/reactions"),
                form(&[
                    ("kind", "useful"),
                    ("comment", ""),
                    ("position", "1"),
                    ("_csrf", &token),
                ]),
            ),
            client: learner.clone(),
            bearer: None,
        },
        Target {
            name: "author: edit a step",
            req: Req::EditStep(authored),
            client: author.clone(),
            bearer: None,
        },
    ])
}
