//! Importing people from CSV: check everything, plan it (`lore_domain::people_import`), then
//! write all of it in one unit of work.

use std::collections::{HashMap, HashSet};

use lore_domain::people_csv::{self, RowError};
use lore_domain::people_import::{
    self as planning, ImportTotals, KnownChange, MembershipChanges, PlannedPerson,
};
use lore_domain::policy::{Action, Resource};

use crate::{App, AppError, AppResult, Caller};

/// Largest file accepted (about 100 bytes a row for a million rows).
pub const MAX_BYTES: usize = 100 * 1024 * 1024;

/// Rows written per statement, and how often progress is told.
const CHUNK: usize = 1000;

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
            let totals = app.import_people_as_operator(data, progress).await?;
            app.audit(
                Some(caller),
                lore_domain::audit::AuditAction::PeopleImported,
                format!("a CSV file of {} bytes", data.len()),
                format!(
                    "{} created, {} updated, {} unchanged; {} memberships added, {} roles changed",
                    totals.created,
                    totals.updated,
                    totals.unchanged,
                    totals.memberships_added,
                    totals.memberships_changed
                ),
            )
            .await?;
            Ok(totals)
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
            let mut plan = Vec::with_capacity(rows.len());
            let mut missing_managers = Vec::new();
            for row in &rows {
                let mut memberships = Vec::with_capacity(row.memberships.len());
                for (group, role) in &row.memberships {
                    match tree.resolve(group) {
                        Ok(id) => memberships.push((id.0, *role)),
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
                plan.push(PlannedPerson {
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
            let totals = app.apply_people_import(&plan, progress).await?;
            tracing::info!(target: "lore::audit", created = totals.created, updated = totals.updated, "people imported");
            Ok(totals)
        })
        .await
    }
}

impl App {
    /// Write a checked import: new people first (in multi-row inserts), then managers,
    /// names, and memberships (added where missing, role set where it differs, never
    /// removed). `progress` is told how many people have been handled so far.
    async fn apply_people_import(
        &self,
        plan: &[PlannedPerson],
        progress: &(dyn Fn(u64) + Sync),
    ) -> AppResult<ImportTotals> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let now = app.now();
            let mut totals = ImportTotals::default();
            let known: HashMap<String, planning::KnownPerson> =
                app.store.known_people().await?.into_iter().collect();

            let newcomers = planning::newcomers(plan, &known);
            for chunk in newcomers.chunks(CHUNK) {
                let people: Vec<(&str, &str)> = chunk
                    .iter()
                    .map(|p| (p.email.as_str(), p.name.as_str()))
                    .collect();
                app.store.insert_people(&people, now).await?;
                totals.created += chunk.len() as u64;
                progress(totals.created);
            }

            let ids: HashMap<String, i64> = if newcomers.is_empty() {
                known.iter().map(|(e, k)| (e.clone(), k.id)).collect()
            } else {
                app.store.user_ids_by_email().await?.into_iter().collect()
            };

            for chunk in planning::managers_of(&newcomers, &ids).chunks(CHUNK) {
                app.store.set_managers(chunk).await?;
            }

            let mut handled = totals.created;
            for change in planning::known_changes(plan, &known, &ids) {
                match change {
                    KnownChange::Unchanged => totals.unchanged += 1,
                    KnownChange::Update {
                        id,
                        name,
                        manager_id,
                    } => {
                        app.store
                            .set_name_and_manager(id, &name, manager_id, now)
                            .await?;
                        totals.updated += 1;
                    }
                }
                handled += 1;
                if handled % CHUNK as u64 == 0 {
                    progress(handled);
                }
            }

            let involved: HashSet<i64> = plan
                .iter()
                .filter_map(|p| ids.get(&p.email).copied())
                .collect();
            let held: HashMap<(i64, i64), planning::HeldMembership> = app
                .store
                .all_memberships()
                .await?
                .into_iter()
                .filter(|((user_id, _), _)| involved.contains(user_id))
                .collect();
            let MembershipChanges { new_roles, added } =
                planning::membership_changes(plan, &ids, &held);
            for (membership_id, role) in new_roles {
                app.store.set_membership_role(membership_id, role).await?;
                totals.memberships_changed += 1;
            }
            for chunk in added.chunks(CHUNK) {
                app.store.insert_memberships(chunk, now).await?;
            }
            totals.memberships_added = added.len() as u64;
            app.sync_assignments_after_import(&added).await?;
            progress(plan.len() as u64);
            Ok(totals)
        })
        .await
    }
}
