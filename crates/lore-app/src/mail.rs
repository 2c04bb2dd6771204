//! Mail: the SMTP settings, the two mails Lore sends (one notification, a daily digest),
//! the jobs that send them, and each person's mail choices as a whole.
//!
//! Sending happens only in background jobs (see `jobs.rs`), never inside a request.
//! Without an SMTP URL mail jobs complete as "skipped" (logged once per process): the
//! in-app notifications are the record, and nothing piles up waiting for a server that was
//! never configured. A notification already read in the app still gets its instant mail
//! (the job does not look); a digest leaves out what was read before it is sent.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

use askama::Template;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use lore_store::{NewJob, NotificationRow};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::jobs::JobError;
use crate::notifications::MAIL_ATTEMPTS;
use crate::{App, AppError, AppResult, Caller};

/// The job that mails one person their digest.
pub const DIGEST_JOB: &str = "mail-digest";

/// How long one SMTP conversation may take before the attempt counts as failed.
const SMTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Where people change what they get by mail (the account page's section).
const CHOICES_PATH: &str = "/account#mail";

/// How Lore sends mail.
#[derive(Clone)]
pub struct MailSettings {
    /// `smtp://host:port` (plain, for a local relay), `smtp://host?tls=required` (STARTTLS),
    /// `smtps://host` (TLS from the start); `user:password@` before the host to sign in.
    /// `None`: no mail is sent.
    pub smtp_url: Option<String>,
    /// The sender, `Name <address>` or just the address.
    pub from: String,
    /// The address people use to reach Lore, for the links in mails (no trailing slash).
    pub public_url: String,
    /// The hour of the day (UTC, 0–23) when digests go out.
    pub digest_hour: u8,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            smtp_url: None,
            from: "Lore <lore@localhost>".to_owned(),
            public_url: "http://127.0.0.1:8080".to_owned(),
            digest_hour: 7,
        }
    }
}

// By hand: the SMTP password must never reach a log line.
impl fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailSettings")
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_smtp_url))
            .field("from", &self.from)
            .field("public_url", &self.public_url)
            .field("digest_hour", &self.digest_hour)
            .finish()
    }
}

impl MailSettings {
    /// Refuse settings that could never send, at start-up rather than at the first mail.
    pub fn check(&self) -> AppResult<()> {
        if self.digest_hour > 23 {
            return Err(AppError::invalid(
                "digest_hour",
                "The digest hour must be between 0 and 23.",
            ));
        }
        self.sender()?;
        if let Some(url) = &self.smtp_url {
            transport(url)?;
        }
        Ok(())
    }

    fn sender(&self) -> AppResult<Mailbox> {
        self.from.parse().map_err(|_| {
            AppError::invalid(
                "mail_from",
                "The mail sender must be an address like Lore <lore@example.com>.",
            )
        })
    }

    /// `public_url` + a path inside Lore.
    pub(crate) fn absolute(&self, path: &str) -> String {
        format!(
            "{}/{}",
            self.public_url.trim_end_matches('/'),
            path.trim_start_matches('/')
        )
    }
}

/// The SMTP URL with its password hidden: `smtp://user:***@host:587`.
pub fn redact_smtp_url(url: &str) -> String {
    match password_of(url) {
        Some(p) if !p.is_empty() => url.replacen(&format!(":{p}@"), ":***@", 1),
        _ => url.to_owned(),
    }
}

fn password_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let userinfo = authority.rsplit_once('@')?.0;
    Some(userinfo.split_once(':')?.1)
}

/// Never let the password through, whatever a library puts in its message.
fn scrub(message: String, url: &str) -> String {
    match password_of(url) {
        Some(p) if !p.is_empty() => message.replace(p, "***"),
        _ => message,
    }
}

