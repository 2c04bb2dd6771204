//! Files on a course's draft (docs/decisions/0051): the editor's cover and a step's
//! attachment (`upload_cover`, `attach_to_step`, the use cases its forms call), as
//! multipart uploads. The right to edit is asked before the body is read.

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use lore_app::AppError;
use lore_domain::policy::Action;

use super::ApiResult;
use super::extract::ApiPath;
use crate::WebState;
use crate::error::{ApiError, ErrorBody};
use crate::session::ApiCaller;

/// The multipart form of a file for the draft.
#[derive(Debug, utoipa::ToSchema)]
#[expect(dead_code, reason = "documents the multipart form the handler reads")]
pub struct DraftFileForm {
    /// The file itself.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// A step of a course in the address.
#[derive(Debug, serde::Deserialize)]
pub struct StepFilePath {
    pub id: i64,
    pub step_id: i64,
}

/// The `file` field of the multipart body: (name, declared type, bytes); 422 when the
/// body is not multipart, has no file or an empty one.
async fn read_file(
    state: &WebState,
    request: Request,
) -> ApiResult<(String, String, bytes::Bytes)> {
    let not_multipart = || {
        ApiError(AppError::invalid(
            "body",
            "Send the file as multipart/form-data with the field `file`.",
        ))
    };
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|_| not_multipart())?;
    let mut upload = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                if field.name() == Some("file") {
                    let name = field.file_name().unwrap_or("upload").to_owned();
                    let content_type = field.content_type().unwrap_or("").to_owned();
                    let data = field.bytes().await.map_err(|e| {
                        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                            ApiError(AppError::TooLarge(
                                "The file is larger than the server accepts.".to_owned(),
                            ))
                        } else {
                            ApiError(AppError::invalid(
                                "file",
                                "The upload was interrupted or is not multipart.",
                            ))
                        }
                    })?;
                    upload = Some((name, content_type, data));
                }
            }
            Ok(None) => break,
            Err(_) => return Err(not_multipart()),
        }
    }
    upload
        .filter(|(_, _, d)| !d.is_empty())
        .ok_or_else(|| ApiError(AppError::invalid("file", "Choose a file to upload.")))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/draft/cover",
    operation_id = "upload_course_cover",
    tag = "authoring",
    summary = "Put an image on the draft as the course's cover",
    description = "As the editor's cover upload: the file is checked as an image (PNG, JPEG, \
                   GIF or WebP, within the image size limit). Opens a draft from the newest \
                   version if there is none.",
    params(("id" = i64, Path, description = "The course")),
    request_body(content = DraftFileForm, content_type = "multipart/form-data"),
    responses(
        (status = 204, description = "The cover is on the draft"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not edit this course", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "`conflict`: the draft's details changed while the file was stored", body = ErrorBody),
        (status = 413, description = "Larger than the server accepts", body = ErrorBody),
        (status = 422, description = "Not multipart, no file, an empty file, or not an image", body = ErrorBody),
    )
)]
pub async fn cover(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<StatusCode> {
    state
        .app
        .course_for(&caller, id, Action::EditCourse)
        .await?;
    let (name, content_type, data) = read_file(&state, request).await?;
    state
        .app
        .upload_cover(&caller, id, data, &content_type, &name)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/courses/{id}/draft/steps/{step_id}/attach",
    operation_id = "attach_to_step",
    tag = "authoring",
    summary = "Attach a file to a step of the draft",
    description = "As the editor's attach button: a text step gets the image added at the \
                   end of its Markdown; a video step gets the file as its video (MP4 or \
                   WebM), a file step as its document (PDF and office documents). The file \
                   is checked against what the step's kind takes.",
    params(
        ("id" = i64, Path, description = "The course"),
        ("step_id" = i64, Path, description = "The step's id in the draft"),
    ),
    request_body(content = DraftFileForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The step as saved", body = super::authoring::DraftStep),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not edit this course", body = ErrorBody),
        (status = 404, description = "No such course, or no such step in the draft", body = ErrorBody),
        (status = 409, description = "`conflict`: the step changed while the file was stored", body = ErrorBody),
        (status = 413, description = "Larger than the server accepts", body = ErrorBody),
        (status = 422, description = "Not multipart, no file, an empty file, or a type or size the step's kind does not take", body = ErrorBody),
    )
)]
pub async fn attach(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<StepFilePath>,
    request: Request,
) -> ApiResult<axum::Json<super::authoring::DraftStep>> {
    state
        .app
        .course_for(&caller, path.id, Action::EditCourse)
        .await?;
    let (name, content_type, data) = read_file(&state, request).await?;
    state
        .app
        .attach_to_step(&caller, path.id, path.step_id, data, &content_type, &name)
        .await?;
    let step = state
        .app
        .draft(&caller, path.id)
        .await?
        .steps
        .into_iter()
        .find(|s| s.id == path.step_id)
        .ok_or(ApiError(AppError::NotFound("That step")))?;
    Ok(axum::Json(step.into()))
}
