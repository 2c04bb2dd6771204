//! Suggested edits for programs: propose new Markdown for a text step, list a course's
//! suggestions, review one with its word diff and any conflict, accept it into the next
//! version's draft (as proposed or edited) or decline it with a reason.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use lore_app::SuggestedEditRow;
use lore_app::feedback::health::SuggestionLine;
use lore_domain::course::DiffPart;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ApiResult;
use super::extract::{ApiJson, ApiOptionalJson, ApiPath};
use super::feedback::StepPath;
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// A suggestion of a course in the address.
#[derive(Debug, Deserialize)]
pub struct SuggestionPath {
    pub id: i64,
    pub sid: i64,
}

/// New Markdown proposed for a text step.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSuggestion {
    /// The whole step text as it should read, in Markdown; it must differ from the current text.
    pub body: String,
    /// Why, for the authors (and the change note).
    pub reason: String,
}

/// A suggested edit.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub id: i64,
    pub course_id: i64,
    pub step_key: String,
    /// The step's title when the edit was proposed.
    pub step_title: String,
    /// The version the edit was proposed on.
    pub base_version: i32,
    /// `open`, `accepted` or `declined`.
    pub status: String,
    /// The proposer's name.
    pub proposer: String,
    pub reason: String,
    /// The proposed Markdown.
    pub proposed_body: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Why it was declined.
    #[schema(required = true)]
    pub decision_note: Option<String>,
    /// The draft version it went into, once accepted.
    #[schema(required = true)]
    pub accepted_into_version: Option<i32>,
}

impl Suggestion {
    fn new(row: SuggestedEditRow, proposer: String) -> Self {
        Suggestion {
            id: row.id,
            course_id: row.course_id,
            step_key: row.step_key,
            step_title: row.base_title,
            base_version: row.base_version,
            status: row.status.to_string(),
            proposer,
            reason: row.reason,
            proposed_body: row.proposed_body,
            created_at: row.created_at,
            decision_note: row.decision_note,
            accepted_into_version: row.accepted_into_version,
        }
    }
}

impl From<SuggestionLine> for Suggestion {
    fn from(s: SuggestionLine) -> Self {
        Suggestion::new(s.row, s.proposer)
    }
}

/// What a piece of a word diff does.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DiffOp {
    Same,
    Added,
    Removed,
}

/// A piece of a word-level diff.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DiffPiece {
    pub op: DiffOp,
    pub text: String,
}

fn pieces(diff: Vec<DiffPart>) -> Vec<DiffPiece> {
    diff.into_iter()
        .map(|part| match part {
            DiffPart::Same(text) => DiffPiece {
                op: DiffOp::Same,
                text,
            },
            DiffPart::Added(text) => DiffPiece {
                op: DiffOp::Added,
                text,
            },
            DiffPart::Removed(text) => DiffPiece {
                op: DiffOp::Removed,
                text,
            },
        })
        .collect()
}

/// A suggested edit for review.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SuggestionDetail {
    #[serde(flatten)]
    pub suggestion: Suggestion,
    /// The step text the edit was proposed on.
    pub base_body: String,
    /// From the text the edit was proposed on to the proposal.
    pub diff: Vec<DiffPiece>,
    /// The step's text now (the open draft's, else the newest version's); `null` if the step
    /// was removed.
    #[schema(required = true)]
    pub current_body: Option<String>,
    /// The step changed since the proposal: accept it only with an edited `body`.
    pub conflict: bool,
    /// With a conflict: from the text the edit was proposed on to the current text.
    pub changes_since: Vec<DiffPiece>,
    /// May the caller accept or decline it?
    pub can_decide: bool,
}

#[utoipa::path(
    post,
    path = "/courses/{id}/steps/{key}/suggestions",
    operation_id = "propose_edit",
    tag = "feedback",
    summary = "Suggest new text for a text step",
    description = "On the version the caller is taking (or the newest); the course's authors \
                   are notified. At most 20 suggestions per person per hour.",
    params(
        ("id" = i64, Path, description = "The course"),
        ("key" = String, Path, description = "The step's key"),
    ),
    request_body = NewSuggestion,
    responses(
        (status = 201, description = "Proposed", body = Suggestion),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such course or step, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "Not a text step, the text is unchanged or too long, no reason, or a bad body", body = ErrorBody),
        (status = 429, description = "Too many suggestions this hour; see `Retry-After`", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub async fn propose(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<StepPath>,
    ApiJson(body): ApiJson<NewSuggestion>,
) -> ApiResult<(StatusCode, Json<Suggestion>)> {
    let row = state
        .app
        .propose_edit(&caller, path.id, &path.key, &body.body, &body.reason)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Suggestion::new(row, caller.name.clone())),
    ))
}

