//! The needs board (by group and topic; sorted by demand, age or status, with "time from
//! need to first course" per group) and the page of one need.

use lore_domain::ids::GroupId;
use lore_domain::need::{ExpertState, NeedStatus, median_days};
use lore_domain::policy::Action;

use std::collections::HashMap;

use super::{NeedSummary, days_between, need_summary};
use crate::{App, AppResult, Caller};

/// How the board is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BoardSort {
    #[default]
    Demand,
    /// Newest first.
    Newest,
    /// Oldest first: the needs waiting longest.
    Oldest,
    Status,
}

impl BoardSort {
    pub const ALL: [BoardSort; 4] = [
        BoardSort::Demand,
        BoardSort::Newest,
        BoardSort::Oldest,
        BoardSort::Status,
    ];

    pub fn parse(raw: &str) -> Self {
        match raw {
            "newest" => BoardSort::Newest,
            "oldest" | "age" => BoardSort::Oldest,
            "status" => BoardSort::Status,
            _ => BoardSort::Demand,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BoardSort::Demand => "demand",
            BoardSort::Newest => "newest",
            BoardSort::Oldest => "oldest",
            BoardSort::Status => "status",
        }
    }
}

/// What the board shows.
#[derive(Debug, Clone)]
pub struct BoardQuery {
    /// Needs addressed to this group or a group below it.
    pub group: Option<i64>,
    pub topic: Option<String>,
    /// `None` shows the live ones (open, exploring, in progress).
    pub status: Option<NeedStatus>,
    /// Show every status, merged ones excepted.
    pub all: bool,
    pub sort: BoardSort,
    /// From 1.
    pub page: u64,
    pub per_page: u64,
    /// Work out each group's time from need to first course (the board shows it; home's few
    /// top needs do not).
    pub lead_times: bool,
}

impl Default for BoardQuery {
    fn default() -> Self {
        BoardQuery {
            group: None,
            topic: None,
            status: None,
            all: false,
            sort: BoardSort::Demand,
            page: 1,
            per_page: NEEDS_PAGE_SIZE,
            lead_times: true,
        }
    }
}

/// Needs on one page of the board.
pub const NEEDS_PAGE_SIZE: u64 = 25;