fn transport(url: &str) -> AppResult<AsyncSmtpTransport<Tokio1Executor>> {
    // lettre's error may quote the URL; ours names the forms instead.
    let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|_| {
        AppError::invalid(
            "smtp_url",
            "The SMTP URL must look like smtp://host:25, smtp://user:password@host:587?tls=required or smtps://host:465.",
        )
    })?;
    Ok(builder.timeout(Some(SMTP_TIMEOUT)).build())
}

/// The start of the digest day that `now` is in: the last `hour`:00 UTC at or before it.
/// Everything owed before it goes into that day's digest.
pub fn digest_cutoff(now: OffsetDateTime, hour: u8) -> OffsetDateTime {
    let now = now.to_offset(time::UtcOffset::UTC);
    let today = now
        .replace_time(time::Time::MIDNIGHT)
        .saturating_add(time::Duration::hours(i64::from(hour.min(23))));
    if today <= now {
        today
    } else {
        today.saturating_sub(time::Duration::days(1))
    }
}

#[derive(Serialize, Deserialize)]
pub(crate) struct NotificationMail {
    pub notification_id: i64,
}

#[derive(Serialize, Deserialize)]
struct DigestMail {
    user_id: i64,
    notification_ids: Vec<i64>,
}

/// One line of a mail: a notification with its absolute link.
struct Item {
    title: String,
    body: String,
    url: String,
}

#[derive(Template)]
#[template(path = "mail/notification.txt")]
struct NotificationText<'a> {
    item: &'a Item,
    choices_url: &'a str,
}

#[derive(Template)]
#[template(path = "mail/notification.html")]
struct NotificationHtml<'a> {
    item: &'a Item,
    choices_url: &'a str,
}

#[derive(Template)]
#[template(path = "mail/digest.txt")]
struct DigestText<'a> {
    name: &'a str,
    items: &'a [Item],
    choices_url: &'a str,
}

#[derive(Template)]
#[template(path = "mail/digest.html")]
struct DigestHtml<'a> {
    name: &'a str,
    items: &'a [Item],
    choices_url: &'a str,
}

/// A mail that did not go out because no SMTP server is configured; said once per process.
static NOT_CONFIGURED_LOGGED: AtomicBool = AtomicBool::new(false);

/// What a finished mail job notes on its row when it sent nothing.
pub(crate) const NOT_CONFIGURED: &str = "skipped: no SMTP server is configured";

impl App {
    /// Queue one digest job per person for everything owed to a digest before today's
    /// digest hour. Safe to call often and from several servers: each notification is
    /// taken once. Returns how many digests were queued.
    pub async fn queue_due_digests(&self) -> AppResult<usize> {
        let now = self.now();
        let cutoff = digest_cutoff(now, self.settings.mail.digest_hour);
        let queued = self
            .store
            .queue_digests(cutoff, now, |user_id, share| {
                // What was read in the app is not mailed again in the digest.
                let notification_ids: Vec<i64> = share
                    .iter()
                    .filter(|n| n.read_at.is_none())
                    .map(|n| n.id)
                    .collect();
                if notification_ids.is_empty() {
                    return None;
                }
                let payload = serde_json::to_string(&DigestMail {
                    user_id,
                    notification_ids,
                })
                .ok()?;
                Some(NewJob {
                    kind: DIGEST_JOB,
                    payload,
                    max_attempts: MAIL_ATTEMPTS,
                })
            })
            .await?;
        if queued > 0 {
            self.signal(crate::unit_of_work::Signal::JobsWaiting);
        }
        Ok(queued)
    }

