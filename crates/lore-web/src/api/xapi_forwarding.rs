//! `/xapi/forwarding`: forwarding every statement of the learning record store to another
//! LRS, for platform administrators; the dead letters and their replay. The secret is
//! written, never read back (`secret_set` says whether there is one).

use axum::Json;
use axum::extract::State;
use lore_app::xapi_forwarding::{self as fw, ForwardingChange};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ApiResult;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::platform_caller::{ForwardStatements, PlatformCaller};
use crate::WebState;
use crate::error::{ApiError, ErrorBody};

/// Forwarding's settings and how sending goes.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Forwarding {
    pub enabled: bool,
    /// The other store's base address, ending in `/`; Lore POSTs to `{endpoint}statements`.
    pub endpoint: String,
    /// The HTTP Basic user name.
    pub key: String,
    /// Whether a secret (the Basic password) is kept; it is never shown.
    pub secret_set: bool,
    /// `1.0.3` or `2.0.0`, sent as `X-Experience-API-Version`.
    pub version: String,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub updated_at: Option<OffsetDateTime>,
    /// Statements delivered so far.
    pub delivered: i64,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub last_delivered_at: Option<OffsetDateTime>,
    /// Failed attempts at the batch waiting now (0: none is failing).
    pub failed_attempts: i32,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub next_attempt_at: Option<OffsetDateTime>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    /// Dead letters kept.
    pub dead_letters: u64,
}

impl From<fw::Forwarding> for Forwarding {
    fn from(f: fw::Forwarding) -> Self {
        Forwarding {
            enabled: f.enabled,
            endpoint: f.endpoint,
            key: f.key,
            secret_set: f.secret_set,
            version: f.version,
            updated_at: f.updated_at,
            delivered: f.delivered,
            last_delivered_at: f.last_delivered_at,
            failed_attempts: f.failed_attempts,
            next_attempt_at: f.next_attempt_at,
            last_status: f.last_status,
            last_error: f.last_error,
            dead_letters: f.dead_letters,
        }
    }
}

/// New settings.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForwardingInput {
    /// Switching on starts from the newest statement: statements stored while forwarding
    /// was off are never sent.
    pub enabled: bool,
    /// The other store's base address, like `https://lrs.example.com/xapi/`.
    #[serde(default)]
    pub endpoint: String,
    /// The HTTP Basic user name.
    #[serde(default)]
    pub key: String,
    /// The HTTP Basic password; leave it out (or empty) to keep the one set.
    #[serde(default)]
    pub secret: Option<String>,
    /// `1.0.3` (the default) or `2.0.0`.
    #[serde(default = "default_version")]
    pub version: String,
}

fn default_version() -> String {
    "1.0.3".to_owned()
}

/// Statements the other store refused, or that failed every retry.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeadLetter {
    pub id: i64,
    pub statement_ids: Vec<String>,
    /// The storing order of the first and last of them.
    pub first_seq: i64,
    pub last_seq: i64,
    /// The other store's last answer (`null`: none came).
    pub status_code: Option<i32>,
    pub error: String,
    pub attempts: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub last_attempt_at: OffsetDateTime,
    /// Waiting to be sent again.
    pub replay_requested: bool,
}

/// One page of dead letters, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeadLetterPage {
    pub dead_letters: Vec<DeadLetter>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

/// How many dead letters were queued to be sent again.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Replay {
    pub queued: u64,
}

/// Which page.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParam {
    /// From 1 (the default).
    #[param(minimum = 1)]
    pub page: Option<u64>,
}

#[utoipa::path(
    get,
    path = "/xapi/forwarding",
    operation_id = "get_xapi_forwarding",
    tag = "admin",
    summary = "Forwarding statements to another learning record store: settings and state",
    responses(
        (status = 200, description = "The settings (never the secret) and how sending goes", body = Forwarding),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not a platform administrator", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ForwardStatements>,
) -> ApiResult<Json<Forwarding>> {
    Ok(Json(state.app.xapi_forwarding(&caller).await?.into()))
}

#[utoipa::path(
    put,
    path = "/xapi/forwarding",
    operation_id = "set_xapi_forwarding",
    tag = "admin",
    summary = "Change forwarding statements to another learning record store",
    request_body = ForwardingInput,
    responses(
        (status = 200, description = "Saved", body = Forwarding),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not a platform administrator", body = ErrorBody),
        (status = 422, description = "Not valid (an address that is not http(s) or reaches a private network, a missing key or secret, an unknown version); nothing changed", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ForwardStatements>,
    ApiJson(body): ApiJson<ForwardingInput>,
) -> ApiResult<Json<Forwarding>> {
    let change = ForwardingChange {
        enabled: body.enabled,
        endpoint: &body.endpoint,
        key: &body.key,
        secret: body.secret.as_deref(),
        version: &body.version,
    };
    Ok(Json(
        state.app.set_xapi_forwarding(&caller, change).await?.into(),
    ))
}

#[utoipa::path(
    get,
    path = "/xapi/forwarding/dead-letters",
    operation_id = "list_xapi_dead_letters",
    tag = "admin",
    summary = "Statements the other learning record store refused, newest first",
    params(PageParam),
    responses(
        (status = 200, description = "One page", body = DeadLetterPage),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not a platform administrator", body = ErrorBody),
    )
)]
pub async fn dead_letters(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ForwardStatements>,
    ApiQuery(q): ApiQuery<PageParam>,
) -> ApiResult<Json<DeadLetterPage>> {
    let page = q.page.unwrap_or(1);
    if page == 0 {
        return Err(ApiError(lore_app::AppError::invalid(
            "page",
            "Pages are numbered from 1.",
        )));
    }
    let page = state.app.xapi_dead_letters(&caller, page).await?;
    Ok(Json(DeadLetterPage {
        dead_letters: page
            .letters
            .into_iter()
            .map(|d| DeadLetter {
                id: d.id,
                statement_ids: d.statement_ids,
                first_seq: d.first_seq,
                last_seq: d.last_seq,
                status_code: d.status_code,
                error: d.error,
                attempts: d.attempts,
                created_at: d.created_at,
                last_attempt_at: d.last_attempt_at,
                replay_requested: d.replay_requested,
            })
            .collect(),
        total: page.total,
        page: page.page,
        page_size: page.per_page,
    }))
}

#[utoipa::path(
    post,
    path = "/xapi/forwarding/dead-letters/{id}/replay",
    operation_id = "replay_xapi_dead_letter",
    tag = "admin",
    summary = "Send a dead letter again (the worker sends it within seconds; it is removed once it arrives)",
    params(("id" = i64, Path, description = "The dead letter's id")),
    responses(
        (status = 200, description = "Queued", body = Replay),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not a platform administrator", body = ErrorBody),
        (status = 404, description = "No such dead letter", body = ErrorBody),
    )
)]
pub async fn replay(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ForwardStatements>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Replay>> {
    let queued = state
        .app
        .replay_xapi_dead_letters(&caller, Some(id))
        .await?;
    Ok(Json(Replay { queued }))
}

#[utoipa::path(
    post,
    path = "/xapi/forwarding/dead-letters/replay",
    operation_id = "replay_all_xapi_dead_letters",
    tag = "admin",
    summary = "Send every dead letter again",
    responses(
        (status = 200, description = "Queued", body = Replay),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not a platform administrator", body = ErrorBody),
    )
)]
pub async fn replay_all(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ForwardStatements>,
) -> ApiResult<Json<Replay>> {
    let queued = state.app.replay_xapi_dead_letters(&caller, None).await?;
    Ok(Json(Replay { queued }))
}
