//! Static files compiled into the binary: our stylesheet and vendored htmx.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::WebState;

const CSS: &str = include_str!("../assets/lore.css");
const HTMX: &str = include_str!("../assets/vendor/htmx/htmx.min.js");
const LONG_CACHE: &str = "public, max-age=86400";

pub fn routes() -> Router<WebState> {
    Router::new()
        .route(
            "/assets/lore.css",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                        (header::CACHE_CONTROL, LONG_CACHE),
                    ],
                    CSS,
                )
                    .into_response()
            }),
        )
        .route(
            "/assets/htmx.min.js",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                        (header::CACHE_CONTROL, LONG_CACHE),
                    ],
                    HTMX,
                )
                    .into_response()
            }),
        )
}
