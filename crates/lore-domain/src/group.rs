//! Values of the organisation tree.

use std::collections::HashMap;

use crate::Invalid;
use crate::ids::GroupId;

/// A group's name: 1 to 80 characters, no slashes (they separate names in a group path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupName(String);

impl GroupName {
    pub const MAX_CHARS: usize = 80;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.is_empty() {
            return Err(Invalid::new("name", "Enter a group name."));
        }
        if s.chars().count() > Self::MAX_CHARS {
            return Err(Invalid::new(
                "name",
                format!("A group name has at most {} characters.", Self::MAX_CHARS),
            ));
        }
        if s.contains('/') || s.chars().any(char::is_control) {
            return Err(Invalid::new(
                "name",
                "A group name cannot contain / or control characters.",
            ));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One group as the tree sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupNode {
    pub id: GroupId,
    pub parent: Option<GroupId>,
    pub name: String,
}

/// The organisation tree, built in memory from every group.
#[derive(Debug, Clone, Default)]
pub struct GroupTree {
    nodes: HashMap<GroupId, GroupNode>,
    children: HashMap<Option<GroupId>, Vec<GroupId>>,
}

impl GroupTree {
    pub fn new(groups: impl IntoIterator<Item = GroupNode>) -> Self {
        let mut tree = GroupTree::default();
        for g in groups {
            tree.children.entry(g.parent).or_default().push(g.id);
            tree.nodes.insert(g.id, g);
        }
        let nodes = &tree.nodes;
        for ids in tree.children.values_mut() {
            ids.sort_by(|a, b| {
                let name = |id: &GroupId| nodes.get(id).map(|n| n.name.to_lowercase());
                name(a).cmp(&name(b)).then(a.cmp(b))
            });
        }
        tree
    }

    pub fn get(&self, id: GroupId) -> Option<&GroupNode> {
        self.nodes.get(&id)
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The group's ancestors from the root down to the group itself; empty if unknown.
    /// A broken parent chain (a cycle) stops rather than loops.
    pub fn lineage(&self, id: GroupId) -> Vec<GroupId> {
        let mut chain = Vec::new();
        let mut current = Some(id);
        while let Some(c) = current {
            if chain.contains(&c) {
                break;
            }
            let Some(node) = self.nodes.get(&c) else {
                break;
            };
            chain.push(c);
            current = node.parent;
        }
        chain.reverse();
        chain
    }

    /// Names from the root down, joined with `/`: `Acme/Engineering`.
    pub fn path(&self, id: GroupId) -> String {
        self.lineage(id)
            .iter()
            .filter_map(|g| self.nodes.get(g).map(|n| n.name.as_str()))
            .collect::<Vec<_>>()
            .join("/")
    }

    pub fn children(&self, parent: Option<GroupId>) -> &[GroupId] {
        self.children.get(&parent).map_or(&[], Vec::as_slice)
    }

    /// Every group in depth-first order with its depth (0 for roots).
    pub fn walk(&self) -> Vec<(usize, &GroupNode)> {
        let mut out = Vec::with_capacity(self.nodes.len());
        let mut stack: Vec<(usize, GroupId)> = self
            .children(None)
            .iter()
            .rev()
            .map(|id| (0, *id))
            .collect();
        while let Some((depth, id)) = stack.pop() {
            if let Some(node) = self.nodes.get(&id) {
                out.push((depth, node));
                stack.extend(
                    self.children(Some(id))
                        .iter()
                        .rev()
                        .map(|c| (depth + 1, *c)),
                );
            }
        }
        out
    }

    /// Is `id` equal to `ancestor` or below it?
    pub fn is_within(&self, id: GroupId, ancestor: GroupId) -> bool {
        self.lineage(id).contains(&ancestor)
    }

    /// Find a group by a reference from a file or the command line: a full path
    /// (`Acme/Engineering`), or a name that is unique in the tree.
    pub fn resolve(&self, reference: &str) -> Result<GroupId, String> {
        let wanted = reference.trim();
        if wanted.contains('/') {
            let key = wanted
                .split('/')
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("/")
                .to_lowercase();
            return self
                .nodes
                .keys()
                .find(|id| self.path(**id).to_lowercase() == key)
                .copied()
                .ok_or_else(|| format!("No group at path {wanted:?}."));
        }
        let matches: Vec<GroupId> = self
            .nodes
            .values()
            .filter(|n| n.name.eq_ignore_ascii_case(wanted))
            .map(|n| n.id)
            .collect();
        match matches.as_slice() {
            [one] => Ok(*one),
            [] => Err(format!("No group named {wanted:?}.")),
            _ => Err(format!(
                "Several groups are named {wanted:?}; write its path, like Parent/{wanted}."
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> GroupTree {
        let n = |id, parent: Option<i64>, name: &str| GroupNode {
            id: GroupId(id),
            parent: parent.map(GroupId),
            name: name.to_owned(),
        };
        GroupTree::new([
            n(1, None, "Acme"),
            n(2, Some(1), "Engineering"),
            n(3, Some(1), "Sales"),
            n(4, Some(2), "Platform"),
            n(5, Some(3), "Platform"),
        ])
    }

    #[test]
    fn lineage_paths_and_walk_follow_the_tree() {
        let t = tree();
        assert_eq!(
            t.lineage(GroupId(4)),
            vec![GroupId(1), GroupId(2), GroupId(4)]
        );
        assert_eq!(t.path(GroupId(5)), "Acme/Sales/Platform");
        assert!(t.lineage(GroupId(99)).is_empty());
        let order: Vec<(usize, i64)> = t.walk().iter().map(|(d, n)| (*d, n.id.0)).collect();
        assert_eq!(order, vec![(0, 1), (1, 2), (2, 4), (1, 3), (2, 5)]);
        assert!(t.is_within(GroupId(4), GroupId(1)));
        assert!(!t.is_within(GroupId(4), GroupId(3)));
    }

    #[test]
    fn references_resolve_by_unique_name_or_path() {
        let t = tree();
        assert_eq!(t.resolve("engineering"), Ok(GroupId(2)));
        assert_eq!(t.resolve("Acme / Sales / Platform"), Ok(GroupId(5)));
        assert!(
            t.resolve("Platform")
                .expect_err("ambiguous")
                .contains("Several")
        );
        assert!(t.resolve("Marketing").is_err());
    }

    #[test]
    fn group_names_are_checked() {
        assert_eq!(
            GroupName::parse(" Customer   Success ").map(|g| g.as_str().to_owned()),
            Ok("Customer Success".to_owned())
        );
        assert!(GroupName::parse("").is_err());
        assert!(GroupName::parse("a/b").is_err());
        assert!(GroupName::parse(&"g".repeat(81)).is_err());
    }
}
