//! Reading the outbox: durable consumers (each with its own cursor in the database, read at
//! least once and resumable after a restart) and this server's live relay, which turns
//! committed notifications into live unread counts on every server.

use std::time::Duration as StdDuration;

use lore_store::{OutboxPosition, OutboxRow};

use crate::{App, AppResult};

/// How often a server looks for outbox rows written by other servers.
const POLL: StdDuration = StdDuration::from_secs(1);

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
    /// acknowledges gets the same rows again (at least once).
    pub async fn outbox_batch(&self, consumer: &str, limit: u64) -> AppResult<Vec<Delivery>> {
        let after = self.store.outbox_cursor(consumer).await?;
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
