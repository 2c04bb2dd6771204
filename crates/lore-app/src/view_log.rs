//! Page views recorded off the request path. Opening a course page records a `viewed-course`
//! event (the funnel counts it), and on SQLite every write waits for the one write lock: a
//! page that only shows something queued behind every writer. While the background worker
//! runs, a view is kept in memory with its context and time and written with the others of
//! the last tenth of a second in one transaction (each with its outbox row, as always).
//!
//! Nothing is lost on a clean stop: stopping the worker first stops the buffering (under the
//! same lock the requests take), then writes what is left. A crash loses at most the views of
//! that tenth of a second, never anything a person wrote or chose (docs/decisions/0021).
//! Without a worker (the command line), or with `Settings::views_in_batches` off (the story
//! servers, whose stories read the event log right after a page), a view is written at once.

use std::sync::Mutex;
use std::time::Duration;

use lore_store::NewEvent;

use crate::{App, AppResult};

/// How long a view may wait in memory.
pub const FLUSH_EVERY: Duration = Duration::from_millis(100);
/// Write at once when this many are waiting.
const FLUSH_AT: usize = 256;

#[derive(Debug, Default)]
pub struct ViewLog {
    state: Mutex<Buffer>,
    full: tokio::sync::Notify,
}

#[derive(Debug, Default)]
struct Buffer {
    /// A worker is running and will write what is kept here.
    buffering: bool,
    waiting: Vec<(NewEvent, time::OffsetDateTime)>,
}

impl ViewLog {
    /// Keep `e` for the worker; gives it back when nothing is buffering.
    fn keep(&self, e: NewEvent, at: time::OffsetDateTime) -> Option<NewEvent> {
        let Ok(mut b) = self.state.lock() else {
            return Some(e);
        };
        if !b.buffering {
            return Some(e);
        }
        b.waiting.push((e, at));
        if b.waiting.len() >= FLUSH_AT {
            self.full.notify_one();
        }
        None
    }

    fn take(&self, keep_buffering: bool) -> Vec<(NewEvent, time::OffsetDateTime)> {
        match self.state.lock() {
            Ok(mut b) => {
                b.buffering = keep_buffering;
                std::mem::take(&mut b.waiting)
            }
            Err(_) => Vec::new(),
        }
    }

    /// Put back views a failed write did not store, before any kept since.
    fn put_back(&self, mut batch: Vec<(NewEvent, time::OffsetDateTime)>) {
        if let Ok(mut b) = self.state.lock() {
            batch.append(&mut b.waiting);
            b.waiting = batch;
        }
    }
}

impl App {
    /// Record that the caller saw a page of a course: kept for the worker when one runs
    /// (outside a unit of work), written at once otherwise.
    pub(crate) async fn record_view(&self, e: NewEvent) -> AppResult<()> {
        let mut e = self.with_course_context(e).await?;
        if self.pending.is_none() {
            match self.views.keep(e, self.now()) {
                None => return Ok(()),
                Some(back) => e = back,
            }
        }
        self.store.append_event(e, self.now()).await?;
        Ok(())
    }

    /// Write every view waiting in memory, in one transaction.
    pub async fn flush_views(&self) -> AppResult<()> {
        self.write_views(self.views.take(self.settings.views_in_batches))
            .await
    }

    async fn write_views(&self, batch: Vec<(NewEvent, time::OffsetDateTime)>) -> AppResult<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let written = self
            .unit_of_work(|app| {
                let batch = batch.clone();
                async move {
                    for (e, at) in batch {
                        app.store.append_event(e, at).await?;
                    }
                    Ok(())
                }
            })
            .await;
        if written.is_err() {
            self.views.put_back(batch);
        }
        written
    }

    /// The worker's loop: write the waiting views every [`FLUSH_EVERY`] or when many wait;
    /// on stop, stop buffering and write what is left.
    pub(crate) fn spawn_view_writer(
        &self,
        mut stopped: tokio::sync::watch::Receiver<bool>,
    ) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        let _ = app.views.take(app.settings.views_in_batches);
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = stopped.changed() => break,
                    () = app.views.full.notified() => {}
                    () = tokio::time::sleep(FLUSH_EVERY) => {}
                }
                if let Err(e) = app.flush_views().await {
                    tracing::warn!(error = %e, "page views not written yet; kept for the next try");
                }
            }
            if let Err(e) = app.write_views(app.views.take(false)).await {
                tracing::error!(error = %e, "page views lost at stop");
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(user: i64) -> NewEvent {
        NewEvent {
            user_id: user,
            verb: "viewed-course",
            ..NewEvent::default()
        }
    }

    #[test]
    fn without_a_worker_a_view_is_given_back_to_be_written_at_once() {
        let log = ViewLog::default();
        assert!(
            log.keep(view(1), time::OffsetDateTime::UNIX_EPOCH)
                .is_some()
        );
    }

    #[test]
    fn a_stop_takes_everything_and_buffers_no_more() {
        let log = ViewLog::default();
        log.take(true);
        assert!(
            log.keep(view(1), time::OffsetDateTime::UNIX_EPOCH)
                .is_none()
        );
        assert!(
            log.keep(view(2), time::OffsetDateTime::UNIX_EPOCH)
                .is_none()
        );
        let left = log.take(false);
        assert_eq!(
            left.iter().map(|(e, _)| e.user_id).collect::<Vec<_>>(),
            [1, 2]
        );
        assert!(
            log.keep(view(3), time::OffsetDateTime::UNIX_EPOCH)
                .is_some()
        );
    }

    #[test]
    fn a_failed_write_puts_its_views_back_first() {
        let log = ViewLog::default();
        log.take(true);
        log.keep(view(1), time::OffsetDateTime::UNIX_EPOCH);
        let batch = log.take(true);
        log.keep(view(2), time::OffsetDateTime::UNIX_EPOCH);
        log.put_back(batch);
        let all = log.take(true);
        assert_eq!(
            all.iter().map(|(e, _)| e.user_id).collect::<Vec<_>>(),
            [1, 2]
        );
    }
}
