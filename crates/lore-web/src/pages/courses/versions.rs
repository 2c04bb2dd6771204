//! Version history of a course and the word diff between any two versions.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use lore_domain::course::VersionState;
use serde::Deserialize;

use super::super::parse_id;
use super::overview::{ChangeView, change_views};
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

pub struct VersionLine {
    pub number: i32,
    pub draft: bool,
    pub note: String,
    pub published: String,
    /// The version has a review the reader may open.
    pub reviewed: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "versions.html")]
pub struct HistoryPage {
    layout: Layout,
    course_id: i64,
    versions: Vec<VersionLine>,
    from: i32,
    to: i32,
    changes: Option<Vec<ChangeView>>,
}

pub async fn history(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<HistoryPage, PageError> {
    render(&state, &viewer, parse_id(&id)?, None).await
}

#[derive(Deserialize)]
pub struct DiffQuery {
    from: i32,
    to: i32,
}

pub async fn diff(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<DiffQuery>,
) -> Result<HistoryPage, PageError> {
    render(&state, &viewer, parse_id(&id)?, Some((q.from, q.to))).await
}

async fn render(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    pair: Option<(i32, i32)>,
) -> Result<HistoryPage, PageError> {
    let caller = viewer.caller();
    let (_, versions) = state.app.version_history(caller, id).await?;
    let reviewed = state.app.reviewed_versions(caller, id).await?;
    let newest = versions.iter().map(|v| v.number).max().unwrap_or(1);
    let (from, to) = pair.unwrap_or((newest.saturating_sub(1).max(1), newest));
    let changes = match pair {
        Some((a, b)) => Some(change_views(
            &state.app.version_changes(caller, id, a, b).await?.2,
        )),
        None => None,
    };
    Ok(HistoryPage {
        layout: Layout::for_session(&viewer.0, "courses"),
        course_id: id,
        versions: versions
            .iter()
            .rev()
            .map(|v| VersionLine {
                number: v.number,
                draft: v.state == VersionState::Draft,
                note: v.change_note.clone(),
                published: v.published_at.map(|t| viewer.when(t)).unwrap_or_default(),
                reviewed: reviewed.contains(&v.number),
            })
            .collect(),
        from,
        to,
        changes,
    })
}
