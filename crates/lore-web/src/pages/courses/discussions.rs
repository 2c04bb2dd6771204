//! Discussion pages: the threads of a course (filtered to a step with `?step=KEY`) with a
//! form to start one, and a thread with its posts, reply form and the actions the viewer may
//! take. A refused form comes back with its message and the text as typed.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use lore_app::AppError;
use lore_app::discussions::{CourseDiscussions, NewThreadInput, PostView, ThreadView};
use serde::Deserialize;

use super::super::parse_id;
use crate::WebState;
use crate::error::{PageError, status_of};
use crate::layout::Layout;
use crate::session::Viewer;

/// Refusals a person can fix come back on the page; anything else is an error page.
fn fixable(e: &AppError) -> bool {
    matches!(
        e,
        AppError::Invalid(_) | AppError::Conflict(_) | AppError::RateLimited { .. }
    )
}

fn refused(e: &AppError, page: impl IntoResponse) -> Response {
    let mut response = (status_of(e), page).into_response();
    if let AppError::RateLimited { retry_after_secs } = e
        && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

fn is_true(raw: &str) -> bool {
    matches!(raw, "true" | "1" | "on" | "yes")
}

pub struct ThreadLine {
    pub id: i64,
    pub title: String,
    pub asker: String,
    pub step: Option<(String, String)>,
    pub replies: i32,
    pub last: String,
    pub answered: bool,
    pub locked: bool,
    pub hidden: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "discussions.html")]
pub struct DiscussionsPage {
    layout: Layout,
    d: CourseDiscussions,
    threads: Vec<ThreadLine>,
    error: Option<String>,
    error_field: String,
    title: String,
    body: String,
    step_key: String,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    step: Option<String>,
}

#[derive(Deserialize)]
pub struct NewThreadForm {
    title: String,
    body: String,
    #[serde(default)]
    step: String,
}

async fn list_page(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    step: Option<&str>,
) -> Result<DiscussionsPage, PageError> {
    let d = state.app.discussions(viewer.caller(), id, step).await?;
    let threads = d
        .threads
        .iter()
        .map(|s| ThreadLine {
            id: s.thread.id,
            title: s.thread.title.clone(),
            asker: s.asker_name.clone(),
            step: s.step.as_ref().map(|r| (r.key.clone(), r.title.clone())),
            replies: s.thread.reply_count,
            last: viewer.when(s.thread.last_post_at),
            answered: s.thread.accepted_post_id.is_some(),
            locked: s.thread.locked,
            hidden: s.thread.hidden,
        })
        .collect();
    Ok(DiscussionsPage {
        layout: Layout::for_session(&viewer.0, "courses"),
        step_key: d.step.as_ref().map(|s| s.key.clone()).unwrap_or_default(),
        d,
        threads,
        error: None,
        error_field: String::new(),
        title: String::new(),
        body: String::new(),
    })
}

pub async fn index(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    Ok(list_page(&state, &viewer, id, q.step.as_deref())
        .await?
        .into_response())
}

pub async fn create(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<NewThreadForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = NewThreadInput {
        title: &f.title,
        body: &f.body,
        step_key: Some(f.step.as_str()),
    };
    match state.app.start_thread(viewer.caller(), id, input).await {
        Ok((thread, _)) => {
            Ok(Redirect::to(&format!("/courses/{id}/discussions/{}", thread.id)).into_response())
        }
        Err(e) if fixable(&e) => {
            let step = Some(f.step.as_str()).filter(|s| !s.is_empty());
            let mut page = list_page(&state, &viewer, id, step).await?;
            page.error_field = match &e {
                AppError::Invalid(i) => i.field.to_owned(),
                _ => String::new(),
            };
            page.error = Some(e.to_string());
            page.title = f.title;
            page.body = f.body;
            page.step_key = f.step;
            Ok(refused(&e, page))
        }
        Err(e) => Err(PageError(e)),
    }
}

pub struct PostLine {
    pub p: PostView,
    pub when: String,
    pub edited: Option<String>,
    /// Earlier texts: who replaced it, when, the Markdown as it was.
    pub history: Vec<(String, String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "thread.html")]
pub struct ThreadPage {
    layout: Layout,
    v: ThreadView,
    posts: Vec<PostLine>,
    error: Option<String>,
    /// The post whose edit was refused; `None`: the error belongs to the reply form.
    error_post: Option<i64>,
    reply: String,
    edit_text: String,
}

impl ThreadPage {
    fn editing(&self, post_id: &i64) -> bool {
        self.error_post == Some(*post_id)
    }
}

