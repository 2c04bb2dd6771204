//! Static files compiled into the binary: our stylesheet, our scripts, vendored htmx, and the
//! icons and manifest that make Lore installable (drawn by `icons` on first request).

use std::sync::LazyLock;

use crate::route_table::Routes;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

const CSS: &str = include_str!("../assets/lore.css");
const HTMX: &str = include_str!("../assets/vendor/htmx/htmx.min.js");
const EDITOR_JS: &str = include_str!("../assets/editor.js");
const LIVE_JS: &str = include_str!("../assets/live.js");
const MENU_JS: &str = include_str!("../assets/menu.js");
static FAVICON: LazyLock<Vec<u8>> = LazyLock::new(crate::icons::ico);
static ICON_192: LazyLock<Vec<u8>> = LazyLock::new(|| crate::icons::png(192));
static ICON_512: LazyLock<Vec<u8>> = LazyLock::new(|| crate::icons::png(512));
static ICON_SVG: LazyLock<String> = LazyLock::new(crate::icons::svg);
static MANIFEST: LazyLock<String> = LazyLock::new(crate::icons::manifest);
const LONG_CACHE: &str = "public, max-age=86400";
const JS: &str = "text/javascript; charset=utf-8";

fn asset(content_type: &'static str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, LONG_CACHE),
        ],
        body,
    )
        .into_response()
}

pub fn routes() -> Routes {
    Routes::new()
        .route(
            "/assets/lore.css",
            get(|| async { asset("text/css; charset=utf-8", CSS) }),
        )
        .route("/assets/htmx.min.js", get(|| async { asset(JS, HTMX) }))
        .route("/assets/editor.js", get(|| async { asset(JS, EDITOR_JS) }))
        .route("/assets/live.js", get(|| async { asset(JS, LIVE_JS) }))
        .route("/assets/menu.js", get(|| async { asset(JS, MENU_JS) }))
        .route(
            "/favicon.ico",
            get(|| async { asset("image/x-icon", FAVICON.as_slice()) }),
        )
        .route(
            "/icon.svg",
            get(|| async { asset("image/svg+xml", ICON_SVG.as_str()) }),
        )
        .route(
            "/icon-192.png",
            get(|| async { asset("image/png", ICON_192.as_slice()) }),
        )
        .route(
            "/icon-512.png",
            get(|| async { asset("image/png", ICON_512.as_slice()) }),
        )
        .route(
            "/manifest.webmanifest",
            get(|| async { asset("application/manifest+json", MANIFEST.as_str()) }),
        )
}
