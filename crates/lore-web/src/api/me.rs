//! `GET /me`: who the caller is and which groups they belong to.

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use super::ApiResult;
use super::role::ApiRole;
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// The caller and their direct memberships.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub platform_admin: bool,
    /// Groups the caller belongs to directly, by path.
    pub groups: Vec<MyGroup>,
}

/// One of the caller's memberships.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyGroup {
    /// The group's id.
    pub id: i64,
    /// Names from the root down, joined with `/`: `Acme/Engineering`.
    pub path: String,
    pub role: ApiRole,
}

#[utoipa::path(
    get,
    path = "/me",
    operation_id = "get_me",
    tag = "me",
    summary = "The caller and their groups",
    responses(
        (status = 200, description = "The caller", body = Me),
        (status = 401, description = "No valid token or session", body = ErrorBody),
    )
)]
pub async fn me(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Me>> {
    let groups = state
        .app
        .my_groups(&caller)
        .await?
        .into_iter()
        .map(|g| MyGroup {
            id: g.id,
            path: g.path,
            role: g.role.into(),
        })
        .collect();
    Ok(Json(Me {
        id: caller.id.0,
        email: caller.email,
        name: caller.name,
        platform_admin: caller.platform_admin,
        groups,
    }))
}
