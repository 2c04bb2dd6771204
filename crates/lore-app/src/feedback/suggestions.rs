//! Suggested edits: a learner proposes new Markdown for a text step with a reason; an author
//! reviews the word diff and accepts it into the next version's draft (as is, or edited), or
//! declines with a reason. A step that changed since the proposal is shown as a conflict and
//! never merged silently. Accepted proposers are credited in the published version's note.

use lore_domain::course::StepKind;
use lore_domain::course::{DiffPart, StepBody, word_diff};
use lore_domain::notification::NotificationKind;
use lore_domain::policy::Action;
use lore_domain::suggested_edit::SuggestedEditStatus;
use lore_domain::suggested_edit::{proposal, reason_text};
use lore_store::{
    EditDecision, NewSuggestedEdit, StepFields, StepRow, SuggestedEditRow, VersionRow,
};

use super::health::SuggestionLine;
use super::{authors_of, verbs};
use crate::notifications::Notice;
use crate::{App, AppError, AppResult, Caller};

/// At most this many suggestions per person per hour.
pub const SUGGESTIONS_PER_HOUR: u64 = 20;

/// A suggestion as its reviewer sees it.
#[derive(Debug, Clone)]
pub struct SuggestionView {
    pub row: SuggestedEditRow,
    pub course_title: String,
    pub proposer: String,
    /// From the text the proposal was made on to the proposal.
    pub diff: Vec<DiffPart>,
    /// The step's text now (draft if one is open, else newest version); `None` if removed.
    pub current_body: Option<String>,
    /// The step changed since the proposal: the reviewer must accept an edited text.
    pub conflict: bool,
    /// From the text the proposal was made on to the current text, when they differ.
    pub changes_since: Vec<DiffPart>,
    pub can_decide: bool,
}

impl App {
    /// The step a suggestion would edit: in the version the caller takes (or the newest).
    pub async fn suggestion_base(
        &self,
        caller: &Caller,
        course_id: i64,
        step_key: &str,
    ) -> AppResult<(crate::courses::CourseContext, VersionRow, StepRow)> {
        let ctx = self
            .course_for(caller, course_id, Action::ViewCourse)
            .await?;
        let number = match self.store.enrolment(caller.id.0, course_id).await? {
            Some(e) => e.version_number,
            None => ctx
                .course
                .latest_version
                .ok_or(AppError::NotFound("That course"))?,
        };
        let version = self
            .store
            .version(course_id, number)
            .await?
            .ok_or(AppError::NotFound("That course"))?;
        let step = self
            .store
            .steps_of(version.id)
            .await?
            .into_iter()
            .find(|s| s.step_key == step_key)
            .ok_or(AppError::NotFound("That step"))?;
        if step.kind != StepKind::Text {
            return Err(AppError::invalid(
                "step",
                "Edits can be suggested for text steps; start a discussion about this one.",
            ));
        }
        Ok((ctx, version, step))
    }

