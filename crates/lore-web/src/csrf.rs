//! CSRF protection for every state-changing request made with cookies.
//! Signed-in forms echo the session's secret; anonymous forms (sign-in, set password)
//! echo a random cookie (double submit). Bearer-token API calls carry no cookies and need neither.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use crate::WebState;
use crate::error::{ApiError, PageError};
use crate::session::CurrentSession;

pub const FIELD: &str = "_csrf";
pub const HEADER: &str = "x-csrf-token";
pub const COOKIE: &str = "lore_csrf";

/// Refuse unsafe requests whose token does not match.
pub async fn verify(State(_state): State<WebState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if req.headers().contains_key(header::AUTHORIZATION) {
        return next.run(req).await;
    }
    // `/xapi/` answers like the API: without a session it asks for credentials itself.
    let is_api = req.uri().path().starts_with("/api/") || req.uri().path().starts_with("/xapi/");
    let expected = match req
        .extensions()
        .get::<CurrentSession>()
        .and_then(|s| s.0.as_ref())
    {
        Some(s) => Some(s.csrf_token.clone()),
        // Without a session or a token the API answers 401 itself; nothing can change.
        None if is_api => return next.run(req).await,
        None => CookieJar::from_headers(req.headers())
            .get(COOKIE)
            .map(|c| c.value().to_owned()),
    };
    let (req, provided) = match provided_token(req).await {
        Ok(x) => x,
        Err(response) => return response,
    };
    match (expected, provided) {
        (Some(e), Some(p)) if !e.is_empty() && constant_time_eq(e.as_bytes(), p.as_bytes()) => {
            next.run(req).await
        }
        _ => {
            tracing::warn!("CSRF check failed");
            if is_api {
                ApiError::csrf().into_response()
            } else {
                PageError::csrf().into_response()
            }
        }
    }
}

/// The token the request carries: the header, or the `_csrf` field of a form body.
/// The body is read and put back, so handlers see it unchanged.
async fn provided_token(req: Request) -> Result<(Request, Option<String>), Response> {
    if let Some(v) = req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        let v = v.to_owned();
        return Ok((req, Some(v)));
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let (parts, body) = req.into_parts();
    let limit = crate::body_limit_for(parts.uri.path());
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => {
            return Err(PageError(lore_app::AppError::invalid(
                "file",
                "The upload is too large.",
            ))
            .into_response());
        }
    };
    let token = if content_type.starts_with("application/x-www-form-urlencoded") {
        form_field(&bytes)
    } else if content_type.starts_with("multipart/form-data") {
        multipart_field(&content_type, bytes.clone()).await
    } else {
        None
    };
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

fn form_field(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v)
}

async fn multipart_field(content_type: &str, bytes: Bytes) -> Option<String> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(FIELD) {
            return field.text().await.ok();
        }
    }
    None
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The token an anonymous form should carry, and the cookie to set if the browser has none yet.
pub fn anonymous_token(jar: &CookieJar, secure: bool) -> (String, Option<CookieJar>) {
    if let Some(c) = jar.get(COOKIE).filter(|c| c.value().len() == 64) {
        return (c.value().to_owned(), None);
    }
    let token = lore_app::secrets::random_token();
    let cookie = Cookie::build((COOKIE, token.clone()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build();
    (token, Some(CookieJar::new().add(cookie)))
}
