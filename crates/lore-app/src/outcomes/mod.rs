//! Business outcomes: a coach defines a metric for a group (`lore_domain::outcome`), imports
//! its values per person and period (`import`), links courses and paths to it (`links`), and
//! reads the report comparing people who completed them with those who did not (`report`).
//! Coaches and administrators of the group or a group above manage them
//! (`Action::ManageOutcomes`) and read them (`Action::ViewInsights`).

mod import;
mod links;
mod report;

pub use import::{EntryValue, ImportSummary, MAX_IMPORT_BYTES, ValueEntry, ValuesInput};
pub use links::LinkView;
pub use report::OutcomeReportView;

use lore_domain::audit::AuditAction;
use lore_domain::group::GroupTree;
use lore_domain::ids::GroupId;
use lore_domain::outcome::{MetricDraft, PeriodKind};
use lore_domain::policy::{Action, Resource};
use lore_store::{OutcomeMetricRow, ValueCounts};

use crate::{App, AppError, AppResult, Caller};

/// A metric as pages and the API show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MetricView {
    pub id: i64,
    pub group_id: i64,
    /// The group's path, `Acme/Sales`.
    pub group: String,
    pub name: String,
    pub unit: String,
    pub description: String,
    pub period_kind: PeriodKind,
    pub higher_is_better: bool,
    pub min_group_size: u32,
    /// People with at least one value, and values stored (anyone's, before the group filter).
    pub people: u64,
    pub values: u64,
    /// The caller may import values and change links.
    pub can_manage: bool,
}

impl MetricView {
    fn of(row: OutcomeMetricRow, tree: &GroupTree, counts: ValueCounts, can_manage: bool) -> Self {
        Self {
            id: row.id,
            group_id: row.group_id,
            group: tree.path(GroupId(row.group_id)),
            name: row.name,
            unit: row.unit,
            description: row.description,
            period_kind: row.period_kind,
            higher_is_better: row.higher_is_better,
            min_group_size: row.min_group_size,
            people: counts.people,
            values: counts.values,
            can_manage,
        }
    }
}

/// A metric the caller may act on, with the group tree read once.
pub(crate) struct MetricContext {
    pub row: OutcomeMetricRow,
    pub tree: GroupTree,
}

impl MetricContext {
    /// The metric's group and every group below it.
    pub fn groups_within(&self) -> Vec<i64> {
        let top = GroupId(self.row.group_id);
        self.tree
            .walk()
            .into_iter()
            .filter(|(_, n)| self.tree.is_within(n.id, top))
            .map(|(_, n)| n.id.0)
            .collect()
    }

    pub fn group_path(&self) -> String {
        self.tree.path(GroupId(self.row.group_id))
    }

    /// "Deals closed per month (#3)", for the audit log.
    pub fn target(&self) -> String {
        format!(
            "{} (#{}) in {}",
            self.row.name,
            self.row.id,
            self.group_path()
        )
    }
}

impl App {
    /// The groups where the caller may define outcome metrics, by path.
    pub async fn outcome_groups(&self, caller: &Caller) -> AppResult<Vec<(i64, String)>> {
        let tree = self.group_tree().await?;
        Ok(tree
            .walk()
            .into_iter()
            .filter(|(_, g)| {
                let lineage = tree.lineage(g.id);
                caller.can(
                    Action::ManageOutcomes,
                    Resource::Group { lineage: &lineage },
                )
            })
            .map(|(_, g)| (g.id.0, tree.path(g.id)))
            .collect())
    }

    /// The metrics of every group whose insights the caller may see, by name.
    pub async fn outcome_metrics(&self, caller: &Caller) -> AppResult<Vec<MetricView>> {
        let tree = self.group_tree().await?;
        let groups: Vec<i64> = tree
            .walk()
            .into_iter()
            .filter(|(_, g)| {
                let lineage = tree.lineage(g.id);
                caller.can(Action::ViewInsights, Resource::Group { lineage: &lineage })
            })
            .map(|(_, g)| g.id.0)
            .collect();
        let rows = self.store.outcome_metrics_in(&groups).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let counts = self.store.outcome_value_counts(&ids).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let lineage = tree.lineage(GroupId(row.group_id));
                let manage = caller.can(
                    Action::ManageOutcomes,
                    Resource::Group { lineage: &lineage },
                );
                let c = counts.get(&row.id).copied().unwrap_or_default();
                MetricView::of(row, &tree, c, manage)
            })
            .collect())
    }

    /// One metric, if the caller may see its group's insights.
    pub async fn outcome_metric(&self, caller: &Caller, id: i64) -> AppResult<MetricView> {
        let ctx = self.metric_for(caller, id, Action::ViewInsights).await?;
        self.metric_view(caller, &ctx).await
    }

    async fn metric_view(&self, caller: &Caller, ctx: &MetricContext) -> AppResult<MetricView> {
        let counts = self
            .store
            .outcome_value_counts(&[ctx.row.id])
            .await?
            .remove(&ctx.row.id)
            .unwrap_or_default();
        let lineage = ctx.tree.lineage(GroupId(ctx.row.group_id));
        let manage = caller.can(
            Action::ManageOutcomes,
            Resource::Group { lineage: &lineage },
        );
        Ok(MetricView::of(ctx.row.clone(), &ctx.tree, counts, manage))
    }

    /// A coach defines an outcome metric for a group they coach (audited).
    pub async fn create_outcome_metric(
        &self,
        caller: &Caller,
        group_id: i64,
        draft: MetricDraft,
    ) -> AppResult<MetricView> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let tree = app.group_tree().await?;
            if tree.get(GroupId(group_id)).is_none() {
                return Err(AppError::NotFound("That group"));
            }
            let lineage = tree.lineage(GroupId(group_id));
            caller.require(
                Action::ManageOutcomes,
                Resource::Group { lineage: &lineage },
            )?;
            let row = app
                .store
                .insert_outcome_metric(group_id, &draft, caller.id.0, app.now())
                .await?;
            let ctx = MetricContext { row, tree };
            app.audit(
                Some(caller),
                AuditAction::OutcomeMetricCreated,
                ctx.target(),
                format!(
                    "unit {}, per {}, {} is better, figures hidden below {} people a side",
                    ctx.row.unit,
                    ctx.row.period_kind,
                    if ctx.row.higher_is_better {
                        "higher"
                    } else {
                        "lower"
                    },
                    ctx.row.min_group_size
                ),
            )
            .await?;
            app.metric_view(caller, &ctx).await
        })
        .await
    }

    /// A metric, if the caller may do `action` on its group (`Forbidden` otherwise).
    pub(crate) async fn metric_for(
        &self,
        caller: &Caller,
        id: i64,
        action: Action,
    ) -> AppResult<MetricContext> {
        let row = self
            .store
            .outcome_metric(id)
            .await?
            .ok_or(AppError::NotFound("That outcome metric"))?;
        let tree = self.group_tree().await?;
        let lineage = tree.lineage(GroupId(row.group_id));
        caller.require(action, Resource::Group { lineage: &lineage })?;
        Ok(MetricContext { row, tree })
    }
}
