//! Extractors for the JSON API that turn bad input into an `invalid_input` error in the
//! API's own `{"error": {...}}` shape, instead of axum's plain-text rejections.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use lore_app::AppError;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The longest reason taken over from a deserialisation error (they can echo input back).
const MAX_REASON_CHARS: usize = 160;

/// A JSON request body; malformed JSON, a wrong content type, missing fields or wrong
/// types give `invalid_input` and the handler never runs.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let mut value = match Json::<serde_json::Value>::from_request(req, state).await {
            Ok(Json(value)) => value,
            Err(rejection) => return Err(json_rejection(&rejection)),
        };
        whole_numbers(&mut value);
        serde_json::from_value(value).map(ApiJson).map_err(|e| {
            ApiError::bad_request(format!(
                "The body does not have the fields this call expects ({}).",
                reason(&format!("body: {e}"))
            ))
        })
    }
}

/// JSON Schema counts `531.0` as the integer 531, so the document's integers may be sent
/// so; serde would refuse them, so whole numbers become integers first (decision 0037).
fn whole_numbers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            // Below 2^53, where every whole float is exact.
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.abs() < 9.0e15
                && let Ok(whole) = format!("{f:.0}").parse::<i64>()
            {
                *value = serde_json::Value::from(whole);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

fn json_rejection(rejection: &JsonRejection) -> ApiError {
    let message = match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            "Send the body as JSON with the header Content-Type: application/json.".to_owned()
        }
        JsonRejection::JsonSyntaxError(_) => {
            format!(
                "The body is not valid JSON ({}).",
                reason(&rejection.body_text())
            )
        }
        JsonRejection::JsonDataError(_) => format!(
            "The body does not have the fields this call expects ({}).",
            reason(&rejection.body_text())
        ),
        _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return too_large();
        }
        _ => "The body could not be read.".to_owned(),
    };
    ApiError::bad_request(message)
}

/// A body over the route's limit, found while reading it (one without a declared length).
pub fn too_large() -> ApiError {
    ApiError(AppError::TooLarge(
        "The body is larger than this call accepts.".to_owned(),
    ))
}

/// A JSON body that may be left out: no body at all (and no `Content-Type`) gives `None`;
/// anything else must be JSON as for [`ApiJson`].
pub struct ApiOptionalJson<T>(pub Option<T>);

impl<S, T> FromRequest<S> for ApiOptionalJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if req.headers().contains_key(header::CONTENT_TYPE) {
            let ApiJson(value) = ApiJson::<T>::from_request(req, state).await?;
            return Ok(ApiOptionalJson(Some(value)));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                ApiError::bad_request("The body could not be read.")
            }
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            Ok(ApiOptionalJson(None))
        } else {
            Err(ApiError::bad_request(
                "Send the body as JSON with the header Content-Type: application/json.",
            ))
        }
    }
}

/// Ids taken from the address. Every path parameter of the API is an integer id (step keys
/// aside, which are text and always parse), so a value that does not parse is reported as
/// "must be a whole number".
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(rejection) => Err(path_rejection(rejection)),
        }
    }
}

fn path_rejection(rejection: PathRejection) -> ApiError {
    use axum::extract::path::ErrorKind;
    let PathRejection::FailedToDeserializePathParams(e) = rejection else {
        // Missing parameters mean the route and the handler disagree: our bug, not the caller's.
        return ApiError(AppError::Internal(rejection.body_text()));
    };
    let error = match e.kind() {
        ErrorKind::ParseErrorAtKey { key, value, .. } => AppError::invalid(
            path_field(key),
            format!("`{key}` in the address must be a whole number, not {value:?}."),
        ),
        ErrorKind::ParseErrorAtIndex { value, .. } | ErrorKind::ParseError { value, .. } => {
            AppError::invalid(
                "path",
                format!("The address has {value:?} where a whole number belongs."),
            )
        }
        _ => AppError::invalid("path", "The address does not fit this call."),
    };
    ApiError(error)
}

/// The `field` reported for a bad path parameter (it must be a `&'static str`).
fn path_field(key: &str) -> &'static str {
    match key {
        "id" => "id",
        "user_id" => "user_id",
        "reaction_id" => "reaction_id",
        "sid" => "sid",
        _ => "path",
    }
}

/// Query-string parameters; values of the wrong type give `invalid_input`.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(query_rejection(&rejection)),
        }
    }
}

fn query_rejection(rejection: &QueryRejection) -> ApiError {
    ApiError(AppError::invalid(
        "query",
        format!(
            "The query string is not valid ({}).",
            reason(&rejection.body_text())
        ),
    ))
}

/// The part of axum's rejection text after its generic lead-in ("Failed to …: "),
/// cut short so a long input is not echoed back whole.
fn reason(text: &str) -> String {
    let reason = text.split_once(": ").map_or(text, |(_, rest)| rest).trim();
    if reason.chars().count() <= MAX_REASON_CHARS {
        reason.to_owned()
    } else {
        let cut: String = reason.chars().take(MAX_REASON_CHARS).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_drops_the_lead_in_and_cuts_long_text() {
        assert_eq!(
            reason(
                "Failed to deserialize the JSON body into the target type: missing field `name`"
            ),
            "missing field `name`"
        );
        assert_eq!(reason("plain"), "plain");
        let long = format!("x: {}", "a".repeat(500));
        assert_eq!(reason(&long).chars().count(), MAX_REASON_CHARS + 1);
    }
}
