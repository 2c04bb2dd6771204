//! The feedback loop: reactions on steps, discussion threads and posts (with the history of
//! edited posts), suggested edits, notifications with each person's mail choices, and the
//! background job queue that sends mail.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

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
enum Reactions {
    Table,
    Id,
    CourseId,
    VersionNumber,
    StepKey,
    UserId,
    Kind,
    Comment,
    CreatedAt,
    Status,
    ResolutionNote,
    FixedInVersion,
    ResolvedBy,
    ResolvedAt,
}

#[derive(DeriveIden)]
enum Threads {
    Table,
    Id,
    CourseId,
    StepKey,
    Title,
    CreatedBy,
    CreatedAt,
    LastPostAt,
    ReplyCount,
    AcceptedPostId,
    Locked,
    Hidden,
    HiddenBy,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
    ThreadId,
    AuthorId,
    Body,
    CreatedAt,
    EditedAt,
    DeletedAt,
    Hidden,
    HiddenBy,
}

#[derive(DeriveIden)]
enum PostRevisions {
    Table,
    Id,
    PostId,
    Body,
    EditedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SuggestedEdits {
    Table,
    Id,
    CourseId,
    StepKey,
    BaseVersion,
    BaseTitle,
    BaseBody,
    ProposedBody,
    Reason,
    ProposerId,
    CreatedAt,
    Status,
    DecidedBy,
    DecidedAt,
    DecisionNote,
    AcceptedBody,
    AcceptedIntoVersion,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    Kind,
    Title,
    Body,
    Link,
    ActorId,
    CreatedAt,
    ReadAt,
    MailMode,
    MailedAt,
}

#[derive(DeriveIden)]
enum NotificationPrefs {
    Table,
    Id,
    UserId,
    Kind,
    Mode,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    Payload,
    RunAt,
    Attempts,
    MaxAttempts,
    LockedUntil,
    LastError,
    DoneAt,
    FailedAt,
    CreatedAt,
}

fn index(
    name: &str,
    table: impl IntoIden,
    cols: Vec<DynIden>,
    unique: bool,
) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    if unique {
        i.unique();
    }
    i.take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Reactions::Table)
                .col(big_pk_auto(Reactions::Id))
                .col(big_integer(Reactions::CourseId))
                .col(integer(Reactions::VersionNumber))
                .col(string(Reactions::StepKey))
                .col(big_integer(Reactions::UserId))
                .col(string(Reactions::Kind))
                .col(text_null(Reactions::Comment))
                .col(timestamp_with_time_zone(Reactions::CreatedAt))
                // `open`, `answered`, `fixed` or `dismissed` for negative kinds; null for positive.
                .col(string_null(Reactions::Status))
                .col(text_null(Reactions::ResolutionNote))
                .col(integer_null(Reactions::FixedInVersion))
                .col(big_integer_null(Reactions::ResolvedBy))
                .col(timestamp_with_time_zone_null(Reactions::ResolvedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Reactions::Table, Reactions::CourseId)
                        .to(Courses::Table, Courses::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Reactions::Table, Reactions::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "reactions_one_per_kind",
            Reactions::Table,
            vec![
                Reactions::CourseId.into_iden(),
                Reactions::VersionNumber.into_iden(),
                Reactions::StepKey.into_iden(),
                Reactions::UserId.into_iden(),
                Reactions::Kind.into_iden(),
            ],
            true,
        ))
        .await?;
        m.create_index(index(
            "reactions_course_status",
            Reactions::Table,
            vec![
                Reactions::CourseId.into_iden(),
                Reactions::Status.into_iden(),
            ],
            false,
        ))
        .await?;
        m.create_index(index(
            "reactions_user",
            Reactions::Table,
            vec![
                Reactions::UserId.into_iden(),
                Reactions::CreatedAt.into_iden(),
            ],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Threads::Table)
                .col(big_pk_auto(Threads::Id))
                .col(big_integer(Threads::CourseId))
                .col(string_null(Threads::StepKey))
                .col(string(Threads::Title))
                .col(big_integer(Threads::CreatedBy))
                .col(timestamp_with_time_zone(Threads::CreatedAt))
                .col(timestamp_with_time_zone(Threads::LastPostAt))
                .col(integer(Threads::ReplyCount).default(0))
                .col(big_integer_null(Threads::AcceptedPostId))
                .col(boolean(Threads::Locked).default(false))
                .col(boolean(Threads::Hidden).default(false))
                .col(big_integer_null(Threads::HiddenBy))
                .foreign_key(
                    ForeignKey::create()
                        .from(Threads::Table, Threads::CourseId)
                        .to(Courses::Table, Courses::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "threads_course_step",
            Threads::Table,
            vec![Threads::CourseId.into_iden(), Threads::StepKey.into_iden()],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Posts::Table)
                .col(big_pk_auto(Posts::Id))
                .col(big_integer(Posts::ThreadId))
                .col(big_integer(Posts::AuthorId))
                .col(text(Posts::Body))
                .col(timestamp_with_time_zone(Posts::CreatedAt))
                .col(timestamp_with_time_zone_null(Posts::EditedAt))
                .col(timestamp_with_time_zone_null(Posts::DeletedAt))
                .col(boolean(Posts::Hidden).default(false))
                .col(big_integer_null(Posts::HiddenBy))
                .foreign_key(
                    ForeignKey::create()
                        .from(Posts::Table, Posts::ThreadId)
                        .to(Threads::Table, Threads::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "posts_thread",
            Posts::Table,
            vec![Posts::ThreadId.into_iden(), Posts::Id.into_iden()],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(PostRevisions::Table)
                .col(big_pk_auto(PostRevisions::Id))
                .col(big_integer(PostRevisions::PostId))
                .col(text(PostRevisions::Body))
                .col(big_integer(PostRevisions::EditedBy))
                .col(timestamp_with_time_zone(PostRevisions::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(PostRevisions::Table, PostRevisions::PostId)
                        .to(Posts::Table, Posts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "post_revisions_post",
            PostRevisions::Table,
            vec![PostRevisions::PostId.into_iden()],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(SuggestedEdits::Table)
                .col(big_pk_auto(SuggestedEdits::Id))
                .col(big_integer(SuggestedEdits::CourseId))
                .col(string(SuggestedEdits::StepKey))
                .col(integer(SuggestedEdits::BaseVersion))
                .col(string(SuggestedEdits::BaseTitle))
                .col(text(SuggestedEdits::BaseBody))
                .col(text(SuggestedEdits::ProposedBody))
                .col(text(SuggestedEdits::Reason))
                .col(big_integer(SuggestedEdits::ProposerId))
                .col(timestamp_with_time_zone(SuggestedEdits::CreatedAt))
                // `open`, `accepted` or `declined`.
                .col(string(SuggestedEdits::Status).default("open"))
                .col(big_integer_null(SuggestedEdits::DecidedBy))
                .col(timestamp_with_time_zone_null(SuggestedEdits::DecidedAt))
                .col(text_null(SuggestedEdits::DecisionNote))
                .col(text_null(SuggestedEdits::AcceptedBody))
                .col(integer_null(SuggestedEdits::AcceptedIntoVersion))
                .foreign_key(
                    ForeignKey::create()
                        .from(SuggestedEdits::Table, SuggestedEdits::CourseId)
                        .to(Courses::Table, Courses::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "suggested_edits_course",
            SuggestedEdits::Table,
            vec![
                SuggestedEdits::CourseId.into_iden(),
                SuggestedEdits::Status.into_iden(),
            ],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Notifications::Table)
                .col(big_pk_auto(Notifications::Id))
                .col(big_integer(Notifications::UserId))
                .col(string(Notifications::Kind))
                .col(string(Notifications::Title))
                .col(text(Notifications::Body))
                .col(string(Notifications::Link))
                .col(big_integer_null(Notifications::ActorId))
                .col(timestamp_with_time_zone(Notifications::CreatedAt))
                .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                // `instant` or `digest` while mail is owed; null when no mail is wanted.
                .col(string_null(Notifications::MailMode))
                .col(timestamp_with_time_zone_null(Notifications::MailedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Notifications::Table, Notifications::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "notifications_user_read",
            Notifications::Table,
            vec![
                Notifications::UserId.into_iden(),
                Notifications::ReadAt.into_iden(),
            ],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(NotificationPrefs::Table)
                .col(big_pk_auto(NotificationPrefs::Id))
                .col(big_integer(NotificationPrefs::UserId))
                .col(string(NotificationPrefs::Kind))
                // `instant`, `digest` or `never`.
                .col(string(NotificationPrefs::Mode))
                .foreign_key(
                    ForeignKey::create()
                        .from(NotificationPrefs::Table, NotificationPrefs::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "notification_prefs_user_kind",
            NotificationPrefs::Table,
            vec![
                NotificationPrefs::UserId.into_iden(),
                NotificationPrefs::Kind.into_iden(),
            ],
            true,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Jobs::Table)
                .col(big_pk_auto(Jobs::Id))
                .col(string(Jobs::Kind))
                .col(text(Jobs::Payload))
                .col(timestamp_with_time_zone(Jobs::RunAt))
                .col(integer(Jobs::Attempts).default(0))
                .col(integer(Jobs::MaxAttempts))
                .col(timestamp_with_time_zone_null(Jobs::LockedUntil))
                .col(text_null(Jobs::LastError))
                .col(timestamp_with_time_zone_null(Jobs::DoneAt))
                .col(timestamp_with_time_zone_null(Jobs::FailedAt))
                .col(timestamp_with_time_zone(Jobs::CreatedAt))
                .take(),
        )
        .await?;
        m.create_index(index(
            "jobs_due",
            Jobs::Table,
            vec![
                Jobs::DoneAt.into_iden(),
                Jobs::FailedAt.into_iden(),
                Jobs::RunAt.into_iden(),
            ],
            false,
        ))
        .await?;
        Ok(())
    }
}
