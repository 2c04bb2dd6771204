//! `/groups`: the organisation tree and its memberships.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use lore_domain::ids::UserId;
use lore_domain::role::Role;
use serde::{Deserialize, Serialize};

use super::ApiResult;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::role::{ApiRole, parse_role};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// A group as the caller sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Group {
    pub id: i64,
    /// The group above, or `null` at the top of the tree.
    #[schema(required = true)]
    pub parent_id: Option<i64>,
    pub name: String,
    /// Names from the root down, joined with `/`: `Acme/Engineering`.
    pub path: String,
    /// 0 for a top-level group.
    pub depth: u64,
    /// The caller's strongest role here, held in this group or one above it.
    #[schema(required = true)]
    pub my_role: Option<ApiRole>,
    /// May the caller rename, delete and manage this group?
    pub can_manage: bool,
}

impl From<lore_app::groups::GroupView> for Group {
    fn from(g: lore_app::groups::GroupView) -> Self {
        Group {
            id: g.id,
            parent_id: g.parent_id,
            name: g.name,
            path: g.path,
            depth: u64::try_from(g.depth).unwrap_or(u64::MAX),
            my_role: g.my_role.map(ApiRole::from),
            can_manage: g.can_manage,
        }
    }
}

/// A group to create.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGroup {
    /// 1 to 80 characters, no `/`.
    pub name: String,
    /// The group to create it under; leave out for a top-level group (platform administrators).
    pub parent_id: Option<i64>,
}

/// A group's new name.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupRename {
    /// 1 to 80 characters, no `/`.
    pub name: String,
}

/// A member of a group.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Member {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub active: bool,
    /// The role held in this group itself.
    pub role: ApiRole,
}

/// The role to give a person in a group.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberRole {
    #[schema(value_type = ApiRole)]
    pub role: String,
}

/// The two ids of a membership's address.
#[derive(Debug, Deserialize)]
pub struct MembershipPath {
    pub id: i64,
    pub user_id: i64,
}

#[utoipa::path(
    get,
    path = "/groups",
    operation_id = "list_groups",
    tag = "groups",
    summary = "Every group the caller may see, depth first",
    responses(
        (status = 200, description = "The groups", body = Vec<Group>),
        (status = 401, description = "No valid token or session", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<Group>>> {
    let groups = state.app.visible_groups(&caller).await?;
    Ok(Json(groups.into_iter().map(Group::from).collect()))
}

#[utoipa::path(
    post,
    path = "/groups",
    operation_id = "create_group",
    tag = "groups",
    summary = "Create a group",
    request_body = NewGroup,
    responses(
        (status = 201, description = "Created", body = Group),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not create a group there", body = ErrorBody),
        (status = 404, description = "No such parent group", body = ErrorBody),
        (status = 409, description = "`name_taken`: a group beside it has this name", body = ErrorBody),
        (status = 422, description = "The input is not valid", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewGroup>,
) -> ApiResult<(StatusCode, Json<Group>)> {
    let group = state
        .app
        .create_group(&caller, body.parent_id, &body.name)
        .await?;
    Ok((StatusCode::CREATED, Json(group.into())))
}

#[utoipa::path(
    get,
    path = "/groups/{id}",
    operation_id = "get_group",
    tag = "groups",
    summary = "One group",
    params(("id" = i64, Path, description = "The group's id")),
    responses(
        (status = 200, description = "The group", body = Group),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such group, or the caller may not see it", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Group>> {
    Ok(Json(state.app.group(&caller, id).await?.into()))
}

#[utoipa::path(
    patch,
    path = "/groups/{id}",
    operation_id = "rename_group",
    tag = "groups",
    summary = "Rename a group",
    params(("id" = i64, Path, description = "The group's id")),
    request_body = GroupRename,
    responses(
        (status = 200, description = "The renamed group", body = Group),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not manage this group", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
        (status = 409, description = "`name_taken`: a group beside it has this name", body = ErrorBody),
        (status = 422, description = "The input is not valid", body = ErrorBody),
    )
)]
pub async fn rename(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<GroupRename>,
) -> ApiResult<Json<Group>> {
    state.app.rename_group(&caller, id, &body.name).await?;
    Ok(Json(state.app.group(&caller, id).await?.into()))
}

#[utoipa::path(
    delete,
    path = "/groups/{id}",
    operation_id = "delete_group",
    tag = "groups",
    summary = "Delete a group without subgroups, with its memberships",
    params(("id" = i64, Path, description = "The group's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not manage this group", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
        (status = 409, description = "The group has subgroups", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.delete_group(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/groups/{id}/members",
    operation_id = "list_members",
    tag = "groups",
    summary = "The direct members of a group, by name, a page at a time",
    params(
        ("id" = i64, Path, description = "The group's id"),
        MembersQuery,
    ),
    responses(
        (status = 200, description = "One page of the members", body = MembersPage),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not see this group's members", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn members(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<MembersQuery>,
) -> ApiResult<Json<MembersPage>> {
    let page = query.page.unwrap_or(1);
    if page == 0 {
        return Err(lore_app::AppError::invalid("page", "Pages are numbered from 1.").into());
    }
    let (rows, total) = state.app.members(&caller, id, page).await?;
    let members = rows
        .into_iter()
        .filter_map(|m| {
            // A role the domain no longer knows is left out, as the app does for people.
            let role = Role::parse(&m.role).ok()?;
            Some(Member {
                user_id: m.user_id,
                email: m.email,
                name: m.name,
                active: m.active,
                role: role.into(),
            })
        })
        .collect();
    Ok(Json(MembersPage {
        members,
        total,
        page,
        page_size: lore_app::groups::MEMBERS_PAGE_SIZE,
    }))
}

/// Which page of a group's members.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MembersQuery {
    /// The page to return, from 1 (the default).
    #[param(minimum = 1)]
    pub page: Option<u64>,
}

/// One page of a group's direct members, by name.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MembersPage {
    pub members: Vec<Member>,
    /// How many direct members the group has, on every page.
    pub total: u64,
    /// This page's number, from 1.
    pub page: u64,
    pub page_size: u64,
}

#[utoipa::path(
    put,
    path = "/groups/{id}/members/{user_id}",
    operation_id = "put_member",
    tag = "groups",
    summary = "Give a person a role in a group (replacing their role there)",
    params(
        ("id" = i64, Path, description = "The group's id"),
        ("user_id" = i64, Path, description = "The person's id"),
    ),
    request_body = MemberRole,
    responses(
        (status = 204, description = "The membership is set"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not manage this group's members", body = ErrorBody),
        (status = 404, description = "No such group or person", body = ErrorBody),
        (status = 422, description = "The input is not valid (e.g. an unknown role)", body = ErrorBody),
    )
)]
pub async fn put_member(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<MembershipPath>,
    ApiJson(body): ApiJson<MemberRole>,
) -> ApiResult<StatusCode> {
    let role = parse_role(&body.role)?;
    state
        .app
        .put_membership(&caller, path.id, UserId(path.user_id), role)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    delete,
    path = "/groups/{id}/members/{user_id}",
    operation_id = "remove_member",
    tag = "groups",
    summary = "Remove a person from a group",
    params(
        ("id" = i64, Path, description = "The group's id"),
        ("user_id" = i64, Path, description = "The person's id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not manage this group's members", body = ErrorBody),
        (status = 404, description = "No such group or membership", body = ErrorBody),
        (status = 422, description = "An id is not a number", body = ErrorBody),
    )
)]
pub async fn remove_member(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<MembershipPath>,
) -> ApiResult<StatusCode> {
    state
        .app
        .remove_membership(&caller, path.id, UserId(path.user_id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
