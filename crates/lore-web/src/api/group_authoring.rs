//! Who may write courses for a group (the group page's "Course authoring" setting): everyone
//! in it, or people with at least a given role. The same use case as the group page.

use axum::Json;
use axum::extract::{FromRequest, Request, State};
use serde::{Deserialize, Serialize};

use super::ApiResult;
use super::extract::{ApiJson, ApiPath};
use super::role::{ApiRole, parse_role};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// The least role that may write courses owned by the group and the groups below it:
/// `learner` means everyone in the group.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuthoringRole {
    pub role: ApiRole,
}

/// The least role that may write courses for the group, to set.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAuthoringRole {
    #[schema(value_type = ApiRole)]
    pub role: String,
}

#[utoipa::path(
    get,
    path = "/groups/{id}/authoring",
    operation_id = "group_authoring_role",
    tag = "groups",
    summary = "Who may write courses for a group",
    description = "For anyone who sees the group. `learner`: everyone in it; `author`, \
                   `coach` or `admin`: people with at least that role there.",
    params(("id" = i64, Path, description = "The group")),
    responses(
        (status = 200, description = "The least role that may write its courses", body = AuthoringRole),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such group, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<AuthoringRole>> {
    state.app.group(&caller, id).await?;
    let role = state.app.authoring_role(id).await?;
    Ok(Json(AuthoringRole { role: role.into() }))
}

#[utoipa::path(
    put,
    path = "/groups/{id}/authoring",
    operation_id = "set_group_authoring_role",
    tag = "groups",
    summary = "Set who may write courses for a group",
    description = "For the group's administrators; recorded in the audit log when it \
                   changes. Courses already written keep their authors.",
    params(("id" = i64, Path, description = "The group")),
    request_body = NewAuthoringRole,
    responses(
        (status = 200, description = "Saved", body = AuthoringRole),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller does not administer the group", body = ErrorBody),
        (status = 404, description = "No such group, or not visible to the caller", body = ErrorBody),
        (status = 413, description = "The body is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "An unknown role, or a bad body", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<Json<AuthoringRole>> {
    if !state.app.group(&caller, id).await?.can_manage {
        return Err(lore_app::AppError::Forbidden.into());
    }
    let ApiJson(body) = ApiJson::<NewAuthoringRole>::from_request(request, &state).await?;
    let role = parse_role(&body.role)?;
    state.app.set_authoring_role(&caller, id, role).await?;
    Ok(Json(AuthoringRole { role: role.into() }))
}
