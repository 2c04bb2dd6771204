//! Authoring for programs (docs/decisions/0049): create a course, read and edit its draft
//! (the course's fields and its steps), publish, list versions and read the diff between two,
//! and a course as a zip (export, import). Each calls the use case the editor, the versions
//! page and the import page call; the right to edit is checked before a body is read.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use lore_app::courses::archive::ImportOptions;
use lore_app::courses::authoring::{CourseFields, Draft, NewCourseWithSteps, StepInput, tags_of};
use lore_app::{StepRow, VersionRow};
use lore_domain::course::{
    ChangeKind, ChangeNote, CourseSummary, CourseTitle, StepBody, StepKind, StepTitle, Tags,
};
use lore_domain::policy::Action;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ApiResult;
use super::extract::{ApiJson, ApiOptionalJson, ApiPath, ApiQuery};
use super::request_rules::{CONTROL, NAME_REFUSES, Rule};
use super::suggestions::{DiffOp, DiffPiece};
use crate::WebState;
use crate::error::{ApiError, ErrorBody};
use crate::session::ApiCaller;

/// The most steps a course holds (the editor's limit).
const MAX_STEPS: usize = 200;

/// What these operations' bodies must satisfy, from the domain's constants (added to the
/// document by `request_rules`).
pub(crate) fn rules() -> Vec<(&'static str, &'static str, Rule)> {
    // One-line fields (titles, the summary, the change note) have their white space runs
    // made one space, so only other control characters are refused; a step's text keeps its
    // lines and refuses every control character but tabs and line breaks.
    let line = |required, max| Rule::Text {
        required,
        max,
        refused: NAME_REFUSES,
    };
    let text = |required, max| Rule::Text {
        required,
        max,
        refused: CONTROL,
    };
    let kinds = Rule::OneOf(
        StepKind::ALL
            .iter()
            .map(|k| k.as_str().to_owned())
            .collect(),
    );
    vec![
        ("NewCourseBody", "title", line(true, CourseTitle::MAX_CHARS)),
        ("NewStepText", "title", line(false, StepTitle::MAX_CHARS)),
        ("NewStepText", "body", text(false, StepBody::MAX_CHARS)),
        ("DraftEdit", "title", line(true, CourseTitle::MAX_CHARS)),
        (
            "DraftEdit",
            "summary",
            line(false, CourseSummary::MAX_CHARS),
        ),
        ("StepBodyInput", "kind", kinds),
        ("StepBodyInput", "title", line(true, StepTitle::MAX_CHARS)),
        ("StepBodyInput", "body", text(false, StepBody::MAX_CHARS)),
        (
            "StepBodyInput",
            "video_url",
            Rule::Pattern {
                pattern: VIDEO_URL,
                max: 2000,
            },
        ),
        ("PublishBody", "note", line(false, ChangeNote::MAX_CHARS)),
        (
            "DraftEdit",
            "tags",
            Rule::Items {
                max: Some(Tags::MAX),
                each: Box::new(Rule::Text {
                    required: false,
                    max: Tags::MAX_CHARS,
                    refused: TAG_REFUSES,
                }),
            },
        ),
    ]
}

/// What a topic refuses: a comma (a form types topics as a comma-separated list) and
/// control characters that are not white space.
const TAG_REFUSES: &str = r",\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F";

/// A video step's link: empty, or http(s) and no white space. (Only a video step takes
/// one: a rule between two fields, documented as a 422.)
const VIDEO_URL: &str = r"^$|^https?://[!-~]*$";

/// A step given when creating a course.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStepText {
    /// The first step is called "Introduction" when left blank; later steps need a title
    /// when they have text (blank steps are skipped).
    #[serde(default)]
    pub title: String,
    /// Markdown.
    #[serde(default)]
    pub body: String,
}

/// A new course.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Pager duty", "steps": [{"title": "Why", "body": "Pages wake people up."}], "publish": false}))]
pub struct NewCourseBody {
    pub title: String,
    /// The owning group; the caller's first group where they may write when left out.
    #[schema(minimum = 1)]
    pub group_id: Option<i64>,
    /// Text steps, in order (at most 200); one empty "Introduction" when left out.
    #[serde(default)]
    #[schema(max_items = 200)]
    pub steps: Vec<NewStepText>,
    /// Publish version 1 at once (nothing is created if publishing refuses).
    #[serde(default)]
    pub publish: bool,
}