    /// The job of [`crate::notifications::MAIL_JOB`]: mail one notification.
    pub(crate) async fn mail_notification(
        &self,
        payload: &str,
    ) -> Result<Option<String>, JobError> {
        let job: NotificationMail = serde_json::from_str(payload)
            .map_err(|e| JobError::GiveUp(format!("bad payload: {e}")))?;
        let Some(n) = self.store.notification(job.notification_id).await? else {
            return Ok(Some("skipped: the notification is gone".to_owned()));
        };
        if n.mailed_at.is_some() {
            return Ok(Some("skipped: already mailed".to_owned()));
        }
        let Some(to) = self.recipient(n.user_id).await? else {
            return Ok(Some(
                "skipped: the person is deactivated or gone".to_owned(),
            ));
        };
        let mail = &self.settings.mail;
        let item = self.item(&n);
        let choices_url = mail.absolute(CHOICES_PATH);
        let text = NotificationText {
            item: &item,
            choices_url: &choices_url,
        }
        .render()
        .map_err(|e| JobError::GiveUp(format!("cannot render the mail: {e}")))?;
        let html = NotificationHtml {
            item: &item,
            choices_url: &choices_url,
        }
        .render()
        .map_err(|e| JobError::GiveUp(format!("cannot render the mail: {e}")))?;
        let note = self.send(to, &n.title, text, html).await?;
        if note.is_none() {
            self.store.mark_mailed(&[n.id], self.now()).await?;
        }
        Ok(note)
    }

    /// The job of [`DIGEST_JOB`]: one mail listing a person's notifications.
    pub(crate) async fn mail_digest(&self, payload: &str) -> Result<Option<String>, JobError> {
        let job: DigestMail = serde_json::from_str(payload)
            .map_err(|e| JobError::GiveUp(format!("bad payload: {e}")))?;
        let unread: Vec<NotificationRow> = self
            .store
            .notifications_by_ids(job.user_id, &job.notification_ids)
            .await?
            .into_iter()
            .filter(|n| n.read_at.is_none())
            .collect();
        if unread.is_empty() {
            return Ok(Some("skipped: everything was read in the app".to_owned()));
        }
        let Some(to) = self.recipient(job.user_id).await? else {
            return Ok(Some(
                "skipped: the person is deactivated or gone".to_owned(),
            ));
        };
        let items: Vec<Item> = unread.iter().map(|n| self.item(n)).collect();
        let choices_url = self.settings.mail.absolute(CHOICES_PATH);
        let name = to.name.clone().unwrap_or_default();
        let subject = match items.len() {
            1 => "Your Lore digest: 1 new notification".to_owned(),
            n => format!("Your Lore digest: {n} new notifications"),
        };
        let text = DigestText {
            name: &name,
            items: &items,
            choices_url: &choices_url,
        }
        .render()
        .map_err(|e| JobError::GiveUp(format!("cannot render the mail: {e}")))?;
        let html = DigestHtml {
            name: &name,
            items: &items,
            choices_url: &choices_url,
        }
        .render()
        .map_err(|e| JobError::GiveUp(format!("cannot render the mail: {e}")))?;
        self.send(to, &subject, text, html).await
    }

    fn item(&self, n: &NotificationRow) -> Item {
        Item {
            title: n.title.clone(),
            body: n.body.clone(),
            url: self.settings.mail.absolute(&n.link),
        }
    }

    /// The person's mailbox, or `None` when they cannot be mailed (gone or deactivated).
    pub(crate) async fn recipient(&self, user_id: i64) -> Result<Option<Mailbox>, JobError> {
        let Some(user) = self.store.user(user_id).await?.filter(|u| u.active) else {
            return Ok(None);
        };
        let address = user.email.parse().map_err(|_| {
            JobError::GiveUp(format!(
                "the person's email address of user {user_id} is not valid"
            ))
        })?;
        Ok(Some(Mailbox::new(Some(user.name), address)))
    }

