//! What the crate derives from valid statements: completion, comparison, keys, Person,
//! formats, index rows, query parameters, document merges, versions.

use lore_xapi::{
    Format, StatementQuery, Version, agent_key, complete, format_statement, index, merge_documents,
    normalise_timestamp, person, person_of, same_statement, vocabulary,
};
use serde_json::{Value, json};

fn statement() -> Value {
    json!({
        "actor": {"objectType": "Agent", "name": "Ada", "mbox": "mailto:ada@Example.ORG"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed", "fr": "a terminé"}},
        "object": {"id": "https://lore.example/courses/1", "definition": {"name": {"en-US": "Rust", "de": "Rust (de)"}}},
        "context": {
            "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
            "instructor": {"account": {"homePage": "https://lore.example", "name": "coach"}},
            "team": {"objectType": "Group", "member": [{"mbox": "mailto:a@example.org"}, {"mbox": "mailto:b@example.org"}]},
            "contextActivities": {"parent": {"id": "https://lore.example/paths/1"}, "category": [{"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}]}
        },
        "result": {"duration": "PT1H"}
    })
}

fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn versions_from_the_header() {
    for raw in ["1.0", "1.0.0", "1.0.1", "1.0.3", " 1.0.9 "] {
        assert_eq!(Version::from_header(raw), Ok(Version::V1_0_3), "{raw}");
    }
    assert_eq!(Version::from_header("2.0.0"), Ok(Version::V2_0_0));
    assert_eq!(Version::from_header("2.0.1"), Ok(Version::V2_0_0));
    for raw in [
        "", "1", "2.0", "0.95", "1.1.0", "2.1.0", "3.0.0", "1.0.x", "v1.0.3",
    ] {
        assert_eq!(
            Version::from_header(raw).map_err(|e| e.rule),
            Err("version-header"),
            "{raw}"
        );
    }
    assert_eq!(Version::V1_0_3.header_value(), "1.0.3");
    assert_eq!(Version::V2_0_0.header_value(), "2.0.0");
}

#[test]
fn complete_fills_what_the_lrs_sets() {
    let id = uuid::Uuid::parse_str("0bcb5d5f-0a56-4b3c-9f6e-1f2e3d4c5b6a").unwrap();
    let authority = json!({"objectType": "Agent", "account": {"homePage": "https://lore.example", "name": "client"}});
    let done = complete(
        statement(),
        id,
        "2024-05-01T08:00:00.000Z",
        &authority,
        Version::V1_0_3,
    );
    assert_eq!(done["id"], json!(id.to_string()));
    assert_eq!(done["stored"], json!("2024-05-01T08:00:00.000Z"));
    assert_eq!(done["timestamp"], json!("2024-05-01T08:00:00.000Z"));
    assert_eq!(done["authority"], authority);
    assert_eq!(done["version"], json!("1.0.0"));
    let mut given = statement();
    given["id"] = json!("fd41c918-b88b-4b20-a0a5-a4c32391aaa0");
    given["timestamp"] = json!("2024-04-30T10:00:00Z");
    let done = complete(
        given,
        id,
        "2024-05-01T08:00:00.000Z",
        &authority,
        Version::V2_0_0,
    );
    assert_eq!(done["id"], json!("fd41c918-b88b-4b20-a0a5-a4c32391aaa0"));
    assert_eq!(done["timestamp"], json!("2024-04-30T10:00:00Z"));
    assert_eq!(done["version"], json!("2.0.0"));
}

#[test]
fn same_statement_ignores_what_immutability_allows() {
    let original = statement();
    let id = uuid::Uuid::nil();
    let stored = complete(
        original.clone(),
        id,
        "2024-05-01T08:00:00.000Z",
        &json!({"mbox": "mailto:lrs@example.org"}),
        Version::V1_0_3,
    );
    assert!(same_statement(&original, &stored));
    let mut reordered = original.clone();
    reordered["context"]["team"]["member"] =
        json!([{"mbox": "mailto:b@example.org"}, {"mbox": "mailto:a@example.org"}]);
    reordered["actor"]["mbox"] = json!("mailto:ada@example.org");
    reordered["verb"]["display"] = json!({"en-GB": "finished"});
    reordered["object"]["definition"] = json!({"name": {"en-US": "Other"}});
    reordered["context"]["contextActivities"]["parent"] =
        json!([{"id": "https://lore.example/paths/1"}]);
    reordered["attachments"] = json!([]);
    assert!(same_statement(&original, &reordered));
    let mut changed = original.clone();
    changed["result"]["duration"] = json!("PT60M");
    assert!(!same_statement(&original, &changed));
    let mut other_actor = original.clone();
    other_actor["actor"]["mbox"] = json!("mailto:ADA@example.org");
    assert!(!same_statement(&original, &other_actor));
}

#[test]
fn agent_keys_and_person() {
    assert_eq!(
        agent_key(&json!({"mbox": "mailto:Ada@Example.ORG"})).unwrap(),
        "mbox:mailto:Ada@example.org"
    );
    assert_eq!(
        agent_key(&json!({"mbox_sha1sum": "EBD31E95054C018B10727CCFFD2EF2EC3A016EE9"})).unwrap(),
        "mbox_sha1sum:ebd31e95054c018b10727ccffd2ef2ec3a016ee9"
    );
    assert_eq!(
        agent_key(&json!({"openid": "http://o.example/1"})).unwrap(),
        "openid:http://o.example/1"
    );
    assert_eq!(
        agent_key(&json!({"objectType": "Group", "account": {"homePage": "https://lore.example", "name": "t"}})).unwrap(),
        "account:https://lore.example|t"
    );
    assert_eq!(
        agent_key(&json!({"objectType": "Group", "member": []}))
            .unwrap_err()
            .rule,
        "agent-one-identifier"
    );
    assert_eq!(
        agent_key(&json!({"mbox": "ada"})).unwrap_err().rule,
        "agent-mbox"
    );
    assert_eq!(
        person(&json!({"name": "Ada", "mbox": "mailto:ada@example.org"})),
        json!({"objectType": "Person", "name": ["Ada"], "mbox": ["mailto:ada@example.org"]})
    );
    assert_eq!(
        person_of(&[
            json!({"name": "Ada", "mbox": "mailto:a@example.org"}),
            json!({"name": "Ada L.", "mbox": "mailto:a@example.org"})
        ]),
        json!({"objectType": "Person", "name": ["Ada", "Ada L."], "mbox": ["mailto:a@example.org"]})
    );
}

#[test]
fn format_ids_keeps_identifiers_only() {
    let ids = format_statement(&statement(), Format::Ids, &[]);
    assert_eq!(
        ids["actor"],
        json!({"objectType": "Agent", "mbox": "mailto:ada@Example.ORG"})
    );
    assert_eq!(
        ids["verb"],
        json!({"id": "http://adlnet.gov/expapi/verbs/completed"})
    );
    assert_eq!(
        ids["object"],
        json!({"id": "https://lore.example/courses/1"})
    );
    assert_eq!(
        ids["context"]["team"]["member"][0],
        json!({"mbox": "mailto:a@example.org"})
    );
    assert_eq!(
        ids["context"]["contextActivities"]["parent"],
        json!({"id": "https://lore.example/paths/1"})
    );
    assert_eq!(
        format_statement(&statement(), Format::Exact, &[]),
        statement()
    );
}

#[test]
fn format_canonical_picks_one_language() {
    let canonical = format_statement(
        &statement(),
        Format::Canonical,
        &["fr-CA".to_owned(), "de".to_owned()],
    );
    assert_eq!(canonical["verb"]["display"], json!({"fr": "a terminé"}));
    assert_eq!(
        canonical["object"]["definition"]["name"],
        json!({"de": "Rust (de)"})
    );
    assert_eq!(canonical["actor"]["name"], json!("Ada"));
    let fallback = format_statement(&statement(), Format::Canonical, &["ja".to_owned()]);
    assert_eq!(
        fallback["verb"]["display"].as_object().map(|m| m.len()),
        Some(1)
    );
}

#[test]
fn index_rows() {
    let mut stored = statement();
    stored["authority"] = json!({"mbox": "mailto:lrs@example.org"});
    let rows = index(&stored);
    assert_eq!(rows.verb, "http://adlnet.gov/expapi/verbs/completed");
    assert_eq!(
        rows.registration.map(|r| r.to_string()),
        Some("ec531277-b57b-4c15-8d91-d292c5b2b8f7".to_owned())
    );
    assert!(
        rows.agents
            .contains(&("mbox:mailto:ada@example.org".to_owned(), true))
    );
    assert!(
        rows.agents
            .contains(&("mbox:mailto:lrs@example.org".to_owned(), false))
    );
    assert!(
        rows.agents
            .contains(&("account:https://lore.example|coach".to_owned(), false))
    );
    assert!(
        rows.activities
            .contains(&("https://lore.example/courses/1".to_owned(), true))
    );
    assert!(
        rows.activities
            .contains(&("https://lore.example/paths/1".to_owned(), false))
    );
    assert_eq!(rows.voids, None);
    let voiding = json!({
        "actor": {"mbox": "mailto:admin@example.org"},
        "verb": vocabulary::verbs::VOIDED.verb(),
        "object": {"objectType": "StatementRef", "id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"}
    });
    assert_eq!(
        index(&voiding).voids.map(|v| v.to_string()),
        Some("e05aa883-acaf-40ad-bf54-02c8ce485fb0".to_owned())
    );
    let sub = json!({
        "actor": {"mbox": "mailto:a@example.org"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/planned"},
        "object": {"objectType": "SubStatement", "actor": {"mbox": "mailto:b@example.org"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"}, "object": {"id": "https://lore.example/m/1"}}
    });
    let rows = index(&sub);
    assert!(
        rows.agents
            .contains(&("mbox:mailto:b@example.org".to_owned(), false))
    );
    assert!(
        rows.activities
            .contains(&("https://lore.example/m/1".to_owned(), false))
    );
    // A group's members match as the group does (Communication 2.1.3, agent).
    let group = json!({
        "actor": {"objectType": "Group", "member": [{"mbox": "mailto:m1@example.org"}]},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": "https://lore.example/m/1"},
        "context": {"team": {"objectType": "Group", "mbox": "mailto:team@example.org",
            "member": [{"mbox": "mailto:m2@example.org"}]}}
    });
    let rows = index(&group);
    assert!(
        rows.agents
            .contains(&("mbox:mailto:m1@example.org".to_owned(), true))
    );
    assert!(
        rows.agents
            .contains(&("mbox:mailto:team@example.org".to_owned(), false))
    );
    assert!(
        rows.agents
            .contains(&("mbox:mailto:m2@example.org".to_owned(), false))
    );
}

#[test]
fn query_parameters() {
    let v1 = Version::V1_0_3;
    let query = StatementQuery::parse(
        &params(&[
            ("agent", r#"{"mbox":"mailto:Ada@Example.org"}"#),
            ("verb", "http://adlnet.gov/expapi/verbs/completed"),
            ("activity", "https://lore.example/courses/1"),
            ("registration", "ec531277-b57b-4c15-8d91-d292c5b2b8f7"),
            ("related_activities", "true"),
            ("related_agents", "false"),
            ("since", "2024-05-01T10:00:00+02:00"),
            ("until", "2024-05-02T00:00:00.5Z"),
            ("limit", "25"),
            ("format", "ids"),
            ("attachments", "true"),
            ("ascending", "true"),
        ]),
        v1,
    )
    .unwrap();
    assert_eq!(query.agent.as_deref(), Some("mbox:mailto:Ada@example.org"));
    assert_eq!(query.since.as_deref(), Some("2024-05-01T08:00:00.000Z"));
    assert_eq!(query.until.as_deref(), Some("2024-05-02T00:00:00.500Z"));
    assert_eq!(
        (
            query.limit,
            query.format,
            query.related_activities,
            query.ascending
        ),
        (25, Format::Ids, true, true)
    );
    let by_id = StatementQuery::parse(
        &params(&[
            ("statementId", "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"),
            ("format", "canonical"),
        ]),
        v1,
    )
    .unwrap();
    assert!(by_id.statement_id.is_some());
    let rule = |pairs: &[(&str, &str)]| StatementQuery::parse(&params(pairs), v1).unwrap_err().rule;
    assert_eq!(rule(&[("colour", "red")]), "query-unknown-parameter");
    assert_eq!(
        rule(&[("limit", "1"), ("limit", "2")]),
        "query-repeated-parameter"
    );
    assert_eq!(
        rule(&[
            ("statementId", "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"),
            ("verb", "http://x.example/v")
        ]),
        "query-statement-id-filters"
    );
    assert_eq!(
        rule(&[
            ("statementId", "fd41c918-b88b-4b20-a0a5-a4c32391aaa0"),
            ("voidedStatementId", "fd41c918-b88b-4b20-a0a5-a4c32391aaa0")
        ]),
        "query-both-ids"
    );
    assert_eq!(rule(&[("limit", "-1")]), "query-limit");
    assert_eq!(rule(&[("format", "full")]), "query-format");
    assert_eq!(rule(&[("ascending", "yes")]), "query-boolean");
    assert_eq!(rule(&[("since", "yesterday")]), "timestamp-iso8601");
    assert_eq!(rule(&[("agent", "ada")]), "query-agent");
    assert_eq!(rule(&[("agent", r#"{"mbox":"ada"}"#)]), "agent-mbox");
    assert_eq!(
        rule(&[(
            "agent",
            r#"{"objectType":"Group","member":[{"mbox":"mailto:a@example.org"}]}"#
        )]),
        "query-agent"
    );
    assert_eq!(rule(&[("registration", "r1")]), "uuid");
    assert_eq!(rule(&[("verb", "completed")]), "verb-id");
    let v2 = StatementQuery::parse(
        &params(&[("since", "2024-05-01T10:00:00")]),
        Version::V2_0_0,
    )
    .unwrap_err();
    assert_eq!(v2.rule, "timestamp-zone");
}

#[test]
fn documents_merge_as_json_objects() {
    assert_eq!(
        merge_documents(&json!({"a": 1, "b": 2}), &json!({"b": 3, "c": 4})).unwrap(),
        json!({"a": 1, "b": 3, "c": 4})
    );
    assert_eq!(
        merge_documents(&json!([1]), &json!({"a": 1}))
            .unwrap_err()
            .rule,
        "document-merge-json"
    );
    assert_eq!(
        merge_documents(&json!({"a": 1}), &json!("x"))
            .unwrap_err()
            .rule,
        "document-merge-json"
    );
}

#[test]
fn timestamps_normalise_to_utc_milliseconds() {
    assert_eq!(
        normalise_timestamp("2024-05-01T10:20:30.123456+02:00", Version::V1_0_3).unwrap(),
        "2024-05-01T08:20:30.123Z"
    );
    assert_eq!(
        normalise_timestamp("20240501T102030Z", Version::V2_0_0).unwrap(),
        "2024-05-01T10:20:30.000Z"
    );
}

#[test]
fn vocabulary_terms() {
    assert_eq!(
        vocabulary::verbs::VOIDED.id,
        "http://adlnet.gov/expapi/verbs/voided"
    );
    assert_eq!(
        vocabulary::verb("http://adlnet.gov/expapi/verbs/passed"),
        Some(vocabulary::verbs::PASSED)
    );
    assert_eq!(
        vocabulary::activity_types::COURSE.display_map(),
        json!({"en-US": "course"})
    );
    for verb in vocabulary::verbs::ALL {
        let statement = json!({"actor": {"mbox": "mailto:a@example.org"}, "verb": verb.verb(), "object": {"objectType": "StatementRef", "id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"}});
        assert_eq!(
            lore_xapi::validate_statement(&statement, Version::V2_0_0),
            Ok(()),
            "{}",
            verb.id
        );
    }
}

/// Serialising before `stored` is known and stamping it in after gives the statement that
/// completing with it at once gives, dated or not, whatever `stored` the client sent.
#[test]
fn stamped_text_is_the_completed_statement() {
    let id = uuid::Uuid::parse_str("0bcb5d5f-0a56-4b3c-9f6e-1f2e3d4c5b6a").unwrap();
    let authority = json!({"objectType": "Agent", "mbox": "mailto:tool@lore.example"});
    let stored = "2024-05-01T08:00:00.000Z";
    let mut dated = statement();
    dated["timestamp"] = json!("2024-04-30T10:00:00Z");
    dated["stored"] = json!("1999-01-01T00:00:00Z");
    for s in [statement(), dated] {
        for version in [Version::V1_0_3, Version::V2_0_0] {
            let whole = complete(s.clone(), id, stored, &authority, version);
            let (unstored, undated) =
                lore_xapi::complete_unstored(s.clone(), id, &authority, version);
            assert_eq!(undated, s.get("timestamp").is_none());
            let text = lore_xapi::stamp(&unstored.to_string(), stored, undated);
            let parsed: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            assert_eq!(parsed, whole, "{text}");
        }
    }
}
