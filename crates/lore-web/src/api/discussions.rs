//! Discussions over the API: the threads of a course, one thread with its posts, start a
//! thread, reply, accept an answer, edit or delete one's post, and moderation (lock, hide).
//! The same rules as the pages (see `lore_app::discussions`).

use axum::Json;
use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use lore_app::discussions::{NewThreadInput, PostView, ThreadView};
use lore_app::{AppError, Caller};
use serde::{Deserialize, Serialize};

use super::ApiResult;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// Only threads about one step.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ThreadFilters {
    /// A step key.
    pub step: Option<String>,
}

/// A thread in a list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ThreadSummary {
    pub id: i64,
    pub title: String,
    /// The step it is about; `null` for the course as a whole.
    pub step_key: Option<String>,
    pub asker: String,
    pub reply_count: i32,
    pub accepted_post_id: Option<i64>,
    pub locked: bool,
    /// Only moderators (coaches and authors) ever see hidden threads.
    pub hidden: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub last_post_at: time::OffsetDateTime,
}

/// A post as the caller may see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Post {
    pub id: i64,
    pub author_id: i64,
    pub author: String,
    /// The text as written; empty when deleted.
    pub markdown: String,
    /// The text rendered and sanitised.
    pub html: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub edited_at: Option<time::OffsetDateTime>,
    pub deleted: bool,
    pub hidden: bool,
    pub accepted: bool,
}

/// A thread with its posts, the question first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Thread {
    pub id: i64,
    pub course_id: i64,
    pub title: String,
    pub step_key: Option<String>,
    pub accepted_post_id: Option<i64>,
    pub locked: bool,
    pub hidden: bool,
    pub posts: Vec<Post>,
}

/// A new thread.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewThread {
    /// 1 to 200 characters.
    pub title: String,
    /// Markdown, at most 20,000 characters; `@name@example.com` mentions someone.
    pub body: String,
    /// A step of the newest version; omit for the course as a whole.
    pub step_key: Option<String>,
}

/// A reply, or a post's new text.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "Step 3 shows it: press **Save** first."}))]
pub struct NewPost {
    /// Markdown, at most 20,000 characters.
    pub body: String,
}

/// The accepted answer.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    /// A reply of the thread; `null` clears the accepted answer.
    pub post_id: Option<i64>,
}

impl From<PostView> for Post {
    fn from(p: PostView) -> Self {
        Post {
            id: p.id,
            author_id: p.author_id,
            author: p.author_name,
            markdown: p.markdown,
            html: p.html,
            created_at: p.created_at,
            edited_at: p.edited_at,
            deleted: p.deleted,
            hidden: p.hidden,
            accepted: p.accepted,
        }
    }
}

impl From<ThreadView> for Thread {
    fn from(v: ThreadView) -> Self {
        Thread {
            id: v.thread.id,
            course_id: v.course_id,
            title: v.thread.title,
            step_key: v.thread.step_key,
            accepted_post_id: v.thread.accepted_post_id,
            locked: v.thread.locked,
            hidden: v.thread.hidden,
            posts: v.posts.into_iter().map(Post::from).collect(),
        }
    }
}

async fn thread_of(
    state: &WebState,
    caller: &Caller,
    id: i64,
    thread_id: i64,
) -> Result<Thread, AppError> {
    Ok(state
        .app
        .discussion_thread(caller, id, thread_id)
        .await?
        .into())
}

#[utoipa::path(
    get,
    path = "/courses/{id}/threads",
    operation_id = "list_threads",
    tag = "discussions",
    summary = "The discussions of a course, newest activity first",
    params(("id" = i64, Path, description = "The course"), ThreadFilters),
    responses(
        (status = 200, description = "Threads the caller may see", body = [ThreadSummary]),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such published course, or not visible to the caller", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(f): ApiQuery<ThreadFilters>,
) -> ApiResult<Json<Vec<ThreadSummary>>> {
    let d = state
        .app
        .discussions(&caller, id, f.step.as_deref())
        .await?;
    Ok(Json(
        d.threads
            .into_iter()
            .map(|s| ThreadSummary {
                id: s.thread.id,
                title: s.thread.title,
                step_key: s.thread.step_key,
                asker: s.asker_name,
                reply_count: s.thread.reply_count,
                accepted_post_id: s.thread.accepted_post_id,
                locked: s.thread.locked,
                hidden: s.thread.hidden,
                last_post_at: s.thread.last_post_at,
            })
            .collect(),
    ))
}

