//! The feedback loop in pages: reacting in the player (and withdrawing), the course's feedback
//! page for authors and coaches (health, scores, reactions to resolve, suggestions), suggesting
//! an edit to a text step, reviewing a suggestion, and the "needs attention" list.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use lore_app::AppError;
use lore_app::feedback::health::{ATTENTION_PAGE_SIZE, AttentionEntry, FeedbackView};
use lore_app::feedback::suggestions::SuggestionView;
use lore_domain::reactions::ReactionStatus;
use lore_domain::reactions::Resolution;
use lore_domain::suggested_edit::SuggestedEditStatus;
use serde::Deserialize;

use super::super::{NoticeQuery, done, parse_id};
use super::overview::diff_html;
use super::player::{ReactionForm, player_page, reaction_label};
use crate::WebState;
use crate::error::{PageError, status_of};
use crate::layout::Layout;
use crate::session::Viewer;

#[derive(Deserialize)]
pub struct ReactForm {
    /// Missing when no choice was made: refused with the form shown again.
    #[serde(default)]
    kind: String,
    #[serde(default)]
    comment: String,
    position: Option<usize>,
}

pub async fn react(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, key)): Path<(String, String)>,
    Form(f): Form<ReactForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    match state
        .app
        .react(viewer.caller(), id, &key, &f.kind, &f.comment)
        .await
    {
        Ok(_) => Ok(done(
            &format!("/courses/{id}/learn/{}", f.position.unwrap_or(1)),
            "reaction-saved",
        )),
        Err(
            e @ (AppError::Invalid(_)
            | AppError::Conflict(_)
            | AppError::Refused { .. }
            | AppError::RateLimited { .. }),
        ) => {
            let status = status_of(&e);
            let v = state
                .app
                .player_view(viewer.caller(), id, f.position)
                .await?;
            let page = player_page(
                &state,
                &viewer,
                v,
                Vec::new(),
                ReactionForm {
                    error: e.to_string(),
                    kind: f.kind,
                    comment: f.comment,
                },
            )
            .await?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PositionForm {
    position: Option<usize>,
}

pub async fn withdraw(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, reaction)): Path<(String, String)>,
    Form(f): Form<PositionForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    state
        .app
        .withdraw_reaction(viewer.caller(), Some(id), parse_id(&reaction)?)
        .await?;
    Ok(done(
        &format!("/courses/{id}/learn/{}", f.position.unwrap_or(1)),
        "reaction-withdrawn",
    ))
}

pub struct ReactionView {
    pub id: i64,
    pub kind: &'static str,
    pub label: &'static str,
    pub who: String,
    pub step_title: String,
    pub version: i32,
    pub comment: String,
    /// `None` for positive reactions.
    pub status: Option<ReactionStatus>,
    pub note: String,
    pub fixed_in: Option<i32>,
    pub when: String,
    /// The resolution the form starts on: `answer` for a question, `fixed` otherwise.
    pub preselect: &'static str,
    /// The newest published version after the one reacted to: the likely fix.
    pub fix_version: Option<i32>,
}

impl ReactionView {
    pub fn is_open(&self) -> bool {
        self.status == Some(ReactionStatus::Open)
    }

    pub fn is_fixed(&self) -> bool {
        self.status == Some(ReactionStatus::Fixed)
    }
}

pub struct SuggestionLineView {
    pub id: i64,
    pub step_title: String,
    pub proposer: String,
    pub reason: String,
    pub status: SuggestedEditStatus,
    pub into_version: Option<i32>,
    pub when: String,
}

/// A refused resolution, shown on the reaction it was about with the text kept.
#[derive(Default)]
pub struct ResolveError {
    pub reaction: i64,
    pub message: String,
    pub note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "feedback.html")]
pub struct FeedbackPage {
    layout: Layout,
    course_id: i64,
    v: FeedbackView,
    reactions: Vec<ReactionView>,
    suggestions: Vec<SuggestionLineView>,
    error: ResolveError,
    min_views: u64,
    /// The course's checks (stale or not, interval, last confirmation).
    upkeep: Option<lore_app::courses::upkeep::Upkeep>,
    upkeep_confirmed: String,
}

