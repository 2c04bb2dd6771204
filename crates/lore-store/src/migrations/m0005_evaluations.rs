//! Evaluations: questions of a course version (in a step, or in the final evaluation),
//! the version's evaluation settings, and attempts stored whole.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CourseVersions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CourseQuestions {
    Table,
    Id,
    VersionId,
    QuestionKey,
    StepKey,
    Position,
    Body,
    Revision,
}

#[derive(DeriveIden)]
enum EvaluationSettings {
    Table,
    Id,
    VersionId,
    Mode,
    PassMark,
    MaxAttempts,
    TimeLimitMinutes,
    Shuffle,
    RequiredForCompletion,
}

#[derive(DeriveIden)]
enum Attempts {
    Table,
    Id,
    UserId,
    CourseId,
    VersionNumber,
    Mode,
    Seed,
    StartedAt,
    DeadlineAt,
    SubmittedAt,
    Answers,
    Results,
    Score,
    MaxScore,
    Passed,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CourseQuestions::Table)
                .col(big_pk_auto(CourseQuestions::Id))
                .col(big_integer(CourseQuestions::VersionId))
                .col(string(CourseQuestions::QuestionKey))
                .col(string_null(CourseQuestions::StepKey))
                .col(integer(CourseQuestions::Position))
                .col(text(CourseQuestions::Body))
                .col(big_integer(CourseQuestions::Revision).default(0))
                .foreign_key(
                    ForeignKey::create()
                        .from(CourseQuestions::Table, CourseQuestions::VersionId)
                        .to(CourseVersions::Table, CourseVersions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("course_questions_key")
                .table(CourseQuestions::Table)
                .col(CourseQuestions::VersionId)
                .col(CourseQuestions::QuestionKey)
                .unique()
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(EvaluationSettings::Table)
                .col(big_pk_auto(EvaluationSettings::Id))
                .col(big_integer_uniq(EvaluationSettings::VersionId))
                .col(string(EvaluationSettings::Mode).default("practice"))
                .col(integer(EvaluationSettings::PassMark).default(80))
                .col(integer_null(EvaluationSettings::MaxAttempts))
                .col(integer_null(EvaluationSettings::TimeLimitMinutes))
                .col(boolean(EvaluationSettings::Shuffle).default(false))
                .col(boolean(EvaluationSettings::RequiredForCompletion).default(false))
                .foreign_key(
                    ForeignKey::create()
                        .from(EvaluationSettings::Table, EvaluationSettings::VersionId)
                        .to(CourseVersions::Table, CourseVersions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Attempts::Table)
                .col(big_pk_auto(Attempts::Id))
                .col(big_integer(Attempts::UserId))
                .col(big_integer(Attempts::CourseId))
                .col(integer(Attempts::VersionNumber))
                .col(string(Attempts::Mode))
                .col(big_integer(Attempts::Seed))
                .col(timestamp_with_time_zone(Attempts::StartedAt))
                .col(timestamp_with_time_zone_null(Attempts::DeadlineAt))
                .col(timestamp_with_time_zone_null(Attempts::SubmittedAt))
                .col(text(Attempts::Answers))
                .col(text_null(Attempts::Results))
                .col(double_null(Attempts::Score))
                .col(double_null(Attempts::MaxScore))
                .col(boolean_null(Attempts::Passed))
                .foreign_key(
                    ForeignKey::create()
                        .from(Attempts::Table, Attempts::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Attempts::Table, Attempts::CourseId)
                        .to(Courses::Table, Courses::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("attempts_user_course")
                .table(Attempts::Table)
                .col(Attempts::UserId)
                .col(Attempts::CourseId)
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("attempts_course_version")
                .table(Attempts::Table)
                .col(Attempts::CourseId)
                .col(Attempts::VersionNumber)
                .take(),
        )
        .await?;
        Ok(())
    }
}
