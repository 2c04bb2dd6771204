//! The review settings' API twins: a group's review rules, a course's check interval, and
//! the experts named to review a course. The same use cases as the group and review pages.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::ApiResult;
use super::extract::{ApiJson, ApiPath};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// A group's review rules.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRules {
    /// Courses of the group and the groups below it need a reviewer's approval to go live.
    pub review_required: bool,
    /// Days between checks of its courses, 1 to 3650; `null` or left out for the default (180).
    #[schema(minimum = 1, maximum = 3650)]
    pub review_days: Option<i32>,
}

/// A course's own check interval.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInterval {
    /// Days between checks, 1 to 3650; `null` or left out for its group's (or the default).
    #[schema(minimum = 1, maximum = 3650)]
    pub review_days: Option<i32>,
}

/// An expert to name as reviewer.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReviewer {
    #[schema(format = "email")]
    pub email: String,
}

/// A reviewer of a course in the address.
#[derive(Debug, Deserialize)]
pub struct ReviewerPath {
    pub id: i64,
    pub user_id: i64,
}

fn days(d: Option<i32>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

#[utoipa::path(
    put,
    path = "/groups/{id}/review-rules",
    operation_id = "set_group_review_rules",
    tag = "reviews",
    summary = "Set whether a group's courses need review, and their check interval",
    description = "For the group's administrators; recorded in the audit log.",
    params(("id" = i64, Path, description = "The group")),
    request_body = ReviewRules,
    responses(
        (status = 200, description = "Saved", body = ReviewRules),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller does not administer the group", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
        (status = 422, description = "An interval out of range, or a bad body", body = ErrorBody),
    )
)]
pub async fn set_group_rules(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReviewRules>,
) -> ApiResult<Json<ReviewRules>> {
    state
        .app
        .set_group_review_rules(&caller, id, body.review_required, &days(body.review_days))
        .await?;
    let rules = state.app.group_review_rules(id).await?;
    Ok(Json(ReviewRules {
        review_required: rules.review_required,
        review_days: rules.review_days,
    }))
}

#[utoipa::path(
    put,
    path = "/courses/{id}/review-interval",
    operation_id = "set_course_review_interval",
    tag = "reviews",
    summary = "Set a course's own check interval",
    description = "For its editors and the coaches of its group.",
    params(("id" = i64, Path, description = "The course")),
    request_body = ReviewInterval,
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller neither writes nor reviews this course", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "An interval out of range, or a bad body", body = ErrorBody),
    )
)]
pub async fn set_course_interval(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ReviewInterval>,
) -> ApiResult<StatusCode> {
    state
        .app
        .set_course_review_days(&caller, id, &days(body.review_days))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/courses/{id}/reviewers",
    operation_id = "add_course_reviewer",
    tag = "reviews",
    summary = "Name an expert to review a course",
    description = "For its editors and the coaches of its group; the expert is notified.",
    params(("id" = i64, Path, description = "The course")),
    request_body = NewReviewer,
    responses(
        (status = 204, description = "Named"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not name reviewers of this course", body = ErrorBody),
        (status = 404, description = "No such course, or nobody active has that address", body = ErrorBody),
        (status = 409, description = "They write the course, or they are named already (`conflict`)", body = ErrorBody),
        (status = 422, description = "A bad body or address", body = ErrorBody),
    )
)]
pub async fn add_reviewer(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewReviewer>,
) -> ApiResult<StatusCode> {
    state.app.add_reviewer(&caller, id, &body.email).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    delete,
    path = "/courses/{id}/reviewers/{user_id}",
    operation_id = "remove_course_reviewer",
    tag = "reviews",
    summary = "Stop an expert reviewing a course",
    params(
        ("id" = i64, Path, description = "The course"),
        ("user_id" = i64, Path, description = "The reviewer"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not name reviewers of this course", body = ErrorBody),
        (status = 404, description = "No such course or reviewer", body = ErrorBody),
        (status = 422, description = "An id is not a number", body = ErrorBody),
    )
)]
pub async fn remove_reviewer(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<ReviewerPath>,
) -> ApiResult<StatusCode> {
    state
        .app
        .remove_reviewer(&caller, path.id, path.user_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