fn feedback_page(viewer: &Viewer, v: FeedbackView, error: ResolveError) -> FeedbackPage {
    let reactions = v
        .reactions
        .iter()
        .map(|r| {
            let (kind, label) = reaction_label(r.row.kind.as_str());
            ReactionView {
                id: r.row.id,
                kind,
                label,
                who: r.who.clone(),
                step_title: r.step_title.clone(),
                version: r.row.version_number,
                comment: r.row.comment.clone().unwrap_or_default(),
                status: r.row.status,
                note: r.row.resolution_note.clone().unwrap_or_default(),
                fixed_in: r.row.fixed_in_version,
                when: viewer.when(r.row.created_at),
                preselect: if kind == "question" {
                    "answer"
                } else {
                    "fixed"
                },
                fix_version: v
                    .published
                    .iter()
                    .copied()
                    .filter(|n| *n > r.row.version_number)
                    .max(),
            }
        })
        .collect();
    let suggestions = v
        .suggestions
        .iter()
        .map(|s| SuggestionLineView {
            id: s.row.id,
            step_title: s.row.base_title.clone(),
            proposer: s.proposer.clone(),
            reason: s.row.reason.clone(),
            status: s.row.status,
            into_version: s.row.accepted_into_version,
            when: viewer.when(s.row.created_at),
        })
        .collect();
    FeedbackPage {
        layout: Layout::for_session(&viewer.0, "courses"),
        course_id: v.ctx.course.id,
        reactions,
        suggestions,
        error,
        min_views: lore_domain::reactions::MIN_VIEWS,
        v,
        upkeep: None,
        upkeep_confirmed: String::new(),
    }
}

/// The feedback page with the course's checks filled in.
async fn with_upkeep(
    state: &WebState,
    viewer: &Viewer,
    mut page: FeedbackPage,
) -> Result<FeedbackPage, PageError> {
    let upkeep = state.app.upkeep(viewer.caller(), page.course_id).await.ok();
    page.upkeep_confirmed = upkeep
        .as_ref()
        .and_then(|u| u.confirmed_at)
        .map(|at| viewer.when(at))
        .unwrap_or_default();
    page.upkeep = upkeep;
    Ok(page)
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<FeedbackPage, PageError> {
    let v = state
        .app
        .course_feedback(viewer.caller(), parse_id(&id)?)
        .await?;
    let mut page = feedback_page(&viewer, v, ResolveError::default());
    page.layout = page.layout.with_notice(q.notice.as_deref());
    with_upkeep(&state, &viewer, page).await
}

#[derive(Deserialize)]
pub struct ResolveForm {
    action: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    version: String,
}

pub async fn resolve(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, reaction)): Path<(String, String)>,
    Form(f): Form<ResolveForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let reaction = parse_id(&reaction)?;
    let result = match Resolution::parse(&f.action, &f.note, f.version.trim().parse().ok()) {
        Ok(r) => {
            state
                .app
                .resolve_reaction(viewer.caller(), id, reaction, r)
                .await
        }
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Ok(done(
            &format!("/courses/{id}/feedback"),
            "reaction-resolved",
        )),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_) | AppError::Refused { .. })) => {
            let v = state.app.course_feedback(viewer.caller(), id).await?;
            let page = feedback_page(
                &viewer,
                v,
                ResolveError {
                    reaction,
                    message: e.to_string(),
                    note: f.note,
                },
            );
            let page = with_upkeep(&state, &viewer, page).await?;
            Ok((status_of(&e), page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "suggest.html")]
pub struct SuggestPage {
    layout: Layout,
    course_id: i64,
    course_title: String,
    version: i32,
    step_key: String,
    step_title: String,
    body: String,
    reason: String,
    error: String,
}

pub async fn suggest_page(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, key)): Path<(String, String)>,
) -> Result<SuggestPage, PageError> {
    let id = parse_id(&id)?;
    let (_, version, step) = state.app.suggestion_base(viewer.caller(), id, &key).await?;
    Ok(SuggestPage {
        layout: Layout::for_session(&viewer.0, "courses"),
        course_id: id,
        course_title: version.title,
        version: version.number,
        step_key: step.step_key,
        step_title: step.title,
        body: step.body,
        reason: String::new(),
        error: String::new(),
    })
}

#[derive(Deserialize)]
pub struct SuggestForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    reason: String,
}

