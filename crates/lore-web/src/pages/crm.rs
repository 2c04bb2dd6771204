//! `/admin/crm`: the CRM feed for platform administrators — what a CRM pulls, a page at a
//! time from a cursor, with the same records as CSV and the API call that fetches them.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use lore_app::App;
use lore_app::crm::{CrmPage, MAX_LIMIT};
use serde::Deserialize;

use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::{Viewer, urlencode};

/// Records shown on one page of the preview.
const PAGE_SIZE: u64 = 50;

#[derive(Deserialize, Default)]
pub struct FeedParams {
    since: Option<String>,
    limit: Option<String>,
}

impl FeedParams {
    fn limit(&self, default: u64) -> Result<u64, lore_app::AppError> {
        match self
            .limit
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Ok(default),
            Some(s) => s.parse().map_err(|_| {
                lore_app::AppError::invalid(
                    "limit",
                    format!("Give a number from 1 to {MAX_LIMIT}."),
                )
            }),
        }
    }
}

pub struct Line {
    pub when: String,
    pub kind: &'static str,
    pub email: String,
    pub name: String,
    pub what: String,
    pub result: String,
    pub cursor: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_crm.html")]
pub struct CrmFeedPage {
    layout: Layout,
    since: String,
    lines: Vec<Line>,
    next: String,
    has_more: bool,
    csv: String,
    base_url: String,
}

fn label(kind: &str) -> &'static str {
    match kind {
        "course.completed" => "Course completed",
        "path.completed" => "Path completed",
        "evaluation.passed" => "Evaluation passed",
        "evaluation.failed" => "Evaluation failed",
        _ => "Certificate awarded",
    }
}

pub async fn page(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(p): Query<FeedParams>,
) -> Result<CrmFeedPage, PageError> {
    let feed = state
        .app
        .crm_feed(viewer.caller(), p.since.as_deref(), Some(PAGE_SIZE))
        .await?;
    let since = p.since.clone().unwrap_or_default();
    let lines = feed
        .records
        .into_iter()
        .map(|r| Line {
            when: viewer.when(r.at),
            kind: label(r.kind),
            email: r.email,
            name: r.name,
            what: match (&r.course_title, &r.path_title) {
                (_, Some(path)) => path.clone(),
                (Some(course), None) => match r.course_version {
                    Some(v) => format!("{course} (version {v})"),
                    None => course.clone(),
                },
                (None, None) => String::new(),
            },
            result: match (r.score, r.max, r.percent, &r.expires_at) {
                (Some(s), Some(m), Some(pc), _) => format!("{s} of {m} ({pc} %)"),
                (_, _, _, Some(exp)) => format!("expires {}", exp.get(..10).unwrap_or(exp)),
                _ => String::new(),
            },
            cursor: r.cursor,
        })
        .collect();
    Ok(CrmFeedPage {
        layout: Layout::for_session(&viewer.0, "admin"),
        csv: format!("/admin/crm.csv?since={}", urlencode(&since)),
        since,
        lines,
        next: feed.next,
        has_more: feed.has_more,
        base_url: state.options.public_url.trim_end_matches('/').to_owned(),
    })
}

/// The records after `since` as a CSV file (up to `limit`, 10,000 at most); the cursor to
/// resume from is in the `Lore-Next-Cursor` header and on each line.
pub async fn csv(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(p): Query<FeedParams>,
) -> Result<Response, PageError> {
    let limit = p.limit(MAX_LIMIT)?;
    let feed = state
        .app
        .crm_feed(viewer.caller(), p.since.as_deref(), Some(limit))
        .await?;
    csv_response(&feed)
}

/// A feed page as a CSV download, with the next cursor in a header.
pub fn csv_response(feed: &CrmPage) -> Result<Response, PageError> {
    let body = App::crm_csv(feed)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"lore-crm-records.csv\"".to_owned(),
            ),
            (
                header::HeaderName::from_static("lore-next-cursor"),
                feed.next.clone(),
            ),
        ],
        body,
    )
        .into_response())
}
