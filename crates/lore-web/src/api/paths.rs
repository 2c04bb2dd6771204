//! `/paths`, `/assignments` and progress: the twins of the path, assign and progress pages.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use lore_app::AppError;
use lore_app::assignment_progress::{MyAssignment, ProgressFilter, ProgressReport};
use lore_app::assignments::{AssignOutcome, AssignRequest, Target};
use lore_app::paths::{PathDetails, PathEdit, PathSummary, PathVersionView, PathView};
use lore_domain::assignment::{AssigneeStatus, Due, ReminderRule};
use lore_domain::path::{ItemRef, PathItem, PathOrder};
use serde::Deserialize;

use super::ApiResult;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::WebState;
use crate::error::ErrorBody;
use crate::pages::assignments::parse_target;
use crate::session::ApiCaller;

/// A new path.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPath {
    /// A group the caller coaches.
    pub group_id: i64,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// `linear` or `free`.
    pub order: String,
}

/// One item of a path's draft.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftItem {
    /// `course:12` or `path:3`.
    pub item: String,
    pub mandatory: bool,
    #[serde(default)]
    pub final_evaluation: bool,
    /// Items of the path to complete first (`course:12`).
    #[serde(default)]
    pub after: Vec<String>,
}

/// A path's whole draft.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// `linear` or `free`.
    pub order: String,
    pub items: Vec<DraftItem>,
}

/// An assignment of a course or a path.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssignment {
    /// `course:12` or `path:3`.
    pub target: String,
    #[serde(default)]
    pub group_ids: Vec<i64>,
    #[serde(default)]
    pub emails: Vec<String>,
    /// A fixed due date (RFC 3339), or
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub due_at: Option<time::OffsetDateTime>,
    /// a number of days after each person is reached.
    #[serde(default)]
    pub due_days: Option<u32>,
    /// `{"before_days":[7,1],"overdue_every_days":7}`
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub reminder_rule: Option<serde_json::Value>,
}

/// Filters of a progress report.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgressQuery {
    /// People in this group or below it.
    pub group_id: Option<i64>,
    /// `not_started`, `in_progress`, `done`, `overdue` or `left`.
    pub status: Option<String>,
    /// People whose manager has this address.
    pub manager: Option<String>,
}

impl ProgressQuery {
    fn filter(self) -> Result<ProgressFilter, AppError> {
        Ok(ProgressFilter {
            group_id: self.group_id,
            status: self
                .status
                .as_deref()
                .map(AssigneeStatus::parse)
                .transpose()?,
            manager_email: self.manager,
        })
    }
}

fn draft_items(items: Vec<DraftItem>) -> Result<Vec<PathItem>, AppError> {
    items
        .into_iter()
        .map(|i| {
            Ok(PathItem {
                item: ItemRef::parse(&i.item)?,
                mandatory: i.mandatory,
                final_evaluation: i.final_evaluation,
                after: i
                    .after
                    .iter()
                    .map(|a| ItemRef::parse(a))
                    .collect::<Result<_, _>>()?,
            })
        })
        .collect()
}

fn view_json(v: PathView) -> serde_json::Value {
    serde_json::json!({
        "id": v.ctx.path.id,
        "title": v.ctx.path.title,
        "description": v.ctx.path.description,
        "group_id": v.ctx.path.group_id,
        "group_path": v.ctx.group_path,
        "version": v.version,
        "order": v.order,
        "percent": v.percent,
        "complete": v.complete,
        "can_coach": v.can_coach,
        "items": v.items,
    })
}

#[utoipa::path(get, path = "/paths", operation_id = "list_paths", tag = "paths",
    summary = "The paths the caller may see",
    responses((status = 200, description = "The paths", body = [Object]),
        (status = 401, description = "No valid token or session", body = ErrorBody)))]
pub async fn list(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<PathSummary>>> {
    Ok(Json(state.app.paths(&caller).await?))
}

#[utoipa::path(post, path = "/paths", operation_id = "create_path", tag = "paths",
    summary = "Create a path in a group the caller coaches", request_body = NewPath,
    responses((status = 201, description = "The path, as `GET /paths/{id}` shows it", body = Object),
        (status = 422, description = "Bad input", body = ErrorBody)))]
pub async fn create(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewPath>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let details = PathDetails {
        title: body.title,
        description: body.description,
        order: PathOrder::parse(&body.order).map_err(AppError::from)?,
    };
    let row = state
        .app
        .create_path(&caller, body.group_id, details)
        .await?;
    let view = state.app.path_view(&caller, row.id).await?;
    Ok((StatusCode::CREATED, Json(view_json(view))))
}

#[utoipa::path(get, path = "/paths/{id}", operation_id = "get_path", tag = "paths",
    summary = "A path with the caller's progress on each item and what unlocks next",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The path", body = Object),
        (status = 404, description = "No such path for the caller", body = ErrorBody)))]
pub async fn show(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(view_json(state.app.path_view(&caller, id).await?)))
}

#[utoipa::path(put, path = "/paths/{id}/draft", operation_id = "put_path_draft", tag = "paths",
    summary = "Replace a path's draft: details and items", request_body = Draft,
    params(("id" = i64, Path)),
    responses((status = 204, description = "Saved"),
        (status = 422, description = "Bad input: a path containing itself, a prerequisite cycle, …", body = ErrorBody)))]
