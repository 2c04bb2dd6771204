//! The page of one need: what is asked and by how many, who may answer it, what became of it;
//! voting, following and volunteering; the coach's status, merge, expert and course tools.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use lore_app::courses::catalogue::CatalogueQuery;
use lore_app::needs::board::NeedEventLine;
use lore_app::needs::{BoardQuery, ExpertSuggestion, NeedView};
use lore_app::{AppError, AppResult};
use lore_domain::need::{ExpertState, NeedStatus};
use serde::Deserialize;

use super::age_text;
use crate::WebState;
use crate::error::{PageError, status_of};
use crate::layout::Layout;
use crate::pages::parse_id;
use crate::session::Viewer;

/// What was typed into a coach's form that was refused, shown again with the reason.
#[derive(Default)]
pub struct Typed {
    pub error: String,
    pub status: String,
    pub reason: String,
    pub into: String,
    pub course_id: String,
}

pub struct EventView {
    pub when: String,
    pub who: String,
    pub detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "need.html")]
pub struct NeedPage {
    layout: Layout,
    id: i64,
    /// The caller's user id.
    me: i64,
    v: NeedView,
    asked_on: String,
    age: String,
    events: Vec<EventView>,
    /// Coach only: who could answer it, best first.
    suggestions: Vec<ExpertSuggestion>,
    /// Coach only: needs this one may be merged into, as (id, title).
    merge_targets: Vec<(i64, String)>,
    /// Courses that may be linked as answering it, as (id, title).
    course_choices: Vec<(i64, String)>,
    can_link: bool,
    /// The course the caller was asked to write, and whether it is published.
    my_course: Option<(i64, bool)>,
    typed: Typed,
}

fn event_view(viewer: &Viewer, e: NeedEventLine) -> EventView {
    EventView {
        when: viewer.when(e.at),
        who: e.actor.unwrap_or_else(|| "Lore".to_owned()),
        detail: e.detail,
    }
}

async fn need_page(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    typed: Typed,
) -> AppResult<NeedPage> {
    let caller = viewer.caller();
    let mut v = state.app.need_view(caller, id).await?;
    let me = caller.id.0;
    let assigned = v
        .experts
        .iter()
        .any(|e| e.user_id == me && e.state == ExpertState::Assigned);
    // The course the caller was asked to write, and whether it is out yet.
    let my_course = v
        .experts
        .iter()
        .find(|e| e.user_id == me && e.state == ExpertState::Assigned)
        .and_then(|e| e.course_id)
        .map(|c| {
            let published = v.courses.iter().any(|l| l.course_id == c && l.published);
            (c, published)
        });
    let linkable = !matches!(v.summary.status.as_str(), "merged" | "declined" | "closed");
    let can_link = linkable && (v.can_manage || assigned);
    let (suggestions, merge_targets) = if v.can_manage {
        let suggestions = if v.can_vote {
            state.app.suggest_experts(caller, id).await?
        } else {
            Vec::new()
        };
        let board = state
            .app
            .needs_board(
                caller,
                &BoardQuery {
                    all: true,
                    per_page: 200,
                    lead_times: false,
                    ..BoardQuery::default()
                },
            )
            .await?;
        let targets = board
            .needs
            .into_iter()
            .filter(|n| n.id != id)
            .map(|n| (n.id, n.title))
            .collect();
        (suggestions, targets)
    } else {
        (Vec::new(), Vec::new())
    };
    let course_choices = if can_link {
        let linked: Vec<i64> = v.courses.iter().map(|c| c.course_id).collect();
        // Courses like the need first, then the rest of the catalogue.
        let mut choices = state
            .app
            .similar_to(caller, &v.summary.title)
            .await?
            .courses;
        for c in state
            .app
            .catalogue(caller, &CatalogueQuery::default(), 1, 200)
            .await?
            .entries
        {
            if !choices.iter().any(|(id, _)| *id == c.course_id) {
                choices.push((c.course_id, c.title));
            }
        }
        choices.retain(|(id, _)| !linked.contains(id));
        choices.truncate(200);
        choices
    } else {
        Vec::new()
    };
    Ok(NeedPage {
        layout: Layout::for_session(&viewer.0, "needs"),
        id,
        me,
        asked_on: viewer.when(v.summary.created_at),
        age: age_text(v.summary.age_days),
        events: std::mem::take(&mut v.events)
            .into_iter()
            .map(|e| event_view(viewer, e))
            .collect(),
        suggestions,
        merge_targets,
        course_choices,
        can_link,
        my_course,
        typed,
        v,
    })
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<NeedPage, PageError> {
    Ok(need_page(&state, &viewer, parse_id(&id)?, Typed::default()).await?)
}

/// Back to the need after a change; a refusal shows the page again with the reason and
/// what was typed.
async fn after(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    result: AppResult<()>,
    typed: Typed,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/needs/{id}")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_) | AppError::Refused { .. })) => {
            let page = need_page(
                state,
                viewer,
                id,
                Typed {
                    error: e.to_string(),
                    ..typed
                },
            )
            .await?;
            Ok((status_of(&e), page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn vote(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let r = state.app.vote_need(viewer.caller(), id).await;
    after(&state, &viewer, id, r, Typed::default()).await
}

pub async fn unvote(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let r = state.app.unvote_need(viewer.caller(), id).await;
    after(&state, &viewer, id, r, Typed::default()).await
}

pub async fn follow(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let r = state.app.follow_need(viewer.caller(), id, true).await;
    after(&state, &viewer, id, r, Typed::default()).await
}

pub async fn unfollow(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let r = state.app.follow_need(viewer.caller(), id, false).await;
    after(&state, &viewer, id, r, Typed::default()).await
}

pub async fn volunteer(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let r = state.app.volunteer_for_need(viewer.caller(), id).await;
    after(&state, &viewer, id, r, Typed::default()).await
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
}

pub async fn status(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<StatusForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let r = state
        .app
        .set_need_status(viewer.caller(), id, &f.status, &f.reason)
        .await
        .map(|_| ());
    let typed = Typed {
        status: f.status,
        reason: f.reason,
        ..Typed::default()
    };
    after(&state, &viewer, id, r, typed).await
}

/// A number from a form field, or a message about that field.
fn number(raw: &str, field: &'static str, message: &str) -> AppResult<i64> {
    raw.trim()
        .parse()
        .map_err(|_| AppError::invalid(field, message.to_owned()))
}

#[derive(Deserialize)]
pub struct MergeForm {
    #[serde(default)]
    into: String,
}

pub async fn merge(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<MergeForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let r = match number(&f.into, "into", "Pick the need this one duplicates.") {
        Ok(into) => state
            .app
            .merge_need(viewer.caller(), id, into)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    let typed = Typed {
        into: f.into,
        ..Typed::default()
    };
    after(&state, &viewer, id, r, typed).await
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    user_id: String,
}

pub async fn assign(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<AssignForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let r = match number(&f.user_id, "user_id", "Pick the person to assign.") {
        Ok(user) => state
            .app
            .assign_expert(viewer.caller(), id, user)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    after(&state, &viewer, id, r, Typed::default()).await
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    course_id: String,
}

pub async fn link_course(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<LinkForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let r = match number(
        &f.course_id,
        "course_id",
        "Pick the course that answers it.",
    ) {
        Ok(course) => {
            state
                .app
                .link_course_to_need(viewer.caller(), id, course)
                .await
        }
        Err(e) => Err(e),
    };
    let typed = Typed {
        course_id: f.course_id,
        ..Typed::default()
    };
    after(&state, &viewer, id, r, typed).await
}
