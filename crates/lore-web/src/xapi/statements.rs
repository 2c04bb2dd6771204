//! `/xapi/statements`: PUT one, POST one or a batch (JSON, or multipart/mixed with
//! attachments), GET by id or by filters with `more` paging.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lore_app::lrs::{LrsError, StatementAnswer, StatementsPage};
use lore_xapi::Part;
use serde_json::{Value, json};

use super::{
    BASE, CONSISTENT_THROUGH, LrsAnswer, XapiRequest, bytes_response, error_body, http_date,
    json_response,
};
use crate::WebState;

pub async fn get(State(state): State<WebState>, r: XapiRequest) -> Response {
    let languages = accept_language(&r.headers);
    let answer = match state
        .app
        .xapi_statements(&r.who, r.version, &r.params, &languages)
        .await
    {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    let mut response = match answer {
        StatementAnswer::One {
            statement,
            stored_ms,
            parts,
        } => {
            let mut r = answer_with(&statement, parts);
            if let Some(v) = http_date(stored_ms) {
                r.headers_mut().insert(header::LAST_MODIFIED, v);
            }
            r
        }
        StatementAnswer::Page(StatementsPage {
            statements,
            more,
            parts,
        }) => {
            let more = more
                .map(|token| format!("{BASE}/statements?more={token}"))
                .unwrap_or_default();
            page_answer(PageBody { statements, more }, parts)
        }
    };
    if let Ok(v) = HeaderValue::from_str(&state.app.xapi_consistent_through()) {
        response.headers_mut().insert(CONSISTENT_THROUGH, v);
    }
    response
}

/// A `StatementResult`: the statements' JSON written as it comes.
#[derive(serde::Serialize)]
struct PageBody {
    statements: Vec<Box<serde_json::value::RawValue>>,
    more: String,
}

/// A page as JSON, or multipart/mixed with the attachments when they were asked for.
fn page_answer(page: PageBody, parts: Option<Vec<Part>>) -> Response {
    match parts {
        Some(parts) => match serde_json::to_value(&page) {
            Ok(value) => answer_with(&value, Some(parts)),
            Err(e) => LrsError::App(lore_app::AppError::Internal(e.to_string())).into_response(),
        },
        None => match serde_json::to_vec(&page) {
            Ok(body) => bytes_response(StatusCode::OK, "application/json", body),
            Err(e) => LrsError::App(lore_app::AppError::Internal(e.to_string())).into_response(),
        },
    }
}

/// JSON, or multipart/mixed with the attachments when they were asked for.
fn answer_with(value: &Value, parts: Option<Vec<Part>>) -> Response {
    match parts {
        Some(parts) => {
            let (content_type, body) = lore_xapi::write_multipart(value, &parts);
            bytes_response(StatusCode::OK, &content_type, body)
        }
        None => json_response(StatusCode::OK, value),
    }
}

pub async fn put(State(state): State<WebState>, r: XapiRequest, body: Bytes) -> Response {
    if !r.who.write {
        return LrsError::Forbidden("These credentials may not write.").into_response();
    }
    if let Some((k, _)) = r.params.iter().find(|(k, _)| k != "statementId") {
        return error_body(
            StatusCode::BAD_REQUEST,
            "unknown-parameter",
            k,
            "PUT /statements takes only statementId.",
        );
    }
    let Some((_, id)) = r.params.iter().find(|(k, _)| k == "statementId") else {
        return error_body(
            StatusCode::BAD_REQUEST,
            "parameter-required",
            "statementId",
            "PUT /statements needs the statementId parameter.",
        );
    };
    let (statement, parts) = match statement_body(&r.headers, &body) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    match state
        .app
        .xapi_put_statement(&r.who, r.version, id, statement, &parts)
        .await
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

pub async fn post(State(state): State<WebState>, r: XapiRequest, body: Bytes) -> Response {
    if !r.who.write {
        return LrsError::Forbidden("These credentials may not write.").into_response();
    }
    if !r.params.is_empty() {
        return error_body(
            StatusCode::BAD_REQUEST,
            "unknown-parameter",
            "",
            "POST /statements takes no parameters.",
        );
    }
    let (statements, parts) = match statement_body(&r.headers, &body) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    match state
        .app
        .xapi_post_statement_body(&r.who, r.version, statements, &parts)
        .await
    {
        Ok(ids) => json_response(StatusCode::OK, &json!(ids)),
        Err(e) => e.into_response(),
    }
}

/// The statement(s) of a request, with its attachments when it is multipart/mixed.
fn statement_body(headers: &HeaderMap, body: &[u8]) -> Result<(Value, Vec<Part>), LrsError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let refuse = |rule, path: &str, message: String| {
        LrsError::Invalid(lore_xapi::Invalid::new(rule, path, message))
    };
    match essence.as_str() {
        "multipart/mixed" => {
            lore_xapi::parse_multipart(content_type, body).map_err(LrsError::Invalid)
        }
        "application/json" => serde_json::from_slice(body)
            .map(|v| (v, Vec::new()))
            .map_err(|e| refuse("json-syntax", "", format!("The body is not JSON: {e}."))),
        _ => Err(refuse(
            "content-type",
            "Content-Type",
            "Send statements as application/json, or multipart/mixed with attachments.".to_owned(),
        )),
    }
}

/// The languages of `Accept-Language`, most wanted first (weights are not sorted on: the
/// order clients write is the order of preference in practice).
fn accept_language(headers: &HeaderMap) -> Vec<String> {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(',')
                .filter_map(|l| l.split(';').next())
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect()
        })
        .unwrap_or_default()
}
