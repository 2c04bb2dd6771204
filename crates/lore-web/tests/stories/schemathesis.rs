//! The OpenAPI document is exact: schemathesis (PyPI, pinned) generates requests from
//! `/api/v1/openapi.json` — valid ones and invalid ones — and sends them to Lore with every
//! check on: no server error, every status and body as documented, valid input accepted,
//! invalid input refused, authentication enforced. It runs once with a platform
//! administrator's token and once with a learner's, each on a fresh demo organisation on
//! SQLite, with a fixed seed, and fails on any failure, printing schemathesis' whole report.
//!
//! schemathesis comes from the system's Python when it has the pinned version (CI's
//! `.ci/run` installs it); otherwise it is installed once with pip into the target folder.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::support::{Db, TestApp};

/// The schemathesis release the document is checked with.
const VERSION: &str = "4.32.5";

/// Examples per operation and phase: enough to try each operation's inputs, little enough
/// that both runs stay near three minutes on CI's two cores (the coverage phase, which
/// this does not bound, takes about a minute per run).
const MAX_EXAMPLES: &str = "6";

/// Which demo sign-in acts: the platform administrator, and a learner.
const ROLES: [&str; 2] = ["platform admin", "learner"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_passes_schemathesis_for_an_admin_and_a_learner() {
    let pythonpath = schemathesis_path();
    let mut failed = Vec::new();
    for role in ROLES {
        // A fresh organisation per run, so what one run changed cannot steer the other.
        let t = TestApp::spawn(Db::Sqlite).await.expect("sqlite test app");
        let sign_ins = lore_app::demo::seed(&t.app).await.expect("seed the demo");
        let person = sign_ins
            .iter()
            .find(|s| s.role.starts_with(role))
            .expect("the demo prints this role");
        let caller = t.caller(&person.email).await;
        let (_, token) = t
            .app
            .create_token(&caller, "schemathesis")
            .await
            .expect("a token");
        let base = t.base.clone();
        let path = pythonpath.clone();
        let (status, report) =
            tokio::task::spawn_blocking(move || run_schemathesis(&base, &token, path.as_ref()))
                .await
                .expect("schemathesis ran");
        // A run that tested nothing would pass too: make sure it reached the operations.
        assert!(
            report.contains("passed") && !report.contains("No operations"),
            "schemathesis did not test the operations with the {role}'s token:\n{report}"
        );
        // Both runs go first, so one report shows every failure of both.
        if !status {
            failed.push(format!(
                "schemathesis found failures with the {role}'s token:\n{report}"
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

/// Statuses that count as refusing a request the document calls invalid: schemathesis'
/// own list plus 413, which is how the server refuses a body over its size limit (a
/// `maxLength` of 100,000 characters of 4-byte text is past the body limit).
///
/// Four kinds of refusal a document cannot state, kept as 422 with their codes and
/// documented on the operation (decision 0037); for these operations alone a 422 to a
/// well-shaped request counts as a refusal schemathesis should accept:
/// - an address to send to (webhooks, chat hooks, statement forwarding): the document
///   states its shape, but where it leads — a private range, a name that does not
///   resolve — is the state of the world (`invalid_input`, field `url` or `endpoint`);
/// - a file of rows checked against the organisation (people CSV, outcome values, the
///   addresses to assign a course to): every bad row is reported and nothing is imported
///   (`import_rejected`, with `rows`);
/// - certificate rules: reminder intervals must be shorter than the validity, a rule
///   between two fields JSON Schema cannot express (`invalid_input`, `reminder_days`);
/// - assignments and path drafts: a due date in the future (the document cannot say
///   "after now"), `due_at` or `due_days` but not both, groups the caller coaches and in
///   the course's audience, no cycle among a path's prerequisites (`invalid_input`, with
///   the `field`);
/// - questions for a bank, one as JSON or many as GIFT: checked by the domain as a file is
///   (a GIFT text with no good question, a question the domain refuses), and a draw from a
///   bank: at most what the bank holds for the topic, from the course's own groups;
/// - a course's own questions as JSON (docs/decisions/0051), checked by the domain as a
///   bank's are, and a new order of them that lists every question of one place once (the
///   draft's state); and many at once, a question CSV or GIFT into a question step,
///   checked by the domain row by row;
/// - files checked by their content: a course zip to import, an upload, a cover or a step's
///   attachment, the file with an essay answer (what the bytes are, not what they are
///   called; a multipart body whose part headers are not text is refused whole);
/// - people named by address (an answer reviewer, a person a course is assigned to): the
///   address must be someone's in the organisation (`invalid_input`, field `email`);
/// - a draft's steps: a link only on a video step (a rule between two fields), a new order
///   that lists every step of the draft once (the draft's state), and a suggested edit
///   that changes the step's current text.
const CONFIG: &str = r#"
[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]

[[operations]]
include-path-regex = '^/api/v1/(webhooks(/\{id\})?|groups/\{id\}/chat-hooks|xapi/forwarding|users/import|outcomes/\{id\}/values|courses/\{id\}/certificates/rules|assignments(/csv)?|courses/\{id\}/questions/csv|paths/\{id\}/draft|question-banks/\{id\}/questions(/gift)?|courses/\{id\}/evaluation/(draw|questions(/order|/\{key\})?)|courses/import|uploads|courses/\{id\}/(answer-reviewers|assign)|courses/\{id\}/draft/(steps(/\{step_id\}(/attach|/questions)?)?|order|cover)|courses/\{id\}/steps/\{key\}/suggestions|attempts/\{id\}/answers/\{key\}/file)$'

[operations.checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]
"#;

/// A course zip is sent as bytes, as schemathesis sends `application/octet-stream` (it has
/// no serializer of its own for `application/zip`).
const HOOKS: &str = r#"
import schemathesis

schemathesis.serializer.alias("application/zip", "application/octet-stream")
"#;

/// Run schemathesis over the served document; whether it passed, and its whole output.
fn run_schemathesis(base: &str, token: &str, pythonpath: Option<&PathBuf>) -> (bool, String) {
    let dir = tempfile::tempdir().expect("a folder for the configuration");
    let config = dir.path().join("schemathesis.toml");
    std::fs::write(&config, CONFIG).expect("write the configuration");
    std::fs::write(dir.path().join("lore_hooks.py"), HOOKS).expect("write the hooks");
    let pythonpath =
        std::env::join_paths(std::iter::once(dir.path().to_path_buf()).chain(pythonpath.cloned()))
            .expect("a PYTHONPATH");
    let mut command = Command::new("python3");
    command
        .args(["-m", "schemathesis.cli", "--config-file"])
        .arg(&config)
        .arg("run")
        .arg(format!("{base}/api/v1/openapi.json"))
        .arg("--header")
        .arg(format!("Authorization: Bearer {token}"))
        .args(["--checks", "all"])
        .args(["--phases", "examples,coverage,fuzzing"])
        .args(["--max-examples", MAX_EXAMPLES])
        .args(["--seed", "20261206"])
        .arg("--generation-deterministic")
        .args(["--workers", "1"])
        .args(["--request-timeout", "30"])
        .arg("--no-color")
        .args(["--output-truncate", "false"])
        .env("PIP_ROOT_USER_ACTION", "ignore")
        // schemathesis keeps a cache of past failures in its working folder and replays
        // them first: a fresh folder per run keeps runs alike and the checkout clean.
        .current_dir(dir.path())
        .stdin(Stdio::null());
    // `LORE_SCHEMATHESIS_PATHS`, a regular expression of paths, runs only those operations
    // (to try new operations without the whole document's time).
    if let Ok(paths) = std::env::var("LORE_SCHEMATHESIS_PATHS") {
        command.arg("--include-path-regex").arg(paths);
    }
    command
        .env("PYTHONPATH", pythonpath)
        .env("SCHEMATHESIS_HOOKS", "lore_hooks");
    let output = command.output().expect("run python3 -m schemathesis.cli");
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), report)
}

/// Where the pinned schemathesis is importable from: `None` when the system's Python has
/// it, else a folder under the target directory, installed there with pip on first use.
fn schemathesis_path() -> Option<PathBuf> {
    let importable = |path: Option<&PathBuf>| {
        let mut check = Command::new("python3");
        check.args([
            "-c",
            &format!("import schemathesis, sys; sys.exit(schemathesis.__version__ != {VERSION:?})"),
        ]);
        if let Some(p) = path {
            check.env("PYTHONPATH", p);
        }
        check
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if importable(None) {
        return None;
    }
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("schemathesis-{VERSION}"));
    if !importable(Some(&target)) {
        let fresh = target.with_extension(format!("partial-{}", std::process::id()));
        let installed = Command::new("python3")
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
            .arg(format!("schemathesis=={VERSION}"))
            .status()
            .expect("run python3 -m pip");
        assert!(
            installed.success(),
            "could not install schemathesis with pip; install it: \
             python3 -m pip install schemathesis=={VERSION}"
        );
        // Another run may have won the race; then its copy is as good as ours.
        if std::fs::rename(&fresh, &target).is_err() {
            std::fs::remove_dir_all(&fresh).ok();
        }
    }
    Some(target)
}
