//! The statements of a people import: read who has an account and what they hold, create
//! people, set names, managers and roles in bulk. What to write is planned in the app
//! (`lore_domain::people_import`); the app runs these in one unit of work.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use lore_domain::people_import::{HeldMembership, KnownPerson};
use lore_domain::role::Role;

use crate::entities::{memberships, users};
use crate::{Store, StoreResult, Timestamp, word};

impl Store {
    /// Every account as (email, who they are), for matching a file against.
    pub async fn known_people(&self) -> StoreResult<Vec<(String, KnownPerson)>> {
        Ok(users::Entity::find()
            .select_only()
            .column(users::Column::Email)
            .column(users::Column::Id)
            .column(users::Column::Name)
            .column(users::Column::ManagerId)
            .into_tuple::<(String, i64, String, Option<i64>)>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|(email, id, name, manager_id)| {
                (
                    email,
                    KnownPerson {
                        id,
                        name,
                        manager_id,
                    },
                )
            })
            .collect())
    }

    /// Every account's id, as (email, id).
    pub async fn user_ids_by_email(&self) -> StoreResult<Vec<(String, i64)>> {
        Ok(users::Entity::find()
            .select_only()
            .column(users::Column::Email)
            .column(users::Column::Id)
            .into_tuple::<(String, i64)>()
            .all(&self.db)
            .await?)
    }

    /// Create active people without password or manager, as (email, name), in one statement
    /// (callers keep a batch to about a thousand).
    pub async fn insert_people(&self, people: &[(&str, &str)], now: Timestamp) -> StoreResult<()> {
        if people.is_empty() {
            return Ok(());
        }
        users::Entity::insert_many(people.iter().map(|(email, name)| users::ActiveModel {
            email: Set((*email).to_owned()),
            name: Set((*name).to_owned()),
            password_hash: Set(None),
            platform_admin: Set(false),
            active: Set(true),
            manager_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }))
        .exec_without_returning(&self.db)
        .await?;
        Ok(())
    }

    /// Set managers as (person id, manager id), in one statement: `UPDATE … FROM (VALUES …)`,
    /// on SQLite (3.33+) and PostgreSQL, whose unnamed VALUES columns are both called
    /// `column1`, `column2`.
    pub async fn set_managers(&self, pairs: &[(i64, i64)]) -> StoreResult<()> {
        if pairs.is_empty() {
            return Ok(());
        }
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
        self.db.execute_raw(self.raw(&sql, values)).await?;
        Ok(())
    }

    /// Set a person's name and manager.
    pub async fn set_name_and_manager(
        &self,
        id: i64,
        name: &str,
        manager_id: Option<i64>,
        now: Timestamp,
    ) -> StoreResult<()> {
        users::Entity::update_many()
            .col_expr(users::Column::Name, sea_orm::sea_query::Expr::value(name))
            .col_expr(
                users::Column::ManagerId,
                sea_orm::sea_query::Expr::value(manager_id),
            )
            .col_expr(
                users::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(users::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Every membership, as ((user id, group id), the membership).
    pub async fn all_memberships(&self) -> StoreResult<Vec<((i64, i64), HeldMembership)>> {
        let rows = memberships::Entity::find()
            .select_only()
            .column(memberships::Column::Id)
            .column(memberships::Column::UserId)
            .column(memberships::Column::GroupId)
            .column(memberships::Column::Role)
            .into_tuple::<(i64, i64, i64, String)>()
            .all(&self.db)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, user_id, group_id, role) in rows {
            let role = word(&role, Role::parse)?;
            out.push(((user_id, group_id), HeldMembership { id, role }));
        }
        Ok(out)
    }

    /// Change the role of a membership.
    pub async fn set_membership_role(&self, membership_id: i64, role: Role) -> StoreResult<()> {
        memberships::Entity::update_many()
            .col_expr(
                memberships::Column::Role,
                sea_orm::sea_query::Expr::value(role.as_str()),
            )
            .filter(memberships::Column::Id.eq(membership_id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Add memberships as (user id, group id, role), in one statement (callers keep a batch
    /// to about a thousand).
    pub async fn insert_memberships(
        &self,
        added: &[(i64, i64, Role)],
        now: Timestamp,
    ) -> StoreResult<()> {
        if added.is_empty() {
            return Ok(());
        }
        memberships::Entity::insert_many(added.iter().map(|&(user_id, group_id, role)| {
            memberships::ActiveModel {
                user_id: Set(user_id),
                group_id: Set(group_id),
                role: Set(role.as_str().to_owned()),
                created_at: Set(now),
                ..Default::default()
            }
        }))
        .exec_without_returning(&self.db)
        .await?;
        Ok(())
    }
}
