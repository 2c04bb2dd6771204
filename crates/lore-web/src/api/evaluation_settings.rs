//! A course's final evaluation as the editor sets it (docs/decisions/0051): its settings
//! (mode, pass mark, attempts, time limit, shuffle, required for completion) and its
//! questions as JSON — list, add, edit, remove, reorder — in every kind GIFT imports, each
//! with its shape. Each calls the use case the editor calls (`save_evaluation_settings`,
//! `add_question`, `save_question`, `delete_question`) or, for what the editor does not
//! offer, a use case of its own (`reorder_questions`); the GETs read through
//! `preview_evaluation` and change nothing. The right to edit is asked before a body is read.

use axum::Json;
use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use lore_app::AppError;
use lore_app::evaluations::authoring::{
    MAX_ATTEMPTS, PASS_MARK, SettingsInput, TIME_LIMIT_MINUTES, question_of,
};
use lore_app::{EvaluationSettings, QuestionRow};
use lore_domain::policy::Action;
use lore_domain::question::{
    EXPLANATION_MAX_CHARS, EvaluationMode, FEEDBACK_MAX_CHARS, ID_MAX_CHARS, MAX_ACCEPTED,
    PROMPT_MAX_CHARS, Question, QuestionKind, TEXT_MAX_CHARS,
};
use serde::{Deserialize, Serialize};

use super::ApiResult;
use super::extract::{ApiJson, ApiPath};
use super::request_rules::{CONTROL, Rule};
use crate::WebState;
use crate::error::{ApiError, ErrorBody};
use crate::session::ApiCaller;

/// The most questions a draft holds (the use case's limit).
const MAX_QUESTIONS: usize = 200;

/// A question's key: `q-` and letters or digits, as `new_question_key` makes them.
const QUESTION_KEY: &str = r"^[A-Za-z0-9_-]{1,40}$";

/// What these operations' bodies must satisfy, from the domain's constants (added to the
/// document by `request_rules`).
pub(crate) fn rules() -> Vec<(&'static str, &'static str, Rule)> {
    let range = |r: std::ops::RangeInclusive<i32>| Rule::Range {
        min: i64::from(*r.start()),
        max: i64::from(*r.end()),
    };
    let text = |required, max| Rule::Text {
        required,
        max,
        refused: CONTROL,
    };
    let mut rules = vec![
        (
            "EvaluationSettingsBody",
            "mode",
            Rule::OneOf(
                EvaluationMode::ALL
                    .iter()
                    .map(|m| m.as_str().to_owned())
                    .collect(),
            ),
        ),
        ("EvaluationSettingsBody", "pass_mark", range(PASS_MARK)),
        (
            "EvaluationSettingsBody",
            "max_attempts",
            range(MAX_ATTEMPTS),
        ),
        (
            "EvaluationSettingsBody",
            "time_limit_minutes",
            range(TIME_LIMIT_MINUTES),
        ),
        (
            "QuestionOrder",
            "question_keys",
            Rule::Items {
                max: Some(MAX_QUESTIONS),
                each: Box::new(Rule::Pattern {
                    pattern: QUESTION_KEY,
                    max: 40,
                }),
            },
        ),
        ("ChoiceOptionShape", "id", text(true, ID_MAX_CHARS)),
        ("ChoiceOptionShape", "text", text(true, TEXT_MAX_CHARS)),
        (
            "ChoiceOptionShape",
            "feedback",
            text(false, FEEDBACK_MAX_CHARS),
        ),
        ("OrderItemShape", "id", text(true, ID_MAX_CHARS)),
        ("OrderItemShape", "text", text(true, TEXT_MAX_CHARS)),
        ("MatchPairShape", "id", text(true, ID_MAX_CHARS)),
        ("MatchPairShape", "left", text(true, TEXT_MAX_CHARS)),
        ("MatchPairShape", "right", text(true, TEXT_MAX_CHARS)),
        ("DistractorShape", "id", text(true, ID_MAX_CHARS)),
        ("DistractorShape", "text", text(true, TEXT_MAX_CHARS)),
        (
            "EssayQuestion",
            "model_answer",
            text(false, lore_domain::essay::MODEL_ANSWER_MAX_CHARS),
        ),
        (
            "RubricCriterionShape",
            "name",
            text(true, lore_domain::essay::NAME_MAX_CHARS),
        ),
        (
            "ShortTextQuestion",
            "accepted",
            Rule::Items {
                max: Some(MAX_ACCEPTED),
                each: Box::new(text(true, TEXT_MAX_CHARS)),
            },
        ),
    ];
    for (schema, kind) in QUESTION_SHAPES {
        rules.push((schema, "kind", Rule::OneOf(vec![kind.as_str().to_owned()])));
        rules.push((schema, "prompt", text(true, PROMPT_MAX_CHARS)));
        rules.push((schema, "explanation", text(false, EXPLANATION_MAX_CHARS)));
    }
    rules
}

