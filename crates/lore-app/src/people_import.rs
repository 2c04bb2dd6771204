//! Importing people from CSV: check everything, then apply all of it in one transaction.

use std::collections::HashSet;

use lore_domain::people_csv::{self, RowError};
use lore_domain::policy::{Action, Resource};
use lore_store::{ImportPlan, ImportTotals, PlannedPerson};

use crate::{App, AppError, AppResult, Caller};

/// Largest file accepted (about 100 bytes a row for a million rows).
pub const MAX_BYTES: usize = 100 * 1024 * 1024;

impl App {
    /// Import people as the caller (platform administrators only).
    pub async fn import_people(
        &self,
        caller: &Caller,
        data: &[u8],
        progress: &(dyn Fn(u64) + Sync),
    ) -> AppResult<ImportTotals> {
        self.unit_of_work(|app| async move {
            let app = &app;
            caller.require(Action::ImportPeople, Resource::Platform)?;
            app.import_people_as_operator(data, progress).await
        })
        .await
    }

    /// Import people with the server's own authority (the `lore users import` command).
    pub async fn import_people_as_operator(
        &self,
        data: &[u8],
        progress: &(dyn Fn(u64) + Sync),
    ) -> AppResult<ImportTotals> {
        self.unit_of_work(|app| async move {
            let app = &app;
            if data.len() > MAX_BYTES {
                return Err(AppError::invalid(
                    "file",
                    format!(
                        "The file is larger than {} MB; split it.",
                        MAX_BYTES / 1024 / 1024
                    ),
                ));
            }
            let people_csv::Parsed {
                rows,
                mut errors,
                mentioned,
            } = people_csv::parse(data);
            if errors.first().is_some_and(|e| e.line == 1) {
                return Err(AppError::ImportRejected(errors));
            }
            let tree = app.group_tree().await?;
            let in_file: HashSet<&str> = mentioned.iter().map(|e| e.as_str()).collect();
            let mut plan = ImportPlan::default();
            let mut missing_managers = Vec::new();
            for row in &rows {
                let mut memberships = Vec::with_capacity(row.memberships.len());
                for (group, role) in &row.memberships {
                    match tree.resolve(group) {
                        Ok(id) => memberships.push((id.0, role.as_str().to_owned())),
                        Err(reason) => errors.push(RowError {
                            line: row.line,
                            reason,
                        }),
                    }
                }
                if let Some(m) = &row.manager
                    && !in_file.contains(m.as_str())
                {
                    missing_managers.push((row.line, m.as_str().to_owned()));
                }
                plan.people.push(PlannedPerson {
                    email: row.email.as_str().to_owned(),
                    name: row.name.as_str().to_owned(),
                    manager_email: row.manager.as_ref().map(|m| m.as_str().to_owned()),
                    memberships,
                });
            }
            // Managers not in the file must already have an account (each looked up once).
            let mut known: std::collections::HashMap<String, bool> = std::collections::HashMap::new();
            for (line, manager) in missing_managers {
                let exists = match known.get(&manager) {
                    Some(e) => *e,
                    None => {
                        let e = app.store.user_by_email(&manager).await?.is_some();
                        known.insert(manager.clone(), e);
                        e
                    }
                };
                if !exists {
                    errors.push(RowError {
                        line,
                        reason: format!(
                            "The manager {manager} is neither in the file nor has an account."
                        ),
                    });
                }
            }
            if !errors.is_empty() {
                errors.sort_by_key(|e| e.line);
                return Err(AppError::ImportRejected(errors));
            }
            let totals = app
                .store
                .apply_people_import(&plan, app.now(), progress)
                .await?;
            tracing::info!(target: "lore::audit", created = totals.created, updated = totals.updated, "people imported");
            Ok(totals)
        })
        .await
    }
}