/// How fast a group's needs get a first course.
#[derive(Debug, Clone)]
pub struct GroupLeadTime {
    pub group_id: i64,
    pub group: String,
    /// Needs of the group with a published course.
    pub answered: u64,
    /// Needs of the group in all.
    pub needs: u64,
    pub median_days: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Board {
    /// This page's needs.
    pub needs: Vec<NeedSummary>,
    /// Needs on all pages.
    pub total: u64,
    /// From 1.
    pub page: u64,
    pub per_page: u64,
    /// Topics of the needs the caller may see, for the filter.
    pub topics: Vec<String>,
    /// Groups the visible needs are addressed to, as (id, path), for the filter.
    pub groups: Vec<(i64, String)>,
    pub lead_times: Vec<GroupLeadTime>,
}

/// One line of a need's record.
#[derive(Debug, Clone)]
pub struct NeedEventLine {
    pub at: time::OffsetDateTime,
    pub actor: Option<String>,
    pub kind: String,
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct ExpertLine {
    pub user_id: i64,
    pub name: String,
    /// `volunteer` or `assigned`.
    pub state: ExpertState,
    pub course_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct LinkedCourse {
    pub course_id: i64,
    pub title: String,
    pub published: bool,
    /// The caller may edit the course (so a draft's editor link opens for them).
    pub can_edit: bool,
}

/// Everything the page of one need shows.
#[derive(Debug, Clone)]
pub struct NeedView {
    pub summary: NeedSummary,
    pub problem: String,
    pub questions: Vec<String>,
    pub asked_by: String,
    pub asked_by_id: i64,
    pub decline_reason: Option<String>,
    pub merged_into: Option<(i64, String)>,
    pub followers: u64,
    pub i_voted: bool,
    pub i_follow: bool,
    pub i_am_expert: bool,
    pub can_vote: bool,
    pub can_manage: bool,
    pub can_edit: bool,
    pub next_statuses: Vec<NeedStatus>,
    pub events: Vec<NeedEventLine>,
    pub experts: Vec<ExpertLine>,
    pub courses: Vec<LinkedCourse>,
}

impl Board {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page).max(1)
    }
}

impl App {
    /// One page of the needs the caller may see, filtered and sorted.
    ///
    /// Who may see what is decided in SQL (the caller's scope); the visible needs then come
    /// with their audiences, votes and audience sizes in one statement each, so the board
    /// costs the same few statements however many needs exist. Demand decays with the age of
    /// each vote, so it is computed (and sorted on) here over those rows rather than stored;
    /// the filters' options and the lead times need every visible need anyway.
    pub async fn needs_board(&self, caller: &Caller, q: &BoardQuery) -> AppResult<Board> {
        let scope = caller.scope();
        let tree = self.group_tree().await?;
        let rows = self.store.visible_needs(&scope).await?;
        let mut audiences: HashMap<i64, Vec<i64>> = HashMap::new();
        for (need, group) in self.store.visible_need_audiences(&scope).await? {
            audiences.entry(need).or_default().push(group);
        }
        let now = self.now();
        let mut ages: HashMap<i64, Vec<f64>> = HashMap::new();
        for v in self.store.visible_need_votes(&scope).await? {
            ages.entry(v.need_id)
                .or_default()
                .push(days_between(v.created_at, now));
        }
        let sizes = self.audience_sizes_of(&audiences).await?;
        let visible: Vec<NeedSummary> = rows
            .into_iter()
            .map(|n| {
                let id = n.id;
                need_summary(
                    &tree,
                    n,
                    audiences.get(&id).cloned().unwrap_or_default(),
                    audiences
                        .get(&id)
                        .and_then(|g| sizes.get(g))
                        .copied()
                        .unwrap_or(0),
                    &ages.remove(&id).unwrap_or_default(),
                    now,
                )
            })
            .collect();
        let mut topics: Vec<String> = visible
            .iter()
            .map(|n| n.topic.clone())
            .filter(|t| !t.is_empty())
            .collect();
        topics.sort_by_key(|t| t.to_lowercase());
        topics.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        let mut groups: Vec<(i64, String)> = visible
            .iter()
            .flat_map(|n| n.groups.iter().cloned())
            .collect();
        groups.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        groups.dedup();

        // Time from need to first course, per audience group, over every visible need.
        let first: HashMap<i64, time::OffsetDateTime> = if q.lead_times {
            self.store.first_course_times().await?.into_iter().collect()
        } else {
            HashMap::new()
        };
        let lead_times = groups
            .iter()
            .filter(|_| q.lead_times)
            .map(|(gid, path)| {
                let of_group: Vec<&NeedSummary> = visible
                    .iter()
                    .filter(|n| n.groups.iter().any(|(g, _)| g == gid))
                    .collect();
                let days: Vec<f64> = of_group
                    .iter()
                    .filter_map(|n| {
                        first
                            .get(&n.id)
                            .map(|at| days_between(n.created_at, *at).max(0.0))
                    })
                    .collect();
                GroupLeadTime {
                    group_id: *gid,
                    group: path.clone(),
                    answered: days.len() as u64,
                    needs: of_group.len() as u64,
                    median_days: median_days(days),
                }
            })
            .collect();

        let mut needs: Vec<NeedSummary> = visible
            .into_iter()
            .filter(|n| {
                q.group.is_none_or(|g| {
                    n.groups
                        .iter()
                        .any(|(a, _)| tree.is_within(GroupId(*a), GroupId(g)))
                })
            })
            .filter(|n| {
                q.topic
                    .as_deref()
                    .is_none_or(|t| t.is_empty() || n.topic.eq_ignore_ascii_case(t))
            })
            .filter(|n| match q.status {
                Some(s) => n.status == s,
                None => q.all || n.status.takes_votes(),
            })
            .collect();
        match q.sort {
            BoardSort::Demand => {
                needs.sort_by(|a, b| b.demand.cmp(&a.demand).then(b.id.cmp(&a.id)))
            }
            BoardSort::Newest => {
                needs.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)))
            }
            BoardSort::Oldest => {
                needs.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)))
            }
            BoardSort::Status => needs.sort_by(|a, b| {
                a.status
                    .rank()
                    .cmp(&b.status.rank())
                    .then(b.demand.cmp(&a.demand))
                    .then(b.id.cmp(&a.id))
            }),
        }
        let per_page = q.per_page.clamp(1, 200);
        let page = q.page.max(1);
        let total = needs.len() as u64;
        let start = (page - 1).saturating_mul(per_page).min(total) as usize;
        let needs = needs
            .into_iter()
            .skip(start)
            .take(per_page as usize)
            .collect();
        Ok(Board {
            needs,
            total,
            page,
            per_page,
            topics,
            groups,
            lead_times,
        })
    }

    /// One need, as its page shows it to the caller.
    pub async fn need_view(&self, caller: &Caller, need_id: i64) -> AppResult<NeedView> {
        let need = self
            .store
            .need(need_id)
            .await?
            .ok_or(crate::AppError::NotFound("That need"))?;
        let tree = self.group_tree().await?;
        let ctx = self.need_in(&tree, caller, need, Action::ViewNeed).await?;
        let status = ctx.status();
        let can_manage = ctx.can(caller, Action::ManageNeed);
        let votes = self.store.need_votes(Some(&[need_id])).await?;
        let followers = self.store.need_followers(need_id).await?;
        let mut events = Vec::new();
        for e in self.store.need_events(need_id).await? {
            let actor = match e.actor_id {
                Some(id) => Some(self.name_of(id).await?),
                None => None,
            };
            events.push(NeedEventLine {
                at: e.created_at,
                actor,
                kind: e.kind,
                detail: e.detail,
            });
        }
        let mut experts = Vec::new();
        for e in self.store.need_experts(need_id).await? {
            experts.push(ExpertLine {
                user_id: e.user_id,
                name: self.name_of(e.user_id).await?,
                state: e.state,
                course_id: e.course_id,
            });
        }
        let mut courses = Vec::new();
        for link in self.store.need_courses(Some(&[need_id])).await? {
            // Only courses the caller may see are listed.
            let Ok(course) = self
                .course_for(caller, link.course_id, Action::ViewCourse)
                .await
            else {
                continue;
            };
            let published = self.latest_version(&course).await?;
            let title = match &published {
                Some(v) => v.title.clone(),
                None => self
                    .store
                    .versions_of(link.course_id)
                    .await?
                    .last()
                    .map(|v| v.title.clone())
                    .unwrap_or_default(),
            };
            courses.push(LinkedCourse {
                course_id: link.course_id,
                title,
                published: published.is_some(),
                can_edit: course.can(caller, Action::EditCourse),
            });
        }
        let merged_into = match ctx.need.merged_into {
            Some(id) => Some((
                id,
                self.store
                    .need(id)
                    .await?
                    .map(|n| n.title)
                    .unwrap_or_default(),
            )),
            None => None,
        };
        let summary = self
            .summarise_needs(&tree, vec![ctx.need.clone()])
            .await?
            .pop()
            .ok_or(crate::AppError::NotFound("That need"))?;
        Ok(NeedView {
            problem: ctx.need.problem.clone(),
            questions: ctx.questions(),
            asked_by: self.name_of(ctx.need.created_by).await?,
            asked_by_id: ctx.need.created_by,
            decline_reason: ctx.need.decline_reason.clone(),
            merged_into,
            followers: followers.len() as u64,
            i_voted: votes.iter().any(|v| v.user_id == caller.id.0),
            i_follow: followers.contains(&caller.id.0),
            i_am_expert: experts.iter().any(|e| e.user_id == caller.id.0),
            can_vote: status.takes_votes(),
            can_manage,
            can_edit: status.takes_votes() && (can_manage || ctx.need.created_by == caller.id.0),
            next_statuses: if can_manage {
                status.next()
            } else {
                Vec::new()
            },
            events,
            experts,
            courses,
            summary,
        })
    }
}