/// A course just created.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedCourse {
    pub id: i64,
    /// The version published, when asked to publish.
    #[schema(required = true)]
    pub published_version: Option<i32>,
}

/// A step of a draft or version.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DraftStep {
    /// The step's id in this version (for the step operations).
    pub id: i64,
    /// The step's key, kept across versions.
    pub key: String,
    /// From 1.
    pub position: i32,
    /// `text`, `video`, `file` or `question`.
    pub kind: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    #[schema(required = true)]
    pub video_url: Option<String>,
    #[schema(required = true)]
    pub blob_hash: Option<String>,
    pub required: bool,
    /// Send it back when saving the step; a save after someone else's is 409.
    pub revision: i64,
}

impl From<StepRow> for DraftStep {
    fn from(s: StepRow) -> Self {
        DraftStep {
            id: s.id,
            key: s.step_key,
            position: s.position + 1,
            kind: s.kind.as_str().to_owned(),
            title: s.title,
            body: s.body,
            video_url: s.video_url,
            blob_hash: s.blob_hash,
            required: s.required,
            revision: s.revision,
        }
    }
}

/// A course's draft (or, before one is opened, its newest version) with its steps.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DraftView {
    pub course_id: i64,
    pub version: i32,
    /// `draft` or `published` (no draft open yet: editing opens one).
    pub state: String,
    pub title: String,
    pub summary: String,
    pub language: String,
    pub tags: Vec<String>,
    #[schema(required = true)]
    pub estimated_minutes: Option<i32>,
    /// Send it back when saving the course's fields; a save after someone else's is 409.
    pub revision: i64,
    pub steps: Vec<DraftStep>,
}

fn draft_view(d: Draft) -> DraftView {
    let v = d.version;
    DraftView {
        course_id: v.course_id,
        version: v.number,
        state: v.state.as_str().to_owned(),
        tags: tags_of(&v),
        title: v.title,
        summary: v.summary,
        language: v.language,
        estimated_minutes: v.estimated_minutes,
        revision: v.revision,
        steps: d.steps.into_iter().map(Into::into).collect(),
    }
}

/// Changes to the course's own fields; those left out keep their value.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"revision": 3, "title": "Pager duty, 2027", "tags": ["on-call"]}))]
pub struct DraftEdit {
    /// The `revision` read with the draft; left out, the save does not check for others'.
    pub revision: Option<i64>,
    pub title: Option<String>,
    pub summary: Option<String>,
    /// A language code like `en`, `fr` or `pt-BR`.
    #[schema(pattern = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,4})?$")]
    pub language: Option<String>,
    /// Topics (at most 12, each at most 40 characters).
    #[schema(max_items = 12)]
    pub tags: Option<Vec<String>>,
    /// Minutes to take it (1 to 6,000); `null` clears it.
    #[schema(minimum = 1, maximum = 6000)]
    #[serde(default, deserialize_with = "some_or_null")]
    pub estimated_minutes: Option<Option<u32>>,
}

/// `null` is `Some(None)` (clear), absent is `None` (keep).
fn some_or_null<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A step's content.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "text", "title": "Escalate", "body": "Call the lead.", "required": true}))]
pub struct StepBodyInput {
    /// The `revision` read with the step (saving only); left out, the save does not check
    /// for others'.
    pub revision: Option<i64>,
    pub kind: String,
    pub title: String,
    /// Markdown.
    #[serde(default)]
    pub body: String,
    /// A video elsewhere (video steps).
    #[serde(default)]
    pub video_url: String,
    /// Counts for completion (true when left out).
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

impl StepBodyInput {
    fn input(&self) -> StepInput<'_> {
        StepInput {
            kind: &self.kind,
            title: &self.title,
            body: &self.body,
            video_url: &self.video_url,
            blob_hash: None,
            required: self.required,
        }
    }
}

