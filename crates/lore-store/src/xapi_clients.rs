//! Clients of the learning record store: HTTP Basic credentials an administrator creates,
//! with their scopes; the secret is kept as a SHA-256 hash.

use sea_orm::{ConnectionTrait, QueryResult};

use crate::{Store, StoreError, StoreResult, Timestamp};

/// A client as stored (never its secret).
#[derive(Debug, Clone)]
pub struct XapiClientRow {
    pub id: i64,
    pub name: String,
    pub key: String,
    pub secret_hash: String,
    /// Space-separated scope words.
    pub scopes: String,
    pub created_by: Option<i64>,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

const COLUMNS: &str =
    "id, name, key, secret_hash, scopes, created_by, created_at, last_used_at, revoked_at";

fn client(r: &QueryResult) -> StoreResult<XapiClientRow> {
    Ok(XapiClientRow {
        id: r.try_get("", "id")?,
        name: r.try_get("", "name")?,
        key: r.try_get("", "key")?,
        secret_hash: r.try_get("", "secret_hash")?,
        scopes: r.try_get("", "scopes")?,
        created_by: r.try_get("", "created_by")?,
        created_at: r.try_get("", "created_at")?,
        last_used_at: r.try_get("", "last_used_at")?,
        revoked_at: r.try_get("", "revoked_at")?,
    })
}

impl Store {
    pub async fn insert_xapi_client(
        &self,
        name: &str,
        key: &str,
        secret_hash: &str,
        scopes: &str,
        created_by: i64,
        now: Timestamp,
    ) -> StoreResult<XapiClientRow> {
        let row = self
            .db
            .query_one_raw(self.raw(
                &format!(
                    "INSERT INTO xapi_clients (name, key, secret_hash, scopes, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}"
                ),
                vec![
                    name.into(),
                    key.into(),
                    secret_hash.into(),
                    scopes.into(),
                    created_by.into(),
                    now.into(),
                ],
            ))
            .await
            .map_err(StoreError::from_db)?
            .ok_or_else(|| StoreError::Db(sea_orm::DbErr::RecordNotInserted))?;
        client(&row)
    }

    /// Every client, newest first, revoked ones included.
    pub async fn xapi_clients(&self) -> StoreResult<Vec<XapiClientRow>> {
        let rows = self
            .db
            .query_all_raw(self.raw(
                &format!("SELECT {COLUMNS} FROM xapi_clients ORDER BY created_at DESC, id DESC"),
                vec![],
            ))
            .await?;
        rows.iter().map(client).collect()
    }

    /// The live (unrevoked) client with this key.
    pub async fn live_xapi_client(&self, key: &str) -> StoreResult<Option<XapiClientRow>> {
        let row = self
            .db
            .query_one_raw(self.raw(
                &format!(
                    "SELECT {COLUMNS} FROM xapi_clients WHERE key = $1 AND revoked_at IS NULL"
                ),
                vec![key.into()],
            ))
            .await?;
        row.as_ref().map(client).transpose()
    }

    pub async fn mark_xapi_client_used(&self, id: i64, now: Timestamp) -> StoreResult<()> {
        self.db
            .execute_raw(self.raw(
                "UPDATE xapi_clients SET last_used_at = $1 WHERE id = $2",
                vec![now.into(), id.into()],
            ))
            .await?;
        Ok(())
    }

    /// Revoke a client; `false` if there is no such live client.
    pub async fn revoke_xapi_client(&self, id: i64, now: Timestamp) -> StoreResult<bool> {
        let r = self
            .db
            .execute_raw(self.raw(
                "UPDATE xapi_clients SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                vec![now.into(), id.into()],
            ))
            .await?;
        Ok(r.rows_affected() > 0)
    }
}
