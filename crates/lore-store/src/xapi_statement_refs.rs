//! Statements that target other statements (m0030, docs/decisions/0035). A query filtered by
//! agent, verb, activity or registration also returns the statements whose object is a
//! StatementRef to a match, through any chain of them (xAPI 1.0.3 Communication 2.1.3,
//! "Filter Conditions for StatementRefs"); since, until, limit, the order and the reader's
//! scope still apply to the targeting statement itself. `xapi_statement_refs` keeps every
//! (statement, statement it reaches) pair, so that this is one more indexed query whatever
//! the length of the chain.

use sea_orm::{ConnectionTrait, Value};

use crate::xapi_index_rows::{Key, epochs, has_row, in_rows};
use crate::xapi_statements::{COLUMNS, stored};
use crate::{Backend, Store, StoreResult, StoredXapiStatement, XapiFilter};

/// Binds values as `$1`, `$2`, … in the order the SQL asks for them.
#[derive(Default)]
struct Binds(Vec<Value>);

impl Binds {
    fn bind(&mut self, v: impl Into<Value>) -> String {
        self.0.push(v.into());
        format!("${}", self.0.len())
    }
}

/// Up to this many reference rows, the second query reads them all and checks each target
/// (cheaper than walking every match of a broad filter, e.g. a common verb); beyond it, it
/// starts from the matches and finds what targets them by `target_id`.
const FEW_REFS: i64 = 2_000;

/// Which statements a page is read from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Matching {
    /// The statement itself matches the filters.
    Direct,
    /// The statement targets (through StatementRefs) one that matches; `refs_first`: read
    /// the (few) reference rows and check their targets.
    Targeting { refs_first: bool },
}

/// The index rows a page is read from: one registration's, agent's or activity's.
struct Driver {
    key: Key,
    value: String,
    direct_only: bool,
    /// The rows stand for the reader's own statements (`mine_agent`), not a filter.
    mine: bool,
}

impl Driver {
    /// The key with the fewest statements the filter names: a registration (on SQLite,
    /// where registrations have rows of their own), else an agent (a person's statements
    /// are fewer than a course's or a step's, in Lore's store), else an activity; failing
    /// those, on SQLite, the reader's own agent when they may read only their own.
    fn of(filter: &XapiFilter, backend: Backend) -> Option<Driver> {
        let sqlite = backend == Backend::Sqlite;
        let by = |key, value: &String, direct_only, mine| Driver {
            key,
            value: value.clone(),
            direct_only,
            mine,
        };
        if let Some(registration) = filter.registration.as_ref().filter(|_| sqlite) {
            return Some(by(Key::Registration, registration, false, false));
        }
        if let Some(agent) = &filter.agent {
            return Some(by(Key::Agent, agent, !filter.related_agents, false));
        }
        if let Some(activity) = &filter.activity {
            return Some(by(
                Key::Activity,
                activity,
                !filter.related_activities,
                false,
            ));
        }
        let mine = filter.mine_agent.as_ref().filter(|_| sqlite)?;
        Some(by(Key::Agent, mine, true, true))
    }
}

impl XapiFilter {
    /// Does the query filter by what a statement is about (not only by time or scope)?
    fn is_about_something(&self) -> bool {
        self.agent.is_some()
            || self.verb.is_some()
            || self.activity.is_some()
            || self.registration.is_some()
    }
}

/// The filters on what a statement is about, for the statement aliased `t`: as probes of
/// the statement's own rows when `t` is already found (`Check::Probe`), or as the lists of
/// the statements with each key when the query starts from them (`Check::List`).
fn about(
    backend: Backend,
    filter: &XapiFilter,
    t: &str,
    check: Check,
    b: &mut Binds,
) -> Vec<String> {
    let rows = |key, bind: &str, direct| match check {
        Check::Probe => has_row(backend, t, key, bind, direct),
        Check::List => in_rows(backend, t, key, bind, direct),
    };
    let mut conditions = Vec::new();
    if let Some(agent) = &filter.agent {
        let bind = b.bind(agent.clone());
        conditions.push(rows(Key::Agent, &bind, !filter.related_agents));
    }
    if let Some(activity) = &filter.activity {
        let bind = b.bind(activity.clone());
        conditions.push(rows(Key::Activity, &bind, !filter.related_activities));
    }
    if let Some(verb) = &filter.verb {
        conditions.push(format!("{t}.verb = {}", b.bind(verb.clone())));
    }
    if let Some(registration) = &filter.registration {
        let bind = b.bind(registration.clone());
        // On SQLite registrations are found by their own rows; PostgreSQL by its index.
        conditions.push(if check == Check::List && backend == Backend::Sqlite {
            in_rows(backend, t, Key::Registration, &bind, false)
        } else {
            format!("{t}.registration = {bind}")
        });
    }
    conditions
}

