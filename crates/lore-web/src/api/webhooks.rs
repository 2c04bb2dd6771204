//! `/webhooks`: the platform's signed webhooks (platform administrators), and
//! `/groups/{id}/chat-hooks`: a group's Slack and Teams hooks (its administrators). Both
//! kinds share the `/webhooks/{id}` operations: change, rotate, delete, delivery log,
//! redeliver.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use lore_app::webhooks::{DeliveryLine, Webhook, WebhookInput};
use lore_domain::webhook::HookFormat;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ApiResult;
use super::extract::{ApiJson, ApiPath};
use super::platform_caller::{ManageWebhooks, PlatformCaller};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// A subscription: never its secret.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WebhookOut {
    pub id: i64,
    /// The group of a chat hook; null for a platform webhook.
    #[schema(required = true)]
    pub group_id: Option<i64>,
    /// `lore` (signed JSON), `slack` or `teams`.
    pub format: String,
    pub url: String,
    pub description: String,
    /// Public event names, like `course.completed`.
    pub events: Vec<String>,
    pub enabled: bool,
    /// While the secret before the last rotation still signs: until when.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub previous_secret_until: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<Webhook> for WebhookOut {
    fn from(w: Webhook) -> Self {
        WebhookOut {
            id: w.id,
            group_id: w.group_id,
            format: w.format.as_str().to_owned(),
            url: w.url,
            description: w.description,
            events: w.events,
            enabled: w.enabled,
            previous_secret_until: w.previous_secret_until,
            created_at: w.created_at,
            updated_at: w.updated_at,
        }
    }
}

/// A subscription to create.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// http or https; private and local addresses are refused unless the operator allows
    /// their range.
    pub url: String,
    #[serde(default)]
    pub description: String,
    /// Public event names (see docs/events.md).
    pub events: Vec<String>,
}

/// A group's chat hook to create.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewChatHook {
    /// `slack` or `teams`.
    pub format: String,
    /// The incoming-webhook address the chat service gave.
    pub url: String,
    #[serde(default)]
    pub description: String,
    /// Any of `course.published`, `need.answered`, `assignment.overdue`.
    pub events: Vec<String>,
}

/// Changes to a subscription; fields left out stay as they are.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookChange {
    pub url: Option<String>,
    pub description: Option<String>,
    pub events: Option<Vec<String>>,
    /// false stops sending (deliveries wait); true resumes.
    pub enabled: Option<bool>,
}

/// A subscription just created, or a secret just rotated: the secret is shown this once.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WithSecret {
    pub webhook: WebhookOut,
    /// `whsec_…`: the key of the HMAC-SHA256 signatures. Null for chat hooks.
    #[schema(required = true)]
    pub secret: Option<String>,
}

/// One attempt at a delivery.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttemptOut {
    #[serde(with = "time::serde::rfc3339")]
    pub attempted_at: OffsetDateTime,
    /// Asked for by hand.
    pub manual: bool,
    #[schema(required = true)]
    pub status_code: Option<i32>,
    pub duration_ms: i64,
    /// The start of the receiver's answer.
    #[schema(required = true)]
    pub response_excerpt: Option<String>,
    #[schema(required = true)]
    pub error: Option<String>,
}

/// A delivery with its attempts.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeliveryOut {
    pub id: i64,
    /// The id receivers see (`Lore-Webhook-Id`, the body's `id`): the same on every attempt.
    pub delivery_id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub next_attempt_at: Option<OffsetDateTime>,
    pub attempts: Vec<AttemptOut>,
}

impl From<DeliveryLine> for DeliveryOut {
    fn from(l: DeliveryLine) -> Self {
        DeliveryOut {
            id: l.delivery.id,
            delivery_id: l.delivery.public_id,
            event_type: l.delivery.event_type,
            status: l.status.as_str().to_owned(),
            created_at: l.delivery.created_at,
            next_attempt_at: l.delivery.next_attempt_at,
            attempts: l
                .attempts
                .into_iter()
                .map(|a| AttemptOut {
                    attempted_at: a.attempted_at,
                    manual: a.manual,
                    status_code: a.status_code,
                    duration_ms: a.duration_ms,
                    response_excerpt: a.response_excerpt,
                    error: a.error,
                })
                .collect(),
        }
    }
}

#[utoipa::path(get, path = "/webhooks", operation_id = "list_webhooks", tag = "webhooks",
    summary = "The platform's webhooks",
    responses(
        (status = 200, description = "The webhooks", body = Vec<WebhookOut>),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not a platform administrator", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ManageWebhooks>,
) -> ApiResult<Json<Vec<WebhookOut>>> {
    let hooks = state.app.webhooks(&caller, None).await?;
    Ok(Json(hooks.into_iter().map(WebhookOut::from).collect()))
}

#[utoipa::path(post, path = "/webhooks", operation_id = "create_webhook", tag = "webhooks",
    summary = "Subscribe an address to events",
    request_body = NewWebhook,
    responses(
        (status = 201, description = "Created; `secret` is shown only now", body = WithSecret),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not a platform administrator", body = ErrorBody),
        (status = 422, description = "A bad or refused address, or unknown events", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ManageWebhooks>,
    ApiJson(body): ApiJson<NewWebhook>,
) -> ApiResult<(StatusCode, Json<WithSecret>)> {
    let input = WebhookInput {
        url: &body.url,
        description: &body.description,
        events: &body.events,
    };
    let (hook, secret) = state
        .app
        .create_webhook(&caller, None, HookFormat::Lore, input)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(WithSecret {
            webhook: hook.into(),
            secret,
        }),
    ))
}

