//! `lore groups add|list`: the organisation tree, with the server's own authority, so that
//! an operator can create the groups an import file refers to.

use anyhow::bail;
use lore_app::AppError;
use lore_app::people::operator;
use lore_domain::group::{GroupName, GroupTree};
use lore_domain::ids::GroupId;

use crate::commands::operator_error;
use crate::config::Config;
use crate::database;
use crate::text_table;

/// How deep each level of the tree is indented in `lore groups list`.
const INDENT: &str = "  ";

/// Create a group at the top of the tree, or below `parent` (a path or a unique name).
pub async fn add(config: &Config, name: &str, parent: Option<&str>) -> anyhow::Result<()> {
    let name = GroupName::parse(name)
        .map_err(AppError::from)
        .map_err(operator_error)?;
    let app = database::open_app(config).await?;
    let tree = app.group_tree().await.map_err(operator_error)?;
    let parent = match parent {
        Some(reference) => Some(resolve_parent(&tree, reference)?),
        None => None,
    };
    let path = match parent {
        Some(p) => format!("{}/{}", tree.path(p), name.as_str()),
        None => name.as_str().to_owned(),
    };
    if let Some(existing) = same_name_child(&tree, parent, &name) {
        match parent {
            Some(p) => bail!("{} already has a group named {existing:?}", tree.path(p)),
            None => bail!("there is already a top-level group named {existing:?}"),
        }
    }
    operator::create_group(&app, parent.map(|p| p.0), name.as_str())
        .await
        .map_err(operator_error)?;
    println!("Created group {path}.");
    Ok(())
}

/// The parent named on the command line, or why it cannot be used.
fn resolve_parent(tree: &GroupTree, reference: &str) -> anyhow::Result<GroupId> {
    if tree.is_empty() {
        bail!(
            "there are no groups yet, so --parent {reference:?} cannot be found; \
             create the top-level group first: lore groups add NAME"
        );
    }
    tree.resolve(reference).map_err(|reason| {
        let reason = reason.trim_end_matches('.');
        let mut chars = reason.chars();
        let reason = match chars.next() {
            Some(first) => first.to_lowercase().chain(chars).collect(),
            None => String::new(),
        };
        anyhow::anyhow!("--parent: {reason}; lore groups list shows every group")
    })
}

/// The name of a group directly below `parent` with the same name, ignoring case, as the
/// app itself compares names.
fn same_name_child<'t>(
    tree: &'t GroupTree,
    parent: Option<GroupId>,
    name: &GroupName,
) -> Option<&'t str> {
    tree.children(parent)
        .iter()
        .filter_map(|c| tree.get(*c))
        .find(|c| c.name.eq_ignore_ascii_case(name.as_str()))
        .map(|c| c.name.as_str())
}

/// Print the whole tree, depth first, indented, with each group's direct members and path.
pub async fn list(config: &Config) -> anyhow::Result<()> {
    let app = database::open_app(config).await?;
    let tree = app.group_tree().await.map_err(operator_error)?;
    if tree.is_empty() {
        println!("There are no groups yet. Add one with: lore groups add NAME [--parent PATH]");
        return Ok(());
    }
    let mut rows = Vec::with_capacity(tree.len());
    for (depth, node) in tree.walk() {
        // One query a group: fine for the thousands of groups an organisation has.
        let members = app
            .store()
            .member_count(node.id.0)
            .await
            .map_err(|e| operator_error(e.into()))?;
        rows.push(vec![
            format!("{}{}", INDENT.repeat(depth), node.name),
            members.to_string(),
            tree.path(node.id),
        ]);
    }
    print!(
        "{}",
        text_table::render(&["GROUP", "MEMBERS", "PATH"], &rows)
    );
    println!("{} group(s).", rows.len());
    Ok(())
}