/// How `about` checks a key.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    Probe,
    List,
}

/// The `seq`s a page may hold, as far as its conditions tell: above `above`, up to `up_to`.
#[derive(Default)]
struct SeqBounds {
    above: Option<i64>,
    up_to: Option<i64>,
}

impl SeqBounds {
    /// Continue after `after` (the `more` cursor), in the page's order.
    fn after(&mut self, after: i64, ascending: bool) {
        if ascending {
            self.above = Some(self.above.map_or(after, |a| a.max(after)));
        } else {
            let last = after - 1;
            self.up_to = Some(self.up_to.map_or(last, |u| u.min(last)));
        }
    }

    /// The epochs those `seq`s fall in, as a list.
    fn epochs(&self) -> String {
        epochs(self.above.map(|a| a + 1), self.up_to)
    }
}

impl Store {
    /// Statements matching `filter`, in its order, at most `filter.limit` of them: those that
    /// match themselves and those targeting a match. Voided statements are never returned
    /// here (they are fetched by id); a voided statement's targeting statements are.
    pub async fn query_xapi_statements(&self, filter: &XapiFilter) -> StoredResult {
        let mut rows = self.statements_page(filter, Matching::Direct).await?;
        let refs = if filter.is_about_something() {
            self.xapi_statement_refs_up_to(FEW_REFS + 1).await?
        } else {
            0
        };
        if refs > 0 {
            let refs_first = refs <= FEW_REFS;
            rows.extend(
                self.statements_page(filter, Matching::Targeting { refs_first })
                    .await?,
            );
            rows.sort_by_key(|r| r.seq);
            rows.dedup_by_key(|r| r.seq);
            if !filter.ascending {
                rows.reverse();
            }
            rows.truncate(usize::try_from(filter.limit).unwrap_or(usize::MAX));
        }
        Ok(rows)
    }