/// The steps' new order.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"step_ids": [12, 10, 11]}))]
pub struct StepOrder {
    /// Every step id of the draft, once each, in the new order.
    #[schema(max_items = 200)]
    pub step_ids: Vec<i64>,
}

/// Publishing the draft.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "Escalation added"}))]
pub struct PublishBody {
    /// What changed, for learners who took an earlier version.
    #[serde(default)]
    pub note: String,
}

/// A version just published.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Published {
    pub version: i32,
}

/// A version of a course.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VersionLine {
    pub number: i32,
    /// `draft` or `published`.
    pub state: String,
    pub title: String,
    pub change_note: String,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub published_at: Option<OffsetDateTime>,
}

impl From<VersionRow> for VersionLine {
    fn from(v: VersionRow) -> Self {
        VersionLine {
            number: v.number,
            state: v.state.as_str().to_owned(),
            title: v.title,
            change_note: v.change_note,
            published_at: v.published_at,
        }
    }
}

/// Two versions to compare.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffParams {
    /// The older version's number.
    #[param(minimum = 1, example = 1)]
    pub from: i32,
    /// The newer version's number.
    #[param(minimum = 1, example = 2)]
    pub to: i32,
}

/// How a step differs.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StepChangeKind {
    Added,
    Changed,
    Removed,
}

/// One changed step with the word diff of its title and text.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StepDiff {
    pub key: String,
    pub title: String,
    pub change: StepChangeKind,
    pub diff: Vec<DiffPiece>,
}

/// What changed between two versions.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VersionDiff {
    pub from: i32,
    pub to: i32,
    /// Changed steps only.
    pub steps: Vec<StepDiff>,
}

/// Where to put an imported course.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Publish version 1 at once (the default); `false` keeps it as a draft.
    pub publish: Option<bool>,
    /// The owning group; the folder's or the caller's first group where they may write when
    /// left out.
    #[param(minimum = 1)]
    pub group_id: Option<i64>,
}

/// Which version to export.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// A version number; the newest published one when left out.
    #[param(minimum = 1, example = 1)]
    pub version: Option<i32>,
}

/// A course imported.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportedCourse {
    pub id: i64,
}

/// The caller may edit the course (404 if they may not see it, 403 if they may not edit).
async fn may_edit(state: &WebState, caller: &lore_app::Caller, id: i64) -> ApiResult<()> {
    state.app.course_for(caller, id, Action::EditCourse).await?;
    Ok(())
}

#[utoipa::path(
    post,
    path = "/courses",
    operation_id = "create_course",
    tag = "authoring",
    summary = "Start a course: draft version 1 with its steps, published at once if asked",
    request_body = NewCourseBody,
    responses(
        (status = 201, description = "Created", body = CreatedCourse),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may write courses in no group, or not in the group given", body = ErrorBody),
        (status = 404, description = "No such group", body = ErrorBody),
        (status = 409, description = "Publishing refused (`empty_step`)", body = ErrorBody),
        (status = 422, description = "A bad body: no title, a step with text but no title, too long", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    request: Request,
) -> ApiResult<(StatusCode, Json<CreatedCourse>)> {
    if state.app.authoring_groups(&caller).await?.is_empty() {
        return Err(ApiError(lore_app::AppError::Forbidden));
    }
    let ApiJson(body) = ApiJson::<NewCourseBody>::from_request(request, &state).await?;
    if body.steps.len() > MAX_STEPS {
        return Err(lore_app::AppError::invalid(
            "steps",
            "A course has at most 200 steps; split it into a path of courses.",
        )
        .into());
    }
    let (id, published_version) = state
        .app
        .create_course_with_steps(
            &caller,
            NewCourseWithSteps {
                title: &body.title,
                group_id: body.group_id,
                steps: body
                    .steps
                    .iter()
                    .map(|s| (s.title.as_str(), s.body.as_str()))
                    .collect(),
                publish: body.publish,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedCourse {
            id,
            published_version,
        }),
    ))
}

