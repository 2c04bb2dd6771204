//! How long the needs board, the "similar while typing" lookup and a need's page take with
//! many needs and votes.
//!
//! `cargo run --release -p lore-bench --bin needs-board -- [NEEDS] [VOTES_PER_NEED] [DATABASE_URL]`
//! Without a URL it uses a fresh SQLite file in a temporary folder. 2,000 people in six
//! groups under one root; a coach of the root sees every need.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use lore_app::needs::BoardQuery;
use lore_app::needs::asking::NeedInput;
use lore_app::people::operator;
use lore_app::{App, Settings, Store, SystemClock};

const PEOPLE: usize = 2_000;
const GROUPS: [&str; 6] = [
    "Engineering",
    "Sales",
    "Customer Success",
    "Finance",
    "People",
    "Legal",
];
const SUBJECTS: [&str; 12] = [
    "rotating TLS certificates",
    "escalating pager incidents",
    "negotiating renewals",
    "closing the books",
    "writing job descriptions",
    "reviewing contracts",
    "terraform state locking",
    "handling refunds",
    "forecasting pipeline",
    "onboarding new hires",
    "GDPR data requests",
    "load testing services",
];

fn err(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Median of five timed runs, in milliseconds.
async fn median_ms<F, Fut>(mut f: F) -> anyhow::Result<f64>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        f().await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[2])
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let needs: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(1_000);
    let votes: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(20);
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
    let app = App::new(store, Arc::new(SystemClock), Settings::default()).map_err(err)?;
    let root = operator::create_group(&app, None, "Bench")
        .await
        .map_err(err)?;
    let mut groups = Vec::new();
    for g in GROUPS {
        groups.push(
            operator::create_group(&app, Some(root), g)
                .await
                .map_err(err)?,
        );
    }
    let mut csv = String::from("email,name,groups,roles\n");
    for i in 0..PEOPLE {
        let _ = writeln!(
            csv,
            "p{i}@bench.example,Person {i},{},learner",
            GROUPS[i % GROUPS.len()]
        );
    }
    app.import_people_as_operator(csv.as_bytes(), &|_| {})
        .await
        .map_err(err)?;
    let coach = operator::add_user(
        &app,
        "coach@bench.example",
        "Coach",
        "bench password 1",
        false,
    )
    .await
    .map_err(err)?;
    operator::put_membership(&app, coach.id, root, lore_domain::role::Role::Coach)
        .await
        .map_err(err)?;
    let coach = app
        .caller(coach.id)
        .await
        .map_err(err)?
        .ok_or_else(|| err("coach"))?;

    let seeding = Instant::now();
    let first_person = app
        .store()
        .user_by_email("p0@bench.example")
        .await?
        .ok_or_else(|| err("people"))?
        .id;
    let mut ids = Vec::with_capacity(needs);
    for n in 0..needs {
        let asker = app
            .caller(first_person + (n % PEOPLE) as i64)
            .await
            .map_err(err)?
            .ok_or_else(|| err("asker"))?;
        let title = format!("{} ({n})", SUBJECTS[n % SUBJECTS.len()]);
        let id = app
            .ask_need(
                &asker,
                NeedInput {
                    title: &title,
                    problem: "We keep getting this wrong and nobody wrote it down.",
                    urgency: ["low", "normal", "high", "critical"][n % 4],
                    questions: "Where do we start?\nWho decides?",
                    ..Default::default()
                },
            )
            .await
            .map_err(err)?;
        let now = app.now();
        for v in 1..votes {
            let voter = first_person + ((n * 7 + v * 13) % PEOPLE) as i64;
            // A voter can land twice on a need; the unique index refuses the second.
            let _ = app.store().insert_need_vote(id, voter, now).await;
        }
        ids.push(id);
    }
    println!(
        "backend: {backend:?}; {needs} needs, up to {votes} votes each, {PEOPLE} people; seeded in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );

    let board = median_ms(|| async {
        let b = app
            .needs_board(&coach, &BoardQuery::default())
            .await
            .map_err(err)?;
        // Demand is worked out for every visible need; the page holds the first 25.
        assert_eq!(b.total as usize, needs);
        assert_eq!(b.needs.len(), needs.min(25));
        Ok(())
    })
    .await?;
    println!("board (first page of 25, demand over every need): {board:.1} ms (median of 5)");
    let similar = median_ms(|| async {
        app.similar_to(&coach, "How do we rotate certificates before they expire?")
            .await
            .map_err(err)?;
        Ok(())
    })
    .await?;
    println!("similar while typing: {similar:.1} ms (median of 5)");
    let page = median_ms(|| async {
        app.need_view(&coach, ids[needs / 2]).await.map_err(err)?;
        Ok(())
    })
    .await?;
    println!("one need's page: {page:.1} ms (median of 5)");
    Ok(())
}
