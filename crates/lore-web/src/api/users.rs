//! `/users`: the people directory, invitations, deactivation, password links and CSV import.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use lore_app::AppError;
use lore_app::people::Invitation;
use lore_domain::role::Role;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ApiResult;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::platform_caller::{ImportPeople, PlatformCaller};
use super::role::{ApiRole, parse_role};
use crate::WebState;
use crate::error::{ApiError, ErrorBody};
use crate::session::ApiCaller;

/// A person's account as the directory shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Person {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// False once deactivated: the person cannot sign in.
    pub active: bool,
    pub platform_admin: bool,
    /// False until the person has set a password from their invitation.
    pub has_password: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<lore_app::people::Person> for Person {
    fn from(p: lore_app::people::Person) -> Self {
        Person {
            id: p.id,
            email: p.email,
            name: p.name,
            active: p.active,
            platform_admin: p.platform_admin,
            has_password: p.has_password,
            created_at: p.created_at,
        }
    }
}

/// A person with the groups they belong to.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonDetail {
    #[serde(flatten)]
    pub person: Person,
    pub memberships: Vec<PersonMembership>,
}

/// One of a person's memberships.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonMembership {
    pub group_id: i64,
    /// Names from the root down, joined with `/`.
    pub group_path: String,
    pub role: ApiRole,
}

/// One page of the people directory, ordered by name.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PeoplePage {
    pub people: Vec<Person>,
    /// How many people match the query, on every page.
    pub total: u64,
    /// This page's number, from 1.
    pub page: u64,
    pub page_size: u64,
}

/// Filters for the people directory.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleQuery {
    /// Part of a name or an email address.
    pub q: Option<String>,
    /// The page to return, from 1 (the default).
    #[param(minimum = 1)]
    pub page: Option<u64>,
}

/// An invitation: the account exists at once, and the link lets the person choose a password.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    pub email: String,
    pub name: String,
    /// The group to add the person to. Without it, only platform administrators may invite.
    pub group_id: Option<i64>,
    /// The role in `group_id`; `learner` if left out. Needs `group_id`.
    #[schema(value_type = Option<ApiRole>)]
    pub role: Option<String>,
}

/// The invitation just made; send `invite_url` to the person.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IssuedInvitation {
    pub user_id: i64,
    /// A one-time link where the person sets their password.
    pub invite_url: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// A new one-time password link for a person.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PasswordLink {
    pub url: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// What an import did. It applies all rows or none.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportTotals {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub memberships_added: u64,
    pub memberships_changed: u64,
}

fn welcome_url(state: &WebState, token: &str) -> String {
    format!(
        "{}/welcome/{token}",
        state.options.public_url.trim_end_matches('/')
    )
}

#[utoipa::path(
    get,
    path = "/users",
    operation_id = "list_users",
    tag = "users",
    summary = "List people (platform administrators)",
    params(PeopleQuery),
    responses(
        (status = 200, description = "One page of people", body = PeoplePage),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Only platform administrators may list people", body = ErrorBody),
        (status = 422, description = "A query parameter is not valid", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(query): ApiQuery<PeopleQuery>,
) -> ApiResult<Json<PeoplePage>> {
    let page = query.page.unwrap_or(1);
    if page == 0 {
        return Err(ApiError(AppError::invalid(
            "page",
            "Pages are numbered from 1.",
        )));
    }
    let (people, total) = state
        .app
        .people(&caller, query.q.as_deref(), page - 1)
        .await?;
    Ok(Json(PeoplePage {
        people: people.into_iter().map(Person::from).collect(),
        total,
        page,
        page_size: lore_app::people::PAGE_SIZE,
    }))
}

#[utoipa::path(
    post,
    path = "/users",
    operation_id = "invite_user",
    tag = "users",
    summary = "Invite a person",
    request_body = NewInvitation,
    responses(
        (status = 201, description = "Invited; the account exists without a password", body = IssuedInvitation),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not add people to that group", body = ErrorBody),
        (status = 409, description = "The person already has an account", body = ErrorBody),
        (status = 422, description = "The input is not valid", body = ErrorBody),
    )
)]
pub async fn invite(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewInvitation>,
) -> ApiResult<(StatusCode, Json<IssuedInvitation>)> {
    let role = match (&body.role, body.group_id) {
        (Some(raw), Some(_)) => parse_role(raw)?,
        (Some(_), None) => {
            return Err(ApiError(AppError::invalid(
                "role",
                "A role needs a group_id to apply to.",
            )));
        }
        (None, _) => Role::Learner,
    };
    let link = state
        .app
        .invite(
            &caller,
            Invitation {
                email: &body.email,
                name: &body.name,
                group_id: body.group_id,
                role,
            },
        )
        .await?;
    let issued = IssuedInvitation {
        user_id: link.user_id,
        invite_url: welcome_url(&state, &link.token),
        expires_at: link.expires_at,
    };
    Ok((StatusCode::CREATED, Json(issued)))
}

