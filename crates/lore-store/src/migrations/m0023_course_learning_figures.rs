//! Learning figures stored per course (submitted attempts, the sum of their scores in per
//! cent, passes, completions), so knowledge gaps and experts read 2,000 rows instead of
//! aggregating every attempt and enrolment per request. Existing databases are filled here,
//! with the statement the use cases recount one course with (`learning_figures.rs`).

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
enum CourseLearningFigures {
    Table,
    CourseId,
    /// Submitted evaluation attempts.
    Attempts,
    /// Σ 100 · score / max over those attempts (0 for an attempt with nothing to score).
    ScorePercentSum,
    /// Attempts that passed.
    Passed,
    /// Enrolments completed (a restarted one counts again only when completed again).
    Completions,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CourseLearningFigures::Table)
                .col(big_integer(CourseLearningFigures::CourseId).primary_key())
                .col(big_integer(CourseLearningFigures::Attempts).default(0))
                .col(double(CourseLearningFigures::ScorePercentSum).default(0.0))
                .col(big_integer(CourseLearningFigures::Passed).default(0))
                .col(big_integer(CourseLearningFigures::Completions).default(0))
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            CourseLearningFigures::Table,
                            CourseLearningFigures::CourseId,
                        )
                        .to(Courses::Table, Courses::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(&crate::learning_figures::recount_sql("1 = 1"))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CourseLearningFigures::Table).take())
            .await?;
        Ok(())
    }
}
