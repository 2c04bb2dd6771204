//! Learning paths: an ordered list of courses and nested paths, each mandatory or optional,
//! taken in linear or free order, with prerequisites between items. The rules here decide
//! whether a path is well formed (it never contains itself, its prerequisites never go round
//! in a circle), what is unlocked for a person, what to do next, and what changed between
//! two versions.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::Invalid;

word_enum! {
    /// How a path is taken: `linear` (an item unlocks when every mandatory item before it is
    /// done) or `free` (any order, prerequisites apart).
    pub enum PathOrder in "order" {
        Linear = "linear",
        Free = "free",
    }
}

word_enum! {
    /// What an item of a path is.
    pub enum ItemKind in "kind" {
        Course = "course",
        Path = "path",
    }
}

/// An item named by what it is and its id: `course:12`, `path:3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ItemRef {
    pub kind: ItemKind,
    pub id: i64,
}

impl Ord for ItemRef {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.kind.as_str(), self.id).cmp(&(other.kind.as_str(), other.id))
    }
}

impl PartialOrd for ItemRef {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl ItemRef {
    pub fn course(id: i64) -> Self {
        Self {
            kind: ItemKind::Course,
            id,
        }
    }

    pub fn path(id: i64) -> Self {
        Self {
            kind: ItemKind::Path,
            id,
        }
    }

    /// `course:12`, as forms and the stored prerequisite lists write it.
    pub fn key(&self) -> String {
        format!("{}:{}", self.kind.as_str(), self.id)
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let bad = || {
            Invalid::new(
                "item",
                format!("{raw:?} is not an item (course:ID or path:ID)."),
            )
        };
        let (kind, id) = raw.trim().split_once(':').ok_or_else(bad)?;
        Ok(Self {
            kind: ItemKind::parse(kind).map_err(|_| bad())?,
            id: id.trim().parse().map_err(|_| bad())?,
        })
    }
}

/// One item of a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathItem {
    pub item: ItemRef,
    pub mandatory: bool,
    /// The path's final evaluation (a course); at most one per path.
    #[serde(default)]
    pub final_evaluation: bool,
    /// Items of the same path to complete before this one.
    #[serde(default)]
    pub after: Vec<ItemRef>,
}

impl PathItem {
    pub fn new(item: ItemRef, mandatory: bool) -> Self {
        Self {
            item,
            mandatory,
            final_evaluation: false,
            after: Vec::new(),
        }
    }
}

/// Is this list of items a well-formed path `path_id`? `contains` gives, for every other
/// path, the paths it holds directly (its draft's and its published versions'); `title`
/// names an item in messages. The first problem found is returned.
pub fn check(
    path_id: i64,
    items: &[PathItem],
    contains: &BTreeMap<i64, Vec<i64>>,
    title: &dyn Fn(ItemRef) -> String,
) -> Result<(), Invalid> {
    let mut seen = BTreeSet::new();
    for i in items {
        if !seen.insert(i.item) {
            return Err(Invalid::new(
                "items",
                format!("{} is in the path twice; keep one.", title(i.item)),
            ));
        }
    }
    if items.iter().filter(|i| i.final_evaluation).count() > 1 {
        return Err(Invalid::new(
            "items",
            "A path has at most one final evaluation.",
        ));
    }
    if let Some(i) = items
        .iter()
        .find(|i| i.final_evaluation && i.item.kind != ItemKind::Course)
    {
        return Err(Invalid::new(
            "items",
            format!(
                "The final evaluation must be a course; {} is a path.",
                title(i.item)
            ),
        ));
    }
    for i in items {
        for a in &i.after {
            if *a == i.item {
                return Err(Invalid::new(
                    "after",
                    format!("{} cannot come after itself.", title(i.item)),
                ));
            }
            if !seen.contains(a) {
                return Err(Invalid::new(
                    "after",
                    format!(
                        "{} must come after {}, which is not in the path.",
                        title(i.item),
                        title(*a)
                    ),
                ));
            }
        }
    }
    if let Some(chain) = self_containment(path_id, items, contains) {
        let names: Vec<String> = chain.iter().map(|p| title(ItemRef::path(*p))).collect();
        return Err(Invalid::new(
            "items",
            format!(
                "A path cannot contain itself: {}.",
                names.join(" contains ")
            ),
        ));
    }
    if let Some(cycle) = prerequisite_cycle(items) {
        let names: Vec<String> = cycle.iter().map(|i| title(*i)).collect();
        return Err(Invalid::new(
            "after",
            format!(
                "These prerequisites go round in a circle: {}. Remove one of them.",
                names.join(" before ")
            ),
        ));
    }
    Ok(())
}