#[utoipa::path(get, path = "/groups/{id}/chat-hooks", operation_id = "list_chat_hooks",
    tag = "webhooks", summary = "A group's Slack and Teams hooks",
    params(("id" = i64, Path, description = "The group's id")),
    responses(
        (status = 200, description = "The hooks", body = Vec<WebhookOut>),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not an administrator of the group", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
    ))]
pub async fn chat_hooks(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(group_id): ApiPath<i64>,
) -> ApiResult<Json<Vec<WebhookOut>>> {
    let hooks = state.app.webhooks(&caller, Some(group_id)).await?;
    Ok(Json(hooks.into_iter().map(WebhookOut::from).collect()))
}

#[utoipa::path(post, path = "/groups/{id}/chat-hooks", operation_id = "create_chat_hook",
    tag = "webhooks", summary = "Post a group's events to Slack or Teams",
    params(("id" = i64, Path, description = "The group's id")),
    request_body = NewChatHook,
    responses(
        (status = 201, description = "Created", body = WithSecret),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not an administrator of the group", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
        (status = 422, description = "A bad or refused address, format or events", body = ErrorBody),
    ))]
pub async fn create_chat_hook(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(group_id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewChatHook>,
) -> ApiResult<(StatusCode, Json<WithSecret>)> {
    let format = HookFormat::parse(&body.format).map_err(lore_app::AppError::from)?;
    let input = WebhookInput {
        url: &body.url,
        description: &body.description,
        events: &body.events,
    };
    let (hook, secret) = state
        .app
        .create_webhook(&caller, Some(group_id), format, input)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(WithSecret {
            webhook: hook.into(),
            secret,
        }),
    ))
}

#[utoipa::path(get, path = "/webhooks/{id}", operation_id = "show_webhook", tag = "webhooks",
    summary = "One webhook or chat hook",
    params(("id" = i64, Path, description = "The webhook's id")),
    responses(
        (status = 200, description = "The webhook", body = WebhookOut),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such webhook the caller may manage", body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ManageWebhooks>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<WebhookOut>> {
    Ok(Json(state.app.webhook(&caller, id).await?.into()))
}

#[utoipa::path(patch, path = "/webhooks/{id}", operation_id = "update_webhook",
    tag = "webhooks", summary = "Change a webhook's address, events, description, or stop and resume it",
    params(("id" = i64, Path, description = "The webhook's id")),
    request_body = WebhookChange,
    responses(
        (status = 200, description = "Changed", body = WebhookOut),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such webhook the caller may manage", body = ErrorBody),
        (status = 422, description = "A bad or refused address, or unknown events", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ManageWebhooks>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<WebhookChange>,
) -> ApiResult<Json<WebhookOut>> {
    let change = lore_app::webhooks::WebhookChange {
        url: body.url.as_deref(),
        description: body.description.as_deref(),
        events: body.events.as_deref(),
        enabled: body.enabled,
    };
    let hook = state.app.update_webhook(&caller, id, change).await?;
    Ok(Json(hook.into()))
}

#[utoipa::path(delete, path = "/webhooks/{id}", operation_id = "delete_webhook",
    tag = "webhooks", summary = "Delete a webhook with its delivery log",
    params(("id" = i64, Path, description = "The webhook's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such webhook the caller may manage", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ManageWebhooks>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.delete_webhook(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/webhooks/{id}/rotate", operation_id = "rotate_webhook_secret",
    tag = "webhooks",
    summary = "A new signing secret; the old one keeps signing beside it for 24 hours",
    params(("id" = i64, Path, description = "The webhook's id")),
    responses(
        (status = 200, description = "Rotated; `secret` is shown only now", body = WithSecret),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such webhook the caller may manage", body = ErrorBody),
        (status = 422, description = "A chat hook has no secret", body = ErrorBody),
    ))]
pub async fn rotate(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ManageWebhooks>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<WithSecret>> {
    let (hook, secret) = state.app.rotate_webhook_secret(&caller, id).await?;
    Ok(Json(WithSecret {
        webhook: hook.into(),
        secret: Some(secret),
    }))
}

#[utoipa::path(get, path = "/webhooks/{id}/deliveries", operation_id = "list_webhook_deliveries",
    tag = "webhooks", summary = "The newest 50 deliveries with every attempt",
    params(("id" = i64, Path, description = "The webhook's id")),
    responses(
        (status = 200, description = "Newest first", body = Vec<DeliveryOut>),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such webhook the caller may manage", body = ErrorBody),
    ))]
pub async fn deliveries(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ManageWebhooks>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<DeliveryOut>>> {
    let lines = state.app.webhook_deliveries(&caller, id).await?;
    Ok(Json(lines.into_iter().map(DeliveryOut::from).collect()))
}

#[utoipa::path(post, path = "/webhooks/{id}/deliveries/{delivery}/redeliver",
    operation_id = "redeliver_webhook", tag = "webhooks",
    summary = "Send a delivery again (same id and body), whatever its status",
    params(
        ("id" = i64, Path, description = "The webhook's id"),
        ("delivery" = i64, Path, description = "The delivery's number in the log (`id`)"),
    ),
    responses(
        (status = 202, description = "Queued"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such webhook or delivery", body = ErrorBody),
    ))]
pub async fn redeliver(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ManageWebhooks>,
    ApiPath((id, delivery)): ApiPath<(i64, i64)>,
) -> ApiResult<StatusCode> {
    state.app.redeliver(&caller, id, delivery).await?;
    Ok(StatusCode::ACCEPTED)
}
