//! The `lore` binary as an operator uses it: each test runs the real program in a fresh
//! temporary data directory (and working directory, so no `lore.toml` or `LORE_*` variable
//! of the machine running the tests leaks in) and checks what a person would notice.
//!
//! The PostgreSQL test runs when `LORE_TEST_DATABASE_URL` names a server where it may create
//! databases (it needs `psql`); otherwise it says it is skipped.
#![expect(
    clippy::expect_used,
    reason = "test helpers fail the test with a message, like the tests themselves"
)]

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// How long one command may take on a slow, loaded machine before the test gives up.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);
/// How long `serve` may take to say where it runs.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(120);
/// How long `serve` may take to stop after SIGTERM.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// How often a running process is checked.
const POLL: Duration = Duration::from_millis(20);

const PASSWORD: &str = "correct horse battery";

/// What one run of `lore` printed, and how it ended.
#[derive(Debug)]
struct Outcome {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Outcome {
    /// The lines starting with `error:`.
    fn error_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error:"))
            .collect()
    }
}

/// A scratch folder holding the working directory and the data directory of one test.
struct Sandbox {
    root: TempDir,
}

impl Sandbox {
    fn new() -> Self {
        Self {
            root: tempfile::tempdir().expect("create a temporary directory"),
        }
    }

    fn path(&self) -> &Path {
        self.root.path()
    }

    /// The data directory the commands use (created by `lore` itself).
    fn data_dir(&self) -> PathBuf {
        self.path().join("data")
    }

    /// A file in the sandbox (outside the data directory) with these contents.
    fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.path().join(name);
        std::fs::write(&path, contents).expect("write a test file");
        path
    }

    /// `lore ARGS --data-dir DATA` in the sandbox, with a clean environment.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lore"));
        command
            .args(args)
            .arg("--data-dir")
            .arg(self.data_dir())
            .current_dir(self.path())
            .stdin(Stdio::null());
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("LORE_") {
                command.env_remove(&key);
            }
        }
        command.env_remove("RUST_LOG");
        command
    }

    /// Run `lore ARGS` to the end (within [`COMMAND_TIMEOUT`]).
    fn run(&self, args: &[&str]) -> Outcome {
        self.run_command(self.command(args), args)
    }

    /// Run a prepared command to the end, its output going to files so that no pipe fills.
    fn run_command(&self, mut command: Command, args: &[&str]) -> Outcome {
        let out = tempfile::NamedTempFile::new_in(self.path()).expect("create an output file");
        let err = tempfile::NamedTempFile::new_in(self.path()).expect("create an output file");
        command
            .stdout(out.reopen().expect("reopen the output file"))
            .stderr(err.reopen().expect("reopen the output file"));
        let child = command.spawn().expect("start lore");
        let mut child = KillOnDrop(child);
        let status = wait_for_exit(&mut child.0, COMMAND_TIMEOUT).unwrap_or_else(|| {
            panic!(
                "lore {} did not finish within {} s; stderr so far:\n{}",
                args.join(" "),
                COMMAND_TIMEOUT.as_secs(),
                read_lossy(err.path())
            )
        });
        Outcome {
            status,
            stdout: read_lossy(out.path()),
            stderr: read_lossy(err.path()),
        }
    }

    /// Run `lore ARGS`, expect it to succeed, and return what it printed on stdout.
    fn succeeds(&self, args: &[&str]) -> String {
        let outcome = self.run(args);
        assert!(
            outcome.status.success(),
            "lore {} failed ({}):\nstdout:\n{}\nstderr:\n{}",
            args.join(" "),
            outcome.status,
            outcome.stdout,
            outcome.stderr
        );
        outcome.stdout
    }

    /// Run `lore ARGS`, expect exit code 1 with exactly one `error:` line, and return the
    /// whole outcome.
    fn fails(&self, args: &[&str]) -> Outcome {
        let outcome = self.run(args);
        assert_eq!(
            outcome.status.code(),
            Some(1),
            "lore {} should fail with exit code 1:\nstdout:\n{}\nstderr:\n{}",
            args.join(" "),
            outcome.stdout,
            outcome.stderr
        );
        assert_eq!(
            outcome.error_lines().len(),
            1,
            "lore {} should print one error line:\n{}",
            args.join(" "),
            outcome.stderr
        );
        outcome
    }

    /// `lore users add` with the password in `LORE_NEW_PASSWORD`.
    fn add_user(&self, email: &str, name: &str, extra: &[&str]) -> Outcome {
        let mut args = vec!["users", "add", "--email", email, "--name", name];
        args.extend_from_slice(extra);
        let mut command = self.command(&args);
        command.env("LORE_NEW_PASSWORD", PASSWORD);
        self.run_command(command, &args)
    }
}

