//! Who writes a course and who may see it (docs/decisions/0051): the editor's people
//! section — co-authors added and removed by email, the groups the course is offered to —
//! through the use cases its form calls (`add_coauthor`, `remove_coauthor`,
//! `set_audiences`) and `course_people` to read them. The right to edit the course is asked
//! before a body is read.

use axum::Json;
use axum::extract::{FromRequest, Request, State};
use lore_app::courses::people::{AudienceGroup, CoursePeople, CoursePerson};
use lore_domain::policy::Action;
use serde::{Deserialize, Serialize};

use super::ApiResult;
use super::extract::{ApiJson, ApiPath};
use super::request_rules::{EMAIL, Rule};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// The most groups a course is offered to in one call.
const MAX_AUDIENCES: usize = 500;

/// What these operations' bodies must satisfy (added to the document by `request_rules`).
pub(crate) fn rules() -> Vec<(&'static str, &'static str, Rule)> {
    let email = || Rule::Pattern {
        pattern: EMAIL,
        max: 254,
    };
    vec![
        ("NewCoauthor", "email", email()),
        ("NewOwner", "email", email()),
    ]
}

/// A person who writes the course.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TeamMember {
    pub id: i64,
    pub name: String,
    pub email: String,
}

impl From<CoursePerson> for TeamMember {
    fn from(p: CoursePerson) -> Self {
        Self {
            id: p.id,
            name: p.name,
            email: p.email,
        }
    }
}

/// The course's owner and co-authors.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CourseTeam {
    pub owner: TeamMember,
    /// By name.
    pub coauthors: Vec<TeamMember>,
}

/// A group, with its path.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AudienceLine {
    pub id: i64,
    /// `Acme/Sales`.
    pub path: String,
}

impl From<AudienceGroup> for AudienceLine {
    fn from(g: AudienceGroup) -> Self {
        Self {
            id: g.id,
            path: g.path,
        }
    }
}

/// Who may see and enrol in the course: its owning group (and the groups under it), and
/// the groups it is offered to besides (and the groups under them).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CourseAudience {
    pub owning_group: AudienceLine,
    /// By path.
    pub audiences: Vec<AudienceLine>,
}

fn team(p: CoursePeople) -> CourseTeam {
    CourseTeam {
        owner: p.owner.into(),
        coauthors: p.coauthors.into_iter().map(Into::into).collect(),
    }
}

fn audience(p: CoursePeople) -> CourseAudience {
    CourseAudience {
        owning_group: p.owning_group.into(),
        audiences: p.audiences.into_iter().map(Into::into).collect(),
    }
}

/// Someone to write the course with its owner.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "mei@acme.test"}))]
pub struct NewCoauthor {
    /// The address of an active account.
    pub email: String,
}

/// The groups the course is offered to besides its owning group.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"group_ids": [4, 7]}))]
pub struct AudienceBody {
    /// Group ids; an empty list offers the course to its owning group only. Repeats count
    /// once.
    #[schema(max_items = 500)]
    pub group_ids: Vec<i64>,
}

/// A co-author in the address.
#[derive(Debug, Deserialize)]
pub struct CoauthorPath {
    pub id: i64,
    pub user_id: i64,
}

async fn may_edit(state: &WebState, caller: &lore_app::Caller, id: i64) -> ApiResult<()> {
    state.app.course_for(caller, id, Action::EditCourse).await?;
    Ok(())
}

