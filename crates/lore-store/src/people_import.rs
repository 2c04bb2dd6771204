//! Applying a checked people import in one transaction: all of it lands, or none.

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    Statement,
};

use crate::entities::{memberships, users};
use crate::{Store, StoreResult, Timestamp};

/// One person of an import, already validated, with group references resolved to ids.
#[derive(Debug, Clone)]
pub struct PlannedPerson {
    pub email: String,
    pub name: String,
    pub manager_email: Option<String>,
    pub memberships: Vec<(i64, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    pub people: Vec<PlannedPerson>,
}

/// What an import changed; all zero but `unchanged` when the same file comes twice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportTotals {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub memberships_added: u64,
    pub memberships_changed: u64,
}

const CHUNK: usize = 1000;

impl Store {
    /// Apply `plan`; `progress` is told how many people have been handled so far.
    pub async fn apply_people_import(
        &self,
        plan: &ImportPlan,
        now: Timestamp,
        progress: &(dyn Fn(u64) + Sync),
    ) -> StoreResult<ImportTotals> {
        let tx = self.write_tx().await?;
        let totals = apply(&tx, plan, now, progress).await?;
        tx.commit().await?;
        Ok(totals)
    }
}

/// `UPDATE … FROM (VALUES …)`: one statement for many rows, on SQLite (3.33+) and PostgreSQL,
/// whose unnamed VALUES columns are both called `column1`, `column2`.
async fn set_managers(tx: &impl ConnectionTrait, pairs: &[(i64, i64)]) -> StoreResult<()> {
    let mut sql = String::from("UPDATE users SET manager_id = v.column2 FROM (VALUES ");
    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(pairs.len() * 2);
    for (i, (id, manager)) in pairs.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("(${}, ${})", 2 * i + 1, 2 * i + 2));
        values.push((*id).into());
        values.push((*manager).into());
    }
    sql.push_str(") AS v WHERE users.id = v.column1");
    tx.execute_raw(Statement::from_sql_and_values(
        tx.get_database_backend(),
        sql,
        values,
    ))
    .await?;
    Ok(())
}

async fn apply(
    tx: &impl ConnectionTrait,
    plan: &ImportPlan,
    now: Timestamp,
    progress: &(dyn Fn(u64) + Sync),
) -> StoreResult<ImportTotals> {
    let mut totals = ImportTotals::default();
    let existing: HashMap<String, (i64, String, Option<i64>)> = users::Entity::find()
        .select_only()
        .column(users::Column::Email)
        .column(users::Column::Id)
        .column(users::Column::Name)
        .column(users::Column::ManagerId)
        .into_tuple::<(String, i64, String, Option<i64>)>()
        .all(tx)
        .await?
        .into_iter()
        .map(|(email, id, name, manager)| (email, (id, name, manager)))
        .collect();

    // New people first, in multi-row inserts.
    let new_people: Vec<&PlannedPerson> = plan
        .people
        .iter()
        .filter(|p| !existing.contains_key(&p.email))
        .collect();
    for chunk in new_people.chunks(CHUNK) {
        users::Entity::insert_many(chunk.iter().map(|p| users::ActiveModel {
            email: Set(p.email.clone()),
            name: Set(p.name.clone()),
            password_hash: Set(None),
            platform_admin: Set(false),
            active: Set(true),
            manager_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }))
        .exec_without_returning(tx)
        .await?;
        totals.created += chunk.len() as u64;
        progress(totals.created);
    }

    let ids: HashMap<String, i64> = if new_people.is_empty() {
        existing
            .iter()
            .map(|(e, (id, _, _))| (e.clone(), *id))
            .collect()
    } else {
        users::Entity::find()
            .select_only()
            .column(users::Column::Email)
            .column(users::Column::Id)
            .into_tuple::<(String, i64)>()
            .all(tx)
            .await?
            .into_iter()
            .collect()
    };

    // Managers of new people, in bulk (a manager may be new in this very file).
    let new_managers: Vec<(i64, i64)> = new_people
        .iter()
        .filter_map(|p| {
            let id = *ids.get(&p.email)?;
            let manager = *ids.get(p.manager_email.as_ref()?)?;
            Some((id, manager))
        })
        .collect();
    for chunk in new_managers.chunks(CHUNK) {
        set_managers(tx, chunk).await?;
    }

    // Names and managers of people who were there already.
    let mut handled = totals.created;
    for person in &plan.people {
        let (Some(&id), Some((_, name, manager))) =
            (ids.get(&person.email), existing.get(&person.email))
        else {
            continue;
        };
        let manager_id = person
            .manager_email
            .as_ref()
            .and_then(|m| ids.get(m).copied());
        if *name != person.name || *manager != manager_id {
            users::ActiveModel {
                id: Set(id),
                name: Set(person.name.clone()),
                manager_id: Set(manager_id),
                updated_at: Set(now),
                ..Default::default()
            }
            .update(tx)
            .await?;
            totals.updated += 1;
        } else {
            totals.unchanged += 1;
        }
        handled += 1;
        if handled % CHUNK as u64 == 0 {
            progress(handled);
        }
    }

    // Memberships: add the missing, change roles that differ, never remove.
    let involved: HashSet<i64> = plan
        .people
        .iter()
        .filter_map(|p| ids.get(&p.email).copied())
        .collect();
    let mut held: HashMap<(i64, i64), (i64, String)> = HashMap::new();
    for (id, user_id, group_id, role) in memberships::Entity::find()
        .select_only()
        .column(memberships::Column::Id)
        .column(memberships::Column::UserId)
        .column(memberships::Column::GroupId)
        .column(memberships::Column::Role)
        .into_tuple::<(i64, i64, i64, String)>()
        .all(tx)
        .await?
    {
        if involved.contains(&user_id) {
            held.insert((user_id, group_id), (id, role));
        }
    }
    let mut to_add = Vec::new();
    for person in &plan.people {
        let Some(&user_id) = ids.get(&person.email) else {
            continue;
        };
        for (group_id, role) in &person.memberships {
            match held.get(&(user_id, *group_id)) {
                Some((_, r)) if r == role => {}
                Some((membership_id, _)) => {
                    memberships::Entity::update_many()
                        .col_expr(
                            memberships::Column::Role,
                            sea_orm::sea_query::Expr::value(role.clone()),
                        )
                        .filter(memberships::Column::Id.eq(*membership_id))
                        .exec(tx)
                        .await?;
                    totals.memberships_changed += 1;
                }
                None => to_add.push(memberships::ActiveModel {
                    user_id: Set(user_id),
                    group_id: Set(*group_id),
                    role: Set(role.clone()),
                    created_at: Set(now),
                    ..Default::default()
                }),
            }
        }
    }
    totals.memberships_added = to_add.len() as u64;
    let mut batch = Vec::with_capacity(CHUNK);
    for m in to_add {
        batch.push(m);
        if batch.len() == CHUNK {
            memberships::Entity::insert_many(std::mem::take(&mut batch))
                .exec_without_returning(tx)
                .await?;
        }
    }
    if !batch.is_empty() {
        memberships::Entity::insert_many(batch)
            .exec_without_returning(tx)
            .await?;
    }
    progress(plan.people.len() as u64);
    Ok(totals)
}
