//! Webhook subscriptions (the platform's signed webhooks and groups' chat hooks), the
//! deliveries fanned out from the outbox, and the log of attempts to send them
//! (docs/decisions/0030).

use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::{Backend, OutboxPosition, Store, StoreResult, Timestamp};

/// A subscription as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct WebhookRow {
    pub id: i64,
    pub group_id: Option<i64>,
    /// `lore`, `slack` or `teams`.
    pub format: String,
    pub url: String,
    pub description: String,
    /// A JSON array of public event names.
    pub events: String,
    pub secret: Option<String>,
    pub previous_secret: Option<String>,
    pub previous_until: Option<Timestamp>,
    pub enabled: bool,
    /// The newest event when it was made: only later events are sent to it.
    pub starts_after_event: i64,
    pub created_by: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A subscription to create.
#[derive(Debug, Clone)]
pub struct NewWebhook<'a> {
    pub group_id: Option<i64>,
    pub format: &'a str,
    pub url: &'a str,
    pub description: &'a str,
    pub events: String,
    pub secret: Option<String>,
    pub created_by: i64,
}

/// One delivery: an event for a subscription, with the body fixed when it was made.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct WebhookDeliveryRow {
    pub id: i64,
    pub public_id: String,
    pub subscription_id: i64,
    pub event_id: i64,
    pub event_type: String,
    pub body: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub delivered_at: Option<Timestamp>,
}

/// A delivery to make.
#[derive(Debug, Clone)]
pub struct NewDelivery<'a> {
    pub public_id: String,
    pub subscription_id: i64,
    pub event_id: i64,
    pub event_type: &'a str,
    pub body: String,
}

/// One attempt to send a delivery.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct WebhookAttemptRow {
    pub id: i64,
    pub delivery_id: i64,
    pub attempted_at: Timestamp,
    pub manual: bool,
    pub status_code: Option<i32>,
    pub duration_ms: i64,
    pub response_excerpt: Option<String>,
    pub error: Option<String>,
}

/// What one attempt found, and what becomes of the delivery.
#[derive(Debug, Clone)]
pub struct AttemptOutcome {
    pub manual: bool,
    pub status_code: Option<i32>,
    pub duration_ms: i64,
    pub response_excerpt: Option<String>,
    pub error: Option<String>,
    /// The delivery's status after it: `delivered`, `pending` (tried again at
    /// `next_attempt_at`) or `failed`.
    pub status: &'static str,
    pub next_attempt_at: Option<Timestamp>,
}

const SUBSCRIPTION_COLUMNS: &str = "id, group_id, format, url, description, events, secret, \
     previous_secret, previous_until, enabled, starts_after_event, created_by, created_at, updated_at";
const DELIVERY_COLUMNS: &str = "id, public_id, subscription_id, event_id, event_type, body, \
     status, attempts, next_attempt_at, created_at, delivered_at";

impl Store {
    pub async fn insert_webhook(&self, new: NewWebhook<'_>, now: Timestamp) -> StoreResult<i64> {
        let row = self
            .db
            .query_one_raw(self.raw(
                "INSERT INTO webhook_subscriptions (group_id, format, url, description, events, \
                 secret, enabled, starts_after_event, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, TRUE, \
                 (SELECT COALESCE(MAX(id), 0) FROM events), $7, $8, $8) RETURNING id",
                vec![
                    new.group_id.into(),
                    new.format.into(),
                    new.url.into(),
                    new.description.into(),
                    new.events.into(),
                    new.secret.into(),
                    new.created_by.into(),
                    now.into(),
                ],
            ))
            .await?
            .ok_or_else(|| sea_orm::DbErr::RecordNotInserted)?;
        Ok(row.try_get::<i64>("", "id")?)
    }

    pub async fn webhook(&self, id: i64) -> StoreResult<Option<WebhookRow>> {
        Ok(WebhookRow::find_by_statement(self.raw(
            &format!("SELECT {SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE id = $1"),
            vec![id.into()],
        ))
        .one(&self.db)
        .await?)
    }

