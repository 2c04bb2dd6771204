//! Background jobs: run what is due (claimed so that no two servers run the same job),
//! retry failures with growing pauses, give up after the job's last attempt, and the
//! worker task that does this all the time in `lore serve`.

use std::time::Duration as StdDuration;

pub use lore_store::{JobFigures, JobFilter, JobRow};

use lore_store::StoreError;
use time::Duration;

use crate::mail::{DIGEST_JOB, digest_cutoff};
use crate::notifications::MAIL_JOB;
use crate::{App, AppError, AppResult};

/// The pause after the 1st, 2nd, … failed attempt; the last one repeats.
pub const RETRY_DELAYS: [Duration; 5] = [
    Duration::seconds(30),
    Duration::minutes(2),
    Duration::minutes(10),
    Duration::hours(1),
    Duration::hours(6),
];

/// How long a worker holds a job it took; if it dies, another takes the job after this.
const LEASE: Duration = Duration::minutes(5);

/// How often the worker looks for due jobs when nothing wakes it.
const TICK: StdDuration = StdDuration::from_secs(5);

/// How often the worker prunes the outbox and looks for stale courses (by the app's clock).
const PRUNE_EVERY: Duration = Duration::hours(1);

/// The most jobs one pass runs, so a flood cannot keep a pass going forever.
const PASS_LIMIT: usize = 500;

/// The pause before trying again after `attempts` failed attempts (1 or more).
pub fn retry_delay(attempts: i32) -> Duration {
    let index = usize::try_from(attempts.max(1) - 1).unwrap_or(0);
    RETRY_DELAYS[index.min(RETRY_DELAYS.len() - 1)]
}

/// How a job attempt went wrong. The message goes to the job row and the log: it must
/// never hold a secret.
#[derive(Debug)]
pub(crate) enum JobError {
    /// Worth trying again later (server down, timeout, a temporary refusal).
    Retry(String),
    /// Trying again cannot help (bad payload, a permanent refusal).
    GiveUp(String),
}

impl From<StoreError> for JobError {
    fn from(e: StoreError) -> Self {
        JobError::Retry(format!("database: {e}"))
    }
}

/// What one pass over the due jobs did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct JobCounts {
    /// Finished (sent, or nothing to send).
    pub done: usize,
    /// Failed and scheduled again.
    pub retrying: usize,
    /// Failed for the last time.
    pub failed: usize,
}

impl App {
    /// Queue the digests that are due, prune the outbox, sweep the certificates (reminders,
    /// recertification, expiry), write the xAPI statements of new events, forward statements to
    /// another learning record store when that is on, make the webhook
    /// deliveries of new events, then run every due job once. For tests and operators, as the
    /// worker does on its schedule; safe while other servers do the same.
    pub async fn run_due_jobs(&self) -> AppResult<JobCounts> {
        self.queue_due_digests().await?;
        self.prune_outbox().await?;
        self.remind_stale_owners().await?;
        self.send_reminders().await?;
        self.sweep_certificates().await?;
        self.write_event_statements().await?;
        self.forward_statements().await?;
        self.fan_out_webhooks().await?;
        self.run_jobs_once().await
    }

