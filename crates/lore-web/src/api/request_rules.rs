//! What the server enforces on request bodies — allowed words, lengths, ranges — written
//! into the document's schemas from the domain's own constants and word lists, so the
//! document and the validation cannot drift apart (the domain's `parse` functions use the
//! same constants). A rule naming a schema or property the document lacks fails a test.

use lore_app::needs::BoardSort;
use lore_domain::account::PersonName;
use lore_domain::assignment::AssigneeStatus;
use lore_domain::audit::AuditAction;
use lore_domain::certificate;
use lore_domain::course::CourseTitle;
use lore_domain::course::StepBody;
use lore_domain::group::GroupName;
use lore_domain::need::{
    MAX_AUDIENCES, MAX_QUESTIONS, NeedStatus, NeedTitle, PROBLEM_MAX_CHARS, QUESTION_MAX_CHARS,
    TOPIC_MAX_CHARS, Urgency,
};
use lore_domain::notification::{MailMode, NotificationKind};
use lore_domain::outcome::{
    MAX_GROUP_SIZE, METRIC_NAME_MAX_CHARS, METRIC_UNIT_MAX_CHARS, MIN_GROUP_SIZE, PeriodKind,
};
use lore_domain::path::{ItemKind, PathOrder};
use lore_domain::question_bank::{self, BankName, Difficulty, MAX_DRAW};
use lore_domain::reactions::Resolution;
use lore_domain::reactions::{MAX_COMMENT_CHARS, ReactionKind};
use lore_domain::webhook::{self, HookFormat};
use lore_domain::{discussion, suggested_edit};
use utoipa::Modify;
use utoipa::Number;
use utoipa::openapi::schema::{
    AdditionalProperties, AnyOfBuilder, ArrayItems, KnownFormat, Object, ObjectBuilder,
    OneOfBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{OpenApi, RefOr};

/// Control characters the domain refuses in text that keeps its lines (tabs and line
/// breaks are allowed), as a regular-expression class body.
pub(crate) const CONTROL: &str = r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F";

/// What a group name refuses: `/` and control characters that are not white space (white
/// space runs become one space).
const GROUP_NAME_REFUSES: &str = r"/\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F";

/// What a person's name refuses: control characters that are not white space.
pub(crate) const NAME_REFUSES: &str = r"\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F";

/// The pattern of a text: `refused` characters nowhere, and when `required`, at least one
/// character that is not white space (the domain trims first).
fn text_pattern(required: bool, refused: &str) -> Option<String> {
    match (required, refused.is_empty()) {
        (true, true) => Some(r"\S".to_owned()),
        (true, false) => Some(format!(r"^[^{refused}]*[^\s{refused}][^{refused}]*$")),
        (false, false) => Some(format!("^[^{refused}]*$")),
        (false, true) => None,
    }
}

/// What one property of a request schema must satisfy.
#[derive(Debug, Clone)]
pub(crate) enum Rule {
    /// Text of at most `max` characters, none of the `refused` class; `required`: not
    /// blank either.
    Text {
        required: bool,
        max: usize,
        refused: &'static str,
    },
    /// Text of `min` to `max` characters.
    Length { min: usize, max: usize },
    /// One of these words.
    OneOf(Vec<String>),
    /// A whole number in this range.
    Range { min: i64, max: i64 },
    /// A list of at most `max` items (any number for `None`), each following the rule.
    Items { max: Option<usize>, each: Box<Rule> },
    /// A list of at least `min` of these words.
    Choices { words: Vec<String>, min: usize },
    /// Text of at most `max` characters matching the pattern.
    Pattern { pattern: &'static str, max: usize },
}

/// An email address as `Email::parse` takes it (in ASCII): something, `@`, and a domain
/// with a dot inside it; no white space, control characters or angle brackets.
macro_rules! email_pattern {
    () => {
        r"^[!-;=?A-~]+@[!-\-/-;=?A-~][!-;=?A-~]*\.[!-;=?A-~]*[!-\-/-;=?A-~]$"
    };
}
pub(crate) const EMAIL: &str = email_pattern!();

/// An address, or nothing: a filter sent empty (as a form's "anyone" sends it) is no filter.
const EMAIL_OR_EMPTY: &str = concat!("^$|", email_pattern!());

/// An address a hook may be sent to, as far as its shape goes: http or https with a host.
/// Where it leads (a private range, a name that does not resolve) is the world's state,
/// refused with 422 and allowed for by the schemathesis story (decision 0037).
const HOOK_URL: &str = r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[!-~]*)?$";

/// The longest hook address (`webhooks::address`).
const HOOK_URL_MAX: usize = 2000;

/// A course or path of a path's items, assignments and outcome links (`ItemRef::parse`).
const ITEM: &str = r"^(course|path):[0-9]{1,18}$";

/// Rules of query and path parameters: (path in the document, parameter, rule).
pub(crate) fn parameter_rules() -> Vec<(&'static str, &'static str, Rule)> {
    let item_kinds = words(ItemKind::ALL, ItemKind::as_str);
    let statuses = words(AssigneeStatus::ALL, AssigneeStatus::as_str);
    let email = || Rule::Pattern {
        pattern: EMAIL_OR_EMPTY,
        max: 254,
    };
    vec![
        (
            "/api/v1/outcomes/{id}/links/{kind}/{target_id}",
            "kind",
            item_kinds,
        ),
        (
            "/api/v1/needs",
            "sort",
            words(&BoardSort::ALL, BoardSort::as_str),
        ),
        ("/api/v1/paths/{id}/progress", "status", statuses.clone()),
        // An empty manager is no filter.
        ("/api/v1/paths/{id}/progress", "manager", email()),
        ("/api/v1/courses/{id}/progress", "manager", email()),
        (
            "/api/v1/needs",
            "status",
            words(&NeedStatus::ALL, NeedStatus::as_str),
        ),
        // An empty action is no filter.
        ("/api/v1/audit-log", "action", {
            let mut actions: Vec<String> = AuditAction::ALL
                .iter()
                .map(|a| a.as_str().to_owned())
                .collect();
            actions.push(String::new());
            Rule::OneOf(actions)
        }),
        ("/api/v1/courses/{id}/progress", "status", statuses),
    ]
}

fn words<T: Copy>(all: &[T], word: fn(T) -> &'static str) -> Rule {
    Rule::OneOf(all.iter().map(|w| word(*w).to_owned()).collect())
}

/// Every rule: (component schema, property, rule).
pub(crate) fn rules() -> Vec<(&'static str, &'static str, Rule)> {
    let required = |max| Rule::Text {
        required: true,
        max,
        refused: "",
    };
    let optional = |max| Rule::Text {
        required: false,
        max,
        refused: "",
    };
    let clean = |required, max| Rule::Text {
        required,
        max,
        refused: CONTROL,
    };
    let one_line = |required, max| Rule::Text {
        required,
        max,
        refused: NAME_REFUSES,
    };
    let group_name = Rule::Text {
        required: true,
        max: GroupName::MAX_CHARS,
        refused: GROUP_NAME_REFUSES,
    };
    let questions = || Rule::Items {
        max: Some(MAX_QUESTIONS),
        each: Box::new(optional(QUESTION_MAX_CHARS)),
    };
    let title = || Rule::Text {
        required: true,
        max: CourseTitle::MAX_CHARS,
        refused: NAME_REFUSES,
    };
    let item = || Rule::Pattern {
        pattern: ITEM,
        max: 40,
    };
    let hook_url = || Rule::Pattern {
        pattern: HOOK_URL,
        max: HOOK_URL_MAX,
    };
    let audiences = || Rule::Items {
        max: Some(MAX_AUDIENCES),
        each: Box::new(Rule::Range {
            min: 1,
            max: i64::MAX,
        }),
    };
    let days = || Rule::Range {
        min: 1,
        max: certificate::MAX_DAYS,
    };
    vec![
        (
            "ProfileUpdate",
            "name",
            Rule::Text {
                required: true,
                max: PersonName::MAX_CHARS,
                refused: NAME_REFUSES,
            },
        ),
        (
            "ProfileUpdate",
            "time_zone",
            Rule::OneOf(lore_app::profile::time_zones()),
        ),
        (
            "ProfileUpdate",
            "language",
            Rule::OneOf(
                lore_app::profile::LANGUAGES
                    .iter()
                    .map(|(code, _)| (*code).to_owned())
                    .collect(),
            ),
        ),
        (
            "NewToken",
            "name",
            required(lore_app::tokens::NAME_MAX_CHARS),
        ),
        (
            "NewXapiClient",
            "name",
            required(lore_app::tokens::NAME_MAX_CHARS),
        ),
        (
            "NewMetric",
            "period_kind",
            words(PeriodKind::ALL, PeriodKind::as_str),
        ),
        (
            "NewMetric",
            "min_group_size",
            Rule::Range {
                min: i64::from(MIN_GROUP_SIZE),
                max: i64::from(MAX_GROUP_SIZE),
            },
        ),
        (
            "ForwardingInput",
            "version",
            Rule::OneOf(
                lore_domain::xapi_forwarding::VERSIONS
                    .iter()
                    .map(|v| (*v).to_owned())
                    .collect(),
            ),
        ),
        ("NewPath", "order", words(PathOrder::ALL, PathOrder::as_str)),
        ("Draft", "order", words(PathOrder::ALL, PathOrder::as_str)),
        ("Rules", "validity_days", days()),
        (
            "Rules",
            "reminder_days",
            Rule::Items {
                max: None,
                each: Box::new(days()),
            },
        ),
        ("NewMetric", "name", required(METRIC_NAME_MAX_CHARS)),
        ("NewMetric", "unit", required(METRIC_UNIT_MAX_CHARS)),
        ("NewPath", "title", title()),
        ("Draft", "title", title()),
        ("NewAssignment", "target", item()),
        ("DraftItem", "item", item()),
        (
            "DraftItem",
            "after",
            Rule::Items {
                max: None,
                each: Box::new(item()),
            },
        ),
        ("LinkIn", "target", item()),
        (
            "ReactionResolution",
            "action",
            Rule::OneOf(Resolution::ACTIONS.map(str::to_owned).to_vec()),
        ),
        ("NewWebhook", "url", hook_url()),
        ("NewChatHook", "url", hook_url()),
        (
            "NewWebhook",
            "events",
            Rule::Choices {
                words: webhook::EVENT_TYPES
                    .iter()
                    .map(|(name, _, _)| (*name).to_owned())
                    .collect(),
                min: 1,
            },
        ),
        (
            "NewChatHook",
            "events",
            Rule::Choices {
                words: webhook::CHAT_EVENT_TYPES
                    .iter()
                    .map(|name| (*name).to_owned())
                    .collect(),
                min: 1,
            },
        ),
        (
            "NewChatHook",
            "format",
            Rule::OneOf(
                HookFormat::ALL
                    .iter()
                    .copied()
                    .filter(|f| *f != HookFormat::Lore)
                    .map(|f| f.as_str().to_owned())
                    .collect(),
            ),
        ),
        (
            "NewXapiClient",
            "scopes",
            Rule::Choices {
                words: lore_app::lrs::SCOPES
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
                min: 1,
            },
        ),
        (
            "NewInvitation",
            "email",
            Rule::Pattern {
                pattern: EMAIL,
                max: 254,
            },
        ),
        (
            "NewInvitation",
            "name",
            Rule::Text {
                required: true,
                max: PersonName::MAX_CHARS,
                refused: NAME_REFUSES,
            },
        ),
        ("NewGroup", "name", group_name.clone()),
        ("GroupRename", "name", group_name),
        ("NewThread", "title", required(discussion::MAX_TITLE_CHARS)),
        ("NewThread", "body", required(discussion::MAX_BODY_CHARS)),
        ("NewPost", "body", required(discussion::MAX_BODY_CHARS)),
        (
            "NewReaction",
            "kind",
            words(&ReactionKind::ALL, ReactionKind::as_str),
        ),
        ("NewReaction", "comment", clean(false, MAX_COMMENT_CHARS)),
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
        ("NewNeed", "audiences", audiences()),
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
        ("NeedChanges", "audiences", audiences()),
        // `merged` is reached through the merge operation, not as a status change.
        (
            "StatusChange",
            "status",
            Rule::OneOf(
                NeedStatus::ALL
                    .iter()
                    .filter(|s| **s != NeedStatus::Merged)
                    .map(|s| s.as_str().to_owned())
                    .collect(),
            ),
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
        (
            "AcceptSuggestion",
            "body",
            clean(false, StepBody::MAX_CHARS),
        ),
        (
            "DeclineSuggestion",
            "reason",
            clean(true, suggested_edit::MAX_REASON_CHARS),
        ),
        ("NewBank", "name", one_line(true, BankName::MAX_CHARS)),
        (
            "NewBankQuestionBody",
            "topic",
            one_line(false, question_bank::TOPIC_MAX_CHARS),
        ),
        (
            "BankGift",
            "topic",
            one_line(false, question_bank::TOPIC_MAX_CHARS),
        ),
        (
            "DrawBody",
            "topic",
            one_line(false, question_bank::TOPIC_MAX_CHARS),
        ),
        (
            "DrawBody",
            "count",
            Rule::Range {
                min: 1,
                max: i64::from(MAX_DRAW),
            },
        ),
        // Empty or `any`: any question, rated or not.
        ("DrawBody", "difficulty", {
            let mut bands = vec![String::new(), "any".to_owned()];
            bands.extend(Difficulty::ALL.iter().map(|d| d.as_str().to_owned()));
            Rule::OneOf(bands)
        }),
    ]
}

/// Puts [`rules`] into the document's component schemas.
pub struct RequestRules;

impl Modify for RequestRules {
    fn modify(&self, doc: &mut OpenApi) {
        for (schema, property, rule) in rules()
            .into_iter()
            .chain(super::authoring::rules())
            .chain(super::course_settings::rules())
            .chain(super::evaluation_settings::rules())
        {
            apply(doc, schema, property, &rule);
        }
        for (path, name, rule) in parameter_rules() {
            apply_parameter(doc, path, name, &rule);
        }
        split_reactions(doc);
        split_resolutions(doc);
        split_status_changes(doc);
        if let Some(RefOr::T(answer)) = doc
            .components
            .as_mut()
            .and_then(|c| c.schemas.get_mut("AnswerValue"))
        {
            pairs_of_two(answer);
            closed_shapes(answer);
        }
        for item in doc.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                for parameter in operation.parameters.iter_mut().flatten() {
                    if let Some(RefOr::T(schema)) = parameter.schema.as_mut() {
                        as_read(schema);
                    }
                }
            }
        }
    }
}

