//! `/outcomes`: business outcome metrics, the twins of the `/outcomes` pages. The report's
//! figures are the page's; figures resting on fewer people than the metric's minimum are
//! `null` with the reason.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use lore_app::AppError;
use lore_app::outcomes::{
    EntryValue, ImportSummary, LinkView, MetricView, OutcomeReportView, ValueEntry, ValuesInput,
};
use lore_domain::outcome::MetricDraft;
use lore_domain::outcome_report::Figures as DomainFigures;
use lore_domain::path::{ItemKind, ItemRef};
use serde::{Deserialize, Serialize};

use super::ApiResult;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::WebState;
use crate::error::{ApiError, ErrorBody};
use crate::session::ApiCaller;

/// An outcome metric.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Metric {
    pub id: i64,
    pub group_id: i64,
    /// The group's path, `Acme/Sales`.
    pub group: String,
    pub name: String,
    pub unit: String,
    pub description: String,
    /// `month` (`2026-11`), `week` (`2026-W48`) or `quarter` (`2026-Q4`).
    #[schema(example = "month")]
    pub period_kind: String,
    pub higher_is_better: bool,
    pub min_group_size: u32,
    pub people: u64,
    pub values: u64,
    /// The caller may import values and change links.
    pub can_manage: bool,
}

impl From<MetricView> for Metric {
    fn from(m: MetricView) -> Self {
        Self {
            id: m.id,
            group_id: m.group_id,
            group: m.group,
            name: m.name,
            unit: m.unit,
            description: m.description,
            period_kind: m.period_kind.as_str().to_owned(),
            higher_is_better: m.higher_is_better,
            min_group_size: m.min_group_size,
            people: m.people,
            values: m.values,
            can_manage: m.can_manage,
        }
    }
}

#[utoipa::path(
    get,
    path = "/outcomes",
    operation_id = "list_outcomes",
    tag = "outcomes",
    summary = "The outcome metrics of the groups whose insights the caller may see",
    responses(
        (status = 200, description = "The metrics, by name", body = [Metric]),
        (status = 401, description = "No valid token or session", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<Metric>>> {
    let metrics = state.app.outcome_metrics(&caller).await?;
    Ok(Json(metrics.into_iter().map(Metric::from).collect()))
}

/// A new metric.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMetric {
    /// A group the caller coaches.
    pub group_id: i64,
    #[schema(example = "Deals closed per month")]
    pub name: String,
    #[schema(example = "deals")]
    pub unit: String,
    #[serde(default)]
    pub description: String,
    /// `month`, `week` or `quarter`.
    pub period_kind: String,
    pub higher_is_better: bool,
    /// At least 5 (the default).
    #[serde(default)]
    pub min_group_size: Option<u32>,
}

#[utoipa::path(
    post,
    path = "/outcomes",
    operation_id = "create_outcome",
    tag = "outcomes",
    summary = "Define an outcome metric for a group the caller coaches (audited)",
    request_body = NewMetric,
    responses(
        (status = 201, description = "Defined", body = Metric),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller does not coach the group", body = ErrorBody),
        (status = 422, description = "A field is not valid", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewMetric>,
) -> ApiResult<(StatusCode, Json<Metric>)> {
    let min = body.min_group_size.map(|n| n.to_string());
    let draft = MetricDraft::parse(
        &body.name,
        &body.unit,
        &body.description,
        &body.period_kind,
        body.higher_is_better,
        min.as_deref(),
    )
    .map_err(AppError::from)?;
    let metric = state
        .app
        .create_outcome_metric(&caller, body.group_id, draft)
        .await?;
    Ok((StatusCode::CREATED, Json(metric.into())))
}

/// A difference of means with its 95 % interval; every figure `null` with `hidden_reason`
/// when too few people are behind it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Figures {
    pub hidden_reason: Option<String>,
    pub n_a: Option<usize>,
    pub n_b: Option<usize>,
    pub mean_a: Option<f64>,
    pub mean_b: Option<f64>,
    /// `mean_a - mean_b`.
    pub difference: Option<f64>,
    pub standard_error: Option<f64>,
    pub degrees_of_freedom: Option<f64>,
    pub t_critical: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

impl From<&DomainFigures> for Figures {
    fn from(f: &DomainFigures) -> Self {
        let d = f.shown();
        Self {
            hidden_reason: f.hidden_reason().map(str::to_owned),
            n_a: d.map(|d| d.n_a),
            n_b: d.map(|d| d.n_b),
            mean_a: d.map(|d| d.mean_a),
            mean_b: d.map(|d| d.mean_b),
            difference: d.map(|d| d.difference),
            standard_error: d.map(|d| d.standard_error),
            degrees_of_freedom: d.map(|d| d.degrees_of_freedom),
            t_critical: d.map(|d| d.t_critical),
            low: d.map(|d| d.low),
            high: d.map(|d| d.high),
        }
    }
}

/// Both sides in one period; a mean is `null` when fewer people than the minimum have a
/// value in it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PeriodFigures {
    pub period: String,
    pub people_completed: usize,
    pub mean_completed: Option<f64>,
    pub people_not_completed: usize,
    pub mean_not_completed: Option<f64>,
}

/// A linked course or path.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Link {
    /// `course` or `path`.
    pub kind: String,
    pub id: i64,
    pub title: String,
}

