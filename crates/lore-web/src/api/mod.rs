//! The JSON API under `/api/v1` (filled in by the API module files).

use axum::Router;

use crate::WebState;

pub fn routes() -> Router<WebState> {
    Router::new()
}

pub fn openapi_document() -> utoipa::openapi::OpenApi {
    utoipa::openapi::OpenApiBuilder::new().build()
}
