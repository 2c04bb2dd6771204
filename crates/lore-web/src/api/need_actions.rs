//! What people do to a learning need: vote and take the vote back, follow, volunteer; and
//! what its coaches do: move it through its life, merge a duplicate, find and assign experts,
//! link the course that answers it. Refusals carry their own codes (`already_voted`,
//! `need_closed`, `merge_into_itself`, `already_expert`, `bad_transition`, `no_course`,
//! `already_linked`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::ApiResult;
use super::extract::{ApiJson, ApiPath};
use super::need_detail::{Need, need_json};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

#[utoipa::path(
    post,
    path = "/needs/{id}/vote",
    operation_id = "vote_for_need",
    tag = "needs",
    summary = "Vote for a need (one vote per person); the voter follows it",
    params(("id" = i64, Path, description = "The need")),
    responses(
        (status = 204, description = "Voted"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such need, or the caller is not in its audience", body = ErrorBody),
        (status = 409, description = "`already_voted`, or `need_closed` when it no longer takes votes", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn vote(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.vote_need(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    delete,
    path = "/needs/{id}/vote",
    operation_id = "unvote_need",
    tag = "needs",
    summary = "Take one's vote back",
    params(("id" = i64, Path, description = "The need")),
    responses(
        (status = 204, description = "The vote is gone"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such need, or no vote of the caller's on it", body = ErrorBody),
        (status = 409, description = "`need_closed`: it no longer takes votes", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn unvote(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.unvote_need(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/needs/{id}/follow",
    operation_id = "follow_need",
    tag = "needs",
    summary = "Follow a need: hear when its status changes or a course answers it",
    description = "Following twice is no change.",
    params(("id" = i64, Path, description = "The need")),
    responses(
        (status = 204, description = "Following"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such need, or the caller is not in its audience", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn follow(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.follow_need(&caller, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    delete,
    path = "/needs/{id}/follow",
    operation_id = "unfollow_need",
    tag = "needs",
    summary = "Stop following a need",
    description = "Not following is no error.",
    params(("id" = i64, Path, description = "The need")),
    responses(
        (status = 204, description = "Not following"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such need, or the caller is not in its audience", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn unfollow(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.follow_need(&caller, id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/needs/{id}/volunteer",
    operation_id = "volunteer_for_need",
    tag = "needs",
    summary = "Offer to answer a need with a course",
    description = "Its coaches see volunteers among the suggested experts; followers are told.",
    params(("id" = i64, Path, description = "The need")),
    responses(
        (status = 204, description = "Volunteered"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such need, or the caller is not in its audience", body = ErrorBody),
        (status = 409, description = "`already_expert`, or `need_closed`", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn volunteer(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.volunteer_for_need(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Where to move a need.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// `open`, `exploring`, `in-progress`, `answered` (needs a linked course), `closed` or
    /// `declined` (needs a reason). Merging is `POST /needs/{id}/merge`.
    pub status: String,
    /// Why; required to decline. Followers read it. Up to 1,000 characters.
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(
    post,
    path = "/needs/{id}/status",
    operation_id = "set_need_status",
    tag = "needs",
    summary = "Move a need through its life",
    description = "For coaches of its audience; followers are told. The moves a need allows \
                   are its `next_statuses`.",
    params(("id" = i64, Path, description = "The need")),
    request_body = StatusChange,
    responses(
        (status = 200, description = "Moved", body = Need),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller does not coach its audience", body = ErrorBody),
        (status = 404, description = "No such need, or the caller is not in its audience", body = ErrorBody),
        (status = 409, description = "`bad_transition`: not a move from its status; `no_course`: answering needs a published course linked first; or it changed meanwhile", body = ErrorBody),
        (status = 422, description = "Unknown status, `merged`, no reason to decline, or a bad body", body = ErrorBody),
    )
)]
pub async fn set_status(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<StatusChange>,
) -> ApiResult<Json<Need>> {
    state
        .app
        .set_need_status(&caller, id, &body.status, &body.reason)
        .await?;
    need_json(&state, &caller, id).await
}

/// The need a duplicate is folded into.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeInto {
    pub into: i64,
}

/// What a merge moved.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MergeTotals {
    /// Votes that moved to the surviving need.
    pub votes_moved: u64,
    /// Voters who had voted for both: their vote on the surviving need stands (counted once).
    pub votes_already_there: u64,
    /// Followers who now follow the surviving need too.
    pub followers_moved: u64,
}

#[utoipa::path(
    post,
    path = "/needs/{id}/merge",
    operation_id = "merge_need",
    tag = "needs",
    summary = "Fold a duplicate into another need",
    description = "For coaches of both. Votes, followers, experts, audience groups and courses \
                   move; questions are added; the duplicate becomes `merged` and takes no more \
                   votes. Followers of both are told.",
    params(("id" = i64, Path, description = "The duplicate")),
    request_body = MergeInto,
    responses(
        (status = 200, description = "Merged", body = MergeTotals),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller does not coach the audience of both", body = ErrorBody),
        (status = 404, description = "No such need, or the caller is not in the audience", body = ErrorBody),
        (status = 409, description = "`merge_into_itself`, or `need_closed` when either was merged already", body = ErrorBody),
        (status = 422, description = "An id is not a number, or a bad body", body = ErrorBody),
    )
)]
pub async fn merge(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<MergeInto>,
) -> ApiResult<Json<MergeTotals>> {
    let t = state.app.merge_need(&caller, id, body.into).await?;
    Ok(Json(MergeTotals {
        votes_moved: t.votes_moved,
        votes_already_there: t.votes_already_there,
        followers_moved: t.followers_moved,
    }))
}

/// Someone who could answer a need, with the evidence.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExpertCandidate {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    /// 3 per healthy course they wrote on the subject, 2 per accepted answer in its
    /// discussions, 1 per strong evaluation result there, 2 for volunteering.
    pub score: u32,
    pub reasons: Vec<String>,
    pub volunteered: bool,
    pub assigned: bool,
}

/// Suggested experts, best first (at most 10).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExpertCandidates {
    pub experts: Vec<ExpertCandidate>,
}

#[utoipa::path(
    get,
    path = "/needs/{id}/experts",
    operation_id = "suggest_need_experts",
    tag = "needs",
    summary = "People who could answer a need, best first, each with why",
    description = "For coaches of its audience.",
    params(("id" = i64, Path, description = "The need")),
    responses(
        (status = 200, description = "The suggestions", body = ExpertCandidates),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller does not coach its audience", body = ErrorBody),
        (status = 404, description = "No such need, or the caller is not in its audience", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn experts(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ExpertCandidates>> {
    let list = state.app.suggest_experts(&caller, id).await?;
    Ok(Json(ExpertCandidates {
        experts: list
            .into_iter()
            .map(|e| ExpertCandidate {
                user_id: e.user_id,
                name: e.name,
                email: e.email,
                score: e.score,
                reasons: e.reasons,
                volunteered: e.volunteered,
                assigned: e.assigned,
            })
            .collect(),
    }))
}

/// The person to ask.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignExpert {
    pub user_id: i64,
}

/// The draft course made for the expert.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssignedExpert {
    pub course_id: i64,
}

#[utoipa::path(
    post,
    path = "/needs/{id}/experts",
    operation_id = "assign_need_expert",
    tag = "needs",
    summary = "Ask someone to answer a need",
    description = "For coaches of its audience. The expert is told (`expert-request`) and gets \
                   a draft course in the need's first audience group, one step per question, \
                   linked to the need; an open or exploring need goes in progress. Publishing \
                   the course answers the need.",
    params(("id" = i64, Path, description = "The need")),
    request_body = AssignExpert,
    responses(
        (status = 201, description = "Assigned", body = AssignedExpert),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller does not coach its audience", body = ErrorBody),
        (status = 404, description = "No such need or active person", body = ErrorBody),
        (status = 409, description = "`already_expert`, or `need_closed`", body = ErrorBody),
        (status = 422, description = "The id is not a number, or a bad body", body = ErrorBody),
    )
)]
pub async fn assign(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AssignExpert>,
) -> ApiResult<(StatusCode, Json<AssignedExpert>)> {
    let course_id = state.app.assign_expert(&caller, id, body.user_id).await?;
    Ok((StatusCode::CREATED, Json(AssignedExpert { course_id })))
}

/// The course that answers a need.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkCourse {
    pub course_id: i64,
}

#[utoipa::path(
    post,
    path = "/needs/{id}/courses",
    operation_id = "link_course_to_need",
    tag = "needs",
    summary = "Link a course that answers a need",
    description = "For coaches of its audience and its assigned experts. A published course \
                   answers the need at once; a draft puts it in progress until published.",
    params(("id" = i64, Path, description = "The need")),
    request_body = LinkCourse,
    responses(
        (status = 204, description = "Linked"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller neither coaches its audience nor is its assigned expert", body = ErrorBody),
        (status = 404, description = "No such need or course, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "`already_linked`, or `need_closed` when closed, declined or merged", body = ErrorBody),
        (status = 422, description = "The id is not a number, or a bad body", body = ErrorBody),
    )
)]
pub async fn link_course(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<LinkCourse>,
) -> ApiResult<StatusCode> {
    state
        .app
        .link_course_to_need(&caller, id, body.course_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