pub async fn suggest(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, key)): Path<(String, String)>,
    Form(f): Form<SuggestForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    match state
        .app
        .propose_edit(viewer.caller(), id, &key, &f.body, &f.reason)
        .await
    {
        Ok(row) => Ok(done(
            &format!("/courses/{id}/suggestions/{}", row.id),
            "suggestion-sent",
        )),
        Err(e @ (AppError::Invalid(_) | AppError::RateLimited { .. })) => {
            let (_, version, step) = state.app.suggestion_base(viewer.caller(), id, &key).await?;
            let page = SuggestPage {
                layout: Layout::for_session(&viewer.0, "courses"),
                course_id: id,
                course_title: version.title,
                version: version.number,
                step_key: step.step_key,
                step_title: step.title,
                body: f.body,
                reason: f.reason,
                error: e.to_string(),
            };
            Ok((status_of(&e), page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "suggestion.html")]
pub struct SuggestionPage {
    layout: Layout,
    course_id: i64,
    s: SuggestionView,
    diff_html: String,
    changes_html: String,
    when: String,
    /// The text in the "edit and accept" box.
    edited: String,
    decline_reason: String,
    error: String,
}

fn suggestion_page(viewer: &Viewer, course_id: i64, s: SuggestionView) -> SuggestionPage {
    SuggestionPage {
        layout: Layout::for_session(&viewer.0, "courses"),
        course_id,
        diff_html: diff_html(&s.diff),
        changes_html: diff_html(&s.changes_since),
        when: viewer.when(s.row.created_at),
        edited: if s.conflict {
            s.current_body.clone().unwrap_or_default()
        } else {
            s.row.proposed_body.clone()
        },
        decline_reason: String::new(),
        error: String::new(),
        s,
    }
}

pub async fn suggestion(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, sid)): Path<(String, String)>,
    Query(q): Query<NoticeQuery>,
) -> Result<SuggestionPage, PageError> {
    let id = parse_id(&id)?;
    let s = state
        .app
        .suggestion(viewer.caller(), id, parse_id(&sid)?)
        .await?;
    let mut page = suggestion_page(&viewer, id, s);
    page.layout = page.layout.with_notice(q.notice.as_deref());
    Ok(page)
}

#[derive(Deserialize)]
pub struct AcceptForm {
    /// Present when the author edited the text before accepting.
    body: Option<String>,
}

pub async fn accept(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, sid)): Path<(String, String)>,
    Form(f): Form<AcceptForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let sid = parse_id(&sid)?;
    match state
        .app
        .accept_edit(viewer.caller(), id, sid, f.body.as_deref())
        .await
    {
        Ok(_) => Ok(done(
            &format!("/courses/{id}/suggestions/{sid}"),
            "suggestion-accepted",
        )),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let s = state.app.suggestion(viewer.caller(), id, sid).await?;
            let mut page = suggestion_page(&viewer, id, s);
            if let Some(body) = f.body {
                page.edited = body;
            }
            page.error = e.to_string();
            Ok((status_of(&e), page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct DeclineForm {
    #[serde(default)]
    reason: String,
}

pub async fn decline(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, sid)): Path<(String, String)>,
    Form(f): Form<DeclineForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let sid = parse_id(&sid)?;
    match state
        .app
        .decline_edit(viewer.caller(), id, sid, &f.reason)
        .await
    {
        Ok(()) => Ok(done(
            &format!("/courses/{id}/suggestions/{sid}"),
            "suggestion-declined",
        )),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let s = state.app.suggestion(viewer.caller(), id, sid).await?;
            let mut page = suggestion_page(&viewer, id, s);
            page.decline_reason = f.reason;
            page.error = e.to_string();
            Ok((status_of(&e), page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "attention.html")]
pub struct AttentionPage {
    layout: Layout,
    entries: Vec<AttentionEntry>,
    pager: crate::pages::Pager,
}

#[derive(Debug, Deserialize)]
pub struct AttentionPageQuery {
    /// Anything but a page number shows the first page.
    page: Option<String>,
    notice: Option<String>,
}

/// "Needs attention", a page of 20 at a time.
pub async fn attention(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<AttentionPageQuery>,
) -> Result<AttentionPage, PageError> {
    let page = crate::pages::page_number(q.page.as_deref());
    let (entries, total) = state.app.needs_attention(viewer.caller(), page - 1).await?;
    Ok(AttentionPage {
        layout: Layout::for_session(&viewer.0, "attention").with_notice(q.notice.as_deref()),
        entries,
        pager: crate::pages::Pager::new("/attention", page, total, ATTENTION_PAGE_SIZE),
    })
}

pub struct StepHistoryView {
    pub version: i32,
    pub when: String,
    pub title: String,
    pub added: bool,
    pub diff_html: String,
    pub credited: String,
    pub note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "step_history.html")]
pub struct StepHistoryPage {
    layout: Layout,
    course_id: i64,
    step_title: String,
    lines: Vec<StepHistoryView>,
}

/// A step's history: each version that changed it, with the people credited.
pub async fn step_history(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, key)): Path<(String, String)>,
) -> Result<StepHistoryPage, PageError> {
    let id = parse_id(&id)?;
    let lines = state.app.step_history(viewer.caller(), id, &key).await?;
    Ok(StepHistoryPage {
        layout: Layout::for_session(&viewer.0, "courses"),
        course_id: id,
        step_title: lines.first().map(|l| l.title.clone()).unwrap_or_default(),
        lines: lines
            .into_iter()
            .map(|l| StepHistoryView {
                version: l.version,
                when: l.published_at.map(|t| viewer.when(t)).unwrap_or_default(),
                title: l.title,
                added: l.added,
                diff_html: diff_html(&l.diff),
                credited: l.credited.join(", "),
                note: l.note,
            })
            .collect(),
    })
}
