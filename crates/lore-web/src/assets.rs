//! Static files compiled into the binary: our stylesheet, the editor script, vendored htmx.

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::WebState;

const CSS: &str = include_str!("../assets/lore.css");
const HTMX: &str = include_str!("../assets/vendor/htmx/htmx.min.js");
const EDITOR_JS: &str = include_str!("../assets/editor.js");
const LIVE_JS: &str = include_str!("../assets/live.js");
const LONG_CACHE: &str = "public, max-age=86400";
const JS: &str = "text/javascript; charset=utf-8";

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, LONG_CACHE),
        ],
        body,
    )
        .into_response()
}

pub fn routes() -> Router<WebState> {
    Router::new()
        .route(
            "/assets/lore.css",
            get(|| async { asset("text/css; charset=utf-8", CSS) }),
        )
        .route("/assets/htmx.min.js", get(|| async { asset(JS, HTMX) }))
        .route("/assets/editor.js", get(|| async { asset(JS, EDITOR_JS) }))
        .route("/assets/live.js", get(|| async { asset(JS, LIVE_JS) }))
}
