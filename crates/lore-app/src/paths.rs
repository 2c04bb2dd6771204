//! Learning paths: coaches create them in a group they coach, edit the draft, publish
//! immutable versions (with a change list); the group's people see the published ones with
//! their own progress and what unlocks next.

use std::collections::{BTreeMap, HashMap};

use lore_domain::course::{CourseTitle, VersionState};
use lore_domain::ids::GroupId;
use lore_domain::path::{self, ItemKind, ItemRef, PathItem, PathOrder};
use lore_domain::policy::{Action, Resource};
use lore_store::{DRAFT, PathFields, PathRow};

use crate::{App, AppError, AppResult, Caller};

/// A path with what the policy needs.
#[derive(Debug, Clone)]
pub struct PathContext {
    pub path: PathRow,
    pub lineage: Vec<GroupId>,
    pub group_path: String,
}

impl PathContext {
    pub fn resource(&self) -> Resource<'_> {
        Resource::Path {
            owning_lineage: &self.lineage,
            published: self.path.latest_version.is_some(),
        }
    }

    pub fn can(&self, caller: &Caller, action: Action) -> bool {
        caller.can(action, self.resource())
    }
}

/// A path's details as a coach types them.
#[derive(Debug, Clone)]
pub struct PathDetails {
    pub title: String,
    pub description: String,
    pub order: PathOrder,
}

/// One change to a path's draft.
#[derive(Debug, Clone)]
pub enum PathEdit {
    Details(PathDetails),
    Add(PathItem),
    Remove(ItemRef),
    SetMandatory(ItemRef, bool),
    /// Make this course the final evaluation (and no other).
    SetFinal(ItemRef, bool),
    MoveUp(ItemRef),
    SetAfter(ItemRef, Vec<ItemRef>),
    /// The whole list at once.
    Replace(Vec<PathItem>),
    /// Details and the whole list at once (the API's draft).
    Whole(PathDetails, Vec<PathItem>),
}

/// An item as pages show it, with where the viewer stands on it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ItemView {
    pub item: PathItem,
    pub title: String,
    /// `/courses/12` or `/paths/3`.
    pub href: String,
    pub after_titles: Vec<String>,
    pub done: bool,
    pub started: bool,
    pub unlocked: bool,
    /// The viewer's next step on the path.
    pub next: bool,
}

/// A path's page.
#[derive(Debug, Clone)]
pub struct PathView {
    pub ctx: PathContext,
    /// The version shown (`None`: the draft, for coaches of a path never published).
    pub version: Option<i32>,
    pub order: PathOrder,
    pub items: Vec<ItemView>,
    pub complete: bool,
    pub percent: u32,
    pub can_coach: bool,
}

/// A line of the path list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PathSummary {
    pub id: i64,
    pub title: String,
    pub group_path: String,
    pub latest_version: Option<i32>,
    pub can_coach: bool,
}

/// A published version and its change list in words.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PathVersionView {
    pub number: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: time::OffsetDateTime,
    pub changes: Vec<String>,
}

pub(crate) fn href(i: ItemRef) -> String {
    match i.kind {
        ItemKind::Course => format!("/courses/{}", i.id),
        ItemKind::Path => format!("/paths/{}", i.id),
    }
}

fn apply(items: &mut Vec<PathItem>, edit: PathEdit) -> AppResult<()> {
    let at = |items: &Vec<PathItem>, r: ItemRef| {
        items
            .iter()
            .position(|i| i.item == r)
            .ok_or(AppError::NotFound("That item"))
    };
    match edit {
        PathEdit::Details(_) => {}
        PathEdit::Whole(_, all) => *items = all,
        PathEdit::Add(item) => items.push(item),
        PathEdit::Remove(r) => {
            let n = at(items, r)?;
            items.remove(n);
            // What came after it no longer waits for it.
            items.iter_mut().for_each(|i| i.after.retain(|a| *a != r));
        }
        PathEdit::SetMandatory(r, m) => {
            let n = at(items, r)?;
            items[n].mandatory = m;
        }
        PathEdit::SetFinal(r, f) => {
            let n = at(items, r)?;
            items.iter_mut().for_each(|i| i.final_evaluation = false);
            items[n].final_evaluation = f;
        }
        PathEdit::MoveUp(r) => {
            let n = at(items, r)?;
            if n > 0 {
                items.swap(n, n - 1);
            }
        }
        PathEdit::SetAfter(r, after) => {
            let n = at(items, r)?;
            items[n].after = after;
        }
        PathEdit::Replace(all) => *items = all,
    }
    Ok(())
}

