//! Webhook pages: the platform's webhooks (`/admin/webhooks`), a group's Slack and Teams
//! hooks (`/groups/{id}/chat-hooks`), and one hook with its settings and delivery log
//! (`/webhooks/{id}`), with their forms. The API twins are `api/webhooks.rs`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use lore_app::AppError;
use lore_app::webhooks::{Webhook, WebhookChange, WebhookInput};
use lore_domain::webhook::{CHAT_EVENT_TYPES, EVENT_TYPES, HookFormat};
use serde::Deserialize;

use super::{NoticeQuery, done, parse_id};
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

/// An event to choose, as a checkbox.
pub struct EventChoice {
    name: &'static str,
    label: &'static str,
    checked: bool,
}

fn choices(chat: bool, chosen: &[String]) -> Vec<EventChoice> {
    EVENT_TYPES
        .iter()
        .filter(|(name, _, _)| !chat || CHAT_EVENT_TYPES.contains(name))
        .map(|(name, _, label)| EventChoice {
            name,
            label,
            checked: chosen.iter().any(|c| c == name),
        })
        .collect()
}

/// A hook as a list row.
pub struct HookLine {
    id: i64,
    url: String,
    description: String,
    format: &'static str,
    events: String,
    enabled: bool,
}

impl From<Webhook> for HookLine {
    fn from(w: Webhook) -> Self {
        HookLine {
            id: w.id,
            format: format_label(w.format),
            events: w.events.join(", "),
            url: w.url,
            description: w.description,
            enabled: w.enabled,
        }
    }
}

