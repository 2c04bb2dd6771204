//! The event log's context: every event says which attempt and which need it is about, which
//! enrolment it belongs to (`registration`, a UUID kept on the enrolment, as xAPI will use it)
//! and in which group it happened. Rows from before are filled from what is already known.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    AttemptId,
    NeedId,
    Registration,
    GroupId,
}

#[derive(DeriveIden)]
enum Enrolments {
    Table,
    Registration,
}

/// A random (version 4) UUID per row, in each backend's own words.
const SQLITE_FILL_REGISTRATIONS: &str = "UPDATE enrolments SET registration = \
    lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || \
    substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || \
    substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) \
    WHERE registration IS NULL";
const POSTGRES_FILL_REGISTRATIONS: &str =
    "UPDATE enrolments SET registration = gen_random_uuid()::text WHERE registration IS NULL";

/// Events about a course get its owning group and, when the person is enrolled, the
/// enrolment's registration; attempt events get the attempt their details name.
const FILL_EVENTS: &str = "UPDATE events SET \
    group_id = (SELECT c.group_id FROM courses c WHERE c.id = events.course_id), \
    registration = (SELECT e.registration FROM enrolments e \
                    WHERE e.user_id = events.user_id AND e.course_id = events.course_id) \
    WHERE course_id IS NOT NULL";
const SQLITE_FILL_ATTEMPTS: &str = "UPDATE events SET \
    attempt_id = CAST(json_extract(data, '$.attempt') AS INTEGER) \
    WHERE verb IN ('started-attempt', 'answered', 'submitted-attempt') \
    AND json_valid(data) AND json_extract(data, '$.attempt') IS NOT NULL";
const POSTGRES_FILL_ATTEMPTS: &str = "UPDATE events SET \
    attempt_id = (data::jsonb ->> 'attempt')::bigint \
    WHERE verb IN ('started-attempt', 'answered', 'submitted-attempt') \
    AND data IS NOT NULL AND data::jsonb ? 'attempt'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        for column in [
            big_integer_null(Events::AttemptId),
            big_integer_null(Events::NeedId),
            string_null(Events::Registration),
            big_integer_null(Events::GroupId),
        ] {
            let mut column = column;
            m.alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(&mut column)
                    .take(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Enrolments::Table)
                .add_column(string_null(Enrolments::Registration))
                .take(),
        )
        .await?;
        let db = m.get_connection();
        let (fill_registrations, fill_attempts) = match m.get_database_backend() {
            DbBackend::Sqlite => (SQLITE_FILL_REGISTRATIONS, SQLITE_FILL_ATTEMPTS),
            _ => (POSTGRES_FILL_REGISTRATIONS, POSTGRES_FILL_ATTEMPTS),
        };
        db.execute_unprepared(fill_registrations).await?;
        db.execute_unprepared(FILL_EVENTS).await?;
        db.execute_unprepared(fill_attempts).await?;
        m.create_index(
            Index::create()
                .name("enrolments_registration")
                .table(Enrolments::Table)
                .col(Enrolments::Registration)
                .unique()
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("events_need")
                .table(Events::Table)
                .col(Events::NeedId)
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("events_registration")
                .table(Events::Table)
                .col(Events::Registration)
                .take(),
        )
        .await?;
        Ok(())
    }
}