/// A reaction of a negative kind needs a comment, a positive one may carry one: the
/// reaction's schema becomes one of the two shapes, split by the domain's own kinds.
fn split_reactions(doc: &mut OpenApi) {
    let kinds = |wants_comment: bool| {
        ReactionKind::ALL
            .into_iter()
            .filter(|k| k.wants_comment() == wants_comment)
            .map(|k| k.as_str())
            .collect()
    };
    split_by_word(
        doc,
        ("NewReaction", "kind"),
        [kinds(false), kinds(true)],
        ("comment", CONTROL),
    );
}

/// Split the component schema `name` into two shapes by the words its `property` takes:
/// the first shape with the first words, the second with the others, where the text
/// property `needs` is required and must hold something besides `refused` and white space.
fn split_by_word(
    doc: &mut OpenApi,
    (name, property): (&str, &str),
    words: [Vec<&str>; 2],
    (needs, refused): (&str, &str),
) {
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    let Some(RefOr::T(Schema::Object(whole))) = components.schemas.get(name) else {
        return;
    };
    let shape = |words: &[&str], needed: bool| {
        let mut object = whole.clone();
        if let Some(RefOr::T(Schema::Object(word))) = object.properties.get_mut(property) {
            word.enum_values = Some(words.iter().map(|w| (*w).into()).collect());
        }
        if needed {
            if let Some(RefOr::T(Schema::Object(text))) = object.properties.get_mut(needs) {
                text.schema_type = SchemaType::Type(Type::String);
                text.min_length = Some(1);
                text.pattern = text_pattern(true, refused);
            }
            object.required.push(needs.to_owned());
        }
        Schema::Object(object)
    };
    let [free, needing] = &words;
    let split = OneOfBuilder::new()
        .item(shape(free, false))
        .item(shape(needing, true))
        .description(whole.description.clone())
        .build();
    components
        .schemas
        .insert(name.to_owned(), RefOr::T(Schema::OneOf(split)));
}

