//! `/xapi/clients`: the clients of the learning record store (`/xapi/`), for platform
//! administrators. The secret is shown once, at creation.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use lore_app::lrs::XapiClient as Client;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ApiResult;
use super::extract::{ApiJson, ApiPath};
use super::platform_caller::{PlatformCaller, ViewInstance};
use crate::WebState;
use crate::error::ErrorBody;

/// A client as the admin sees it later: never the secret.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct XapiClient {
    pub id: i64,
    pub name: String,
    /// The HTTP Basic user name.
    pub key: String,
    /// `statements/read`, `statements/read/mine`, `statements/write`, `all`.
    pub scopes: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub last_used_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub revoked_at: Option<OffsetDateTime>,
}

impl From<Client> for XapiClient {
    fn from(c: Client) -> Self {
        XapiClient {
            id: c.id,
            name: c.name,
            key: c.key,
            scopes: c.scopes,
            created_at: c.created_at,
            last_used_at: c.last_used_at,
            revoked_at: c.revoked_at,
        }
    }
}

/// A client to make.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewXapiClient {
    /// 1 to 80 characters, like "Reporting tool".
    pub name: String,
    /// At least one of `statements/read`, `statements/read/mine`, `statements/write`, `all`.
    pub scopes: Vec<String>,
}

/// A client just made, with its secret.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedXapiClient {
    #[serde(flatten)]
    pub client: XapiClient,
    /// The HTTP Basic password. Shown this once; Lore keeps only a hash.
    pub secret: String,
}

#[utoipa::path(
    get,
    path = "/xapi/clients",
    operation_id = "list_xapi_clients",
    tag = "admin",
    summary = "The clients of the learning record store, revoked ones included",
    responses(
        (status = 200, description = "The clients", body = Vec<XapiClient>),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not a platform administrator", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ViewInstance>,
) -> ApiResult<Json<Vec<XapiClient>>> {
    let clients = state.app.xapi_clients(&caller).await?;
    Ok(Json(clients.into_iter().map(XapiClient::from).collect()))
}

#[utoipa::path(
    post,
    path = "/xapi/clients",
    operation_id = "create_xapi_client",
    tag = "admin",
    summary = "Make a client of the learning record store",
    request_body = NewXapiClient,
    responses(
        (status = 201, description = "Made; `secret` is shown only now", body = CreatedXapiClient),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not a platform administrator", body = ErrorBody),
        (status = 422, description = "The input is not valid", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ViewInstance>,
    ApiJson(body): ApiJson<NewXapiClient>,
) -> ApiResult<(StatusCode, Json<CreatedXapiClient>)> {
    let made = state
        .app
        .create_xapi_client(&caller, &body.name, &body.scopes)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedXapiClient {
            client: made.client.into(),
            secret: made.secret,
        }),
    ))
}

#[utoipa::path(
    delete,
    path = "/xapi/clients/{id}",
    operation_id = "revoke_xapi_client",
    tag = "admin",
    summary = "Revoke a client: its credentials stop working at once",
    params(("id" = i64, Path, description = "The client's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not a platform administrator", body = ErrorBody),
        (status = 404, description = "No such live client", body = ErrorBody),
    )
)]
pub async fn revoke(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ViewInstance>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.revoke_xapi_client(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
