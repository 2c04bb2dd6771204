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
    /// `null` for a peer: peers review without knowing whose answer it is.
    #[schema(required = true)]
    pub learner_id: Option<i64>,
    /// "A learner" for a peer.
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
    /// The peer reviews given so far (for coaches; empty for a peer).
    pub peer_reviews: Vec<PeerReviewGivenJson>,
    /// The peers asked for all reviewed it and disagree by more than the threshold: a
    /// coach's review settles it.
    pub peers_disagree: bool,
    /// Where the file the learner attached is served (`/attempts/{id}/answers/{key}/file`,
    /// for the learner, the answer's reviewers and admins); `null` without a file.
    #[schema(required = true)]
    pub file_url: Option<String>,
    /// The attached file's name; `null` without a file.
    #[schema(required = true)]
    pub file_name: Option<String>,
}

/// A peer's review of an answer, as a coach sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PeerReviewGivenJson {
    pub reviewer_name: String,
    /// Points per criterion, in the rubric's order.
    pub points: Vec<f64>,
    /// The question's points they gave.
    pub score: f64,
    pub comment: String,
}

/// A course's answers waiting for review, oldest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EssayQueueJson {
    pub course_id: i64,
    /// The caller reviews as a peer: the answers still waiting for peers, names hidden.
    pub as_peer: bool,
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
    /// Essays of the attempt not settled yet.
    pub still_waiting: usize,
    /// The review was a peer's.
    pub by_peer: bool,
    /// The peers' scores of this answer differ by more than the threshold: a coach settles it.
    pub peers_disagree: bool,
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
            by_peer: o.by_peer,
            peers_disagree: o.peers_disagree,
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
    description = "For the course's coaches, editors and named experts: every answer not \
                   settled yet, those the peers disagree on marked, with the peer reviews. For \
                   a peer (someone who completed the course, while peer review is on): the \
                   answers still waiting for peers, not their own, without the learner's \
                   name. Each answer comes with the question, its model answer and its rubric.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The queue", body = EssayQueueJson),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but neither reviews its answers nor is a peer", body = ErrorBody),
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
        as_peer: q.as_peer,
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
                peer_reviews: e
                    .peer_reviews
                    .into_iter()
                    .map(|r| PeerReviewGivenJson {
                        reviewer_name: r.reviewer_name,
                        points: r.points,
                        score: r.score,
                        comment: r.comment,
                    })
                    .collect(),
                peers_disagree: e.peers_disagree,
                file_url: e.file.as_ref().map(|f| f.0.clone()),
                file_name: e.file.map(|f| f.1),
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
    description = "For the course's coaches, editors and named experts, and for peers \
                   (people who completed the course, while peer review is on). `points` gives \
                   one number per criterion of the rubric, in order, each from 0 to the \
                   criterion's maximum. A coach's review settles the answer; peers' reviews \
                   do once all asked for are in and within the threshold (their mean, to \
                   hundredths, counts), otherwise the answer waits for a coach \
                   (`peers_disagree`). Settling an attempt's last essay scores the attempt \
                   (passed or not), tells the learner and, if passed, completes the course as \
                   a passed quiz does. Refused with nothing changed: points outside a \
                   criterion (`invalid_input`), one's own answer (`own_answer`), an answer \
                   settled already, reviewed by the caller already or with the peer reviews \
                   it needs (`already_reviewed`).",
    params(
        ("id" = i64, Path, description = "The course"),
        ("attempt_id" = i64, Path, description = "The attempt"),
    ),
    request_body = EssayReviewInput,
    responses(
        (status = 201, description = "Reviewed", body = EssayReviewJson),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but neither reviews its answers nor is a peer", body = ErrorBody),
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
    state.app.essay_reviewer(&caller, id).await?;
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

/// A course's peer review of open answers (decision 0050); `peers` is `null` when it is off.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeerReviewJson {
    /// How many peers (people who completed the course) review each answer, 1 to 5;
    /// `null` turns peer review off.
    #[schema(required = true, minimum = 1, maximum = 5)]
    #[serde(deserialize_with = "present_or_null")]
    pub peers: Option<i32>,
    /// By how many of the question's points the peers' scores may differ for their mean to
    /// count; further apart, a coach settles the answer.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1000)]
    pub threshold: f64,
}

/// A field that must be sent, as a value or as `null` (the document requires it; leaving it
/// out is not taken to mean "off").
fn present_or_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    Option::<i32>::deserialize(d)
}

#[utoipa::path(
    get,
    path = "/courses/{id}/peer-review",
    operation_id = "get_peer_review",
    tag = "courses",
    summary = "The course's peer review of open answers",
    description = "For the course's editors.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The setting", body = PeerReviewJson),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but does not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
    )
)]
pub async fn peer_review(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PeerReviewJson>> {
    let p = state.app.peer_review(&caller, id).await?;
    Ok(Json(PeerReviewJson {
        peers: p.map(|p| p.peers),
        threshold: p.map(|p| p.threshold).unwrap_or_default(),
    }))
}

#[utoipa::path(
    put,
    path = "/courses/{id}/peer-review",
    operation_id = "set_peer_review",
    tag = "courses",
    summary = "Turn peer review of open answers on or off",
    description = "For the course's editors. With `peers` set, that many people who \
                   completed the course review each essay; when their scores are at most \
                   `threshold` points apart their mean counts, otherwise a coach settles it. \
                   `peers: null` turns it off (reviews given stay; coaches settle what waits). \
                   Refused with nothing changed: peers outside 1 to 5, a threshold outside 0 \
                   to 1,000 (`invalid_input`).",
    params(("id" = i64, Path, description = "The course")),
    request_body = PeerReviewJson,
    responses(
        (status = 200, description = "Set", body = PeerReviewJson),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but does not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 413, description = "The body is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "A bad body, peers outside 1 to 5 or a threshold outside 0 to 1,000", body = ErrorBody),
    )
)]
pub async fn set_peer_review(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<Json<PeerReviewJson>> {
    state
        .app
        .course_for(&caller, id, Action::EditCourse)
        .await?;
    let ApiJson(body) = ApiJson::<PeerReviewJson>::from_request(request, &state).await?;
    let setting = body.peers.map(|peers| lore_domain::essay::PeerReview {
        peers,
        threshold: body.threshold,
    });
    state.app.set_peer_review(&caller, id, setting).await?;
    Ok(Json(PeerReviewJson {
        peers: setting.map(|p| p.peers),
        threshold: setting.map(|p| p.threshold).unwrap_or_default(),
    }))
}
