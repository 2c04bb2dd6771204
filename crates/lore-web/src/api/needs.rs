//! Learning needs: the board (with "time from need to first course" per group) and the needs
//! and courses like a text. One need, asking and editing are in `need_detail.rs`; votes,
//! follows, the lifecycle and experts in `need_actions.rs`.

use std::str::FromStr;

use axum::Json;
use axum::extract::State;
use lore_app::needs::{BoardQuery, BoardSort, NeedSummary as AppNeedSummary};
use lore_domain::need::NeedStatus;
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ApiResult;
use super::extract::ApiQuery;
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// A query value where an empty one (`?group=`) means "not given".
fn blank_is_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
{
    let raw: Option<String> = Option::deserialize(d)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| D::Error::custom(format!("{text:?} is not a valid value"))),
    }
}

/// Board filters; all optional, and an empty value counts as left out.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BoardFilters {
    /// Only needs addressed to this group or a group below it.
    #[serde(default, deserialize_with = "blank_is_none")]
    pub group: Option<i64>,
    /// Only needs with this topic (any case).
    #[serde(default, deserialize_with = "blank_is_none")]
    pub topic: Option<String>,
    /// Only needs in this status: `open`, `exploring`, `in-progress`, `answered`, `closed`
    /// or `declined`. Left out: the live ones (open, exploring, in progress).
    #[serde(default, deserialize_with = "blank_is_none")]
    pub status: Option<String>,
    /// `true`: every status (merged needs aside).
    #[serde(default, deserialize_with = "blank_is_none")]
    pub all: Option<bool>,
    /// `demand` (the default), `newest`, `oldest` or `status`.
    #[serde(default, deserialize_with = "blank_is_none")]
    pub sort: Option<String>,
    /// The page to return, from 1 (the default).
    #[serde(default, deserialize_with = "blank_is_none")]
    #[param(minimum = 1)]
    pub page: Option<u64>,
    /// Needs per page, 1 to 200 (default 25).
    #[serde(default, deserialize_with = "blank_is_none")]
    #[param(minimum = 1, maximum = 200)]
    pub page_size: Option<u64>,
}

/// A group a need is addressed to.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NeedGroup {
    pub id: i64,
    /// The group's path, e.g. `Acme/Engineering`.
    pub name: String,
}

/// A need as lists show it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NeedSummary {
    pub id: i64,
    pub title: String,
    /// May be empty.
    pub topic: String,
    /// `open`, `exploring`, `in-progress`, `answered`, `closed`, `declined` or `merged`.
    pub status: String,
    /// `low`, `normal`, `high` or `critical`.
    pub urgency: String,
    pub votes: u64,
    /// `round(10 · urgency weight · (1 + log2(1 + audience)) · Σ 2^(−vote age / 90 days))`:
    /// fresh votes, urgent needs and bigger audiences weigh more.
    pub demand: i64,
    /// People in the audience groups and the groups below them.
    pub audience: u64,
    /// The audience groups.
    pub groups: Vec<NeedGroup>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Whole days since it was asked.
    pub age_days: i64,
}

impl From<AppNeedSummary> for NeedSummary {
    fn from(s: AppNeedSummary) -> Self {
        NeedSummary {
            id: s.id,
            title: s.title,
            topic: s.topic,
            status: s.status.as_str().to_owned(),
            urgency: s.urgency.as_str().to_owned(),
            votes: s.votes,
            demand: s.demand,
            audience: s.audience,
            groups: s
                .groups
                .into_iter()
                .map(|(id, name)| NeedGroup { id, name })
                .collect(),
            created_at: s.created_at,
            age_days: s.age_days,
        }
    }
}

/// How fast a group's needs get their first course.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LeadTime {
    pub group_id: i64,
    /// The group's path.
    pub group: String,
    /// Needs of the group that a published course answers.
    pub answered: u64,
    /// Needs of the group in all (that the caller may see).
    pub needs: u64,
    /// Median days from a need being asked to its first published course; `null` when none
    /// is answered yet.
    #[schema(required = true)]
    pub median_days: Option<f64>,
}

