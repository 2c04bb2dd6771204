//! `/xapi/activities/state`, `/xapi/activities/profile`, `/xapi/agents/profile` (documents
//! with ETags), `/xapi/activities`, `/xapi/agents` and `/xapi/about`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lore_app::lrs::{DocumentAnswer, DocumentKind, DocumentWrite, LrsResult, Preconditions};
use serde_json::{Value, json};

use super::{LrsAnswer, XapiRequest, bytes_response, http_date, json_response};
use crate::WebState;

async fn read(kind: DocumentKind, state: WebState, r: XapiRequest) -> Response {
    match state.app.xapi_get_document(&r.who, kind, &r.params).await {
        Ok(DocumentAnswer::One(d)) => {
            let mut response = bytes_response(StatusCode::OK, &d.content_type, d.content);
            if let Ok(v) = HeaderValue::from_str(&d.etag) {
                response.headers_mut().insert(header::ETAG, v);
            }
            if let Some(v) = http_date(d.updated_ms) {
                response.headers_mut().insert(header::LAST_MODIFIED, v);
            }
            response
        }
        Ok(DocumentAnswer::Ids(ids)) => json_response(StatusCode::OK, &json!(ids)),
        Err(e) => e.into_response(),
    }
}

async fn write(
    kind: DocumentKind,
    merge: bool,
    state: WebState,
    r: XapiRequest,
    body: Bytes,
) -> Response {
    let content_type = r
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let write = DocumentWrite {
        content_type,
        content: body.to_vec(),
        preconditions: preconditions(&r.headers),
        merge,
        version: r.version,
    };
    no_content(
        state
            .app
            .xapi_write_document(&r.who, kind, &r.params, write)
            .await,
    )
}

async fn remove(kind: DocumentKind, state: WebState, r: XapiRequest) -> Response {
    no_content(
        state
            .app
            .xapi_delete_document(&r.who, kind, &r.params, &preconditions(&r.headers))
            .await,
    )
}

fn no_content(result: LrsResult<()>) -> Response {
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

fn json_answer(result: LrsResult<Value>) -> Response {
    match result {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(e) => e.into_response(),
    }
}

fn preconditions(headers: &HeaderMap) -> Preconditions {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    Preconditions {
        if_match: text(header::IF_MATCH),
        if_none_match: text(header::IF_NONE_MATCH),
    }
}

macro_rules! document_handlers {
    ($kind:expr, $get:ident, $put:ident, $post:ident, $delete:ident) => {
        pub async fn $get(State(state): State<WebState>, r: XapiRequest) -> Response {
            read($kind, state, r).await
        }

        pub async fn $put(State(state): State<WebState>, r: XapiRequest, body: Bytes) -> Response {
            write($kind, false, state, r, body).await
        }

        pub async fn $post(State(state): State<WebState>, r: XapiRequest, body: Bytes) -> Response {
            write($kind, true, state, r, body).await
        }

        pub async fn $delete(State(state): State<WebState>, r: XapiRequest) -> Response {
            remove($kind, state, r).await
        }
    };
}

document_handlers!(
    DocumentKind::State,
    get_state,
    put_state,
    post_state,
    delete_state
);
document_handlers!(
    DocumentKind::ActivityProfile,
    get_activity_profile,
    put_activity_profile,
    post_activity_profile,
    delete_activity_profile
);
document_handlers!(
    DocumentKind::AgentProfile,
    get_agent_profile,
    put_agent_profile,
    post_agent_profile,
    delete_agent_profile
);

pub async fn activities(State(state): State<WebState>, r: XapiRequest) -> Response {
    json_answer(state.app.xapi_activity(&r.who, &r.params).await)
}

pub async fn agents(State(state): State<WebState>, r: XapiRequest) -> Response {
    json_answer(state.app.xapi_person(&r.who, &r.params).await)
}

/// `/xapi/about`: the versions this LRS speaks; needs neither credentials nor a version.
pub async fn about() -> Response {
    json_response(
        StatusCode::OK,
        &json!({ "version": ["1.0.3", "2.0.0"], "extensions": {} }),
    )
}