#[utoipa::path(
    get,
    path = "/courses/{id}/threads/{thread_id}",
    operation_id = "get_thread",
    tag = "discussions",
    summary = "A thread with its posts",
    params(
        ("id" = i64, Path, description = "The course"),
        ("thread_id" = i64, Path, description = "The thread"),
    ),
    responses(
        (status = 200, description = "The thread", body = Thread),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such thread, or not visible to the caller", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, thread_id)): ApiPath<(i64, i64)>,
) -> ApiResult<Json<Thread>> {
    Ok(Json(thread_of(&state, &caller, id, thread_id).await?))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/threads",
    operation_id = "create_thread",
    tag = "discussions",
    summary = "Start a discussion; the course's authors are told",
    params(("id" = i64, Path, description = "The course")),
    request_body = NewThread,
    responses(
        (status = 201, description = "Created", body = Thread),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such published course, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "Title or body missing or too long, or an unknown step", body = ErrorBody),
        (status = 429, description = "More than 30 posts in an hour", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewThread>,
) -> ApiResult<(StatusCode, Json<Thread>)> {
    let input = NewThreadInput {
        title: &body.title,
        body: &body.body,
        step_key: body.step_key.as_deref(),
    };
    let (thread, _) = state.app.start_thread(&caller, id, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(thread_of(&state, &caller, id, thread.id).await?),
    ))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/threads/{thread_id}/posts",
    operation_id = "create_post",
    tag = "discussions",
    summary = "Reply in a thread; the asker and earlier participants are told",
    params(
        ("id" = i64, Path, description = "The course"),
        ("thread_id" = i64, Path, description = "The thread"),
    ),
    request_body = NewPost,
    responses(
        (status = 201, description = "The reply", body = Post),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such thread, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The thread is locked", body = ErrorBody),
        (status = 422, description = "The body is empty or too long", body = ErrorBody),
        (status = 429, description = "More than 30 posts in an hour", body = ErrorBody),
    )
)]
pub async fn reply(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, thread_id)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<NewPost>,
) -> ApiResult<(StatusCode, Json<Post>)> {
    let post = state.app.reply(&caller, id, thread_id, &body.body).await?;
    let view = state
        .app
        .discussion_thread(&caller, id, thread_id)
        .await?
        .posts
        .into_iter()
        .find(|p| p.id == post.id)
        .ok_or(AppError::NotFound("That post"))?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/threads/{thread_id}/accept",
    operation_id = "accept_answer",
    tag = "discussions",
    summary = "Choose the accepted answer (the asker or an author); its writer is told",
    params(
        ("id" = i64, Path, description = "The course"),
        ("thread_id" = i64, Path, description = "The thread"),
    ),
    request_body = Acceptance,
    responses(
        (status = 200, description = "The thread", body = Thread),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Neither the asker nor an author of the course", body = ErrorBody),
        (status = 404, description = "No such thread or reply", body = ErrorBody),
        (status = 409, description = "The reply was deleted", body = ErrorBody),
    )
)]
pub async fn accept(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, thread_id)): ApiPath<(i64, i64)>,
    ApiJson(body): ApiJson<Acceptance>,
) -> ApiResult<Json<Thread>> {
    state
        .app
        .accept_answer(&caller, id, thread_id, body.post_id)
        .await?;
    Ok(Json(thread_of(&state, &caller, id, thread_id).await?))
}

/// Whether the thread is locked (no replies or edits).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"locked": true}))]
pub struct ThreadLock {
    pub locked: bool,
}

/// Whether a thread or a post is hidden (kept, shown to moderators only, marked hidden).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"hidden": true}))]
pub struct Visibility {
    pub hidden: bool,
}

async fn post_of(
    state: &WebState,
    caller: &Caller,
    id: i64,
    thread_id: i64,
    post_id: i64,
) -> Result<Post, AppError> {
    state
        .app
        .discussion_thread(caller, id, thread_id)
        .await?
        .posts
        .into_iter()
        .find(|p| p.id == post_id)
        .map(Post::from)
        .ok_or(AppError::NotFound("That post"))
}

#[utoipa::path(
    patch,
    path = "/courses/{id}/threads/{thread_id}/posts/{post_id}",
    operation_id = "edit_post",
    tag = "discussions",
    summary = "Change the text of one's own post; people newly mentioned are told",
    params(
        ("id" = i64, Path, description = "The course"),
        ("thread_id" = i64, Path, description = "The thread"),
        ("post_id" = i64, Path, description = "The post"),
    ),
    request_body = NewPost,
    responses(
        (status = 200, description = "The post as changed", body = Post),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Someone else's post (asked before the body is read)", body = ErrorBody),
        (status = 404, description = "No such thread or post, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The post is deleted or the thread is locked", body = ErrorBody),
        (status = 413, description = "The body is larger than the API takes", body = ErrorBody),
        (status = 422, description = "Not JSON of this shape, or the body is empty or too long", body = ErrorBody),
    )
)]
pub async fn edit_post(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, thread_id, post_id)): ApiPath<(i64, i64, i64)>,
    request: Request,
) -> ApiResult<Json<Post>> {
    state
        .app
        .may_change_post(&caller, id, thread_id, post_id)
        .await?;
    let ApiJson(body) = ApiJson::<NewPost>::from_request(request, &state).await?;
    state
        .app
        .edit_post(&caller, id, thread_id, post_id, &body.body)
        .await?;
    Ok(Json(
        post_of(&state, &caller, id, thread_id, post_id).await?,
    ))
}