/// The needs board.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NeedBoard {
    /// One page of the needs that pass the filters, in the order asked for.
    pub needs: Vec<NeedSummary>,
    /// How many needs pass the filters, on every page.
    pub total: u64,
    /// This page's number, from 1.
    pub page: u64,
    pub page_size: u64,
    /// Topics of every need the caller may see, for filtering.
    pub topics: Vec<String>,
    /// Per audience group of the needs the caller may see.
    pub lead_times: Vec<LeadTime>,
}

fn sort_of(raw: Option<&str>) -> Result<BoardSort, lore_app::AppError> {
    match raw {
        None => Ok(BoardSort::Demand),
        Some(s @ ("demand" | "newest" | "oldest" | "status")) => Ok(BoardSort::parse(s)),
        Some(_) => Err(lore_app::AppError::invalid(
            "sort",
            "Sort by demand, newest, oldest or status.",
        )),
    }
}

#[utoipa::path(
    get,
    path = "/needs",
    operation_id = "list_needs",
    tag = "needs",
    summary = "The needs board: needs the caller may see, filtered and sorted",
    params(BoardFilters),
    responses(
        (status = 200, description = "The board", body = NeedBoard),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 422, description = "A filter has the wrong type, or an unknown status or sort", body = ErrorBody),
    )
)]
pub async fn board(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(f): ApiQuery<BoardFilters>,
) -> ApiResult<Json<NeedBoard>> {
    let status = f
        .status
        .as_deref()
        .map(NeedStatus::parse)
        .transpose()
        .map_err(lore_app::AppError::from)?;
    let page = f.page.unwrap_or(1);
    if page == 0 {
        return Err(lore_app::AppError::invalid("page", "Pages are numbered from 1.").into());
    }
    let page_size = f.page_size.unwrap_or(lore_app::needs::NEEDS_PAGE_SIZE);
    if !(1..=200).contains(&page_size) {
        return Err(
            lore_app::AppError::invalid("page_size", "A page holds 1 to 200 needs.").into(),
        );
    }
    let q = BoardQuery {
        group: f.group,
        topic: f.topic,
        status,
        all: f.all.unwrap_or(false),
        sort: sort_of(f.sort.as_deref())?,
        page,
        per_page: page_size,
        lead_times: true,
    };
    let board = state.app.needs_board(&caller, &q).await?;
    Ok(Json(NeedBoard {
        total: board.total,
        page: board.page,
        page_size: board.per_page,
        needs: board.needs.into_iter().map(Into::into).collect(),
        topics: board.topics,
        lead_times: board
            .lead_times
            .into_iter()
            .map(|l| LeadTime {
                group_id: l.group_id,
                group: l.group,
                answered: l.answered,
                needs: l.needs,
                median_days: l.median_days,
            })
            .collect(),
    }))
}

/// The text to compare.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SimilarQuery {
    /// What someone is typing: a title, a problem, questions.
    #[serde(default)]
    pub q: String,
}

/// A published course the caller may take.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SimilarCourse {
    pub id: i64,
    pub title: String,
}

/// Needs and courses like a text, best match first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SimilarNeeds {
    /// Up to 5 needs the caller may see (merged ones left out).
    pub needs: Vec<NeedSummary>,
    /// Up to 5 published courses the caller may take.
    pub courses: Vec<SimilarCourse>,
}

#[utoipa::path(
    get,
    path = "/needs/similar",
    operation_id = "find_similar_needs",
    tag = "needs",
    summary = "Needs and courses that share words with a text, to find duplicates before asking",
    params(SimilarQuery),
    responses(
        (status = 200, description = "What is alike; empty lists when nothing is", body = SimilarNeeds),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 422, description = "A bad query string", body = ErrorBody),
    )
)]
pub async fn similar(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<SimilarQuery>,
) -> ApiResult<Json<SimilarNeeds>> {
    let found = state.app.similar_to(&caller, &query.q).await?;
    Ok(Json(SimilarNeeds {
        needs: found.needs.into_iter().map(Into::into).collect(),
        courses: found
            .courses
            .into_iter()
            .map(|(id, title)| SimilarCourse { id, title })
            .collect(),
    }))
}
