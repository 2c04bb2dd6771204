//! One use case, one transaction: its state change, events, notifications, job rows and
//! outbox rows commit together or not at all; signals to the rest of the process (the live
//! notification relay, the job worker) fire only after the commit.

use std::future::Future;
use std::sync::{Arc, Mutex};

use crate::{App, AppResult};

/// Something to tell other parts of this process once the data it is about is committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// A person's unread count may have changed.
    Live(i64),
    /// A job was queued.
    JobsWaiting,
    /// Rows were written to the outbox.
    OutboxWritten,
}

/// Signals held back until a unit of work commits (dropped if it rolls back).
pub(crate) type PendingSignals = Arc<Mutex<Vec<Signal>>>;

impl App {
    /// Run `work` as one unit of work: every store call it makes through the `App` it is
    /// given runs in one transaction (`BEGIN IMMEDIATE` on SQLite), committed when it returns
    /// `Ok` and rolled back when it returns an error (or fails to commit). Inside a unit of
    /// work already, `work` joins it.
    pub(crate) async fn unit_of_work<T, F, Fut>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce(App) -> Fut,
        Fut: Future<Output = AppResult<T>>,
    {
        if self.pending.is_some() {
            return work(self.clone()).await;
        }
        let store = self.store.begin_work().await?;
        let pending = PendingSignals::default();
        let app = App {
            store: store.clone(),
            pending: Some(pending.clone()),
            ..self.clone()
        };
        match work(app).await {
            Ok(value) => {
                store.commit().await?;
                let signals = pending.lock().map(|s| s.clone()).unwrap_or_default();
                for s in signals {
                    self.fire(s);
                }
                Ok(value)
            }
            Err(e) => {
                if let Err(rollback) = store.rollback().await {
                    tracing::warn!("rolling back a failed unit of work: {rollback}");
                }
                Err(e)
            }
        }
    }

    /// Tell the process now, or after the commit inside a unit of work.
    pub(crate) fn signal(&self, signal: Signal) {
        match &self.pending {
            Some(pending) => {
                if let Ok(mut p) = pending.lock()
                    && !p.contains(&signal)
                {
                    p.push(signal);
                }
            }
            None => self.fire(signal),
        }
    }

    fn fire(&self, signal: Signal) {
        match signal {
            // Nobody listening is fine.
            Signal::Live(user_id) => {
                let _ = self.live.send(user_id);
            }
            Signal::JobsWaiting => self.jobs_waiting.notify_one(),
            Signal::OutboxWritten => self.outbox_written.notify_one(),
        }
    }
}