    async fn run_jobs_once(&self) -> AppResult<JobCounts> {
        let mut counts = JobCounts::default();
        for _ in 0..PASS_LIMIT {
            let now = self.now();
            let Some(job) = self.store.claim_job(now, now + LEASE).await? else {
                break;
            };
            match self.run_job(&job).await {
                Ok(note) => {
                    self.store.finish_job(job.id, note, self.now()).await?;
                    counts.done += 1;
                }
                Err(JobError::Retry(error)) if job.attempts < job.max_attempts => {
                    let retry_at = self.now() + retry_delay(job.attempts);
                    tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, %retry_at, "job failed, will retry: {error}");
                    self.store
                        .fail_job(job.id, &error, Some(retry_at), self.now())
                        .await?;
                    counts.retrying += 1;
                }
                Err(JobError::Retry(error) | JobError::GiveUp(error)) => {
                    tracing::error!(job = job.id, kind = %job.kind, attempt = job.attempts, "job failed for good: {error}");
                    self.store
                        .fail_job(job.id, &error, None, self.now())
                        .await?;
                    counts.failed += 1;
                }
            }
        }
        Ok(counts)
    }

    async fn run_job(&self, job: &JobRow) -> Result<Option<String>, JobError> {
        match job.kind.as_str() {
            MAIL_JOB => self.mail_notification(&job.payload).await,
            DIGEST_JOB => self.mail_digest(&job.payload).await,
            crate::password_reset::RESET_JOB => self.mail_reset_link(&job.payload).await,
            crate::webhooks::WEBHOOK_JOB => self.send_webhook(&job.payload).await,
            other => Err(JobError::GiveUp(format!(
                "no worker knows jobs of kind {other}"
            ))),
        }
    }

    /// How many jobs are due and waiting for a worker, and how many failed for good (for
    /// `/metrics`; the web layer decides who may see it).
    pub async fn job_figures(&self) -> AppResult<JobFigures> {
        Ok(self.store.job_figures(self.now()).await?)
    }

    /// Pending (or failed) jobs, oldest first, for operators.
    pub async fn jobs(&self, filter: JobFilter, limit: u64) -> AppResult<Vec<JobRow>> {
        Ok(self.store.jobs(filter, limit.clamp(1, 1000)).await?)
    }

    /// Start the worker: it runs due jobs whenever one is queued on this server and every
    /// few seconds (for jobs queued elsewhere and for retries), queues the digests once
    /// per digest day and prunes the outbox every hour. Stop it with [`Worker::stop`]; dropping it aborts the task.
    pub fn spawn_worker(&self) -> Worker {
        let app = self.clone();
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let relay = self.spawn_live_relay(stop.subscribe());
        let views = self.spawn_view_writer(stop.subscribe());
        let handle = tokio::spawn(async move {
            let mut swept_for = None;
            let mut pruned_at: Option<time::OffsetDateTime> = None;
            loop {
                let cutoff = digest_cutoff(app.now(), app.settings.mail.digest_hour);
                if swept_for != Some(cutoff) {
                    match app.queue_due_digests().await {
                        Ok(_) => swept_for = Some(cutoff),
                        Err(e) => log_pass_error("digests", &e),
                    }
                }
                let now = app.now();
                if pruned_at.is_none_or(|at| now - at >= PRUNE_EVERY) {
                    match app.prune_outbox().await {
                        Ok(_) => pruned_at = Some(now),
                        Err(e) => log_pass_error("outbox pruning", &e),
                    }
                    if let Err(e) = app.remind_stale_owners().await {
                        log_pass_error("stale course notices", &e);
                    }
                    if let Err(e) = app.send_reminders().await {
                        log_pass_error("reminders", &e);
                    }
                }
                if let Err(e) = app.sweep_certificates().await {
                    log_pass_error("certificate sweep", &e);
                }
                if let Err(e) = app.write_event_statements().await {
                    log_pass_error("xAPI statements from events", &e);
                }
                if let Err(e) = app.forward_statements().await {
                    log_pass_error("xAPI forwarding", &e);
                }
                if let Err(e) = app.fan_out_webhooks().await {
                    log_pass_error("webhook fan-out", &e);
                }
                if let Err(e) = app.run_jobs_once().await {
                    log_pass_error("jobs", &e);
                }
                tokio::select! {
                    _ = stopped.changed() => break,
                    () = app.jobs_waiting.notified() => {}
                    () = tokio::time::sleep(TICK) => {}
                }
            }
        });
        Worker {
            stop,
            handles: vec![handle, relay, views],
        }
    }
}

fn log_pass_error(what: &str, e: &AppError) {
    match e {
        AppError::Internal(detail) => tracing::error!("background {what} failed: {detail}"),
        other => tracing::error!("background {what} failed: {other}"),
    }
}

/// The running worker tasks: jobs, and the live relay (`outbox`).
pub struct Worker {
    stop: tokio::sync::watch::Sender<bool>,
    handles: Vec<tokio::task::JoinHandle<()>>,
}

impl Worker {
    /// Let the job in hand finish, then stop.
    pub async fn stop(mut self) {
        // Fails only when the task has already ended.
        let _ = self.stop.send(true);
        for handle in std::mem::take(&mut self.handles) {
            let _ = handle.await;
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        for handle in &self.handles {
            handle.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_grow_then_stay_at_six_hours() {
        assert_eq!(retry_delay(1), Duration::seconds(30));
        assert_eq!(retry_delay(2), Duration::minutes(2));
        assert_eq!(retry_delay(3), Duration::minutes(10));
        assert_eq!(retry_delay(4), Duration::hours(1));
        assert_eq!(retry_delay(5), Duration::hours(6));
        assert_eq!(retry_delay(9), Duration::hours(6));
        assert_eq!(retry_delay(0), Duration::seconds(30));
    }
}
