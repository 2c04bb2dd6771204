//! Notifications: the list (newest first), opening one (marks it read), "mark all read",
//! and the server-sent event stream that keeps the header's unread count live.

use std::convert::Infallible;
use std::time::Duration;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use futures_util::Stream;
use lore_app::{App, Caller};

use super::{NoticeQuery, done, parse_id};
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

/// Other servers' notifications reach this one's streams by polling at this pace.
const POLL: Duration = Duration::from_secs(10);
/// A stream ends after this long; the browser reconnects, and the session is checked again.
const STREAM_LIFETIME: Duration = Duration::from_secs(15 * 60);

pub struct NotificationLine {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub when: String,
    pub unread: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "notifications.html")]
pub struct NotificationsPage {
    layout: Layout,
    items: Vec<NotificationLine>,
    unread: usize,
}

pub async fn index(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<NotificationsPage, PageError> {
    let rows = state.app.notifications(viewer.caller(), 100).await?;
    let items: Vec<NotificationLine> = rows
        .into_iter()
        .map(|n| NotificationLine {
            id: n.id,
            title: n.title,
            body: n.body,
            when: viewer.when(n.created_at),
            unread: n.read_at.is_none(),
        })
        .collect();
    Ok(NotificationsPage {
        layout: Layout::for_session(&viewer.0, "notifications").with_notice(q.notice.as_deref()),
        unread: items.iter().filter(|i| i.unread).count(),
        items,
    })
}

/// Mark a notification read and go where it points (always a path inside Lore).
pub async fn open(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let link = state
        .app
        .open_notification(viewer.caller(), parse_id(&id)?)
        .await?;
    let safe = link.starts_with('/') && !link.starts_with("//");
    Ok(Redirect::to(if safe { &link } else { "/notifications" }).into_response())
}

/// One notification as the list shows it, for htmx to swap in after "Mark read".
#[derive(Template, WebTemplate)]
#[template(path = "notification_line.html")]
pub struct NotificationLineFragment {
    layout: Layout,
    n: NotificationLine,
}

/// Mark one notification read and stay on the list: htmx swaps in the line, a plain form
/// comes back to the page.
pub async fn read(
    State(state): State<WebState>,
    viewer: Viewer,
    headers: axum::http::HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let row = state.app.mark_read(viewer.caller(), parse_id(&id)?).await?;
    if headers.contains_key("hx-request") {
        let n = NotificationLine {
            id: row.id,
            title: row.title,
            body: row.body,
            when: viewer.when(row.created_at),
            unread: row.read_at.is_none(),
        };
        return Ok(NotificationLineFragment {
            layout: Layout::for_session(&viewer.0, "notifications"),
            n,
        }
        .into_response());
    }
    Ok(done("/notifications", "notification-read"))
}

pub async fn read_all(
    State(state): State<WebState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    state.app.mark_all_read(viewer.caller()).await?;
    Ok(done("/notifications", "notifications-read"))
}

struct Live {
    /// Counts the stream in `/metrics` while it is open.
    _connected: crate::metrics::Held,
    app: App,
    caller: Caller,
    updates: tokio::sync::broadcast::Receiver<i64>,
    last: Option<u64>,
    until: tokio::time::Instant,
}

impl Live {
    /// Wait until the count may have changed: news for this person from this server's outbox
    /// relay (which hears of every server's commits), or the poll interval, a safety net
    /// should the relay be down.
    async fn wait(&mut self) {
        let me = self.caller.id.0;
        let poll = tokio::time::sleep(POLL);
        tokio::pin!(poll);
        loop {
            tokio::select! {
                _ = &mut poll => return,
                got = self.updates.recv() => match got {
                    Ok(user) if user == me => return,
                    Ok(_) => {}
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => return,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                        poll.as_mut().await;
                        return;
                    }
                },
            }
        }
    }
}

/// `text/event-stream` of `unread` events carrying the count, sent at once and on change.
pub async fn stream(
    State(state): State<WebState>,
    viewer: Viewer,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let live = Live {
        _connected: state.metrics.live_stream(),
        updates: state.app.live_updates(),
        app: state.app.clone(),
        caller: viewer.caller().clone(),
        last: None,
        until: tokio::time::Instant::now() + STREAM_LIFETIME,
    };
    let events = futures_util::stream::unfold(live, |mut live| async move {
        loop {
            if live.last.is_some() {
                if tokio::time::Instant::now() >= live.until {
                    return None;
                }
                live.wait().await;
            }
            let count = match live.app.unread_count(&live.caller).await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "unread count for the live stream failed");
                    return None;
                }
            };
            if live.last != Some(count) {
                live.last = Some(count);
                let event = Event::default().event("unread").data(count.to_string());
                return Some((Ok(event), live));
            }
        }
    });
    Sse::new(events).keep_alive(KeepAlive::default())
}
