//! Business outcomes: the list of metrics of the groups the caller coaches with the form to
//! define one (`/outcomes`), and a metric's report with its chart, linked courses and paths,
//! and the values import (`/outcomes/{id}`), with the per-period table as CSV.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use lore_app::AppError;
use lore_app::outcomes::{ImportSummary, MetricView, OutcomeReportView, ValuesInput};
use lore_domain::outcome::{MetricDraft, PeriodKind};
use lore_domain::outcome_report::figure;
use lore_domain::path::ItemRef;
use lore_domain::people_csv::RowError;
use serde::Deserialize;

use super::{NoticeQuery, done, parse_id};
use crate::WebState;
use crate::charts::{Point, Series, line_chart};
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

/// What was typed in the create form, kept when it is refused.
#[derive(Deserialize, Default)]
pub struct CreateForm {
    #[serde(default)]
    group_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    period_kind: String,
    #[serde(default)]
    higher_is_better: Option<String>,
    #[serde(default)]
    min_group_size: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "outcomes.html")]
pub struct OutcomesPage {
    layout: Layout,
    metrics: Vec<MetricView>,
    groups: Vec<(i64, String)>,
    kinds: &'static [PeriodKind],
    form: CreateForm,
    error: Option<String>,
}

async fn list_page(
    state: &WebState,
    viewer: &Viewer,
    form: CreateForm,
    error: Option<String>,
) -> Result<OutcomesPage, PageError> {
    let caller = viewer.caller();
    Ok(OutcomesPage {
        layout: Layout::for_session(&viewer.0, "learning"),
        metrics: state.app.outcome_metrics(caller).await?,
        groups: state.app.outcome_groups(caller).await?,
        kinds: PeriodKind::ALL,
        form,
        error,
    })
}

pub async fn index(
    State(state): State<WebState>,
    viewer: Viewer,
) -> Result<OutcomesPage, PageError> {
    let form = CreateForm {
        period_kind: "month".to_owned(),
        higher_is_better: Some("on".to_owned()),
        ..CreateForm::default()
    };
    list_page(&state, &viewer, form, None).await
}

