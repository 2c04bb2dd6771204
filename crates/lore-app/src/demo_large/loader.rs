//! Buffers generated rows per table and writes them through `Store::bulk_insert`, committing
//! every few hundred thousand rows so no transaction grows without end.

use std::sync::Arc;

use lore_store::{Store, Value};

use super::Progress;
use crate::AppResult;

/// Rows kept before a table's buffer is written.
const FLUSH_ROWS: usize = 20_000;
/// Rows written before the transaction commits and a new one begins.
const COMMIT_ROWS: usize = 500_000;

/// One table's pending rows.
pub(super) struct Buffer {
    table: &'static str,
    columns: &'static [&'static str],
    values: Vec<Value>,
    /// Count toward the progress bar (the events phase counts events).
    counted: bool,
}

impl Buffer {
    pub(super) fn new(table: &'static str, columns: &'static [&'static str]) -> Self {
        Self {
            table,
            columns,
            values: Vec::with_capacity(FLUSH_ROWS * columns.len()),
            counted: false,
        }
    }

    /// A buffer whose written rows advance the progress bar.
    pub(super) fn counted(mut self) -> Self {
        self.counted = true;
        self
    }

    pub(super) fn push<const N: usize>(&mut self, row: [Value; N]) {
        debug_assert_eq!(
            N,
            self.columns.len(),
            "{}: one value per column",
            self.table
        );
        self.values.extend(row);
    }

    fn rows(&self) -> usize {
        self.values.len() / self.columns.len()
    }
}

/// The open transaction the rows go into.
pub(super) struct Loader {
    base: Store,
    work: Option<Store>,
    since_commit: usize,
    next_event: i64,
    progress: Arc<dyn Progress>,
}

impl Loader {
    pub(super) async fn begin(store: &Store, progress: Arc<dyn Progress>) -> AppResult<Self> {
        Ok(Self {
            base: store.clone(),
            work: Some(store.begin_work().await?),
            since_commit: 0,
            next_event: 1,
            progress,
        })
    }

    /// Write the buffer if it is full.
    pub(super) async fn maybe_flush(&mut self, buffer: &mut Buffer) -> AppResult<()> {
        if buffer.rows() >= FLUSH_ROWS {
            self.flush(buffer).await?;
        }
        Ok(())
    }

    /// Write every buffer, in the order given, once any of them is full (or always, with
    /// `all`). Tables that refer to others come after them: a row must find the row its
    /// foreign key names already written.
    pub(super) async fn flush_in_order(
        &mut self,
        buffers: &mut [&mut Buffer],
        all: bool,
    ) -> AppResult<()> {
        if all || buffers.iter().any(|b| b.rows() >= FLUSH_ROWS) {
            for buffer in buffers.iter_mut() {
                self.flush(buffer).await?;
            }
        }
        Ok(())
    }

    /// Write whatever the buffer holds.
    pub(super) async fn flush(&mut self, buffer: &mut Buffer) -> AppResult<()> {
        let rows = buffer.rows();
        if rows == 0 {
            return Ok(());
        }
        let values = std::mem::replace(
            &mut buffer.values,
            Vec::with_capacity(FLUSH_ROWS * buffer.columns.len()),
        );
        self.store()?
            .bulk_insert(buffer.table, buffer.columns, values)
            .await?;
        if buffer.counted {
            self.progress.advance(rows as u64);
        }
        self.since_commit += rows;
        if self.since_commit >= COMMIT_ROWS {
            self.commit().await?;
        }
        Ok(())
    }

    /// The id of the next event row (events are numbered across every phase).
    pub(super) fn event_id(&mut self) -> i64 {
        let id = self.next_event;
        self.next_event += 1;
        id
    }

    /// Tell the progress bar `n` more units are done.
    pub(super) fn advance(&self, n: u64) {
        self.progress.advance(n);
    }

    /// The store of the open transaction, for reads and one-off writes.
    pub(super) fn store(&self) -> AppResult<&Store> {
        self.work
            .as_ref()
            .ok_or_else(|| crate::AppError::Internal("the bulk load has ended".to_owned()))
    }

    async fn commit(&mut self) -> AppResult<()> {
        if let Some(work) = self.work.take() {
            work.commit().await?;
        }
        self.work = Some(self.base.begin_work().await?);
        self.since_commit = 0;
        Ok(())
    }

    /// Commit what is written; the loader takes no more rows.
    pub(super) async fn finish(mut self) -> AppResult<()> {
        if let Some(work) = self.work.take() {
            work.commit().await?;
        }
        Ok(())
    }
}

/// A value for a timestamp column.
pub(super) fn at(t: time::OffsetDateTime) -> Value {
    Value::from(t)
}
