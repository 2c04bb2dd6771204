//! One learning need: its page as JSON (questions, record, experts, courses), asking for a
//! need and editing it.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use lore_app::needs::NeedView;
use lore_app::needs::asking::NeedInput;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::extract::{ApiJson, ApiPath};
use super::needs::NeedSummary;
use super::{ApiResult, BASE};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// Who asked for a need.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NeedAsker {
    pub id: i64,
    pub name: String,
}

/// One line of a need's record.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NeedEvent {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who did it; `null` when Lore did (e.g. a course was published).
    #[schema(required = true)]
    pub actor: Option<String>,
    /// `created`, `voted`, `unvoted`, `edited`, `status`, `volunteered`, `expert`, `course`,
    /// `answered`, `merged` or `merged-in`.
    pub kind: String,
    pub detail: String,
}

/// Someone who offered or was asked to answer a need.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NeedExpert {
    pub user_id: i64,
    pub name: String,
    /// `volunteer` or `assigned`.
    pub state: String,
    /// An assigned expert's draft course.
    #[schema(required = true)]
    pub course_id: Option<i64>,
}

/// A course linked to a need (only those the caller may see).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NeedCourse {
    pub course_id: i64,
    pub title: String,
    /// A published course answers the need; a draft is on its way.
    pub published: bool,
}

/// One need with its record, as the caller sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Need {
    #[serde(flatten)]
    pub summary: NeedSummary,
    /// The problem learning this would solve.
    pub problem: String,
    /// What a course should answer.
    pub questions: Vec<String>,
    pub asked_by: NeedAsker,
    /// Why it was declined.
    #[schema(required = true)]
    pub decline_reason: Option<String>,
    /// The need this one was merged into.
    #[schema(required = true)]
    pub merged_into: Option<i64>,
    pub followers: u64,
    pub i_voted: bool,
    pub i_follow: bool,
    /// May the caller change its status, merge it, assign experts and link courses?
    pub can_manage: bool,
    /// The statuses the caller may move it to (empty unless `can_manage`).
    pub next_statuses: Vec<String>,
    /// Its record, oldest first.
    pub events: Vec<NeedEvent>,
    pub experts: Vec<NeedExpert>,
    pub courses: Vec<NeedCourse>,
}

impl From<NeedView> for Need {
    fn from(v: NeedView) -> Self {
        Need {
            problem: v.problem,
            questions: v.questions,
            asked_by: NeedAsker {
                id: v.asked_by_id,
                name: v.asked_by,
            },
            decline_reason: v.decline_reason,
            merged_into: v.merged_into.map(|(id, _)| id),
            followers: v.followers,
            i_voted: v.i_voted,
            i_follow: v.i_follow,
            can_manage: v.can_manage,
            next_statuses: v
                .next_statuses
                .into_iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
            events: v
                .events
                .into_iter()
                .map(|e| NeedEvent {
                    at: e.at,
                    actor: e.actor,
                    kind: e.kind,
                    detail: e.detail,
                })
                .collect(),
            experts: v
                .experts
                .into_iter()
                .map(|e| NeedExpert {
                    user_id: e.user_id,
                    name: e.name,
                    state: e.state.to_string(),
                    course_id: e.course_id,
                })
                .collect(),
            courses: v
                .courses
                .into_iter()
                .map(|c| NeedCourse {
                    course_id: c.course_id,
                    title: c.title,
                    published: c.published,
                })
                .collect(),
            summary: v.summary.into(),
        }
    }
}

/// The need as the caller sees it now.
pub(super) async fn need_json(
    state: &WebState,
    caller: &lore_app::Caller,
    id: i64,
) -> ApiResult<Json<Need>> {
    Ok(Json(state.app.need_view(caller, id).await?.into()))
}

#[utoipa::path(
    get,
    path = "/needs/{id}",
    operation_id = "get_need",
    tag = "needs",
    summary = "One need with its questions, record, experts and courses",
    params(("id" = i64, Path, description = "The need")),
    responses(
        (status = 200, description = "The need", body = Need),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such need, or the caller is not in its audience", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Need>> {
    need_json(&state, &caller, id).await
}

