//! The reader that forwards: while forwarding is on, the job worker takes the turn to send
//! (a lease on the forwarding row, so several servers never send the same batch at once),
//! sends the statements after the cursor in commit order, up to 100 a POST, and records the
//! outcome under the lease: delivered or refused moves the cursor on (the refused become a
//! dead letter), a failure waits out a back-off on the story clock and becomes a dead letter
//! after the last try. Then it sends the dead letters an administrator asked to replay.

use lore_domain::xapi_forwarding::{BATCH, pause_after};
use lore_store::{BatchOutcome, ForwardStatement, NewDeadLetter};
use time::Duration;

use super::send::{Endpoint, Sent, attachment_sha2s};
use crate::secrets::random_token;
use crate::{App, AppResult};

/// How long a server's turn lasts unless it renews it (each batch does): longer than one
/// POST may take, so that a server that died hands over within minutes.
const LEASE: Duration = Duration::minutes(2);

/// Batches sent per pass, so a large backlog never holds up mail and webhooks for long.
const BATCHES_PER_PASS: usize = 10;

/// Dead letters replayed per pass.
const REPLAYS_PER_PASS: u64 = 20;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ForwardCounts {
    /// Statements the other store now has.
    pub delivered: usize,
    /// Statements that became (or stayed) dead letters.
    pub refused: usize,
    /// Batches that failed and wait for their next try.
    pub failed: usize,
}

