//! The job queue: background work any server may run, retried with back-off.
//!
//! A worker *claims* a due job by setting `locked_until` (its lease) in one `UPDATE …
//! RETURNING`, whose inner `SELECT` takes `FOR UPDATE SKIP LOCKED` on PostgreSQL: two
//! servers never get the same job, and neither waits for the other. SQLite has one writer,
//! so the same statement is atomic there without the lock clause (sea-query leaves it out).
//! A worker that dies holding a job loses it when the lease ends; another takes it over.

use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::entities::jobs;
use crate::{Store, StoreResult, Timestamp};

pub type JobRow = jobs::Model;

/// A job to queue alongside another change (see `Store::queue_digests`).
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: &'static str,
    pub payload: String,
    pub max_attempts: i32,
}

/// Which jobs an operator asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobFilter {
    /// Waiting to run, running, or waiting for a retry.
    Pending,
    /// Given up after their last attempt.
    Failed,
}

/// The queue at one moment, for operators' dashboards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobFigures {
    /// Due now and held by no worker: what a free worker would take next.
    pub waiting: u64,
    /// Given up after their last attempt (kept with their error).
    pub failed: u64,
}

impl Store {
    /// How many jobs wait and how many failed for good: one `COUNT` each, both on the
    /// `jobs_due` index (`done_at`, `failed_at`, `run_at`).
    pub async fn job_figures(&self, now: Timestamp) -> StoreResult<JobFigures> {
        let waiting = jobs::Entity::find()
            .filter(jobs::Column::DoneAt.is_null())
            .filter(jobs::Column::FailedAt.is_null())
            .filter(jobs::Column::RunAt.lte(now))
            .filter(
                jobs::Column::LockedUntil
                    .is_null()
                    .or(jobs::Column::LockedUntil.lt(now)),
            )
            .count(&self.db)
            .await?;
        let failed = jobs::Entity::find()
            .filter(jobs::Column::DoneAt.is_null())
            .filter(jobs::Column::FailedAt.is_not_null())
            .count(&self.db)
            .await?;
        Ok(JobFigures { waiting, failed })
    }

    /// Queue a job to run at `run_at` (or as soon as a worker is free after it).
    pub async fn enqueue_job(
        &self,
        kind: &str,
        payload: String,
        run_at: Timestamp,
        max_attempts: i32,
        now: Timestamp,
    ) -> StoreResult<JobRow> {
        Ok(new_job(kind, payload, run_at, max_attempts, now)
            .insert(&self.db)
            .await?)
    }

    /// Take the next due job for this worker until `lease_until`, counting the attempt.
    /// `None` when nothing is due (or every due job is held by another worker).
    pub async fn claim_job(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> StoreResult<Option<JobRow>> {
        let free = || {
            Expr::col(jobs::Column::LockedUntil)
                .is_null()
                .or(Expr::col(jobs::Column::LockedUntil).lt(now))
        };
        let next = Query::select()
            .column(jobs::Column::Id)
            .from(jobs::Entity)
            .and_where(Expr::col(jobs::Column::DoneAt).is_null())
            .and_where(Expr::col(jobs::Column::FailedAt).is_null())
            .and_where(Expr::col(jobs::Column::RunAt).lte(now))
            .and_where(free())
            .order_by(jobs::Column::RunAt, sea_orm::Order::Asc)
            .order_by(jobs::Column::Id, sea_orm::Order::Asc)
            .limit(1)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .to_owned();
        // `id = (SELECT … LIMIT 1)`, a scalar subquery that runs once. With `id IN (SELECT …)`
        // PostgreSQL claimed several due jobs in one statement (each run of the subquery
        // skipping to another row) and the worker ran only the first; the others sat locked
        // until their lease ran out.
        let next = sea_orm::sea_query::SimpleExpr::SubQuery(None, Box::new(next.into()));
        let claim = Query::update()
            .table(jobs::Entity)
            .value(jobs::Column::LockedUntil, lease_until)
            .value(
                jobs::Column::Attempts,
                Expr::col(jobs::Column::Attempts).add(1),
            )
            .and_where(Expr::col(jobs::Column::Id).eq(next))
            // Checked again here: on PostgreSQL a row locked and released by another worker
            // between the inner SELECT and this UPDATE is re-read before it is changed.
            .and_where(Expr::col(jobs::Column::DoneAt).is_null())
            .and_where(Expr::col(jobs::Column::FailedAt).is_null())
            .and_where(free())
            .returning_all()
            .to_owned();
        let statement = sea_orm::ConnectionTrait::get_database_backend(&self.db).build(&claim);
        Ok(jobs::Entity::find()
            .from_raw_sql(statement)
            .one(&self.db)
            .await?)
    }

    /// The job is done; it will not run again.
    pub async fn finish_job(
        &self,
        id: i64,
        note: Option<String>,
        now: Timestamp,
    ) -> StoreResult<()> {
        jobs::Entity::update_many()
            .col_expr(jobs::Column::DoneAt, Expr::value(now))
            .col_expr(jobs::Column::LockedUntil, Expr::value(None::<Timestamp>))
            .col_expr(jobs::Column::LastError, Expr::value(note))
            .filter(jobs::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// The attempt failed: run again at `retry_at`, or, when `None`, give the job up
    /// (it stays in the table with its error, for operators).
    pub async fn fail_job(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut update = jobs::Entity::update_many()
            .col_expr(jobs::Column::LockedUntil, Expr::value(None::<Timestamp>))
            .col_expr(jobs::Column::LastError, Expr::value(error.to_owned()));
        update = match retry_at {
            Some(at) => update.col_expr(jobs::Column::RunAt, Expr::value(at)),
            None => update.col_expr(jobs::Column::FailedAt, Expr::value(now)),
        };
        update
            .filter(jobs::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    pub async fn job(&self, id: i64) -> StoreResult<Option<JobRow>> {
        Ok(jobs::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// Pending or failed jobs, oldest first, for operators.
    pub async fn jobs(&self, filter: JobFilter, limit: u64) -> StoreResult<Vec<JobRow>> {
        let query = jobs::Entity::find().filter(jobs::Column::DoneAt.is_null());
        let query = match filter {
            JobFilter::Pending => query.filter(jobs::Column::FailedAt.is_null()),
            JobFilter::Failed => query.filter(jobs::Column::FailedAt.is_not_null()),
        };
        Ok(query
            .order_by_asc(jobs::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }
}

pub(crate) fn new_job(
    kind: &str,
    payload: String,
    run_at: Timestamp,
    max_attempts: i32,
    now: Timestamp,
) -> jobs::ActiveModel {
    jobs::ActiveModel {
        kind: Set(kind.to_owned()),
        payload: Set(payload),
        run_at: Set(run_at),
        attempts: Set(0),
        max_attempts: Set(max_attempts),
        locked_until: Set(None),
        last_error: Set(None),
        done_at: Set(None),
        failed_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
}
