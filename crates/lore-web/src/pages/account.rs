//! The account page: profile (name, photo, language, time zone), password, sessions
//! ("sign out everywhere"), notification choices (in the app and by mail), personal API
//! tokens.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lore_app::AppError;
use lore_app::profile::{LANGUAGES, PhotoUpload, ProfileChange, ProfileView, time_zones};
use lore_domain::notification::MailMode;
use serde::Deserialize;

use super::{NoticeQuery, done, parse_id};
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

pub struct SessionLine {
    id: i64,
    current: bool,
    device: String,
    ip: String,
    last_seen: String,
    created: String,
}

pub struct TokenLine {
    id: i64,
    name: String,
    prefix: String,
    created: String,
    last_used: String,
    revoked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    layout: Layout,
    email: String,
    profile: ProfileView,
    profile_error: Option<String>,
    time_zones: Vec<String>,
    languages: &'static [(&'static str, &'static str)],
    sessions: Vec<SessionLine>,
    tokens: Vec<TokenLine>,
    new_token: Option<String>,
    password_error: Option<String>,
    token_error: Option<String>,
    mail_choices: Vec<MailLine>,
    mail_modes: Vec<(&'static str, &'static str)>,
    mail_error: Option<String>,
    /// When the calendar feed was made, if the person has one ("" if not).
    calendar_since: String,
}

/// One kind of notification: how it reaches the person by mail, and whether it shows in
/// the app.
pub struct MailLine {
    kind: &'static str,
    label: &'static str,
    mode: &'static str,
    in_app: bool,
}

