//! Queries on `groups` and `memberships`.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, FromQueryResult, JoinType, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set,
};

use crate::entities::{groups, memberships, users};
use crate::{Store, StoreError, StoreResult, Timestamp};

pub type GroupRow = groups::Model;

/// A member of a group as listed on the group's page.
#[derive(Debug, Clone, FromQueryResult)]
pub struct MemberRow {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub active: bool,
    pub role: String,
}

impl Store {
    /// Every group; an organisation has at most thousands, and the tree is built in memory.
    pub async fn all_groups(&self) -> StoreResult<Vec<GroupRow>> {
        Ok(groups::Entity::find()
            .order_by_asc(groups::Column::Name)
            .order_by_asc(groups::Column::Id)
            .all(&self.db)
            .await?)
    }

    pub async fn group(&self, id: i64) -> StoreResult<Option<GroupRow>> {
        Ok(groups::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn insert_group(
        &self,
        parent_id: Option<i64>,
        name: &str,
        now: Timestamp,
    ) -> StoreResult<GroupRow> {
        groups::ActiveModel {
            parent_id: Set(parent_id),
            name: Set(name.to_owned()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from_db)
    }

    pub async fn rename_group(&self, id: i64, name: &str) -> StoreResult<()> {
        groups::ActiveModel {
            id: Set(id),
            name: Set(name.to_owned()),
            ..Default::default()
        }
        .update(&self.db)
        .await
        .map_err(StoreError::from_db)?;
        Ok(())
    }

    /// Delete a group with no subgroups, with its memberships, in one transaction.
    pub async fn delete_group(&self, id: i64) -> StoreResult<()> {
        let tx = self.write_tx().await?;
        memberships::Entity::delete_many()
            .filter(memberships::Column::GroupId.eq(id))
            .exec(&tx)
            .await?;
        groups::Entity::delete_by_id(id).exec(&tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Give `user_id` the role in `group_id`, replacing any role they had there.
    pub async fn put_membership(
        &self,
        user_id: i64,
        group_id: i64,
        role: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        let existing = memberships::Entity::find()
            .filter(memberships::Column::UserId.eq(user_id))
            .filter(memberships::Column::GroupId.eq(group_id))
            .one(&self.db)
            .await?;
        match existing {
            Some(m) if m.role == role => {}
            Some(m) => {
                memberships::ActiveModel {
                    id: Set(m.id),
                    role: Set(role.to_owned()),
                    ..Default::default()
                }
                .update(&self.db)
                .await?;
            }
            None => {
                memberships::ActiveModel {
                    user_id: Set(user_id),
                    group_id: Set(group_id),
                    role: Set(role.to_owned()),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&self.db)
                .await
                .map_err(StoreError::from_db)?;
            }
        }
        Ok(())
    }

    /// Remove a membership; `false` when there was none.
    pub async fn remove_membership(&self, user_id: i64, group_id: i64) -> StoreResult<bool> {
        let result = memberships::Entity::delete_many()
            .filter(memberships::Column::UserId.eq(user_id))
            .filter(memberships::Column::GroupId.eq(group_id))
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected > 0)
    }

    /// The memberships a user holds, as (group id, role).
    pub async fn memberships_of(&self, user_id: i64) -> StoreResult<Vec<(i64, String)>> {
        Ok(memberships::Entity::find()
            .filter(memberships::Column::UserId.eq(user_id))
            .order_by_asc(memberships::Column::GroupId)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|m| (m.group_id, m.role))
            .collect())
    }

    /// One page of the members of a group (by name, then id), and how many there are.
    /// A page past the end is empty.
    pub async fn members_page(
        &self,
        group_id: i64,
        page_size: u64,
        page: u64,
    ) -> StoreResult<(Vec<MemberRow>, u64)> {
        let total = self.member_count(group_id).await?;
        let page_size = page_size.max(1);
        let Some(offset) = page.checked_mul(page_size).filter(|offset| *offset < total) else {
            return Ok((Vec::new(), total));
        };
        let rows = memberships::Entity::find()
            .select_only()
            .column_as(users::Column::Id, "user_id")
            .column(users::Column::Email)
            .column(users::Column::Name)
            .column(users::Column::Active)
            .column(memberships::Column::Role)
            .join(JoinType::InnerJoin, memberships::Relation::User.def())
            .filter(memberships::Column::GroupId.eq(group_id))
            .order_by_asc(users::Column::Name)
            .order_by_asc(users::Column::Id)
            .offset(offset)
            .limit(page_size)
            .into_model::<MemberRow>()
            .all(&self.db)
            .await?;
        Ok((rows, total))
    }

    /// How many direct members a group has.
    pub async fn member_count(&self, group_id: i64) -> StoreResult<u64> {
        Ok(memberships::Entity::find()
            .filter(memberships::Column::GroupId.eq(group_id))
            .count(&self.db)
            .await?)
    }
}