    async fn statements_page(&self, filter: &XapiFilter, matching: Matching) -> StoredResult {
        let mut b = Binds::default();
        let mut conditions = vec!["s.voided = FALSE".to_owned()];
        // A page about one key is read from that key's index rows, newest (or oldest) first,
        // each joined to its statement, until the page is full: as many rows as the page
        // needs, where `seq IN (…)` gathered every statement about the key first (25,000 for
        // a course's related activities in a million) (docs/decisions/0055). On SQLite the
        // rows are walked epoch by epoch (docs/decisions/0056).
        let driver = match matching {
            Matching::Direct => Driver::of(filter, self.backend),
            Matching::Targeting { .. } => None,
        };
        let mut from = "xapi_statements s".to_owned();
        let seq = if driver.is_some() { "d.seq" } else { "s.seq" };
        if let Some(d) = &driver {
            // SQLite takes CROSS JOIN's left table as the outer loop.
            from = format!("{} d CROSS JOIN xapi_statements s", d.key.table());
            conditions.push("s.seq = d.seq".to_owned());
            conditions.push(format!(
                "d.{} = {}",
                d.key.column(),
                b.bind(d.value.clone())
            ));
            if d.direct_only {
                conditions.push("d.direct = TRUE".to_owned());
            }
        }
        let driven_by = |key| driver.as_ref().is_some_and(|d| d.key == key && !d.mine);
        match matching {
            Matching::Direct => {
                // The driving key is already a condition on `d`.
                let mut rest = XapiFilter {
                    agent: filter.agent.clone().filter(|_| !driven_by(Key::Agent)),
                    activity: filter
                        .activity
                        .clone()
                        .filter(|_| !driven_by(Key::Activity)),
                    registration: filter
                        .registration
                        .clone()
                        .filter(|_| !driven_by(Key::Registration)),
                    ..filter.clone()
                };
                // On SQLite, a page walking a key's rows checks the verb of each in the
                // `verb` index (a few hot pages) before its statement's row (a page of the
                // table each) is read: only the rows that match are read from the table.
                if let Some(d) = driver.as_ref().filter(|_| self.backend == Backend::Sqlite)
                    && let Some(verb) = rest.verb.take()
                {
                    from = format!(
                        "{} d CROSS JOIN xapi_statements v INDEXED BY xapi_statements_verb \
                         CROSS JOIN xapi_statements s",
                        d.key.table()
                    );
                    conditions.push(format!("v.verb = {} AND v.seq = d.seq", b.bind(verb)));
                }
                conditions.extend(about(self.backend, &rest, "s", Check::Probe, &mut b));
            }
            Matching::Targeting { refs_first } => {
                // Few references: each target is found from its reference and checked;
                // many: the statements matching come first, from their keys' rows.
                let check = if refs_first {
                    Check::Probe
                } else {
                    Check::List
                };
                let about = about(self.backend, filter, "t", check, &mut b).join(" AND ");
                // SQLite takes CROSS JOIN's left table as the outer loop; PostgreSQL plans
                // both forms alike, from its statistics.
                conditions.push(if refs_first {
                    format!(
                        "s.seq IN (SELECT r.seq FROM xapi_statement_refs r \
                         CROSS JOIN xapi_statements t \
                         WHERE t.statement_id = r.target_id AND {about})"
                    )
                } else {
                    format!(
                        "s.seq IN (SELECT r.seq FROM xapi_statement_refs r \
                         JOIN xapi_statements t ON t.statement_id = r.target_id WHERE {about})"
                    )
                });
            }
        }
        if let Some(agent) = &filter.mine_agent
            && !driver.as_ref().is_some_and(|d| d.mine)
        {
            let bind = b.bind(agent.clone());
            conditions.push(has_row(self.backend, "s", Key::Agent, &bind, true));
        }
        let (window, mut bounds) = self.stored_window(filter, seq, &mut b).await?;
        conditions.extend(window);
        if let Some(client) = filter.client_id {
            conditions.push(format!("s.client_id = {}", b.bind(client)));
        }
        let (compare, order) = if filter.ascending {
            (">", "ASC")
        } else {
            ("<", "DESC")
        };
        if let Some(after) = filter.after_seq {
            conditions.push(format!("{seq} {compare} {}", b.bind(after)));
            bounds.after(after, filter.ascending);
        }
        let mut order_by = format!("{seq} {order}");
        if driver.is_some() && self.backend == Backend::Sqlite {
            conditions.push(format!("d.epoch IN ({})", bounds.epochs()));
            order_by = format!("d.epoch {order}, {order_by}");
        }
        let limit = b.bind(i64::try_from(filter.limit).unwrap_or(i64::MAX));
        let sql = format!(
            "SELECT {COLUMNS} FROM {from} WHERE {} ORDER BY {order_by} LIMIT {limit}",
            conditions.join(" AND ")
        );
        let rows = self.db.query_all_raw(self.raw(&sql, b.0)).await?;
        rows.iter().map(stored).collect()
    }

    /// The since/until conditions. On SQLite `stored` grows with `seq` (it is taken in the
    /// writer's turn, `App::xapi_stored_now`), so a window is also a range of `seq`, found
    /// by two probes of the `stored` index; the query then walks `seq` in its order and stops
    /// at its limit, where a filter on `stored` alone made SQLite read the whole window and
    /// sort it. The `stored` comparisons stay (with `+`, so that they are checked on the rows
    /// read rather than chosen as the index), for statements stored before that rule.
    async fn stored_window(
        &self,
        filter: &XapiFilter,
        seq: &str,
        b: &mut Binds,
    ) -> StoreResult<(Vec<String>, SeqBounds)> {
        let seq_column = seq;
        let mut conditions = Vec::new();
        let mut bounds = SeqBounds::default();
        let sqlite = self.backend == Backend::Sqlite;
        let plus = if sqlite { "+" } else { "" };
        if let Some(since) = filter.since_ms {
            conditions.push(format!("{plus}s.stored_ms > {}", b.bind(since)));
            if sqlite && let Some(seq) = self.last_seq_stored_by(since).await? {
                conditions.push(format!("{seq_column} > {}", b.bind(seq)));
                bounds.above = Some(seq);
            }
        }
        if let Some(until) = filter.until_ms {
            conditions.push(format!("{plus}s.stored_ms <= {}", b.bind(until)));
            if sqlite {
                let last = self.last_seq_stored_by(until).await?.unwrap_or(0);
                conditions.push(format!("{seq_column} <= {}", b.bind(last)));
                bounds.up_to = Some(last);
            }
        }
        Ok((conditions, bounds))
    }

