//! `/admin/xapi`: the clients of the learning record store. A platform administrator makes
//! one (name and scopes) and sees its key and secret once, lists them and revokes them.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use lore_app::AppError;
use lore_app::lrs::{NewXapiClient, XapiClient};
use serde::Deserialize;

use super::{NoticeQuery, done, parse_id};
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

pub struct ClientLine {
    id: i64,
    name: String,
    key: String,
    scopes: String,
    created: String,
    last_used: String,
    revoked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_xapi.html")]
pub struct XapiPage {
    layout: Layout,
    clients: Vec<ClientLine>,
    /// Key and secret of the client just made, shown this once.
    made: Option<(String, String)>,
    error: Option<String>,
    endpoint: String,
    /// (scope word, label)
    scopes: [(&'static str, &'static str); 4],
}

const SCOPES: [(&str, &str); 4] = [
    ("statements/read", "Read all statements"),
    ("statements/read/mine", "Read the statements it wrote"),
    ("statements/write", "Write statements and documents"),
    ("all", "Everything"),
];

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<XapiPage, PageError> {
    render(&state, &viewer, None, None, q.notice.as_deref()).await
}

async fn render(
    state: &WebState,
    viewer: &Viewer,
    made: Option<NewXapiClient>,
    error: Option<String>,
    notice: Option<&str>,
) -> Result<XapiPage, PageError> {
    let clients = state
        .app
        .xapi_clients(viewer.caller())
        .await?
        .into_iter()
        .map(|c: XapiClient| ClientLine {
            id: c.id,
            name: c.name,
            key: c.key,
            scopes: c.scopes.join(", "),
            created: viewer.when(c.created_at),
            last_used: c
                .last_used_at
                .map_or_else(|| "never".to_owned(), |t| viewer.when(t)),
            revoked: c.revoked_at.is_some(),
        })
        .collect();
    Ok(XapiPage {
        layout: Layout::for_session(&viewer.0, "admin").with_notice(notice),
        clients,
        made: made.map(|m| (m.client.key, m.secret)),
        error,
        endpoint: format!("{}/xapi/", state.options.public_url),
        scopes: SCOPES,
    })
}

#[derive(Deserialize)]
pub struct ClientForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scopes: Vec<String>,
}

pub async fn create(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(form): Form<ClientForm>,
) -> Result<Response, PageError> {
    match state
        .app
        .create_xapi_client(viewer.caller(), &form.name, &form.scopes)
        .await
    {
        // Shown on this response only; reloading will not show the secret again.
        Ok(made) => Ok((
            [(header::CACHE_CONTROL, "no-store")],
            render(&state, &viewer, Some(made), None, None).await?,
        )
            .into_response()),
        Err(AppError::Invalid(i)) => {
            let page = render(&state, &viewer, None, Some(i.message), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn revoke(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    state
        .app
        .revoke_xapi_client(viewer.caller(), parse_id(&id)?)
        .await?;
    Ok(done("/admin/xapi", "xapi-client-revoked"))
}
