//! The append-only event log: one row per learner and author action, with its context
//! (docs/events.md).

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::entities::events;
use crate::{Store, StoreResult, Timestamp};

pub type EventRow = events::Model;

/// One action about to be recorded: who, the verb, what it is about (course, version, step,
/// attempt, need), its context (registration, group) and the verb's own details in `data`.
#[derive(Debug, Clone, Default)]
pub struct NewEvent {
    pub user_id: i64,
    pub verb: &'static str,
    pub course_id: Option<i64>,
    pub version_number: Option<i32>,
    pub step_key: Option<String>,
    pub attempt_id: Option<i64>,
    pub need_id: Option<i64>,
    pub registration: Option<String>,
    pub group_id: Option<i64>,
    pub data: Option<String>,
}

/// Where an action in a course happens: the course's owning group, and the person's
/// enrolment (its registration) when they are enrolled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CourseEventContext {
    pub group_id: Option<i64>,
    pub registration: Option<String>,
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
        "attempt_id": e.attempt_id,
        "need_id": e.need_id,
        "registration": e.registration,
        "group_id": e.group_id,
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
            attempt_id: Set(e.attempt_id),
            need_id: Set(e.need_id),
            registration: Set(e.registration),
            group_id: Set(e.group_id),
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
        crate::funnel_rollup::on_event(&tx, self.backend, &row).await?;
        crate::activity_rollup::on_event(&tx, self.backend, &row).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// The context of `user_id`'s actions in a course, in one statement.
    pub async fn course_event_context(
        &self,
        user_id: i64,
        course_id: i64,
    ) -> StoreResult<CourseEventContext> {
        let row = self
            .db
            .query_one_raw(self.raw(
                "SELECT c.group_id, e.registration FROM courses c \
                 LEFT JOIN enrolments e ON e.course_id = c.id AND e.user_id = $1 \
                 WHERE c.id = $2",
                vec![user_id.into(), course_id.into()],
            ))
            .await?;
        Ok(match row {
            Some(r) => CourseEventContext {
                group_id: Some(r.try_get::<i64>("", "group_id")?),
                registration: r.try_get::<Option<String>>("", "registration")?,
            },
            None => CourseEventContext::default(),
        })
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
