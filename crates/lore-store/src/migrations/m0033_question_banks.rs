//! Question banks (docs/decisions/0044): a group's banks and their questions, a course
//! version's draw from a bank, and the questions each attempt drew, kept with it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CourseVersions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Attempts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum QuestionBanks {
    Table,
    Id,
    GroupId,
    Name,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BankQuestions {
    Table,
    Id,
    BankId,
    QuestionKey,
    Topic,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EvaluationDraws {
    Table,
    Id,
    VersionId,
    BankId,
    Topic,
    Count,
}

#[derive(DeriveIden)]
enum AttemptQuestions {
    Table,
    Id,
    AttemptId,
    Position,
    BankQuestionId,
    QuestionKey,
    Body,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(QuestionBanks::Table)
                .col(big_pk_auto(QuestionBanks::Id))
                .col(big_integer(QuestionBanks::GroupId))
                .col(string(QuestionBanks::Name))
                .col(big_integer_null(QuestionBanks::CreatedBy))
                .col(timestamp_with_time_zone(QuestionBanks::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(QuestionBanks::Table, QuestionBanks::GroupId)
                        .to(Groups::Table, Groups::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("question_banks_group_name")
                .table(QuestionBanks::Table)
                .col(QuestionBanks::GroupId)
                .col(QuestionBanks::Name)
                .unique()
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(BankQuestions::Table)
                .col(big_pk_auto(BankQuestions::Id))
                .col(big_integer(BankQuestions::BankId))
                .col(string(BankQuestions::QuestionKey))
                .col(string(BankQuestions::Topic).default(""))
                .col(text(BankQuestions::Body))
                .col(timestamp_with_time_zone(BankQuestions::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(BankQuestions::Table, BankQuestions::BankId)
                        .to(QuestionBanks::Table, QuestionBanks::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("bank_questions_bank_topic")
                .table(BankQuestions::Table)
                .col(BankQuestions::BankId)
                .col(BankQuestions::Topic)
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("bank_questions_key")
                .table(BankQuestions::Table)
                .col(BankQuestions::QuestionKey)
                .unique()
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(EvaluationDraws::Table)
                .col(big_pk_auto(EvaluationDraws::Id))
                .col(big_integer_uniq(EvaluationDraws::VersionId))
                .col(big_integer(EvaluationDraws::BankId))
                .col(string_null(EvaluationDraws::Topic))
                .col(integer(EvaluationDraws::Count))
                .foreign_key(
                    ForeignKey::create()
                        .from(EvaluationDraws::Table, EvaluationDraws::VersionId)
                        .to(CourseVersions::Table, CourseVersions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(EvaluationDraws::Table, EvaluationDraws::BankId)
                        .to(QuestionBanks::Table, QuestionBanks::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;

        // The drawn question is copied whole: the attempt keeps what it showed and scored even
        // if the bank's question changes later. No foreign key to `bank_questions` for that
        // reason; the id serves the analysis across courses.
        m.create_table(
            Table::create()
                .table(AttemptQuestions::Table)
                .col(big_pk_auto(AttemptQuestions::Id))
                .col(big_integer(AttemptQuestions::AttemptId))
                .col(integer(AttemptQuestions::Position))
                .col(big_integer_null(AttemptQuestions::BankQuestionId))
                .col(string(AttemptQuestions::QuestionKey))
                .col(text(AttemptQuestions::Body))
                .foreign_key(
                    ForeignKey::create()
                        .from(AttemptQuestions::Table, AttemptQuestions::AttemptId)
                        .to(Attempts::Table, Attempts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("attempt_questions_attempt")
                .table(AttemptQuestions::Table)
                .col(AttemptQuestions::AttemptId)
                .col(AttemptQuestions::Position)
                .unique()
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("attempt_questions_bank_question")
                .table(AttemptQuestions::Table)
                .col(AttemptQuestions::BankQuestionId)
                .take(),
        )
        .await?;
        Ok(())
    }
}
