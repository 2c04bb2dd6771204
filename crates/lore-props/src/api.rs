//! Every operation of the API — GET, and POST, PUT, PATCH and DELETE with generated JSON
//! bodies — through the real router in-process, with a platform administrator's token, a
//! learner's token, or none: never a panic, never a 5xx.
//!
//! The operations, their bodies' property names, allowed words and examples come from the
//! OpenAPI document (`lore_web::openapi_document`), so a new operation is covered without a
//! change here. A body is the operation's example with one property replaced, an object of
//! its properties with generated values, any JSON at all, or bytes that are not JSON.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use axum::body::Body;
use axum::http::{Method, StatusCode, header};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value};
use tower::ServiceExt;

use crate::routes::{Site, body_text, encode, open_site, request};
use crate::runner::{Outcome, Target, run};
use crate::text::{EDGE_VALUES, value};

/// One operation of the document.
#[derive(Debug, Clone)]
pub struct Operation {
    pub method: Method,
    /// The full path template, `/api/v1/…` with `{name}` parameters.
    pub path: String,
    /// Property names of the JSON body, each with its allowed words (empty when free).
    pub properties: Vec<(String, Vec<Value>)>,
    /// The document's example body, if any.
    pub example: Option<Value>,
    /// The body's media type (`application/json` when the document gives none).
    pub media: String,
}

fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix("#/")
            .map(|p| p.split('/').fold(document, |v, key| &v[key]))
            .unwrap_or(schema),
        None => schema,
    }
}

/// The allowed words of a property schema (directly, through a `$ref`, or in `items`).
fn words_of(document: &Value, schema: &Value) -> Vec<Value> {
    let schema = resolve(document, schema);
    if let Some(words) = schema.get("enum").and_then(Value::as_array) {
        return words.clone();
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(list) = schema.get(key).and_then(Value::as_array) {
            let words: Vec<Value> = list.iter().flat_map(|s| words_of(document, s)).collect();
            if !words.is_empty() {
                return words;
            }
        }
    }
    match schema.get("items") {
        Some(items) if !items.is_null() => words_of(document, items),
        _ => Vec::new(),
    }
}

fn properties_of(document: &Value, schema: &Value, out: &mut Vec<(String, Vec<Value>)>) {
    let schema = resolve(document, schema);
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            out.push((name.clone(), words_of(document, prop)));
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(list) = schema.get(key).and_then(Value::as_array) {
            for s in list {
                properties_of(document, s, out);
            }
        }
    }
}

/// Every operation of the API document, in a stable order.
pub fn operations() -> &'static [Operation] {
    static OPERATIONS: OnceLock<Vec<Operation>> = OnceLock::new();
    OPERATIONS.get_or_init(|| {
        let document = serde_json::to_value(lore_web::openapi_document()).unwrap_or_default();
        let mut out = Vec::new();
        let Some(paths) = document.get("paths").and_then(Value::as_object) else {
            return out;
        };
        for (path, item) in paths {
            let full = if path.starts_with("/api/") {
                path.clone()
            } else {
                format!("/api/v1{path}")
            };
            for (name, method) in [
                ("get", Method::GET),
                ("post", Method::POST),
                ("put", Method::PUT),
                ("patch", Method::PATCH),
                ("delete", Method::DELETE),
            ] {
                let Some(op) = item.get(name) else {
                    continue;
                };
                let mut properties = Vec::new();
                let mut example = None;
                let mut media = "application/json".to_owned();
                if let Some(content) = op
                    .pointer("/requestBody/content")
                    .and_then(Value::as_object)
                {
                    if let Some(first) = content.keys().next() {
                        first.clone_into(&mut media);
                    }
                    for media in content.values() {
                        if let Some(schema) = media.get("schema") {
                            properties_of(&document, schema, &mut properties);
                            example = example
                                .or_else(|| resolve(&document, schema).get("example").cloned());
                        }
                        example = example.or_else(|| media.get("example").cloned());
                        if example.is_none() {
                            example = media
                                .get("examples")
                                .and_then(Value::as_object)
                                .and_then(|e| e.values().next())
                                .and_then(|e| e.get("value"))
                                .cloned();
                        }
                    }
                }
                properties.sort_by(|a, b| a.0.cmp(&b.0));
                properties.dedup_by(|a, b| a.0 == b.0);
                out.push(Operation {
                    method,
                    path: full.clone(),
                    properties,
                    example,
                    media,
                });
            }
        }
        out
    })
}