/// A child process that is killed if the test ends (or panics) while it still runs.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// The exit status, or `None` if the process still runs after `timeout`.
fn wait_for_exit(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().expect("check on lore") {
            return Some(status);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(POLL);
    }
}

fn read_lossy(path: &Path) -> String {
    let mut bytes = Vec::new();
    if let Ok(mut file) = File::open(path) {
        let _ = file.read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The line of a `users list` table for this address, if any.
fn row_of<'a>(table: &'a str, email: &str) -> Option<&'a str> {
    table
        .lines()
        .find(|l| l.split_whitespace().next() == Some(email))
}

#[test]
fn added_users_are_listed_and_a_second_account_for_the_same_address_is_refused() {
    let lore = Sandbox::new();
    let added = lore.add_user("ada@example.com", "Ada Lovelace", &["--admin"]);
    assert!(added.status.success(), "users add failed: {added:?}");
    assert!(
        added
            .stdout
            .contains("Added Ada Lovelace <ada@example.com>"),
        "{}",
        added.stdout
    );

    let list = lore.succeeds(&["users", "list"]);
    let row = row_of(&list, "ada@example.com").expect("Ada is listed");
    assert!(row.contains("Ada Lovelace"), "{row}");
    assert!(row.contains("active"), "{row}");
    assert!(list.contains("1 account(s)."), "{list}");

    let again = lore.add_user("ada@example.com", "Ada Again", &[]);
    assert_eq!(again.status.code(), Some(1), "{again:?}");
    let errors = again.error_lines();
    assert_eq!(errors.len(), 1, "{}", again.stderr);
    assert!(
        errors[0].contains("ada@example.com") && errors[0].contains("already has an account"),
        "{}",
        errors[0]
    );
    let list = lore.succeeds(&["users", "list"]);
    assert!(list.contains("1 account(s)."), "{list}");
    assert!(!list.contains("Ada Again"), "{list}");
}

