//! Documents: state (`/activities/state`), activity profiles (`/activities/profile`) and
//! agent profiles (`/agents/profile`). PUT replaces, POST merges JSON objects, DELETE
//! removes; `If-Match` / `If-None-Match` guard changes (412), and a PUT without either on
//! an existing document is refused (409): for profiles in both versions, for state in 2.0.0
//! only (1.0.3 exempts state; docs/decisions/0035). ETags are the quoted SHA-1 of the
//! content, as 1.0.3 requires (2.0.0 leaves the value to the LRS).

use lore_store::{XapiDocument, XapiDocumentKey};
use lore_xapi::Version;
use serde_json::Value;
use sha1::{Digest, Sha1};

use super::{LrsError, LrsResult, XapiCaller, invalid, json_param, millis, parse_ms};
use crate::App;

/// Which document resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    State,
    ActivityProfile,
    AgentProfile,
}

impl DocumentKind {
    fn word(self) -> &'static str {
        match self {
            DocumentKind::State => "state",
            DocumentKind::ActivityProfile => "activity_profile",
            DocumentKind::AgentProfile => "agent_profile",
        }
    }

    /// The parameter naming one document.
    fn id_param(self) -> &'static str {
        match self {
            DocumentKind::State => "stateId",
            _ => "profileId",
        }
    }

    fn allowed(self) -> &'static [&'static str] {
        match self {
            DocumentKind::State => &["activityId", "agent", "registration", "stateId", "since"],
            DocumentKind::ActivityProfile => &["activityId", "profileId", "since"],
            DocumentKind::AgentProfile => &["agent", "profileId", "since"],
        }
    }
}

/// `If-Match` and `If-None-Match` as the request sent them.
#[derive(Debug, Clone, Default)]
pub struct Preconditions {
    pub if_match: Option<String>,
    pub if_none_match: Option<String>,
}

/// A document to write (PUT replaces, POST merges).
#[derive(Debug, Clone)]
pub struct DocumentWrite {
    pub content_type: String,
    pub content: Vec<u8>,
    pub preconditions: Preconditions,
    /// POST: merge JSON objects into the stored document.
    pub merge: bool,
    /// The request's xAPI version (the 409 rule for state differs).
    pub version: Version,
}

/// What `GET` on a document resource answers.
#[derive(Debug, Clone)]
pub enum DocumentAnswer {
    One(XapiDocument),
    /// Without an id: the ids stored (since a time, if asked).
    Ids(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Read,
    Write,
    Delete,
}

struct Address {
    key: XapiDocumentKey,
    id: Option<String>,
    since_ms: Option<i64>,
}

impl App {
    pub async fn xapi_get_document(
        &self,
        caller: &XapiCaller,
        kind: DocumentKind,
        params: &[(String, String)],
    ) -> LrsResult<DocumentAnswer> {
        caller.require_read_documents()?;
        let a = address(kind, params, Op::Read)?;
        match &a.id {
            Some(id) => self
                .store
                .xapi_document(&a.key, id)
                .await?
                .map(DocumentAnswer::One)
                .ok_or(LrsError::NotFound("That document")),
            None => Ok(DocumentAnswer::Ids(
                self.store.xapi_document_ids(&a.key, a.since_ms).await?,
            )),
        }
    }

    /// PUT (`merge = false`: replace) or POST (`merge = true`: merge JSON objects).
    pub async fn xapi_write_document(
        &self,
        caller: &XapiCaller,
        kind: DocumentKind,
        params: &[(String, String)],
        write: DocumentWrite,
    ) -> LrsResult<()> {
        caller.require_write()?;
        let a = address(kind, params, Op::Write)?;
        let DocumentWrite {
            content_type,
            content,
            preconditions,
            merge,
            version,
        } = write;
        let preconditions = &preconditions;
        let id = a.id.unwrap_or_default();
        let content_type = match content_type.trim() {
            "" => "application/octet-stream".to_owned(),
            t => t.to_owned(),
        };
        self.unit_of_work(|app| async move {
            let existing = app.store.xapi_document(&a.key, &id).await?;
            if let Err(e) = check(
                kind,
                existing.as_ref(),
                preconditions,
                (!merge).then_some(version),
            ) {
                return Ok(Err(e));
            }
            let (content_type, content) = match (merge, &existing) {
                (true, Some(old)) => match merged(old, &content_type, &content) {
                    Ok(c) => ("application/json".to_owned(), c),
                    Err(e) => return Ok(Err(e)),
                },
                (true, None) if is_json(&content_type) => {
                    if let Err(e) = json_object(&content, "body") {
                        return Ok(Err(e));
                    }
                    (content_type, content)
                }
                _ => (content_type, content),
            };
            let document = XapiDocument {
                etag: etag(&content),
                content_type,
                content,
                updated_ms: millis(app.now()),
            };
            app.store.put_xapi_document(&a.key, &id, &document).await?;
            Ok(Ok(()))
        })
        .await?
    }

