//! Forwarding every statement of the learning record store to another LRS
//! (docs/decisions/0034): a platform administrator sets the other store's address, Basic
//! credentials and xAPI version; a reader of the statements in commit order (`reader`)
//! sends them in batches from the job worker, retries with back-off and keeps what the
//! other store refuses as dead letters, which the administrator replays.

mod reader;
mod send;

use lore_domain::audit::AuditAction;
use lore_domain::policy::{Action, Resource};
use lore_domain::xapi_forwarding::VERSIONS;
use lore_store::{DeadLetterRow, ForwardingRow, ForwardingSettings};
use time::OffsetDateTime;

pub use reader::ForwardCounts;

use crate::unit_of_work::Signal;
use crate::webhooks::resolve;
use crate::{App, AppError, AppResult, Caller};

/// Dead letters on one page of the list.
pub const DEAD_LETTER_PAGE: u64 = 20;

/// Forwarding as an administrator sees it: never the secret, only whether one is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forwarding {
    pub enabled: bool,
    /// The other store's base address (ends in `/`); `statements` is added to it.
    pub endpoint: String,
    /// The HTTP Basic user name.
    pub key: String,
    pub secret_set: bool,
    /// The `X-Experience-API-Version` sent: `1.0.3` or `2.0.0`.
    pub version: String,
    pub updated_at: Option<OffsetDateTime>,
    /// Statements delivered so far.
    pub delivered: i64,
    pub last_delivered_at: Option<OffsetDateTime>,
    /// Failed attempts at the batch waiting now (0 when none failed).
    pub failed_attempts: i32,
    pub next_attempt_at: Option<OffsetDateTime>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub dead_letters: u64,
}

/// New settings. An empty or missing `secret` keeps the one set before.
#[derive(Debug, Clone, Copy)]
pub struct ForwardingChange<'a> {
    pub enabled: bool,
    pub endpoint: &'a str,
    pub key: &'a str,
    pub secret: Option<&'a str>,
    pub version: &'a str,
}

/// Statements the other store refused (or that failed every retry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    pub id: i64,
    pub statement_ids: Vec<String>,
    /// The storing order (`seq`) of the first and last of them.
    pub first_seq: i64,
    pub last_seq: i64,
    pub status_code: Option<i32>,
    pub error: String,
    pub attempts: i32,
    pub created_at: OffsetDateTime,
    pub last_attempt_at: OffsetDateTime,
    /// Waiting for the worker to send it again.
    pub replay_requested: bool,
}

impl From<DeadLetterRow> for DeadLetter {
    fn from(r: DeadLetterRow) -> Self {
        DeadLetter {
            id: r.id,
            statement_ids: serde_json::from_str(&r.statement_ids).unwrap_or_default(),
            first_seq: r.first_seq,
            last_seq: r.last_seq,
            status_code: r.status_code,
            error: r.error,
            attempts: r.attempts,
            created_at: r.created_at,
            last_attempt_at: r.last_attempt_at,
            replay_requested: r.replay_requested,
        }
    }
}

/// One page of dead letters, newest first.
#[derive(Debug, Clone)]
pub struct DeadLetterPage {
    pub letters: Vec<DeadLetter>,
    pub total: u64,
    /// From 1.
    pub page: u64,
    pub per_page: u64,
}

fn forwarding(row: ForwardingRow, dead_letters: u64) -> Forwarding {
    Forwarding {
        enabled: row.enabled,
        endpoint: row.endpoint,
        key: row.username,
        secret_set: row.secret.is_some(),
        version: row.version,
        updated_at: row.updated_at,
        delivered: row.delivered,
        last_delivered_at: row.last_delivered_at,
        failed_attempts: row.attempts,
        next_attempt_at: row.next_attempt_at.filter(|_| row.attempts > 0),
        last_status: row.last_status,
        last_error: row.last_error,
        dead_letters,
    }
}

impl App {
    /// The forwarding settings and how it is going (platform administrators only).
    pub async fn xapi_forwarding(&self, caller: &Caller) -> AppResult<Forwarding> {
        caller.require(Action::ForwardStatements, Resource::Platform)?;
        let row = self.store.xapi_forwarding().await?;
        let (_, dead) = self.store.xapi_dead_letters(0, 0).await?;
        Ok(forwarding(row, dead))
    }

