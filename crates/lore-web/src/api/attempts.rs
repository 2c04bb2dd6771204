//! Evaluations and attempts for programs (docs/decisions/0049): start (or resume) an attempt
//! at a course's final evaluation, read its questions, answer them one at a time, submit, read
//! the result; the questions inside a step and checking them; the item analysis of a course
//! for its authors and coaches. Each calls the use case the evaluation pages call.

use axum::Json;
use axum::extract::{FromRequest, Request, State};
use lore_app::evaluations::analysis::QuestionStats;
use lore_app::evaluations::attempts::{
    Attempt as AttemptRow, AttemptQuestion, AttemptView, QuestionResult,
};
use lore_domain::item_analysis::{Flag, TestSummary};
use lore_domain::policy::Action;
use lore_domain::question::{Answer, PublicItem, PublicQuestion};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ApiResult;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::feedback::StepPath;
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// A learner's answer, in the shape of the question's kind.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(
    tag = "kind",
    content = "value",
    rename_all = "snake_case",
    deny_unknown_fields
)]
#[schema(example = json!({"kind": "choices", "value": ["a"]}))]
pub enum AnswerValue {
    /// Single and multiple choice: the chosen option ids.
    Choices(Vec<String>),
    /// True/false.
    Bool(bool),
    /// Short text and essays.
    Text(String),
    /// Numeric questions.
    Number(f64),
    /// Ordering: item ids in the learner's order.
    Order(Vec<String>),
    /// Matching: [left pair id, right pair id chosen for it].
    Matches(Vec<[String; 2]>),
}

impl From<AnswerValue> for Answer {
    fn from(a: AnswerValue) -> Self {
        match a {
            AnswerValue::Choices(v) => Answer::Choices(v),
            AnswerValue::Bool(b) => Answer::Bool(b),
            AnswerValue::Text(t) => Answer::Text(t),
            AnswerValue::Number(n) => Answer::Number(n),
            AnswerValue::Order(v) => Answer::Order(v),
            AnswerValue::Matches(v) => {
                Answer::Matches(v.into_iter().map(|[l, r]| (l, r)).collect())
            }
        }
    }
}

/// Something to choose, order or match.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ShownItem {
    pub id: String,
    pub text: String,
}

fn items(v: Vec<PublicItem>) -> Vec<ShownItem> {
    v.into_iter()
        .map(|i| ShownItem {
            id: i.id,
            text: i.text,
        })
        .collect()
}

/// A question as the learner sees it before submitting: never the key or the feedback.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ShownQuestion {
    pub prompt: String,
    /// `single_choice`, `multiple_choice`, `true_false`, `short_text`, `number`, `ordering`,
    /// `matching` or `essay`.
    pub kind: String,
    pub points: f64,
    /// Choice kinds: the options.
    pub options: Vec<ShownItem>,
    /// True for true/false questions.
    pub true_false: bool,
    /// Ordering: the items, shuffled.
    pub items: Vec<ShownItem>,
    /// Matching: the left sides (id = pair id).
    pub lefts: Vec<ShownItem>,
    /// Matching: the right sides, shuffled.
    pub rights: Vec<ShownItem>,
}

impl From<PublicQuestion> for ShownQuestion {
    fn from(q: PublicQuestion) -> Self {
        ShownQuestion {
            prompt: q.prompt,
            kind: q.kind.as_str().to_owned(),
            points: q.points,
            options: q
                .options
                .into_iter()
                .map(|o| ShownItem {
                    id: o.id,
                    text: o.text,
                })
                .collect(),
            true_false: q.true_false,
            items: items(q.items),
            lefts: items(q.lefts),
            rights: items(q.rights),
        }
    }
}

/// A question of an attempt, with the caller's saved answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttemptItem {
    /// The question's key: answer it at `PUT /attempts/{id}/answers/{key}`.
    pub key: String,
    pub question: ShownQuestion,
    /// The saved answer (`{"kind", "value"}`), if any.
    #[schema(value_type = Option<Object>, required = true)]
    pub answer: Option<serde_json::Value>,
}

fn attempt_items(qs: Vec<AttemptQuestion>) -> Vec<AttemptItem> {
    qs.into_iter()
        .map(|q| AttemptItem {
            key: q.key,
            question: q.question.into(),
            answer: q.answer.and_then(|a| serde_json::to_value(a).ok()),
        })
        .collect()
}

