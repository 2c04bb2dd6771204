//! The catalogue: courses I may take, filtered by group, topic and language, and searched.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use lore_app::courses::catalogue::{
    CATALOGUE_PAGE_SIZE, CatalogueEntry, CatalogueQuery, CatalogueSort, SORTS, parse_sort,
};
use serde::Deserialize;

use super::highlight;
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

pub struct Hit {
    pub entry: CatalogueEntry,
    /// Escaped HTML with `<mark>` around matched words.
    pub snippet_html: Option<String>,
    /// The caller's due date, as a day.
    pub due: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "catalogue.html")]
pub struct CataloguePage {
    layout: Layout,
    hits: Vec<Hit>,
    q: String,
    group: i64,
    topic: String,
    language: String,
    groups: Vec<(i64, String)>,
    topics: Vec<String>,
    languages: Vec<String>,
    filtered: bool,
    /// Learning needs like the search, under "Others asked for".
    asked: Vec<crate::pages::needs::NeedLine>,
    /// The search, encoded for the "Ask for this" link.
    q_encoded: String,
    /// Courses on all pages.
    total: u64,
    pager: crate::pages::Pager,
    /// The orders offered, as (name, label, chosen).
    sorts: Vec<(&'static str, &'static str, bool)>,
}

#[derive(Deserialize, Default)]
pub struct Filters {
    q: Option<String>,
    group: Option<String>,
    topic: Option<String>,
    language: Option<String>,
    /// `relevance`, `updated`, `newest` or `most_useful`; anything else is the default.
    sort: Option<String>,
    /// Anything but a page number shows the first page.
    page: Option<String>,
}

/// The filters that are set, as `name=value&` pairs for links to other pages.
fn filters_query(f: &Filters) -> String {
    let mut out = String::new();
    for (name, value) in [
        ("q", &f.q),
        ("group", &f.group),
        ("topic", &f.topic),
        ("language", &f.language),
        ("sort", &f.sort),
    ] {
        if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            out.push_str(&format!("{name}={}&", crate::session::urlencode(v)));
        }
    }
    out
}

pub async fn index(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(f): Query<Filters>,
) -> Result<CataloguePage, PageError> {
    let caller = viewer.caller();
    let group = f.group.as_deref().and_then(|g| g.parse::<i64>().ok());
    let query = CatalogueQuery {
        text: f.q.clone(),
        group_id: group,
        topic: f.topic.clone(),
        language: f.language.clone(),
        not_taken: false,
        without_total: false,
        sort: parse_sort(f.sort.as_deref()).unwrap_or_default(),
    };
    let page = crate::pages::page_number(f.page.as_deref());
    let (topics, languages) = state.app.catalogue_facets(caller).await?;
    let found = state
        .app
        .catalogue(caller, &query, page, CATALOGUE_PAGE_SIZE)
        .await?;
    // The funnel's first stage: these courses were seen listed.
    let listed: Vec<(i64, i32)> = found
        .entries
        .iter()
        .map(|e| (e.course_id, e.version))
        .collect();
    state.app.record_listing(caller, &listed).await?;
    let groups = state
        .app
        .visible_groups(caller)
        .await?
        .into_iter()
        .map(|g| (g.id, g.path))
        .collect();
    let filters_query = filters_query(&f);
    let searching = f.q.as_deref().is_some_and(|q| !q.trim().is_empty());
    let chosen = match query.sort {
        CatalogueSort::Relevance if !searching => CatalogueSort::Updated,
        other => other,
    };
    let sorts = SORTS
        .iter()
        .filter(|(name, _, _)| searching || *name != "relevance")
        .map(|(name, sort, label)| (*name, *label, *sort == chosen))
        .collect();
    let q = f.q.unwrap_or_default();
    let asked = if q.trim().is_empty() {
        Vec::new()
    } else {
        let found = state.app.similar_to(caller, &q).await?.needs;
        crate::pages::needs::lines(&state, caller, found).await?
    };
    Ok(CataloguePage {
        asked,
        q_encoded: crate::session::urlencode(q.trim()),
        layout: Layout::for_session(&viewer.0, "courses"),
        filtered: !q.trim().is_empty()
            || group.is_some()
            || f.topic.as_deref().is_some_and(|t| !t.is_empty())
            || f.language.as_deref().is_some_and(|l| !l.is_empty()),
        total: found.total,
        pager: crate::pages::Pager::new(
            &format!("/courses?{filters_query}"),
            found.page,
            found.total,
            found.per_page,
        ),
        hits: found
            .entries
            .into_iter()
            .map(|e| Hit {
                snippet_html: e.snippet.as_deref().map(highlight),
                due: e.due_at.map(|t| viewer.when(t)),
                entry: e,
            })
            .collect(),
        q,
        sorts,
        group: group.unwrap_or(0),
        topic: f.topic.unwrap_or_default(),
        language: f.language.unwrap_or_default(),
        groups,
        topics,
        languages,
    })
}