impl App {
    fn path_context(tree: &lore_domain::group::GroupTree, path: PathRow) -> PathContext {
        PathContext {
            lineage: tree.lineage(GroupId(path.group_id)),
            group_path: tree.path(GroupId(path.group_id)),
            path,
        }
    }

    /// Load a path the caller may `action`; one they may not see is "not found".
    pub async fn path_for(
        &self,
        caller: &Caller,
        id: i64,
        action: Action,
    ) -> AppResult<PathContext> {
        let row = self
            .store
            .path(id)
            .await?
            .ok_or(AppError::NotFound("That path"))?;
        let ctx = Self::path_context(&self.group_tree().await?, row);
        if !ctx.can(caller, Action::ViewPath) {
            return Err(AppError::NotFound("That path"));
        }
        caller.require(action, ctx.resource())?;
        Ok(ctx)
    }

    /// Titles of courses (newest published version, else the draft's) and paths.
    pub async fn item_titles(&self, refs: &[ItemRef]) -> AppResult<HashMap<ItemRef, String>> {
        let ids = |k| {
            refs.iter()
                .filter(|r| r.kind == k)
                .map(|r| r.id)
                .collect::<Vec<_>>()
        };
        let mut out = HashMap::new();
        for v in self
            .store
            .versions_of_courses(ids(ItemKind::Course))
            .await?
        {
            let r = ItemRef::course(v.course_id);
            if v.state == VersionState::Published || !out.contains_key(&r) {
                out.insert(r, v.title);
            }
        }
        for p in self.store.paths_by_ids(&ids(ItemKind::Path)).await? {
            out.insert(ItemRef::path(p.id), p.title);
        }
        Ok(out)
    }

    /// Start a path in a group the caller coaches.
    pub async fn create_path(
        &self,
        caller: &Caller,
        group_id: i64,
        details: PathDetails,
    ) -> AppResult<PathRow> {
        let title = CourseTitle::parse(&details.title)?;
        let tree = self.group_tree().await?;
        if tree.get(GroupId(group_id)).is_none() {
            return Err(AppError::NotFound("That group"));
        }
        let lineage = tree.lineage(GroupId(group_id));
        if !caller.can(
            Action::CoachPath,
            Resource::Path {
                owning_lineage: &lineage,
                published: false,
            },
        ) {
            // Permission, not input (decision 0037).
            return Err(AppError::Forbidden);
        }
        self.unit_of_work(|app| async move {
            let fields = PathFields {
                title: title.as_str(),
                description: details.description.trim(),
                order: details.order,
            };
            Ok(app
                .store
                .insert_path(group_id, fields, caller.id.0, app.now())
                .await?)
        })
        .await
    }

