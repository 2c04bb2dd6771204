//! Writing courses: a draft per next version, saved with stale-save detection, published
//! into immutable versions; co-authors, audience, hand-over, archive.

use lore_domain::course::{
    ChangeNote, CourseSummary, CourseTitle, Language, Minutes, StepBody, StepKey, StepKind,
    StepTitle, Tags,
};
use lore_domain::course::{CourseStatus, VersionState};
use lore_domain::ids::GroupId;
use lore_domain::policy::{Action, Resource};
use lore_domain::review::ReviewState;
use lore_domain::role::Role;
use lore_store::{NewEvent, StepFields, StepRow, VersionMeta, VersionRow};

use super::CourseContext;
use crate::secrets::random_token;
use crate::{App, AppError, AppResult, Caller};

/// What the "New course" form sends: a title and, optionally, the first step.
#[derive(Debug, Clone, Default)]
pub struct NewCourse<'a> {
    pub title: &'a str,
    /// The owning group; `None` picks the caller's first group where they may author.
    pub group_id: Option<i64>,
    pub first_step_title: &'a str,
    pub first_step_body: &'a str,
}

/// What the "New course" form sends when it holds several steps: the title, the group,
/// the steps as (title, body) in order, and whether to publish at once.
#[derive(Debug, Clone, Default)]
pub struct NewCourseWithSteps<'a> {
    pub title: &'a str,
    /// The owning group; `None` picks the caller's first group where they may author.
    pub group_id: Option<i64>,
    /// (title, body) of each step slot; slots left blank are skipped.
    pub steps: Vec<(&'a str, &'a str)>,
    /// Publish version 1 in the same unit of work (nothing is created if publishing refuses).
    pub publish: bool,
}

/// One field of the draft, as the editor's autosave names it: the course's own fields, or
/// one field of one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftField {
    Title,
    Summary,
    Language,
    Tags,
    EstimatedMinutes,
    StepTitle(i64),
    StepBody(i64),
    StepKind(i64),
    StepRequired(i64),
    StepVideoUrl(i64),
}

impl DraftField {
    /// The field the editor names (`title`, `summary`, `language`, `tags`,
    /// `estimated_minutes`, or `step_title`, `step_body`, `step_kind`, `step_required`,
    /// `step_video_url` with the step's id).
    pub fn parse(name: &str, step_id: Option<i64>) -> Result<Self, lore_domain::Invalid> {
        let step =
            || step_id.ok_or_else(|| lore_domain::Invalid::new("step_id", "Say which step."));
        Ok(match name {
            "title" => DraftField::Title,
            "summary" => DraftField::Summary,
            "language" => DraftField::Language,
            "tags" => DraftField::Tags,
            "estimated_minutes" => DraftField::EstimatedMinutes,
            "step_title" => DraftField::StepTitle(step()?),
            "step_body" => DraftField::StepBody(step()?),
            "step_kind" => DraftField::StepKind(step()?),
            "step_required" => DraftField::StepRequired(step()?),
            "step_video_url" => DraftField::StepVideoUrl(step()?),
            _ => {
                return Err(lore_domain::Invalid::new(
                    "field",
                    "That is not a field of the course editor.",
                ));
            }
        })
    }

    fn step_id(self) -> Option<i64> {
        match self {
            DraftField::StepTitle(id)
            | DraftField::StepBody(id)
            | DraftField::StepKind(id)
            | DraftField::StepRequired(id)
            | DraftField::StepVideoUrl(id) => Some(id),
            _ => None,
        }
    }
}

/// One line of the checklist beside Publish: a nudge, never a condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckItem {
    /// A stable name (`summary`, `topics`, `time`, `steps`, `questions`), for pages and tests.
    pub key: &'static str,
    pub done: bool,
    /// What a tick means, e.g. "A summary for the catalogue".
    pub label: &'static str,
    /// What to do when it is not done.
    pub hint: &'static str,
}

/// Publish refuses a draft with a step that has nothing to show.
pub const EMPTY_STEP: &str = "empty_step";
/// The refusal's code when the draft has no step, or a file or video step lacks its file
/// or link.
pub const INCOMPLETE_STEP: &str = "incomplete_step";
/// Publish refuses a draft that is the same as the newest published version.
pub const NOTHING_CHANGED: &str = "nothing_changed";

/// The course-level fields of the draft form.
#[derive(Debug, Clone, Default)]
pub struct CourseFields<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub language: &'a str,
    pub tags: &'a str,
    pub estimated_minutes: &'a str,
}

/// A step as the editor sends it.
#[derive(Debug, Clone, Default)]
pub struct StepInput<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub video_url: &'a str,
    pub blob_hash: Option<String>,
    pub required: bool,
}

