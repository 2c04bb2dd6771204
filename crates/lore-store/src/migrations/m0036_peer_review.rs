//! Peer review of open answers (docs/decisions/0050): an answer may now be reviewed by
//! several people, once each (the unique index widens from (attempt, question) to (attempt,
//! question, reviewer)); each review says whether a peer gave it; a course's peer review
//! setting (how many peers, the disagreement threshold in points) has a row of its own,
//! none when peer review is off.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum EssayReviews {
    Table,
    AttemptId,
    QuestionKey,
    ReviewerId,
    ByPeer,
}

#[derive(DeriveIden, Clone, Copy)]
enum PeerReviewSettings {
    Table,
    Id,
    CourseId,
    Peers,
    Threshold,
    UpdatedBy,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("essay_reviews_once")
                .table(EssayReviews::Table)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("essay_reviews_once_each")
                .table(EssayReviews::Table)
                .col(EssayReviews::AttemptId)
                .col(EssayReviews::QuestionKey)
                .col(EssayReviews::ReviewerId)
                .unique()
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(EssayReviews::Table)
                .add_column(boolean(EssayReviews::ByPeer).default(false))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PeerReviewSettings::Table)
                .col(big_pk_auto(PeerReviewSettings::Id))
                .col(big_integer(PeerReviewSettings::CourseId))
                .col(integer(PeerReviewSettings::Peers))
                .col(double(PeerReviewSettings::Threshold))
                .col(big_integer(PeerReviewSettings::UpdatedBy))
                .col(timestamp_with_time_zone(PeerReviewSettings::UpdatedAt))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("peer_review_settings_course")
                .table(PeerReviewSettings::Table)
                .col(PeerReviewSettings::CourseId)
                .unique()
                .take(),
        )
        .await?;
        Ok(())
    }
}
