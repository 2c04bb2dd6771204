//! Clients of the learning record store: a platform administrator creates one (name and
//! scopes), sees its key and secret once, lists and revokes them; a request with the key and
//! secret as HTTP Basic credentials acts as the client.

use lore_domain::audit::AuditAction;
use lore_domain::policy::{Action, Resource};
use lore_store::XapiClientRow;

use super::{ReadScope, XapiCaller, XapiWho};
use crate::secrets::{random_token, sha256_hex};
use crate::{App, AppError, AppResult, Caller};

/// The scope words a client may be given. `all` is every one.
pub const SCOPES: [&str; 4] = [
    "statements/read",
    "statements/read/mine",
    "statements/write",
    "all",
];

/// A client as the admin sees it later: never the secret.
#[derive(Debug, Clone)]
pub struct XapiClient {
    pub id: i64,
    pub name: String,
    pub key: String,
    pub scopes: Vec<String>,
    pub created_at: time::OffsetDateTime,
    pub last_used_at: Option<time::OffsetDateTime>,
    pub revoked_at: Option<time::OffsetDateTime>,
}

/// A client just made, with its secret (shown this once).
#[derive(Debug, Clone)]
pub struct NewXapiClient {
    pub client: XapiClient,
    pub secret: String,
}

impl From<XapiClientRow> for XapiClient {
    fn from(r: XapiClientRow) -> Self {
        XapiClient {
            id: r.id,
            name: r.name,
            key: r.key,
            scopes: r.scopes.split_whitespace().map(str::to_owned).collect(),
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        }
    }
}

impl App {
    /// Create a client of `/xapi/` (platform administrators only).
    pub async fn create_xapi_client(
        &self,
        caller: &Caller,
        name: &str,
        scopes: &[String],
    ) -> AppResult<NewXapiClient> {
        caller.require(Action::ViewInstance, Resource::Platform)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > crate::tokens::NAME_MAX_CHARS {
            return Err(AppError::invalid(
                "name",
                "Give the client a name of 1 to 80 characters, like \"Reporting tool\".",
            ));
        }
        let mut chosen: Vec<&str> = Vec::new();
        for s in scopes {
            let s = s.trim();
            if !SCOPES.contains(&s) {
                return Err(AppError::invalid(
                    "scopes",
                    format!("Unknown scope {s:?}; choose from {}.", SCOPES.join(", ")),
                ));
            }
            if !chosen.contains(&s) {
                chosen.push(s);
            }
        }
        if chosen.is_empty() {
            return Err(AppError::invalid(
                "scopes",
                "Choose at least one scope: read all, read mine or write.",
            ));
        }
        let key = format!("lore_xapi_{}", &random_token()[..20]);
        let secret = random_token();
        let scopes = chosen.join(" ");
        self.unit_of_work(|app| async move {
            let row = app
                .store
                .insert_xapi_client(
                    name,
                    &key,
                    &sha256_hex(&secret),
                    &scopes,
                    caller.id.0,
                    app.now(),
                )
                .await?;
            app.audit(
                Some(caller),
                AuditAction::XapiClientCreated,
                format!("xAPI client {name}"),
                format!("key {key}, scopes {scopes}"),
            )
            .await?;
            Ok(NewXapiClient {
                client: row.into(),
                secret,
            })
        })
        .await
    }

    /// Every client, newest first (platform administrators only).
    pub async fn xapi_clients(&self, caller: &Caller) -> AppResult<Vec<XapiClient>> {
        caller.require(Action::ViewInstance, Resource::Platform)?;
        Ok(self
            .store
            .xapi_clients()
            .await?
            .into_iter()
            .map(XapiClient::from)
            .collect())
    }

    /// Revoke a client: its credentials stop working at once.
    pub async fn revoke_xapi_client(&self, caller: &Caller, id: i64) -> AppResult<()> {
        caller.require(Action::ViewInstance, Resource::Platform)?;
        self.unit_of_work(|app| async move {
            if !app.store.revoke_xapi_client(id, app.now()).await? {
                return Err(AppError::NotFound("That client"));
            }
            app.audit(
                Some(caller),
                AuditAction::XapiClientRevoked,
                format!("xAPI client {id}"),
                String::new(),
            )
            .await
        })
        .await
    }

    /// The client whose Basic credentials these are, if they are right and it is live.
    pub async fn xapi_client_caller(
        &self,
        key: &str,
        secret: &str,
    ) -> AppResult<Option<XapiCaller>> {
        let Some(row) = self.store.live_xapi_client(key).await? else {
            return Ok(None);
        };
        let hash = sha256_hex(secret);
        if !constant_time_eq(hash.as_bytes(), row.secret_hash.as_bytes()) {
            return Ok(None);
        }
        let now = self.now();
        if row
            .last_used_at
            .is_none_or(|t| now - t > time::Duration::minutes(1))
        {
            self.store.mark_xapi_client_used(row.id, now).await?;
        }
        let scopes: Vec<&str> = row.scopes.split_whitespace().collect();
        let all = scopes.contains(&"all");
        let read = if all || scopes.contains(&"statements/read") {
            ReadScope::All
        } else if scopes.contains(&"statements/read/mine") {
            ReadScope::Mine
        } else {
            ReadScope::None
        };
        Ok(Some(XapiCaller {
            who: XapiWho::Client {
                id: row.id,
                name: row.name,
                key: row.key,
            },
            read,
            write: all || scopes.contains(&"statements/write"),
        }))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
