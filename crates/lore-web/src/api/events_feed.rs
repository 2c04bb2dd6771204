//! `GET /events`: the event log for reporting tools, oldest first from a cursor — the same
//! use case as every other reader of the log (`App::events_feed`, docs/decisions/0049).

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::ApiResult;
use super::extract::ApiQuery;
use super::platform_caller::{PlatformCaller, ViewInstance};
use crate::WebState;
use crate::error::ErrorBody;

/// Where to start and how many.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsParams {
    /// The cursor kept from the previous pull (`next`, or an event's `cursor`); from the
    /// beginning when left out.
    #[param(pattern = r"^([0-9]+-[0-9]+)?$", example = "0-1042")]
    pub since: Option<String>,
    /// Events to return (100 by default).
    #[param(minimum = 1, maximum = 1000, example = 100)]
    pub limit: Option<u64>,
}

/// One event of the log (docs/events.md).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(example = json!({
    "cursor": "0-1042", "id": 1042, "verb": "completed-step", "user_id": 7,
    "user_name": "Ada Lovelace", "course_id": 3, "course_title": "Pricing",
    "version_number": 1, "step_key": "s-1", "attempt_id": null, "need_id": null,
    "path_title": null, "registration": "5f0c…", "group_id": 2,
    "data": {"seconds": 30}, "occurred_at": "2026-12-01T09:30:00Z"
}))]
pub struct FeedEvent {
    /// Resume after this event by passing it as `since`.
    pub cursor: String,
    pub id: i64,
    /// What happened: `enrolled`, `viewed-step`, `completed-step`, `submitted-attempt`,
    /// `completed-course`, `published-version`, … (docs/events.md).
    pub verb: String,
    pub user_id: i64,
    pub user_name: String,
    pub course_id: Option<i64>,
    /// The title of the course version the event is about.
    pub course_title: Option<String>,
    pub version_number: Option<i32>,
    pub step_key: Option<String>,
    pub attempt_id: Option<i64>,
    pub need_id: Option<i64>,
    /// `completed-path`: the path's title.
    pub path_title: Option<String>,
    /// The enrolment's registration (a UUID), when the person was enrolled.
    pub registration: Option<String>,
    pub group_id: Option<i64>,
    /// The verb's own details, as recorded.
    #[schema(value_type = Option<Object>)]
    pub data: Option<serde_json::Value>,
    /// When it happened (RFC 3339, UTC).
    pub occurred_at: String,
}

/// One page of the feed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventsFeed {
    pub events: Vec<FeedEvent>,
    /// Keep this and pass it as `since` next time (the `since` given when nothing was new).
    #[schema(example = "0-1042")]
    pub next: String,
    /// The page was full: ask again now for more.
    pub has_more: bool,
}

#[utoipa::path(
    get,
    path = "/events",
    operation_id = "list_events",
    tag = "admin",
    summary = "The event log after a cursor, oldest first",
    description = "Every learner and author action in commit order. Keep `next` and pass it as \
                   `since` on the next pull: each event appears once, in a stable order.",
    params(EventsParams),
    responses(
        (status = 200, description = "One page of events", body = EventsFeed),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Only platform administrators read the event log", body = ErrorBody),
        (status = 422, description = "A cursor not as the feed wrote it (`invalid_input`), or a limit out of range", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ViewInstance>,
    ApiQuery(q): ApiQuery<EventsParams>,
) -> ApiResult<Json<EventsFeed>> {
    let page = state
        .app
        .events_feed(&caller, q.since.as_deref(), q.limit)
        .await?;
    Ok(Json(EventsFeed {
        events: page
            .events
            .into_iter()
            .map(|e| FeedEvent {
                cursor: e.cursor,
                id: e.id,
                verb: e.verb,
                user_id: e.user_id,
                user_name: e.user_name,
                course_id: e.course_id,
                course_title: e.course_title,
                version_number: e.version_number,
                step_key: e.step_key,
                attempt_id: e.attempt_id,
                need_id: e.need_id,
                path_title: e.path_title,
                registration: e.registration,
                group_id: e.group_id,
                data: e.data,
                occurred_at: e
                    .occurred_at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
            })
            .collect(),
        next: page.next,
        has_more: page.has_more,
    }))
}
