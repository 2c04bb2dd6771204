//! The player: one step at a time, previous/next, progress, time spent, resume.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use lore_app::courses::learning::PlayerView;
use lore_domain::course::StepKind;
use lore_domain::question::QuestionKind;
use lore_domain::reactions::ReactionStatus;
use serde::Deserialize;

use super::super::{NoticeQuery, done, parse_id};
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

#[derive(Template, WebTemplate)]
#[template(path = "player.html")]
pub struct PlayerPage {
    pub(super) layout: Layout,
    course_id: i64,
    course_title: String,
    version: i32,
    newer_version: Option<i32>,
    position: usize,
    count: usize,
    /// Every step of the version being taken, for the step list.
    steps: Vec<super::overview::StepLine>,
    percent: u32,
    step_key: String,
    step_title: String,
    step_kind: StepKind,
    body_html: String,
    video_url: String,
    blob_hash: String,
    done: bool,
    completed: bool,
    /// The course has a final evaluation the learner has not passed: the last step leads there.
    evaluation_pending: bool,
    opened_at: i64,
    questions: Vec<super::evaluation::Shown>,
    my_reactions: Vec<MyReaction>,
    reaction: ReactionForm,
    /// The positive kinds as toggles: (kind, label, the caller's reaction of that kind).
    positive: Vec<(&'static str, &'static str, Option<i64>)>,
    /// The negative kinds for the comment form: (kind, label).
    negative: Vec<(&'static str, &'static str)>,
}

/// One of the learner's own reactions on the step shown.
pub struct MyReaction {
    pub id: i64,
    pub kind: &'static str,
    pub label: &'static str,
    pub comment: String,
    /// Where the reaction stands once it is no longer open.
    pub resolved: Option<ReactionStatus>,
}

/// The reaction form as the learner left it, with the refusal when one was refused.
#[derive(Default)]
pub struct ReactionForm {
    pub error: String,
    pub kind: String,
    pub comment: String,
}

/// The reaction kinds in the order the player offers them: (kind, label, positive).
pub const REACTION_CHOICES: [(&str, &str, bool); 6] = [
    ("useful", "Useful", true),
    ("learned", "Learned something", true),
    ("liked", "Liked it", true),
    ("outdated", "Outdated", false),
    ("question", "I have a question", false),
    ("unclear", "Not clear", false),
];

pub fn reaction_label(kind: &str) -> (&'static str, &'static str) {
    REACTION_CHOICES
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map_or(("useful", "Reaction"), |(k, l, _)| (*k, *l))
}

fn page(
    viewer: &Viewer,
    v: PlayerView,
    now: time::OffsetDateTime,
    questions: Vec<super::evaluation::Shown>,
    my_reactions: Vec<MyReaction>,
    reaction: ReactionForm,
) -> PlayerPage {
    let step = v.step().clone();
    PlayerPage {
        layout: Layout::for_session(&viewer.0, "courses"),
        positive: REACTION_CHOICES
            .iter()
            .filter(|(_, _, p)| *p)
            .map(|(k, l, _)| {
                (
                    *k,
                    *l,
                    my_reactions.iter().find(|r| r.kind == *k).map(|r| r.id),
                )
            })
            .collect(),
        negative: REACTION_CHOICES
            .iter()
            .filter(|(_, _, p)| !*p)
            .map(|(k, l, _)| (*k, *l))
            .collect(),
        my_reactions,
        reaction,
        course_id: v.ctx.course.id,
        course_title: v.version.title.clone(),
        version: v.version.number,
        newer_version: v.newer_version,
        position: v.index + 1,
        count: v.steps.len(),
        steps: v
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| super::overview::StepLine {
                position: i + 1,
                title: s.title.clone(),
                kind: s.kind,
                done: v.done_keys.contains(&s.step_key),
            })
            .collect(),
        percent: v.percent_done(),
        done: v.done_keys.contains(&step.step_key),
        completed: v.enrolment.completed_at.is_some(),
        evaluation_pending: false,
        step_key: step.step_key,
        step_title: step.title,
        step_kind: step.kind,
        body_html: lore_app::markdown::render(&step.body),
        video_url: step.video_url.unwrap_or_default(),
        blob_hash: step.blob_hash.unwrap_or_default(),
        opened_at: now.unix_timestamp(),
        questions,
    }
}

/// The player page with the step's own questions (and their results after a check).
async fn full_page(
    state: &WebState,
    viewer: &Viewer,
    v: PlayerView,
    results: Vec<lore_app::evaluations::attempts::QuestionResult>,
) -> Result<PlayerPage, PageError> {
    player_page(state, viewer, v, results, ReactionForm::default()).await
}

