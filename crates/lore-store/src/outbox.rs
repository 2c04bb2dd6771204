//! The outbox: every event and notification writes one row here in its own transaction, and
//! consumers read the rows in a fixed order from a cursor of their own.
//!
//! The order is `(tx_id, id)`. On SQLite writers take turns, so ids grow in commit order and
//! `tx_id` is 0. On PostgreSQL ids are handed out before commit, so a row with a smaller id
//! can become visible after one with a larger id; a consumer that moved past the larger id
//! would never see it. There each row carries its transaction's id, and readers take only
//! rows of transactions older than every transaction still running
//! (`pg_snapshot_xmin(pg_current_snapshot())`): that set never grows below the cursor, so
//! nothing is skipped. (docs/decisions/0010-outbox.md)

use sea_orm::sea_query::{Expr, OnConflict, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entities::{outbox, outbox_cursors};
use crate::{Backend, Store, StoreResult, Timestamp};

pub type OutboxRow = outbox::Model;

/// A place in the outbox: after the row `(tx_id, id)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct OutboxPosition {
    pub tx_id: i64,
    pub id: i64,
}

impl OutboxRow {
    pub fn position(&self) -> OutboxPosition {
        OutboxPosition {
            tx_id: self.tx_id,
            id: self.id,
        }
    }
}

const XACT_ID: &str = "pg_current_xact_id()::text::bigint";
pub(crate) const XMIN: &str = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

/// Write one outbox row on `conn` (the transaction that wrote the row it announces).
pub(crate) async fn put(
    conn: &impl ConnectionTrait,
    backend: Backend,
    topic: &str,
    row_id: i64,
    user_id: Option<i64>,
    payload: String,
    now: Timestamp,
) -> StoreResult<()> {
    let tx_id: SimpleExpr = match backend {
        Backend::Sqlite => Expr::value(0i64),
        Backend::Postgres => Expr::cust(XACT_ID),
    };
    let insert = Query::insert()
        .into_table(outbox::Entity)
        .columns([
            outbox::Column::TxId,
            outbox::Column::Topic,
            outbox::Column::RowId,
            outbox::Column::UserId,
            outbox::Column::Payload,
            outbox::Column::CreatedAt,
        ])
        .values_panic([
            tx_id,
            topic.into(),
            row_id.into(),
            user_id.into(),
            payload.into(),
            now.into(),
        ])
        .to_owned();
    conn.execute(&insert).await?;
    Ok(())
}

impl Store {
    /// Up to `limit` rows after `after`, in outbox order; only rows whose place is final.
    pub async fn outbox_after(
        &self,
        after: OutboxPosition,
        limit: u64,
    ) -> StoreResult<Vec<OutboxRow>> {
        let mut q = outbox::Entity::find()
            .filter(
                Condition::any()
                    .add(outbox::Column::TxId.gt(after.tx_id))
                    .add(
                        Condition::all()
                            .add(outbox::Column::TxId.eq(after.tx_id))
                            .add(outbox::Column::Id.gt(after.id)),
                    ),
            )
            .order_by_asc(outbox::Column::TxId)
            .order_by_asc(outbox::Column::Id)
            .limit(limit);
        if self.backend == Backend::Postgres {
            q = q.filter(Expr::cust(format!("\"tx_id\" < {XMIN}")));
        }
        Ok(q.all(&self.db).await?)
    }

    /// The place after the last row whose place is final: where a consumer that wants only
    /// what happens from now on starts.
    pub async fn outbox_end(&self) -> StoreResult<OutboxPosition> {
        let mut q = outbox::Entity::find()
            .order_by_desc(outbox::Column::TxId)
            .order_by_desc(outbox::Column::Id)
            .limit(1);
        if self.backend == Backend::Postgres {
            q = q.filter(Expr::cust(format!("\"tx_id\" < {XMIN}")));
        }
        Ok(q.one(&self.db)
            .await?
            .map(|r| r.position())
            .unwrap_or_default())
    }

    /// Make `consumer` known at the start of the outbox, unless it already is: from then on
    /// pruning keeps the rows it has not acknowledged (up to the maximum age).
    pub async fn register_outbox_consumer(
        &self,
        consumer: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        outbox_cursors::Entity::insert(outbox_cursors::ActiveModel {
            consumer: Set(consumer.to_owned()),
            tx_id: Set(0),
            outbox_id: Set(0),
            updated_at: Set(now),
        })
        .on_conflict_do_nothing_on([outbox_cursors::Column::Consumer])
        .exec(&self.db)
        .await?;
        Ok(())
    }

    /// Delete up to `limit` rows written before `acknowledged_before` that every known
    /// consumer has acknowledged, and rows written before `abandoned_before` whoever has
    /// not. Returns how many went.
    pub async fn prune_outbox(
        &self,
        acknowledged_before: Timestamp,
        abandoned_before: Timestamp,
        limit: u64,
    ) -> StoreResult<u64> {
        // A row is still wanted by a consumer whose cursor is before it in `(tx_id, id)`
        // order. The ids are chosen first so one pass deletes a bounded number of rows.
        let r = self
            .db
            .execute_raw(self.raw(
                "DELETE FROM outbox WHERE id IN (SELECT o.id FROM outbox o \
                 WHERE o.created_at < $1 AND (o.created_at < $2 OR NOT EXISTS ( \
                   SELECT 1 FROM outbox_cursors c WHERE c.tx_id < o.tx_id \
                   OR (c.tx_id = o.tx_id AND c.outbox_id < o.id))) \
                 ORDER BY o.tx_id, o.id LIMIT $3)",
                vec![
                    acknowledged_before.into(),
                    abandoned_before.into(),
                    i64::try_from(limit).unwrap_or(i64::MAX).into(),
                ],
            ))
            .await?;
        Ok(r.rows_affected())
    }

    /// Where a durable consumer stopped; `None` for a consumer not yet known.
    pub async fn outbox_cursor(&self, consumer: &str) -> StoreResult<Option<OutboxPosition>> {
        Ok(outbox_cursors::Entity::find_by_id(consumer.to_owned())
            .one(&self.db)
            .await?
            .map(|c| OutboxPosition {
                tx_id: c.tx_id,
                id: c.outbox_id,
            }))
    }

    /// Record that `consumer` has handled everything up to `at`.
    pub async fn save_outbox_cursor(
        &self,
        consumer: &str,
        at: OutboxPosition,
        now: Timestamp,
    ) -> StoreResult<()> {
        outbox_cursors::Entity::insert(outbox_cursors::ActiveModel {
            consumer: Set(consumer.to_owned()),
            tx_id: Set(at.tx_id),
            outbox_id: Set(at.id),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(outbox_cursors::Column::Consumer)
                .update_columns([
                    outbox_cursors::Column::TxId,
                    outbox_cursors::Column::OutboxId,
                    outbox_cursors::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(&self.db)
        .await?;
        Ok(())
    }

    /// How many outbox rows there are (for tests and operators).
    pub async fn outbox_total(&self) -> StoreResult<u64> {
        use sea_orm::PaginatorTrait;
        Ok(outbox::Entity::find().count(&self.db).await?)
    }

    /// How many outbox rows there are of a topic (for tests and operators).
    pub async fn outbox_count(&self, topic: &str) -> StoreResult<u64> {
        use sea_orm::PaginatorTrait;
        Ok(outbox::Entity::find()
            .filter(outbox::Column::Topic.eq(topic))
            .count(&self.db)
            .await?)
    }
}
