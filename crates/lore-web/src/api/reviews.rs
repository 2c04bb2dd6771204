//! Review before publishing, for programs: read a version's review, submit the draft,
//! comment pinned to a step (or reply), resolve a thread, give a verdict; and confirm that a
//! course is still right. The same use cases as the pages.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use lore_app::courses::review::ReviewView;
use lore_domain::review::{Standing, Verdict};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ApiResult;
use super::extract::{ApiJson, ApiPath};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// A comment of a review in the address.
#[derive(Debug, Deserialize)]
pub struct CommentPath {
    pub id: i64,
    pub comment_id: i64,
}

/// A review comment.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewComment {
    pub id: i64,
    /// The step it is pinned to; `null` for the course as a whole.
    #[schema(required = true)]
    pub step_key: Option<String>,
    /// The comment it answers; `null` for the first comment of a thread.
    #[schema(required = true)]
    pub parent_id: Option<i64>,
    pub author: String,
    pub body: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub resolved_at: Option<OffsetDateTime>,
}

/// A reviewer's decision.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewVerdict {
    pub reviewer: String,
    /// `approved` or `changes-requested`.
    pub verdict: String,
    pub note: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// The review of a version.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Review {
    pub course_id: i64,
    pub version: i32,
    /// The version is still a draft.
    pub draft: bool,
    /// The course's group requires an approval before publishing.
    pub required: bool,
    /// `none` (not submitted), `open`, `published` or `withdrawn`.
    pub state: String,
    /// For an open review of the draft as it is: `waiting`, `approved` or `changes-requested`.
    #[schema(required = true)]
    pub standing: Option<String>,
    /// The draft changed since it was submitted.
    pub changed_since_submitted: bool,
    pub verdicts: Vec<ReviewVerdict>,
    pub comments: Vec<ReviewComment>,
    /// May the caller give a verdict?
    pub can_review: bool,
}

impl From<ReviewView> for Review {
    fn from(v: ReviewView) -> Self {
        let comments = v
            .threads
            .iter()
            .flat_map(|t| std::iter::once(&t.comment).chain(t.replies.iter()))
            .map(|c| ReviewComment {
                id: c.id,
                step_key: c.step_key.clone(),
                parent_id: c.parent_id,
                author: c.author_name.clone(),
                body: c.body.clone(),
                created_at: c.created_at,
                resolved_at: c.resolved_at,
            })
            .collect();
        Review {
            course_id: v.ctx.course.id,
            version: v.version_number,
            draft: v.is_draft,
            required: v.required,
            state: v
                .review
                .as_ref()
                .map_or("none".to_owned(), |r| r.state.to_string()),
            standing: v.standing.map(|s| standing_word(s).to_owned()),
            changed_since_submitted: v.changed_since_submitted,
            verdicts: v
                .verdicts
                .iter()
                .map(|d| ReviewVerdict {
                    reviewer: d.reviewer_name.clone(),
                    verdict: d.verdict.to_string(),
                    note: d.note.clone(),
                    created_at: d.created_at,
                })
                .collect(),
            comments,
            can_review: v.roles.reviewer,
        }
    }
}

fn standing_word(s: Standing) -> &'static str {
    match s {
        Standing::Waiting => "waiting",
        Standing::Approved => "approved",
        Standing::ChangesRequested => "changes-requested",
    }
}

/// A new review comment.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReviewComment {
    /// The step to pin it to (a step key of the draft); leave out for the course as a whole.
    #[serde(default)]
    pub step_key: Option<String>,
    /// The comment to answer (its thread's step is kept).
    #[serde(default)]
    pub parent_id: Option<i64>,
    /// 1 to 5,000 characters.
    #[schema(min_length = 1, max_length = 5000)]
    pub body: String,
}

/// Resolve a thread, or open it again.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveThread {
    pub resolved: bool,
}

/// A reviewer's decision on the draft as it is.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVerdict {
    /// `approved` or `changes-requested`.
    #[schema(pattern = "^(approved|changes-requested)$")]
    pub verdict: String,
    /// Up to 5,000 characters, for the author.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub note: String,
}