#[utoipa::path(
    get,
    path = "/courses/{id}/draft",
    operation_id = "get_draft",
    tag = "authoring",
    summary = "The course's draft, or its newest version before a draft is opened",
    description = "For its editors (and reviewers while it is in review). Changes nothing.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The draft", body = DraftView),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may see the course but not its draft", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn show_draft(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<DraftView>> {
    Ok(Json(draft_view(
        state.app.preview_draft(&caller, id).await?,
    )))
}

#[utoipa::path(
    patch,
    path = "/courses/{id}/draft",
    operation_id = "edit_draft",
    tag = "authoring",
    summary = "Change the draft's title, summary, language, topics or time",
    description = "Opens a draft from the newest version if there is none. Fields left out keep \
                   their value.",
    params(("id" = i64, Path, description = "The course")),
    request_body = DraftEdit,
    responses(
        (status = 200, description = "The draft as saved", body = DraftView),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not edit this course", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "`conflict`: someone saved after the `revision` given, or the draft cannot change now", body = ErrorBody),
        (status = 422, description = "A bad body or field", body = ErrorBody),
    )
)]
pub async fn edit_draft(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<Json<DraftView>> {
    may_edit(&state, &caller, id).await?;
    let ApiJson(body) = ApiJson::<DraftEdit>::from_request(request, &state).await?;
    let draft = state.app.draft(&caller, id).await?;
    let v = &draft.version;
    let tags = match &body.tags {
        Some(t) => {
            if t.iter().any(|t| t.contains(',')) {
                return Err(
                    lore_app::AppError::invalid("tags", "A topic cannot hold a comma.").into(),
                );
            }
            t.join(",")
        }
        None => tags_of(v).join(","),
    };
    let minutes = match body.estimated_minutes {
        Some(m) => m.map(|m| m.to_string()).unwrap_or_default(),
        None => v
            .estimated_minutes
            .map(|m| m.to_string())
            .unwrap_or_default(),
    };
    state
        .app
        .save_course_fields(
            &caller,
            id,
            body.revision.unwrap_or(v.revision),
            CourseFields {
                title: body.title.as_deref().unwrap_or(&v.title),
                summary: body.summary.as_deref().unwrap_or(&v.summary),
                language: body.language.as_deref().unwrap_or(&v.language),
                tags: &tags,
                estimated_minutes: &minutes,
            },
        )
        .await?;
    Ok(Json(draft_view(state.app.draft(&caller, id).await?)))
}

/// A step of a course in the address.
#[derive(Debug, Deserialize)]
pub struct DraftStepPath {
    pub id: i64,
    pub step_id: i64,
}

#[utoipa::path(
    post,
    path = "/courses/{id}/draft/steps",
    operation_id = "add_step",
    tag = "authoring",
    summary = "Add a step at the end of the draft",
    params(("id" = i64, Path, description = "The course")),
    request_body = StepBodyInput,
    responses(
        (status = 201, description = "The new step", body = DraftStep),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not edit this course", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The draft cannot change now", body = ErrorBody),
        (status = 422, description = "A bad body: an unknown kind, no title, a video without a link, 200 steps already", body = ErrorBody),
    )
)]
pub async fn add_step(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<(StatusCode, Json<DraftStep>)> {
    may_edit(&state, &caller, id).await?;
    let ApiJson(body) = ApiJson::<StepBodyInput>::from_request(request, &state).await?;
    let step = state.app.add_step(&caller, id, body.input()).await?;
    Ok((StatusCode::CREATED, Json(step.into())))
}

#[utoipa::path(
    put,
    path = "/courses/{id}/draft/steps/{step_id}",
    operation_id = "save_step",
    tag = "authoring",
    summary = "Save a step of the draft",
    params(
        ("id" = i64, Path, description = "The course"),
        ("step_id" = i64, Path, description = "The step's id in the draft"),
    ),
    request_body = StepBodyInput,
    responses(
        (status = 200, description = "The step as saved", body = DraftStep),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not edit this course", body = ErrorBody),
        (status = 404, description = "No such course, or no such step in the draft", body = ErrorBody),
        (status = 409, description = "`conflict`: someone saved the step after the `revision` given", body = ErrorBody),
        (status = 422, description = "A bad body", body = ErrorBody),
    )
)]
pub async fn save_step(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<DraftStepPath>,
    request: Request,
) -> ApiResult<Json<DraftStep>> {
    may_edit(&state, &caller, path.id).await?;
    let ApiJson(body) = ApiJson::<StepBodyInput>::from_request(request, &state).await?;
    let draft = state.app.draft(&caller, path.id).await?;
    let current = draft
        .steps
        .iter()
        .find(|s| s.id == path.step_id)
        .ok_or(ApiError(lore_app::AppError::NotFound("That step")))?;
    state
        .app
        .save_step(
            &caller,
            path.id,
            path.step_id,
            body.revision.unwrap_or(current.revision),
            body.input(),
        )
        .await?;
    let draft = state.app.draft(&caller, path.id).await?;
    let step = draft
        .steps
        .into_iter()
        .find(|s| s.id == path.step_id)
        .ok_or(ApiError(lore_app::AppError::NotFound("That step")))?;
    Ok(Json(step.into()))
}

