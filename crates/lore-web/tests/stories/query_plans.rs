//! The hot reads hold to indexes on both databases: every statement the learner, author and
//! coach pages' use cases run is planned by the database itself (SQLite's `EXPLAIN QUERY
//! PLAN`; PostgreSQL's `EXPLAIN` with sequential scans discouraged, so one left means no index
//! could serve), and none reads a whole table that grows with the organisation (people,
//! memberships, enrolments, progress, events, posts, votes, reactions, notifications).
//! Tables that grow with what people write (courses, needs) may be read whole where a page
//! must count or rank all of them: the catalogue's total, the needs board's demand.

use lore_app::courses::catalogue::CatalogueQuery;
use lore_app::discussions::NewThreadInput;
use lore_app::needs::asking::NeedInput;
use lore_app::needs::board::BoardQuery;
use sea_orm::Statement;

use crate::courses::team;
use crate::story;
use crate::support::TestApp;

/// Tables whose rows grow with people and what they do.
const GROWING: &[&str] = &[
    "users",
    "memberships",
    "sessions",
    "enrolments",
    "step_progress",
    "events",
    "threads",
    "posts",
    "need_votes",
    "need_audiences",
    "reactions",
    "notifications",
    "attempts",
    "attempt_answers",
    "outbox",
    "course_versions",
    "course_steps",
    "xapi_statements",
    "xapi_statement_agents",
    "xapi_statement_activities",
    "xapi_statement_registrations",
    // Not `xapi_statement_refs`: a filtered query reads it whole while it holds at most
    // 2,000 rows (statements targeting statements are rare), and by index beyond.
];

/// The names a statement gives the growing tables it reads (the table's own and any alias):
/// SQLite's plan names a table by its alias.
fn names_of_growing(sql: &str) -> Vec<(String, &'static str)> {
    let words: Vec<&str> = sql
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ';'))
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_matches('"'))
        .collect();
    let mut names = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some(table) = GROWING.iter().find(|t| w.eq_ignore_ascii_case(t)) else {
            continue;
        };
        names.push(((*table).to_owned(), *table));
        let mut next = words.get(i + 1).copied();
        if next.is_some_and(|n| n.eq_ignore_ascii_case("AS")) {
            next = words.get(i + 2).copied();
        }
        if let Some(alias) = next.filter(|n| {
            n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !KEYWORDS.iter().any(|k| n.eq_ignore_ascii_case(k))
        }) {
            names.push((alias.to_owned(), *table));
        }
    }
    names
}

const KEYWORDS: &[&str] = &[
    "WHERE",
    "JOIN",
    "LEFT",
    "INNER",
    "CROSS",
    "ON",
    "GROUP",
    "ORDER",
    "LIMIT",
    "SET",
    "VALUES",
    "USING",
    "UNION",
    "EXCEPT",
    "INTERSECT",
    "OFFSET",
    "HAVING",
    "AND",
    "OR",
    "RETURNING",
    "SELECT",
    "FROM",
    "WINDOW",
];

/// The plan lines that read a growing table whole.
fn whole_table_reads(backend: lore_app::Backend, sql: &str, plan: &[String]) -> Vec<String> {
    let names = names_of_growing(sql);
    plan.iter()
        .filter(|line| match backend {
            // `SCAN name` (a table or its alias) without an index; a covering index or an
            // index walk in order names the index (`SCAN e USING INDEX …`).
            lore_app::Backend::Sqlite => {
                let line = line.trim();
                names.iter().any(|(name, _)| {
                    line.strip_prefix("SCAN ")
                        .is_some_and(|rest| rest.split_whitespace().next() == Some(name.as_str()))
                        && !line.contains(" USING ")
                })
            }
            lore_app::Backend::Postgres => GROWING.iter().any(|t| {
                line.contains(&format!("Seq Scan on {t} "))
                    || line.trim_end().ends_with(&format!("Seq Scan on {t}"))
            }),
        })
        .cloned()
        .collect()
}

