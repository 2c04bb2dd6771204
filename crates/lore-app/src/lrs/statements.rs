//! Statements: stored (PUT one, POST one or a batch) with the conflict and voiding rules,
//! fetched by id, and queried by the filters of the specification with `more` paging.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use lore_store::{NewXapiStatement, StoredXapiStatement, XapiFilter};
use std::collections::HashMap;

use lore_xapi::{Format, Part, StatementQuery, Version};
use serde_json::Value;
use serde_json::value::RawValue;

use super::{
    LrsError, LrsResult, MAX_PAGE, ReadScope, XapiCaller, XapiWho, client_authority, invalid,
    millis, parse_ms, rfc3339_ms,
};
use crate::App;

/// A page of statements.
#[derive(Debug, Clone)]
pub struct StatementsPage {
    /// Each statement's JSON in the format asked for. In the `exact` format it is the
    /// stored text as it is: a page of a hundred is not parsed into values and written
    /// out again (that took most of a query's time, BENCHMARKS "Sixth pass").
    pub statements: Vec<Box<RawValue>>,
    /// The `more` token for the next page, if there is one.
    pub more: Option<String>,
    /// With `attachments=true`: the attachments the statements name.
    pub parts: Option<Vec<Part>>,
}

/// What `GET /statements` answers.
#[derive(Debug, Clone)]
pub enum StatementAnswer {
    /// By `statementId` or `voidedStatementId`.
    One {
        statement: Value,
        stored_ms: i64,
        parts: Option<Vec<Part>>,
    },
    Page(StatementsPage),
}

/// What the `more` token carries: the query's parameters and where the last page ended.
#[derive(serde::Serialize, serde::Deserialize)]
struct Cursor {
    p: Vec<(String, String)>,
    a: i64,
}

impl App {
    /// `PUT /statements?statementId=…`: store one statement under the given id.
    pub async fn xapi_put_statement(
        &self,
        caller: &XapiCaller,
        version: Version,
        statement_id: &str,
        mut statement: Value,
        parts: &[Part],
    ) -> LrsResult<()> {
        caller.require_write()?;
        let id = uuid::Uuid::parse_str(statement_id.trim()).map_err(|_| {
            invalid(
                "statement-id-uuid",
                "statementId",
                "statementId must be a UUID.",
            )
        })?;
        let Some(object) = statement.as_object_mut() else {
            return Err(invalid(
                "statement-object",
                "",
                "PUT takes one statement object.",
            ));
        };
        match object.get("id").and_then(Value::as_str) {
            Some(given) if uuid::Uuid::parse_str(given).ok() != Some(id) => {
                return Err(invalid(
                    "statement-id-matches",
                    "id",
                    "The statement's id differs from the statementId parameter.",
                ));
            }
            _ => {
                object.insert("id".to_owned(), Value::String(id.to_string()));
            }
        }
        lore_xapi::validate_statement(&statement, version)?;
        self.store_statements(caller, version, vec![statement], parts)
            .await?;
        Ok(())
    }

    /// `POST /statements`: one statement or an array; answers their ids in order.
    pub async fn xapi_post_statements(
        &self,
        caller: &XapiCaller,
        version: Version,
        body: &Value,
        parts: &[Part],
    ) -> LrsResult<Vec<String>> {
        self.xapi_post_statement_body(caller, version, body.clone(), parts)
            .await
    }

    /// [`App::xapi_post_statements`] taking the body, whose statements are moved rather
    /// than copied (what the route calls).
    pub async fn xapi_post_statement_body(
        &self,
        caller: &XapiCaller,
        version: Version,
        body: Value,
        parts: &[Part],
    ) -> LrsResult<Vec<String>> {
        caller.require_write()?;
        let batch = lore_xapi::validate_batch_owned(body, version)?;
        self.store_statements(caller, version, batch, parts).await
    }

