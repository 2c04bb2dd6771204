//! The records a CRM pulls (docs/decisions/0032): course and path completions, evaluation
//! results and certificates, read from the events in commit order `(tx_id, id)` after a
//! cursor. As with the outbox, on PostgreSQL only events of transactions older than every
//! running one are read, so a cursor never moves past an event that commits later.

use sea_orm::ConnectionTrait;

use crate::{Store, StoreResult, Timestamp};

/// The verbs the feed carries.
pub const CRM_VERBS: &[&str] = &[
    "completed-course",
    "completed-path",
    "submitted-attempt",
    "certificate-awarded",
];

/// A place in the events: after the event `(tx_id, id)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct EventPosition {
    pub tx_id: i64,
    pub id: i64,
}

/// One event of the feed, with the person's email and name and the course's or path's title.
#[derive(Debug, Clone)]
pub struct CrmEventRow {
    pub position: EventPosition,
    pub verb: String,
    pub email: String,
    pub name: String,
    pub course_id: Option<i64>,
    pub version_number: Option<i32>,
    /// The title of the course version the event is about.
    pub course_title: Option<String>,
    /// `completed-path`: the path and its title.
    pub path_id: Option<i64>,
    pub path_title: Option<String>,
    pub data: Option<String>,
    pub occurred_at: Timestamp,
}

impl Store {
    /// Up to `limit` feed events after `after`, in commit order; only events whose place is
    /// final.
    pub async fn crm_events(
        &self,
        after: EventPosition,
        limit: u64,
    ) -> StoreResult<Vec<CrmEventRow>> {
        let verbs: Vec<String> = CRM_VERBS.iter().map(|v| format!("'{v}'")).collect();
        let settled = crate::event_readers::settled(self.backend);
        let path_id = crate::event_readers::path_id(self.backend);
        let sql = format!(
            "SELECT e.tx_id, e.id, e.verb, e.course_id, e.version_number, e.data,
                    e.occurred_at, u.email, u.name, v.title AS course_title,
                    p.id AS path_id, p.title AS path_title
               FROM events e
               JOIN users u ON u.id = e.user_id
               LEFT JOIN course_versions v
                      ON v.course_id = e.course_id AND v.number = e.version_number
               LEFT JOIN paths p ON e.verb = 'completed-path' AND p.id = {path_id}
              WHERE (e.tx_id, e.id) > ($1, $2) AND e.verb IN ({verbs}) {settled}
              ORDER BY e.tx_id, e.id
              LIMIT $3",
            verbs = verbs.join(", ")
        );
        let rows = self
            .db
            .query_all_raw(self.raw(
                &sql,
                vec![
                    after.tx_id.into(),
                    after.id.into(),
                    (limit.clamp(1, 100_000) as i64).into(),
                ],
            ))
            .await?;
        rows.iter()
            .map(|r| {
                Ok(CrmEventRow {
                    position: EventPosition {
                        tx_id: r.try_get("", "tx_id")?,
                        id: r.try_get("", "id")?,
                    },
                    verb: r.try_get("", "verb")?,
                    email: r.try_get("", "email")?,
                    name: r.try_get("", "name")?,
                    course_id: r.try_get("", "course_id")?,
                    version_number: r.try_get("", "version_number")?,
                    course_title: r.try_get("", "course_title")?,
                    path_id: r.try_get("", "path_id")?,
                    path_title: r.try_get("", "path_title")?,
                    data: r.try_get("", "data")?,
                    occurred_at: r.try_get("", "occurred_at")?,
                })
            })
            .collect()
    }
}
