//! A file with an essay answer (decision 0050): `POST /attempts/{id}/answers/{key}/file`
//! (multipart field `file`, the learner's open attempt) and
//! `GET /attempts/{id}/answers/{key}/file` (the learner, the answer's reviewers and platform
//! admins; everyone else 404). The API's `PUT`/`GET /api/v1/attempts/{id}/answers/{key}/file`
//! (`api::essay_files`) call the same use cases and the same helpers.

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get};
use bytes::{Bytes, BytesMut};
use lore_app::blobs::{BlobPurpose, BlobRead, too_large};
use lore_app::{AppError, AppResult, Caller};
use std::collections::BTreeMap;

use crate::WebState;
use crate::error::PageError;
use crate::pages::blobs::{BODY_LIMIT, common_headers};
use crate::pages::courses::evaluation::render;
use crate::pages::parse_id;
use crate::session::Viewer;

/// The page route, with the body limit of uploads.
pub fn route() -> MethodRouter<WebState> {
    get(show)
        .post(attach)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// Read the multipart field `file` (name, declared type, bytes), refusing it as soon as it
/// passes a document's size limit.
pub(crate) async fn read_file(
    state: &WebState,
    request: Request,
) -> AppResult<(Bytes, String, String)> {
    let bad = || {
        AppError::invalid(
            "file",
            "Send the file as multipart/form-data with the field `file`.",
        )
    };
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|_| bad())?;
    let limit = state.app.blob_limits().for_purpose(BlobPurpose::Document);
    let over = || too_large(BlobPurpose::Document, limit, None);
    let mut file = None;
    while let Some(mut field) = multipart.next_field().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            over()
        } else {
            bad()
        }
    })? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_owned();
        let declared = field.content_type().unwrap_or("").to_owned();
        let mut data = BytesMut::new();
        while let Some(chunk) = field.chunk().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                over()
            } else {
                bad()
            }
        })? {
            if (data.len() + chunk.len()) as u64 > limit {
                return Err(over());
            }
            data.extend_from_slice(&chunk);
        }
        file = Some((data.freeze(), name, declared));
    }
    file.ok_or_else(|| AppError::invalid("file", "Choose a file to attach."))
}

/// Check the attempt is the caller's (before the body is read), read the file, attach it;
/// the file's name, cleaned.
pub(crate) async fn read_and_attach(
    state: &WebState,
    caller: &Caller,
    id: i64,
    key: &str,
    request: Request,
) -> AppResult<String> {
    state.app.require_own_attempt(caller, id).await?;
    let (data, name, declared) = read_file(state, request).await?;
    let row = state
        .app
        .attach_essay_file(caller, id, key, data, &declared, &name)
        .await?;
    Ok(row.name)
}

/// The answer's file as a response (whole; no ranges: these are documents).
pub(crate) async fn serve(
    state: &WebState,
    caller: &Caller,
    id: i64,
    key: &str,
) -> AppResult<Response> {
    let BlobRead::Content(content) = state.app.read_essay_file(caller, id, key, None).await? else {
        return Err(AppError::NotFound("That file"));
    };
    let etag = format!("\"{}\"", content.blob.hash);
    let total = content.total();
    let blob = content.blob.clone();
    let mut response = (StatusCode::OK, Body::from_stream(content.stream)).into_response();
    let h = response.headers_mut();
    common_headers(h, &blob, &etag);
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(total));
    // The learner may replace the file: the same address, other bytes.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}

/// Attach a file from the attempt page; a refusal shows the page again with the reason.
pub async fn attach(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, key)): Path<(String, String)>,
    request: Request,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    match read_and_attach(&state, viewer.caller(), id, &key, request).await {
        Ok(_) => Ok(Redirect::to(&format!("/attempts/{id}")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::AttemptClosed(_))) => {
            let status = if matches!(e, AppError::Invalid(_)) {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::CONFLICT
            };
            let message = match &e {
                AppError::Invalid(i) => i.message.clone(),
                other => other.to_string(),
            };
            let page = render(&state, &viewer, id, BTreeMap::new(), Some(message)).await?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

/// Serve the file to the people who may see the answer.
pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, key)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    Ok(serve(&state, viewer.caller(), id, &key).await?)
}
