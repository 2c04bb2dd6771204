//! Webhooks (docs/decisions/0030): platform administrators subscribe addresses to Lore's
//! events (signed JSON), group administrators post chosen events to Slack or Teams. The
//! outbox reader (`fan_out`) makes one delivery per subscription and event; a job
//! (`send`) sends it, retried with back-off and logged; administrators read the log and
//! redeliver by hand.

mod address;
mod fan_out;
mod message;
mod send;
pub mod signature;

use lore_domain::ids::GroupId;
use lore_domain::policy::{Action, Resource};
use lore_domain::webhook::{self, AllowedRange, DeliveryStatus, HookFormat};
use lore_store::{NewWebhook, WebhookAttemptRow, WebhookDeliveryRow, WebhookRow};
use time::OffsetDateTime;

pub use address::check_url;
pub(crate) use address::{Refusal, resolve};
pub use fan_out::WEBHOOK_CONSUMER;
pub(crate) use send::WEBHOOK_JOB;

use crate::unit_of_work::Signal;
use crate::{App, AppError, AppResult, Caller};

/// How many deliveries the log shows per subscription.
pub const DELIVERY_LOG_SIZE: u64 = 50;

/// What the operator lets webhooks reach.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebhookSettings {
    /// Private ranges deliveries may reach all the same (`webhooks_allow_private`); the
    /// stories allow 127.0.0.1 for their receiver.
    pub allow_private: Vec<AllowedRange>,
}

