//! Telling people: a notification in the app (the unread count updates live), and mail by
//! each person's choice per kind — instantly through a background job, in a daily digest,
//! or never. Sending never happens inside a request.

use lore_domain::notification::{MailMode, NotificationKind};
use lore_store::{NewNotification, NotificationRow};

use crate::unit_of_work::Signal;
use crate::{App, AppError, AppResult, Caller};

/// The job that mails one notification.
pub const MAIL_JOB: &str = "mail-notification";
/// How often a mail job is tried before it is given up (and kept, failed, for operators).
pub const MAIL_ATTEMPTS: i32 = 6;

/// Something to tell one person.
#[derive(Debug, Clone)]
pub struct Notice {
    pub user_id: i64,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    /// A path inside Lore.
    pub link: String,
    /// Who caused it; nobody is told about their own doing.
    pub actor_id: Option<i64>,
}

/// A person's choices for one kind, for the settings page: how mail tells them, and
/// whether it shows in the app.
#[derive(Debug, Clone)]
pub struct MailChoice {
    pub kind: NotificationKind,
    pub mode: MailMode,
    pub in_app: bool,
}

impl App {
    /// Tell someone. Returns the stored notification, or `None` when the person is the actor
    /// (or gone). Mail is queued as a job; the live count is nudged on this server at once and
    /// on the others at their next poll.
    pub async fn notify(&self, notice: Notice) -> AppResult<Option<NotificationRow>> {
        if notice.actor_id == Some(notice.user_id) {
            return Ok(None);
        }
        match self.store.user(notice.user_id).await? {
            Some(u) if u.active => {}
            _ => return Ok(None),
        }
        let (mode, in_app) = self.choice(notice.user_id, notice.kind).await?;
        if !in_app && mode == MailMode::Never {
            // Wanted neither in the app nor by mail: nothing to keep.
            return Ok(None);
        }
        let now = self.now();
        let row = self
            .store
            .insert_notification(
                NewNotification {
                    user_id: notice.user_id,
                    kind: notice.kind.as_str(),
                    title: notice.title,
                    body: notice.body,
                    link: notice.link,
                    actor_id: notice.actor_id,
                    mail_mode: match mode {
                        MailMode::Never => None,
                        m => Some(m.as_str()),
                    },
                },
                now,
            )
            .await?;
        if mode == MailMode::Instant {
            self.store
                .enqueue_job(
                    MAIL_JOB,
                    serde_json::json!({ "notification_id": row.id }).to_string(),
                    now,
                    MAIL_ATTEMPTS,
                    now,
                )
                .await?;
            self.signal(Signal::JobsWaiting);
        }
        // The live count hears of it through the outbox, once this commits.
        self.signal(Signal::OutboxWritten);
        Ok(Some(row))
    }

    /// Tell several people the same thing (each once, never the actor).
    pub async fn notify_all(&self, users: &[i64], notice: Notice) -> AppResult<()> {
        let mut seen = std::collections::BTreeSet::new();
        for &user_id in users {
            if seen.insert(user_id) {
                self.notify(Notice {
                    user_id,
                    ..notice.clone()
                })
                .await?;
            }
        }
        Ok(())
    }

    /// The person's mail mode for a kind and whether it shows in the app (the defaults
    /// where they chose nothing).
    async fn choice(&self, user_id: i64, kind: NotificationKind) -> AppResult<(MailMode, bool)> {
        let prefs = self.store.notification_choices(user_id).await?;
        Ok(Self::choice_in(&prefs, kind))
    }

    fn choice_in(prefs: &[(String, String, bool)], kind: NotificationKind) -> (MailMode, bool) {
        prefs
            .iter()
            .find(|(k, _, _)| k == kind.as_str())
            .map(|(_, m, app)| (MailMode::parse(m).unwrap_or(kind.default_mode()), *app))
            .unwrap_or((kind.default_mode(), true))
    }

    /// Listen for "this person has news" (user ids) on this server.
    pub fn live_updates(&self) -> tokio::sync::broadcast::Receiver<i64> {
        self.live.subscribe()
    }

    pub async fn notifications(
        &self,
        caller: &Caller,
        limit: u64,
    ) -> AppResult<Vec<NotificationRow>> {
        Ok(self
            .store
            .notifications_of(caller.id.0, limit.clamp(1, 200))
            .await?)
    }

    pub async fn unread_count(&self, caller: &Caller) -> AppResult<u64> {
        Ok(self.store.unread_count(caller.id.0).await?)
    }

    /// Mark one notification read and return where it points.
    pub async fn open_notification(&self, caller: &Caller, id: i64) -> AppResult<String> {
        Ok(self.mark_read(caller, id).await?.link)
    }

    /// Mark one of the caller's notifications read (again is fine) and return it as it is
    /// now. Someone else's is not found.
    pub async fn mark_read(&self, caller: &Caller, id: i64) -> AppResult<NotificationRow> {
        self.unit_of_work(|app| async move {
            if !app.store.mark_read(caller.id.0, id, app.now()).await? {
                return Err(AppError::NotFound("That notification"));
            }
            app.signal(Signal::Live(caller.id.0));
            app.store
                .notification(id)
                .await?
                .ok_or(AppError::NotFound("That notification"))
        })
        .await
    }

    pub async fn mark_all_read(&self, caller: &Caller) -> AppResult<u64> {
        let n = self.store.mark_all_read(caller.id.0, self.now()).await?;
        self.signal(Signal::Live(caller.id.0));
        Ok(n)
    }

    /// Every kind with the caller's choices (the defaults where they made none).
    pub async fn mail_choices(&self, caller: &Caller) -> AppResult<Vec<MailChoice>> {
        let prefs = self.store.notification_choices(caller.id.0).await?;
        Ok(NotificationKind::ALL
            .into_iter()
            .map(|kind| {
                let (mode, in_app) = Self::choice_in(&prefs, kind);
                MailChoice { kind, mode, in_app }
            })
            .collect())
    }

    /// Save, for each kind given, its mail mode and whether it shows in the app, all or
    /// none: an unknown kind or mode refuses the whole set and changes nothing. `in_app`
    /// `None` keeps the kind's current setting.
    pub async fn set_notification_choices(
        &self,
        caller: &Caller,
        choices: &[(String, String, Option<bool>)],
    ) -> AppResult<()> {
        let mut parsed = Vec::with_capacity(choices.len());
        for (kind, mode, in_app) in choices {
            let kind = NotificationKind::parse(kind)?;
            let mode = MailMode::parse(mode).map_err(|_| {
                AppError::invalid(
                    "mode",
                    format!("{}: choose instantly, daily digest or never.", kind.label()),
                )
            })?;
            parsed.push((kind, mode, *in_app));
        }
        self.unit_of_work(|app| async move {
            let prefs = app.store.notification_choices(caller.id.0).await?;
            for (kind, mode, in_app) in parsed {
                let in_app = in_app.unwrap_or_else(|| Self::choice_in(&prefs, kind).1);
                app.store
                    .set_notification_choice(caller.id.0, kind.as_str(), mode.as_str(), in_app)
                    .await?;
            }
            Ok(())
        })
        .await
    }

    pub async fn set_mail_choice(&self, caller: &Caller, kind: &str, mode: &str) -> AppResult<()> {
        let kind = NotificationKind::parse(kind)?;
        let mode = MailMode::parse(mode)?;
        self.store
            .set_notification_pref(caller.id.0, kind.as_str(), mode.as_str())
            .await?;
        Ok(())
    }
}
