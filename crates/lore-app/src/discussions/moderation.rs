//! Moderation by the course's coaches and authors: hide or show a thread or a post, lock or
//! unlock a thread. Hidden things stay stored and visible to moderators, marked hidden.

use super::moderates;
use crate::{App, AppError, AppResult, Caller};

impl App {
    /// Whether the caller moderates the course's discussions (403 if not, 404 when the course
    /// is not theirs to see); reads only, so the API can refuse before reading a body.
    pub async fn may_moderate_discussions(&self, caller: &Caller, course_id: i64) -> AppResult<()> {
        let (ctx, _) = self.discussed_course(caller, course_id).await?;
        if !moderates(&ctx, caller) {
            return Err(AppError::Forbidden);
        }
        Ok(())
    }

    pub async fn hide_thread(
        &self,
        caller: &Caller,
        course_id: i64,
        thread_id: i64,
        hidden: bool,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let (ctx, _) = app.discussed_course(caller, course_id).await?;
            if !moderates(&ctx, caller) {
                return Err(AppError::Forbidden);
            }
            app.visible_thread(&ctx, caller, thread_id).await?;
            app.store
                .set_thread_hidden(thread_id, hidden.then_some(caller.id.0))
                .await?;
            app.refresh_course_health(course_id).await?;
            Ok(())
        })
        .await
    }

    pub async fn hide_post(
        &self,
        caller: &Caller,
        course_id: i64,
        thread_id: i64,
        post_id: i64,
        hidden: bool,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let (ctx, _) = app.discussed_course(caller, course_id).await?;
            if !moderates(&ctx, caller) {
                return Err(AppError::Forbidden);
            }
            app.visible_thread(&ctx, caller, thread_id).await?;
            app.store
                .post(post_id)
                .await?
                .filter(|p| p.thread_id == thread_id)
                .ok_or(AppError::NotFound("That post"))?;
            app.store
                .set_post_hidden(post_id, hidden.then_some(caller.id.0))
                .await?;
            Ok(())
        })
        .await
    }

    pub async fn lock_thread(
        &self,
        caller: &Caller,
        course_id: i64,
        thread_id: i64,
        locked: bool,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let (ctx, _) = app.discussed_course(caller, course_id).await?;
            if !moderates(&ctx, caller) {
                return Err(AppError::Forbidden);
            }
            app.visible_thread(&ctx, caller, thread_id).await?;
            app.store.set_thread_locked(thread_id, locked).await?;
            Ok(())
        })
        .await
    }
}
