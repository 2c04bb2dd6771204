//! Reacting to a step (one of each kind per person, step and version; withdrawable), and the
//! author resolving a negative reaction: answered, fixed in a version, or dismissed.

use lore_domain::notification::NotificationKind;
use lore_domain::policy::Action;
use lore_domain::reactions::{ReactionKind, ReactionStatus, Resolution, reaction_comment};
use lore_store::{NewReaction, ReactionResolution, ReactionRow};

use super::{authors_of, verbs};
use crate::notifications::Notice;
use crate::{App, AppError, AppResult, Caller};

/// At most this many reactions per person per hour: more is a script, not a reader.
pub const REACTIONS_PER_HOUR: u64 = 60;

fn describe(kind: ReactionKind) -> &'static str {
    match kind {
        ReactionKind::Useful => "found it useful",
        ReactionKind::Learned => "learned something",
        ReactionKind::Liked => "liked it",
        ReactionKind::Outdated => "flagged it as outdated",
        ReactionKind::Question => "asked a question",
        ReactionKind::Unclear => "found it not clear",
    }
}

impl App {
    /// React to a step of the version the caller is taking.
    pub async fn react(
        &self,
        caller: &Caller,
        course_id: i64,
        step_key: &str,
        kind: &str,
        comment: &str,
    ) -> AppResult<ReactionRow> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let kind = ReactionKind::parse(kind)?;
            let comment = reaction_comment(kind, comment)?;
            let ctx = app
                .course_for(caller, course_id, Action::ViewCourse)
                .await?;
            let enrolment =
                app.store
                    .enrolment(caller.id.0, course_id)
                    .await?
                    .ok_or(AppError::refused(
                        "not_started",
                        "Start the course to react to its steps.",
                    ))?;
            let version = app
                .store
                .version(course_id, enrolment.version_number)
                .await?
                .ok_or(AppError::NotFound("That course"))?;
            let step = app
                .store
                .steps_of(version.id)
                .await?
                .into_iter()
                .find(|s| s.step_key == step_key)
                .ok_or(AppError::NotFound("That step"))?;
            let since = app.now() - time::Duration::hours(1);
            // Counted from the event log, so reacting and withdrawing in a loop still counts.
            if app
                .store
                .count_events_since(caller.id.0, verbs::REACTED, since)
                .await?
                >= REACTIONS_PER_HOUR
            {
                return Err(AppError::RateLimited {
                    retry_after_secs: 3600,
                });
            }
            let row = app
                .store
                .insert_reaction(
                    NewReaction {
                        course_id,
                        version_number: version.number,
                        step_key: step.step_key.clone(),
                        user_id: caller.id.0,
                        kind,
                        comment: comment.clone(),
                        status: (!kind.is_positive()).then_some(ReactionStatus::Open),
                    },
                    app.now(),
                )
                .await
                .map_err(|e| match e {
                    lore_store::StoreError::Conflict => AppError::Conflict(
                        "You already reacted so to this step; withdraw it first to change it."
                            .to_owned(),
                    ),
                    e => e.into(),
                })?;
            app.feedback_event(
                caller.id.0,
                verbs::REACTED,
                course_id,
                Some(version.number),
                Some(&step.step_key),
                serde_json::json!({ "kind": kind.as_str(), "reaction": row.id }),
            )
            .await?;
            app.refresh_course_health(course_id).await?;
            // A plain "useful" click shows in the score; authors are told of the ones with words
            // and of every negative one, so a popular course does not flood their inbox.
            if kind.is_positive() && comment.is_none() {
                return Ok(row);
            }
            let body = match &comment {
                Some(c) => format!("“{c}”"),
                None => String::new(),
            };
            app.notify_all(
                &authors_of(&ctx),
                Notice {
                    user_id: 0,
                    kind: NotificationKind::Reaction,
                    title: format!(
                        "{} {} — “{}” in {}",
                        caller.name,
                        describe(kind),
                        step.title,
                        version.title
                    ),
                    body,
                    link: format!("/courses/{course_id}/feedback#reaction-{}", row.id),
                    actor_id: Some(caller.id.0),
                },
            )
            .await?;
            Ok(row)
        })
        .await
    }

    /// Take back one of the caller's own reactions. With `course_id` (the page's course) the
    /// reaction must belong to it; either way the caller must still see its course. Every
    /// check comes before anything is deleted.
    pub async fn withdraw_reaction(
        &self,
        caller: &Caller,
        course_id: Option<i64>,
        reaction_id: i64,
    ) -> AppResult<ReactionRow> {
        self.unit_of_work(|app| async move {
            let row = app
                .store
                .reaction(reaction_id)
                .await?
                .filter(|r| r.user_id == caller.id.0)
                .filter(|r| course_id.is_none_or(|c| c == r.course_id))
                .ok_or(AppError::NotFound("That reaction"))?;
            app.course_for(caller, row.course_id, Action::ViewCourse)
                .await
                .map_err(|_| AppError::NotFound("That reaction"))?;
            if !app.store.delete_reaction(row.id, caller.id.0).await? {
                return Err(AppError::NotFound("That reaction"));
            }
            app.feedback_event(
                caller.id.0,
                verbs::WITHDREW_REACTION,
                row.course_id,
                Some(row.version_number),
                Some(&row.step_key),
                serde_json::json!({ "kind": row.kind, "comment": row.comment, "reaction": row.id }),
            )
            .await?;
            app.refresh_course_health(row.course_id).await?;
            Ok(row)
        })
        .await
    }

    /// The caller's reactions on a step of the version they are taking.
    pub async fn my_reactions(
        &self,
        caller: &Caller,
        course_id: i64,
        version: i32,
        step_key: &str,
    ) -> AppResult<Vec<ReactionRow>> {
        Ok(self
            .store
            .my_reactions(caller.id.0, course_id, version, step_key)
            .await?)
    }

    /// An author resolves an open negative reaction; the person who reacted is told.
    pub async fn resolve_reaction(
        &self,
        caller: &Caller,
        course_id: i64,
        reaction_id: i64,
        resolution: Resolution,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            // Only the course's authors resolve.
            app.course_for(caller, course_id, Action::EditCourse)
                .await?;
            let row = app
                .store
                .reaction(reaction_id)
                .await?
                .filter(|r| r.course_id == course_id)
                .ok_or(AppError::NotFound("That reaction"))?;
            if row.status != Some(ReactionStatus::Open) {
                return Err(AppError::Conflict(
                    "This reaction is already resolved.".to_owned(),
                ));
            }
            let versions = app.store.versions_of(course_id).await?;
            let step_title = match versions.iter().find(|v| v.number == row.version_number) {
                Some(v) => app
                    .store
                    .steps_of(v.id)
                    .await?
                    .into_iter()
                    .find(|s| s.step_key == row.step_key)
                    .map_or_else(|| "a step".to_owned(), |s| s.title),
                None => "a step".to_owned(),
            };
            let course_title = versions
                .iter()
                .rev()
                .find(|v| v.published_at.is_some())
                .map_or_else(String::new, |v| v.title.clone());
            let (note, fixed_in, told) = match &resolution {
                Resolution::Answered(text) => (
                    Some(text.clone()),
                    None,
                    format!("{} answered: {text}", caller.name),
                ),
                Resolution::Dismissed(reason) => (
                    Some(reason.clone()),
                    None,
                    format!("{} set it aside: {reason}", caller.name),
                ),
                Resolution::Fixed(n) => {
                    let fixed = versions
                        .iter()
                        .any(|v| v.number == *n && v.published_at.is_some());
                    // A version that is not published is not there; one that is but
                    // does not come after the reaction is a conflict (decision 0037).
                    if !fixed {
                        return Err(AppError::NotFound("That published version of the course"));
                    }
                    if *n <= row.version_number {
                        return Err(AppError::refused(
                            "not_later",
                            format!(
                                "Choose a published version after version {} (where the reaction was made).",
                                row.version_number
                            ),
                        ));
                    }
                    (
                        None,
                        Some(*n),
                        format!("Fixed in version {n} by {}.", caller.name),
                    )
                }
            };
            if !app
                .store
                .resolve_reaction(
                    row.id,
                    ReactionResolution {
                        status: resolution.status(),
                        note,
                        fixed_in_version: fixed_in,
                        resolved_by: caller.id.0,
                    },
                    app.now(),
                )
                .await?
            {
                return Err(AppError::Conflict(
                    "This reaction was just resolved by someone else.".to_owned(),
                ));
            }
            app.refresh_course_health(course_id).await?;
            let link = match fixed_in {
                Some(n) => format!(
                    "/courses/{course_id}/versions/diff?from={}&to={n}",
                    row.version_number
                ),
                None => format!("/courses/{course_id}"),
            };
            app.notify(Notice {
                user_id: row.user_id,
                kind: NotificationKind::Resolution,
                title: match resolution {
                    Resolution::Answered(_) => format!("Your reaction on “{step_title}” was answered"),
                    Resolution::Fixed(n) => {
                        format!("“{step_title}” is fixed in version {n} of {course_title}")
                    }
                    Resolution::Dismissed(_) => {
                        format!("Your reaction on “{step_title}” was set aside")
                    }
                },
                body: told,
                link,
                actor_id: Some(caller.id.0),
        })
        .await?;
        Ok(())
        })
        .await
    }
}