/// The id of what was made.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

#[utoipa::path(
    get,
    path = "/courses/{id}/review",
    operation_id = "get_review",
    tag = "reviews",
    summary = "The review of a course's draft (or of the newest version)",
    description = "For the course's editors, the coaches of its group and its named reviewers.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The review", body = Review),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller neither writes, coaches nor reviews this course", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Review>> {
    Ok(Json(state.app.review_page(&caller, id, None).await?.into()))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/review",
    operation_id = "submit_for_review",
    tag = "reviews",
    summary = "Submit the draft for review (again, after changes)",
    description = "For the course's editors; its reviewers are notified.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 201, description = "Submitted", body = Review),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller does not write this course", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "No draft, or the draft is already waiting unchanged", body = ErrorBody),
        (status = 422, description = "The draft has no step, or the id is not a number", body = ErrorBody),
    )
)]
pub async fn submit(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<(StatusCode, Json<Review>)> {
    state.app.submit_for_review(&caller, id).await?;
    let v = state.app.review_page(&caller, id, None).await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/review/comments",
    operation_id = "comment_on_review",
    tag = "reviews",
    summary = "Comment on the draft under review, pinned to a step, or reply to a comment",
    params(("id" = i64, Path, description = "The course")),
    request_body = NewReviewComment,
    responses(
        (status = 201, description = "Commented", body = Created),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller neither writes nor reviews this course", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The draft is not under review", body = ErrorBody),
        (status = 422, description = "Empty or too long, an unknown step or comment, or a bad body", body = ErrorBody),
    )
)]
pub async fn comment(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewReviewComment>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = state
        .app
        .comment_on_review(
            &caller,
            id,
            body.step_key.as_deref(),
            body.parent_id,
            &body.body,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/review/comments/{comment_id}/resolve",
    operation_id = "resolve_review_comment",
    tag = "reviews",
    summary = "Resolve a thread of the review, or open it again",
    params(
        ("id" = i64, Path, description = "The course"),
        ("comment_id" = i64, Path, description = "The thread's first comment"),
    ),
    request_body = ResolveThread,
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller neither writes nor reviews this course", body = ErrorBody),
        (status = 404, description = "No such course or comment", body = ErrorBody),
        (status = 409, description = "The draft is not under review", body = ErrorBody),
        (status = 422, description = "An id is not a number, or a bad body", body = ErrorBody),
    )
)]
pub async fn resolve(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<CommentPath>,
    ApiJson(body): ApiJson<ResolveThread>,
) -> ApiResult<StatusCode> {
    state
        .app
        .resolve_review_comment(&caller, path.id, path.comment_id, body.resolved)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/courses/{id}/review/verdict",
    operation_id = "give_verdict",
    tag = "reviews",
    summary = "Approve the draft as it is, or ask for changes",
    description = "For reviewers who do not write the course. An approval holds for the content \
                   it was given on: a change to the draft afterwards asks again.",
    params(("id" = i64, Path, description = "The course")),
    request_body = NewVerdict,
    responses(
        (status = 200, description = "Recorded; the review as it now stands", body = Review),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller is not a reviewer of this course", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The draft is not under review, or the caller writes the course (`own_course`)", body = ErrorBody),
        (status = 422, description = "An unknown verdict, a note too long, or a bad body", body = ErrorBody),
    )
)]
pub async fn verdict(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewVerdict>,
) -> ApiResult<Json<Review>> {
    let verdict = Verdict::parse(&body.verdict).map_err(lore_app::AppError::from)?;
    state
        .app
        .give_verdict(&caller, id, verdict, &body.note)
        .await?;
    Ok(Json(state.app.review_page(&caller, id, None).await?.into()))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/confirm",
    operation_id = "confirm_course_current",
    tag = "reviews",
    summary = "Confirm a course is still right",
    description = "For its owner and other editors: the check interval starts again from now, \
                   and the confirmation is recorded with who and when.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 204, description = "Confirmed"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller does not write this course", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The course was never published", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn confirm(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    state.app.confirm_current(&caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
