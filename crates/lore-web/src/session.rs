//! Sessions: the cookie is resolved once per request, and extractors hand the person to handlers.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use lore_app::Caller;
use lore_app::accounts::SessionContext;

use crate::WebState;
use crate::error::{ApiError, ErrorPage, ErrorShown, PageError, back_link};
use crate::layout::Layout;

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
    // A session that slid forward gets its cookie again, to last as long as it now does.
    let renewed = session
        .as_ref()
        .and_then(|s| s.renewed_until)
        .zip(jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()));
    let path = req.uri().path().to_owned();
    let referer = header_text(&req, axum::http::header::REFERER);
    let host = header_text(&req, axum::http::header::HOST);
    req.extensions_mut().insert(CurrentSession(session.clone()));
    let mut response = next.run(req).await;
    if let Some(shown) = response.extensions().get::<ErrorShown>().cloned() {
        // Error pages are made without the session; show them in the person's usual frame.
        let page = ErrorPage {
            layout: session
                .as_ref()
                .map_or_else(Layout::bare, |s| Layout::for_session(s, "")),
            status: shown.status,
            title: shown.title,
            message: shown.message,
            back: back_link(&path, referer.as_deref(), host.as_deref()),
        };
        if let Ok(html) = askama::Template::render(&page) {
            let (mut parts, _) = response.into_parts();
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            response = Response::from_parts(parts, axum::body::Body::from(html));
        }
    }
    if stale_cookie {
        // The session ended elsewhere (signed out, deactivated): drop the dead cookie.
        return (removal_cookie(&state), response).into_response();
    }
    if let Some((expires_at, token)) = renewed
        && !sets_session_cookie(&response)
    {
        return (session_cookie(&state, token, expires_at), response).into_response();
    }
    response
}

fn header_text(req: &Request, name: axum::http::HeaderName) -> Option<String> {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Does the handler set or remove the session cookie itself (sign-in, sign-out)? Then its
/// word stands.
fn sets_session_cookie(response: &Response) -> bool {
    let prefix = format!("{SESSION_COOKIE}=");
    response
        .headers()
        .get_all(axum::http::header::SET_COOKIE)
        .iter()
        .any(|v| v.as_bytes().starts_with(prefix.as_bytes()))
}

/// The session cookie. Its lifetime is a `Max-Age` counted from the server's clock, not an
/// `Expires` date: a browser counts `Max-Age` from its own clock, so a client whose clock
/// disagrees with the server's (or a test clock set to another date) keeps the cookie exactly
/// as long as the session lives. The server checks expiry itself in any case.
pub fn session_cookie(
    state: &WebState,
    token: String,
    expires_at: time::OffsetDateTime,
) -> CookieJar {
    let lifetime = (expires_at - state.app.now()).max(time::Duration::ZERO);
    let cookie = Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.options.secure_cookies)
        .max_age(lifetime)
        .build();
    CookieJar::new().add(cookie)
}

/// A cookie that tells the browser to forget the session cookie (`Max-Age=0`, an `Expires`
/// in the past). Built by hand: `CookieJar::remove` on a new jar sends nothing, because the
/// jar does not know the browser has the cookie.
pub fn removal_cookie(state: &WebState) -> CookieJar {
    let mut cookie = Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.options.secure_cookies)
        .build();
    cookie.make_removal();
    CookieJar::new().add(cookie)
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

/// Where to go after sign-in: `next` if it is a path on this site, else `/`, so a link cannot
/// send people elsewhere. The result is always a valid `Location` header value.
///
/// The check is made on what a browser would follow: browsers drop ASCII tab, CR and LF
/// anywhere in a URL and read `\` as `/`, so `/<tab>/evil.example` and `/\evil.example` are
/// both `//evil.example`, another site. Tab, CR and LF are removed first; then any other
/// control character or a backslash refuses the value, and what is left must start with one
/// `/` that is not followed by a second `/`.
pub fn safe_next(next: Option<&str>) -> String {
    let Some(next) = next else {
        return "/".to_owned();
    };
    let path: String = next
        .chars()
        .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
        .collect();
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.chars().any(|c| c == '\\' || c.is_control());
    if local { path } else { "/".to_owned() }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        let kept = [
            "/",
            "/courses/1?x=2",
            "/people?q=ann%20lee&page=2",
            "/a/b#c",
        ];
        for next in kept {
            assert_eq!(safe_next(Some(next)), next, "{next:?}");
        }
        let refused = [
            "",
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/\t/evil.example/",
            "/\r\n/evil.example",
            "\t//evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "evil.example",
            "/\0/evil",
            "/a\x7fb",
            "/a\u{85}b",
        ];
        for next in refused {
            assert_eq!(safe_next(Some(next)), "/", "{next:?}");
        }
        assert_eq!(safe_next(None), "/");
        // What a browser would follow anyway: the same path without the stray characters.
        assert_eq!(safe_next(Some("/cour\tses/\n1")), "/courses/1");
    }
}
