//! `/question-banks` and a course draft's draw: the twins of the question bank pages
//! (decision 0044). Banks are kept by whoever may write courses in their group; anyone else
//! is answered 404, so that banks do not show.

use axum::Json;
use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use lore_app::AppError;
use lore_app::evaluations::banks::{
    BankDetail, BankImport, BankItemStats, BankView, DrawInput, DrawView,
};
use lore_app::evaluations::question_import::MAX_IMPORT_CHARS;
use lore_domain::policy::Action;
use lore_domain::question::Question;
use lore_domain::question_bank::Difficulty;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ApiResult;
use super::extract::{ApiJson, ApiPath};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// A question bank.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Bank {
    pub id: i64,
    pub group_id: i64,
    /// The group's path, `Acme/Engineering`.
    pub group: String,
    pub name: String,
    pub questions: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<BankView> for Bank {
    fn from(b: BankView) -> Self {
        Self {
            id: b.id,
            group_id: b.group_id,
            group: b.group,
            name: b.name,
            questions: b.questions,
            created_at: b.created_at,
        }
    }
}

/// How a bank question fared in every submitted attempt, in any course, that drew it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BankQuestionFigures {
    pub attempts: u64,
    pub courses: u64,
    /// Share of those attempts that answered it fully right, 0 to 1; `null` before any.
    pub share_correct: Option<f64>,
    /// Mean share of its points scored, 0 to 1; `null` before any.
    pub mean_score: Option<f64>,
    /// Its stored band, which draws filter on: `easy`, `medium`, `hard`, or `null` while
    /// fewer than 5 scored attempts drew it (decision 0047).
    pub difficulty: Option<String>,
    /// Scored attempts its band counts.
    pub rated_answers: u64,
}

impl BankQuestionFigures {
    fn of(s: BankItemStats, difficulty: Option<Difficulty>, rated_answers: u64) -> Self {
        Self {
            attempts: s.attempts,
            courses: s.courses,
            share_correct: s.share_correct,
            mean_score: s.mean_score,
            difficulty: difficulty.map(|d| d.as_str().to_owned()),
            rated_answers,
        }
    }
}

/// A question of a bank.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BankQuestion {
    pub id: i64,
    /// Stable key: attempts that drew the question answer it under this key.
    pub key: String,
    /// Empty for none.
    pub topic: String,
    /// The question with its answer key (`kind`, `prompt`, …) as the course API writes it.
    #[schema(value_type = Object)]
    pub question: Question,
    pub figures: BankQuestionFigures,
}

/// A bank with its topics and questions.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BankWithQuestions {
    pub bank: Bank,
    /// Each topic (empty for none) with how many questions it has.
    pub topics: Vec<BankTopic>,
    pub questions: Vec<BankQuestion>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BankTopic {
    pub topic: String,
    pub questions: u64,
}

impl From<BankDetail> for BankWithQuestions {
    fn from(d: BankDetail) -> Self {
        Self {
            bank: d.bank.into(),
            topics: d
                .topics
                .into_iter()
                .map(|(topic, questions)| BankTopic { topic, questions })
                .collect(),
            questions: d
                .questions
                .into_iter()
                .map(|q| BankQuestion {
                    id: q.id,
                    key: q.key,
                    topic: q.topic,
                    question: q.question,
                    figures: BankQuestionFigures::of(q.stats, q.difficulty, q.rated_answers),
                })
                .collect(),
        }
    }
}