    /// The platform's webhooks (`None`) or one group's chat hooks, oldest first.
    pub async fn webhooks(&self, group_id: Option<i64>) -> StoreResult<Vec<WebhookRow>> {
        let (condition, values) = match group_id {
            None => ("group_id IS NULL", vec![]),
            Some(g) => ("group_id = $1", vec![g.into()]),
        };
        Ok(WebhookRow::find_by_statement(self.raw(
            &format!(
                "SELECT {SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE {condition} \
                 ORDER BY id"
            ),
            values,
        ))
        .all(&self.db)
        .await?)
    }

    /// Every enabled subscription, platform and group alike (the outbox reader's list).
    pub async fn enabled_webhooks(&self) -> StoreResult<Vec<WebhookRow>> {
        Ok(WebhookRow::find_by_statement(self.raw(
            &format!(
                "SELECT {SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE enabled \
                 ORDER BY id"
            ),
            vec![],
        ))
        .all(&self.db)
        .await?)
    }

    /// Change what a subscription sends and where; `false` when there is no such row.
    pub async fn update_webhook(
        &self,
        id: i64,
        url: &str,
        description: &str,
        events: String,
        enabled: bool,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let r = self
            .db
            .execute_raw(self.raw(
                "UPDATE webhook_subscriptions SET url = $2, description = $3, events = $4, \
                 enabled = $5, updated_at = $6 WHERE id = $1",
                vec![
                    id.into(),
                    url.into(),
                    description.into(),
                    events.into(),
                    enabled.into(),
                    now.into(),
                ],
            ))
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// A new secret; the current one keeps signing beside it until `previous_until`.
    pub async fn rotate_webhook_secret(
        &self,
        id: i64,
        secret: &str,
        previous_until: Timestamp,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let r = self
            .db
            .execute_raw(self.raw(
                "UPDATE webhook_subscriptions SET previous_secret = secret, \
                 previous_until = $3, secret = $2, updated_at = $4 WHERE id = $1",
                vec![id.into(), secret.into(), previous_until.into(), now.into()],
            ))
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Delete a subscription with its deliveries and their log.
    pub async fn delete_webhook(&self, id: i64) -> StoreResult<bool> {
        // Children first: foreign keys cascade on PostgreSQL, and on SQLite only when the
        // connection enforces them.
        self.db
            .execute_raw(self.raw(
                "DELETE FROM webhook_attempts WHERE delivery_id IN \
                 (SELECT id FROM webhook_deliveries WHERE subscription_id = $1)",
                vec![id.into()],
            ))
            .await?;
        self.db
            .execute_raw(self.raw(
                "DELETE FROM webhook_deliveries WHERE subscription_id = $1",
                vec![id.into()],
            ))
            .await?;
        let r = self
            .db
            .execute_raw(self.raw(
                "DELETE FROM webhook_subscriptions WHERE id = $1",
                vec![id.into()],
            ))
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Hold the outbox cursor of `consumer` until this transaction ends, so two servers
    /// fanning the outbox out take turns (PostgreSQL: `FOR UPDATE`; SQLite's write
    /// transaction already holds the only write lock). Makes the consumer known first.
    pub async fn lock_outbox_cursor(
        &self,
        consumer: &str,
        now: Timestamp,
    ) -> StoreResult<OutboxPosition> {
        self.register_outbox_consumer(consumer, now).await?;
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        let row = self
            .db
            .query_one_raw(self.raw(
                &format!("SELECT tx_id, outbox_id FROM outbox_cursors WHERE consumer = $1{lock}"),
                vec![consumer.into()],
            ))
            .await?;
        Ok(match row {
            Some(r) => OutboxPosition {
                tx_id: r.try_get::<i64>("", "tx_id")?,
                id: r.try_get::<i64>("", "outbox_id")?,
            },
            None => OutboxPosition::default(),
        })
    }

    /// Make a delivery unless the subscription already has one for the event; its id when
    /// made.
    pub async fn insert_delivery(
        &self,
        new: NewDelivery<'_>,
        now: Timestamp,
    ) -> StoreResult<Option<i64>> {
        let row = self
            .db
            .query_one_raw(self.raw(
                "INSERT INTO webhook_deliveries (public_id, subscription_id, event_id, \
                 event_type, body, status, attempts, next_attempt_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6) \
                 ON CONFLICT (subscription_id, event_id) DO NOTHING RETURNING id",
                vec![
                    new.public_id.into(),
                    new.subscription_id.into(),
                    new.event_id.into(),
                    new.event_type.into(),
                    new.body.into(),
                    now.into(),
                ],
            ))
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get::<i64>("", "id")?),
            None => None,
        })
    }

