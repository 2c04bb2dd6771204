//! The alternate request syntax of xAPI 1.0.3 (removed in 2.0.0): a `POST` with
//! `?method=PUT|GET|DELETE|POST` and a form body carrying the headers, the parameters and
//! the content. It is turned back into the request it stands for before routing on.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use lore_xapi::Version;

use super::{BODY_LIMIT, VERSION_HEADER, error_body};

/// Form fields that are headers of the request they stand for.
const HEADER_FIELDS: [&str; 6] = [
    "authorization",
    "x-experience-api-version",
    "content-type",
    "content-length",
    "if-match",
    "if-none-match",
];

pub async fn rewrite(req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(req.uri().query().unwrap_or("")).unwrap_or_default();
    let Some((_, method)) = query.iter().find(|(k, _)| k == "method") else {
        return next.run(req).await;
    };
    let refuse =
        |rule: &str, message: &str| error_body(StatusCode::BAD_REQUEST, rule, "method", message);
    if query.len() > 1 {
        return refuse(
            "alternate-syntax-parameters",
            "With method= every other parameter goes in the form body.",
        );
    }
    let method = match method.to_ascii_uppercase().as_str() {
        "GET" => Method::GET,
        "PUT" => Method::PUT,
        "POST" => Method::POST,
        "DELETE" => Method::DELETE,
        "HEAD" => Method::HEAD,
        _ => {
            return refuse(
                "alternate-syntax-method",
                "method must be GET, PUT, POST or DELETE.",
            );
        }
    };
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return refuse(
            "alternate-syntax-form",
            "The alternate request syntax sends application/x-www-form-urlencoded.",
        );
    }
    let (mut parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return refuse("body-too-large", "The request is too large.");
    };
    let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes) else {
        return refuse("alternate-syntax-form", "The form body cannot be read.");
    };
    let mut params = Vec::new();
    let mut content = Vec::new();
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    for (name, value) in fields {
        let lower = name.to_ascii_lowercase();
        if lower == "content" {
            content = value.into_bytes();
        } else if HEADER_FIELDS.contains(&lower.as_str()) {
            if lower == "content-length" {
                continue;
            }
            if let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(lower.as_bytes()),
                HeaderValue::from_str(&value),
            ) {
                parts.headers.insert(n, v);
            }
        } else {
            params.push((name, value));
        }
    }
    let version = parts
        .headers
        .get(VERSION_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(Version::from_header);
    if let Some(Ok(Version::V2_0_0)) = version {
        return refuse(
            "alternate-syntax-version",
            "xAPI 2.0.0 has no alternate request syntax; send the request itself.",
        );
    }
    let query = serde_urlencoded::to_string(&params).unwrap_or_default();
    let path = parts.uri.path().to_owned();
    let uri = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    let Ok(uri) = uri.parse() else {
        return refuse("alternate-syntax-form", "The parameters cannot be read.");
    };
    parts.uri = uri;
    parts.method = method;
    if !content.is_empty() {
        parts
            .headers
            .insert(header::CONTENT_LENGTH, HeaderValue::from(content.len()));
    }
    next.run(Request::from_parts(parts, Body::from(content)))
        .await
}
