//! The insight pages of a group for its coaches: knowledge gaps (`/insights/gaps`) and
//! experts per topic (`/insights/experts`), each table with its CSV and the charts drawn on
//! the server. Every figure comes from one `lore_app::insights` use case, as in the API.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use lore_app::AppError;
use lore_app::insights::csv::{GapsTable, experts_csv, gaps_csv};
use lore_app::insights::{Experts, ExpertsQuery, Gaps, GapsQuery, parse_group, parse_topic};
use serde::Deserialize;

use crate::WebState;
use crate::charts::{Point, bar_chart};
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::{Viewer, urlencode};

/// Bars in a chart; the tables beneath hold every line.
const CHART_BARS: usize = 12;
/// Lines in the long tables (stale courses, content for size); the CSV has every line.
const TABLE_ROWS: usize = 50;

/// The query of both pages and their CSV; numbers arrive as text so a wrong one is a clear
/// error rather than a bare rejection.
#[derive(Debug, Deserialize, Default)]
pub struct InsightParams {
    group: Option<String>,
    topic: Option<String>,
    person: Option<String>,
    table: Option<String>,
}

impl InsightParams {
    pub fn gaps(&self) -> Result<GapsQuery, AppError> {
        Ok(GapsQuery {
            group: parse_group(self.group.as_deref())?,
            topic: parse_topic(self.topic.as_deref()),
        })
    }

    pub fn experts(&self) -> Result<ExpertsQuery, AppError> {
        let person = match self.person.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => Some(p.parse::<i64>().map_err(|_| {
                AppError::invalid("person", "Give the person as their number (person=12).")
            })?),
        };
        Ok(ExpertsQuery {
            group: parse_group(self.group.as_deref())?,
            topic: parse_topic(self.topic.as_deref()),
            person,
        })
    }
}

fn csv_response(name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "insights_gaps.html")]
pub struct GapsPage {
    layout: Layout,
    gaps: Gaps,
    topic_chart: String,
    content_chart: String,
    /// The first [`TABLE_ROWS`] lines of the long tables.
    table_rows: usize,
    /// `?group=…` for links that keep the group.
    base: String,
}

pub async fn gaps(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(p): Query<InsightParams>,
) -> Result<GapsPage, PageError> {
    let gaps = state
        .app
        .knowledge_gaps(viewer.caller(), &p.gaps()?)
        .await?;
    let topic_bars: Vec<Point> = gaps
        .topics
        .iter()
        .take(CHART_BARS)
        .map(|t| Point::new(t.topic.clone(), t.mean_percent))
        .collect();
    let content_bars: Vec<Point> = gaps
        .content
        .iter()
        .take(CHART_BARS)
        .map(|c| Point::new(c.path.clone(), c.per_hundred))
        .collect();
    Ok(GapsPage {
        layout: Layout::for_session(&viewer.0, "learning"),
        topic_chart: if topic_bars.is_empty() {
            String::new()
        } else {
            bar_chart("Weakest topics: mean evaluation score", "%", &topic_bars)
        },
        content_chart: if content_bars.is_empty() {
            String::new()
        } else {
            bar_chart("Courses per 100 people, lowest first", "", &content_bars)
        },
        table_rows: TABLE_ROWS,
        base: format!("group={}", gaps.group.id),
        gaps,
    })
}

pub async fn gaps_download(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(p): Query<InsightParams>,
) -> Result<Response, PageError> {
    let table = GapsTable::parse(p.table.as_deref().unwrap_or("").trim())?;
    let gaps = state
        .app
        .knowledge_gaps(viewer.caller(), &p.gaps()?)
        .await?;
    let body = gaps_csv(&gaps, table)?;
    Ok(csv_response(
        &format!("gaps-{}-group-{}.csv", table.as_str(), gaps.group.id),
        body,
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "insights_experts.html")]
pub struct ExpertsPage {
    layout: Layout,
    experts: Experts,
    chart: String,
    shown: usize,
    /// `group=…&topic=…` for links that keep both.
    base: String,
}

pub async fn experts(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(p): Query<InsightParams>,
) -> Result<ExpertsPage, PageError> {
    let experts = state.app.experts(viewer.caller(), &p.experts()?).await?;
    let bars: Vec<Point> = experts
        .experts
        .iter()
        .take(CHART_BARS)
        .map(|e| Point::new(e.name.clone(), e.shared as f64))
        .collect();
    let mut base = format!("group={}", experts.group.id);
    if let Some(t) = &experts.topic {
        base.push_str(&format!("&topic={}", urlencode(t)));
    }
    Ok(ExpertsPage {
        layout: Layout::for_session(&viewer.0, "learning"),
        chart: if bars.is_empty() {
            String::new()
        } else {
            bar_chart(
                "Knowledge shared: courses, answers, edits and needs",
                "",
                &bars,
            )
        },
        shown: lore_app::insights::experts::TOP_EXPERTS,
        base,
        experts,
    })
}

pub async fn experts_download(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(p): Query<InsightParams>,
) -> Result<Response, PageError> {
    let experts = state.app.experts(viewer.caller(), &p.experts()?).await?;
    let body = experts_csv(&experts)?;
    Ok(csv_response(
        &format!("experts-group-{}.csv", experts.group.id),
        body,
    ))
}
