//! Lore's own events into the learning record store (docs/decisions/0033): a reader of the
//! events in commit order with its own cursor (`event_cursors`, m0028) turns each into its
//! statement (`crate::xapi_events`) and stores it, in the transaction that moves the cursor,
//! so a crash reads the same events again and their fixed statement ids make the second write
//! a no-op. It starts at the first event, so history is in the store too; each worker pass
//! writes a bounded number of batches so a large backlog never holds up mail and webhooks.

use lore_xapi::Version;

use super::LrsError;
use super::statements::Batch;
use crate::xapi_events::{StatementContext, authority, statement_of};
use crate::{App, AppResult};

/// The reader's name in `event_cursors`.
pub const XAPI_READER: &str = "xapi-statements";

/// Events read per transaction.
const BATCH: u64 = 500;

/// Batches written per call (a worker pass); the rest waits for the next.
const BATCHES_PER_PASS: usize = 20;

impl App {
    /// Write the statements of the events not yet in the store; how many were written.
    /// The job worker calls it on every pass; safe while other servers do the same.
    pub async fn write_event_statements(&self) -> AppResult<usize> {
        // Nothing new costs two reads and no write lock.
        let at = self.store.event_cursor(XAPI_READER).await?;
        if self.store.named_events_after(at, 1).await?.is_empty() {
            return Ok(0);
        }
        let mut written = 0;
        for _ in 0..BATCHES_PER_PASS {
            let (read, stored) = self
                .unit_of_work(|app| async move { app.event_statements_batch().await })
                .await?;
            written += stored;
            if read < BATCH as usize {
                break;
            }
        }
        Ok(written)
    }

    /// One batch inside the unit of work: (events read, statements stored).
    async fn event_statements_batch(&self) -> AppResult<(usize, usize)> {
        let at = self.store.lock_event_cursor(XAPI_READER).await?;
        let events = self.store.named_events_after(at, BATCH).await?;
        let Some(last) = events.last().map(|e| e.position) else {
            return Ok((0, 0));
        };
        let base = self
            .settings
            .mail
            .public_url
            .trim_end_matches('/')
            .to_owned();
        let now_ms = self.xapi_stored_now().await?;
        let lore = authority(&base);
        let mut statements = Vec::new();
        for e in &events {
            let cx = StatementContext {
                base_url: &base,
                actor_name: &e.user_name,
                course_title: e.course_title.as_deref(),
                path_title: e.path_title.as_deref(),
            };
            let Some(s) = statement_of(&e.event, &cx) else {
                continue;
            };
            if let Err(rule) = lore_xapi::validate_statement(&s, Version::V2_0_0) {
                tracing::warn!(
                    event = e.event.id,
                    rule = rule.rule,
                    "an event's statement is not valid xAPI; left out"
                );
                continue;
            }
            statements.push(s);
        }
        let count = statements.len();
        let one_by_one = statements.clone();
        let batch = Batch::prepare(self, statements, &lore, Version::V2_0_0, None, Vec::new());
        match self.write_batch(batch, now_ms).await {
            Ok(_) => {}
            Err(LrsError::App(e)) => return Err(e),
            // A client wrote a statement under one of these ids (they are derived from the
            // instance and the event, so only on purpose): write the others one by one and
            // keep what is stored for that one.
            Err(_) => {
                for s in one_by_one {
                    let one =
                        Batch::prepare(self, vec![s], &lore, Version::V2_0_0, None, Vec::new());
                    let id = one.ids.first().cloned().unwrap_or_default();
                    match self.write_batch(one, now_ms).await {
                        Ok(_) => {}
                        Err(LrsError::App(e)) => return Err(e),
                        Err(other) => {
                            tracing::warn!(statement = %id, "an event's statement was not stored: {other}");
                        }
                    }
                }
            }
        }
        self.store.set_event_cursor(XAPI_READER, last).await?;
        Ok((events.len(), count))
    }
}