#[test]
fn groups_are_created_in_a_tree_and_a_duplicate_name_is_refused() {
    let lore = Sandbox::new();
    let empty = lore.succeeds(&["groups", "list"]);
    assert!(empty.contains("There are no groups yet"), "{empty}");

    let no_parent = lore.fails(&["groups", "add", "Engineering", "--parent", "Acme"]);
    assert!(no_parent.error_lines()[0].contains("Acme"), "{no_parent:?}");

    assert!(
        lore.succeeds(&["groups", "add", "Acme"])
            .contains("Created group Acme.")
    );
    let created = lore.succeeds(&["groups", "add", "Engineering", "--parent", "Acme"]);
    assert!(
        created.contains("Created group Acme/Engineering."),
        "{created}"
    );
    lore.succeeds(&["groups", "add", "Platform", "--parent", "Acme/Engineering"]);
    lore.succeeds(&["groups", "add", "Sales", "--parent", "acme"]);

    let list = lore.succeeds(&["groups", "list"]);
    let lines: Vec<&str> = list.lines().collect();
    let find = |path: &str| {
        lines
            .iter()
            .find(|l| l.split_whitespace().last() == Some(path))
            .unwrap_or_else(|| panic!("{path} is not listed:\n{list}"))
    };
    assert!(find("Acme").starts_with("Acme "), "{list}");
    assert!(
        find("Acme/Engineering").starts_with("  Engineering "),
        "{list}"
    );
    assert!(
        find("Acme/Engineering/Platform").starts_with("    Platform "),
        "{list}"
    );
    assert!(find("Acme/Sales").starts_with("  Sales "), "{list}");
    // Depth first, alphabetical among siblings.
    let order: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.split_whitespace().last())
        .filter(|p| p.starts_with("Acme"))
        .collect();
    assert_eq!(
        order,
        [
            "Acme",
            "Acme/Engineering",
            "Acme/Engineering/Platform",
            "Acme/Sales"
        ]
    );
    assert!(list.contains("4 group(s)."), "{list}");

    let duplicate = lore.fails(&["groups", "add", "engineering", "--parent", "Acme"]);
    let error = duplicate.error_lines()[0];
    assert!(
        error.contains("Acme") && error.contains("\"Engineering\""),
        "{error}"
    );
    let top_duplicate = lore.fails(&["groups", "add", "ACME"]);
    assert!(
        top_duplicate.error_lines()[0].contains("\"Acme\""),
        "{top_duplicate:?}"
    );
    let slash = lore.fails(&["groups", "add", "R/D", "--parent", "Acme"]);
    assert!(slash.error_lines()[0].contains('/'), "{slash:?}");
    // The same name under another parent is fine.
    lore.succeeds(&["groups", "add", "Platform", "--parent", "Acme/Sales"]);
    let ambiguous = lore.fails(&["groups", "add", "Tools", "--parent", "Platform"]);
    assert!(
        ambiguous.error_lines()[0].contains("several groups are named \"Platform\""),
        "{ambiguous:?}"
    );

    let list = lore.succeeds(&["groups", "list"]);
    assert!(list.contains("5 group(s)."), "{list}");
}

#[test]
fn an_import_with_bad_rows_imports_nobody_and_a_good_one_imports_once() {
    let lore = Sandbox::new();
    assert!(
        lore.add_user("ada@example.com", "Ada Lovelace", &["--admin"])
            .status
            .success()
    );
    lore.succeeds(&["groups", "add", "Acme"]);
    lore.succeeds(&["groups", "add", "Engineering", "--parent", "Acme"]);

    let bad = lore.write(
        "bad.csv",
        "email,name,groups,roles,manager_email\n\
         ok@example.com,Ok Person,Acme/Engineering,learner,\n\
         not-an-email,Bad Email,,,\n\
         lost@example.com,Lost Person,Nowhere,,\n",
    );
    let bad = bad.to_str().expect("UTF-8 path");
    let rejected = lore.fails(&["users", "import", bad]);
    let line_3 = rejected
        .stderr
        .lines()
        .find(|l| l.starts_with("line 3: "))
        .unwrap_or_else(|| panic!("line 3 is not reported:\n{}", rejected.stderr));
    assert!(line_3.contains('@'), "{line_3}");
    let line_4 = rejected
        .stderr
        .lines()
        .find(|l| l.starts_with("line 4: "))
        .unwrap_or_else(|| panic!("line 4 is not reported:\n{}", rejected.stderr));
    assert!(line_4.contains("Nowhere"), "{line_4}");
    assert!(
        !rejected.stderr.contains("line 2:"),
        "the good row is not blamed:\n{}",
        rejected.stderr
    );
    let error = rejected.error_lines()[0];
    assert!(
        error.contains("2 bad row(s)") && error.contains("nothing was imported"),
        "{error}"
    );
    let list = lore.succeeds(&["users", "list"]);
    assert!(list.contains("1 account(s)."), "{list}");
    assert!(row_of(&list, "ok@example.com").is_none(), "{list}");

    let good = lore.write(
        "good.csv",
        "email,name,groups,roles,manager_email\n\
         ann@example.com,Ann Example,Acme/Engineering,learner,bob@example.com\n\
         bob@example.com,Bob Example,Engineering,coach,\n",
    );
    let good = good.to_str().expect("UTF-8 path");
    let imported = lore.succeeds(&["users", "import", good]);
    assert!(imported.contains("2 created"), "{imported}");
    let list = lore.succeeds(&["users", "list"]);
    assert!(list.contains("3 account(s)."), "{list}");
    let ann = row_of(&list, "ann@example.com").expect("Ann is listed");
    assert!(ann.contains("invited"), "{ann}");
    let groups = lore.succeeds(&["groups", "list"]);
    let engineering = groups
        .lines()
        .find(|l| l.trim_start().starts_with("Engineering "))
        .expect("Engineering is listed");
    assert_eq!(
        engineering.split_whitespace().collect::<Vec<_>>(),
        ["Engineering", "2", "Acme/Engineering"],
        "{groups}"
    );

    let again = lore.succeeds(&["users", "import", good]);
    assert!(
        again.contains("0 created") && again.contains("0 updated") && again.contains("2 unchanged"),
        "{again}"
    );
    let list = lore.succeeds(&["users", "list"]);
    assert!(list.contains("3 account(s)."), "{list}");
}