/// The chain of paths from `path_id` back to itself through nested paths, if there is one.
fn self_containment(
    path_id: i64,
    items: &[PathItem],
    contains: &BTreeMap<i64, Vec<i64>>,
) -> Option<Vec<i64>> {
    // Depth-first from each nested path; `chain` is the way down from `path_id`.
    fn walk(
        at: i64,
        target: i64,
        contains: &BTreeMap<i64, Vec<i64>>,
        chain: &mut Vec<i64>,
        done: &mut BTreeSet<i64>,
    ) -> bool {
        chain.push(at);
        if at == target {
            return true;
        }
        if done.insert(at) {
            for next in contains.get(&at).into_iter().flatten() {
                if walk(*next, target, contains, chain, done) {
                    return true;
                }
            }
        }
        chain.pop();
        false
    }
    let mut done = BTreeSet::new();
    for i in items.iter().filter(|i| i.item.kind == ItemKind::Path) {
        let mut chain = vec![path_id];
        if walk(i.item.id, path_id, contains, &mut chain, &mut done) {
            return Some(chain);
        }
    }
    None
}

/// A circle of prerequisites (`a` before `b` before … before `a`), if there is one.
fn prerequisite_cycle(items: &[PathItem]) -> Option<Vec<ItemRef>> {
    let after: BTreeMap<ItemRef, &Vec<ItemRef>> =
        items.iter().map(|i| (i.item, &i.after)).collect();
    // 0 unvisited, 1 on the current way, 2 finished.
    let mut mark: BTreeMap<ItemRef, u8> = BTreeMap::new();
    fn visit(
        at: ItemRef,
        after: &BTreeMap<ItemRef, &Vec<ItemRef>>,
        mark: &mut BTreeMap<ItemRef, u8>,
        way: &mut Vec<ItemRef>,
    ) -> Option<Vec<ItemRef>> {
        match mark.get(&at) {
            Some(2) => return None,
            Some(1) => {
                let from = way.iter().position(|i| *i == at).unwrap_or(0);
                let mut cycle: Vec<ItemRef> = way[from..].to_vec();
                cycle.push(at);
                // `way` runs from an item to what it needs; read it as "needed before".
                cycle.reverse();
                return Some(cycle);
            }
            _ => {}
        }
        mark.insert(at, 1);
        way.push(at);
        for before in after.get(&at).into_iter().flat_map(|v| v.iter()) {
            if let Some(c) = visit(*before, after, mark, way) {
                return Some(c);
            }
        }
        way.pop();
        mark.insert(at, 2);
        None
    }
    for i in items {
        let mut way = Vec::new();
        if let Some(c) = visit(i.item, &after, &mut mark, &mut way) {
            return Some(c);
        }
    }
    None
}

/// Which items are unlocked for a person, given which are done: in a linear path an item
/// waits for every mandatory item before it; in both orders it waits for its prerequisites.
pub fn unlocked(order: PathOrder, items: &[PathItem], done: &dyn Fn(ItemRef) -> bool) -> Vec<bool> {
    let mut earlier_mandatory_done = true;
    items
        .iter()
        .map(|i| {
            let prerequisites = i.after.iter().all(|a| done(*a));
            let open = prerequisites && (order == PathOrder::Free || earlier_mandatory_done);
            if i.mandatory && !done(i.item) {
                earlier_mandatory_done = false;
            }
            open
        })
        .collect()
}