    /// Change the draft of a path. A path that would contain itself or whose prerequisites go
    /// round in a circle is refused, and nothing changes.
    pub async fn edit_path(&self, caller: &Caller, id: i64, edit: PathEdit) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app.path_for(caller, id, Action::CoachPath).await?;
            let details = match &edit {
                PathEdit::Details(d) | PathEdit::Whole(d, _) => Some(d.clone()),
                _ => None,
            };
            if !matches!(edit, PathEdit::Details(_)) {
                let mut items = app.store.path_items(id, DRAFT).await?;
                let before: Vec<ItemRef> = items.iter().map(|i| i.item).collect();
                apply(&mut items, edit)?;
                // Every new item must be something the coach can see.
                for i in items.iter().filter(|i| !before.contains(&i.item)) {
                    app.check_item(caller, i.item).await?;
                }
                app.check_path(ctx.path.id, &items).await?;
                app.store.put_path_items(id, DRAFT, &items).await?;
            }
            let title = match &details {
                Some(d) => CourseTitle::parse(&d.title)?.as_str().to_owned(),
                None => ctx.path.title.clone(),
            };
            let fields = PathFields {
                title: &title,
                description: details
                    .as_ref()
                    .map_or(ctx.path.description.as_str(), |d| d.description.trim()),
                order: details.as_ref().map_or(ctx.path.order, |d| d.order),
            };
            app.store.save_path_fields(id, fields, app.now()).await?;
            Ok(())
        })
        .await
    }

    async fn check_item(&self, caller: &Caller, item: ItemRef) -> AppResult<()> {
        let seen = match item.kind {
            ItemKind::Course => self
                .course_for(caller, item.id, Action::ViewCourse)
                .await
                .is_ok(),
            ItemKind::Path => self
                .path_for(caller, item.id, Action::ViewPath)
                .await
                .is_ok(),
        };
        if seen {
            Ok(())
        } else {
            // Not there for the caller (decision 0037).
            Err(AppError::NotFound("That course or path"))
        }
    }

    /// Is this list a well-formed path `id` (see [`lore_domain::path::check`])?
    async fn check_path(&self, id: i64, items: &[PathItem]) -> AppResult<()> {
        let mut contains: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for (from, to) in self.store.nested_paths().await? {
            if from != id {
                contains.entry(from).or_default().push(to);
            }
        }
        let mut refs: Vec<ItemRef> = items
            .iter()
            .flat_map(|i| std::iter::once(i.item).chain(i.after.iter().copied()))
            .collect();
        refs.extend(contains.keys().map(|p| ItemRef::path(*p)));
        refs.push(ItemRef::path(id));
        let titles = self.item_titles(&refs).await?;
        let title = |r: ItemRef| {
            titles
                .get(&r)
                .map_or_else(|| r.key(), |t| format!("\u{201c}{t}\u{201d}"))
        };
        path::check(id, items, &contains, &title)?;
        Ok(())
    }

    /// Publish the draft as the next version (never changed after), with its change list.
    pub async fn publish_path(&self, caller: &Caller, id: i64) -> AppResult<i32> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app.path_for(caller, id, Action::CoachPath).await?;
            let items = app.store.path_items(id, DRAFT).await?;
            if items.is_empty() {
                // The request is fine; the draft is not ready: a conflict with its state.
                return Err(AppError::refused(
                    "empty_path",
                    "Add at least one course before publishing.",
                ));
            }
            app.check_path(id, &items).await?;
            let previous = match ctx.path.latest_version {
                Some(n) => app.store.path_items(id, n).await?,
                None => Vec::new(),
            };
            let changes = if ctx.path.latest_version.is_some() {
                path::changes_between(&previous, &items)
            } else {
                Vec::new()
            };
            Ok(app
                .store
                .publish_path(&ctx.path, &changes, caller.id.0, app.now())
                .await?)
        })
        .await
    }

    /// The paths the caller may see: published ones of the groups they are in, and every
    /// path of the groups they coach.
    pub async fn paths(&self, caller: &Caller) -> AppResult<Vec<PathSummary>> {
        let tree = self.group_tree().await?;
        let groups: Vec<i64> = tree.walk().into_iter().map(|(_, g)| g.id.0).collect();
        // Paths are few and belong to groups; the policy decides per path.
        let rows = self.store.paths_of_groups(&groups).await?;
        Ok(rows
            .into_iter()
            .map(|p| Self::path_context(&tree, p))
            .filter(|c| c.can(caller, Action::ViewPath))
            .map(|c| PathSummary {
                can_coach: c.can(caller, Action::CoachPath),
                id: c.path.id,
                title: c.path.title,
                group_path: c.group_path,
                latest_version: c.path.latest_version,
            })
            .collect())
    }

    /// The groups the caller coaches (where they may create paths and assign), by path.
    pub async fn coached_groups(&self, caller: &Caller) -> AppResult<Vec<(i64, String)>> {
        let tree = self.group_tree().await?;
        Ok(tree
            .walk()
            .into_iter()
            .filter(|(_, g)| {
                let lineage = tree.lineage(g.id);
                caller.can(Action::AssignToGroup, Resource::Group { lineage: &lineage })
            })
            .map(|(_, g)| (g.id.0, tree.path(g.id)))
            .collect())
    }
}
