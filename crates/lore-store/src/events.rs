//! The append-only event log: one row per learning action.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use crate::entities::events;
use crate::{Store, StoreResult, Timestamp};

pub type EventRow = events::Model;

/// One learning action about to be recorded.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub user_id: i64,
    pub verb: &'static str,
    pub course_id: Option<i64>,
    pub version_number: Option<i32>,
    pub step_key: Option<String>,
    pub data: Option<String>,
}

/// An event as the outbox carries it (docs/events.md).
pub fn event_json(e: &EventRow) -> serde_json::Value {
    serde_json::json!({
        "id": e.id,
        "user_id": e.user_id,
        "verb": e.verb,
        "course_id": e.course_id,
        "version_number": e.version_number,
        "step_key": e.step_key,
        "data": e.data.as_deref().and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok()),
        "occurred_at": e.occurred_at.format(&time::format_description::well_known::Rfc3339).ok(),
    })
}

impl Store {
    /// Append an event and its outbox row, together: in the caller's unit of work when there
    /// is one, else in a transaction of their own.
    pub async fn append_event(&self, e: NewEvent, now: Timestamp) -> StoreResult<EventRow> {
        let tx = self.write_tx().await?;
        let row = events::ActiveModel {
            user_id: Set(e.user_id),
            verb: Set(e.verb.to_owned()),
            course_id: Set(e.course_id),
            version_number: Set(e.version_number),
            step_key: Set(e.step_key),
            data: Set(e.data),
            occurred_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        crate::outbox::put(
            &tx,
            self.backend,
            "event",
            row.id,
            Some(row.user_id),
            event_json(&row).to_string(),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Every event, oldest first, a page at a time (for replays).
    pub async fn events_after(&self, after_id: i64, limit: u64) -> StoreResult<Vec<EventRow>> {
        use sea_orm::QuerySelect;
        Ok(events::Entity::find()
            .filter(events::Column::Id.gt(after_id))
            .order_by_asc(events::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    /// Every event of some verbs in one course, oldest first (for analytics).
    pub async fn course_events(
        &self,
        course_id: i64,
        verbs: &[&str],
    ) -> StoreResult<Vec<EventRow>> {
        Ok(events::Entity::find()
            .filter(events::Column::CourseId.eq(course_id))
            .filter(events::Column::Verb.is_in(verbs.iter().map(|v| (*v).to_owned())))
            .order_by_asc(events::Column::OccurredAt)
            .order_by_asc(events::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// A person's events in one course, oldest first.
    pub async fn events_of(&self, user_id: i64, course_id: i64) -> StoreResult<Vec<EventRow>> {
        Ok(events::Entity::find()
            .filter(events::Column::UserId.eq(user_id))
            .filter(events::Column::CourseId.eq(course_id))
            .order_by_asc(events::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// How many times a person did `verb` since `since` (for limits that withdrawals must
    /// not reset).
    pub async fn count_events_since(
        &self,
        user_id: i64,
        verb: &str,
        since: Timestamp,
    ) -> StoreResult<u64> {
        Ok(events::Entity::find()
            .filter(events::Column::UserId.eq(user_id))
            .filter(events::Column::Verb.eq(verb))
            .filter(events::Column::OccurredAt.gt(since))
            .count(&self.db)
            .await?)
    }
}