/// Each kind's schema in the document.
const QUESTION_SHAPES: [(&str, QuestionKind); 8] = [
    ("SingleChoiceQuestion", QuestionKind::SingleChoice),
    ("MultipleChoiceQuestion", QuestionKind::MultipleChoice),
    ("TrueFalseQuestion", QuestionKind::TrueFalse),
    ("ShortTextQuestion", QuestionKind::ShortText),
    ("NumberQuestion", QuestionKind::Number),
    ("OrderingQuestion", QuestionKind::Ordering),
    ("MatchingQuestion", QuestionKind::Matching),
    ("EssayQuestion", QuestionKind::Essay),
];

// ---------------------------------------------------------------------------------------
// The question's shapes, for the document only: the body is read into the domain's
// `Question`, which `Question::validate` checks (the rules between fields: one correct
// option, weights, the points of a rubric).
// ---------------------------------------------------------------------------------------

pub use shapes::*;

mod shapes {
    #![expect(
        dead_code,
        reason = "documents the shapes the handler reads into `Question`"
    )]

    use serde::Serialize;

    /// An option of a choice question.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    pub struct ChoiceOptionShape {
        /// Stable within the question (`a`, `b`, …).
        pub id: String,
        pub text: String,
        pub correct: bool,
        #[serde(default)]
        pub feedback: String,
        /// Percent of the points when chosen (GIFT's `%n%`).
        #[schema(minimum = -100, maximum = 100)]
        pub weight: Option<f64>,
    }

    /// Another accepted short answer with its own weight.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    pub struct GradedTextShape {
        pub text: String,
        /// Percent of the points.
        #[schema(minimum = 0, maximum = 100)]
        pub weight: f64,
        #[serde(default)]
        pub feedback: String,
    }

    /// Another accepted number with its own weight.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    pub struct GradedNumberShape {
        pub value: f64,
        #[schema(minimum = 0)]
        pub tolerance: f64,
        /// Percent of the points.
        #[schema(minimum = 0, maximum = 100)]
        pub weight: f64,
        #[serde(default)]
        pub feedback: String,
    }

    /// An item of an ordering question, listed in the right order.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    pub struct OrderItemShape {
        pub id: String,
        pub text: String,
    }

    /// A pair of a matching question.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    pub struct MatchPairShape {
        pub id: String,
        pub left: String,
        pub right: String,
    }

    /// A right-hand side that matches no left.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    pub struct DistractorShape {
        pub id: String,
        pub text: String,
    }

    /// A criterion of an essay's rubric.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    pub struct RubricCriterionShape {
        pub name: String,
        #[schema(exclusive_minimum = 0)]
        pub max_points: f64,
    }

    /// Exactly one option is correct.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    #[schema(example = json!({"kind": "single_choice", "prompt": "Who is paged first?", "points": 1, "options": [{"id": "a", "text": "The on-call engineer", "correct": true}, {"id": "b", "text": "The CEO", "correct": false}]}))]
    pub struct SingleChoiceQuestion {
        pub kind: String,
        pub prompt: String,
        #[schema(exclusive_minimum = 0, maximum = 1000)]
        pub points: f64,
        #[serde(default)]
        pub explanation: String,
        #[schema(min_items = 2, max_items = 12)]
        pub options: Vec<ChoiceOptionShape>,
    }

    /// Any number of options are correct (at least one).
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    pub struct MultipleChoiceQuestion {
        pub kind: String,
        pub prompt: String,
        #[schema(exclusive_minimum = 0, maximum = 1000)]
        pub points: f64,
        #[serde(default)]
        pub explanation: String,
        #[schema(min_items = 2, max_items = 12)]
        pub options: Vec<ChoiceOptionShape>,
        /// Each right choice earns a share, each wrong one costs one.
        pub partial_credit: bool,
    }

    /// True or false.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    pub struct TrueFalseQuestion {
        pub kind: String,
        pub prompt: String,
        #[schema(exclusive_minimum = 0, maximum = 1000)]
        pub points: f64,
        #[serde(default)]
        pub explanation: String,
        pub answer: bool,
        #[serde(default)]
        #[schema(max_length = 1000)]
        pub feedback_true: String,
        #[serde(default)]
        #[schema(max_length = 1000)]
        pub feedback_false: String,
    }

    /// Any of the accepted answers.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    pub struct ShortTextQuestion {
        pub kind: String,
        pub prompt: String,
        #[schema(exclusive_minimum = 0, maximum = 1000)]
        pub points: f64,
        #[serde(default)]
        pub explanation: String,
        #[schema(min_items = 1)]
        pub accepted: Vec<String>,
        pub case_sensitive: bool,
        /// Feedback per accepted answer, in the same order.
        #[serde(default)]
        pub feedback: Vec<String>,
        #[serde(default)]
        pub others: Vec<GradedTextShape>,
    }

    /// A number, give or take a tolerance.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    pub struct NumberQuestion {
        pub kind: String,
        pub prompt: String,
        #[schema(exclusive_minimum = 0, maximum = 1000)]
        pub points: f64,
        #[serde(default)]
        pub explanation: String,
        pub value: f64,
        #[schema(minimum = 0)]
        pub tolerance: f64,
        #[serde(default)]
        #[schema(max_length = 1000)]
        pub feedback: String,
        #[serde(default)]
        pub others: Vec<GradedNumberShape>,
    }

    /// Put the items in the order listed.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    pub struct OrderingQuestion {
        pub kind: String,
        pub prompt: String,
        #[schema(exclusive_minimum = 0, maximum = 1000)]
        pub points: f64,
        #[serde(default)]
        pub explanation: String,
        #[schema(min_items = 2, max_items = 12)]
        pub items: Vec<OrderItemShape>,
        pub partial_credit: bool,
    }

    /// Match each left to its right.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    pub struct MatchingQuestion {
        pub kind: String,
        pub prompt: String,
        #[schema(exclusive_minimum = 0, maximum = 1000)]
        pub points: f64,
        #[serde(default)]
        pub explanation: String,
        #[schema(min_items = 2, max_items = 12)]
        pub pairs: Vec<MatchPairShape>,
        pub partial_credit: bool,
        #[serde(default)]
        pub distractors: Vec<DistractorShape>,
    }

    /// An open answer, scored by a reviewer with the rubric.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    pub struct EssayQuestion {
        pub kind: String,
        pub prompt: String,
        #[schema(exclusive_minimum = 0, maximum = 1000)]
        pub points: f64,
        #[serde(default)]
        pub explanation: String,
        #[serde(default)]
        #[schema(max_items = 12)]
        pub rubric: Vec<RubricCriterionShape>,
        /// Shown to reviewers beside each answer, never to learners.
        #[serde(default)]
        pub model_answer: String,
    }

    /// A question as the author writes it: one shape per `kind`.
    #[derive(Debug, Serialize, utoipa::ToSchema)]
    #[serde(untagged)]
    pub enum QuestionShape {
        SingleChoice(SingleChoiceQuestion),
        MultipleChoice(MultipleChoiceQuestion),
        TrueFalse(TrueFalseQuestion),
        ShortText(ShortTextQuestion),
        Number(NumberQuestion),
        Ordering(OrderingQuestion),
        Matching(MatchingQuestion),
        Essay(EssayQuestion),
    }
}