    /// Complete, check against what is stored, and store a validated batch in one unit of
    /// work. A statement whose id is stored with the same content is left as it is; with
    /// other content the whole batch is refused (409). On SQLite the batch joins the batches
    /// waiting for the writer, written together in one transaction (`group_commit.rs`).
    async fn store_statements(
        &self,
        caller: &XapiCaller,
        version: Version,
        batch: Vec<Value>,
        parts: &[Part],
    ) -> LrsResult<Vec<String>> {
        lore_xapi::check_attachments(&batch, parts)?;
        let XapiWho::Client {
            id: client_id,
            name,
            key,
        } = &caller.who
        else {
            return Err(LrsError::Forbidden("A session cannot write statements."));
        };
        // Everything that needs no turn of the writer is done before it: the ids, the
        // completion, the index rows and the JSON text (docs/decisions/0053).
        let authority = client_authority(&self.settings.mail.public_url, name, key);
        let batch = Batch::prepare(
            self,
            batch,
            &authority,
            version,
            Some(*client_id),
            parts.to_vec(),
        );
        if self.pending.is_none() && self.store.backend() == lore_store::Backend::Sqlite {
            return self.store_in_group(batch).await;
        }
        // A refused batch is an answer, not a failure: the unit commits, having written
        // nothing.
        let mut answers = self
            .unit_of_work(|app| async move {
                // Stored is taken in the unit of work, so that it grows with the order of
                // storing (`App::xapi_stored_now`).
                let now_ms = app.xapi_stored_now().await?;
                app.write_batches(vec![batch], now_ms).await
            })
            .await?;
        answers.pop().unwrap_or_else(|| {
            Err(LrsError::App(crate::AppError::Internal(
                "a batch went unanswered".to_owned(),
            )))
        })
    }

    /// Write one batch (see [`App::write_batches`]): its ids, or why it is refused.
    pub(crate) async fn write_batch(&self, batch: Batch, now_ms: i64) -> LrsResult<Vec<String>> {
        self.write_batches(vec![batch], now_ms)
            .await?
            .pop()
            .unwrap_or_else(|| {
                Err(LrsError::App(crate::AppError::Internal(
                    "a batch went unanswered".to_owned(),
                )))
            })
    }

    /// Write batches of completed statements, in order, as if one after the other: one
    /// look-up of every id they name, then one write of every statement of the batches not
    /// refused. A batch whose statement re-uses an id (stored, or written by an earlier batch
    /// here) with other content, or that voids a voiding statement, is refused alone and
    /// writes nothing. The outer error is a failure of the store (nothing may be committed).
    pub(crate) async fn write_batches(
        &self,
        mut batches: Vec<Batch>,
        now_ms: i64,
    ) -> crate::AppResult<Vec<LrsResult<Vec<String>>>> {
        let stored = rfc3339_ms(now_ms);
        let prepared: Vec<_> = batches
            .iter_mut()
            .map(|b| (std::mem::take(&mut b.indexes), std::mem::take(&mut b.texts)))
            .collect();
        // Only ids that came with a statement may be taken already: an id Lore made is new.
        let mut wanted: Vec<String> = Vec::new();
        for (b, (index, _)) in batches.iter().zip(&prepared) {
            wanted.extend(
                b.ids
                    .iter()
                    .zip(&b.given)
                    .filter(|(_, given)| **given)
                    .map(|(id, _)| id.clone()),
            );
            wanted.extend(index.iter().filter_map(|i| i.voids).map(|v| v.to_string()));
        }
        wanted.sort();
        wanted.dedup();
        let found = self.store.xapi_statements_by_id(&wanted).await?;
        let mut known: HashMap<&str, Known> = found
            .iter()
            .map(|s| (s.statement_id.as_str(), Known::Stored(s)))
            .collect();
        let mut answers = Vec::with_capacity(batches.len());
        let mut new = Vec::new();
        let mut written: Vec<&Value> = Vec::new();
        let mut kept: Vec<(String, String, Vec<u8>)> = Vec::new();
        for (b, (index, texts)) in batches.iter().zip(prepared) {
            match plan_batch(&known, b, index, texts, &stored, now_ms) {
                Ok(planned) => {
                    for (i, n) in planned {
                        known.insert(
                            b.ids[i].as_str(),
                            Known::Written(&b.completed[i], n.voids.is_some()),
                        );
                        written.push(&b.completed[i]);
                        new.push(n);
                    }
                    kept.extend(
                        b.parts
                            .iter()
                            .map(|p| (p.sha2.clone(), p.content_type.clone(), p.bytes.clone())),
                    );
                    answers.push(Ok(b.ids.clone()));
                }
                Err(refused) => answers.push(Err(refused)),
            }
        }
        self.store.insert_xapi_statements(&new).await?;
        self.store.put_xapi_attachments(&kept).await?;
        self.keep_activity_definitions(&written, now_ms).await?;
        let refs: Vec<(String, String)> = batches
            .iter()
            .zip(&answers)
            .filter(|(_, a)| a.is_ok())
            .flat_map(|(b, _)| statement_refs(&b.completed, &b.ids))
            .collect();
        self.store.note_xapi_statement_refs(&refs).await?;
        Ok(answers)
    }