    pub async fn delivery(&self, id: i64) -> StoreResult<Option<WebhookDeliveryRow>> {
        Ok(WebhookDeliveryRow::find_by_statement(self.raw(
            &format!("SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = $1"),
            vec![id.into()],
        ))
        .one(&self.db)
        .await?)
    }

    /// A subscription's deliveries, newest first.
    pub async fn deliveries(
        &self,
        subscription_id: i64,
        limit: u64,
    ) -> StoreResult<Vec<WebhookDeliveryRow>> {
        Ok(WebhookDeliveryRow::find_by_statement(self.raw(
            &format!(
                "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE subscription_id = $1 \
                 ORDER BY id DESC LIMIT $2"
            ),
            vec![
                subscription_id.into(),
                i64::try_from(limit).unwrap_or(i64::MAX).into(),
            ],
        ))
        .all(&self.db)
        .await?)
    }

    /// A subscription's deliveries still waiting to be sent (to queue again when it is
    /// enabled again).
    pub async fn pending_deliveries(&self, subscription_id: i64) -> StoreResult<Vec<i64>> {
        let rows = self
            .db
            .query_all_raw(self.raw(
                "SELECT id FROM webhook_deliveries WHERE subscription_id = $1 \
                 AND status = 'pending' ORDER BY id",
                vec![subscription_id.into()],
            ))
            .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get::<i64>("", "id"))
            .collect::<Result<_, _>>()?)
    }

    /// The attempts at some deliveries, oldest first.
    pub async fn delivery_attempts(
        &self,
        delivery_ids: &[i64],
    ) -> StoreResult<Vec<WebhookAttemptRow>> {
        if delivery_ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=delivery_ids.len()).map(|i| format!("${i}")).collect();
        Ok(WebhookAttemptRow::find_by_statement(self.raw(
            &format!(
                "SELECT id, delivery_id, attempted_at, manual, status_code, duration_ms, \
                 response_excerpt, error FROM webhook_attempts WHERE delivery_id IN ({}) \
                 ORDER BY id",
                marks.join(", ")
            ),
            delivery_ids.iter().map(|&i| i.into()).collect(),
        ))
        .all(&self.db)
        .await?)
    }

    /// Log an attempt and move the delivery on, if nobody else recorded attempt number
    /// `attempts + 1` first; `false` when someone did (nothing is written then).
    pub async fn record_attempt(
        &self,
        delivery_id: i64,
        attempts: i32,
        outcome: AttemptOutcome,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let delivered_at = (outcome.status == "delivered").then_some(now);
        let r = self
            .db
            .execute_raw(self.raw(
                "UPDATE webhook_deliveries SET attempts = attempts + 1, status = $3, \
                 next_attempt_at = $4, delivered_at = COALESCE($5, delivered_at) \
                 WHERE id = $1 AND attempts = $2",
                vec![
                    delivery_id.into(),
                    attempts.into(),
                    outcome.status.into(),
                    outcome.next_attempt_at.into(),
                    delivered_at.into(),
                ],
            ))
            .await?;
        if r.rows_affected() != 1 {
            return Ok(false);
        }
        self.db
            .execute_raw(self.raw(
                "INSERT INTO webhook_attempts (delivery_id, attempted_at, manual, status_code, \
                 duration_ms, response_excerpt, error) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                vec![
                    delivery_id.into(),
                    now.into(),
                    outcome.manual.into(),
                    outcome.status_code.into(),
                    outcome.duration_ms.into(),
                    outcome.response_excerpt.into(),
                    outcome.error.into(),
                ],
            ))
            .await?;
        Ok(true)
    }

    /// Put a delivery back in line for an attempt now (a redelivery by hand).
    pub async fn retry_delivery_now(&self, delivery_id: i64, now: Timestamp) -> StoreResult<()> {
        self.db
            .execute_raw(self.raw(
                "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $2 \
                 WHERE id = $1",
                vec![delivery_id.into(), now.into()],
            ))
            .await?;
        Ok(())
    }
}
