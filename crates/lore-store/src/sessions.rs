//! Queries on `sessions`.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entities::sessions;
use crate::users::CallerRecord;
use crate::{Store, StoreError, StoreResult, Timestamp};

pub type SessionRow = sessions::Model;

/// A session found by its token hash, with its person read in the same statement.
#[derive(Debug, Clone)]
pub struct SessionLookup {
    pub id: i64,
    pub user_id: i64,
    pub csrf_token: String,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
    /// The person, if their account is active.
    pub person: Option<CallerRecord>,
}

/// `who` of the caller statement (see `users::caller_sql`) for a session's token hash.
const WHO_BY_SESSION: &str = "SELECT id AS cred_id, user_id, csrf_token, \
     last_seen_at AS seen_at, expires_at AS ends_at FROM sessions WHERE token_hash = $1";

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

    /// The session with this token hash and its person (memberships, the groups above them,
    /// unread count), in one statement: the whole cost of knowing who a request is from.
    pub async fn session_lookup(&self, token_hash: &str) -> StoreResult<Option<SessionLookup>> {
        let Some((session, person)) = self
            .credential_and_caller(WHO_BY_SESSION, token_hash.into())
            .await?
        else {
            return Ok(None);
        };
        let missing = || StoreError::Db(sea_orm::DbErr::Custom("a session column was NULL".into()));
        Ok(Some(SessionLookup {
            id: session.id.ok_or_else(missing)?,
            user_id: session.user_id,
            csrf_token: session.csrf_token.ok_or_else(missing)?,
            last_seen_at: session.seen_at.ok_or_else(missing)?,
            expires_at: session.ends_at.ok_or_else(missing)?,
            person,
        }))
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
