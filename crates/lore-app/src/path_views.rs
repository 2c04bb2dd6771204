//! Paths as people see them: a path with the viewer's progress on each item and what to do
//! next, the coach's draft, and the versions with their change lists in words.

use lore_domain::path::{self, ItemRef, PathChange, PathItem, PathOrder};
use lore_domain::policy::Action;
use lore_store::DRAFT;

use crate::path_progress::{CourseProgress, PathTree};
use crate::paths::{ItemView, PathContext, PathVersionView, PathView, href};
use crate::{App, AppResult, Caller};

impl App {
    /// A path as the caller sees it: the newest version's items with their progress on
    /// each and what to do next (a coach of a path never published sees the draft).
    pub async fn path_view(&self, caller: &Caller, id: i64) -> AppResult<PathView> {
        let ctx = self.path_for(caller, id, Action::ViewPath).await?;
        let tree = self.path_tree(id).await?;
        let progress = self.course_progress(caller.id.0, &tree.courses()).await?;
        let (items, version) = match ctx.path.latest_version {
            Some(n) => (tree.items(id).to_vec(), Some(n)),
            None => (self.store.path_items(id, DRAFT).await?, None),
        };
        let order = tree.paths.get(&id).map_or(ctx.path.order, |(o, _)| *o);
        let items = self.item_views(&tree, &items, order, &progress).await?;
        Ok(PathView {
            can_coach: ctx.can(caller, Action::CoachPath),
            complete: tree.complete(&progress),
            percent: tree.percent(&progress),
            ctx,
            version,
            order,
            items,
        })
    }

    /// The draft's items, for the edit page.
    pub async fn path_draft(
        &self,
        caller: &Caller,
        id: i64,
    ) -> AppResult<(PathContext, Vec<ItemView>)> {
        let ctx = self.path_for(caller, id, Action::CoachPath).await?;
        let items = self.store.path_items(id, DRAFT).await?;
        let views = self
            .item_views(
                &PathTree::default(),
                &items,
                ctx.path.order,
                &CourseProgress::default(),
            )
            .await?;
        Ok((ctx, views))
    }

    async fn item_views(
        &self,
        tree: &PathTree,
        items: &[PathItem],
        order: PathOrder,
        progress: &CourseProgress,
    ) -> AppResult<Vec<ItemView>> {
        let refs: Vec<ItemRef> = items.iter().map(|i| i.item).collect();
        let titles = self.item_titles(&refs).await?;
        let title = |r: &ItemRef| titles.get(r).cloned().unwrap_or_else(|| r.key());
        let done = |r: ItemRef| tree.item_done(r, progress);
        let open = path::unlocked(order, items, &done);
        let next = path::next_item(order, items, &done);
        Ok(items
            .iter()
            .enumerate()
            .map(|(n, i)| ItemView {
                title: title(&i.item),
                href: href(i.item),
                after_titles: i.after.iter().map(title).collect(),
                done: done(i.item),
                started: tree.item_started(i.item, progress),
                unlocked: open[n],
                next: next == Some(n),
                item: i.clone(),
            })
            .collect())
    }

    /// Every published version of a path with its change list in words, newest first.
    pub async fn path_versions(
        &self,
        caller: &Caller,
        id: i64,
    ) -> AppResult<(PathContext, Vec<PathVersionView>)> {
        let ctx = self.path_for(caller, id, Action::ViewPath).await?;
        let versions = self.store.path_versions(id).await?;
        let refs: Vec<ItemRef> = versions
            .iter()
            .flat_map(|v| v.changes.iter().map(|c| c.item))
            .collect();
        let titles = self.item_titles(&refs).await?;
        let words = |c: &PathChange| {
            let t = titles.get(&c.item).cloned().unwrap_or_else(|| c.item.key());
            format!("{} {t}", c.kind.words())
        };
        let views = versions
            .iter()
            .map(|v| PathVersionView {
                number: v.number,
                published_at: v.published_at,
                changes: if v.number == 1 {
                    vec!["first version".to_owned()]
                } else {
                    v.changes.iter().map(words).collect()
                },
            })
            .collect();
        Ok((ctx, views))
    }
}