pub async fn create(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(f): Form<CreateForm>,
) -> Result<Response, PageError> {
    let result = async {
        let group_id: i64 = f
            .group_id
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("group_id", "Choose a group."))?;
        let draft = MetricDraft::parse(
            &f.name,
            &f.unit,
            &f.description,
            &f.period_kind,
            f.higher_is_better.is_some(),
            Some(&f.min_group_size),
        )?;
        state
            .app
            .create_outcome_metric(viewer.caller(), group_id, draft)
            .await
    }
    .await;
    match result {
        Ok(m) => Ok(done(&format!("/outcomes/{}", m.id), "outcome-created")),
        Err(AppError::Invalid(i)) => {
            let page = list_page(&state, &viewer, f, Some(i.message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

/// A row of the per-period table.
pub struct PeriodLine {
    pub label: String,
    pub completed_people: usize,
    pub completed_mean: String,
    pub others_people: usize,
    pub others_mean: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "outcome.html")]
pub struct OutcomePage {
    layout: Layout,
    view: OutcomeReportView,
    chart: Option<String>,
    periods: Vec<PeriodLine>,
    linkable: Vec<(String, String)>,
    /// The import's answer: a summary, or a message and the bad rows.
    imported: Option<ImportSummary>,
    message: Option<String>,
    errors: Vec<RowError>,
    pasted: String,
    replace: bool,
}

impl OutcomePage {
    /// A figure for the page: up to two decimals.
    fn n(&self, v: &f64) -> String {
        figure(*v)
    }
}

async fn report_page(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    notice: Option<&str>,
) -> Result<OutcomePage, PageError> {
    let caller = viewer.caller();
    let view = state.app.outcome_report(caller, id).await?;
    let linkable = if view.metric.can_manage {
        let linked: Vec<String> = view.links.iter().map(|l| l.key()).collect();
        state
            .app
            .linkable_items(caller)
            .await?
            .into_iter()
            .filter(|(k, _)| !linked.contains(k))
            .collect()
    } else {
        Vec::new()
    };
    let periods = view
        .report
        .periods
        .iter()
        .map(|p| PeriodLine {
            label: p.label.clone(),
            completed_people: p.completers.people,
            completed_mean: p.completers.mean.map(figure).unwrap_or_default(),
            others_people: p.others.people,
            others_mean: p.others.mean.map(figure).unwrap_or_default(),
        })
        .collect();
    Ok(OutcomePage {
        layout: Layout::for_session(&viewer.0, "learning").with_notice(notice),
        chart: chart(&view),
        periods,
        linkable,
        view,
        imported: None,
        message: None,
        errors: Vec::new(),
        pasted: String::new(),
        replace: false,
    })
}

/// Both sides' means over the periods where both are shown (the chart's lines share their
/// x axis); none when no period has enough people on both sides.
fn chart(view: &OutcomeReportView) -> Option<String> {
    let both: Vec<_> = view
        .report
        .periods
        .iter()
        .filter_map(|p| Some((p.label.as_str(), p.completers.mean?, p.others.mean?)))
        .collect();
    if both.is_empty() {
        return None;
    }
    let series = [
        Series {
            name: "Completed".to_owned(),
            points: both.iter().map(|(l, c, _)| Point::new(*l, *c)).collect(),
        },
        Series {
            name: "Did not complete".to_owned(),
            points: both.iter().map(|(l, _, o)| Point::new(*l, *o)).collect(),
        },
    ];
    Some(line_chart(
        &format!("{}: mean per {}", view.metric.name, view.metric.period_kind),
        &view.metric.unit,
        &series,
    ))
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<OutcomePage, PageError> {
    let id = parse_id(&id)?;
    report_page(&state, &viewer, id, q.notice.as_deref()).await
}

/// The per-period table as CSV.
pub async fn periods_csv(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let view = state.app.outcome_report(viewer.caller(), id).await?;
    let body = lore_app::App::outcome_periods_csv(&view)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"lore-outcome-{id}-periods.csv\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// The import form: a file, or CSV pasted in the text area, and whether to replace values
/// already stored.
pub async fn import(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let (mut file, mut pasted, mut replace) = (Vec::new(), String::new(), false);
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field
            .bytes()
            .await
            .map_err(|_| AppError::invalid("file", "The upload was interrupted; try again."))?;
        match name.as_str() {
            "file" => file = bytes.to_vec(),
            "pasted" => pasted = String::from_utf8_lossy(&bytes).into_owned(),
            "replace" => replace = true,
            _ => {}
        }
    }
    let data: &[u8] = if file.is_empty() {
        pasted.as_bytes()
    } else {
        &file
    };
    let result = if data.iter().all(u8::is_ascii_whitespace) {
        Err(AppError::invalid(
            "file",
            "Choose a CSV file or paste the values.",
        ))
    } else {
        state
            .app
            .import_outcome_values(viewer.caller(), id, ValuesInput::Csv(data), replace)
            .await
    };
    let mut page = report_page(&state, &viewer, id, None).await?;
    page.replace = replace;
    match result {
        Ok(summary) => {
            page.imported = Some(summary);
            Ok(page.into_response())
        }
        Err(AppError::ImportRejected(errors)) => {
            page.message = Some(format!(
                "{} rows have problems, so nothing was imported. Fix them and import again.",
                errors.len()
            ));
            page.errors = errors;
            page.pasted = pasted;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(AppError::Invalid(i)) => {
            page.message = Some(i.message);
            page.pasted = pasted;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    target: String,
}

fn target(raw: &str) -> Result<ItemRef, AppError> {
    ItemRef::parse(raw).map_err(|_| AppError::invalid("target", "Choose a course or a path."))
}

pub async fn link(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<LinkForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = async {
        state
            .app
            .link_outcome(viewer.caller(), id, target(&f.target)?)
            .await
    }
    .await;
    answer_link(&state, &viewer, id, result, "outcome-linked").await
}

pub async fn unlink(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<LinkForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = async {
        state
            .app
            .unlink_outcome(viewer.caller(), id, target(&f.target)?)
            .await
    }
    .await;
    answer_link(&state, &viewer, id, result, "outcome-unlinked").await
}

async fn answer_link<T>(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    result: Result<T, AppError>,
    notice: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(done(&format!("/outcomes/{id}"), notice)),
        Err(e @ (AppError::Invalid(_) | AppError::Refused { .. })) => {
            let mut page = report_page(state, viewer, id, None).await?;
            page.message = Some(match e {
                AppError::Invalid(i) => i.message,
                other => other.to_string(),
            });
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}
