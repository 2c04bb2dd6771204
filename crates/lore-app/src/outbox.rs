//! Reading the outbox: durable consumers (each with its own cursor in the database, read at
//! least once and resumable after a restart) and this server's live relay, which turns
//! committed notifications into live unread counts on every server.

use std::time::Duration as StdDuration;

use lore_store::{OutboxPosition, OutboxRow};

use crate::{App, AppResult};

/// How often a server looks for outbox rows written by other servers.
const POLL: StdDuration = StdDuration::from_secs(1);

/// The most outbox rows one delete removes (pruning repeats until fewer go).
const PRUNE_BATCH: u64 = 5_000;

/// How long outbox rows are kept (docs/decisions/0010).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxSettings {
    /// Rows every known consumer acknowledged are deleted once this old.
    pub retention: time::Duration,
    /// Rows are deleted once this old even if a consumer has not acknowledged them.
    pub max_age: time::Duration,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        Self {
            retention: time::Duration::days(7),
            max_age: time::Duration::days(30),
        }
    }
}

/// One outbox row as a consumer sees it.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub position: OutboxPosition,
    /// `event` or `notification`.
    pub topic: String,
    /// The id of the event or notification.
    pub row_id: i64,
    pub user_id: Option<i64>,
    /// The row as JSON (docs/events.md).
    pub payload: serde_json::Value,
}

impl From<OutboxRow> for Delivery {
    fn from(r: OutboxRow) -> Self {
        Delivery {
            position: r.position(),
            payload: serde_json::from_str(&r.payload).unwrap_or(serde_json::Value::Null),
            topic: r.topic,
            row_id: r.row_id,
            user_id: r.user_id,
        }
    }
}

impl App {
    /// The next rows for the durable consumer `consumer`, after what it acknowledged last.
    /// Nothing moves until [`App::acknowledge_outbox`]: a consumer that stops before it
    /// acknowledges gets the same rows again (at least once). Its first read makes it known,
    /// so pruning keeps what it has not acknowledged (up to the outbox's maximum age).
    pub async fn outbox_batch(&self, consumer: &str, limit: u64) -> AppResult<Vec<Delivery>> {
        let after = match self.store.outbox_cursor(consumer).await? {
            Some(at) => at,
            None => {
                self.store
                    .register_outbox_consumer(consumer, self.now())
                    .await?;
                OutboxPosition::default()
            }
        };
        Ok(self
            .store
            .outbox_after(after, limit.clamp(1, 1000))
            .await?
            .into_iter()
            .map(Delivery::from)
            .collect())
    }

    /// `consumer` has handled everything up to and including `upto`.
    pub async fn acknowledge_outbox(&self, consumer: &str, upto: OutboxPosition) -> AppResult<()> {
        self.store
            .save_outbox_cursor(consumer, upto, self.now())
            .await?;
        Ok(())
    }

    /// Delete the outbox rows nobody needs any more: older than the retention and
    /// acknowledged by every known consumer, or older than the maximum age whoever has not
    /// acknowledged them (so a consumer that stopped for good cannot grow the table forever).
    /// Returns how many went. The job worker calls this periodically.
    pub async fn prune_outbox(&self) -> AppResult<u64> {
        let now = self.now();
        let acknowledged_before = now - self.settings.outbox.retention;
        let abandoned_before = now
            - self
                .settings
                .outbox
                .max_age
                .max(self.settings.outbox.retention);
        let mut pruned = 0;
        loop {
            let n = self
                .store
                .prune_outbox(acknowledged_before, abandoned_before, PRUNE_BATCH)
                .await?;
            pruned += n;
            if n < PRUNE_BATCH {
                break;
            }
        }
        if pruned > 0 {
            tracing::info!(pruned, "outbox rows pruned");
        }
        Ok(pruned)
    }

    /// Start this server's live relay: every notification committed (here or on another
    /// server) nudges the live unread count of its person on this server.
    pub(crate) fn spawn_live_relay(
        &self,
        mut stopped: tokio::sync::watch::Receiver<bool>,
    ) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            // Only what happens from now on: counts shown before were read fresh.
            let mut at = loop {
                match app.store.outbox_end().await {
                    Ok(end) => break end,
                    Err(e) => {
                        tracing::warn!("live relay: reading the outbox end: {e}");
                        tokio::select! {
                            _ = stopped.changed() => return,
                            () = tokio::time::sleep(POLL) => {}
                        }
                    }
                }
            };
            loop {
                match app.store.outbox_after(at, 500).await {
                    Ok(rows) => {
                        for row in &rows {
                            if row.topic == "notification"
                                && let Some(user_id) = row.user_id
                            {
                                let _ = app.live.send(user_id);
                            }
                        }
                        if let Some(last) = rows.last() {
                            at = last.position();
                            if rows.len() == 500 {
                                continue;
                            }
                        }
                    }
                    Err(e) => tracing::warn!("live relay: reading the outbox: {e}"),
                }
                tokio::select! {
                    _ = stopped.changed() => break,
                    () = app.outbox_written.notified() => {}
                    () = tokio::time::sleep(POLL) => {}
                }
            }
        })
    }
}
