//! Group commit of statement batches on SQLite (docs/decisions/0048).
//!
//! SQLite has one writer, and a batch's turn is a chain of a dozen statements, each a round
//! trip to SQLite's worker thread: the turn costs about as much for one batch as for several.
//! So a batch that arrives while another is being written waits here, and the next writer
//! takes every batch waiting (up to [`MAX_GROUP`] statements) into one transaction: one
//! look-up of the ids they name, one multi-row INSERT, one commit. Each batch keeps its own
//! answer: a batch refused (a re-used id, a voiding rule) is left out and answered alone; the
//! others are written. A batch is answered only after the commit that wrote it; if the commit
//! fails, every batch of the group is answered with the error and none is stored.

use std::sync::{Arc, Mutex};

use lore_xapi::{Part, Version};
use serde_json::Value;
use tokio::sync::oneshot;

use super::{LrsError, LrsResult};
use crate::{App, AppError};

/// The most statements one group writes (a batch is never split).
const MAX_GROUP: usize = 2_000;

/// A validated batch, waiting for the writer.
pub(crate) struct Incoming {
    /// Validated, not yet completed (`stored` is taken in the writer's turn).
    pub batch: Vec<Value>,
    /// The id each statement gets if it has none (made before the turn).
    pub new_ids: Vec<uuid::Uuid>,
    pub authority: Value,
    pub version: Version,
    pub client_id: i64,
    pub parts: Vec<Part>,
}

struct Waiting {
    incoming: Incoming,
    done: oneshot::Sender<LrsResult<Vec<String>>>,
}

/// Batches waiting for the writer, and the writer's turn.
#[derive(Default)]
pub(crate) struct StatementQueue {
    waiting: Mutex<Vec<Waiting>>,
    turn: Arc<tokio::sync::Mutex<()>>,
}

impl StatementQueue {
    /// The waiting batches, oldest first, up to `MAX_GROUP` statements (at least one batch).
    fn take(&self) -> Vec<Waiting> {
        let Ok(mut waiting) = self.waiting.lock() else {
            return Vec::new();
        };
        let mut count = 0;
        let mut n = 0;
        for w in waiting.iter() {
            if n > 0 && count + w.incoming.batch.len() > MAX_GROUP {
                break;
            }
            count += w.incoming.batch.len();
            n += 1;
        }
        waiting.drain(..n).collect()
    }
}

impl App {
    /// Queue a batch and answer once it is committed (or refused). Every batch queued takes
    /// one turn of the writer's lock, and each turn writes every batch then waiting; so a
    /// batch is written by its own turn or by an earlier one. The queueing runs in a task of
    /// its own, so that a client going away cannot leave the queue without its turn.
    pub(crate) async fn store_in_group(&self, incoming: Incoming) -> LrsResult<Vec<String>> {
        let (done, answer) = oneshot::channel();
        let app = self.clone();
        tokio::spawn(async move {
            let queue = app.statement_queue.clone();
            if let Ok(mut waiting) = queue.waiting.lock() {
                waiting.push(Waiting { incoming, done });
            }
            let _turn = queue.turn.clone().lock_owned().await;
            let group = queue.take();
            if !group.is_empty() {
                app.write_group(group).await;
            }
        });
        answer.await.unwrap_or_else(|_| {
            Err(LrsError::App(AppError::Internal(
                "the statement writer stopped before answering".to_owned(),
            )))
        })
    }

    /// Write a group in one unit of work and answer each of its batches.
    async fn write_group(&self, group: Vec<Waiting>) {
        let (incoming, dones): (Vec<Incoming>, Vec<_>) =
            group.into_iter().map(|w| (w.incoming, w.done)).unzip();
        let written = self
            .unit_of_work(|app| async move {
                let now_ms = app.xapi_stored_now().await?;
                app.write_incoming(incoming, now_ms).await
            })
            .await;
        match written {
            Ok(answers) => {
                for (done, answer) in dones.into_iter().zip(answers) {
                    // The client may have gone; its batch is stored all the same.
                    let _ = done.send(answer);
                }
            }
            Err(e) => {
                let message = e.to_string();
                let mut first = Some(e);
                for done in dones {
                    let e = first
                        .take()
                        .unwrap_or_else(|| AppError::Internal(message.clone()));
                    let _ = done.send(Err(LrsError::App(e)));
                }
            }
        }
    }
}
