//! Where a person stands on a path, derived from their course enrolments: a path's items
//! (its newest published version, nested paths included) and which courses are started and
//! done. Nothing is stored per path, so progress survives new versions of the path.

use std::collections::{HashMap, HashSet};

use lore_domain::path::{self, ItemKind, ItemRef, PathItem, PathOrder};
use lore_store::EnrolmentRow;

use crate::{App, AppResult};

/// How deep nested paths are followed (paths never contain themselves; this only bounds work).
const MAX_DEPTH: usize = 8;

/// A path and every path below it, as their newest published versions have them.
#[derive(Debug, Clone, Default)]
pub struct PathTree {
    pub root: i64,
    pub paths: HashMap<i64, (PathOrder, Vec<PathItem>)>,
}

/// Which courses a person started and completed.
#[derive(Debug, Clone, Default)]
pub struct CourseProgress {
    pub started: HashSet<i64>,
    pub done: HashSet<i64>,
}

impl CourseProgress {
    pub fn of(enrolments: &[EnrolmentRow]) -> Self {
        let mut p = Self::default();
        for e in enrolments {
            if e.started_at.is_some() || e.completed_at.is_some() {
                p.started.insert(e.course_id);
            }
            if e.completed_at.is_some() {
                p.done.insert(e.course_id);
            }
        }
        p
    }
}

impl PathTree {
    /// The items of a path in the tree (empty when it has no published version).
    pub fn items(&self, path_id: i64) -> &[PathItem] {
        self.paths.get(&path_id).map_or(&[], |(_, i)| i.as_slice())
    }

    pub fn order(&self, path_id: i64) -> PathOrder {
        self.paths
            .get(&path_id)
            .map_or(PathOrder::Linear, |(o, _)| *o)
    }

    /// Every course anywhere in the tree.
    pub fn courses(&self) -> Vec<i64> {
        let mut out: Vec<i64> = self
            .paths
            .values()
            .flat_map(|(_, items)| items.iter())
            .filter(|i| i.item.kind == ItemKind::Course)
            .map(|i| i.item.id)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    fn done_at(&self, item: ItemRef, p: &CourseProgress, depth: usize) -> bool {
        match item.kind {
            ItemKind::Course => p.done.contains(&item.id),
            ItemKind::Path => {
                depth < MAX_DEPTH
                    && path::is_complete(self.items(item.id), &|i| self.done_at(i, p, depth + 1))
            }
        }
    }

    /// Is this item (a course, or a nested path as a whole) done?
    pub fn item_done(&self, item: ItemRef, p: &CourseProgress) -> bool {
        self.done_at(item, p, 0)
    }

    /// Is any course of this item started?
    pub fn item_started(&self, item: ItemRef, p: &CourseProgress) -> bool {
        self.started_at(item, p, 0)
    }

    fn started_at(&self, item: ItemRef, p: &CourseProgress, depth: usize) -> bool {
        match item.kind {
            ItemKind::Course => p.started.contains(&item.id),
            ItemKind::Path => {
                depth < MAX_DEPTH
                    && self
                        .items(item.id)
                        .iter()
                        .any(|i| self.started_at(i.item, p, depth + 1))
            }
        }
    }

    /// The path at the root is complete.
    pub fn complete(&self, p: &CourseProgress) -> bool {
        self.item_done(ItemRef::path(self.root), p)
    }

    /// The path at the root is started.
    pub fn started(&self, p: &CourseProgress) -> bool {
        self.item_started(ItemRef::path(self.root), p)
    }

    /// Which items of a path are unlocked for the person.
    pub fn unlocked(&self, path_id: i64, p: &CourseProgress) -> Vec<bool> {
        path::unlocked(self.order(path_id), self.items(path_id), &|i| {
            self.item_done(i, p)
        })
    }

    /// The mandatory courses unlocked and not done, nested paths followed: what an
    /// assignment of the path enrols the person in now.
    pub fn courses_to_take(&self, p: &CourseProgress) -> Vec<i64> {
        let mut out = Vec::new();
        self.collect_open(self.root, p, 0, &mut out);
        out.dedup();
        out
    }

    fn collect_open(&self, path_id: i64, p: &CourseProgress, depth: usize, out: &mut Vec<i64>) {
        if depth >= MAX_DEPTH {
            return;
        }
        let open = self.unlocked(path_id, p);
        for (n, i) in self.items(path_id).iter().enumerate() {
            if !open[n] || !i.mandatory || self.item_done(i.item, p) {
                continue;
            }
            match i.item.kind {
                ItemKind::Course => out.push(i.item.id),
                ItemKind::Path => self.collect_open(i.item.id, p, depth + 1, out),
            }
        }
    }

    /// How far along: mandatory items of the root done, in percent.
    pub fn percent(&self, p: &CourseProgress) -> u32 {
        let items = self.items(self.root);
        let mandatory: Vec<&PathItem> = items.iter().filter(|i| i.mandatory).collect();
        if mandatory.is_empty() {
            return if self.complete(p) { 100 } else { 0 };
        }
        let done = mandatory
            .iter()
            .filter(|i| self.item_done(i.item, p))
            .count();
        (done * 100 / mandatory.len()) as u32
    }
}

impl App {
    /// A path with every path below it, as published (a path never published has no items).
    pub async fn path_tree(&self, root: i64) -> AppResult<PathTree> {
        let mut tree = PathTree {
            root,
            paths: HashMap::new(),
        };
        let mut todo = vec![(root, 0usize)];
        while let Some((id, depth)) = todo.pop() {
            if tree.paths.contains_key(&id) || depth > MAX_DEPTH {
                continue;
            }
            let Some(row) = self.store.path(id).await? else {
                continue;
            };
            let items = match row.latest_version {
                Some(n) => self.store.path_items(id, n).await?,
                None => Vec::new(),
            };
            let order = match row.latest_version {
                Some(n) => self
                    .store
                    .path_versions(id)
                    .await?
                    .into_iter()
                    .find(|v| v.number == n)
                    .map_or(row.order, |v| v.order),
                None => row.order,
            };
            for i in items.iter().filter(|i| i.item.kind == ItemKind::Path) {
                todo.push((i.item.id, depth + 1));
            }
            tree.paths.insert(id, (order, items));
        }
        Ok(tree)
    }

    /// A person's progress on the courses of a tree.
    pub async fn course_progress(
        &self,
        user_id: i64,
        courses: &[i64],
    ) -> AppResult<CourseProgress> {
        let enrolments = self.store.enrolments_for(&[user_id], courses).await?;
        Ok(CourseProgress::of(&enrolments))
    }
}