#[utoipa::path(
    delete,
    path = "/courses/{id}/threads/{thread_id}/posts/{post_id}",
    operation_id = "delete_post",
    tag = "discussions",
    summary = "Delete one's own post: it shows as deleted; moderators still see its text",
    params(
        ("id" = i64, Path, description = "The course"),
        ("thread_id" = i64, Path, description = "The thread"),
        ("post_id" = i64, Path, description = "The post"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Someone else's post", body = ErrorBody),
        (status = 404, description = "No such thread or post, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The post is already deleted", body = ErrorBody),
    )
)]
pub async fn delete_post(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, thread_id, post_id)): ApiPath<(i64, i64, i64)>,
) -> ApiResult<StatusCode> {
    state
        .app
        .delete_post(&caller, id, thread_id, post_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    put,
    path = "/courses/{id}/threads/{thread_id}/locked",
    operation_id = "lock_thread",
    tag = "discussions",
    summary = "Lock or unlock a thread (the course's coaches and authors)",
    params(
        ("id" = i64, Path, description = "The course"),
        ("thread_id" = i64, Path, description = "The thread"),
    ),
    request_body = ThreadLock,
    responses(
        (status = 200, description = "The thread", body = Thread),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not a coach or author of the course (asked before the body is read)", body = ErrorBody),
        (status = 404, description = "No such thread, or not visible to the caller", body = ErrorBody),
        (status = 413, description = "The body is larger than the API takes", body = ErrorBody),
        (status = 422, description = "Not JSON of this shape", body = ErrorBody),
    )
)]
pub async fn lock(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, thread_id)): ApiPath<(i64, i64)>,
    request: Request,
) -> ApiResult<Json<Thread>> {
    state.app.may_moderate_discussions(&caller, id).await?;
    let ApiJson(body) = ApiJson::<ThreadLock>::from_request(request, &state).await?;
    state
        .app
        .lock_thread(&caller, id, thread_id, body.locked)
        .await?;
    Ok(Json(thread_of(&state, &caller, id, thread_id).await?))
}

#[utoipa::path(
    put,
    path = "/courses/{id}/threads/{thread_id}/hidden",
    operation_id = "hide_thread",
    tag = "discussions",
    summary = "Hide or show a thread (the course's coaches and authors)",
    params(
        ("id" = i64, Path, description = "The course"),
        ("thread_id" = i64, Path, description = "The thread"),
    ),
    request_body = Visibility,
    responses(
        (status = 200, description = "The thread", body = Thread),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not a coach or author of the course (asked before the body is read)", body = ErrorBody),
        (status = 404, description = "No such thread, or not visible to the caller", body = ErrorBody),
        (status = 413, description = "The body is larger than the API takes", body = ErrorBody),
        (status = 422, description = "Not JSON of this shape", body = ErrorBody),
    )
)]
pub async fn hide_thread(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, thread_id)): ApiPath<(i64, i64)>,
    request: Request,
) -> ApiResult<Json<Thread>> {
    state.app.may_moderate_discussions(&caller, id).await?;
    let ApiJson(body) = ApiJson::<Visibility>::from_request(request, &state).await?;
    state
        .app
        .hide_thread(&caller, id, thread_id, body.hidden)
        .await?;
    Ok(Json(thread_of(&state, &caller, id, thread_id).await?))
}

#[utoipa::path(
    put,
    path = "/courses/{id}/threads/{thread_id}/posts/{post_id}/hidden",
    operation_id = "hide_post",
    tag = "discussions",
    summary = "Hide or show a post (the course's coaches and authors)",
    params(
        ("id" = i64, Path, description = "The course"),
        ("thread_id" = i64, Path, description = "The thread"),
        ("post_id" = i64, Path, description = "The post"),
    ),
    request_body = Visibility,
    responses(
        (status = 200, description = "The post", body = Post),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not a coach or author of the course (asked before the body is read)", body = ErrorBody),
        (status = 404, description = "No such thread or post, or not visible to the caller", body = ErrorBody),
        (status = 413, description = "The body is larger than the API takes", body = ErrorBody),
        (status = 422, description = "Not JSON of this shape", body = ErrorBody),
    )
)]
pub async fn hide_post(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath((id, thread_id, post_id)): ApiPath<(i64, i64, i64)>,
    request: Request,
) -> ApiResult<Json<Post>> {
    state.app.may_moderate_discussions(&caller, id).await?;
    let ApiJson(body) = ApiJson::<Visibility>::from_request(request, &state).await?;
    state
        .app
        .hide_post(&caller, id, thread_id, post_id, body.hidden)
        .await?;
    Ok(Json(
        post_of(&state, &caller, id, thread_id, post_id).await?,
    ))
}
