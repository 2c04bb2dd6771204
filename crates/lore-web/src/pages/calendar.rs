//! The personal calendar feed: made and turned off from the account page, read by calendar
//! apps at `/calendar/{token}.ics` without a session.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use lore_app::AppError;

use super::done;
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

/// `/calendar/{token}.ics`: no session; the token is the key.
pub async fn feed(
    State(state): State<WebState>,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    let token = file
        .strip_suffix(".ics")
        .ok_or(PageError(AppError::NotFound("That calendar")))?;
    let body = state
        .app
        .calendar_feed(token, &state.options.public_url)
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    )
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "calendar.html")]
pub struct CalendarPage {
    layout: Layout,
    url: String,
}

pub async fn create(
    State(state): State<WebState>,
    viewer: Viewer,
) -> Result<CalendarPage, PageError> {
    let token = state.app.create_calendar_token(viewer.caller()).await?;
    Ok(CalendarPage {
        layout: Layout::for_session(&viewer.0, "account"),
        url: format!("{}/calendar/{token}.ics", state.options.public_url),
    })
}

pub async fn revoke(State(state): State<WebState>, viewer: Viewer) -> Result<Response, PageError> {
    state.app.revoke_calendar_token(viewer.caller()).await?;
    Ok(done("/account", "calendar-revoked"))
}
