//! Lore's storage: one implementation over SQLite or PostgreSQL through SeaORM.
//! Queries live here; business rules do not.

pub mod entities;
mod migrations;

mod checkpoints;
mod connection;

mod activity_rollup;
mod answer_reviewers;
mod assignments;
mod audit_log;
mod blobs;
mod bulk;
mod calendar_tokens;
mod catalogue;
mod certificates;
mod course_health;
mod courses;
mod crm_feed;
mod dashboard;
mod dashboard_people;
mod discussions;
mod enrolment_restart;
mod enrolments;
mod essay_files;
mod essay_reviews;
mod evaluations;
mod event_readers;
mod events;
mod funnel_rollup;
mod groups;
mod insights;
mod integrity;
mod jobs;
mod learning_figures;
mod links;
mod need_board;
mod need_search;
mod needs;
mod notifications;
mod outbox;
mod outcomes;
mod overview;
mod paths;
mod people_import;
mod query_plans;
mod question_banks;
mod reactions;
mod recommendations;
mod reminders;
mod reviews;
mod search;
mod sessions;
mod site_search;
mod suggested_edits;
mod tokens;
mod users;
mod visibility;
mod webhooks;
mod xapi_clients;
mod xapi_documents;
mod xapi_forwarding;
mod xapi_index_rows;
mod xapi_statement_refs;
mod xapi_statements;

pub use activity_rollup::{LEARNING_VERBS, week_of, week_start};
pub use assignments::{AssigneePerson, AssigneeRow, AssignmentRow, DueAssignee, NewAssignment};
pub use audit_log::{AuditFilter, AuditRow, NewAudit};
pub use blobs::BlobRow;
pub use bulk::DroppedIndex;
pub use catalogue::{CatalogueEnrolment, CatalogueFilter, CatalogueRow, CatalogueSort};
pub use certificates::{
    AudiencePerson, CertificateRow, CertificateRulesRow, HolderRow, NewCertificate,
};
pub use connection::{PoolFigures, capture_statements, count_statements, statements_run};
pub use course_health::{AttentionRow, AuthoredRow, HealthFigures};
pub use courses::{CourseRow, StepFields, StepRow, VersionMeta, VersionRow};
pub use crm_feed::{CRM_VERBS, CrmEventRow, EventPosition};
pub use dashboard::{AssignmentCounts, CourseCompletions, CourseFigures, PassCounts};
pub use dashboard_people::{AssigneeFilter, PersonLine};
pub use discussions::{NewThread, PostRow, RevisionRow, ThreadRow};
pub use enrolments::{EnrolmentRow, LearningLine, NewEnrolment, ProgressRow};
pub use entities::users::Model as UserRow;
pub use essay_files::EssayFileRow;
pub use essay_reviews::{EssayReviewRow, NewEssayReview};
pub use evaluations::{
    AttemptRow, EvaluationSettings, NewAttempt, QuestionRow, SettingsRow, Submission,
};
pub use event_readers::NamedEvent;
pub use events::{CourseEventContext, EventRow, NewEvent, event_json};
pub use funnel_rollup::{FunnelFilter, StoredMark};
pub use groups::{GroupRow, MemberRow};
pub use insights::{ContributionKind, ContributionRow, GroupContentRow, InsightCourseRow};
pub use integrity::IntegrityReport;
pub use jobs::{JobFigures, JobFilter, JobRow, NewJob};
pub use learning_figures::LearningFigures;
pub use links::LinkRow;
pub use needs::{
    NeedCourseRow, NeedEventRow, NeedExpertRow, NeedRow, NeedText, NeedVoteRow, NewNeed,
};
pub use notifications::{NewNotification, NotificationRow};
pub use outbox::{OutboxPosition, OutboxRow};
pub use outcomes::{OutcomeLinkRow, OutcomeMetricRow, OutcomeValueRow, PersonByEmail, ValueCounts};
pub use overview::InstanceCounts;
pub use paths::{DRAFT, PathFields, PathRow, PathVersionRow};
pub use question_banks::{
    BankFilter, BankQuestionRow, BankRow, BankSummary, CourseDrawnQuestion, DrawRow, DrawSetting,
    DrawnQuestionRow, DrawnUse, NewBankQuestion, NewDrawnQuestion,
};
pub use reactions::{NewReaction, ReactionCount, ReactionResolution, ReactionRow};
pub use recommendations::{Candidate, CandidateReason};
pub use reminders::OverdueForCoach;
pub use reviews::{CourseCheck, ReviewCommentRow, ReviewRow, StaleCourse, VerdictRow};
pub use sea_orm::{DbErr, Value};
pub use search::{MARK_END, MARK_START};
pub use sessions::{NewSession, SessionLookup, SessionRow};
pub use site_search::ThreadHit;
pub use suggested_edits::{EditDecision, NewSuggestedEdit, SuggestedEditRow};
pub use tokens::{TokenLookup, TokenRow};
pub use users::{CallerRecord, NewUser, Profile};
pub use webhooks::{
    AttemptOutcome, NewDelivery, NewWebhook, WebhookAttemptRow, WebhookDeliveryRow, WebhookRow,
};
pub use xapi_clients::XapiClientRow;
pub use xapi_documents::{XapiDocument, XapiDocumentKey};
pub use xapi_forwarding::{
    BatchOutcome, DeadLetterRow, ForwardStatement, ForwardingRow, ForwardingSettings,
    NewDeadLetter, StatementPosition,
};
pub use xapi_statements::{NewXapiStatement, StoredXapiStatement, XapiFilter};

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};
use sea_orm_migration::MigratorTrait;
use time::OffsetDateTime;