#[utoipa::path(
    get,
    path = "/question-banks",
    operation_id = "list_question_banks",
    tag = "courses",
    summary = "The question banks of every group where the caller may write courses",
    responses(
        (status = 200, description = "The banks, by name", body = [Bank]),
        (status = 401, description = "No valid token or session", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<Bank>>> {
    let banks = state.app.question_banks(&caller).await?;
    Ok(Json(banks.into_iter().map(Bank::from).collect()))
}

/// A new bank.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBank {
    /// A group where the caller may write courses.
    #[schema(example = 3)]
    pub group_id: i64,
    /// 1 to 120 characters on one line.
    #[schema(example = "Security basics")]
    pub name: String,
}

#[utoipa::path(
    post,
    path = "/question-banks",
    operation_id = "create_question_bank",
    tag = "courses",
    summary = "Start a question bank in a group where the caller may write courses",
    request_body = NewBank,
    responses(
        (status = 201, description = "Started", body = Bank),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not write courses in that group (or in any)", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
        (status = 409, description = "`name_taken`: the group has a bank of that name already", body = ErrorBody),
        (status = 422, description = "An empty or long name, or a bad body", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    request: Request,
) -> ApiResult<(StatusCode, Json<Bank>)> {
    if state.app.bank_groups(&caller).await?.is_empty() {
        return Err(AppError::Forbidden.into());
    }
    let ApiJson(body) = ApiJson::<NewBank>::from_request(request, &state).await?;
    let bank = state
        .app
        .create_bank(&caller, body.group_id, &body.name)
        .await?;
    Ok((StatusCode::CREATED, Json(bank.into())))
}

#[utoipa::path(
    get,
    path = "/question-banks/{id}",
    operation_id = "show_question_bank",
    tag = "courses",
    summary = "A bank with its topics, its questions and each question's figures across courses",
    params(("id" = i64, Path, description = "The bank")),
    responses(
        (status = 200, description = "The bank", body = BankWithQuestions),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such bank, or the caller may not write courses in its group", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<BankWithQuestions>> {
    Ok(Json(state.app.question_bank(&caller, id).await?.into()))
}

/// One question to add.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBankQuestionBody {
    /// Empty or left out for none.
    #[serde(default)]
    pub topic: String,
    /// The question as the course API writes it (`kind`, `prompt`, `points`, …).
    #[schema(value_type = Object)]
    pub question: serde_json::Value,
}

/// What was added.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BankAdded {
    pub added: usize,
}

#[utoipa::path(
    post,
    path = "/question-banks/{id}/questions",
    operation_id = "add_bank_question",
    tag = "courses",
    summary = "Add one question to a bank",
    params(("id" = i64, Path, description = "The bank")),
    request_body = NewBankQuestionBody,
    responses(
        (status = 201, description = "Added", body = BankAdded),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such bank, or the caller may not write courses in its group", body = ErrorBody),
        (status = 422, description = "A question that is not valid, a long topic, or a full bank", body = ErrorBody),
    )
)]
pub async fn add_question(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<(StatusCode, Json<BankAdded>)> {
    state.app.question_bank(&caller, id).await?;
    let ApiJson(body) = ApiJson::<NewBankQuestionBody>::from_request(request, &state).await?;
    let question: Question = serde_json::from_value(body.question)
        .map_err(|e| AppError::invalid("question", format!("The question is not valid: {e}")))?;
    state
        .app
        .add_bank_question(&caller, id, &body.topic, &question)
        .await?;
    Ok((StatusCode::CREATED, Json(BankAdded { added: 1 })))
}

/// A GIFT text for a bank, and which of its good questions to add.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BankGift {
    /// GIFT as Moodle writes it, at most 100,000 characters.
    #[schema(max_length = 100_000)]
    pub gift: String,
    /// Topic for every question; empty or left out: each question's `$CATEGORY`.
    #[serde(default)]
    pub topic: String,
    /// Indexes (as `POST /courses/{id}/questions/gift/check` numbers them) of the good
    /// questions to add; `null` or left out adds every good question.
    #[serde(default)]
    #[schema(min_items = 1, max_items = 1_000, nullable)]
    pub chosen: Option<Vec<u32>>,
}

