//! Queries on `users`.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::entities::{sessions, users};
use crate::tokens::revoke_tokens_of;
use crate::{Store, StoreError, StoreResult, Timestamp};

/// A new account as the app decided it.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: Option<String>,
    pub platform_admin: bool,
}

impl Store {
    pub async fn insert_user(&self, new: NewUser<'_>, now: Timestamp) -> StoreResult<users::Model> {
        users::ActiveModel {
            email: Set(new.email.to_owned()),
            name: Set(new.name.to_owned()),
            password_hash: Set(new.password_hash),
            platform_admin: Set(new.platform_admin),
            active: Set(true),
            manager_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from_db)
    }

    pub async fn user(&self, id: i64) -> StoreResult<Option<users::Model>> {
        Ok(users::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn user_by_email(&self, email: &str) -> StoreResult<Option<users::Model>> {
        Ok(users::Entity::find()
            .filter(users::Column::Email.eq(email))
            .one(&self.db)
            .await?)
    }

    /// One page (from 0) of users ordered by name, with the total; optionally only those whose name or email contains `query`.
    pub async fn list_users(
        &self,
        query: Option<&str>,
        page_size: u64,
        page: u64,
    ) -> StoreResult<(Vec<users::Model>, u64)> {
        let mut select = users::Entity::find();
        if let Some(q) = query.map(str::trim).filter(|q| !q.is_empty()) {
            // LIKE differs in case handling between engines; compare lower-cased on both.
            let pattern = format!("%{}%", q.to_lowercase().replace(['%', '_'], ""));
            select = select.filter(
                sea_orm::Condition::any()
                    .add(sea_orm::sea_query::Expr::cust_with_values(
                        "LOWER(name) LIKE $1",
                        [pattern.clone()],
                    ))
                    .add(users::Column::Email.like(pattern)),
            );
        }
        let total = select.clone().count(&self.db).await?;
        let page_size = page_size.max(1);
        // A page past the end is empty. Checking first also keeps a huge page number (from a
        // query string) from overflowing the offset, which panicked or reached the database
        // as a nonsense value.
        if page
            .checked_mul(page_size)
            .is_none_or(|offset| offset >= total)
        {
            return Ok((Vec::new(), total));
        }
        let rows = select
            .order_by_asc(users::Column::Name)
            .order_by_asc(users::Column::Id)
            .paginate(&self.db, page_size)
            .fetch_page(page)
            .await?;
        Ok((rows, total))
    }

    pub async fn count_users(&self) -> StoreResult<u64> {
        Ok(users::Entity::find().count(&self.db).await?)
    }

    pub async fn set_password_hash(
        &self,
        id: i64,
        hash: String,
        now: Timestamp,
    ) -> StoreResult<()> {
        users::ActiveModel {
            id: Set(id),
            password_hash: Set(Some(hash)),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(&self.db)
        .await?;
        Ok(())
    }

    /// Deactivate a user, all or nothing: they can no longer sign in, their sessions are
    /// deleted and their API tokens revoked, so reactivating them later revives neither.
    /// Returns how many tokens were revoked.
    pub async fn deactivate_user(&self, id: i64, now: Timestamp) -> StoreResult<u64> {
        let tx = self.write_tx().await?;
        set_active(&tx, id, false, now).await?;
        sessions::Entity::delete_many()
            .filter(sessions::Column::UserId.eq(id))
            .exec(&tx)
            .await?;
        let revoked = revoke_tokens_of(&tx, id, now).await?;
        tx.commit().await?;
        Ok(revoked)
    }

    /// Reactivate a user. If they were inactive, any token of theirs still live is revoked
    /// in the same transaction: it predates the deactivation (made before deactivation
    /// revoked tokens, or by a request that raced it), and must not come back to life.
    /// Returns how many tokens were revoked.
    pub async fn reactivate_user(&self, id: i64, now: Timestamp) -> StoreResult<u64> {
        let tx = self.write_tx().await?;
        let inactive = users::Entity::find_by_id(id)
            .one(&tx)
            .await?
            .is_some_and(|u| !u.active);
        let revoked = if inactive {
            revoke_tokens_of(&tx, id, now).await?
        } else {
            0
        };
        set_active(&tx, id, true, now).await?;
        tx.commit().await?;
        Ok(revoked)
    }

    pub async fn set_platform_admin(
        &self,
        id: i64,
        admin: bool,
        now: Timestamp,
    ) -> StoreResult<()> {
        users::ActiveModel {
            id: Set(id),
            platform_admin: Set(admin),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(&self.db)
        .await?;
        Ok(())
    }
}

async fn set_active(
    conn: &impl ConnectionTrait,
    id: i64,
    active: bool,
    now: Timestamp,
) -> StoreResult<()> {
    users::ActiveModel {
        id: Set(id),
        active: Set(active),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
}
