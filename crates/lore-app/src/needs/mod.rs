//! Learning needs: people ask for what they need to learn, others vote and follow, coaches
//! move needs through their life and assign experts, and a published course answers them.

pub mod asking;
pub mod board;
pub mod experts;
pub mod lifecycle;
pub mod voting;

use std::collections::HashMap;

use lore_domain::group::GroupTree;
use lore_domain::ids::{GroupId, UserId};
use lore_domain::need::{NeedStatus, Urgency, demand_score};
use lore_domain::notification::NotificationKind;
use lore_domain::policy::{Action, Resource};
use lore_store::{NeedRow, NewEvent};

use crate::notifications::Notice;
use crate::{App, AppError, AppResult, Caller};

pub use board::{Board, BoardQuery, BoardSort, GroupLeadTime, NEEDS_PAGE_SIZE, NeedView};
pub use experts::ExpertSuggestion;

/// Verbs of the event log for needs (docs/events.md); each event carries the need's id.
pub mod verbs {
    pub const ASKED_NEED: &str = "asked-need";
    pub const EDITED_NEED: &str = "edited-need";
    pub const VOTED_NEED: &str = "voted-need";
    pub const UNVOTED_NEED: &str = "unvoted-need";
    pub const FOLLOWED_NEED: &str = "followed-need";
    pub const UNFOLLOWED_NEED: &str = "unfollowed-need";
    pub const CHANGED_NEED_STATUS: &str = "changed-need-status";
    pub const MERGED_NEED: &str = "merged-need";
    pub const ASSIGNED_EXPERT: &str = "assigned-expert";
    pub const VOLUNTEERED: &str = "volunteered";
    pub const LINKED_COURSE: &str = "linked-course";
}

/// A need action as the event log records it: the verb, the course it concerns if any, and
/// what is specific to the verb.
#[derive(Debug, Clone)]
pub(crate) struct NeedAction {
    pub verb: &'static str,
    pub course_id: Option<i64>,
    pub data: Option<serde_json::Value>,
}

impl NeedAction {
    pub fn new(verb: &'static str) -> Self {
        Self {
            verb,
            course_id: None,
            data: None,
        }
    }

    pub fn course(mut self, course_id: i64) -> Self {
        self.course_id = Some(course_id);
        self
    }

    pub fn data(mut self, data: serde_json::Value) -> Self {
        self.data = Some(data);
        self
    }

    /// A move from one status to another.
    pub fn status(from: NeedStatus, to: NeedStatus) -> Self {
        Self::new(verbs::CHANGED_NEED_STATUS)
            .data(serde_json::json!({ "from": from.as_str(), "to": to.as_str() }))
    }
}

/// A need with what the policy needs to know about it.
#[derive(Debug, Clone)]
pub struct NeedContext {
    pub need: NeedRow,
    pub audiences: Vec<i64>,
    pub audience_lineages: Vec<Vec<GroupId>>,
}

impl NeedContext {
    pub fn resource(&self) -> Resource<'_> {
        Resource::Need {
            created_by: UserId(self.need.created_by),
            audience_lineages: &self.audience_lineages,
        }
    }

    pub fn can(&self, caller: &Caller, action: Action) -> bool {
        caller.can(action, self.resource())
    }

    pub fn status(&self) -> NeedStatus {
        self.need.status
    }

    pub fn urgency(&self) -> Urgency {
        Urgency::parse(&self.need.urgency).unwrap_or(Urgency::Normal)
    }

    pub fn questions(&self) -> Vec<String> {
        questions_of(&self.need)
    }
}

pub(crate) fn questions_of(need: &NeedRow) -> Vec<String> {
    questions_of_json(&need.questions)
}

