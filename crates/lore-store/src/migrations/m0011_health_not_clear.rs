//! Open *not clear* reactions become an input of course health, stored per course beside the
//! open *outdated* flags and the unanswered questions.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CourseHealth {
    Table,
    /// Open "unclear" reactions.
    OpenNotClear,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(CourseHealth::Table)
                .add_column(big_integer(CourseHealth::OpenNotClear).default(0))
                .take(),
        )
        .await?;
        // Every stored row was counted without the new input, and its points lost and score
        // follow from all inputs through the health formula, which is Rust. The rows are only
        // figures derived from the feedback, so they go, and start-up recounts every published
        // course (`App::fill_course_health`) before anything reads them.
        m.get_connection()
            .execute_unprepared("DELETE FROM course_health")
            .await?;
        Ok(())
    }
}
