//! How long a people import of N rows takes, first time and again (idempotent re-import).
//!
//! `cargo run --release -p lore-bench --bin import-people -- [ROWS] [DATABASE_URL]`
//! Without a URL it uses a fresh SQLite file in a temporary folder.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use lore_app::people::operator;
use lore_app::{App, Settings, Store, SystemClock};

const GROUPS: [&str; 6] = [
    "Engineering",
    "Sales",
    "Customer Success",
    "Finance",
    "People",
    "Legal",
];
const ROLES: [&str; 4] = ["learner", "learner", "author", "coach"];

fn csv(rows: usize) -> String {
    let mut out = String::with_capacity(rows * 90);
    out.push_str("email,name,groups,roles,manager_email\n");
    for i in 0..rows {
        let group = GROUPS[i % GROUPS.len()];
        let second = GROUPS[(i / 7) % GROUPS.len()];
        let groups = if group == second {
            group.to_owned()
        } else {
            format!("{group};{second}")
        };
        // Every tenth person manages the nine after them.
        let manager = if i % 10 == 0 {
            String::new()
        } else {
            format!("person{}@bench.example", i - i % 10)
        };
        let _ = writeln!(
            out,
            "person{i}@bench.example,Person Number {i},{groups},{},{manager}",
            ROLES[i % ROLES.len()]
        );
    }
    out
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let rows: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let url = args.next().unwrap_or_else(|| {
        format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bench.db").display()
        )
    });
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    let backend = store.backend();
    let app = App::new(store, Arc::new(SystemClock), Settings::default())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let root = operator::create_group(&app, None, "Bench")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    for g in GROUPS {
        operator::create_group(&app, Some(root), g)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let data = csv(rows);
    println!("backend: {backend:?}; {rows} rows, {} bytes", data.len());
    for label in ["first import", "same file again"] {
        let started = Instant::now();
        let totals = app
            .import_people_as_operator(data.as_bytes(), &|_| {})
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        println!(
            "{label}: {:.2} s — {totals:?}",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
