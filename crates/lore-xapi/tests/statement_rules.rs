//! One or more tests per statement rule of the spec, valid and invalid, per version; each
//! invalid case asserts the rule code.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers fail loudly on a broken fixture"
)]

use lore_xapi::{Version, validate_batch, validate_statement};
use serde_json::{Value, json};

const V1: Version = Version::V1_0_3;
const V2: Version = Version::V2_0_0;
const BOTH: [Version; 2] = [V1, V2];

fn base() -> Value {
    json!({
        "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
        "actor": {"objectType": "Agent", "name": "Ada", "mbox": "mailto:ada@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
        "object": {"objectType": "Activity", "id": "https://lore.example/courses/1"},
        "timestamp": "2024-05-01T10:20:30.123+02:00"
    })
}

/// `base()` with the value at the JSON pointer replaced (or removed for `Value::Null` when
/// `remove` is set).
fn with(pointer: &str, value: Value) -> Value {
    let mut statement = base();
    set(&mut statement, pointer, value);
    statement
}

fn set(statement: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let target = if parent.is_empty() {
        statement
    } else {
        statement.pointer_mut(parent).unwrap()
    };
    match target {
        Value::Object(map) => {
            map.insert(key.to_owned(), value);
        }
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
        _ => panic!("no parent at {pointer}"),
    }
}

fn without(pointer: &str) -> Value {
    let mut statement = base();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let target = if parent.is_empty() {
        &mut statement
    } else {
        statement.pointer_mut(parent).unwrap()
    };
    target.as_object_mut().unwrap().remove(key);
    statement
}

fn rule(statement: &Value, version: Version) -> Option<&'static str> {
    validate_statement(statement, version).err().map(|e| e.rule)
}

fn assert_rule(statement: Value, expected: &str) {
    for version in BOTH {
        assert_eq!(
            rule(&statement, version),
            Some(expected),
            "{version:?}: {statement}"
        );
    }
}

fn assert_valid(statement: Value) {
    for version in BOTH {
        assert_eq!(
            validate_statement(&statement, version),
            Ok(()),
            "{version:?}: {statement}"
        );
    }
}

