//! Keeping courses current: every course has an owner (its author until handed over) and a
//! check interval (the course's own, else its group's, else 180 days). When the interval
//! passes since the newest version or the owner's last confirmation, or when open
//! *outdated* flags reach a threshold, the course is stale: it shows, with the reason, in
//! "needs attention" and on its feedback page, and the owner confirms it is still right in
//! one click (recorded with who and when) or updates it.

use lore_domain::ids::GroupId;
use lore_domain::notification::NotificationKind;
use lore_domain::policy::{Action, Resource};
use lore_domain::review::{DEFAULT_REVIEW_DAYS, StaleReason, parse_review_days, staleness};
use lore_store::NewEvent;

use crate::notifications::Notice;
use crate::{App, AppError, AppResult, Caller};

/// The event of an owner's confirmation.
pub const CONFIRMED_CURRENT: &str = "confirmed-current";

/// Where a course stands on its checks.
#[derive(Debug, Clone)]
pub struct Upkeep {
    /// The interval in force, and where it comes from (`course`, `group` or `default`).
    pub interval: i32,
    pub interval_from: &'static str,
    /// The course's own interval, if set.
    pub course_days: Option<i32>,
    pub confirmed_at: Option<time::OffsetDateTime>,
    pub confirmed_by: Option<String>,
    /// Days since the newest version or the last confirmation.
    pub days_since_check: u64,
    pub stale: Vec<StaleReason>,
    /// The caller may confirm or change the interval.
    pub can_confirm: bool,
}

/// A group's review rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupReviewRules {
    pub review_required: bool,
    pub review_days: Option<i32>,
}

/// The interval in force and its source.
pub fn interval_of(course_days: Option<i32>, group_days: Option<i32>) -> (i32, &'static str) {
    match (course_days, group_days) {
        (Some(d), _) => (d, "course"),
        (None, Some(d)) => (d, "group"),
        (None, None) => (DEFAULT_REVIEW_DAYS, "default"),
    }
}

impl App {
    /// A course's checks, for its feedback page (editors and coaches).
    pub async fn upkeep(&self, caller: &Caller, course_id: i64) -> AppResult<Upkeep> {
        let ctx = self
            .course_for(caller, course_id, Action::ViewCourse)
            .await?;
        let editor = ctx.can(caller, Action::EditCourse);
        if !editor
            && !ctx.can(caller, Action::ReviewCourse)
            && !ctx.can(caller, Action::CoachCourse)
        {
            return Err(AppError::Forbidden);
        }
        let check = self.store.course_check(course_id).await?;
        let (interval, interval_from) = interval_of(check.course_days, check.group_days);
        let figures = self
            .store
            .course_health(course_id)
            .await?
            .unwrap_or_default();
        let days_since_check = figures.reviewed_at_secs.map_or(0, |at| {
            ((self.now().unix_timestamp() - at) / 86_400).max(0) as u64
        });
        let confirmed_by = match check.confirmed_by {
            Some(id) => Some(self.name_of(id).await?),
            None => None,
        };
        Ok(Upkeep {
            interval,
            interval_from,
            course_days: check.course_days,
            confirmed_at: check.confirmed_at,
            confirmed_by,
            days_since_check,
            stale: if ctx.course.latest_version.is_some() {
                staleness(days_since_check, interval, figures.open_outdated)
            } else {
                Vec::new()
            },
            can_confirm: editor,
        })
    }

