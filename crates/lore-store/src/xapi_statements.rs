//! Statements of the learning record store: a batch stored with its index rows, found by id,
//! and queried by the filters of `GET /xapi/statements` (`xapi_statement_refs.rs`), paged by
//! the storing order (`seq`). The xAPI rules themselves live in `lore-xapi` and `lore-app`.

use sea_orm::{ConnectionTrait, QueryResult, Value};

use std::collections::HashMap;

use crate::xapi_index_rows::{Key, epoch as epoch_of};
use crate::{Store, StoreResult};

/// Bound values per statement, under both backends' limits.
const MAX_PARAMS: usize = 30_000;

/// A statement to store, with what it is found by.
#[derive(Debug, Clone)]
pub struct NewXapiStatement {
    pub statement_id: String,
    pub stored_ms: i64,
    pub verb: String,
    pub registration: Option<String>,
    /// The statement this one voids.
    pub voids: Option<String>,
    pub client_id: Option<i64>,
    /// The completed statement, JSON.
    pub statement: String,
    /// Agent keys it names, `true` where named directly (actor, object).
    pub agents: Vec<(String, bool)>,
    /// Activity ids it names, `true` where the object.
    pub activities: Vec<(String, bool)>,
    /// Its id was made by the LRS for this write (a version 7 UUID): no statement stored
    /// before can name it, so it is not looked for among the voided-early.
    pub fresh: bool,
}

/// A stored statement.
#[derive(Debug, Clone)]
pub struct StoredXapiStatement {
    pub seq: i64,
    pub statement_id: String,
    pub voided: bool,
    /// The id of the statement this one voids, if it voids one.
    pub voids: Option<String>,
    pub stored_ms: i64,
    /// The client that wrote it.
    pub client_id: Option<i64>,
    pub statement: String,
}

/// The filters of a statement query, as the store applies them.
#[derive(Debug, Clone, Default)]
pub struct XapiFilter {
    pub agent: Option<String>,
    pub related_agents: bool,
    pub verb: Option<String>,
    pub activity: Option<String>,
    pub related_activities: bool,
    pub registration: Option<String>,
    /// Stored strictly after.
    pub since_ms: Option<i64>,
    /// Stored at or before.
    pub until_ms: Option<i64>,
    pub ascending: bool,
    /// Continue after this statement (in the query's order): the `more` cursor.
    pub after_seq: Option<i64>,
    /// Only statements written by this client (`statements/read/mine`).
    pub client_id: Option<i64>,
    /// Only statements naming this agent directly (a person reading their own).
    pub mine_agent: Option<String>,
    pub limit: u64,
}

pub(crate) const COLUMNS: &str =
    "s.seq, s.statement_id, s.voided, s.voids, s.stored_ms, s.client_id, s.statement";

pub(crate) fn stored(r: &QueryResult) -> StoreResult<StoredXapiStatement> {
    Ok(StoredXapiStatement {
        seq: r.try_get("", "seq")?,
        statement_id: r.try_get("", "statement_id")?,
        voided: r.try_get("", "voided")?,
        voids: r.try_get("", "voids")?,
        stored_ms: r.try_get("", "stored_ms")?,
        client_id: r.try_get("", "client_id")?,
        statement: r.try_get("", "statement")?,
    })
}