/// A reaction's resolution is one of two shapes, as `Resolution::parse` reads it: `answer`
/// or `dismiss` with a note in words, or `fixed` with the version of the fix (from 1).
fn split_resolutions(doc: &mut OpenApi) {
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    let Some(RefOr::T(Schema::Object(resolution))) = components.schemas.get("ReactionResolution")
    else {
        return;
    };
    let shape = |actions: &[&str], needs: &str| {
        let mut object = resolution.clone();
        if let Some(RefOr::T(Schema::Object(action))) = object.properties.get_mut("action") {
            action.enum_values = Some(actions.iter().map(|a| (*a).into()).collect());
        }
        match object.properties.get_mut(needs) {
            Some(RefOr::T(Schema::Object(note))) if needs == "note" => {
                note.schema_type = SchemaType::Type(Type::String);
                note.min_length = Some(1);
                note.max_length = Some(MAX_COMMENT_CHARS * 4);
                note.pattern = text_pattern(true, "");
            }
            Some(RefOr::T(Schema::Object(version))) => {
                version.schema_type = SchemaType::Type(Type::Integer);
                version.minimum = Some(1.into());
            }
            _ => {}
        }
        object.required.push(needs.to_owned());
        Schema::Object(object)
    };
    let [answer, fixed, dismiss] = Resolution::ACTIONS;
    let split = OneOfBuilder::new()
        .item(shape(&[answer, dismiss], "note"))
        .item(shape(&[fixed], "version"))
        .description(resolution.description.clone())
        .build();
    components.schemas.insert(
        "ReactionResolution".to_owned(),
        RefOr::T(Schema::OneOf(split)),
    );
}