async fn thread_page(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    thread_id: i64,
) -> Result<ThreadPage, PageError> {
    let v = state
        .app
        .discussion_thread(viewer.caller(), id, thread_id)
        .await?;
    let posts = v
        .posts
        .iter()
        .map(|p| PostLine {
            when: viewer.when(p.created_at),
            edited: p.edited_at.map(|t| viewer.when(t)),
            history: p
                .history
                .iter()
                .map(|r| {
                    (
                        r.edited_by_name.clone(),
                        viewer.when(r.replaced_at),
                        r.markdown.clone(),
                    )
                })
                .collect(),
            p: p.clone(),
        })
        .collect();
    Ok(ThreadPage {
        layout: Layout::for_session(&viewer.0, "courses"),
        v,
        posts,
        error: None,
        error_post: None,
        reply: String::new(),
        edit_text: String::new(),
    })
}

fn ids(id: &str, thread_id: &str) -> Result<(i64, i64), PageError> {
    Ok((parse_id(id)?, parse_id(thread_id)?))
}

fn to_thread(id: i64, thread_id: i64, post_id: Option<i64>) -> Response {
    let anchor = post_id.map(|p| format!("#post-{p}")).unwrap_or_default();
    Redirect::to(&format!("/courses/{id}/discussions/{thread_id}{anchor}")).into_response()
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, thread_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (id, thread_id) = ids(&id, &thread_id)?;
    Ok(thread_page(&state, &viewer, id, thread_id)
        .await?
        .into_response())
}

#[derive(Deserialize)]
pub struct BodyForm {
    body: String,
}

pub async fn reply(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, thread_id)): Path<(String, String)>,
    Form(f): Form<BodyForm>,
) -> Result<Response, PageError> {
    let (id, thread_id) = ids(&id, &thread_id)?;
    match state
        .app
        .reply(viewer.caller(), id, thread_id, &f.body)
        .await
    {
        Ok(post) => Ok(to_thread(id, thread_id, Some(post.id))),
        Err(e) if fixable(&e) => {
            let mut page = thread_page(&state, &viewer, id, thread_id).await?;
            page.error = Some(e.to_string());
            page.reply = f.body;
            Ok(refused(&e, page))
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn edit(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, thread_id, post_id)): Path<(String, String, String)>,
    Form(f): Form<BodyForm>,
) -> Result<Response, PageError> {
    let (id, thread_id) = ids(&id, &thread_id)?;
    let post_id = parse_id(&post_id)?;
    match state
        .app
        .edit_post(viewer.caller(), id, thread_id, post_id, &f.body)
        .await
    {
        Ok(_) => Ok(to_thread(id, thread_id, Some(post_id))),
        Err(e) if fixable(&e) => {
            let mut page = thread_page(&state, &viewer, id, thread_id).await?;
            page.error = Some(e.to_string());
            page.error_post = Some(post_id);
            page.edit_text = f.body;
            Ok(refused(&e, page))
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn delete(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, thread_id, post_id)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let (id, thread_id) = ids(&id, &thread_id)?;
    let post_id = parse_id(&post_id)?;
    state
        .app
        .delete_post(viewer.caller(), id, thread_id, post_id)
        .await?;
    Ok(to_thread(id, thread_id, Some(post_id)))
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    post_id: String,
}

pub async fn accept(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, thread_id)): Path<(String, String)>,
    Form(f): Form<AcceptForm>,
) -> Result<Response, PageError> {
    let (id, thread_id) = ids(&id, &thread_id)?;
    let post_id = match f.post_id.trim() {
        "" => None,
        raw => Some(parse_id(raw)?),
    };
    state
        .app
        .accept_answer(viewer.caller(), id, thread_id, post_id)
        .await?;
    Ok(to_thread(id, thread_id, post_id))
}

#[derive(Deserialize)]
pub struct ToggleForm {
    #[serde(default)]
    on: String,
}

pub async fn lock(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, thread_id)): Path<(String, String)>,
    Form(f): Form<ToggleForm>,
) -> Result<Response, PageError> {
    let (id, thread_id) = ids(&id, &thread_id)?;
    state
        .app
        .lock_thread(viewer.caller(), id, thread_id, is_true(&f.on))
        .await?;
    Ok(to_thread(id, thread_id, None))
}

pub async fn hide_thread(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, thread_id)): Path<(String, String)>,
    Form(f): Form<ToggleForm>,
) -> Result<Response, PageError> {
    let (id, thread_id) = ids(&id, &thread_id)?;
    state
        .app
        .hide_thread(viewer.caller(), id, thread_id, is_true(&f.on))
        .await?;
    Ok(to_thread(id, thread_id, None))
}

pub async fn hide_post(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, thread_id, post_id)): Path<(String, String, String)>,
    Form(f): Form<ToggleForm>,
) -> Result<Response, PageError> {
    let (id, thread_id) = ids(&id, &thread_id)?;
    let post_id = parse_id(&post_id)?;
    state
        .app
        .hide_post(viewer.caller(), id, thread_id, post_id, is_true(&f.on))
        .await?;
    Ok(to_thread(id, thread_id, Some(post_id)))
}
