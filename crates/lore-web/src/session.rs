//! Sessions: the cookie is resolved once per request, and extractors hand the person to handlers.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use lore_app::Caller;
use lore_app::accounts::SessionContext;

use crate::WebState;
use crate::error::{ApiError, PageError};

pub const SESSION_COOKIE: &str = "lore_session";

/// The session found for this request, if any (set by [`resolve`]).
#[derive(Clone)]
pub struct CurrentSession(pub Option<SessionContext>);

/// Look up the session cookie once and put the result in the request's extensions.
pub async fn resolve(State(state): State<WebState>, mut req: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    let mut stale_cookie = false;
    let session = match jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) {
        Some(token) => match state.app.session(&token).await {
            Ok(Some(s)) => Some(s),
            Ok(None) => {
                stale_cookie = true;
                None
            }
            Err(e) => return PageError(e).into_response(),
        },
        None => None,
    };
    req.extensions_mut().insert(CurrentSession(session));
    let response = next.run(req).await;
    if stale_cookie {
        // The session ended elsewhere (signed out, deactivated): drop the dead cookie.
        return (removal_cookie(&state), response).into_response();
    }
    response
}

pub fn session_cookie(
    state: &WebState,
    token: String,
    expires_at: time::OffsetDateTime,
) -> CookieJar {
    let cookie = Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.options.secure_cookies)
        .max_age(time::Duration::seconds(
            (expires_at - state.app.now()).whole_seconds().max(0),
        ))
        .build();
    CookieJar::new().add(cookie)
}

pub fn removal_cookie(state: &WebState) -> CookieJar {
    let cookie = Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.options.secure_cookies)
        .build();
    CookieJar::new().remove(cookie)
}

fn current(parts: &Parts) -> Option<SessionContext> {
    parts
        .extensions
        .get::<CurrentSession>()
        .and_then(|s| s.0.clone())
}

/// A signed-in person on a page; without a session the browser goes to the sign-in page.
pub struct Viewer(pub SessionContext);

impl Viewer {
    pub fn caller(&self) -> &Caller {
        &self.0.caller
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match current(parts) {
            Some(s) => Ok(Viewer(s)),
            None => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .filter(|p| *p != "/")
                    .map(|p| format!("?next={}", urlencode(p)))
                    .unwrap_or_default();
                Err(Redirect::to(&format!("/sign-in{next}")).into_response())
            }
        }
    }
}

/// A page that works with or without a session.
pub struct MaybeViewer(pub Option<SessionContext>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeViewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeViewer(current(parts)))
    }
}

/// The caller of an API route: a bearer token, or else a browser session.
pub struct ApiCaller(pub Caller);

impl FromRequestParts<WebState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) {
            let secret = value
                .to_str()
                .ok()
                .and_then(|v| {
                    v.strip_prefix("Bearer ")
                        .or_else(|| v.strip_prefix("bearer "))
                })
                .map(str::trim)
                .ok_or(ApiError(lore_app::AppError::Unauthenticated))?;
            return match state.app.caller_by_token(secret).await.map_err(ApiError)? {
                Some(c) => Ok(ApiCaller(c)),
                None => Err(ApiError(lore_app::AppError::Unauthenticated)),
            };
        }
        current(parts)
            .map(|s| ApiCaller(s.caller))
            .ok_or(ApiError(lore_app::AppError::Unauthenticated))
    }
}

/// Percent-encode a value for a query string.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Only local paths are followed after sign-in, so a link cannot send people elsewhere.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}
