//! Crash durability: several clients write through the API of the real `lore serve` while it
//! is killed with SIGKILL at a random moment (seeded), twenty times over: two ask for needs,
//! one adds steps to a course's draft, one answers a question of an attempt again and again,
//! and one sends xAPI statement batches. Only a 2xx answer read in full counts as
//! acknowledged; any other status (not a broken connection) fails the test. After each kill
//! `lore check` finds the SQLite file whole (`PRAGMA integrity_check`); after each restart
//! every acknowledged write is there and nothing is half-written: each need shows all the
//! questions it was sent with and its record line, each step its whole text, the attempt the
//! last acknowledged answer (or the one in flight at the kill), and each batch of statements
//! is there entirely or not at all.
//!
//! `LORE_CRASH_SEED=N` replays another sequence of kill moments.
#![expect(
    clippy::expect_used,
    reason = "test helpers fail the test with a message, like the tests themselves"
)]

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde_json::Value;

const ROUNDS: u64 = 20;
/// Clients asking for needs; one more adds draft steps, one answers, one sends statements.
const NEED_CLIENTS: u64 = 2;
/// Statements per xAPI batch.
const BATCH: usize = 3;
const DEFAULT_SEED: u64 = 0x0017_0008;
/// The kill comes this long after the clients start, at most (and at least a tenth of it).
const MAX_RUN: Duration = Duration::from_millis(700);
const STARTUP_TIMEOUT: Duration = Duration::from_secs(120);
const IO_TIMEOUT: Duration = Duration::from_secs(30);

/// A write the server acknowledged (2xx, read in full).
#[derive(Clone, Debug)]
enum Acknowledged {
    /// A need, answered 201.
    Need {
        id: i64,
        title: String,
        questions: usize,
    },
    /// A step added to the draft of a course.
    Step {
        course: i64,
        id: i64,
        title: String,
        body: String,
    },
    /// The `n`th answer of the round to the attempt's question (the last one acknowledged).
    Answer { text: String, in_flight: String },
    /// A batch of statements, all stored.
    Batch { ids: Vec<String> },
}

/// What the clients write to, set up once through the API.
#[derive(Clone, Debug)]
struct Targets {
    token: String,
    audience: i64,
    /// A course per round for the step writer: a draft holds at most 200 steps, and a fast
    /// machine adds more than ten a round.
    courses: Vec<i64>,
    attempt: i64,
    key: String,
    /// `Authorization: Basic …` of an xAPI client.
    xapi: String,
}

/// splitmix64: enough randomness for kill moments, and the same for the same seed.
struct Moments(u64);

impl Moments {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A moment between a tenth of [`MAX_RUN`] and all of it.
    fn run_time(&mut self) -> Duration {
        let max = u64::try_from(MAX_RUN.as_millis()).unwrap_or(700);
        Duration::from_millis(max / 10 + self.next() % (max - max / 10))
    }
}

struct Sandbox {
    root: tempfile::TempDir,
}

impl Sandbox {
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lore"));
        command
            .args(args)
            .arg("--data-dir")
            .arg(self.root.path().join("data"))
            .current_dir(self.root.path())
            .stdin(Stdio::null());
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("LORE_") {
                command.env_remove(&key);
            }
        }
        command.env_remove("RUST_LOG");
        command
    }

    /// Run `lore ARGS` to the end and return its stdout; fails the test if it fails.
    fn succeeds(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let mut command = self.command(args);
        command.envs(env.iter().copied());
        let output = command.output().expect("run lore");
        assert!(
            output.status.success(),
            "lore {} failed ({}):\n{}\n{}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn stderr_file(&self, round: u64) -> PathBuf {
        self.root.path().join(format!("serve-{round}.stderr"))
    }
}

