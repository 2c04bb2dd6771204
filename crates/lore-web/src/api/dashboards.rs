//! `/dashboard…`: the twins of the dashboard pages, with the same figures (one use case of
//! `lore_app::dashboards` each). Rates are fractions from 0 to 1; days and weeks are
//! `YYYY-MM-DD`, weeks named by their Monday (UTC).

use axum::Json;
use axum::extract::State;
use lore_app::dashboards::drill::{Lines, Person, assignee_filter, passed_filter};
use lore_app::dashboards::{
    AssignmentFigure, CourseFigure, Dashboard, HealthLine, InsightQuery, Listing,
};
use serde::Deserialize;

use super::ApiResult;
use super::extract::{ApiPath, ApiQuery};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// The group, the range and the page; the views' own filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardParams {
    /// A group the caller coaches or administers (or one below it), by its number; by
    /// default their first.
    #[param(pattern = "^[0-9]{0,18}$")]
    pub group: Option<String>,
    /// The first day, `YYYY-MM-DD` (UTC; widened to its Monday). Default: twelve weeks back.
    /// A range typed backwards is read the right way round; over ten years keeps the last ten.
    #[param(format = Date)]
    pub from: Option<String>,
    /// The last day, `YYYY-MM-DD` (widened to its Sunday). Default: today.
    #[param(format = Date)]
    pub to: Option<String>,
    /// The page, from 1.
    #[param(pattern = "^([0-9]*[1-9][0-9]*)?$")]
    pub page: Option<String>,
    /// Assignment people: `all`, `done` or `overdue`.
    #[param(pattern = "^(|all|done|overdue)$")]
    pub status: Option<String>,
    /// Attempts: `all`, `passed` or `failed`.
    #[param(pattern = "^(|all|passed|failed)$")]
    pub outcome: Option<String>,
    /// Courses by health: `top` (healthiest first, the default) or `weakest`.
    #[param(pattern = "^(|top|weakest)$")]
    pub order: Option<String>,
}

impl DashboardParams {
    /// The group, range and page; the views' own words are checked on every view, so a
    /// word the document refuses is refused wherever it is sent.
    fn insight(&self) -> Result<InsightQuery, lore_app::AppError> {
        assignee_filter(self.status.as_deref())?;
        passed_filter(self.outcome.as_deref())?;
        weakest_first(self.order.as_deref())?;
        Ok(InsightQuery {
            group: self.group.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            page: self.page.clone(),
        })
    }
}

/// Courses by health: `top` (the default) or `weakest` first.
fn weakest_first(order: Option<&str>) -> Result<bool, lore_app::AppError> {
    match order.unwrap_or("top") {
        "top" | "" => Ok(false),
        "weakest" => Ok(true),
        _ => Err(lore_app::AppError::invalid(
            "order",
            "Choose top or weakest.",
        )),
    }
}

#[utoipa::path(get, path = "/dashboard", operation_id = "get_dashboard", tag = "dashboards",
    summary = "A group's dashboard: active learners per week, assignments, courses by health, completions with median days, pass rates",
    params(DashboardParams),
    responses((status = 200, description = "The dashboard", body = Object),
        (status = 403, description = "The caller does not coach or administer the group", body = ErrorBody),
        (status = 422, description = "A range backwards or over ten years, a date not YYYY-MM-DD, a group not a number", body = ErrorBody)))]
pub async fn show(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<DashboardParams>,
) -> ApiResult<Json<Dashboard>> {
    Ok(Json(state.app.dashboard(&caller, &q.insight()?).await?))
}

#[utoipa::path(get, path = "/dashboard/assignments", operation_id = "list_dashboard_assignments", tag = "dashboards",
    summary = "Every open assignment reaching the group's people, with assigned, done and overdue counts and rates",
    params(DashboardParams),
    responses((status = 200, description = "One page", body = Object),
        (status = 403, description = "Not the caller's group", body = ErrorBody),
        (status = 422, description = "Bad input", body = ErrorBody)))]
pub async fn assignments(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<DashboardParams>,
) -> ApiResult<Json<Listing<AssignmentFigure>>> {
    Ok(Json(
        state
            .app
            .dashboard_assignments(&caller, &q.insight()?, Lines::Page)
            .await?,
    ))
}

