//! "Forgot your password?": a person asks for a reset link by email address.
//!
//! The answer is the same whether or not the address has an account, and takes the same
//! path through the request: a job is queued only for a real, active account, and the link
//! itself is made by that job when it sends the mail, so the token exists only in the mail
//! (the database keeps its hash, as for every one-time link). Requests are throttled per
//! typed address and per client address. Without an SMTP server nothing can be sent, and
//! people are told to ask an administrator instead.

use askama::Template;
use lore_domain::account::Email;
use serde::{Deserialize, Serialize};

use crate::accounts::Client;
use crate::jobs::JobError;
use crate::notifications::MAIL_ATTEMPTS;
use crate::people::PURPOSE_RESET;
use crate::unit_of_work::Signal;
use crate::{App, AppError, AppResult};

/// The job that makes a reset link and mails it.
pub const RESET_JOB: &str = "mail-password-reset";

#[derive(Serialize, Deserialize)]
struct ResetMail {
    user_id: i64,
}

#[derive(Template)]
#[template(path = "mail/password_reset.txt")]
struct ResetText<'a> {
    name: &'a str,
    url: &'a str,
    valid_for: &'a str,
}

#[derive(Template)]
#[template(path = "mail/password_reset.html")]
struct ResetHtml<'a> {
    name: &'a str,
    url: &'a str,
    valid_for: &'a str,
}

impl App {
    /// Ask for a reset link to be mailed to `email`. `Ok` whether or not the address has an
    /// account; refused (`mail_not_configured`) when no mail can be sent, and rate limited
    /// per typed address and per client address.
    pub async fn request_password_reset(&self, email: &str, client: &Client) -> AppResult<()> {
        if !self.mail_configured() {
            return Err(AppError::refused(
                "mail_not_configured",
                "Lore cannot send mail here. Ask an administrator to make you a new password link.",
            ));
        }
        let now = self.now();
        let key = email.trim().to_lowercase();
        if let Some(wait) = self.reset_limiter.blocked_for(&key, &client.ip, now) {
            return Err(AppError::RateLimited {
                retry_after_secs: wait,
            });
        }
        // Every request counts, found or not: the limit says nothing about the address.
        self.reset_limiter.record_failure(&key, &client.ip, now);
        let email = Email::parse(email)?;
        self.unit_of_work(|app| async move {
            let Some(user) = app.store.user_by_email(email.as_str()).await? else {
                return Ok(());
            };
            if !user.active || user.password_hash.is_none() {
                return Ok(());
            }
            let payload = serde_json::to_string(&ResetMail { user_id: user.id })
                .map_err(|e| AppError::Internal(e.to_string()))?;
            app.store
                .enqueue_job(RESET_JOB, payload, now, MAIL_ATTEMPTS, now)
                .await?;
            app.signal(Signal::JobsWaiting);
            tracing::info!(target: "lore::audit", user_id = user.id, "password reset asked for");
            Ok(())
        })
        .await
    }

    /// The job of [`RESET_JOB`]: make a fresh reset link (older unused ones die) and mail it.
    pub(crate) async fn mail_reset_link(&self, payload: &str) -> Result<Option<String>, JobError> {
        let job: ResetMail = serde_json::from_str(payload)
            .map_err(|e| JobError::GiveUp(format!("bad payload: {e}")))?;
        let Some(to) = self.recipient(job.user_id).await? else {
            return Ok(Some(
                "skipped: the person is deactivated or gone".to_owned(),
            ));
        };
        let ttl = self.settings.reset_link_ttl;
        let link = self
            .issue_link_for(job.user_id, PURPOSE_RESET, None, ttl)
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        let url = self
            .settings
            .mail
            .absolute(&format!("/welcome/{}", link.token));
        let valid_for = human_duration(ttl);
        let name = to.name.clone().unwrap_or_default();
        let text = ResetText {
            name: &name,
            url: &url,
            valid_for: &valid_for,
        }
        .render()
        .map_err(|e| JobError::GiveUp(format!("cannot render the mail: {e}")))?;
        let html = ResetHtml {
            name: &name,
            url: &url,
            valid_for: &valid_for,
        }
        .render()
        .map_err(|e| JobError::GiveUp(format!("cannot render the mail: {e}")))?;
        self.send(to, "Reset your Lore password", text, html).await
    }
}

/// "1 hour", "30 minutes", "2 days".
fn human_duration(d: time::Duration) -> String {
    let plural = |n: i64, unit: &str| {
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    if d.whole_days() >= 1 && d.whole_hours() % 24 == 0 {
        plural(d.whole_days(), "day")
    } else if d.whole_hours() >= 1 && d.whole_minutes() % 60 == 0 {
        plural(d.whole_hours(), "hour")
    } else {
        plural(d.whole_minutes().max(1), "minute")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_words() {
        assert_eq!(human_duration(time::Duration::hours(1)), "1 hour");
        assert_eq!(human_duration(time::Duration::minutes(90)), "90 minutes");
        assert_eq!(human_duration(time::Duration::days(7)), "7 days");
    }
}