/// Any JSON value, a few levels deep, with the edge values of parameters as strings.
pub fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-2i64..100).prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        select(&[1e308, -1e308, 0.5, -0.0, 1e-300, 4294967296.5][..]).prop_map(Value::from),
        value().prop_map(Value::String),
        (1usize..30_000).prop_map(|n| Value::String("é".repeat(n))),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            vec((select(EDGE_VALUES).prop_map(str::to_owned), inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// How a body is made for an operation.
#[derive(Debug, Clone)]
enum BodyShape {
    None,
    /// The example with the property at this index replaced (or removed when `None`).
    Example(prop::sample::Index, Option<Value>),
    /// Properties (by index) with generated values, or one of their allowed words.
    Object(Vec<(prop::sample::Index, Value, bool, prop::sample::Index)>),
    Any(Value),
    Raw(Vec<u8>),
    /// For operations that take a file: a course zip (valid, damaged or any bytes), a CSV,
    /// or a multipart form around such bytes.
    File(Vec<u8>),
}

#[derive(Debug, Clone, Copy)]
enum Auth {
    Anonymous,
    Admin,
    Learner,
}

#[derive(Debug, Clone)]
pub struct Call {
    operation: usize,
    params: Vec<String>,
    query: Vec<(&'static str, String)>,
    body: BodyShape,
    auth: Auth,
    json_type: bool,
}

#[rustfmt::skip]
const RAW: &[&[u8]] = &[
    b"", b"{", b"}", b"[]", b"null", b"\"x\"", b"{\"a\":", b"\xff\xfe", b"{\"id\": 1e999}",
    b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", b"{\"x\":\"\\ud800\"}",
];

const QUERY_KEYS: &[&str] = &[
    "page",
    "page_size",
    "since",
    "q",
    "sort",
    "status",
    "group",
    "from",
    "to",
    "all",
    "kind",
    "topic",
    "difficulty",
    "step",
    "limit",
];

fn call() -> impl Strategy<Value = Call> {
    let count = operations().len().max(1);
    let param = prop_oneof![
        4 => (1u32..40).prop_map(|n| n.to_string()),
        2 => value(),
    ];
    let body = prop_oneof![
        1 => Just(BodyShape::None),
        4 => (any::<prop::sample::Index>(), proptest::option::of(json()))
            .prop_map(|(i, v)| BodyShape::Example(i, v)),
        // A document where the body takes one: GIFT from its grammar, a rubric, Markdown.
        2 => (
            any::<prop::sample::Index>(),
            prop_oneof![
                crate::gift::gift_file(),
                crate::domain::rubric_text(),
                crate::files::markdown_text(),
            ],
        )
            .prop_map(|(i, text)| BodyShape::Example(i, Some(Value::String(text)))),
        4 => vec(
            (any::<prop::sample::Index>(), json(), any::<bool>(), any::<prop::sample::Index>()),
            0..6,
        )
        .prop_map(BodyShape::Object),
        1 => json().prop_map(BodyShape::Any),
        1 => select(RAW).prop_map(|b| BodyShape::Raw(b.to_vec())),
        3 => prop_oneof![crate::files::course_zip(), crate::files::csv_file()]
            .prop_map(BodyShape::File),
    ];
    let auth = prop_oneof![
        1 => Just(Auth::Anonymous),
        3 => Just(Auth::Admin),
        3 => Just(Auth::Learner),
    ];
    (
        0..count,
        vec(param, 3),
        vec((select(QUERY_KEYS), value()), 0..3),
        body,
        auth,
        prop_oneof![9 => Just(true), 1 => Just(false)],
    )
        .prop_map(|(operation, params, query, body, auth, json_type)| Call {
            operation,
            params,
            query,
            body,
            auth,
            json_type,
        })
}

fn body_of(op: &Operation, shape: &BodyShape) -> Option<Vec<u8>> {
    let value = match shape {
        BodyShape::None => return None,
        BodyShape::Raw(bytes) | BodyShape::File(bytes) if op.media.starts_with("multipart/") => {
            return Some(multipart(bytes));
        }
        BodyShape::Raw(bytes) | BodyShape::File(bytes) => return Some(bytes.clone()),
        BodyShape::Any(v) => v.clone(),
        BodyShape::Example(index, replacement) => {
            let mut example = op.example.clone().unwrap_or(Value::Object(Map::new()));
            if let Some(object) = example.as_object_mut() {
                let names: Vec<String> = object
                    .keys()
                    .cloned()
                    .chain(op.properties.iter().map(|(n, _)| n.clone()))
                    .collect();
                if !names.is_empty() {
                    let name = names[index.index(names.len())].clone();
                    match replacement {
                        Some(v) => {
                            object.insert(name, v.clone());
                        }
                        None => {
                            object.remove(&name);
                        }
                    }
                }
            }
            example
        }
        BodyShape::Object(fields) => {
            let mut object = Map::new();
            if !op.properties.is_empty() {
                for (index, generated, use_word, word) in fields {
                    let (name, words) = &op.properties[index.index(op.properties.len())];
                    let v = if *use_word && !words.is_empty() {
                        words[word.index(words.len())].clone()
                    } else {
                        generated.clone()
                    };
                    object.insert(name.clone(), v);
                }
            }
            Value::Object(object)
        }
    };
    Some(value.to_string().into_bytes())
}

/// The boundary of generated multipart bodies.
const BOUNDARY: &str = "lore-props-boundary";

/// A multipart form with the bytes as its `file` field (and a purpose, as uploads take).
fn multipart(bytes: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\ndocument\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.zip\"\r\n\
         Content-Type: application/zip\r\n\r\n"
    )
    .into_bytes();
    out.extend_from_slice(bytes);
    out.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    out
}

fn uri_of(op: &Operation, call: &Call, site: &Site) -> Option<String> {
    let mut params = call.params.iter();
    let mut uri = String::new();
    for (i, segment) in op.path.split('/').enumerate() {
        if i > 0 {
            uri.push('/');
        }
        if segment.starts_with('{') {
            let value = params.next().map_or("1", String::as_str);
            // Deactivating the administrator or the learner, or revoking their tokens, would
            // turn every later case into a 401: those are not sent.
            let protected = match (segment, op.method.as_str()) {
                ("{id}", "DELETE") if op.path.ends_with("/tokens/{id}") => &site.tokens,
                ("{id}", "POST") if op.path.ends_with("/deactivate") => &site.users,
                _ => &Vec::new(),
            };
            if value
                .trim()
                .parse::<i64>()
                .is_ok_and(|n| protected.contains(&n))
            {
                return None;
            }
            uri.push_str(&encode(value));
        } else {
            uri.push_str(segment);
        }
    }
    for (i, (key, value)) in call.query.iter().enumerate() {
        uri.push(if i == 0 { '?' } else { '&' });
        uri.push_str(key);
        uri.push('=');
        uri.push_str(&encode(value));
    }
    Some(uri)
}

/// How many answers of each status the calls got, over the process's life.
static SEEN: Mutex<BTreeMap<u16, u64>> = Mutex::new(BTreeMap::new());

/// The statuses answered so far, with their counts: shows the calls reach the handlers
/// (2xx and 4xx of every kind), not only the sign-in check.
pub fn statuses_seen() -> Vec<(u16, u64)> {
    SEEN.lock()
        .map(|seen| seen.iter().map(|(s, n)| (*s, *n)).collect())
        .unwrap_or_default()
}

/// Send one call; `Err` when it answers a server error (other than 503, a busy database).
pub(crate) async fn answer(site: &Site, call: &Call) -> Result<(), String> {
    let Some(op) = operations().get(call.operation) else {
        return Ok(());
    };
    let Some(uri) = uri_of(op, call, site) else {
        return Ok(());
    };
    let mut builder = request(op.method.clone(), &uri);
    match call.auth {
        Auth::Anonymous => {}
        Auth::Admin => {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {}", site.token));
        }
        Auth::Learner => {
            builder = builder.header(
                header::AUTHORIZATION,
                format!("Bearer {}", site.learner_token),
            );
        }
    }
    let body = body_of(op, &call.body);
    if body.is_some() {
        let kind = match (call.json_type, op.media.as_str()) {
            (false, _) => "text/plain".to_owned(),
            (true, media) if media.starts_with("multipart/") => {
                format!("{media}; boundary={BOUNDARY}")
            }
            (true, media) => media.to_owned(),
        };
        builder = builder.header(header::CONTENT_TYPE, kind);
    }
    let shown = body.as_ref().map(|b| {
        String::from_utf8_lossy(b)
            .chars()
            .take(400)
            .collect::<String>()
    });
    let Ok(request) = builder.body(body.map_or_else(Body::empty, Body::from)) else {
        return Ok(());
    };
    let response = site
        .router
        .clone()
        .oneshot(request)
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    if let Ok(mut seen) = SEEN.lock() {
        *seen.entry(status.as_u16()).or_default() += 1;
    }
    if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
        let text = body_text(response).await;
        return Err(format!(
            "{} {uri} ({:?}) with body {shown:?} answered {status}: {}",
            op.method,
            call.auth,
            text.chars().take(300).collect::<String>()
        ));
    }
    Ok(())
}

fn api_target(cases: u32, seed: u64) -> Outcome {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            return Outcome {
                cases: 0,
                failure: Some(format!("cannot start a runtime: {e}")),
            };
        }
    };
    let site = match runtime.block_on(open_site()) {
        Ok(site) => site,
        Err(e) => {
            return Outcome {
                cases: 0,
                failure: Some(format!("cannot open the demo site: {e}")),
            };
        }
    };
    run(call(), cases, seed, |call| {
        runtime.block_on(answer(&site, &call))
    })
}

pub fn target() -> Target {
    Target {
        name: "api-operations",
        weight: 12,
        run: api_target,
    }
}
