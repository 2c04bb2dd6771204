//! Assigning a course or a path (to groups, to people, from a CSV of addresses), the coach's
//! progress view with its CSV, and a manager's view of their reports.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use lore_app::AppError;
use lore_app::assignment_progress::{AssignmentLine, ProgressFilter, ProgressLine, ProgressReport};
use lore_app::assignments::{AssignRequest, Target};
use lore_domain::assignment::{AssigneeStatus, Due, ReminderRule, TargetKind};
use lore_domain::path::{ItemKind, ItemRef};
use lore_domain::people_csv::RowError;
use serde::Deserialize;

use super::done;
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

/// `course:12` or `path:3` from a query or form.
pub fn parse_target(raw: &str) -> Result<Target, AppError> {
    let r = ItemRef::parse(raw).map_err(|mut e| {
        e.field = "target";
        e
    })?;
    Ok(match r.kind {
        ItemKind::Course => Target::Course(r.id),
        ItemKind::Path => Target::Path(r.id),
    })
}

fn key(t: Target) -> String {
    format!("{}:{}", t.kind(), t.id())
}

/// A due date from a form: none, a date (`YYYY-MM-DD`, due at its end, UTC), or days.
pub fn parse_due(kind: &str, date: &str, days: &str) -> Result<Due, AppError> {
    Ok(match kind {
        "date" => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            let bad = || AppError::invalid("due_at", "Give the due date as YYYY-MM-DD.");
            let d = time::Date::parse(date.trim(), &format).map_err(|_| bad())?;
            Due::At(d.with_hms(23, 59, 0).map_err(|_| bad())?.assume_utc())
        }
        "days" => Due::Within(days.trim().parse().map_err(|_| {
            AppError::invalid("due_days", "Give the number of days as a whole number.")
        })?),
        _ => Due::None,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "assign.html")]
pub struct AssignPage {
    layout: Layout,
    target: String,
    title: String,
    groups: Vec<(i64, String)>,
    error: Option<String>,
    errors: Vec<RowError>,
}

async fn assign_page(
    state: &WebState,
    viewer: &Viewer,
    target: Target,
    error: Option<String>,
    errors: Vec<RowError>,
) -> Result<AssignPage, PageError> {
    let caller = viewer.caller();
    let report = state
        .app
        .target_progress(caller, target, &ProgressFilter::default())
        .await?;
    Ok(AssignPage {
        layout: Layout::for_session(&viewer.0, "paths"),
        target: key(target),
        title: report.title,
        groups: state.app.coached_groups(caller).await?,
        error,
        errors,
    })
}

#[derive(Deserialize)]
pub struct TargetQuery {
    target: String,
}

pub async fn page(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<TargetQuery>,
) -> Result<AssignPage, PageError> {
    let target = parse_target(&q.target)?;
    assign_page(&state, &viewer, target, None, Vec::new()).await
}

#[derive(Deserialize)]
pub struct AssignForm {
    target: String,
    #[serde(default)]
    groups: Vec<i64>,
    #[serde(default)]
    emails: String,
    #[serde(default)]
    due_kind: String,
    #[serde(default)]
    due_date: String,
    #[serde(default)]
    due_days: String,
    #[serde(default)]
    remind_before: String,
    #[serde(default)]
    remind_overdue: String,
}

pub async fn assign(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(f): Form<AssignForm>,
) -> Result<Response, PageError> {
    let target = parse_target(&f.target)?;
    let result = async {
        let request = AssignRequest {
            target,
            group_ids: f.groups.clone(),
            emails: f
                .emails
                .split([',', '\n', ';', ' '])
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(str::to_owned)
                .collect(),
            due: parse_due(&f.due_kind, &f.due_date, &f.due_days)?,
            reminder_rule: Some(ReminderRule::from_form(
                &f.remind_before,
                &f.remind_overdue,
            )?),
        };
        state.app.assign_target(viewer.caller(), request).await
    }
    .await;
    answer(&state, &viewer, target, result.map(|_| ())).await
}

