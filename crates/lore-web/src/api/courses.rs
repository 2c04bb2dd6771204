//! `GET /courses`: the catalogue and its full-text search, the same as the Courses page;
//! `GET /courses/{id}`: one course's newest version with its steps and the caller's progress.

use axum::Json;
use axum::extract::State;
use lore_app::courses::authoring::tags_of;
use lore_app::courses::catalogue::CatalogueQuery;
use serde::{Deserialize, Serialize};

use super::ApiResult;
use super::extract::{ApiPath, ApiQuery};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// Catalogue filters; all optional.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
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
}

#[utoipa::path(
    get,
    path = "/courses",
    operation_id = "list_courses",
    tag = "courses",
    summary = "The catalogue, filtered and searched",
    params(CourseFilters),
    responses(
        (status = 200, description = "Courses the caller may take, best match first with `q`", body = [CourseSummary]),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 422, description = "A filter has the wrong type", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(f): ApiQuery<CourseFilters>,
) -> ApiResult<Json<Vec<CourseSummary>>> {
    let q = CatalogueQuery {
        text: f.q,
        group_id: f.group,
        topic: f.topic,
        language: f.language,
    };
    let entries = state.app.catalogue(&caller, &q).await?;
    Ok(Json(
        entries
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
            })
            .collect(),
    ))
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