    /// Propose new Markdown for a text step, with the reason.
    pub async fn propose_edit(
        &self,
        caller: &Caller,
        course_id: i64,
        step_key: &str,
        body: &str,
        reason: &str,
    ) -> AppResult<SuggestedEditRow> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let (ctx, version, step) = app.suggestion_base(caller, course_id, step_key).await?;
            let p = proposal(&step.body, body, reason)?;
            let since = app.now() - time::Duration::hours(1);
            if app.store.suggested_edits_since(caller.id.0, since).await? >= SUGGESTIONS_PER_HOUR {
                return Err(AppError::RateLimited {
                    retry_after_secs: 3600,
                });
            }
            let row = app
                .store
                .insert_suggested_edit(
                    NewSuggestedEdit {
                        course_id,
                        step_key: step.step_key.clone(),
                        base_version: version.number,
                        base_title: step.title.clone(),
                        base_body: step.body.clone(),
                        proposed_body: p.body,
                        reason: p.reason.clone(),
                        proposer_id: caller.id.0,
                    },
                    app.now(),
                )
                .await?;
            app.feedback_event(
                caller.id.0,
                verbs::SUGGESTED_EDIT,
                course_id,
                Some(version.number),
                Some(&step.step_key),
                serde_json::json!({ "suggestion": row.id }),
            )
            .await?;
            app.refresh_course_health(course_id).await?;
            app.notify_all(
                &authors_of(&ctx),
                Notice {
                    user_id: 0,
                    kind: NotificationKind::SuggestedEdit,
                    title: format!(
                        "{} suggested an edit to “{}” in {}",
                        caller.name, step.title, version.title
                    ),
                    body: format!("“{}”", p.reason),
                    link: format!("/courses/{course_id}/suggestions/{}", row.id),
                    actor_id: Some(caller.id.0),
                },
            )
            .await?;
            Ok(row)
        })
        .await
    }

    /// Suggestions on a course with their proposers' names, for its authors and coaches.
    pub async fn suggested_edits(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<Vec<SuggestionLine>> {
        let ctx = self
            .course_for(caller, course_id, Action::ViewCourse)
            .await?;
        if !ctx.can(caller, Action::EditCourse) && !ctx.can(caller, Action::CoachCourse) {
            return Err(AppError::Forbidden);
        }
        let mut out = Vec::new();
        for row in self.store.suggested_edits_of(course_id).await? {
            out.push(SuggestionLine {
                proposer: self.name_of(row.proposer_id).await?,
                row,
            });
        }
        Ok(out)
    }

    /// One suggestion with its diff and any conflict; authors, coaches and the proposer see it.
    pub async fn suggestion(
        &self,
        caller: &Caller,
        course_id: i64,
        id: i64,
    ) -> AppResult<SuggestionView> {
        let ctx = self
            .course_for(caller, course_id, Action::ViewCourse)
            .await?;
        let row = self
            .store
            .suggested_edit(id)
            .await?
            .filter(|r| r.course_id == course_id)
            .ok_or(AppError::NotFound("That suggestion"))?;
        let can_decide = ctx.can(caller, Action::EditCourse);
        if !can_decide && !ctx.can(caller, Action::CoachCourse) && row.proposer_id != caller.id.0 {
            return Err(AppError::NotFound("That suggestion"));
        }
        let versions = self.store.versions_of(course_id).await?;
        let course_title = versions
            .last()
            .map_or_else(String::new, |v| v.title.clone());
        let current_body = match versions.last() {
            Some(v) => self
                .store
                .steps_of(v.id)
                .await?
                .into_iter()
                .find(|s| s.step_key == row.step_key)
                .map(|s| s.body),
            None => None,
        };
        let conflict = row.status == SuggestedEditStatus::Open
            && current_body
                .as_deref()
                .is_none_or(|c| c.trim() != row.base_body.trim());
        let changes_since = match (&current_body, conflict) {
            (Some(c), true) => word_diff(&row.base_body, c),
            _ => Vec::new(),
        };
        Ok(SuggestionView {
            diff: word_diff(&row.base_body, &row.proposed_body),
            proposer: self.name_of(row.proposer_id).await?,
            course_title,
            current_body,
            conflict,
            changes_since,
            can_decide,
            row,
        })
    }

    /// Accept a suggestion into the next version's draft: as proposed, or as the author edited
    /// it (`edited`). A step changed since the proposal needs an edited text. Returns the
    /// draft's version number.
    pub async fn accept_edit(
        &self,
        caller: &Caller,
        course_id: i64,
        id: i64,
        edited: Option<&str>,
    ) -> AppResult<i32> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let view = app.suggestion(caller, course_id, id).await?;
            if !view.can_decide {
                return Err(AppError::Forbidden);
            }
            let row = view.row;
            if row.status != SuggestedEditStatus::Open {
                return Err(AppError::Conflict(format!(
                    "This suggestion was already {}.",
                    row.status
                )));
            }
            let draft = app.draft(caller, course_id).await?;
            let Some(step) = draft.steps.iter().find(|s| s.step_key == row.step_key) else {
                return Err(AppError::Conflict(
                    "The step was removed from the course; this suggestion can only be declined."
                        .to_owned(),
                ));
            };
            let body = match edited {
                Some(text) => StepBody::parse(text)?.as_str().to_owned(),
                None => {
                    if step.body.trim() != row.base_body.trim() {
                        return Err(AppError::Conflict(format!(
                            "The step changed after this suggestion was made on version {}. Compare the changes and accept an edited text.",
                            row.base_version
                        )));
                    }
                    row.proposed_body.clone()
                }
            };
            let fields = StepFields {
                step_key: step.step_key.clone(),
                kind: step.kind,
                title: step.title.clone(),
                body: body.clone(),
                blob_hash: step.blob_hash.clone(),
                video_url: step.video_url.clone(),
                required: step.required,
            };
            if !app.store.save_step(step.id, step.revision, fields).await? {
                return Err(AppError::Conflict(
                    "Someone saved this step in the editor just now; open the suggestion again."
                        .to_owned(),
                ));
            }
            let number = draft.version.number;
            if !app
                .store
                .decide_suggested_edit(
                    row.id,
                    EditDecision {
                        status: SuggestedEditStatus::Accepted,
                        decided_by: caller.id.0,
                        note: None,
                        accepted_body: Some(body),
                        accepted_into_version: Some(number),
                    },
                    app.now(),
                )
                .await?
            {
                return Err(AppError::Conflict(
                    "This suggestion was just decided by someone else.".to_owned(),
                ));
            }
            app.refresh_course_health(course_id).await?;
            app.notify(Notice {
                user_id: row.proposer_id,
                kind: NotificationKind::EditDecision,
                title: format!(
                    "Your edit to “{}” was accepted into version {number}",
                    row.base_title
                ),
                body: format!(
                    "{} accepted it{}; it goes live when version {number} is published.",
                    caller.name,
                    if edited.is_some() {
                        " with changes"
                    } else {
                        ""
                    }
                ),
                link: format!("/courses/{course_id}/suggestions/{}", row.id),
                actor_id: Some(caller.id.0),
        })
        .await?;
        Ok(number)
        })
        .await
    }

    /// Decline a suggestion with the reason the proposer is told.
    pub async fn decline_edit(
        &self,
        caller: &Caller,
        course_id: i64,
        id: i64,
        reason: &str,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let view = app.suggestion(caller, course_id, id).await?;
            if !view.can_decide {
                return Err(AppError::Forbidden);
            }
            let reason = reason_text(reason, "Say why the suggestion is declined.")?;
            if !app
                .store
                .decide_suggested_edit(
                    id,
                    EditDecision {
                        status: SuggestedEditStatus::Declined,
                        decided_by: caller.id.0,
                        note: Some(reason.clone()),
                        accepted_body: None,
                        accepted_into_version: None,
                    },
                    app.now(),
                )
                .await?
            {
                return Err(AppError::Conflict(format!(
                    "This suggestion was already {}.",
                    view.row.status
                )));
            }
            app.refresh_course_health(course_id).await?;
            app.notify(Notice {
                user_id: view.row.proposer_id,
                kind: NotificationKind::EditDecision,
                title: format!("Your edit to “{}” was declined", view.row.base_title),
                body: format!("{}: {reason}", caller.name),
                link: format!("/courses/{course_id}/suggestions/{id}"),
                actor_id: Some(caller.id.0),
            })
            .await?;
            Ok(())
        })
        .await
    }

    /// The credit line for suggestions accepted into `version`, if any.
    pub(crate) async fn edit_credits(
        &self,
        course_id: i64,
        version: i32,
    ) -> AppResult<Option<String>> {
        let accepted = self.store.edits_accepted_into(course_id, version).await?;
        if accepted.is_empty() {
            return Ok(None);
        }
        let mut parts: Vec<String> = Vec::new();
        for e in accepted.iter().take(10) {
            parts.push(format!(
                "{} (“{}”)",
                self.name_of(e.proposer_id).await?,
                e.base_title
            ));
        }
        if accepted.len() > 10 {
            parts.push(format!("and {} more", accepted.len() - 10));
        }
        Ok(Some(format!("Suggested edits by {}.", parts.join(", "))))
    }

    /// After publishing: tell each credited proposer their edit is live.
    pub(crate) async fn announce_accepted_edits(
        &self,
        caller: &Caller,
        course_id: i64,
        version: i32,
    ) -> AppResult<()> {
        for e in self.store.edits_accepted_into(course_id, version).await? {
            self.notify(Notice {
                user_id: e.proposer_id,
                kind: NotificationKind::EditDecision,
                title: format!(
                    "Your edit to “{}” is live in version {version}",
                    e.base_title
                ),
                body: "Thank you: the change note credits you.".to_owned(),
                link: format!(
                    "/courses/{course_id}/versions/diff?from={}&to={version}",
                    e.base_version
                ),
                actor_id: Some(caller.id.0),
            })
            .await?;
        }
        Ok(())
    }
}

