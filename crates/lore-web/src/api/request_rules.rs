//! What the server enforces on request bodies — allowed words, lengths, ranges — written
//! into the document's schemas from the domain's own constants and word lists, so the
//! document and the validation cannot drift apart (the domain's `parse` functions use the
//! same constants). A rule naming a schema or property the document lacks fails a test.

use lore_domain::certificate;
use lore_domain::course::StepBody;
use lore_domain::group::GroupName;
use lore_domain::need::{
    MAX_QUESTIONS, NeedStatus, NeedTitle, PROBLEM_MAX_CHARS, QUESTION_MAX_CHARS, TOPIC_MAX_CHARS,
    Urgency,
};
use lore_domain::notification::{MailMode, NotificationKind};
use lore_domain::reactions::{MAX_COMMENT_CHARS, ReactionKind};
use lore_domain::{discussion, suggested_edit};
use utoipa::Modify;
use utoipa::openapi::schema::{ArrayItems, Object, Schema, SchemaType, Type};
use utoipa::openapi::{OpenApi, RefOr};

/// Text with at least one character that is not white space (the domain trims first).
const NOT_BLANK: &str = r"\S";

/// What one property of a request schema must satisfy.
#[derive(Debug, Clone)]
pub(crate) enum Rule {
    /// Text of at most `max` characters; `required`: not blank either.
    Text { required: bool, max: usize },
    /// Text of `min` to `max` characters.
    Length { min: usize, max: usize },
    /// One of these words.
    OneOf(Vec<&'static str>),
    /// A whole number in this range.
    Range { min: i64, max: i64 },
    /// A list of at most `max` items (any number for `None`), each following the rule.
    Items { max: Option<usize>, each: Box<Rule> },
}

fn words<T: Copy>(all: &[T], word: fn(T) -> &'static str) -> Rule {
    Rule::OneOf(all.iter().map(|w| word(*w)).collect())
}

/// Every rule: (component schema, property, rule).
pub(crate) fn rules() -> Vec<(&'static str, &'static str, Rule)> {
    let required = |max| Rule::Text {
        required: true,
        max,
    };
    let optional = |max| Rule::Text {
        required: false,
        max,
    };
    let questions = || Rule::Items {
        max: Some(MAX_QUESTIONS),
        each: Box::new(optional(QUESTION_MAX_CHARS)),
    };
    let days = || Rule::Range {
        min: 1,
        max: certificate::MAX_DAYS,
    };
    vec![
        ("Rules", "validity_days", days()),
        (
            "Rules",
            "reminder_days",
            Rule::Items {
                max: None,
                each: Box::new(days()),
            },
        ),
        ("NewGroup", "name", required(GroupName::MAX_CHARS)),
        ("GroupRename", "name", required(GroupName::MAX_CHARS)),
        ("NewThread", "title", required(discussion::MAX_TITLE_CHARS)),
        ("NewThread", "body", required(discussion::MAX_BODY_CHARS)),
        ("NewPost", "body", required(discussion::MAX_BODY_CHARS)),
        (
            "NewReaction",
            "kind",
            words(&ReactionKind::ALL, ReactionKind::as_str),
        ),
        ("NewReaction", "comment", optional(MAX_COMMENT_CHARS)),
        (
            "NewNeed",
            "title",
            Rule::Length {
                min: NeedTitle::MIN_CHARS,
                max: NeedTitle::MAX_CHARS,
            },
        ),
        ("NewNeed", "problem", optional(PROBLEM_MAX_CHARS)),
        ("NewNeed", "topic", optional(TOPIC_MAX_CHARS)),
        ("NewNeed", "urgency", words(&Urgency::ALL, Urgency::as_str)),
        ("NewNeed", "questions", questions()),
        (
            "NeedChanges",
            "title",
            Rule::Length {
                min: NeedTitle::MIN_CHARS,
                max: NeedTitle::MAX_CHARS,
            },
        ),
        ("NeedChanges", "problem", optional(PROBLEM_MAX_CHARS)),
        ("NeedChanges", "topic", optional(TOPIC_MAX_CHARS)),
        (
            "NeedChanges",
            "urgency",
            words(&Urgency::ALL, Urgency::as_str),
        ),
        ("NeedChanges", "questions", questions()),
        (
            "StatusChange",
            "status",
            words(&NeedStatus::ALL, NeedStatus::as_str),
        ),
        (
            "MailChoiceChange",
            "kind",
            words(&NotificationKind::ALL, NotificationKind::as_str),
        ),
        (
            "MailChoiceChange",
            "mode",
            words(&MailMode::ALL, MailMode::as_str),
        ),
        ("AcceptSuggestion", "body", optional(StepBody::MAX_CHARS)),
        (
            "DeclineSuggestion",
            "reason",
            required(suggested_edit::MAX_REASON_CHARS),
        ),
    ]
}

/// Puts [`rules`] into the document's component schemas.
pub struct RequestRules;

impl Modify for RequestRules {
    fn modify(&self, doc: &mut OpenApi) {
        for (schema, property, rule) in rules() {
            apply(doc, schema, property, &rule);
        }
    }
}

/// Put one rule on `schema.property`; false when the document has no such property.
pub(crate) fn apply(doc: &mut OpenApi, schema: &str, property: &str, rule: &Rule) -> bool {
    let Some(components) = doc.components.as_mut() else {
        return false;
    };
    let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(schema) else {
        return false;
    };
    let Some(RefOr::T(target)) = object.properties.get_mut(property) else {
        return false;
    };
    constrain(target, rule)
}

fn constrain(schema: &mut Schema, rule: &Rule) -> bool {
    match (schema, rule) {
        (Schema::Array(array), Rule::Items { max, each }) => {
            array.max_items = *max;
            match &mut array.items {
                ArrayItems::RefOrSchema(item) => match item.as_mut() {
                    RefOr::T(item) => constrain(item, each),
                    RefOr::Ref(_) => false,
                },
                ArrayItems::False => false,
            }
        }
        (Schema::Object(object), rule) => {
            constrain_value(object, rule);
            true
        }
        _ => false,
    }
}

fn constrain_value(object: &mut Object, rule: &Rule) {
    match rule {
        Rule::Text { required, max } => {
            object.max_length = Some(*max);
            if *required {
                object.min_length = Some(1);
                object.pattern = Some(NOT_BLANK.to_owned());
            }
        }
        Rule::Length { min, max } => {
            object.min_length = Some(*min);
            object.max_length = Some(*max);
        }
        Rule::OneOf(words) => {
            let mut values: Vec<serde_json::Value> =
                words.iter().map(|w| serde_json::Value::from(*w)).collect();
            // An optional property may also be sent as null.
            if let SchemaType::Array(types) = &object.schema_type
                && types.contains(&Type::Null)
            {
                values.push(serde_json::Value::Null);
            }
            object.enum_values = Some(values);
        }
        Rule::Range { min, max } => {
            object.minimum = Some((*min).into());
            object.maximum = Some((*max).into());
        }
        Rule::Items { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_names_a_property_of_the_document() {
        let mut doc = super::super::openapi_document();
        for (schema, property, rule) in rules() {
            assert!(
                apply(&mut doc, schema, property, &rule),
                "{schema}.{property} is not in the document (or its type does not fit {rule:?})"
            );
        }
    }
}
