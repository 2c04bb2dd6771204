//! The audit log: one row per administrative action (roles, deactivations, imports, password
//! links, settings), written in the same transaction as the action.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    /// Who did it; `NULL` for the operator's command line.
    ActorId,
    /// The actor's name at the time (a name shown stays true if the account changes).
    ActorName,
    /// What kind of action (`role_changed`, `person_deactivated`, …).
    Action,
    /// What it was done to, in words (`Ada Lovelace <ada@acme.test>`).
    Target,
    /// The details, in words.
    Detail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(big_pk_auto(AuditLog::Id))
                .col(timestamp_with_time_zone(AuditLog::At))
                .col(big_integer_null(AuditLog::ActorId))
                .col(string(AuditLog::ActorName))
                .col(string(AuditLog::Action))
                .col(string(AuditLog::Target))
                .col(text(AuditLog::Detail))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("audit_log_at")
                .table(AuditLog::Table)
                .col(AuditLog::At)
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("audit_log_action_at")
                .table(AuditLog::Table)
                .col(AuditLog::Action)
                .col(AuditLog::At)
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AuditLog::Table).take())
            .await?;
        Ok(())
    }
}
