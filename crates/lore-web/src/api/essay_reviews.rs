//! Reviewing open answers (essays) through the API (docs/decisions/0043): a course's queue of
//! answers waiting for review, and the review of one. The same use cases as the pages.

use axum::Json;
use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use lore_app::evaluations::answer_reviewers::NamedReviewer;
use lore_app::evaluations::essay_reviews::ReviewOutcome;
use lore_domain::policy::Action;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ApiResult;
use super::extract::{ApiJson, ApiPath};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// A criterion of an essay's rubric.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RubricCriterionJson {
    pub name: String,
    /// The most points the criterion gives.
    pub max_points: f64,
}

/// An answer waiting for review, with the question's model answer and rubric.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EssayToReviewJson {
    pub attempt_id: i64,
    pub question_key: String,
    pub learner_id: i64,
    pub learner_name: String,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub submitted_at: Option<OffsetDateTime>,
    /// The question (Markdown).
    pub prompt: String,
    /// The learner's answer as written (Markdown).
    pub answer: String,
    /// The answer rendered and sanitised.
    pub answer_html: String,
    /// The model answer (Markdown; empty when the author gave none).
    pub model_answer: String,
    /// The question's points: the rubric's total scales to them.
    pub points: f64,
    /// Without a rubric, one criterion "Overall" worth the question's points.
    pub rubric: Vec<RubricCriterionJson>,
    /// The caller's own answer: listed, but they may not review it.
    pub own: bool,
}

/// A course's answers waiting for review, oldest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EssayQueueJson {
    pub course_id: i64,
    pub essays: Vec<EssayToReviewJson>,
}

/// A review: points per criterion, in the rubric's order, and a comment for the learner.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EssayReviewInput {
    pub question_key: String,
    #[schema(max_items = 12)]
    pub points: Vec<f64>,
    #[serde(default)]
    #[schema(max_length = 5_000)]
    pub comment: String,
}

/// What the review did; the attempt's result once its last essay is reviewed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EssayReviewJson {
    pub attempt_id: i64,
    pub question_key: String,
    /// The essay's score, out of `max`.
    pub score: f64,
    pub max: f64,
    /// Essays of the attempt still waiting.
    pub still_waiting: usize,
    #[schema(required = true)]
    pub attempt_score: Option<f64>,
    #[schema(required = true)]
    pub attempt_max: Option<f64>,
    /// `null` while essays of the attempt still wait.
    #[schema(required = true)]
    pub passed: Option<bool>,
}

impl From<ReviewOutcome> for EssayReviewJson {
    fn from(o: ReviewOutcome) -> Self {
        Self {
            attempt_id: o.attempt_id,
            question_key: o.question_key,
            score: o.score,
            max: o.max,
            still_waiting: o.still_waiting,
            attempt_score: o.attempt_score,
            attempt_max: o.attempt_max,
            passed: o.passed,
        }
    }
}

#[utoipa::path(
    get,
    path = "/courses/{id}/essays",
    operation_id = "list_essays_to_review",
    tag = "courses",
    summary = "The course's open answers (essays) waiting for review",
    description = "For the course's coaches and editors. Each answer comes with the \
                   question, its model answer and its rubric.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The queue", body = EssayQueueJson),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but does not review its answers", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
    )
)]
pub async fn queue(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<EssayQueueJson>> {
    let q = state.app.essay_queue(&caller, id).await?;
    Ok(Json(EssayQueueJson {
        course_id: q.course_id,
        essays: q
            .essays
            .into_iter()
            .map(|e| EssayToReviewJson {
                attempt_id: e.attempt_id,
                question_key: e.question_key,
                learner_id: e.learner_id,
                learner_name: e.learner_name,
                submitted_at: e.submitted_at,
                prompt: e.prompt,
                answer: e.answer,
                answer_html: e.answer_html,
                model_answer: e.model_answer,
                points: e.points,
                rubric: e
                    .rubric
                    .into_iter()
                    .map(|c| RubricCriterionJson {
                        name: c.name,
                        max_points: c.max_points,
                    })
                    .collect(),
                own: e.own,
            })
            .collect(),
    }))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/essays/{attempt_id}/review",
    operation_id = "review_essay",
    tag = "courses",
    summary = "Review one open answer with the rubric",
    description = "For the course's coaches and editors. `points` gives one number per \
                   criterion of the rubric, in order, each from 0 to the criterion's maximum. \
                   The review of an attempt's last essay scores the attempt (passed or not), \
                   tells the learner and, if passed, completes the course as a passed quiz \
                   does. Refused with nothing changed: points outside a criterion \
                   (`invalid_input`), one's own answer (`own_answer`), an answer reviewed \
                   already (`already_reviewed`).",
    params(
        ("id" = i64, Path, description = "The course"),
        ("attempt_id" = i64, Path, description = "The attempt"),
    ),
    request_body = EssayReviewInput,
    responses(
        (status = 201, description = "Reviewed", body = EssayReviewJson),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but does not review its answers", body = ErrorBody),
        (status = 404, description = "No such course, attempt or answer waiting for review", body = ErrorBody),
        (status = 409, description = "One's own answer, or an answer reviewed already", body = ErrorBody),
        (status = 413, description = "The body is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "A bad body, or points outside a criterion's range", body = ErrorBody),
    )
)]
pub async fn review(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, attempt_id)): ApiPath<(i64, i64)>,
    request: Request,
) -> ApiResult<(StatusCode, Json<EssayReviewJson>)> {
    state
        .app
        .course_for(&caller, id, Action::ReviewAnswers)
        .await?;
    let ApiJson(body) = ApiJson::<EssayReviewInput>::from_request(request, &state).await?;
    let outcome = state
        .app
        .review_essay(
            &caller,
            id,
            attempt_id,
            &body.question_key,
            &body.points,
            &body.comment,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(outcome.into())))
}