/// `(…), (…)`: `rows` tuples of `per_row` values each, for a multi-row INSERT whose every
/// value is bound in order. On SQLite the marks are plain `?`: sqlx looks each `$n` up by its
/// name, a walk of the statement's parameter list per value (a profile of a 100-statement
/// batch spent 7 % of the server's time there).
fn value_rows(backend: crate::Backend, rows: usize, per_row: usize) -> String {
    (0..rows)
        .map(|r| {
            let marks = match backend {
                crate::Backend::Sqlite => vec!["?".to_owned(); per_row].join(", "),
                crate::Backend::Postgres => placeholders(r * per_row, per_row),
            };
            format!("({marks})")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `$1, $2, …` for `n` values starting after `from`.
fn placeholders(from: usize, n: usize) -> String {
    (from + 1..=from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// The stored statements with these ids (voided or not).
    pub async fn xapi_statements_by_id(
        &self,
        ids: &[String],
    ) -> StoreResult<Vec<StoredXapiStatement>> {
        let mut found = Vec::new();
        for chunk in ids.chunks(MAX_PARAMS) {
            let sql = format!(
                "SELECT {COLUMNS} FROM xapi_statements s WHERE s.statement_id IN ({})",
                placeholders(0, chunk.len())
            );
            let values = chunk.iter().map(|i| Value::from(i.clone())).collect();
            for r in self.db.query_all_raw(self.raw(&sql, values)).await? {
                found.push(stored(&r)?);
            }
        }
        Ok(found)
    }

    /// Store a batch with its index rows, and mark voided the statements it voids (and any of
    /// its own that an earlier statement voided). Atomic on its own; inside a unit of work,
    /// part of it.
    pub async fn insert_xapi_statements(&self, batch: &[NewXapiStatement]) -> StoreResult<()> {
        if batch.is_empty() {
            return Ok(());
        }
        // Inside a unit of work its own failure rolls the whole unit back, so no savepoint
        // (two round trips fewer for every group of batches, docs/decisions/0048).
        let own = !self.in_work();
        let tx = if own {
            self.write_tx().await?
        } else {
            self.db.clone()
        };
        let mut seqs = HashMap::with_capacity(batch.len());
        if self.backend == crate::Backend::Sqlite {
            // SQLite has one writer at a time, so the seqs after the last one given are this
            // write's: each row gets its own in the INSERT, which then needs no RETURNING
            // (whose rows SQLite gathers in a temporary table and hands over fifty at a time,
            // docs/decisions/0053). `sqlite_sequence` holds the largest seq ever given.
            let last = tx
                .query_one_raw(self.raw(
                    "SELECT COALESCE((SELECT seq FROM sqlite_sequence \
                     WHERE name = 'xapi_statements'), 0) AS seq",
                    vec![],
                ))
                .await?
                .map(|r| r.try_get::<i64>("", "seq"))
                .transpose()?
                .unwrap_or(0);
            const PER_ROW: usize = 9;
            for (offset, chunk) in batch.chunks(MAX_PARAMS / PER_ROW).enumerate() {
                let first = last + 1 + (offset * (MAX_PARAMS / PER_ROW)) as i64;
                let sql = format!(
                    "INSERT INTO xapi_statements (seq, statement_id, stored_ms, verb, \
                     registration, voids, client_id, statement, voided) VALUES {}",
                    value_rows(self.backend, chunk.len(), PER_ROW)
                );
                let mut values = Vec::with_capacity(chunk.len() * PER_ROW);
                for (i, s) in chunk.iter().enumerate() {
                    let seq = first + i as i64;
                    seqs.insert(s.statement_id.clone(), seq);
                    values.push(Value::from(seq));
                    values.extend(statement_values(s));
                }
                tx.execute_raw(self.raw(&sql, values))
                    .await
                    .map_err(crate::StoreError::from_db)?;
            }
        } else {
            // Each row's `seq` comes back from its INSERT, so the index rows need no second
            // look-up.
            const PER_ROW: usize = 8;
            for chunk in batch.chunks(MAX_PARAMS / PER_ROW) {
                let sql = format!(
                    "INSERT INTO xapi_statements (statement_id, stored_ms, verb, registration, \
                     voids, client_id, statement, voided) VALUES {} RETURNING seq, statement_id",
                    value_rows(self.backend, chunk.len(), PER_ROW)
                );
                let values = chunk.iter().flat_map(statement_values).collect();
                let returned = tx
                    .query_all_raw(self.raw(&sql, values))
                    .await
                    .map_err(crate::StoreError::from_db)?;
                for r in returned {
                    seqs.insert(
                        r.try_get::<String>("", "statement_id")?,
                        r.try_get::<i64>("", "seq")?,
                    );
                }
            }
        }
        self.insert_index_rows(&tx, batch, &seqs).await?;
        let voids: Vec<String> = batch.iter().filter_map(|s| s.voids.clone()).collect();
        for chunk in voids.chunks(MAX_PARAMS) {
            let sql = format!(
                "UPDATE xapi_statements SET voided = TRUE WHERE statement_id IN ({})",
                placeholders(0, chunk.len())
            );
            let values = chunk.iter().map(|i| Value::from(i.clone())).collect();
            tx.execute_raw(self.raw(&sql, values)).await?;
        }
        // A statement that arrives after the statement voiding it is voided at once. The
        // look-up reads the `voids` index alone: asking for `voids IS NULL` in the same
        // statement let SQLite walk that index over every stored statement.
        let named: Vec<&String> = batch
            .iter()
            .filter(|s| !s.fresh)
            .map(|s| &s.statement_id)
            .collect();
        let mut voided_early = Vec::new();
        for chunk in named.chunks(MAX_PARAMS) {
            let sql = format!(
                "SELECT voids FROM xapi_statements WHERE voids IN ({})",
                placeholders(0, chunk.len())
            );
            let values = chunk.iter().map(|i| Value::from((*i).clone())).collect();
            for r in tx.query_all_raw(self.raw(&sql, values)).await? {
                voided_early.push(r.try_get::<String>("", "voids")?);
            }
        }
        for chunk in voided_early.chunks(MAX_PARAMS) {
            let sql = format!(
                "UPDATE xapi_statements SET voided = TRUE WHERE statement_id IN ({}) \
                 AND voids IS NULL",
                placeholders(0, chunk.len())
            );
            let values = chunk.iter().map(|i| Value::from(i.clone())).collect();
            tx.execute_raw(self.raw(&sql, values)).await?;
        }
        if own {
            tx.commit().await?;
        }
        Ok(())
    }

    /// The agent, activity and (on SQLite) registration rows of a batch whose statements
    /// got `seqs` (docs/decisions/0056).
    async fn insert_index_rows(
        &self,
        tx: &crate::connection::Conn,
        batch: &[NewXapiStatement],
        seqs: &HashMap<String, i64>,
    ) -> StoreResult<()> {
        let sqlite = self.backend == crate::Backend::Sqlite;
        let registrations: Vec<(i64, String, bool)> = if sqlite {
            batch
                .iter()
                .filter_map(|s| Some((*seqs.get(&s.statement_id)?, s.registration.clone()?, true)))
                .collect()
        } else {
            Vec::new()
        };
        for (key, rows) in [
            (Key::Agent, index_rows(batch, seqs, |s| &s.agents)),
            (Key::Activity, index_rows(batch, seqs, |s| &s.activities)),
            (Key::Registration, registrations),
        ] {
            // On SQLite, `OR FAIL`: a multi-row INSERT whose conflicts abort (the default)
            // copies every page it changes into a statement journal first, to undo itself
            // alone; these rows cannot conflict (each `seq` is new), and any failure rolls
            // back the whole write, so FAIL's "keep the rows before" never shows
            // (docs/decisions/0055).
            let (verb, epoch) = if sqlite {
                ("INSERT OR FAIL", "epoch, ")
            } else {
                ("INSERT", "")
            };
            let direct = if key == Key::Registration {
                ""
            } else {
                ", direct"
            };
            let per_row = usize::from(sqlite) + 2 + usize::from(key != Key::Registration);
            for chunk in rows.chunks(MAX_PARAMS / per_row) {
                let sql = format!(
                    "{verb} INTO {} ({epoch}seq, {}{direct}) VALUES {}",
                    key.table(),
                    key.column(),
                    value_rows(self.backend, chunk.len(), per_row)
                );
                let mut values = Vec::with_capacity(chunk.len() * per_row);
                for (seq, value, is_direct) in chunk {
                    if sqlite {
                        values.push(Value::from(epoch_of(*seq)));
                    }
                    values.push(Value::from(*seq));
                    values.push(value.clone().into());
                    if key != Key::Registration {
                        values.push((*is_direct).into());
                    }
                }
                tx.execute_raw(self.raw(&sql, values)).await?;
            }
        }
        Ok(())
    }

    /// Keep attachment contents by their SHA-2 (a content already kept stays as it is).
    pub async fn put_xapi_attachments(
        &self,
        parts: &[(String, String, Vec<u8>)],
    ) -> StoreResult<()> {
        for (sha2, content_type, bytes) in parts {
            self.db
                .execute_raw(self.raw(
                    "INSERT INTO xapi_attachments (sha2, content_type, content) VALUES ($1, $2, $3) \
                     ON CONFLICT (sha2) DO NOTHING",
                    vec![
                        sha2.clone().into(),
                        content_type.clone().into(),
                        bytes.clone().into(),
                    ],
                ))
                .await?;
        }
        Ok(())
    }

    /// Kept attachments with these SHA-2s: (sha2, content type, bytes).
    pub async fn xapi_attachments(
        &self,
        sha2s: &[String],
    ) -> StoreResult<Vec<(String, String, Vec<u8>)>> {
        if sha2s.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT sha2, content_type, content FROM xapi_attachments WHERE sha2 IN ({})",
            placeholders(0, sha2s.len())
        );
        let values = sha2s.iter().map(|s| Value::from(s.clone())).collect();
        let rows = self.db.query_all_raw(self.raw(&sql, values)).await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("", "sha2")?,
                    r.try_get("", "content_type")?,
                    r.try_get("", "content")?,
                ))
            })
            .collect()
    }

    /// The kept definition of an activity, JSON.
    pub async fn xapi_activity(&self, activity_id: &str) -> StoreResult<Option<String>> {
        Ok(self
            .xapi_activities(&[activity_id.to_owned()])
            .await?
            .remove(activity_id))
    }

    /// The kept definitions of these activities, JSON, by activity id.
    pub async fn xapi_activities(
        &self,
        activity_ids: &[String],
    ) -> StoreResult<std::collections::HashMap<String, String>> {
        let mut found = std::collections::HashMap::new();
        for chunk in activity_ids.chunks(MAX_PARAMS) {
            let sql = format!(
                "SELECT activity_id, definition FROM xapi_activities WHERE activity_id IN ({})",
                placeholders(0, chunk.len())
            );
            let values = chunk.iter().map(|i| Value::from(i.clone())).collect();
            for r in self.db.query_all_raw(self.raw(&sql, values)).await? {
                found.insert(r.try_get("", "activity_id")?, r.try_get("", "definition")?);
            }
        }
        Ok(found)
    }

    /// Keep activities' (merged) definitions: (activity id, definition JSON), ids distinct.
    pub async fn put_xapi_activities(
        &self,
        definitions: &[(String, String)],
        now_ms: i64,
    ) -> StoreResult<()> {
        for chunk in definitions.chunks(MAX_PARAMS / 3) {
            let sql = format!(
                "INSERT INTO xapi_activities (activity_id, definition, updated_ms) VALUES {} \
                 ON CONFLICT (activity_id) DO UPDATE SET definition = excluded.definition, \
                 updated_ms = excluded.updated_ms",
                value_rows(self.backend, chunk.len(), 3)
            );
            let values = chunk
                .iter()
                .flat_map(|(id, definition)| {
                    [
                        Value::from(id.clone()),
                        definition.clone().into(),
                        now_ms.into(),
                    ]
                })
                .collect();
            self.db.execute_raw(self.raw(&sql, values)).await?;
        }
        Ok(())
    }
}

/// (seq, key, direct) rows of a batch, one per key and statement (direct wins).
fn index_rows(
    batch: &[NewXapiStatement],
    seqs: &HashMap<String, i64>,
    keys: impl Fn(&NewXapiStatement) -> &Vec<(String, bool)>,
) -> Vec<(i64, String, bool)> {
    let mut rows = Vec::new();
    for s in batch {
        let Some(seq) = seqs.get(&s.statement_id) else {
            continue;
        };
        let mut mine: Vec<(String, bool)> = keys(s).clone();
        // Direct first, so that the first of each key is kept.
        mine.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        mine.dedup_by(|a, b| a.0 == b.0);
        rows.extend(mine.into_iter().map(|(k, d)| (*seq, k, d)));
    }
    rows
}

/// A new statement's columns but `seq`, in the order the INSERTs name them.
fn statement_values(s: &NewXapiStatement) -> [Value; 8] {
    [
        Value::from(s.statement_id.clone()),
        s.stored_ms.into(),
        s.verb.clone().into(),
        s.registration.clone().into(),
        s.voids.clone().into(),
        s.client_id.into(),
        s.statement.clone().into(),
        false.into(),
    ]
}
