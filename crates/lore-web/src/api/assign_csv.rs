//! `/assignments/csv`: assign a course or a path to the people of a CSV file of email
//! addresses, the twin of the assign page's upload. Any bad or unknown line refuses the
//! whole file, every such line listed, and nobody is assigned.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use lore_app::AppError;
use lore_app::assignments::AssignOutcome;
use lore_domain::assignment::ReminderRule;
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;

use super::ApiResult;
use super::extract::ApiQuery;
use super::paths::due_of;
use super::users::{read_csv_body, require_csv};
use crate::WebState;
use crate::error::ErrorBody;
use crate::pages::assignments::parse_target;
use crate::session::ApiCaller;

/// What to assign, and when it is due; the people come in the body.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssignCsvQuery {
    /// `course:12` or `path:3`.
    #[param(example = "course:12")]
    pub target: String,
    /// A fixed due date (RFC 3339), or
    #[param(format = DateTime)]
    pub due_at: Option<String>,
    /// a number of days after each person is reached; neither for no due date.
    pub due_days: Option<u32>,
    /// Days before the due date to remind, 1 to 365, separated by commas: `7,1`.
    #[param(example = "7,1")]
    pub remind_before: Option<String>,
    /// Remind every this many days while overdue, 1 to 365.
    #[param(minimum = 1, maximum = 365)]
    pub remind_overdue: Option<u32>,
}

#[utoipa::path(
    post,
    path = "/assignments/csv",
    operation_id = "assign_csv",
    tag = "paths",
    summary = "Assign a course or a path to the people of a CSV file",
    description = "For the coaches of the course or path. The body is the file itself, sent \
                   with `Content-Type: text/csv`: one email address a line, with an optional \
                   `email` header. Every line is checked first: an address that is not valid, \
                   not known, or of someone the caller does not coach refuses the whole file \
                   with `import_rejected` and every such line, and nobody is assigned. \
                   Otherwise the answer is the assignments made and how many people they \
                   reached, as `POST /assignments` answers.",
    params(AssignCsvQuery),
    request_body(content = String, content_type = "text/csv", description = "The addresses",
        example = "email\nada@example.com\ncy@example.com\n"),
    responses(
        (status = 201, description = "The assignments made and how many people they reached", body = Object),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not a coach of the course or path", body = ErrorBody),
        (status = 404, description = "No such course or path, or not visible to the caller", body = ErrorBody),
        (status = 413, description = "The file is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "`import_rejected` with `rows`; or `invalid_input`: a bad target, due date or reminder, not sent as text/csv, or an empty file", body = ErrorBody),
    )
)]
pub async fn assign_csv(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<AssignCsvQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<AssignOutcome>)> {
    let target = parse_target(&q.target)?;
    state.app.require_coach_of_target(&caller, target).await?;
    let due_at = q
        .due_at
        .as_deref()
        .map(|raw| {
            time::OffsetDateTime::parse(raw.trim(), &Rfc3339).map_err(|_| {
                AppError::invalid(
                    "due_at",
                    "Give the due date as an RFC 3339 time, like 2027-03-31T17:00:00Z.",
                )
            })
        })
        .transpose()?;
    let due = due_of(due_at, q.due_days)?;
    let rule = ReminderRule::from_form(
        q.remind_before.as_deref().unwrap_or(""),
        &q.remind_overdue.map(|d| d.to_string()).unwrap_or_default(),
    )
    .map_err(AppError::from)?;
    require_csv(&headers)?;
    let data = read_csv_body(body)?;
    let outcome = state
        .app
        .assign_csv(&caller, target, &data, due, Some(rule))
        .await?;
    Ok((StatusCode::CREATED, Json(outcome)))
}
