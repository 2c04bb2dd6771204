//! Where a store's statements run: the pool, or one open transaction (a unit of work). Every
//! statement passes through here, so here it is counted (for per-request budgets) and here a
//! test can make one fail (to prove that a use case failing halfway changes nothing).
//! The pool's figures (open, idle, in use) are read here too, for `/metrics`.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseConnectionType, DatabaseTransaction, DbBackend,
    DbErr, ExecResult, QueryResult, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};

use crate::Store;
use crate::checkpoints::Checkpoints;

tokio::task_local! {
    static STATEMENTS: Cell<u64>;
    static CAPTURED: std::cell::RefCell<Vec<Statement>>;
}

/// Every statement any store of this process ran, for `/metrics`. Relaxed: a figure for
/// operators, ordered with nothing else.
static STATEMENTS_RUN: AtomicU64 = AtomicU64::new(0);

/// How many statements the stores of this process have run since it started.
pub fn statements_run() -> u64 {
    STATEMENTS_RUN.load(Ordering::Relaxed)
}

/// Run `work`, counting the statements the stores run inside it (on this task).
pub async fn count_statements<F: std::future::Future>(work: F) -> (F::Output, u64) {
    STATEMENTS
        .scope(Cell::new(0), async {
            let out = work.await;
            (out, STATEMENTS.with(Cell::get))
        })
        .await
}

/// Run `work`, keeping a copy of every statement (with its values) the stores run inside it
/// on this task: for tests that read the database's plan of each (see [`Store::query_plan`]).
pub async fn capture_statements<F: std::future::Future>(work: F) -> (F::Output, Vec<Statement>) {
    CAPTURED
        .scope(std::cell::RefCell::new(Vec::new()), async {
            let out = work.await;
            (out, CAPTURED.with(|c| c.take()))
        })
        .await
}

fn captured(stmt: &Statement) {
    let _ = CAPTURED.try_with(|c| c.borrow_mut().push(stmt.clone()));
}

fn counted() {
    STATEMENTS_RUN.fetch_add(1, Ordering::Relaxed);
    // Outside a counting scope there is nothing to count into.
    let _ = STATEMENTS.try_with(|c| c.set(c.get() + 1));
}

/// A statement a test wants to fail: the next one whose SQL contains this text.
#[derive(Debug, Default)]
pub(crate) struct Faults(Mutex<Vec<String>>);

impl Faults {
    fn check(&self, sql: &str) -> Result<(), DbErr> {
        let Ok(mut armed) = self.0.lock() else {
            return Ok(());
        };
        if let Some(i) = armed
            .iter()
            .position(|needle| sql.contains(needle.as_str()))
        {
            let needle = armed.remove(i);
            return Err(DbErr::Custom(format!("injected fault at `{needle}`")));
        }
        Ok(())
    }

    pub(crate) fn arm(&self, needle: &str) {
        if let Ok(mut armed) = self.0.lock() {
            armed.push(needle.to_owned());
        }
    }
}

#[derive(Clone, Debug)]
enum Inner {
    /// The pool, and on SQLite the writers' own connection.
    Pool(DatabaseConnection, Option<DatabaseConnection>),
    Tx(Arc<Held>),
}

/// SQLite has one writer. Left to SQLite, writers that find the lock taken sleep in its busy
/// handler (up to 100 ms a turn) and wake in no order; queued here, in one process, each
/// starts the moment the one before it ends, first come first served
/// (docs/decisions/0036). PostgreSQL has none: its writers do not exclude each other.
type WriterGate = Arc<tokio::sync::Mutex<()>>;

/// How long a writer waits for its turn: SQLite's busy timeout (`Store::connect`).
const WRITER_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// An open transaction, with the writer's turn it holds (SQLite, outermost only).
#[derive(Debug)]
pub(crate) struct Held {
    tx: DatabaseTransaction,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
    /// Told of the commit (SQLite, outermost only).
    checkpoints: Option<Arc<Checkpoints>>,
}

impl Held {
    pub(crate) async fn commit(self) -> Result<(), DbErr> {
        self.tx.commit().await?;
        if let Some(checkpoints) = &self.checkpoints {
            checkpoints.committed();
        }
        Ok(())
    }

    pub(crate) async fn rollback(self) -> Result<(), DbErr> {
        self.tx.rollback().await
    }
}

