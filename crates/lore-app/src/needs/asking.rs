//! Asking for a need, editing it, and finding what already exists while someone types.

use lore_domain::need::{
    NeedStatus, NeedTitle, Urgency, parse_problem, parse_questions, parse_topic,
};
use lore_domain::notification::NotificationKind;
use lore_domain::policy::{Action, Resource};
use lore_store::{NeedText, NewNeed};

use super::{NeedAction, NeedSummary, verbs};
use crate::notifications::Notice;
use crate::{App, AppError, AppResult, Caller};

/// What the "Ask for a need" form sends.
#[derive(Debug, Clone, Default)]
pub struct NeedInput<'a> {
    pub title: &'a str,
    pub problem: &'a str,
    pub topic: &'a str,
    pub urgency: &'a str,
    /// One question per line.
    pub questions: &'a str,
    /// Audience groups; empty means the asker's own groups.
    pub audiences: Vec<i64>,
}

/// Needs and courses that look like what someone is typing.
#[derive(Debug, Clone, Default)]
pub struct Similar {
    pub needs: Vec<NeedSummary>,
    /// Published courses the caller may see, as (id, title).
    pub courses: Vec<(i64, String)>,
}

struct CheckedNeed {
    title: String,
    problem: String,
    topic: String,
    urgency: String,
    questions: String,
    audiences: Vec<i64>,
}

impl App {
    /// Groups a need may be addressed to by the caller, as (id, path): their own groups, the
    /// groups above them and the groups below the ones they belong to.
    pub async fn need_audience_choices(&self, caller: &Caller) -> AppResult<Vec<(i64, String)>> {
        let tree = self.group_tree().await?;
        let mut out: Vec<(i64, String)> = tree
            .walk()
            .into_iter()
            .filter(|(_, node)| {
                let lineage = tree.lineage(node.id);
                caller.actor.within.contains(&node.id)
                    || caller.can(Action::ViewGroup, Resource::Group { lineage: &lineage })
            })
            .map(|(_, node)| (node.id.0, tree.path(node.id)))
            .collect();
        // The caller's own groups first: that is who most likely shares the need.
        out.sort_by_key(|(id, _)| !caller.actor.memberships.iter().any(|(g, _)| g.0 == *id));
        Ok(out)
    }

    async fn check_need(&self, caller: &Caller, input: &NeedInput<'_>) -> AppResult<CheckedNeed> {
        let title = NeedTitle::parse(input.title)?;
        let problem = parse_problem(input.problem)?;
        let topic = parse_topic(input.topic)?;
        let urgency = Urgency::parse(input.urgency)?;
        let questions = parse_questions(input.questions)?;
        let choices = self.need_audience_choices(caller).await?;
        let mut audiences = input.audiences.clone();
        audiences.sort_unstable();
        audiences.dedup();
        if audiences.is_empty() {
            audiences = caller.actor.memberships.iter().map(|(g, _)| g.0).collect();
            audiences.sort_unstable();
            audiences.dedup();
        }
        if audiences.is_empty() {
            // The asker's state, not the request: a conflict (decision 0037).
            return Err(AppError::refused(
                "no_group",
                "Say which group needs this; you are not in a group yet.",
            ));
        }
        if audiences.len() > lore_domain::need::MAX_AUDIENCES {
            return Err(AppError::invalid("audiences", "Pick at most 20 groups."));
        }
        if audiences
            .iter()
            .any(|g| !choices.iter().any(|(id, _)| id == g))
        {
            // A group that is not there is 404; one the caller may not address, 403
            // (decision 0037).
            let tree = self.group_tree().await?;
            if audiences
                .iter()
                .any(|g| tree.get(lore_domain::ids::GroupId(*g)).is_none())
            {
                return Err(AppError::NotFound("That group"));
            }
            return Err(AppError::Forbidden);
        }
        Ok(CheckedNeed {
            title: title.as_str().to_owned(),
            problem,
            topic,
            urgency: urgency.as_str().to_owned(),
            questions: serde_json::to_string(&questions).unwrap_or_else(|_| "[]".to_owned()),
            audiences,
        })
    }