/// A draft open for editing, with its steps.
#[derive(Debug, Clone)]
pub struct Draft {
    pub ctx: CourseContext,
    pub version: VersionRow,
    pub steps: Vec<StepRow>,
}

pub(crate) fn new_step_key() -> String {
    format!("s-{}", &random_token()[..10])
}

pub(crate) fn tags_json(tags: &Tags) -> String {
    serde_json::to_string(tags.as_slice()).unwrap_or_else(|_| "[]".to_owned())
}

pub fn tags_of(version: &VersionRow) -> Vec<String> {
    serde_json::from_str(&version.tags).unwrap_or_default()
}

/// Check a step's input: a title always; a video needs a link or an upload; a file an upload.
pub(crate) fn step_fields(key: String, input: &StepInput<'_>) -> AppResult<StepFields> {
    let kind = StepKind::parse(input.kind)?;
    let title = StepTitle::parse(input.title)?;
    let body = StepBody::parse(input.body)?;
    let video_url = input.video_url.trim();
    let video_url = if video_url.is_empty() {
        None
    } else if kind == StepKind::Video
        && (video_url.starts_with("https://") || video_url.starts_with("http://"))
        && video_url.len() <= 2000
    {
        Some(video_url.to_owned())
    } else {
        return Err(AppError::invalid(
            "video_url",
            "A video link starts with https:// (or http://).",
        ));
    };
    Ok(StepFields {
        step_key: key,
        kind,
        title: title.as_str().to_owned(),
        body: body.as_str().to_owned(),
        blob_hash: input.blob_hash.clone(),
        video_url,
        required: input.required,
    })
}

/// The course-level fields checked, as the store keeps them.
fn version_meta(f: &CourseFields<'_>, cover_blob: Option<String>) -> AppResult<VersionMeta> {
    let title = CourseTitle::parse(f.title)?;
    let summary = CourseSummary::parse(f.summary)?;
    let language = if f.language.trim().is_empty() {
        Language::default()
    } else {
        Language::parse(f.language)?
    };
    let tags = Tags::parse(f.tags)?;
    let minutes = Minutes::parse(f.estimated_minutes)?;
    Ok(VersionMeta {
        title: title.as_str().to_owned(),
        summary: summary.as_str().to_owned(),
        language: language.as_str().to_owned(),
        tags: tags_json(&tags),
        estimated_minutes: minutes.map(|m| m.get() as i32),
        cover_blob,
    })
}

fn stale(what: &str) -> AppError {
    AppError::Conflict(format!(
        "Someone saved {what} after you opened it (another tab or a co-author). Your text is kept below: copy it, reload, and apply your change again."
    ))
}

/// Whether a step has nothing for a learner: no title, or a text (or question) step with no
/// text (and, for a question step, no questions either).
fn is_empty_step(step: &StepRow, questions_in_step: usize) -> bool {
    let no_text = step.body.trim().is_empty();
    step.title.trim().is_empty()
        || match step.kind {
            StepKind::Text => no_text,
            StepKind::Question => no_text && questions_in_step == 0,
            // A video or a file step shows its video or document; publish checks those.
            StepKind::Video | StepKind::File => false,
        }
}

/// Everything a version holds that learners see, in order, for "did anything change?".
#[derive(Debug, PartialEq)]
struct Content {
    meta: (String, String, String, String, Option<i32>, Option<String>),
    steps: Vec<StepContent>,
    questions: Vec<(String, Option<String>, String)>,
    settings: Option<lore_store::EvaluationSettings>,
}

/// A step without its row ids, revision and position (order is the list's).
#[derive(Debug, PartialEq)]
struct StepContent {
    key: String,
    kind: StepKind,
    title: String,
    body: String,
    blob_hash: Option<String>,
    video_url: Option<String>,
    required: bool,
}

impl App {
    /// A fingerprint of a draft's content (text, steps, questions, settings): a reviewer's
    /// verdict holds for the content it was given on, and a change afterwards asks again.
    pub(crate) async fn content_fingerprint(&self, version: &VersionRow) -> AppResult<String> {
        use sha2::Digest;
        let content = self.content_of(version).await?;
        Ok(hex::encode(sha2::Sha256::digest(
            format!("{content:?}").as_bytes(),
        )))
    }

