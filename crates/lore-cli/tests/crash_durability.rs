//! Crash durability: several clients ask for needs through the API of the real `lore serve`
//! while it is killed with SIGKILL at a random moment (seeded), twenty times over. After each
//! kill `lore check` finds the SQLite file whole; after each restart every need the server
//! acknowledged (201) is there, and no need is half-written: each one shows all the questions
//! it was sent with and the record line written in the same unit of work.
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
const CLIENTS: u64 = 4;
const DEFAULT_SEED: u64 = 0x0017_0008;
/// The kill comes this long after the clients start, at most (and at least a tenth of it).
const MAX_RUN: Duration = Duration::from_millis(700);
const STARTUP_TIMEOUT: Duration = Duration::from_secs(120);
const IO_TIMEOUT: Duration = Duration::from_secs(30);

/// A need the server answered 201 for.
#[derive(Clone, Debug)]
struct Acknowledged {
    id: i64,
    title: String,
    questions: usize,
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

/// One HTTP/1.0 request; the status and the body, or an I/O error (the server is gone).
fn request(
    authority: &str,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(authority)?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let body = body.unwrap_or("");
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: {authority}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let response = String::from_utf8_lossy(&response);
    let (head, body) = response
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("a response cut short"))?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    Ok((status, body.to_owned()))
}

fn get_json(server: &Server, path: &str, token: &str) -> Value {
    let (status, body) =
        request(&server.authority, "GET", path, token, None).expect("the server answers");
    assert_eq!(status, 200, "GET {path}: {body}");
    serde_json::from_str(&body).expect("a JSON body")
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

/// Clients ask for needs until the server goes away; returns what was acknowledged.
fn write_until_killed(
    server: &Server,
    token: &str,
    audience: i64,
    round: u64,
    moments: &mut Moments,
) -> Vec<Acknowledged> {
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let refusals = Arc::new(Mutex::new(Vec::new()));
    let killed = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let authority = server.authority.clone();
            let token = token.to_owned();
            let acknowledged = Arc::clone(&acknowledged);
            let refusals = Arc::clone(&refusals);
            let killed = Arc::clone(&killed);
            std::thread::spawn(move || {
                for n in 0.. {
                    let questions = 1 + (n + client as usize) % 4;
                    let title = format!("crash round {round} client {client} need {n} q{questions}");
                    let body = serde_json::json!({
                        "title": title,
                        "problem": "Written while the server may be killed.",
                        "questions": (0..questions).map(|q| format!("Question {q}?")).collect::<Vec<_>>(),
                        "audiences": [audience],
                    })
                    .to_string();
                    match request(&authority, "POST", "/api/v1/needs", &token, Some(&body)) {
                        Ok((201, body)) => {
                            let need: Value =
                                serde_json::from_str(&body).expect("a JSON need");
                            let id = need["id"].as_i64().expect("an id");
                            acknowledged
                                .lock()
                                .expect("the list")
                                .push(Acknowledged { id, title, questions });
                        }
                        Ok((status, body)) => {
                            refusals.lock().expect("the list").push(format!("{status} {body}"));
                        }
                        Err(_) if killed.load(Ordering::SeqCst) => break,
                        Err(e) => {
                            refusals.lock().expect("the list").push(format!("{e}"));
                            break;
                        }
                    }
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
    acknowledged.lock().expect("the list").clone()
}

fn kill_now(server: &Server) {
    let status = Command::new("kill")
        .args(["-KILL", &server.child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -KILL failed");
}

/// Every acknowledged need is there and whole.
fn assert_present(server: &Server, token: &str, acknowledged: &[Acknowledged]) {
    for ack in acknowledged {
        let need = get_json(server, &format!("/api/v1/needs/{}", ack.id), token);
        assert_eq!(need["title"], ack.title.as_str(), "need {}", ack.id);
        assert_eq!(
            need["questions"].as_array().map(Vec::len),
            Some(ack.questions),
            "{need}"
        );
        assert_whole(&need);
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
    let mut previous: Vec<Acknowledged> = Vec::new();
    let mut audience = None;
    for round in 0..ROUNDS {
        let mut server = start(&lore, round);
        assert_present(&server, &token, &previous);
        let group = *audience.get_or_insert_with(|| {
            let groups = get_json(&server, "/api/v1/groups", &token);
            groups[0]["id"].as_i64().expect("the group's id")
        });
        previous = write_until_killed(&server, &token, group, round, &mut moments);
        let _ = server.child.wait();
        all.extend(previous.iter().cloned());
        let checked = lore.succeeds(&["check"], &[]);
        assert!(checked.contains("integrity ok"), "round {round}: {checked}");
    }

    let server = start(&lore, ROUNDS);
    assert_present(&server, &token, &previous);
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
    for ack in &all {
        assert!(
            seen.contains(&ack.id),
            "acknowledged need {} is gone",
            ack.id
        );
    }
    assert!(
        all.len() >= usize::try_from(ROUNDS).unwrap_or(20),
        "too few writes were acknowledged to prove much: {}",
        all.len()
    );
    eprintln!(
        "{} needs acknowledged over {ROUNDS} kills; {} present",
        all.len(),
        seen.len()
    );
}
