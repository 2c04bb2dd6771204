//! The personal calendar feed of due dates: `/calendar/{token}.ics`, where the token is a
//! random secret stored only as its hash, made and revoked from the account page. A new
//! token replaces the old one.

use lore_domain::ical::{self, DueEvent};

use crate::secrets::{random_token, sha256_hex};
use crate::{App, AppError, AppResult, Caller};

impl App {
    /// Make (or replace) the caller's calendar token; the token is shown once, here.
    pub async fn create_calendar_token(&self, caller: &Caller) -> AppResult<String> {
        caller.require_own_account()?;
        let token = random_token();
        let hash = sha256_hex(&token);
        self.unit_of_work(|app| async move {
            app.store
                .put_calendar_token(caller.id.0, &hash, app.now())
                .await?;
            Ok(())
        })
        .await?;
        Ok(token)
    }

    /// Revoke the caller's calendar token: the feed's address stops working at once.
    pub async fn revoke_calendar_token(&self, caller: &Caller) -> AppResult<()> {
        caller.require_own_account()?;
        self.unit_of_work(|app| async move {
            app.store
                .revoke_calendar_tokens(caller.id.0, app.now())
                .await?;
            Ok(())
        })
        .await
    }

    /// Since when the caller has a live calendar feed, if they do.
    pub async fn calendar_since(&self, caller: &Caller) -> AppResult<Option<time::OffsetDateTime>> {
        Ok(self.store.calendar_token_since(caller.id.0).await?)
    }

    /// The feed behind a token: every due date of what is assigned to its owner and not
    /// done. An unknown or revoked token is "not found".
    pub async fn calendar_feed(&self, token: &str, public_url: &str) -> AppResult<String> {
        let owner = self
            .store
            .calendar_owner(&sha256_hex(token))
            .await?
            .ok_or(AppError::NotFound("That calendar"))?;
        let caller = self
            .caller(owner)
            .await?
            .ok_or(AppError::NotFound("That calendar"))?;
        let mut events = Vec::new();
        let assignments = self.my_assignments(&caller).await?;
        // Courses taken for an assignment (directly or inside a path) show as the assignment.
        let covered: Vec<String> = assignments
            .iter()
            .flat_map(|a| {
                std::iter::once(a.href.clone()).chain(a.courses.iter().map(|(_, h, _)| h.clone()))
            })
            .collect();
        for a in assignments {
            let Some(due_at) = a.due_at else { continue };
            if a.status == lore_domain::assignment::AssigneeStatus::Done {
                continue;
            }
            events.push(DueEvent {
                uid: format!("assignment-{}-user-{}@lore", a.assignment_id, owner),
                summary: format!("Due: {}", a.title),
                description: format!("{} assigned to you in Lore.", a.kind),
                url: format!("{public_url}{}", a.href),
                due_at,
            });
        }
        // Courses assigned from the course page (an enrolment with a due date) too.
        for e in self.store.enrolments_of(owner).await? {
            let (Some(due_at), None) = (e.due_at, e.completed_at) else {
                continue;
            };
            let href = format!("/courses/{}", e.course_id);
            if covered.contains(&href) {
                continue;
            }
            let title = self
                .item_titles(&[lore_domain::path::ItemRef::course(e.course_id)])
                .await?
                .into_values()
                .next()
                .unwrap_or_default();
            events.push(DueEvent {
                uid: format!("enrolment-{}@lore", e.id),
                summary: format!("Due: {title}"),
                description: "course assigned to you in Lore.".to_owned(),
                url: format!("{public_url}{href}"),
                due_at,
            });
        }
        Ok(ical::calendar(
            &format!("Lore: {}", caller.name),
            &events,
            self.now(),
        ))
    }
}
