//! Signing in and out, "Forgot your password?", and setting a password from an invitation
//! or reset link.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use lore_app::AppError;
use serde::Deserialize;

use crate::client::client_of;
use crate::error::{PageError, public_message, status_of};
use crate::layout::Layout;
use crate::session::{MaybeViewer, removal_cookie, safe_next, session_cookie};
use crate::{WebState, csrf};

#[derive(Template, WebTemplate)]
#[template(path = "sign_in.html")]
pub struct SignInPage {
    layout: Layout,
    email: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn sign_in_page(
    State(state): State<WebState>,
    MaybeViewer(session): MaybeViewer,
    jar: CookieJar,
    Query(q): Query<NextQuery>,
) -> Response {
    let next = safe_next(q.next.as_deref());
    if session.is_some() {
        return Redirect::to(&next).into_response();
    }
    let (token, set_cookie) = csrf::anonymous_token(&jar, state.options.secure_cookies);
    let page = SignInPage {
        layout: Layout::anonymous(token),
        email: String::new(),
        next,
        error: None,
    };
    (set_cookie, page).into_response()
}

#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub async fn sign_in(
    State(state): State<WebState>,
    jar: CookieJar,
    parts: Parts,
    Form(form): Form<SignInForm>,
) -> Response {
    let client = client_of(&parts, &state.options);
    let next = safe_next(form.next.as_deref());
    match state
        .app
        .sign_in(&form.email, &form.password, &client)
        .await
    {
        Ok(issued) => (
            session_cookie(&state, issued.token, issued.expires_at),
            Redirect::to(&next),
        )
            .into_response(),
        Err(e @ AppError::Internal(_)) => PageError(e).into_response(),
        Err(e) => {
            let (token, set_cookie) = csrf::anonymous_token(&jar, state.options.secure_cookies);
            let response = (
                status_of(&e),
                set_cookie,
                SignInPage {
                    layout: Layout::anonymous(token),
                    email: form.email.chars().take(254).collect(),
                    next,
                    error: Some(public_message(&e)),
                },
            )
                .into_response();
            with_retry_after(response, &e)
        }
    }
}

pub async fn sign_out(
    State(state): State<WebState>,
    MaybeViewer(session): MaybeViewer,
) -> Result<Response, PageError> {
    if let Some(s) = session {
        state.app.sign_out(&s.caller, s.session_id).await?;
    }
    Ok((removal_cookie(&state), Redirect::to("/sign-in")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "welcome.html")]
pub struct WelcomePage {
    layout: Layout,
    name: String,
    email: String,
    purpose: String,
    error: Option<String>,
}

pub async fn welcome_page(
    State(state): State<WebState>,
    jar: CookieJar,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let info = state.app.link_info(&token).await?;
    let (csrf_token, set_cookie) = csrf::anonymous_token(&jar, state.options.secure_cookies);
    Ok((
        set_cookie,
        WelcomePage {
            layout: Layout::anonymous(csrf_token),
            name: info.name,
            email: info.email,
            purpose: info.purpose,
            error: None,
        },
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct WelcomeForm {
    password: String,
}

pub async fn welcome(
    State(state): State<WebState>,
    jar: CookieJar,
    Path(token): Path<String>,
    parts: Parts,
    Form(form): Form<WelcomeForm>,
) -> Result<Response, PageError> {
    let client = client_of(&parts, &state.options);
    match state.app.accept_link(&token, &form.password, &client).await {
        Ok(issued) => Ok((
            session_cookie(&state, issued.token, issued.expires_at),
            Redirect::to("/?notice=welcome"),
        )
            .into_response()),
        Err(AppError::Invalid(invalid)) => {
            let info = state.app.link_info(&token).await?;
            let (csrf_token, set_cookie) =
                csrf::anonymous_token(&jar, state.options.secure_cookies);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                set_cookie,
                WelcomePage {
                    layout: Layout::anonymous(csrf_token),
                    name: info.name,
                    email: info.email,
                    purpose: info.purpose,
                    error: Some(invalid.message),
                },
            )
                .into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "forgot_password.html")]
pub struct ForgotPage {
    layout: Layout,
    /// Without an SMTP server no link can be mailed: the page says to ask an administrator.
    mail_configured: bool,
    email: String,
    error: Option<String>,
}

pub async fn forgot_page(
    State(state): State<WebState>,
    MaybeViewer(session): MaybeViewer,
    jar: CookieJar,
    Query(q): Query<super::NoticeQuery>,
) -> Response {
    // Signed in, one changes one's password on the account page.
    if session.is_some() {
        return Redirect::to("/account").into_response();
    }
    let (token, set_cookie) = csrf::anonymous_token(&jar, state.options.secure_cookies);
    let page = ForgotPage {
        layout: Layout::anonymous(token).with_notice(q.notice.as_deref()),
        mail_configured: state.app.mail_configured(),
        email: String::new(),
        error: None,
    };
    (set_cookie, page).into_response()
}

#[derive(Deserialize)]
pub struct ForgotForm {
    email: String,
}

/// Ask for a reset link. The answer is the same whether or not the address has an account.
pub async fn forgot(
    State(state): State<WebState>,
    jar: CookieJar,
    parts: Parts,
    Form(form): Form<ForgotForm>,
) -> Response {
    let client = client_of(&parts, &state.options);
    match state.app.request_password_reset(&form.email, &client).await {
        Ok(()) => Redirect::to("/forgot-password?notice=reset-asked").into_response(),
        Err(e @ AppError::Internal(_)) => PageError(e).into_response(),
        Err(e) => {
            let (token, set_cookie) = csrf::anonymous_token(&jar, state.options.secure_cookies);
            let response = (
                status_of(&e),
                set_cookie,
                ForgotPage {
                    layout: Layout::anonymous(token),
                    mail_configured: state.app.mail_configured(),
                    email: form.email.chars().take(254).collect(),
                    error: Some(public_message(&e)),
                },
            )
                .into_response();
            with_retry_after(response, &e)
        }
    }
}

/// A refusal for too many attempts tells the client when to try again.
fn with_retry_after(mut response: Response, e: &AppError) -> Response {
    if let AppError::RateLimited { retry_after_secs } = e
        && let Ok(v) = retry_after_secs.to_string().parse()
    {
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, v);
    }
    response
}