#[utoipa::path(
    get,
    path = "/users/{id}",
    operation_id = "get_user",
    tag = "users",
    summary = "A person and their memberships",
    params(("id" = i64, Path, description = "The person's id")),
    responses(
        (status = 200, description = "The person", body = PersonDetail),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such person, or the caller may not see them", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PersonDetail>> {
    let (person, memberships) = state.app.person(&caller, id).await?;
    Ok(Json(PersonDetail {
        person: person.into(),
        memberships: memberships
            .into_iter()
            .map(|m| PersonMembership {
                group_id: m.group_id,
                group_path: m.group_path,
                role: m.role.into(),
            })
            .collect(),
    }))
}

#[utoipa::path(
    post,
    path = "/users/{id}/deactivate",
    operation_id = "deactivate_user",
    tag = "users",
    summary = "Deactivate a person: sign-in, sessions and tokens stop at once",
    params(("id" = i64, Path, description = "The person's id")),
    responses(
        (status = 204, description = "Deactivated"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not manage this person", body = ErrorBody),
        (status = 404, description = "No such person, or the caller may not see them", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn deactivate(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.deactivate(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/users/{id}/reactivate",
    operation_id = "reactivate_user",
    tag = "users",
    summary = "Reactivate a person",
    params(("id" = i64, Path, description = "The person's id")),
    responses(
        (status = 204, description = "Reactivated"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not manage this person", body = ErrorBody),
        (status = 404, description = "No such person, or the caller may not see them", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn reactivate(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.reactivate(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/users/{id}/reset-link",
    operation_id = "create_reset_link",
    tag = "users",
    summary = "A new one-time link for the person to set a password",
    description = "Earlier links of the same kind stop working; the current password keeps working until the link is used.",
    params(("id" = i64, Path, description = "The person's id")),
    responses(
        (status = 200, description = "The link", body = PasswordLink),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not manage this person", body = ErrorBody),
        (status = 404, description = "No such person, or the caller may not see them", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn reset_link(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<PasswordLink>> {
    let link = state.app.reset_link(&caller, id).await?;
    Ok(Json(PasswordLink {
        url: welcome_url(&state, &link.token),
        expires_at: link.expires_at,
    }))
}

#[utoipa::path(
    post,
    path = "/users/import",
    operation_id = "import_users",
    tag = "users",
    summary = "Import people from CSV (platform administrators)",
    description = "Columns: `email,name,groups,roles,manager_email`. Every row is checked first; \
                   if any row is bad nothing is imported and the answer lists every bad row.",
    request_body(content = String, content_type = "text/csv", description = "The CSV file"),
    responses(
        (status = 200, description = "Imported", body = ImportTotals),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Only platform administrators may import", body = ErrorBody),
        (status = 422, description = "`import_rejected` with `rows`, or `invalid_input` (wrong content type, file too large)", body = ErrorBody),
    )
)]
pub async fn import(
    State(state): State<WebState>,
    PlatformCaller(caller, _): PlatformCaller<ImportPeople>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<ImportTotals>> {
    require_csv(&headers)?;
    let data = read_csv_body(body)?;
    let totals = state.app.import_people(&caller, &data, &|_| {}).await?;
    Ok(Json(ImportTotals {
        created: totals.created,
        updated: totals.updated,
        unchanged: totals.unchanged,
        memberships_added: totals.memberships_added,
        memberships_changed: totals.memberships_changed,
    }))
}

/// A CSV file sent as the body: too large is 413, unreadable 422.
pub(super) fn read_csv_body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return ApiError(AppError::TooLarge(
                "The file is too large; split it.".to_owned(),
            ));
        }
        ApiError(AppError::invalid("file", "The file could not be read."))
    })
}

/// An import takes the file itself as the body, so the content type must say CSV.
pub(super) fn require_csv(headers: &HeaderMap) -> Result<(), ApiError> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::trim)
        .unwrap_or_default();
    if media_type.eq_ignore_ascii_case("text/csv") {
        Ok(())
    } else {
        Err(ApiError(AppError::invalid(
            "file",
            "Send the CSV file itself as the body, with the header Content-Type: text/csv.",
        )))
    }
}
