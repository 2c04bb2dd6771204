//! Appending to the event log (docs/events.md): every learner and author action, in the unit
//! of work of the change it records, with its context filled in.

use lore_store::NewEvent;

use crate::{App, AppResult};

impl App {
    /// Append an action in a course. Its context comes from the course and the person: the
    /// course's owning group (the only group an enrolment comes through today; a group
    /// assignment would name its own) and, when the person is enrolled, the enrolment's
    /// registration. Fields the caller set are kept.
    pub(crate) async fn course_event(&self, e: NewEvent) -> AppResult<()> {
        let e = self.with_course_context(e).await?;
        self.store.append_event(e, self.now()).await?;
        Ok(())
    }

    /// `e` with its course context filled in (owning group, the person's registration) where
    /// the caller left it empty.
    pub(crate) async fn with_course_context(&self, mut e: NewEvent) -> AppResult<NewEvent> {
        if let Some(course_id) = e.course_id {
            let context = self
                .store
                .course_event_context(e.user_id, course_id)
                .await?;
            e.group_id = e.group_id.or(context.group_id);
            e.registration = e.registration.or(context.registration);
        }
        Ok(e)
    }
}
