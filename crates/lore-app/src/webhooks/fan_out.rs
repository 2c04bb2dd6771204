//! The webhooks' outbox reader: each committed event that a subscription wants becomes a
//! delivery row and a queued job, in the transaction that moves the reader's cursor past
//! it — so after a crash the same rows are read again and, deliveries being unique per
//! subscription and event, nothing is lost or made twice. Two servers take turns on the
//! cursor (`Store::lock_outbox_cursor`).

use lore_domain::ids::GroupId;
use lore_domain::webhook::{HookFormat, public_type};
use lore_store::{NewDelivery, WebhookRow};
use serde_json::{Value, json};

use super::message::{EventFacts, lore_body, slack_body, teams_body};
use crate::outbox::Delivery;
use crate::{App, AppResult};

/// The webhooks' durable outbox consumer.
pub const WEBHOOK_CONSUMER: &str = "webhooks";

/// Outbox rows read per transaction.
const BATCH: u64 = 200;

/// An enabled subscription, its events parsed.
struct Subscriber {
    row: WebhookRow,
    format: HookFormat,
    events: Vec<String>,
}

impl App {
    /// Turn the outbox's new events into deliveries for every enabled subscription that
    /// wants them (and was there when they happened). Returns how many were made. The job
    /// worker calls this on every pass; safe while other servers do the same.
    pub async fn fan_out_webhooks(&self) -> AppResult<usize> {
        // Nothing to do costs a read or three and no write lock. With no subscription on,
        // a known cursor follows the outbox's end: pruning is not held back, and a
        // subscription turned on later does not get what happened while all were off.
        if self.store.enabled_webhooks().await?.is_empty() {
            if let Some(at) = self.store.outbox_cursor(WEBHOOK_CONSUMER).await?
                && !self.store.outbox_after(at, 1).await?.is_empty()
            {
                let end = self.store.outbox_end().await?;
                self.acknowledge_outbox(WEBHOOK_CONSUMER, end).await?;
            }
            return Ok(0);
        }
        let mut made = 0;
        loop {
            if let Some(at) = self.store.outbox_cursor(WEBHOOK_CONSUMER).await?
                && self.store.outbox_after(at, 1).await?.is_empty()
            {
                break;
            }
            let (read, queued) = self
                .unit_of_work(|app| async move { app.fan_out_batch().await })
                .await?;
            made += queued;
            if read < BATCH as usize {
                break;
            }
        }
        Ok(made)
    }

    /// One batch, inside the unit of work: (outbox rows read, deliveries made).
    async fn fan_out_batch(&self) -> AppResult<(usize, usize)> {
        let at = self
            .store
            .lock_outbox_cursor(WEBHOOK_CONSUMER, self.now())
            .await?;
        let rows: Vec<Delivery> = self
            .store
            .outbox_after(at, BATCH)
            .await?
            .into_iter()
            .map(Delivery::from)
            .collect();
        let Some(last) = rows.last().map(|r| r.position) else {
            return Ok((0, 0));
        };
        let subscribers: Vec<Subscriber> = self
            .store
            .enabled_webhooks()
            .await?
            .into_iter()
            .filter_map(|row| {
                Some(Subscriber {
                    format: HookFormat::parse(&row.format).ok()?,
                    events: serde_json::from_str(&row.events).ok()?,
                    row,
                })
            })
            .collect();
        let mut made = 0;
        for row in rows.iter().filter(|r| r.topic == "event") {
            let event = &row.payload;
            let verb = event.get("verb").and_then(Value::as_str).unwrap_or("");
            let Some(kind) = public_type(verb, event.get("data").unwrap_or(&Value::Null)) else {
                continue;
            };
            let wanted: Vec<&Subscriber> = subscribers
                .iter()
                .filter(|s| s.events.iter().any(|e| e == kind))
                // A new subscription gets what happens from then on, not the outbox's past.
                .filter(|s| row.row_id > s.row.starts_after_event)
                .collect();
            if wanted.is_empty() {
                continue;
            }
            let (facts, groups) = self.event_facts(row.row_id, event).await?;
            for s in wanted {
                if let Some(g) = s.row.group_id
                    && !groups.contains(&g)
                {
                    continue;
                }
                let public_id = crate::secrets::random_uuid();
                let body = match s.format {
                    HookFormat::Lore => lore_body(&public_id, kind, &facts),
                    HookFormat::Slack => slack_body(kind, &facts),
                    HookFormat::Teams => teams_body(kind, &facts),
                };
                let made_id = self
                    .store
                    .insert_delivery(
                        NewDelivery {
                            public_id,
                            subscription_id: s.row.id,
                            event_id: row.row_id,
                            event_type: kind,
                            body: body.to_string(),
                        },
                        self.now(),
                    )
                    .await?;
                if let Some(id) = made_id {
                    self.queue_attempt(id, 0, self.now(), false).await?;
                    made += 1;
                }
            }
        }
        self.store
            .save_outbox_cursor(WEBHOOK_CONSUMER, last, self.now())
            .await?;
        Ok((rows.len(), made))
    }

    /// What a delivery says about an event, and every group it happened in or below (the
    /// event's group, a need's audiences, a course's owning group, and the groups above
    /// each), for chat hooks.
    async fn event_facts(&self, event_id: i64, event: &Value) -> AppResult<(EventFacts, Vec<i64>)> {
        let id_of = |field: &str| event.get(field).and_then(Value::as_i64);
        let link = |path: String| self.settings.mail.absolute(&path);
        let mut groups: Vec<i64> = id_of("group_id").into_iter().collect();
        let person = match id_of("user_id") {
            Some(u) => self
                .store
                .user(u)
                .await?
                .map(|p| json!({ "id": p.id, "email": p.email, "name": p.name })),
            None => None,
        };
        let mut course = None;
        if let Some(c) = id_of("course_id")
            && let Some(row) = self.store.course(c).await?
        {
            groups.push(row.group_id);
            let number = event
                .get("version_number")
                .and_then(Value::as_i64)
                .and_then(|n| i32::try_from(n).ok())
                .or(row.latest_version);
            let title = match number {
                Some(n) => self.store.version(c, n).await?.map(|v| v.title),
                None => None,
            };
            course = Some((c, title.unwrap_or_default(), link(format!("courses/{c}"))));
        }
        let mut need = None;
        if let Some(n) = id_of("need_id")
            && let Some(row) = self.store.need(n).await?
        {
            groups.extend(
                self.store
                    .need_audiences(&[n])
                    .await?
                    .into_iter()
                    .map(|(_, g)| g),
            );
            need = Some((n, row.title, link(format!("needs/{n}"))));
        }
        let tree = self.group_tree().await?;
        let group_name = groups
            .first()
            .and_then(|g| tree.get(GroupId(*g)))
            .map(|node| node.name.clone());
        let mut reach: Vec<i64> = groups
            .iter()
            .flat_map(|g| tree.lineage(GroupId(*g)))
            .map(|g| g.0)
            .collect();
        reach.sort_unstable();
        reach.dedup();
        let facts = EventFacts {
            event_id,
            occurred_at: event
                .get("occurred_at")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            person,
            course,
            need,
            group_name,
            event: event.clone(),
        };
        Ok((facts, reach))
    }
}