// ---------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------

/// How the final evaluation runs.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EvaluationSettingsView {
    /// `practice` (feedback at once, retries) or `exam` (answers sealed until submitted).
    pub mode: String,
    /// Percent needed to pass.
    pub pass_mark: i32,
    /// `null`: no limit.
    #[schema(required = true)]
    pub max_attempts: Option<i32>,
    /// `null`: no limit.
    #[schema(required = true)]
    pub time_limit_minutes: Option<i32>,
    pub shuffle: bool,
    pub required_for_completion: bool,
}

impl From<EvaluationSettings> for EvaluationSettingsView {
    fn from(s: EvaluationSettings) -> Self {
        Self {
            mode: s.mode.as_str().to_owned(),
            pass_mark: s.pass_mark,
            max_attempts: s.max_attempts,
            time_limit_minutes: s.time_limit_minutes,
            shuffle: s.shuffle,
            required_for_completion: s.required_for_completion,
        }
    }
}

/// The evaluation's settings, as the editor's form sets them all at once.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"mode": "exam", "pass_mark": 70, "max_attempts": 2, "time_limit_minutes": 15, "shuffle": true, "required_for_completion": true}))]
pub struct EvaluationSettingsBody {
    /// `practice` when left out.
    pub mode: Option<String>,
    /// Percent needed to pass; 80 when left out.
    pub pass_mark: Option<i32>,
    /// Left out or `null`: no limit.
    pub max_attempts: Option<i32>,
    /// Left out or `null`: no limit.
    pub time_limit_minutes: Option<i32>,
    #[serde(default)]
    pub shuffle: bool,
    #[serde(default)]
    pub required_for_completion: bool,
}

