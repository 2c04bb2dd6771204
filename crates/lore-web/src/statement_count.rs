//! `x-lore-statements`: how many database statements a request ran, session lookup included,
//! when `WebOptions::count_statements` is on. Tests hold pages to a budget with it.

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::WebState;

pub const HEADER: &str = "x-lore-statements";

pub async fn report(State(state): State<WebState>, req: Request, next: Next) -> Response {
    if !state.options.count_statements {
        return next.run(req).await;
    }
    let (mut response, count) = lore_app::count_statements(next.run(req)).await;
    response
        .headers_mut()
        .insert(HEADER, HeaderValue::from(count));
    response
}