/// Declining a need needs a reason; the other moves may carry one: the status change's
/// schema becomes one of the two shapes, split by the domain's own statuses (`merged` is
/// the merge operation's).
fn split_status_changes(doc: &mut OpenApi) {
    let statuses = |declining: bool| {
        NeedStatus::ALL
            .iter()
            .filter(|s| **s != NeedStatus::Merged)
            .filter(|s| (**s == NeedStatus::Declined) == declining)
            .map(|s| s.as_str())
            .collect()
    };
    split_by_word(
        doc,
        ("StatusChange", "status"),
        [statuses(false), statuses(true)],
        ("reason", ""),
    );
}

/// A matching answer is a list of pairs, `[String; 2]`, which the generated schema states
/// as a list of lists of strings: each inner list gets exactly two items. Returns whether
/// one was found.
fn pairs_of_two(schema: &mut Schema) -> bool {
    match schema {
        Schema::Array(outer) => match &mut outer.items {
            ArrayItems::RefOrSchema(item) => match item.as_mut() {
                RefOr::T(Schema::Array(inner)) => {
                    inner.min_items = Some(2);
                    inner.max_items = Some(2);
                    true
                }
                RefOr::T(other) => pairs_of_two(other),
                RefOr::Ref(_) => false,
            },
            ArrayItems::False => false,
        },
        Schema::Object(object) => object
            .properties
            .values_mut()
            .fold(false, |found, p| found | inline(p)),
        Schema::OneOf(one_of) => one_of
            .items
            .iter_mut()
            .fold(false, |found, i| found | inline(i)),
        _ => false,
    }
}