/// `lore serve` on a free port.
struct Server {
    child: Child,
    authority: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn start(lore: &Sandbox, round: u64) -> Server {
    let stderr_path = lore.stderr_file(round);
    let mut command = lore.command(&["serve", "--listen", "127.0.0.1:0"]);
    command
        .stdout(Stdio::piped())
        .stderr(File::create(&stderr_path).expect("create the stderr file"));
    let mut child = command.spawn().expect("start lore serve");
    let stdout = child.stdout.take().expect("stdout is piped");
    let (lines_tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    let authority = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(Ok(line)) => {
                if let Some(url) = line.strip_prefix("Lore is running at http://") {
                    break url.trim().to_owned();
                }
            }
            other => panic!(
                "lore serve did not start in round {round} ({other:?}); stderr:\n{}",
                std::fs::read_to_string(&stderr_path).unwrap_or_default()
            ),
        }
    };
    Server { child, authority }
}

/// One HTTP/1.0 request with the given `Authorization` value (and, for `/xapi`, its version
/// header); the status and the body, or an I/O error when the server is gone, including a
/// response cut short of its `Content-Length`.
fn request(
    authority: &str,
    method: &str,
    path: &str,
    authorization: &str,
    body: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(authority)?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let body = body.unwrap_or("");
    let version = if path.starts_with("/xapi") {
        "X-Experience-API-Version: 1.0.3\r\n"
    } else {
        ""
    };
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: {authority}\r\nAuthorization: {authorization}\r\n\
         {version}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("a response cut short"))?;
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let body = &response[split + 4..];
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let length = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())
            .flatten()
    });
    if length.is_some_and(|n| body.len() < n) {
        return Err(std::io::Error::other("a body cut short"));
    }
    Ok((status, String::from_utf8_lossy(body).into_owned()))
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// `Basic base64(key:secret)`.
fn basic(key: &str, secret: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = format!("{key}:{secret}").into_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    format!("Basic {out}")
}

/// A request that must succeed with `expected`; its JSON body.
fn expect_json(
    server: &Server,
    method: &str,
    path: &str,
    authorization: &str,
    body: Option<&str>,
    expected: u16,
) -> Value {
    let (status, text) = request(&server.authority, method, path, authorization, body)
        .unwrap_or_else(|e| panic!("{method} {path}: the server does not answer: {e}"));
    assert_eq!(status, expected, "{method} {path}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method} {path}: {e}: {text}"))
}

fn get_json(server: &Server, path: &str, token: &str) -> Value {
    expect_json(server, "GET", path, &bearer(token), None, 200)
}

/// The number of questions a need's title says it was sent with (`… q3`).
fn questions_in_title(title: &str) -> usize {
    title
        .rsplit_once(" q")
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or_else(|| panic!("a need nobody asked for: {title:?}"))
}

/// The need is whole: every question it was sent with, and its record line.
fn assert_whole(need: &Value) {
    let title = need["title"].as_str().expect("a title");
    let questions = need["questions"].as_array().expect("questions");
    assert_eq!(
        questions.len(),
        questions_in_title(title),
        "need {title:?} lost questions: {need}"
    );
    let events = need["events"].as_array().expect("events");
    assert!(
        events.iter().any(|e| e["kind"] == "created"),
        "need {title:?} has no record of being asked: {need}"
    );
}