/// An expert named to review the course's open answers (decision 0046).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AnswerReviewerJson {
    pub user_id: i64,
    pub name: String,
    pub email: String,
}

impl From<NamedReviewer> for AnswerReviewerJson {
    fn from(r: NamedReviewer) -> Self {
        Self {
            user_id: r.user_id,
            name: r.name,
            email: r.email,
        }
    }
}

/// The experts named to review a course's open answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AnswerReviewersJson {
    pub course_id: i64,
    pub reviewers: Vec<AnswerReviewerJson>,
}

/// An expert to name as a reviewer of open answers, by email.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAnswerReviewer {
    #[schema(format = "email", max_length = 254)]
    pub email: String,
}

#[utoipa::path(
    get,
    path = "/courses/{id}/answer-reviewers",
    operation_id = "list_answer_reviewers",
    tag = "courses",
    summary = "The experts named to review the course's open answers",
    description = "For the course's editors. Named experts review its essays beside its \
                   coaches and editors.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The named reviewers, in the order they were named", body = AnswerReviewersJson),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but does not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
    )
)]
pub async fn answer_reviewers(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<AnswerReviewersJson>> {
    let reviewers = state.app.answer_reviewers(&caller, id).await?;
    Ok(Json(AnswerReviewersJson {
        course_id: id,
        reviewers: reviewers.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/answer-reviewers",
    operation_id = "add_answer_reviewer",
    tag = "courses",
    summary = "Name an expert to review the course's open answers",
    description = "For the course's editors. The expert (an active person, by email) is \
                   notified, may then review the course's essays and read the course. \
                   Refused with nothing changed: an address nobody active has \
                   (`invalid_input`), someone named already or who reviews the answers as an \
                   author or coach already (`already_reviewer`).",
    params(("id" = i64, Path, description = "The course")),
    request_body = NewAnswerReviewer,
    responses(
        (status = 201, description = "Named", body = AnswerReviewerJson),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but does not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "They review the answers already", body = ErrorBody),
        (status = 413, description = "The body is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "A bad body, or nobody active has that address", body = ErrorBody),
    )
)]
pub async fn add_answer_reviewer(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<(StatusCode, Json<AnswerReviewerJson>)> {
    state
        .app
        .course_for(&caller, id, Action::EditCourse)
        .await?;
    let ApiJson(body) = ApiJson::<NewAnswerReviewer>::from_request(request, &state).await?;
    let named = state
        .app
        .add_answer_reviewer(&caller, id, &body.email)
        .await?;
    Ok((StatusCode::CREATED, Json(named.into())))
}

#[utoipa::path(
    delete,
    path = "/courses/{id}/answer-reviewers/{user_id}",
    operation_id = "remove_answer_reviewer",
    tag = "courses",
    summary = "Stop an expert reviewing the course's open answers",
    description = "For the course's editors. Reviews they gave stay.",
    params(
        ("id" = i64, Path, description = "The course"),
        ("user_id" = i64, Path, description = "The named reviewer"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but does not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or nobody of that id is named", body = ErrorBody),
        (status = 422, description = "An id is not a number", body = ErrorBody),
    )
)]
pub async fn remove_answer_reviewer(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, user_id)): ApiPath<(i64, i64)>,
) -> ApiResult<StatusCode> {
    state
        .app
        .remove_answer_reviewer(&caller, id, user_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
