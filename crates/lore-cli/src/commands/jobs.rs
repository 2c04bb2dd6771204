//! `lore jobs list`: the background jobs still waiting (or given up), for operators.

use lore_app::jobs::{JobFilter, JobRow};

use crate::commands::operator_error;
use crate::config::Config;
use crate::database;
use crate::text_table;

/// The most jobs listed at once.
const LIMIT: u64 = 200;

/// List pending jobs, or the failed ones with `failed`.
pub async fn list(config: &Config, failed: bool) -> anyhow::Result<()> {
    let app = database::open_app(config).await?;
    let filter = if failed {
        JobFilter::Failed
    } else {
        JobFilter::Pending
    };
    let jobs = app.jobs(filter, LIMIT).await.map_err(operator_error)?;
    if jobs.is_empty() {
        println!(
            "{}",
            if failed {
                "No failed jobs."
            } else {
                "No pending jobs."
            }
        );
        return Ok(());
    }
    let rows: Vec<Vec<String>> = jobs.iter().map(row).collect();
    print!(
        "{}",
        text_table::render(
            &[
                "ID",
                "KIND",
                "ATTEMPTS",
                "NEXT RUN / FAILED (UTC)",
                "LAST ERROR"
            ],
            &rows
        )
    );
    Ok(())
}

fn row(job: &JobRow) -> Vec<String> {
    let when = job.failed_at.unwrap_or(job.run_at);
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    vec![
        job.id.to_string(),
        job.kind.clone(),
        format!("{}/{}", job.attempts, job.max_attempts),
        when.to_offset(time::UtcOffset::UTC)
            .format(&format)
            .unwrap_or_default(),
        job.last_error
            .as_deref()
            .unwrap_or("")
            .chars()
            .take(100)
            .collect(),
    ]
}