pub type Timestamp = OffsetDateTime;

/// What can go wrong in storage. `Conflict` is a unique constraint the caller may explain.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("a row with the same unique value already exists")]
    Conflict,
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

impl StoreError {
    fn from_db(e: DbErr) -> Self {
        match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict,
            _ => StoreError::Db(e),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Reads a word column into its domain enum. A word this build does not know (written by a
/// newer release, or by hand) is an error, never a guess.
pub(crate) fn word<T>(
    raw: &str,
    parse: fn(&str) -> Result<T, lore_domain::Invalid>,
) -> Result<T, DbErr> {
    parse(raw).map_err(|e| DbErr::Type(format!("unknown word in the database: {e}")))
}

/// Entity models into rows that carry domain enums.
pub(crate) fn rows<M, R: TryFrom<M, Error = DbErr>>(models: Vec<M>) -> StoreResult<Vec<R>> {
    Ok(models
        .into_iter()
        .map(R::try_from)
        .collect::<Result<_, _>>()?)
}

/// An entity model, if any, into a row that carries domain enums.
pub(crate) fn row<M, R: TryFrom<M, Error = DbErr>>(model: Option<M>) -> StoreResult<Option<R>> {
    Ok(model.map(R::try_from).transpose()?)
}

/// Which database engine is underneath.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The SeaORM backend, for statements built by hand.
    pub(crate) fn db(self) -> DbBackend {
        match self {
            Backend::Sqlite => DbBackend::Sqlite,
            Backend::Postgres => DbBackend::Postgres,
        }
    }
}

/// A handle on the database, cheap to clone: the pool, or one open unit of work (see
/// [`Store::begin_work`]), on which every method of the store runs alike.
#[derive(Clone, Debug)]
pub struct Store {
    db: connection::Conn,
    backend: Backend,
}

impl Store {
    /// Connect to `url` (`sqlite://path?mode=rwc` or `postgres://…`). SQLite gets WAL mode.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let mut options = ConnectOptions::new(url.to_owned());
        // Every statement at DEBUG (target `sqlx::query`, with its time), and any that takes
        // longer than half a second as a warning: what an operator needs to find a slow page.
        options
            .sqlx_logging(true)
            .sqlx_logging_level(log::LevelFilter::Debug)
            .sqlx_slow_statements_logging_settings(
                log::LevelFilter::Warn,
                std::time::Duration::from_millis(500),
            )
            .connect_timeout(std::time::Duration::from_secs(5))
            .acquire_timeout(std::time::Duration::from_secs(10));
        let backend = if url.starts_with("postgres") {
            // JIT compilation pays off for long analytic queries; for Lore's short ones it
            // costs 20–30 ms whenever the planner's estimate is high (recursive walks down the
            // group tree are estimated in the hundred thousands), more than the query itself.
            options
                .max_connections(20)
                .min_connections(1)
                .map_sqlx_postgres_opts(|o| o.options([("jit", "off")]));
            Backend::Postgres
        } else {
            // SQLite has one writer; a small pool avoids writers queuing on the busy timeout.
            options
                .max_connections(8)
                .min_connections(1)
                .map_sqlx_sqlite_opts(sqlite_settings);
            Backend::Sqlite
        };
        // SQLite's writers take turns anyway (`connection.rs`); giving them one connection of
        // their own keeps its page cache and prepared statements warm, where a pool hands each
        // writer a connection whose cache the last writer made stale (docs/decisions/0036).
        let writer = match backend {
            Backend::Sqlite => {
                let mut writer = options.clone();
                writer
                    .max_connections(1)
                    .min_connections(1)
                    // Its cache stays valid between transactions (no one else writes), so a
                    // larger one keeps the indexes it appends to in memory: 64 MiB. It
                    // checkpoints only if the checkpointer falls far behind (`checkpoints.rs`).
                    // Rows come from SQLite's thread through a channel that holds 50 by
                    // default: a read of a few hundred rows in the writer's turn (an xAPI
                    // group's activity definitions) then waits on that thread again and
                    // again; 4,096 lets it hand them over at once (docs/decisions/0053).
                    // sea-orm keeps one such function, so the writer's starts from the
                    // settings every connection has (before 2026-12-07 it replaced them, and
                    // the writer ran with SQLite's defaults: `synchronous = FULL`, an fsync
                    // at every commit, and statement journals in files; decision 0055).
                    .map_sqlx_sqlite_opts(|o| {
                        sqlite_settings(o)
                            .pragma("cache_size", "-65536")
                            .pragma(
                                "wal_autocheckpoint",
                                checkpoints::FALLBACK_PAGES.to_string(),
                            )
                            .row_buffer_size(4096)
                    });
                let mut checkpointer = options.clone();
                checkpointer.max_connections(1).min_connections(1);
                Some((
                    Database::connect(writer).await?,
                    Database::connect(checkpointer).await?,
                ))
            }
            Backend::Postgres => None,
        };
        let db = Database::connect(options).await?;
        let (writer, checkpoints) = match writer {
            Some((writer, checkpointer)) => (
                Some(writer),
                Some(checkpoints::Checkpoints::start(checkpointer)),
            ),
            None => (None, None),
        };
        Ok(Self {
            db: connection::Conn::pool(db, writer, checkpoints),
            backend,
        })
    }

    fn pool(&self) -> StoreResult<&DatabaseConnection> {
        self.db.pool_handle().ok_or_else(|| {
            StoreError::Db(DbErr::Custom(
                "not possible inside a unit of work".to_owned(),
            ))
        })
    }

    /// Bring the schema up to date; safe to call on every start.
    pub async fn migrate(&self) -> StoreResult<()> {
        migrations::Migrator::up(self.pool()?, None).await?;
        Ok(())
    }

    /// Migrations not yet applied, by name.
    pub async fn pending_migrations(&self) -> StoreResult<Vec<String>> {
        let pending = migrations::Migrator::get_pending_migrations(self.pool()?).await?;
        Ok(pending.iter().map(|m| m.name().to_owned()).collect())
    }

    /// Begin a unit of work: a store whose every method runs in one transaction that writes
    /// (`BEGIN IMMEDIATE` on SQLite, see [`Store::write_tx`]) until [`Store::commit`]. Inside
    /// one, `write_tx` is a savepoint of it. Dropping it without committing rolls back.
    pub async fn begin_work(&self) -> StoreResult<Store> {
        let tx = self.db.begin_write().await?;
        Ok(Store {
            db: self.db.with_transaction(tx),
            backend: self.backend,
        })
    }

    /// Is this store a unit of work?
    pub fn in_work(&self) -> bool {
        self.db.in_transaction()
    }

    /// Commit a unit of work begun with [`Store::begin_work`] (the last handle on it).
    pub async fn commit(self) -> StoreResult<()> {
        self.db.into_transaction()?.commit().await?;
        Ok(())
    }

    /// Roll back a unit of work begun with [`Store::begin_work`].
    pub async fn rollback(self) -> StoreResult<()> {
        self.db.into_transaction()?.rollback().await?;
        Ok(())
    }

    /// For tests of failure: the next statement whose SQL contains `needle` (e.g.
    /// `INSERT INTO "outbox"`) fails, on every handle of this database opened from this one.
    pub fn fail_next_statement_containing(&self, needle: &str) {
        self.db.faults().arm(needle);
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A raw statement for this store's backend (`$1`, `$2`… placeholders work on both).
    pub(crate) fn raw(&self, sql: &str, values: Vec<sea_orm::Value>) -> Statement {
        let backend = match self.backend {
            Backend::Sqlite => DbBackend::Sqlite,
            Backend::Postgres => DbBackend::Postgres,
        };
        Statement::from_sql_and_values(backend, sql, values)
    }

    /// Begin a transaction that writes. On SQLite it takes the write lock at `BEGIN`
    /// (`BEGIN IMMEDIATE`, waiting out other writers for the busy timeout): a deferred one
    /// that reads first and writes later is refused outright ("database is locked",
    /// `SQLITE_BUSY_SNAPSHOT`) when another connection wrote in between. PostgreSQL ignores
    /// the mode.
    ///
    /// Inside a unit of work it is a savepoint of the unit's transaction: the store method
    /// stays atomic on its own, and commits for good only with the unit.
    pub(crate) async fn write_tx(&self) -> Result<connection::Conn, DbErr> {
        let tx = self.db.begin_write().await?;
        Ok(self.db.with_transaction(tx))
    }

    /// A trivial round trip, for readiness checks.
    pub async fn ping(&self) -> StoreResult<()> {
        match self.db.pool_handle() {
            Some(db) => db.ping().await?,
            None => {
                self.db.execute_unprepared("SELECT 1").await?;
            }
        }
        Ok(())
    }

    /// A consistent copy of a live SQLite database into `path` (`VACUUM INTO`).
    pub async fn backup_sqlite(&self, path: &str) -> StoreResult<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Db(DbErr::Custom(
                "backup works on SQLite; use pg_dump for PostgreSQL".to_owned(),
            )));
        }
        self.db
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "VACUUM INTO $1",
                [path.into()],
            ))
            .await?;
        Ok(())
    }

    pub async fn close(self) -> StoreResult<()> {
        if let Some(checkpoints) = self.db.checkpoints() {
            checkpoints.close().await?;
        }
        if let Some(writer) = self.db.writer_handle() {
            writer.clone().close().await?;
        }
        if let Some(db) = self.db.pool_handle() {
            db.clone().close().await?;
        }
        Ok(())
    }
}

