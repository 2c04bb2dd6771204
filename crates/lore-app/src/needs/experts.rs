//! Experts for a need: who the evidence points to (healthy courses they wrote on the topic,
//! accepted answers in discussions there, strong evaluation results, volunteering), and
//! assigning one — who is told and gets a draft course outlined from the need's questions.

use lore_domain::course::{CourseStatus, StepKind};
use lore_domain::course::{CourseSummary, CourseTitle};
use lore_domain::need::{ExpertState, NeedStatus, outline};
use lore_domain::notification::NotificationKind;
use lore_domain::policy::Action;
use lore_store::{StepFields, VersionMeta};

use super::{NeedAction, verbs};
use crate::courses::authoring::new_step_key;
use crate::feedback::authors_of;
use crate::notifications::Notice;
use crate::{App, AppError, AppResult, Caller};

/// How many of the best-matching courses are read for evidence.
const COURSES_CONSIDERED: u64 = 6;

/// A course this healthy or better counts as evidence of expertise.
pub const HEALTHY: u32 = 70;

/// Someone who could answer a need, with why.
#[derive(Debug, Clone)]
pub struct ExpertSuggestion {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    /// 3 per healthy course on the topic, 2 per accepted answer there, 1 per strong
    /// evaluation result there, 2 for volunteering.
    pub score: u32,
    pub reasons: Vec<String>,
    pub volunteered: bool,
    pub assigned: bool,
}

fn add(list: &mut Vec<ExpertSuggestion>, user_id: i64, points: u32, reason: String) {
    match list.iter_mut().find(|s| s.user_id == user_id) {
        Some(s) => {
            s.score += points;
            s.reasons.push(reason);
        }
        None => list.push(ExpertSuggestion {
            user_id,
            name: String::new(),
            email: String::new(),
            score: points,
            reasons: vec![reason],
            volunteered: false,
            assigned: false,
        }),
    }
}

/// Best first; the ten strongest, and every volunteer or assigned expert however thin
/// their evidence: someone who offered must never be hidden from the coach.
fn shortlist(mut all: Vec<ExpertSuggestion>) -> Vec<ExpertSuggestion> {
    all.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.name.cmp(&b.name)));
    let mut kept = 0;
    all.retain(|s| {
        kept += 1;
        kept <= 10 || s.volunteered || s.assigned
    });
    all
}

impl App {
    /// People who could answer a need, best first, each with the evidence. Coaches only.
    pub async fn suggest_experts(
        &self,
        caller: &Caller,
        need_id: i64,
    ) -> AppResult<Vec<ExpertSuggestion>> {
        let ctx = self.need_for(caller, need_id, Action::ManageNeed).await?;
        // The title and topic say what the need is about; questions and the problem mostly
        // say it in everyday words ("find", "read", "help") that would match unrelated
        // courses. Of those, only the words that single courses out count (see the store).
        let text = format!("{} {}", ctx.need.title, ctx.need.topic);
        let tree = self.group_tree().await?;
        let mut list: Vec<ExpertSuggestion> = Vec::new();
        let mut titles: Vec<(i64, String)> = Vec::new();
        for course_id in self
            .store
            .courses_on_topic(&text, COURSES_CONSIDERED)
            .await?
        {
            let Some(course) = self.store.course(course_id).await? else {
                continue;
            };
            if course.status != CourseStatus::Active || course.latest_version.is_none() {
                continue;
            }
            let course_ctx = Self::context_from(
                &tree,
                course,
                self.store.coauthors_of(course_id).await?,
                // Named reviewers of open answers take nothing: not asked here.
                Vec::new(),
                self.store.audiences_of(course_id).await?,
            );
            let Some(version) = self.latest_version(&course_ctx).await? else {
                continue;
            };
            let health = self.health_of(&course_ctx).await?.health.score;
            titles.push((course_id, version.title.clone()));
            if health >= HEALTHY {
                for author in authors_of(&course_ctx) {
                    add(
                        &mut list,
                        author,
                        3,
                        format!("Wrote “{}” (health {health})", version.title),
                    );
                }
            }
        }
        let ids: Vec<i64> = titles.iter().map(|(id, _)| *id).collect();
        let title_of = |id: i64| {
            titles
                .iter()
                .find(|(c, _)| *c == id)
                .map(|(_, t)| t.clone())
                .unwrap_or_default()
        };
        for (user_id, course_id, n) in self.store.accepted_answers_on(&ids).await? {
            let what = if n == 1 {
                "accepted answer".to_owned()
            } else {
                format!("{n} accepted answers")
            };
            add(
                &mut list,
                user_id,
                2 * n as u32,
                format!("{what} in discussions of “{}”", title_of(course_id)),
            );
        }
        for (user_id, course_id, pct) in self.store.strong_results_on(&ids).await? {
            add(
                &mut list,
                user_id,
                1,
                format!(
                    "Scored {pct} % in the evaluation of “{}”",
                    title_of(course_id)
                ),
            );
        }
        for e in self.store.need_experts(need_id).await? {
            if e.state == ExpertState::Volunteer {
                add(&mut list, e.user_id, 2, "Volunteered".to_owned());
            }
            if let Some(s) = list.iter_mut().find(|s| s.user_id == e.user_id) {
                // An assigned expert did not necessarily volunteer.
                s.volunteered = e.state == ExpertState::Volunteer;
                s.assigned = e.state == ExpertState::Assigned;
            }
        }
        let mut out = Vec::with_capacity(list.len());
        for mut s in list {
            match self.store.user(s.user_id).await? {
                Some(u) if u.active => {
                    s.name = u.name;
                    s.email = u.email;
                    out.push(s);
                }
                _ => {}
            }
        }
        Ok(shortlist(out))
    }

