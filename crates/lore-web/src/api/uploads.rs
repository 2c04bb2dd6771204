//! `POST /uploads`: a file for a course (a cover, a step's image, video or document), the
//! same handler as the editor's `POST /blobs` (one use case, `put_blob`); the answer names
//! the stored file by its hash, served at `GET /blobs/{hash}` (docs/decisions/0049).

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::response::Response;
use serde::Serialize;

use crate::WebState;
use crate::error::{ApiError, ErrorBody};
use crate::session::ApiCaller;

/// What a file is for; each purpose allows its own types and has its own size limit.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[expect(dead_code, reason = "documents the words the handler reads")]
pub enum UploadPurpose {
    /// PNG, JPEG, GIF or WebP.
    Image,
    /// MP4 or WebM.
    Video,
    /// PDF and office documents.
    Document,
}

/// The multipart form of an upload.
#[derive(Debug, utoipa::ToSchema)]
#[expect(dead_code, reason = "documents the multipart form the handler reads")]
pub struct UploadForm {
    /// The file itself.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    pub purpose: UploadPurpose,
}

/// A stored file.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Upload {
    /// The file's SHA-256, its name from now on.
    pub hash: String,
    /// Where it is served (`/blobs/{hash}`).
    pub url: String,
    pub content_type: String,
    pub size: u64,
    /// The uploaded file's name, cleaned.
    pub name: String,
}

#[utoipa::path(
    post,
    path = "/uploads",
    operation_id = "upload_file",
    tag = "authoring",
    summary = "Upload a file (an image, a video or a document) for a course",
    description = "The file is checked against its purpose's types and size limit as it is \
                   read. Anyone signed in may upload; a file is only shown where an editor puts it.",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored", body = Upload,
         headers(("Location" = String, description = "Where the file is served"))),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The account is deactivated", body = ErrorBody),
        (status = 413, description = "Larger than the server accepts", body = ErrorBody),
        (status = 422, description = "Not multipart, no file or purpose, an empty file, a type the purpose does not allow, or over its limit", body = ErrorBody),
    )
)]
pub async fn upload(
    state: State<WebState>,
    caller: ApiCaller,
    request: Request,
) -> Result<Response, ApiError> {
    let multipart = Multipart::from_request(request, &state.0)
        .await
        .map_err(|_| {
            ApiError(lore_app::AppError::invalid(
                "body",
                "Send the file as multipart/form-data with the fields `file` and `purpose`.",
            ))
        })?;
    crate::pages::blobs::upload(state, caller, multipart).await
}
