//! The rows a statement is found by: one per agent, activity and (on SQLite) registration it
//! names, each with the statement's `seq` (docs/decisions/0056).
//!
//! On SQLite each row also carries its **epoch**, `seq >> EPOCH_BITS`, first in the key:
//! `(epoch, key, seq)`. Keyed by `(key, seq)` alone, every statement put a row at the end of
//! its agent's, its activities' and its registration's run of rows: a random page of each
//! B-tree, and a group of 1,600 statements wrote some 3,000 such pages to the WAL (and the
//! checkpoint wrote them again). Within one epoch (4,096 statements) the rows of every key
//! fit in a few dozen pages, so a group writes those few dozen. A page about one key walks
//! the epochs from the newest (or oldest) and, within each, that key's rows in `seq` order:
//! the same order as before, still stopping as soon as the page is full, at the cost of one
//! B-tree probe per epoch visited.
//!
//! PostgreSQL keeps `(key, seq)` and the `registration` index: its pages are flushed by its
//! own checkpoints, not at every commit, and the issue's aim is SQLite's.

use crate::Backend;

/// Statements per epoch: `1 << EPOCH_BITS`. Rows stored by m0038 use the same value; a
/// change needs a migration that rewrites every index row.
pub(crate) const EPOCH_BITS: u32 = 12;

/// The epoch of the statement stored as `seq`.
pub(crate) fn epoch(seq: i64) -> i64 {
    seq >> EPOCH_BITS
}

/// What a statement is found by, in rows of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    Agent,
    Activity,
    /// On SQLite only; PostgreSQL finds a registration by its index on `xapi_statements`.
    Registration,
}

impl Key {
    pub(crate) fn table(self) -> &'static str {
        match self {
            Key::Agent => "xapi_statement_agents",
            Key::Activity => "xapi_statement_activities",
            Key::Registration => "xapi_statement_registrations",
        }
    }

    pub(crate) fn column(self) -> &'static str {
        match self {
            Key::Agent => "agent_key",
            Key::Activity => "activity_id",
            Key::Registration => "registration",
        }
    }
}

/// The condition "the statement aliased `t` has a row of `key` with value `bind`" (and,
/// `direct`, names it directly). On SQLite one probe of the row's exact key; on PostgreSQL
/// the list of the key's statements, which its planner joins as it sees fit.
pub(crate) fn has_row(backend: Backend, t: &str, key: Key, bind: &str, direct: bool) -> String {
    let table = key.table();
    let column = key.column();
    let direct = if direct { " AND x.direct = TRUE" } else { "" };
    match backend {
        Backend::Sqlite => format!(
            "EXISTS (SELECT 1 FROM {table} x WHERE x.epoch = {t}.seq >> {EPOCH_BITS} \
             AND x.{column} = {bind} AND x.seq = {t}.seq{direct})"
        ),
        Backend::Postgres => {
            format!("{t}.seq IN (SELECT x.seq FROM {table} x WHERE x.{column} = {bind}{direct})")
        }
    }
}

/// The condition "the statement aliased `t` is one of the statements with a row of `key`
/// with value `bind`" as a list of them, for a query that starts from that list (all the
/// key's rows, every epoch, on SQLite).
pub(crate) fn in_rows(backend: Backend, t: &str, key: Key, bind: &str, direct: bool) -> String {
    let table = key.table();
    let column = key.column();
    let direct = if direct { " AND x.direct = TRUE" } else { "" };
    let epochs = match backend {
        Backend::Sqlite => format!("x.epoch IN ({}) AND ", epochs(None, None)),
        Backend::Postgres => String::new(),
    };
    format!("{t}.seq IN (SELECT x.seq FROM {table} x WHERE {epochs}x.{column} = {bind}{direct})")
}

