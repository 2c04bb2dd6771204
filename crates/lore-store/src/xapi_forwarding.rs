//! Forwarding statements to another learning record store (docs/decisions/0034): the one
//! settings row, which also holds the reader's place `(tx_id, seq)` and the back-off of the
//! batch after it; a lease so that one server at a time sends; the statements after the
//! place in commit order; and the dead letters the other store refused.

use sea_orm::{ConnectionTrait, FromQueryResult, QueryResult, Value};

use crate::{Backend, Store, StoreResult, Timestamp};

/// A place in the statements' commit order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct StatementPosition {
    pub tx_id: i64,
    pub seq: i64,
}

/// The forwarding row as stored.
#[derive(Clone, PartialEq, Eq, FromQueryResult)]
pub struct ForwardingRow {
    pub enabled: bool,
    pub endpoint: String,
    pub username: String,
    pub secret: Option<String>,
    pub version: String,
    pub updated_by: Option<i64>,
    pub updated_at: Option<Timestamp>,
    pub cursor_tx_id: i64,
    pub cursor_seq: i64,
    pub attempts: i32,
    pub next_attempt_at: Option<Timestamp>,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub delivered: i64,
    pub last_delivered_at: Option<Timestamp>,
    pub lease_token: Option<String>,
    pub lease_until: Option<Timestamp>,
}

impl std::fmt::Debug for ForwardingRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ForwardingRow")
            .field("enabled", &self.enabled)
            .field("endpoint", &self.endpoint)
            .field("username", &self.username)
            .field("secret", &self.secret.as_ref().map(|_| "[set]"))
            .field("version", &self.version)
            .field("cursor", &self.cursor())
            .field("attempts", &self.attempts)
            .field("next_attempt_at", &self.next_attempt_at)
            .finish_non_exhaustive()
    }
}

impl ForwardingRow {
    pub fn cursor(&self) -> StatementPosition {
        StatementPosition {
            tx_id: self.cursor_tx_id,
            seq: self.cursor_seq,
        }
    }
}

/// New settings; `secret` `None` keeps the one there.
#[derive(Clone)]
pub struct ForwardingSettings<'a> {
    pub enabled: bool,
    pub endpoint: &'a str,
    pub username: &'a str,
    pub secret: Option<&'a str>,
    pub version: &'a str,
    pub updated_by: i64,
}

/// A statement to forward, as stored.
#[derive(Debug, Clone)]
pub struct ForwardStatement {
    pub position: StatementPosition,
    pub statement_id: String,
    /// The stored JSON, sent as it is.
    pub statement: String,
}

/// How an attempt at the batch after the cursor ended.
#[derive(Debug, Clone)]
pub enum BatchOutcome {
    /// Delivered (or refused in part, the refused ones kept as a dead letter): move to `to`.
    MovedOn {
        to: StatementPosition,
        delivered: i64,
        dead_letter: Option<NewDeadLetter>,
    },
    /// Failed; try again at `next_attempt_at`.
    Failed {
        status: Option<i32>,
        error: String,
        next_attempt_at: Timestamp,
    },
}

/// Statements the other store refused.
#[derive(Debug, Clone)]
pub struct NewDeadLetter {
    pub statement_ids: Vec<String>,
    pub first_seq: i64,
    pub last_seq: i64,
    pub status_code: Option<i32>,
    pub error: String,
    pub attempts: i32,
}

/// A dead letter as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct DeadLetterRow {
    pub id: i64,
    /// JSON array.
    pub statement_ids: String,
    pub first_seq: i64,
    pub last_seq: i64,
    pub statement_count: i32,
    pub status_code: Option<i32>,
    pub error: String,
    pub attempts: i32,
    pub created_at: Timestamp,
    pub last_attempt_at: Timestamp,
    pub replay_requested: bool,
}

const COLUMNS: &str = "enabled, endpoint, username, secret, version, updated_by, updated_at, \
    cursor_tx_id, cursor_seq, attempts, next_attempt_at, last_status, last_error, delivered, \
    last_delivered_at, lease_token, lease_until";

