//! "My learning": assigned with due dates first, then in progress, then completed;
//! and the courses I write, each with its health and a way to its feedback.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use lore_app::courses::learning::{LearningEntry, MyLearning};
use lore_app::feedback::health::AuthoredCourse;

use super::super::NoticeQuery;
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

pub struct Line {
    pub entry: LearningEntry,
    pub due: String,
    pub completed: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "my_learning.html")]
pub struct LearningPage {
    layout: Layout,
    assigned: Vec<Line>,
    in_progress: Vec<Line>,
    completed: Vec<Line>,
    authored: Vec<AuthoredCourse>,
    /// Assigned paths, each with its courses.
    paths: Vec<crate::pages::home::Assigned>,
}

fn lines(viewer: &Viewer, v: Vec<LearningEntry>) -> Vec<Line> {
    v.into_iter()
        .map(|e| Line {
            due: e.due_at.map(|t| viewer.when(t)).unwrap_or_default(),
            completed: e.completed_at.map(|t| viewer.when(t)).unwrap_or_default(),
            entry: e,
        })
        .collect()
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<LearningPage, PageError> {
    let caller = viewer.caller();
    let MyLearning {
        assigned,
        in_progress,
        completed,
    } = state.app.my_learning(caller).await?;
    let (authored, _) = state.app.courses_i_write(caller, None).await?;
    Ok(LearningPage {
        layout: Layout::for_session(&viewer.0, "learning").with_notice(q.notice.as_deref()),
        assigned: lines(&viewer, assigned),
        in_progress: lines(&viewer, in_progress),
        completed: lines(&viewer, completed),
        authored,
        paths: crate::pages::home::assigned_lines(&state, &viewer)
            .await?
            .into_iter()
            .filter(|x| x.a.kind == lore_domain::assignment::TargetKind::Path)
            .collect(),
    })
}