fn format_label(f: HookFormat) -> &'static str {
    match f {
        HookFormat::Lore => "Signed JSON",
        HookFormat::Slack => "Slack",
        HookFormat::Teams => "Microsoft Teams",
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "webhooks.html")]
pub struct HooksPage {
    layout: Layout,
    /// Set for a group's chat hooks.
    group: Option<(i64, String)>,
    hooks: Vec<HookLine>,
    events: Vec<EventChoice>,
    action: String,
    url: String,
    description: String,
    format: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct HookForm {
    #[serde(default)]
    url: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    events: Vec<String>,
}

async fn render_list(
    state: &WebState,
    viewer: &Viewer,
    group_id: Option<i64>,
    form: HookForm,
    error: Option<String>,
    notice: Option<&str>,
) -> Result<HooksPage, PageError> {
    let caller = viewer.caller();
    let hooks = state.app.webhooks(caller, group_id).await?;
    let group = match group_id {
        Some(g) => Some((g, state.app.group(caller, g).await?.name)),
        None => None,
    };
    let (section, action) = match group_id {
        Some(g) => ("groups", format!("/groups/{g}/chat-hooks")),
        None => ("admin", "/admin/webhooks".to_owned()),
    };
    Ok(HooksPage {
        layout: Layout::for_session(&viewer.0, section).with_notice(notice),
        events: choices(group_id.is_some(), &form.events),
        group,
        hooks: hooks.into_iter().map(HookLine::from).collect(),
        action,
        url: form.url,
        description: form.description,
        format: form.format,
        error,
    })
}

pub async fn platform(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<HooksPage, PageError> {
    render_list(
        &state,
        &viewer,
        None,
        HookForm::default(),
        None,
        q.notice.as_deref(),
    )
    .await
}

pub async fn group(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<HooksPage, PageError> {
    let id = parse_id(&id)?;
    render_list(
        &state,
        &viewer,
        Some(id),
        HookForm::default(),
        None,
        q.notice.as_deref(),
    )
    .await
}

async fn create(
    state: WebState,
    viewer: Viewer,
    group_id: Option<i64>,
    form: HookForm,
) -> Result<Response, PageError> {
    let format = match group_id {
        None => Ok(HookFormat::Lore),
        Some(_) => HookFormat::parse(&form.format).map_err(AppError::from),
    };
    let input = WebhookInput {
        url: &form.url,
        description: &form.description,
        events: &form.events,
    };
    let created = match format {
        Ok(f) => {
            state
                .app
                .create_webhook(viewer.caller(), group_id, f, input)
                .await
        }
        Err(e) => Err(e),
    };
    match created {
        Ok((hook, secret)) => {
            let page = render_hook(&state, &viewer, hook.id, secret, None, None).await?;
            Ok((StatusCode::CREATED, page).into_response())
        }
        Err(AppError::Invalid(i)) => {
            let page = render_list(&state, &viewer, group_id, form, Some(i.message), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn create_platform(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(form): Form<HookForm>,
) -> Result<Response, PageError> {
    create(state, viewer, None, form).await
}

pub async fn create_group(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<HookForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    create(state, viewer, Some(id), form).await
}

/// An attempt as a log line.
pub struct AttemptLine {
    when: String,
    manual: bool,
    status_code: String,
    duration_ms: i64,
    excerpt: String,
    error: String,
}

/// A delivery as a log entry.
pub struct DeliveryLine {
    id: i64,
    public_id: String,
    event_type: String,
    status: &'static str,
    created: String,
    next_attempt: Option<String>,
    attempts: Vec<AttemptLine>,
}

#[derive(Template, WebTemplate)]
#[template(path = "webhook.html")]
pub struct HookPage {
    layout: Layout,
    hook: HookLine,
    signed: bool,
    back: String,
    events: Vec<EventChoice>,
    /// A secret just made: shown this once.
    secret: Option<String>,
    previous_until: Option<String>,
    deliveries: Vec<DeliveryLine>,
    error: Option<String>,
}

async fn render_hook(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    secret: Option<String>,
    error: Option<String>,
    notice: Option<&str>,
) -> Result<HookPage, PageError> {
    let caller = viewer.caller();
    let hook = state.app.webhook(caller, id).await?;
    let log = state.app.webhook_deliveries(caller, id).await?;
    let (section, back) = match hook.group_id {
        Some(g) => ("groups", format!("/groups/{g}/chat-hooks")),
        None => ("admin", "/admin/webhooks".to_owned()),
    };
    let deliveries = log
        .into_iter()
        .map(|l| DeliveryLine {
            id: l.delivery.id,
            public_id: l.delivery.public_id,
            event_type: l.delivery.event_type,
            status: l.status.as_str(),
            created: viewer.when(l.delivery.created_at),
            next_attempt: l
                .delivery
                .next_attempt_at
                .filter(|_| l.status.as_str() == "pending")
                .map(|t| viewer.when(t)),
            attempts: l
                .attempts
                .into_iter()
                .map(|a| AttemptLine {
                    when: viewer.when(a.attempted_at),
                    manual: a.manual,
                    status_code: a.status_code.map(|c| c.to_string()).unwrap_or_default(),
                    duration_ms: a.duration_ms,
                    excerpt: a.response_excerpt.unwrap_or_default(),
                    error: a.error.unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    Ok(HookPage {
        layout: Layout::for_session(&viewer.0, section).with_notice(notice),
        signed: hook.format == HookFormat::Lore,
        events: choices(hook.group_id.is_some(), &hook.events),
        previous_until: hook.previous_secret_until.map(|t| viewer.when(t)),
        hook: hook.into(),
        back,
        secret,
        deliveries,
        error,
    })
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<HookPage, PageError> {
    let id = parse_id(&id)?;
    render_hook(&state, &viewer, id, None, None, q.notice.as_deref()).await
}

pub async fn update(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<HookForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let change = WebhookChange {
        url: Some(&form.url),
        description: Some(&form.description),
        events: Some(&form.events),
        enabled: None,
    };
    match state.app.update_webhook(viewer.caller(), id, change).await {
        Ok(_) => Ok(done(&format!("/webhooks/{id}"), "webhook-saved")),
        Err(AppError::Invalid(i)) => {
            let page = render_hook(&state, &viewer, id, None, Some(i.message), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Deserialize)]
pub struct EnabledForm {
    enabled: String,
}

pub async fn set_enabled(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<EnabledForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let change = WebhookChange {
        enabled: Some(form.enabled == "true"),
        ..WebhookChange::default()
    };
    state
        .app
        .update_webhook(viewer.caller(), id, change)
        .await?;
    Ok(done(&format!("/webhooks/{id}"), "webhook-saved"))
}

pub async fn rotate(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<HookPage, PageError> {
    let id = parse_id(&id)?;
    let (_, secret) = state.app.rotate_webhook_secret(viewer.caller(), id).await?;
    render_hook(&state, &viewer, id, Some(secret), None, None).await
}

pub async fn delete(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let hook = state.app.delete_webhook(viewer.caller(), id).await?;
    let back = match hook.group_id {
        Some(g) => format!("/groups/{g}/chat-hooks"),
        None => "/admin/webhooks".to_owned(),
    };
    Ok(done(&back, "webhook-deleted"))
}

pub async fn redeliver(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, delivery)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let delivery = parse_id(&delivery)?;
    state.app.redeliver(viewer.caller(), id, delivery).await?;
    Ok(done(&format!("/webhooks/{id}"), "redelivery-queued"))
}
