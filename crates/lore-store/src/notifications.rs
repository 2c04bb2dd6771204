//! Notifications, each person's mail choices, and the read marks.

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::entities::{notification_prefs, notifications};
use crate::{Store, StoreResult, Timestamp};

pub type NotificationRow = notifications::Model;

/// A notification about to be stored.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub user_id: i64,
    pub kind: &'static str,
    pub title: String,
    pub body: String,
    pub link: String,
    pub actor_id: Option<i64>,
    /// `instant` or `digest` when mail is owed; `None` when the person wants none.
    pub mail_mode: Option<&'static str>,
}

impl Store {
    pub async fn insert_notification(
        &self,
        n: NewNotification,
        now: Timestamp,
    ) -> StoreResult<NotificationRow> {
        Ok(notifications::ActiveModel {
            user_id: Set(n.user_id),
            kind: Set(n.kind.to_owned()),
            title: Set(n.title),
            body: Set(n.body),
            link: Set(n.link),
            actor_id: Set(n.actor_id),
            created_at: Set(now),
            read_at: Set(None),
            mail_mode: Set(n.mail_mode.map(str::to_owned)),
            mailed_at: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await?)
    }

    pub async fn notification(&self, id: i64) -> StoreResult<Option<NotificationRow>> {
        Ok(notifications::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// A person's newest notifications first.
    pub async fn notifications_of(
        &self,
        user_id: i64,
        limit: u64,
    ) -> StoreResult<Vec<NotificationRow>> {
        Ok(notifications::Entity::find()
            .filter(notifications::Column::UserId.eq(user_id))
            .order_by_desc(notifications::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    pub async fn unread_count(&self, user_id: i64) -> StoreResult<u64> {
        Ok(notifications::Entity::find()
            .filter(notifications::Column::UserId.eq(user_id))
            .filter(notifications::Column::ReadAt.is_null())
            .count(&self.db)
            .await?)
    }

    /// Mark one of the person's notifications read; `false` when it is not theirs.
    pub async fn mark_read(&self, user_id: i64, id: i64, now: Timestamp) -> StoreResult<bool> {
        let found = notifications::Entity::find_by_id(id)
            .filter(notifications::Column::UserId.eq(user_id))
            .count(&self.db)
            .await?;
        notifications::Entity::update_many()
            .col_expr(notifications::Column::ReadAt, Expr::value(now))
            .filter(notifications::Column::Id.eq(id))
            .filter(notifications::Column::UserId.eq(user_id))
            .filter(notifications::Column::ReadAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(found == 1)
    }

    pub async fn mark_all_read(&self, user_id: i64, now: Timestamp) -> StoreResult<u64> {
        Ok(notifications::Entity::update_many()
            .col_expr(notifications::Column::ReadAt, Expr::value(now))
            .filter(notifications::Column::UserId.eq(user_id))
            .filter(notifications::Column::ReadAt.is_null())
            .exec(&self.db)
            .await?
            .rows_affected)
    }

    /// Record that the mail for a notification went out.
    pub async fn mark_mailed(&self, ids: &[i64], now: Timestamp) -> StoreResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        notifications::Entity::update_many()
            .col_expr(notifications::Column::MailedAt, Expr::value(now))
            .filter(notifications::Column::Id.is_in(ids.iter().copied()))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// The person's mail choices that differ from the defaults: (kind, mode).
    pub async fn notification_prefs(&self, user_id: i64) -> StoreResult<Vec<(String, String)>> {
        Ok(notification_prefs::Entity::find()
            .filter(notification_prefs::Column::UserId.eq(user_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.kind, p.mode))
            .collect())
    }

    pub async fn set_notification_pref(
        &self,
        user_id: i64,
        kind: &str,
        mode: &str,
    ) -> StoreResult<()> {
        notification_prefs::Entity::insert(notification_prefs::ActiveModel {
            user_id: Set(user_id),
            kind: Set(kind.to_owned()),
            mode: Set(mode.to_owned()),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([
                notification_prefs::Column::UserId,
                notification_prefs::Column::Kind,
            ])
            .update_column(notification_prefs::Column::Mode)
            .to_owned(),
        )
        .exec(&self.db)
        .await?;
        Ok(())
    }
}