pub(crate) fn questions_of_json(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// A need as lists show it.
#[derive(Debug, Clone)]
pub struct NeedSummary {
    pub id: i64,
    pub title: String,
    pub topic: String,
    pub status: NeedStatus,
    pub urgency: Urgency,
    pub votes: u64,
    pub demand: i64,
    /// People in the audience groups.
    pub audience: u64,
    /// Audience groups as (id, path).
    pub groups: Vec<(i64, String)>,
    pub created_at: time::OffsetDateTime,
    pub age_days: i64,
}

fn days_between(earlier: time::OffsetDateTime, later: time::OffsetDateTime) -> f64 {
    (later - earlier).as_seconds_f64() / 86_400.0
}

/// A need's line on the board: its demand from the vote ages (in days) and audience size.
pub(crate) fn need_summary(
    tree: &GroupTree,
    n: NeedRow,
    groups: Vec<i64>,
    audience: u64,
    vote_ages: &[f64],
    now: time::OffsetDateTime,
) -> NeedSummary {
    let urgency = Urgency::parse(&n.urgency).unwrap_or(Urgency::Normal);
    NeedSummary {
        id: n.id,
        title: n.title,
        topic: n.topic,
        status: n.status,
        urgency,
        votes: vote_ages.len() as u64,
        demand: demand_score(urgency, audience, vote_ages),
        audience,
        groups: groups
            .iter()
            .map(|g| (*g, tree.path(GroupId(*g))))
            .collect(),
        created_at: n.created_at,
        age_days: days_between(n.created_at, now).floor() as i64,
    }
}

impl App {
    /// Load a need the caller may `action`; one they may not see is "not found".
    pub async fn need_for(
        &self,
        caller: &Caller,
        need_id: i64,
        action: Action,
    ) -> AppResult<NeedContext> {
        let need = self
            .store
            .need(need_id)
            .await?
            .ok_or(AppError::NotFound("That need"))?;
        let tree = self.group_tree().await?;
        self.need_in(&tree, caller, need, action).await
    }

    /// As [`App::need_for`], with the group tree the caller already loaded.
    pub(crate) async fn need_in(
        &self,
        tree: &GroupTree,
        caller: &Caller,
        need: NeedRow,
        action: Action,
    ) -> AppResult<NeedContext> {
        let ctx = self.need_context(tree, need).await?;
        if !ctx.can(caller, Action::ViewNeed) {
            return Err(AppError::NotFound("That need"));
        }
        if action != Action::ViewNeed {
            caller.require(action, ctx.resource())?;
        }
        Ok(ctx)
    }

    async fn need_context(&self, tree: &GroupTree, need: NeedRow) -> AppResult<NeedContext> {
        self.need_contexts(tree, vec![need])
            .await?
            .pop()
            .ok_or(AppError::NotFound("That need"))
    }

    /// Contexts of many needs, their audiences read in one query.
    pub(crate) async fn need_contexts(
        &self,
        tree: &GroupTree,
        needs: Vec<NeedRow>,
    ) -> AppResult<Vec<NeedContext>> {
        let ids: Vec<i64> = needs.iter().map(|n| n.id).collect();
        let mut audiences = self.store.need_audiences(&ids).await?;
        audiences.sort_unstable();
        Ok(needs
            .into_iter()
            .map(|need| {
                let start = audiences.partition_point(|(n, _)| *n < need.id);
                let groups: Vec<i64> = audiences[start..]
                    .iter()
                    .take_while(|(n, _)| *n == need.id)
                    .map(|(_, g)| *g)
                    .collect();
                NeedContext {
                    audience_lineages: groups.iter().map(|g| tree.lineage(GroupId(*g))).collect(),
                    audiences: groups,
                    need,
                }
            })
            .collect())
    }

    /// The size of each distinct audience among needs' audience groups (need id → groups), in
    /// one statement: everyone in the groups and the groups below them, counted once.
    pub(crate) async fn audience_sizes_of(
        &self,
        audiences: &HashMap<i64, Vec<i64>>,
    ) -> AppResult<HashMap<Vec<i64>, u64>> {
        let mut distinct: Vec<Vec<i64>> = audiences
            .values()
            .map(|g| {
                let mut g = g.clone();
                g.sort_unstable();
                g
            })
            .collect();
        distinct.sort();
        distinct.dedup();
        self.cached_audience_sizes(distinct).await
    }

    /// Summaries of needs with their demand, from rows already loaded.
    pub(crate) async fn summarise_needs(
        &self,
        tree: &GroupTree,
        needs: Vec<NeedRow>,
    ) -> AppResult<Vec<NeedSummary>> {
        let ids: Vec<i64> = needs.iter().map(|n| n.id).collect();
        let mut groups_of: HashMap<i64, Vec<i64>> = HashMap::new();
        for (need, group) in self.store.need_audiences(&ids).await? {
            groups_of.entry(need).or_default().push(group);
        }
        let now = self.now();
        let mut ages_of: HashMap<i64, Vec<f64>> = HashMap::new();
        for v in self.store.need_votes(Some(&ids)).await? {
            ages_of
                .entry(v.need_id)
                .or_default()
                .push(days_between(v.created_at, now));
        }
        // Needs addressed to the same groups share one head count.
        let sizes = self.audience_sizes_of(&groups_of).await?;
        let mut out = Vec::with_capacity(needs.len());
        for n in needs {
            let groups = groups_of.remove(&n.id).unwrap_or_default();
            let audience = sizes.get(&groups).copied().unwrap_or(0);
            let ages = ages_of.remove(&n.id).unwrap_or_default();
            out.push(need_summary(tree, n, groups, audience, &ages, now));
        }
        Ok(out)
    }

    /// Append a need action to the event log (and so to the outbox), in the caller's unit of
    /// work.
    pub(crate) async fn need_event(
        &self,
        actor: i64,
        need_id: i64,
        action: NeedAction,
    ) -> AppResult<()> {
        self.store
            .append_event(
                NewEvent {
                    user_id: actor,
                    verb: action.verb,
                    need_id: Some(need_id),
                    course_id: action.course_id,
                    data: action.data.map(|d| d.to_string()),
                    ..NewEvent::default()
                },
                self.now(),
            )
            .await?;
        Ok(())
    }

    /// Record a change (the need's history in `need_events`, and the event log when someone
    /// made it) and tell everyone following the need (never the one who made it).
    pub(crate) async fn need_changed(
        &self,
        actor: Option<&Caller>,
        need: &NeedRow,
        kind: &str,
        detail: &str,
        action: NeedAction,
    ) -> AppResult<()> {
        let actor_id = actor.map(|c| c.id.0);
        self.store
            .insert_need_event(need.id, actor_id, kind, detail, self.now())
            .await?;
        // Every change has a person behind it today; one made by Lore itself would have no
        // "who" for the event log and stays in the need's history only.
        if let Some(actor_id) = actor_id {
            self.need_event(actor_id, need.id, action).await?;
        }
        for user_id in self.store.need_followers(need.id).await? {
            self.notify(Notice {
                user_id,
                kind: NotificationKind::NeedUpdate,
                title: format!("“{}”: {detail}", need.title),
                body: detail.to_owned(),
                link: format!("/needs/{}", need.id),
                actor_id,
            })
            .await?;
        }
        Ok(())
    }
}
