//! Turning `AppError` into a friendly page or a JSON body with a stable code.
//! Internal details go to the log, never to the client.

use askama::Template;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use lore_app::AppError;
use serde::Serialize;

use crate::layout::Layout;

pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Invalid(_) | AppError::ImportRejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Forbidden | AppError::AccountDeactivated => StatusCode::FORBIDDEN,
        AppError::Unauthenticated | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Conflict(_) | AppError::AttemptClosed(_) | AppError::Refused { .. } => {
            StatusCode::CONFLICT
        }
        AppError::LinkExpired | AppError::LinkUsed => StatusCode::GONE,
        AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The message a person may read: internal errors are logged and replaced.
pub fn public_message(e: &AppError) -> String {
    if let AppError::Internal(detail) = e {
        tracing::error!(detail = detail.as_str(), "internal error");
    }
    e.to_string()
}

fn retry_after(e: &AppError, response: &mut Response) {
    if let AppError::RateLimited { retry_after_secs } = e
        && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub status: u16,
    pub title: String,
    pub message: String,
    /// A page of this site to go back to (where the person came from, or one level up).
    pub back: Option<String>,
}

/// What an error page said, kept on the response so the session middleware can render it
/// again in the signed-in frame (errors are made where the session is not at hand).
#[derive(Debug, Clone)]
pub struct ErrorShown {
    pub status: u16,
    pub title: String,
    pub message: String,
}

impl ErrorPage {
    pub fn render_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let shown = ErrorShown {
            status: self.status,
            title: self.title.clone(),
            message: self.message.clone(),
        };
        let mut response = match self.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, "Something went wrong.").into_response(),
        };
        response.extensions_mut().insert(shown);
        response
    }
}

/// Where "Go back" leads from an error at `path`: the page the person came from when it is
/// a page of this site (and not the failing one), else the path one level up.
pub fn back_link(path: &str, referer: Option<&str>, host: Option<&str>) -> Option<String> {
    let from_referer = referer.zip(host).and_then(|(r, h)| {
        let rest = r
            .strip_prefix("https://")
            .or_else(|| r.strip_prefix("http://"))?
            .strip_prefix(h)?;
        (rest.starts_with('/') && !rest.starts_with("//") && rest != path).then(|| rest.to_owned())
    });
    from_referer.or_else(|| {
        let trimmed = path.trim_end_matches('/');
        let parent = &trimmed[..trimmed.rfind('/')?];
        (!parent.is_empty()).then(|| parent.to_owned())
    })
}

fn title_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 => "Please sign in",
        403 => "Not allowed",
        404 => "Page not found",
        409 => "That clashes with something",
        410 => "This link no longer works",
        422 => "Please check what you entered",
        413 => "That is too large",
        429 => "Slow down a little",
        _ => "Something went wrong",
    }
}

/// An error on a page: rendered as a friendly HTML page.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl PageError {
    pub fn csrf() -> Response {
        ErrorPage {
            layout: Layout::bare(),
            status: 403,
            title: "This form has expired".to_owned(),
            message: "The page was open too long or came from somewhere else. Go back, reload the page and try again."
                .to_owned(),
            back: None,
        }
        .render_response()
    }
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if matches!(self.0, AppError::Unauthenticated) {
            return axum::response::Redirect::to("/sign-in").into_response();
        }
        let status = status_of(&self.0);
        let message = match &self.0 {
            AppError::NotFound(_) => {
                "The page or item you asked for does not exist, or you cannot see it.".to_owned()
            }
            other => public_message(other),
        };
        let mut response = ErrorPage {
            layout: Layout::bare(),
            status: status.as_u16(),
            title: title_of(status).to_owned(),
            message,
            back: None,
        }
        .render_response();
        retry_after(&self.0, &mut response);
        response
    }
}

/// The JSON body of every API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `invalid_input`, `forbidden`, `not_found`.
    pub code: String,
    /// A sentence for people.
    pub message: String,
    /// The input field at fault, for `invalid_input`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every bad row, for `import_rejected`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<RowErrorBody>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RowErrorBody {
    pub line: u64,
    pub reason: String,
}

/// An error on an API route: rendered as `{"error": {"code", "message"}}`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl ApiError {
    pub fn csrf() -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: "csrf_failed".to_owned(),
                message: "Send the X-CSRF-Token header with a session, or use a bearer token."
                    .to_owned(),
                field: None,
                rows: None,
            },
        };
        (StatusCode::FORBIDDEN, Json(body)).into_response()
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError(AppError::invalid("body", message))
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status_of(&self.0);
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.0.code().to_owned(),
                message: public_message(&self.0),
                field: match &self.0 {
                    AppError::Invalid(i) => Some(i.field.to_owned()),
                    _ => None,
                },
                rows: match &self.0 {
                    AppError::ImportRejected(rows) => Some(
                        rows.iter()
                            .map(|r| RowErrorBody {
                                line: r.line,
                                reason: r.reason.clone(),
                            })
                            .collect(),
                    ),
                    _ => None,
                },
            },
        };
        let mut response = (status, Json(body)).into_response();
        retry_after(&self.0, &mut response);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::back_link;

    #[test]
    fn back_goes_to_the_referring_page_of_this_site_or_one_level_up() {
        let host = Some("lore.test");
        assert_eq!(
            back_link(
                "/courses/7/learn/9",
                Some("http://lore.test/courses/7"),
                host
            )
            .as_deref(),
            Some("/courses/7")
        );
        // Another site, the failing page itself, or no referer: one level up.
        for referer in [
            Some("https://evil.test/x"),
            Some("http://lore.test/courses/7/learn/9"),
            Some("http://lore.test//evil.test"),
            None,
        ] {
            assert_eq!(
                back_link("/courses/7/learn/9", referer, host).as_deref(),
                Some("/courses/7/learn"),
                "{referer:?}"
            );
        }
        assert_eq!(back_link("/nowhere", None, host), None);
        assert_eq!(back_link("/", None, host), None);
    }
}
