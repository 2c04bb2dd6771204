//! The audit log of administrative actions, and the administrators' overview of the
//! instance. A use case that changes roles, people or imports records its row with
//! [`App::audit`] inside its own unit of work, so the row exists exactly when the action
//! committed.

use lore_domain::audit::AuditAction;
use lore_domain::policy::{Action, Resource};
use lore_store::{AuditFilter, AuditRow, InstanceCounts, NewAudit};

use crate::{App, AppError, AppResult, Caller};

/// Rows on one page of the audit log.
pub const AUDIT_PAGE_SIZE: u64 = 50;
/// The most rows one CSV export holds (narrow the dates for more).
pub const AUDIT_EXPORT_LIMIT: u64 = 100_000;

/// Filters as typed on the page or in the API: dates as `YYYY-MM-DD` in the caller's time
/// zone, both days included.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery<'a> {
    pub actor_id: Option<i64>,
    pub action: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

/// What the overview page shows about the instance.
#[derive(Debug, Clone)]
pub struct InstanceOverview {
    pub mail_configured: bool,
    pub public_url: String,
    pub database: &'static str,
    pub version: &'static str,
    pub counts: InstanceCounts,
}

impl App {
    /// Record an administrative action in the current unit of work. `actor` is `None` for
    /// the operator's command line.
    pub(crate) async fn audit(
        &self,
        actor: Option<&Caller>,
        action: AuditAction,
        target: String,
        detail: String,
    ) -> AppResult<()> {
        self.store
            .insert_audit(
                NewAudit {
                    actor_id: actor.map(|c| c.id.0),
                    actor_name: actor.map_or("Operator (command line)", |c| c.name.as_str()),
                    action: action.as_str(),
                    target,
                    detail,
                },
                self.now(),
            )
            .await?;
        tracing::info!(target: "lore::audit", user_id = actor.map(|c| c.id.0), action = action.as_str(), "audited");
        Ok(())
    }

    fn audit_filter(&self, caller: &Caller, q: &AuditQuery<'_>) -> AppResult<AuditFilter> {
        let action = match q.action.map(str::trim).filter(|a| !a.is_empty()) {
            Some(a) => Some(
                AuditAction::parse(a)
                    .map_err(|_| {
                        AppError::invalid("action", "Choose a kind of action from the list.")
                    })?
                    .as_str(),
            ),
            None => None,
        };
        let day = |field: &'static str, raw: Option<&str>| -> AppResult<Option<time::Date>> {
            match raw.map(str::trim).filter(|d| !d.is_empty()) {
                None => Ok(None),
                Some(d) => {
                    time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]"))
                        .map(Some)
                        .map_err(|_| AppError::invalid(field, "Give dates as YYYY-MM-DD."))
                }
            }
        };
        let from = day("from", q.from)?;
        let to = day("to", q.to)?;
        // A range typed backwards is read the right way round, as the dashboards do
        // (decision 0037).
        let (from, to) = match (from, to) {
            (Some(f), Some(t)) if f > t => (Some(t), Some(f)),
            other => other,
        };
        let zone = &caller.time_zone;
        Ok(AuditFilter {
            actor_id: q.actor_id,
            action,
            since: from.map(|d| zone.start_of(d)),
            until: to.and_then(|d| d.next_day()).map(|d| zone.start_of(d)),
        })
    }

    /// One page (from 1) of the audit log, newest first, with how many rows match
    /// (platform administrators only).
    pub async fn audit_log(
        &self,
        caller: &Caller,
        q: &AuditQuery<'_>,
        page: u64,
    ) -> AppResult<(Vec<AuditRow>, u64)> {
        caller.require(Action::ViewInstance, Resource::Platform)?;
        let filter = self.audit_filter(caller, q)?;
        Ok(self
            .store
            .audit_page(&filter, AUDIT_PAGE_SIZE, page.max(1) - 1)
            .await?)
    }

    /// Every row the filters match, oldest first, for the CSV export.
    pub async fn audit_export(
        &self,
        caller: &Caller,
        q: &AuditQuery<'_>,
    ) -> AppResult<Vec<AuditRow>> {
        caller.require(Action::ViewInstance, Resource::Platform)?;
        let filter = self.audit_filter(caller, q)?;
        Ok(self.store.audit_rows(&filter, AUDIT_EXPORT_LIMIT).await?)
    }

    /// Who appears as an actor in the log, for the filter's list.
    pub async fn audit_actors(&self, caller: &Caller) -> AppResult<Vec<(i64, String)>> {
        caller.require(Action::ViewInstance, Resource::Platform)?;
        Ok(self.store.audit_actors().await?)
    }

    /// The instance at a glance (platform administrators only).
    pub async fn instance_overview(&self, caller: &Caller) -> AppResult<InstanceOverview> {
        caller.require(Action::ViewInstance, Resource::Platform)?;
        Ok(InstanceOverview {
            mail_configured: self.mail_configured(),
            public_url: self.settings.mail.public_url.clone(),
            database: match self.store.backend() {
                lore_store::Backend::Sqlite => "SQLite",
                lore_store::Backend::Postgres => "PostgreSQL",
            },
            version: env!("CARGO_PKG_VERSION"),
            counts: self.store.instance_counts().await?,
        })
    }

    /// Whether an SMTP server is configured: without one, no mail leaves Lore.
    pub fn mail_configured(&self) -> bool {
        self.settings.mail.smtp_url.is_some()
    }
}

/// The audit log as CSV: a header, then one line per row, times in UTC (RFC 3339).
pub fn audit_csv(rows: &[AuditRow]) -> AppResult<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Internal(format!("writing the audit CSV: {e}"));
    out.write_record(["at", "actor_id", "actor", "action", "target", "detail"])
        .map_err(fail)?;
    for r in rows {
        let at =
            r.at.format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default();
        let actor_id = r.actor_id.map(|i| i.to_string()).unwrap_or_default();
        out.write_record([
            at.as_str(),
            actor_id.as_str(),
            &inert(&r.actor_name),
            r.action.as_str(),
            &inert(&r.target),
            &inert(&r.detail),
        ])
        .map_err(fail)?;
    }
    out.into_inner()
        .map_err(|e| AppError::Internal(format!("writing the audit CSV: {e}")))
}

/// A cell a spreadsheet will not run as a formula: text people typed (names, group names)
/// that starts like one gets a leading apostrophe.
pub(crate) fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_never_becomes_a_formula() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("Ada Lovelace"), "Ada Lovelace");
    }
}
