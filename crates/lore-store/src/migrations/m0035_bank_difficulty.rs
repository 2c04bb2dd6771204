//! A bank question's difficulty (docs/decisions/0047): each drawn question of a submitted
//! attempt says whether it was answered right (`attempt_questions.correct`, `NULL` until the
//! attempt is scored), each bank question keeps how many scored attempts drew it and how many
//! answered it right (recounted from those rows when an attempt is submitted), and a draw may
//! ask for one difficulty band (`evaluation_draws.difficulty`: `easy`, `medium`, `hard`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BankQuestions {
    Table,
    Answered,
    AnsweredRight,
}

#[derive(DeriveIden)]
enum AttemptQuestions {
    Table,
    Correct,
}

#[derive(DeriveIden)]
enum EvaluationDraws {
    Table,
    Difficulty,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        m.alter_table(
            Table::alter()
                .table(BankQuestions::Table)
                .add_column(big_integer(BankQuestions::Answered).default(0))
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(BankQuestions::Table)
                .add_column(big_integer(BankQuestions::AnsweredRight).default(0))
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(AttemptQuestions::Table)
                .add_column(boolean_null(AttemptQuestions::Correct))
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(EvaluationDraws::Table)
                .add_column(string_null(EvaluationDraws::Difficulty))
                .take(),
        )
        .await?;
        Ok(())
    }
}
