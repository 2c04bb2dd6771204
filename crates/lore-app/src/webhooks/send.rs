//! Sending one delivery, as a job: check the address again and connect to the addresses
//! checked, sign (Lore's format), POST with a 10-second limit and no redirects, log the
//! attempt, and queue the next one on the back-off schedule when it failed.

use std::time::{Duration as StdDuration, Instant};

use lore_domain::webhook::{self, DeliveryStatus, HookFormat};
use lore_store::{AttemptOutcome, WebhookDeliveryRow, WebhookRow};
use serde::Deserialize;

use super::address::{Refusal, resolve};
use super::signature::sign;
use crate::App;
use crate::jobs::JobError;

/// The job kind of a delivery attempt.
pub(crate) const WEBHOOK_JOB: &str = "webhook-delivery";

/// How often the job system retries an attempt that could not even be recorded (database
/// trouble); the delivery's own schedule is kept by the delivery row.
pub(crate) const JOB_ATTEMPTS: i32 = 5;

/// How long a receiver has to answer.
const TIMEOUT: StdDuration = StdDuration::from_secs(10);

/// How much of a receiver's answer the log keeps.
const EXCERPT_BYTES: usize = 500;

#[derive(Deserialize)]
struct Payload {
    delivery: i64,
    /// The delivery's attempts when this job was queued: a job that finds more was
    /// overtaken (by a redelivery) and does nothing.
    attempts: i32,
    #[serde(default)]
    manual: bool,
}

/// What came back from one try.
struct Sent {
    status_code: Option<i32>,
    excerpt: Option<String>,
    error: Option<String>,
    delivered: bool,
    /// Trying again cannot help (the address is refused).
    permanent: bool,
}

impl App {
    pub(crate) async fn send_webhook(&self, payload: &str) -> Result<Option<String>, JobError> {
        let p: Payload = serde_json::from_str(payload)
            .map_err(|e| JobError::GiveUp(format!("bad webhook job payload: {e}")))?;
        let Some(delivery) = self.store.delivery(p.delivery).await? else {
            return Ok(Some("the delivery is gone".into()));
        };
        if delivery.attempts != p.attempts
            || (!p.manual && delivery.status != DeliveryStatus::Pending.as_str())
        {
            return Ok(Some("overtaken by another attempt".into()));
        }
        let Some(hook) = self.store.webhook(delivery.subscription_id).await? else {
            return Ok(Some("the webhook is gone".into()));
        };
        if !hook.enabled {
            return Ok(Some("the webhook is disabled; the delivery waits".into()));
        }
        let started = Instant::now();
        let sent = self.attempt(&hook, &delivery).await;
        let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let now = self.now();
        let next = if sent.delivered || sent.permanent {
            None
        } else {
            webhook::next_attempt_after(delivery.attempts + 1, now - delivery.created_at)
        };
        let status = match (sent.delivered, next) {
            (true, _) => DeliveryStatus::Delivered,
            (false, Some(_)) => DeliveryStatus::Pending,
            (false, None) => DeliveryStatus::Failed,
        };
        let note = format!(
            "{} {}",
            status.as_str(),
            sent.status_code.map(|c| c.to_string()).unwrap_or_default()
        );
        let outcome = AttemptOutcome {
            manual: p.manual,
            status_code: sent.status_code,
            duration_ms,
            response_excerpt: sent.excerpt,
            error: sent.error,
            status: status.as_str(),
            next_attempt_at: next.map(|pause| now + pause),
        };
        let attempts = delivery.attempts;
        self.unit_of_work(|app| async move {
            let recorded = app
                .store
                .record_attempt(delivery.id, attempts, outcome, now)
                .await?;
            if recorded && let Some(pause) = next {
                app.queue_attempt(delivery.id, attempts + 1, now + pause, false)
                    .await?;
            }
            Ok(())
        })
        .await
        .map_err(|e| JobError::Retry(format!("recording a webhook attempt: {e}")))?;
        Ok(Some(note.trim().to_owned()))
    }

    /// One POST of the delivery's body to the subscription's address.
    async fn attempt(&self, hook: &WebhookRow, delivery: &WebhookDeliveryRow) -> Sent {
        let failed = |error: String, permanent: bool| Sent {
            status_code: None,
            excerpt: None,
            error: Some(error),
            delivered: false,
            permanent,
        };
        let target = match resolve(&hook.url, &self.settings.webhooks.allow_private).await {
            Ok(t) => t,
            Err(r @ Refusal::Unresolved(_)) => return failed(r.message(), false),
            Err(r) => return failed(format!("refused: {}", r.message()), true),
        };
        let mut client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .no_proxy()
            .user_agent(concat!("Lore-Webhooks/", env!("CARGO_PKG_VERSION")));
        if let Some(host) = &target.host {
            client = client.resolve_to_addrs(host, &target.addrs);
        }
        let client = match client.build() {
            Ok(c) => c,
            Err(e) => return failed(format!("HTTP client: {e}"), false),
        };
        let body = delivery.body.clone().into_bytes();
        let mut request = client
            .post(target.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        if HookFormat::parse(&hook.format) == Ok(HookFormat::Lore) {
            let timestamp = self.now().unix_timestamp();
            let mut signatures = Vec::new();
            if let Some(secret) = &hook.secret {
                signatures.push(sign(secret, timestamp, &body));
            }
            if let (Some(old), Some(until)) = (&hook.previous_secret, hook.previous_until)
                && until > self.now()
            {
                signatures.push(sign(old, timestamp, &body));
            }
            request = request
                .header("Lore-Webhook-Id", &delivery.public_id)
                .header("Lore-Webhook-Timestamp", timestamp.to_string())
                .header(
                    "Lore-Webhook-Signature",
                    webhook::signature_header(timestamp, &signatures),
                );
        }
        match request.body(body).send().await {
            Ok(mut response) => {
                let code = response.status();
                let mut excerpt = Vec::new();
                while excerpt.len() < EXCERPT_BYTES {
                    match response.chunk().await {
                        Ok(Some(chunk)) => excerpt.extend_from_slice(&chunk),
                        _ => break,
                    }
                }
                excerpt.truncate(EXCERPT_BYTES);
                let excerpt = String::from_utf8_lossy(&excerpt).into_owned();
                Sent {
                    status_code: Some(i32::from(code.as_u16())),
                    excerpt: (!excerpt.is_empty()).then_some(excerpt),
                    error: (!code.is_success()).then(|| {
                        if code.is_redirection() {
                            "redirects are not followed".to_owned()
                        } else {
                            format!("the receiver answered {code}")
                        }
                    }),
                    delivered: code.is_success(),
                    permanent: false,
                }
            }
            Err(e) if e.is_timeout() => failed("no answer within 10 seconds".into(), false),
            Err(e) if e.is_connect() => failed("could not connect".into(), false),
            Err(e) => failed(format!("sending failed: {e}"), false),
        }
    }
}
