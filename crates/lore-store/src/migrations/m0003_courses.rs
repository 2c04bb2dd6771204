//! Courses with immutable published versions, steps with stable keys, co-authors, audiences,
//! enrolments with per-step progress, the append-only event log, and content-addressed blobs.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Groups {
    Table,
    AuthorMinRole,
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
    OwnerId,
    GroupId,
    Status,
    LatestVersion,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CourseVersions {
    Table,
    Id,
    CourseId,
    Number,
    State,
    Title,
    Summary,
    Language,
    Tags,
    EstimatedMinutes,
    CoverBlob,
    ChangeNote,
    Revision,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
    PublishedBy,
}

#[derive(DeriveIden)]
enum CourseSteps {
    Table,
    Id,
    VersionId,
    StepKey,
    Position,
    Kind,
    Title,
    Body,
    BlobHash,
    VideoUrl,
    Required,
    Revision,
}

#[derive(DeriveIden)]
enum CourseCoauthors {
    Table,
    Id,
    CourseId,
    UserId,
}

#[derive(DeriveIden)]
enum CourseAudiences {
    Table,
    Id,
    CourseId,
    GroupId,
}

#[derive(DeriveIden)]
enum Enrolments {
    Table,
    Id,
    UserId,
    CourseId,
    VersionNumber,
    Source,
    AssignedBy,
    DueAt,
    CreatedAt,
    StartedAt,
    CompletedAt,
    LastStepKey,
}

#[derive(DeriveIden)]
enum StepProgress {
    Table,
    Id,
    EnrolmentId,
    StepKey,
    FirstViewedAt,
    CompletedAt,
    SecondsSpent,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    UserId,
    Verb,
    CourseId,
    VersionNumber,
    StepKey,
    Data,
    OccurredAt,
}

#[derive(DeriveIden)]
enum Blobs {
    Table,
    Hash,
    Size,
    ContentType,
    OriginalName,
    CreatedAt,
}