#[test]
fn the_base_statement_and_the_spec_simplest_example_are_valid() {
    assert_valid(base());
    assert_valid(json!({
        "actor": {"mbox": "mailto:xapi@adlnet.gov"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/created", "display": {"en-US": "created"}},
        "object": {"id": "http://example.adlnet.gov/xapi/example/activity"}
    }));
}

#[test]
fn statement_structure() {
    assert_rule(with("/colour", json!("red")), "unknown-property");
    assert_rule(with("/result", Value::Null), "null-value");
    assert_rule(with("/result", json!({})), "empty-object");
    assert_rule(without("/actor"), "statement-actor");
    assert_rule(without("/verb"), "statement-verb");
    assert_rule(without("/object"), "statement-object");
    assert_rule(with("/actor", json!("ada")), "type-object");
    assert_rule(json!([1]), "type-object");
}

#[test]
fn statement_id_is_a_variant_2_uuid_in_standard_form() {
    assert_valid(with("/id", json!("FD41C918-B88B-4B20-A0A5-A4C32391AAA0")));
    assert_valid(with("/id", json!("fd41c918-b88b-1b20-b0a5-a4c32391aaa0")));
    assert_rule(with("/id", json!("not-a-uuid")), "uuid");
    assert_rule(
        with("/id", json!("fd41c918b88b4b20a0a5a4c32391aaa0")),
        "uuid",
    );
    assert_rule(
        with("/id", json!("fd41c918-b88b-4b20-c0a5-a4c32391aaa0")),
        "uuid",
    );
    assert_rule(with("/id", json!(12)), "type-string");
}

#[test]
fn an_agent_has_exactly_one_identifier() {
    assert_rule(
        with(
            "/actor/mbox_sha1sum",
            json!("ebd31e95054c018b10727ccffd2ef2ec3a016ee9"),
        ),
        "agent-one-identifier",
    );
    assert_rule(
        with("/actor", json!({"name": "Nobody"})),
        "agent-one-identifier",
    );
    assert_valid(with(
        "/actor",
        json!({"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"}),
    ));
    assert_valid(with(
        "/actor",
        json!({"openid": "http://openid.example.org/12345"}),
    ));
    assert_valid(with(
        "/actor",
        json!({"account": {"homePage": "https://lore.example", "name": "ada"}}),
    ));
}

#[test]
fn each_identifier_has_its_form() {
    assert_rule(with("/actor/mbox", json!("ada@example.org")), "agent-mbox");
    assert_rule(with("/actor/mbox", json!("mailto:ada")), "agent-mbox");
    assert_rule(
        with("/actor", json!({"mbox_sha1sum": "xyz"})),
        "agent-mbox-sha1sum",
    );
    assert_rule(
        with("/actor", json!({"openid": "not an iri"})),
        "agent-openid",
    );
    assert_rule(
        with("/actor", json!({"account": {"name": "ada"}})),
        "account-homepage",
    );
    assert_rule(
        with(
            "/actor",
            json!({"account": {"homePage": "lore", "name": "ada"}}),
        ),
        "account-homepage",
    );
    assert_rule(
        with(
            "/actor",
            json!({"account": {"homePage": "https://lore.example"}}),
        ),
        "account-name",
    );
    assert_rule(
        with(
            "/actor",
            json!({"account": {"homePage": "https://lore.example", "name": "a", "id": 1}}),
        ),
        "unknown-property",
    );
    assert_rule(with("/actor/name", json!(7)), "type-string");
    assert_rule(with("/actor/objectType", json!("Person")), "object-type");
}

#[test]
fn groups_anonymous_and_identified() {
    let member = json!({"mbox": "mailto:bo@example.org"});
    assert_valid(with(
        "/actor",
        json!({"objectType": "Group", "member": [member]}),
    ));
    assert_valid(with(
        "/actor",
        json!({"objectType": "Group", "account": {"homePage": "https://lore.example", "name": "team-1"}}),
    ));
    assert_rule(
        with("/actor", json!({"objectType": "Group", "name": "x"})),
        "group-anonymous-members",
    );
    assert_rule(
        with("/actor", json!({"objectType": "Group", "member": []})),
        "group-anonymous-members",
    );
    assert_rule(
        with(
            "/actor",
            json!({"objectType": "Group", "member": [{"objectType": "Group", "member": [member]}]}),
        ),
        "group-member-agent",
    );
    assert_rule(
        with(
            "/actor",
            json!({"objectType": "Group", "mbox": "mailto:t@example.org", "openid": "http://o.example/t"}),
        ),
        "group-one-identifier",
    );
    assert_rule(
        with(
            "/actor",
            json!({"objectType": "Group", "member": [{"name": "x"}]}),
        ),
        "agent-one-identifier",
    );
}

#[test]
fn verbs() {
    assert_valid(with(
        "/verb",
        json!({"id": "http://adlnet.gov/expapi/verbs/completed"}),
    ));
    assert_rule(with("/verb/id", json!("completed")), "verb-id");
    assert_rule(without("/verb/id"), "verb-id");
    assert_rule(
        with("/verb/display", json!({"english": "completed"})),
        "language-tag",
    );
    assert_rule(
        with("/verb/display", json!({"en-US": 3})),
        "language-map-value",
    );
    assert_rule(with("/verb/display", json!({})), "empty-object");
}

#[test]
fn language_tags_follow_rfc_5646() {
    for tag in [
        "en",
        "en-US",
        "zh-Hant-TW",
        "de-CH-1901",
        "sl-rozaj-biske",
        "x-private",
        "en-a-bbb-x-a-ccc",
        "i-klingon",
        "und",
        "es-419",
    ] {
        assert!(lore_xapi::is_language_tag(tag), "{tag}");
    }
    for tag in [
        "",
        "e",
        "english-language",
        "en-",
        "en--US",
        "de-1901-1901",
        "en-a-bbb-a-ccc",
        "x",
        "en_US",
        // The conformance suite's bad tags.
        "a12345",
        "a-DE",
    ] {
        assert!(!lore_xapi::is_language_tag(tag), "{tag}");
    }
}

#[test]
fn object_types() {
    assert_valid(with(
        "/object",
        json!({"objectType": "Agent", "mbox": "mailto:bo@example.org"}),
    ));
    assert_valid(with(
        "/object",
        json!({"objectType": "Group", "member": [{"mbox": "mailto:bo@example.org"}]}),
    ));
    assert_valid(with("/object", json!({"id": "https://lore.example/a"})));
    assert_rule(
        with("/object", json!({"mbox": "mailto:bo@example.org"})),
        "unknown-property",
    );
    assert_rule(with("/object/objectType", json!("Course")), "object-type");
    assert_rule(
        with("/object", json!({"objectType": "Activity"})),
        "activity-id",
    );
    assert_rule(with("/object/id", json!("course 1")), "activity-id");
}

#[test]
fn statement_refs() {
    let target = "e05aa883-acaf-40ad-bf54-02c8ce485fb0";
    assert_valid(with(
        "/object",
        json!({"objectType": "StatementRef", "id": target}),
    ));
    assert_rule(
        with(
            "/object",
            json!({"objectType": "StatementRef", "id": "nope"}),
        ),
        "uuid",
    );
    assert_rule(
        with("/object", json!({"objectType": "StatementRef"})),
        "statement-ref",
    );
    assert_rule(
        with(
            "/object",
            json!({"objectType": "StatementRef", "id": target, "definition": {}}),
        ),
        "unknown-property",
    );
}

#[test]
fn sub_statements() {
    let sub = json!({
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:bo@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": "https://lore.example/meetings/1"},
        "timestamp": "2024-05-01T10:00:00Z"
    });
    assert_valid(with("/object", sub.clone()));
    let mut nested = sub.clone();
    nested["object"] = sub.clone();
    assert_rule(with("/object", nested), "substatement-nested");
    for key in ["id", "stored", "version", "authority"] {
        let mut bad = sub.clone();
        bad[key] = json!("x");
        assert_rule(with("/object", bad), "substatement-property");
    }
    let mut bad_actor = sub.clone();
    bad_actor["actor"] = json!({"name": "nobody"});
    assert_rule(with("/object", bad_actor), "agent-one-identifier");
}

#[test]
fn voiding_needs_a_statement_ref() {
    let voided =
        json!({"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-US": "voided"}});
    let mut statement = with("/verb", voided);
    assert_rule(statement.clone(), "voiding-statement-ref");
    statement["object"] =
        json!({"objectType": "StatementRef", "id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"});
    assert_valid(statement);
}

