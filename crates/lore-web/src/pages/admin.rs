//! Pages for platform administrators: the instance at a glance, and the audit log of
//! administrative actions (filtered, paginated, exported as CSV).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use lore_app::AppError;
use lore_app::audit::{AUDIT_PAGE_SIZE, AuditQuery, InstanceOverview, audit_csv as to_csv};
use lore_domain::audit::AuditAction;
use serde::Deserialize;

use super::Pager;
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::{Viewer, urlencode};

#[derive(Template, WebTemplate)]
#[template(path = "admin.html")]
pub struct OverviewPage {
    layout: Layout,
    o: InstanceOverview,
}

pub async fn overview(
    State(state): State<WebState>,
    viewer: Viewer,
) -> Result<OverviewPage, PageError> {
    let o = state.app.instance_overview(viewer.caller()).await?;
    Ok(OverviewPage {
        layout: Layout::for_session(&viewer.0, "admin"),
        o,
    })
}

/// The audit log's filters as the query string carries them; empty means "any".
#[derive(Deserialize, Default)]
pub struct AuditParams {
    actor: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<String>,
}

impl AuditParams {
    fn actor_id(&self) -> Option<i64> {
        self.actor.as_deref().and_then(|a| a.trim().parse().ok())
    }

    fn query(&self) -> AuditQuery<'_> {
        AuditQuery {
            actor_id: self.actor_id(),
            action: self.action.as_deref(),
            from: self.from.as_deref(),
            to: self.to.as_deref(),
        }
    }

    /// The filters as a query string (without the page), to keep them across pages and in
    /// the export link.
    fn query_string(&self) -> String {
        let field = |k: &str, v: &Option<String>| {
            format!("{k}={}", urlencode(v.as_deref().unwrap_or("").trim()))
        };
        [
            field("actor", &self.actor),
            field("action", &self.action),
            field("from", &self.from),
            field("to", &self.to),
        ]
        .join("&")
    }
}

pub struct AuditLine {
    when: String,
    actor: String,
    action: String,
    target: String,
    detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_audit.html")]
pub struct AuditPage {
    layout: Layout,
    lines: Vec<AuditLine>,
    total: u64,
    pager: Pager,
    /// (id, name, chosen in the filter).
    actors: Vec<(i64, String, bool)>,
    actions: Vec<(&'static str, &'static str)>,
    actor: Option<i64>,
    action: String,
    from: String,
    to: String,
    export: String,
    error: Option<String>,
}

pub async fn audit(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(p): Query<AuditParams>,
) -> Result<Response, PageError> {
    let caller = viewer.caller();
    let actors = state.app.audit_actors(caller).await?;
    let page = super::page_number(p.page.as_deref());
    let (rows, total, error) = match state.app.audit_log(caller, &p.query(), page).await {
        Ok((rows, total)) => (rows, total, None),
        Err(AppError::Invalid(i)) => (Vec::new(), 0, Some(i.message)),
        Err(e) => return Err(PageError(e)),
    };
    let lines = rows
        .into_iter()
        .map(|r| AuditLine {
            when: viewer.when(r.at),
            actor: r.actor_name,
            action: AuditAction::parse(&r.action)
                .map(|a| a.label().to_owned())
                .unwrap_or(r.action),
            target: r.target,
            detail: r.detail,
        })
        .collect();
    let filters = p.query_string();
    let page_view = AuditPage {
        layout: Layout::for_session(&viewer.0, "admin"),
        lines,
        total,
        pager: Pager::new(
            &format!("/admin/audit?{filters}"),
            page,
            total,
            AUDIT_PAGE_SIZE,
        )
        .landing_at("#audit-heading", "Pages of the audit log"),
        actors: actors
            .into_iter()
            .map(|(id, name)| (id, name, p.actor_id() == Some(id)))
            .collect(),
        actions: AuditAction::ALL
            .iter()
            .map(|a| (a.as_str(), a.label()))
            .collect(),
        actor: p.actor_id(),
        action: p.action.clone().unwrap_or_default(),
        from: p.from.clone().unwrap_or_default(),
        to: p.to.clone().unwrap_or_default(),
        export: format!("/admin/audit.csv?{filters}"),
        error,
    };
    let status = if page_view.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, page_view).into_response())
}

/// The filtered log as a CSV file (UTC times), every matching row.
pub async fn audit_csv(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(p): Query<AuditParams>,
) -> Result<Response, PageError> {
    let rows = state.app.audit_export(viewer.caller(), &p.query()).await?;
    let body = to_csv(&rows)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"lore-audit-log.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
