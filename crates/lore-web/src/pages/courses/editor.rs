//! Writing a course: "New course" (title and first step, then publish), and the editor of
//! the draft of the next version with stale-save protection, step order, people and publishing.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use lore_app::AppError;
use lore_app::courses::authoring::{
    CheckItem, CourseFields, Draft, DraftField, NewCourseWithSteps, StepInput, tags_of,
};
use lore_domain::course::StepKind;
use serde::Deserialize;

use super::super::{NoticeQuery, done, parse_id};
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

/// Step slots the new-course form shows without JavaScript (with it, "Add a step" adds more).
const NEW_STEP_SLOTS: usize = 3;

#[derive(Template, WebTemplate)]
#[template(path = "course_new.html")]
pub struct NewCoursePage {
    layout: Layout,
    groups: Vec<(i64, String)>,
    group: i64,
    title: String,
    /// The step slots as (title, body): what was typed, then empty spares.
    steps: Vec<(String, String)>,
    error: Option<String>,
    error_field: String,
}

/// What was typed, topped up with empty slots to [`NEW_STEP_SLOTS`].
fn step_slots(mut steps: Vec<(String, String)>) -> Vec<(String, String)> {
    while steps.len() < NEW_STEP_SLOTS {
        steps.push((String::new(), String::new()));
    }
    steps
}

pub async fn new_page(
    State(state): State<WebState>,
    viewer: Viewer,
) -> Result<NewCoursePage, PageError> {
    let groups = state.app.authoring_groups(viewer.caller()).await?;
    Ok(NewCoursePage {
        layout: Layout::for_session(&viewer.0, "courses"),
        group: groups.first().map_or(0, |g| g.0),
        groups,
        title: String::new(),
        steps: step_slots(vec![("Introduction".to_owned(), String::new())]),
        error: None,
        error_field: String::new(),
    })
}

/// The new-course form: `step_title` and `step_body` come once per step slot, in order.
#[derive(Deserialize)]
pub struct CreateForm {
    title: String,
    group_id: Option<String>,
    #[serde(default)]
    step_title: Vec<String>,
    #[serde(default)]
    step_body: Vec<String>,
    action: Option<String>,
}