    /// Assign an expert: they are told, and a draft course owned by them is made in the
    /// need's first audience group, outlined from the need's questions and linked to it.
    /// Returns the draft course's id.
    pub async fn assign_expert(
        &self,
        caller: &Caller,
        need_id: i64,
        expert_id: i64,
    ) -> AppResult<i64> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app.need_for(caller, need_id, Action::ManageNeed).await?;
            if !ctx.status().takes_votes() {
                return Err(AppError::refused(
                    "need_closed",
                    format!(
                        "This need is {}; reopen it before assigning experts.",
                        ctx.status().label().to_lowercase()
                    ),
                ));
            }
            let expert = match app.store.user(expert_id).await? {
                Some(u) if u.active => u,
                _ => return Err(AppError::NotFound("That person")),
            };
            let existing = app.store.need_experts(need_id).await?;
            if existing
                .iter()
                .any(|e| e.user_id == expert_id && e.state == ExpertState::Assigned)
            {
                return Err(AppError::refused(
                    "already_expert",
                    format!("{} is already assigned to this need.", expert.name),
                ));
            }
            let group_id = *ctx
                .audiences
                .first()
                .ok_or_else(|| AppError::invalid("audiences", "This need has no audience group."))?;
            let summary: String = ctx
                .need
                .problem
                .chars()
                .take(CourseSummary::MAX_CHARS)
                .collect();
            let steps: Vec<StepFields> = outline(&ctx.need.problem, &ctx.questions())
                .into_iter()
                .map(|(title, body)| StepFields {
                    step_key: new_step_key(),
                    kind: StepKind::Text,
                    title,
                    body,
                    blob_hash: None,
                    video_url: None,
                    required: true,
                })
                .collect();
            let meta = VersionMeta {
                title: ctx
                    .need
                    .title
                    .chars()
                    .take(CourseTitle::MAX_CHARS)
                    .collect(),
                summary,
                language: "en".to_owned(),
                tags: serde_json::to_string(
                    &[&ctx.need.topic]
                        .iter()
                        .filter(|t| !t.is_empty())
                        .collect::<Vec<_>>(),
                )
                .unwrap_or_else(|_| "[]".to_owned()),
                estimated_minutes: None,
                cover_blob: None,
            };
            let now = app.now();
            let (course, _) = app
                .store
                .create_course(expert_id, group_id, meta, steps, now)
                .await?;
            app.store
                .assign_expert(need_id, expert_id, caller.id.0, course.id, now)
                .await?;
            app.store
                .link_need_course(need_id, course.id, caller.id.0, now)
                .await?;
            app.notify(Notice {
                user_id: expert_id,
                kind: NotificationKind::ExpertRequest,
                title: format!("{} asks you to answer “{}”", caller.name, ctx.need.title),
                body: format!(
                    "A draft course is ready for you, outlined from the need's questions. {} people voted for it.",
                    app.store.need_votes(Some(&[need_id])).await?.len()
                ),
                link: format!("/courses/{}/edit", course.id),
                actor_id: Some(caller.id.0),
        })
        .await?;
        let detail = format!(
            "{} was assigned as expert; a draft course is started.",
            expert.name
        );
        app.need_changed(
            Some(caller),
            &ctx.need,
            "expert",
            &detail,
            NeedAction::new(verbs::ASSIGNED_EXPERT)
                .course(course.id)
                .data(serde_json::json!({ "expert": expert_id })),
        )
        .await?;
        if matches!(ctx.status(), NeedStatus::Open | NeedStatus::Exploring) {
            app.move_need(
                Some(caller),
                &ctx.need,
                ctx.status(),
                NeedStatus::InProgress,
            )
            .await?;
        }
        // Following only now: the request above tells the expert all of this already.
        app.store.follow_need(need_id, expert_id, now).await?;
        tracing::info!(target: "lore::audit", user_id = caller.id.0, need_id, expert_id, course_id = course.id, "expert assigned");
        Ok(course.id)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shortlist_keeps_the_strongest_and_every_volunteer() {
        let mut all = Vec::new();
        for i in 0..12 {
            add(&mut all, i, 3 + i as u32, format!("Wrote course {i}"));
        }
        add(&mut all, 99, 2, "Volunteered".to_owned());
        all[12].volunteered = true;
        let short = shortlist(all);
        assert_eq!(short.len(), 11);
        assert_eq!(short[0].user_id, 11, "the most evidence first");
        assert_eq!(short[10].user_id, 99, "the volunteer stays");
        assert!(!short.iter().any(|s| s.user_id == 0 || s.user_id == 1));
    }
}
