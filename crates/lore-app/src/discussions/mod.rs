//! Discussions on a course and its steps: threads with replies in sanitised Markdown,
//! @mentions, an accepted answer, own posts edited or deleted with their history kept for
//! moderators (the course's coaches and authors), who may also hide and lock.

mod moderation;
mod posting;
mod reading;

pub use posting::NewThreadInput;
pub use reading::{CourseDiscussions, PostView, RevisionView, StepRef, ThreadSummary, ThreadView};

use lore_domain::policy::Action;
use lore_store::{ThreadRow, VersionRow};

use crate::courses::access::CourseContext;
use crate::{App, AppError, AppResult, Caller};

/// Where a post lives, for links in notifications.
pub fn post_link(course_id: i64, thread_id: i64, post_id: i64) -> String {
    format!("/courses/{course_id}/discussions/{thread_id}#post-{post_id}")
}

/// Coaches and authors of the course see hidden posts and history, and may hide and lock.
pub fn moderates(ctx: &CourseContext, caller: &Caller) -> bool {
    ctx.can(caller, Action::CoachCourse) || ctx.can(caller, Action::EditCourse)
}

impl App {
    /// The course (published, visible to the caller) with its newest version.
    async fn discussed_course(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<(CourseContext, VersionRow)> {
        let ctx = self
            .course_for(caller, course_id, Action::ViewCourse)
            .await?;
        let latest = self
            .latest_version(&ctx)
            .await?
            .ok_or(AppError::NotFound("That course"))?;
        Ok((ctx, latest))
    }

    /// A thread of this course that the caller may see: hidden threads exist for moderators only.
    async fn visible_thread(
        &self,
        ctx: &CourseContext,
        caller: &Caller,
        thread_id: i64,
    ) -> AppResult<ThreadRow> {
        self.store
            .thread(thread_id)
            .await?
            .filter(|t| t.course_id == ctx.course.id)
            .filter(|t| !t.hidden || moderates(ctx, caller))
            .ok_or(AppError::NotFound("That discussion"))
    }
}
