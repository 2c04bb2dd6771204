//! Experts the author names to review a course's open answers (essays, decision 0046):
//! who they are, naming one by email and removing one. A named reviewer may review the
//! course's answers (policy `ReviewAnswers`) and read the course, nothing more.

use lore_domain::notification::NotificationKind;
use lore_domain::policy::Action;
use lore_store::NewEvent;
use serde::Serialize;

use crate::courses::access::CourseContext;
use crate::notifications::Notice;
use crate::{App, AppError, AppResult, Caller};

/// A person named to review a course's open answers.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NamedReviewer {
    pub user_id: i64,
    pub name: String,
    pub email: String,
}

impl App {
    /// The experts named to review a course's open answers, for its editors.
    pub async fn answer_reviewers(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<Vec<NamedReviewer>> {
        let ctx = self
            .course_for(caller, course_id, Action::EditCourse)
            .await?;
        self.answer_reviewers_in(&ctx).await
    }

    /// The named reviewers of a course already loaded for its editor.
    pub async fn answer_reviewers_in(&self, ctx: &CourseContext) -> AppResult<Vec<NamedReviewer>> {
        self.named_reviewers(&ctx.reviewers.iter().map(|u| u.0).collect::<Vec<_>>())
            .await
    }

    async fn named_reviewers(&self, ids: &[i64]) -> AppResult<Vec<NamedReviewer>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(u) = self.store.user(*id).await? {
                out.push(NamedReviewer {
                    user_id: u.id,
                    name: u.name,
                    email: u.email,
                });
            }
        }
        Ok(out)
    }

    /// Name an expert (an active person of the organisation, by email) to review the
    /// course's open answers; they are told. Refused with nothing changed for an address
    /// nobody active has, for someone named already and for someone who reviews the answers
    /// already as an editor or coach of the course.
    pub async fn add_answer_reviewer(
        &self,
        caller: &Caller,
        course_id: i64,
        email: &str,
    ) -> AppResult<NamedReviewer> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app
                .course_for(caller, course_id, Action::EditCourse)
                .await?;
            let person = app.person_by_address(email).await?;
            if ctx.reviewers.iter().any(|u| u.0 == person) {
                return Err(AppError::refused(
                    "already_reviewer",
                    "This person already reviews the open answers of this course.",
                ));
            }
            if let Some(them) = app.caller(person).await?
                && ctx.can(&them, Action::ReviewAnswers)
            {
                return Err(AppError::refused(
                    "already_reviewer",
                    "This person reviews the open answers already, as an author or coach of the course.",
                ));
            }
            if !app
                .store
                .add_answer_reviewer(course_id, person, caller.id.0, app.now())
                .await?
            {
                return Err(AppError::refused(
                    "already_reviewer",
                    "This person already reviews the open answers of this course.",
                ));
            }
            app.course_event(NewEvent {
                user_id: caller.id.0,
                verb: "named-reviewer",
                course_id: Some(course_id),
                data: Some(serde_json::json!({ "reviewer": person }).to_string()),
                ..NewEvent::default()
            })
            .await?;
            let title = app.course_title(&ctx).await?;
            app.notify(Notice {
                user_id: person,
                kind: NotificationKind::Review,
                title: format!("You review the open answers of “{title}”"),
                body: "Learners' essays wait for you in the course's review queue.".to_owned(),
                link: format!("/courses/{course_id}/essays"),
                actor_id: Some(caller.id.0),
            })
            .await?;
            app.named_reviewers(&[person])
                .await?
                .pop()
                .ok_or(AppError::NotFound("That person"))
        })
        .await
    }

    /// Remove a named reviewer; reviews they gave stay.
    pub async fn remove_answer_reviewer(
        &self,
        caller: &Caller,
        course_id: i64,
        user_id: i64,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            app.course_for(caller, course_id, Action::EditCourse)
                .await?;
            if !app.store.remove_answer_reviewer(course_id, user_id).await? {
                return Err(AppError::NotFound("That reviewer"));
            }
            app.course_event(NewEvent {
                user_id: caller.id.0,
                verb: "removed-reviewer",
                course_id: Some(course_id),
                data: Some(serde_json::json!({ "reviewer": user_id }).to_string()),
                ..NewEvent::default()
            })
            .await?;
            Ok(())
        })
        .await
    }

    /// The title of a course's newest version, draft or published.
    async fn course_title(&self, ctx: &CourseContext) -> AppResult<String> {
        Ok(self
            .store
            .versions_of(ctx.course.id)
            .await?
            .pop()
            .map(|v| v.title)
            .unwrap_or_default())
    }
}