    /// Send, or note why nothing was sent (`Some(note)`).
    pub(crate) async fn send(
        &self,
        to: Mailbox,
        subject: &str,
        text: String,
        html: String,
    ) -> Result<Option<String>, JobError> {
        let mail = &self.settings.mail;
        let Some(url) = &mail.smtp_url else {
            if !NOT_CONFIGURED_LOGGED.swap(true, Ordering::Relaxed) {
                tracing::warn!("no SMTP server is configured (smtp_url); mails are skipped");
            }
            return Ok(Some(NOT_CONFIGURED.to_owned()));
        };
        let from = mail.sender().map_err(|e| JobError::GiveUp(e.to_string()))?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .multipart(MultiPart::alternative_plain_html(text, html))
            .map_err(|e| JobError::GiveUp(format!("cannot build the mail: {e}")))?;
        let transport = transport(url).map_err(|e| JobError::GiveUp(e.to_string()))?;
        match transport.send(message).await {
            Ok(_) => Ok(None),
            Err(e) => {
                let text = scrub(format!("SMTP: {e}"), url);
                // A permanent answer (5xx: unknown recipient, refused sender) will not change
                // by trying again; everything else (server down, 4xx, timeouts) may.
                if e.is_permanent() {
                    Err(JobError::GiveUp(text))
                } else {
                    Err(JobError::Retry(text))
                }
            }
        }
    }

    /// Save the caller's mail choice for each (kind, mode) given, all or none: an unknown
    /// kind or mode refuses the whole set and changes nothing. Whether each kind shows in
    /// the app stays as it was.
    pub async fn set_mail_choices(
        &self,
        caller: &Caller,
        choices: &[(String, String)],
    ) -> AppResult<()> {
        let choices: Vec<(String, String, Option<bool>)> = choices
            .iter()
            .map(|(k, m)| (k.clone(), m.clone(), None))
            .collect();
        self.set_notification_choices(caller, &choices).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_digest_day_starts_at_the_digest_hour() {
        assert_eq!(
            digest_cutoff(datetime!(2026-11-02 09:00 UTC), 7),
            datetime!(2026-11-02 07:00 UTC)
        );
        assert_eq!(
            digest_cutoff(datetime!(2026-11-02 07:00 UTC), 7),
            datetime!(2026-11-02 07:00 UTC)
        );
        assert_eq!(
            digest_cutoff(datetime!(2026-11-02 06:59 UTC), 7),
            datetime!(2026-11-01 07:00 UTC)
        );
        assert_eq!(
            digest_cutoff(datetime!(2026-11-02 01:00 +02:00), 0),
            datetime!(2026-11-01 00:00 UTC)
        );
    }

    #[test]
    fn the_password_never_shows() {
        let url = "smtps://mailer:s3cr%20t@mail.example.com:465";
        assert_eq!(
            redact_smtp_url(url),
            "smtps://mailer:***@mail.example.com:465"
        );
        let settings = MailSettings {
            smtp_url: Some(url.to_owned()),
            ..MailSettings::default()
        };
        assert!(!format!("{settings:?}").contains("s3cr"));
        assert_eq!(
            scrub("login as mailer:s3cr%20t failed".to_owned(), url),
            "login as mailer:*** failed"
        );
        assert_eq!(
            redact_smtp_url("smtp://127.0.0.1:25"),
            "smtp://127.0.0.1:25"
        );
    }

    #[test]
    fn the_three_smtp_forms_are_understood_and_others_refused() {
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp://user:pw@mail.example.com:587?tls=required",
            "smtps://mail.example.com",
        ] {
            let settings = MailSettings {
                smtp_url: Some(url.to_owned()),
                ..MailSettings::default()
            };
            assert!(settings.check().is_ok(), "{url}");
        }
        let bad = MailSettings {
            smtp_url: Some("http://user:pw@mail.example.com".to_owned()),
            ..MailSettings::default()
        };
        let e = bad.check().expect_err("refused");
        assert!(!e.to_string().contains("pw"), "{e}");
        let bad_from = MailSettings {
            from: "not an address".to_owned(),
            ..MailSettings::default()
        };
        assert!(bad_from.check().is_err());
        let bad_hour = MailSettings {
            digest_hour: 24,
            ..MailSettings::default()
        };
        assert!(bad_hour.check().is_err());
    }
}
