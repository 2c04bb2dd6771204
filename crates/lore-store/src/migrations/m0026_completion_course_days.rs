//! Completions per group, course and week with the whole days each took from the enrolment
//! (docs/decisions/0027): the per-course medians of the dashboards' course list, read from
//! stored counts instead of every enrolment row of the page's courses (22,000 rows for the
//! root group's ten busiest courses on the generated dataset, 70 ms on SQLite). Part of the
//! activity rollup: kept by `Store::append_event`, recomputed by `Store::rebuild_activity`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE TABLE completion_course_days (
                group_id BIGINT NOT NULL,
                course_id BIGINT NOT NULL,
                week BIGINT NOT NULL,
                days BIGINT NOT NULL,
                completions BIGINT NOT NULL,
                PRIMARY KEY (group_id, course_id, week, days))",
        )
        .await?;
        let backend = match m.get_database_backend() {
            sea_orm::DbBackend::Postgres => crate::Backend::Postgres,
            _ => crate::Backend::Sqlite,
        };
        for sql in crate::activity_rollup::course_days_rebuild_sql(backend) {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
