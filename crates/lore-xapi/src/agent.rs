//! Agents and groups: exactly one inverse functional identifier (IFI), members, the identifier
//! as one string for indexing, and the Person object.

use serde_json::{Map, Value, json};

use crate::{Invalid, iri, json as j};

const IFIS: [&str; 4] = ["mbox", "mbox_sha1sum", "openid", "account"];
const AGENT_KEYS: &[&str] = &[
    "objectType",
    "name",
    "mbox",
    "mbox_sha1sum",
    "openid",
    "account",
];
const GROUP_KEYS: &[&str] = &[
    "objectType",
    "name",
    "member",
    "mbox",
    "mbox_sha1sum",
    "openid",
    "account",
];

/// An Agent or a Group (actor, authority, instructor, object). `object_type_required` is true
/// where the spec requires `objectType: "Agent"` (as a statement's object).
pub(crate) fn actor(value: &Value, path: &str, object_type_required: bool) -> Result<(), Invalid> {
    let map = j::any_object(value, path)?;
    match j::object_type(map, path)? {
        Some("Group") => group(value, path),
        Some("Agent") => agent(value, path),
        None if !object_type_required => agent(value, path),
        None => Err(Invalid::new(
            "object-type",
            j::join(path, "objectType"),
            "An Agent as a statement's object needs \"objectType\": \"Agent\".",
        )),
        Some(other) => Err(Invalid::new(
            "object-type",
            j::join(path, "objectType"),
            format!("{other:?} is not Agent or Group."),
        )),
    }
}

/// An Agent: exactly one IFI.
pub(crate) fn agent(value: &Value, path: &str) -> Result<(), Invalid> {
    let map = j::object(value, path, AGENT_KEYS)?;
    if let Some(kind) = j::object_type(map, path)?
        && kind != "Agent"
    {
        return Err(Invalid::new(
            "object-type",
            j::join(path, "objectType"),
            format!("{kind:?} is not Agent."),
        ));
    }
    name(map, path)?;
    if identifiers(map, path)? != 1 {
        return Err(Invalid::new(
            "agent-one-identifier",
            path,
            "An Agent needs exactly one of mbox, mbox_sha1sum, openid or account.",
        ));
    }
    Ok(())
}

/// A Group: `objectType: "Group"`; anonymous (no IFI) with members, or identified (one IFI).
pub(crate) fn group(value: &Value, path: &str) -> Result<(), Invalid> {
    let map = j::object(value, path, GROUP_KEYS)?;
    if j::object_type(map, path)? != Some("Group") {
        return Err(Invalid::new(
            "group-object-type",
            j::join(path, "objectType"),
            "A Group needs \"objectType\": \"Group\".",
        ));
    }
    name(map, path)?;
    let count = identifiers(map, path)?;
    if count > 1 {
        return Err(Invalid::new(
            "group-one-identifier",
            path,
            "An identified Group has exactly one of mbox, mbox_sha1sum, openid or account.",
        ));
    }
    let member_path = j::join(path, "member");
    match map.get("member") {
        Some(members) => {
            let members = j::array(members, &member_path)?;
            if count == 0 && members.is_empty() {
                return Err(Invalid::new(
                    "group-anonymous-members",
                    member_path,
                    "An anonymous Group must list its members.",
                ));
            }
            for (index, member) in members.iter().enumerate() {
                let at = j::at(&member_path, index);
                let kind = j::object_type(j::any_object(member, &at)?, &at)?;
                if kind == Some("Group") {
                    return Err(Invalid::new(
                        "group-member-agent",
                        at,
                        "A Group's members are Agents, never Groups.",
                    ));
                }
                agent(member, &at)?;
            }
        }
        None if count == 0 => {
            return Err(Invalid::new(
                "group-anonymous-members",
                member_path,
                "An anonymous Group (no identifier) must list its members.",
            ));
        }
        None => {}
    }
    Ok(())
}

fn name(map: &Map<String, Value>, path: &str) -> Result<(), Invalid> {
    if let Some(name) = map.get("name") {
        j::string(name, &j::join(path, "name"))?;
    }
    Ok(())
}

