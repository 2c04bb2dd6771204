//! Learning paths: the list, a new path, a path with the viewer's progress, the coach's
//! editor of the draft, and the versions with their change lists.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use lore_app::AppError;
use lore_app::courses::catalogue::CatalogueQuery;
use lore_app::paths::{ItemView, PathDetails, PathEdit, PathSummary, PathVersionView, PathView};
use lore_domain::path::{ItemRef, PathItem, PathOrder};
use serde::Deserialize;

use super::{NoticeQuery, done, parse_id};
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

#[derive(Template, WebTemplate)]
#[template(path = "paths.html")]
pub struct PathsPage {
    layout: Layout,
    paths: Vec<PathSummary>,
    /// Groups where the viewer may create a path: (id, path).
    groups: Vec<(i64, String)>,
    error: Option<String>,
    title: String,
}

pub async fn index(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<PathsPage, PageError> {
    list_page(&state, &viewer, q.notice.as_deref(), None, String::new()).await
}

async fn list_page(
    state: &WebState,
    viewer: &Viewer,
    notice: Option<&str>,
    error: Option<String>,
    title: String,
) -> Result<PathsPage, PageError> {
    let caller = viewer.caller();
    Ok(PathsPage {
        layout: Layout::for_session(&viewer.0, "paths").with_notice(notice),
        paths: state.app.paths(caller).await?,
        groups: state.app.coached_groups(caller).await?,
        error,
        title,
    })
}

pub async fn new_page(
    State(state): State<WebState>,
    viewer: Viewer,
) -> Result<PathsPage, PageError> {
    list_page(&state, &viewer, None, None, String::new()).await
}

#[derive(Deserialize)]
pub struct NewForm {
    title: String,
    #[serde(default)]
    description: String,
    group_id: i64,
    order: String,
}

pub async fn create(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(f): Form<NewForm>,
) -> Result<Response, PageError> {
    let result = async {
        let details = PathDetails {
            title: f.title.clone(),
            description: f.description,
            order: PathOrder::parse(&f.order)?,
        };
        state
            .app
            .create_path(viewer.caller(), f.group_id, details)
            .await
    }
    .await;
    match result {
        Ok(p) => Ok(done(&format!("/paths/{}/edit", p.id), "path-created")),
        Err(AppError::Invalid(i)) => {
            let page = list_page(&state, &viewer, None, Some(i.message), f.title).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "path.html")]
pub struct PathPage {
    layout: Layout,
    view: PathView,
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<PathPage, PageError> {
    let id = parse_id(&id)?;
    Ok(PathPage {
        layout: Layout::for_session(&viewer.0, "paths").with_notice(q.notice.as_deref()),
        view: state.app.path_view(viewer.caller(), id).await?,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "path_edit.html")]
pub struct EditPage {
    layout: Layout,
    ctx: lore_app::paths::PathContext,
    items: Vec<ItemView>,
    /// What can be added: (key, title).
    choices: Vec<(String, String)>,
    error: Option<String>,
}

async fn edit_page(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    notice: Option<&str>,
    error: Option<String>,
) -> Result<EditPage, PageError> {
    let caller = viewer.caller();
    let (ctx, items) = state.app.path_draft(caller, id).await?;
    let courses = state
        .app
        .catalogue(caller, &CatalogueQuery::default(), 1, 100)
        .await?
        .entries;
    let mut choices: Vec<(String, String)> = courses
        .into_iter()
        .map(|c| (ItemRef::course(c.course_id).key(), c.title))
        .collect();
    choices.extend(
        state
            .app
            .paths(caller)
            .await?
            .into_iter()
            .filter(|p| p.id != id)
            .map(|p| (ItemRef::path(p.id).key(), format!("Path: {}", p.title))),
    );
    choices.retain(|(k, _)| !items.iter().any(|i| i.item.item.key() == *k));
    Ok(EditPage {
        layout: Layout::for_session(&viewer.0, "paths").with_notice(notice),
        ctx,
        items,
        choices,
        error,
    })
}

pub async fn edit(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<EditPage, PageError> {
    let id = parse_id(&id)?;
    edit_page(&state, &viewer, id, q.notice.as_deref(), None).await
}

/// Every form of the editor, told apart by `action`.
#[derive(Deserialize)]
pub struct EditForm {
    action: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    order: String,
    /// The item acted on (`course:12`).
    #[serde(default)]
    item: String,
    #[serde(default)]
    mandatory: Option<String>,
    #[serde(default)]
    after: Vec<String>,
}

fn edit_of(f: &EditForm) -> Result<PathEdit, AppError> {
    let item = || ItemRef::parse(&f.item).map_err(AppError::from);
    let after = || {
        f.after
            .iter()
            .filter(|a| !a.is_empty())
            .map(|a| ItemRef::parse(a).map_err(AppError::from))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(match f.action.as_str() {
        "details" => PathEdit::Details(PathDetails {
            title: f.title.clone(),
            description: f.description.clone(),
            order: PathOrder::parse(&f.order)?,
        }),
        "add" => PathEdit::Add(PathItem {
            item: item()?,
            mandatory: f.mandatory.is_some(),
            final_evaluation: false,
            after: after()?,
        }),
        "remove" => PathEdit::Remove(item()?),
        "mandatory" => PathEdit::SetMandatory(item()?, true),
        "optional" => PathEdit::SetMandatory(item()?, false),
        "final" => PathEdit::SetFinal(item()?, true),
        "not-final" => PathEdit::SetFinal(item()?, false),
        "up" => PathEdit::MoveUp(item()?),
        "after" => PathEdit::SetAfter(item()?, after()?),
        _ => return Err(AppError::invalid("action", "Unknown change.")),
    })
}

pub async fn save(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<EditForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = async {
        let edit = edit_of(&f)?;
        state.app.edit_path(viewer.caller(), id, edit).await
    }
    .await;
    match result {
        Ok(()) => Ok(done(&format!("/paths/{id}/edit"), "draft-saved")),
        Err(AppError::Invalid(i)) => {
            let page = edit_page(&state, &viewer, id, None, Some(i.message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn publish(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    match state.app.publish_path(viewer.caller(), id).await {
        Ok(_) => Ok(done(&format!("/paths/{id}"), "path-published")),
        Err(AppError::Invalid(i)) => {
            let page = edit_page(&state, &viewer, id, None, Some(i.message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(AppError::Refused {
            code: "empty_path",
            message,
        }) => {
            let page = edit_page(&state, &viewer, id, None, Some(message)).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

pub struct VersionLine {
    pub v: PathVersionView,
    pub when: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "path_versions.html")]
pub struct VersionsPage {
    layout: Layout,
    ctx: lore_app::paths::PathContext,
    versions: Vec<VersionLine>,
}

pub async fn versions(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<VersionsPage, PageError> {
    let id = parse_id(&id)?;
    let (ctx, versions) = state.app.path_versions(viewer.caller(), id).await?;
    Ok(VersionsPage {
        layout: Layout::for_session(&viewer.0, "paths"),
        ctx,
        versions: versions
            .into_iter()
            .map(|v| VersionLine {
                when: viewer.when(v.published_at),
                v,
            })
            .collect(),
    })
}