    async fn content_of(&self, version: &VersionRow) -> AppResult<Content> {
        let steps = self.store.steps_of(version.id).await?;
        let questions = self.store.questions_of(version.id).await?;
        let settings = self.store.settings_of(version.id).await?;
        Ok(Content {
            meta: (
                version.title.clone(),
                version.summary.clone(),
                version.language.clone(),
                version.tags.clone(),
                version.estimated_minutes,
                version.cover_blob.clone(),
            ),
            steps: steps
                .into_iter()
                .map(|s| StepContent {
                    key: s.step_key,
                    kind: s.kind,
                    title: s.title,
                    body: s.body,
                    blob_hash: s.blob_hash,
                    video_url: s.video_url,
                    required: s.required,
                })
                .collect(),
            questions: questions
                .into_iter()
                .map(|q| (q.question_key, q.step_key, q.body))
                .collect(),
            settings: settings.map(|s| lore_store::EvaluationSettings {
                mode: s.mode,
                pass_mark: s.pass_mark,
                max_attempts: s.max_attempts,
                time_limit_minutes: s.time_limit_minutes,
                shuffle: s.shuffle,
                required_for_completion: s.required_for_completion,
            }),
        })
    }

    /// The checklist beside Publish for a draft: summary, topics, estimated time, steps with
    /// text, questions. It nudges; publishing never waits for it (except empty steps, which
    /// publish refuses anyway, and says so).
    pub async fn publish_checklist(&self, draft: &Draft) -> AppResult<Vec<CheckItem>> {
        let questions = self.store.questions_of(draft.version.id).await?;
        let in_step = |key: &str| {
            questions
                .iter()
                .filter(|q| q.step_key.as_deref() == Some(key))
                .count()
        };
        let v = &draft.version;
        Ok(vec![
            CheckItem {
                key: "summary",
                done: !v.summary.trim().is_empty(),
                label: "A summary for the catalogue",
                hint: "Write one or two sentences: who it is for, what they will be able to do.",
            },
            CheckItem {
                key: "topics",
                done: !tags_of(v).is_empty(),
                label: "Topics chosen",
                hint: "Add a few topics so people find it when they search.",
            },
            CheckItem {
                key: "time",
                done: v.estimated_minutes.is_some(),
                label: "Estimated time set",
                hint: "Say how many minutes it takes, so people can plan.",
            },
            CheckItem {
                key: "steps",
                done: !draft.steps.is_empty()
                    && draft
                        .steps
                        .iter()
                        .all(|s| !is_empty_step(s, in_step(&s.step_key))),
                label: "Every step has a title and text",
                hint: "An empty step cannot be published: write it or delete it.",
            },
            CheckItem {
                key: "questions",
                done: !questions.is_empty(),
                label: "Questions to check what people learned",
                hint: "Optional: a few questions at the end, or inside a step.",
            },
        ])
    }

    /// The newest version of a course as it would be published, for "Preview as learner":
    /// the draft if there is one, else the newest published version. Only the course's
    /// editors (and its reviewers while the draft is under review) may see it; it reads only (no draft is started, nothing is recorded).
    pub async fn preview_draft(&self, caller: &Caller, course_id: i64) -> AppResult<Draft> {
        let ctx = self.may_read_draft(caller, course_id).await?;
        let version = self
            .store
            .versions_of(course_id)
            .await?
            .pop()
            .ok_or(AppError::NotFound("That course"))?;
        let steps = self.store.steps_of(version.id).await?;
        Ok(Draft {
            ctx,
            version,
            steps,
        })
    }

    /// The prompts of the questions inside a step of the version shown in a preview.
    pub async fn preview_step_questions(
        &self,
        draft: &Draft,
        step_key: &str,
    ) -> AppResult<Vec<String>> {
        let rows = self.store.questions_of(draft.version.id).await?;
        Ok(rows
            .iter()
            .filter(|q| q.step_key.as_deref() == Some(step_key))
            .filter_map(|q| crate::evaluations::authoring::question_of(q).ok())
            .map(|q| q.prompt)
            .collect())
    }

