//! Group pages: the tree, one group with its subgroups and members, and their management.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lore_app::AppError;
use lore_app::MemberRow;
use lore_app::groups::GroupView;
use lore_domain::ids::UserId;
use lore_domain::policy::{Action, Resource};
use lore_domain::role::Role;
use serde::Deserialize;

use super::{NoticeQuery, done, parse_id};
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

#[derive(Template, WebTemplate)]
#[template(path = "groups.html")]
pub struct GroupsPage {
    layout: Layout,
    groups: Vec<GroupView>,
    can_create_root: bool,
    error: Option<String>,
}

async fn render_index(
    state: &WebState,
    viewer: &Viewer,
    notice: Option<&str>,
    error: Option<String>,
) -> Result<GroupsPage, PageError> {
    let caller = viewer.caller();
    Ok(GroupsPage {
        layout: Layout::for_session(&viewer.0, "groups").with_notice(notice),
        groups: state.app.visible_groups(caller).await?,
        can_create_root: caller.can(Action::CreateRootGroup, Resource::Platform),
        error,
    })
}

pub async fn index(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<GroupsPage, PageError> {
    render_index(&state, &viewer, q.notice.as_deref(), None).await
}

#[derive(Deserialize)]
pub struct CreateForm {
    name: String,
    parent_id: Option<String>,
}

pub async fn create(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(form): Form<CreateForm>,
) -> Result<Response, PageError> {
    let parent = match form
        .parent_id
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(p) => Some(parse_id(p)?),
        None => None,
    };
    match state
        .app
        .create_group(viewer.caller(), parent, &form.name)
        .await
    {
        Ok(g) => Ok(done(&format!("/groups/{}", g.id), "group-created")),
        Err(e) if form_refusal(&e).is_some() => match parent {
            Some(p) => {
                let page = render_group(
                    &state,
                    &viewer,
                    p,
                    None,
                    Errors {
                        subgroup: form_refusal(&e),
                        ..Errors::default()
                    },
                    1,
                )
                .await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
            }
            None => {
                let page = render_index(&state, &viewer, None, form_refusal(&e)).await?;
                Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
            }
        },
        Err(e) => Err(PageError(e)),
    }
}

/// What the form shows for a refusal of the name: bad input, or a name already used beside
/// it (a conflict in the API, decision 0037; on the page, a message by the field like any).
fn form_refusal(e: &AppError) -> Option<String> {
    match e {
        AppError::Invalid(i) => Some(i.message.clone()),
        AppError::Refused {
            code: "name_taken",
            message,
        } => Some(message.clone()),
        _ => None,
    }
}

#[derive(Default)]
pub struct Errors {
    subgroup: Option<String>,
    rename: Option<String>,
    member: Option<String>,
    delete: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "group.html")]
pub struct GroupPage {
    layout: Layout,
    group: GroupView,
    parent: Option<GroupView>,
    subgroups: Vec<GroupView>,
    members: Option<Vec<MemberRow>>,
    /// Direct members on all pages, and the links to their other pages.
    members_total: u64,
    pager: crate::pages::Pager,
    can_manage_members: bool,
    roles: [Role; 4],
    author_role: Role,
    review_rules: lore_app::courses::upkeep::GroupReviewRules,
    errors: Errors,
    /// The caller may open the group's dashboard.
    insights: bool,
}

