//! Signing in and out, sessions, and one's own password.

use lore_domain::account::{Email, NewPassword};
use lore_store::{NewSession, SessionRow};

use crate::secrets::{hash_password, random_token, sha256_hex, verify_password};
use crate::{App, AppError, AppResult, Caller};

/// Where a request comes from, for the session list and rate limiting.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub ip: String,
    pub user_agent: String,
}

/// A session just created: `token` goes into the cookie and is never stored.
#[derive(Debug, Clone)]
pub struct IssuedSession {
    pub token: String,
    pub expires_at: time::OffsetDateTime,
}

/// A valid session with its person.
#[derive(Debug, Clone)]
pub struct SessionContext {
    pub session_id: i64,
    pub csrf_token: String,
    pub caller: Caller,
    /// Unread notifications, for the badge in the page header.
    pub unread: u64,
    /// The session's new expiry when this request slid it forward: the cookie is issued
    /// again to last as long.
    pub renewed_until: Option<time::OffsetDateTime>,
}

impl App {
    /// Check an email and password; on success open a session.
    /// Unknown email and wrong password give the same answer after the same work.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        client: &Client,
    ) -> AppResult<IssuedSession> {
        let now = self.now();
        let account_key = email.trim().to_lowercase();
        if let Some(wait) = self.limiter.blocked_for(&account_key, &client.ip, now) {
            return Err(AppError::RateLimited {
                retry_after_secs: wait,
            });
        }
        let user = match Email::parse(email) {
            Ok(e) => self.store.user_by_email(e.as_str()).await?,
            Err(_) => None,
        };
        let hash = user
            .as_ref()
            .and_then(|u| u.password_hash.clone())
            .unwrap_or_else(|| self.decoy_hash.as_str().to_owned());
        let matches = verify_password(password.to_owned(), hash).await?;
        let user = match user {
            Some(u) if matches && u.password_hash.is_some() => u,
            _ => {
                self.limiter.record_failure(&account_key, &client.ip, now);
                tracing::info!(target: "lore::audit", "sign-in failed");
                return Err(AppError::InvalidCredentials);
            }
        };
        if !user.active {
            return Err(AppError::AccountDeactivated);
        }
        self.limiter.record_success(&account_key);
        let issued = self.open_session(user.id, client).await?;
        tracing::info!(target: "lore::audit", user_id = user.id, "signed in");
        Ok(issued)
    }

    pub(crate) async fn open_session(
        &self,
        user_id: i64,
        client: &Client,
    ) -> AppResult<IssuedSession> {
        let now = self.now();
        let token = random_token();
        let expires_at = now + self.settings.session_ttl;
        self.store
            .insert_session(
                NewSession {
                    token_hash: sha256_hex(&token),
                    user_id,
                    csrf_token: random_token(),
                    user_agent: client.user_agent.chars().take(300).collect(),
                    ip: client.ip.chars().take(64).collect(),
                    expires_at,
                },
                now,
            )
            .await?;
        Ok(IssuedSession { token, expires_at })
    }

    /// The session behind a cookie value, if it is valid and its person active. The session,
    /// the person, their groups and unread count come in one statement; an expired session
    /// is deleted, and a session due to slide is written (at most once a minute).
    pub async fn session(&self, token: &str) -> AppResult<Option<SessionContext>> {
        let Some(found) = self.store.session_lookup(&sha256_hex(token)).await? else {
            return Ok(None);
        };
        let now = self.now();
        if found.expires_at <= now {
            self.store.delete_session(found.user_id, found.id).await?;
            return Ok(None);
        }
        let Some(person) = found.person else {
            return Ok(None);
        };
        // Sliding expiry, written at most once a minute to spare the database.
        let renewed_until = if now - found.last_seen_at > time::Duration::minutes(1) {
            let expires_at = now + self.settings.session_ttl;
            self.store.touch_session(found.id, now, expires_at).await?;
            Some(expires_at)
        } else {
            None
        };
        let unread = person.unread;
        Ok(Some(SessionContext {
            session_id: found.id,
            csrf_token: found.csrf_token,
            caller: Caller::from_record(person),
            unread,
            renewed_until,
        }))
    }

    pub async fn sign_out(&self, caller: &Caller, session_id: i64) -> AppResult<()> {
        self.store.delete_session(caller.id.0, session_id).await?;
        Ok(())
    }

    /// Sign out every session of the caller but the current one.
    pub async fn sign_out_elsewhere(
        &self,
        caller: &Caller,
        current_session: i64,
    ) -> AppResult<u64> {
        Ok(self
            .store
            .delete_sessions_of(caller.id.0, Some(current_session))
            .await?)
    }

    pub async fn my_sessions(&self, caller: &Caller) -> AppResult<Vec<SessionRow>> {
        Ok(self.store.sessions_of(caller.id.0).await?)
    }

    pub async fn revoke_session(&self, caller: &Caller, session_id: i64) -> AppResult<()> {
        if self.store.delete_session(caller.id.0, session_id).await? {
            Ok(())
        } else {
            Err(AppError::NotFound("That session"))
        }
    }

    /// Change one's own password; other sessions are signed out.
    pub async fn change_password(
        &self,
        caller: &Caller,
        current_session: i64,
        current: &str,
        new: &str,
    ) -> AppResult<()> {
        caller.require_own_account()?;
        let user = self
            .store
            .user(caller.id.0)
            .await?
            .ok_or(AppError::NotFound("Your account"))?;
        let ok = match user.password_hash {
            Some(h) => verify_password(current.to_owned(), h).await?,
            None => false,
        };
        if !ok {
            return Err(AppError::invalid(
                "current_password",
                "Your current password is not right.",
            ));
        }
        let new = NewPassword::parse(new)?;
        if new.expose() == current {
            return Err(AppError::invalid(
                "new_password",
                "Choose a password different from the current one.",
            ));
        }
        let hash = hash_password(new.expose().to_owned()).await?;
        self.store
            .set_password_hash(caller.id.0, hash, self.now())
            .await?;
        self.store
            .delete_sessions_of(caller.id.0, Some(current_session))
            .await?;
        tracing::info!(target: "lore::audit", user_id = caller.id.0, "password changed");
        Ok(())
    }
}
