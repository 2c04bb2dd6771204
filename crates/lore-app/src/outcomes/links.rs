//! The courses and paths linked to an outcome metric: the report counts a person as having
//! completed when they completed any of them. A coach links what they may coach
//! (`CoachCourse`, `CoachPath`), to a metric of a group they coach.

use lore_domain::audit::AuditAction;
use lore_domain::path::{ItemKind, ItemRef};
use lore_domain::policy::Action;

use super::MetricContext;
use crate::{App, AppError, AppResult, Caller};

/// A linked course or path with its title.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LinkView {
    pub target: ItemRef,
    pub title: String,
}

impl LinkView {
    /// `course:12`, as forms and the API name it.
    pub fn key(&self) -> String {
        format!("{}:{}", self.target.kind, self.target.id)
    }
}

impl App {
    /// Link a course or path to a metric (audited). Linking one twice is refused.
    pub async fn link_outcome(
        &self,
        caller: &Caller,
        metric_id: i64,
        target: ItemRef,
    ) -> AppResult<Vec<LinkView>> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app
                .metric_for(caller, metric_id, Action::ManageOutcomes)
                .await?;
            app.require_coach_of_item(caller, target).await?;
            match app
                .store
                .insert_outcome_link(metric_id, target, caller.id.0, app.now())
                .await
            {
                Ok(()) => {}
                Err(lore_store::StoreError::Conflict) => {
                    // What exists already: a conflict (decision 0037).
                    return Err(AppError::refused(
                        "already_linked",
                        format!("That {} is linked already.", target.kind),
                    ));
                }
                Err(e) => return Err(e.into()),
            }
            app.audit_link(caller, &ctx, target, "linked").await?;
            app.outcome_links(&ctx).await
        })
        .await
    }

    /// Unlink a course or path (audited); unlinking one that is not linked is `NotFound`.
    pub async fn unlink_outcome(
        &self,
        caller: &Caller,
        metric_id: i64,
        target: ItemRef,
    ) -> AppResult<Vec<LinkView>> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app
                .metric_for(caller, metric_id, Action::ManageOutcomes)
                .await?;
            if app.store.delete_outcome_link(metric_id, target).await? == 0 {
                return Err(AppError::NotFound("That link"));
            }
            app.audit_link(caller, &ctx, target, "unlinked").await?;
            app.outcome_links(&ctx).await
        })
        .await
    }

    async fn require_coach_of_item(&self, caller: &Caller, target: ItemRef) -> AppResult<()> {
        match target.kind {
            ItemKind::Course => {
                self.course_for(caller, target.id, Action::CoachCourse)
                    .await?;
            }
            ItemKind::Path => {
                self.path_for(caller, target.id, Action::CoachPath).await?;
            }
        }
        Ok(())
    }

    async fn audit_link(
        &self,
        caller: &Caller,
        ctx: &MetricContext,
        target: ItemRef,
        what: &str,
    ) -> AppResult<()> {
        let title = self
            .item_titles(&[target])
            .await?
            .remove(&target)
            .unwrap_or_default();
        self.audit(
            Some(caller),
            AuditAction::OutcomeLinksChanged,
            ctx.target(),
            format!("{what} {} {title:?} ({})", target.kind, target.id),
        )
        .await
    }

    /// A metric's links with their titles.
    pub(crate) async fn outcome_links(&self, ctx: &MetricContext) -> AppResult<Vec<LinkView>> {
        let links = self.store.outcome_links(ctx.row.id).await?;
        let refs: Vec<ItemRef> = links.iter().map(|l| l.target).collect();
        let mut titles = self.item_titles(&refs).await?;
        Ok(links
            .into_iter()
            .map(|l| LinkView {
                title: titles.remove(&l.target).unwrap_or_default(),
                target: l.target,
            })
            .collect())
    }

    /// What the caller may link to a metric: the paths they coach and the published courses
    /// of the groups they coach, as (`course:12`, title), courses first, by title.
    pub async fn linkable_items(&self, caller: &Caller) -> AppResult<Vec<(String, String)>> {
        let coached: Vec<i64> = self
            .coached_groups(caller)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let mut courses: Vec<(String, String)> = Vec::new();
        for course in self.store.courses(false).await? {
            if course.latest_version.is_some() && coached.contains(&course.group_id) {
                courses.push((format!("course:{}", course.id), String::new()));
            }
        }
        let refs: Vec<ItemRef> = courses
            .iter()
            .filter_map(|(k, _)| ItemRef::parse(k).ok())
            .collect();
        let titles = self.item_titles(&refs).await?;
        for ((_, title), r) in courses.iter_mut().zip(&refs) {
            *title = titles.get(r).cloned().unwrap_or_default();
        }
        courses.sort_by(|a, b| a.1.cmp(&b.1));
        let mut paths: Vec<(String, String)> = self
            .paths(caller)
            .await?
            .into_iter()
            .filter(|p| p.can_coach && p.latest_version.is_some())
            .map(|p| (format!("path:{}", p.id), format!("Path: {}", p.title)))
            .collect();
        paths.sort_by(|a, b| a.1.cmp(&b.1));
        courses.extend(paths);
        Ok(courses)
    }
}
