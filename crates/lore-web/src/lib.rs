//! Lore's HTTP face: server-rendered pages, the JSON API under `/api/v1`, health checks and
//! `/metrics`.
//! Handlers extract input, call one `lore-app` function, and render HTML or JSON.

mod api;
mod assets;
pub mod charts;
mod client;
mod csrf;
mod dates;
mod error;
mod icons;
mod layout;
mod metrics;
mod ops;
mod pages;
mod plural;
mod request_log;
mod route_table;
mod session;
mod statement_count;
mod xapi;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue};
use lore_app::App;
use tower_http::classify::ServerErrorsFailureClass;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

pub use api::openapi_document;
pub use metrics::AddressRange;
pub use request_log::{RequestLog, RequestLogPolicy};
use route_table::Routes;

/// How the web layer behaves; filled from configuration by the CLI.
#[derive(Debug, Clone)]
pub struct WebOptions {
    /// The address people use to reach Lore, for links in invitations (`http://127.0.0.1:8080`).
    pub public_url: String,
    /// Mark cookies `Secure` (set when `public_url` is https).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Answer every request with `x-lore-statements`: how many database statements it ran
    /// (for tests and profiling; off in production).
    pub count_statements: bool,
    /// Clients that may read `/metrics` by address alone (others need a platform
    /// administrator's token). Loopback by default.
    pub metrics_allow: Vec<AddressRange>,
    /// Which requests get an access-log line.
    pub request_log: RequestLogPolicy,
}

impl WebOptions {
    pub fn for_url(public_url: &str) -> Self {
        Self {
            public_url: public_url.trim_end_matches('/').to_owned(),
            secure_cookies: public_url.starts_with("https://"),
            trust_forwarded_for: false,
            count_statements: false,
            metrics_allow: AddressRange::loopback(),
            request_log: RequestLogPolicy::default(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct WebState {
    pub app: App,
    pub options: Arc<WebOptions>,
    pub metrics: Arc<metrics::Metrics>,
}

/// Bodies are small except for the people import, which takes whole CSV files.
const FORM_LIMIT: usize = 2 * 1024 * 1024;
const UPLOAD_LIMIT: usize = lore_app::people_import::MAX_BYTES + 64 * 1024;

/// The largest body a route accepts; checked before anything reads a body.
pub(crate) fn body_limit_for(path: &str) -> usize {
    if path == "/people/import" || path == "/api/v1/users/import" {
        UPLOAD_LIMIT
    } else if path == "/blobs"
        || path == "/api/v1/uploads"
        || path == "/account/profile"
        || (path.starts_with("/courses/")
            && (path.ends_with("/attach") || path.ends_with("/edit/cover")))
        || ((path.starts_with("/attempts/") || path.starts_with("/api/v1/attempts/"))
            && path.ends_with("/file"))
    {
        pages::blobs::BODY_LIMIT
    } else if path.starts_with("/courses/")
        && (path.ends_with("/edit/questions/check") || path.ends_with("/edit/questions/add"))
    {
        pages::courses::GIFT_BODY_LIMIT
    } else if path == "/courses/import" || path == "/api/v1/courses/import" {
        pages::course_archive::BODY_LIMIT
    } else if path.starts_with("/api/") {
        api::JSON_BODY_LIMIT
    } else if path.starts_with("/xapi/") {
        xapi::BODY_LIMIT
    } else {
        FORM_LIMIT
    }
}

/// A refused body up to this size is read to the end before the answer goes out, so the
/// client (still sending) reliably gets the error instead of a reset connection.
const DRAIN_LIMIT: usize = FORM_LIMIT;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole router with its middleware.
pub fn router(app: App, options: WebOptions) -> Router {
    let log = options.request_log;
    let state = WebState {
        app,
        options: Arc::new(options),
        metrics: Arc::default(),
    };
    // A span per request carries its id into every line logged while it runs; the access
    // line itself is written only for the requests `log_requests` asks for (request_log).
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &axum::http::Request<_>| {
            let id = req
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        })
        .on_response(
            move |res: &axum::response::Response, latency: Duration, _: &Span| {
                if log.logs(res.status(), latency) {
                    // tower-http's own targets, so filters written for its lines still apply.
                    tracing::info!(
                        target: "tower_http::trace::on_response",
                        latency = %format_args!("{} ms", latency.as_millis()),
                        status = res.status().as_u16(),
                        "finished processing request"
                    );
                }
            },
        )
        .on_failure(
            move |failure: ServerErrorsFailureClass, latency: Duration, _: &Span| {
                if log.logs_failures() {
                    tracing::error!(
                        target: "tower_http::trace::on_failure",
                        classification = %failure,
                        latency = %format_args!("{} ms", latency.as_millis()),
                        "response failed"
                    );
                }
            },
        );
    routes()
        .into_router()
        .merge(xapi::router(state.clone()))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), csrf::verify))
        .layer(axum::middleware::from_fn(limit_body))
        .layer(axum::middleware::from_fn_with_state(state.clone(), session::resolve))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            statement_count::report,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_LIMIT))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("content-security-policy"),
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
            ),
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::record,
        ))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(trace)
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

/// Every route but the xAPI's (a service of its own, see [`xapi::router`]).
fn routes() -> Routes {
    Routes::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .merge(ops::routes())
        .merge(metrics::routes())
        .merge(assets::routes())
}

/// The path pattern of every route the router answers (`/courses/{id}`, `/api/v1/me`,
/// `/xapi/statements`), as the router is built. Which methods each takes, the router itself
/// says: a method it lacks gets 405 with an `Allow` header.
pub fn route_table() -> Vec<String> {
    let mut paths = routes().paths().to_vec();
    paths.extend(
        xapi::resources()
            .paths()
            .iter()
            .map(|p| format!("{}{p}", xapi::BASE)),
    );
    paths
}

/// Refuse bodies larger than the route allows, by their declared length, before reading.
async fn limit_body(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let limit = body_limit_for(req.uri().path());
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        let size = if limit >= 1024 * 1024 {
            format!("{} MB", limit / 1024 / 1024)
        } else {
            format!("{} KB", limit / 1024)
        };
        let message = format!("The request is larger than {size}.");
        let too_large = req
            .uri()
            .path()
            .starts_with("/xapi/")
            .then(|| xapi::too_large(req.headers(), &message));
        let is_api =
            req.uri().path().starts_with("/api/") || req.uri().path().starts_with("/xapi/");
        // The API says 413 with its own code; a form page keeps its "check what you entered".
        let err = if is_api {
            lore_app::AppError::TooLarge(message)
        } else {
            lore_app::AppError::invalid("body", message)
        };
        if declared.is_some_and(|n| n <= DRAIN_LIMIT) {
            // Nothing is kept: the bytes are read only so the connection stays orderly.
            let _ = axum::body::to_bytes(req.into_body(), DRAIN_LIMIT).await;
        }
        return if let Some(response) = too_large {
            response
        } else if is_api {
            axum::response::IntoResponse::into_response(error::ApiError(err))
        } else {
            axum::response::IntoResponse::into_response(error::PageError(err))
        };
    }
    next.run(req).await
}

/// Serve until `shutdown` resolves; requests in flight are allowed to finish.
pub async fn serve(
    app: App,
    options: WebOptions,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let router = router(app, options);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
