//! `/xapi/activities/state`, `/xapi/activities/profile`, `/xapi/agents/profile` (documents
//! with ETags), `/xapi/activities`, `/xapi/agents` and `/xapi/about`.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use lore_app::lrs::{DocumentAnswer, DocumentKind, DocumentWrite, Preconditions};
use serde_json::json;

use super::{LrsAnswer, bytes_response, caller, http_date, json_response, query_pairs};
use crate::WebState;
use crate::session::CurrentSession;

/// What every document handler extracts.
type Request = (State<WebState>, Extension<CurrentSession>, HeaderMap, Uri);

#[derive(Clone, Copy)]
enum Verb {
    Put,
    Post,
}

async fn read(
    kind: DocumentKind,
    (State(state), Extension(session), headers, uri): Request,
) -> Response {
    let who = match caller(&state, &headers, &session).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let params = match query_pairs(&uri) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    match state.app.xapi_get_document(&who, kind, &params).await {
        Ok(DocumentAnswer::One(d)) => {
            let mut r = bytes_response(StatusCode::OK, &d.content_type, d.content);
            if let Ok(v) = HeaderValue::from_str(&d.etag) {
                r.headers_mut().insert(header::ETAG, v);
            }
            if let Some(v) = http_date(d.updated_ms) {
                r.headers_mut().insert(header::LAST_MODIFIED, v);
            }
            r
        }
        Ok(DocumentAnswer::Ids(ids)) => json_response(StatusCode::OK, &json!(ids)),
        Err(e) => e.into_response(),
    }
}

async fn write(
    kind: DocumentKind,
    verb: Verb,
    (State(state), Extension(session), headers, uri): Request,
    body: Bytes,
) -> Response {
    let who = match caller(&state, &headers, &session).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let params = match query_pairs(&uri) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match state
        .app
        .xapi_write_document(
            &who,
            kind,
            &params,
            DocumentWrite {
                content_type: content_type.to_owned(),
                content: body.to_vec(),
                preconditions: preconditions(&headers),
                merge: matches!(verb, Verb::Post),
            },
        )
        .await
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

async fn remove(
    kind: DocumentKind,
    (State(state), Extension(session), headers, uri): Request,
) -> Response {
    let who = match caller(&state, &headers, &session).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let params = match query_pairs(&uri) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    match state
        .app
        .xapi_delete_document(&who, kind, &params, &preconditions(&headers))
        .await
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
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
        pub async fn $get(
            state: State<WebState>,
            session: Extension<CurrentSession>,
            headers: HeaderMap,
            uri: Uri,
        ) -> Response {
            read($kind, (state, session, headers, uri)).await
        }

        pub async fn $put(
            state: State<WebState>,
            session: Extension<CurrentSession>,
            headers: HeaderMap,
            uri: Uri,
            body: Bytes,
        ) -> Response {
            write($kind, Verb::Put, (state, session, headers, uri), body).await
        }

        pub async fn $post(
            state: State<WebState>,
            session: Extension<CurrentSession>,
            headers: HeaderMap,
            uri: Uri,
            body: Bytes,
        ) -> Response {
            write($kind, Verb::Post, (state, session, headers, uri), body).await
        }

        pub async fn $delete(
            state: State<WebState>,
            session: Extension<CurrentSession>,
            headers: HeaderMap,
            uri: Uri,
        ) -> Response {
            remove($kind, (state, session, headers, uri)).await
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

pub async fn activities(
    State(state): State<WebState>,
    Extension(session): Extension<CurrentSession>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let who = match caller(&state, &headers, &session).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let params = match query_pairs(&uri) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    match state.app.xapi_activity(&who, &params).await {
        Ok(a) => json_response(StatusCode::OK, &a),
        Err(e) => e.into_response(),
    }
}

pub async fn agents(
    State(state): State<WebState>,
    Extension(session): Extension<CurrentSession>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let who = match caller(&state, &headers, &session).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let params = match query_pairs(&uri) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    match state.app.xapi_person(&who, &params).await {
        Ok(p) => json_response(StatusCode::OK, &p),
        Err(e) => e.into_response(),
    }
}

/// `/xapi/about`: the versions this LRS speaks; needs neither credentials nor a version.
pub async fn about() -> Response {
    json_response(
        StatusCode::OK,
        &json!({ "version": ["1.0.3", "2.0.0"], "extensions": {} }),
    )
}