/// One version in a step's history: what changed in the step, and who is credited for it.
#[derive(Debug, Clone)]
pub struct StepHistoryLine {
    pub version: i32,
    pub published_at: Option<time::OffsetDateTime>,
    pub title: String,
    /// From the step in the version before (empty where the step was added).
    pub diff: Vec<DiffPart>,
    pub added: bool,
    /// People whose suggested edits went into this version of the step.
    pub credited: Vec<String>,
    pub note: String,
}

impl App {
    /// The published versions in which a step was added or changed, newest first, with the
    /// people whose suggestions shaped each.
    pub async fn step_history(
        &self,
        caller: &Caller,
        course_id: i64,
        step_key: &str,
    ) -> AppResult<Vec<StepHistoryLine>> {
        self.course_for(caller, course_id, Action::ViewCourse)
            .await?;
        let mut out = Vec::new();
        let mut before: Option<StepRow> = None;
        for v in self.store.versions_of(course_id).await? {
            if v.published_at.is_none() {
                continue;
            }
            let step = self
                .store
                .steps_of(v.id)
                .await?
                .into_iter()
                .find(|s| s.step_key == step_key);
            let Some(step) = step else {
                before = None;
                continue;
            };
            let changed = before
                .as_ref()
                .is_none_or(|b| b.body != step.body || b.title != step.title);
            if changed {
                let mut credited = Vec::new();
                for e in self.store.edits_accepted_into(course_id, v.number).await? {
                    if e.step_key == step_key {
                        credited.push(self.name_of(e.proposer_id).await?);
                    }
                }
                out.push(StepHistoryLine {
                    version: v.number,
                    published_at: v.published_at,
                    title: step.title.clone(),
                    diff: before
                        .as_ref()
                        .map(|b| word_diff(&b.body, &step.body))
                        .unwrap_or_default(),
                    added: before.is_none(),
                    credited,
                    note: v.change_note.clone(),
                });
            }
            before = Some(step);
        }
        if out.is_empty() {
            return Err(AppError::NotFound("That step"));
        }
        out.reverse();
        Ok(out)
    }
}