/// How one question scored, with its answer key now that it may be seen.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Scored {
    pub key: String,
    pub points: f64,
    pub max: f64,
    /// Full credit.
    pub correct: bool,
    /// The feedback of the chosen options.
    pub feedback: Vec<String>,
    pub explanation: String,
    /// The whole question with its key (the authoring shape).
    #[schema(value_type = Object)]
    pub question: serde_json::Value,
}

impl From<QuestionResult> for Scored {
    fn from(r: QuestionResult) -> Self {
        Scored {
            key: r.key,
            points: r.score.points,
            max: r.score.max,
            correct: r.score.correct,
            feedback: r.score.feedback,
            explanation: r.explanation,
            question: serde_json::to_value(r.question).unwrap_or_default(),
        }
    }
}

/// An attempt's summary.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttemptSummary {
    pub id: i64,
    pub course_id: i64,
    pub version: i32,
    /// `practice` (feedback at once) or `exam` (sealed until submitted).
    pub mode: String,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    /// Timed exams: answers after this are refused.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub deadline_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub submitted_at: Option<OffsetDateTime>,
    #[schema(required = true)]
    pub score: Option<f64>,
    #[schema(required = true)]
    pub max_score: Option<f64>,
    /// `null` while open, and after submission while essays wait for review.
    #[schema(required = true)]
    pub passed: Option<bool>,
}

impl From<&AttemptRow> for AttemptSummary {
    fn from(a: &AttemptRow) -> Self {
        AttemptSummary {
            id: a.id,
            course_id: a.course_id,
            version: a.version_number,
            mode: a.mode.as_str().to_owned(),
            started_at: a.started_at,
            deadline_at: a.deadline_at,
            submitted_at: a.submitted_at,
            score: a.score,
            max_score: a.max_score,
            passed: a.passed,
        }
    }
}

/// An attempt with its questions and, once submitted, its results.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Attempt {
    #[serde(flatten)]
    pub summary: AttemptSummary,
    /// The pass mark, in per cent.
    pub pass_mark: i32,
    /// Seconds before a timed exam closes.
    #[schema(required = true)]
    pub seconds_left: Option<i64>,
    pub questions: Vec<AttemptItem>,
    /// After submission: each question's result, in order.
    #[schema(required = true)]
    pub results: Option<Vec<Scored>>,
}

impl From<AttemptView> for Attempt {
    fn from(v: AttemptView) -> Self {
        Attempt {
            summary: (&v.attempt).into(),
            pass_mark: v.settings.pass_mark,
            seconds_left: v.seconds_left,
            questions: attempt_items(v.questions),
            results: v
                .results
                .map(|rs| rs.into_iter().map(Scored::from).collect()),
        }
    }
}

/// What saving an answer gave back.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Answered {
    /// Practice: the score and feedback at once. Exams: `null` until submitted.
    #[schema(required = true)]
    pub result: Option<Scored>,
}

/// An attempt and one of its questions in the address.
#[derive(Debug, Deserialize)]
pub struct AnswerPath {
    pub id: i64,
    pub key: String,
}

#[utoipa::path(
    post,
    path = "/courses/{id}/attempts",
    operation_id = "start_attempt",
    tag = "evaluations",
    summary = "Start an attempt at the course's final evaluation, or resume the open one",
    description = "Enrols the caller first if needed. An exam allows a set number of attempts.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The open attempt", body = Attempt),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The course is not for the caller", body = ErrorBody),
        (status = 404, description = "No such course or no evaluation, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "No attempts left (`attempt_closed`)", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn start(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Attempt>> {
    let row = state.app.start_attempt(&caller, id).await?;
    let view = state.app.attempt_view(&caller, row.id).await?;
    Ok(Json(view.into()))
}

#[utoipa::path(
    get,
    path = "/courses/{id}/attempts",
    operation_id = "list_my_attempts",
    tag = "evaluations",
    summary = "The caller's attempts at a course, newest first",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The attempts", body = Vec<AttemptSummary>),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn mine(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<AttemptSummary>>> {
    state
        .app
        .course_for(&caller, id, Action::ViewCourse)
        .await?;
    let rows = state.app.my_attempts(&caller, id).await?;
    Ok(Json(rows.iter().map(AttemptSummary::from).collect()))
}

#[utoipa::path(
    get,
    path = "/attempts/{id}",
    operation_id = "get_attempt",
    tag = "evaluations",
    summary = "An attempt: its questions while open, its results once submitted",
    description = "Only the person who took it. A timed exam past its limit is closed with \
                   the answers saved in time, as on the page.",
    params(("id" = i64, Path, description = "The attempt")),
    responses(
        (status = 200, description = "The attempt", body = Attempt),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such attempt of the caller's", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Attempt>> {
    Ok(Json(state.app.attempt_view(&caller, id).await?.into()))
}