    /// `GET /statements`: one statement by id, or a page by the filters (or a `more` token).
    pub async fn xapi_statements(
        &self,
        caller: &XapiCaller,
        version: Version,
        params: &[(String, String)],
        accept_language: &[String],
    ) -> LrsResult<StatementAnswer> {
        caller.require_read()?;
        let (params, after) = match params.iter().find(|(k, _)| k == "more") {
            Some((_, token)) => {
                let cursor = decode_cursor(token)?;
                (cursor.p, Some(cursor.a))
            }
            None => (params.to_vec(), None),
        };
        let q = StatementQuery::parse(&params, version)?;
        if let Some(id) = q.statement_id.or(q.voided_statement_id) {
            return self
                .xapi_statement_by_id(caller, &q, id, accept_language)
                .await;
        }
        let limit = if q.limit == 0 {
            MAX_PAGE
        } else {
            q.limit.min(MAX_PAGE)
        };
        let mut filter = XapiFilter {
            agent: q.agent.clone(),
            related_agents: q.related_agents,
            verb: q.verb.clone(),
            activity: q.activity.clone(),
            related_activities: q.related_activities,
            registration: q.registration.map(|r| r.to_string()),
            since_ms: q
                .since
                .as_deref()
                .map(|s| parse_ms(s, "since"))
                .transpose()?,
            until_ms: q
                .until
                .as_deref()
                .map(|s| parse_ms(s, "until"))
                .transpose()?,
            ascending: q.ascending,
            after_seq: after,
            limit: u64::from(limit) + 1,
            ..XapiFilter::default()
        };
        if caller.read == ReadScope::Mine {
            filter.client_id = caller.client_id();
            filter.mine_agent = caller.person_key();
        }
        let mut rows = self.store.query_xapi_statements(&filter).await?;
        let more = if rows.len() > limit as usize {
            rows.truncate(limit as usize);
            rows.last().map(|last| encode_cursor(&params, last.seq))
        } else {
            None
        };
        let statements: Vec<Box<RawValue>> = rows
            .into_iter()
            .map(|r| shown_text(r, q.format, accept_language))
            .collect::<LrsResult<_>>()?;
        let parts = if q.attachments {
            let values: Vec<Value> = statements
                .iter()
                .map(|s| serde_json::from_str(s.get()).map_err(internal))
                .collect::<LrsResult<_>>()?;
            Some(self.attachments_of(&values).await?)
        } else {
            None
        };
        Ok(StatementAnswer::Page(StatementsPage {
            statements,
            more,
            parts,
        }))
    }

    async fn xapi_statement_by_id(
        &self,
        caller: &XapiCaller,
        q: &StatementQuery,
        id: uuid::Uuid,
        accept_language: &[String],
    ) -> LrsResult<StatementAnswer> {
        let want_voided = q.voided_statement_id.is_some();
        let found = self
            .store
            .xapi_statements_by_id(&[id.to_string()])
            .await?
            .into_iter()
            .next()
            .filter(|s| s.voided == want_voided)
            .filter(|s| self.is_readable(caller, s))
            .ok_or(LrsError::NotFound("That statement"))?;
        let statement = shown(&found, q.format, accept_language)?;
        let parts = if q.attachments {
            Some(
                self.attachments_of(std::slice::from_ref(&statement))
                    .await?,
            )
        } else {
            None
        };
        Ok(StatementAnswer::One {
            statement,
            stored_ms: found.stored_ms,
            parts,
        })
    }