/// A short description of a browser from its user agent, for the session list.
fn device(user_agent: &str) -> String {
    let ua = user_agent;
    let browser = ["Edg/", "Firefox/", "Chrome/", "Safari/", "curl/"]
        .iter()
        .find(|b| ua.contains(*b))
        .map(|b| match *b {
            "Edg/" => "Edge",
            "Firefox/" => "Firefox",
            "Chrome/" => "Chrome",
            "Safari/" => "Safari",
            _ => "curl",
        });
    let os = ["Windows", "Mac OS", "Android", "iPhone", "Linux"]
        .iter()
        .find(|o| ua.contains(*o))
        .copied();
    match (browser, os) {
        (Some(b), Some(o)) => format!("{b} on {o}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(o)) => o.to_owned(),
        (None, None) if ua.is_empty() => "Unknown device".to_owned(),
        (None, None) => ua.chars().take(60).collect(),
    }
}

async fn render(
    state: &WebState,
    viewer: &Viewer,
    notice: Option<&str>,
    new_token: Option<String>,
    password_error: Option<String>,
    token_error: Option<String>,
) -> Result<AccountPage, PageError> {
    let caller = viewer.caller();
    let sessions = state
        .app
        .my_sessions(caller)
        .await?
        .into_iter()
        .map(|s| SessionLine {
            id: s.id,
            current: s.id == viewer.0.session_id,
            device: device(&s.user_agent),
            ip: s.ip,
            last_seen: viewer.when(s.last_seen_at),
            created: viewer.when(s.created_at),
        })
        .collect();
    let tokens = state
        .app
        .my_tokens(caller)
        .await?
        .into_iter()
        .map(|t| TokenLine {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created: viewer.when(t.created_at),
            last_used: t
                .last_used_at
                .map(|t| viewer.when(t))
                .unwrap_or_else(|| "never".to_owned()),
            revoked: t.revoked_at.is_some(),
        })
        .collect();
    Ok(AccountPage {
        layout: Layout::for_session(&viewer.0, "account").with_notice(notice),
        email: caller.email.clone(),
        profile: state.app.profile(caller).await?,
        profile_error: None,
        time_zones: time_zones(),
        languages: &LANGUAGES,
        sessions,
        tokens,
        new_token,
        password_error,
        token_error,
        mail_choices: state
            .app
            .mail_choices(caller)
            .await?
            .into_iter()
            .map(|c| MailLine {
                kind: c.kind.as_str(),
                label: c.kind.label(),
                mode: c.mode.as_str(),
                in_app: c.in_app,
            })
            .collect(),
        mail_modes: MailMode::ALL
            .into_iter()
            .map(|m| (m.as_str(), m.label()))
            .collect(),
        mail_error: None,
        calendar_since: state
            .app
            .calendar_since(caller)
            .await?
            .map(|t| viewer.when(t))
            .unwrap_or_default(),
    })
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<AccountPage, PageError> {
    render(&state, &viewer, q.notice.as_deref(), None, None, None).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
}

pub async fn change_password(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    match state
        .app
        .change_password(
            viewer.caller(),
            viewer.0.session_id,
            &form.current_password,
            &form.new_password,
        )
        .await
    {
        Ok(()) => Ok(done("/account", "password-changed")),
        Err(AppError::Invalid(i)) => {
            let page = render(&state, &viewer, None, None, Some(i.message), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn revoke_session(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    state.app.revoke_session(viewer.caller(), id).await?;
    if id == viewer.0.session_id {
        return Ok((
            crate::session::removal_cookie(&state),
            axum::response::Redirect::to("/sign-in"),
        )
            .into_response());
    }
    Ok(done("/account", "session-revoked"))
}

pub async fn revoke_others(
    State(state): State<WebState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    state
        .app
        .sign_out_elsewhere(viewer.caller(), viewer.0.session_id)
        .await?;
    Ok(done("/account", "signed-out-elsewhere"))
}

#[derive(Deserialize)]
pub struct TokenForm {
    name: String,
}

pub async fn create_token(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(form): Form<TokenForm>,
) -> Result<Response, PageError> {
    match state.app.create_token(viewer.caller(), &form.name).await {
        // Shown on this response only; the page says so, and reloading will not show it again.
        Ok((_, secret)) => Ok((
            [(axum::http::header::CACHE_CONTROL, "no-store")],
            render(&state, &viewer, None, Some(secret), None, None).await?,
        )
            .into_response()),
        Err(AppError::Invalid(i)) => {
            let page = render(&state, &viewer, None, None, None, Some(i.message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn revoke_token(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    state
        .app
        .revoke_token(viewer.caller(), parse_id(&id)?)
        .await?;
    Ok(done("/account", "token-revoked"))
}

/// The hidden field that says a form carries the "Show in Lore" checkboxes.
const IN_APP_MARKER: &str = "in_app_choices";

/// Save every notification choice of the form at once: a mail mode per kind (field named
/// after the kind) and a checkbox per kind shown in the app (`app-{kind}`; with the form's
/// marker field, a kind without it is hidden). An unknown kind or mode changes nothing.
pub async fn save_mail_choices(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shown: Vec<&str> = fields
        .iter()
        .filter_map(|(name, _)| name.strip_prefix("app-"))
        .collect();
    let choices: Vec<(String, String)> = fields
        .iter()
        .filter(|(name, _)| name != "_csrf" && name != IN_APP_MARKER && !name.starts_with("app-"))
        .cloned()
        .collect();
    // The page's form says it carries the checkboxes; a form without them (an older page,
    // a script) leaves what shows in the app as it was.
    let has_checkboxes = fields.iter().any(|(name, _)| name == IN_APP_MARKER);
    let with_app: Vec<(String, String, Option<bool>)> = choices
        .iter()
        .map(|(k, m)| {
            let in_app = has_checkboxes.then(|| shown.contains(&k.as_str()));
            (k.clone(), m.clone(), in_app)
        })
        .collect();
    match state
        .app
        .set_notification_choices(viewer.caller(), &with_app)
        .await
    {
        Ok(()) => Ok(done("/account", "mail-choices-saved")),
        Err(AppError::Invalid(i)) => {
            let mut page = render(&state, &viewer, None, None, None, None).await?;
            // Keep what was chosen where it makes sense, so nothing has to be picked again.
            for line in &mut page.mail_choices {
                if let Some(mode) = choices
                    .iter()
                    .find(|(kind, _)| kind == line.kind)
                    .and_then(|(_, m)| MailMode::parse(m).ok())
                {
                    line.mode = mode.as_str();
                }
            }
            page.mail_error = Some(i.message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

/// `POST /account/profile`, with room in the body for a photo.
pub fn profile_route() -> axum::routing::MethodRouter<WebState> {
    axum::routing::post(save_profile).layer(axum::extract::DefaultBodyLimit::max(
        super::blobs::BODY_LIMIT,
    ))
}

/// Save the profile from its form (multipart, for the photo): name, time zone, language,
/// a new photo or its removal. Anything refused changes nothing and the form keeps what was
/// typed.
pub async fn save_profile(
    State(state): State<WebState>,
    viewer: Viewer,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let unreadable = |_| {
        PageError(AppError::invalid(
            "photo",
            "The form could not be read; the upload may have been interrupted. Try again.",
        ))
    };
    let mut text: Vec<(String, String)> = Vec::new();
    let mut upload = None;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "photo" {
            let file_name = field.file_name().unwrap_or("").to_owned();
            let content_type = field.content_type().unwrap_or("").to_owned();
            let data = field.bytes().await.map_err(unreadable)?;
            if !data.is_empty() {
                upload = Some(PhotoUpload {
                    data,
                    content_type,
                    file_name,
                });
            }
        } else {
            text.push((name, field.text().await.map_err(unreadable)?));
        }
    }
    let get = |k: &str| text.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let change = ProfileChange {
        name: get("name"),
        time_zone: get("time_zone"),
        language: get("language"),
        photo: get("remove_photo").map(|_| ""),
        photo_upload: upload,
    };
    match state.app.update_profile(viewer.caller(), change).await {
        Ok(_) => Ok(done("/account", "profile-saved")),
        Err(AppError::Invalid(i)) => {
            let mut page = render(&state, &viewer, None, None, None, None).await?;
            if let Some(n) = get("name") {
                page.profile.name = n.to_owned();
            }
            if let Some(z) = get("time_zone") {
                page.profile.time_zone = z.to_owned();
            }
            if let Some(l) = get("language") {
                page.profile.language = l.to_owned();
            }
            page.profile_error = Some(i.message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}
