//! Documents (state, activity profile, agent profile): the JSON merge of POST.

use serde_json::Value;

use crate::Invalid;

/// JSON merge for POST: both must be JSON objects; top-level properties of `incoming` replace
/// those of `existing`.
pub fn merge_documents(existing: &Value, incoming: &Value) -> Result<Value, Invalid> {
    match (existing, incoming) {
        (Value::Object(old), Value::Object(new)) => {
            let mut merged = old.clone();
            for (key, value) in new {
                merged.insert(key.clone(), value.clone());
            }
            Ok(Value::Object(merged))
        }
        _ => Err(Invalid::new(
            "document-merge-json",
            "",
            "Both documents must be JSON objects to be merged.",
        )),
    }
}
