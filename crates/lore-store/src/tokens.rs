//! Queries on `api_tokens`.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::entities::api_tokens;
use crate::users::CallerRecord;
use crate::{Store, StoreError, StoreResult, Timestamp};

pub type TokenRow = api_tokens::Model;

/// A live (unrevoked) API token found by its hash, with its person read in the same statement.
#[derive(Debug, Clone)]
pub struct TokenLookup {
    pub id: i64,
    pub last_used_at: Option<Timestamp>,
    /// The person, if their account is active.
    pub person: Option<CallerRecord>,
}

/// `who` of the caller statement (see `users::caller_sql`) for a live token's hash.
const WHO_BY_TOKEN: &str = "SELECT id AS cred_id, user_id, CAST(NULL AS TEXT) AS csrf_token, \
     last_used_at AS seen_at, CAST(NULL AS TIMESTAMPTZ) AS ends_at FROM api_tokens \
     WHERE token_hash = $1 AND revoked_at IS NULL";

impl Store {
    pub async fn insert_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: String,
        prefix: String,
        now: Timestamp,
    ) -> StoreResult<TokenRow> {
        api_tokens::ActiveModel {
            user_id: Set(user_id),
            name: Set(name.to_owned()),
            token_hash: Set(token_hash),
            prefix: Set(prefix),
            created_at: Set(now),
            last_used_at: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from_db)
    }

    /// The live token with this hash and its person (memberships, the groups above them),
    /// in one statement.
    pub async fn token_lookup(&self, token_hash: &str) -> StoreResult<Option<TokenLookup>> {
        let Some((token, person)) = self
            .credential_and_caller(WHO_BY_TOKEN, token_hash.into())
            .await?
        else {
            return Ok(None);
        };
        let id = token
            .id
            .ok_or_else(|| StoreError::Db(DbErr::Custom("a token without an id".to_owned())))?;
        Ok(Some(TokenLookup {
            id,
            last_used_at: token.seen_at,
            person,
        }))
    }

    pub async fn tokens_of(&self, user_id: i64) -> StoreResult<Vec<TokenRow>> {
        Ok(api_tokens::Entity::find()
            .filter(api_tokens::Column::UserId.eq(user_id))
            .order_by_desc(api_tokens::Column::CreatedAt)
            .order_by_desc(api_tokens::Column::Id)
            .all(&self.db)
            .await?)
    }

    pub async fn mark_token_used(&self, id: i64, now: Timestamp) -> StoreResult<()> {
        api_tokens::ActiveModel {
            id: Set(id),
            last_used_at: Set(Some(now)),
            ..Default::default()
        }
        .update(&self.db)
        .await?;
        Ok(())
    }

    /// Revoke one of a user's tokens; `false` if it is not theirs or already revoked.
    pub async fn revoke_token(&self, user_id: i64, id: i64, now: Timestamp) -> StoreResult<bool> {
        let r = api_tokens::Entity::update_many()
            .col_expr(
                api_tokens::Column::RevokedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(api_tokens::Column::UserId.eq(user_id))
            .filter(api_tokens::Column::Id.eq(id))
            .filter(api_tokens::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected > 0)
    }
}

/// Revoke every live token of a user (inside the caller's transaction); returns how many.
pub(crate) async fn revoke_tokens_of(
    conn: &impl ConnectionTrait,
    user_id: i64,
    now: Timestamp,
) -> Result<u64, DbErr> {
    Ok(api_tokens::Entity::update_many()
        .col_expr(
            api_tokens::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(api_tokens::Column::UserId.eq(user_id))
        .filter(api_tokens::Column::RevokedAt.is_null())
        .exec(conn)
        .await?
        .rows_affected)
}
