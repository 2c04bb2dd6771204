//! Documents of the learning record store: state, activity profiles and agent profiles, each
//! found by its kind, activity, agent, registration and id (empty where a kind has none).

use sea_orm::{ConnectionTrait, Value};

use crate::{Store, StoreResult};

/// Where a document lives. Empty strings stand for "none" (an agent profile has no activity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XapiDocumentKey {
    /// `state`, `activity_profile` or `agent_profile`.
    pub kind: &'static str,
    pub activity_id: String,
    pub agent_key: String,
    pub registration: String,
}

/// A stored document.
#[derive(Debug, Clone)]
pub struct XapiDocument {
    pub content_type: String,
    pub content: Vec<u8>,
    /// Quoted, as the `ETag` header carries it.
    pub etag: String,
    pub updated_ms: i64,
}

const WHERE_KEY: &str = "kind = $1 AND activity_id = $2 AND agent_key = $3 AND registration = $4";

fn key_values(key: &XapiDocumentKey) -> Vec<Value> {
    vec![
        key.kind.into(),
        key.activity_id.clone().into(),
        key.agent_key.clone().into(),
        key.registration.clone().into(),
    ]
}

impl Store {
    pub async fn xapi_document(
        &self,
        key: &XapiDocumentKey,
        document_id: &str,
    ) -> StoreResult<Option<XapiDocument>> {
        let mut values = key_values(key);
        values.push(document_id.into());
        let row = self
            .db
            .query_one_raw(self.raw(
                &format!(
                    "SELECT content_type, content, etag, updated_ms FROM xapi_documents \
                     WHERE {WHERE_KEY} AND document_id = $5"
                ),
                values,
            ))
            .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(XapiDocument {
            content_type: r.try_get("", "content_type")?,
            content: r.try_get("", "content")?,
            etag: r.try_get("", "etag")?,
            updated_ms: r.try_get("", "updated_ms")?,
        }))
    }

    /// Write a document, replacing the one stored under the same key and id.
    pub async fn put_xapi_document(
        &self,
        key: &XapiDocumentKey,
        document_id: &str,
        document: &XapiDocument,
    ) -> StoreResult<()> {
        let mut values = key_values(key);
        values.extend([
            document_id.into(),
            document.content_type.clone().into(),
            document.content.clone().into(),
            document.etag.clone().into(),
            document.updated_ms.into(),
        ]);
        self.db
            .execute_raw(self.raw(
                "INSERT INTO xapi_documents (kind, activity_id, agent_key, registration, \
                 document_id, content_type, content, etag, updated_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (kind, activity_id, agent_key, registration, document_id) DO UPDATE \
                 SET content_type = excluded.content_type, content = excluded.content, \
                 etag = excluded.etag, updated_ms = excluded.updated_ms",
                values,
            ))
            .await?;
        Ok(())
    }

    /// Delete one document (`Some(id)`) or every document under the key; how many went.
    pub async fn delete_xapi_documents(
        &self,
        key: &XapiDocumentKey,
        document_id: Option<&str>,
    ) -> StoreResult<u64> {
        let mut values = key_values(key);
        let sql = match document_id {
            Some(id) => {
                values.push(id.into());
                format!("DELETE FROM xapi_documents WHERE {WHERE_KEY} AND document_id = $5")
            }
            None => format!("DELETE FROM xapi_documents WHERE {WHERE_KEY}"),
        };
        Ok(self
            .db
            .execute_raw(self.raw(&sql, values))
            .await?
            .rows_affected())
    }

    /// The ids of the documents under the key, updated after `since_ms` if given.
    pub async fn xapi_document_ids(
        &self,
        key: &XapiDocumentKey,
        since_ms: Option<i64>,
    ) -> StoreResult<Vec<String>> {
        let mut values = key_values(key);
        let mut sql = format!("SELECT document_id FROM xapi_documents WHERE {WHERE_KEY}");
        if let Some(since) = since_ms {
            values.push(since.into());
            sql.push_str(" AND updated_ms > $5");
        }
        sql.push_str(" ORDER BY document_id");
        let rows = self.db.query_all_raw(self.raw(&sql, values)).await?;
        rows.iter()
            .map(|r| Ok(r.try_get("", "document_id")?))
            .collect()
    }
}
