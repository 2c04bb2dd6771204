//! What a stored statement is found by: the rows of the store's index.
//!
//! Direct (the `agent` / `activity` filters): the actor and an Agent/Group object; an Activity
//! object. Related (`related_agents` / `related_activities`): the authority, context
//! instructor, team, 2.0.0 context agents and groups, and the same inside a sub-statement;
//! context activities and a sub-statement's object and context activities. A group's members
//! give rows as the group does; an anonymous group itself has no identifier and gives none. Statements a StatementRef points at are the store's
//! business (it follows the reference when it filters).

use serde_json::Value;

use crate::{agent_key, vocabulary};

/// Every agent key a statement names and every activity id, flagged direct (true) or
/// related (false); its verb, registration, and the statement it voids.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Index {
    pub agents: Vec<(String, bool)>,
    pub activities: Vec<(String, bool)>,
    pub verb: String,
    pub registration: Option<uuid::Uuid>,
    pub voids: Option<uuid::Uuid>,
}

impl Index {
    /// An agent or group; a group's members count as it does (1.0.3 Communication 2.1.3:
    /// "Groups that have members which match the specified Agent … are considered a match").
    fn agent(&mut self, value: Option<&Value>, direct: bool) {
        let Some(value) = value else { return };
        if let Ok(key) = agent_key(value) {
            push(&mut self.agents, key, direct);
        }
        for member in value
            .get("member")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Ok(key) = agent_key(member) {
                push(&mut self.agents, key, direct);
            }
        }
    }

    fn activity(&mut self, value: Option<&Value>, direct: bool) {
        let Some(id) = value.and_then(|v| v.get("id")).and_then(Value::as_str) else {
            return;
        };
        push(&mut self.activities, id.to_owned(), direct);
    }

    /// An object as a whole: agent, group or activity.
    fn object(&mut self, object: Option<&Value>, direct: bool) {
        match object
            .and_then(|o| o.get("objectType"))
            .and_then(Value::as_str)
        {
            Some("Agent" | "Group") => self.agent(object, direct),
            None | Some("Activity") => self.activity(object, direct),
            _ => {}
        }
    }

    fn context(&mut self, context: Option<&Value>) {
        let Some(context) = context else { return };
        self.agent(context.get("instructor"), false);
        self.agent(context.get("team"), false);
        for (list, member) in [("contextAgents", "agent"), ("contextGroups", "group")] {
            for item in context
                .get(list)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                self.agent(item.get(member), false);
            }
        }
        let activities = context.get("contextActivities").and_then(Value::as_object);
        for list in activities.into_iter().flat_map(|m| m.values()) {
            match list {
                Value::Array(items) => items.iter().for_each(|a| self.activity(Some(a), false)),
                single => self.activity(Some(single), false),
            }
        }
    }
}

/// Adds a row; a direct row wins over a related one for the same key.
fn push(rows: &mut Vec<(String, bool)>, key: String, direct: bool) {
    match rows.iter_mut().find(|(k, _)| *k == key) {
        Some(row) => row.1 |= direct,
        None => rows.push((key, direct)),
    }
}

/// The index rows of a (valid, completed) statement.
pub fn index(statement: &Value) -> Index {
    let mut index = Index::default();
    index.agent(statement.get("actor"), true);
    let object = statement.get("object");
    index.object(object, true);
    index.agent(statement.get("authority"), false);
    index.context(statement.get("context"));
    if let Some(sub) =
        object.filter(|o| o.get("objectType").and_then(Value::as_str) == Some("SubStatement"))
    {
        index.agent(sub.get("actor"), false);
        index.object(sub.get("object"), false);
        index.context(sub.get("context"));
    }
    index.verb = statement
        .pointer("/verb/id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    index.registration = statement
        .pointer("/context/registration")
        .and_then(Value::as_str)
        .and_then(|r| uuid::Uuid::parse_str(r).ok());
    let refers =
        object.filter(|o| o.get("objectType").and_then(Value::as_str) == Some("StatementRef"));
    if index.verb == vocabulary::verbs::VOIDED.id {
        index.voids = refers
            .and_then(|o| o.get("id"))
            .and_then(Value::as_str)
            .and_then(|id| uuid::Uuid::parse_str(id).ok());
    }
    index
}