    /// Groups where the caller may start a course, as (id, path).
    pub async fn authoring_groups(&self, caller: &Caller) -> AppResult<Vec<(i64, String)>> {
        let tree = self.group_tree().await?;
        let rows = self.store.all_groups().await?;
        let mut out: Vec<(i64, String)> = rows
            .iter()
            .filter(|g| {
                let lineage = tree.lineage(GroupId(g.id));
                let min_role = Role::parse(&g.author_min_role).unwrap_or(Role::Learner);
                caller.can(
                    Action::CreateCourse,
                    Resource::AuthoringIn {
                        lineage: &lineage,
                        min_role,
                    },
                ) && (caller.platform_admin || caller.actor.within.contains(&GroupId(g.id)))
            })
            .map(|g| (g.id, tree.path(GroupId(g.id))))
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1));
        // Put the caller's own groups first: that is where they most likely write.
        out.sort_by_key(|(id, _)| !caller.actor.memberships.iter().any(|(g, _)| g.0 == *id));
        Ok(out)
    }

    /// Start a course: draft version 1 with its first step. Returns the course id.
    pub async fn create_course(&self, caller: &Caller, new: NewCourse<'_>) -> AppResult<i64> {
        let (id, _) = self
            .create_course_with_steps(
                caller,
                NewCourseWithSteps {
                    title: new.title,
                    group_id: new.group_id,
                    steps: vec![(new.first_step_title, new.first_step_body)],
                    publish: false,
                },
            )
            .await?;
        Ok(id)
    }

    /// Start a course with the steps the author wrote (blank slots skipped; the first step
    /// is called "Introduction" when left without a title), and publish it at once when
    /// asked. One unit of work: if publishing refuses, no course is left behind. Returns the
    /// course id and the published version's number.
    pub async fn create_course_with_steps(
        &self,
        caller: &Caller,
        new: NewCourseWithSteps<'_>,
    ) -> AppResult<(i64, Option<i32>)> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let title = CourseTitle::parse(new.title)?;
            let groups = app.authoring_groups(caller).await?;
            let group_id = match new.group_id {
                Some(g) if groups.iter().any(|(id, _)| *id == g) => g,
                // A group that does not exist is 404; one the caller may not write in, 403.
                Some(g) => {
                    return Err(match app.store.group(g).await? {
                        None => AppError::NotFound("That group"),
                        Some(_) => AppError::Forbidden,
                    });
                }
                None => groups.first().map(|(id, _)| *id).ok_or_else(|| {
                    AppError::invalid("group_id", "You are not in a group where you may write courses yet. Ask an administrator to add you to your team's group.")
                })?,
            };
            let mut steps = Vec::new();
            for (i, (step_title, body)) in new.steps.iter().enumerate() {
                let blank_title = step_title.trim().is_empty();
                if blank_title && body.trim().is_empty() && i > 0 {
                    continue;
                }
                let step_title = if !blank_title {
                    *step_title
                } else if steps.is_empty() {
                    "Introduction"
                } else {
                    return Err(AppError::invalid(
                        "step_title",
                        format!("Step {} has text but no title: give it one.", steps.len() + 1),
                    ));
                };
                if steps.len() >= 200 {
                    return Err(AppError::invalid(
                        "step",
                        "A course has at most 200 steps; split it into a path of courses.",
                    ));
                }
                steps.push(step_fields(
                    new_step_key(),
                    &StepInput {
                        kind: "text",
                        title: step_title,
                        body,
                        required: true,
                        ..Default::default()
                    },
                )?);
            }
            if steps.is_empty() {
                steps.push(step_fields(
                    new_step_key(),
                    &StepInput {
                        kind: "text",
                        title: "Introduction",
                        required: true,
                        ..Default::default()
                    },
                )?);
            }
            let meta = VersionMeta {
                title: title.as_str().to_owned(),
                summary: String::new(),
                language: "en".to_owned(),
                tags: "[]".to_owned(),
                estimated_minutes: None,
                cover_blob: None,
            };
            let (course, _) = app
                .store
                .create_course(caller.id.0, group_id, meta, steps, app.now())
                .await?;
            tracing::info!(target: "lore::audit", user_id = caller.id.0, course_id = course.id, "course created");
            let published = if new.publish {
                Some(app.publish(caller, course.id, "").await?)
            } else {
                None
            };
            Ok((course.id, published))
        })
        .await
    }

    /// The draft of the next version, made from the newest published version if needed.
    pub async fn draft(&self, caller: &Caller, course_id: i64) -> AppResult<Draft> {
        let ctx = self
            .course_for(caller, course_id, Action::EditCourse)
            .await?;
        let versions = self.store.versions_of(course_id).await?;
        let version = match versions.last() {
            Some(v) if v.state == VersionState::Draft => v.clone(),
            Some(published) => self.store.start_draft(published, self.now()).await?,
            None => return Err(AppError::NotFound("That course")),
        };
        let steps = self.store.steps_of(version.id).await?;
        Ok(Draft {
            ctx,
            version,
            steps,
        })
    }

    /// Save the course-level fields; `revision` is the one the form was opened with.
    pub async fn save_course_fields(
        &self,
        caller: &Caller,
        course_id: i64,
        revision: i64,
        f: CourseFields<'_>,
    ) -> AppResult<i64> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let draft = app.draft(caller, course_id).await?;
            let meta = version_meta(&f, draft.version.cover_blob.clone())?;
            if !app
                .store
                .save_draft_meta(draft.version.id, revision, meta, app.now())
                .await?
            {
                return Err(stale("the course details"));
            }
            Ok(revision.saturating_add(1))
        })
        .await
    }

    /// Autosave: save one field of the draft, checked as the full form checks it.
    /// `revision` is the one the editor holds for the course's fields, or for that step;
    /// returns the new one. A stale revision is a conflict and changes nothing.
    pub async fn save_draft_field(
        &self,
        caller: &Caller,
        course_id: i64,
        field: DraftField,
        revision: i64,
        value: &str,
    ) -> AppResult<i64> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let draft = app.draft(caller, course_id).await?;
            if let Some(step_id) = field.step_id() {
                let step = Self::step_in(&draft, step_id)?;
                let video_url = step.video_url.clone().unwrap_or_default();
                let mut input = StepInput {
                    kind: step.kind.as_str(),
                    title: &step.title,
                    body: &step.body,
                    video_url: &video_url,
                    blob_hash: step.blob_hash.clone(),
                    required: step.required,
                };
                match field {
                    DraftField::StepTitle(_) => input.title = value,
                    DraftField::StepBody(_) => input.body = value,
                    DraftField::StepKind(_) => input.kind = value,
                    DraftField::StepVideoUrl(_) => input.video_url = value,
                    DraftField::StepRequired(_) => {
                        input.required = matches!(value.trim(), "1" | "true" | "on")
                    }
                    _ => {}
                }
                let fields = step_fields(step.step_key.clone(), &input)?;
                if !app.store.save_step(step.id, revision, fields).await? {
                    return Err(stale("this step"));
                }
                return Ok(revision.saturating_add(1));
            }
            let v = &draft.version;
            let tags = tags_of(v).join(", ");
            let minutes = v
                .estimated_minutes
                .map(|m| m.to_string())
                .unwrap_or_default();
            let mut f = CourseFields {
                title: &v.title,
                summary: &v.summary,
                language: &v.language,
                tags: &tags,
                estimated_minutes: &minutes,
            };
            match field {
                DraftField::Title => f.title = value,
                DraftField::Summary => f.summary = value,
                DraftField::Language => f.language = value,
                DraftField::Tags => f.tags = value,
                DraftField::EstimatedMinutes => f.estimated_minutes = value,
                _ => {}
            }
            let meta = version_meta(&f, v.cover_blob.clone())?;
            if !app
                .store
                .save_draft_meta(v.id, revision, meta, app.now())
                .await?
            {
                return Err(stale("the course details"));
            }
            Ok(revision.saturating_add(1))
        })
        .await
    }

    /// Upload a cover image for the course (checked as an image) and put it on the draft.
    pub async fn upload_cover(
        &self,
        caller: &Caller,
        course_id: i64,
        data: bytes::Bytes,
        content_type: &str,
        name: &str,
    ) -> AppResult<()> {
        self.draft(caller, course_id).await?;
        let blob = self
            .put_blob(
                caller,
                data,
                content_type,
                name,
                crate::blobs::BlobPurpose::Image,
            )
            .await?;
        self.set_cover(caller, course_id, Some(blob.hash)).await
    }

    pub async fn set_cover(
        &self,
        caller: &Caller,
        course_id: i64,
        blob_hash: Option<String>,
    ) -> AppResult<()> {
        let draft = self.draft(caller, course_id).await?;
        let v = &draft.version;
        let meta = VersionMeta {
            title: v.title.clone(),
            summary: v.summary.clone(),
            language: v.language.clone(),
            tags: v.tags.clone(),
            estimated_minutes: v.estimated_minutes,
            cover_blob: blob_hash,
        };
        if !self
            .store
            .save_draft_meta(v.id, v.revision, meta, self.now())
            .await?
        {
            return Err(stale("the course details"));
        }
        Ok(())
    }

    pub async fn add_step(
        &self,
        caller: &Caller,
        course_id: i64,
        input: StepInput<'_>,
    ) -> AppResult<StepRow> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let draft = app.draft(caller, course_id).await?;
            if draft.steps.len() >= 200 {
                return Err(AppError::invalid(
                    "step",
                    "A course has at most 200 steps; split it into a path of courses.",
                ));
            }
            let fields = step_fields(new_step_key(), &input)?;
            Ok(app.store.add_step(draft.version.id, fields).await?)
        })
        .await
    }

    fn step_in(draft: &Draft, step_id: i64) -> AppResult<&StepRow> {
        draft
            .steps
            .iter()
            .find(|s| s.id == step_id)
            .ok_or(AppError::NotFound("That step"))
    }

    /// Save a step of the draft; `revision` is the one the editor was opened with.
    pub async fn save_step(
        &self,
        caller: &Caller,
        course_id: i64,
        step_id: i64,
        revision: i64,
        input: StepInput<'_>,
    ) -> AppResult<i64> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let draft = app.draft(caller, course_id).await?;
            let step = Self::step_in(&draft, step_id)?;
            let mut input = input;
            if input.blob_hash.is_none() {
                input.blob_hash = step.blob_hash.clone();
            }
            let fields = step_fields(step.step_key.clone(), &input)?;
            if !app.store.save_step(step.id, revision, fields).await? {
                return Err(stale("this step"));
            }
            Ok(revision.saturating_add(1))
        })
        .await
    }

    /// Attach an upload to a step of the draft: a text step gets the image added at the end
    /// of its Markdown; a video or file step gets the upload as its video or document.
    pub async fn attach_to_step(
        &self,
        caller: &Caller,
        course_id: i64,
        step_id: i64,
        data: bytes::Bytes,
        content_type: &str,
        name: &str,
    ) -> AppResult<()> {
        use crate::blobs::BlobPurpose;
        let draft = self.draft(caller, course_id).await?;
        let step = Self::step_in(&draft, step_id)?.clone();
        let purpose = match step.kind.as_str() {
            "video" => BlobPurpose::Video,
            "file" => BlobPurpose::Document,
            _ => BlobPurpose::Image,
        };
        let blob = self
            .put_blob(caller, data, content_type, name, purpose)
            .await?;
        let (body, blob_hash) = if purpose == BlobPurpose::Image {
            let alt: String = name
                .chars()
                .filter(|c| !matches!(c, '[' | ']' | '(' | ')' | '\n'))
                .take(80)
                .collect();
            (
                format!(
                    "{}\n\n![{alt}](/blobs/{})\n",
                    step.body.trim_end(),
                    blob.hash
                ),
                step.blob_hash.clone(),
            )
        } else {
            (step.body.clone(), Some(blob.hash.clone()))
        };
        let fields = StepFields {
            step_key: step.step_key.clone(),
            kind: step.kind,
            title: step.title.clone(),
            body,
            blob_hash,
            video_url: step.video_url.clone(),
            required: step.required,
        };
        if !self.store.save_step(step.id, step.revision, fields).await? {
            return Err(stale("this step"));
        }
        Ok(())
    }

    pub async fn delete_step(
        &self,
        caller: &Caller,
        course_id: i64,
        step_id: i64,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let draft = app.draft(caller, course_id).await?;
            Self::step_in(&draft, step_id)?;
            if draft.steps.len() == 1 {
                return Err(AppError::invalid(
                    "step",
                    "A course needs at least one step.",
                ));
            }
            app.store.delete_step(draft.version.id, step_id).await?;
            Ok(())
        })
        .await
    }

    /// Move a step up (-1) or down (+1) in the draft.
    pub async fn move_step(
        &self,
        caller: &Caller,
        course_id: i64,
        step_id: i64,
        offset: i32,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let draft = app.draft(caller, course_id).await?;
            let mut ids: Vec<i64> = draft.steps.iter().map(|s| s.id).collect();
            let at = ids
                .iter()
                .position(|id| *id == step_id)
                .ok_or(AppError::NotFound("That step"))?;
            let to = at as i64 + i64::from(offset);
            if to < 0 || to >= ids.len() as i64 {
                return Ok(());
            }
            ids.swap(at, to as usize);
            app.store.reorder_steps(draft.version.id, &ids).await?;
            Ok(())
        })
        .await
    }

    /// Put the draft's steps in the given order (every step id once).
    pub async fn reorder_steps(
        &self,
        caller: &Caller,
        course_id: i64,
        order: &[i64],
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let draft = app.draft(caller, course_id).await?;
            let mut given = order.to_vec();
            given.sort_unstable();
            let mut have: Vec<i64> = draft.steps.iter().map(|s| s.id).collect();
            have.sort_unstable();
            if given != have {
                return Err(AppError::invalid(
                    "order",
                    "The new order must list every step of the draft once.",
                ));
            }
            app.store.reorder_steps(draft.version.id, order).await?;
            Ok(())
        })
        .await
    }

    /// Publish the draft as the next version. Returns its number.
    pub async fn publish(&self, caller: &Caller, course_id: i64, note: &str) -> AppResult<i32> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let draft = app.draft(caller, course_id).await?;
            if draft.ctx.archived() {
                return Err(AppError::Conflict(
                    "This course is archived. Restore it before publishing.".to_owned(),
                ));
            }
            let note = ChangeNote::parse(note)?;
            // What the draft still lacks is its state, not a bad request: 409, with a code.
            if draft.steps.is_empty() {
                return Err(AppError::refused(
                    INCOMPLETE_STEP,
                    "Add a step before publishing.",
                ));
            }
            for s in &draft.steps {
                StepKey::parse(&s.step_key)?;
                if s.kind == StepKind::File && s.blob_hash.is_none() {
                    return Err(AppError::refused(
                        INCOMPLETE_STEP,
                        format!("The step {:?} needs a file before publishing.", s.title),
                    ));
                }
                if s.kind == StepKind::Video && s.blob_hash.is_none() && s.video_url.is_none() {
                    return Err(AppError::refused(
                        INCOMPLETE_STEP,
                        format!(
                            "The step {:?} needs a video upload or link before publishing.",
                            s.title
                        ),
                    ));
                }
            }
            let questions = app.store.questions_of(draft.version.id).await?;
            for (i, s) in draft.steps.iter().enumerate() {
                let in_step = questions
                    .iter()
                    .filter(|q| q.step_key.as_deref() == Some(s.step_key.as_str()))
                    .count();
                if is_empty_step(s, in_step) {
                    return Err(AppError::refused(
                        EMPTY_STEP,
                        format!(
                            "Step {} “{}” is empty: write its text (or delete the step) before publishing. Nothing was published.",
                            i + 1,
                            s.title.trim()
                        ),
                    ));
                }
            }
            let number = draft.version.number;
            if let Some(previous) = app.store.version(course_id, number - 1).await?
                && previous.state == VersionState::Published
                && app.content_of(&previous).await? == app.content_of(&draft.version).await?
            {
                return Err(AppError::refused(
                    NOTHING_CHANGED,
                    format!(
                        "Nothing changed since version {}: edit the course before publishing again. Nothing was published.",
                        previous.number
                    ),
                ));
            }
            let review = app.publish_gate(&draft.ctx, &draft.version).await?;
            // A note kept on the draft (an import that waited for review) stands unless
            // a new one is typed.
            let typed = match note.as_str() {
                "" => draft.version.change_note.as_str(),
                typed => typed,
            };
            let note = match app.edit_credits(course_id, number).await? {
                Some(credits) if typed.is_empty() => credits,
                Some(credits) => format!("{typed}\n\n{credits}"),
                None => typed.to_owned(),
            };
            if !app
                .store
                .publish(
                    course_id,
                    draft.version.id,
                    number,
                    caller.id.0,
                    &note,
                    app.now(),
                )
                .await?
            {
                return Err(AppError::Conflict(
                    "This version was just published from somewhere else.".to_owned(),
                ));
            }
            // An author's action: the course's group is its context, no enrolment is.
            app.store
                .append_event(
                    NewEvent {
                        user_id: caller.id.0,
                        verb: super::learning::verbs::PUBLISHED,
                        course_id: Some(course_id),
                        version_number: Some(number),
                        group_id: Some(draft.ctx.course.group_id),
                        ..NewEvent::default()
                    },
                    app.now(),
                )
                .await?;
            if let Some(review) = review {
                app.store
                    .close_review(review.id, ReviewState::Published, app.now())
                    .await?;
            }
            app.after_publish(course_id).await?;
            app.announce_accepted_edits(caller, course_id, number)
                .await?;
            let title = draft.version.title.clone();
            app.answer_needs_of(caller, course_id, &title).await?;
            tracing::info!(target: "lore::audit", user_id = caller.id.0, course_id, version = number, "course published");
            Ok(number)
        })
        .await
    }

    /// Work that follows a publication: keep the search index and the health figures in step.
    pub(crate) async fn after_publish(&self, course_id: i64) -> AppResult<()> {
        self.refresh_course_health(course_id).await?;
        self.reindex_course(course_id).await
    }

    pub async fn archive_course(
        &self,
        caller: &Caller,
        course_id: i64,
        archived: bool,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            app.course_for(caller, course_id, Action::EditCourse)
                .await?;
            app.store
                .set_course_status(
                    course_id,
                    if archived {
                        CourseStatus::Archived
                    } else {
                        CourseStatus::Active
                    },
                    app.now(),
                )
                .await?;
            app.refresh_course_health(course_id).await?;
            app.reindex_course(course_id).await?;
            Ok(())
        })
        .await
    }

    /// Delete a course that was never published and that nobody took.
    pub async fn delete_course(&self, caller: &Caller, course_id: i64) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            app.course_for(caller, course_id, Action::EditCourse)
                .await?;
            if !app.store.delete_unpublished_course(course_id).await? {
                return Err(AppError::Conflict(
                    "Only a course that was never published and that nobody has taken can be deleted. Archive it instead.".to_owned(),
                ));
            }
            Ok(())
        })
        .await
    }

    pub async fn add_coauthor(
        &self,
        caller: &Caller,
        course_id: i64,
        email: &str,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            app.course_for(caller, course_id, Action::EditCourse)
                .await?;
            let person = app.active_person(email).await?;
            app.store.add_coauthor(course_id, person).await?;
            Ok(())
        })
        .await
    }

    pub async fn remove_coauthor(
        &self,
        caller: &Caller,
        course_id: i64,
        user_id: i64,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app
                .course_for(caller, course_id, Action::EditCourse)
                .await?;
            if !ctx.coauthors.iter().any(|c| c.0 == user_id) {
                return Err(AppError::NotFound("That co-author"));
            }
            app.store.remove_coauthor(course_id, user_id).await?;
            Ok(())
        })
        .await
    }

    /// Hand the course over; the former owner stays on as a co-author.
    pub async fn transfer_course(
        &self,
        caller: &Caller,
        course_id: i64,
        email: &str,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app
                .course_for(caller, course_id, Action::TransferCourse)
                .await?;
            let new_owner = app.active_person(email).await?;
            app.store
                .set_course_owner(course_id, new_owner, app.now())
                .await?;
            app.store
                .add_coauthor(course_id, ctx.course.owner_id)
                .await?;
            app.store.remove_coauthor(course_id, new_owner).await?;
            Ok(())
        })
        .await
    }

    /// Which groups see the course in their catalogue (besides the owning group).
    pub async fn set_audiences(
        &self,
        caller: &Caller,
        course_id: i64,
        groups: &[i64],
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            app.course_for(caller, course_id, Action::EditCourse)
                .await?;
            let tree = app.group_tree().await?;
            if groups.iter().any(|g| tree.get(GroupId(*g)).is_none()) {
                // A group named by id that does not exist is not there: 404 (0037, 0051).
                return Err(AppError::NotFound("That group"));
            }
            let mut groups = groups.to_vec();
            groups.sort_unstable();
            groups.dedup();
            app.store.set_audiences(course_id, &groups).await?;
            app.reindex_course(course_id).await?;
            Ok(())
        })
        .await
    }

    /// The owner's name and the co-authors as (id, "Name <email>"), for the editor.
    pub async fn course_team(
        &self,
        ctx: &CourseContext,
    ) -> AppResult<(String, Vec<(i64, String)>)> {
        let owner = self
            .store
            .user(ctx.course.owner_id)
            .await?
            .map(|u| u.name)
            .unwrap_or_default();
        let mut coauthors = Vec::new();
        for id in &ctx.coauthors {
            if let Some(u) = self.store.user(id.0).await? {
                coauthors.push((u.id, format!("{} <{}>", u.name, u.email)));
            }
        }
        Ok((owner, coauthors))
    }

    /// A person's id by email, for co-authors and hand-over: nobody active with the address
    /// is someone who is not there, 404, as for reviewers (decisions 0037, 0051); the
    /// editor shows it beside its people form.
    pub(crate) async fn active_person(&self, email: &str) -> AppResult<i64> {
        let email = lore_domain::account::Email::parse(email)?;
        match self.store.user_by_email(email.as_str()).await? {
            Some(u) if u.active => Ok(u.id),
            _ => Err(AppError::NotFound(crate::NO_SUCH_PERSON)),
        }
    }

    /// A person's id by email, for answer reviewers (active accounts only).
    pub(crate) async fn person_by_address(&self, email: &str) -> AppResult<i64> {
        let email = lore_domain::account::Email::parse(email)?;
        match self.store.user_by_email(email.as_str()).await? {
            Some(u) if u.active => Ok(u.id),
            _ => Err(AppError::invalid(
                "email",
                format!("Nobody active has the address {email}."),
            )),
        }
    }

    /// The least role that may write courses for a group.
    pub async fn authoring_role(&self, group_id: i64) -> AppResult<Role> {
        let group = self
            .store
            .group(group_id)
            .await?
            .ok_or(AppError::NotFound("That group"))?;
        Ok(Role::parse(&group.author_min_role).unwrap_or(Role::Learner))
    }

    /// Who may write courses owned by a group: `learner` (everyone) or a higher role.
    pub async fn set_authoring_role(
        &self,
        caller: &Caller,
        group_id: i64,
        role: Role,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let tree = app.group_tree().await?;
            let lineage = tree.lineage(GroupId(group_id));
            if lineage.is_empty() {
                return Err(AppError::NotFound("That group"));
            }
            caller.require(Action::ManageGroup, Resource::Group { lineage: &lineage })?;
            let before = app.authoring_role(group_id).await?;
            if before == role {
                return Ok(());
            }
            app.store
                .set_author_min_role(group_id, role.as_str())
                .await?;
            let path = tree.path(GroupId(group_id));
            app.audit(
                Some(caller),
                lore_domain::audit::AuditAction::AuthoringRoleChanged,
                path.clone(),
                format!(
                    "{path}: courses written from {} (was {})",
                    role.as_str(),
                    before.as_str()
                ),
            )
            .await
        })
        .await
    }
}