#[utoipa::path(
    post,
    path = "/question-banks/{id}/questions/gift",
    operation_id = "import_bank_gift",
    tag = "courses",
    summary = "Add the chosen good questions of a GIFT text to a bank",
    description = "All are added or none. `chosen` null adds every good question; an index \
                   that is not a good question refuses the call with `invalid_input` and \
                   field `chosen`. A text with no good question is refused.",
    params(("id" = i64, Path, description = "The bank")),
    request_body = BankGift,
    responses(
        (status = 201, description = "Added", body = BankAdded),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such bank, or the caller may not write courses in its group", body = ErrorBody),
        (status = 413, description = "The body is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "A text over 100,000 characters or without good questions, a bad choice, a long topic, or a full bank", body = ErrorBody),
    )
)]
pub async fn import_gift(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<(StatusCode, Json<BankAdded>)> {
    state.app.question_bank(&caller, id).await?;
    let ApiJson(body) = ApiJson::<BankGift>::from_request(request, &state).await?;
    if body.gift.chars().count() > MAX_IMPORT_CHARS
        || body.chosen.as_ref().is_some_and(|c| c.len() > 1_000)
    {
        return Err(AppError::invalid(
            "body",
            format!(
                "Send at most {MAX_IMPORT_CHARS} characters of GIFT and at most 1000 chosen \
                 indexes."
            ),
        )
        .into());
    }
    let chosen: Option<Vec<usize>> = body
        .chosen
        .map(|c| c.into_iter().map(|i| i as usize).collect());
    let added = match state
        .app
        .import_bank_gift(
            &caller,
            id,
            &body.gift,
            &body.topic,
            chosen.as_deref(),
            true,
        )
        .await?
    {
        BankImport::Added(n) => n,
        BankImport::NeedsChoice(_) => 0,
    };
    Ok((StatusCode::CREATED, Json(BankAdded { added })))
}

#[utoipa::path(
    delete,
    path = "/question-banks/{id}/questions/{question_id}",
    operation_id = "delete_bank_question",
    tag = "courses",
    summary = "Take a question out of a bank; attempts that drew it keep their copy",
    params(
        ("id" = i64, Path, description = "The bank"),
        ("question_id" = i64, Path, description = "The question"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such bank or question, or the caller may not write courses in its group", body = ErrorBody),
    )
)]
pub async fn delete_question(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, question_id)): ApiPath<(i64, i64)>,
) -> ApiResult<StatusCode> {
    state
        .app
        .delete_bank_question(&caller, id, question_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A course draft's draw: every attempt draws `count` questions from the bank.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Draw {
    pub bank_id: i64,
    pub bank: String,
    /// `null`: any topic of the bank.
    pub topic: Option<String>,
    pub count: u32,
    /// `null`: any difficulty; else `easy`, `medium` or `hard`.
    pub difficulty: Option<String>,
}

impl From<DrawView> for Draw {
    fn from(d: DrawView) -> Self {
        Self {
            bank_id: d.bank_id,
            bank: d.bank,
            topic: d.topic,
            count: d.count,
            difficulty: d.difficulty.map(|d| d.as_str().to_owned()),
        }
    }
}

#[utoipa::path(
    get,
    path = "/courses/{id}/evaluation/draw",
    operation_id = "show_evaluation_draw",
    tag = "courses",
    summary = "The draft's draw from a question bank, if any",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The draw, or `null` without one", body = Option<Draw>),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
    )
)]
pub async fn show_draw(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Option<Draw>>> {
    let (draw, _) = state.app.draft_draw(&caller, id).await?;
    Ok(Json(draw.map(Draw::from)))
}

/// The draw to set.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawBody {
    /// A bank of the course's group or a group above it.
    pub bank_id: i64,
    /// Empty, `null` or left out: any topic.
    #[serde(default)]
    pub topic: Option<String>,
    /// 1 to 100, at most what the bank holds for the topic (and difficulty).
    pub count: u32,
    /// `easy`, `medium` or `hard`: only questions rated so (decision 0047). Empty, `any`,
    /// `null` or left out: any question, rated or not.
    #[serde(default)]
    pub difficulty: Option<String>,
}

#[utoipa::path(
    put,
    path = "/courses/{id}/evaluation/draw",
    operation_id = "set_evaluation_draw",
    tag = "courses",
    summary = "Make the draft's final evaluation draw questions from a bank for every attempt",
    params(("id" = i64, Path, description = "The course")),
    request_body = DrawBody,
    responses(
        (status = 200, description = "Saved", body = Draw),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not edit it", body = ErrorBody),
        (status = 404, description = "No such course or bank, or the course is not visible to the caller", body = ErrorBody),
        (status = 409, description = "The course's draft cannot change now", body = ErrorBody),
        (status = 422, description = "A bank of another group, an unknown difficulty, more questions than the bank holds for the topic and difficulty, or a bad body", body = ErrorBody),
    )
)]
pub async fn set_draw(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<Json<Draw>> {
    state
        .app
        .course_for(&caller, id, Action::EditCourse)
        .await?;
    let ApiJson(body) = ApiJson::<DrawBody>::from_request(request, &state).await?;
    let bank_id = body.bank_id.to_string();
    let count = body.count.to_string();
    let input = DrawInput {
        bank_id: &bank_id,
        topic: body.topic.as_deref().unwrap_or(""),
        count: &count,
        difficulty: body.difficulty.as_deref().unwrap_or(""),
    };
    Ok(Json(state.app.set_draw(&caller, id, &input).await?.into()))
}

#[utoipa::path(
    delete,
    path = "/courses/{id}/evaluation/draw",
    operation_id = "clear_evaluation_draw",
    tag = "courses",
    summary = "Stop drawing from a bank: the evaluation has only its own questions",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 204, description = "No draw now"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
    )
)]
pub async fn clear_draw(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.clear_draw(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
