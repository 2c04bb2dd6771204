//! The organisation tree and memberships.

use lore_domain::audit::AuditAction;
use lore_domain::group::{GroupName, GroupTree};
use lore_domain::ids::{GroupId, UserId};
use lore_domain::policy::{Action, Resource};
use lore_domain::role::Role;
use lore_store::MemberRow;

use crate::{App, AppError, AppResult, Caller};

/// A group as a person sees it: where it sits, and their own role there.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GroupView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub path: String,
    pub depth: usize,
    /// The caller's strongest role here, held in this group or one above it.
    pub my_role: Option<Role>,
    pub can_manage: bool,
}

/// One of the caller's own memberships, for the home page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MyGroup {
    pub id: i64,
    pub path: String,
    pub role: Role,
}

/// Two requests creating the same name at once: the database's unique index decides.
fn same_name(e: lore_store::StoreError, name: &str) -> AppError {
    match e {
        lore_store::StoreError::Conflict => name_taken(name),
        other => other.into(),
    }
}

/// A name a group beside it already has: a conflict with what exists (409 in the API,
/// decision 0037), not malformed input; pages show it on the form like any other refusal.
pub fn name_taken(name: &str) -> AppError {
    AppError::refused(
        "name_taken",
        format!("There is already a group named {name:?} here."),
    )
}

/// Members on one page of a group.
pub const MEMBERS_PAGE_SIZE: u64 = 50;

impl App {
    /// Every group the caller may see, depth first, with their role in each.
    pub async fn visible_groups(&self, caller: &Caller) -> AppResult<Vec<GroupView>> {
        let tree = self.group_tree().await?;
        Ok(tree
            .walk()
            .into_iter()
            .filter_map(|(depth, node)| {
                let lineage = tree.lineage(node.id);
                let resource = Resource::Group { lineage: &lineage };
                caller.can(Action::ViewGroup, resource).then(|| GroupView {
                    id: node.id.0,
                    parent_id: node.parent.map(|p| p.0),
                    name: node.name.clone(),
                    path: tree.path(node.id),
                    depth,
                    my_role: caller.actor.role_in(&lineage),
                    can_manage: caller.can(Action::ManageGroup, resource),
                })
            })
            .collect())
    }

