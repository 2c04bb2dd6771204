//! Enrolment, progress and the player for programs (docs/decisions/0049): enrol in a course,
//! read one's progress and where to resume, open a step (the player's visit), complete a
//! step, move to the newest version, assign a course to a person, and "My learning" — each
//! through the use case its page calls.

use axum::Json;
use axum::extract::{FromRequest, Request, State};
use lore_app::EnrolmentRow;
use lore_app::courses::learning::{LearningEntry, PlayerView};
use lore_domain::policy::Action;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ApiResult;
use super::extract::{ApiJson, ApiOptionalJson, ApiPath};
use super::feedback::StepPath;
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// A person's enrolment in a course.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(example = json!({
    "course_id": 3, "user_id": 7, "version": 1, "source": "self",
    "registration": "0b5e5c1e-3f5a-4d2b-9d7e-6a1f0c2b9e11",
    "enrolled_at": "2026-12-01T09:00:00Z", "started_at": null, "completed_at": null,
    "due_at": null
}))]
pub struct Enrolment {
    pub course_id: i64,
    pub user_id: i64,
    /// The version being taken.
    pub version: i32,
    /// `self` (enrolled themselves) or `assigned`.
    pub source: String,
    /// The UUID naming this enrolment in the event log (xAPI's `registration`).
    pub registration: String,
    #[serde(with = "time::serde::rfc3339")]
    pub enrolled_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub started_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub completed_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub due_at: Option<OffsetDateTime>,
}

impl From<EnrolmentRow> for Enrolment {
    fn from(e: EnrolmentRow) -> Self {
        Enrolment {
            course_id: e.course_id,
            user_id: e.user_id,
            version: e.version_number,
            source: e.source.as_str().to_owned(),
            registration: e.registration,
            enrolled_at: e.created_at,
            started_at: e.started_at,
            completed_at: e.completed_at,
            due_at: e.due_at,
        }
    }
}

/// A step of the version being taken, and whether the caller has done it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StepProgress {
    /// Its place, from 1 (the `position` of the player).
    pub position: usize,
    pub key: String,
    pub title: String,
    /// `text`, `video`, `file` or `question`.
    pub kind: String,
    /// Counts for completion.
    pub required: bool,
    pub done: bool,
}

/// Where the caller stands in a course.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Progress {
    pub enrolment: Enrolment,
    /// Required steps done, in per cent.
    #[schema(minimum = 0, maximum = 100)]
    pub percent: u32,
    /// Where the player resumes (from 1).
    pub resume_position: usize,
    pub steps: Vec<StepProgress>,
    /// A newer version is published than the one being taken (`POST …/switch-latest`).
    #[schema(required = true)]
    pub newer_version: Option<i32>,
}

fn progress_of(v: PlayerView) -> Progress {
    Progress {
        percent: v.percent_done(),
        resume_position: v.index + 1,
        steps: v
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepProgress {
                position: i + 1,
                key: s.step_key.clone(),
                title: s.title.clone(),
                kind: s.kind.as_str().to_owned(),
                required: s.required,
                done: v.done_keys.contains(&s.step_key),
            })
            .collect(),
        newer_version: v.newer_version,
        enrolment: v.enrolment.into(),
    }
}

/// One step opened in the player.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PlayerStep {
    /// The step's place, from 1, out of `count`.
    pub position: usize,
    pub count: usize,
    pub key: String,
    pub title: String,
    /// `text`, `video`, `file` or `question`.
    pub kind: String,
    /// The step's Markdown, as the author wrote it.
    pub body: String,
    /// A video elsewhere.
    #[schema(required = true)]
    pub video_url: Option<String>,
    /// The uploaded file or video (`GET /blobs/{hash}`).
    #[schema(required = true)]
    pub blob_hash: Option<String>,
    pub required: bool,
    pub done: bool,
    pub progress: Progress,
}

/// Which step to open; where the learner left off when left out.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"position": 1}))]
pub struct OpenStep {
    /// The step's place, from 1 (a course has at most 200 steps).
    #[schema(minimum = 1, maximum = 10_000)]
    pub position: Option<usize>,
}

/// A step done.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"seconds": 120}))]
pub struct CompleteStep {
    /// Seconds spent on the step (counted up to an hour); 0 when left out.
    #[schema(minimum = 0, maximum = 604800)]
    pub seconds: Option<u32>,
}