const DEAD_COLUMNS: &str = "id, statement_ids, first_seq, last_seq, statement_count, \
    status_code, error, attempts, created_at, last_attempt_at, replay_requested";

fn forward_statement(r: &QueryResult) -> StoreResult<ForwardStatement> {
    Ok(ForwardStatement {
        position: StatementPosition {
            tx_id: r.try_get("", "tx_id")?,
            seq: r.try_get("", "seq")?,
        },
        statement_id: r.try_get("", "statement_id")?,
        statement: r.try_get("", "statement")?,
    })
}

impl Store {
    /// The forwarding settings and state (the row the migration made).
    pub async fn xapi_forwarding(&self) -> StoreResult<ForwardingRow> {
        ForwardingRow::find_by_statement(self.raw(
            &format!("SELECT {COLUMNS} FROM xapi_forwarding WHERE id = 1"),
            vec![],
        ))
        .one(&self.db)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound("xapi_forwarding".into()).into())
    }

    /// Save the settings and start the batch after the cursor afresh (no back-off). With
    /// `start_at`, the reader moves there (forwarding just switched on: from the end).
    pub async fn save_xapi_forwarding(
        &self,
        s: ForwardingSettings<'_>,
        start_at: Option<StatementPosition>,
        now: Timestamp,
    ) -> StoreResult<()> {
        let (tx_id, seq) = start_at.map_or((None, None), |p| (Some(p.tx_id), Some(p.seq)));
        self.db
            .execute_raw(self.raw(
                "UPDATE xapi_forwarding SET enabled = $1, endpoint = $2, username = $3, \
                 secret = COALESCE($4, secret), version = $5, updated_by = $6, updated_at = $7, \
                 cursor_tx_id = COALESCE($8, cursor_tx_id), cursor_seq = COALESCE($9, cursor_seq), \
                 attempts = 0, next_attempt_at = NULL, last_status = NULL, last_error = NULL \
                 WHERE id = 1",
                vec![
                    s.enabled.into(),
                    s.endpoint.into(),
                    s.username.into(),
                    s.secret.map(str::to_owned).into(),
                    s.version.into(),
                    s.updated_by.into(),
                    now.into(),
                    tx_id.into(),
                    seq.into(),
                ],
            ))
            .await?;
        Ok(())
    }

    /// The place of the newest statement (the start if there is none).
    pub async fn xapi_statements_end(&self) -> StoreResult<StatementPosition> {
        let row = self
            .db
            .query_one_raw(self.raw(
                "SELECT tx_id, seq FROM xapi_statements ORDER BY tx_id DESC, seq DESC LIMIT 1",
                vec![],
            ))
            .await?;
        Ok(match row {
            Some(r) => StatementPosition {
                tx_id: r.try_get("", "tx_id")?,
                seq: r.try_get("", "seq")?,
            },
            None => StatementPosition::default(),
        })
    }

    /// Up to `limit` statements after `after` in commit order (on PostgreSQL only those of
    /// transactions older than every running one, so none is skipped that commits later).
    pub async fn xapi_statements_after(
        &self,
        after: StatementPosition,
        limit: u64,
    ) -> StoreResult<Vec<ForwardStatement>> {
        let settled = match self.backend {
            Backend::Sqlite => String::new(),
            Backend::Postgres => format!("AND s.tx_id < {}", crate::outbox::XMIN),
        };
        let rows = self
            .db
            .query_all_raw(self.raw(
                &format!(
                    "SELECT s.tx_id, s.seq, s.statement_id, s.statement FROM xapi_statements s \
                     WHERE (s.tx_id, s.seq) > ($1, $2) {settled} \
                     ORDER BY s.tx_id, s.seq LIMIT $3"
                ),
                vec![
                    after.tx_id.into(),
                    after.seq.into(),
                    i64::try_from(limit.clamp(1, 10_000)).unwrap_or(1).into(),
                ],
            ))
            .await?;
        rows.iter().map(forward_statement).collect()
    }

    /// The stored statements with these ids, in storing order.
    pub async fn xapi_statements_to_forward(
        &self,
        ids: &[String],
    ) -> StoreResult<Vec<ForwardStatement>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = (1..=ids.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = self
            .db
            .query_all_raw(self.raw(
                &format!(
                    "SELECT tx_id, seq, statement_id, statement FROM xapi_statements \
                     WHERE statement_id IN ({list}) ORDER BY seq"
                ),
                ids.iter().map(|i| Value::from(i.clone())).collect(),
            ))
            .await?;
        rows.iter().map(forward_statement).collect()
    }

    /// Take the turn to send, as `token` until `until`, if forwarding is on and nobody holds
    /// an unexpired turn. One conditional update: atomic on both engines.
    pub async fn claim_xapi_forwarding(
        &self,
        token: &str,
        until: Timestamp,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let r = self
            .db
            .execute_raw(self.raw(
                "UPDATE xapi_forwarding SET lease_token = $1, lease_until = $2 \
                 WHERE id = 1 AND enabled AND (lease_until IS NULL OR lease_until < $3)",
                vec![token.into(), until.into(), now.into()],
            ))
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Give the turn back.
    pub async fn release_xapi_forwarding(&self, token: &str) -> StoreResult<()> {
        self.db
            .execute_raw(self.raw(
                "UPDATE xapi_forwarding SET lease_token = NULL, lease_until = NULL \
                 WHERE id = 1 AND lease_token = $1",
                vec![token.into()],
            ))
            .await?;
        Ok(())
    }

    /// Record how the batch after the cursor went, if `token` still holds the turn (then
    /// until `until`); a dead letter is kept in the same transaction. Whether it was recorded.
    pub async fn finish_xapi_forward_batch(
        &self,
        token: &str,
        outcome: BatchOutcome,
        until: Timestamp,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let tx = self.write_tx().await?;
        let r = match &outcome {
            BatchOutcome::MovedOn { to, delivered, .. } => {
                tx.execute_raw(self.raw(
                    "UPDATE xapi_forwarding SET cursor_tx_id = $2, cursor_seq = $3, \
                     attempts = 0, next_attempt_at = NULL, last_status = NULL, last_error = NULL, \
                     delivered = delivered + $4, \
                     last_delivered_at = CASE WHEN $4 > 0 THEN $5 ELSE last_delivered_at END, \
                     lease_until = $6 WHERE id = 1 AND lease_token = $1",
                    vec![
                        token.into(),
                        to.tx_id.into(),
                        to.seq.into(),
                        (*delivered).into(),
                        now.into(),
                        until.into(),
                    ],
                ))
                .await?
            }
            BatchOutcome::Failed {
                status,
                error,
                next_attempt_at,
            } => {
                tx.execute_raw(self.raw(
                    "UPDATE xapi_forwarding SET attempts = attempts + 1, next_attempt_at = $2, \
                     last_status = $3, last_error = $4, lease_until = $5 \
                     WHERE id = 1 AND lease_token = $1",
                    vec![
                        token.into(),
                        (*next_attempt_at).into(),
                        (*status).into(),
                        error.clone().into(),
                        until.into(),
                    ],
                ))
                .await?
            }
        };
        if r.rows_affected() != 1 {
            // Another server took the turn: dropping the transaction rolls it back.
            return Ok(false);
        }
        if let BatchOutcome::MovedOn {
            dead_letter: Some(d),
            ..
        } = outcome
        {
            insert_dead_letter(&tx, self, &d, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Dead letters, newest first, and how many there are.
    pub async fn xapi_dead_letters(
        &self,
        offset: u64,
        limit: u64,
    ) -> StoreResult<(Vec<DeadLetterRow>, u64)> {
        let rows = DeadLetterRow::find_by_statement(self.raw(
            &format!(
                "SELECT {DEAD_COLUMNS} FROM xapi_forward_dead_letters \
                 ORDER BY id DESC LIMIT $1 OFFSET $2"
            ),
            vec![
                i64::try_from(limit).unwrap_or(i64::MAX).into(),
                i64::try_from(offset).unwrap_or(0).into(),
            ],
        ))
        .all(&self.db)
        .await?;
        let total = self
            .db
            .query_one_raw(self.raw(
                "SELECT COUNT(*) AS n FROM xapi_forward_dead_letters",
                vec![],
            ))
            .await?
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0);
        Ok((rows, u64::try_from(total).unwrap_or(0)))
    }

    /// Ask for one dead letter (`Some(id)`) or all to be sent again; how many were asked.
    pub async fn request_xapi_replay(&self, id: Option<i64>) -> StoreResult<u64> {
        let r = match id {
            Some(id) => self
                .db
                .execute_raw(self.raw(
                    "UPDATE xapi_forward_dead_letters SET replay_requested = TRUE WHERE id = $1",
                    vec![id.into()],
                ))
                .await?,
            None => {
                self.db
                    .execute_raw(self.raw(
                        "UPDATE xapi_forward_dead_letters SET replay_requested = TRUE",
                        vec![],
                    ))
                    .await?
            }
        };
        Ok(r.rows_affected())
    }

    /// Up to `limit` dead letters waiting to be sent again, oldest first.
    pub async fn xapi_replays_due(&self, limit: u64) -> StoreResult<Vec<DeadLetterRow>> {
        Ok(DeadLetterRow::find_by_statement(self.raw(
            &format!(
                "SELECT {DEAD_COLUMNS} FROM xapi_forward_dead_letters \
                 WHERE replay_requested ORDER BY id LIMIT $1"
            ),
            vec![i64::try_from(limit).unwrap_or(i64::MAX).into()],
        ))
        .all(&self.db)
        .await?)
    }

    /// A replayed dead letter: gone when every statement arrived, else what is still
    /// refused (the ids left) with the answer, no longer waiting for a replay.
    pub async fn finish_xapi_replay(
        &self,
        id: i64,
        left: Option<NewDeadLetter>,
        now: Timestamp,
    ) -> StoreResult<()> {
        match left {
            None => {
                self.db
                    .execute_raw(self.raw(
                        "DELETE FROM xapi_forward_dead_letters WHERE id = $1",
                        vec![id.into()],
                    ))
                    .await?;
            }
            Some(d) => {
                let ids = serde_json::to_string(&d.statement_ids).unwrap_or_default();
                self.db
                    .execute_raw(self.raw(
                        "UPDATE xapi_forward_dead_letters SET statement_ids = $2, first_seq = $3, \
                         last_seq = $4, statement_count = $5, status_code = $6, error = $7, \
                         attempts = attempts + 1, last_attempt_at = $8, replay_requested = FALSE \
                         WHERE id = $1",
                        vec![
                            id.into(),
                            ids.into(),
                            d.first_seq.into(),
                            d.last_seq.into(),
                            i32::try_from(d.statement_ids.len()).unwrap_or(i32::MAX).into(),
                            d.status_code.into(),
                            d.error.into(),
                            now.into(),
                        ],
                    ))
                    .await?;
            }
        }
        Ok(())
    }
}

async fn insert_dead_letter(
    conn: &impl ConnectionTrait,
    store: &Store,
    d: &NewDeadLetter,
    now: Timestamp,
) -> StoreResult<()> {
    let ids = serde_json::to_string(&d.statement_ids).unwrap_or_default();
    conn.execute_raw(store.raw(
        "INSERT INTO xapi_forward_dead_letters (statement_ids, first_seq, last_seq, \
         statement_count, status_code, error, attempts, created_at, last_attempt_at, \
         replay_requested) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, FALSE)",
        vec![
            ids.into(),
            d.first_seq.into(),
            d.last_seq.into(),
            i32::try_from(d.statement_ids.len())
                .unwrap_or(i32::MAX)
                .into(),
            d.status_code.into(),
            d.error.clone().into(),
            d.attempts.into(),
            now.into(),
        ],
    ))
    .await?;
    Ok(())
}
