//! `GET /courses`: the catalogue and its full-text search, the same as the Courses page;
//! `GET /courses/{id}`: one course's newest version with its steps and the caller's progress.

use axum::Json;
use axum::extract::State;
use lore_app::courses::authoring::tags_of;
use lore_app::courses::catalogue::CatalogueQuery;
use serde::{Deserialize, Serialize};

use lore_app::AppError;

use super::ApiResult;
use super::extract::{ApiPath, ApiQuery};
use crate::WebState;
use crate::error::{ApiError, ErrorBody};
use crate::session::ApiCaller;

/// Catalogue filters; all optional.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CourseFilters {
    /// Words to search for in titles, summaries and step text (the last word as a prefix).
    pub q: Option<String>,
    /// Only courses owned by or shown to this group (or groups below it).
    pub group: Option<i64>,
    /// Only courses with this topic.
    pub topic: Option<String>,
    /// Only courses in this language, e.g. `en`.
    pub language: Option<String>,
    /// The order: `relevance` (best match first with `q`, else like `updated`; the
    /// default), `updated` (most recently changed first), `newest` (most recently created
    /// first), `most_useful` (highest reaction score first, then most learners).
    #[param(pattern = "^(|relevance|updated|newest|most_useful)$")]
    pub sort: Option<String>,
    /// The page to return, from 1 (the default).
    #[param(minimum = 1)]
    pub page: Option<u64>,
    /// Courses per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub page_size: Option<u64>,
}

/// One page of the catalogue.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CoursePage {
    pub courses: Vec<CourseSummary>,
    /// How many courses match, on every page.
    pub total: u64,
    /// This page's number, from 1.
    pub page: u64,
    pub page_size: u64,
}

/// A course in the catalogue.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CourseSummary {
    pub id: i64,
    pub title: String,
    pub summary: String,
    /// The owning group's path.
    pub group: String,
    pub language: String,
    pub topics: Vec<String>,
    /// Number of the newest published version.
    pub version: i32,
    pub estimated_minutes: Option<i32>,
    /// With `q`: the best matching passage, matched words wrapped in `<mark>`…`</mark>`
    /// (the rest of the text is HTML-escaped).
    pub snippet: Option<String>,
    /// People enrolled, on any version.
    pub learners: i64,
    /// −100 to 100; null until enough people have opened the course.
    pub reaction_score: Option<i32>,
    /// Where the caller stands: `new`, `assigned`, `due`, `overdue`, `in_progress` or `done`.
    #[schema(value_type = String, example = "in_progress")]
    pub my_status: lore_app::courses::catalogue::MyStatus,
    /// When the caller's assignment is due (RFC 3339), if it is.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub due_at: Option<time::OffsetDateTime>,
}

#[utoipa::path(
    get,
    path = "/courses",
    operation_id = "list_courses",
    tag = "courses",
    summary = "The catalogue, filtered and searched",
    params(CourseFilters),
    responses(
        (status = 200, description = "One page of the courses the caller may take: most recently changed first, or best match first with `q`", body = CoursePage),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 422, description = "A filter has the wrong type", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(f): ApiQuery<CourseFilters>,
) -> ApiResult<Json<CoursePage>> {
    let page = f.page.unwrap_or(1);
    if page == 0 {
        return Err(ApiError(AppError::invalid(
            "page",
            "Pages are numbered from 1.",
        )));
    }
    let page_size = f.page_size.unwrap_or(50);
    if !(1..=200).contains(&page_size) {
        return Err(ApiError(AppError::invalid(
            "page_size",
            "A page holds 1 to 200 courses.",
        )));
    }
    let q = CatalogueQuery {
        text: f.q,
        group_id: f.group,
        topic: f.topic,
        language: f.language,
        not_taken: false,
        without_total: false,
        sort: lore_app::courses::catalogue::parse_sort(f.sort.as_deref())?,
    };
    let found = state.app.catalogue(&caller, &q, page, page_size).await?;
    Ok(Json(CoursePage {
        total: found.total,
        page: found.page,
        page_size: found.per_page,
        courses: found
            .entries
            .into_iter()
            .map(|e| CourseSummary {
                id: e.course_id,
                title: e.title,
                summary: e.summary,
                group: e.group_path,
                language: e.language,
                topics: e.tags,
                version: e.version,
                estimated_minutes: e.estimated_minutes,
                snippet: e.snippet.as_deref().map(crate::pages::courses::highlight),
                learners: e.learners,
                reaction_score: e.reaction_score,
                my_status: e.my_status,
                due_at: e.due_at,
            })
            .collect(),
    }))
}

/// One step of a course (its text as Markdown).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CourseStep {
    /// Stable across versions.
    pub key: String,
    pub kind: String,
    pub title: String,
    pub markdown: String,
    pub required: bool,
    /// The caller has completed this step (in any version).
    pub done: bool,
}

/// A course's newest published version and the caller's progress.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CourseDetail {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub language: String,
    pub topics: Vec<String>,
    pub version: i32,
    pub steps: Vec<CourseStep>,
    /// Enrolled: the version being taken; `null` when not enrolled.
    pub taking_version: Option<i32>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub completed_at: Option<time::OffsetDateTime>,
}

#[utoipa::path(
    get,
    path = "/courses/{id}",
    operation_id = "get_course",
    tag = "courses",
    summary = "A course and the caller's progress",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The course", body = CourseDetail),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CourseDetail>> {
    let o = state.app.course_overview(&caller, id).await?;
    Ok(Json(CourseDetail {
        id,
        title: o.latest.title.clone(),
        summary: o.latest.summary.clone(),
        language: o.latest.language.clone(),
        topics: tags_of(&o.latest),
        version: o.latest.number,
        steps: o
            .steps
            .iter()
            .map(|s| CourseStep {
                key: s.step_key.clone(),
                kind: s.kind.to_string(),
                title: s.title.clone(),
                markdown: s.body.clone(),
                required: s.required,
                done: o.done_keys.contains(&s.step_key),
            })
            .collect(),
        taking_version: o.enrolment.as_ref().map(|e| e.version_number),
        completed_at: o.enrolment.as_ref().and_then(|e| e.completed_at),
    }))
}