// ---------------------------------------------------------------------------------------
// Questions
// ---------------------------------------------------------------------------------------

/// A question of the draft (or, before a draft is opened, of the newest version).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EvaluationQuestion {
    /// Stable across versions: the address of the question operations.
    pub key: String,
    /// The step (of kind `question`) it is inside; `null` for the final evaluation.
    #[schema(required = true)]
    pub step_key: Option<String>,
    /// From 1, among the questions of the same place.
    pub position: usize,
    /// Send it back when saving the question; a save after someone else's is 409.
    pub revision: i64,
    #[schema(value_type = QuestionShape)]
    pub question: Question,
}

/// The evaluation's questions.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EvaluationQuestions {
    pub version: i32,
    /// `draft` or `published` (no draft open yet: the first change opens one).
    pub state: String,
    /// The final evaluation's first, then each step's, each in order.
    pub questions: Vec<EvaluationQuestion>,
}

/// A question to add.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"question": {"kind": "true_false", "prompt": "Pages may wait until morning.", "points": 1, "answer": false}}))]
pub struct NewQuestion {
    /// A step of kind `question` of the draft to put it in; the final evaluation when left
    /// out.
    #[schema(pattern = r"^[!-~]{1,64}$")]
    pub step_key: Option<String>,
    #[schema(value_type = QuestionShape)]
    pub question: serde_json::Value,
}

/// A question's new content.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"revision": 0, "question": {"kind": "number", "prompt": "Minutes to acknowledge a page?", "points": 1, "value": 5, "tolerance": 0}}))]
pub struct QuestionEdit {
    /// The `revision` read with the question; left out, the save does not check for others'.
    pub revision: Option<i64>,
    #[schema(value_type = QuestionShape)]
    pub question: serde_json::Value,
}

/// A new order of the questions of one place (the final evaluation, or one step).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"question_keys": ["q-b2c3d4e5f6", "q-a1b2c3d4e5"]}))]
pub struct QuestionOrder {
    /// Every question key of that place, once each, in the new order.
    pub question_keys: Vec<String>,
}

/// A question of a course in the address.
#[derive(Debug, Deserialize)]
pub struct QuestionPath {
    pub id: i64,
    pub key: String,
}

fn question(value: serde_json::Value) -> ApiResult<Question> {
    serde_json::from_value(value).map_err(|e| {
        let reason: String = e.to_string().chars().take(160).collect();
        ApiError(AppError::invalid(
            "question",
            format!("The question does not have the shape of its kind ({reason})."),
        ))
    })
}

fn lines(rows: Vec<QuestionRow>) -> ApiResult<Vec<EvaluationQuestion>> {
    let mut places: Vec<Option<String>> = Vec::new();
    for r in &rows {
        if !places.contains(&r.step_key) {
            places.push(r.step_key.clone());
        }
    }
    places.sort_by_key(Option::is_some);
    let mut out = Vec::new();
    for place in places {
        for (i, r) in rows.iter().filter(|r| r.step_key == place).enumerate() {
            out.push(EvaluationQuestion {
                key: r.question_key.clone(),
                step_key: r.step_key.clone(),
                position: i + 1,
                revision: r.revision,
                question: question_of(r)?,
            });
        }
    }
    Ok(out)
}

async fn may_edit(state: &WebState, caller: &lore_app::Caller, id: i64) -> ApiResult<()> {
    state.app.course_for(caller, id, Action::EditCourse).await?;
    Ok(())
}

