//! The needs board: what people asked to learn, filtered by group, topic and status, sorted
//! by demand, age or status, with how long each group waits for a first course.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use lore_app::needs::{BoardQuery, BoardSort};
use lore_domain::need::NeedStatus;
use serde::Deserialize;

use super::{NeedLine, days_text, lines};
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::{Viewer, urlencode};

pub struct LeadTimeLine {
    pub group_id: i64,
    pub group: String,
    pub answered: u64,
    pub needs: u64,
    /// "7 days", or empty when no need of the group was answered yet.
    pub median: String,
}

pub struct SortLink {
    pub label: &'static str,
    pub href: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "needs_board.html")]
pub struct BoardPage {
    layout: Layout,
    needs: Vec<NeedLine>,
    groups: Vec<(i64, String)>,
    topics: Vec<String>,
    statuses: Vec<(&'static str, &'static str)>,
    lead_times: Vec<LeadTimeLine>,
    sorts: Vec<SortLink>,
    group: i64,
    topic: String,
    /// The status filter as chosen: "" (live needs), "all", or a status.
    status: String,
    filtered: bool,
    /// Needs on all pages.
    total: u64,
    pager: crate::pages::Pager,
}

#[derive(Deserialize, Default)]
pub struct BoardFilters {
    group: Option<String>,
    topic: Option<String>,
    status: Option<String>,
    all: Option<String>,
    sort: Option<String>,
    /// Anything but a page number shows the first page.
    page: Option<String>,
}

pub async fn index(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(f): Query<BoardFilters>,
) -> Result<BoardPage, PageError> {
    let caller = viewer.caller();
    let group = f
        .group
        .as_deref()
        .and_then(|g| g.trim().parse::<i64>().ok());
    let topic = f.topic.unwrap_or_default().trim().to_owned();
    let raw_status = f.status.unwrap_or_default().trim().to_owned();
    let all = raw_status == "all" || f.all.as_deref().is_some_and(|a| a == "1" || a == "true");
    let status = NeedStatus::parse(&raw_status).ok();
    let sort = BoardSort::parse(f.sort.as_deref().unwrap_or(""));
    let board = state
        .app
        .needs_board(
            caller,
            &BoardQuery {
                group,
                topic: (!topic.is_empty()).then(|| topic.clone()),
                status,
                all,
                sort,
                page: crate::pages::page_number(f.page.as_deref()),
                per_page: lore_app::needs::NEEDS_PAGE_SIZE,
                lead_times: true,
            },
        )
        .await?;
    let status = match status {
        Some(s) => s.as_str().to_owned(),
        None if all => "all".to_owned(),
        None => String::new(),
    };
    let sorts = [
        ("Most wanted", BoardSort::Demand),
        ("Newest", BoardSort::Newest),
        ("Waiting longest", BoardSort::Oldest),
        ("By status", BoardSort::Status),
    ]
    .into_iter()
    .map(|(label, s)| SortLink {
        label,
        href: board_href(group, &topic, &status, s),
        current: s == sort,
    })
    .collect();
    let here = board_href(group, &topic, &status, sort);
    Ok(BoardPage {
        total: board.total,
        pager: crate::pages::Pager::new(&here, board.page, board.total, board.per_page),
        layout: Layout::for_session(&viewer.0, "needs"),
        needs: lines(&state, caller, board.needs).await?,
        groups: board.groups,
        topics: board.topics,
        statuses: NeedStatus::ALL
            .into_iter()
            .filter(|s| *s != NeedStatus::Merged)
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        lead_times: board
            .lead_times
            .into_iter()
            .map(|l| LeadTimeLine {
                group_id: l.group_id,
                group: l.group,
                answered: l.answered,
                needs: l.needs,
                median: l.median_days.map(days_text).unwrap_or_default(),
            })
            .collect(),
        sorts,
        filtered: group.is_some() || !topic.is_empty() || !status.is_empty(),
        group: group.unwrap_or(0),
        topic,
        status,
    })
}

/// The board's address with these filters and this order.
fn board_href(group: Option<i64>, topic: &str, status: &str, sort: BoardSort) -> String {
    let mut parts = Vec::new();
    if let Some(g) = group {
        parts.push(format!("group={g}"));
    }
    if !topic.is_empty() {
        parts.push(format!("topic={}", urlencode(topic)));
    }
    if !status.is_empty() {
        parts.push(format!("status={}", urlencode(status)));
    }
    if sort != BoardSort::Demand {
        parts.push(format!("sort={}", sort.as_str()));
    }
    if parts.is_empty() {
        "/needs".to_owned()
    } else {
        format!("/needs?{}", parts.join("&"))
    }
}

/// The few most wanted live needs the caller can see, for the home page.
pub async fn top_needs(
    state: &WebState,
    caller: &lore_app::Caller,
    n: usize,
) -> Result<Vec<NeedLine>, lore_app::AppError> {
    let needs = state
        .app
        .needs_board(
            caller,
            &BoardQuery {
                per_page: n as u64,
                lead_times: false,
                ..BoardQuery::default()
            },
        )
        .await?
        .needs;
    lines(state, caller, needs).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_links_keep_the_filters() {
        assert_eq!(board_href(None, "", "", BoardSort::Demand), "/needs");
        assert_eq!(
            board_href(Some(4), "TLS & certs", "all", BoardSort::Oldest),
            "/needs?group=4&topic=TLS%20%26%20certs&status=all&sort=oldest"
        );
    }
}
