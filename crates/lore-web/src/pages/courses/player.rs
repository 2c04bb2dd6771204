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
    questions: Vec<super::evaluation::Shown>,
}

fn page(
    viewer: &Viewer,
    v: PlayerView,
    now: time::OffsetDateTime,
    questions: Vec<super::evaluation::Shown>,
) -> PlayerPage {
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
        questions,
    }
}

/// The player page with the step's own questions (and their results after a check).
async fn full_page(
    state: &WebState,
    viewer: &Viewer,
    v: PlayerView,
    results: Vec<lore_app::evaluations::attempts::QuestionResult>,
) -> Result<PlayerPage, PageError> {
    let questions = if v.step().kind == "question" {
        let qs = state
            .app
            .step_questions(viewer.caller(), v.ctx.course.id, &v.step().step_key)
            .await?;
        let results = results.into_iter().map(|r| (r.key.clone(), r)).collect();
        super::evaluation::shown_with(qs, &results, &std::collections::BTreeMap::new())
    } else {
        Vec::new()
    };
    Ok(page(viewer, v, state.app.now(), questions))
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
    full_page(&state, &viewer, v, Vec::new()).await
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
    full_page(&state, &viewer, v, Vec::new()).await
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

/// Check the answers to the questions inside a step; the page shows the feedback.
pub async fn check(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, key)): Path<(String, String)>,
    axum_extra::extract::Form(form): axum_extra::extract::Form<Vec<(String, String)>>,
) -> Result<PlayerPage, PageError> {
    let id = parse_id(&id)?;
    let position = form
        .iter()
        .find(|(k, _)| k == "position")
        .and_then(|(_, v)| v.parse().ok());
    let questions = state.app.step_questions(viewer.caller(), id, &key).await?;
    let answers = super::evaluation::answers_from(&form, &questions);
    let results = state
        .app
        .check_step_answers(viewer.caller(), id, &key, answers)
        .await?;
    let v = state.app.player(viewer.caller(), id, position).await?;
    full_page(&state, &viewer, v, results).await
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
