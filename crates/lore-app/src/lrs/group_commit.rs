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

use tokio::sync::oneshot;

use super::statements::Batch;
use super::{LrsError, LrsResult};
use crate::{App, AppError};

/// The most statements one group writes (a batch is never split).
const MAX_GROUP: usize = 2_000;

/// A batch ready to write, waiting for the writer.
struct Waiting {
    incoming: Batch,
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
            if n > 0 && count + w.incoming.len() > MAX_GROUP {
                break;
            }
            count += w.incoming.len();
            n += 1;
        }
        waiting.drain(..n).collect()
    }
}

impl App {
    /// Queue a batch and answer once it is committed (or refused). Every batch queued takes
    /// one turn of the writer's lock, and each turn writes every batch then waiting; so a
    /// batch is written by its own turn or by an earlier one. The turn runs on the caller's
    /// task (so that per-request statement counting and capture see it): a caller that goes
    /// away while it writes a group rolls the group back, and the others of the group are
    /// answered with an error — never acknowledged, never half written.
    pub(crate) async fn store_in_group(&self, incoming: Batch) -> LrsResult<Vec<String>> {
        let (done, answer) = oneshot::channel();
        let queue = self.statement_queue.clone();
        if let Ok(mut waiting) = queue.waiting.lock() {
            waiting.push(Waiting { incoming, done });
        }
        {
            let _turn = queue.turn.clone().lock_owned().await;
            let group = queue.take();
            if !group.is_empty() {
                self.write_group(group).await;
            }
        }
        answer.await.unwrap_or_else(|_| {
            Err(LrsError::App(AppError::Internal(
                "the statement writer stopped before answering".to_owned(),
            )))
        })
    }

    /// Write a group in one unit of work and answer each of its batches.
    async fn write_group(&self, group: Vec<Waiting>) {
        let (incoming, dones): (Vec<Batch>, Vec<_>) =
            group.into_iter().map(|w| (w.incoming, w.done)).unzip();
        let written = self
            .unit_of_work(|app| async move {
                let now_ms = app.xapi_stored_now().await?;
                app.write_batches(incoming, now_ms).await
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use lore_xapi::Version;
    use serde_json::{Value, json};

    use crate::lrs::{LrsError, ReadScope, XapiCaller, XapiWho};
    use crate::{App, ManualClock, Settings, Store};

    const A1: &str = "a1000000-0000-4000-8000-000000000000";
    const A2: &str = "a2000000-0000-4000-8000-000000000000";
    const B1: &str = "b1000000-0000-4000-8000-000000000000";
    const C1: &str = "c1000000-0000-4000-8000-000000000000";
    const D1: &str = "d1000000-0000-4000-8000-000000000000";

    async fn app_and_client(dir: &std::path::Path) -> (App, XapiCaller) {
        let url = format!("sqlite://{}?mode=rwc", dir.join("t.db").display());
        let store = Store::connect(&url).await.expect("connect");
        store.migrate().await.expect("migrate");
        let settings = Settings {
            blob_dir: dir.join("blobs"),
            ..Settings::default()
        };
        let clock = Arc::new(ManualClock::new(
            time::macros::datetime!(2026-11-02 09:00 UTC),
        ));
        let app = App::new(store, clock, settings).expect("app");
        let admin = app
            .store
            .insert_user(
                lore_store::NewUser {
                    email: "admin@acme.test",
                    name: "Admin",
                    password_hash: None,
                    platform_admin: true,
                },
                app.now(),
            )
            .await
            .expect("admin");
        let row = app
            .store
            .insert_xapi_client("Tool", "tool-key", "x", "all", admin.id, app.now())
            .await
            .expect("client");
        let client = XapiCaller {
            who: XapiWho::Client {
                id: row.id,
                name: row.name,
                key: row.key,
            },
            read: ReadScope::All,
            write: true,
        };
        (app, client)
    }

    /// A statement by `who` (another actor is other content under the same id).
    fn statement(id: &str, who: &str) -> Value {
        json!({
            "id": id,
            "actor": {"mbox": format!("mailto:{who}@acme.test")},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
            "object": {"id": "https://acme.test/a"}
        })
    }

    fn voiding(id: &str, target: &str) -> Value {
        json!({
            "id": id,
            "actor": {"mbox": "mailto:ada@acme.test"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
            "object": {"objectType": "StatementRef", "id": target}
        })
    }

    /// Four batches wait while the writer is busy, and are written as one group: each gets
    /// the answer it would get alone, in the order they came; the refused ones write nothing.
    #[tokio::test]
    async fn waiting_batches_are_written_together_each_with_its_own_answer() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (app, client) = app_and_client(dir.path()).await;
        // The writer is busy: the batches below queue up behind it.
        let busy = app.statement_queue.turn.clone().lock_owned().await;
        let batches = [
            json!([statement(A1, "ada"), statement(A2, "ada")]),
            // A1 again with other content: refused whole, so B1 is not stored.
            json!([statement(B1, "ada"), statement(A1, "bob")]),
            // A1 again with the same content is fine; C1 voids A2.
            json!([statement(A1, "ada"), voiding(C1, A2)]),
            // C1 is a voiding statement (written earlier in the group): it cannot be voided.
            json!([voiding(D1, C1)]),
        ];
        let mut posts = Vec::new();
        for (i, batch) in batches.into_iter().enumerate() {
            let (app2, client) = (app.clone(), client.clone());
            posts.push(tokio::spawn(async move {
                app2.xapi_post_statements(&client, Version::V1_0_3, &batch, &[])
                    .await
            }));
            // One after the other, so that the group keeps this order.
            let deadline = Instant::now() + Duration::from_secs(10);
            while app.statement_queue.waiting.lock().map_or(0, |w| w.len()) <= i {
                assert!(Instant::now() < deadline, "batch {i} never queued");
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
        drop(busy);
        let mut answers = Vec::new();
        for p in posts {
            answers.push(p.await.expect("task"));
        }
        assert_eq!(
            answers[0].as_ref().expect("first batch"),
            &vec![A1.to_owned(), A2.to_owned()]
        );
        assert!(
            matches!(answers[1], Err(LrsError::Conflict(_))),
            "{:?}",
            answers[1]
        );
        assert_eq!(
            answers[2].as_ref().expect("third batch"),
            &vec![A1.to_owned(), C1.to_owned()]
        );
        match &answers[3] {
            Err(LrsError::Invalid(e)) => assert_eq!(e.rule, "voiding-target-voiding"),
            other => panic!("the fourth batch: {other:?}"),
        }
        let ids: Vec<String> = [A1, A2, B1, C1, D1].map(str::to_owned).to_vec();
        let stored = app.store.xapi_statements_by_id(&ids).await.expect("read");
        let mut found: Vec<&str> = stored.iter().map(|s| s.statement_id.as_str()).collect();
        found.sort_unstable();
        assert_eq!(found, vec![A1, A2, C1]);
        let a1 = stored.iter().find(|s| s.statement_id == A1).expect("A1");
        assert!(a1.statement.contains("mailto:ada@"), "{}", a1.statement);
        let a2 = stored.iter().find(|s| s.statement_id == A2).expect("A2");
        assert!(a2.voided, "A2 is voided by C1");
        assert_eq!(app.statement_queue.waiting.lock().map_or(9, |w| w.len()), 0);
    }
}