/// What the store's own tests share: a fresh SQLite database in a folder that lives as long
/// as the returned guard, not yet migrated.
/// What every SQLite connection is set to, the writer's included.
fn sqlite_settings(
    o: sea_orm::sqlx::sqlite::SqliteConnectOptions,
) -> sea_orm::sqlx::sqlite::SqliteConnectOptions {
    use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
    o.journal_mode(SqliteJournalMode::Wal)
        // In WAL mode a commit survives a crash of the process without an fsync; only a
        // power cut can lose the last commits (docs/decisions/0036).
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(std::time::Duration::from_secs(10))
        // Savepoints (a use case inside a unit of work) and multi-row statements journal the
        // pages they change in a temporary file; in memory, a batch of xAPI statements no
        // longer writes, reads and closes one (docs/decisions/0036).
        .pragma("temp_store", "memory")
        // Pages of the database file are read from a mapping rather than copied by a system
        // call each (docs/decisions/0048).
        .pragma("mmap_size", "1073741824")
}

#[cfg(test)]
mod sqlite_settings_tests {
    use sea_orm::ConnectionTrait;

    use super::test_support::fresh_sqlite;

    async fn pragma(db: &sea_orm::DatabaseConnection, name: &str) -> i64 {
        let backend = db.get_database_backend();
        db.query_one_raw(sea_orm::Statement::from_string(
            backend,
            format!("PRAGMA {name}"),
        ))
        .await
        .expect("pragma")
        .expect("a row")
        .try_get_by_index::<i64>(0)
        .expect("a number")
    }

