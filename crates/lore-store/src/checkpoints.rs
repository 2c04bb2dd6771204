//! SQLite's WAL checkpoints, moved out of the writer's turn (docs/decisions/0036).
//!
//! Left to SQLite, the connection whose commit takes the WAL past its automatic checkpoint
//! size copies the WAL into the database file, and syncs it, before its commit returns: on
//! the writers' connection, inside the writer's turn, so every writer queued behind it waits
//! for the disk. Here a connection of its own runs passive checkpoints (which never block a
//! reader or a writer) as soon as commits have happened, one at a time; the writers'
//! connection checkpoints itself only if the WAL grows far past that (`FALLBACK_PAGES`), when
//! this connection cannot keep up or has failed.

use std::sync::Arc;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tokio::sync::Notify;

/// The writers' connection's own automatic checkpoint, in pages, if the WAL gets this long
/// anyway (SQLite's default is 1,000 pages; 20,000 is 80 MiB of 4 KiB pages).
pub(crate) const FALLBACK_PAGES: u32 = 20_000;

/// How long a checkpoint waits after the commit that woke it, for more commits to join it.
const GATHER: std::time::Duration = std::time::Duration::from_millis(200);

/// Commits since the last checkpoint, and the task that checkpoints them.
#[derive(Debug)]
pub(crate) struct Checkpoints {
    committed: Arc<Notify>,
    task: tokio::task::JoinHandle<()>,
    conn: DatabaseConnection,
}

impl Checkpoints {
    /// Start checkpointing on `conn`, a connection no one else uses.
    pub(crate) fn start(conn: DatabaseConnection) -> Arc<Self> {
        let committed = Arc::new(Notify::new());
        let wake = committed.clone();
        let own = conn.clone();
        let task = tokio::spawn(async move {
            let conn = own;
            let stmt =
                || Statement::from_string(DbBackend::Sqlite, "PRAGMA wal_checkpoint(PASSIVE)");
            loop {
                wake.notified().await;
                // Let commits gather first: a page that several commits changed is then
                // copied and synced once (docs/decisions/0048).
                tokio::time::sleep(GATHER).await;
                // A failed checkpoint is tried again after the next commit; the writers'
                // fallback keeps the WAL bounded meanwhile.
                if let Err(e) = conn.query_all_raw(stmt()).await {
                    tracing::warn!(error = %e, "WAL checkpoint failed");
                }
            }
        });
        Arc::new(Self {
            committed,
            task,
            conn,
        })
    }

    /// A transaction committed: checkpoint it (once for all commits made meanwhile).
    pub(crate) fn committed(&self) {
        self.committed.notify_one();
    }
}

impl Checkpoints {
    /// Stop checkpointing and close the connection (the store is closing).
    pub(crate) async fn close(&self) -> Result<(), sea_orm::DbErr> {
        self.task.abort();
        self.conn.clone().close().await
    }
}

impl Drop for Checkpoints {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::ConnectionTrait;

    use crate::test_support::fresh_sqlite;

    /// 1,500 commits of a page each: far below the writers' own checkpoint size, so only the
    /// checkpointer can have copied them into the database file.
    #[tokio::test]
    async fn commits_reach_the_database_file_without_the_writer_checkpointing() {
        let (dir, store) = fresh_sqlite().await;
        store
            .db
            .execute_unprepared("CREATE TABLE pages (body BLOB NOT NULL)")
            .await
            .expect("table");
        const COMMITS: u64 = 1_500;
        for _ in 0..COMMITS {
            store
                .db
                .execute_unprepared("INSERT INTO pages (body) VALUES (randomblob(3000))")
                .await
                .expect("insert");
        }
        let file = dir.path().join("t.db");
        let copied = || std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while copied() < COMMITS * 3000 && std::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(
            copied() >= COMMITS * 3000,
            "the database file holds {} bytes after {COMMITS} commits of 3,000",
            copied()
        );
        store.close().await.expect("close");
    }
}