impl App {
    /// The kept attachment parts the statements name, to travel with them.
    async fn parts_of(&self, statements: &[ForwardStatement]) -> AppResult<Vec<lore_xapi::Part>> {
        let parsed: Vec<serde_json::Value> = statements
            .iter()
            .filter(|s| s.statement.contains("\"attachments\""))
            .filter_map(|s| serde_json::from_str(&s.statement).ok())
            .collect();
        let wanted = attachment_sha2s(&parsed);
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .store
            .xapi_attachments(&wanted)
            .await?
            .into_iter()
            .map(|(sha2, content_type, bytes)| lore_xapi::Part {
                sha2,
                content_type,
                bytes,
            })
            .collect())
    }

    /// Forward the statements stored since the last pass, and replay the dead letters asked
    /// for. The job worker calls it on every pass; safe while other servers do the same.
    /// Only database trouble is an error; the other store's trouble is recorded.
    pub async fn forward_statements(&self) -> AppResult<ForwardCounts> {
        let row = self.store.xapi_forwarding().await?;
        if !row.enabled {
            return Ok(ForwardCounts::default());
        }
        let now = self.now();
        let batch_due = row.next_attempt_at.is_none_or(|t| t <= now)
            && !self
                .store
                .xapi_statements_after(row.cursor(), 1)
                .await?
                .is_empty();
        if !batch_due && self.store.xapi_replays_due(1).await?.is_empty() {
            return Ok(ForwardCounts::default());
        }
        let token = random_token();
        if !self
            .store
            .claim_xapi_forwarding(&token, now + LEASE, now)
            .await?
        {
            return Ok(ForwardCounts::default());
        }
        let result = self.forward_in_turn(&token).await;
        self.store.release_xapi_forwarding(&token).await?;
        result
    }

    async fn forward_in_turn(&self, token: &str) -> AppResult<ForwardCounts> {
        let mut counts = ForwardCounts::default();
        let mut endpoint = None;
        for _ in 0..BATCHES_PER_PASS {
            let row = self.store.xapi_forwarding().await?;
            let now = self.now();
            if !row.enabled
                || row.lease_token.as_deref() != Some(token)
                || row.next_attempt_at.is_some_and(|t| t > now)
            {
                break;
            }
            let batch = self
                .store
                .xapi_statements_after(row.cursor(), BATCH as u64)
                .await?;
            let Some(last) = batch.last().map(|s| s.position) else {
                break;
            };
            if endpoint.is_none() {
                endpoint = Some(Endpoint::open(&row, &self.settings.webhooks.allow_private).await);
            }
            let sent = match &endpoint {
                Some(Ok(e)) => e.deliver(&batch, &self.parts_of(&batch).await?).await,
                Some(Err(Sent::Failed { status, error })) => Sent::Failed {
                    status: *status,
                    error: error.clone(),
                },
                _ => Sent::Failed {
                    status: None,
                    error: "no endpoint".into(),
                },
            };
            let now = self.now();
            let attempts = row.attempts + 1;
            let outcome = match sent {
                Sent::Delivered => BatchOutcome::MovedOn {
                    to: last,
                    delivered: batch.len() as i64,
                    dead_letter: None,
                },
                Sent::Refused {
                    refused,
                    status,
                    error,
                } => {
                    counts.refused += refused.len();
                    BatchOutcome::MovedOn {
                        to: last,
                        delivered: (batch.len() - refused.len()) as i64,
                        dead_letter: Some(dead_letter(&batch, &refused, status, error, attempts)),
                    }
                }
                Sent::Failed { status, error } => match pause_after(attempts) {
                    Some(pause) => BatchOutcome::Failed {
                        status,
                        error,
                        next_attempt_at: now + pause,
                    },
                    // The last try failed: keep the batch as a dead letter and move on.
                    None => {
                        counts.refused += batch.len();
                        let all: Vec<usize> = (0..batch.len()).collect();
                        BatchOutcome::MovedOn {
                            to: last,
                            delivered: 0,
                            dead_letter: Some(dead_letter(&batch, &all, status, error, attempts)),
                        }
                    }
                },
            };
            let moved_on = match &outcome {
                BatchOutcome::MovedOn { delivered, .. } => {
                    counts.delivered += usize::try_from(*delivered).unwrap_or(0);
                    true
                }
                BatchOutcome::Failed { error, .. } => {
                    tracing::warn!(
                        attempt = attempts,
                        "forwarding statements failed, will retry: {error}"
                    );
                    counts.failed += 1;
                    false
                }
            };
            let recorded = self
                .store
                .finish_xapi_forward_batch(token, outcome, now + LEASE, now)
                .await?;
            if !recorded || !moved_on || batch.len() < BATCH {
                break;
            }
        }
        self.replay_in_turn(token, endpoint, &mut counts).await?;
        Ok(counts)
    }

    /// Send the dead letters asked for again: gone when they arrive, else kept with the new
    /// answer.
    async fn replay_in_turn(
        &self,
        token: &str,
        endpoint: Option<Result<Endpoint, Sent>>,
        counts: &mut ForwardCounts,
    ) -> AppResult<()> {
        let letters = self.store.xapi_replays_due(REPLAYS_PER_PASS).await?;
        if letters.is_empty() {
            return Ok(());
        }
        let row = self.store.xapi_forwarding().await?;
        if !row.enabled || row.lease_token.as_deref() != Some(token) {
            return Ok(());
        }
        let endpoint = match endpoint {
            Some(e) => e,
            None => Endpoint::open(&row, &self.settings.webhooks.allow_private).await,
        };
        for letter in letters {
            let ids: Vec<String> = serde_json::from_str(&letter.statement_ids).unwrap_or_default();
            let statements = self.store.xapi_statements_to_forward(&ids).await?;
            let sent = match &endpoint {
                Ok(e) if !statements.is_empty() => {
                    e.deliver(&statements, &self.parts_of(&statements).await?)
                        .await
                }
                Ok(_) => Sent::Delivered,
                Err(Sent::Failed { status, error }) => Sent::Failed {
                    status: *status,
                    error: error.clone(),
                },
                Err(_) => Sent::Failed {
                    status: None,
                    error: "no endpoint".into(),
                },
            };
            let left = match sent {
                Sent::Delivered => {
                    counts.delivered += statements.len();
                    None
                }
                Sent::Refused {
                    refused,
                    status,
                    error,
                } => {
                    counts.delivered += statements.len() - refused.len();
                    counts.refused += refused.len();
                    Some(dead_letter(&statements, &refused, status, error, 0))
                }
                Sent::Failed { status, error } => {
                    counts.refused += statements.len();
                    let all: Vec<usize> = (0..statements.len()).collect();
                    Some(dead_letter(&statements, &all, status, error, 0))
                }
            };
            self.store
                .finish_xapi_replay(letter.id, left, self.now())
                .await?;
        }
        Ok(())
    }
}

/// The dead letter of the statements at `refused` in `batch`.
fn dead_letter(
    batch: &[ForwardStatement],
    refused: &[usize],
    status: Option<i32>,
    error: String,
    attempts: i32,
) -> NewDeadLetter {
    let chosen: Vec<&ForwardStatement> = refused.iter().filter_map(|i| batch.get(*i)).collect();
    NewDeadLetter {
        statement_ids: chosen.iter().map(|s| s.statement_id.clone()).collect(),
        first_seq: chosen.iter().map(|s| s.position.seq).min().unwrap_or(0),
        last_seq: chosen.iter().map(|s| s.position.seq).max().unwrap_or(0),
        status_code: status,
        error,
        attempts,
    }
}
