//! Filter conditions for StatementRefs (xAPI 1.0.3 Communication 2.1.3; 2.0.0 4.1.6.1): a
//! query filtered by agent, verb, activity or registration also returns the statements
//! whose object is a StatementRef to a match, through chains of them and whatever order they
//! arrived in; since, until and limit apply to the targeting statement; voided statements are
//! not returned, the statements targeting them (the voiding one included) are.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::story;
use crate::support::TestApp;
use crate::xapi_harness::{Lrs, VERSIONS, agent, client, query, statement};

/// A fixed statement id, different per version and number.
fn id(version: &str, n: u32) -> String {
    let v = if version == "1.0.3" { 1 } else { 2 };
    format!("{n:08x}-0000-4000-8000-{v:012x}")
}

/// `who` `verb` the statement `target`.
fn targeting(who: &str, verb: &str, target: &str) -> Value {
    let mut s = statement(who, verb, "unused");
    s["object"] = json!({ "objectType": "StatementRef", "id": target });
    s
}

fn with_id(mut s: Value, id: String) -> Value {
    s["id"] = json!(id);
    s
}

/// The ids a query returns (every page), in order.
async fn found(lrs: &Lrs, params: &[(&str, &str)]) -> Vec<String> {
    lrs.all(&query(params))
        .await
        .0
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_owned())
        .collect()
}

story!(filtered_queries_follow_statement_refs);
async fn filtered_queries_follow_statement_refs(t: TestApp) {
    for version in VERSIONS {
        let lrs = client(&t, &["all"], version).await;
        let ada = format!("ada-{version}");
        let activity = format!("ref-target-{version}");
        let activity_id = format!("https://lore.test/activities/{activity}");
        let registration = id(version, 99);
        // T: ada completed the activity, in a registration.
        let mut target = with_id(statement(&ada, "completed", &activity), id(version, 1));
        target["context"] = json!({ "registration": registration });
        lrs.store(&target).await;
        t.clock.advance(time::Duration::minutes(1));
        let before_refs =
            lrs.get(&query(&[("limit", "1")])).await.json()["statements"][0]["stored"]
                .as_str()
                .expect("stored")
                .to_owned();
        t.clock.advance(time::Duration::minutes(1));
        // A confirms T; B endorses A (a chain); U is unrelated; W names T only in context.
        let confirmed = format!("confirmed-{version}");
        let confirms = with_id(
            targeting("bob", &confirmed, &id(version, 1)),
            id(version, 2),
        );
        let endorses = with_id(
            targeting("carl", "endorsed", &id(version, 2)),
            id(version, 3),
        );
        let unrelated = with_id(statement("dora", "completed", "elsewhere"), id(version, 4));
        let mut in_context = with_id(statement("erin", "commented", "elsewhere"), id(version, 5));
        in_context["context"] =
            json!({ "statement": { "objectType": "StatementRef", "id": id(version, 1) } });
        lrs.store(&json!([confirms, endorses, unrelated, in_context]))
            .await;
        // Out of order: D targets E before E is stored, and E then targets T.
        lrs.store(&with_id(
            targeting("fay", "liked", &id(version, 7)),
            id(version, 6),
        ))
        .await;
        lrs.store(&with_id(
            targeting("gus", "shared", &id(version, 1)),
            id(version, 7),
        ))
        .await;
        let chain = [7, 6, 3, 2, 1].map(|n| id(version, n)).to_vec();
        // Every filter about T finds T and every statement reaching it, newest first.
        let by_agent = found(&lrs, &[("agent", &agent(&ada))]).await;
        assert_eq!(by_agent, chain, "{version}: agent");
        assert_eq!(found(&lrs, &[("activity", &activity_id)]).await, chain);
        assert_eq!(found(&lrs, &[("registration", &registration)]).await, chain);
        let confirmed = format!("http://adlnet.gov/expapi/verbs/{confirmed}");
        assert_eq!(
            found(&lrs, &[("verb", &confirmed)]).await,
            [3, 2].map(|n| id(version, n)).to_vec(),
            "{version}: B targets A, which is confirmed"
        );
        // The time and sequence filters apply to the targeting statement.
        assert_eq!(
            found(&lrs, &[("agent", &agent(&ada)), ("since", &before_refs)]).await,
            [7, 6, 3, 2].map(|n| id(version, n)).to_vec()
        );
        assert_eq!(
            found(&lrs, &[("agent", &agent(&ada)), ("until", &before_refs)]).await,
            vec![id(version, 1)]
        );
        let (pages, count) = lrs
            .all(&query(&[
                ("agent", &agent(&ada)),
                ("limit", "2"),
                ("ascending", "true"),
            ]))
            .await;
        let ascending: Vec<&str> = pages
            .iter()
            .map(|s| s["id"].as_str().expect("id"))
            .collect();
        let mut expected = chain.clone();
        expected.reverse();
        assert_eq!(ascending, expected);
        assert_eq!(count, 3, "five statements, two a page");
        // Voiding T: T is gone from queries, what targets it stays, the voiding statement too.
        let voiding = with_id(targeting("hal", "voided", &id(version, 1)), id(version, 8));
        lrs.store(&voiding).await;
        assert_eq!(
            found(&lrs, &[("agent", &agent(&ada))]).await,
            [8, 7, 6, 3, 2].map(|n| id(version, n)).to_vec()
        );
        // By id, the targeted statement alone (no StatementRef rule there).
        lrs.get(&query(&[("voidedStatementId", &id(version, 1))]))
            .await
            .expect(StatusCode::OK);
    }
}

story!(with_many_statement_refs_the_matches_lead);
async fn with_many_statement_refs_the_matches_lead(t: TestApp) {
    // Past 2,000 reference rows the second query starts from the matches (decision 0035):
    // the answers are the same.
    let lrs = client(&t, &["all"], "2.0.0").await;
    for batch in 0..21u32 {
        let statements: Vec<Value> = (0..100u32)
            .map(|i| {
                let n = 1_000 + batch * 100 + i;
                targeting(
                    "zed",
                    "liked",
                    &format!("{n:08x}-1111-4000-8000-000000000000"),
                )
            })
            .collect();
        lrs.store(&Value::Array(statements)).await;
    }
    let version = "2.0.0";
    let ada = "ada-many";
    lrs.store(&with_id(
        statement(ada, "completed", "many-refs"),
        id(version, 1),
    ))
    .await;
    lrs.store(&with_id(
        targeting("bob", "confirmed", &id(version, 1)),
        id(version, 2),
    ))
    .await;
    lrs.store(&with_id(
        targeting("carl", "endorsed", &id(version, 2)),
        id(version, 3),
    ))
    .await;
    let chain = [3, 2, 1].map(|n| id(version, n)).to_vec();
    assert_eq!(found(&lrs, &[("agent", &agent(ada))]).await, chain);
    assert_eq!(
        found(
            &lrs,
            &[("activity", "https://lore.test/activities/many-refs")]
        )
        .await,
        chain
    );
}
