//! `/search`: the header's search across courses, learning needs and discussions.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use lore_app::courses::catalogue::CatalogueEntry;
use lore_app::site_search::ThreadHit;
use serde::Deserialize;

use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

/// A discussion hit with its last activity in words.
pub struct ThreadLine {
    pub t: ThreadHit,
    pub when: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "search.html")]
pub struct SearchPage {
    layout: Layout,
    q: String,
    q_encoded: String,
    courses: Vec<CatalogueEntry>,
    course_total: u64,
    needs: Vec<crate::pages::needs::NeedLine>,
    threads: Vec<ThreadLine>,
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    q: Option<String>,
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(f): Query<SearchQuery>,
) -> Result<SearchPage, PageError> {
    let caller = viewer.caller();
    let q: String = f.q.unwrap_or_default().trim().chars().take(200).collect();
    let mut page = SearchPage {
        layout: Layout::for_session(&viewer.0, "search"),
        q_encoded: crate::session::urlencode(&q),
        q,
        courses: Vec::new(),
        course_total: 0,
        needs: Vec::new(),
        threads: Vec::new(),
    };
    if page.q.is_empty() {
        return Ok(page);
    }
    let found = state.app.search_everything(caller, &page.q).await?;
    page.course_total = found.courses.total;
    page.courses = found.courses.entries;
    page.needs = crate::pages::needs::lines(&state, caller, found.needs).await?;
    page.threads = found
        .threads
        .into_iter()
        .map(|t| ThreadLine {
            when: viewer.when(t.last_post_at),
            t,
        })
        .collect();
    Ok(page)
}
