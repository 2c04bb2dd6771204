//! "Preview as learner": the draft shown one step at a time as the player shows it, to the
//! course's editors only. It reads and records nothing (no enrolment, no event, no progress).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use lore_app::AppError;
use lore_domain::course::StepKind;

use super::super::parse_id;
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

#[derive(Template, WebTemplate)]
#[template(path = "course_preview.html")]
pub struct PreviewPage {
    layout: Layout,
    course_id: i64,
    course_title: String,
    /// The version shown and whether it is still a draft.
    version: i32,
    draft: bool,
    position: usize,
    count: usize,
    /// Every step as (position, title), for the step list.
    steps: Vec<(usize, String)>,
    step_title: String,
    step_kind: StepKind,
    body_html: String,
    video_url: String,
    blob_hash: String,
    /// The prompts of the questions inside the step.
    questions: Vec<String>,
}

/// The first step of the preview.
pub async fn first(
    state: State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<PreviewPage, PageError> {
    page(state, viewer, &id, 1).await
}

pub async fn step(
    state: State<WebState>,
    viewer: Viewer,
    Path((id, position)): Path<(String, String)>,
) -> Result<PreviewPage, PageError> {
    let position = position
        .parse::<usize>()
        .map_err(|_| PageError(AppError::NotFound("That step")))?;
    page(state, viewer, &id, position).await
}

async fn page(
    State(state): State<WebState>,
    viewer: Viewer,
    id: &str,
    position: usize,
) -> Result<PreviewPage, PageError> {
    let id = parse_id(id)?;
    let draft = state.app.preview_draft(viewer.caller(), id).await?;
    let step = position
        .checked_sub(1)
        .and_then(|i| draft.steps.get(i))
        .ok_or(PageError(AppError::NotFound("That step")))?;
    let questions = if step.kind == StepKind::Question {
        state
            .app
            .preview_step_questions(&draft, &step.step_key)
            .await?
    } else {
        Vec::new()
    };
    Ok(PreviewPage {
        layout: Layout::for_session(&viewer.0, "courses"),
        course_id: id,
        course_title: draft.version.title.clone(),
        version: draft.version.number,
        draft: draft.version.state == lore_domain::course::VersionState::Draft,
        position,
        count: draft.steps.len(),
        steps: draft
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| (i + 1, s.title.clone()))
            .collect(),
        step_title: step.title.clone(),
        step_kind: step.kind,
        body_html: lore_app::markdown::render(&step.body),
        video_url: step.video_url.clone().unwrap_or_default(),
        blob_hash: step.blob_hash.clone().unwrap_or_default(),
        questions,
    })
}
