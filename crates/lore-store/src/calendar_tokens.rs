//! The hashed tokens of personal calendar feeds: one live token per person at most.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::entities::calendar_tokens;
use crate::{Store, StoreResult, Timestamp};

impl Store {
    /// A new calendar token for a person; older ones are revoked.
    pub async fn put_calendar_token(
        &self,
        user_id: i64,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        self.revoke_calendar_tokens(user_id, now).await?;
        calendar_tokens::ActiveModel {
            user_id: Set(user_id),
            token_hash: Set(token_hash.to_owned()),
            created_at: Set(now),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(())
    }

    pub async fn revoke_calendar_tokens(&self, user_id: i64, now: Timestamp) -> StoreResult<u64> {
        let r = calendar_tokens::Entity::update_many()
            .col_expr(calendar_tokens::Column::RevokedAt, Expr::value(now))
            .filter(calendar_tokens::Column::UserId.eq(user_id))
            .filter(calendar_tokens::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected)
    }

    /// The person a live calendar token belongs to.
    pub async fn calendar_owner(&self, token_hash: &str) -> StoreResult<Option<i64>> {
        Ok(calendar_tokens::Entity::find()
            .filter(calendar_tokens::Column::TokenHash.eq(token_hash))
            .filter(calendar_tokens::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?
            .map(|t| t.user_id))
    }

    /// When the person's live calendar token was made, if they have one.
    pub async fn calendar_token_since(&self, user_id: i64) -> StoreResult<Option<Timestamp>> {
        Ok(calendar_tokens::Entity::find()
            .filter(calendar_tokens::Column::UserId.eq(user_id))
            .filter(calendar_tokens::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?
            .map(|t| t.created_at))
    }
}
