//! A file with an essay answer (decision 0050): the API's side of
//! `pages::courses::essay_files`, the same use cases. The learner attaches one file to an
//! essay answer of their open attempt (multipart, field `file`); the learner, the answer's
//! reviewers and platform admins read it; everyone else gets 404.

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::ApiResult;
use super::attempts::AnswerPath;
use super::extract::ApiPath;
use crate::WebState;
use crate::error::ErrorBody;
use crate::pages::courses::essay_files::{read_and_attach, serve};
use crate::session::ApiCaller;

/// The multipart form of a file with an answer.
#[derive(Debug, utoipa::ToSchema)]
#[expect(dead_code, reason = "documents the multipart form the handler reads")]
pub struct AnswerFileForm {
    /// The file itself: a PDF, a text, Markdown or CSV file, or a Word, Excel or PowerPoint
    /// document, within the document size limit.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// The file attached to an answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AnswerFile {
    /// Where it is served (`/api/v1/attempts/{id}/answers/{key}/file`; the page's
    /// `/attempts/{id}/answers/{key}/file` serves it too).
    pub url: String,
    /// The uploaded file's name, cleaned.
    pub name: String,
}

#[utoipa::path(
    put,
    path = "/attempts/{id}/answers/{key}/file",
    operation_id = "attach_answer_file",
    tag = "evaluations",
    summary = "Attach a file to an essay answer of an open attempt",
    description = "One file per answer; attaching another replaces it. Checked as a document \
                   upload is (types and size limit). Only the learner, the people who may \
                   review the answer and platform admins can read it.",
    params(
        ("id" = i64, Path, description = "The attempt"),
        ("key" = String, Path, description = "The essay question's key"),
    ),
    request_body(content = AnswerFileForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Attached", body = AnswerFile,
         headers(("Location" = String, description = "Where the file is served"))),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such attempt of the caller's, or no such question in it", body = ErrorBody),
        (status = 409, description = "`attempt_closed`: submitted", body = ErrorBody),
        (status = 413, description = "Larger than the server accepts", body = ErrorBody),
        (status = 422, description = "Not multipart, no file, an empty file, a type documents do not allow, over the limit, or not an essay question", body = ErrorBody),
    )
)]
pub async fn attach(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<AnswerPath>,
    request: Request,
) -> ApiResult<Response> {
    let name = read_and_attach(&state, &caller, path.id, &path.key, request).await?;
    let url = format!("/api/v1/attempts/{}/answers/{}/file", path.id, path.key);
    let mut response = (
        StatusCode::CREATED,
        Json(AnswerFile {
            url: url.clone(),
            name,
        }),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&url) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

#[utoipa::path(
    get,
    path = "/attempts/{id}/answers/{key}/file",
    operation_id = "get_answer_file",
    tag = "evaluations",
    summary = "The file attached to an essay answer",
    description = "For the learner, the people who may review the answer (the course's \
                   coaches, editors, named experts, and peers while peer review is on) and \
                   platform admins; anyone else gets 404, as for an answer without a file.",
    params(
        ("id" = i64, Path, description = "The attempt"),
        ("key" = String, Path, description = "The essay question's key"),
    ),
    responses(
        (status = 200, description = "The file's bytes, with its type", content_type = "application/octet-stream"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such file, or not for the caller", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<AnswerPath>,
) -> ApiResult<Response> {
    Ok(serve(&state, &caller, path.id, &path.key).await?)
}