#[test]
fn a_deactivated_account_shows_as_such_and_a_reset_prints_a_welcome_link() {
    let lore = Sandbox::new();
    assert!(
        lore.add_user("grace@example.com", "Grace Hopper", &[])
            .status
            .success()
    );
    let said = lore.succeeds(&["users", "deactivate", "grace@example.com"]);
    assert!(said.contains("Deactivated grace@example.com"), "{said}");
    let list = lore.succeeds(&["users", "list"]);
    let row = row_of(&list, "grace@example.com").expect("Grace is listed");
    assert!(row.contains("deactivated"), "{row}");

    let unknown = lore.fails(&["users", "deactivate", "nobody@example.com"]);
    assert!(
        unknown.error_lines()[0].contains("nobody@example.com"),
        "{unknown:?}"
    );

    let link = lore.succeeds(&["users", "reset-password", "grace@example.com"]);
    let url = link.trim();
    assert!(
        url.starts_with("http://")
            && url.contains("/welcome/")
            && !url.contains(char::is_whitespace),
        "one URL with /welcome/ expected: {link:?}"
    );
    let token = url.rsplit('/').next().expect("a token after /welcome/");
    assert!(token.len() >= 16, "{url}");

    lore.succeeds(&["users", "reactivate", "grace@example.com"]);
    let list = lore.succeeds(&["users", "list"]);
    let row = row_of(&list, "grace@example.com").expect("Grace is listed");
    assert!(!row.contains("deactivated"), "{row}");
}

#[test]
fn a_backup_restores_the_same_people_and_never_overwrites_a_file() {
    let lore = Sandbox::new();
    for (email, name) in [
        ("ada@example.com", "Ada Lovelace"),
        ("grace@example.com", "Grace Hopper"),
    ] {
        assert!(lore.add_user(email, name, &[]).status.success());
    }
    let backup = lore.path().join("backup.db");
    let backup_arg = backup.to_str().expect("UTF-8 path");
    let said = lore.succeeds(&["backup", backup_arg]);
    assert!(said.contains("Backed up"), "{said}");
    let size = std::fs::metadata(&backup).expect("the backup exists").len();
    assert!(size > 0, "the backup is empty");

    let restored = Sandbox::new();
    std::fs::create_dir_all(restored.data_dir()).expect("create the data directory");
    std::fs::copy(&backup, restored.data_dir().join("lore.db")).expect("copy the backup");
    let original = lore.succeeds(&["users", "list"]);
    let copy = restored.succeeds(&["users", "list"]);
    assert_eq!(copy, original);
    assert!(copy.contains("2 account(s)."), "{copy}");

    let refused = lore.fails(&["backup", backup_arg]);
    assert!(
        refused.error_lines()[0].contains("already exists"),
        "{refused:?}"
    );
    assert_eq!(
        std::fs::metadata(&backup)
            .expect("the backup is still there")
            .len(),
        size,
        "the existing file was left alone"
    );
}

