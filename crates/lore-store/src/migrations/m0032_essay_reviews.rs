//! Reviews of open answers (essays, docs/decisions/0043): one row per attempt and question,
//! with the reviewer, the points given per criterion of the rubric, the comment and the
//! question's score. Unique per (attempt, question), so an answer is reviewed once.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum EssayReviews {
    Table,
    Id,
    AttemptId,
    QuestionKey,
    ReviewerId,
    /// JSON array of points, in the rubric's order.
    Points,
    Comment,
    Score,
    MaxScore,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(EssayReviews::Table)
                .col(big_pk_auto(EssayReviews::Id))
                .col(big_integer(EssayReviews::AttemptId))
                .col(string(EssayReviews::QuestionKey))
                .col(big_integer(EssayReviews::ReviewerId))
                .col(text(EssayReviews::Points))
                .col(text(EssayReviews::Comment))
                .col(double(EssayReviews::Score))
                .col(double(EssayReviews::MaxScore))
                .col(timestamp_with_time_zone(EssayReviews::CreatedAt))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("essay_reviews_once")
                .table(EssayReviews::Table)
                .col(EssayReviews::AttemptId)
                .col(EssayReviews::QuestionKey)
                .unique()
                .take(),
        )
        .await?;
        // The queue reads submitted attempts of a course still waiting (passed unknown).
        m.create_index(
            Index::create()
                .name("attempts_waiting_review")
                .table(Alias::new("attempts"))
                .col(Alias::new("course_id"))
                .col(Alias::new("passed"))
                .take(),
        )
        .await?;
        Ok(())
    }
}
