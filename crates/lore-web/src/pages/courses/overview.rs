//! The course page: what the course is, where I stand, what changed; enrol and assign.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lore_app::AppError;
use lore_app::courses::authoring::tags_of;
use lore_app::courses::learning::{CourseOverview, percent};
use lore_domain::course::{ChangeKind, DiffPart, StepChange, StepKind};
use serde::Deserialize;

use super::super::{NoticeQuery, done, parse_id};
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

/// A changed step, its word diff rendered to escaped HTML with `<ins>`/`<del>`.
pub struct ChangeView {
    pub title: String,
    pub kind: &'static str,
    pub change: ChangeKind,
    pub diff_html: String,
}

pub fn change_views(changes: &[StepChange]) -> Vec<ChangeView> {
    changes
        .iter()
        .map(|c| ChangeView {
            title: c.title.clone(),
            kind: match c.kind {
                ChangeKind::Added => "added",
                ChangeKind::Changed => "changed",
                ChangeKind::Removed => "removed",
            },
            change: c.kind.clone(),
            diff_html: diff_html(&c.diff),
        })
        .collect()
}

/// A word diff as the learner reads it: Markdown rendered, additions in `<ins>`, removals in
/// `<del>`, sanitised.
pub fn diff_html(parts: &[DiffPart]) -> String {
    lore_app::markdown_diff::render_diff(parts)
}

pub struct StepLine {
    pub position: usize,
    pub title: String,
    pub kind: StepKind,
    pub done: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "course.html")]
pub struct CoursePage {
    layout: Layout,
    id: i64,
    title: String,
    summary: String,
    group_path: String,
    language: String,
    tags: Vec<String>,
    minutes: Option<i32>,
    version: i32,
    published: String,
    steps: Vec<StepLine>,
    enrolled: bool,
    taking_version: i32,
    percent: u32,
    completed: Option<String>,
    due: Option<String>,
    can_edit: bool,
    can_coach: bool,
    /// Coaches, editors and the experts named to review open answers (decision 0046).
    can_review_answers: bool,
    changes: Option<(i32, i32, Vec<ChangeView>)>,
    assign_error: Option<String>,
    has_evaluation: bool,
    cover: Option<String>,
    exam: bool,
    /// The caller passed the evaluation of the version they take.
    passed: bool,
    best: Option<String>,
    discussions: u64,
    /// Open reactions, for authors and coaches (who see the "Feedback" link); `None` for
    /// everyone else.
    feedback: Option<u64>,
}

async fn render(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    notice: Option<&str>,
    assign_error: Option<String>,
) -> Result<CoursePage, PageError> {
    let caller = viewer.caller();
    let CourseOverview {
        ctx,
        latest,
        taking_steps: steps,
        enrolment,
        done_keys,
        can_edit,
        can_coach,
        ..
    } = state.app.course_overview(caller, id).await?;
    let tree = state.app.group_tree().await?;
    let changes = state
        .app
        .changes_since_finished(caller, id)
        .await?
        .map(|(a, b, c)| (a, b, change_views(&c)));
    let taking = enrolment
        .as_ref()
        .map_or(latest.number, |e| e.version_number);
    let evaluation = state.app.evaluation_info(caller, id, taking).await?;
    let discussions = state.app.discussion_count(&ctx).await?;
    let feedback = state.app.feedback_waiting(caller, &ctx).await?;
    // Someone who completed the course reviews its answers as a peer while peer review is on
    // (decision 0050).
    let peer = enrolment.as_ref().is_some_and(|e| e.completed_at.is_some())
        && state.app.peer_review_in(id).await?.is_some();
    Ok(CoursePage {
        layout: Layout::for_session(&viewer.0, "courses").with_notice(notice),
        id,
        feedback,
        title: latest.title.clone(),
        summary: latest.summary.clone(),
        group_path: tree.path(lore_domain::ids::GroupId(ctx.course.group_id)),
        language: latest.language.clone(),
        tags: tags_of(&latest),
        minutes: latest.estimated_minutes,
        version: latest.number,
        published: latest
            .published_at
            .map(|t| viewer.when(t))
            .unwrap_or_default(),
        percent: percent(&steps, &done_keys),
        steps: steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepLine {
                position: i + 1,
                title: s.title.clone(),
                kind: s.kind,
                done: done_keys.contains(&s.step_key),
            })
            .collect(),
        enrolled: enrolment.is_some(),
        taking_version: enrolment
            .as_ref()
            .map_or(latest.number, |e| e.version_number),
        completed: enrolment
            .as_ref()
            .and_then(|e| e.completed_at)
            .map(|t| viewer.when(t)),
        due: enrolment
            .as_ref()
            .and_then(|e| e.due_at)
            .map(|t| viewer.when(t)),
        can_edit,
        can_coach,
        can_review_answers: peer || ctx.can(caller, lore_domain::policy::Action::ReviewAnswers),
        changes,
        assign_error,
        has_evaluation: evaluation.is_some(),
        cover: latest.cover_blob.clone(),
        exam: evaluation.is_some_and(|e| e.exam),
        passed: evaluation.is_some_and(|e| e.passed),
        best: evaluation
            .and_then(|e| e.best)
            .map(|(s, m)| format!("{s:.1} of {m:.1} points")),
        discussions,
    })
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    match render(&state, &viewer, id, q.notice.as_deref(), None).await {
        Ok(page) => Ok(page.into_response()),
        // A draft that was never published: its authors go to the editor.
        Err(PageError(AppError::NotFound(_)))
            if state.app.draft(viewer.caller(), id).await.is_ok() =>
        {
            Ok(Redirect::to(&format!("/courses/{id}/edit")).into_response())
        }
        Err(e) => Err(e),
    }
}

pub async fn enrol(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    state.app.enrol(viewer.caller(), id).await?;
    Ok(Redirect::to(&format!("/courses/{id}/learn")).into_response())
}

#[derive(Deserialize)]
pub struct AssignForm {
    email: String,
    due: Option<String>,
}

pub async fn assign(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<AssignForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = async {
        let due = match f.due.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => {
                let format = time::macros::format_description!("[year]-[month]-[day]");
                let date = time::Date::parse(d, &format)
                    .map_err(|_| AppError::invalid("due", "Give the due date as YYYY-MM-DD."))?;
                Some(
                    date.with_hms(23, 59, 0)
                        .map_err(|_| AppError::invalid("due", "Give the due date as YYYY-MM-DD."))?
                        .assume_utc(),
                )
            }
            None => None,
        };
        state.app.assign(viewer.caller(), id, &f.email, due).await
    }
    .await;
    match result {
        Ok(_) => Ok(done(&format!("/courses/{id}"), "assigned")),
        Err(AppError::Invalid(i)) => {
            let page = render(&state, &viewer, id, None, Some(i.message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}