#[test]
fn lore_restore_puts_a_backup_into_a_fresh_folder_with_the_same_people_and_groups() {
    let lore = Sandbox::new();
    assert!(
        lore.add_user("ada@example.com", "Ada Lovelace", &["--admin"])
            .status
            .success()
    );
    assert!(
        lore.add_user("grace@example.com", "Grace Hopper", &[])
            .status
            .success()
    );
    lore.succeeds(&["groups", "add", "Acme"]);
    lore.succeeds(&["groups", "add", "Engineering", "--parent", "Acme"]);
    let backup = lore.path().join("backup.db");
    let backup_arg = backup.to_str().expect("UTF-8 path");
    lore.succeeds(&["backup", backup_arg]);

    let fresh = Sandbox::new();
    let said = fresh.succeeds(&["restore", backup_arg]);
    assert!(said.contains("Restored"), "{said}");
    for what in [["users", "list"], ["groups", "list"]] {
        assert_eq!(fresh.succeeds(&what), lore.succeeds(&what), "{what:?}");
    }
    assert!(
        fresh.succeeds(&["check"]).contains("integrity ok"),
        "the restored database passes the check"
    );
    // The restored database is live: it takes new writes and keeps them.
    assert!(
        fresh
            .add_user("linus@example.com", "Linus", &[])
            .status
            .success()
    );
    assert!(fresh.succeeds(&["users", "list"]).contains("3 account(s)."));
}

#[test]
fn lore_restore_refuses_to_overwrite_without_force_and_refuses_a_damaged_backup() {
    let lore = Sandbox::new();
    assert!(
        lore.add_user("ada@example.com", "Ada Lovelace", &[])
            .status
            .success()
    );
    let backup = lore.path().join("backup.db");
    let backup_arg = backup.to_str().expect("UTF-8 path");
    lore.succeeds(&["backup", backup_arg]);

    let other = Sandbox::new();
    assert!(
        other
            .add_user("grace@example.com", "Grace Hopper", &[])
            .status
            .success()
    );
    let before = other.succeeds(&["users", "list"]);
    let refused = other.fails(&["restore", backup_arg]);
    assert!(refused.error_lines()[0].contains("--force"), "{refused:?}");
    assert_eq!(
        other.succeeds(&["users", "list"]),
        before,
        "nothing changed"
    );

    // Not a database at all, and a backup cut short: refused, the database left alone.
    let text = other.write("notes.db", "these are not the droids");
    let text_arg = text.to_str().expect("UTF-8 path");
    let not_db = other.fails(&["restore", text_arg, "--force"]);
    assert!(not_db.error_lines()[0].contains("notes.db"), "{not_db:?}");
    let bytes = std::fs::read(&backup).expect("read the backup");
    let cut = other.path().join("cut.db");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("write a damaged copy");
    let cut_arg = cut.to_str().expect("UTF-8 path");
    let damaged = other.fails(&["restore", cut_arg, "--force"]);
    assert!(damaged.error_lines()[0].contains("cut.db"), "{damaged:?}");
    let missing = other.fails(&["restore", "nowhere.db"]);
    assert!(
        missing.error_lines()[0].contains("no backup file"),
        "{missing:?}"
    );
    assert_eq!(
        other.succeeds(&["users", "list"]),
        before,
        "nothing changed"
    );
    assert!(
        !other.data_dir().join("lore.db.restoring").exists(),
        "no checked copy is left behind"
    );

    // With --force the backup replaces the database.
    other.succeeds(&["restore", backup_arg, "--force"]);
    assert_eq!(
        other.succeeds(&["users", "list"]),
        lore.succeeds(&["users", "list"])
    );
}