async fn check(t: &TestApp, what: &str, statements: Vec<Statement>, problems: &mut Vec<String>) {
    assert!(!statements.is_empty(), "{what} ran no statement");
    for stmt in statements {
        let plan = t.app.store().query_plan(&stmt).await.expect("plan");
        let bad = whole_table_reads(t.app.store().backend(), &stmt.sql, &plan);
        if !bad.is_empty() {
            problems.push(format!(
                "{what}: {}\n  reads whole: {bad:?}\n  plan: {plan:#?}",
                stmt.sql.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
        }
    }
}

/// Run `$work`, then check the plan of every statement it ran.
macro_rules! planned {
    ($t:expr, $problems:expr, $what:expr, $work:expr) => {{
        let (out, statements) = lore_store::capture_statements($work).await;
        out.expect($what);
        check($t, $what, statements, $problems).await;
    }};
}

async fn hot_reads_use_indexes(t: TestApp) {
    let (eng, _) = team(&t).await;
    let ada = t.caller("ada@acme.test").await;
    t.member(ada.id.0, eng, "author").await;
    let ada = t.caller("ada@acme.test").await;
    let bo = t.caller("bo@acme.test").await;
    let mut courses = Vec::new();
    for title in ["Incident runbook", "Terraform state", "Code review"] {
        courses.push(t.published_course(&ada, title).await);
    }
    let course = courses[0];
    t.app.enrol(&bo, course).await.expect("enrol");
    t.app.player(&bo, course, Some(1)).await.expect("player");
    t.app
        .start_thread(
            &bo,
            course,
            NewThreadInput {
                title: "Who pages the on-call runbook owner?",
                body: "The runbook does not say who to page at night.",
                step_key: None,
            },
        )
        .await
        .expect("thread");
    t.app
        .ask_need(
            &bo,
            NeedInput {
                title: "Runbook for database failover",
                problem: "Nobody has done a failover in a year.",
                topic: "Operations",
                urgency: "high",
                questions: "",
                audiences: vec![eng],
            },
        )
        .await
        .expect("need");

    // The check itself can fail: a search of every post's text reads the whole table.
    let backend = t.app.store().backend();
    let scan = Statement::from_string(
        match backend {
            lore_app::Backend::Sqlite => sea_orm::DbBackend::Sqlite,
            lore_app::Backend::Postgres => sea_orm::DbBackend::Postgres,
        },
        "SELECT p.id FROM posts p WHERE p.body LIKE '%page%'",
    );
    let plan = t.app.store().query_plan(&scan).await.expect("plan");
    assert!(
        !whole_table_reads(backend, &scan.sql, &plan).is_empty(),
        "a LIKE over every post is a whole-table read: {plan:?}"
    );

    let mut problems = Vec::new();
    let p = &mut problems;
    let t = &t;
    // Home.
    planned!(t, p, "my groups", t.app.my_groups(&bo));
    planned!(t, p, "my learning", t.app.my_learning(&bo));
    planned!(t, p, "recommendations", t.app.recommendations(&bo, 5));
    planned!(t, p, "my assignments", t.app.my_assignments(&bo));
    planned!(
        t,
        p,
        "suggestions",
        t.app.catalogue(
            &bo,
            &CatalogueQuery {
                not_taken: true,
                without_total: true,
                ..CatalogueQuery::default()
            },
            1,
            5
        )
    );
    planned!(t, p, "needs attention", t.app.needs_attention(&ada, 0));
    planned!(
        t,
        p,
        "courses I write",
        t.app.courses_i_write(&ada, Some(5))
    );
    planned!(
        t,
        p,
        "needs board",
        t.app.needs_board(&bo, &BoardQuery::default())
    );
    // The catalogue, its search and the header search.
    planned!(
        t,
        p,
        "catalogue",
        t.app.catalogue(&bo, &CatalogueQuery::default(), 1, 24)
    );
    planned!(
        t,
        p,
        "catalogue search",
        t.app.catalogue(
            &bo,
            &CatalogueQuery {
                text: Some("runbook".to_owned()),
                ..CatalogueQuery::default()
            },
            1,
            24
        )
    );
    planned!(t, p, "catalogue facets", t.app.catalogue_facets(&bo));
    planned!(t, p, "others asked", t.app.similar_to(&bo, "runbook"));
    planned!(
        t,
        p,
        "header search",
        t.app.search_everything(&bo, "runbook")
    );
    // A course, as its learner and its author see it.
    planned!(t, p, "course page", t.app.course_overview(&bo, course));
    planned!(t, p, "player", t.app.player_view(&bo, course, Some(1)));
    planned!(t, p, "feedback", t.app.course_feedback(&ada, course));
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
story!(hot_reads_use_indexes);

/// The learning record store's filtered queries, those that follow StatementRefs included
/// (docs/decisions/0035), and the writes that keep the references, hold to indexes.
async fn xapi_queries_use_indexes(t: TestApp) {
    use lore_xapi::Version;
    use serde_json::json;
    let lrs = crate::xapi_harness::client(&t, &["all"], "2.0.0").await;
    let writer = t
        .app
        .xapi_client_caller(&lrs.key, &lrs.secret)
        .await
        .expect("caller")
        .expect("a live client");
    let target = "0a0a0a0a-0000-4000-8000-000000000001";
    let mut first = crate::xapi_harness::statement("ada", "completed", "planned");
    first["id"] = json!(target);
    first["context"] = json!({ "registration": target });
    let mut refers = crate::xapi_harness::statement("bob", "confirmed", "unused");
    refers["object"] = json!({ "objectType": "StatementRef", "id": target });
    let mut problems = Vec::new();
    let p = &mut problems;
    let t = &t;
    planned!(
        t,
        p,
        "store statements and their references",
        t.app
            .xapi_post_statements(&writer, Version::V2_0_0, &json!([first, refers]), &[])
    );
    let reader = lore_app::lrs::XapiCaller::person(t.caller("lrs-admin@acme.test").await);
    let agent = json!({ "mbox": "mailto:ada@acme.test" }).to_string();
    for (name, value) in [
        ("agent", agent.as_str()),
        ("verb", "http://adlnet.gov/expapi/verbs/completed"),
        ("activity", "https://lore.test/activities/planned"),
        ("registration", target),
    ] {
        let params = vec![(name.to_owned(), value.to_owned())];
        planned!(
            t,
            p,
            name,
            t.app
                .xapi_statements(&reader, Version::V2_0_0, &params, &[])
        );
    }
    // A page about one key walks that key's index rows in `seq` order and stops when full
    // (docs/decisions/0055): no list of every statement about the key gathered first, no
    // sort of them. On SQLite the rows are walked epoch by epoch (0056): the one list is
    // that of the epochs, and each probe of the key's rows names the epoch and the key.
    if t.app.store().backend() == lore_app::Backend::Sqlite {
        t.person("ada@acme.test", "Ada", false).await;
        let mine_reader = lore_app::lrs::XapiCaller::person(t.caller("ada@acme.test").await);
        for (reader, params, probe) in [
            (
                &reader,
                vec![("agent", agent.as_str())],
                "(epoch=? AND agent_key=?)",
            ),
            (
                &reader,
                vec![("activity", "https://lore.test/activities/planned")],
                "(epoch=? AND activity_id=?)",
            ),
            (
                &reader,
                vec![
                    ("activity", "https://lore.test/activities/planned"),
                    ("related_activities", "true"),
                ],
                "(epoch=? AND activity_id=?)",
            ),
            (
                &reader,
                vec![
                    ("agent", agent.as_str()),
                    ("verb", "http://adlnet.gov/expapi/verbs/completed"),
                ],
                "(epoch=? AND agent_key=?)",
            ),
            (
                &reader,
                vec![("registration", target), ("agent", agent.as_str())],
                "(epoch=? AND registration=?)",
            ),
            // A person reads only their own: their own rows drive the page.
            (
                &mine_reader,
                vec![("verb", "http://adlnet.gov/expapi/verbs/completed")],
                "(epoch=? AND agent_key=?)",
            ),
        ] {
            let params: Vec<(String, String)> = params
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            let (out, statements) = lore_store::capture_statements(t.app.xapi_statements(
                reader,
                Version::V2_0_0,
                &params,
                &[],
            ))
            .await;
            out.expect("query");
            let page = statements
                .iter()
                .find(|s| s.sql.contains("ORDER BY d.epoch"))
                .unwrap_or_else(|| panic!("{params:?}: no page read from index rows"));
            let plan = t.app.store().query_plan(page).await.expect("plan");
            let lists = plan.iter().filter(|l| l.contains("LIST SUBQUERY")).count();
            if plan.iter().any(|l| l.contains("TEMP B-TREE"))
                || lists != 1
                || !plan.iter().any(|l| l.contains("SCAN epochs"))
                || !plan
                    .iter()
                    .any(|l| l.contains("SEARCH d USING PRIMARY KEY") && l.contains(probe))
            {
                problems.push(format!("{params:?}: {plan:#?}"));
            }
            // A verb is checked in the `verb` index before the statement's row is read.
            let at = |what: &str| plan.iter().position(|l| l.contains(what));
            if params.iter().any(|(k, _)| k == "verb")
                && !matches!(
                    (at("SEARCH v USING COVERING INDEX xapi_statements_verb"), at("SEARCH s ")),
                    (Some(v), Some(s)) if v < s
                )
            {
                problems.push(format!("{params:?}: the verb after the row: {plan:#?}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
story!(xapi_queries_use_indexes);