/// Course, attempt and xAPI client for the writers, made through the API before any kill.
fn set_up(server: &Server, token: &str) -> Targets {
    let auth = bearer(token);
    let groups = get_json(server, "/api/v1/groups", token);
    let audience = groups[0]["id"].as_i64().expect("the group's id");
    let courses = (0..=ROUNDS)
        .map(|round| {
            expect_json(
                server,
                "POST",
                "/api/v1/courses",
                &auth,
                Some(
                    &serde_json::json!({
                        "title": format!("Written while killed, round {round}"),
                        "group_id": audience
                    })
                    .to_string(),
                ),
                201,
            )["id"]
                .as_i64()
                .expect("the course's id")
        })
        .collect();
    let exam = expect_json(
        server,
        "POST",
        "/api/v1/courses",
        &auth,
        Some(
            &serde_json::json!({
                "title": "Answered while killed",
                "group_id": audience,
                "steps": [{"title": "Read", "body": "Then answer."}],
            })
            .to_string(),
        ),
        201,
    )["id"]
        .as_i64()
        .expect("the course's id");
    let gift =
        serde_json::json!({ "gift": "What is the capital of France? {=Paris}\n" }).to_string();
    expect_json(
        server,
        "POST",
        &format!("/api/v1/courses/{exam}/questions/gift/import"),
        &auth,
        Some(&gift),
        201,
    );
    expect_json(
        server,
        "POST",
        &format!("/api/v1/courses/{exam}/publish"),
        &auth,
        Some(r#"{"note": ""}"#),
        200,
    );
    let attempt = expect_json(
        server,
        "POST",
        &format!("/api/v1/courses/{exam}/attempts"),
        &auth,
        None,
        200,
    );
    let key = attempt["questions"][0]["key"]
        .as_str()
        .expect("the question's key")
        .to_owned();
    let client = expect_json(
        server,
        "POST",
        "/api/v1/xapi/clients",
        &auth,
        Some(r#"{"name": "Crash test", "scopes": ["all"]}"#),
        201,
    );
    Targets {
        token: token.to_owned(),
        audience,
        courses,
        attempt: attempt["id"].as_i64().expect("the attempt's id"),
        key,
        xapi: basic(
            client["key"].as_str().expect("a key"),
            client["secret"].as_str().expect("a secret"),
        ),
    }
}

/// The `n`th write of one client: what to send, and how to read the acknowledgement.
enum Planned {
    Need {
        body: String,
        title: String,
        questions: usize,
    },
    Step {
        course: i64,
        body: String,
        title: String,
        text: String,
    },
    Answer {
        body: String,
        text: String,
        next: String,
    },
    Batch {
        body: String,
        ids: Vec<String>,
    },
}

/// A statement id, the same for the same client, round and number.
fn statement_id(round: u64, client: u64, n: usize, i: usize) -> String {
    format!(
        "{round:08x}-{client:04x}-4{:03x}-8{i:03x}-{n:012x}",
        n >> 48
    )
}

fn write_of(
    kind: u64,
    targets: &Targets,
    round: u64,
    client: u64,
    n: usize,
) -> (String, String, Planned) {
    let api = |path: String| (path, bearer(&targets.token));
    match kind {
        0 => {
            let questions = 1 + (n + client as usize) % 4;
            let title = format!("crash round {round} client {client} need {n} q{questions}");
            let body = serde_json::json!({
                "title": title,
                "problem": "Written while the server may be killed.",
                "questions": (0..questions).map(|q| format!("Question {q}?")).collect::<Vec<_>>(),
                "audiences": [targets.audience],
            })
            .to_string();
            let (path, auth) = api("/api/v1/needs".to_owned());
            (
                path,
                auth,
                Planned::Need {
                    body,
                    title,
                    questions,
                },
            )
        }
        1 => {
            let title = format!("Step {n} of round {round}");
            let text = format!(
                "Written in round {round}, step {n}.\n\n{}",
                "Whole. ".repeat(n % 50)
            );
            let body =
                serde_json::json!({"kind": "text", "title": title, "body": text}).to_string();
            let course = targets.courses[round as usize % targets.courses.len()];
            let (path, auth) = api(format!("/api/v1/courses/{course}/draft/steps"));
            (
                path,
                auth,
                Planned::Step {
                    course,
                    body,
                    title,
                    text: text.trim().to_owned(),
                },
            )
        }
        2 => {
            let text = format!("round {round} answer {n}");
            let next = format!("round {round} answer {}", n + 1);
            let body = serde_json::json!({"kind": "text", "value": text}).to_string();
            let (path, auth) = api(format!(
                "/api/v1/attempts/{}/answers/{}",
                targets.attempt, targets.key
            ));
            (path, auth, Planned::Answer { body, text, next })
        }
        _ => {
            let ids: Vec<String> = (0..BATCH)
                .map(|i| statement_id(round, client, n, i))
                .collect();
            let statements: Vec<Value> = ids
                .iter()
                .map(|id| {
                    serde_json::json!({
                        "id": id,
                        "actor": {"objectType": "Agent", "mbox": "mailto:crash@example.com"},
                        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced",
                                 "display": {"en-US": "experienced"}},
                        "object": {"objectType": "Activity",
                                   "id": format!("http://example.com/crash/{round}/{n}")},
                    })
                })
                .collect();
            let body = Value::Array(statements).to_string();
            (
                "/xapi/statements".to_owned(),
                targets.xapi.clone(),
                Planned::Batch { body, ids },
            )
        }
    }
}

/// What the round's clients wrote: the acknowledged writes, and every batch sent.
struct Written {
    acknowledged: Vec<Acknowledged>,
    batches_sent: Vec<Vec<String>>,
}

/// Clients write until the server goes away; returns what was acknowledged.
fn write_until_killed(
    server: &Server,
    targets: &Targets,
    round: u64,
    moments: &mut Moments,
) -> Written {
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let batches_sent = Arc::new(Mutex::new(Vec::new()));
    let refusals = Arc::new(Mutex::new(Vec::new()));
    let killed = Arc::new(AtomicBool::new(false));
    let kinds: Vec<u64> = (0..NEED_CLIENTS).map(|_| 0).chain([1, 2, 3]).collect();
    let clients: Vec<_> = kinds
        .into_iter()
        .enumerate()
        .map(|(client, kind)| {
            let client = client as u64;
            let authority = server.authority.clone();
            let targets = targets.clone();
            let acknowledged = Arc::clone(&acknowledged);
            let batches_sent = Arc::clone(&batches_sent);
            let refusals = Arc::clone(&refusals);
            let killed = Arc::clone(&killed);
            std::thread::spawn(move || {
                let mut last_answer: Option<Acknowledged> = None;
                for n in 0.. {
                    let (path, auth, write) = write_of(kind, &targets, round, client, n);
                    let (method, body) = match &write {
                        Planned::Need { body, .. } | Planned::Step { body, .. } => ("POST", body),
                        Planned::Answer { body, .. } => ("PUT", body),
                        Planned::Batch { body, ids } => {
                            batches_sent.lock().expect("the list").push(ids.clone());
                            ("POST", body)
                        }
                    };
                    match request(&authority, method, &path, &auth, Some(body)) {
                        Ok((status, text)) if (200..300).contains(&status) => {
                            let reply: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
                                panic!(
                                    "{method} {path} answered {status} with no JSON ({e}): {text}"
                                )
                            });
                            let ack = match write {
                                Planned::Need {
                                    title, questions, ..
                                } => Acknowledged::Need {
                                    id: reply["id"].as_i64().expect("a need's id"),
                                    title,
                                    questions,
                                },
                                Planned::Step {
                                    course,
                                    title,
                                    text,
                                    ..
                                } => Acknowledged::Step {
                                    course,
                                    id: reply["id"].as_i64().expect("a step's id"),
                                    title,
                                    body: text,
                                },
                                Planned::Answer { text, next, .. } => {
                                    last_answer = Some(Acknowledged::Answer {
                                        text,
                                        in_flight: next,
                                    });
                                    continue;
                                }
                                Planned::Batch { ids, .. } => {
                                    let stored: Vec<String> = reply
                                        .as_array()
                                        .map(|a| {
                                            a.iter()
                                                .filter_map(|v| v.as_str().map(str::to_owned))
                                                .collect()
                                        })
                                        .unwrap_or_default();
                                    assert_eq!(stored, ids, "the statement ids stored");
                                    Acknowledged::Batch { ids }
                                }
                            };
                            acknowledged.lock().expect("the list").push(ack);
                        }
                        Ok((status, text)) => {
                            refusals
                                .lock()
                                .expect("the list")
                                .push(format!("{method} {path}: {status} {text}"));
                            break;
                        }
                        Err(_) if killed.load(Ordering::SeqCst) => break,
                        Err(e) => {
                            refusals
                                .lock()
                                .expect("the list")
                                .push(format!("{method} {path}: {e}"));
                            break;
                        }
                    }
                }
                if let Some(answer) = last_answer {
                    acknowledged.lock().expect("the list").push(answer);
                }
            })
        })
        .collect();
    std::thread::sleep(moments.run_time());
    killed.store(true, Ordering::SeqCst);
    kill_now(server);
    for client in clients {
        client.join().expect("a client thread ends");
    }
    let refusals = refusals.lock().expect("the list").clone();
    assert!(
        refusals.is_empty(),
        "round {round}: writes refused before the kill: {refusals:?}"
    );
    let acknowledged = acknowledged.lock().expect("the list").clone();
    let batches_sent = batches_sent.lock().expect("the list").clone();
    Written {
        acknowledged,
        batches_sent,
    }
}