#[test]
fn serve_answers_readyz_and_stops_cleanly_on_sigterm() {
    let lore = Sandbox::new();
    let stderr_path = lore.path().join("serve.stderr");
    let mut command = lore.command(&["serve", "--listen", "127.0.0.1:0"]);
    command
        .stdout(Stdio::piped())
        .stderr(File::create(&stderr_path).expect("create the stderr file"));
    let mut server = KillOnDrop(command.spawn().expect("start lore serve"));
    let stdout = server.0.stdout.take().expect("stdout is piped");
    let (lines_tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });

    let deadline = Instant::now() + STARTUP_TIMEOUT;
    let url = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(Ok(line)) => {
                if let Some(url) = line.strip_prefix("Lore is running at ") {
                    break url.trim().to_owned();
                }
            }
            Ok(Err(e)) => panic!("cannot read what lore serve prints: {e}"),
            Err(why) => panic!(
                "lore serve did not say where it runs ({why:?}); stderr:\n{}",
                read_lossy(&stderr_path)
            ),
        }
    };
    let authority = url
        .strip_prefix("http://")
        .unwrap_or_else(|| panic!("an http URL expected: {url}"));
    assert!(!authority.ends_with(":0"), "the real port is shown: {url}");

    let response = http_get(authority, "/readyz");
    let status_line = response.lines().next().unwrap_or_default();
    assert!(
        status_line.starts_with("HTTP/1.") && status_line.contains(" 200"),
        "GET /readyz: {response}"
    );

    let pid = server.0.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("run kill");
    assert!(killed.success(), "kill -TERM {pid} failed");
    let status = wait_for_exit(&mut server.0, STOP_TIMEOUT).unwrap_or_else(|| {
        panic!(
            "lore serve still runs {} s after SIGTERM; stderr:\n{}",
            STOP_TIMEOUT.as_secs(),
            read_lossy(&stderr_path)
        )
    });
    assert!(
        status.success(),
        "lore serve ended with {status} after SIGTERM; stderr:\n{}",
        read_lossy(&stderr_path)
    );
}

/// A plain HTTP/1.0 GET; the whole response, headers and body.
fn http_get(authority: &str, path: &str) -> String {
    let timeout = Some(Duration::from_secs(60));
    let mut stream = TcpStream::connect(authority).expect("connect to lore serve");
    stream
        .set_read_timeout(timeout)
        .expect("set the read timeout");
    stream
        .set_write_timeout(timeout)
        .expect("set the write timeout");
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .expect("send the request");
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .expect("read the response");
    String::from_utf8_lossy(&response).into_owned()
}

