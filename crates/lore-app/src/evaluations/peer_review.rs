//! Peer review of open answers (decision 0050): the author asks N peers — people who
//! completed the course — to review each essay, with a disagreement threshold in points.
//! Who reviews a course's answers, and as what: its coaches, editors and named experts as
//! reviewers whose review settles an answer; people who completed it as peers, while peer
//! review is on.

use lore_domain::essay::{PeerReview, check_peer_review};
use lore_domain::policy::Action;
use lore_store::NewEvent;

use crate::courses::access::CourseContext;
use crate::{App, AppError, AppResult, Caller};

/// As what someone reviews a course's open answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReviewerRole {
    /// A coach, editor or named expert (`ReviewAnswers`): their review settles an answer.
    Coach,
    /// Someone who completed the course, while peer review is on.
    Peer(PeerReview),
}

impl App {
    /// A course's peer review setting, `None` when it is off (no check: callers decide).
    pub async fn peer_review_in(&self, course_id: i64) -> AppResult<Option<PeerReview>> {
        Ok(self
            .store
            .peer_review_setting(course_id)
            .await?
            .map(|(peers, threshold)| PeerReview { peers, threshold }))
    }

    /// A course's peer review setting, for its editors.
    pub async fn peer_review(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<Option<PeerReview>> {
        self.course_for(caller, course_id, Action::EditCourse)
            .await?;
        self.peer_review_in(course_id).await
    }

    /// Turn peer review on (N peers, a threshold in points) or off (`None`). Refused with
    /// nothing changed for N outside 1 to 5 or a threshold outside 0 to 1,000. Reviews given
    /// stay; answers waiting are judged by the new setting from now on.
    pub async fn set_peer_review(
        &self,
        caller: &Caller,
        course_id: i64,
        setting: Option<PeerReview>,
    ) -> AppResult<()> {
        if let Some(s) = &setting {
            check_peer_review(s)?;
        }
        self.unit_of_work(|app| async move {
            let app = &app;
            app.course_for(caller, course_id, Action::EditCourse)
                .await?;
            app.store
                .set_peer_review(
                    course_id,
                    setting.map(|s| (s.peers, s.threshold)),
                    caller.id.0,
                    app.now(),
                )
                .await?;
            app.course_event(NewEvent {
                user_id: caller.id.0,
                verb: "set-peer-review",
                course_id: Some(course_id),
                data: Some(
                    serde_json::json!({
                        "peers": setting.map(|s| s.peers),
                        "threshold": setting.map(|s| s.threshold),
                    })
                    .to_string(),
                ),
                ..NewEvent::default()
            })
            .await?;
            Ok(())
        })
        .await
    }

    /// The course, if the caller may review its open answers, and as what. A course they may
    /// not see is "not found"; one they see but whose answers they may not review — not a
    /// coach, editor or named expert, and not someone who completed it while peer review is
    /// on — is forbidden.
    pub async fn essay_reviewer(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<(CourseContext, ReviewerRole)> {
        let ctx = self
            .course_for(caller, course_id, Action::ViewCourse)
            .await?;
        if ctx.can(caller, Action::ReviewAnswers) {
            return Ok((ctx, ReviewerRole::Coach));
        }
        if !caller.actor.active {
            return Err(AppError::Forbidden);
        }
        let Some(setting) = self.peer_review_in(course_id).await? else {
            return Err(AppError::Forbidden);
        };
        let completed = self
            .store
            .enrolment(caller.id.0, course_id)
            .await?
            .is_some_and(|e| e.completed_at.is_some());
        if !completed {
            return Err(AppError::Forbidden);
        }
        Ok((ctx, ReviewerRole::Peer(setting)))
    }
}
