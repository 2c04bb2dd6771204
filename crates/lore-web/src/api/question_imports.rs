//! The editor's two question imports as operations: a question CSV into the draft's final
//! evaluation, and a GIFT text into one step of kind `question`. All or none, as on the
//! editor's page; the caller's right to edit the course is checked before the body is read.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode};
use lore_domain::policy::Action;

use super::ApiResult;
use super::extract::{ApiJson, ApiPath};
use super::gift::{GiftAdded, GiftText};
use super::users::{read_csv_body, require_csv};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// A step of a course's draft, in the address.
#[derive(Debug, serde::Deserialize)]
pub struct StepPath {
    pub id: i64,
    pub step_id: i64,
}

#[utoipa::path(
    post,
    path = "/courses/{id}/questions/csv",
    operation_id = "import_question_csv",
    tag = "evaluations",
    summary = "Add the questions of a question CSV to the final evaluation of the course's draft",
    description = "For the course's authors. The body is the CSV file itself, sent with \
                   `Content-Type: text/csv`: a header naming the columns (`kind` and `prompt` \
                   are required; `points`, `options`, `correct` and `explanation` are optional, \
                   in any order), then one question a row. `kind` is one of `single_choice`, \
                   `multiple_choice`, `true_false`, `short_text`, `number`, `ordering`, \
                   `matching`. Every row is checked first: if any is bad, nothing is added and \
                   the answer is `import_rejected` with every bad row and its line. A course \
                   holds at most 200 questions.",
    params(("id" = i64, Path, description = "The course")),
    request_body(content = String, content_type = "text/csv", description = "The CSV file",
        example = "kind,prompt,points,options,correct\nsingle_choice,Which port does HTTPS use?,1,80;443;22,b\n"),
    responses(
        (status = 201, description = "Added", body = GiftAdded),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The course's draft cannot change now (for example, it is in review)", body = ErrorBody),
        (status = 413, description = "The file is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "`import_rejected` with `rows`; or `invalid_input`: not sent as text/csv, no question, or more than 200 questions in the course", body = ErrorBody),
    )
)]
pub async fn import_csv(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<GiftAdded>)> {
    state
        .app
        .course_for(&caller, id, Action::EditCourse)
        .await?;
    require_csv(&headers)?;
    let data = read_csv_body(body)?;
    let added = state.app.import_question_csv(&caller, id, &data).await?;
    Ok((StatusCode::CREATED, Json(GiftAdded { added })))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/draft/steps/{step_id}/questions",
    operation_id = "import_step_questions",
    tag = "evaluations",
    summary = "Add the questions of a GIFT text to a question step of the course's draft",
    description = "For the course's authors; the step must be of kind `question` (a \
                   micro-evaluation inside the course). All the text's questions are added or \
                   none: any bad line refuses the call with `import_rejected` and every \
                   problem with its line. A text over 100,000 characters is refused; a course \
                   holds at most 200 questions.",
    params(
        ("id" = i64, Path, description = "The course"),
        ("step_id" = i64, Path, description = "The draft step (`steps[].id` of the draft)"),
    ),
    request_body = GiftText,
    responses(
        (status = 201, description = "Added", body = GiftAdded),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not edit it", body = ErrorBody),
        (status = 404, description = "No such course or step, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The course's draft cannot change now (for example, it is in review)", body = ErrorBody),
        (status = 413, description = "The body is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "`import_rejected` with `rows`; or `invalid_input`: a bad body, a step that is not of kind `question`, a text over 100,000 characters, no question, or more than 200 questions in the course", body = ErrorBody),
    )
)]
pub async fn import_into_step(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<StepPath>,
    request: Request,
) -> ApiResult<(StatusCode, Json<GiftAdded>)> {
    state
        .app
        .course_for(&caller, path.id, Action::EditCourse)
        .await?;
    let ApiJson(body) = ApiJson::<GiftText>::from_request(request, &state).await?;
    let added = state
        .app
        .import_step_questions(&caller, path.id, path.step_id, &body.gift)
        .await?;
    Ok((StatusCode::CREATED, Json(GiftAdded { added })))
}