#[test]
fn activity_definitions() {
    let definition = |d: Value| with("/object/definition", d);
    assert_valid(definition(json!({
        "name": {"en-US": "Course"}, "description": {"fr": "Cours"},
        "type": "http://adlnet.gov/expapi/activities/course", "moreInfo": "https://lore.example/c/1",
        "extensions": {"https://lore.example/ext/level": {"any": ["json", null]}}
    })));
    assert_rule(definition(json!({"type": "course"})), "activity-type-iri");
    assert_rule(
        definition(json!({"moreInfo": "here"})),
        "activity-more-info-irl",
    );
    assert_rule(
        definition(json!({"extensions": {"level": 3}})),
        "extension-key-iri",
    );
    assert_rule(definition(json!({"name": {"EN US": "x"}})), "language-tag");
    assert_rule(definition(json!({"colour": "red"})), "unknown-property");
}

#[test]
fn interactions() {
    let definition = |d: Value| with("/object/definition", d);
    let choices = json!([{"id": "a", "description": {"en-US": "A"}}, {"id": "b", "description": {"en-US": "B"}}]);
    assert_valid(definition(
        json!({"interactionType": "choice", "choices": choices, "correctResponsesPattern": ["a[,]b"]}),
    ));
    assert_valid(definition(
        json!({"interactionType": "sequencing", "choices": choices}),
    ));
    assert_valid(definition(
        json!({"interactionType": "likert", "scale": choices}),
    ));
    assert_valid(definition(
        json!({"interactionType": "matching", "source": choices, "target": choices}),
    ));
    assert_valid(definition(
        json!({"interactionType": "performance", "steps": choices}),
    ));
    assert_valid(definition(
        json!({"interactionType": "true-false", "correctResponsesPattern": ["true"]}),
    ));
    for kind in ["fill-in", "long-fill-in", "numeric", "other"] {
        assert_valid(definition(
            json!({"interactionType": kind, "correctResponsesPattern": []}),
        ));
    }
    assert_rule(
        definition(json!({"interactionType": "essay"})),
        "interaction-type",
    );
    assert_rule(
        definition(json!({"interactionType": "likert", "choices": choices})),
        "interaction-components",
    );
    assert_rule(
        definition(json!({"interactionType": "true-false", "steps": choices})),
        "interaction-components",
    );
    assert_rule(
        definition(json!({"choices": choices})),
        "interaction-components",
    );
    assert_rule(
        definition(json!({"correctResponsesPattern": ["a"]})),
        "interaction-type-required",
    );
    assert_rule(
        definition(json!({"interactionType": "choice", "correctResponsesPattern": [1]})),
        "correct-responses-pattern",
    );
    assert_rule(
        definition(json!({"interactionType": "choice", "correctResponsesPattern": "a"})),
        "type-array",
    );
    assert_rule(
        definition(json!({"interactionType": "choice", "choices": [{"id": "a"}, {"id": "a"}]})),
        "interaction-component-id-unique",
    );
    assert_rule(
        definition(json!({"interactionType": "choice", "choices": [{"description": {"en": "A"}}]})),
        "interaction-component-id",
    );
    assert_rule(
        definition(json!({"interactionType": "choice", "choices": [{"id": "a", "label": "A"}]})),
        "unknown-property",
    );
}