    fn is_readable(&self, caller: &XapiCaller, s: &StoredXapiStatement) -> bool {
        match caller.read {
            ReadScope::All => true,
            ReadScope::None => false,
            ReadScope::Mine => match (&caller.who, caller.person_key()) {
                (XapiWho::Client { id, .. }, _) => s.client_id == Some(*id),
                (XapiWho::Person(_), Some(key)) => serde_json::from_str(&s.statement)
                    .map(|json| {
                        lore_xapi::index(&json)
                            .agents
                            .iter()
                            .any(|(k, direct)| *direct && *k == key)
                    })
                    .unwrap_or(false),
                (XapiWho::Person(_), None) => false,
            },
        }
    }

    /// The kept attachments the statements name by SHA-2.
    async fn attachments_of(&self, statements: &[Value]) -> LrsResult<Vec<Part>> {
        let mut wanted: Vec<String> = Vec::new();
        for s in statements {
            for a in s
                .get("attachments")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(sha2) = a.get("sha2").and_then(Value::as_str)
                    && !wanted.iter().any(|w| w == sha2)
                {
                    wanted.push(sha2.to_owned());
                }
            }
        }
        Ok(self
            .store
            .xapi_attachments(&wanted)
            .await?
            .into_iter()
            .map(|(sha2, content_type, bytes)| Part {
                sha2,
                content_type,
                bytes,
            })
            .collect())
    }

    /// `X-Experience-API-Consistent-Through`: every statement stored up to now is found by
    /// queries (each batch commits in one transaction before its answer goes out).
    pub fn xapi_consistent_through(&self) -> String {
        rfc3339_ms(millis(self.now()))
    }
}

/// A batch of statements ready to write, with the attachments it brought: everything but
/// `stored` is done before the writer's turn, on the request's own task, so that the turn
/// (one at a time) does only what needs the store (docs/decisions/0053).
pub(crate) struct Batch {
    /// The statements completed (id, authority, version), without `stored`.
    pub completed: Vec<Value>,
    /// The statements' ids, lower case, in order.
    pub ids: Vec<String>,
    /// Whether each id came with its statement (an id Lore made cannot be stored yet).
    pub given: Vec<bool>,
    /// Each statement as JSON without `stored`, and whether it has no timestamp
    /// (`lore_xapi::stamp` writes both in).
    pub texts: Vec<(String, bool)>,
    /// What each statement is found by.
    pub indexes: Vec<lore_xapi::Index>,
    pub client_id: Option<i64>,
    pub parts: Vec<Part>,
}

impl Batch {
    /// Complete validated statements (an id made where there is none), index and serialise
    /// them.
    pub(crate) fn prepare(
        app: &App,
        statements: Vec<Value>,
        authority: &Value,
        version: Version,
        client_id: Option<i64>,
        parts: Vec<Part>,
    ) -> Batch {
        let n = statements.len();
        let mut b = Batch {
            completed: Vec::with_capacity(n),
            ids: Vec::with_capacity(n),
            given: Vec::with_capacity(n),
            texts: Vec::with_capacity(n),
            indexes: Vec::with_capacity(n),
            client_id,
            parts,
        };
        for s in statements {
            let given = s
                .get("id")
                .and_then(Value::as_str)
                .and_then(|i| uuid::Uuid::parse_str(i).ok());
            let id = given.unwrap_or_else(|| app.new_statement_id());
            let (done, undated) = lore_xapi::complete_unstored(s, id, authority, version);
            b.ids.push(
                done.get("id")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_lowercase(),
            );
            b.given.push(given.is_some());
            b.texts.push((done.to_string(), undated));
            b.indexes.push(lore_xapi::index(&done));
            b.completed.push(done);
        }
        b
    }

    /// How many statements it holds.
    pub(crate) fn len(&self) -> usize {
        self.completed.len()
    }
}

/// A statement id already taken: stored, or written by an earlier batch of the same write.
enum Known<'a> {
    Stored(&'a StoredXapiStatement),
    /// The statement, and whether it voids one.
    Written(&'a Value, bool),
}

impl Known<'_> {
    fn voids(&self) -> bool {
        match self {
            Known::Stored(s) => s.voids.is_some(),
            Known::Written(_, voids) => *voids,
        }
    }
}