impl From<LinkView> for Link {
    fn from(l: LinkView) -> Self {
        Self {
            kind: l.target.kind.as_str().to_owned(),
            id: l.target.id,
            title: l.title,
        }
    }
}

/// A metric's report.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Report {
    pub metric: Metric,
    pub links: Vec<Link>,
    pub min_group_size: usize,
    /// People with values who completed a linked course or path, and who did not.
    pub people_completed: usize,
    pub people_not_completed: usize,
    /// Completed (a) against not (b), one mean per person, Welch's interval.
    pub comparison: Figures,
    /// Completers with values both before and after completing.
    pub people_before_after: usize,
    /// After (a) against before (b), the paired interval.
    pub before_after: Figures,
    pub periods: Vec<PeriodFigures>,
    /// The report in words; the last says it is correlation, not proof.
    pub sentences: Vec<String>,
}

impl From<OutcomeReportView> for Report {
    fn from(v: OutcomeReportView) -> Self {
        let r = &v.report;
        Self {
            min_group_size: r.min_group_size,
            people_completed: r.completers,
            people_not_completed: r.others,
            comparison: (&r.comparison).into(),
            people_before_after: r.paired_people,
            before_after: (&r.before_after).into(),
            periods: r
                .periods
                .iter()
                .map(|p| PeriodFigures {
                    period: p.label.clone(),
                    people_completed: p.completers.people,
                    mean_completed: p.completers.mean,
                    people_not_completed: p.others.people,
                    mean_not_completed: p.others.mean,
                })
                .collect(),
            sentences: v.sentences,
            links: v.links.into_iter().map(Link::from).collect(),
            metric: v.metric.into(),
        }
    }
}

#[utoipa::path(
    get,
    path = "/outcomes/{id}",
    operation_id = "get_outcome_report",
    tag = "outcomes",
    summary = "A metric with its report: completed vs not, before vs after, means per period",
    params(("id" = i64, Path, description = "The metric")),
    responses(
        (status = 200, description = "The report", body = Report),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller does not coach the metric's group", body = ErrorBody),
        (status = 404, description = "No such metric", body = ErrorBody),
    )
)]
pub async fn report(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Report>> {
    Ok(Json(state.app.outcome_report(&caller, id).await?.into()))
}

/// One value in a JSON import.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueIn {
    pub email: String,
    #[schema(example = "2026-11")]
    pub period: String,
    /// A number (a string holding one is read too; anything else is a bad row).
    #[schema(value_type = f64)]
    pub value: serde_json::Value,
}

/// A JSON import.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValuesIn {
    pub values: Vec<ValueIn>,
    /// Replace values already stored for the same person and period (otherwise those rows
    /// are bad rows).
    #[serde(default)]
    pub replace: bool,
}

/// `?replace=true` for a CSV import.
#[derive(Debug, Deserialize, Default)]
pub struct ImportQuery {
    #[serde(default)]
    replace: bool,
}

