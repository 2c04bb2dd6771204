//! Review before publishing, in pages: the review page of a version (state, verdicts,
//! comments pinned to steps with their replies), submitting, commenting, resolving, the
//! verdict, naming expert reviewers; and keeping a course current (confirm it is still
//! right, its check interval).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use lore_app::AppError;
use lore_app::courses::review::ReviewView;
use lore_domain::review::{ReviewState, Standing, Verdict};
use serde::Deserialize;

use super::super::{done, parse_id};
use crate::WebState;
use crate::error::{PageError, status_of};
use crate::layout::Layout;
use crate::session::Viewer;

pub struct CommentLine {
    pub id: i64,
    pub author: String,
    pub body: String,
    pub when: String,
}

pub struct ThreadLine {
    pub comment: CommentLine,
    /// "Step 2 · Pricing" or "The course as a whole".
    pub pinned: String,
    pub resolved: Option<String>,
    pub replies: Vec<CommentLine>,
}

pub struct VerdictLine {
    pub reviewer: String,
    pub approved: bool,
    pub note: String,
    pub when: String,
    /// Given on content that has changed since.
    pub outdated: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "review.html")]
pub struct ReviewPage {
    layout: Layout,
    course_id: i64,
    v: ReviewView,
    status: &'static str,
    status_text: String,
    threads: Vec<ThreadLine>,
    verdicts: Vec<VerdictLine>,
    submitted: String,
    error: String,
    /// The comment form's text kept after a refusal.
    body: String,
}

impl ReviewPage {
    fn state_is_published(&self) -> bool {
        self.v
            .review
            .as_ref()
            .is_some_and(|r| r.state == ReviewState::Published)
    }
}

fn line(viewer: &Viewer, c: &lore_app::courses::review::CommentThread) -> ThreadLine {
    let pinned = match (&c.step_position, &c.step_title, &c.comment.step_key) {
        (Some(n), Some(t), _) => format!("Step {n} · {t}"),
        (_, _, Some(_)) => "A step since removed".to_owned(),
        _ => "The course as a whole".to_owned(),
    };
    let to_line = |r: &lore_app::ReviewCommentRow| CommentLine {
        id: r.id,
        author: r.author_name.clone(),
        body: r.body.clone(),
        when: viewer.when(r.created_at),
    };
    ThreadLine {
        comment: to_line(&c.comment),
        pinned,
        resolved: c.comment.resolved_at.map(|at| viewer.when(at)),
        replies: c.replies.iter().map(to_line).collect(),
    }
}

fn review_page(viewer: &Viewer, v: ReviewView, error: String, body: String) -> ReviewPage {
    let (status, status_text) = match (&v.review, v.standing) {
        (None, _) if v.is_draft => (
            "none",
            if v.required {
                "Not submitted yet. This course's group requires review before it goes live.".to_owned()
            } else {
                "Not submitted. Review is optional for this course's group.".to_owned()
            },
        ),
        (None, _) => ("none", "This version was published without review.".to_owned()),
        (Some(r), _) if r.state == ReviewState::Published => (
            "published",
            format!("Reviewed and published as version {}.", r.version_number),
        ),
        (Some(r), _) if r.state == ReviewState::Withdrawn => {
            ("withdrawn", "Withdrawn by its author.".to_owned())
        }
        (Some(_), Some(Standing::Approved)) => (
            "approved",
            "Approved: it can be published.".to_owned(),
        ),
        (Some(_), Some(Standing::ChangesRequested)) => (
            "changes-requested",
            "Changes requested: change the draft, then submit it again.".to_owned(),
        ),
        (Some(_), _) if v.changed_since_submitted => (
            "changed",
            "The draft changed since it was submitted: submit it again so reviewers see this version.".to_owned(),
        ),
        (Some(_), _) => ("waiting", "Waiting for a reviewer.".to_owned()),
    };
    let current = v.review.as_ref().map(|r| r.fingerprint.clone());
    let verdicts = v
        .verdicts
        .iter()
        .map(|d| VerdictLine {
            reviewer: d.reviewer_name.clone(),
            approved: d.verdict == Verdict::Approved,
            note: d.note.clone(),
            when: viewer.when(d.created_at),
            outdated: d.verdict == Verdict::Approved
                && (v.changed_since_submitted
                    || current.as_deref() != Some(d.fingerprint.as_str()))
                && v.open(),
        })
        .collect();
    ReviewPage {
        layout: Layout::for_session(&viewer.0, "courses"),
        course_id: v.ctx.course.id,
        status,
        status_text,
        threads: v.threads.iter().map(|t| line(viewer, t)).collect(),
        verdicts,
        submitted: v
            .review
            .as_ref()
            .map(|r| viewer.when(r.submitted_at))
            .unwrap_or_default(),
        error,
        body,
        v,
    }
}