fn kill_now(server: &Server) {
    let status = Command::new("kill")
        .args(["-KILL", &server.child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -KILL failed");
}

/// Whether the statement is stored (200) or not (404); anything else fails.
fn statement_stored(server: &Server, targets: &Targets, id: &str) -> bool {
    let path = format!("/xapi/statements?statementId={id}");
    let (status, text) =
        request(&server.authority, "GET", &path, &targets.xapi, None).expect("the server answers");
    assert!(
        status == 200 || status == 404,
        "GET {path}: {status} {text}"
    );
    status == 200
}

/// Every acknowledged write is there and whole, and every batch sent is all there or absent.
fn assert_present(server: &Server, targets: &Targets, written: &Written) {
    let token = &targets.token;
    let mut drafts: std::collections::HashMap<i64, serde_json::Value> = Default::default();
    for ack in &written.acknowledged {
        match ack {
            Acknowledged::Need {
                id,
                title,
                questions,
            } => {
                let need = get_json(server, &format!("/api/v1/needs/{id}"), token);
                assert_eq!(need["title"], title.as_str(), "need {id}");
                assert_eq!(
                    need["questions"].as_array().map(Vec::len),
                    Some(*questions),
                    "{need}"
                );
                assert_whole(&need);
            }
            Acknowledged::Step {
                course,
                id,
                title,
                body,
            } => {
                let draft = drafts.entry(*course).or_insert_with(|| {
                    get_json(server, &format!("/api/v1/courses/{course}/draft"), token)
                });
                let step = draft["steps"]
                    .as_array()
                    .and_then(|steps| steps.iter().find(|s| s["id"].as_i64() == Some(*id)))
                    .unwrap_or_else(|| panic!("acknowledged step {id} ({title}) is gone"));
                assert_eq!(step["title"], title.as_str(), "step {id}");
                assert_eq!(
                    step["body"].as_str().map(str::trim),
                    Some(body.as_str()),
                    "step {id}"
                );
            }
            Acknowledged::Answer { text, in_flight } => {
                let attempt = get_json(
                    server,
                    &format!("/api/v1/attempts/{}", targets.attempt),
                    token,
                );
                let stored = attempt["questions"][0]["answer"]["value"]
                    .as_str()
                    .unwrap_or_default();
                assert!(
                    stored == text || stored == in_flight,
                    "the attempt lost its acknowledged answer {text:?}: {}",
                    attempt["questions"][0]
                );
            }
            Acknowledged::Batch { ids } => {
                for id in ids {
                    assert!(
                        statement_stored(server, targets, id),
                        "acknowledged statement {id} is gone"
                    );
                }
            }
        }
    }
    for ids in &written.batches_sent {
        let present = ids
            .iter()
            .filter(|id| statement_stored(server, targets, id))
            .count();
        assert!(
            present == 0 || present == ids.len(),
            "a batch of statements is half there ({present} of {}): {ids:?}",
            ids.len()
        );
    }
}

#[test]
fn acknowledged_writes_survive_sigkill_and_nothing_partial_is_visible() {
    let seed = std::env::var("LORE_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    eprintln!("crash seed {seed} (LORE_CRASH_SEED replays another)");
    let mut moments = Moments(seed);
    let lore = Sandbox {
        root: tempfile::tempdir().expect("create a temporary directory"),
    };
    lore.succeeds(
        &[
            "users",
            "add",
            "--email",
            "ops@example.com",
            "--name",
            "Ops",
            "--admin",
        ],
        &[("LORE_NEW_PASSWORD", "correct horse battery")],
    );
    lore.succeeds(&["groups", "add", "Acme"], &[]);
    let token = lore
        .succeeds(&["users", "token", "ops@example.com"], &[])
        .trim()
        .to_owned();
    assert!(token.starts_with("lore_"), "a token: {token}");

    let mut all: Vec<Acknowledged> = Vec::new();
    let mut previous = Written {
        acknowledged: Vec::new(),
        batches_sent: Vec::new(),
    };
    let mut targets = None;
    for round in 0..ROUNDS {
        let mut server = start(&lore, round);
        let targets = targets.get_or_insert_with(|| set_up(&server, &token));
        assert_present(&server, targets, &previous);
        previous = write_until_killed(&server, targets, round, &mut moments);
        let _ = server.child.wait();
        all.extend(previous.acknowledged.iter().cloned());
        let checked = lore.succeeds(&["check"], &[]);
        assert!(checked.contains("integrity ok"), "round {round}: {checked}");
    }
    let targets = targets.expect("set up in the first round");

    let server = start(&lore, ROUNDS);
    assert_present(&server, &targets, &previous);
    // Every need there is, acknowledged or not, is whole.
    let mut seen = HashSet::new();
    for page in 1.. {
        let board = get_json(
            &server,
            &format!("/api/v1/needs?all=true&sort=oldest&page_size=200&page={page}"),
            &token,
        );
        let needs = board["needs"].as_array().expect("needs");
        if needs.is_empty() {
            break;
        }
        for summary in needs {
            let id = summary["id"].as_i64().expect("an id");
            assert_whole(&get_json(&server, &format!("/api/v1/needs/{id}"), &token));
            seen.insert(id);
        }
    }
    // Every acknowledged need and step is still there after all the kills, and every
    // acknowledged statement.
    let mut steps: HashSet<i64> = HashSet::new();
    for course in &targets.courses {
        let draft = get_json(&server, &format!("/api/v1/courses/{course}/draft"), &token);
        steps.extend(
            draft["steps"]
                .as_array()
                .expect("steps")
                .iter()
                .filter_map(|s| s["id"].as_i64()),
        );
    }
    let mut counts = [0usize; 4];
    for ack in &all {
        match ack {
            Acknowledged::Need { id, .. } => {
                counts[0] += 1;
                assert!(seen.contains(id), "acknowledged need {id} is gone");
            }
            Acknowledged::Step { id, .. } => {
                counts[1] += 1;
                assert!(steps.contains(id), "acknowledged step {id} is gone");
            }
            Acknowledged::Answer { .. } => counts[2] += 1,
            Acknowledged::Batch { ids } => {
                counts[3] += 1;
                for id in ids {
                    assert!(
                        statement_stored(&server, &targets, id),
                        "acknowledged statement {id} is gone"
                    );
                }
            }
        }
    }
    let rounds = usize::try_from(ROUNDS).unwrap_or(20);
    assert!(
        counts[0] >= rounds && counts[1] >= rounds / 2 && counts[3] >= rounds / 2,
        "too few writes were acknowledged to prove much: {counts:?} (needs, steps, answers, batches)"
    );
    eprintln!(
        "acknowledged over {ROUNDS} kills: {} needs, {} steps, {} rounds' last answers, {} \
         statement batches; {} needs present",
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        seen.len()
    );
}