#[test]
fn results_and_scores() {
    let result = |r: Value| with("/result", r);
    assert_valid(result(json!({
        "score": {"scaled": -1, "raw": 5, "min": 0, "max": 10}, "success": true, "completion": false,
        "response": "a", "duration": "PT1H30M5.25S", "extensions": {"https://lore.example/x": 1}
    })));
    assert_valid(result(json!({"score": {"raw": 10, "min": 0, "max": 10}})));
    assert_valid(result(json!({"score": {"raw": 9999}})));
    assert_rule(
        result(json!({"score": {"scaled": 1.5}})),
        "score-scaled-range",
    );
    assert_rule(
        result(json!({"score": {"scaled": -1.01}})),
        "score-scaled-range",
    );
    assert_rule(
        result(json!({"score": {"raw": 11, "max": 10}})),
        "score-raw-range",
    );
    assert_rule(
        result(json!({"score": {"raw": -1, "min": 0}})),
        "score-raw-range",
    );
    assert_rule(
        result(json!({"score": {"min": 10, "max": 10}})),
        "score-min-max",
    );
    assert_rule(result(json!({"score": {"raw": "5"}})), "type-number");
    assert_rule(result(json!({"score": {"percent": 5}})), "unknown-property");
    assert_rule(result(json!({"success": "yes"})), "type-boolean");
    assert_rule(result(json!({"completion": 1})), "type-boolean");
    assert_rule(result(json!({"response": 1})), "type-string");
    assert_rule(
        result(json!({"extensions": {"bad key": 1}})),
        "extension-key-iri",
    );
}

#[test]
fn durations_are_iso_8601() {
    for ok in [
        "PT1H",
        "P1D",
        "P1Y2M3DT4H5M6S",
        "PT0.5S",
        "PT4,5S",
        "P2W",
        "P1W2D",
        "PT36H",
        "P0D",
    ] {
        assert!(lore_xapi::is_duration(ok), "{ok}");
    }
    for bad in [
        "", "P", "PT", "1H", "P1H", "PT1D", "P1.5DT1H", "PT1M1H", "P1D1D", "PT-1S", "pt1h", "PT1.S",
    ] {
        assert!(!lore_xapi::is_duration(bad), "{bad}");
    }
    assert_rule(
        with("/result", json!({"duration": "1 hour"})),
        "duration-iso8601",
    );
}

