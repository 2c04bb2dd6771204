//! The player: one step at a time, previous/next, progress, time spent, resume.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use lore_app::courses::learning::PlayerView;
use serde::Deserialize;

use super::super::{done, parse_id};
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

#[derive(Template, WebTemplate)]
#[template(path = "player.html")]
pub struct PlayerPage {
    layout: Layout,
    course_id: i64,
    course_title: String,
    version: i32,
    newer_version: Option<i32>,
    position: usize,
    count: usize,
    percent: u32,
    step_key: String,
    step_title: String,
    step_kind: String,
    body_html: String,
    video_url: String,
    blob_hash: String,
    done: bool,
    completed: bool,
    opened_at: i64,
}

fn page(viewer: &Viewer, v: PlayerView, now: time::OffsetDateTime) -> PlayerPage {
    let step = v.step().clone();
    PlayerPage {
        layout: Layout::for_session(&viewer.0, "courses"),
        course_id: v.ctx.course.id,
        course_title: v.version.title.clone(),
        version: v.version.number,
        newer_version: v.newer_version,
        position: v.index + 1,
        count: v.steps.len(),
        percent: v.percent_done(),
        done: v.done_keys.contains(&step.step_key),
        completed: v.enrolment.completed_at.is_some(),
        step_key: step.step_key,
        step_title: step.title,
        step_kind: step.kind,
        body_html: lore_app::markdown::render(&step.body),
        video_url: step.video_url.unwrap_or_default(),
        blob_hash: step.blob_hash.unwrap_or_default(),
        opened_at: now.unix_timestamp(),
    }
}

pub async fn resume(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<PlayerPage, PageError> {
    let v = state
        .app
        .player(viewer.caller(), parse_id(&id)?, None)
        .await?;
    Ok(page(&viewer, v, state.app.now()))
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, position)): Path<(String, String)>,
) -> Result<PlayerPage, PageError> {
    let position = position
        .parse::<usize>()
        .map_err(|_| PageError(lore_app::AppError::NotFound("That step")))?;
    let v = state
        .app
        .player(viewer.caller(), parse_id(&id)?, Some(position))
        .await?;
    Ok(page(&viewer, v, state.app.now()))
}

#[derive(Deserialize)]
pub struct CompleteForm {
    /// When the page was shown (server time, seconds); the time spent is measured from it.
    opened_at: Option<i64>,
    position: Option<usize>,
    count: Option<usize>,
}

pub async fn complete(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, key)): Path<(String, String)>,
    Form(f): Form<CompleteForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let now = state.app.now().unix_timestamp();
    let seconds = f.opened_at.map_or(0, |t| now - t);
    let finished = state
        .app
        .complete_step(viewer.caller(), id, &key, seconds)
        .await?;
    if finished {
        return Ok(done(&format!("/courses/{id}"), "course-completed"));
    }
    let next = f.position.unwrap_or(0) + 1;
    if f.count.is_some_and(|c| next > c) {
        return Ok(Redirect::to(&format!("/courses/{id}")).into_response());
    }
    Ok(Redirect::to(&format!("/courses/{id}/learn/{next}")).into_response())
}

pub async fn switch_latest(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    state.app.switch_to_latest(viewer.caller(), id).await?;
    Ok(Redirect::to(&format!("/courses/{id}/learn")).into_response())
}