/// What completing a step did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StepCompleted {
    /// This completed the course.
    pub course_completed: bool,
    pub progress: Progress,
}

/// A course assigned to a person by a coach.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "ada@acme.test", "due_at": "2027-01-31T17:00:00Z"}))]
pub struct AssignCourse {
    /// The person's email address.
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// When it is due (RFC 3339, in the future); none when left out.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub due_at: Option<OffsetDateTime>,
}

/// A line of "My learning".
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LearningLine {
    pub course_id: i64,
    pub title: String,
    pub version: i32,
    #[schema(minimum = 0, maximum = 100)]
    pub percent: u32,
    pub assigned: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub due_at: Option<OffsetDateTime>,
    pub overdue: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(required = true)]
    pub completed_at: Option<OffsetDateTime>,
    /// Completed an older version than the newest: what changed is worth a look.
    pub changed_since: bool,
}

impl From<LearningEntry> for LearningLine {
    fn from(e: LearningEntry) -> Self {
        LearningLine {
            course_id: e.course_id,
            title: e.title,
            version: e.version,
            percent: e.percent,
            assigned: e.assigned,
            due_at: e.due_at,
            overdue: e.overdue,
            completed_at: e.completed_at,
            changed_since: e.changed_since,
        }
    }
}

/// The caller's courses, as "My learning" groups them.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyLearning {
    /// Assigned and not done, soonest due first.
    pub assigned: Vec<LearningLine>,
    pub in_progress: Vec<LearningLine>,
    pub completed: Vec<LearningLine>,
}

#[utoipa::path(
    post,
    path = "/courses/{id}/enrolment",
    operation_id = "enrol",
    tag = "learning",
    summary = "Enrol in the newest version of a course",
    description = "Enrolling twice changes nothing and answers the enrolment there is.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The caller's enrolment", body = Enrolment),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The course is not for the caller", body = ErrorBody),
        (status = 404, description = "No such published course, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn enrol(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Enrolment>> {
    let row = state.app.enrol(&caller, id).await?;
    Ok(Json(row.into()))
}

#[utoipa::path(
    get,
    path = "/courses/{id}/enrolment",
    operation_id = "get_progress",
    tag = "learning",
    summary = "The caller's enrolment and progress in a course",
    description = "Changes nothing (opening a step is `POST /courses/{id}/player`).",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "Where the caller stands", body = Progress),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "`not_enrolled`: the caller has not started the course", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn progress(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Progress>> {
    let view = state.app.player_view(&caller, id, None).await?;
    Ok(Json(progress_of(view)))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/player",
    operation_id = "open_step",
    tag = "learning",
    summary = "Open a step in the player (or resume where the caller left off)",
    description = "Records the visit as the player page does: the caller's place, the first \
                   start, and a `viewed-step` event.",
    params(("id" = i64, Path, description = "The course")),
    request_body(content = Option<OpenStep>, description = "Which step; resume when left out"),
    responses(
        (status = 200, description = "The step", body = PlayerStep),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such course or step position, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "`not_enrolled`: enrol first", body = ErrorBody),
        (status = 422, description = "The id is not a number, or a bad body", body = ErrorBody),
    )
)]
pub async fn open(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<Json<PlayerStep>> {
    // Permission before the body is read (decision 0037).
    state
        .app
        .course_for(&caller, id, Action::ViewCourse)
        .await?;
    let ApiOptionalJson(body) =
        ApiOptionalJson::<Option<OpenStep>>::from_request(request, &state).await?;
    let position = body.flatten().and_then(|b| b.position);
    let view = state.app.player(&caller, id, position).await?;
    let step = view.step().clone();
    let position = view.index + 1;
    let count = view.steps.len();
    let done = view.done_keys.contains(&step.step_key);
    // The visit is recorded: read the progress again so `started_at` shows it.
    let progress = progress_of(state.app.player_view(&caller, id, Some(position)).await?);
    Ok(Json(PlayerStep {
        position,
        count,
        key: step.step_key,
        title: step.title,
        kind: step.kind.as_str().to_owned(),
        body: step.body,
        video_url: step.video_url,
        blob_hash: step.blob_hash,
        required: step.required,
        done,
        progress,
    }))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/steps/{key}/complete",
    operation_id = "complete_step",
    tag = "learning",
    summary = "Mark a step done",
    description = "Completing the last required step completes the course (and awards its \
                   certificate) unless a passed evaluation is also required. Completing a \
                   step twice changes nothing.",
    params(
        ("id" = i64, Path, description = "The course"),
        ("key" = String, Path, description = "The step's key"),
    ),
    request_body(content = Option<CompleteStep>, description = "Time spent; none when left out"),
    responses(
        (status = 200, description = "Done", body = StepCompleted),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 404, description = "No such course, or no such step in the version being taken", body = ErrorBody),
        (status = 409, description = "`not_enrolled`: enrol first", body = ErrorBody),
        (status = 422, description = "The id is not a number, or a bad body", body = ErrorBody),
    )
)]
pub async fn complete(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(path): ApiPath<StepPath>,
    request: Request,
) -> ApiResult<Json<StepCompleted>> {
    state
        .app
        .course_for(&caller, path.id, Action::ViewCourse)
        .await?;
    let ApiOptionalJson(body) =
        ApiOptionalJson::<Option<CompleteStep>>::from_request(request, &state).await?;
    let seconds = body.flatten().and_then(|b| b.seconds).unwrap_or(0);
    let course_completed = state
        .app
        .complete_step(&caller, path.id, &path.key, i64::from(seconds))
        .await?;
    let progress = progress_of(state.app.player_view(&caller, path.id, None).await?);
    Ok(Json(StepCompleted {
        course_completed,
        progress,
    }))
}

