//! Readers of the events in commit order (docs/decisions/0033): a named cursor each, locked
//! inside the reader's transaction so two servers take turns, and the settled events after
//! it with the names a reader needs (the person's, the course version's and the path's).

use sea_orm::{ConnectionTrait, QueryResult};

use crate::{Backend, EventPosition, EventRow, Store, StoreResult};

/// An event with what a reader shows of it.
#[derive(Debug, Clone)]
pub struct NamedEvent {
    pub position: EventPosition,
    pub event: EventRow,
    pub user_name: String,
    pub course_title: Option<String>,
    pub path_title: Option<String>,
}

fn named(r: &QueryResult) -> StoreResult<NamedEvent> {
    Ok(NamedEvent {
        position: EventPosition {
            tx_id: r.try_get("", "tx_id")?,
            id: r.try_get("", "id")?,
        },
        event: EventRow {
            id: r.try_get("", "id")?,
            user_id: r.try_get("", "user_id")?,
            verb: r.try_get("", "verb")?,
            course_id: r.try_get("", "course_id")?,
            version_number: r.try_get("", "version_number")?,
            step_key: r.try_get("", "step_key")?,
            attempt_id: r.try_get("", "attempt_id")?,
            need_id: r.try_get("", "need_id")?,
            registration: r.try_get("", "registration")?,
            group_id: r.try_get("", "group_id")?,
            data: r.try_get("", "data")?,
            occurred_at: r.try_get("", "occurred_at")?,
        },
        user_name: r.try_get("", "user_name")?,
        course_title: r.try_get("", "course_title")?,
        path_title: r.try_get("", "path_title")?,
    })
}

/// `AND e.tx_id < …` on PostgreSQL: only events of transactions older than every running
/// one, so a cursor never moves past an event that commits later (as the outbox).
pub(crate) fn settled(backend: Backend) -> String {
    match backend {
        Backend::Sqlite => String::new(),
        Backend::Postgres => format!("AND e.tx_id < {}", crate::outbox::XMIN),
    }
}

/// The path id in a `completed-path` event's data, as a column.
pub(crate) fn path_id(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "CAST(json_extract(e.data, '$.path') AS BIGINT)",
        Backend::Postgres => "CAST(CAST(e.data AS jsonb) ->> 'path' AS BIGINT)",
    }
}

impl Store {
    /// Reader `name`'s place, made at the start if new, and locked until the transaction
    /// this store is in ends (on PostgreSQL a row lock; SQLite's writers take turns anyway).
    pub async fn lock_event_cursor(&self, name: &str) -> StoreResult<EventPosition> {
        self.db
            .execute_raw(self.raw(
                "INSERT INTO event_cursors (name, tx_id, event_id) VALUES ($1, 0, 0)
                 ON CONFLICT (name) DO NOTHING",
                vec![name.into()],
            ))
            .await?;
        let lock = match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        };
        self.read_event_cursor(name, lock).await
    }

    async fn read_event_cursor(&self, name: &str, lock: &str) -> StoreResult<EventPosition> {
        let row = self
            .db
            .query_one_raw(self.raw(
                &format!("SELECT tx_id, event_id FROM event_cursors WHERE name = $1{lock}"),
                vec![name.into()],
            ))
            .await?;
        Ok(match row {
            Some(r) => EventPosition {
                tx_id: r.try_get("", "tx_id")?,
                id: r.try_get("", "event_id")?,
            },
            None => EventPosition::default(),
        })
    }

    /// Reader `name`'s place without a lock (the start if it is new): to see whether there
    /// is anything to do before taking the write lock.
    pub async fn event_cursor(&self, name: &str) -> StoreResult<EventPosition> {
        self.read_event_cursor(name, "").await
    }

    /// Move reader `name` past `to`.
    pub async fn set_event_cursor(&self, name: &str, to: EventPosition) -> StoreResult<()> {
        self.db
            .execute_raw(self.raw(
                "UPDATE event_cursors SET tx_id = $2, event_id = $3 WHERE name = $1",
                vec![name.into(), to.tx_id.into(), to.id.into()],
            ))
            .await?;
        Ok(())
    }

    /// Up to `limit` settled events after `after`, in commit order, with names.
    pub async fn named_events_after(
        &self,
        after: EventPosition,
        limit: u64,
    ) -> StoreResult<Vec<NamedEvent>> {
        let settled = settled(self.backend);
        let path_id = path_id(self.backend);
        let sql = format!(
            "SELECT e.tx_id, e.id, e.user_id, e.verb, e.course_id, e.version_number, e.step_key,
                    e.attempt_id, e.need_id, e.registration, e.group_id, e.data, e.occurred_at,
                    u.name AS user_name, v.title AS course_title, p.title AS path_title
               FROM events e
               JOIN users u ON u.id = e.user_id
               LEFT JOIN course_versions v
                      ON v.course_id = e.course_id AND v.number = e.version_number
               LEFT JOIN paths p ON e.verb = 'completed-path' AND p.id = {path_id}
              WHERE (e.tx_id, e.id) > ($1, $2) {settled}
              ORDER BY e.tx_id, e.id
              LIMIT $3"
        );
        let rows = self
            .db
            .query_all_raw(self.raw(
                &sql,
                vec![
                    after.tx_id.into(),
                    after.id.into(),
                    (limit.clamp(1, 10_000) as i64).into(),
                ],
            ))
            .await?;
        rows.iter().map(named).collect()
    }
}