pub async fn put_draft(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Draft>,
) -> ApiResult<StatusCode> {
    let details = PathDetails {
        title: body.title,
        description: body.description,
        order: PathOrder::parse(&body.order).map_err(AppError::from)?,
    };
    let items = draft_items(body.items)?;
    state
        .app
        .edit_path(&caller, id, PathEdit::Whole(details, items))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/paths/{id}/publish", operation_id = "publish_path", tag = "paths",
    summary = "Publish the draft as the next version", params(("id" = i64, Path)),
    responses((status = 200, description = "`{\"version\": n}`", body = Object),
        (status = 409, description = "The draft has no course yet (`empty_path`)", body = ErrorBody),
        (status = 422, description = "A bad path: an item the caller may not use, or a cycle", body = ErrorBody)))]
pub async fn publish(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<serde_json::Value>> {
    let version = state.app.publish_path(&caller, id).await?;
    Ok(Json(serde_json::json!({ "version": version })))
}

#[utoipa::path(get, path = "/paths/{id}/versions", operation_id = "list_path_versions", tag = "paths",
    summary = "Published versions with their change lists, newest first", params(("id" = i64, Path)),
    responses((status = 200, description = "The versions", body = [Object]),
        (status = 404, description = "No such path for the caller", body = ErrorBody)))]
pub async fn versions(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<PathVersionView>>> {
    Ok(Json(state.app.path_versions(&caller, id).await?.1))
}

#[utoipa::path(get, path = "/paths/{id}/progress", operation_id = "path_progress", tag = "paths",
    summary = "Progress per person and per group on a path (its coaches)",
    params(("id" = i64, Path), ProgressQuery),
    responses((status = 200, description = "The report", body = Object),
        (status = 403, description = "Not a coach of the path", body = ErrorBody)))]
pub async fn path_progress(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ProgressQuery>,
) -> ApiResult<Json<ProgressReport>> {
    Ok(Json(
        state
            .app
            .target_progress(&caller, Target::Path(id), &q.filter()?)
            .await?,
    ))
}

#[utoipa::path(get, path = "/courses/{id}/progress", operation_id = "course_progress", tag = "paths",
    summary = "Progress per person and per group on a course's assignments (its coaches)",
    params(("id" = i64, Path), ProgressQuery),
    responses((status = 200, description = "The report", body = Object),
        (status = 403, description = "Not a coach of the course", body = ErrorBody)))]
pub async fn course_progress(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ProgressQuery>,
) -> ApiResult<Json<ProgressReport>> {
    Ok(Json(
        state
            .app
            .target_progress(&caller, Target::Course(id), &q.filter()?)
            .await?,
    ))
}

#[utoipa::path(post, path = "/assignments", operation_id = "create_assignment", tag = "paths",
    summary = "Assign a course or a path to groups and people", request_body = NewAssignment,
    responses((status = 201, description = "The assignments made and how many people they reached", body = Object),
        (status = 422, description = "Bad input: a past due date, a group the caller does not coach, …", body = ErrorBody)))]
pub async fn assign(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewAssignment>,
) -> ApiResult<(StatusCode, Json<AssignOutcome>)> {
    let due = due_of(body.due_at, body.due_days)?;
    let reminder_rule = body
        .reminder_rule
        .map(|v| ReminderRule::parse_json(&v.to_string()))
        .transpose()
        .map_err(AppError::from)?;
    let request = AssignRequest {
        target: parse_target(&body.target)?,
        group_ids: body.group_ids,
        emails: body.emails,
        due,
        reminder_rule,
    };
    Ok((
        StatusCode::CREATED,
        Json(state.app.assign_target(&caller, request).await?),
    ))
}

/// A due date given as a fixed time or as days after each person is reached, not both.
pub(super) fn due_of(
    due_at: Option<time::OffsetDateTime>,
    due_days: Option<u32>,
) -> Result<Due, AppError> {
    match (due_at, due_days) {
        (Some(_), Some(_)) => Err(AppError::invalid(
            "due_at",
            "Give due_at or due_days, not both.",
        )),
        (Some(at), None) => Ok(Due::At(at)),
        (None, Some(d)) => Ok(Due::Within(d)),
        (None, None) => Ok(Due::None),
    }
}

#[utoipa::path(delete, path = "/assignments/{id}", operation_id = "unassign", tag = "paths",
    summary = "Take an assignment back: it reaches nobody from now on, their reminders stop, people keep their progress",
    params(("id" = i64, Path, description = "The assignment (`assignments[].id` of the course's or path's progress)")),
    responses((status = 204, description = "Removed; everyone it reached is marked as left"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not a coach of the course or path, of the group it was assigned to, or of the person", body = ErrorBody),
        (status = 404, description = "No such assignment, or it was already removed", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody)))]
pub async fn unassign(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.unassign(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/me/assignments", operation_id = "my_assignments", tag = "paths",
    summary = "What is assigned to the caller, with progress and the next step",
    responses((status = 200, description = "The assignments", body = [Object]),
        (status = 401, description = "No valid token or session", body = ErrorBody)))]
pub async fn mine(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<MyAssignment>>> {
    Ok(Json(state.app.my_assignments(&caller).await?))
}
