//! The feedback loop for programs: reacting to a step and withdrawing, a course's feedback
//! (health, scores, reactions, suggestions) with resolving reactions, and "needs attention".
//! Suggested edits are in `suggestions.rs`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use lore_app::ReactionRow;
use lore_app::feedback::health::{CourseHealth, ReactionLine};
use lore_domain::reactions::Resolution;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ApiResult;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::suggestions::Suggestion;
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// A step of a course in the address.
#[derive(Debug, Deserialize)]
pub struct StepPath {
    pub id: i64,
    pub key: String,
}

/// A reaction of a course in the address.
#[derive(Debug, Deserialize)]
pub struct ReactionPath {
    pub id: i64,
    pub reaction_id: i64,
}

/// A reaction to make on a step of the version the caller is taking.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReaction {
    /// `useful`, `learned` or `liked` (positive); `outdated`, `question` or `unclear`
    /// (negative, which need a comment).
    pub kind: String,
    /// Up to 1,000 characters; required for negative kinds.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A reaction on a step.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Reaction {
    pub id: i64,
    pub course_id: i64,
    /// The version the reaction was made on.
    pub version: i32,
    /// Stable across versions.
    pub step_key: String,
    /// `useful`, `learned`, `liked`, `outdated`, `question` or `unclear`.
    pub kind: String,
    #[schema(required = true)]
    pub comment: Option<String>,
    /// `open`, `answered`, `fixed` or `dismissed` for negative kinds; `null` for positive ones.
    #[schema(required = true)]
    pub status: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<ReactionRow> for Reaction {
    fn from(r: ReactionRow) -> Self {
        Reaction {
            id: r.id,
            course_id: r.course_id,
            version: r.version_number,
            step_key: r.step_key,
            kind: r.kind.as_str().to_owned(),
            comment: r.comment,
            status: r.status.map(|s| s.to_string()),
            created_at: r.created_at,
        }
    }
}

#[utoipa::path(
    post,
    path = "/courses/{id}/steps/{key}/reactions",
    operation_id = "react_to_step",
    tag = "feedback",
    summary = "React to a step of the version the caller is taking",
    description = "One reaction of each kind per person, step and version; the course's \
                   authors are notified. At most 60 reactions per person per hour.",
    params(
        ("id" = i64, Path, description = "The course"),
        ("key" = String, Path, description = "The step's key"),
    ),
    request_body = NewReaction,
    responses(
        (status = 201, description = "Saved", body = Reaction),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such course or step, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The caller already reacted so to this step, or has not started the course (`not_started`)", body = ErrorBody),
        (status = 422, description = "Unknown kind, missing or too long comment, or a bad body", body = ErrorBody),
        (status = 429, description = "Too many reactions this hour; see `Retry-After`", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub async fn react(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<StepPath>,
    ApiJson(body): ApiJson<NewReaction>,
) -> ApiResult<(StatusCode, Json<Reaction>)> {
    let row = state
        .app
        .react(
            &caller,
            path.id,
            &path.key,
            &body.kind,
            body.comment.as_deref().unwrap_or_default(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

#[utoipa::path(
    delete,
    path = "/reactions/{id}",
    operation_id = "withdraw_reaction",
    tag = "feedback",
    summary = "Withdraw one of the caller's reactions",
    params(("id" = i64, Path, description = "The reaction")),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "The caller has no such reaction", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn withdraw(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.withdraw_reaction(&caller, None, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One reason health went down.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HealthReason {
    /// Points it cost.
    pub points: u32,
    pub text: String,
}

/// Course health: 0 (needs attention now) to 100 (nothing to do), with its reasons.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    pub score: u32,
    /// Most costly first.
    pub reasons: Vec<HealthReason>,
}

fn reasons_of(h: &CourseHealth) -> Vec<HealthReason> {
    h.health
        .reasons
        .iter()
        .map(|r| HealthReason {
            points: r.points,
            text: r.text.clone(),
        })
        .collect()
}

/// Reactions on one step of the newest version.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StepScore {
    pub step_key: String,
    pub title: String,
    pub positive: u64,
    pub negative: u64,
    /// People who viewed the step.
    pub viewers: u64,
    /// −100 to 100; `null` below 10 viewers.
    #[schema(required = true)]
    pub score: Option<i32>,
}

/// A reaction as the course's authors and coaches see it, with its resolution.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FeedbackReaction {
    pub id: i64,
    pub version: i32,
    pub step_key: String,
    /// The step's current title.
    pub step_title: String,
    pub kind: String,
    /// Who reacted.
    pub who: String,
    #[schema(required = true)]
    pub comment: Option<String>,
    /// `open`, `answered`, `fixed` or `dismissed` for negative kinds; `null` for positive ones.
    #[schema(required = true)]
    pub status: Option<String>,
    /// The answer, or why it was dismissed.
    #[schema(required = true)]
    pub resolution_note: Option<String>,
    #[schema(required = true)]
    pub fixed_in_version: Option<i32>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub resolved_at: Option<OffsetDateTime>,
}

impl From<ReactionLine> for FeedbackReaction {
    fn from(r: ReactionLine) -> Self {
        FeedbackReaction {
            id: r.row.id,
            version: r.row.version_number,
            step_key: r.row.step_key,
            step_title: r.step_title,
            kind: r.row.kind.as_str().to_owned(),
            who: r.who,
            comment: r.row.comment,
            status: r.row.status.map(|s| s.to_string()),
            resolution_note: r.row.resolution_note,
            fixed_in_version: r.row.fixed_in_version,
            created_at: r.row.created_at,
            resolved_at: r.row.resolved_at,
        }
    }
}

/// What the feedback says about a course.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CourseFeedback {
    pub course_id: i64,
    /// The newest published version's title.
    pub title: String,
    pub health: Health,
    /// −100 to 100; `null` below 10 viewers.
    #[schema(required = true)]
    pub reaction_score: Option<i32>,
    pub positive: u64,
    pub negative: u64,
    pub viewers: u64,
    /// The steps of the newest published version.
    pub steps: Vec<StepScore>,
    /// Open negative reactions first, newest first within.
    pub reactions: Vec<FeedbackReaction>,
    pub suggestions: Vec<Suggestion>,
    /// Published version numbers, for resolving as fixed.
    pub published_versions: Vec<i32>,
    /// May the caller resolve reactions and decide suggestions?
    pub can_edit: bool,
}

#[utoipa::path(
    get,
    path = "/courses/{id}/feedback",
    operation_id = "get_course_feedback",
    tag = "feedback",
    summary = "A course's health, reaction scores, reactions and suggested edits",
    description = "For the course's authors and coaches.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The feedback", body = CourseFeedback),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller neither writes nor coaches this course", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CourseFeedback>> {
    let v = state.app.course_feedback(&caller, id).await?;
    Ok(Json(CourseFeedback {
        course_id: id,
        title: v.title,
        health: Health {
            score: v.health.health.score,
            reasons: reasons_of(&v.health),
        },
        reaction_score: v.health.reaction_score,
        positive: v.health.positive,
        negative: v.health.negative,
        viewers: v.health.viewers,
        steps: v
            .steps
            .into_iter()
            .map(|s| StepScore {
                step_key: s.step_key,
                title: s.title,
                positive: s.positive,
                negative: s.negative,
                viewers: s.viewers,
                score: s.score,
            })
            .collect(),
        reactions: v.reactions.into_iter().map(Into::into).collect(),
        suggestions: v.suggestions.into_iter().map(Into::into).collect(),
        published_versions: v.published,
        can_edit: v.can_edit,
    }))
}

/// How an author resolves an open negative reaction.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReactionResolution {
    /// `answer` (with `note`), `fixed` (with `version`) or `dismiss` (with `note`).
    pub action: String,
    /// The answer, or the reason for dismissing; the person who reacted is told.
    #[serde(default)]
    pub note: Option<String>,
    /// For `fixed`: a published version after the one the reaction was made on.
    #[serde(default)]
    pub version: Option<i32>,
}

