//! Activities (`GET /activities`: the definition the statements gave, merged) and agents
//! (`GET /agents`: the Person object).

use serde_json::{Map, Value, json};

use super::{LrsError, LrsResult, XapiCaller, invalid, json_param};
use crate::App;

/// An activity's definition, as JSON properties.
type Definition = Map<String, Value>;

impl App {
    /// Keep the definitions of the statements' activity objects, merged into what is kept:
    /// language maps gain the new languages (the newest text wins), other properties are
    /// replaced by the newest. One read and at most one write for the whole batch; an
    /// activity whose definition does not change is not written.
    pub(crate) async fn keep_activity_definitions(
        &self,
        statements: &[&Value],
        now_ms: i64,
    ) -> crate::AppResult<()> {
        let mut incoming: Vec<(&str, &Map<String, Value>)> = Vec::new();
        for statement in statements {
            let Some(object) = statement.get("object") else {
                continue;
            };
            let is_activity = object
                .get("objectType")
                .and_then(Value::as_str)
                .is_none_or(|t| t == "Activity");
            if let (true, Some(id), Some(Value::Object(definition))) = (
                is_activity,
                object.get("id").and_then(Value::as_str),
                object.get("definition"),
            ) {
                incoming.push((id, definition));
            }
        }
        if incoming.is_empty() {
            return Ok(());
        }
        let mut ids: Vec<String> = incoming.iter().map(|(id, _)| (*id).to_owned()).collect();
        ids.sort();
        ids.dedup();
        let stored = self.store.xapi_activities(&ids).await?;
        // Per activity: the kept definition as read, and as merged with the batch's.
        let mut merged: std::collections::BTreeMap<&str, (Option<Definition>, Definition)> =
            Default::default();
        for (id, definition) in incoming {
            let (_, kept) = merged.entry(id).or_insert_with(|| {
                let old: Option<Definition> = stored
                    .get(id)
                    .and_then(|text| serde_json::from_str(text).ok());
                (old.clone(), old.unwrap_or_default())
            });
            merge_definition(kept, definition);
        }
        let changed: Vec<(String, String)> = merged
            .into_iter()
            .filter(|(_, (old, kept))| old.as_ref() != Some(kept))
            .map(|(id, (_, kept))| (id.to_owned(), Value::Object(kept).to_string()))
            .collect();
        self.store.put_xapi_activities(&changed, now_ms).await?;
        Ok(())
    }

    /// `GET /activities?activityId=…`: the activity with its kept definition (an activity
    /// never seen still answers, with its id alone, as the specification asks).
    pub async fn xapi_activity(
        &self,
        caller: &XapiCaller,
        params: &[(String, String)],
    ) -> LrsResult<Value> {
        caller.require_read_documents()?;
        let id = only_param(params, "activityId")?;
        let mut activity = json!({ "objectType": "Activity", "id": id });
        if let Some(text) = self.store.xapi_activity(&id).await?
            && let Ok(definition) = serde_json::from_str::<Value>(&text)
        {
            activity["definition"] = definition;
        }
        Ok(activity)
    }

    /// `GET /agents?agent=…`: the Person object of the agent.
    pub async fn xapi_person(
        &self,
        caller: &XapiCaller,
        params: &[(String, String)],
    ) -> LrsResult<Value> {
        caller.require_read_documents()?;
        let agent = json_param(&only_param(params, "agent")?, "agent")?;
        lore_xapi::agent_key(&agent)?;
        Ok(lore_xapi::person(&agent))
    }
}

/// The value of the one parameter a resource takes; any other parameter is refused.
fn only_param(params: &[(String, String)], name: &'static str) -> LrsResult<String> {
    if let Some((k, _)) = params.iter().find(|(k, _)| k != name) {
        return Err(invalid(
            "unknown-parameter",
            k,
            format!("Unknown parameter {k:?}; this resource takes {name}."),
        ));
    }
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .ok_or_else(|| {
            LrsError::Invalid(lore_xapi::Invalid::new(
                "parameter-required",
                name,
                format!("The {name} parameter is required."),
            ))
        })
}

fn merge_definition(kept: &mut Map<String, Value>, incoming: &Map<String, Value>) {
    for (k, v) in incoming {
        match (kept.get_mut(k), v) {
            (Some(Value::Object(old)), Value::Object(new)) if k == "name" || k == "description" => {
                for (lang, text) in new {
                    old.insert(lang.clone(), text.clone());
                }
            }
            _ => {
                kept.insert(k.clone(), v.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_maps_gain_languages_and_other_properties_are_replaced() {
        let mut kept = json!({"name": {"en-US": "Old"}, "type": "http://a/t1"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        let incoming = json!({"name": {"fr-FR": "Nouveau"}, "type": "http://a/t2"});
        merge_definition(&mut kept, incoming.as_object().unwrap_or(&Map::new()));
        assert_eq!(
            Value::Object(kept),
            json!({"name": {"en-US": "Old", "fr-FR": "Nouveau"}, "type": "http://a/t2"})
        );
    }
}