    /// Change forwarding. The address passes the webhooks' guard (http(s), no private
    /// network unless the operator allows the range, no user name or query in it) and gets a
    /// trailing `/`; switching on needs an address, a key and a secret, and starts from the
    /// newest statement: statements stored while forwarding was off are never sent. Any save
    /// ends the back-off of a failing batch, so new settings are tried at once.
    pub async fn set_xapi_forwarding(
        &self,
        caller: &Caller,
        change: ForwardingChange<'_>,
    ) -> AppResult<Forwarding> {
        caller.require(Action::ForwardStatements, Resource::Platform)?;
        let version = change.version.trim();
        if !VERSIONS.contains(&version) {
            return Err(AppError::invalid(
                "version",
                format!(
                    "Choose the xAPI version to send: {}.",
                    VERSIONS.join(" or ")
                ),
            ));
        }
        let endpoint = self.checked_endpoint(change.endpoint).await?;
        let key = change.key.trim();
        if key.contains(':') || key.chars().count() > 200 {
            return Err(AppError::invalid(
                "key",
                "The key (Basic user name) has at most 200 characters and no colon.",
            ));
        }
        let secret = change.secret.filter(|s| !s.is_empty());
        if secret.is_some_and(|s| s.chars().count() > 1000) {
            return Err(AppError::invalid(
                "secret",
                "The secret has at most 1000 characters.",
            ));
        }
        let row = self.store.xapi_forwarding().await?;
        if change.enabled {
            if endpoint.is_empty() {
                return Err(AppError::invalid(
                    "endpoint",
                    "Give the other store's address to switch forwarding on, like https://lrs.example.com/xapi/.",
                ));
            }
            if key.is_empty() || (secret.is_none() && row.secret.is_none()) {
                return Err(AppError::invalid(
                    "key",
                    "Give the key and secret the other store gave Lore to switch forwarding on.",
                ));
            }
        }
        let switched_on = change.enabled && !row.enabled;
        self.unit_of_work(|app| async move {
            let start_at = if switched_on {
                Some(app.store.xapi_statements_end().await?)
            } else {
                None
            };
            app.store
                .save_xapi_forwarding(
                    ForwardingSettings {
                        enabled: change.enabled,
                        endpoint: &endpoint,
                        username: key,
                        secret,
                        version,
                        updated_by: caller.id.0,
                    },
                    start_at,
                    app.now(),
                )
                .await?;
            let state = if change.enabled { "on" } else { "off" };
            let secret_note = if secret.is_some() {
                ", secret changed"
            } else {
                ""
            };
            app.audit(
                Some(caller),
                AuditAction::XapiForwardingChanged,
                "xAPI forwarding".to_owned(),
                format!("{state}, {endpoint}, key {key}, version {version}{secret_note}"),
            )
            .await
        })
        .await?;
        self.signal(Signal::JobsWaiting);
        self.xapi_forwarding(caller).await
    }

    /// The address as stored, or empty when none was given.
    async fn checked_endpoint(&self, raw: &str) -> AppResult<String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(String::new());
        }
        let mut url = resolve(raw, &self.settings.webhooks.allow_private)
            .await
            .map_err(|r| AppError::invalid("endpoint", r.message()))?
            .url;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(AppError::invalid(
                "endpoint",
                "Put the key and secret in their own fields, not in the address.",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(AppError::invalid(
                "endpoint",
                "Give the store's base address without ?… or #…, like https://lrs.example.com/xapi/.",
            ));
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(url.to_string())
    }

    /// A page (from 1) of dead letters, newest first.
    pub async fn xapi_dead_letters(&self, caller: &Caller, page: u64) -> AppResult<DeadLetterPage> {
        caller.require(Action::ForwardStatements, Resource::Platform)?;
        let page = page.max(1);
        let (rows, total) = self
            .store
            .xapi_dead_letters(
                crate::paging::offset(page, DEAD_LETTER_PAGE),
                DEAD_LETTER_PAGE,
            )
            .await?;
        Ok(DeadLetterPage {
            letters: rows.into_iter().map(DeadLetter::from).collect(),
            total,
            page,
            per_page: DEAD_LETTER_PAGE,
        })
    }

    /// Send one dead letter (`Some(id)`) or all of them again: the worker sends them on its
    /// next pass and removes each that arrives. How many were queued.
    pub async fn replay_xapi_dead_letters(
        &self,
        caller: &Caller,
        id: Option<i64>,
    ) -> AppResult<u64> {
        caller.require(Action::ForwardStatements, Resource::Platform)?;
        let queued = self
            .unit_of_work(|app| async move {
                let queued = app.store.request_xapi_replay(id).await?;
                if id.is_some() && queued == 0 {
                    return Err(AppError::NotFound("That dead letter"));
                }
                let target = id.map_or_else(
                    || "all dead letters".to_owned(),
                    |i| format!("dead letter {i}"),
                );
                app.audit(
                    Some(caller),
                    AuditAction::XapiDeadLettersReplayed,
                    format!("xAPI forwarding, {target}"),
                    format!("{queued} queued"),
                )
                .await?;
                Ok(queued)
            })
            .await?;
        self.signal(Signal::JobsWaiting);
        Ok(queued)
    }
}
