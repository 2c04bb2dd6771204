//! What the API parity stories share: people placed in groups with a role, a person's API
//! client, and the stable code of an error answer.

use serde_json::Value;

use crate::api::token_for;
use crate::support::{Api, TestApp};

/// Each (email, name, role, group): a person with that role in that group.
pub async fn place(t: &TestApp, people: &[(&str, &str, &str, i64)]) {
    for (email, name, role, group) in people {
        let id = t.person(email, name, false).await;
        t.member(id, *group, role).await;
    }
}

/// The API as the person with this address, with a token of theirs.
pub async fn api(t: &TestApp, email: &str) -> Api {
    t.api(&token_for(t, email).await)
}

/// The `error.code` of an error answer.
pub fn code(body: &str) -> String {
    serde_json::from_str::<Value>(body).expect("json")["error"]["code"]
        .as_str()
        .expect("code")
        .to_owned()
}
