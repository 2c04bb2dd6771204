//! `GET /audit-log`: administrative actions, newest first, filtered and paginated
//! (platform administrators).

use axum::Json;
use axum::extract::State;
use lore_app::audit::{AUDIT_PAGE_SIZE, AuditQuery};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ApiResult;
use super::extract::ApiQuery;
use super::platform_caller::{PlatformCaller, ViewInstance};
use crate::WebState;
use crate::error::{ApiError, ErrorBody};

/// One administrative action.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who did it; `null` for the operator's command line.
    pub actor_id: Option<i64>,
    pub actor_name: String,
    /// `role_changed`, `membership_removed`, `person_invited`, `person_deactivated`,
    /// `person_reactivated`, `password_link_issued` or `people_imported`.
    pub action: String,
    /// What it was done to, in words.
    pub target: String,
    pub detail: String,
}

/// One page of the audit log.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// How many entries match the filters, on every page.
    pub total: u64,
    /// This page's number, from 1.
    pub page: u64,
    pub page_size: u64,
}

/// Filters; each narrows.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilters {
    /// Only actions by this person (user id).
    pub actor: Option<i64>,
    /// Only this kind of action.
    pub action: Option<String>,
    /// From this day on (`YYYY-MM-DD`, in the caller's time zone).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Up to and including this day (`YYYY-MM-DD`, in the caller's time zone).
    #[param(format = Date)]
    pub to: Option<String>,
    /// The page to return, from 1 (the default).
    #[param(minimum = 1)]
    pub page: Option<u64>,
}

#[utoipa::path(
    get,
    path = "/audit-log",
    operation_id = "list_audit_log",
    tag = "admin",
    summary = "Administrative actions, newest first",
    params(AuditFilters),
    responses(
        (status = 200, description = "One page of the log", body = AuditPage),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Only platform administrators read the audit log", body = ErrorBody),
        (status = 422, description = "A filter is not valid (an unknown action, a date not as YYYY-MM-DD, an end before the start)", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ViewInstance>,
    ApiQuery(q): ApiQuery<AuditFilters>,
) -> ApiResult<Json<AuditPage>> {
    let page = q.page.unwrap_or(1);
    if page == 0 {
        return Err(ApiError(lore_app::AppError::invalid(
            "page",
            "Pages are numbered from 1.",
        )));
    }
    let query = AuditQuery {
        actor_id: q.actor,
        action: q.action.as_deref(),
        from: q.from.as_deref(),
        to: q.to.as_deref(),
    };
    let (rows, total) = state.app.audit_log(&caller, &query, page).await?;
    Ok(Json(AuditPage {
        entries: rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                at: r.at,
                actor_id: r.actor_id,
                actor_name: r.actor_name,
                action: r.action,
                target: r.target,
                detail: r.detail,
            })
            .collect(),
        total,
        page,
        page_size: AUDIT_PAGE_SIZE,
    }))
}
