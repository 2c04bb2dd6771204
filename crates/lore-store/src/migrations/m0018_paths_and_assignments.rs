//! Learning paths (a draft and immutable published versions of ordered items), assignments
//! of a course or a path to people or groups, one assignee row per person reached, and the
//! hashed tokens of personal calendar feeds.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Paths {
    Table,
    Id,
    GroupId,
    Title,
    Description,
    /// `linear` or `free`, of the draft.
    OrderMode,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    /// The newest published version's number; `NULL` until the first is published.
    LatestVersion,
}

#[derive(DeriveIden)]
enum PathVersions {
    Table,
    Id,
    PathId,
    Number,
    Title,
    Description,
    OrderMode,
    /// The change list from the version before, as JSON.
    Changes,
    PublishedBy,
    PublishedAt,
}

#[derive(DeriveIden)]
enum PathItems {
    Table,
    Id,
    PathId,
    /// 0 for the draft, else the published version's number.
    VersionNumber,
    Position,
    /// `course` or `path`.
    ItemKind,
    ItemId,
    Mandatory,
    FinalEvaluation,
    /// Prerequisites: item keys (`course:12 path:3`) separated by spaces.
    After,
}

#[derive(DeriveIden)]
enum Assignments {
    Table,
    Id,
    /// `course` or `path`.
    TargetKind,
    TargetId,
    GroupId,
    UserId,
    DueAt,
    DueDays,
    /// JSON, e.g. `{"before_days":[7,1],"overdue_every_days":7}`; read by the reminder job.
    ReminderRule,
    /// Why the system assigned it (recertification, …); `NULL` for a coach's.
    Reason,
    CreatedBy,
    CreatedAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum Assignees {
    Table,
    Id,
    AssignmentId,
    UserId,
    AssignedAt,
    DueAt,
    LeftAt,
    CompletedAt,
}

#[derive(DeriveIden)]
enum CalendarTokens {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    RevokedAt,
}

fn index(name: &str, table: impl IntoIden, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(Alias::new(*c));
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
                .table(Paths::Table)
                .col(big_pk_auto(Paths::Id))
                .col(big_integer(Paths::GroupId))
                .col(string(Paths::Title))
                .col(text(Paths::Description).default(""))
                .col(string(Paths::OrderMode).default("linear"))
                .col(big_integer(Paths::CreatedBy))
                .col(timestamp_with_time_zone(Paths::CreatedAt))
                .col(timestamp_with_time_zone(Paths::UpdatedAt))
                .col(integer_null(Paths::LatestVersion))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PathVersions::Table)
                .col(big_pk_auto(PathVersions::Id))
                .col(big_integer(PathVersions::PathId))
                .col(integer(PathVersions::Number))
                .col(string(PathVersions::Title))
                .col(text(PathVersions::Description))
                .col(string(PathVersions::OrderMode))
                .col(text(PathVersions::Changes))
                .col(big_integer(PathVersions::PublishedBy))
                .col(timestamp_with_time_zone(PathVersions::PublishedAt))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PathItems::Table)
                .col(big_pk_auto(PathItems::Id))
                .col(big_integer(PathItems::PathId))
                .col(integer(PathItems::VersionNumber))
                .col(integer(PathItems::Position))
                .col(string(PathItems::ItemKind))
                .col(big_integer(PathItems::ItemId))
                .col(boolean(PathItems::Mandatory))
                .col(boolean(PathItems::FinalEvaluation).default(false))
                .col(text(PathItems::After).default(""))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Assignments::Table)
                .col(big_pk_auto(Assignments::Id))
                .col(string(Assignments::TargetKind))
                .col(big_integer(Assignments::TargetId))
                .col(big_integer_null(Assignments::GroupId))
                .col(big_integer_null(Assignments::UserId))
                .col(timestamp_with_time_zone_null(Assignments::DueAt))
                .col(integer_null(Assignments::DueDays))
                .col(text_null(Assignments::ReminderRule))
                .col(text_null(Assignments::Reason))
                .col(big_integer_null(Assignments::CreatedBy))
                .col(timestamp_with_time_zone(Assignments::CreatedAt))
                .col(timestamp_with_time_zone_null(Assignments::EndedAt))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Assignees::Table)
                .col(big_pk_auto(Assignees::Id))
                .col(big_integer(Assignees::AssignmentId))
                .col(big_integer(Assignees::UserId))
                .col(timestamp_with_time_zone(Assignees::AssignedAt))
                .col(timestamp_with_time_zone_null(Assignees::DueAt))
                .col(timestamp_with_time_zone_null(Assignees::LeftAt))
                .col(timestamp_with_time_zone_null(Assignees::CompletedAt))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CalendarTokens::Table)
                .col(big_pk_auto(CalendarTokens::Id))
                .col(big_integer(CalendarTokens::UserId))
                .col(string(CalendarTokens::TokenHash))
                .col(timestamp_with_time_zone(CalendarTokens::CreatedAt))
                .col(timestamp_with_time_zone_null(CalendarTokens::RevokedAt))
                .take(),
        )
        .await?;
        for i in [
            index(
                "path_versions_number",
                PathVersions::Table,
                &["path_id", "number"],
                true,
            ),
            index(
                "path_items_version",
                PathItems::Table,
                &["path_id", "version_number", "position"],
                true,
            ),
            index(
                "path_items_item",
                PathItems::Table,
                &["item_kind", "item_id"],
                false,
            ),
            index("paths_group", Paths::Table, &["group_id"], false),
            index(
                "assignments_group",
                Assignments::Table,
                &["group_id"],
                false,
            ),
            index(
                "assignments_target",
                Assignments::Table,
                &["target_kind", "target_id"],
                false,
            ),
            index(
                "assignees_person",
                Assignees::Table,
                &["assignment_id", "user_id"],
                true,
            ),
            index("assignees_user", Assignees::Table, &["user_id"], false),
            index("assignees_due", Assignees::Table, &["due_at"], false),
            index(
                "calendar_tokens_hash",
                CalendarTokens::Table,
                &["token_hash"],
                true,
            ),
            index(
                "calendar_tokens_user",
                CalendarTokens::Table,
                &["user_id"],
                false,
            ),
        ] {
            m.create_index(i).await?;
        }
        Ok(())
    }
}