#[utoipa::path(
    delete,
    path = "/courses/{id}/draft/steps/{step_id}",
    operation_id = "delete_step",
    tag = "authoring",
    summary = "Remove a step from the draft",
    params(
        ("id" = i64, Path, description = "The course"),
        ("step_id" = i64, Path, description = "The step's id in the draft"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not edit this course", body = ErrorBody),
        (status = 404, description = "No such course, or no such step in the draft", body = ErrorBody),
        (status = 409, description = "The draft cannot change now", body = ErrorBody),
        (status = 422, description = "An id is not a number, or it is the last step", body = ErrorBody),
    )
)]
pub async fn delete_step(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<DraftStepPath>,
) -> ApiResult<StatusCode> {
    state
        .app
        .delete_step(&caller, path.id, path.step_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    put,
    path = "/courses/{id}/draft/order",
    operation_id = "reorder_steps",
    tag = "authoring",
    summary = "Put the draft's steps in a new order",
    params(("id" = i64, Path, description = "The course")),
    request_body = StepOrder,
    responses(
        (status = 200, description = "The draft in its new order", body = DraftView),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not edit this course", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "The draft cannot change now", body = ErrorBody),
        (status = 422, description = "Not every step of the draft once each", body = ErrorBody),
    )
)]
pub async fn reorder(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<Json<DraftView>> {
    may_edit(&state, &caller, id).await?;
    let ApiJson(body) = ApiJson::<StepOrder>::from_request(request, &state).await?;
    state.app.reorder_steps(&caller, id, &body.step_ids).await?;
    Ok(Json(draft_view(state.app.draft(&caller, id).await?)))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/publish",
    operation_id = "publish_course",
    tag = "authoring",
    summary = "Publish the draft as the next version",
    description = "Learners keep the version they started; new enrolments take this one.",
    params(("id" = i64, Path, description = "The course")),
    request_body(content = Option<PublishBody>, description = "An optional change note"),
    responses(
        (status = 200, description = "Published", body = Published),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not edit this course", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "`empty_step`, `incomplete_step` (no step, or a file or video step without its file or link), `nothing_changed`, waiting for review, or archived", body = ErrorBody),
        (status = 422, description = "A bad body, or a change note too long", body = ErrorBody),
    )
)]
pub async fn publish(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<Json<Published>> {
    may_edit(&state, &caller, id).await?;
    let ApiOptionalJson(body) =
        ApiOptionalJson::<Option<PublishBody>>::from_request(request, &state).await?;
    let note = body.flatten().map(|b| b.note).unwrap_or_default();
    let version = state.app.publish(&caller, id, &note).await?;
    Ok(Json(Published { version }))
}

#[utoipa::path(
    get,
    path = "/courses/{id}/versions",
    operation_id = "list_course_versions",
    tag = "authoring",
    summary = "Every version of a course, oldest first (the draft only for its editors)",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The versions", body = Vec<VersionLine>),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn versions(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<VersionLine>>> {
    let (_, rows) = state.app.version_history(&caller, id).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

#[utoipa::path(
    get,
    path = "/courses/{id}/versions/diff",
    operation_id = "diff_course_versions",
    tag = "authoring",
    summary = "The steps that changed between two versions, with word diffs",
    params(("id" = i64, Path, description = "The course"), DiffParams),
    responses(
        (status = 200, description = "The changes", body = VersionDiff),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such course or version, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "A version missing or not a number", body = ErrorBody),
    )
)]
pub async fn diff(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<DiffParams>,
) -> ApiResult<Json<VersionDiff>> {
    let (a, b, changes) = state.app.version_changes(&caller, id, q.from, q.to).await?;
    Ok(Json(VersionDiff {
        from: a.number,
        to: b.number,
        steps: changes
            .into_iter()
            .map(|c| StepDiff {
                key: c.key,
                title: c.title,
                change: match c.kind {
                    ChangeKind::Added => StepChangeKind::Added,
                    ChangeKind::Changed => StepChangeKind::Changed,
                    ChangeKind::Removed => StepChangeKind::Removed,
                },
                diff: c
                    .diff
                    .into_iter()
                    .map(|p| match p {
                        lore_domain::course::DiffPart::Same(text) => DiffPiece {
                            op: DiffOp::Same,
                            text,
                        },
                        lore_domain::course::DiffPart::Added(text) => DiffPiece {
                            op: DiffOp::Added,
                            text,
                        },
                        lore_domain::course::DiffPart::Removed(text) => DiffPiece {
                            op: DiffOp::Removed,
                            text,
                        },
                    })
                    .collect(),
            })
            .collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/courses/{id}/export.zip",
    operation_id = "export_course",
    tag = "authoring",
    summary = "A version of the course as a zip (the course folder: `course.toml`, steps, files)",
    description = "For its editors; `POST /courses/import` takes it back.",
    params(("id" = i64, Path, description = "The course"), ExportParams),
    responses(
        (status = 200, description = "The zip", body = Vec<u8>, content_type = "application/zip"),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may not edit this course", body = ErrorBody),
        (status = 404, description = "No such course or version, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "The id or version is not a number", body = ErrorBody),
    )
)]
pub async fn export(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ExportParams>,
) -> ApiResult<Response> {
    let (zip, name) = state.app.export_course_zip(&caller, id, q.version).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        zip,
    )
        .into_response())
}

#[utoipa::path(
    post,
    path = "/courses/import",
    operation_id = "import_course",
    tag = "authoring",
    summary = "A new course from a zip (as exported), published unless `publish=false`",
    description = "Every file is checked before anything is created; on any error nothing is.",
    params(ImportParams),
    request_body(content = Vec<u8>, content_type = "application/zip", description = "The course zip"),
    responses(
        (status = 201, description = "Imported", body = ImportedCourse),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller may write courses in no group", body = ErrorBody),
        (status = 409, description = "Publishing refused (`empty_step`)", body = ErrorBody),
        (status = 413, description = "The zip is larger than the server accepts", body = ErrorBody),
        (status = 422, description = "Not a course zip, a file in it is not valid, or a group the caller cannot write for", body = ErrorBody),
    )
)]
pub async fn import(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiQuery(q): ApiQuery<ImportParams>,
    request: Request,
) -> ApiResult<(StatusCode, Json<ImportedCourse>)> {
    if state.app.authoring_groups(&caller).await?.is_empty() {
        return Err(ApiError(lore_app::AppError::Forbidden));
    }
    let zip = Bytes::from_request(request, &state).await.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            super::extract::too_large()
        } else {
            ApiError(lore_app::AppError::invalid(
                "body",
                "The zip could not be read.",
            ))
        }
    })?;
    let id = state
        .app
        .import_course_zip(
            &caller,
            zip,
            ImportOptions {
                publish: q.publish.unwrap_or(true),
                group_id: q.group_id,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(ImportedCourse { id })))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_rule_names_a_property_of_the_document() {
        let mut doc = super::super::openapi_document();
        for (schema, property, rule) in super::rules() {
            assert!(
                super::super::request_rules::apply(&mut doc, schema, property, &rule),
                "{schema}.{property} is not in the document"
            );
        }
    }
}
