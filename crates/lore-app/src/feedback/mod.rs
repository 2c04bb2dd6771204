//! The feedback loop: reactions on steps and their resolution, suggested edits, and course
//! health with the "needs attention" list. Discussions live in `crate::discussions`.

pub mod health;
pub mod reactions;
pub mod suggestions;

use lore_store::NewEvent;

use crate::courses::CourseContext;
use crate::{App, AppResult};

/// Verbs of the event log for feedback.
pub mod verbs {
    pub const REACTED: &str = "reacted";
    pub const WITHDREW_REACTION: &str = "withdrew-reaction";
    pub const SUGGESTED_EDIT: &str = "suggested-edit";
}

/// The people who write a course: its owner and co-authors.
pub(crate) fn authors_of(ctx: &CourseContext) -> Vec<i64> {
    let mut ids = vec![ctx.course.owner_id];
    ids.extend(ctx.coauthors.iter().map(|u| u.0));
    ids.sort_unstable();
    ids.dedup();
    ids
}

impl App {
    pub(crate) async fn feedback_event(
        &self,
        user_id: i64,
        verb: &'static str,
        course_id: i64,
        version: Option<i32>,
        step_key: Option<&str>,
        data: serde_json::Value,
    ) -> AppResult<()> {
        self.course_event(NewEvent {
            user_id,
            verb,
            course_id: Some(course_id),
            version_number: version,
            step_key: step_key.map(str::to_owned),
            data: Some(data.to_string()),
            ..NewEvent::default()
        })
        .await
    }

    /// A person's display name (for notifications), or a neutral word when gone.
    pub(crate) async fn name_of(&self, user_id: i64) -> AppResult<String> {
        Ok(self
            .store
            .user(user_id)
            .await?
            .map_or_else(|| "Someone".to_owned(), |u| u.name))
    }
}