#[derive(Deserialize)]
pub struct ReviewQuery {
    version: Option<i32>,
    notice: Option<String>,
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<ReviewQuery>,
) -> Result<ReviewPage, PageError> {
    let v = state
        .app
        .review_page(viewer.caller(), parse_id(&id)?, q.version)
        .await?;
    let mut page = review_page(&viewer, v, String::new(), String::new());
    page.layout = page.layout.with_notice(q.notice.as_deref());
    Ok(page)
}

/// After a form: to the review page with a notice, or the page again with the refusal and
/// the text kept.
async fn answer<T>(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    result: Result<T, AppError>,
    notice: &str,
    body: String,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(done(&format!("/courses/{id}/review"), notice)),
        Err(
            e @ (AppError::Invalid(_)
            | AppError::Conflict(_)
            | AppError::Refused { .. }
            | AppError::NotFound(lore_app::NO_SUCH_PERSON)),
        ) => {
            let v = state.app.review_page(viewer.caller(), id, None).await?;
            let page = review_page(viewer, v, e.to_string(), body);
            Ok((status_of(&e), page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn submit(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = state.app.submit_for_review(viewer.caller(), id).await;
    answer(
        &state,
        &viewer,
        id,
        result,
        "review-submitted",
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    step: String,
    parent: Option<String>,
    #[serde(default)]
    body: String,
}

pub async fn comment(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<CommentForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let parent = match f.parent.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Some(parse_id(p)?),
        None => None,
    };
    let step = Some(f.step.as_str()).filter(|s| !s.trim().is_empty());
    let result = state
        .app
        .comment_on_review(viewer.caller(), id, step, parent, &f.body)
        .await;
    answer(&state, &viewer, id, result, "review-commented", f.body).await
}

#[derive(Deserialize)]
pub struct ResolveForm {
    #[serde(default)]
    resolved: String,
}

pub async fn resolve(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, comment)): Path<(String, String)>,
    Form(f): Form<ResolveForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = state
        .app
        .resolve_review_comment(viewer.caller(), id, parse_id(&comment)?, f.resolved != "0")
        .await;
    answer(
        &state,
        &viewer,
        id,
        result,
        "review-resolved",
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct VerdictForm {
    #[serde(default)]
    verdict: String,
    #[serde(default)]
    note: String,
}

pub async fn verdict(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<VerdictForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = match Verdict::parse(&f.verdict) {
        Ok(verdict) => {
            state
                .app
                .give_verdict(viewer.caller(), id, verdict, &f.note)
                .await
        }
        Err(e) => Err(e.into()),
    };
    answer(&state, &viewer, id, result, "review-verdict", f.note).await
}

#[derive(Deserialize)]
pub struct ReviewerForm {
    #[serde(default)]
    email: String,
}

pub async fn add_reviewer(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<ReviewerForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = state.app.add_reviewer(viewer.caller(), id, &f.email).await;
    answer(&state, &viewer, id, result, "reviewer-added", String::new()).await
}

pub async fn remove_reviewer(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, user)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = state
        .app
        .remove_reviewer(viewer.caller(), id, parse_id(&user)?)
        .await;
    answer(
        &state,
        &viewer,
        id,
        result,
        "reviewer-removed",
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct BackForm {
    /// Where to go after: `attention` for the list, else the feedback page.
    #[serde(default)]
    back: String,
}

fn back_to(id: i64, back: &str) -> String {
    if back == "attention" {
        "/attention".to_owned()
    } else {
        format!("/courses/{id}/feedback")
    }
}

pub async fn confirm(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<BackForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    state.app.confirm_current(viewer.caller(), id).await?;
    Ok(done(&back_to(id, &f.back), "course-confirmed"))
}

#[derive(Deserialize)]
pub struct IntervalForm {
    #[serde(default)]
    review_days: String,
}

pub async fn interval(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<IntervalForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    state
        .app
        .set_course_review_days(viewer.caller(), id, &f.review_days)
        .await?;
    Ok(done(&format!("/courses/{id}/feedback"), "interval-saved"))
}
