//! Bulk import of people from a CSV file uploaded on a page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lore_app::AppError;
use lore_app::ImportTotals;
use lore_domain::people_csv::RowError;
use lore_domain::policy::{Action, Resource};

use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

#[derive(Template, WebTemplate)]
#[template(path = "people_import.html")]
pub struct ImportPage {
    layout: Layout,
    totals: Option<ImportTotals>,
    errors: Vec<RowError>,
    message: Option<String>,
}

fn blank(viewer: &Viewer) -> ImportPage {
    ImportPage {
        layout: Layout::for_session(&viewer.0, "people"),
        totals: None,
        errors: Vec::new(),
        message: None,
    }
}

pub async fn page(viewer: Viewer) -> Result<ImportPage, PageError> {
    viewer
        .caller()
        .require(Action::ImportPeople, Resource::Platform)?;
    Ok(blank(&viewer))
}

/// The form's CSRF field was checked by the middleware; here we only need the file.
pub async fn upload(
    State(state): State<WebState>,
    viewer: Viewer,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    viewer
        .caller()
        .require(Action::ImportPeople, Resource::Platform)?;
    let mut data = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            data = Some(field.bytes().await.map_err(|_| {
                AppError::invalid("file", "The upload was interrupted; try again.")
            })?);
        }
    }
    let mut out = blank(&viewer);
    let Some(data) = data.filter(|d| !d.is_empty()) else {
        out.message = Some("Choose a CSV file to import.".to_owned());
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, out).into_response());
    };
    match state
        .app
        .import_people(viewer.caller(), &data, &|_| {})
        .await
    {
        Ok(totals) => {
            out.totals = Some(totals);
            Ok(out.into_response())
        }
        Err(AppError::ImportRejected(errors)) => {
            out.message = Some(format!(
                "{} rows have problems, so nothing was imported. Fix them and upload the file again.",
                errors.len()
            ));
            out.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, out).into_response())
        }
        Err(AppError::Invalid(i)) => {
            out.message = Some(i.message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, out).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}