#[utoipa::path(
    get,
    path = "/courses/{id}/coauthors",
    operation_id = "list_coauthors",
    tag = "authoring",
    summary = "The course's owner and co-authors",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The team", body = CourseTeam),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn coauthors(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CourseTeam>> {
    Ok(Json(team(state.app.course_people(&caller, id).await?)))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/coauthors",
    operation_id = "add_coauthor",
    tag = "authoring",
    summary = "Add a co-author by email: they may edit and publish the course",
    description = "As the editor's people section. Adding someone who writes it already \
                   changes nothing.",
    params(("id" = i64, Path, description = "The course")),
    request_body = NewCoauthor,
    responses(
        (status = 200, description = "The team now", body = CourseTeam),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or no active account has the address", body = ErrorBody),
        (status = 413, description = "The body is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "A bad body or address", body = ErrorBody),
    )
)]
pub async fn add_coauthor(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<Json<CourseTeam>> {
    may_edit(&state, &caller, id).await?;
    let ApiJson(body) = ApiJson::<NewCoauthor>::from_request(request, &state).await?;
    state.app.add_coauthor(&caller, id, &body.email).await?;
    Ok(Json(team(state.app.course_people(&caller, id).await?)))
}

#[utoipa::path(
    delete,
    path = "/courses/{id}/coauthors/{user_id}",
    operation_id = "remove_coauthor",
    tag = "authoring",
    summary = "Remove a co-author",
    params(
        ("id" = i64, Path, description = "The course"),
        ("user_id" = i64, Path, description = "The co-author"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or the person is not a co-author of it", body = ErrorBody),
        (status = 422, description = "An id is not a number", body = ErrorBody),
    )
)]
pub async fn remove_coauthor(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<CoauthorPath>,
) -> ApiResult<axum::http::StatusCode> {
    state
        .app
        .remove_coauthor(&caller, path.id, path.user_id)
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/courses/{id}/audiences",
    operation_id = "get_course_audiences",
    tag = "authoring",
    summary = "Who may see and enrol in the course: its owning group and the groups it is offered to",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The audience", body = CourseAudience),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn audiences(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CourseAudience>> {
    Ok(Json(audience(state.app.course_people(&caller, id).await?)))
}

#[utoipa::path(
    put,
    path = "/courses/{id}/audiences",
    operation_id = "set_course_audiences",
    tag = "authoring",
    summary = "Offer the course to these groups besides its owning group",
    description = "As the editor's audience checkboxes: the list replaces the one before. \
                   People of those groups (and the groups under them) see the course in the \
                   catalogue and may enrol once it is published.",
    params(("id" = i64, Path, description = "The course")),
    request_body = AudienceBody,
    responses(
        (status = 200, description = "The audience now", body = CourseAudience),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not edit it", body = ErrorBody),
        (status = 404, description = "No such course, or a group that does not exist", body = ErrorBody),
        (status = 413, description = "The body is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "A bad body", body = ErrorBody),
    )
)]
pub async fn set_audiences(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<Json<CourseAudience>> {
    may_edit(&state, &caller, id).await?;
    let ApiJson(body) = ApiJson::<AudienceBody>::from_request(request, &state).await?;
    if body.group_ids.len() > MAX_AUDIENCES {
        return Err(lore_app::AppError::invalid(
            "group_ids",
            format!("Offer the course to at most {MAX_AUDIENCES} groups at once."),
        )
        .into());
    }
    state
        .app
        .set_audiences(&caller, id, &body.group_ids)
        .await?;
    Ok(Json(audience(state.app.course_people(&caller, id).await?)))
}

/// Whom to hand the course over to.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "mei@acme.test"}))]
pub struct NewOwner {
    /// The address of an active account.
    pub email: String,
}

#[utoipa::path(
    post,
    path = "/courses/{id}/transfer",
    operation_id = "transfer_course",
    tag = "authoring",
    summary = "Hand the course over to someone else; the former owner stays on as a co-author",
    description = "As the editor's hand-over in its people section.",
    params(("id" = i64, Path, description = "The course")),
    request_body = NewOwner,
    responses(
        (status = 200, description = "The team now", body = CourseTeam),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not hand it over", body = ErrorBody),
        (status = 404, description = "No such course, or no active account has the address", body = ErrorBody),
        (status = 413, description = "The body is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "A bad body or address", body = ErrorBody),
    )
)]
pub async fn transfer(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<Json<CourseTeam>> {
    state
        .app
        .course_for(&caller, id, Action::TransferCourse)
        .await?;
    let ApiJson(body) = ApiJson::<NewOwner>::from_request(request, &state).await?;
    state.app.transfer_course(&caller, id, &body.email).await?;
    // The former owner may no longer be allowed to read the team (a co-author may).
    Ok(Json(team(state.app.course_people(&caller, id).await?)))
}
