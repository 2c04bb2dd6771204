//! Review before publishing, and keeping courses current.
//!
//! - A group may require review (`groups.review_required`): a draft of a course it owns (or a
//!   group below it owns) is submitted (`reviews`), reviewers give verdicts (`review_verdicts`,
//!   each on the draft's content as it was, by its fingerprint) and comment, pinned to a step,
//!   threaded and resolvable (`review_comments`). Named experts may review too
//!   (`course_reviewers`).
//! - Every course is checked at an interval (the course's `review_days`, else its group's,
//!   else 180 days) from its newest version or its owner's last confirmation that it is still
//!   right (`courses.confirmed_at`, `confirmed_by`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Groups {
    Table,
    ReviewRequired,
    ReviewDays,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    ReviewDays,
    ConfirmedAt,
    ConfirmedBy,
}

#[derive(DeriveIden)]
enum Reviews {
    Table,
    Id,
    CourseId,
    /// The draft's version number.
    VersionNumber,
    SubmittedBy,
    SubmittedAt,
    /// The draft's content fingerprint when it was (last) submitted.
    Fingerprint,
    /// `open`, `published` or `withdrawn`.
    State,
    ClosedAt,
}

#[derive(DeriveIden)]
enum ReviewVerdicts {
    Table,
    Id,
    ReviewId,
    ReviewerId,
    /// `approved` or `changes-requested`.
    Verdict,
    /// The content the verdict was given on.
    Fingerprint,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReviewComments {
    Table,
    Id,
    ReviewId,
    /// The step the comment is pinned to (`NULL`: the course as a whole).
    StepKey,
    /// The comment this one answers.
    ParentId,
    AuthorId,
    Body,
    CreatedAt,
    ResolvedAt,
    ResolvedBy,
}

/// Things done exactly once, whatever the number of servers: a reminder, a notice of a stale
/// course. The key names the thing and its period; the first transaction to insert it does it.
#[derive(DeriveIden)]
enum SentOnce {
    Table,
    OnceKey,
    At,
}

#[derive(DeriveIden)]
enum CourseReviewers {
    Table,
    CourseId,
    UserId,
    AddedBy,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Groups::Table)
                .add_column(boolean(Groups::ReviewRequired).default(false))
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Groups::Table)
                .add_column(integer_null(Groups::ReviewDays))
                .take(),
        )
        .await?;
        for col in [
            integer_null(Courses::ReviewDays),
            timestamp_with_time_zone_null(Courses::ConfirmedAt),
            big_integer_null(Courses::ConfirmedBy),
        ] {
            let mut col = col;
            m.alter_table(
                Table::alter()
                    .table(Courses::Table)
                    .add_column(&mut col)
                    .take(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(Reviews::Table)
                .col(big_pk_auto(Reviews::Id))
                .col(big_integer(Reviews::CourseId))
                .col(integer(Reviews::VersionNumber))
                .col(big_integer(Reviews::SubmittedBy))
                .col(timestamp_with_time_zone(Reviews::SubmittedAt))
                .col(string(Reviews::Fingerprint))
                .col(string(Reviews::State))
                .col(timestamp_with_time_zone_null(Reviews::ClosedAt))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("reviews_course_version")
                .table(Reviews::Table)
                .col(Reviews::CourseId)
                .col(Reviews::VersionNumber)
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ReviewVerdicts::Table)
                .col(big_pk_auto(ReviewVerdicts::Id))
                .col(big_integer(ReviewVerdicts::ReviewId))
                .col(big_integer(ReviewVerdicts::ReviewerId))
                .col(string(ReviewVerdicts::Verdict))
                .col(string(ReviewVerdicts::Fingerprint))
                .col(text(ReviewVerdicts::Note))
                .col(timestamp_with_time_zone(ReviewVerdicts::CreatedAt))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("review_verdicts_review")
                .table(ReviewVerdicts::Table)
                .col(ReviewVerdicts::ReviewId)
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ReviewComments::Table)
                .col(big_pk_auto(ReviewComments::Id))
                .col(big_integer(ReviewComments::ReviewId))
                .col(string_null(ReviewComments::StepKey))
                .col(big_integer_null(ReviewComments::ParentId))
                .col(big_integer(ReviewComments::AuthorId))
                .col(text(ReviewComments::Body))
                .col(timestamp_with_time_zone(ReviewComments::CreatedAt))
                .col(timestamp_with_time_zone_null(ReviewComments::ResolvedAt))
                .col(big_integer_null(ReviewComments::ResolvedBy))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("review_comments_review")
                .table(ReviewComments::Table)
                .col(ReviewComments::ReviewId)
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CourseReviewers::Table)
                .col(big_integer(CourseReviewers::CourseId))
                .col(big_integer(CourseReviewers::UserId))
                .col(big_integer(CourseReviewers::AddedBy))
                .col(timestamp_with_time_zone(CourseReviewers::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(CourseReviewers::CourseId)
                        .col(CourseReviewers::UserId),
                )
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SentOnce::Table)
                .col(string(SentOnce::OnceKey).primary_key())
                .col(timestamp_with_time_zone(SentOnce::At))
                .take(),
        )
        .await?;
        Ok(())
    }
}