pub async fn create(
    State(state): State<WebState>,
    viewer: Viewer,
    axum_extra::extract::Form(form): axum_extra::extract::Form<CreateForm>,
) -> Result<Response, PageError> {
    let caller = viewer.caller();
    let group_id = form.group_id.as_deref().and_then(|g| g.parse().ok());
    let slots = form.step_title.len().max(form.step_body.len());
    let typed: Vec<(String, String)> = (0..slots)
        .map(|i| {
            (
                form.step_title.get(i).cloned().unwrap_or_default(),
                form.step_body.get(i).cloned().unwrap_or_default(),
            )
        })
        .collect();
    let publish = form.action.as_deref() == Some("publish");
    let new = NewCourseWithSteps {
        title: &form.title,
        group_id,
        steps: typed
            .iter()
            .map(|(t, b)| (t.as_str(), b.as_str()))
            .collect(),
        publish,
    };
    match state.app.create_course_with_steps(caller, new).await {
        Ok((id, Some(_))) => Ok(done(&format!("/courses/{id}"), "published")),
        Ok((id, None)) => Ok(done(&format!("/courses/{id}/edit"), "draft-saved")),
        Err(e @ (AppError::Invalid(_) | AppError::Refused { .. })) => {
            let error_field = match &e {
                AppError::Invalid(i) => i.field.to_owned(),
                _ => "step_body".to_owned(),
            };
            let status = crate::error::status_of(&e);
            let groups = state.app.authoring_groups(caller).await?;
            let page = NewCoursePage {
                layout: Layout::for_session(&viewer.0, "courses"),
                groups,
                group: group_id.unwrap_or(0),
                title: form.title.chars().take(1000).collect(),
                steps: step_slots(typed),
                error: Some(e.to_string()),
                error_field,
            };
            Ok((status, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

/// A step in the editor, possibly with what the author just typed (after a refused save).
pub struct EditorStep {
    pub id: i64,
    pub position: usize,
    pub revision: i64,
    pub kind: StepKind,
    pub title: String,
    pub body: String,
    pub video_url: String,
    pub blob_hash: String,
    pub required: bool,
    pub preview_html: String,
    pub error: Option<String>,
    /// For question steps: how many questions it holds.
    pub questions: usize,
    /// For question steps: the GIFT text of an import it refused, to correct and send again.
    pub gift: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "course_edit.html")]
pub struct EditorPage {
    layout: Layout,
    course_id: i64,
    number: i32,
    published_before: bool,
    archived: bool,
    revision: i64,
    title: String,
    summary: String,
    language: String,
    tags: String,
    minutes: String,
    details_error: Option<String>,
    cover: String,
    steps: Vec<EditorStep>,
    kinds: [StepKind; 4],
    coauthors: Vec<(i64, String)>,
    /// Experts named to review the open answers (decision 0046).
    answer_reviewers: Vec<lore_app::evaluations::answer_reviewers::NamedReviewer>,
    /// Peer review of open answers (decision 0050): peers per answer ("" when off) and the
    /// disagreement threshold in points.
    peer_count: String,
    peer_threshold: String,
    owner: String,
    is_owner: bool,
    groups: Vec<(i64, String, bool)>,
    people_error: Option<String>,
    publish_error: Option<String>,
    review: lore_app::courses::review::ReviewBrief,
    questions: Vec<QuestionLine>,
    settings: lore_app::evaluations::authoring::SettingsView,
    evaluation_error: Option<String>,
    import_errors: Vec<lore_domain::people_csv::RowError>,
    gift: String,
    /// Open reactions on the published course, for the "Feedback" link (`None` before the
    /// first publication: there is no feedback yet).
    feedback: Option<u64>,
    /// The nudges beside Publish.
    checklist: Vec<CheckItem>,
}

/// A question in the editor's list.
pub struct QuestionLine {
    pub id: i64,
    pub prompt: String,
    pub kind: String,
    pub points: f64,
    /// An essay's rubric (one `name: points` a line) and model answer, when it is one.
    pub essay: Option<(String, String)>,
}

/// What to show instead of the stored draft after a refused save, so nothing typed is lost.
#[derive(Default)]
pub(super) struct Override {
    details: Option<(CourseFieldsOwned, String)>,
    step: Option<(i64, StepForm, String)>,
    people_error: Option<String>,
    publish_error: Option<String>,
    evaluation_error: Option<String>,
    import_errors: Vec<lore_domain::people_csv::RowError>,
    gift: String,
    /// A message for one step (by id) when its upload or questions were refused.
    step_error: Option<(i64, String)>,
    /// The GIFT text a step's import refused (shown in that step's field again).
    step_gift: String,
}

impl Override {
    /// The editor with a message above the evaluation's questions and `gift` in the import
    /// field.
    pub(super) fn evaluation(message: String, gift: String) -> Self {
        Self {
            evaluation_error: Some(message),
            gift,
            ..Self::default()
        }
    }
}

#[derive(Deserialize, Clone, Default)]
pub struct CourseFieldsOwned {
    revision: i64,
    title: String,
    summary: String,
    language: String,
    tags: String,
    estimated_minutes: String,
}

async fn render(
    state: &WebState,
    viewer: &Viewer,
    course_id: i64,
    notice: Option<&str>,
    ov: Override,
) -> Result<EditorPage, PageError> {
    let caller = viewer.caller();
    let draft = state.app.draft(caller, course_id).await?;
    let checklist = state.app.publish_checklist(&draft).await?;
    let review = state.app.review_brief(&draft.ctx, &draft.version).await?;
    let Draft {
        ctx,
        version,
        steps,
    } = draft;
    let (owner, coauthors) = state.app.course_team(&ctx).await?;
    let answer_reviewers = state.app.answer_reviewers_in(&ctx).await?;
    let peer_setting = state.app.peer_review_in(ctx.course.id).await?;
    let feedback = state.app.feedback_waiting(caller, &ctx).await?;
    let groups = state
        .app
        .visible_groups(caller)
        .await?
        .into_iter()
        .filter(|g| g.id != ctx.course.group_id)
        .map(|g| (g.id, g.path, ctx.audiences.contains(&g.id)))
        .collect();
    let (question_rows, settings) = state.app.draft_evaluation(caller, course_id).await?;
    let mut step_question_counts: std::collections::HashMap<String, usize> =
        std::collections::HashMap::new();
    for q in &question_rows {
        if let Some(k) = &q.step_key {
            *step_question_counts.entry(k.clone()).or_default() += 1;
        }
    }
    let (details, details_error) = match ov.details {
        Some((f, e)) => (f, Some(e)),
        None => (
            CourseFieldsOwned {
                revision: version.revision,
                title: version.title.clone(),
                summary: version.summary.clone(),
                language: version.language.clone(),
                tags: tags_of(&version).join(", "),
                estimated_minutes: version
                    .estimated_minutes
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
            },
            None,
        ),
    };
    let steps = steps
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let typed = ov.step.as_ref().filter(|(id, _, _)| *id == s.id);
            let (kind, title, body, video_url, required, revision, error) = match typed {
                Some((_, f, e)) => (
                    // What the author sent back, if it is a kind at all.
                    StepKind::parse(&f.kind).unwrap_or(s.kind),
                    f.title.clone(),
                    f.body.clone(),
                    f.video_url.clone().unwrap_or_default(),
                    f.required.is_some(),
                    f.revision,
                    Some(e.clone()),
                ),
                None => (
                    s.kind,
                    s.title.clone(),
                    s.body.clone(),
                    s.video_url.clone().unwrap_or_default(),
                    s.required,
                    s.revision,
                    None,
                ),
            };
            let error = error.or_else(|| {
                ov.step_error
                    .as_ref()
                    .filter(|(id, _)| *id == s.id)
                    .map(|(_, m)| m.clone())
            });
            EditorStep {
                id: s.id,
                position: i + 1,
                preview_html: lore_app::markdown::render(&body),
                revision,
                kind,
                title,
                body,
                video_url,
                blob_hash: s.blob_hash.clone().unwrap_or_default(),
                required,
                error,
                questions: step_question_counts.get(&s.step_key).copied().unwrap_or(0),
                gift: if ov.step_error.as_ref().is_some_and(|(id, _)| *id == s.id) {
                    ov.step_gift.clone()
                } else {
                    String::new()
                },
            }
        })
        .collect();
    let questions = question_rows
        .iter()
        .filter(|q| q.step_key.is_none())
        .filter_map(|q| {
            lore_app::evaluations::authoring::question_of(q)
                .ok()
                .map(|question| QuestionLine {
                    id: q.id,
                    prompt: question.prompt.chars().take(140).collect(),
                    kind: question.kind_name().replace('_', " "),
                    points: question.points,
                    essay: match &question.body {
                        lore_domain::question::QuestionBody::Essay {
                            rubric,
                            model_answer,
                        } => Some((
                            lore_domain::essay::rubric_text(rubric),
                            model_answer.clone(),
                        )),
                        _ => None,
                    },
                })
        })
        .collect();
    Ok(EditorPage {
        feedback,
        checklist,
        review,
        questions,
        settings: settings.into(),
        evaluation_error: ov.evaluation_error,
        import_errors: ov.import_errors,
        gift: ov.gift,
        layout: Layout::for_session(&viewer.0, "courses").with_notice(notice),
        course_id,
        number: version.number,
        published_before: ctx.course.latest_version.is_some(),
        archived: ctx.archived(),
        revision: details.revision,
        title: details.title,
        summary: details.summary,
        language: details.language,
        tags: details.tags,
        minutes: details.estimated_minutes,
        details_error,
        cover: version.cover_blob.clone().unwrap_or_default(),
        steps,
        kinds: StepKind::ALL,
        coauthors,
        answer_reviewers,
        peer_count: peer_setting
            .map(|p| p.peers.to_string())
            .unwrap_or_default(),
        peer_threshold: peer_setting
            .map(|p| p.threshold.to_string())
            .unwrap_or_else(|| "1".to_owned()),
        is_owner: ctx.course.owner_id == caller.id.0,
        owner,
        groups,
        people_error: ov.people_error,
        publish_error: ov.publish_error,
    })
}

pub async fn edit(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<EditorPage, PageError> {
    render(
        &state,
        &viewer,
        parse_id(&id)?,
        q.notice.as_deref(),
        Override::default(),
    )
    .await
}

fn refused(page: EditorPage, status: StatusCode) -> Response {
    (status, page).into_response()
}

/// The editor again with what went wrong, keeping what the author typed.
pub(super) async fn refuse(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    ov: Override,
    status: StatusCode,
) -> Result<Response, PageError> {
    Ok(refused(render(state, viewer, id, None, ov).await?, status))
}

/// A stale save is a conflict; anything else refused is bad input.
fn refusal_status(e: &AppError) -> StatusCode {
    if matches!(e, AppError::Conflict(_)) {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

pub async fn save_details(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<CourseFieldsOwned>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let fields = CourseFields {
        title: &f.title,
        summary: &f.summary,
        language: &f.language,
        tags: &f.tags,
        estimated_minutes: &f.estimated_minutes,
    };
    match state
        .app
        .save_course_fields(viewer.caller(), id, f.revision, fields)
        .await
    {
        Ok(_) => Ok(done(&format!("/courses/{id}/edit"), "draft-saved")),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let status = refusal_status(&e);
            let message = e.to_string();
            refuse(
                &state,
                &viewer,
                id,
                Override {
                    details: Some((f, message)),
                    ..Override::default()
                },
                status,
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Deserialize, Clone, Default)]
pub struct StepForm {
    revision: i64,
    kind: String,
    title: String,
    body: String,
    video_url: Option<String>,
    required: Option<String>,
}

pub async fn save_step(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, step_id)): Path<(String, String)>,
    Form(f): Form<StepForm>,
) -> Result<Response, PageError> {
    let (id, step_id) = (parse_id(&id)?, parse_id(&step_id)?);
    let input = StepInput {
        kind: &f.kind,
        title: &f.title,
        body: &f.body,
        video_url: f.video_url.as_deref().unwrap_or(""),
        blob_hash: None,
        required: f.required.is_some(),
    };
    match state
        .app
        .save_step(viewer.caller(), id, step_id, f.revision, input)
        .await
    {
        Ok(_) => Ok(done(&format!("/courses/{id}/edit"), "step-saved")),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let status = refusal_status(&e);
            let message = e.to_string();
            refuse(
                &state,
                &viewer,
                id,
                Override {
                    step: Some((step_id, f, message)),
                    ..Override::default()
                },
                status,
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

/// One field as the editor's script autosaves it.
#[derive(Deserialize)]
pub struct AutosaveForm {
    field: String,
    step_id: Option<String>,
    revision: Option<String>,
    #[serde(default)]
    value: String,
}

/// What an autosave answers: the revision to send with the next save of the same form.
#[derive(serde::Serialize)]
struct Autosaved {
    revision: i64,
}

/// Autosave one field of the draft (the editor's script, debounced and on leaving a field).
/// Answers JSON: `{"revision": n}`, or `{"error": {"code", "message"}}` with 422 for bad
/// input and 409 when someone saved since.
pub async fn autosave(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<AutosaveForm>,
) -> Response {
    let result = async {
        let id = parse_id(&id).map_err(|e| e.0)?;
        let step_id = match f.step_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(
                s.parse::<i64>()
                    .map_err(|_| AppError::invalid("step_id", "Say which step."))?,
            ),
        };
        let revision = f
            .revision
            .as_deref()
            .and_then(|r| r.trim().parse::<i64>().ok())
            .ok_or_else(|| {
                AppError::invalid("revision", "Reload the editor: the form lost its revision.")
            })?;
        let field = DraftField::parse(&f.field, step_id)?;
        state
            .app
            .save_draft_field(viewer.caller(), id, field, revision, &f.value)
            .await
    }
    .await;
    match result {
        Ok(revision) => axum::Json(Autosaved { revision }).into_response(),
        Err(e) => crate::error::ApiError(e).into_response(),
    }
}

#[derive(Deserialize)]
pub struct AddStepForm {
    kind: String,
    title: String,
}

pub async fn add_step(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<AddStepForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = StepInput {
        kind: &f.kind,
        title: &f.title,
        required: true,
        ..StepInput::default()
    };
    match state.app.add_step(viewer.caller(), id, input).await {
        Ok(step) => Ok(axum::response::Redirect::to(&format!(
            "/courses/{id}/edit#step-{}",
            step.id
        ))
        .into_response()),
        Err(AppError::Invalid(i)) => {
            refuse(
                &state,
                &viewer,
                id,
                Override {
                    publish_error: Some(i.message),
                    ..Override::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Deserialize)]
pub struct MoveForm {
    direction: String,
}

pub async fn move_step(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, step_id)): Path<(String, String)>,
    Form(f): Form<MoveForm>,
) -> Result<Response, PageError> {
    let (id, step_id) = (parse_id(&id)?, parse_id(&step_id)?);
    let offset = if f.direction == "up" { -1 } else { 1 };
    state
        .app
        .move_step(viewer.caller(), id, step_id, offset)
        .await?;
    Ok(axum::response::Redirect::to(&format!("/courses/{id}/edit#step-{step_id}")).into_response())
}

#[derive(Deserialize)]
pub struct QuestionsForm {
    gift: String,
}

/// Add questions written in GIFT (or question CSV) to the draft's final evaluation, all or
/// none (the editor's form checks GIFT first: `gift_import`).
pub async fn import_questions(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<QuestionsForm>,
) -> Result<Response, PageError> {
    import_csv(&state, &viewer, parse_id(&id)?, f.gift).await
}

/// Question CSV (or GIFT) added all or none; refused lines are listed in the editor.
pub(super) async fn import_csv(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    gift: String,
) -> Result<Response, PageError> {
    let f = QuestionsForm { gift };
    match state
        .app
        .import_questions(viewer.caller(), id, &f.gift)
        .await
    {
        Ok(_) => Ok(axum::response::Redirect::to(&format!(
            "/courses/{id}/edit?notice=questions-added#evaluation"
        ))
        .into_response()),
        Err(AppError::ImportRejected(errors)) => {
            let message = format!(
                "{} lines have problems, so no question was added.",
                lore_app::error::bad_rows(&errors)
            );
            refuse(
                state,
                viewer,
                id,
                Override {
                    evaluation_error: Some(message),
                    import_errors: errors,
                    gift: f.gift,
                    ..Override::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Invalid(i)) => {
            refuse(
                state,
                viewer,
                id,
                Override {
                    evaluation_error: Some(i.message),
                    gift: f.gift,
                    ..Override::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

/// Add GIFT questions into a step of kind `question`.
pub async fn import_step_questions(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, step_id)): Path<(String, String)>,
    Form(f): Form<QuestionsForm>,
) -> Result<Response, PageError> {
    let (id, step_id) = (parse_id(&id)?, parse_id(&step_id)?);
    match state
        .app
        .import_step_questions(viewer.caller(), id, step_id, &f.gift)
        .await
    {
        Ok(_) => Ok(axum::response::Redirect::to(&format!(
            "/courses/{id}/edit?notice=questions-added#step-{step_id}"
        ))
        .into_response()),
        Err(AppError::ImportRejected(errors)) => {
            let message = format!(
                "{} lines have problems, so no question was added.",
                lore_app::error::bad_rows(&errors)
            );
            refuse(
                &state,
                &viewer,
                id,
                Override {
                    import_errors: errors,
                    step_error: Some((step_id, message)),
                    step_gift: f.gift,
                    ..Override::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Invalid(i)) => {
            refuse(
                &state,
                &viewer,
                id,
                Override {
                    step_error: Some((step_id, i.message)),
                    step_gift: f.gift,
                    ..Override::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn delete_question(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, question_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (id, question_id) = (parse_id(&id)?, parse_id(&question_id)?);
    state
        .app
        .delete_question(viewer.caller(), id, question_id)
        .await?;
    Ok(axum::response::Redirect::to(&format!(
        "/courses/{id}/edit?notice=step-deleted#evaluation"
    ))
    .into_response())
}

#[derive(Deserialize)]
pub struct RubricForm {
    #[serde(default)]
    rubric: String,
    #[serde(default)]
    model_answer: String,
}

/// The rubric and model answer of an essay question (decision 0043).
pub async fn save_rubric(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, question_id)): Path<(String, String)>,
    Form(f): Form<RubricForm>,
) -> Result<Response, PageError> {
    let (id, question_id) = (parse_id(&id)?, parse_id(&question_id)?);
    match state
        .app
        .set_essay_rubric(viewer.caller(), id, question_id, &f.rubric, &f.model_answer)
        .await
    {
        Ok(()) => Ok(axum::response::Redirect::to(&format!(
            "/courses/{id}/edit?notice=rubric-saved#evaluation"
        ))
        .into_response()),
        Err(AppError::Invalid(i)) => {
            let ov = Override {
                evaluation_error: Some(i.message),
                ..Override::default()
            };
            refuse(&state, &viewer, id, ov, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Deserialize)]
pub struct EvaluationForm {
    mode: String,
    pass_mark: String,
    max_attempts: String,
    time_limit_minutes: String,
    shuffle: Option<String>,
    required_for_completion: Option<String>,
}

pub async fn save_evaluation(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<EvaluationForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let input = lore_app::evaluations::authoring::SettingsInput {
        mode: &f.mode,
        pass_mark: &f.pass_mark,
        max_attempts: &f.max_attempts,
        time_limit_minutes: &f.time_limit_minutes,
        shuffle: f.shuffle.is_some(),
        required_for_completion: f.required_for_completion.is_some(),
    };
    match state
        .app
        .save_evaluation_settings(viewer.caller(), id, &input)
        .await
    {
        Ok(()) => Ok(axum::response::Redirect::to(&format!(
            "/courses/{id}/edit?notice=people-saved#evaluation"
        ))
        .into_response()),
        Err(AppError::Invalid(i)) => {
            refuse(
                &state,
                &viewer,
                id,
                Override {
                    evaluation_error: Some(i.message),
                    ..Override::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

/// The draft's questions as a GIFT file.
pub async fn gift(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let text = state
        .app
        .export_questions_gift(viewer.caller(), parse_id(&id)?)
        .await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/plain; charset=utf-8",
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"questions.gift.txt\"",
            ),
        ],
        text,
    )
        .into_response())
}

/// The `file` field of a multipart form: (file name, declared type, bytes).
async fn read_upload(
    multipart: &mut axum::extract::Multipart,
) -> Result<Option<(String, String, bytes::Bytes)>, PageError> {
    let mut upload = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("upload").to_owned();
            let content_type = field.content_type().unwrap_or("").to_owned();
            let data = field.bytes().await.map_err(|_| {
                PageError(AppError::invalid(
                    "file",
                    "The upload was interrupted or is too large.",
                ))
            })?;
            upload = Some((name, content_type, data));
        }
    }
    Ok(upload)
}

/// A cover image for the course.
pub async fn cover(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let upload = read_upload(&mut multipart).await?;
    let result = match upload.filter(|(_, _, d)| !d.is_empty()) {
        Some((name, content_type, data)) => {
            state
                .app
                .upload_cover(viewer.caller(), id, data, &content_type, &name)
                .await
        }
        None => Err(AppError::invalid("file", "Choose an image.")),
    };
    match result {
        Ok(()) => Ok(done(&format!("/courses/{id}/edit"), "draft-saved")),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let mut page = render(&state, &viewer, id, None, Override::default()).await?;
            page.details_error = Some(e.to_string());
            Ok(refused(page, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => Err(PageError(e)),
    }
}

/// An upload for a step (image into the text, or the step's video or document).
pub async fn attach(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, step_id)): Path<(String, String)>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let (id, step_id) = (parse_id(&id)?, parse_id(&step_id)?);
    let upload = read_upload(&mut multipart).await?;
    let result = match upload.filter(|(_, _, d)| !d.is_empty()) {
        Some((name, content_type, data)) => {
            state
                .app
                .attach_to_step(viewer.caller(), id, step_id, data, &content_type, &name)
                .await
        }
        None => Err(AppError::invalid("file", "Choose a file to upload.")),
    };
    match result {
        Ok(()) => Ok(axum::response::Redirect::to(&format!(
            "/courses/{id}/edit?notice=step-saved#step-{step_id}"
        ))
        .into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let message = e.to_string();
            refuse(
                &state,
                &viewer,
                id,
                Override {
                    step_error: Some((step_id, message)),
                    ..Override::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Deserialize)]
pub struct OrderForm {
    /// Every step id of the draft, comma-separated, in the new order.
    order: String,
}

/// The new order after a drag in the editor.
pub async fn reorder(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<OrderForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let order: Vec<i64> = f
        .order
        .split(',')
        .map(|s| s.trim().parse::<i64>())
        .collect::<Result<_, _>>()
        .map_err(|_| {
            PageError(AppError::invalid(
                "order",
                "The order lists step ids separated by commas.",
            ))
        })?;
    state.app.reorder_steps(viewer.caller(), id, &order).await?;
    Ok(done(&format!("/courses/{id}/edit"), "step-saved"))
}

pub async fn delete_step(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, step_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (id, step_id) = (parse_id(&id)?, parse_id(&step_id)?);
    match state.app.delete_step(viewer.caller(), id, step_id).await {
        Ok(()) => Ok(done(&format!("/courses/{id}/edit"), "step-deleted")),
        Err(AppError::Invalid(i)) => {
            refuse(
                &state,
                &viewer,
                id,
                Override {
                    publish_error: Some(i.message),
                    ..Override::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Deserialize)]
pub struct PublishForm {
    note: Option<String>,
}

pub async fn publish(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<PublishForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    match state
        .app
        .publish(viewer.caller(), id, f.note.as_deref().unwrap_or(""))
        .await
    {
        Ok(_) => Ok(done(&format!("/courses/{id}"), "published")),
        // Every refusal shows beside Publish; nothing was published.
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_) | AppError::Refused { .. })) => {
            refuse(
                &state,
                &viewer,
                id,
                Override {
                    publish_error: Some(e.to_string()),
                    ..Override::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

/// Co-authors, hand-over and audience, from one form with an `action` field.
#[derive(Deserialize)]
pub struct PeopleForm {
    action: String,
    email: Option<String>,
    user_id: Option<i64>,
    #[serde(default)]
    audience: Vec<i64>,
    /// Peer review: peers per answer ("" or "0" turns it off) and the threshold in points.
    peers: Option<String>,
    threshold: Option<String>,
}

/// The peer review form's fields: no peers (blank or 0) is off.
fn peer_setting(
    peers: Option<&str>,
    threshold: Option<&str>,
) -> Result<Option<lore_domain::essay::PeerReview>, AppError> {
    let peers = peers.unwrap_or("").trim();
    if peers.is_empty() || peers == "0" {
        return Ok(None);
    }
    let peers: i32 = peers.parse().map_err(|_| {
        AppError::invalid(
            "peers",
            "Give the number of peers as a whole number from 1 to 5.",
        )
    })?;
    let threshold = threshold.unwrap_or("").trim().replace(',', ".");
    let threshold: f64 = if threshold.is_empty() {
        0.0
    } else {
        threshold.parse().map_err(|_| {
            AppError::invalid(
                "threshold",
                "Give the disagreement threshold as a number of points.",
            )
        })?
    };
    Ok(Some(lore_domain::essay::PeerReview { peers, threshold }))
}

pub async fn people(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    axum_extra::extract::Form(f): axum_extra::extract::Form<PeopleForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let caller = viewer.caller();
    let email = f.email.as_deref().unwrap_or("");
    let result = match f.action.as_str() {
        "add-coauthor" => state.app.add_coauthor(caller, id, email).await,
        "remove-coauthor" => {
            state
                .app
                .remove_coauthor(caller, id, f.user_id.unwrap_or(0))
                .await
        }
        "add-reviewer" => state
            .app
            .add_answer_reviewer(caller, id, email)
            .await
            .map(|_| ()),
        "remove-reviewer" => {
            state
                .app
                .remove_answer_reviewer(caller, id, f.user_id.unwrap_or(0))
                .await
        }
        "peer-review" => match peer_setting(f.peers.as_deref(), f.threshold.as_deref()) {
            Ok(setting) => state.app.set_peer_review(caller, id, setting).await,
            Err(e) => Err(e),
        },
        "transfer" => state.app.transfer_course(caller, id, email).await,
        "audience" => state.app.set_audiences(caller, id, &f.audience).await,
        _ => Err(AppError::invalid("action", "Unknown action.")),
    };
    match result {
        Ok(()) if f.action == "transfer" => Ok(done(&format!("/courses/{id}"), "transferred")),
        Ok(()) => Ok(done(&format!("/courses/{id}/edit"), "people-saved")),
        Err(AppError::Invalid(i)) => {
            refuse(
                &state,
                &viewer,
                id,
                Override {
                    people_error: Some(i.message),
                    ..Override::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        // An address nobody active has (404, decision 0051): said beside the form too.
        Err(e @ AppError::NotFound(lore_app::NO_SUCH_PERSON)) => {
            refuse(
                &state,
                &viewer,
                id,
                Override {
                    people_error: Some(e.to_string()),
                    ..Override::default()
                },
                StatusCode::NOT_FOUND,
            )
            .await
        }
        // Naming someone who reviews the answers already: said beside the form.
        Err(e @ AppError::Refused { .. }) => {
            refuse(
                &state,
                &viewer,
                id,
                Override {
                    people_error: Some(e.to_string()),
                    ..Override::default()
                },
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn archive(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    state.app.archive_course(viewer.caller(), id, true).await?;
    Ok(done(&format!("/courses/{id}/edit"), "archived"))
}

pub async fn restore(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    state.app.archive_course(viewer.caller(), id, false).await?;
    Ok(done(&format!("/courses/{id}/edit"), "restored"))
}

pub async fn delete(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    match state.app.delete_course(viewer.caller(), id).await {
        Ok(()) => Ok(done("/learning", "course-deleted")),
        Err(AppError::Conflict(message)) => {
            refuse(
                &state,
                &viewer,
                id,
                Override {
                    publish_error: Some(message),
                    ..Override::default()
                },
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Deserialize)]
pub struct PreviewForm {
    body: String,
}

/// Live preview of a step's Markdown, rendered and sanitised exactly as learners will see it.
pub async fn preview(_viewer: Viewer, Form(f): Form<PreviewForm>) -> Html<String> {
    let body: String = f
        .body
        .chars()
        .take(lore_domain::course::StepBody::MAX_CHARS)
        .collect();
    Html(lore_app::markdown::render(&body))
}