#[utoipa::path(
    put,
    path = "/attempts/{id}/answers/{key}",
    operation_id = "answer_question",
    tag = "evaluations",
    summary = "Save the answer to one question of an open attempt",
    description = "Answering again replaces the answer. Practice attempts return the score and \
                   feedback at once; exams reveal nothing until submitted.",
    params(
        ("id" = i64, Path, description = "The attempt"),
        ("key" = String, Path, description = "The question's key"),
    ),
    request_body = AnswerValue,
    responses(
        (status = 200, description = "Saved", body = Answered),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such attempt of the caller's, or no such question in it", body = ErrorBody),
        (status = 409, description = "`attempt_closed`: submitted, or past its time limit", body = ErrorBody),
        (status = 422, description = "A bad body, or an essay answer too long", body = ErrorBody),
    )
)]
pub async fn answer(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<AnswerPath>,
    request: Request,
) -> ApiResult<Json<Answered>> {
    // The attempt must be the caller's before the body is read.
    state.app.require_own_attempt(&caller, path.id).await?;
    let ApiJson(body) = ApiJson::<AnswerValue>::from_request(request, &state).await?;
    let result = state
        .app
        .answer(&caller, path.id, &path.key, body.into())
        .await?;
    Ok(Json(Answered {
        result: result.map(Scored::from),
    }))
}

#[utoipa::path(
    post,
    path = "/attempts/{id}/submit",
    operation_id = "submit_attempt",
    tag = "evaluations",
    summary = "Submit an attempt: it is scored and never changes again",
    description = "Passing a required evaluation may complete the course. An answered essay \
                   leaves `passed` `null` until the course's coaches review it.",
    params(("id" = i64, Path, description = "The attempt")),
    responses(
        (status = 200, description = "The submitted attempt with its results", body = Attempt),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such attempt of the caller's", body = ErrorBody),
        (status = 409, description = "`attempt_closed`: already submitted, or past its time limit", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn submit(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Attempt>> {
    state.app.submit_attempt(&caller, id).await?;
    Ok(Json(state.app.attempt_view(&caller, id).await?.into()))
}

#[utoipa::path(
    get,
    path = "/courses/{id}/steps/{key}/questions",
    operation_id = "list_step_questions",
    tag = "evaluations",
    summary = "The questions inside a step of the version the caller takes",
    params(
        ("id" = i64, Path, description = "The course"),
        ("key" = String, Path, description = "The step's key"),
    ),
    responses(
        (status = 200, description = "The questions (none for a step without)", body = Vec<AttemptItem>),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "`not_enrolled`: enrol first", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn step_questions(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<StepPath>,
) -> ApiResult<Json<Vec<AttemptItem>>> {
    state
        .app
        .course_for(&caller, path.id, Action::ViewCourse)
        .await?;
    let qs = state
        .app
        .step_questions(&caller, path.id, &path.key)
        .await?;
    Ok(Json(attempt_items(qs)))
}

/// One answer to a question inside a step.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepAnswer {
    /// The question's key.
    #[schema(min_length = 1, max_length = 100)]
    pub key: String,
    pub answer: AnswerValue,
}

/// Answers to check.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answers": [{"key": "q-1", "answer": {"kind": "bool", "value": true}}]}))]
pub struct StepAnswers {
    #[schema(max_items = 200)]
    pub answers: Vec<StepAnswer>,
}

#[utoipa::path(
    post,
    path = "/courses/{id}/steps/{key}/check",
    operation_id = "check_step_answers",
    tag = "evaluations",
    summary = "Check answers to the questions inside a step: feedback at once",
    description = "Each answer is recorded as an `answered` event; nothing else changes.",
    params(
        ("id" = i64, Path, description = "The course"),
        ("key" = String, Path, description = "The step's key"),
    ),
    request_body = StepAnswers,
    responses(
        (status = 200, description = "Each answer's score and feedback", body = Vec<Scored>),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such course, or no such question in the step", body = ErrorBody),
        (status = 409, description = "`not_enrolled`: enrol first", body = ErrorBody),
        (status = 422, description = "A bad body", body = ErrorBody),
    )
)]
pub async fn check_step(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<StepPath>,
    request: Request,
) -> ApiResult<Json<Vec<Scored>>> {
    state
        .app
        .course_for(&caller, path.id, Action::ViewCourse)
        .await?;
    let ApiJson(body) = ApiJson::<StepAnswers>::from_request(request, &state).await?;
    if body.answers.len() > 200 {
        return Err(lore_app::AppError::invalid("answers", "Send at most 200 answers.").into());
    }
    let answers = body
        .answers
        .into_iter()
        .map(|a| (a.key, Answer::from(a.answer)))
        .collect();
    let results = state
        .app
        .check_step_answers(&caller, path.id, &path.key, answers)
        .await?;
    Ok(Json(results.into_iter().map(Scored::from).collect()))
}

/// Which version to analyse.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AnalysisParams {
    /// A published version's number; the newest when left out.
    #[param(minimum = 1, example = 1)]
    pub version: Option<i32>,
}

