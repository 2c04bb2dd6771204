//! The job queue: background work any server may run, retried with back-off.

use sea_orm::{ActiveModelTrait, Set};

use crate::entities::jobs;
use crate::{Store, StoreResult, Timestamp};

pub type JobRow = jobs::Model;

impl Store {
    /// Queue a job to run at `run_at` (or as soon as a worker is free after it).
    pub async fn enqueue_job(
        &self,
        kind: &str,
        payload: String,
        run_at: Timestamp,
        max_attempts: i32,
        now: Timestamp,
    ) -> StoreResult<JobRow> {
        Ok(jobs::ActiveModel {
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
        .insert(&self.db)
        .await?)
    }
}