#[utoipa::path(
    post,
    path = "/outcomes/{id}/values",
    operation_id = "import_outcome_values",
    tag = "outcomes",
    summary = "Import a metric's values, as CSV (`email,period,value`) or JSON (audited)",
    description = "Every row is checked first; if any is bad nothing is imported and the answer \
                   (`import_rejected`) lists every bad row with its line (for JSON: its place \
                   in `values`, from 1). A value already stored for the same person and period \
                   is a bad row unless `replace` is set (`?replace=true` with CSV).",
    params(
        ("id" = i64, Path, description = "The metric"),
        ("replace" = Option<bool>, Query, description = "With CSV: replace values already stored"),
    ),
    request_body(content(
        (ValuesIn = "application/json"),
        (String = "text/csv"),
    )),
    responses(
        (status = 200, description = "Imported", body = ImportedValues),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller does not coach the metric's group", body = ErrorBody),
        (status = 404, description = "No such metric", body = ErrorBody),
        (status = 422, description = "`import_rejected` with `rows`, or `invalid_input`", body = ErrorBody),
    )
)]
pub async fn import(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<ImportedValues>> {
    let data = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return ApiError(AppError::TooLarge(
                "The body is too large; split it.".to_owned(),
            ));
        }
        ApiError(AppError::invalid("file", "The body could not be read."))
    })?;
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let summary = match media_type.as_str() {
        "text/csv" => {
            state
                .app
                .import_outcome_values(&caller, id, ValuesInput::Csv(&data), q.replace)
                .await?
        }
        "application/json" => {
            let body: ValuesIn = serde_json::from_slice(&data).map_err(|e| {
                ApiError::bad_request(format!(
                    "The body does not have the fields this call expects ({e})."
                ))
            })?;
            let entries: Vec<ValueEntry> = body
                .values
                .into_iter()
                .map(|v| ValueEntry {
                    email: v.email,
                    period: v.period,
                    value: match v.value {
                        serde_json::Value::Number(n) => {
                            n.as_f64().map_or(EntryValue::Other, EntryValue::Number)
                        }
                        serde_json::Value::String(s) => EntryValue::Text(s),
                        _ => EntryValue::Other,
                    },
                })
                .collect();
            state
                .app
                .import_outcome_values(
                    &caller,
                    id,
                    ValuesInput::Entries(&entries),
                    body.replace || q.replace,
                )
                .await?
        }
        _ => {
            return Err(ApiError(AppError::invalid(
                "file",
                "Send CSV with Content-Type: text/csv, or JSON with Content-Type: application/json.",
            )));
        }
    };
    Ok(Json(summary.into()))
}

/// What an import wrote. It writes all rows or none.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportedValues {
    pub values: u64,
    pub people: u64,
    /// Of `values`, those that replaced a stored value.
    pub replaced: u64,
}

impl From<ImportSummary> for ImportedValues {
    fn from(s: ImportSummary) -> Self {
        Self {
            values: s.values,
            people: s.people,
            replaced: s.replaced,
        }
    }
}

/// A course or path to link.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkIn {
    /// `course:12` or `path:3`: one the caller coaches.
    pub target: String,
}

#[utoipa::path(
    post,
    path = "/outcomes/{id}/links",
    operation_id = "link_outcome",
    tag = "outcomes",
    summary = "Link a course or path the caller coaches to a metric (audited)",
    params(("id" = i64, Path, description = "The metric")),
    request_body = LinkIn,
    responses(
        (status = 200, description = "The metric's links now", body = [Link]),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller does not coach the metric's group or the course or path", body = ErrorBody),
        (status = 404, description = "No such metric, course or path", body = ErrorBody),
        (status = 409, description = "`already_linked`: that course or path is linked already", body = ErrorBody),
        (status = 422, description = "Not a course or path", body = ErrorBody),
    )
)]
pub async fn link(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<LinkIn>,
) -> ApiResult<Json<Vec<Link>>> {
    let target = ItemRef::parse(&body.target).map_err(AppError::from)?;
    let links = state.app.link_outcome(&caller, id, target).await?;
    Ok(Json(links.into_iter().map(Link::from).collect()))
}

#[utoipa::path(
    delete,
    path = "/outcomes/{id}/links/{kind}/{target_id}",
    operation_id = "unlink_outcome",
    tag = "outcomes",
    summary = "Unlink a course or path from a metric (audited)",
    params(
        ("id" = i64, Path, description = "The metric"),
        ("kind" = String, Path, description = "`course` or `path`"),
        ("target_id" = i64, Path, description = "The course or path"),
    ),
    responses(
        (status = 200, description = "The metric's links now", body = [Link]),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller does not coach the metric's group", body = ErrorBody),
        (status = 404, description = "No such metric or link", body = ErrorBody),
        (status = 422, description = "`kind` is neither `course` nor `path`", body = ErrorBody),
    )
)]
pub async fn unlink(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, kind, target_id)): ApiPath<(i64, String, i64)>,
) -> ApiResult<Json<Vec<Link>>> {
    let kind = ItemKind::parse(&kind).map_err(AppError::from)?;
    let links = state
        .app
        .unlink_outcome(
            &caller,
            id,
            ItemRef {
                kind,
                id: target_id,
            },
        )
        .await?;
    Ok(Json(links.into_iter().map(Link::from).collect()))
}
