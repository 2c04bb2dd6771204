//! A real third-party xAPI client, the npm package `@xapi/xapi` run with node, against
//! Lore's `/xapi/` unchanged: it writes statements, queries with filters, pages through
//! `more`, stores and reads state (`tests/xapi-client/story.js`), for both versions.
//!
//! Needs node and npm. The package is installed once with `npm ci` from the committed lock
//! file into the test binary's temporary folder. Without node the story says so and passes,
//! except on CI (`CI` set), where it fails: `.ci/run` installs node.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::story;
use crate::support::TestApp;
use crate::xapi_harness::{VERSIONS, client};

const SOURCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/xapi-client");

fn has(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The folder with the client installed, or `None` (with the reason printed) without node.
fn installed() -> Option<PathBuf> {
    if !has("node") || !has("npm") {
        assert!(
            std::env::var_os("CI").is_none(),
            "node and npm are needed for the xAPI client story on CI"
        );
        eprintln!("xAPI client story skipped: node and npm are not installed");
        return None;
    }
    // The SQLite and PostgreSQL halves run at once: one installs, the other waits.
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = INSTALL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("xapi-client");
    std::fs::create_dir_all(&dir).expect("client folder");
    for file in ["package.json", "package-lock.json", "story.js"] {
        std::fs::copy(Path::new(SOURCE).join(file), dir.join(file)).expect("copy the client");
    }
    if !dir.join("node_modules/@xapi/xapi/package.json").exists() {
        let out = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .output()
            .expect("run npm ci");
        assert!(
            out.status.success(),
            "npm ci failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Some(dir)
}

story!(an_npm_xapi_client_works_against_lore);
async fn an_npm_xapi_client_works_against_lore(t: TestApp) {
    let Some(dir) = installed() else { return };
    for version in VERSIONS {
        let lrs = client(&t, &["all"], version).await;
        let (dir, base) = (dir.clone(), t.base.clone());
        let out = tokio::task::spawn_blocking(move || {
            Command::new("node")
                .arg("story.js")
                .current_dir(dir)
                .env("LRS_ENDPOINT", format!("{base}/xapi/"))
                .env("LRS_KEY", &lrs.key)
                .env("LRS_SECRET", &lrs.secret)
                .env("LRS_VERSION", version)
                .output()
                .expect("run node")
        })
        .await
        .expect("node finished");
        let printed = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(
            out.status.success(),
            "{version}: {printed}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let steps: Vec<Value> = printed
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect();
        let step = |name: &str| {
            steps
                .iter()
                .find(|s| s["step"] == name)
                .unwrap_or_else(|| panic!("no step {name} in {printed}"))["value"]
                .clone()
        };
        assert_eq!(step("about"), json!(["1.0.3", "2.0.0"]));
        assert_eq!(step("sent"), json!(7));
        assert_eq!(step("fetched"), json!(true));
        // Each version's run adds six of ada's statements: all are paged through.
        let ada = step("ada");
        let expected = if version == "1.0.3" { 6 } else { 12 };
        assert_eq!(ada["seen"], json!(expected), "{ada}");
        assert_eq!(ada["pages"], json!(expected / 2), "{ada}");
        let completed = step("completed");
        assert!(
            completed
                .as_array()
                .is_some_and(|a| a.contains(&json!("mailto:ada@client.test"))
                    && a.contains(&json!("mailto:bob@client.test"))),
            "{completed}"
        );
        assert_eq!(step("state"), json!({ "page": 7 }));
        assert_eq!(step("states"), json!(["bookmark"]));
    }
}
