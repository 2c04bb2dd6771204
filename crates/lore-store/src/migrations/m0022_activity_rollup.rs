//! The activity rollup of the coach and group dashboards (docs/decisions/0027): who did a
//! learning action in which week, per person and per group (a person counts for every group
//! they were in, and every group above those, when they first acted that week), and course
//! completions per group and week with the days each took. Kept by `Store::append_event`
//! in the event's own transaction; `Store::rebuild_activity` recomputes it from the events.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Weeks are the Unix day number of their Monday (UTC); days are whole days.
const TABLES: &[&str] = &[
    "CREATE TABLE activity_weeks (
        week BIGINT NOT NULL,
        user_id BIGINT NOT NULL,
        PRIMARY KEY (week, user_id))",
    "CREATE TABLE activity_group_weeks (
        group_id BIGINT NOT NULL,
        week BIGINT NOT NULL,
        user_id BIGINT NOT NULL,
        PRIMARY KEY (group_id, week, user_id))",
    "CREATE TABLE activity_group_counts (
        group_id BIGINT NOT NULL,
        week BIGINT NOT NULL,
        active BIGINT NOT NULL,
        PRIMARY KEY (group_id, week))",
    "CREATE TABLE course_group_weeks (
        group_id BIGINT NOT NULL,
        week BIGINT NOT NULL,
        course_id BIGINT NOT NULL,
        completions BIGINT NOT NULL,
        attempts BIGINT NOT NULL,
        PRIMARY KEY (group_id, week, course_id))",
    "CREATE TABLE completion_group_days (
        group_id BIGINT NOT NULL,
        week BIGINT NOT NULL,
        days BIGINT NOT NULL,
        completions BIGINT NOT NULL,
        PRIMARY KEY (group_id, week, days))",
    // The dashboards' reads of stored rows by date: completions per course, attempts per course.
    "CREATE INDEX enrolments_course_completed ON enrolments (course_id, completed_at)",
    "CREATE INDEX attempts_course_submitted ON attempts (course_id, submitted_at)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for sql in TABLES {
            db.execute_unprepared(sql).await?;
        }
        // A database with events gets its rollup now, once (a minute for ten million events).
        let backend = match m.get_database_backend() {
            sea_orm::DbBackend::Postgres => crate::Backend::Postgres,
            _ => crate::Backend::Sqlite,
        };
        for sql in crate::activity_rollup::rebuild_sql(backend) {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