/// The epochs a page about one key may visit, as a list for `d.epoch IN (…)`: from the
/// epoch of `last` (or of the newest statement) down to the epoch of `first` (or 0). SQLite
/// walks an `IN` list in the order the query asks, so `ORDER BY d.epoch, d.seq` needs no
/// sort.
pub(crate) fn epochs(first: Option<i64>, last: Option<i64>) -> String {
    let high = match last {
        Some(seq) => epoch(seq).to_string(),
        None => format!("(SELECT COALESCE(MAX(seq), 0) FROM xapi_statements) >> {EPOCH_BITS}"),
    };
    let low = first.map_or(0, epoch);
    format!(
        "WITH RECURSIVE epochs(n) AS (SELECT {high} UNION ALL SELECT n - 1 FROM epochs \
         WHERE n > {low}) SELECT n FROM epochs"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_epoch_holds_four_thousand_and_ninety_six_statements() {
        assert_eq!(epoch(0), 0);
        assert_eq!(epoch(4_095), 0);
        assert_eq!(epoch(4_096), 1);
        assert_eq!(epoch(1_000_000), 244);
    }

    #[test]
    fn the_epoch_list_runs_between_the_bounds_it_is_given() {
        let list = epochs(Some(4_096), Some(3 * 4_096 + 5));
        assert!(list.contains("SELECT 3 UNION ALL"), "{list}");
        assert!(list.contains("WHERE n > 1)"), "{list}");
        let open = epochs(None, None);
        assert!(open.contains("MAX(seq)"), "{open}");
        assert!(open.contains("WHERE n > 0)"), "{open}");
    }

    /// Pages read epoch by epoch hold what a plain reading of every statement gives, in the
    /// same order, across epochs, through `more` cursors and windows.
    #[tokio::test]
    async fn pages_across_epochs_hold_what_a_plain_reading_gives() {
        use crate::{NewXapiStatement, XapiFilter};

        let (_dir, store) = crate::test_support::fresh_sqlite().await;
        store.migrate().await.expect("migrate");
        const N: i64 = 9_000;
        let agent = |i: i64| format!("agent-{}", i % 3);
        let step = |i: i64| format!("step-{}", i % 5);
        let registration = |i: i64| (i % 2 == 0).then(|| format!("reg-{}", i % 7));
        let verb = |i: i64| format!("verb-{}", i % 4);
        let batch: Vec<NewXapiStatement> = (1..=N)
            .map(|i| NewXapiStatement {
                statement_id: format!("id-{i:05}"),
                stored_ms: i,
                verb: verb(i),
                registration: registration(i),
                voids: None,
                client_id: None,
                statement: "{}".to_owned(),
                agents: vec![(agent(i), true), (agent(i + 1), false)],
                activities: vec![(step(i), true), ("course".to_owned(), false)],
                fresh: true,
            })
            .collect();
        for chunk in batch.chunks(1_000) {
            store.insert_xapi_statements(chunk).await.expect("insert");
        }
        let all_pages = |filter: XapiFilter| {
            let store = store.clone();
            async move {
                let mut seqs = Vec::new();
                let mut filter = filter;
                loop {
                    let page = store.query_xapi_statements(&filter).await.expect("page");
                    let Some(last) = page.last() else { break };
                    filter.after_seq = Some(last.seq);
                    seqs.extend(page.iter().map(|s| s.seq));
                }
                seqs
            }
        };
        let plain = |keep: &dyn Fn(i64) -> bool, ascending: bool| {
            let mut seqs: Vec<i64> = (1..=N).filter(|i| keep(*i)).collect();
            if !ascending {
                seqs.reverse();
            }
            seqs
        };
        let page = 700;
        // One agent, named directly, newest first, page by page.
        let by_agent = XapiFilter {
            agent: Some("agent-1".to_owned()),
            limit: page,
            ..XapiFilter::default()
        };
        assert_eq!(
            all_pages(by_agent.clone()).await,
            plain(&|i| agent(i) == "agent-1", false)
        );
        // The same agent, named anywhere, oldest first.
        assert_eq!(
            all_pages(XapiFilter {
                related_agents: true,
                ascending: true,
                ..by_agent.clone()
            })
            .await,
            plain(
                &|i| agent(i) == "agent-1" || agent(i + 1) == "agent-1",
                true
            )
        );
        // One registration in a window, oldest first.
        assert_eq!(
            all_pages(XapiFilter {
                registration: Some("reg-3".to_owned()),
                since_ms: Some(1_000),
                until_ms: Some(8_000),
                ascending: true,
                limit: page,
                ..XapiFilter::default()
            })
            .await,
            plain(
                &|i| registration(i).as_deref() == Some("reg-3") && i > 1_000 && i <= 8_000,
                true
            )
        );
        // A course's statements (related): the newest ten only.
        let newest = store
            .query_xapi_statements(&XapiFilter {
                activity: Some("course".to_owned()),
                related_activities: true,
                limit: 10,
                ..XapiFilter::default()
            })
            .await
            .expect("course page");
        assert_eq!(
            newest.iter().map(|s| s.seq).collect::<Vec<_>>(),
            (N - 9..=N).rev().collect::<Vec<_>>()
        );
        // An agent and a step and a registration together.
        assert_eq!(
            all_pages(XapiFilter {
                activity: Some("step-2".to_owned()),
                registration: Some("reg-4".to_owned()),
                ..by_agent.clone()
            })
            .await,
            plain(
                &|i| agent(i) == "agent-1"
                    && step(i) == "step-2"
                    && registration(i).as_deref() == Some("reg-4"),
                false
            )
        );
        // A reader of their own statements, by verb.
        assert_eq!(
            all_pages(XapiFilter {
                verb: Some("verb-1".to_owned()),
                mine_agent: Some("agent-2".to_owned()),
                limit: page,
                ..XapiFilter::default()
            })
            .await,
            plain(&|i| agent(i) == "agent-2" && verb(i) == "verb-1", false)
        );
    }

    /// With more references than the few read whole (`FEW_REFS`), a page also holds the
    /// statements targeting a match, found from the matches' own rows (every epoch) and
    /// the references to them: no read of every reference or every statement.
    #[tokio::test]
    async fn many_references_are_followed_from_the_matches() {
        use crate::{NewXapiStatement, XapiFilter};

        let (_dir, store) = crate::test_support::fresh_sqlite().await;
        store.migrate().await.expect("migrate");
        const N: i64 = 2_100;
        let statement =
            |id: String, agent: String, registration: Option<String>| NewXapiStatement {
                statement_id: id,
                stored_ms: 1,
                verb: "verb".to_owned(),
                registration,
                voids: None,
                client_id: None,
                statement: "{}".to_owned(),
                agents: vec![(agent, true)],
                activities: vec![("step".to_owned(), true)],
                fresh: true,
            };
        let target = |i: i64| format!("00000000-0000-4000-8000-{i:012}");
        let referring = |i: i64| format!("00000000-0000-4000-9000-{i:012}");
        // Targets first (seq 1..=N), each by one of three agents; then one statement by
        // "tool" referring to each target (seq N+1..=2N).
        let mut batch: Vec<NewXapiStatement> = (1..=N)
            .map(|i| {
                statement(
                    target(i),
                    format!("agent-{}", i % 3),
                    Some(format!("reg-{}", i % 5)),
                )
            })
            .collect();
        batch.extend((1..=N).map(|i| statement(referring(i), "tool".to_owned(), None)));
        store.insert_xapi_statements(&batch).await.expect("insert");
        let refs: Vec<(String, String)> = (1..=N).map(|i| (referring(i), target(i))).collect();
        store.note_xapi_statement_refs(&refs).await.expect("refs");
        for (filter, keep) in [
            (
                XapiFilter {
                    agent: Some("agent-1".to_owned()),
                    limit: 5_000,
                    ..XapiFilter::default()
                },
                (|i: i64| i % 3 == 1) as fn(i64) -> bool,
            ),
            (
                XapiFilter {
                    registration: Some("reg-2".to_owned()),
                    limit: 5_000,
                    ..XapiFilter::default()
                },
                |i: i64| i % 5 == 2,
            ),
        ] {
            let (page, statements) =
                crate::capture_statements(store.query_xapi_statements(&filter)).await;
            let mut seqs: Vec<i64> = page.expect("page").iter().map(|s| s.seq).collect();
            seqs.sort_unstable();
            let mut expected: Vec<i64> = (1..=N).filter(|i| keep(*i)).collect();
            expected.extend((1..=N).filter(|i| keep(*i)).map(|i| N + i));
            assert_eq!(seqs, expected, "{filter:?}");
            for stmt in statements
                .iter()
                .filter(|s| s.sql.contains("xapi_statement_refs r"))
            {
                let plan = store.query_plan(stmt).await.expect("plan");
                let whole: Vec<&String> = plan
                    .iter()
                    .filter(|l| {
                        let l = l.trim();
                        (l.starts_with("SCAN r")
                            || l.starts_with("SCAN t")
                            || l.starts_with("SCAN s"))
                            && !l.contains(" USING ")
                    })
                    .collect();
                assert!(whole.is_empty(), "{}: {plan:#?}", stmt.sql);
            }
        }
    }
}
