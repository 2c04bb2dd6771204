//! Queries on `one_time_links` (invitations and password resets).

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::entities::one_time_links;
use crate::{Store, StoreError, StoreResult, Timestamp};

pub type LinkRow = one_time_links::Model;

impl Store {
    pub async fn insert_link(
        &self,
        user_id: i64,
        purpose: &str,
        token_hash: String,
        created_by: Option<i64>,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<LinkRow> {
        one_time_links::ActiveModel {
            token_hash: Set(token_hash),
            user_id: Set(user_id),
            purpose: Set(purpose.to_owned()),
            created_by: Set(created_by),
            created_at: Set(now),
            expires_at: Set(expires_at),
            used_at: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from_db)
    }

    pub async fn link_by_hash(&self, token_hash: &str) -> StoreResult<Option<LinkRow>> {
        Ok(one_time_links::Entity::find()
            .filter(one_time_links::Column::TokenHash.eq(token_hash))
            .one(&self.db)
            .await?)
    }

    /// Mark a link used; `false` when someone used it first (the link stays single-use
    /// even when two tabs submit at once).
    pub async fn use_link(&self, id: i64, now: Timestamp) -> StoreResult<bool> {
        let r = one_time_links::Entity::update_many()
            .col_expr(
                one_time_links::Column::UsedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(one_time_links::Column::Id.eq(id))
            .filter(one_time_links::Column::UsedAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected > 0)
    }

    /// Kill unused links of a user for a purpose (a new one replaces them).
    pub async fn expire_links_of(
        &self,
        user_id: i64,
        purpose: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        one_time_links::Entity::update_many()
            .col_expr(
                one_time_links::Column::UsedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(one_time_links::Column::UserId.eq(user_id))
            .filter(one_time_links::Column::Purpose.eq(purpose))
            .filter(one_time_links::Column::UsedAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
