//! The learning funnel's rollup (`funnel_marks`): one row per course, version, stage, step and
//! person, with when the person first reached it and, for a finished step, the seconds spent.
//! `Store::append_event` keeps it in the unit of work of every event; this migration fills it
//! from the events already recorded (docs/decisions/0025).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum FunnelMarks {
    Table,
    CourseId,
    VersionNumber,
    Stage,
    StepKey,
    UserId,
    FirstAt,
    Seconds,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(FunnelMarks::Table)
                .col(big_integer(FunnelMarks::CourseId))
                .col(integer(FunnelMarks::VersionNumber))
                .col(string(FunnelMarks::Stage))
                .col(string(FunnelMarks::StepKey))
                .col(big_integer(FunnelMarks::UserId))
                .col(timestamp_with_time_zone(FunnelMarks::FirstAt))
                .col(big_integer_null(FunnelMarks::Seconds))
                .primary_key(
                    Index::create()
                        .col(FunnelMarks::CourseId)
                        .col(FunnelMarks::VersionNumber)
                        .col(FunnelMarks::Stage)
                        .col(FunnelMarks::StepKey)
                        .col(FunnelMarks::UserId),
                )
                .take(),
        )
        .await?;
        // "Did this person come by assignment?" and "has this person seen these courses?".
        m.create_index(
            Index::create()
                .name("funnel_marks_stage_user")
                .table(FunnelMarks::Table)
                .col(FunnelMarks::CourseId)
                .col(FunnelMarks::Stage)
                .col(FunnelMarks::UserId)
                .take(),
        )
        .await?;
        let backend = match m.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => crate::Backend::Postgres,
            _ => crate::Backend::Sqlite,
        };
        let db = m.get_connection();
        for sql in crate::funnel_rollup::rebuild_statements(backend) {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(FunnelMarks::Table).take())
            .await
    }
}