#[utoipa::path(
    get,
    path = "/courses/{id}/suggestions",
    operation_id = "list_suggestions",
    tag = "feedback",
    summary = "A course's suggested edits, newest first",
    description = "For the course's authors and coaches.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The suggestions", body = Vec<Suggestion>),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller neither writes nor coaches this course", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<Suggestion>>> {
    let lines = state.app.suggested_edits(&caller, id).await?;
    Ok(Json(lines.into_iter().map(Into::into).collect()))
}

#[utoipa::path(
    get,
    path = "/courses/{id}/suggestions/{sid}",
    operation_id = "get_suggestion",
    tag = "feedback",
    summary = "One suggested edit with its word diff and any conflict",
    description = "For the course's authors and coaches, and the proposer.",
    params(
        ("id" = i64, Path, description = "The course"),
        ("sid" = i64, Path, description = "The suggestion"),
    ),
    responses(
        (status = 200, description = "The suggestion", body = SuggestionDetail),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such course or suggestion, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "An id is not a number", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<SuggestionPath>,
) -> ApiResult<Json<SuggestionDetail>> {
    let v = state.app.suggestion(&caller, path.id, path.sid).await?;
    let base_body = v.row.base_body.clone();
    Ok(Json(SuggestionDetail {
        suggestion: Suggestion::new(v.row, v.proposer),
        base_body,
        diff: pieces(v.diff),
        current_body: v.current_body,
        conflict: v.conflict,
        changes_since: pieces(v.changes_since),
        can_decide: v.can_decide,
    }))
}

/// Accepting a suggestion: as proposed (no body, or `{}`), or with an edited text.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptSuggestion {
    /// The step text to put in the draft instead of the proposal; needed when the step
    /// changed since the proposal.
    #[serde(default)]
    pub body: Option<String>,
}

/// Where an accepted suggestion went.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Accepted {
    /// The draft version now holding the text; it goes live when that version is published.
    pub version: i32,
}

#[utoipa::path(
    post,
    path = "/courses/{id}/suggestions/{sid}/accept",
    operation_id = "accept_suggestion",
    tag = "feedback",
    summary = "Accept a suggested edit into the next version's draft",
    description = "For the course's authors; the proposer is notified, and credited in the \
                   change note when the version is published. The body may be left out.",
    params(
        ("id" = i64, Path, description = "The course"),
        ("sid" = i64, Path, description = "The suggestion"),
    ),
    request_body(content = Option<AcceptSuggestion>, description = "Optional: an edited text"),
    responses(
        (status = 200, description = "Accepted into the draft", body = Accepted),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not edit this course", body = ErrorBody),
        (status = 404, description = "No such course or suggestion, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "Already decided, the step changed since (send an edited `body`) or was removed, or the draft was saved meanwhile", body = ErrorBody),
        (status = 422, description = "The edited text is not valid, or a bad body", body = ErrorBody),
    )
)]
pub async fn accept(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<SuggestionPath>,
    ApiOptionalJson(body): ApiOptionalJson<Option<AcceptSuggestion>>,
) -> ApiResult<Json<Accepted>> {
    // No body, `null` and `{}` all accept the proposal as it is.
    let edited = body.flatten().and_then(|b| b.body);
    let version = state
        .app
        .accept_edit(&caller, path.id, path.sid, edited.as_deref())
        .await?;
    Ok(Json(Accepted { version }))
}

/// Declining a suggestion.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineSuggestion {
    /// Why; the proposer is told.
    pub reason: String,
}

#[utoipa::path(
    post,
    path = "/courses/{id}/suggestions/{sid}/decline",
    operation_id = "decline_suggestion",
    tag = "feedback",
    summary = "Decline a suggested edit with the reason the proposer is told",
    description = "For the course's authors.",
    params(
        ("id" = i64, Path, description = "The course"),
        ("sid" = i64, Path, description = "The suggestion"),
    ),
    request_body = DeclineSuggestion,
    responses(
        (status = 204, description = "Declined"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not edit this course", body = ErrorBody),
        (status = 404, description = "No such course or suggestion, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "Already decided", body = ErrorBody),
        (status = 422, description = "No reason, or a bad body", body = ErrorBody),
    )
)]
pub async fn decline(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<SuggestionPath>,
    ApiJson(body): ApiJson<DeclineSuggestion>,
) -> ApiResult<StatusCode> {
    state
        .app
        .decline_edit(&caller, path.id, path.sid, &body.reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