/// A database created for one test on the server of `LORE_TEST_DATABASE_URL`, dropped at
/// the end (even when the test fails).
struct PgDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl PgDatabase {
    fn create(admin_url: &str) -> Self {
        let name = format!("lore_cli_{}", random_hex());
        psql(admin_url, &format!("CREATE DATABASE {name}"));
        // The same server and credentials, another database; keep any ?query.
        let (base, query) = match admin_url.split_once('?') {
            Some((b, q)) => (b, format!("?{q}")),
            None => (admin_url, String::new()),
        };
        let server = base
            .rsplit_once('/')
            .filter(|(s, _)| s.contains("//") && !s.ends_with('/'))
            .map_or(base, |(s, _)| s);
        Self {
            admin_url: admin_url.to_owned(),
            url: format!("{server}/{name}{query}"),
            name,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let dropped = Command::new("psql")
            .args(["--no-psqlrc", "-q", "-v", "ON_ERROR_STOP=1"])
            .arg(&self.admin_url)
            .arg("-c")
            .arg(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .stdin(Stdio::null())
            .output();
        match dropped {
            Ok(o) if o.status.success() => {}
            Ok(o) => eprintln!(
                "could not drop the test database {}: {}",
                self.name,
                String::from_utf8_lossy(&o.stderr)
            ),
            Err(e) => eprintln!("could not drop the test database {}: {e}", self.name),
        }
    }
}

fn psql(url: &str, sql: &str) {
    let output = Command::new("psql")
        .args(["--no-psqlrc", "-q", "-v", "ON_ERROR_STOP=1"])
        .arg(url)
        .arg("-c")
        .arg(sql)
        .stdin(Stdio::null())
        .output()
        .expect("run psql (LORE_TEST_DATABASE_URL is set, so psql must be installed)");
    assert!(
        output.status.success(),
        "psql {sql:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// 16 hex digits, different in every call and every process.
fn random_hex() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(nanos);
    hasher.write_u32(std::process::id());
    format!("{:016x}", hasher.finish())
}

#[test]
fn migrate_and_users_work_on_postgresql() {
    let Some(admin_url) = std::env::var("LORE_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
    else {
        eprintln!("PostgreSQL CLI test skipped: LORE_TEST_DATABASE_URL is not set");
        return;
    };
    let database = PgDatabase::create(&admin_url);
    let lore = Sandbox::new();
    let url = database.url.as_str();

    let migrated = lore.succeeds(&["migrate", "--database-url", url]);
    assert!(migrated.contains("Applied"), "{migrated}");
    let again = lore.succeeds(&["migrate", "--database-url", url]);
    assert!(again.contains("up to date"), "{again}");

    let added = lore.add_user(
        "ada@example.com",
        "Ada Lovelace",
        &["--admin", "--database-url", url],
    );
    assert!(added.status.success(), "users add failed: {added:?}");
    let list = lore.succeeds(&["users", "list", "--database-url", url]);
    let row = row_of(&list, "ada@example.com").expect("Ada is listed");
    assert!(row.contains("Ada Lovelace") && row.contains("yes"), "{row}");

    let duplicate = lore.add_user("ada@example.com", "Ada", &["--database-url", url]);
    assert_eq!(duplicate.status.code(), Some(1), "{duplicate:?}");

    lore.succeeds(&["groups", "add", "Acme", "--database-url", url]);
    lore.succeeds(&[
        "groups",
        "add",
        "Engineering",
        "--parent",
        "Acme",
        "--database-url",
        url,
    ]);
    let groups = lore.succeeds(&["groups", "list", "--database-url", url]);
    assert!(groups.contains("Acme/Engineering"), "{groups}");

    let backup = lore.path().join("pg-backup.db");
    let refused = lore.fails(&[
        "backup",
        backup.to_str().expect("UTF-8 path"),
        "--database-url",
        url,
    ]);
    assert!(refused.error_lines()[0].contains("pg_dump"), "{refused:?}");
    assert!(
        !lore.data_dir().join("lore.db").exists(),
        "no SQLite database is made when PostgreSQL is used"
    );
}

#[test]
fn demo_refuses_an_unknown_size_and_writes_nothing() {
    let lore = Sandbox::new();
    let outcome = lore.run(&["demo", "--size", "huge", "--no-serve"]);
    assert_eq!(outcome.status.code(), Some(2), "a usage error");
    assert!(
        outcome.stderr.contains("invalid value 'huge'")
            && outcome.stderr.contains("small, medium, large"),
        "names the sizes there are:\n{}",
        outcome.stderr
    );
    assert!(!lore.data_dir().exists(), "no data directory was made");
}

#[test]
fn a_generated_demo_refuses_a_database_that_is_not_empty() {
    let lore = Sandbox::new();
    let added = lore.add_user("ada@example.com", "Ada Lovelace", &["--admin"]);
    assert!(added.status.success(), "{}", added.stderr);
    let outcome = lore.fails(&["demo", "--size", "medium", "--no-serve"]);
    assert!(
        outcome.error_lines()[0].contains("The database is not empty"),
        "{}",
        outcome.stderr
    );
    let list = lore.succeeds(&["users", "list"]);
    assert_eq!(
        list.lines().filter(|l| l.contains('@')).count(),
        1,
        "nobody was added:\n{list}"
    );
    let groups = lore.succeeds(&["groups", "list"]);
    assert!(!groups.contains("Acme"), "no group was made:\n{groups}");
}

#[test]
fn a_generated_demo_reports_a_postgresql_server_that_does_not_answer() {
    let lore = Sandbox::new();
    // Port 1 on this machine: nothing listens there, so the connection is refused at once.
    let outcome = lore.fails(&[
        "demo",
        "--size",
        "large",
        "--no-serve",
        "--database-url",
        "postgres://lore@127.0.0.1:1/lore",
    ]);
    let line = outcome.error_lines()[0];
    assert!(
        line.contains("cannot open the database"),
        "says what failed: {line}"
    );
    assert!(!outcome.stderr.contains("panicked"), "{}", outcome.stderr);
    assert!(!lore.data_dir().exists(), "nothing written locally");
}

#[test]
fn the_small_demo_still_keeps_to_sqlite() {
    let lore = Sandbox::new();
    let outcome = lore.fails(&[
        "demo",
        "--no-serve",
        "--database-url",
        "postgres://lore@127.0.0.1:1/lore",
    ]);
    assert!(
        outcome.error_lines()[0].contains("drop --database-url"),
        "{}",
        outcome.stderr
    );
}
