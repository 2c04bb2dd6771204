//! `/xapi/`: Lore's learning record store, as the xAPI specification (1.0.3 and 2.0.0)
//! asks: statements, documents, activities, agents and about. Clients authenticate with
//! HTTP Basic (a client's key and secret); a signed-in session may read. Every answer
//! carries `X-Experience-API-Version` and CORS headers.

mod alternate;
mod documents;
mod statements;

use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine;
use lore_app::lrs::{LrsError, XapiCaller};
use lore_xapi::Version;
use serde_json::json;

use crate::WebState;
use crate::route_table::Routes;
use crate::session::CurrentSession;

/// Where lib.rs nests [`routes`].
pub const BASE: &str = "/xapi";

/// The largest request body (a batch with attachments).
pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

const VERSION_HEADER: &str = "x-experience-api-version";
const CONSISTENT_THROUGH: &str = "x-experience-api-consistent-through";

/// The version a request asked for (set by [`version`]).
#[derive(Debug, Clone, Copy)]
pub struct XapiVersion(pub Version);

/// Every resource under `/xapi`. The middleware runs before routing (the alternate request
/// syntax changes the method routed on), so the resources are a service nested as a whole.
pub fn router(state: WebState) -> Router<WebState> {
    let resources = resources()
        .into_router()
        .fallback(unknown_resource)
        .with_state(state);
    let service = tower::ServiceBuilder::new()
        .layer(axum::middleware::from_fn(cors))
        .layer(axum::middleware::from_fn(alternate::rewrite))
        .layer(axum::middleware::from_fn(version))
        .service(resources);
    Router::new().nest_service(BASE, service)
}

/// The resources, relative to [`BASE`].
pub(crate) fn resources() -> Routes {
    Routes::new()
        .route(
            "/statements",
            get(statements::get)
                .put(statements::put)
                .post(statements::post),
        )
        .route(
            "/activities/state",
            get(documents::get_state)
                .put(documents::put_state)
                .post(documents::post_state)
                .delete(documents::delete_state),
        )
        .route(
            "/activities/profile",
            get(documents::get_activity_profile)
                .put(documents::put_activity_profile)
                .post(documents::post_activity_profile)
                .delete(documents::delete_activity_profile),
        )
        .route(
            "/agents/profile",
            get(documents::get_agent_profile)
                .put(documents::put_agent_profile)
                .post(documents::post_agent_profile)
                .delete(documents::delete_agent_profile),
        )
        .route("/activities", get(documents::activities))
        .route("/agents", get(documents::agents))
        .route("/about", get(documents::about))
}

async fn unknown_resource() -> Response {
    error_body(
        StatusCode::NOT_FOUND,
        "not-found",
        "",
        "No such xAPI resource.",
    )
}

/// Check `X-Experience-API-Version` (every resource but `/about` needs it) and answer with
/// the version used.
async fn version(mut req: Request, next: Next) -> Response {
    let asked = req
        .headers()
        .get(VERSION_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(Version::from_header);
    let about = req.uri().path().ends_with("/about");
    let used = match asked {
        Some(Ok(v)) => v,
        _ if about => Version::V2_0_0,
        Some(Err(e)) => return with_version(LrsError::Invalid(e).into_response(), None),
        None => {
            return with_version(
                error_body(
                    StatusCode::BAD_REQUEST,
                    "version-header",
                    "X-Experience-API-Version",
                    "Send the X-Experience-API-Version header (1.0.3 or 2.0.0).",
                ),
                None,
            );
        }
    };
    req.extensions_mut().insert(XapiVersion(used));
    with_version(next.run(req).await, Some(used))
}

/// 413 for a body over [`BODY_LIMIT`] (xAPI 1.0.3 Communication 3.2: "MUST reject with
/// 413"), answered in the version the request asked for.
pub(crate) fn too_large(headers: &axum::http::HeaderMap, message: &str) -> Response {
    let asked = headers
        .get(VERSION_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| Version::from_header(v).ok());
    with_version(
        error_body(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request-too-large",
            "",
            message,
        ),
        asked,
    )
}

fn with_version(mut response: Response, version: Option<Version>) -> Response {
    let value = version.unwrap_or(Version::V2_0_0).header_value();
    response
        .headers_mut()
        .insert(VERSION_HEADER, HeaderValue::from_static(value));
    response
}

/// CORS as LRSs allow it: any origin, with the xAPI headers; never cookies (so a session
/// cannot be used from another site).
async fn cors(req: Request, next: Next) -> Response {
    let preflight = req.method() == Method::OPTIONS;
    let mut response = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(req).await
    };
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(
            "ETag, Last-Modified, Cache-Control, Content-Type, Content-Length, WWW-Authenticate, \
             X-Experience-API-Version, X-Experience-API-Consistent-Through",
        ),
    );
    if preflight {
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("HEAD, GET, POST, PUT, DELETE"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(
                "Content-Type, Content-Length, Authorization, Accept-Language, If-Match, \
                 If-None-Match, X-Experience-API-Version, X-Experience-API-Hash",
            ),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("86400"),
        );
    }
    response
}