async fn render_group(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    notice: Option<&str>,
    errors: Errors,
    members_page: u64,
) -> Result<GroupPage, PageError> {
    let caller = viewer.caller();
    let group = state.app.group(caller, id).await?;
    let all = state.app.visible_groups(caller).await?;
    let subgroups = all
        .iter()
        .filter(|g| g.parent_id == Some(id))
        .cloned()
        .collect();
    let parent = group
        .parent_id
        .and_then(|p| all.iter().find(|g| g.id == p).cloned());
    let members_page = members_page.max(1);
    let (members, members_total) = match state.app.members(caller, id, members_page).await {
        Ok((m, total)) => (Some(m), total),
        Err(AppError::Forbidden) => (None, 0),
        Err(e) => return Err(PageError(e)),
    };
    let insights = state
        .app
        .insight_groups(viewer.caller())
        .await?
        .iter()
        .any(|g| g.id == id);
    Ok(GroupPage {
        insights,
        layout: Layout::for_session(&viewer.0, "groups").with_notice(notice),
        can_manage_members: group.can_manage,
        group,
        parent,
        subgroups,
        members,
        members_total,
        pager: crate::pages::Pager::new(
            &format!("/groups/{id}"),
            members_page,
            members_total,
            lore_app::groups::MEMBERS_PAGE_SIZE,
        )
        .landing_at("#members-heading", "Pages of members"),
        roles: Role::ALL,
        author_role: state.app.authoring_role(id).await?,
        review_rules: state.app.group_review_rules(id).await?,
        errors,
    })
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<GroupQuery>,
) -> Result<GroupPage, PageError> {
    render_group(
        &state,
        &viewer,
        parse_id(&id)?,
        q.notice.as_deref(),
        Errors::default(),
        super::page_number(q.page.as_deref()),
    )
    .await
}

#[derive(Deserialize)]
pub struct GroupQuery {
    notice: Option<String>,
    /// The page of members; anything but a number shows the first.
    page: Option<String>,
}

#[derive(Deserialize)]
pub struct RenameForm {
    name: String,
}

pub async fn rename(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<RenameForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    match state
        .app
        .rename_group(viewer.caller(), id, &form.name)
        .await
    {
        Ok(()) => Ok(done(&format!("/groups/{id}"), "group-renamed")),
        Err(e) if form_refusal(&e).is_some() => {
            let page = render_group(
                &state,
                &viewer,
                id,
                None,
                Errors {
                    rename: form_refusal(&e),
                    ..Errors::default()
                },
                1,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn delete(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    match state.app.delete_group(viewer.caller(), id).await {
        Ok(()) => Ok(done("/groups", "group-deleted")),
        Err(AppError::Conflict(message)) => {
            let page = render_group(
                &state,
                &viewer,
                id,
                None,
                Errors {
                    delete: Some(message),
                    ..Errors::default()
                },
                1,
            )
            .await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Deserialize)]
pub struct AuthoringForm {
    role: String,
}

/// Who may write courses for the group: everyone in it, or authors and above.
pub async fn authoring(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<AuthoringForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let role = Role::parse(&form.role).map_err(|e| PageError(e.into()))?;
    state
        .app
        .set_authoring_role(viewer.caller(), id, role)
        .await?;
    Ok(done(&format!("/groups/{id}"), "group-settings-saved"))
}

#[derive(Deserialize)]
pub struct ReviewRulesForm {
    /// A checkbox: present when ticked.
    review_required: Option<String>,
    #[serde(default)]
    review_days: String,
}

/// Whether the group's courses need review before they go live, and their check interval.
pub async fn review_rules(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<ReviewRulesForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    state
        .app
        .set_group_review_rules(
            viewer.caller(),
            id,
            form.review_required.is_some(),
            &form.review_days,
        )
        .await?;
    Ok(done(&format!("/groups/{id}"), "review-rules-saved"))
}

#[derive(Deserialize)]
pub struct MemberForm {
    email: String,
    role: String,
}

pub async fn put_member(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<MemberForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let caller = viewer.caller();
    let result = async {
        let role = Role::parse(&form.role)?;
        let person = state.app.person_by_email(caller, &form.email).await?;
        state
            .app
            .put_membership(caller, id, UserId(person.id), role)
            .await
    }
    .await;
    match result {
        Ok(()) => Ok(done(&format!("/groups/{id}"), "member-saved")),
        Err(AppError::Invalid(i)) => {
            let page = render_group(
                &state,
                &viewer,
                id,
                None,
                Errors {
                    member: Some(i.message),
                    ..Errors::default()
                },
                1,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn remove_member(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, user_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    state
        .app
        .remove_membership(viewer.caller(), id, UserId(parse_id(&user_id)?))
        .await?;
    Ok(done(&format!("/groups/{id}"), "member-removed"))
}
