//! A course as a zip of Markdown files: the import form (`/courses/import`) and the export
//! download (`/courses/{id}/export.zip`). The format is the app's (`courses::archive`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use bytes::BytesMut;
use lore_app::AppError;
use lore_app::courses::archive::{ImportOptions, MAX_ZIP_BYTES};
use serde::Deserialize;

use super::{done, parse_id};
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

/// The largest body `POST /courses/import` takes: the largest zip plus the form around it.
pub const BODY_LIMIT: usize = MAX_ZIP_BYTES + 1024 * 1024;

/// `GET`/`POST /courses/import`, with the body limit raised for whole courses.
pub fn import_route() -> MethodRouter<WebState> {
    get(page)
        .post(upload)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

#[derive(Template, WebTemplate)]
#[template(path = "course_import.html")]
pub struct ImportPage {
    layout: Layout,
    /// Groups where the person may write, as (id, path).
    groups: Vec<(i64, String)>,
    /// The group chosen last time, 0 for "as course.toml says".
    group: i64,
    error: Option<String>,
}

async fn blank(state: &WebState, viewer: &Viewer) -> Result<ImportPage, PageError> {
    Ok(ImportPage {
        layout: Layout::for_session(&viewer.0, "courses"),
        groups: state.app.authoring_groups(viewer.caller()).await?,
        group: 0,
        error: None,
    })
}

pub async fn page(State(state): State<WebState>, viewer: Viewer) -> Result<ImportPage, PageError> {
    blank(&state, &viewer).await
}

fn unreadable(_: axum::extract::multipart::MultipartError) -> AppError {
    AppError::invalid("file", "The upload was interrupted; try again.")
}

/// Multipart fields: `file` (the zip), `group_id` (empty: as `course.toml` says) and
/// `action` (`draft` keeps it a draft; anything else, or nothing, publishes). The CSRF
/// field was checked by the middleware.
pub async fn upload(
    State(state): State<WebState>,
    viewer: Viewer,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let mut page = blank(&state, &viewer).await?;
    let mut options = ImportOptions::default();
    let read = async {
        let mut data = None;
        while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
            match field.name() {
                Some("file") => {
                    let mut bytes = BytesMut::new();
                    while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                        if bytes.len() + chunk.len() > MAX_ZIP_BYTES {
                            return Err(AppError::invalid(
                                "file",
                                format!(
                                    "The zip is larger than {} MB; nothing was imported.",
                                    MAX_ZIP_BYTES / 1024 / 1024
                                ),
                            ));
                        }
                        bytes.extend_from_slice(&chunk);
                    }
                    data = Some(bytes.freeze());
                }
                Some("group_id") => {
                    let text = field.text().await.map_err(unreadable)?;
                    options.group_id = text.trim().parse().ok();
                }
                Some("action") => {
                    options.publish = field.text().await.map_err(unreadable)?.trim() != "draft";
                }
                _ => {}
            }
        }
        let data = data
            .filter(|d| !d.is_empty())
            .ok_or_else(|| AppError::invalid("file", "Choose the zip of a course folder."))?;
        state
            .app
            .import_course_zip(viewer.caller(), data, options)
            .await
    };
    match read.await {
        Ok(id) if options.publish => Ok(done(&format!("/courses/{id}"), "published")),
        Ok(id) => Ok(done(&format!("/courses/{id}/edit"), "draft-saved")),
        Err(AppError::Invalid(i)) => {
            page.group = options.group_id.unwrap_or(0);
            page.error = Some(i.message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    /// A version number; the newest published one when absent.
    version: Option<String>,
}

/// `GET /courses/{id}/export.zip[?version=N]`: the course folder as a download.
pub async fn export(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let version = match q
        .version
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(v) => Some(
            v.parse::<i32>()
                .map_err(|_| PageError(AppError::NotFound("That version")))?,
        ),
        None => None,
    };
    let (zip, name) = state
        .app
        .export_course_zip(viewer.caller(), id, version)
        .await?;
    let mut response = zip.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    // The name is made of a-z, 0-9 and -, so it needs no quoting beyond the quotes.
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