/// An answer's shapes take no other fields (the server refuses unknown ones).
fn closed_shapes(schema: &mut Schema) {
    if let Schema::OneOf(one_of) = schema {
        for item in &mut one_of.items {
            if let RefOr::T(Schema::Object(object)) = item {
                object.additional_properties =
                    Some(Box::new(AdditionalProperties::FreeForm(false)));
            }
        }
    }
}

fn inline(schema: &mut RefOr<Schema>) -> bool {
    match schema {
        RefOr::T(s) => pairs_of_two(s),
        RefOr::Ref(_) => false,
    }
}

/// A query or path parameter as the server reads it: an unsigned number takes any `u64`
/// (not only what `int64` allows), and a date may also be sent empty, which counts as
/// left out.
fn as_read(schema: &mut Schema) {
    let Schema::Object(object) = schema else {
        return;
    };
    let integer = match &object.schema_type {
        SchemaType::Type(t) => *t == Type::Integer,
        SchemaType::Array(types) => types.contains(&Type::Integer),
        SchemaType::AnyValue => false,
    };
    let unsigned = object.minimum.as_ref().is_some_and(|m| match m {
        Number::Int(i) => *i >= 0,
        Number::UInt(_) => true,
        Number::Float(f) => *f >= 0.0,
    });
    match object.format {
        Some(SchemaFormat::KnownFormat(KnownFormat::Int64)) if integer && unsigned => {
            object.format = None;
            if object.maximum.is_none() {
                object.maximum = Some(Number::UInt(usize::MAX));
            }
        }
        Some(SchemaFormat::KnownFormat(KnownFormat::Date)) => {
            let date = Schema::Object(object.clone());
            let empty = ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(0))
                .build();
            *schema = Schema::AnyOf(AnyOfBuilder::new().item(date).item(empty).build());
        }
        _ => {}
    }
}