/// The item to do next: the first unlocked mandatory item not done, else the first unlocked
/// optional one; `None` when nothing is left or everything left is locked.
pub fn next_item(
    order: PathOrder,
    items: &[PathItem],
    done: &dyn Fn(ItemRef) -> bool,
) -> Option<usize> {
    let open = unlocked(order, items, done);
    let candidate = |mandatory: bool| {
        items
            .iter()
            .enumerate()
            .find(|(n, i)| open[*n] && i.mandatory == mandatory && !done(i.item))
            .map(|(n, _)| n)
    };
    candidate(true).or_else(|| candidate(false))
}

/// A path is complete when every mandatory item is done (optional ones never hold it back;
/// a path without mandatory items is complete when every item is).
pub fn is_complete(items: &[PathItem], done: &dyn Fn(ItemRef) -> bool) -> bool {
    if items.iter().any(|i| i.mandatory) {
        items.iter().filter(|i| i.mandatory).all(|i| done(i.item))
    } else {
        !items.is_empty() && items.iter().all(|i| done(i.item))
    }
}

/// What happened to an item between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PathChangeKind {
    Added,
    Removed,
    MadeOptional,
    MadeMandatory,
    Moved,
    PrerequisitesChanged,
}

impl PathChangeKind {
    /// The words before the item's title: "added", "made optional", …
    pub fn words(self) -> &'static str {
        match self {
            PathChangeKind::Added => "added",
            PathChangeKind::Removed => "removed",
            PathChangeKind::MadeOptional => "made optional",
            PathChangeKind::MadeMandatory => "made mandatory",
            PathChangeKind::Moved => "moved",
            PathChangeKind::PrerequisitesChanged => "changed the prerequisites of",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathChange {
    pub kind: PathChangeKind,
    pub item: ItemRef,
}

/// The items of `a` that are not in a longest common subsequence of `a` and `b`: the fewest
/// items to move to turn one order into the other.
fn out_of_order(a: &[ItemRef], b: &[ItemRef]) -> BTreeSet<ItemRef> {
    let (n, m) = (a.len(), b.len());
    let mut len = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            len[i][j] = if a[i] == b[j] {
                len[i + 1][j + 1] + 1
            } else {
                len[i + 1][j].max(len[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut kept) = (0, 0, BTreeSet::new());
    while i < n && j < m {
        if a[i] == b[j] {
            kept.insert(a[i]);
            i += 1;
            j += 1;
        } else if len[i + 1][j] >= len[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    a.iter().filter(|r| !kept.contains(r)).copied().collect()
}

/// Every change from `old` to `new`, in the new order (removals last). Moved items are the
/// fewest that explain the new order of the items both versions share.
pub fn changes_between(old: &[PathItem], new: &[PathItem]) -> Vec<PathChange> {
    let old_by: BTreeMap<ItemRef, &PathItem> = old.iter().map(|i| (i.item, i)).collect();
    let new_refs: BTreeSet<ItemRef> = new.iter().map(|i| i.item).collect();
    let shared_old: Vec<ItemRef> = old
        .iter()
        .map(|i| i.item)
        .filter(|r| new_refs.contains(r))
        .collect();
    let shared_new: Vec<ItemRef> = new
        .iter()
        .map(|i| i.item)
        .filter(|r| old_by.contains_key(r))
        .collect();
    let moved = out_of_order(&shared_new, &shared_old);
    let mut out = Vec::new();
    let push = |out: &mut Vec<PathChange>, kind, item| out.push(PathChange { kind, item });
    for i in new {
        let Some(before) = old_by.get(&i.item) else {
            push(&mut out, PathChangeKind::Added, i.item);
            continue;
        };
        if before.mandatory && !i.mandatory {
            push(&mut out, PathChangeKind::MadeOptional, i.item);
        } else if !before.mandatory && i.mandatory {
            push(&mut out, PathChangeKind::MadeMandatory, i.item);
        }
        if moved.contains(&i.item) {
            push(&mut out, PathChangeKind::Moved, i.item);
        }
        let a: BTreeSet<_> = before.after.iter().collect();
        let b: BTreeSet<_> = i.after.iter().collect();
        if a != b {
            push(&mut out, PathChangeKind::PrerequisitesChanged, i.item);
        }
    }
    for o in old.iter().filter(|o| !new_refs.contains(&o.item)) {
        push(&mut out, PathChangeKind::Removed, o.item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: i64) -> ItemRef {
        ItemRef::course(id)
    }

    fn name(i: ItemRef) -> String {
        i.key()
    }

    fn items(list: &[(ItemRef, bool, &[ItemRef])]) -> Vec<PathItem> {
        list.iter()
            .map(|(i, m, after)| PathItem {
                item: *i,
                mandatory: *m,
                final_evaluation: false,
                after: after.to_vec(),
            })
            .collect()
    }

    #[test]
    fn item_refs_round_trip() {
        assert_eq!(ItemRef::parse("course:12"), Ok(c(12)));
        assert_eq!(ItemRef::parse(" path:3 "), Ok(ItemRef::path(3)));
        assert_eq!(c(7).key(), "course:7");
        assert!(ItemRef::parse("course").is_err());
        assert!(ItemRef::parse("lesson:1").is_err());
        assert!(ItemRef::parse("course:x").is_err());
    }

    #[test]
    fn a_path_directly_inside_itself_is_refused() {
        let list = items(&[(c(1), true, &[]), (ItemRef::path(5), true, &[])]);
        let e = check(5, &list, &BTreeMap::new(), &name).unwrap_err();
        assert!(e.message.contains("cannot contain itself"), "{}", e.message);
    }

    #[test]
    fn a_path_inside_itself_through_nested_paths_is_refused_with_the_chain() {
        // 1 is being edited to hold 2; 2 holds 3; 3 holds 1.
        let contains = BTreeMap::from([(2, vec![3]), (3, vec![1])]);
        let list = items(&[(ItemRef::path(2), true, &[])]);
        let e = check(1, &list, &contains, &name).unwrap_err();
        assert_eq!(
            e.message,
            "A path cannot contain itself: path:1 contains path:2 contains path:3 contains path:1."
        );
        // Nesting without a circle is fine, and shared sub-paths too.
        let contains = BTreeMap::from([(2, vec![3]), (4, vec![3])]);
        let list = items(&[(ItemRef::path(2), true, &[]), (ItemRef::path(4), true, &[])]);
        assert!(check(1, &list, &contains, &name).is_ok());
    }

    #[test]
    fn prerequisite_cycles_are_refused_and_named() {
        let list = items(&[
            (c(1), true, &[c(3)]),
            (c(2), true, &[c(1)]),
            (c(3), true, &[c(2)]),
        ]);
        let e = check(9, &list, &BTreeMap::new(), &name).unwrap_err();
        assert_eq!(e.field, "after");
        assert!(e.message.contains("go round in a circle"), "{}", e.message);
        for k in ["course:1", "course:2", "course:3"] {
            assert!(e.message.contains(k), "{}", e.message);
        }
        let fine = items(&[
            (c(1), true, &[]),
            (c(2), true, &[c(1)]),
            (c(3), true, &[c(1), c(2)]),
        ]);
        assert!(check(9, &fine, &BTreeMap::new(), &name).is_ok());
    }

    #[test]
    fn other_malformed_paths_are_refused() {
        let twice = items(&[(c(1), true, &[]), (c(1), false, &[])]);
        assert!(check(9, &twice, &BTreeMap::new(), &name).is_err());
        let self_after = items(&[(c(1), true, &[c(1)])]);
        assert!(check(9, &self_after, &BTreeMap::new(), &name).is_err());
        let missing = items(&[(c(1), true, &[c(2)])]);
        let e = check(9, &missing, &BTreeMap::new(), &name).unwrap_err();
        assert!(e.message.contains("not in the path"));
        let mut two_finals = items(&[(c(1), true, &[]), (c(2), true, &[])]);
        two_finals
            .iter_mut()
            .for_each(|i| i.final_evaluation = true);
        assert!(check(9, &two_finals, &BTreeMap::new(), &name).is_err());
        let mut path_final = items(&[(ItemRef::path(2), true, &[])]);
        path_final[0].final_evaluation = true;
        assert!(check(9, &path_final, &BTreeMap::new(), &name).is_err());
    }

    #[test]
    fn linear_order_unlocks_one_mandatory_item_after_another() {
        let list = items(&[
            (c(1), true, &[]),
            (c(2), false, &[]),
            (c(3), true, &[]),
            (c(4), true, &[]),
        ]);
        let none = |_: ItemRef| false;
        assert_eq!(
            unlocked(PathOrder::Linear, &list, &none),
            [true, false, false, false]
        );
        assert_eq!(next_item(PathOrder::Linear, &list, &none), Some(0));
        // The optional item does not hold the next mandatory one back.
        let first = |i: ItemRef| i == c(1);
        assert_eq!(
            unlocked(PathOrder::Linear, &list, &first),
            [true, true, true, false]
        );
        assert_eq!(next_item(PathOrder::Linear, &list, &first), Some(2));
        let three = |i: ItemRef| i == c(1) || i == c(3);
        assert_eq!(next_item(PathOrder::Linear, &list, &three), Some(3));
        let mandatory = |i: ItemRef| i != c(2);
        assert!(is_complete(&list, &mandatory));
        // Only the optional item is left.
        assert_eq!(next_item(PathOrder::Linear, &list, &mandatory), Some(1));
        let all = |_: ItemRef| true;
        assert_eq!(next_item(PathOrder::Linear, &list, &all), None);
    }

    #[test]
    fn free_order_unlocks_everything_but_what_waits_for_prerequisites() {
        let list = items(&[(c(1), true, &[]), (c(2), true, &[c(3)]), (c(3), true, &[])]);
        let none = |_: ItemRef| false;
        assert_eq!(unlocked(PathOrder::Free, &list, &none), [true, false, true]);
        let third = |i: ItemRef| i == c(3);
        assert_eq!(unlocked(PathOrder::Free, &list, &third), [true, true, true]);
        assert_eq!(next_item(PathOrder::Free, &list, &third), Some(0));
        // Prerequisites hold in linear order too.
        assert_eq!(
            unlocked(PathOrder::Linear, &list, &|i| i == c(1)),
            [true, false, false]
        );
    }

    #[test]
    fn completion_needs_every_mandatory_item() {
        let list = items(&[(c(1), true, &[]), (c(2), false, &[])]);
        assert!(!is_complete(&list, &|_| false));
        assert!(is_complete(&list, &|i| i == c(1)));
        let optional_only = items(&[(c(1), false, &[])]);
        assert!(!is_complete(&optional_only, &|_| false));
        assert!(is_complete(&optional_only, &|_| true));
        assert!(!is_complete(&[], &|_| true));
    }

    #[test]
    fn changes_list_added_removed_optional_and_moved() {
        let old = items(&[(c(1), true, &[]), (c(2), true, &[]), (c(3), true, &[])]);
        let new = items(&[
            (c(3), true, &[]),
            (c(1), true, &[]),
            (c(2), false, &[]),
            (c(4), true, &[]),
        ]);
        let got: Vec<(PathChangeKind, i64)> = changes_between(&old, &new)
            .into_iter()
            .map(|c| (c.kind, c.item.id))
            .collect();
        assert_eq!(
            got,
            [
                (PathChangeKind::Moved, 3),
                (PathChangeKind::MadeOptional, 2),
                (PathChangeKind::Added, 4),
            ]
        );
        let removed = changes_between(&old, &old[..1]);
        assert_eq!(removed.len(), 2);
        assert!(removed.iter().all(|c| c.kind == PathChangeKind::Removed));
        assert!(changes_between(&old, &old).is_empty());
    }
}