    /// The last statement stored at or before `ms`, by the `stored` index.
    async fn last_seq_stored_by(&self, ms: i64) -> StoreResult<Option<i64>> {
        let row = self
            .db
            .query_one_raw(self.raw(
                "SELECT seq FROM xapi_statements WHERE stored_ms <= $1 \
                 ORDER BY stored_ms DESC, seq DESC LIMIT 1",
                vec![ms.into()],
            ))
            .await?;
        Ok(row.map(|r| r.try_get::<i64>("", "seq")).transpose()?)
    }

    /// The latest time a statement was stored at (by the `stored` index).
    pub async fn latest_xapi_stored_ms(&self) -> StoreResult<Option<i64>> {
        let row = self
            .db
            .query_one_raw(self.raw(
                "SELECT MAX(stored_ms) AS stored_ms FROM xapi_statements",
                vec![],
            ))
            .await?;
        Ok(row
            .map(|r| r.try_get::<Option<i64>>("", "stored_ms"))
            .transpose()?
            .flatten())
    }

    /// How many reference rows there are, counting no further than `cap`.
    async fn xapi_statement_refs_up_to(&self, cap: i64) -> StoreResult<i64> {
        let row = self
            .db
            .query_one_raw(self.raw(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM xapi_statement_refs LIMIT $1) x",
                vec![cap.into()],
            ))
            .await?;
        Ok(row
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0))
    }

    /// Record that each `(statement, target)` statement's object is a StatementRef to the
    /// target (both ids lower-case), keeping every chain closed: the statement also reaches
    /// what the target reaches, and whatever already targeted the statement reaches all of
    /// it. Call after the statements are stored, in the same unit of work.
    pub async fn note_xapi_statement_refs(&self, refs: &[(String, String)]) -> StoreResult<()> {
        for (statement_id, target_id) in refs {
            let both = || vec![statement_id.clone().into(), target_id.clone().into()];
            let steps: [(&str, Vec<Value>); 3] = [
                // The statement reaches its target…
                (
                    "INSERT INTO xapi_statement_refs (seq, target_id) \
                     SELECT s.seq, $2 FROM xapi_statements s WHERE s.statement_id = $1 \
                     ON CONFLICT (seq, target_id) DO NOTHING",
                    both(),
                ),
                // …and what the target reaches, if it is stored…
                (
                    "INSERT INTO xapi_statement_refs (seq, target_id) \
                     SELECT s.seq, r.target_id FROM xapi_statements s, xapi_statements t \
                     JOIN xapi_statement_refs r ON r.seq = t.seq \
                     WHERE s.statement_id = $1 AND t.statement_id = $2 \
                     ON CONFLICT (seq, target_id) DO NOTHING",
                    both(),
                ),
                // …and statements stored earlier that target it reach all of that.
                (
                    "INSERT INTO xapi_statement_refs (seq, target_id) \
                     SELECT a.seq, r.target_id FROM xapi_statement_refs a, xapi_statements s \
                     JOIN xapi_statement_refs r ON r.seq = s.seq \
                     WHERE a.target_id = $1 AND s.statement_id = $1 \
                     ON CONFLICT (seq, target_id) DO NOTHING",
                    vec![statement_id.clone().into()],
                ),
            ];
            for (sql, values) in steps {
                self.db.execute_raw(self.raw(sql, values)).await?;
            }
        }
        Ok(())
    }
}

type StoredResult = StoreResult<Vec<StoredXapiStatement>>;
