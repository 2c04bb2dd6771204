//! The events feed for reporting tools (`GET /api/v1/events`, docs/decisions/0049): every
//! event of the log (docs/events.md) after a cursor, in commit order `(tx_id, id)`, with the
//! names a report needs. The cursor is the CRM feed's (`{tx}-{id}`), so a tool that pulls
//! from the last `next` gets each event once. Platform administrators only: it names
//! everyone (as the CRM feed and the audit log).

use lore_domain::policy::{Action, Resource};
use lore_store::NamedEvent;
use serde::Serialize;
use time::OffsetDateTime;

use crate::crm::{cursor_of, parse_cursor};
use crate::{App, AppError, AppResult, Caller};

/// Events per page unless asked otherwise.
pub const DEFAULT_LIMIT: u64 = 100;
/// The most events one request returns.
pub const MAX_LIMIT: u64 = 1_000;

/// One event of the log, as the feed shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedEvent {
    /// Resume after this event: pass it as `since`.
    pub cursor: String,
    pub id: i64,
    /// The verb (docs/events.md): `enrolled`, `completed-step`, `submitted-attempt`, …
    pub verb: String,
    pub user_id: i64,
    pub user_name: String,
    pub course_id: Option<i64>,
    /// The title of the course version the event is about.
    pub course_title: Option<String>,
    pub version_number: Option<i32>,
    pub step_key: Option<String>,
    pub attempt_id: Option<i64>,
    pub need_id: Option<i64>,
    /// `completed-path`: the path's title.
    pub path_title: Option<String>,
    pub registration: Option<String>,
    pub group_id: Option<i64>,
    /// The verb's own details, as recorded.
    pub data: Option<serde_json::Value>,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
}

/// One page of the feed.
#[derive(Debug, Clone, Serialize)]
pub struct EventsPage {
    pub events: Vec<FeedEvent>,
    /// Where the next pull starts: the last event's cursor, or the `since` given when
    /// nothing was new.
    pub next: String,
    /// The page was full: more events are ready now.
    pub has_more: bool,
}

fn feed_event(n: NamedEvent) -> FeedEvent {
    let e = n.event;
    FeedEvent {
        cursor: cursor_of(n.position),
        id: e.id,
        verb: e.verb,
        user_id: e.user_id,
        user_name: n.user_name,
        course_id: e.course_id,
        course_title: n.course_title,
        version_number: e.version_number,
        step_key: e.step_key,
        attempt_id: e.attempt_id,
        need_id: e.need_id,
        path_title: n.path_title,
        registration: e.registration,
        group_id: e.group_id,
        data: e.data.as_deref().and_then(|d| serde_json::from_str(d).ok()),
        occurred_at: e.occurred_at,
    }
}

impl App {
    /// Up to `limit` events after `since` (the start when absent), oldest first.
    pub async fn events_feed(
        &self,
        caller: &Caller,
        since: Option<&str>,
        limit: Option<u64>,
    ) -> AppResult<EventsPage> {
        caller.require(Action::ViewInstance, Resource::Platform)?;
        let after = parse_cursor(since)?;
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
            Some(_) => {
                return Err(AppError::invalid(
                    "limit",
                    format!("Ask for 1 to {MAX_LIMIT} events at a time."),
                ));
            }
        };
        let rows = self.store.named_events_after(after, limit).await?;
        let has_more = rows.len() as u64 == limit;
        let next = rows
            .last()
            .map(|r| cursor_of(r.position))
            .unwrap_or_else(|| cursor_of(after));
        Ok(EventsPage {
            events: rows.into_iter().map(feed_event).collect(),
            next,
            has_more,
        })
    }
}
