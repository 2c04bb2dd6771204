//! Notifications, each person's mail choices, and the read marks.

use sea_orm::sea_query::Query;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::entities::{notification_prefs, notifications};
use crate::jobs::{NewJob, new_job};
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

/// Leaves out the kinds the person chose not to see in the app (`notification_prefs`).
pub(crate) const SHOWN_IN_APP: &str = "NOT EXISTS (SELECT 1 FROM notification_prefs np \
     WHERE np.user_id = notifications.user_id AND np.kind = notifications.kind \
     AND np.in_app = FALSE)";

impl Store {
    pub async fn insert_notification(
        &self,
        n: NewNotification,
        now: Timestamp,
    ) -> StoreResult<NotificationRow> {
        let tx = self.write_tx().await?;
        let row = notifications::ActiveModel {
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
        .insert(&tx)
        .await?;
        let payload = serde_json::json!({
            "id": row.id,
            "user_id": row.user_id,
            "kind": row.kind,
            "link": row.link,
        });
        crate::outbox::put(
            &tx,
            self.backend,
            "notification",
            row.id,
            Some(row.user_id),
            payload.to_string(),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    pub async fn notification(&self, id: i64) -> StoreResult<Option<NotificationRow>> {
        Ok(notifications::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// A person's newest notifications first (those they see in the app).
    pub async fn notifications_of(
        &self,
        user_id: i64,
        limit: u64,
    ) -> StoreResult<Vec<NotificationRow>> {
        Ok(notifications::Entity::find()
            .filter(notifications::Column::UserId.eq(user_id))
            .filter(Expr::cust(SHOWN_IN_APP))
            .order_by_desc(notifications::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    pub async fn unread_count(&self, user_id: i64) -> StoreResult<u64> {
        Ok(notifications::Entity::find()
            .filter(notifications::Column::UserId.eq(user_id))
            .filter(Expr::cust(SHOWN_IN_APP))
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
        Ok(self
            .notification_choices(user_id)
            .await?
            .into_iter()
            .map(|(k, m, _)| (k, m))
            .collect())
    }

    /// The person's stored choices: (kind, mail mode, shown in the app).
    pub async fn notification_choices(
        &self,
        user_id: i64,
    ) -> StoreResult<Vec<(String, String, bool)>> {
        Ok(notification_prefs::Entity::find()
            .filter(notification_prefs::Column::UserId.eq(user_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.kind, p.mode, p.in_app))
            .collect())
    }

    /// Store a kind's mail mode and whether it shows in the app.
    pub async fn set_notification_choice(
        &self,
        user_id: i64,
        kind: &str,
        mode: &str,
        in_app: bool,
    ) -> StoreResult<()> {
        notification_prefs::Entity::insert(notification_prefs::ActiveModel {
            user_id: Set(user_id),
            kind: Set(kind.to_owned()),
            mode: Set(mode.to_owned()),
            in_app: Set(in_app),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([
                notification_prefs::Column::UserId,
                notification_prefs::Column::Kind,
            ])
            .update_columns([
                notification_prefs::Column::Mode,
                notification_prefs::Column::InApp,
            ])
            .to_owned(),
        )
        .exec(&self.db)
        .await?;
        Ok(())
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

    /// Take every digest notification created before `cutoff` that no digest has taken
    /// yet (setting its `mailed_at` to `now`), and queue the job `job_for` makes for each
    /// person's share, in one transaction. The `UPDATE … RETURNING` takes each row once,
    /// however many servers sweep at the same moment. Returns how many jobs were queued.
    pub async fn queue_digests(
        &self,
        cutoff: Timestamp,
        now: Timestamp,
        job_for: impl Fn(i64, &[NotificationRow]) -> Option<NewJob>,
    ) -> StoreResult<usize> {
        let take = Query::update()
            .table(notifications::Entity)
            .value(notifications::Column::MailedAt, now)
            .and_where(notifications::Column::MailMode.eq("digest"))
            .and_where(notifications::Column::MailedAt.is_null())
            .and_where(notifications::Column::CreatedAt.lt(cutoff))
            .returning_all()
            .to_owned();
        let tx = self.write_tx().await?;
        let statement = tx.get_database_backend().build(&take);
        let mut taken = notifications::Entity::find()
            .from_raw_sql(statement)
            .all(&tx)
            .await?;
        taken.sort_by_key(|n| (n.user_id, n.id));
        let mut queued = 0;
        for share in taken.chunk_by(|a, b| a.user_id == b.user_id) {
            let Some(first) = share.first() else { continue };
            if let Some(job) = job_for(first.user_id, share) {
                new_job(job.kind, job.payload, now, job.max_attempts, now)
                    .insert(&tx)
                    .await?;
                queued += 1;
            }
        }
        tx.commit().await?;
        Ok(queued)
    }

    /// These notifications of one person, oldest first (ids of others are ignored).
    pub async fn notifications_by_ids(
        &self,
        user_id: i64,
        ids: &[i64],
    ) -> StoreResult<Vec<NotificationRow>> {
        Ok(notifications::Entity::find()
            .filter(notifications::Column::UserId.eq(user_id))
            .filter(notifications::Column::Id.is_in(ids.iter().copied()))
            .order_by_asc(notifications::Column::Id)
            .all(&self.db)
            .await?)
    }
}