async fn answer(
    state: &WebState,
    viewer: &Viewer,
    target: Target,
    result: Result<(), AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(done(
            &format!("/progress?target={}", key(target)),
            "assigned-many",
        )
        .into_response()),
        Err(AppError::Invalid(i)) => {
            let page = assign_page(state, viewer, target, Some(i.message), Vec::new()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(AppError::ImportRejected(errors)) => {
            let message = format!(
                "{} lines have problems, so nobody was assigned. Fix them and upload the file again.",
                errors.len()
            );
            let page = assign_page(state, viewer, target, Some(message), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

/// The CSV upload: the file and the same due date and reminder fields.
pub async fn assign_csv(
    State(state): State<WebState>,
    viewer: Viewer,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let mut fields = std::collections::HashMap::new();
    let mut data = Vec::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field
            .bytes()
            .await
            .map_err(|_| AppError::invalid("file", "The upload was interrupted; try again."))?;
        if name == "file" {
            data = bytes.to_vec();
        } else {
            fields.insert(name, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    let get = |k: &str| fields.get(k).map(String::as_str).unwrap_or("");
    let target = parse_target(get("target"))?;
    let result = async {
        let due = parse_due(get("due_kind"), get("due_date"), get("due_days"))?;
        let rule = ReminderRule::from_form(get("remind_before"), get("remind_overdue"))?;
        state
            .app
            .assign_csv(viewer.caller(), target, &data, due, Some(rule))
            .await
    }
    .await;
    answer(&state, &viewer, target, result.map(|_| ())).await
}

#[derive(Deserialize, Default)]
pub struct ProgressQuery {
    target: String,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    manager: Option<String>,
    #[serde(default)]
    notice: Option<String>,
}

impl ProgressQuery {
    fn filter(&self) -> Result<ProgressFilter, AppError> {
        let some = |o: &Option<String>| {
            o.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        Ok(ProgressFilter {
            group_id: some(&self.group)
                .map(|g| {
                    g.parse()
                        .map_err(|_| AppError::invalid("group", "Choose a group."))
                })
                .transpose()?,
            status: some(&self.status)
                .map(|s| AssigneeStatus::parse(&s))
                .transpose()?,
            manager_email: some(&self.manager),
        })
    }
}

pub struct Row {
    pub line: ProgressLine,
    pub due: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "progress.html")]
pub struct ProgressPage {
    layout: Layout,
    target: String,
    is_path: bool,
    target_id: i64,
    report: ProgressReport,
    /// The open assignments with their due date in words.
    assignments: Vec<(AssignmentLine, String)>,
    rows: Vec<Row>,
    /// (id, path, selected)
    groups: Vec<(i64, String, bool)>,
    group: Option<i64>,
    status: String,
    manager: String,
    statuses: &'static [AssigneeStatus],
}

/// Take an assignment back (the coach's button on the progress page, after a confirmation):
/// it reaches nobody from now on and no reminder goes out; people keep their progress.
pub async fn unassign(
    State(state): State<WebState>,
    viewer: Viewer,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Response, PageError> {
    let id = super::parse_id(&id)?;
    let target = state.app.unassign(viewer.caller(), id).await?;
    Ok(axum::response::Redirect::to(&format!(
        "/progress?target={}&notice=unassigned#assignments-heading",
        key(target)
    ))
    .into_response())
}

pub async fn progress(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<ProgressQuery>,
) -> Result<ProgressPage, PageError> {
    let target = parse_target(&q.target)?;
    let filter = q.filter()?;
    let caller = viewer.caller();
    let report = state.app.target_progress(caller, target, &filter).await?;
    Ok(ProgressPage {
        layout: Layout::for_session(&viewer.0, "paths").with_notice(q.notice.as_deref()),
        target: key(target),
        is_path: target.kind() == TargetKind::Path,
        target_id: target.id(),
        rows: report
            .lines
            .iter()
            .map(|l| Row {
                due: l.due_at.map(|t| viewer.when(t)).unwrap_or_default(),
                line: l.clone(),
            })
            .collect(),
        assignments: report
            .assignments
            .iter()
            .map(|a| {
                let due = match (a.due_at, a.due_days) {
                    (Some(t), _) => format!("due {}", viewer.when(t)),
                    (None, Some(1)) => "due a day after being reached".to_owned(),
                    (None, Some(d)) => format!("due {d} days after being reached"),
                    _ => "no due date".to_owned(),
                };
                (a.clone(), due)
            })
            .collect(),
        report,
        groups: state
            .app
            .visible_groups(caller)
            .await?
            .into_iter()
            .map(|g| (g.id, g.path, filter.group_id == Some(g.id)))
            .collect(),
        group: filter.group_id,
        status: filter
            .status
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
        manager: filter.manager_email.unwrap_or_default(),
        statuses: AssigneeStatus::ALL,
    })
}

pub async fn progress_csv(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<ProgressQuery>,
) -> Result<Response, PageError> {
    let target = parse_target(&q.target)?;
    let report = state
        .app
        .target_progress(viewer.caller(), target, &q.filter()?)
        .await?;
    let body = lore_app::App::progress_csv(&report)?;
    let name = format!("progress-{}-{}.csv", target.kind(), target.id());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "reports.html")]
pub struct ReportsPage {
    layout: Layout,
    lines: Vec<(String, Row)>,
    /// The caller coaches or administers a group: a link to its dashboard.
    dashboards: bool,
    /// The caller coaches or administers a group: link the insight pages.
    insights: bool,
}

pub async fn reports(
    State(state): State<WebState>,
    viewer: Viewer,
) -> Result<ReportsPage, PageError> {
    let lines = state.app.reports_progress(viewer.caller()).await?;
    let insights = !state.app.insight_groups(viewer.caller()).await?.is_empty();
    Ok(ReportsPage {
        dashboards: insights,
        layout: Layout::for_session(&viewer.0, "learning"),
        insights,
        lines: lines
            .into_iter()
            .map(|(title, l)| {
                (
                    title,
                    Row {
                        due: l.due_at.map(|t| viewer.when(t)).unwrap_or_default(),
                        line: l,
                    },
                )
            })
            .collect(),
    })
}
