//! Course health as stored figures: one row per course with the inputs of its health, kept
//! up to date by the use cases that change them, so "needs attention" is one query.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CourseHealth {
    Table,
    CourseId,
    /// Positive and negative reactions, and people who viewed a step (the reaction score).
    Positive,
    Negative,
    Viewers,
    /// Open "outdated" reactions.
    OpenOutdated,
    /// Open "question" reactions plus unanswered threads.
    Unanswered,
    /// Evaluation questions of the newest version with an item-analysis flag.
    FlaggedItems,
    /// Suggested edits waiting for a decision.
    OpenSuggestions,
    /// Unix seconds when the newest version was published: the age part of health depends
    /// on the clock, so it is worked out when the figures are read (in SQL for the order).
    ReviewedAtSecs,
    /// Points of health lost to everything but age, and health when computed.
    LostPoints,
    Score,
    ComputedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Existing databases get their rows at start-up (`App::fill_course_health`): the
        // flagged items come from the item analysis, which is Rust, not SQL.
        m.create_table(
            Table::create()
                .table(CourseHealth::Table)
                .col(big_integer(CourseHealth::CourseId).primary_key())
                .col(big_integer(CourseHealth::Positive).default(0))
                .col(big_integer(CourseHealth::Negative).default(0))
                .col(big_integer(CourseHealth::Viewers).default(0))
                .col(big_integer(CourseHealth::OpenOutdated).default(0))
                .col(big_integer(CourseHealth::Unanswered).default(0))
                .col(big_integer(CourseHealth::FlaggedItems).default(0))
                .col(big_integer(CourseHealth::OpenSuggestions).default(0))
                .col(big_integer_null(CourseHealth::ReviewedAtSecs))
                .col(big_integer(CourseHealth::LostPoints).default(0))
                .col(big_integer(CourseHealth::Score).default(100))
                .col(timestamp_with_time_zone(CourseHealth::ComputedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(CourseHealth::Table, CourseHealth::CourseId)
                        .to(Courses::Table, Courses::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CourseHealth::Table).take())
            .await?;
        Ok(())
    }
}