/// The player page, with the reaction form as the learner left it.
pub async fn player_page(
    state: &WebState,
    viewer: &Viewer,
    v: PlayerView,
    results: Vec<lore_app::evaluations::attempts::QuestionResult>,
    reaction: ReactionForm,
) -> Result<PlayerPage, PageError> {
    let my_reactions = state
        .app
        .my_reactions(
            viewer.caller(),
            v.ctx.course.id,
            v.version.number,
            &v.step().step_key,
        )
        .await?
        .into_iter()
        .map(|r| {
            let (kind, label) = reaction_label(r.kind.as_str());
            MyReaction {
                id: r.id,
                kind,
                label,
                comment: r.comment.unwrap_or_default(),
                resolved: r.status.filter(|s| *s != ReactionStatus::Open),
            }
        })
        .collect();
    let questions = if v.step().kind == StepKind::Question {
        let qs = state
            .app
            .step_questions(viewer.caller(), v.ctx.course.id, &v.step().step_key)
            .await?;
        let results = results.into_iter().map(|r| (r.key.clone(), r)).collect();
        super::evaluation::shown_with(qs, &results, &std::collections::BTreeMap::new())
    } else {
        Vec::new()
    };
    let evaluation_pending = state
        .app
        .evaluation_info(viewer.caller(), v.ctx.course.id, v.version.number)
        .await?
        .is_some_and(|e| !e.passed);
    let mut page = page(
        viewer,
        v,
        state.app.now(),
        questions,
        my_reactions,
        reaction,
    );
    page.evaluation_pending = evaluation_pending;
    Ok(page)
}

pub async fn resume(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let v = match state.app.player(viewer.caller(), id, None).await {
        Err(e) if not_enrolled(&e) => return Ok(start_page(id)),
        v => v?,
    };
    let mut page = full_page(&state, &viewer, v, Vec::new()).await?;
    page.layout = page.layout.with_notice(q.notice.as_deref());
    Ok(page.into_response())
}

/// Someone not enrolled opens the player: the course's page, with its Start button.
fn start_page(course_id: i64) -> Response {
    Redirect::to(&format!("/courses/{course_id}")).into_response()
}

fn not_enrolled(e: &lore_app::AppError) -> bool {
    matches!(e, lore_app::AppError::Refused { code, .. } if *code == lore_app::courses::learning::NOT_ENROLLED)
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, position)): Path<(String, String)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let position = position
        .parse::<usize>()
        .map_err(|_| PageError(lore_app::AppError::NotFound("That step")))?;
    let id = parse_id(&id)?;
    let v = match state.app.player(viewer.caller(), id, Some(position)).await {
        Err(e) if not_enrolled(&e) => return Ok(start_page(id)),
        v => v?,
    };
    let mut page = full_page(&state, &viewer, v, Vec::new()).await?;
    page.layout = page.layout.with_notice(q.notice.as_deref());
    Ok(page.into_response())
}

#[derive(Deserialize)]
pub struct CompleteForm {
    /// When the page was shown (server time, seconds); the time spent is measured from it.
    opened_at: Option<i64>,
    position: Option<usize>,
    count: Option<usize>,
    /// `evaluation`: the last step's button goes on to the course's evaluation.
    then: Option<String>,
}

pub async fn complete(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, key)): Path<(String, String)>,
    Form(f): Form<CompleteForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let now = state.app.now().unix_timestamp();
    // The form comes from the browser: a time in the future or absurdly far back (or a
    // number chosen to overflow) counts as no time spent rather than breaking the request.
    let seconds = f
        .opened_at
        .map_or(0, |t| now.saturating_sub(t))
        .clamp(0, 7 * 24 * 3600);
    let finished = state
        .app
        .complete_step(viewer.caller(), id, &key, seconds)
        .await?;
    let to_evaluation = f.then.as_deref() == Some("evaluation");
    if finished && to_evaluation {
        return Ok(Redirect::to(&format!(
            "/courses/{id}?notice=course-completed#evaluation-heading"
        ))
        .into_response());
    }
    if finished {
        return Ok(done(&format!("/courses/{id}"), "course-completed"));
    }
    if to_evaluation {
        return Ok(Redirect::to(&format!("/courses/{id}#evaluation-heading")).into_response());
    }
    let next = f.position.unwrap_or(0).saturating_add(1);
    if f.count.is_some_and(|c| next > c) {
        return Ok(Redirect::to(&format!("/courses/{id}")).into_response());
    }
    Ok(Redirect::to(&format!("/courses/{id}/learn/{next}")).into_response())
}

/// Check the answers to the questions inside a step; the page shows the feedback.
pub async fn check(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, key)): Path<(String, String)>,
    axum_extra::extract::Form(form): axum_extra::extract::Form<Vec<(String, String)>>,
) -> Result<PlayerPage, PageError> {
    let id = parse_id(&id)?;
    let position = form
        .iter()
        .find(|(k, _)| k == "position")
        .and_then(|(_, v)| v.parse().ok());
    let questions = state.app.step_questions(viewer.caller(), id, &key).await?;
    let answers = super::evaluation::answers_from(&form, &questions);
    let results = state
        .app
        .check_step_answers(viewer.caller(), id, &key, answers)
        .await?;
    let v = state.app.player_view(viewer.caller(), id, position).await?;
    full_page(&state, &viewer, v, results).await
}

pub async fn switch_latest(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    state.app.switch_to_latest(viewer.caller(), id).await?;
    Ok(Redirect::to(&format!("/courses/{id}/learn")).into_response())
}
