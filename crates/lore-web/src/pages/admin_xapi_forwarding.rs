//! `/admin/xapi/forwarding`: forwarding every statement to another learning record store.
//! A platform administrator sets the address, Basic credentials and version (the secret is
//! kept, shown only as "set"), sees how sending goes, and replays the dead letters.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use lore_app::AppError;
use lore_app::xapi_forwarding::{DeadLetter, Forwarding, ForwardingChange};
use lore_domain::xapi_forwarding::VERSIONS;
use serde::Deserialize;

use super::{Pager, done, page_number, parse_id};
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

const PATH: &str = "/admin/xapi/forwarding";

pub struct LetterLine {
    id: i64,
    statements: String,
    count: usize,
    seqs: String,
    status: String,
    error: String,
    attempts: i32,
    created: String,
    last_attempt: String,
    replay_requested: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_xapi_forwarding.html")]
pub struct ForwardingPage {
    layout: Layout,
    f: Forwarding,
    /// What was typed, shown again after a refusal (never the secret).
    endpoint: String,
    key: String,
    version: String,
    enabled: bool,
    versions: [&'static str; 2],
    error: Option<(String, String)>,
    last_delivered: String,
    next_attempt: String,
    letters: Vec<LetterLine>,
    pager: Pager,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    notice: Option<String>,
    page: Option<String>,
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<PageQuery>,
) -> Result<ForwardingPage, PageError> {
    let page = page_number(q.page.as_deref());
    render(&state, &viewer, None, None, q.notice.as_deref(), page).await
}

async fn render(
    state: &WebState,
    viewer: &Viewer,
    typed: Option<&SettingsForm>,
    error: Option<(String, String)>,
    notice: Option<&str>,
    page: u64,
) -> Result<ForwardingPage, PageError> {
    let f = state.app.xapi_forwarding(viewer.caller()).await?;
    let letters = state.app.xapi_dead_letters(viewer.caller(), page).await?;
    let pager = Pager::new(PATH, letters.page, letters.total, letters.per_page)
        .landing_at("#dead-heading", "Pages of dead letters");
    let lines = letters
        .letters
        .into_iter()
        .map(|d: DeadLetter| LetterLine {
            id: d.id,
            count: d.statement_ids.len(),
            statements: d.statement_ids.join(", "),
            seqs: if d.first_seq == d.last_seq {
                d.first_seq.to_string()
            } else {
                format!("{}–{}", d.first_seq, d.last_seq)
            },
            status: d
                .status_code
                .map_or_else(|| "no answer".to_owned(), |c| format!("HTTP {c}")),
            error: d.error,
            attempts: d.attempts,
            created: viewer.when(d.created_at),
            last_attempt: viewer.when(d.last_attempt_at),
            replay_requested: d.replay_requested,
        })
        .collect();
    Ok(ForwardingPage {
        layout: Layout::for_session(&viewer.0, "admin").with_notice(notice),
        endpoint: typed.map_or_else(|| f.endpoint.clone(), |t| t.endpoint.clone()),
        key: typed.map_or_else(|| f.key.clone(), |t| t.key.clone()),
        version: typed.map_or_else(|| f.version.clone(), |t| t.version.clone()),
        enabled: typed.map_or(f.enabled, |t| t.enabled.is_some()),
        versions: VERSIONS,
        error,
        last_delivered: f
            .last_delivered_at
            .map_or_else(|| "never".to_owned(), |t| viewer.when(t)),
        next_attempt: f
            .next_attempt_at
            .map(|t| viewer.when(t))
            .unwrap_or_default(),
        f,
        letters: lines,
        pager,
    })
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    enabled: Option<String>,
    #[serde(default)]
    endpoint: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    secret: String,
    #[serde(default)]
    version: String,
}

pub async fn save(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(form): Form<SettingsForm>,
) -> Result<Response, PageError> {
    let change = ForwardingChange {
        enabled: form.enabled.is_some(),
        endpoint: &form.endpoint,
        key: &form.key,
        secret: Some(form.secret.as_str()),
        version: &form.version,
    };
    match state.app.set_xapi_forwarding(viewer.caller(), change).await {
        Ok(_) => Ok(done(PATH, "xapi-forwarding-saved")),
        Err(AppError::Invalid(i)) => {
            let error = Some((i.field.to_owned(), i.message));
            let page = render(&state, &viewer, Some(&form), error, None, 1).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn replay(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    state
        .app
        .replay_xapi_dead_letters(viewer.caller(), Some(parse_id(&id)?))
        .await?;
    Ok(done(PATH, "xapi-replay-queued"))
}

pub async fn replay_all(
    State(state): State<WebState>,
    viewer: Viewer,
) -> Result<Response, PageError> {
    state
        .app
        .replay_xapi_dead_letters(viewer.caller(), None)
        .await?;
    Ok(done(PATH, "xapi-replay-queued"))
}
