//! Importing an outcome metric's values, from CSV (`email,period,value`) or a list of
//! entries (the JSON API). Every row is checked, first on its own (`lore_domain::outcome`),
//! then against the database: the person exists, is active, belongs to the metric's group or
//! a group below it; the period has begun; and no value is stored for that person and period
//! unless the caller asked to replace stored values. Any bad row refuses the whole import,
//! every bad row listed with its line; a good one is written in one unit of work and audited.

use std::collections::{HashMap, HashSet};

use lore_domain::audit::AuditAction;
use lore_domain::outcome::{self, RawValue, ValueRows};
use lore_domain::people_csv::RowError;
use lore_domain::policy::Action;
use time::{OffsetDateTime, Time};

use crate::{App, AppError, AppResult, Caller};

/// The largest import accepted (about 40 bytes a row: a quarter of a million rows).
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;

/// A value as an API client sent it.
#[derive(Debug, Clone)]
pub enum EntryValue {
    Number(f64),
    Text(String),
    /// Anything else (true, null, a list): refused as "not a number".
    Other,
}

/// One entry of a list of values; its place in the list (from 1) is its line.
#[derive(Debug, Clone)]
pub struct ValueEntry {
    pub email: String,
    pub period: String,
    pub value: EntryValue,
}

/// What is imported.
#[derive(Debug, Clone)]
pub enum ValuesInput<'a> {
    Csv(&'a [u8]),
    Entries(&'a [ValueEntry]),
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    /// Values written (new and replaced).
    pub values: u64,
    pub people: u64,
    /// Of `values`, those that replaced a stored value.
    pub replaced: u64,
}

impl App {
    /// Import values of a metric (coaches of its group). With `replace`, values already
    /// stored for the same person and period are replaced; without, such rows are bad rows.
    pub async fn import_outcome_values(
        &self,
        caller: &Caller,
        metric_id: i64,
        input: ValuesInput<'_>,
        replace: bool,
    ) -> AppResult<ImportSummary> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app
                .metric_for(caller, metric_id, Action::ManageOutcomes)
                .await?;
            let kind = ctx.row.period_kind;
            let checked = match input {
                ValuesInput::Csv(data) => {
                    if data.len() > MAX_IMPORT_BYTES {
                        return Err(AppError::invalid(
                            "file",
                            format!(
                                "The file is larger than {} MB; split it.",
                                MAX_IMPORT_BYTES / 1024 / 1024
                            ),
                        ));
                    }
                    outcome::parse_csv(kind, data)
                }
                ValuesInput::Entries(entries) => {
                    let mut rows = ValueRows::default();
                    for (i, e) in entries.iter().enumerate() {
                        let value = match &e.value {
                            EntryValue::Number(v) => RawValue::Number(*v),
                            EntryValue::Text(t) => RawValue::Text(t),
                            EntryValue::Other => RawValue::Other,
                        };
                        rows.push(kind, i as u64 + 1, &e.email, &e.period, value);
                    }
                    rows
                }
            };
            let ValueRows {
                rows, mut errors, ..
            } = checked;
            if rows.is_empty() && errors.is_empty() {
                return Err(AppError::invalid(
                    "file",
                    "There are no values to import: give a header line and one line per person and period.",
                ));
            }

            // Who the addresses are, and whether they belong to the metric's group or below.
            let mut emails: Vec<&str> = rows.iter().map(|r| r.email.as_str()).collect();
            emails.sort_unstable();
            emails.dedup();
            let people: HashMap<String, (i64, bool)> = app
                .store
                .people_by_emails(&emails)
                .await?
                .into_iter()
                .map(|p| (p.email, (p.id, p.active)))
                .collect();
            let ids: Vec<i64> = people.values().map(|(id, _)| *id).collect();
            let groups = ctx.groups_within();
            let members = app.store.members_among(&ids, &groups).await?;
            let stored = app.store.stored_outcome_periods(metric_id, &ids).await?;
            let group = ctx.group_path();
            let today = app.now().date();

            let mut good = Vec::with_capacity(rows.len());
            let mut replaced = 0u64;
            for row in rows {
                let email = row.email.as_str();
                let bad = |reason: String| RowError {
                    line: row.line,
                    reason,
                };
                let Some(&(id, active)) = people.get(email) else {
                    errors.push(bad(format!("Nobody has the address {email}.")));
                    continue;
                };
                if !active {
                    errors.push(bad(format!("{email} is deactivated.")));
                    continue;
                }
                if !members.contains(&id) {
                    errors.push(bad(format!("{email} is not in {group} or a group below it.")));
                    continue;
                }
                if row.period.starts > today {
                    errors.push(bad(format!(
                        "The period {} has not begun yet.",
                        row.period.label
                    )));
                    continue;
                }
                if stored.contains(&(id, row.period.label.clone())) {
                    if !replace {
                        errors.push(bad(format!(
                            "{email} has a value for {} stored already; to change it, import with \"replace values already stored\".",
                            row.period.label
                        )));
                        continue;
                    }
                    replaced += 1;
                }
                let midnight = |d: time::Date| OffsetDateTime::new_utc(d, Time::MIDNIGHT);
                good.push((
                    id,
                    row.period.label.clone(),
                    midnight(row.period.starts),
                    midnight(row.period.ends),
                    row.value,
                ));
            }
            if !errors.is_empty() {
                errors.sort_by_key(|e| e.line);
                return Err(AppError::ImportRejected(errors));
            }
            app.store
                .put_outcome_values(metric_id, &good, replace, caller.id.0, app.now())
                .await?;
            let summary = ImportSummary {
                values: good.len() as u64,
                people: good.iter().map(|g| g.0).collect::<HashSet<_>>().len() as u64,
                replaced,
            };
            app.audit(
                Some(caller),
                AuditAction::OutcomeValuesImported,
                ctx.target(),
                format!(
                    "{} values for {} people ({} replaced)",
                    summary.values, summary.people, summary.replaced
                ),
            )
            .await?;
            Ok(summary)
        })
        .await
    }
}