    /// The owner (or another editor) confirms the course is still right: the check
    /// interval starts again from now.
    pub async fn confirm_current(&self, caller: &Caller, course_id: i64) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app
                .course_for(caller, course_id, Action::EditCourse)
                .await?;
            let Some(version) = ctx.course.latest_version else {
                return Err(AppError::Conflict(
                    "Only a published course can be confirmed current.".to_owned(),
                ));
            };
            let now = app.now();
            app.store
                .confirm_course(course_id, caller.id.0, now)
                .await?;
            app.store
                .append_event(
                    NewEvent {
                        user_id: caller.id.0,
                        verb: CONFIRMED_CURRENT,
                        course_id: Some(course_id),
                        version_number: Some(version),
                        group_id: Some(ctx.course.group_id),
                        ..NewEvent::default()
                    },
                    now,
                )
                .await?;
            app.refresh_course_health(course_id).await?;
            Ok(())
        })
        .await
    }

    /// A course's own check interval in days (empty: its group's, else the default).
    pub async fn set_course_review_days(
        &self,
        caller: &Caller,
        course_id: i64,
        days: &str,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app
                .course_for(caller, course_id, Action::ViewCourse)
                .await?;
            if !ctx.can(caller, Action::EditCourse) && !ctx.can(caller, Action::ReviewCourse) {
                return Err(AppError::Forbidden);
            }
            let days = parse_review_days(days)?;
            app.store.set_course_review_days(course_id, days).await?;
            Ok(())
        })
        .await
    }

    pub async fn group_review_rules(&self, group_id: i64) -> AppResult<GroupReviewRules> {
        let (review_required, review_days) = self.store.group_review_settings(group_id).await?;
        Ok(GroupReviewRules {
            review_required,
            review_days,
        })
    }

    /// A group administrator sets whether the group's courses need review before they go
    /// live (this applies to the groups below it too) and their check interval.
    pub async fn set_group_review_rules(
        &self,
        caller: &Caller,
        group_id: i64,
        required: bool,
        days: &str,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let tree = app.group_tree().await?;
            let lineage = tree.lineage(GroupId(group_id));
            if lineage.is_empty() {
                return Err(AppError::NotFound("That group"));
            }
            caller.require(Action::ManageGroup, Resource::Group { lineage: &lineage })?;
            let days = parse_review_days(days)?;
            let before = app.group_review_rules(group_id).await?;
            let after = GroupReviewRules {
                review_required: required,
                review_days: days,
            };
            if before == after {
                return Ok(());
            }
            app.store
                .set_group_review_settings(group_id, required, days)
                .await?;
            let say = |r: GroupReviewRules| {
                format!(
                    "review before publishing: {}; check every {} days",
                    if r.review_required {
                        "required"
                    } else {
                        "not required"
                    },
                    r.review_days.unwrap_or(DEFAULT_REVIEW_DAYS)
                )
            };
            app.audit(
                Some(caller),
                lore_domain::audit::AuditAction::ReviewRulesChanged,
                tree.path(GroupId(group_id)),
                format!("{} → {}", say(before), say(after)),
            )
            .await?;
            Ok(())
        })
        .await
    }

    /// Ask the owners of stale courses to check them: once per course and check period
    /// (the notification names the date the period started, so a second sweep, on this
    /// server or another, finds it already sent).
    pub async fn remind_stale_owners(&self) -> AppResult<usize> {
        let now = self.now();
        let stale = self.store.stale_courses(now.unix_timestamp()).await?;
        let mut told = 0;
        for course in stale {
            let key = format!("stale:{}:{}", course.course_id, course.checked_at_secs);
            let sent = self
                .unit_of_work(|app| {
                    let key = key.clone();
                    let course = course.clone();
                    async move {
                        if !app.store.claim_once(&key, app.now()).await? {
                            return Ok(false);
                        }
                        let reasons = staleness(
                            course.days_since_check(now.unix_timestamp()),
                            course.review_days,
                            course.open_outdated,
                        );
                        let why: Vec<String> = reasons.iter().map(StaleReason::text).collect();
                        app.notify(Notice {
                            user_id: course.owner_id,
                            kind: NotificationKind::Review,
                            title: format!("Is “{}” still right?", course.title),
                            body: format!(
                                "It is {}. Confirm it is still right in one click, or update it.",
                                why.join(" and ")
                            ),
                            link: format!("/courses/{}/feedback#upkeep", course.course_id),
                            actor_id: None,
                        })
                        .await?;
                        Ok(true)
                    }
                })
                .await?;
            told += usize::from(sent);
        }
        Ok(told)
    }
}