/// The figures of the version's evaluation as a whole.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AnalysisSummary {
    /// Attempts with at least one scored answer.
    pub attempts: usize,
    #[schema(required = true)]
    pub mean_score_share: Option<f64>,
    /// Cronbach's alpha (may be negative); `null` when it cannot be computed.
    #[schema(required = true)]
    pub cronbach_alpha: Option<f64>,
    pub alpha_attempts: usize,
}

impl From<TestSummary> for AnalysisSummary {
    fn from(s: TestSummary) -> Self {
        AnalysisSummary {
            attempts: s.attempts,
            mean_score_share: s.mean_score_share,
            cronbach_alpha: s.cronbach_alpha,
            alpha_attempts: s.alpha_attempts,
        }
    }
}

/// How often an option was chosen.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OptionCount {
    pub option: String,
    pub count: usize,
}

/// One question's statistics.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ItemAnalysis {
    pub key: String,
    pub prompt: String,
    pub responses: usize,
    /// Mean item score (0 to 1).
    #[schema(required = true)]
    pub facility: Option<f64>,
    #[schema(required = true)]
    pub point_biserial: Option<f64>,
    /// Upper/lower 27 % index (−1 to 1).
    #[schema(required = true)]
    pub discrimination_index: Option<f64>,
    pub option_counts: Vec<OptionCount>,
    /// What to look at: `too_easy`, `too_hard`, `poor_discrimination`,
    /// `negative_discrimination`, `unused_option:{id}`, `too_few_responses`.
    pub flags: Vec<String>,
}

fn flag_word(f: &Flag) -> String {
    match f {
        Flag::TooEasy => "too_easy".to_owned(),
        Flag::TooHard => "too_hard".to_owned(),
        Flag::PoorDiscrimination => "poor_discrimination".to_owned(),
        Flag::NegativeDiscrimination => "negative_discrimination".to_owned(),
        Flag::UnusedOption(id) => format!("unused_option:{id}"),
        Flag::TooFewResponses => "too_few_responses".to_owned(),
    }
}

impl From<QuestionStats> for ItemAnalysis {
    fn from(q: QuestionStats) -> Self {
        ItemAnalysis {
            key: q.key,
            prompt: q.question.prompt,
            responses: q.stats.responses,
            facility: q.stats.facility,
            point_biserial: q.stats.point_biserial,
            discrimination_index: q.stats.discrimination_index,
            option_counts: q
                .stats
                .option_counts
                .into_iter()
                .map(|(option, count)| OptionCount { option, count })
                .collect(),
            flags: q.stats.flags.iter().map(flag_word).collect(),
        }
    }
}

/// The item analysis of a version's evaluation.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Analysis {
    pub version: i32,
    pub summary: AnalysisSummary,
    pub questions: Vec<ItemAnalysis>,
}

#[utoipa::path(
    get,
    path = "/courses/{id}/item-analysis",
    operation_id = "item_analysis",
    tag = "evaluations",
    summary = "Item analysis of a version's evaluation over its submitted attempts",
    description = "For the course's authors and coaches (the statistics page).",
    params(("id" = i64, Path, description = "The course"), AnalysisParams),
    responses(
        (status = 200, description = "The analysis", body = Analysis),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller neither writes nor coaches this course", body = ErrorBody),
        (status = 404, description = "No such course or version, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "The id or version is not a number", body = ErrorBody),
    )
)]
pub async fn item_analysis(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<AnalysisParams>,
) -> ApiResult<Json<Analysis>> {
    let (version, summary, questions) = state.app.item_analysis(&caller, id, q.version).await?;
    Ok(Json(Analysis {
        version,
        summary: summary.into(),
        questions: questions.into_iter().map(Into::into).collect(),
    }))
}