/// The draft's questions after a change (the draft is open by then).
async fn draft_questions(
    state: &WebState,
    caller: &lore_app::Caller,
    id: i64,
) -> ApiResult<Vec<EvaluationQuestion>> {
    let (rows, _) = state.app.draft_evaluation(caller, id).await?;
    lines(rows)
}

/// The draft's question with this key, opening the draft if needed.
async fn draft_question(
    state: &WebState,
    caller: &lore_app::Caller,
    id: i64,
    key: &str,
) -> ApiResult<QuestionRow> {
    let (rows, _) = state.app.draft_evaluation(caller, id).await?;
    rows.into_iter()
        .find(|r| r.question_key == key)
        .ok_or(ApiError(AppError::NotFound("That question")))
}

#[utoipa::path(
    get,
    path = "/courses/{id}/evaluation/settings",
    operation_id = "get_evaluation_settings",
    tag = "evaluations",
    summary = "How the course's final evaluation runs (the draft's, or the newest version's before a draft is opened)",
    description = "For the course's editors (and reviewers while it is in review). Changes nothing.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The settings", body = EvaluationSettingsView),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not its draft", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn settings(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<EvaluationSettingsView>> {
    let (_, _, settings) = state.app.preview_evaluation(&caller, id).await?;
    Ok(Json(settings.into()))
}

#[utoipa::path(
    put,
    path = "/courses/{id}/evaluation/settings",
    operation_id = "set_evaluation_settings",
    tag = "evaluations",
    summary = "Set how the final evaluation runs, on the draft",
    description = "As the editor's evaluation form: every setting at once; those left out \
                   take their defaults (practice, 80 %, no limits, no shuffle, not required). \
                   Opens a draft from the newest version if there is none.",
    params(("id" = i64, Path, description = "The course")),
    request_body = EvaluationSettingsBody,
    responses(
        (status = 200, description = "The settings as saved", body = EvaluationSettingsView),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not edit this course", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 413, description = "The body is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "A bad body: an unknown mode, a number out of its range", body = ErrorBody),
    )
)]
pub async fn set_settings(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<Json<EvaluationSettingsView>> {
    may_edit(&state, &caller, id).await?;
    let ApiJson(body) = ApiJson::<EvaluationSettingsBody>::from_request(request, &state).await?;
    let number = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    let (pass_mark, max_attempts, time_limit) = (
        number(body.pass_mark),
        number(body.max_attempts),
        number(body.time_limit_minutes),
    );
    let mode = body.mode.as_deref().unwrap_or("practice");
    if mode.trim().is_empty() {
        return Err(AppError::invalid("mode", "Choose practice or exam.").into());
    }
    state
        .app
        .save_evaluation_settings(
            &caller,
            id,
            &SettingsInput {
                mode,
                pass_mark: &pass_mark,
                max_attempts: &max_attempts,
                time_limit_minutes: &time_limit,
                shuffle: body.shuffle,
                required_for_completion: body.required_for_completion,
            },
        )
        .await?;
    let (_, settings) = state.app.draft_evaluation(&caller, id).await?;
    Ok(Json(settings.into()))
}

#[utoipa::path(
    get,
    path = "/courses/{id}/evaluation/questions",
    operation_id = "list_evaluation_questions",
    tag = "evaluations",
    summary = "The course's questions with their answers (the draft's, or the newest version's before a draft is opened)",
    description = "For the course's editors (and reviewers while it is in review). Changes nothing.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The questions", body = EvaluationQuestions),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not its draft", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn questions(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<EvaluationQuestions>> {
    let (version, rows, _) = state.app.preview_evaluation(&caller, id).await?;
    Ok(Json(EvaluationQuestions {
        version: version.number,
        state: version.state.as_str().to_owned(),
        questions: lines(rows)?,
    }))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/evaluation/questions",
    operation_id = "add_evaluation_question",
    tag = "evaluations",
    summary = "Add a question to the draft's final evaluation, or inside a step",
    description = "The question is checked by the domain's rules (one correct option for a \
                   single choice, weights, lengths). Opens a draft from the newest version if \
                   there is none.",
    params(("id" = i64, Path, description = "The course")),
    request_body = NewQuestion,
    responses(
        (status = 201, description = "The question added", body = EvaluationQuestion),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not edit this course", body = ErrorBody),
        (status = 404, description = "No such course, or no such step in the draft", body = ErrorBody),
        (status = 413, description = "The body is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "A question that is not valid, or 200 questions already", body = ErrorBody),
    )
)]
pub async fn add_question(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<(StatusCode, Json<EvaluationQuestion>)> {
    may_edit(&state, &caller, id).await?;
    let ApiJson(body) = ApiJson::<NewQuestion>::from_request(request, &state).await?;
    let q = question(body.question)?;
    let row = state
        .app
        .add_question(&caller, id, body.step_key.as_deref(), &q)
        .await?;
    let added = draft_questions(&state, &caller, id)
        .await?
        .into_iter()
        .find(|l| l.key == row.question_key)
        .ok_or(ApiError(AppError::NotFound("That question")))?;
    Ok((StatusCode::CREATED, Json(added)))
}

#[utoipa::path(
    put,
    path = "/courses/{id}/evaluation/questions/{key}",
    operation_id = "save_evaluation_question",
    tag = "evaluations",
    summary = "Replace a question of the draft (its kind may change)",
    params(
        ("id" = i64, Path, description = "The course"),
        ("key" = String, Path, description = "The question's key"),
    ),
    request_body = QuestionEdit,
    responses(
        (status = 200, description = "The question as saved", body = EvaluationQuestion),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not edit this course", body = ErrorBody),
        (status = 404, description = "No such course, or no such question in the draft", body = ErrorBody),
        (status = 409, description = "`conflict`: someone saved the question after the `revision` given", body = ErrorBody),
        (status = 413, description = "The body is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "A question that is not valid", body = ErrorBody),
    )
)]
pub async fn save_question(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<QuestionPath>,
    request: Request,
) -> ApiResult<Json<EvaluationQuestion>> {
    may_edit(&state, &caller, path.id).await?;
    let ApiJson(body) = ApiJson::<QuestionEdit>::from_request(request, &state).await?;
    let q = question(body.question)?;
    let current = draft_question(&state, &caller, path.id, &path.key).await?;
    state
        .app
        .save_question(
            &caller,
            path.id,
            current.id,
            body.revision.unwrap_or(current.revision),
            &q,
        )
        .await?;
    let saved = draft_questions(&state, &caller, path.id)
        .await?
        .into_iter()
        .find(|l| l.key == path.key)
        .ok_or(ApiError(AppError::NotFound("That question")))?;
    Ok(Json(saved))
}

