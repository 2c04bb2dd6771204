//! Taking courses: enrolment and assignment, the player (one step at a time, resumable),
//! progress by step key, completion, "what changed since you finished", and the event log.

use lore_domain::course::{EnrolmentSource, VersionState};
use lore_domain::course::{StepChange, StepSnapshot, changes_between, is_complete};
use lore_domain::policy::Action;
use lore_store::{EnrolmentRow, NewEnrolment, NewEvent, StepRow, VersionRow};

use super::CourseContext;
use crate::secrets::random_uuid;
use crate::{App, AppError, AppResult, Caller};

/// Verbs of the event log for courses (what a learner did, and publishing).
pub mod verbs {
    pub const VIEWED_COURSE: &str = "viewed-course";
    pub const ENROLLED: &str = "enrolled";
    pub const ASSIGNED: &str = "assigned";
    /// A coach took an assignment back (`data.assignment`, `data.by`, `data.target`).
    pub const UNASSIGNED: &str = "unassigned";
    pub const STARTED: &str = "started";
    pub const VIEWED_STEP: &str = "viewed-step";
    pub const COMPLETED_STEP: &str = "completed-step";
    pub const COMPLETED_COURSE: &str = "completed-course";
    pub const SWITCHED_VERSION: &str = "switched-version";
    /// Every course of an assigned path done (`data.path`, `data.assignment`).
    pub const COMPLETED_PATH: &str = "completed-path";
    /// An author's: a version was published.
    pub const PUBLISHED: &str = "published";
}

/// The course page: the newest version, and where the caller stands.
#[derive(Debug, Clone)]
pub struct CourseOverview {
    pub ctx: CourseContext,
    pub latest: VersionRow,
    /// The steps of the newest version.
    pub steps: Vec<StepRow>,
    /// The steps of the version the caller is taking (the newest one's when not enrolled).
    pub taking_steps: Vec<StepRow>,
    pub enrolment: Option<EnrolmentRow>,
    pub done_keys: Vec<String>,
    pub can_edit: bool,
    pub can_coach: bool,
}

/// One step in the player, with everything around it.
#[derive(Debug, Clone)]
pub struct PlayerView {
    pub ctx: CourseContext,
    pub version: VersionRow,
    pub steps: Vec<StepRow>,
    pub index: usize,
    pub done_keys: Vec<String>,
    pub enrolment: EnrolmentRow,
    /// A newer version exists than the one being taken.
    pub newer_version: Option<i32>,
}

impl PlayerView {
    pub fn step(&self) -> &StepRow {
        &self.steps[self.index]
    }

    pub fn percent_done(&self) -> u32 {
        percent(&self.steps, &self.done_keys)
    }
}

pub fn percent(steps: &[StepRow], done: &[String]) -> u32 {
    let required: Vec<&StepRow> = steps.iter().filter(|s| s.required).collect();
    if required.is_empty() {
        return 100;
    }
    let n = required
        .iter()
        .filter(|s| done.contains(&s.step_key))
        .count();
    (n * 100 / required.len()) as u32
}

/// A line of "My learning".
#[derive(Debug, Clone)]
pub struct LearningEntry {
    pub course_id: i64,
    pub title: String,
    pub version: i32,
    pub percent: u32,
    pub due_at: Option<time::OffsetDateTime>,
    pub assigned: bool,
    pub completed_at: Option<time::OffsetDateTime>,
    pub overdue: bool,
    /// Completed an older version than the newest: "what changed" is worth a look.
    pub changed_since: bool,
}

/// The caller's learning, as the "My learning" page groups it.
#[derive(Debug, Clone, Default)]
pub struct MyLearning {
    pub assigned: Vec<LearningEntry>,
    pub in_progress: Vec<LearningEntry>,
    pub completed: Vec<LearningEntry>,
}

fn snapshot(steps: &[StepRow]) -> Vec<StepSnapshot> {
    steps
        .iter()
        .map(|s| StepSnapshot {
            key: s.step_key.clone(),
            title: s.title.clone(),
            body: s.body.clone(),
        })
        .collect()
}

/// The refusal code of the player for someone not enrolled.
pub const NOT_ENROLLED: &str = "not_enrolled";

/// The refusal of an action that needs an enrolment (409 `not_enrolled`).
pub fn not_enrolled() -> AppError {
    AppError::Refused {
        code: NOT_ENROLLED,
        message: "Start the course first.".to_owned(),
    }
}