    /// Ask for a need. The asker votes for it and follows it. Returns its id.
    pub async fn ask_need(&self, caller: &Caller, input: NeedInput<'_>) -> AppResult<i64> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let n = app.check_need(caller, &input).await?;
            let questions_text = super::questions_of_json(&n.questions).join("\n");
            let need = app
                .store
                .insert_need(
                    NewNeed {
                        title: n.title,
                        problem: n.problem,
                        topic: n.topic,
                        urgency: n.urgency,
                        questions: n.questions,
                        audiences: n.audiences,
                        created_by: caller.id.0,
                    },
                    app.now(),
                )
                .await?;
            app.store
                .index_need(need.id, &need.title, &need.problem, &questions_text)
                .await?;
            app.need_event(
                caller.id.0,
                need.id,
                NeedAction::new(verbs::ASKED_NEED),
            )
            .await?;
            app.tell_coaches_of_new_need(caller, &need).await?;
            tracing::info!(target: "lore::audit", user_id = caller.id.0, need_id = need.id, "need asked");
            Ok(need.id)
        })
        .await
    }

    /// Coaches of the audience groups (and of the groups above them) hear of a new need, so
    /// someone who can find an expert sees it early.
    async fn tell_coaches_of_new_need(
        &self,
        caller: &Caller,
        need: &lore_store::NeedRow,
    ) -> AppResult<()> {
        let tree = self.group_tree().await?;
        let mut groups: Vec<i64> = self
            .store
            .need_audiences(&[need.id])
            .await?
            .into_iter()
            .flat_map(|(_, g)| tree.lineage(lore_domain::ids::GroupId(g)))
            .map(|g| g.0)
            .collect();
        groups.sort_unstable();
        groups.dedup();
        for coach in self.store.coaches_in(&groups).await? {
            self.notify(Notice {
                user_id: coach,
                kind: NotificationKind::NeedAsked,
                title: format!("{} asks to learn “{}”", caller.name, need.title),
                body: "Upvoted by others, it rises on the needs board; you can assign an expert from its page.".to_owned(),
                link: format!("/needs/{}", need.id),
                actor_id: Some(caller.id.0),
            })
            .await?;
        }
        Ok(())
    }

    /// Change a need's text: its asker while nobody works on it yet, or a coach of it.
    pub async fn edit_need(
        &self,
        caller: &Caller,
        need_id: i64,
        input: NeedInput<'_>,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app.need_for(caller, need_id, Action::ViewNeed).await?;
            let coach = ctx.can(caller, Action::ManageNeed);
            let asker = ctx.need.created_by == caller.id.0;
            if !coach && !asker {
                return Err(AppError::Forbidden);
            }
            if !ctx.status().takes_votes() {
                return Err(AppError::Conflict(format!(
                    "This need is {}; it can no longer be edited.",
                    ctx.status().label().to_lowercase()
                )));
            }
            let mut input = input;
            if input.audiences.is_empty() {
                input.audiences = ctx.audiences.clone();
            }
            let n = app.check_need(caller, &input).await?;
            let questions_text = super::questions_of_json(&n.questions).join("\n");
            app.store
                .update_need_text(
                    need_id,
                    NeedText {
                        title: &n.title,
                        problem: &n.problem,
                        topic: &n.topic,
                        urgency: &n.urgency,
                        questions: &n.questions,
                    },
                    app.now(),
                )
                .await?;
            app.store
                .index_need(need_id, &n.title, &n.problem, &questions_text)
                .await?;
            let mut need = ctx.need.clone();
            need.title = n.title;
            app.need_changed(
                Some(caller),
                &need,
                "edited",
                "The need was edited.",
                NeedAction::new(verbs::EDITED_NEED),
            )
            .await
        })
        .await
    }

    /// Needs (that the caller may see) and courses (that they may take) like `text`.
    pub async fn similar_to(&self, caller: &Caller, text: &str) -> AppResult<Similar> {
        let tree = self.group_tree().await?;
        let ids = self.store.similar_needs(text, 20).await?;
        let mut rows: Vec<_> = self
            .need_contexts(&tree, self.store.needs_by_ids(&ids).await?)
            .await?
            .into_iter()
            .filter(|c| c.need.status != NeedStatus::Merged && c.can(caller, Action::ViewNeed))
            .map(|c| c.need)
            .collect();
        rows.sort_by_key(|n| ids.iter().position(|i| *i == n.id));
        rows.truncate(5);
        let needs = self.summarise_needs(&tree, rows).await?;
        let mut courses = Vec::new();
        for id in self.store.similar_courses(text, 20).await? {
            if courses.len() == 5 {
                break;
            }
            // One group tree for every candidate: this runs on each pause in typing.
            let Some(course) = self.store.course(id).await? else {
                continue;
            };
            let ctx = Self::context_from(
                &tree,
                course,
                self.store.coauthors_of(id).await?,
                // Named reviewers of open answers take nothing: not asked here.
                Vec::new(),
                self.store.audiences_of(id).await?,
            );
            if !ctx.can(caller, Action::TakeCourse) {
                continue;
            }
            if let Some(v) = self.latest_version(&ctx).await? {
                courses.push((id, v.title));
            }
        }
        Ok(Similar { needs, courses })
    }
}