/// The pool or one transaction, with the statement counter and test faults in front.
#[derive(Clone, Debug)]
pub(crate) struct Conn {
    inner: Inner,
    faults: Arc<Faults>,
    gate: Option<WriterGate>,
    checkpoints: Option<Arc<Checkpoints>>,
}

/// Does this statement change the database (so that, outside a transaction, it needs the
/// writer's turn)? Schema changes too: they take SQLite's write lock like any write.
fn writes(sql: &str) -> bool {
    let first = sql.split_whitespace().next().unwrap_or("");
    [
        "INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "ANALYZE",
    ]
    .iter()
    .any(|w| first.eq_ignore_ascii_case(w))
}

impl Conn {
    /// The pool, with the connection SQLite's writers share and the checkpointer their
    /// commits wake (neither on PostgreSQL).
    pub(crate) fn pool(
        db: DatabaseConnection,
        writer: Option<DatabaseConnection>,
        checkpoints: Option<Arc<Checkpoints>>,
    ) -> Self {
        let gate = (db.get_database_backend() == DbBackend::Sqlite).then(WriterGate::default);
        Self {
            inner: Inner::Pool(db, writer),
            faults: Arc::default(),
            gate,
            checkpoints,
        }
    }

    /// The writer's turn, on SQLite's pool (inside a transaction it is held already).
    async fn turn(&self) -> Result<Option<tokio::sync::OwnedMutexGuard<()>>, DbErr> {
        let (Inner::Pool(..), Some(gate)) = (&self.inner, &self.gate) else {
            return Ok(None);
        };
        match tokio::time::timeout(WRITER_WAIT, gate.clone().lock_owned()).await {
            Ok(turn) => Ok(Some(turn)),
            Err(_) => Err(DbErr::Custom("database is locked".to_owned())),
        }
    }

    /// The writer's turn for a statement run on its own, if it writes.
    async fn turn_for(&self, sql: &str) -> Result<Option<tokio::sync::OwnedMutexGuard<()>>, DbErr> {
        if writes(sql) {
            self.turn().await
        } else {
            Ok(None)
        }
    }

    pub(crate) fn faults(&self) -> &Faults {
        &self.faults
    }

    /// SQLite's writers' own connection, on the pool.
    pub(crate) fn writer_handle(&self) -> Option<&DatabaseConnection> {
        match &self.inner {
            Inner::Pool(_, writer) => writer.as_ref(),
            Inner::Tx(_) => None,
        }
    }

    /// The checkpointer SQLite's commits wake, on the pool.
    pub(crate) fn checkpoints(&self) -> Option<&Arc<Checkpoints>> {
        match &self.inner {
            Inner::Pool(..) => self.checkpoints.as_ref(),
            Inner::Tx(_) => None,
        }
    }

    pub(crate) fn pool_handle(&self) -> Option<&DatabaseConnection> {
        match &self.inner {
            Inner::Pool(db, _) => Some(db),
            Inner::Tx(_) => None,
        }
    }

    pub(crate) fn in_transaction(&self) -> bool {
        matches!(self.inner, Inner::Tx(_))
    }

    /// A transaction that writes: on the pool a new one (`BEGIN IMMEDIATE` on SQLite, see
    /// `Store::write_tx`); inside a unit of work a savepoint of it.
    pub(crate) async fn begin_write(&self) -> Result<Held, DbErr> {
        match &self.inner {
            Inner::Pool(db, writer) => {
                let turn = self.turn().await?;
                let tx = writer
                    .as_ref()
                    .unwrap_or(db)
                    .begin_with_options(TransactionOptions {
                        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                        ..Default::default()
                    })
                    .await?;
                Ok(Held {
                    tx,
                    _turn: turn,
                    checkpoints: self.checkpoints.clone(),
                })
            }
            Inner::Tx(held) => Ok(Held {
                tx: held.tx.begin().await?,
                _turn: None,
                checkpoints: None,
            }),
        }
    }

    /// The same faults and counter over a new transaction.
    pub(crate) fn with_transaction(&self, held: Held) -> Self {
        Self {
            inner: Inner::Tx(Arc::new(held)),
            faults: self.faults.clone(),
            gate: self.gate.clone(),
            checkpoints: self.checkpoints.clone(),
        }
    }

    /// The transaction itself, if this is the last handle on it.
    pub(crate) fn into_transaction(self) -> Result<Held, DbErr> {
        match self.inner {
            Inner::Tx(tx) => Arc::try_unwrap(tx).map_err(|_| {
                DbErr::Custom("a unit of work ended while a handle on it was kept".to_owned())
            }),
            Inner::Pool(..) => Err(DbErr::Custom("not a unit of work".to_owned())),
        }
    }

