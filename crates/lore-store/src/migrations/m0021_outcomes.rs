//! Business outcomes: metrics a coach defines for a group (`outcome_metrics`), their values
//! per person and period (`outcome_values`, one per metric, person and period), and the
//! courses and paths linked to them (`outcome_links`, one per metric and item).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutcomeMetrics {
    Table,
    Id,
    GroupId,
    Name,
    Unit,
    Description,
    /// `month`, `week` or `quarter`.
    PeriodKind,
    HigherIsBetter,
    /// Figures resting on fewer people than this (on any side) are hidden.
    MinGroupSize,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OutcomeValues {
    Table,
    Id,
    MetricId,
    UserId,
    /// The period's name in its one spelling: `2026-11`, `2026-W48`, `2026-Q4`.
    Period,
    /// The period's first day, midnight UTC.
    StartsAt,
    /// The day after its last, midnight UTC.
    EndsAt,
    Value,
    ImportedAt,
    ImportedBy,
}

#[derive(DeriveIden)]
enum OutcomeLinks {
    Table,
    Id,
    MetricId,
    /// `course` or `path`.
    TargetKind,
    TargetId,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OutcomeMetrics::Table)
                .col(big_pk_auto(OutcomeMetrics::Id))
                .col(big_integer(OutcomeMetrics::GroupId))
                .col(string(OutcomeMetrics::Name))
                .col(string(OutcomeMetrics::Unit))
                .col(text(OutcomeMetrics::Description))
                .col(string(OutcomeMetrics::PeriodKind))
                .col(boolean(OutcomeMetrics::HigherIsBetter))
                .col(integer(OutcomeMetrics::MinGroupSize))
                .col(big_integer_null(OutcomeMetrics::CreatedBy))
                .col(timestamp_with_time_zone(OutcomeMetrics::CreatedAt))
                .col(timestamp_with_time_zone(OutcomeMetrics::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(OutcomeMetrics::Table, OutcomeMetrics::GroupId)
                        .to(Groups::Table, Groups::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("outcome_metrics_group")
                .table(OutcomeMetrics::Table)
                .col(OutcomeMetrics::GroupId)
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(OutcomeValues::Table)
                .col(big_pk_auto(OutcomeValues::Id))
                .col(big_integer(OutcomeValues::MetricId))
                .col(big_integer(OutcomeValues::UserId))
                .col(string(OutcomeValues::Period))
                .col(timestamp_with_time_zone(OutcomeValues::StartsAt))
                .col(timestamp_with_time_zone(OutcomeValues::EndsAt))
                .col(double(OutcomeValues::Value))
                .col(timestamp_with_time_zone(OutcomeValues::ImportedAt))
                .col(big_integer_null(OutcomeValues::ImportedBy))
                .foreign_key(
                    ForeignKey::create()
                        .from(OutcomeValues::Table, OutcomeValues::MetricId)
                        .to(OutcomeMetrics::Table, OutcomeMetrics::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(OutcomeValues::Table, OutcomeValues::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("outcome_values_once")
                .table(OutcomeValues::Table)
                .col(OutcomeValues::MetricId)
                .col(OutcomeValues::UserId)
                .col(OutcomeValues::Period)
                .unique()
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(OutcomeLinks::Table)
                .col(big_pk_auto(OutcomeLinks::Id))
                .col(big_integer(OutcomeLinks::MetricId))
                .col(string(OutcomeLinks::TargetKind))
                .col(big_integer(OutcomeLinks::TargetId))
                .col(timestamp_with_time_zone(OutcomeLinks::CreatedAt))
                .col(big_integer_null(OutcomeLinks::CreatedBy))
                .foreign_key(
                    ForeignKey::create()
                        .from(OutcomeLinks::Table, OutcomeLinks::MetricId)
                        .to(OutcomeMetrics::Table, OutcomeMetrics::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("outcome_links_once")
                .table(OutcomeLinks::Table)
                .col(OutcomeLinks::MetricId)
                .col(OutcomeLinks::TargetKind)
                .col(OutcomeLinks::TargetId)
                .unique()
                .take(),
        )
        .await?;
        Ok(())
    }
}
