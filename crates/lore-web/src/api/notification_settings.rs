//! `GET/PUT /me/notification-settings`: how each kind of notification reaches the caller
//! by mail (instantly, in a daily digest, or never), and whether it shows in the app.

use axum::Json;
use axum::extract::State;
use lore_app::Caller;
use serde::{Deserialize, Serialize};

use super::ApiResult;
use super::extract::ApiJson;
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// The caller's mail choice for every kind of notification.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NotificationSettings {
    pub choices: Vec<MailChoice>,
}

/// How one kind of notification reaches the caller by mail.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MailChoice {
    /// `reaction`, `thread`, `suggested-edit`, `reply`, `mention`, `resolution` or
    /// `edit-decision`.
    pub kind: String,
    /// What the settings page calls the kind.
    pub label: String,
    /// `instant`, `digest` (one mail a day) or `never`.
    pub mode: String,
    /// Whether this kind shows in the app (the notification list and the unread count).
    pub in_app: bool,
}

/// Mail choices to change; kinds not listed keep theirs.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettingsChange {
    pub choices: Vec<MailChoiceChange>,
}

/// A new mail choice for one kind.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailChoiceChange {
    /// The kind of notification, as `GET` lists it.
    pub kind: String,
    /// `instant`, `digest` or `never`.
    pub mode: String,
    /// Whether this kind shows in the app; left out, it stays as it is.
    pub in_app: Option<bool>,
}

#[utoipa::path(
    get,
    path = "/me/notification-settings",
    operation_id = "get_notification_settings",
    tag = "me",
    summary = "How each kind of notification reaches the caller by mail",
    responses(
        (status = 200, description = "Every kind with the caller's choice", body = NotificationSettings),
        (status = 401, description = "No valid token or session", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<NotificationSettings>> {
    Ok(Json(settings_of(&state, &caller).await?))
}

#[utoipa::path(
    put,
    path = "/me/notification-settings",
    operation_id = "put_notification_settings",
    tag = "me",
    summary = "Change mail choices (all listed or none)",
    request_body = NotificationSettingsChange,
    responses(
        (status = 200, description = "The choices now in force, for every kind", body = NotificationSettings),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 422, description = "The body is not the expected JSON, or names an unknown kind or mode; nothing was changed", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NotificationSettingsChange>,
) -> ApiResult<Json<NotificationSettings>> {
    let choices: Vec<(String, String, Option<bool>)> = body
        .choices
        .into_iter()
        .map(|c| (c.kind, c.mode, c.in_app))
        .collect();
    state
        .app
        .set_notification_choices(&caller, &choices)
        .await?;
    Ok(Json(settings_of(&state, &caller).await?))
}

async fn settings_of(
    state: &WebState,
    caller: &Caller,
) -> Result<NotificationSettings, lore_app::AppError> {
    let choices = state
        .app
        .mail_choices(caller)
        .await?
        .into_iter()
        .map(|c| MailChoice {
            kind: c.kind.as_str().to_owned(),
            label: c.kind.label().to_owned(),
            mode: c.mode.as_str().to_owned(),
            in_app: c.in_app,
        })
        .collect();
    Ok(NotificationSettings { choices })
}