    pub async fn xapi_delete_document(
        &self,
        caller: &XapiCaller,
        kind: DocumentKind,
        params: &[(String, String)],
        preconditions: &Preconditions,
    ) -> LrsResult<()> {
        caller.require_write()?;
        let a = address(kind, params, Op::Delete)?;
        self.unit_of_work(|app| async move {
            if let Some(id) = &a.id {
                let existing = app.store.xapi_document(&a.key, id).await?;
                if let Err(e) = check(kind, existing.as_ref(), preconditions, None) {
                    return Ok(Err(e));
                }
            }
            app.store
                .delete_xapi_documents(&a.key, a.id.as_deref())
                .await?;
            Ok(Ok(()))
        })
        .await?
    }
}

/// The quoted ETag of a content: the hexadecimal SHA-1 of its bytes (xAPI 1.0.3
/// Communication 3.1: "a hexadecimal string of the SHA-1 digest of the contents").
fn etag(content: &[u8]) -> String {
    format!("\"{}\"", hex::encode(Sha1::digest(content)))
}

fn is_json(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

fn json_object(content: &[u8], path: &str) -> LrsResult<Value> {
    match serde_json::from_slice::<Value>(content) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(invalid(
            "document-merge-json",
            path,
            "Only JSON objects can be merged: send a JSON object with Content-Type application/json.",
        )),
    }
}

fn merged(old: &XapiDocument, content_type: &str, content: &[u8]) -> LrsResult<Vec<u8>> {
    if !is_json(&old.content_type) || !is_json(content_type) {
        return Err(invalid(
            "document-merge-json",
            "Content-Type",
            "The stored document or this one is not JSON; POST merges JSON objects only (use PUT to replace).",
        ));
    }
    let old = json_object(&old.content, "stored document")?;
    let new = json_object(content, "body")?;
    Ok(lore_xapi::merge_documents(&old, &new)?
        .to_string()
        .into_bytes())
}

/// Does an ETag header value (`*` or a list of quoted tags) name this document?
fn names(header: &str, document: &XapiDocument) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag == document.etag || format!("\"{tag}\"") == document.etag)
}

/// The concurrency rules. `replacing`: a PUT in this version, which on an existing profile
/// (and, in 2.0.0, state) document needs one of the two headers (409 without).
fn check(
    kind: DocumentKind,
    existing: Option<&XapiDocument>,
    p: &Preconditions,
    replacing: Option<Version>,
) -> LrsResult<()> {
    if let Some(want) = &p.if_match
        && !existing.is_some_and(|d| names(want, d))
    {
        return Err(LrsError::PreconditionFailed(
            "If-Match does not match the stored document.".to_owned(),
        ));
    }
    if let Some(want) = &p.if_none_match
        && existing.is_some_and(|d| names(want, d))
    {
        return Err(LrsError::PreconditionFailed(
            "If-None-Match: the document exists.".to_owned(),
        ));
    }
    let guarded = match replacing {
        None => false,
        Some(Version::V1_0_3) => kind != DocumentKind::State,
        Some(Version::V2_0_0) => true,
    };
    if guarded && existing.is_some() && p.if_match.is_none() && p.if_none_match.is_none() {
        return Err(LrsError::Conflict(
            "The document exists: send If-Match with its ETag (or If-None-Match: *) to change it."
                .to_owned(),
        ));
    }
    Ok(())
}

fn address(kind: DocumentKind, params: &[(String, String)], op: Op) -> LrsResult<Address> {
    if let Some((k, _)) = params
        .iter()
        .find(|(k, _)| !kind.allowed().contains(&k.as_str()))
    {
        return Err(invalid(
            "unknown-parameter",
            k,
            format!(
                "Unknown parameter {k:?}; this resource takes {}.",
                kind.allowed().join(", ")
            ),
        ));
    }
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let required = |name: &'static str| {
        get(name).ok_or_else(|| {
            invalid(
                "parameter-required",
                name,
                format!("The {name} parameter is required."),
            )
        })
    };
    let activity_id = match kind {
        DocumentKind::AgentProfile => String::new(),
        _ => required("activityId")?,
    };
    let agent_key = match kind {
        DocumentKind::ActivityProfile => String::new(),
        _ => lore_xapi::agent_key(&json_param(&required("agent")?, "agent")?)?,
    };
    let registration = match get("registration") {
        Some(r) => uuid::Uuid::parse_str(r.trim())
            .map_err(|_| {
                invalid(
                    "registration-uuid",
                    "registration",
                    "registration must be a UUID.",
                )
            })?
            .to_string(),
        None => String::new(),
    };
    let id = get(kind.id_param());
    let id_needed = op == Op::Write || (op == Op::Delete && kind != DocumentKind::State);
    if id.is_none() && id_needed {
        required(kind.id_param())?;
    }
    let since_ms = match get("since") {
        Some(_) if op != Op::Read || id.is_some() => {
            return Err(invalid(
                "since-listing-only",
                "since",
                "since goes only with a request for the list of ids.",
            ));
        }
        Some(s) => Some(parse_ms(&s, "since")?),
        None => None,
    };
    Ok(Address {
        key: XapiDocumentKey {
            kind: kind.word(),
            activity_id,
            agent_key,
            registration,
        },
        id,
        since_ms,
    })
}