    /// Commit a transaction from [`Conn::begin_write`] (a savepoint inside a unit of work).
    pub(crate) async fn commit(self) -> Result<(), DbErr> {
        self.into_transaction()?.commit().await
    }

    /// A statement outside a transaction wrote (and so committed) on the writers' connection.
    fn wrote(&self) {
        if let Some(checkpoints) = &self.checkpoints {
            checkpoints.committed();
        }
    }

    fn before(&self, sql: &str) -> Result<(), DbErr> {
        counted();
        self.faults.check(sql)
    }
}

/// The connection pool at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolFigures {
    /// Connections open, idle or in use.
    pub open: u32,
    /// Open connections waiting for a statement.
    pub idle: u32,
    /// Open connections lent out (a statement or a transaction is using them).
    pub in_use: u32,
    /// The most connections the pool opens.
    pub max: u32,
}

impl PoolFigures {
    fn of<DB: sea_orm::sqlx::Database>(pool: &sea_orm::sqlx::Pool<DB>) -> Self {
        let open = pool.size();
        let idle = u32::try_from(pool.num_idle()).unwrap_or(u32::MAX).min(open);
        PoolFigures {
            open,
            idle,
            in_use: open - idle,
            max: pool.options().get_max_connections(),
        }
    }
}

impl Store {
    /// The pool's figures, read from the pool without a statement; `None` inside a unit of
    /// work (it holds one connection, not the pool).
    pub fn pool_figures(&self) -> Option<PoolFigures> {
        let db = self.db.pool_handle()?;
        // Matched by variant: sea-orm's `get_*_connection_pool` panic on the other kinds.
        match &db.inner {
            DatabaseConnectionType::SqlxSqlitePoolConnection(_) => {
                Some(PoolFigures::of(db.get_sqlite_connection_pool()))
            }
            DatabaseConnectionType::SqlxPostgresPoolConnection(_) => {
                Some(PoolFigures::of(db.get_postgres_connection_pool()))
            }
            _ => None,
        }
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Conn {
    fn get_database_backend(&self) -> DbBackend {
        match &self.inner {
            Inner::Pool(db, _) => db.get_database_backend(),
            Inner::Tx(held) => held.tx.get_database_backend(),
        }
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        captured(&stmt);
        self.before(&stmt.sql)?;
        match &self.inner {
            Inner::Pool(db, writer) => match self.turn_for(&stmt.sql).await? {
                Some(_turn) => {
                    let done = writer.as_ref().unwrap_or(db).execute_raw(stmt).await;
                    self.wrote();
                    done
                }
                None => db.execute_raw(stmt).await,
            },
            Inner::Tx(held) => held.tx.execute_raw(stmt).await,
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.before(sql)?;
        match &self.inner {
            Inner::Pool(db, writer) => match self.turn_for(sql).await? {
                Some(_turn) => {
                    let done = writer.as_ref().unwrap_or(db).execute_unprepared(sql).await;
                    self.wrote();
                    done
                }
                None => db.execute_unprepared(sql).await,
            },
            Inner::Tx(held) => held.tx.execute_unprepared(sql).await,
        }
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        captured(&stmt);
        self.before(&stmt.sql)?;
        match &self.inner {
            Inner::Pool(db, writer) => match self.turn_for(&stmt.sql).await? {
                Some(_turn) => {
                    let done = writer.as_ref().unwrap_or(db).query_one_raw(stmt).await;
                    self.wrote();
                    done
                }
                None => db.query_one_raw(stmt).await,
            },
            Inner::Tx(held) => held.tx.query_one_raw(stmt).await,
        }
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        captured(&stmt);
        self.before(&stmt.sql)?;
        match &self.inner {
            Inner::Pool(db, writer) => match self.turn_for(&stmt.sql).await? {
                Some(_turn) => {
                    let done = writer.as_ref().unwrap_or(db).query_all_raw(stmt).await;
                    self.wrote();
                    done
                }
                None => db.query_all_raw(stmt).await,
            },
            Inner::Tx(held) => held.tx.query_all_raw(stmt).await,
        }
    }

    fn support_returning(&self) -> bool {
        match &self.inner {
            Inner::Pool(db, _) => db.support_returning(),
            Inner::Tx(held) => held.tx.support_returning(),
        }
    }
}
