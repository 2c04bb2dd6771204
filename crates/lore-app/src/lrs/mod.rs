//! The learning record store behind `/xapi/`: who may call it (clients with Basic
//! credentials, or a signed-in person), statements, documents, activities and agents. The
//! xAPI rules come from `lore-xapi`; this module stores and finds (docs/decisions/0031).

mod activities;
mod clients;
mod documents;
mod from_events;
mod group_commit;
mod statements;

pub use clients::{NewXapiClient, SCOPES, XapiClient};
pub use documents::{DocumentAnswer, DocumentKind, DocumentWrite, Preconditions};
pub(crate) use group_commit::StatementQueue;
pub use statements::{StatementAnswer, StatementsPage};

use lore_xapi::Invalid;
use serde_json::{Value, json};

use crate::{AppError, Caller};

/// The most statements one page answers (also when the client asks for `limit=0`).
pub const MAX_PAGE: u32 = 100;

/// What a caller of `/xapi/` may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadScope {
    None,
    /// Statements the client wrote (a client), or about the person (a session).
    Mine,
    All,
}

/// Who is calling `/xapi/`, and what they may do.
#[derive(Debug, Clone)]
pub enum XapiWho {
    Client { id: i64, name: String, key: String },
    Person(Box<Caller>),
}

/// The caller of `/xapi/`: a client by its Basic credentials, or a signed-in person (read
/// only: a session cannot write, so no page elsewhere can make a browser write here).
#[derive(Debug, Clone)]
pub struct XapiCaller {
    pub who: XapiWho,
    pub read: ReadScope,
    pub write: bool,
}

impl XapiCaller {
    /// A signed-in person: platform administrators read everything, others their own.
    pub fn person(caller: Caller) -> XapiCaller {
        let read = if caller.platform_admin {
            ReadScope::All
        } else {
            ReadScope::Mine
        };
        XapiCaller {
            who: XapiWho::Person(Box::new(caller)),
            read,
            write: false,
        }
    }

    /// The person's agent key (their email as `mbox`), for "mine".
    fn person_key(&self) -> Option<String> {
        match &self.who {
            XapiWho::Person(c) => {
                lore_xapi::agent_key(&json!({ "mbox": format!("mailto:{}", c.email) })).ok()
            }
            XapiWho::Client { .. } => None,
        }
    }

    fn client_id(&self) -> Option<i64> {
        match &self.who {
            XapiWho::Client { id, .. } => Some(*id),
            XapiWho::Person(_) => None,
        }
    }

    fn require_write(&self) -> Result<(), LrsError> {
        if self.write {
            Ok(())
        } else {
            Err(LrsError::Forbidden("These credentials may not write."))
        }
    }

    fn require_read(&self) -> Result<(), LrsError> {
        if self.read == ReadScope::None {
            Err(LrsError::Forbidden("These credentials may not read."))
        } else {
            Ok(())
        }
    }

    /// Documents, activities and agents are not anyone's own: reading them takes read-all
    /// or write (a client that keeps state reads it back).
    fn require_read_documents(&self) -> Result<(), LrsError> {
        if self.read == ReadScope::All || self.write {
            Ok(())
        } else {
            Err(LrsError::Forbidden(
                "These credentials may not read documents.",
            ))
        }
    }
}

/// What a request to `/xapi/` can answer besides success.
#[derive(Debug, thiserror::Error)]
pub enum LrsError {
    /// 400 with the rule of the specification that was broken.
    #[error("{0}")]
    Invalid(Invalid),
    /// 403.
    #[error("{0}")]
    Forbidden(&'static str),
    /// 404.
    #[error("{0} was not found.")]
    NotFound(&'static str),
    /// 409: a statement id re-used with other content, or a document changed without a
    /// precondition.
    #[error("{0}")]
    Conflict(String),
    /// 412: an `If-Match` / `If-None-Match` that does not hold.
    #[error("{0}")]
    PreconditionFailed(String),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<Invalid> for LrsError {
    fn from(e: Invalid) -> Self {
        LrsError::Invalid(e)
    }
}

impl From<lore_store::StoreError> for LrsError {
    fn from(e: lore_store::StoreError) -> Self {
        LrsError::App(e.into())
    }
}

pub type LrsResult<T> = Result<T, LrsError>;

pub(crate) fn invalid(rule: &'static str, path: &str, message: impl Into<String>) -> LrsError {
    LrsError::Invalid(Invalid::new(rule, path, message))
}

impl crate::App {
    /// When statements stored now are stored, in milliseconds: now, or the latest time
    /// stored if the clock went back. Taken inside the unit of work that stores them: on
    /// SQLite that is the writer's turn, so `stored` never decreases as `seq` grows, and a
    /// since/until window is a range of `seq` (docs/decisions/0036).
    pub(crate) async fn xapi_stored_now(&self) -> crate::AppResult<i64> {
        let now = millis(self.now());
        let latest = self.store.latest_xapi_stored_ms().await?;
        Ok(latest.map_or(now, |latest| latest.max(now)))
    }
}

/// Milliseconds since 1970 of a time.
pub(crate) fn millis(t: time::OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// RFC 3339 in UTC with milliseconds, as xAPI writes `stored`.
pub(crate) fn rfc3339_ms(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let f = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    t.format(&f).unwrap_or_default()
}

/// A timestamp parameter (`since`, `until`) into milliseconds.
pub(crate) fn parse_ms(value: &str, path: &str) -> LrsResult<i64> {
    time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339)
        .map(millis)
        .map_err(|_| {
            invalid(
                "timestamp-format",
                path,
                format!("{value:?} is not an ISO 8601 (RFC 3339) timestamp."),
            )
        })
}

/// A JSON parameter (an agent) as it came in the query string.
pub(crate) fn json_param(value: &str, path: &str) -> LrsResult<Value> {
    serde_json::from_str(value).map_err(|_| {
        invalid(
            "parameter-json",
            path,
            format!("The {path} parameter must be JSON."),
        )
    })
}

/// The statement authority of a client: an agent with an account on this instance.
pub(crate) fn client_authority(public_url: &str, name: &str, key: &str) -> Value {
    json!({
        "objectType": "Agent",
        "name": name,
        "account": { "homePage": public_url, "name": key },
    })
}
