//! Queries on `sessions`.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entities::sessions;
use crate::{Store, StoreError, StoreResult, Timestamp};

pub type SessionRow = sessions::Model;

/// A session about to be stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub user_agent: String,
    pub ip: String,
    pub expires_at: Timestamp,
}

impl Store {
    pub async fn insert_session(&self, new: NewSession, now: Timestamp) -> StoreResult<SessionRow> {
        sessions::ActiveModel {
            token_hash: Set(new.token_hash),
            user_id: Set(new.user_id),
            csrf_token: Set(new.csrf_token),
            user_agent: Set(new.user_agent),
            ip: Set(new.ip),
            created_at: Set(now),
            last_seen_at: Set(now),
            expires_at: Set(new.expires_at),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from_db)
    }

    pub async fn session_by_hash(&self, token_hash: &str) -> StoreResult<Option<SessionRow>> {
        Ok(sessions::Entity::find()
            .filter(sessions::Column::TokenHash.eq(token_hash))
            .one(&self.db)
            .await?)
    }

    /// Record activity and push the expiry out (sliding sessions).
    pub async fn touch_session(
        &self,
        id: i64,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<()> {
        sessions::ActiveModel {
            id: Set(id),
            last_seen_at: Set(now),
            expires_at: Set(expires_at),
            ..Default::default()
        }
        .update(&self.db)
        .await?;
        Ok(())
    }

    pub async fn sessions_of(&self, user_id: i64) -> StoreResult<Vec<SessionRow>> {
        Ok(sessions::Entity::find()
            .filter(sessions::Column::UserId.eq(user_id))
            .order_by_desc(sessions::Column::LastSeenAt)
            .all(&self.db)
            .await?)
    }

    /// Delete one session of a user; `false` if it was not theirs or did not exist.
    pub async fn delete_session(&self, user_id: i64, id: i64) -> StoreResult<bool> {
        let r = sessions::Entity::delete_many()
            .filter(sessions::Column::UserId.eq(user_id))
            .filter(sessions::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected > 0)
    }

    /// Delete every session of a user, except `keep` if given. Returns how many went.
    pub async fn delete_sessions_of(&self, user_id: i64, keep: Option<i64>) -> StoreResult<u64> {
        let mut q = sessions::Entity::delete_many().filter(sessions::Column::UserId.eq(user_id));
        if let Some(k) = keep {
            q = q.filter(sessions::Column::Id.ne(k));
        }
        Ok(q.exec(&self.db).await?.rows_affected)
    }

    pub async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64> {
        Ok(sessions::Entity::delete_many()
            .filter(sessions::Column::ExpiresAt.lt(now))
            .exec(&self.db)
            .await?
            .rows_affected)
    }
}
