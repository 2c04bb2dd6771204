//! The CRM feed in the API: course and path completions, evaluation results and
//! certificates per person (email as key), after a cursor, as JSON or CSV — the records of
//! `/admin/crm` (the same use case).

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use lore_app::App;
use lore_app::crm::CrmPage;
use serde::{Deserialize, Serialize};

use super::ApiResult;
use super::extract::ApiQuery;
use super::platform_caller::{PlatformCaller, ViewInstance};
use crate::WebState;
use crate::error::ErrorBody;

/// Where to start and how many.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedParams {
    /// The cursor kept from the previous pull (`next`, or a record's `cursor`); from the
    /// beginning when left out.
    #[param(pattern = r"^([0-9]+-[0-9]+)?$", example = "0-1042")]
    pub since: Option<String>,
    /// Records to return (JSON: 100 by default; CSV: 10,000 by default).
    #[param(minimum = 1, maximum = 10000)]
    pub limit: Option<u64>,
}

/// One person's achievement.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CrmRecord {
    /// Resume after this record by passing it as `since`.
    #[schema(example = "0-1042")]
    pub cursor: String,
    /// `course.completed`, `path.completed`, `evaluation.passed`, `evaluation.failed` or
    /// `certificate.awarded`.
    pub kind: String,
    /// The person's email address: the key to match them in a CRM.
    pub email: String,
    pub name: String,
    /// When it happened (RFC 3339, UTC).
    pub at: String,
    pub course_id: Option<i64>,
    /// The title of the course version concerned.
    pub course_title: Option<String>,
    pub course_version: Option<i32>,
    /// `path.completed`: the path.
    pub path_id: Option<i64>,
    pub path_title: Option<String>,
    /// Evaluations: points scored out of `max`, and the share in percent.
    pub score: Option<f64>,
    pub max: Option<f64>,
    pub percent: Option<i64>,
    pub passed: Option<bool>,
    /// Certificates: the certificate and when it expires (RFC 3339), if it does.
    pub certificate_id: Option<i64>,
    pub expires_at: Option<String>,
}

/// One page of the feed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CrmFeed {
    pub records: Vec<CrmRecord>,
    /// Keep this and pass it as `since` next time (the `since` given when nothing was new).
    pub next: String,
    /// The page was full: ask again now for more.
    pub has_more: bool,
}

fn json_of(page: CrmPage) -> CrmFeed {
    CrmFeed {
        records: page
            .records
            .into_iter()
            .map(|r| CrmRecord {
                cursor: r.cursor,
                kind: r.kind.to_owned(),
                email: r.email,
                name: r.name,
                at: r
                    .at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                course_id: r.course_id,
                course_title: r.course_title,
                course_version: r.course_version,
                path_id: r.path_id,
                path_title: r.path_title,
                score: r.score,
                max: r.max,
                percent: r.percent,
                passed: r.passed,
                certificate_id: r.certificate_id,
                expires_at: r.expires_at,
            })
            .collect(),
        next: page.next,
        has_more: page.has_more,
    }
}

#[utoipa::path(
    get,
    path = "/crm/records",
    operation_id = "crm_records",
    tag = "admin",
    summary = "Completions, evaluation results and certificates after a cursor",
    description = "Oldest first. Keep `next` and pass it as `since` on the next pull; each record appears once.",
    params(FeedParams),
    responses(
        (status = 200, description = "One page of records", body = CrmFeed),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Only platform administrators read the feed", body = ErrorBody),
        (status = 422, description = "A cursor not as the feed wrote it, or a limit out of range", body = ErrorBody),
    )
)]
pub async fn records(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ViewInstance>,
    ApiQuery(q): ApiQuery<FeedParams>,
) -> ApiResult<Json<CrmFeed>> {
    let page = state
        .app
        .crm_feed(&caller, q.since.as_deref(), q.limit)
        .await?;
    Ok(Json(json_of(page)))
}

#[utoipa::path(
    get,
    path = "/crm/records.csv",
    operation_id = "crm_records_csv",
    tag = "admin",
    summary = "The same records as CSV",
    description = "One line per record, the cursor first; the cursor to resume from is in the `Lore-Next-Cursor` header.",
    params(FeedParams),
    responses(
        (status = 200, description = "CSV with a header line", body = String, content_type = "text/csv",
         headers(("Lore-Next-Cursor" = String, description = "Pass as `since` next time"))),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Only platform administrators read the feed", body = ErrorBody),
        (status = 422, description = "A cursor not as the feed wrote it, or a limit out of range", body = ErrorBody),
    )
)]
pub async fn records_csv(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ViewInstance>,
    ApiQuery(q): ApiQuery<FeedParams>,
) -> ApiResult<Response> {
    let page = state
        .app
        .crm_feed(
            &caller,
            q.since.as_deref(),
            Some(q.limit.unwrap_or(lore_app::crm::MAX_LIMIT)),
        )
        .await?;
    let body = App::crm_csv(&page)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::HeaderName::from_static("lore-next-cursor"),
                page.next,
            ),
        ],
        body,
    )
        .into_response())
}