impl App {
    async fn event(
        &self,
        caller: &Caller,
        verb: &'static str,
        course: i64,
        version: Option<i32>,
        step: Option<&str>,
        data: Option<String>,
    ) -> AppResult<()> {
        self.course_event(NewEvent {
            user_id: caller.id.0,
            verb,
            course_id: Some(course),
            version_number: version,
            step_key: step.map(str::to_owned),
            data,
            ..NewEvent::default()
        })
        .await
    }

    async fn published(&self, ctx: &CourseContext) -> AppResult<VersionRow> {
        self.latest_version(ctx)
            .await?
            .ok_or(AppError::NotFound("That course"))
    }

    async fn done_keys(&self, enrolment: Option<&EnrolmentRow>) -> AppResult<Vec<String>> {
        Ok(match enrolment {
            Some(e) => self
                .store
                .progress_of(e.id)
                .await?
                .into_iter()
                .filter(|p| p.completed_at.is_some())
                .map(|p| p.step_key)
                .collect(),
            None => Vec::new(),
        })
    }

    /// The course page. Viewing it is an event, written off the request path when the
    /// worker runs (see [`crate::view_log`]).
    pub async fn course_overview(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<CourseOverview> {
        let ctx = self
            .course_for(caller, course_id, Action::ViewCourse)
            .await?;
        let latest = self.published(&ctx).await?;
        let enrolment = self.store.enrolment(caller.id.0, course_id).await?;
        // A learner on an older version sees that version's steps: the player opens only
        // those, so listing the newest version's would link to steps that are not there.
        let steps = self.store.steps_of(latest.id).await?;
        let taking = match enrolment.as_ref() {
            Some(e) if e.version_number != latest.number => {
                self.store.version(course_id, e.version_number).await?
            }
            _ => None,
        };
        let taking_steps = match taking {
            Some(v) => self.store.steps_of(v.id).await?,
            None => steps.clone(),
        };
        let done_keys = self.done_keys(enrolment.as_ref()).await?;
        // Written by the worker with the other views of the moment (crate::view_log).
        self.record_view(NewEvent {
            user_id: caller.id.0,
            verb: verbs::VIEWED_COURSE,
            course_id: Some(course_id),
            version_number: Some(latest.number),
            ..NewEvent::default()
        })
        .await?;
        Ok(CourseOverview {
            can_edit: ctx.can(caller, Action::EditCourse),
            can_coach: ctx.can(caller, Action::CoachCourse),
            ctx,
            latest,
            steps,
            taking_steps,
            enrolment,
            done_keys,
        })
    }

    /// Enrol oneself in the newest version. Enrolling twice changes nothing.
    pub async fn enrol(&self, caller: &Caller, course_id: i64) -> AppResult<EnrolmentRow> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app
                .course_for(caller, course_id, Action::TakeCourse)
                .await?;
            let latest = app.published(&ctx).await?;
            let (row, created) = app
                .store
                .enrol(
                    NewEnrolment {
                        user_id: caller.id.0,
                        course_id,
                        version_number: latest.number,
                        source: EnrolmentSource::SelfEnrolled,
                        assigned_by: None,
                        due_at: None,
                        registration: random_uuid(),
                    },
                    app.now(),
                )
                .await?;
            if created {
                app.event(
                    caller,
                    verbs::ENROLLED,
                    course_id,
                    Some(latest.number),
                    None,
                    None,
                )
                .await?;
            }
            Ok(row)
        })
        .await
    }

    /// A coach assigns the course to a person with an optional due date.
    pub async fn assign(
        &self,
        caller: &Caller,
        course_id: i64,
        learner_email: &str,
        due_at: Option<time::OffsetDateTime>,
    ) -> AppResult<EnrolmentRow> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app
                .course_for(caller, course_id, Action::CoachCourse)
                .await?;
            let latest = app.published(&ctx).await?;
            let email = lore_domain::account::Email::parse(learner_email)?;
            let learner = app
                .store
                .user_by_email(email.as_str())
                .await?
                .ok_or_else(|| {
                    AppError::invalid("email", format!("Nobody has the address {email}."))
                })?;
            // The coach must be able to see the person (they are in a group the coach coaches).
            app.person(caller, learner.id).await.map_err(|_| {
                AppError::invalid(
                    "email",
                    "You can assign courses only to people in groups you coach.",
                )
            })?;
            let learner_caller = app
                .caller(learner.id)
                .await?
                .ok_or(AppError::invalid("email", "That person is deactivated."))?;
            if !ctx.can(&learner_caller, Action::TakeCourse) {
                return Err(AppError::invalid(
                    "email",
                    "That person is not in the course's audience. Add their group to the audience first.",
                ));
            }
            if let Some(due) = due_at
                && due <= app.now()
            {
                return Err(AppError::invalid(
                    "due_at",
                    "Choose a due date in the future.",
                ));
            }
            let (row, _) = app
                .store
                .enrol(
                    NewEnrolment {
                        user_id: learner.id,
                        course_id,
                        version_number: latest.number,
                        source: EnrolmentSource::Assigned,
                        assigned_by: Some(caller.id.0),
                        due_at,
                        registration: random_uuid(),
                    },
                    app.now(),
                )
                .await?;
            app.course_event(NewEvent {
                user_id: learner.id,
                verb: verbs::ASSIGNED,
                course_id: Some(course_id),
                version_number: Some(latest.number),
                registration: Some(row.registration.clone()),
                data: Some(serde_json::json!({ "by": caller.id.0 }).to_string()),
                ..NewEvent::default()
            })
            .await?;
            Ok(row)
        })
        .await
    }

    /// The player at a step (by position from 1), or where the learner left off, recording
    /// the visit (the learner's place and a `viewed-step` event) in one unit of work. Opening
    /// the player enrols no one: without an enrolment it is refused with `not_enrolled`, and
    /// pages show the course's start page instead.
    pub async fn player(
        &self,
        caller: &Caller,
        course_id: i64,
        position: Option<usize>,
    ) -> AppResult<PlayerView> {
        let view = self.player_view(caller, course_id, position).await?;
        let step_key = view.steps[view.index].step_key.clone();
        let (enrolment, version) = (&view.enrolment, view.version.number);
        self.unit_of_work(|app| async move {
            let app = &app;
            if enrolment.started_at.is_none() {
                app.event(caller, verbs::STARTED, course_id, Some(version), None, None)
                    .await?;
            }
            app.store
                .mark_position(enrolment, &step_key, app.now())
                .await?;
            app.store
                .record_step(enrolment.id, &step_key, 0, false, app.now())
                .await?;
            // A first visit may add a viewer (the reaction score counts viewers).
            if enrolment.started_at.is_none() {
                app.refresh_course_health(course_id).await?;
            }
            app.event(
                caller,
                verbs::VIEWED_STEP,
                course_id,
                Some(version),
                Some(&step_key),
                None,
            )
            .await
        })
        .await?;
        Ok(view)
    }

    /// The player at a step, as [`App::player`] shows it, changing nothing (for pages that
    /// show the player again after a refused form).
    pub async fn player_view(
        &self,
        caller: &Caller,
        course_id: i64,
        position: Option<usize>,
    ) -> AppResult<PlayerView> {
        let ctx = self
            .course_for(caller, course_id, Action::ViewCourse)
            .await?;
        let enrolment = self
            .store
            .enrolment(caller.id.0, course_id)
            .await?
            .ok_or_else(not_enrolled)?;
        let version = self
            .store
            .version(course_id, enrolment.version_number)
            .await?
            .ok_or(AppError::NotFound("That course"))?;
        let steps = self.store.steps_of(version.id).await?;
        if steps.is_empty() {
            return Err(AppError::NotFound("That course"));
        }
        let done_keys = self.done_keys(Some(&enrolment)).await?;
        let index = match position {
            Some(p) if p >= 1 && p <= steps.len() => p - 1,
            Some(_) => return Err(AppError::NotFound("That step")),
            None => enrolment
                .last_step_key
                .as_ref()
                .and_then(|k| steps.iter().position(|s| &s.step_key == k))
                .or_else(|| steps.iter().position(|s| !done_keys.contains(&s.step_key)))
                .unwrap_or(0),
        };
        let newer_version = ctx.course.latest_version.filter(|n| *n > version.number);
        Ok(PlayerView {
            ctx,
            version,
            steps,
            index,
            done_keys,
            enrolment,
            newer_version,
        })
    }

    /// Mark a step done (with the seconds spent on it). Returns true when this completed the course.
    pub async fn complete_step(
        &self,
        caller: &Caller,
        course_id: i64,
        step_key: &str,
        seconds: i64,
    ) -> AppResult<bool> {
        self.unit_of_work(|app| async move {
            let app = &app;
            // Permission first: someone who may not see the course learns nothing more.
            app.course_for(caller, course_id, Action::ViewCourse)
                .await?;
            let enrolment = app
                .store
                .enrolment(caller.id.0, course_id)
                .await?
                .ok_or_else(not_enrolled)?;
            let version = app
                .store
                .version(course_id, enrolment.version_number)
                .await?
                .ok_or(AppError::NotFound("That course"))?;
            let steps = app.store.steps_of(version.id).await?;
            if !steps.iter().any(|s| s.step_key == step_key) {
                return Err(AppError::NotFound("That step"));
            }
            // Time on a step counts up to an hour per visit; longer is a tab left open.
            let seconds = seconds.clamp(0, 3600);
            let newly = app
                .store
                .record_step(enrolment.id, step_key, seconds, true, app.now())
                .await?;
            // Completing a step of a course never opened in the player adds a viewer too.
            if enrolment.started_at.is_none() {
                app.refresh_course_health(course_id).await?;
            }
            if newly {
                app.event(
                    caller,
                    verbs::COMPLETED_STEP,
                    course_id,
                    Some(version.number),
                    Some(step_key),
                    Some(serde_json::json!({ "seconds": seconds }).to_string()),
                )
                .await?;
            }
            app.complete_if_done(caller.id.0, course_id).await
        })
        .await
    }

    /// Mark the enrolment complete when every required step is done and, if the author made
    /// the exam a condition, an attempt at this version passed. Returns whether it completed now.
    pub(crate) async fn complete_if_done(&self, user_id: i64, course_id: i64) -> AppResult<bool> {
        let Some(enrolment) = self.store.enrolment(user_id, course_id).await? else {
            return Ok(false);
        };
        if enrolment.completed_at.is_some() {
            return Ok(false);
        }
        let version = self
            .store
            .version(course_id, enrolment.version_number)
            .await?
            .ok_or(AppError::NotFound("That course"))?;
        let steps = self.store.steps_of(version.id).await?;
        let done = self.done_keys(Some(&enrolment)).await?;
        if !is_complete(
            steps
                .iter()
                .filter(|s| s.required)
                .map(|s| s.step_key.as_str()),
            &done,
        ) {
            return Ok(false);
        }
        let exam_required = self
            .store
            .settings_of(version.id)
            .await?
            .is_some_and(|s| s.required_for_completion);
        if exam_required {
            // Recertifying, a pass counts only if it came after the last certificate.
            let since = self
                .store
                .latest_certificate(user_id, course_id)
                .await?
                .map(|c| c.awarded_at);
            let passed = self
                .store
                .attempts_of(user_id, course_id)
                .await?
                .iter()
                .any(|a| {
                    a.version_number == version.number
                        && a.passed == Some(true)
                        && since.is_none_or(|t| a.started_at > t)
                });
            if !passed {
                return Ok(false);
            }
        }
        if !self.store.mark_completed(enrolment.id, self.now()).await? {
            return Ok(false);
        }
        self.course_event(NewEvent {
            user_id,
            verb: verbs::COMPLETED_COURSE,
            course_id: Some(course_id),
            version_number: Some(version.number),
            registration: Some(enrolment.registration.clone()),
            ..NewEvent::default()
        })
        .await?;
        self.award_certificate(user_id, course_id, version.number)
            .await?;
        self.after_course_completed(user_id).await?;
        Ok(true)
    }

    /// Move to the newest version; progress on steps that kept their key stays.
    pub async fn switch_to_latest(&self, caller: &Caller, course_id: i64) -> AppResult<i32> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app
                .course_for(caller, course_id, Action::TakeCourse)
                .await?;
            let latest = app.published(&ctx).await?;
            let enrolment = app
                .store
                .enrolment(caller.id.0, course_id)
                .await?
                .ok_or_else(not_enrolled)?;
            if enrolment.version_number == latest.number {
                return Ok(latest.number);
            }
            app.store
                .switch_version(enrolment.id, latest.number)
                .await?;
            app.event(
                caller,
                verbs::SWITCHED_VERSION,
                course_id,
                Some(latest.number),
                None,
                Some(serde_json::json!({ "from": enrolment.version_number }).to_string()),
            )
            .await?;
            // Already done with every required step of the new version? Then it is complete.
            let steps = app.store.steps_of(latest.id).await?;
            let done = app.done_keys(Some(&enrolment)).await?;
            if is_complete(
                steps
                    .iter()
                    .filter(|s| s.required)
                    .map(|s| s.step_key.as_str()),
                &done,
            ) && app.store.mark_completed(enrolment.id, app.now()).await?
            {
                // Completion is an event like any other, or the record would miss it.
                app.event(
                    caller,
                    verbs::COMPLETED_COURSE,
                    course_id,
                    Some(latest.number),
                    None,
                    None,
                )
                .await?;
                app.award_certificate(caller.id.0, course_id, latest.number)
                    .await?;
            }
            Ok(latest.number)
        })
        .await
    }

    /// The changes between two versions of a course the caller may see.
    pub async fn version_changes(
        &self,
        caller: &Caller,
        course_id: i64,
        from: i32,
        to: i32,
    ) -> AppResult<(VersionRow, VersionRow, Vec<StepChange>)> {
        let ctx = self
            .course_for(caller, course_id, Action::ViewCourse)
            .await?;
        let can_edit = ctx.can(caller, Action::EditCourse);
        let load = |n: i32| async move {
            match self.store.version(course_id, n).await? {
                Some(v) if v.state == VersionState::Published || can_edit => Ok(v),
                _ => Err(AppError::NotFound("That version")),
            }
        };
        let a = load(from).await?;
        let b = load(to).await?;
        let changes = changes_between(
            &snapshot(&self.store.steps_of(a.id).await?),
            &snapshot(&self.store.steps_of(b.id).await?),
        );
        Ok((a, b, changes))
    }

    /// For a learner who finished an older version: what changed since.
    pub async fn changes_since_finished(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<Option<(i32, i32, Vec<StepChange>)>> {
        let Some(enrolment) = self.store.enrolment(caller.id.0, course_id).await? else {
            return Ok(None);
        };
        let ctx = self
            .course_for(caller, course_id, Action::ViewCourse)
            .await?;
        match (enrolment.completed_at, ctx.course.latest_version) {
            (Some(_), Some(latest)) if latest > enrolment.version_number => {
                let (_, _, changes) = self
                    .version_changes(caller, course_id, enrolment.version_number, latest)
                    .await?;
                Ok(Some((enrolment.version_number, latest, changes)))
            }
            _ => Ok(None),
        }
    }

    /// Every version of a course (drafts only for its editors).
    pub async fn version_history(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<(CourseContext, Vec<VersionRow>)> {
        let ctx = self
            .course_for(caller, course_id, Action::ViewCourse)
            .await?;
        let can_edit = ctx.can(caller, Action::EditCourse);
        let versions = self
            .store
            .versions_of(course_id)
            .await?
            .into_iter()
            .filter(|v| can_edit || v.state == VersionState::Published)
            .collect();
        Ok((ctx, versions))
    }

    /// The caller's courses: assigned (soonest due first), in progress, completed.
    pub async fn my_learning(&self, caller: &Caller) -> AppResult<MyLearning> {
        let now = self.now();
        let mut out = MyLearning::default();
        for line in self.store.learning_lines(caller.id.0).await? {
            let e = line.enrolment;
            let percent = if line.required_steps == 0 {
                100
            } else {
                (line.done_steps.min(line.required_steps) * 100 / line.required_steps) as u32
            };
            let entry = LearningEntry {
                course_id: e.course_id,
                title: line.title,
                version: e.version_number,
                percent,
                due_at: e.due_at,
                assigned: e.source == EnrolmentSource::Assigned,
                completed_at: e.completed_at,
                overdue: e.completed_at.is_none() && e.due_at.is_some_and(|d| d < now),
                changed_since: e.completed_at.is_some()
                    && line.latest_version.is_some_and(|n| n > e.version_number),
            };
            if entry.completed_at.is_some() {
                out.completed.push(entry);
            } else if entry.assigned {
                out.assigned.push(entry);
            } else {
                out.in_progress.push(entry);
            }
        }
        out.assigned
            .sort_by_key(|e| e.due_at.map_or(i64::MAX, |d| d.unix_timestamp()));
        Ok(out)
    }
}