/// What every resource handler starts from: the caller (a client by Basic credentials,
/// else a signed-in person, read only), the query's parameters, the version and headers.
pub(crate) struct XapiRequest {
    pub who: XapiCaller,
    pub params: Vec<(String, String)>,
    pub version: Version,
    pub headers: HeaderMap,
}

impl FromRequestParts<WebState> for XapiRequest {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, Response> {
        let session = parts
            .extensions
            .get::<CurrentSession>()
            .and_then(|s| s.0.clone());
        let version = parts
            .extensions
            .get::<XapiVersion>()
            .map_or(Version::V2_0_0, |v| v.0);
        let who = caller(state, &parts.headers, session).await?;
        let params = query_pairs(&parts.uri).map_err(LrsAnswer::into_response)?;
        Ok(XapiRequest {
            who,
            params,
            version,
            headers: parts.headers.clone(),
        })
    }
}

async fn caller(
    state: &WebState,
    headers: &HeaderMap,
    session: Option<lore_app::accounts::SessionContext>,
) -> Result<XapiCaller, Response> {
    if let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let Some((key, secret)) = basic_credentials(value) else {
            return Err(unauthorized(
                "Use HTTP Basic with a client's key and secret.",
            ));
        };
        return match state.app.xapi_client_caller(&key, &secret).await {
            Ok(Some(c)) => Ok(c),
            Ok(None) => Err(unauthorized("Those credentials are not right.")),
            Err(e) => Err(LrsError::App(e).into_response()),
        };
    }
    match session {
        Some(s) => Ok(XapiCaller::person(s.caller)),
        None => Err(unauthorized("Sign in, or use a client's key and secret.")),
    }
}

fn basic_credentials(value: &str) -> Option<(String, String)> {
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (key, secret) = text.split_once(':')?;
    Some((key.to_owned(), secret.to_owned()))
}

fn unauthorized(message: &str) -> Response {
    let mut response = error_body(StatusCode::UNAUTHORIZED, "unauthenticated", "", message);
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"Lore xAPI\""),
    );
    response
}

/// The error shape of `/xapi/`: `{"error": rule, "path", "message"}`.
pub(crate) fn error_body(status: StatusCode, rule: &str, path: &str, message: &str) -> Response {
    json_response(
        status,
        &json!({ "error": rule, "path": path, "message": message }),
    )
}

/// A JSON answer with its `Content-Length` (kept for `HEAD`).
pub(crate) fn json_response(status: StatusCode, value: &serde_json::Value) -> Response {
    bytes_response(status, "application/json", value.to_string().into_bytes())
}

pub(crate) fn bytes_response(status: StatusCode, content_type: &str, bytes: Vec<u8>) -> Response {
    let length = bytes.len();
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    response
}

/// How every [`LrsError`] answers; internal errors are logged, never shown.
pub(crate) trait LrsAnswer {
    fn into_response(self) -> Response;
}

impl LrsAnswer for LrsError {
    fn into_response(self) -> Response {
        match self {
            LrsError::Invalid(i) => {
                error_body(StatusCode::BAD_REQUEST, i.rule, &i.path, &i.message)
            }
            LrsError::Forbidden(m) => error_body(StatusCode::FORBIDDEN, "forbidden", "", m),
            LrsError::NotFound(what) => error_body(
                StatusCode::NOT_FOUND,
                "not-found",
                "",
                &format!("{what} was not found."),
            ),
            LrsError::Conflict(m) => error_body(StatusCode::CONFLICT, "conflict", "", &m),
            LrsError::PreconditionFailed(m) => error_body(
                StatusCode::PRECONDITION_FAILED,
                "precondition-failed",
                "",
                &m,
            ),
            LrsError::App(e) => {
                let status = match &e {
                    lore_app::AppError::Invalid(_) => StatusCode::BAD_REQUEST,
                    other => crate::error::status_of(other),
                };
                let message = crate::error::public_message(&e);
                error_body(status, e.code(), "", &message)
            }
        }
    }
}

/// The query string as pairs, in order; a malformed one is a 400.
pub(crate) fn query_pairs(uri: &axum::http::Uri) -> Result<Vec<(String, String)>, LrsError> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(uri.query().unwrap_or("")).map_err(|_| {
        LrsError::Invalid(lore_xapi::Invalid::new(
            "query-string",
            "",
            "The query string cannot be read.",
        ))
    })
}

/// An HTTP date (`Last-Modified`) of milliseconds since 1970.
pub(crate) fn http_date(ms: i64) -> Option<HeaderValue> {
    let t = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).ok()?;
    let f = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    HeaderValue::from_str(&t.format(&f).ok()?).ok()
}