/// The statements of a batch to insert (with their place in it), or why it is refused.
fn plan_batch(
    known: &HashMap<&str, Known>,
    b: &Batch,
    index: Vec<lore_xapi::Index>,
    texts: Vec<(String, bool)>,
    stored: &str,
    now_ms: i64,
) -> LrsResult<Vec<(usize, NewXapiStatement)>> {
    let mut new: Vec<(usize, NewXapiStatement)> = Vec::new();
    let mut targets = Vec::new();
    let each = b.completed.iter().zip(&b.ids).zip(index).zip(texts);
    for (i, (((statement, id), index), (text, undated))) in each.enumerate() {
        if let Some(old) = known.get(id.as_str()) {
            let same = match old {
                Known::Stored(s) => {
                    let old_json: Value = serde_json::from_str(&s.statement)
                        .map_err(|e| LrsError::App(crate::AppError::Internal(e.to_string())))?;
                    lore_xapi::same_statement(&old_json, statement)
                }
                Known::Written(old_json, _) => lore_xapi::same_statement(old_json, statement),
            };
            if same {
                continue;
            }
            return Err(LrsError::Conflict(format!(
                "A different statement with id {id} is already stored."
            )));
        }
        if let Some(target) = index.voids {
            targets.push(target.to_string());
        }
        new.push((
            i,
            NewXapiStatement {
                statement_id: id.clone(),
                stored_ms: now_ms,
                verb: index.verb,
                registration: index.registration.map(|r| r.to_string()),
                voids: index.voids.map(|v| v.to_string()),
                client_id: b.client_id,
                statement: lore_xapi::stamp(&text, stored, undated),
                agents: index.agents,
                activities: index.activities,
                fresh: !b.given[i],
            },
        ));
    }
    // A voiding statement may not void a voiding statement, stored or in this batch.
    for target in &targets {
        let voids_stored = known.get(target.as_str()).is_some_and(Known::voids);
        let voids_in_batch = new
            .iter()
            .any(|(_, s)| &s.statement_id == target && s.voids.is_some());
        if voids_stored || voids_in_batch {
            return Err(invalid(
                "voiding-target-voiding",
                "object.id",
                format!("Statement {target} is itself a voiding statement; it cannot be voided."),
            ));
        }
    }
    Ok(new)
}

/// (statement id, target id) of the statements whose object is a StatementRef, so that
/// filtered queries find them through their target (docs/decisions/0035).
fn statement_refs(completed: &[Value], ids: &[String]) -> Vec<(String, String)> {
    completed
        .iter()
        .zip(ids)
        .filter_map(|(s, id)| {
            let object = s.get("object")?;
            if object.get("objectType").and_then(Value::as_str) != Some("StatementRef") {
                return None;
            }
            let target = object.get("id").and_then(Value::as_str)?;
            let target = uuid::Uuid::parse_str(target).ok()?;
            Some((id.clone(), target.to_string()))
        })
        .collect()
}

fn shown(r: &StoredXapiStatement, format: Format, accept_language: &[String]) -> LrsResult<Value> {
    let json: Value = serde_json::from_str(&r.statement).map_err(internal)?;
    Ok(lore_xapi::format_statement(&json, format, accept_language))
}

/// A statement's JSON in `format`: in `exact`, its stored text as it is.
fn shown_text(
    r: StoredXapiStatement,
    format: Format,
    accept_language: &[String],
) -> LrsResult<Box<RawValue>> {
    if format == Format::Exact {
        return RawValue::from_string(r.statement).map_err(internal);
    }
    serde_json::value::to_raw_value(&shown(&r, format, accept_language)?).map_err(internal)
}

/// A stored statement that is not JSON: the store was written by something else.
fn internal(e: serde_json::Error) -> LrsError {
    LrsError::App(crate::AppError::Internal(e.to_string()))
}

fn encode_cursor(params: &[(String, String)], after: i64) -> String {
    let cursor = Cursor {
        p: params.to_vec(),
        a: after,
    };
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&cursor).unwrap_or_default())
}

fn decode_cursor(token: &str) -> LrsResult<Cursor> {
    URL_SAFE_NO_PAD
        .decode(token.trim())
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| {
            invalid(
                "more-token",
                "more",
                "The more token is not one this server gave.",
            )
        })
}