    /// The groups the caller belongs to directly, with the role held.
    pub async fn my_groups(&self, caller: &Caller) -> AppResult<Vec<MyGroup>> {
        let tree = self.group_tree().await?;
        let mut out: Vec<MyGroup> = caller
            .actor
            .memberships
            .iter()
            .filter(|(g, _)| tree.get(*g).is_some())
            .map(|(g, role)| MyGroup {
                id: g.0,
                path: tree.path(*g),
                role: *role,
            })
            .collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// One group, if the caller may see it.
    pub async fn group(&self, caller: &Caller, id: i64) -> AppResult<GroupView> {
        let tree = self.group_tree().await?;
        let node = tree
            .get(GroupId(id))
            .ok_or(AppError::NotFound("That group"))?;
        let lineage = tree.lineage(node.id);
        let resource = Resource::Group { lineage: &lineage };
        if !caller.can(Action::ViewGroup, resource) {
            // Do not confirm that a group exists to someone who may not see it.
            return Err(AppError::NotFound("That group"));
        }
        Ok(GroupView {
            id,
            parent_id: node.parent.map(|p| p.0),
            name: node.name.clone(),
            path: tree.path(node.id),
            depth: lineage.len().saturating_sub(1),
            my_role: caller.actor.role_in(&lineage),
            can_manage: caller.can(Action::ManageGroup, resource),
        })
    }

    async fn require_on_group(
        &self,
        caller: &Caller,
        action: Action,
        id: i64,
    ) -> AppResult<GroupTree> {
        let tree = self.group_tree().await?;
        if tree.get(GroupId(id)).is_none() {
            return Err(AppError::NotFound("That group"));
        }
        let lineage = tree.lineage(GroupId(id));
        let resource = Resource::Group { lineage: &lineage };
        if !caller.can(Action::ViewGroup, resource) {
            // Do not confirm that a group exists to someone who may not see it.
            return Err(AppError::NotFound("That group"));
        }
        caller.require(action, resource)?;
        Ok(tree)
    }

    /// Create a group below `parent` (or at the top, for platform administrators).
    pub async fn create_group(
        &self,
        caller: &Caller,
        parent: Option<i64>,
        name: &str,
    ) -> AppResult<GroupView> {
        let name = GroupName::parse(name)?;
        let tree = match parent {
            Some(p) => {
                self.require_on_group(caller, Action::ManageGroup, p)
                    .await?
            }
            None => {
                caller.require(Action::CreateRootGroup, Resource::Platform)?;
                self.group_tree().await?
            }
        };
        let clash = tree
            .children(parent.map(GroupId))
            .iter()
            .filter_map(|c| tree.get(*c))
            .any(|c| c.name.eq_ignore_ascii_case(name.as_str()));
        if clash {
            return Err(name_taken(name.as_str()));
        }
        let row = self
            .store
            .insert_group(parent, name.as_str(), self.now())
            .await
            .map_err(|e| same_name(e, name.as_str()))?;
        tracing::info!(target: "lore::audit", user_id = caller.id.0, group_id = row.id, "group created");
        self.group(caller, row.id).await
    }

    pub async fn rename_group(&self, caller: &Caller, id: i64, name: &str) -> AppResult<()> {
        let name = GroupName::parse(name)?;
        let tree = self
            .require_on_group(caller, Action::ManageGroup, id)
            .await?;
        let parent = tree.get(GroupId(id)).and_then(|g| g.parent);
        let clash = tree
            .children(parent)
            .iter()
            .filter(|c| **c != GroupId(id))
            .filter_map(|c| tree.get(*c))
            .any(|c| c.name.eq_ignore_ascii_case(name.as_str()));
        if clash {
            return Err(name_taken(name.as_str()));
        }
        self.store
            .rename_group(id, name.as_str())
            .await
            .map_err(|e| same_name(e, name.as_str()))?;
        Ok(())
    }

    /// Delete an empty leaf group. Groups with subgroups must be emptied first.
    pub async fn delete_group(&self, caller: &Caller, id: i64) -> AppResult<()> {
        let tree = self
            .require_on_group(caller, Action::ManageGroup, id)
            .await?;
        if !tree.children(Some(GroupId(id))).is_empty() {
            return Err(AppError::Conflict(
                "This group has subgroups. Delete or move them first.".to_owned(),
            ));
        }
        self.store.delete_group(id).await?;
        tracing::info!(target: "lore::audit", user_id = caller.id.0, group_id = id, "group deleted");
        Ok(())
    }

    /// One page (from 1) of a group's direct members by name, and how many there are.
    pub async fn members(
        &self,
        caller: &Caller,
        group_id: i64,
        page: u64,
    ) -> AppResult<(Vec<MemberRow>, u64)> {
        self.require_on_group(caller, Action::ViewMembers, group_id)
            .await?;
        Ok(self
            .store
            .members_page(group_id, MEMBERS_PAGE_SIZE, page.max(1) - 1)
            .await?)
    }

    /// Give a person a role in a group (replacing their role there, if any).
    pub async fn put_membership(
        &self,
        caller: &Caller,
        group_id: i64,
        user: UserId,
        role: Role,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let tree = app
                .require_on_group(caller, Action::ManageMembers, group_id)
                .await?;
            let Some(person) = app.store.user(user.0).await? else {
                return Err(AppError::NotFound("That person"));
            };
            let before = app
                .store
                .memberships_of(user.0)
                .await?
                .into_iter()
                .find(|(g, _)| *g == group_id)
                .map(|(_, r)| r);
            app.store
                .put_membership(user.0, group_id, role.as_str(), app.now())
                .await?;
            app.sync_assignments_of(user.0).await?;
            let path = tree.path(GroupId(group_id));
            let detail = match before {
                Some(old) if old == role.as_str() => return Ok(()),
                Some(old) => format!("{path}: {old} → {}", role.as_str()),
                None => format!("{path}: added as {}", role.as_str()),
            };
            app.audit(
                Some(caller),
                AuditAction::RoleChanged,
                crate::people::who(&person),
                detail,
            )
            .await
        })
        .await
    }

    pub async fn remove_membership(
        &self,
        caller: &Caller,
        group_id: i64,
        user: UserId,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let tree = app
                .require_on_group(caller, Action::ManageMembers, group_id)
                .await?;
            if !app.store.remove_membership(user.0, group_id).await? {
                return Err(AppError::NotFound("That membership"));
            }
            app.sync_assignments_of(user.0).await?;
            let target = match app.store.user(user.0).await? {
                Some(person) => crate::people::who(&person),
                None => format!("person {}", user.0),
            };
            app.audit(
                Some(caller),
                AuditAction::MembershipRemoved,
                target,
                tree.path(GroupId(group_id)),
            )
            .await
        })
        .await
    }
}