/// A subscription as administrators see it: never its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub id: i64,
    /// The group of a chat hook; `None` for the platform's webhooks.
    pub group_id: Option<i64>,
    pub format: HookFormat,
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    pub enabled: bool,
    /// Until when the secret before the last rotation still signs, while it does.
    pub previous_secret_until: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl Webhook {
    fn from_row(r: WebhookRow, now: OffsetDateTime) -> AppResult<Webhook> {
        Ok(Webhook {
            id: r.id,
            group_id: r.group_id,
            format: HookFormat::parse(&r.format)
                .map_err(|e| AppError::Internal(format!("webhook {}: {}", r.id, e.message)))?,
            events: serde_json::from_str(&r.events).unwrap_or_default(),
            url: r.url,
            description: r.description,
            enabled: r.enabled,
            previous_secret_until: r.previous_until.filter(|u| *u > now),
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// A subscription to create or the new state of one.
#[derive(Debug, Clone)]
pub struct WebhookInput<'a> {
    pub url: &'a str,
    pub description: &'a str,
    pub events: &'a [String],
}

/// Changes to a subscription; `None` keeps what is there.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebhookChange<'a> {
    pub url: Option<&'a str>,
    pub description: Option<&'a str>,
    pub events: Option<&'a [String]>,
    pub enabled: Option<bool>,
}

/// One delivery with its attempts, for the log.
#[derive(Debug, Clone)]
pub struct DeliveryLine {
    pub delivery: WebhookDeliveryRow,
    pub status: DeliveryStatus,
    pub attempts: Vec<WebhookAttemptRow>,
}

impl App {
    /// Refuse unless the caller may manage the hooks of `group_id` (a group's chat hooks:
    /// its administrators) or the platform's webhooks (`None`: platform administrators).
    async fn require_hooks(&self, caller: &Caller, group_id: Option<i64>) -> AppResult<()> {
        match group_id {
            None => caller.require(Action::ManageWebhooks, Resource::Platform),
            Some(g) => {
                let tree = self.group_tree().await?;
                if tree.get(GroupId(g)).is_none() {
                    return Err(AppError::NotFound("That group"));
                }
                let lineage = tree.lineage(GroupId(g));
                caller.require(Action::ManageGroup, Resource::Group { lineage: &lineage })
            }
        }
    }

    /// A subscription the caller may manage.
    async fn hook_row(&self, caller: &Caller, id: i64) -> AppResult<WebhookRow> {
        let row = self
            .store
            .webhook(id)
            .await?
            .ok_or(AppError::NotFound("That webhook"))?;
        match self.require_hooks(caller, row.group_id).await {
            Err(AppError::Forbidden) if !caller.platform_admin => {
                Err(AppError::NotFound("That webhook"))
            }
            other => other.map(|()| row),
        }
    }

    /// The platform's webhooks (`None`) or a group's chat hooks.
    pub async fn webhooks(
        &self,
        caller: &Caller,
        group_id: Option<i64>,
    ) -> AppResult<Vec<Webhook>> {
        self.require_hooks(caller, group_id).await?;
        let now = self.now();
        self.store
            .webhooks(group_id)
            .await?
            .into_iter()
            .map(|r| Webhook::from_row(r, now))
            .collect()
    }

    pub async fn webhook(&self, caller: &Caller, id: i64) -> AppResult<Webhook> {
        Webhook::from_row(self.hook_row(caller, id).await?, self.now())
    }

    /// Subscribe an address. A platform webhook (`group_id` `None`, format `lore`) gets a
    /// signing secret, returned this once; a group's chat hook (Slack or Teams) gets none.
    /// The address must be http(s) and reach no private network unless the operator allows
    /// it (checked after resolving the name).
    pub async fn create_webhook(
        &self,
        caller: &Caller,
        group_id: Option<i64>,
        format: HookFormat,
        input: WebhookInput<'_>,
    ) -> AppResult<(Webhook, Option<String>)> {
        self.require_hooks(caller, group_id).await?;
        let chat = match (group_id, format) {
            (None, HookFormat::Lore) => false,
            (Some(_), HookFormat::Slack | HookFormat::Teams) => true,
            (None, _) => {
                return Err(AppError::invalid(
                    "format",
                    "Platform webhooks send Lore's signed JSON; Slack and Teams hooks belong to a group.",
                ));
            }
            (Some(_), HookFormat::Lore) => {
                return Err(AppError::invalid(
                    "format",
                    "A group's hook posts to Slack or Microsoft Teams.",
                ));
            }
        };
        let (url, description, events) = self.checked_input(&input, chat).await?;
        let secret = (!chat).then(signature::new_secret);
        let id = self
            .store
            .insert_webhook(
                NewWebhook {
                    group_id,
                    format: format.as_str(),
                    url: &url,
                    description: &description,
                    events,
                    secret: secret.clone(),
                    created_by: caller.id.0,
                },
                self.now(),
            )
            .await?;
        Ok((self.webhook(caller, id).await?, secret))
    }

    /// Change a subscription: its address, description and events (checked as on
    /// creation), and whether it sends. Fields left `None` stay. While it is off, no
    /// deliveries are made for it and those made before wait; turning it on queues them
    /// again.
    pub async fn update_webhook(
        &self,
        caller: &Caller,
        id: i64,
        change: WebhookChange<'_>,
    ) -> AppResult<Webhook> {
        let row = self.hook_row(caller, id).await?;
        let current: Vec<String> = serde_json::from_str(&row.events).unwrap_or_default();
        let input = WebhookInput {
            url: change.url.unwrap_or(&row.url),
            description: change.description.unwrap_or(&row.description),
            events: change.events.unwrap_or(&current),
        };
        let (url, description, events) =
            if change.url.is_some() || change.description.is_some() || change.events.is_some() {
                self.checked_input(&input, row.group_id.is_some()).await?
            } else {
                (row.url.clone(), row.description.clone(), row.events.clone())
            };
        let enabled = change.enabled.unwrap_or(row.enabled);
        self.unit_of_work(|app| async move {
            let now = app.now();
            app.store
                .update_webhook(id, &url, &description, events, enabled, now)
                .await?;
            if enabled && !row.enabled {
                for delivery in app.store.pending_deliveries(id).await? {
                    app.queue_delivery(delivery, now, false).await?;
                }
            }
            Ok(())
        })
        .await?;
        self.webhook(caller, id).await
    }

    /// A new signing secret, returned this once. The old one keeps signing beside it for
    /// [`webhook::ROTATION_GRACE`], so receivers can switch without missing a delivery.
    pub async fn rotate_webhook_secret(
        &self,
        caller: &Caller,
        id: i64,
    ) -> AppResult<(Webhook, String)> {
        let row = self.hook_row(caller, id).await?;
        if row.secret.is_none() {
            return Err(AppError::invalid(
                "id",
                "Chat hooks are not signed; there is no secret to rotate.",
            ));
        }
        let secret = signature::new_secret();
        let now = self.now();
        self.store
            .rotate_webhook_secret(id, &secret, now + webhook::ROTATION_GRACE, now)
            .await?;
        Ok((self.webhook(caller, id).await?, secret))
    }

    /// Remove a subscription, its deliveries and their log; what it was.
    pub async fn delete_webhook(&self, caller: &Caller, id: i64) -> AppResult<Webhook> {
        let gone = Webhook::from_row(self.hook_row(caller, id).await?, self.now())?;
        self.unit_of_work(|app| async move {
            app.store.delete_webhook(id).await?;
            Ok(())
        })
        .await?;
        Ok(gone)
    }

    /// The newest deliveries of a subscription with every attempt at them.
    pub async fn webhook_deliveries(
        &self,
        caller: &Caller,
        id: i64,
    ) -> AppResult<Vec<DeliveryLine>> {
        self.hook_row(caller, id).await?;
        let deliveries = self.store.deliveries(id, DELIVERY_LOG_SIZE).await?;
        let ids: Vec<i64> = deliveries.iter().map(|d| d.id).collect();
        let mut attempts = self.store.delivery_attempts(&ids).await?;
        deliveries
            .into_iter()
            .map(|delivery| {
                let status = DeliveryStatus::parse(&delivery.status)
                    .map_err(|e| AppError::Internal(e.message))?;
                let (mine, rest): (Vec<_>, Vec<_>) = attempts
                    .drain(..)
                    .partition(|a| a.delivery_id == delivery.id);
                attempts = rest;
                Ok(DeliveryLine {
                    delivery,
                    status,
                    attempts: mine,
                })
            })
            .collect()
    }

    /// Send a delivery again now, with the same id and body (a new attempt), whatever its
    /// status.
    pub async fn redeliver(
        &self,
        caller: &Caller,
        webhook_id: i64,
        delivery_id: i64,
    ) -> AppResult<()> {
        self.hook_row(caller, webhook_id).await?;
        let delivery = self
            .store
            .delivery(delivery_id)
            .await?
            .filter(|d| d.subscription_id == webhook_id)
            .ok_or(AppError::NotFound("That delivery"))?;
        self.unit_of_work(|app| async move {
            let now = app.now();
            app.store.retry_delivery_now(delivery.id, now).await?;
            app.queue_delivery(delivery.id, now, true).await
        })
        .await
    }

    /// Queue the job that makes the next attempt at a delivery at `run_at`.
    pub(crate) async fn queue_delivery(
        &self,
        delivery_id: i64,
        run_at: OffsetDateTime,
        manual: bool,
    ) -> AppResult<()> {
        let attempts = self
            .store
            .delivery(delivery_id)
            .await?
            .map(|d| d.attempts)
            .unwrap_or(0);
        self.queue_attempt(delivery_id, attempts, run_at, manual)
            .await
    }

    async fn queue_attempt(
        &self,
        delivery_id: i64,
        attempts: i32,
        run_at: OffsetDateTime,
        manual: bool,
    ) -> AppResult<()> {
        let payload = serde_json::json!({
            "delivery": delivery_id,
            "attempts": attempts,
            "manual": manual,
        });
        self.store
            .enqueue_job(
                WEBHOOK_JOB,
                payload.to_string(),
                run_at,
                send::JOB_ATTEMPTS,
                self.now(),
            )
            .await?;
        self.signal(Signal::JobsWaiting);
        Ok(())
    }

    /// The input checked: the address (see [`check_url`]), a description of at most 200
    /// characters, the events known (chat hooks: the chat events).
    async fn checked_input(
        &self,
        input: &WebhookInput<'_>,
        chat: bool,
    ) -> AppResult<(String, String, String)> {
        let url = check_url(input.url, &self.settings.webhooks.allow_private).await?;
        let description = input.description.trim();
        if description.chars().count() > 200 {
            return Err(AppError::invalid(
                "description",
                "Keep the description to 200 characters.",
            ));
        }
        let events = webhook::parse_event_types(input.events, chat)?;
        let events =
            serde_json::to_string(&events).map_err(|e| AppError::Internal(e.to_string()))?;
        Ok((url, description.to_owned(), events))
    }
}
