//! Insights on a group's learning for its coaches and administrators (`Action::ViewInsights`):
//! knowledge gaps (`gaps.rs`) and experts per topic (`experts.rs`), with their CSV
//! (`csv.rs`). Both read a group and the groups below it, from stored figures only
//! (`course_health`, `course_learning_figures`, the needs board); see docs/decisions/0028.

pub mod csv;
pub mod experts;
pub mod gaps;

use lore_domain::group::GroupTree;
use lore_domain::ids::GroupId;
use lore_domain::knowledge::topics_of;
use lore_domain::policy::{Action, Resource};
use lore_store::InsightCourseRow;

use crate::{App, AppError, AppResult, Caller};

pub use experts::{ExpertCourse, ExpertLine, Experts, ExpertsQuery};
pub use gaps::{ContentLine, Gaps, GapsQuery, StaleLine, TopicCourse, TopicLine};

/// A group as the insight pages and dashboards name it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InsightGroup {
    pub id: i64,
    /// Its path, e.g. `Acme/Engineering`.
    pub path: String,
}

/// A group id as typed (`?group=12`): blank is "not given", anything but a whole number is
/// a clear error on the field `group`.
pub fn parse_group(raw: Option<&str>) -> AppResult<Option<i64>> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text.parse::<i64>().map(Some).map_err(|_| {
            AppError::invalid(
                "group",
                "Give the group as its number, as in the group picker (e.g. group=3).",
            )
        }),
    }
}

/// A topic as typed: trimmed, lower case (as `topics_of` makes them); blank is none.
pub fn parse_topic(raw: Option<&str>) -> Option<String> {
    raw.map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
}

/// The group an insight page is about, the groups the caller may pick, and the tree.
pub(crate) struct InsightScope {
    pub tree: GroupTree,
    pub group: InsightGroup,
    pub groups: Vec<InsightGroup>,
}

impl App {
    /// Groups whose insights the caller may see (where they coach or administer, the groups
    /// below, or every group for a platform administrator), in tree order.
    pub async fn insight_groups(&self, caller: &Caller) -> AppResult<Vec<InsightGroup>> {
        let tree = self.group_tree().await?;
        Ok(Self::insight_groups_in(&tree, caller))
    }

    fn insight_groups_in(tree: &GroupTree, caller: &Caller) -> Vec<InsightGroup> {
        tree.walk()
            .into_iter()
            .filter(|(_, g)| {
                let lineage = tree.lineage(g.id);
                caller.can(Action::ViewInsights, Resource::Group { lineage: &lineage })
            })
            .map(|(_, g)| InsightGroup {
                id: g.id.0,
                path: tree.path(g.id),
            })
            .collect()
    }

    /// The group asked for (or the first the caller may see), checked against the policy: a
    /// group that does not exist is "not found", one they do not coach is forbidden.
    pub(crate) async fn insight_scope(
        &self,
        caller: &Caller,
        group: Option<i64>,
    ) -> AppResult<InsightScope> {
        let tree = self.group_tree().await?;
        let groups = Self::insight_groups_in(&tree, caller);
        let id = match group {
            Some(id) => id,
            None => groups.first().map(|g| g.id).ok_or(AppError::Forbidden)?,
        };
        let lineage = tree.lineage(GroupId(id));
        if lineage.is_empty() {
            return Err(AppError::NotFound("That group"));
        }
        caller.require(Action::ViewInsights, Resource::Group { lineage: &lineage })?;
        Ok(InsightScope {
            group: InsightGroup {
                id,
                path: tree.path(GroupId(id)),
            },
            groups,
            tree,
        })
    }
}

/// The topics of a course row.
pub(crate) fn course_topics(row: &InsightCourseRow) -> Vec<String> {
    topics_of(&row.tags)
}
