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
    /// The id of a statement that came without one: a UUID of version 7, whose first 48 bits
    /// are the time in milliseconds (the app's clock), so that ids Lore gives follow one
    /// another in the unique index instead of landing on a random page of it
    /// (docs/decisions/0053).
    pub(crate) fn new_statement_id(&self) -> uuid::Uuid {
        uuid_v7(millis(self.now()))
    }

    pub(crate) async fn xapi_stored_now(&self) -> crate::AppResult<i64> {
        let now = millis(self.now());
        let latest = self.store.latest_xapi_stored_ms().await?;
        Ok(latest.map_or(now, |latest| latest.max(now)))
    }
}

/// A UUID of version 7 (RFC 9562): the time in milliseconds in the first 48 bits, then the
/// version, 74 random bits and the variant. Made from a version 4 UUID's random bits.
pub(crate) fn uuid_v7(ms: i64) -> uuid::Uuid {
    let mut bytes = *uuid::Uuid::new_v4().as_bytes();
    let ms = u64::try_from(ms).unwrap_or(0).to_be_bytes();
    bytes[..6].copy_from_slice(&ms[2..]);
    bytes[6] = 0x70 | (bytes[6] & 0x0f);
    // The variant bits (10) are already those of the version 4 UUID.
    uuid::Uuid::from_bytes(bytes)
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

#[cfg(test)]
mod tests {
    use super::uuid_v7;

    /// Ids Lore gives are version 7 UUIDs of the RFC 4122 variant (valid statement ids),
    /// ordered by their millisecond, and distinct within one.
    #[test]
    fn statement_ids_follow_the_clock() {
        let ms = 1_796_515_200_123; // 2026-12-06, any instant will do
        let a = uuid_v7(ms);
        let b = uuid_v7(ms);
        let later = uuid_v7(ms + 1);
        assert_ne!(a, b);
        for id in [a, b, later] {
            assert_eq!(id.get_version_num(), 7);
            assert_eq!(id.get_variant(), uuid::Variant::RFC4122);
            let statement = serde_json::json!({
                "id": id.to_string(),
                "actor": {"mbox": "mailto:ada@acme.test"},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
                "object": {"id": "https://acme.test/a"}
            });
            let valid = lore_xapi::validate_statement(&statement, lore_xapi::Version::V2_0_0);
            assert!(valid.is_ok(), "{id}: {valid:?}");
        }
        assert!(a.max(b) < later, "{a} {b} {later}");
        let mut first = [0u8; 8];
        first[2..].copy_from_slice(&a.as_bytes()[..6]);
        assert_eq!(u64::from_be_bytes(first), ms as u64);
    }
}
