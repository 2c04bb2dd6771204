//! Property: validation and everything derived never panic, whatever JSON arrives.

use lore_xapi::{
    Format, Version, format_statement, index, same_statement, validate_batch, validate_statement,
};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Keys the validators look at, so random objects reach deep into the rules.
const KEYS: &[&str] = &[
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
    "objectType",
    "mbox",
    "mbox_sha1sum",
    "openid",
    "account",
    "homePage",
    "name",
    "member",
    "display",
    "definition",
    "interactionType",
    "choices",
    "correctResponsesPattern",
    "score",
    "scaled",
    "raw",
    "min",
    "max",
    "duration",
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "parent",
    "contextAgents",
    "agent",
    "relevantTypes",
    "extensions",
    "usageType",
    "sha2",
    "length",
    "contentType",
    "x",
];
const STRINGS: &[&str] = &[
    "Agent",
    "Group",
    "Activity",
    "SubStatement",
    "StatementRef",
    "contextAgent",
    "choice",
    "likert",
    "mailto:a@example.org",
    "http://adlnet.gov/expapi/verbs/voided",
    "https://lore.example/a",
    "en-US",
    "PT1H",
    "2024-05-01T10:00:00Z",
    "2024-05-01T10:00:00-00:00",
    "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
    "1.0.3",
    "2.0.0",
    "",
    "é",
    "%",
    "P",
    "T",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-10.0f64..10.0).prop_map(|n| json!(n)),
        prop::sample::select(STRINGS).prop_map(|s| json!(s)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|pairs| {
                Value::Object(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn validation_never_panics(value in json_value()) {
        for version in [Version::V1_0_3, Version::V2_0_0] {
            let _ = validate_statement(&value, version);
            let _ = validate_batch(&value, version);
        }
        let _ = index(&value);
        let _ = same_statement(&value, &value);
        for format in [Format::Exact, Format::Ids, Format::Canonical] {
            let _ = format_statement(&value, format, &["en".to_owned()]);
        }
    }

    #[test]
    fn multipart_parsing_never_panics(body in prop::collection::vec(any::<u8>(), 0..200), boundary in "[a-z]{0,4}") {
        let _ = lore_xapi::parse_multipart(&format!("multipart/mixed; boundary={boundary}"), &body);
    }

    #[test]
    fn strings_never_panic(raw in ".{0,24}") {
        let _ = lore_xapi::is_language_tag(&raw);
        let _ = lore_xapi::is_duration(&raw);
        let _ = lore_xapi::normalise_timestamp(&raw, Version::V2_0_0);
        let _ = Version::from_header(&raw);
    }
}