#[utoipa::path(
    delete,
    path = "/courses/{id}/evaluation/questions/{key}",
    operation_id = "delete_evaluation_question",
    tag = "evaluations",
    summary = "Remove a question from the draft",
    params(
        ("id" = i64, Path, description = "The course"),
        ("key" = String, Path, description = "The question's key"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not edit this course", body = ErrorBody),
        (status = 404, description = "No such course, or no such question in the draft", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn delete_question(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<QuestionPath>,
) -> ApiResult<StatusCode> {
    may_edit(&state, &caller, path.id).await?;
    let current = draft_question(&state, &caller, path.id, &path.key).await?;
    state
        .app
        .delete_question(&caller, path.id, current.id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    put,
    path = "/courses/{id}/evaluation/questions/order",
    operation_id = "reorder_evaluation_questions",
    tag = "evaluations",
    summary = "Put the questions of the final evaluation (or of one step) in a new order",
    params(("id" = i64, Path, description = "The course")),
    request_body = QuestionOrder,
    responses(
        (status = 200, description = "The draft's questions in their new order", body = [EvaluationQuestion]),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not edit this course", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 413, description = "The body is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "Not every question of one place once each", body = ErrorBody),
    )
)]
pub async fn reorder_questions(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<Json<Vec<EvaluationQuestion>>> {
    may_edit(&state, &caller, id).await?;
    let ApiJson(body) = ApiJson::<QuestionOrder>::from_request(request, &state).await?;
    state
        .app
        .reorder_questions(&caller, id, &body.question_keys)
        .await?;
    Ok(Json(draft_questions(&state, &caller, id).await?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lore_domain::question::{MAX_CHOICES, MIN_CHOICES};

    /// The limits written as literals in the shapes are the domain's.
    #[test]
    fn shape_limits_are_the_domains() {
        assert_eq!(MIN_CHOICES, 2);
        assert_eq!(MAX_CHOICES, 12);
        assert_eq!(Question::MAX_POINTS, 1000.0);
        assert_eq!(FEEDBACK_MAX_CHARS, 1000);
        assert_eq!(lore_domain::essay::MAX_CRITERIA, 12);
    }
}
