//! Questions in GIFT for a course's draft: a report of the good and the bad questions of a
//! text, and adding the chosen good ones. The caller's right to edit the course is checked
//! before the body is read.

use axum::Json;
use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use lore_app::evaluations::question_import::ImportReport;
use lore_domain::policy::Action;
use serde::{Deserialize, Serialize};

use super::ApiResult;
use super::extract::{ApiJson, ApiPath};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// The longest `chosen` list.
const MAX_CHOSEN: usize = 1_000;

/// A GIFT text to check.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GiftText {
    /// GIFT as Moodle writes it, at most 100,000 characters.
    #[schema(max_length = 100_000)]
    pub gift: String,
}

/// A GIFT text and which of its good questions to add.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GiftImport {
    /// GIFT as Moodle writes it, at most 100,000 characters.
    #[schema(max_length = 100_000)]
    pub gift: String,
    /// Indexes (from the check's report) of the good questions to add; `null` or left out
    /// adds every good question.
    #[serde(default)]
    #[schema(min_items = 1, max_items = 1_000, nullable)]
    pub chosen: Option<Vec<u32>>,
}

/// A problem that keeps a question out.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GiftProblem {
    pub line: usize,
    pub reason: String,
}

/// One question of the text, good (ready to add) or bad (with its problems).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GiftReportItem {
    /// What `chosen` refers to.
    pub index: usize,
    /// 1-based line where the question starts.
    pub line: usize,
    pub good: bool,
    pub title: Option<String>,
    pub category: Option<String>,
    /// The question's kind, for a good question.
    pub kind: Option<String>,
    /// The question's text, for a good question.
    pub prompt: Option<String>,
    /// Empty for a good question.
    pub problems: Vec<GiftProblem>,
}

/// What a GIFT text holds.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GiftReport {
    pub good: usize,
    pub bad: usize,
    pub questions: Vec<GiftReportItem>,
}

/// How many questions were added.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GiftAdded {
    pub added: usize,
}

impl From<ImportReport> for GiftReport {
    fn from(r: ImportReport) -> Self {
        Self {
            good: r.good_count(),
            bad: r.bad_count(),
            questions: r
                .items
                .into_iter()
                .map(|item| match item.outcome {
                    Ok(q) => GiftReportItem {
                        index: item.index,
                        line: item.line,
                        good: true,
                        title: q.title,
                        category: q.category,
                        kind: Some(q.question.kind_name().to_owned()),
                        prompt: Some(q.question.prompt),
                        problems: Vec::new(),
                    },
                    Err(problems) => GiftReportItem {
                        index: item.index,
                        line: item.line,
                        good: false,
                        title: None,
                        category: None,
                        kind: None,
                        prompt: None,
                        problems: problems
                            .into_iter()
                            .map(|p| GiftProblem {
                                line: p.line,
                                reason: p.reason,
                            })
                            .collect(),
                    },
                })
                .collect(),
        }
    }
}

#[utoipa::path(
    post,
    path = "/courses/{id}/questions/gift/check",
    operation_id = "check_gift_questions",
    tag = "courses",
    summary = "Report the good and the bad questions of a GIFT text; changes nothing",
    description = "For the course's authors. Each question of the text is listed with its \
                   index and line: good ones with their kind and text, bad ones with every \
                   problem and its line. A text over 100,000 characters is refused.",
    params(("id" = i64, Path, description = "The course")),
    request_body = GiftText,
    responses(
        (status = 200, description = "The report", body = GiftReport),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 413, description = "The body is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "A bad body, or a text over 100,000 characters", body = ErrorBody),
    )
)]
pub async fn check(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<Json<GiftReport>> {
    state
        .app
        .course_for(&caller, id, Action::EditCourse)
        .await?;
    let ApiJson(body) = ApiJson::<GiftText>::from_request(request, &state).await?;
    let report = state
        .app
        .check_question_import(&caller, id, &body.gift)
        .await?;
    Ok(Json(report.into()))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/questions/gift/import",
    operation_id = "import_gift_questions",
    tag = "courses",
    summary = "Add the chosen good questions of a GIFT text to the course's draft",
    description = "For the course's authors. `chosen` lists indexes of good questions from \
                   the check's report; `null` adds every good question (none, if the text \
                   has no good question). All are added or none. An index that is not a good \
                   question refuses the call with `invalid_input` and field `chosen`. A \
                   course holds at most 200 questions.",
    params(("id" = i64, Path, description = "The course")),
    request_body = GiftImport,
    responses(
        (status = 201, description = "Added", body = GiftAdded),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The course's draft cannot change now (for example, it is in review)", body = ErrorBody),
        (status = 413, description = "The body is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "A bad body, a text over 100,000 characters, a chosen index that is not a good question, or more than 200 questions in the course", body = ErrorBody),
    )
)]
pub async fn import(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<(StatusCode, Json<GiftAdded>)> {
    state
        .app
        .course_for(&caller, id, Action::EditCourse)
        .await?;
    let ApiJson(body) = ApiJson::<GiftImport>::from_request(request, &state).await?;
    // The text's length is the use case's to check (`ImportReport::of`); the list of
    // chosen indexes is this operation's own.
    if body.chosen.as_ref().is_some_and(|c| c.len() > MAX_CHOSEN) {
        return Err(lore_app::AppError::invalid(
            "chosen",
            format!("Send at most {MAX_CHOSEN} chosen indexes."),
        )
        .into());
    }
    let chosen: Option<Vec<usize>> = body
        .chosen
        .map(|c| c.into_iter().map(|i| i as usize).collect());
    let added = state
        .app
        .add_chosen_questions(&caller, id, &body.gift, chosen.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(GiftAdded { added })))
}
