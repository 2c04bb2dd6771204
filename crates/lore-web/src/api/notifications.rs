//! `/notifications`: the caller's notifications with the unread count, marking one or all read.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use lore_app::NotificationRow;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ApiResult;
use super::extract::{ApiPath, ApiQuery};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// How many notifications to list when `limit` is left out.
const DEFAULT_LIMIT: u64 = 50;

/// Paging of the list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct NotificationFilters {
    /// How many, newest first: 1 to 200 (values outside are brought within), 50 by default.
    pub limit: Option<u64>,
}

/// Something the caller was told.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Notification {
    pub id: i64,
    /// `reaction`, `thread`, `suggested-edit`, `reply`, `mention`, `resolution`,
    /// `edit-decision`, `need` (a need one follows changed), `expert-request` or
    /// `need-asked` (someone asked for a need in a group one coaches).
    pub kind: String,
    pub title: String,
    pub body: String,
    /// A path inside Lore, relative to the site: `/courses/3/feedback`.
    pub link: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub read: bool,
}

impl From<NotificationRow> for Notification {
    fn from(n: NotificationRow) -> Self {
        Notification {
            id: n.id,
            kind: n.kind,
            title: n.title,
            body: n.body,
            link: n.link,
            created_at: n.created_at,
            read: n.read_at.is_some(),
        }
    }
}

/// The caller's notifications, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NotificationList {
    /// Unread notifications in all, not only those listed.
    pub unread: u64,
    pub items: Vec<Notification>,
}

/// How many notifications were marked read.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MarkedRead {
    pub marked: u64,
}

#[utoipa::path(
    get,
    path = "/notifications",
    operation_id = "list_notifications",
    tag = "notifications",
    summary = "The caller's notifications, newest first, with the unread count",
    params(NotificationFilters),
    responses(
        (status = 200, description = "The notifications", body = NotificationList),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 422, description = "`limit` is not a whole number", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(f): ApiQuery<NotificationFilters>,
) -> ApiResult<Json<NotificationList>> {
    let rows = state
        .app
        .notifications(&caller, f.limit.unwrap_or(DEFAULT_LIMIT))
        .await?;
    Ok(Json(NotificationList {
        unread: state.app.unread_count(&caller).await?,
        items: rows.into_iter().map(Notification::from).collect(),
    }))
}

#[utoipa::path(
    post,
    path = "/notifications/{id}/read",
    operation_id = "read_notification",
    tag = "notifications",
    summary = "Mark one of the caller's notifications read",
    params(("id" = i64, Path, description = "The notification")),
    responses(
        (status = 204, description = "Marked read (or it already was)"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "The caller has no such notification", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn read(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.open_notification(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/notifications/read-all",
    operation_id = "read_all_notifications",
    tag = "notifications",
    summary = "Mark all of the caller's notifications read",
    responses(
        (status = 200, description = "Marked read", body = MarkedRead),
        (status = 401, description = "No valid token or session", body = ErrorBody),
    )
)]
pub async fn read_all(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<MarkedRead>> {
    let marked = state.app.mark_all_read(&caller).await?;
    Ok(Json(MarkedRead { marked }))
}
