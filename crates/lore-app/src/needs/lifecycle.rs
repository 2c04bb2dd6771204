//! A need's life: coaches move it (open → exploring → in progress → answered → closed, or
//! declined with a reason), merge duplicates, and link courses; publishing a linked course
//! answers it. Every change is recorded and followers are told.

use lore_domain::need::{ExpertState, NeedStatus};
use lore_domain::policy::Action;
use lore_store::NeedText;

use super::{NeedAction, verbs};
use crate::{App, AppError, AppResult, Caller};

/// What a merge moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeTotals {
    /// Votes moved to the surviving need.
    pub votes_moved: u64,
    /// Voters who had voted for both: their vote on the survivor stands.
    pub votes_already_there: u64,
    /// Followers of the duplicate who now follow the survivor too.
    pub followers_moved: u64,
}

impl App {
    /// Move a need to `to` by hand. Declining needs a reason; answering needs a course.
    pub async fn set_need_status(
        &self,
        caller: &Caller,
        need_id: i64,
        to: &str,
        reason: &str,
    ) -> AppResult<NeedStatus> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app.need_for(caller, need_id, Action::ManageNeed).await?;
            let to = NeedStatus::parse(to)?;
            let from = ctx.status();
            if to == NeedStatus::Merged {
                return Err(AppError::invalid(
                    "status",
                    "Merge a need with “Merge into…”, which moves its votes and followers.",
                ));
            }
            if !from.can_move_to(to) {
                return Err(AppError::refused(
                    "bad_transition",
                    format!(
                        "A need that is {} cannot become {}.",
                        from.label().to_lowercase(),
                        to.label().to_lowercase()
                    ),
                ));
            }
            let reason = reason.trim();
            if reason.chars().count() > 1000 {
                return Err(AppError::invalid(
                    "reason",
                    "Keep the reason under 1,000 characters.",
                ));
            }
            if to == NeedStatus::Declined && reason.is_empty() {
                return Err(AppError::invalid(
                    "reason",
                    "Say why the need is declined; the people who asked will read it.",
                ));
            }
            if to == NeedStatus::Answered && !app.has_published_course(need_id).await? {
                return Err(AppError::refused(
                    "no_course",
                    "A need is answered by a published course: link one (or publish the draft) first.",
                ));
            }
            let decline = (to == NeedStatus::Declined).then_some(reason);
            if !app
                .store
                .set_need_status(need_id, from, to, decline, app.now())
                .await?
            {
                return Err(AppError::Conflict(
                    "Someone changed this need a moment ago; reload to see it.".to_owned(),
                ));
            }
            let mut detail = format!("{} → {}.", from.label(), to.label());
            if !reason.is_empty() {
                detail = format!("{detail} {reason}");
            }
            let mut action = NeedAction::status(from, to);
            if !reason.is_empty() {
                action = action.data(
                    serde_json::json!({ "from": from.as_str(), "to": to.as_str(), "reason": reason }),
                );
            }
            app.need_changed(Some(caller), &ctx.need, "status", &detail, action)
                .await?;
            tracing::info!(target: "lore::audit", user_id = caller.id.0, need_id, status = to.as_str(), "need status changed");
            Ok(to)
        })
        .await
    }

    async fn has_published_course(&self, need_id: i64) -> AppResult<bool> {
        for link in self.store.need_courses(Some(&[need_id])).await? {
            if let Some(course) = self.store.course(link.course_id).await?
                && course.latest_version.is_some()
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Fold a duplicate into another need: its votes, followers, experts, audience and
    /// courses move there; nobody's vote is lost (a person who voted for both keeps one).
    pub async fn merge_need(
        &self,
        caller: &Caller,
        from_id: i64,
        into_id: i64,
    ) -> AppResult<MergeTotals> {
        self.unit_of_work(|app| async move {
            let app = &app;
            if from_id == into_id {
                return Err(AppError::refused(
                    "merge_into_itself",
                    "A need cannot be merged into itself; pick the need it duplicates.",
                ));
            }
            let from = app.need_for(caller, from_id, Action::ManageNeed).await?;
            let into = app.need_for(caller, into_id, Action::ManageNeed).await?;
            if from.status() == NeedStatus::Merged {
                return Err(AppError::refused(
                    "need_closed",
                    "This need was already merged.",
                ));
            }
            if into.status() == NeedStatus::Merged {
                return Err(AppError::refused(
                    "need_closed",
                    format!(
                        "Need {into_id} was itself merged into need {}; merge into that one.",
                        into.need.merged_into.unwrap_or_default()
                    ),
                ));
            }
            // Followers of the duplicate hear it before they move.
            let detail_from = format!(
                "Merged into “{}”: votes and followers moved there.",
                into.need.title
            );
            let detail_into = format!("“{}” was merged into this need.", from.need.title);
            let from_followers = app.store.need_followers(from_id).await?;
            for &user_id in &from_followers {
                app.notify(crate::notifications::Notice {
                    user_id,
                    kind: lore_domain::notification::NotificationKind::NeedUpdate,
                    title: format!("“{}”: {detail_from}", from.need.title),
                    body: detail_from.clone(),
                    link: format!("/needs/{into_id}"),
                    actor_id: Some(caller.id.0),
                })
                .await?;
            }
            // The duplicate is merged only if nobody changed it since it was read.
            let now = app.now();
            if !app
                .store
                .set_need_merged(from_id, from.status(), into_id, now)
                .await?
            {
                return Err(AppError::Conflict(
                    "Someone changed this need a moment ago; reload to see it.".to_owned(),
                ));
            }
            // Nobody's vote is lost and nobody counts twice: a person who voted for both
            // keeps their vote on the survivor; their vote on the duplicate stays with it.
            let votes_already_there = app.store.voters_of_both(from_id, into_id).await?;
            let votes_moved = app.store.move_need_votes(from_id, into_id).await?;
            // Followers, experts, audience groups and courses are added where missing;
            // the duplicate keeps its own rows, so its page still shows who was there.
            let followers_moved = app.store.copy_need_followers(from_id, into_id).await?;
            app.store.copy_need_experts(from_id, into_id).await?;
            app.store.copy_need_audiences(from_id, into_id).await?;
            app.store.copy_need_courses(from_id, into_id).await?;
            app.store
                .insert_need_event(from_id, Some(caller.id.0), "merged", &detail_from, now)
                .await?;
            app.store
                .insert_need_event(into_id, Some(caller.id.0), "merged-in", &detail_into, now)
                .await?;
            let totals = MergeTotals {
                votes_moved,
                votes_already_there,
                followers_moved,
            };
            app.need_event(
                caller.id.0,
                from_id,
                NeedAction::new(verbs::MERGED_NEED).data(serde_json::json!({ "into": into_id })),
            )
            .await?;
            let questions = {
                let mut q = into.questions();
                for extra in from.questions() {
                    if !q.contains(&extra) && q.len() < 20 {
                        q.push(extra);
                    }
                }
                q
            };
            if questions != into.questions() {
                app.store
                    .update_need_text(
                        into_id,
                        NeedText {
                            title: &into.need.title,
                            problem: &into.need.problem,
                            topic: &into.need.topic,
                            urgency: &into.need.urgency,
                            questions: &serde_json::to_string(&questions)
                                .unwrap_or_else(|_| "[]".to_owned()),
                        },
                        app.now(),
                    )
                    .await?;
                app.store
                    .index_need(
                        into_id,
                        &into.need.title,
                        &into.need.problem,
                        &questions.join("\n"),
                    )
                    .await?;
            }
            // Only the surviving need's followers (now including the duplicate's) hear of it here.
            for user_id in app.store.need_followers(into_id).await? {
                if from_followers.contains(&user_id) {
                    continue;
                }
                app.notify(crate::notifications::Notice {
                    user_id,
                    kind: lore_domain::notification::NotificationKind::NeedUpdate,
                    title: format!("“{}”: {detail_into}", into.need.title),
                    body: format!("{detail_into} {} votes moved over.", totals.votes_moved),
                    link: format!("/needs/{into_id}"),
                    actor_id: Some(caller.id.0),
                })
                .await?;
            }
            tracing::info!(target: "lore::audit", user_id = caller.id.0, from_id, into_id, "need merged");
            Ok(totals)
        })
        .await
    }

    /// Link a course that answers a need. A published course answers it at once; a draft
    /// puts it in progress until it is published.
    pub async fn link_course_to_need(
        &self,
        caller: &Caller,
        need_id: i64,
        course_id: i64,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app.need_for(caller, need_id, Action::ViewNeed).await?;
            let coach = ctx.can(caller, Action::ManageNeed);
            let expert = app
                .store
                .need_experts(need_id)
                .await?
                .iter()
                .any(|e| e.user_id == caller.id.0 && e.state == ExpertState::Assigned);
            if !coach && !expert {
                return Err(AppError::Forbidden);
            }
            if matches!(
                ctx.status(),
                NeedStatus::Merged | NeedStatus::Declined | NeedStatus::Closed
            ) {
                return Err(AppError::refused(
                    "need_closed",
                    format!(
                        "This need is {}; reopen it first.",
                        ctx.status().label().to_lowercase()
                    ),
                ));
            }
            let course = app
                .course_for(caller, course_id, Action::ViewCourse)
                .await?;
            // A coach may see a draft without being allowed to edit it: read the title as
            // stored rather than through the editor's draft.
            let title = match app.latest_version(&course).await? {
                Some(v) => v.title,
                None => app
                    .store
                    .versions_of(course_id)
                    .await?
                    .last()
                    .map(|v| v.title.clone())
                    .unwrap_or_default(),
            };
            if !app
                .store
                .link_need_course(need_id, course_id, caller.id.0, app.now())
                .await?
            {
                return Err(AppError::refused(
                    "already_linked",
                    "That course is already linked to this need.",
                ));
            }
            let published = course.course.latest_version.is_some();
            let detail = format!("The course “{title}” was linked to it.");
            app.need_changed(
                Some(caller),
                &ctx.need,
                "course",
                &detail,
                NeedAction::new(verbs::LINKED_COURSE).course(course_id),
            )
            .await?;
            if published {
                app.answer_need(Some(caller), &ctx.need, &title).await?;
            } else if matches!(ctx.status(), NeedStatus::Open | NeedStatus::Exploring) {
                app.move_need(
                    Some(caller),
                    &ctx.need,
                    ctx.status(),
                    NeedStatus::InProgress,
                )
                .await?;
            }
            Ok(())
        })
        .await
    }

    /// After a course is published: every live need it is linked to is answered.
    pub(crate) async fn answer_needs_of(
        &self,
        caller: &Caller,
        course_id: i64,
        title: &str,
    ) -> AppResult<()> {
        for need_id in self.store.needs_of_course(course_id).await? {
            if let Some(need) = self.store.need(need_id).await? {
                self.answer_need(Some(caller), &need, title).await?;
            }
        }
        Ok(())
    }

    async fn answer_need(
        &self,
        caller: Option<&Caller>,
        need: &lore_store::NeedRow,
        title: &str,
    ) -> AppResult<()> {
        let from = need.status;
        if !from.takes_votes() {
            return Ok(());
        }
        if self
            .store
            .set_need_status(need.id, from, NeedStatus::Answered, None, self.now())
            .await?
        {
            let detail = format!("Answered by the course “{title}”.");
            self.need_changed(
                caller,
                need,
                "answered",
                &detail,
                NeedAction::status(from, NeedStatus::Answered),
            )
            .await?;
        }
        Ok(())
    }

    pub(crate) async fn move_need(
        &self,
        caller: Option<&Caller>,
        need: &lore_store::NeedRow,
        from: NeedStatus,
        to: NeedStatus,
    ) -> AppResult<()> {
        if self
            .store
            .set_need_status(need.id, from, to, None, self.now())
            .await?
        {
            let detail = format!("{} → {}.", from.label(), to.label());
            self.need_changed(
                caller,
                need,
                "status",
                &detail,
                NeedAction::status(from, to),
            )
            .await?;
        }
        Ok(())
    }
}