#[utoipa::path(
    post,
    path = "/courses/{id}/reactions/{reaction_id}/resolve",
    operation_id = "resolve_reaction",
    tag = "feedback",
    summary = "Resolve an open negative reaction: answered, fixed in a version, or dismissed",
    description = "For the course's authors; the person who reacted is notified.",
    params(
        ("id" = i64, Path, description = "The course"),
        ("reaction_id" = i64, Path, description = "The reaction"),
    ),
    request_body = ReactionResolution,
    responses(
        (status = 204, description = "Resolved"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not edit this course", body = ErrorBody),
        (status = 404, description = "No such course or reaction", body = ErrorBody),
        (status = 409, description = "The reaction is already resolved (or positive), or the version is not after the reaction's (`not_later`)", body = ErrorBody),
        (status = 422, description = "Unknown action, or a missing note", body = ErrorBody),
    )
)]
pub async fn resolve(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<ReactionPath>,
    ApiJson(body): ApiJson<ReactionResolution>,
) -> ApiResult<StatusCode> {
    let resolution = Resolution::parse(
        &body.action,
        body.note.as_deref().unwrap_or_default(),
        body.version,
    )
    .map_err(lore_app::AppError::from)?;
    state
        .app
        .resolve_reaction(&caller, path.id, path.reaction_id, resolution)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A course that has something to look at.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttentionEntry {
    pub course_id: i64,
    pub title: String,
    /// Course health, 0 to 100.
    pub health: u32,
    /// Why health went down, most costly first.
    pub reasons: Vec<HealthReason>,
    /// Suggested edits waiting for a decision.
    pub open_suggestions: u64,
    /// `author` for courses the caller writes, `coach` for courses in groups they coach.
    pub because: String,
}

/// Which page of the list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttentionQuery {
    /// The page, from 1 (20 courses a page; a shorter page is the last).
    #[param(minimum = 1)]
    pub page: Option<u64>,
}

#[utoipa::path(
    get,
    path = "/attention",
    operation_id = "list_needs_attention",
    tag = "feedback",
    summary = "Courses the caller writes or coaches that need attention, least healthy first",
    params(AttentionQuery),
    responses(
        (status = 200, description = "One page of the courses", body = Vec<AttentionEntry>),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 422, description = "A query parameter is not valid", body = ErrorBody),
    )
)]
pub async fn attention(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<AttentionQuery>,
) -> ApiResult<Json<Vec<AttentionEntry>>> {
    let page = query.page.unwrap_or(1);
    if page == 0 {
        return Err(crate::error::ApiError(lore_app::AppError::invalid(
            "page",
            "Pages are numbered from 1.",
        )));
    }
    let (entries, _) = state.app.needs_attention(&caller, page - 1).await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| AttentionEntry {
                course_id: e.course_id,
                reasons: reasons_of(&e.health),
                health: e.health.health.score,
                open_suggestions: e.health.open_suggestions,
                title: e.title,
                because: e.because.to_owned(),
            })
            .collect(),
    ))
}
