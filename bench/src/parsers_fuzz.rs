//! `parsers-fuzz CASES SEED [NAME…]`: every never-panic property of `lore-props` (parsers,
//! GIFT from its grammar and its round trip, rubrics, banks, answers, cursors, course zips,
//! every GET route and every API operation with generated bodies) for CASES inputs in all,
//! shared out by each target's weight; prints the panics (and 5xx answers) found per target
//! and exits 1 if there is any. Names after the seed keep only those targets (their shares
//! stay what they are in the full run).

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let cases: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(17);
    let only: Vec<String> = args.collect();
    let targets = lore_props::targets();
    let weights: u64 = targets.iter().map(|t| u64::from(t.weight)).sum();
    let targets: Vec<_> = targets
        .into_iter()
        .filter(|t| only.is_empty() || only.iter().any(|n| n == t.name))
        .collect();
    let started = Instant::now();
    let mut total = 0u64;
    let mut failed = Vec::new();
    for target in &targets {
        let share = (cases * u64::from(target.weight)).div_ceil(weights.max(1));
        let share = u32::try_from(share).unwrap_or(u32::MAX);
        let began = Instant::now();
        let outcome = (target.run)(share, seed);
        total += u64::from(outcome.cases);
        let verdict = match &outcome.failure {
            None => "0 panics".to_owned(),
            Some(why) => {
                failed.push(target.name);
                format!("FAILED: {why}")
            }
        };
        println!(
            "{:<24} {:>9} cases {:>7.1} s  {verdict}",
            target.name,
            outcome.cases,
            began.elapsed().as_secs_f64()
        );
    }
    let statuses = lore_props::api::statuses_seen();
    if !statuses.is_empty() {
        println!("api-operations answered (status: count): {statuses:?}");
    }
    println!(
        "{total} cases over {} targets (seed {seed}) in {:.1} s: {} target(s) failed {:?}",
        targets.len(),
        started.elapsed().as_secs_f64(),
        failed.len(),
        failed
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
