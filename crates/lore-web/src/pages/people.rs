//! People pages: the directory, a person's page, invitations, deactivation and reset links.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lore_app::AppError;
use lore_app::groups::GroupView;
use lore_app::people::{Invitation, PAGE_SIZE, Person, PersonMembership};
use lore_domain::policy::{Action, Resource};
use lore_domain::role::Role;
use serde::Deserialize;

use super::{done, parse_id};
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::{Viewer, urlencode};

#[derive(Template, WebTemplate)]
#[template(path = "people.html")]
pub struct PeoplePage {
    layout: Layout,
    people: Vec<Person>,
    query: String,
    total: u64,
    pager: super::Pager,
}

#[derive(Deserialize)]
pub struct DirectoryQuery {
    q: Option<String>,
    /// Anything but a page number shows the first page.
    page: Option<String>,
    notice: Option<String>,
}

pub async fn index(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<DirectoryQuery>,
) -> Result<PeoplePage, PageError> {
    let query = q.q.unwrap_or_default();
    let page = super::page_number(q.page.as_deref());
    let (people, total) = state
        .app
        .people(viewer.caller(), Some(&query), page - 1)
        .await?;
    let pager = super::Pager::new(
        &format!("/people?q={}", urlencode(&query)),
        page,
        total,
        PAGE_SIZE,
    );
    Ok(PeoplePage {
        layout: Layout::for_session(&viewer.0, "people").with_notice(q.notice.as_deref()),
        people,

        query,
        total,
        pager,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "person.html")]
pub struct PersonPage {
    layout: Layout,
    person: Person,
    memberships: Vec<PersonMembership>,
    can_manage: bool,
    joined: String,
    link: Option<String>,
}

async fn render_person(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    notice: Option<&str>,
    link: Option<String>,
) -> Result<PersonPage, PageError> {
    let caller = viewer.caller();
    let (person, memberships) = state.app.person(caller, id).await?;
    Ok(PersonPage {
        layout: Layout::for_session(&viewer.0, "people").with_notice(notice),
        can_manage: state.app.can_manage_person(caller, id).await?,
        joined: viewer.when(person.created_at),
        person,
        memberships,
        link,
    })
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<super::NoticeQuery>,
) -> Result<PersonPage, PageError> {
    render_person(&state, &viewer, parse_id(&id)?, q.notice.as_deref(), None).await
}

pub async fn deactivate(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    state.app.deactivate(viewer.caller(), id).await?;
    Ok(done(&format!("/people/{id}"), "deactivated"))
}

pub async fn reactivate(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    state.app.reactivate(viewer.caller(), id).await?;
    Ok(done(&format!("/people/{id}"), "reactivated"))
}

pub async fn reset_link(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let link = state.app.reset_link(viewer.caller(), id).await?;
    let url = format!("{}/welcome/{}", state.options.public_url, link.token);
    let page = render_person(&state, &viewer, id, None, Some(url)).await?;
    Ok(([(axum::http::header::CACHE_CONTROL, "no-store")], page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "invite.html")]
pub struct InvitePage {
    layout: Layout,
    groups: Vec<GroupView>,
    roles: [Role; 4],
    /// 0 when none is chosen.
    selected_group: i64,
    selected_role: Role,
    email: String,
    name: String,
    error: Option<String>,
    error_field: String,
    link: Option<String>,
    invited: String,
    platform_admin: bool,
}

async fn invite_groups(state: &WebState, viewer: &Viewer) -> Result<Vec<GroupView>, PageError> {
    let groups: Vec<GroupView> = state
        .app
        .visible_groups(viewer.caller())
        .await?
        .into_iter()
        .filter(|g| g.can_manage)
        .collect();
    if groups.is_empty() && !viewer.caller().can(Action::ListPeople, Resource::Platform) {
        return Err(PageError(AppError::Forbidden));
    }
    Ok(groups)
}

#[derive(Deserialize)]
pub struct InviteQuery {
    group: Option<i64>,
}

pub async fn invite_page(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<InviteQuery>,
) -> Result<InvitePage, PageError> {
    Ok(InvitePage {
        layout: Layout::for_session(&viewer.0, "people"),
        groups: invite_groups(&state, &viewer).await?,
        roles: Role::ALL,
        selected_group: q.group.unwrap_or(0),
        selected_role: Role::Learner,
        email: String::new(),
        name: String::new(),
        error: None,
        error_field: String::new(),
        link: None,
        invited: String::new(),
        platform_admin: viewer.caller().platform_admin,
    })
}

#[derive(Deserialize)]
pub struct InviteForm {
    email: String,
    name: String,
    group_id: Option<String>,
    role: String,
}

pub async fn invite(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(form): Form<InviteForm>,
) -> Result<Response, PageError> {
    let groups = invite_groups(&state, &viewer).await?;
    let group_id = form
        .group_id
        .as_deref()
        .filter(|g| !g.is_empty())
        .and_then(|g| g.parse().ok());
    let role = Role::parse(&form.role).unwrap_or(Role::Learner);
    let mut page = InvitePage {
        layout: Layout::for_session(&viewer.0, "people"),
        groups,
        roles: Role::ALL,
        selected_group: group_id.unwrap_or(0),
        selected_role: role,
        email: form.email.clone(),
        name: form.name.clone(),
        error: None,
        error_field: String::new(),
        link: None,
        invited: String::new(),
        platform_admin: viewer.caller().platform_admin,
    };
    let invitation = Invitation {
        email: &form.email,
        name: &form.name,
        group_id,
        role,
    };
    match state.app.invite(viewer.caller(), invitation).await {
        Ok(link) => {
            page.invited = form.name.trim().to_owned();
            page.link = Some(format!(
                "{}/welcome/{}",
                state.options.public_url, link.token
            ));
            page.email.clear();
            page.name.clear();
            Ok(([(axum::http::header::CACHE_CONTROL, "no-store")], page).into_response())
        }
        Err(AppError::Invalid(i)) => {
            page.error = Some(i.message);
            page.error_field = i.field.to_owned();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(AppError::Conflict(message)) => {
            page.error = Some(message);
            page.error_field = "email".to_owned();
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}