#[utoipa::path(get, path = "/dashboard/assignments/{id}/people", operation_id = "list_dashboard_assignment_people", tag = "dashboards",
    summary = "The group's people on an assignment (all, done or overdue), with due and completion dates",
    params(("id" = i64, Path), DashboardParams),
    responses((status = 200, description = "One page", body = Object),
        (status = 403, description = "Not the caller's group", body = ErrorBody),
        (status = 422, description = "Bad input", body = ErrorBody)))]
pub async fn assignment_people(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<DashboardParams>,
) -> ApiResult<Json<Listing<Person>>> {
    let filter = assignee_filter(q.status.as_deref())?;
    Ok(Json(
        state
            .app
            .assignment_people(&caller, &q.insight()?, id, filter, Lines::Page)
            .await?,
    ))
}

#[utoipa::path(get, path = "/dashboard/courses", operation_id = "list_dashboard_courses", tag = "dashboards",
    summary = "Courses the group's people completed in the range, most first: completions, median days, attempts and pass rates",
    params(DashboardParams),
    responses((status = 200, description = "One page", body = Object),
        (status = 403, description = "Not the caller's group", body = ErrorBody),
        (status = 422, description = "Bad input", body = ErrorBody)))]
pub async fn courses(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<DashboardParams>,
) -> ApiResult<Json<Listing<CourseFigure>>> {
    Ok(Json(
        state
            .app
            .dashboard_courses(&caller, &q.insight()?, Lines::Page)
            .await?,
    ))
}

#[utoipa::path(get, path = "/dashboard/courses/{id}/completions", operation_id = "list_dashboard_completions", tag = "dashboards",
    summary = "The group's people who completed a course in the range, with enrolment and completion times and whole days",
    params(("id" = i64, Path), DashboardParams),
    responses((status = 200, description = "One page", body = Object),
        (status = 403, description = "Not the caller's group", body = ErrorBody),
        (status = 422, description = "Bad input", body = ErrorBody)))]
pub async fn completions(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<DashboardParams>,
) -> ApiResult<Json<Listing<Person>>> {
    Ok(Json(
        state
            .app
            .course_completions(&caller, &q.insight()?, id, Lines::Page)
            .await?,
    ))
}

#[utoipa::path(get, path = "/dashboard/courses/{id}/attempts", operation_id = "list_dashboard_attempts", tag = "dashboards",
    summary = "The group's evaluation attempts of a course submitted in the range (all, passed or failed)",
    params(("id" = i64, Path), DashboardParams),
    responses((status = 200, description = "One page", body = Object),
        (status = 403, description = "Not the caller's group", body = ErrorBody),
        (status = 422, description = "Bad input", body = ErrorBody)))]
pub async fn attempts(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<DashboardParams>,
) -> ApiResult<Json<Listing<Person>>> {
    let passed = passed_filter(q.outcome.as_deref())?;
    Ok(Json(
        state
            .app
            .course_attempts(&caller, &q.insight()?, id, passed, Lines::Page)
            .await?,
    ))
}

#[utoipa::path(get, path = "/dashboard/health", operation_id = "list_dashboard_health", tag = "dashboards",
    summary = "The group's published courses by stored health, healthiest or weakest first",
    params(DashboardParams),
    responses((status = 200, description = "One page", body = Object),
        (status = 403, description = "Not the caller's group", body = ErrorBody),
        (status = 422, description = "Bad input", body = ErrorBody)))]
pub async fn health(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<DashboardParams>,
) -> ApiResult<Json<Listing<HealthLine>>> {
    let weakest = weakest_first(q.order.as_deref())?;
    Ok(Json(
        state
            .app
            .dashboard_health(&caller, &q.insight()?, weakest, Lines::Page)
            .await?,
    ))
}

#[utoipa::path(get, path = "/dashboard/weeks/{week}/people", operation_id = "list_dashboard_active_people", tag = "dashboards",
    summary = "The group's people active in a week of the range (any day of it, YYYY-MM-DD)",
    params(("week" = String, Path, format = Date, description = "A day of the week, `YYYY-MM-DD`; a week outside the range is 404"), DashboardParams),
    responses((status = 200, description = "One page", body = Object),
        (status = 403, description = "Not the caller's group", body = ErrorBody),
        (status = 422, description = "Bad input", body = ErrorBody)))]
pub async fn week_people(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(week): ApiPath<String>,
    ApiQuery(q): ApiQuery<DashboardParams>,
) -> ApiResult<Json<Listing<Person>>> {
    Ok(Json(
        state
            .app
            .active_in_week(&caller, &q.insight()?, &week, Lines::Page)
            .await?,
    ))
}
