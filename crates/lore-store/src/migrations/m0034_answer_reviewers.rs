//! Experts an author names to review a course's open answers (essays, docs/decisions/0046):
//! one row per course and person, unique, with who named them and when.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum AnswerReviewers {
    Table,
    Id,
    CourseId,
    UserId,
    AddedBy,
    AddedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AnswerReviewers::Table)
                .col(big_pk_auto(AnswerReviewers::Id))
                .col(big_integer(AnswerReviewers::CourseId))
                .col(big_integer(AnswerReviewers::UserId))
                .col(big_integer(AnswerReviewers::AddedBy))
                .col(timestamp_with_time_zone(AnswerReviewers::AddedAt))
                .take(),
        )
        .await?;
        // Read per course with every policy check of a course; a person is named once.
        m.create_index(
            Index::create()
                .name("answer_reviewers_pair")
                .table(AnswerReviewers::Table)
                .col(AnswerReviewers::CourseId)
                .col(AnswerReviewers::UserId)
                .unique()
                .take(),
        )
        .await?;
        Ok(())
    }
}