#[test]
fn contexts() {
    let context = |c: Value| with("/context", c);
    assert_valid(context(json!({
        "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "instructor": {"mbox": "mailto:coach@example.org"},
        "team": {"objectType": "Group", "member": [{"mbox": "mailto:bo@example.org"}]},
        "contextActivities": {
            "parent": {"id": "https://lore.example/paths/1"},
            "grouping": [{"id": "https://lore.example/groups/1"}],
            "category": [{"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}],
            "other": []
        },
        "revision": "3", "platform": "Lore", "language": "en-GB",
        "statement": {"objectType": "StatementRef", "id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"},
        "extensions": {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": "s-1"}
    })));
    assert_rule(context(json!({"registration": "r-1"})), "uuid");
    assert_rule(
        context(json!({"instructor": {"name": "x"}})),
        "agent-one-identifier",
    );
    assert_rule(
        context(json!({"team": {"mbox": "mailto:t@example.org"}})),
        "context-team-group",
    );
    assert_rule(
        context(json!({"contextActivities": {"parent": "https://lore.example/p"}})),
        "context-activities",
    );
    assert_rule(
        context(json!({"contextActivities": {"sibling": []}})),
        "unknown-property",
    );
    assert_rule(
        context(json!({"contextActivities": {"parent": [{"id": "p 1"}]}})),
        "activity-id",
    );
    assert_rule(context(json!({"language": "english"})), "language-tag");
    assert_rule(
        context(json!({"statement": {"id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"}})),
        "context-statement-ref",
    );
    assert_rule(
        context(json!({"extensions": {"level": 1}})),
        "extension-key-iri",
    );
    assert_rule(context(json!({"revision": 3})), "type-string");
}

#[test]
fn revision_and_platform_only_with_an_activity_object() {
    let mut statement = with(
        "/object",
        json!({"objectType": "Agent", "mbox": "mailto:bo@example.org"}),
    );
    statement["context"] = json!({"revision": "1"});
    assert_rule(statement.clone(), "context-revision-activity");
    statement["context"] = json!({"platform": "Lore"});
    assert_rule(statement, "context-platform-activity");
}

#[test]
fn context_agents_and_groups_are_2_0_0_only() {
    let agents = with(
        "/context",
        json!({"contextAgents": [{
            "objectType": "contextAgent", "agent": {"mbox": "mailto:coach@example.org"},
            "relevantTypes": ["https://lore.example/roles/coach"]
        }]}),
    );
    assert_eq!(rule(&agents, V1), Some("unknown-property"));
    assert_eq!(rule(&agents, V2), None);
    let groups = with(
        "/context",
        json!({"contextGroups": [{"objectType": "contextGroup", "group": {"objectType": "Group", "member": [{"mbox": "mailto:a@example.org"}]}}]}),
    );
    assert_eq!(rule(&groups, V1), Some("unknown-property"));
    assert_eq!(rule(&groups, V2), None);
    let v2 = |c: Value| rule(&with("/context", c), V2);
    assert_eq!(
        v2(json!({"contextAgents": [{"agent": {"mbox": "mailto:c@example.org"}}]})),
        Some("context-agents")
    );
    assert_eq!(
        v2(json!({"contextAgents": [{"objectType": "contextAgent"}]})),
        Some("context-agents")
    );
    assert_eq!(
        v2(
            json!({"contextAgents": [{"objectType": "contextAgent", "agent": {"mbox": "mailto:c@example.org"}, "relevantTypes": []}]})
        ),
        Some("context-agents")
    );
    assert_eq!(
        v2(
            json!({"contextAgents": [{"objectType": "contextAgent", "agent": {"mbox": "mailto:c@example.org"}, "relevantTypes": ["coach"]}]})
        ),
        Some("relevant-type-iri")
    );
    assert_eq!(
        v2(
            json!({"contextGroups": [{"objectType": "contextGroup", "group": {"mbox": "mailto:c@example.org"}}]})
        ),
        Some("group-object-type")
    );
    assert_eq!(
        v2(json!({"contextAgents": {"objectType": "contextAgent"}})),
        Some("type-array")
    );
}

#[test]
fn timestamps() {
    for ok in [
        "2024-05-01T10:20:30Z",
        "2024-05-01T10:20:30.123456789+05:30",
        "2024-05-01T10:20Z",
        "20240501T102030Z",
        "2024-02-29T00:00:00-0800",
        "2024-05-01T10:20:30+01",
    ] {
        assert_valid(with("/timestamp", json!(ok)));
    }
    for bad in [
        "yesterday",
        "2024-05-01",
        "2024-13-01T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2024-05-01T24:00:00Z",
        "2024-05-01T10:20:30+25:00",
        "2024-05-01 10:20:30Z",
        "2024-05-01T10:20:30.Z",
    ] {
        assert_rule(with("/timestamp", json!(bad)), "timestamp-iso8601");
    }
    assert_rule(with("/stored", json!("soon")), "timestamp-iso8601");
}

#[test]
fn timestamp_zone_rules_differ_by_version() {
    let local = with("/timestamp", json!("2024-05-01T10:20:30"));
    assert_eq!(rule(&local, V1), None);
    assert_eq!(rule(&local, V2), Some("timestamp-zone"));
    let negative_zero = with("/timestamp", json!("2024-05-01T10:20:30-00:00"));
    assert_eq!(rule(&negative_zero, V1), None);
    assert_eq!(rule(&negative_zero, V2), Some("timestamp-negative-zero"));
    assert_eq!(
        rule(&with("/timestamp", json!("2024-05-01T10:20:30+00:00")), V2),
        None
    );
}

#[test]
fn statement_version_follows_the_request_version() {
    assert_eq!(rule(&with("/version", json!("1.0.3")), V1), None);
    assert_eq!(rule(&with("/version", json!("1.0.0")), V1), None);
    assert_eq!(
        rule(&with("/version", json!("2.0.0")), V1),
        Some("statement-version")
    );
    assert_eq!(rule(&with("/version", json!("2.0.0")), V2), None);
    assert_eq!(
        rule(&with("/version", json!("1.0.3")), V2),
        Some("statement-version")
    );
    assert_eq!(
        rule(&with("/version", json!("1.0")), V1),
        Some("statement-version")
    );
}

#[test]
fn authority_is_an_agent_or_group() {
    assert_valid(with(
        "/authority",
        json!({"objectType": "Group", "member": [
            {"account": {"homePage": "https://lore.example", "name": "client-1"}},
            {"mbox": "mailto:ada@example.org"}
        ]}),
    ));
    assert_rule(
        with("/authority", json!({"name": "root"})),
        "agent-one-identifier",
    );
}

#[test]
fn attachments() {
    let header = json!({
        "usageType": "http://adlnet.gov/expapi/attachments/certificate",
        "display": {"en-US": "Certificate"},
        "description": {"en-US": "The learner's certificate"},
        "contentType": "application/pdf",
        "length": 12345,
        "sha2": "672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634",
        "fileUrl": "https://lore.example/certificates/1.pdf"
    });
    assert_valid(with("/attachments", json!([header])));
    let case = |key: &str, value: Value, expected: &str| {
        let mut bad = header.clone();
        if value.is_null() {
            bad.as_object_mut().unwrap().remove(key);
        } else {
            bad[key] = value;
        }
        assert_rule(with("/attachments", json!([bad])), expected);
    };
    case("usageType", json!("certificate"), "attachment-usage-type");
    case("display", Value::Null, "attachment-display");
    case("contentType", json!("pdf"), "attachment-content-type");
    case("length", json!(-1), "attachment-length");
    case("length", json!(1.5), "attachment-length");
    case("sha2", json!("abc"), "attachment-sha2");
    case("sha2", Value::Null, "attachment-sha2");
    case("fileUrl", json!("not a url"), "attachment-file-url");
    case(
        "usageType",
        json!("http://adlnet.gov/expapi/attachments/signature"),
        "signature-content-type",
    );
    assert_rule(with("/attachments", json!(header)), "type-array");
}

#[test]
fn batches() {
    let one = base();
    let mut two = base();
    two["id"] = json!("0bcb5d5f-0a56-4b3c-9f6e-1f2e3d4c5b6a");
    assert_eq!(
        validate_batch(&json!([one.clone(), two.clone()]), V1).map(|s| s.len()),
        Ok(2)
    );
    assert_eq!(validate_batch(&one, V2).map(|s| s.len()), Ok(1));
    assert_eq!(validate_batch(&json!([]), V1).map(|s| s.len()), Ok(0));
    let duplicate = validate_batch(&json!([one.clone(), one.clone()]), V1).unwrap_err();
    assert_eq!(
        (duplicate.rule, duplicate.path.as_str()),
        ("batch-duplicate-id", "[1].id")
    );
    let mut broken = base();
    broken["verb"]["id"] = json!("done");
    let error = validate_batch(&json!([two, broken]), V1).unwrap_err();
    assert_eq!(
        (error.rule, error.path.as_str()),
        ("verb-id", "[1].verb.id")
    );
    assert_eq!(
        validate_batch(&json!("x"), V1).unwrap_err().rule,
        "type-object"
    );
}

#[test]
fn errors_name_the_path() {
    let error = validate_statement(&with("/actor/mbox", json!("ada")), V1).unwrap_err();
    assert_eq!(error.path, "actor.mbox");
    assert!(error.to_string().contains("agent-mbox"));
    let error =
        validate_statement(&with("/result", json!({"score": {"scaled": 2}})), V2).unwrap_err();
    assert_eq!(error.path, "result.score.scaled");
}
