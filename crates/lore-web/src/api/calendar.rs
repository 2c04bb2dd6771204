//! `/me/calendar`: the caller's calendar feed of due dates, the twin of the account page's
//! "Calendar feed" card. The feed's address holds a secret, shown once when it is made;
//! Lore keeps only its hash.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use time::OffsetDateTime;

use super::ApiResult;
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// Whether the caller has a live calendar feed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarFeed {
    pub active: bool,
    /// When the live feed's address was made; `null` when there is none.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true, value_type = Option<String>, format = DateTime)]
    pub since: Option<OffsetDateTime>,
}

/// A feed address just made.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarAddress {
    /// The `.ics` address to subscribe to in a calendar app. It is the feed's only key:
    /// shown this once, and it stops working when revoked or replaced.
    pub url: String,
}

#[utoipa::path(
    get,
    path = "/me/calendar",
    operation_id = "my_calendar_feed",
    tag = "me",
    summary = "Whether the caller has a calendar feed of their due dates",
    responses(
        (status = 200, description = "The feed's state (never its address)", body = CalendarFeed),
        (status = 401, description = "No valid token or session", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<CalendarFeed>> {
    let since = state.app.calendar_since(&caller).await?;
    Ok(Json(CalendarFeed {
        active: since.is_some(),
        since,
    }))
}

#[utoipa::path(
    post,
    path = "/me/calendar",
    operation_id = "create_calendar_feed",
    tag = "me",
    summary = "Make the caller's calendar feed address (replacing any earlier one)",
    description = "The feed lists the due dates of everything assigned to the caller and \
                   not done, as iCalendar. An earlier address stops working at once.",
    responses(
        (status = 201, description = "The new address, shown this once", body = CalendarAddress),
        (status = 401, description = "No valid token or session", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<(StatusCode, Json<CalendarAddress>)> {
    let token = state.app.create_calendar_token(&caller).await?;
    Ok((
        StatusCode::CREATED,
        Json(CalendarAddress {
            url: format!("{}/calendar/{token}.ics", state.options.public_url),
        }),
    ))
}

#[utoipa::path(
    delete,
    path = "/me/calendar",
    operation_id = "revoke_calendar_feed",
    tag = "me",
    summary = "Turn the caller's calendar feed off: its address stops working at once",
    description = "Harmless when there is no feed.",
    responses(
        (status = 204, description = "Off"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
    )
)]
pub async fn revoke(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<StatusCode> {
    state.app.revoke_calendar_token(&caller).await?;
    Ok(StatusCode::NO_CONTENT)
}
