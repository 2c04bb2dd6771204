//! Webhooks (docs/decisions/0030): subscriptions of an address to event types — the
//! platform's signed webhooks, and a group's Slack or Teams hooks (`group_id` set) — the
//! deliveries made from the outbox (one per subscription and event), and every attempt to
//! send one.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WebhookSubscriptions {
    Table,
    Id,
    /// Set for a group's chat hook; empty for a platform webhook.
    GroupId,
    /// `lore` (signed JSON), `slack` or `teams`.
    Format,
    Url,
    Description,
    /// A JSON array of public event names.
    Events,
    /// The signing secret, kept as given out (see decision 0030); empty for chat hooks.
    Secret,
    /// The secret before the last rotation, still signing until `previous_until`.
    PreviousSecret,
    PreviousUntil,
    Enabled,
    /// The newest event when it was made: it is sent only events after this one.
    StartsAfterEvent,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    /// The UUID receivers see as the delivery's id (the same on every attempt).
    PublicId,
    SubscriptionId,
    EventId,
    EventType,
    /// The body sent, fixed when the delivery is made.
    Body,
    /// `pending`, `delivered` or `failed`.
    Status,
    Attempts,
    NextAttemptAt,
    CreatedAt,
    DeliveredAt,
}

#[derive(DeriveIden)]
enum WebhookAttempts {
    Table,
    Id,
    DeliveryId,
    AttemptedAt,
    /// Asked for by an administrator (redeliver), not the schedule.
    Manual,
    StatusCode,
    DurationMs,
    ResponseExcerpt,
    Error,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(WebhookSubscriptions::Table)
                .col(big_pk_auto(WebhookSubscriptions::Id))
                .col(big_integer_null(WebhookSubscriptions::GroupId))
                .col(string(WebhookSubscriptions::Format))
                .col(text(WebhookSubscriptions::Url))
                .col(text(WebhookSubscriptions::Description))
                .col(text(WebhookSubscriptions::Events))
                .col(string_null(WebhookSubscriptions::Secret))
                .col(string_null(WebhookSubscriptions::PreviousSecret))
                .col(timestamp_with_time_zone_null(
                    WebhookSubscriptions::PreviousUntil,
                ))
                .col(boolean(WebhookSubscriptions::Enabled))
                .col(big_integer(WebhookSubscriptions::StartsAfterEvent))
                .col(big_integer_null(WebhookSubscriptions::CreatedBy))
                .col(timestamp_with_time_zone(WebhookSubscriptions::CreatedAt))
                .col(timestamp_with_time_zone(WebhookSubscriptions::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(WebhookSubscriptions::Table, WebhookSubscriptions::GroupId)
                        .to(Groups::Table, Groups::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("webhook_subscriptions_group")
                .table(WebhookSubscriptions::Table)
                .col(WebhookSubscriptions::GroupId)
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(WebhookDeliveries::Table)
                .col(big_pk_auto(WebhookDeliveries::Id))
                .col(string_uniq(WebhookDeliveries::PublicId))
                .col(big_integer(WebhookDeliveries::SubscriptionId))
                .col(big_integer(WebhookDeliveries::EventId))
                .col(string(WebhookDeliveries::EventType))
                .col(text(WebhookDeliveries::Body))
                .col(string(WebhookDeliveries::Status))
                .col(integer(WebhookDeliveries::Attempts).default(0))
                .col(timestamp_with_time_zone_null(
                    WebhookDeliveries::NextAttemptAt,
                ))
                .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                .col(timestamp_with_time_zone_null(
                    WebhookDeliveries::DeliveredAt,
                ))
                .foreign_key(
                    ForeignKey::create()
                        .from(WebhookDeliveries::Table, WebhookDeliveries::SubscriptionId)
                        .to(WebhookSubscriptions::Table, WebhookSubscriptions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        // One delivery per subscription and event, whoever fans the outbox out.
        m.create_index(
            Index::create()
                .name("webhook_deliveries_once")
                .table(WebhookDeliveries::Table)
                .col(WebhookDeliveries::SubscriptionId)
                .col(WebhookDeliveries::EventId)
                .unique()
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(WebhookAttempts::Table)
                .col(big_pk_auto(WebhookAttempts::Id))
                .col(big_integer(WebhookAttempts::DeliveryId))
                .col(timestamp_with_time_zone(WebhookAttempts::AttemptedAt))
                .col(boolean(WebhookAttempts::Manual))
                .col(integer_null(WebhookAttempts::StatusCode))
                .col(big_integer(WebhookAttempts::DurationMs))
                .col(text_null(WebhookAttempts::ResponseExcerpt))
                .col(text_null(WebhookAttempts::Error))
                .foreign_key(
                    ForeignKey::create()
                        .from(WebhookAttempts::Table, WebhookAttempts::DeliveryId)
                        .to(WebhookDeliveries::Table, WebhookDeliveries::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("webhook_attempts_delivery")
                .table(WebhookAttempts::Table)
                .col(WebhookAttempts::DeliveryId)
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(WebhookAttempts::Table).take())
            .await?;
        m.drop_table(Table::drop().table(WebhookDeliveries::Table).take())
            .await?;
        m.drop_table(Table::drop().table(WebhookSubscriptions::Table).take())
            .await?;
        Ok(())
    }
}