    /// The writer's connection, which every unit of work uses, has the settings the pool's
    /// have (and its own larger cache): `synchronous = NORMAL` (1), not SQLite's FULL (2),
    /// statement journals in memory (2), and the database mapped.
    #[tokio::test]
    async fn the_writer_has_every_connections_settings() {
        let (_dir, store) = fresh_sqlite().await;
        let writer = store.db.writer_handle().expect("SQLite has a writer");
        let pool = store.pool().expect("pool");
        for db in [writer, pool] {
            assert_eq!(pragma(db, "synchronous").await, 1);
            assert_eq!(pragma(db, "temp_store").await, 2);
            assert_eq!(pragma(db, "foreign_keys").await, 1);
            assert_eq!(pragma(db, "busy_timeout").await, 10_000);
            assert_eq!(pragma(db, "mmap_size").await, 1_073_741_824);
        }
        assert_eq!(pragma(writer, "cache_size").await, -65_536);
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use sea_orm::ConnectionTrait;

    use super::Store;

    pub const NOW: time::OffsetDateTime = time::macros::datetime!(2026-11-02 09:00 UTC);

    pub async fn fresh_sqlite() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
        let store = Store::connect(&url).await.expect("connect");
        (dir, store)
    }

    /// A person and a group, for rows that need an owner: (user id, group id). Written with
    /// plain SQL and only the first migration's columns, so that tests of older migrations can
    /// use it on a database not migrated to the end.
    pub async fn owner_and_group(store: &Store) -> (i64, i64) {
        store
            .db
            .execute_raw(store.raw(
                "INSERT INTO users (email, name, platform_admin, active, created_at, updated_at) \
                 VALUES ('ada@acme.test', 'Ada', FALSE, TRUE, $1, $1)",
                vec![NOW.into()],
            ))
            .await
            .expect("user");
        let owner: i64 = store
            .db
            .query_one_raw(store.raw("SELECT id FROM users WHERE email = 'ada@acme.test'", vec![]))
            .await
            .expect("read the user")
            .expect("the user")
            .try_get("", "id")
            .expect("id");
        let group = store.insert_group(None, "Acme", NOW).await.expect("group");
        (owner, group.id)
    }
}