/// Put one rule on the parameter `name` of every operation at `path`; false when none has it.
pub(crate) fn apply_parameter(doc: &mut OpenApi, path: &str, name: &str, rule: &Rule) -> bool {
    let Some(item) = doc.paths.paths.get_mut(path) else {
        return false;
    };
    let mut found = false;
    for operation in [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .flatten()
    {
        for parameter in operation.parameters.iter_mut().flatten() {
            if parameter.name == name
                && let Some(RefOr::T(schema)) = parameter.schema.as_mut()
            {
                found |= constrain(schema, rule);
            }
        }
    }
    found
}

/// Put one rule on `schema.property`; false when the document has no such property.
pub(crate) fn apply(doc: &mut OpenApi, schema: &str, property: &str, rule: &Rule) -> bool {
    let Some(components) = doc.components.as_mut() else {
        return false;
    };
    match components.schemas.get_mut(schema) {
        Some(RefOr::T(Schema::Object(object))) => constrain_property(object, property, rule),
        // A schema already split into shapes (see `split_reactions`): every shape has it.
        Some(RefOr::T(Schema::OneOf(one_of))) => one_of.items.iter_mut().all(|item| match item {
            RefOr::T(Schema::Object(object)) => constrain_property(object, property, rule),
            _ => false,
        }),
        _ => false,
    }
}

fn constrain_property(object: &mut Object, property: &str, rule: &Rule) -> bool {
    match object.properties.get_mut(property) {
        Some(RefOr::T(target)) => constrain(target, rule),
        _ => false,
    }
}

fn constrain(schema: &mut Schema, rule: &Rule) -> bool {
    match (schema, rule) {
        (Schema::Array(array), Rule::Choices { words, min }) => {
            array.min_items = Some(*min);
            match &mut array.items {
                ArrayItems::RefOrSchema(item) => match item.as_mut() {
                    RefOr::T(Schema::Object(item)) => {
                        constrain_value(item, &Rule::OneOf(words.clone()));
                        true
                    }
                    _ => false,
                },
                ArrayItems::False => false,
            }
        }
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
        Rule::Text {
            required,
            max,
            refused,
        } => {
            object.max_length = Some(*max);
            if *required {
                object.min_length = Some(1);
            }
            object.pattern = text_pattern(*required, refused);
        }
        Rule::Length { min, max } => {
            object.min_length = Some(*min);
            object.max_length = Some(*max);
        }
        Rule::OneOf(words) => {
            let mut values: Vec<serde_json::Value> = words
                .iter()
                .map(|w| serde_json::Value::from(w.as_str()))
                .collect();
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
        Rule::Pattern { pattern, max } => {
            object.max_length = Some(*max);
            // A pattern that takes nothing (`^$|…`) may be sent empty.
            object.min_length = (!pattern.starts_with("^$|")).then_some(1);
            object.pattern = Some((*pattern).to_owned());
        }
        Rule::Items { .. } | Rule::Choices { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_names_a_property_of_the_document() {
        let mut doc = super::super::openapi_document();
        for (schema, property, rule) in rules()
            .into_iter()
            .chain(super::super::course_settings::rules())
            .chain(super::super::evaluation_settings::rules())
        {
            assert!(
                apply(&mut doc, schema, property, &rule),
                "{schema}.{property} is not in the document (or its type does not fit {rule:?})"
            );
        }
        for (path, name, rule) in parameter_rules() {
            assert!(
                apply_parameter(&mut doc, path, name, &rule),
                "{path} has no parameter {name} (or its type does not fit {rule:?})"
            );
        }
    }

    #[test]
    fn a_matching_answer_is_a_list_of_pairs() {
        let doc = super::super::openapi_document();
        let json = serde_json::to_value(&doc).expect("the document as JSON");
        let shapes = json["components"]["schemas"]["AnswerValue"]["oneOf"]
            .as_array()
            .expect("answer shapes");
        let matches = shapes
            .iter()
            .find(|s| s["properties"]["kind"]["enum"][0] == "matches")
            .expect("the matching shape");
        let pair = &matches["properties"]["value"]["items"];
        assert_eq!(
            (&pair["minItems"], &pair["maxItems"]),
            (&2.into(), &2.into()),
            "{pair}"
        );
    }

    #[test]
    fn an_empty_manager_filter_is_documented() {
        let doc = super::super::openapi_document();
        let json = serde_json::to_value(&doc).expect("the document as JSON");
        let params = json["paths"]["/api/v1/courses/{id}/progress"]["get"]["parameters"]
            .as_array()
            .expect("parameters")
            .clone();
        let manager = params
            .iter()
            .find(|p| p["name"] == "manager")
            .expect("manager");
        assert!(manager["schema"].get("minLength").is_none(), "{manager}");
        assert!(
            manager["schema"]["pattern"]
                .as_str()
                .is_some_and(|p| p.starts_with("^$|")),
            "{manager}"
        );
    }
}
