//! The course analytics in the API: the funnel, two versions compared, and the author's
//! course page figures, with the same numbers as `/courses/{id}/analytics` (the same use
//! cases).

use axum::Json;
use axum::extract::State;
use lore_app::AppError;
use lore_app::funnels::{FunnelQuery, FunnelReport, VersionComparison, parse_via};
use serde::{Deserialize, Serialize};

use super::ApiResult;
use super::extract::{ApiPath, ApiQuery};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// Filters of a funnel.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FunnelParams {
    /// One published version; all versions when left out.
    pub version: Option<i32>,
    /// First day, `YYYY-MM-DD` (in the caller's time zone), included.
    #[param(format = Date)]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`, included. A range typed backwards is read the right way
    /// round; one over ten years keeps its last ten.
    #[param(format = Date)]
    pub to: Option<String>,
    /// People in this group or a group below it.
    pub group_id: Option<i64>,
    /// `anyone` (default), `assigned` or `self`.
    #[param(pattern = "^(|anyone|assigned|self)$")]
    pub via: Option<String>,
}

impl FunnelParams {
    fn query(&self) -> Result<FunnelQuery, AppError> {
        Ok(FunnelQuery {
            version: self.version,
            from: self.from.clone(),
            to: self.to.clone(),
            group_id: self.group_id,
            via: parse_via(self.via.as_deref().unwrap_or(""))?,
        })
    }
}

/// The two versions to compare.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareParams {
    pub a: i32,
    pub b: i32,
}

#[utoipa::path(get, path = "/courses/{id}/funnel", operation_id = "course_funnel", tag = "analytics",
    summary = "The learning funnel of a course: people per stage, conversion, drop-off, median time per step (its editors and coaches)",
    params(("id" = i64, Path), FunnelParams),
    responses((status = 200, description = "The funnel", body = Object),
        (status = 403, description = "Not an editor or coach of the course, or a group the caller does not coach", body = ErrorBody),
        (status = 404, description = "No such course for the caller", body = ErrorBody),
        (status = 422, description = "A bad filter: a date that is not one, a range backwards or over ten years, an unknown version", body = ErrorBody)))]
pub async fn funnel(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<FunnelParams>,
) -> ApiResult<Json<FunnelReport>> {
    Ok(Json(
        state.app.course_funnel(&caller, id, &q.query()?).await?,
    ))
}

#[utoipa::path(get, path = "/courses/{id}/funnel/compare", operation_id = "compare_course_versions", tag = "analytics",
    summary = "Two versions' funnels side by side, each stage's conversion with a two-proportion z-test",
    params(("id" = i64, Path), FunnelParams, CompareParams),
    responses((status = 200, description = "Both funnels and the stages compared", body = Object),
        (status = 403, description = "Not an editor or coach of the course", body = ErrorBody),
        (status = 404, description = "No such course for the caller", body = ErrorBody),
        (status = 422, description = "The same version twice, an unknown version or a bad filter", body = ErrorBody)))]
pub async fn compare(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<FunnelParams>,
    ApiQuery(c): ApiQuery<CompareParams>,
) -> ApiResult<Json<VersionComparison>> {
    Ok(Json(
        state
            .app
            .compare_versions(&caller, id, c.a, c.b, &q.query()?)
            .await?,
    ))
}

#[derive(Serialize)]
pub struct WeekFigures {
    /// The Monday the week starts on.
    week: String,
    positive: u64,
    negative: u64,
    net: Option<i32>,
}

#[derive(Serialize)]
pub struct StepFigures {
    step_key: String,
    title: String,
    viewers: u64,
    positive: u64,
    negative: u64,
    score: Option<i32>,
}

#[derive(Serialize)]
pub struct EvaluationFigures {
    version: i32,
    attempts: usize,
    mean_score_share: Option<f64>,
    flagged_questions: usize,
}

#[derive(Serialize)]
pub struct HealthFigures {
    score: u32,
    reaction_score: Option<i32>,
    unanswered_questions: u64,
    open_suggestions: u64,
    open_outdated: u64,
}

#[derive(Serialize)]
pub struct CourseAnalyticsBody {
    funnel: FunnelReport,
    health: HealthFigures,
    reactions_per_week: Vec<WeekFigures>,
    reactions_per_step: Vec<StepFigures>,
    evaluation: Option<EvaluationFigures>,
}

#[utoipa::path(get, path = "/courses/{id}/analytics", operation_id = "course_analytics", tag = "analytics",
    summary = "Everything the author's course page shows: funnel, health, reactions per week and per step, the evaluation",
    params(("id" = i64, Path), FunnelParams),
    responses((status = 200, description = "The figures", body = Object),
        (status = 403, description = "Not an editor or coach of the course", body = ErrorBody),
        (status = 404, description = "No such course for the caller", body = ErrorBody),
        (status = 422, description = "A bad filter", body = ErrorBody)))]
pub async fn course(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<FunnelParams>,
) -> ApiResult<Json<CourseAnalyticsBody>> {
    let v = state.app.course_analytics(&caller, id, &q.query()?).await?;
    Ok(Json(CourseAnalyticsBody {
        health: HealthFigures {
            score: v.health.health.score,
            reaction_score: v.health.reaction_score,
            unanswered_questions: v.health.unanswered,
            open_suggestions: v.health.open_suggestions,
            open_outdated: v.health.open_outdated,
        },
        reactions_per_week: v
            .weeks
            .iter()
            .map(|w| WeekFigures {
                week: w.week.to_string(),
                positive: w.positive,
                negative: w.negative,
                net: w.net(),
            })
            .collect(),
        reactions_per_step: v
            .steps
            .iter()
            .map(|s| StepFigures {
                step_key: s.step_key.clone(),
                title: s.title.clone(),
                viewers: s.viewers,
                positive: s.positive,
                negative: s.negative,
                score: s.score,
            })
            .collect(),
        evaluation: v
            .items
            .as_ref()
            .map(|(n, summary, stats)| EvaluationFigures {
                version: *n,
                attempts: summary.attempts,
                mean_score_share: summary.mean_score_share,
                flagged_questions: stats.iter().filter(|q| !q.stats.flags.is_empty()).count(),
            }),
        funnel: v.report,
    }))
}