/// The version the caller now takes.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Switched {
    pub version: i32,
}

#[utoipa::path(
    post,
    path = "/courses/{id}/switch-latest",
    operation_id = "switch_to_latest",
    tag = "learning",
    summary = "Take the newest version instead",
    description = "Progress on steps that kept their key stays. Already on the newest: nothing changes.",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The version now taken", body = Switched),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The course is not for the caller", body = ErrorBody),
        (status = 404, description = "No such published course, or not visible to the caller", body = ErrorBody),
        (status = 409, description = "`not_enrolled`: enrol first", body = ErrorBody),
        (status = 422, description = "The id is not a number", body = ErrorBody),
    )
)]
pub async fn switch_latest(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Switched>> {
    let version = state.app.switch_to_latest(&caller, id).await?;
    Ok(Json(Switched { version }))
}

#[utoipa::path(
    post,
    path = "/courses/{id}/assign",
    operation_id = "assign_course",
    tag = "learning",
    summary = "Assign a course to one person, with an optional due date",
    description = "For the course's coaches, to people in groups they coach who are in the \
                   course's audience (the course page's form). Groups and paths: `POST /assignments`.",
    params(("id" = i64, Path, description = "The course")),
    request_body = AssignCourse,
    responses(
        (status = 200, description = "The person's enrolment", body = Enrolment),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The caller does not coach this course", body = ErrorBody),
        (status = 404, description = "No such published course, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "Not an address, nobody by it the caller coaches, not in the audience, or a due date not in the future", body = ErrorBody),
    )
)]
pub async fn assign(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> ApiResult<Json<Enrolment>> {
    state
        .app
        .course_for(&caller, id, Action::CoachCourse)
        .await?;
    let ApiJson(body) = ApiJson::<AssignCourse>::from_request(request, &state).await?;
    let row = state
        .app
        .assign(&caller, id, &body.email, body.due_at)
        .await?;
    Ok(Json(row.into()))
}

#[utoipa::path(
    get,
    path = "/me/learning",
    operation_id = "my_learning",
    tag = "learning",
    summary = "The caller's courses: assigned, in progress, completed",
    responses(
        (status = 200, description = "My learning", body = MyLearning),
        (status = 401, description = "No valid token or session", body = ErrorBody),
    )
)]
pub async fn mine(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<MyLearning>> {
    let m = state.app.my_learning(&caller).await?;
    Ok(Json(MyLearning {
        assigned: m.assigned.into_iter().map(Into::into).collect(),
        in_progress: m.in_progress.into_iter().map(Into::into).collect(),
        completed: m.completed.into_iter().map(Into::into).collect(),
    }))
}