/// A need to ask for.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNeed {
    /// What to learn, in a line: 4 to 160 characters.
    pub title: String,
    /// The problem learning this would solve; up to 4,000 characters.
    #[serde(default)]
    pub problem: String,
    /// A short topic for the board; up to 60 characters.
    #[serde(default)]
    pub topic: String,
    /// `low`, `normal` (the default), `high` or `critical`.
    #[serde(default)]
    pub urgency: String,
    /// What a course should answer: at most 20, each under 300 characters.
    #[serde(default)]
    pub questions: Vec<String>,
    /// The groups that need it: the caller's own groups, the groups above them or below
    /// them. Left out or empty: the caller's own groups.
    #[serde(default)]
    pub audiences: Vec<i64>,
}

#[utoipa::path(
    post,
    path = "/needs",
    operation_id = "ask_need",
    tag = "needs",
    summary = "Ask for a learning need; the asker votes for it and follows it",
    description = "Look for duplicates first with `GET /needs/similar`.",
    request_body = NewNeed,
    responses(
        (status = 201, description = "Asked", body = Need,
            headers(("Location" = String, description = "The need's address in the API"))),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 409, description = "`no_group`: no audience named and the caller is in no group", body = ErrorBody),
        (status = 422, description = "A field is not valid (see `field`), or a bad body", body = ErrorBody),
    )
)]
pub async fn ask(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<NewNeed>,
) -> ApiResult<(StatusCode, HeaderMap, Json<Need>)> {
    let questions = body.questions.join("\n");
    let id = state
        .app
        .ask_need(
            &caller,
            NeedInput {
                title: &body.title,
                problem: &body.problem,
                topic: &body.topic,
                urgency: &body.urgency,
                questions: &questions,
                audiences: body.audiences,
            },
        )
        .await?;
    let mut headers = HeaderMap::new();
    if let Ok(location) = HeaderValue::from_str(&format!("{BASE}/needs/{id}")) {
        headers.insert(header::LOCATION, location);
    }
    Ok((
        StatusCode::CREATED,
        headers,
        need_json(&state, &caller, id).await?,
    ))
}

/// Changes to a need; fields left out keep their current value.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedChanges {
    pub title: Option<String>,
    pub problem: Option<String>,
    pub topic: Option<String>,
    pub urgency: Option<String>,
    /// Replaces every question.
    pub questions: Option<Vec<String>>,
    /// Replaces the audience; an empty list keeps it.
    pub audiences: Option<Vec<i64>>,
}

#[utoipa::path(
    patch,
    path = "/needs/{id}",
    operation_id = "edit_need",
    tag = "needs",
    summary = "Edit a need: its asker, or a coach of its audience, while it takes votes",
    description = "Followers are told it was edited.",
    params(("id" = i64, Path, description = "The need")),
    request_body = NeedChanges,
    responses(
        (status = 200, description = "Edited", body = Need),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller neither asked for it nor coaches its audience", body = ErrorBody),
        (status = 404, description = "No such need, or the caller is not in its audience", body = ErrorBody),
        (status = 409, description = "It is answered, closed, declined or merged", body = ErrorBody),
        (status = 422, description = "A field is not valid (see `field`), or a bad body", body = ErrorBody),
    )
)]
pub async fn edit(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NeedChanges>,
) -> ApiResult<Json<Need>> {
    let current = state.app.need_view(&caller, id).await?;
    let questions = body.questions.unwrap_or(current.questions).join("\n");
    state
        .app
        .edit_need(
            &caller,
            id,
            NeedInput {
                title: body.title.as_deref().unwrap_or(&current.summary.title),
                problem: body.problem.as_deref().unwrap_or(&current.problem),
                topic: body.topic.as_deref().unwrap_or(&current.summary.topic),
                urgency: body
                    .urgency
                    .as_deref()
                    .unwrap_or(current.summary.urgency.as_str()),
                questions: &questions,
                audiences: body.audiences.unwrap_or_default(),
            },
        )
        .await?;
    need_json(&state, &caller, id).await
}
