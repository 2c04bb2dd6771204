//! The outbox: a row written in the same transaction as each event and notification, read in
//! order by consumers that each keep their own cursor (docs/decisions/0010).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    /// The writing transaction's id on PostgreSQL (0 on SQLite, whose writers take turns).
    TxId,
    /// `event` or `notification`.
    Topic,
    /// The id of the row in the topic's table.
    RowId,
    UserId,
    /// The row as JSON, as consumers read it.
    Payload,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OutboxCursors {
    Table,
    Consumer,
    TxId,
    OutboxId,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(big_pk_auto(Outbox::Id))
                .col(big_integer(Outbox::TxId).default(0))
                .col(string(Outbox::Topic))
                .col(big_integer(Outbox::RowId))
                .col(big_integer_null(Outbox::UserId))
                .col(text(Outbox::Payload))
                .col(timestamp_with_time_zone(Outbox::CreatedAt))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("outbox_order")
                .table(Outbox::Table)
                .col(Outbox::TxId)
                .col(Outbox::Id)
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(OutboxCursors::Table)
                .col(string(OutboxCursors::Consumer).primary_key())
                .col(big_integer(OutboxCursors::TxId))
                .col(big_integer(OutboxCursors::OutboxId))
                .col(timestamp_with_time_zone(OutboxCursors::UpdatedAt))
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(OutboxCursors::Table).take())
            .await?;
        m.drop_table(Table::drop().table(Outbox::Table).take())
            .await?;
        Ok(())
    }
}