fn fk(
    from: (impl IntoIden + 'static, impl IntoIden + 'static),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

async fn index(
    m: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden + 'static,
    cols: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    if unique {
        i.unique();
    }
    m.create_index(i).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Groups::Table)
                .add_column(string(Groups::AuthorMinRole).default("learner"))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Courses::Table)
                .col(big_pk_auto(Courses::Id))
                .col(big_integer(Courses::OwnerId))
                .col(big_integer(Courses::GroupId))
                .col(string(Courses::Status).default("active"))
                .col(integer_null(Courses::LatestVersion))
                .col(timestamp_with_time_zone(Courses::CreatedAt))
                .col(timestamp_with_time_zone(Courses::UpdatedAt))
                .foreign_key(&mut fk(
                    (Courses::Table, Courses::OwnerId),
                    (Users::Table, Users::Id),
                ))
                .take(),
        )
        .await?;
        index(
            m,
            "courses_group",
            Courses::Table,
            vec![Courses::GroupId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CourseVersions::Table)
                .col(big_pk_auto(CourseVersions::Id))
                .col(big_integer(CourseVersions::CourseId))
                .col(integer(CourseVersions::Number))
                .col(string(CourseVersions::State))
                .col(string(CourseVersions::Title))
                .col(text(CourseVersions::Summary))
                .col(string(CourseVersions::Language))
                .col(text(CourseVersions::Tags))
                .col(integer_null(CourseVersions::EstimatedMinutes))
                .col(string_null(CourseVersions::CoverBlob))
                .col(text(CourseVersions::ChangeNote))
                .col(big_integer(CourseVersions::Revision).default(0))
                .col(timestamp_with_time_zone(CourseVersions::CreatedAt))
                .col(timestamp_with_time_zone(CourseVersions::UpdatedAt))
                .col(timestamp_with_time_zone_null(CourseVersions::PublishedAt))
                .col(big_integer_null(CourseVersions::PublishedBy))
                .foreign_key(&mut fk(
                    (CourseVersions::Table, CourseVersions::CourseId),
                    (Courses::Table, Courses::Id),
                ))
                .take(),
        )
        .await?;
        index(
            m,
            "course_versions_number",
            CourseVersions::Table,
            vec![
                CourseVersions::CourseId.into_iden(),
                CourseVersions::Number.into_iden(),
            ],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CourseSteps::Table)
                .col(big_pk_auto(CourseSteps::Id))
                .col(big_integer(CourseSteps::VersionId))
                .col(string(CourseSteps::StepKey))
                .col(integer(CourseSteps::Position))
                .col(string(CourseSteps::Kind))
                .col(string(CourseSteps::Title))
                .col(text(CourseSteps::Body))
                .col(string_null(CourseSteps::BlobHash))
                .col(string_null(CourseSteps::VideoUrl))
                .col(boolean(CourseSteps::Required).default(true))
                .col(big_integer(CourseSteps::Revision).default(0))
                .foreign_key(&mut fk(
                    (CourseSteps::Table, CourseSteps::VersionId),
                    (CourseVersions::Table, CourseVersions::Id),
                ))
                .take(),
        )
        .await?;
        index(
            m,
            "course_steps_key",
            CourseSteps::Table,
            vec![
                CourseSteps::VersionId.into_iden(),
                CourseSteps::StepKey.into_iden(),
            ],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CourseCoauthors::Table)
                .col(big_pk_auto(CourseCoauthors::Id))
                .col(big_integer(CourseCoauthors::CourseId))
                .col(big_integer(CourseCoauthors::UserId))
                .foreign_key(&mut fk(
                    (CourseCoauthors::Table, CourseCoauthors::CourseId),
                    (Courses::Table, Courses::Id),
                ))
                .foreign_key(&mut fk(
                    (CourseCoauthors::Table, CourseCoauthors::UserId),
                    (Users::Table, Users::Id),
                ))
                .take(),
        )
        .await?;
        index(
            m,
            "course_coauthors_pair",
            CourseCoauthors::Table,
            vec![
                CourseCoauthors::CourseId.into_iden(),
                CourseCoauthors::UserId.into_iden(),
            ],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CourseAudiences::Table)
                .col(big_pk_auto(CourseAudiences::Id))
                .col(big_integer(CourseAudiences::CourseId))
                .col(big_integer(CourseAudiences::GroupId))
                .foreign_key(&mut fk(
                    (CourseAudiences::Table, CourseAudiences::CourseId),
                    (Courses::Table, Courses::Id),
                ))
                .take(),
        )
        .await?;
        index(
            m,
            "course_audiences_pair",
            CourseAudiences::Table,
            vec![
                CourseAudiences::CourseId.into_iden(),
                CourseAudiences::GroupId.into_iden(),
            ],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Enrolments::Table)
                .col(big_pk_auto(Enrolments::Id))
                .col(big_integer(Enrolments::UserId))
                .col(big_integer(Enrolments::CourseId))
                .col(integer(Enrolments::VersionNumber))
                .col(string(Enrolments::Source))
                .col(big_integer_null(Enrolments::AssignedBy))
                .col(timestamp_with_time_zone_null(Enrolments::DueAt))
                .col(timestamp_with_time_zone(Enrolments::CreatedAt))
                .col(timestamp_with_time_zone_null(Enrolments::StartedAt))
                .col(timestamp_with_time_zone_null(Enrolments::CompletedAt))
                .col(string_null(Enrolments::LastStepKey))
                .foreign_key(&mut fk(
                    (Enrolments::Table, Enrolments::UserId),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    (Enrolments::Table, Enrolments::CourseId),
                    (Courses::Table, Courses::Id),
                ))
                .take(),
        )
        .await?;
        index(
            m,
            "enrolments_pair",
            Enrolments::Table,
            vec![
                Enrolments::UserId.into_iden(),
                Enrolments::CourseId.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            m,
            "enrolments_course",
            Enrolments::Table,
            vec![Enrolments::CourseId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(StepProgress::Table)
                .col(big_pk_auto(StepProgress::Id))
                .col(big_integer(StepProgress::EnrolmentId))
                .col(string(StepProgress::StepKey))
                .col(timestamp_with_time_zone(StepProgress::FirstViewedAt))
                .col(timestamp_with_time_zone_null(StepProgress::CompletedAt))
                .col(big_integer(StepProgress::SecondsSpent).default(0))
                .foreign_key(&mut fk(
                    (StepProgress::Table, StepProgress::EnrolmentId),
                    (Enrolments::Table, Enrolments::Id),
                ))
                .take(),
        )
        .await?;
        index(
            m,
            "step_progress_pair",
            StepProgress::Table,
            vec![
                StepProgress::EnrolmentId.into_iden(),
                StepProgress::StepKey.into_iden(),
            ],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Events::Table)
                .col(big_pk_auto(Events::Id))
                .col(big_integer(Events::UserId))
                .col(string(Events::Verb))
                .col(big_integer_null(Events::CourseId))
                .col(integer_null(Events::VersionNumber))
                .col(string_null(Events::StepKey))
                .col(text_null(Events::Data))
                .col(timestamp_with_time_zone(Events::OccurredAt))
                .take(),
        )
        .await?;
        index(
            m,
            "events_course",
            Events::Table,
            vec![Events::CourseId.into_iden(), Events::OccurredAt.into_iden()],
            false,
        )
        .await?;
        index(
            m,
            "events_user",
            Events::Table,
            vec![Events::UserId.into_iden(), Events::OccurredAt.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Blobs::Table)
                .col(string(Blobs::Hash).primary_key())
                .col(big_integer(Blobs::Size))
                .col(string(Blobs::ContentType))
                .col(string(Blobs::OriginalName))
                .col(timestamp_with_time_zone(Blobs::CreatedAt))
                .take(),
        )
        .await?;
        Ok(())
    }
}
