//! The database's own plan for a statement, for tests that hold the hot queries to indexes on
//! both backends: SQLite's `EXPLAIN QUERY PLAN`, and PostgreSQL's `EXPLAIN` with sequential
//! scans discouraged (`enable_seqscan = off`), so that a `Seq Scan` left in the plan means no
//! index could serve it, whatever the size of the test's tables.

use sea_orm::{ConnectionTrait, Statement};

use crate::{Backend, Store, StoreResult};

impl Store {
    /// The plan of `stmt`, one line per step, as the database prints it.
    pub async fn query_plan(&self, stmt: &Statement) -> StoreResult<Vec<String>> {
        let values = stmt
            .values
            .as_ref()
            .map(|v| v.0.clone())
            .unwrap_or_default();
        match self.backend {
            Backend::Sqlite => {
                let plan = self.raw(&format!("EXPLAIN QUERY PLAN {}", stmt.sql), values);
                let rows = self.db.query_all_raw(plan).await?;
                rows.iter()
                    .map(|r| Ok(r.try_get::<String>("", "detail")?))
                    .collect()
            }
            Backend::Postgres => {
                let work = self.begin_work().await?;
                work.db
                    .execute_unprepared("SET LOCAL enable_seqscan = off")
                    .await?;
                let plan = self.raw(&format!("EXPLAIN {}", stmt.sql), values);
                let rows = work.db.query_all_raw(plan).await?;
                // Dropped without committing: rolled back, the setting with it.
                rows.iter()
                    .map(|r| Ok(r.try_get::<String>("", "QUERY PLAN")?))
                    .collect()
            }
        }
    }
}