/// Checks each IFI present and returns how many there are.
fn identifiers(map: &Map<String, Value>, path: &str) -> Result<usize, Invalid> {
    let mut count = 0;
    for key in IFIS {
        let Some(value) = map.get(key) else { continue };
        count += 1;
        let at = j::join(path, key);
        match key {
            "mbox" => {
                let mbox = j::string(value, &at)?;
                if !is_mbox(mbox) {
                    return Err(Invalid::new(
                        "agent-mbox",
                        at,
                        format!("{mbox:?} is not a mailto IRI such as mailto:ada@example.org."),
                    ));
                }
            }
            "mbox_sha1sum" => {
                let sum = j::string(value, &at)?;
                if sum.len() != 40 || !sum.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(Invalid::new(
                        "agent-mbox-sha1sum",
                        at,
                        "mbox_sha1sum must be the 40 hexadecimal digits of a SHA-1 hash.",
                    ));
                }
            }
            "openid" => {
                iri::iri(value, &at, "agent-openid")?;
            }
            _ => account(value, &at)?,
        }
    }
    Ok(count)
}

fn account(value: &Value, path: &str) -> Result<(), Invalid> {
    let map = j::object(value, path, &["homePage", "name"])?;
    let home = j::required(map, path, "homePage", "account-homepage")?;
    iri::iri(home, &j::join(path, "homePage"), "account-homepage")?;
    j::required_str(map, path, "name", "account-name")?;
    Ok(())
}

/// `mailto:` then an address with a local part and a domain.
fn is_mbox(raw: &str) -> bool {
    raw.strip_prefix("mailto:")
        .and_then(|address| address.rsplit_once('@'))
        .is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.is_empty()
                && !raw.chars().any(|c| c.is_whitespace() || c.is_control())
        })
}

/// `mailto:Local@Domain` with the domain in lower case (it is case-insensitive).
pub(crate) fn normal_mbox(raw: &str) -> String {
    match raw.rsplit_once('@') {
        Some((local, domain)) => format!("{local}@{}", domain.to_ascii_lowercase()),
        None => raw.to_owned(),
    }
}

/// The identifier of an agent/identified group as one canonical string, for indexing:
/// "mbox:mailto:a@b", "mbox_sha1sum:…", "openid:…", "account:homePage|name". The agent must
/// carry exactly one valid identifier (an anonymous group has none: Err).
pub fn agent_key(agent: &Value) -> Result<String, Invalid> {
    let map = j::any_object(agent, "agent")?;
    if identifiers(map, "agent")? != 1 {
        return Err(Invalid::new(
            "agent-one-identifier",
            "agent",
            "An agent or identified group needs exactly one identifier.",
        ));
    }
    let key = if let Some(mbox) = map.get("mbox").and_then(Value::as_str) {
        format!("mbox:{}", normal_mbox(mbox))
    } else if let Some(sum) = map.get("mbox_sha1sum").and_then(Value::as_str) {
        format!("mbox_sha1sum:{}", sum.to_ascii_lowercase())
    } else if let Some(openid) = map.get("openid").and_then(Value::as_str) {
        format!("openid:{openid}")
    } else {
        let account = map.get("account").and_then(Value::as_object);
        let field = |k: &str| {
            account
                .and_then(|a| a.get(k))
                .and_then(Value::as_str)
                .unwrap_or("")
        };
        format!("account:{}|{}", field("homePage"), field("name"))
    };
    Ok(key)
}

/// The agent reduced to its identifier (and objectType): the "ids" format of an agent.
pub(crate) fn identifier_only(agent: &Value) -> Value {
    let Some(map) = agent.as_object() else {
        return agent.clone();
    };
    let mut out = Map::new();
    for key in ["objectType"].into_iter().chain(IFIS) {
        if let Some(value) = map.get(key) {
            out.insert(key.to_owned(), value.clone());
        }
    }
    Value::Object(out)
}

/// The Person object for GET /agents from the agents sharing an identifier.
pub fn person(agent: &Value) -> Value {
    person_of(std::slice::from_ref(agent))
}

/// The Person object combining several agents known to be the same person: every distinct
/// name and identifier, each as an array.
pub fn person_of(agents: &[Value]) -> Value {
    let mut out = Map::new();
    out.insert("objectType".to_owned(), json!("Person"));
    for key in ["name"].into_iter().chain(IFIS) {
        let mut values: Vec<Value> = Vec::new();
        for value in agents.iter().filter_map(|a| a.get(key)) {
            if !values.contains(value) {
                values.push(value.clone());
            }
        }
        if !values.is_empty() {
            out.insert(key.to_owned(), Value::Array(values));
        }
    }
    Value::Object(out)
}
