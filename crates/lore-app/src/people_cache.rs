//! Figures about the organisation kept between requests: the group tree (read two or three
//! times a page, 491 groups on the large dataset) and audience sizes (active people in a set of
//! groups and the groups below them, each counted once: tens of milliseconds on 50,000 people).
//! Both change only when groups, memberships or people change, which a database marker tells
//! (migration m0014, decision 0019). Every server keeps its own copy and checks the marker on
//! each use, so several servers never serve a figure another one made stale.

use std::collections::HashMap;
use std::sync::Mutex;

use lore_domain::group::{GroupNode, GroupTree};
use lore_domain::ids::GroupId;

use crate::{App, AppResult};

/// What one server keeps.
#[derive(Debug, Default)]
pub struct PeopleCache {
    audiences: AudienceCache,
    tree: Mutex<Option<(i64, GroupTree)>>,
}

/// The most audiences kept; past it the cache starts again (a board shows a few dozen).
const MAX_ENTRIES: usize = 10_000;

#[derive(Debug, Default)]
struct AudienceCache(Mutex<Kept>);

#[derive(Debug, Default)]
struct Kept {
    generation: Option<i64>,
    sizes: HashMap<Vec<i64>, u64>,
}

impl AudienceCache {
    /// The sizes known under `generation`, and the audiences still to count.
    fn lookup(
        &self,
        generation: i64,
        wanted: &[Vec<i64>],
    ) -> (HashMap<Vec<i64>, u64>, Vec<Vec<i64>>) {
        let mut known = HashMap::new();
        let mut missing = Vec::new();
        let Ok(mut kept) = self.0.lock() else {
            return (known, wanted.to_vec());
        };
        if kept.generation != Some(generation) {
            kept.generation = Some(generation);
            kept.sizes.clear();
        }
        for a in wanted {
            match kept.sizes.get(a) {
                Some(n) => {
                    known.insert(a.clone(), *n);
                }
                None => missing.push(a.clone()),
            }
        }
        (known, missing)
    }

    /// Keep sizes counted under `generation`, unless the marker moved on meanwhile.
    fn keep(&self, generation: i64, counted: &HashMap<Vec<i64>, u64>) {
        let Ok(mut kept) = self.0.lock() else {
            return;
        };
        if kept.generation != Some(generation) {
            return;
        }
        if kept.sizes.len() + counted.len() > MAX_ENTRIES {
            kept.sizes.clear();
        }
        kept.sizes
            .extend(counted.iter().map(|(k, v)| (k.clone(), *v)));
    }
}

impl App {
    /// The organisation tree, from the cache while the marker holds (read afresh inside a
    /// unit of work, which may have changed it).
    pub async fn group_tree(&self) -> AppResult<GroupTree> {
        if self.pending.is_some() {
            return self.read_group_tree().await;
        }
        let generation = self.store.people_generation().await?;
        if let Ok(kept) = self.people_cache.tree.lock()
            && let Some((g, tree)) = kept.as_ref()
            && *g == generation
        {
            return Ok(tree.clone());
        }
        let tree = self.read_group_tree().await?;
        if let Ok(mut kept) = self.people_cache.tree.lock() {
            *kept = Some((generation, tree.clone()));
        }
        Ok(tree)
    }

    async fn read_group_tree(&self) -> AppResult<GroupTree> {
        let rows = self.store.all_groups().await?;
        Ok(GroupTree::new(rows.into_iter().map(|g| GroupNode {
            id: GroupId(g.id),
            parent: g.parent_id.map(GroupId),
            name: g.name,
        })))
    }

    /// The size of each audience (groups sorted), from the cache where the marker allows.
    /// Inside a unit of work the sizes are counted afresh: they may see its own changes.
    pub(crate) async fn cached_audience_sizes(
        &self,
        audiences: Vec<Vec<i64>>,
    ) -> AppResult<HashMap<Vec<i64>, u64>> {
        if self.pending.is_some() {
            let sizes = self.store.audience_sizes(&audiences).await?;
            return Ok(audiences.into_iter().zip(sizes).collect());
        }
        let generation = self.store.people_generation().await?;
        let (mut known, missing) = self.people_cache.audiences.lookup(generation, &audiences);
        if !missing.is_empty() {
            let sizes = self.store.audience_sizes(&missing).await?;
            let counted: HashMap<Vec<i64>, u64> = missing.into_iter().zip(sizes).collect();
            self.people_cache.audiences.keep(generation, &counted);
            known.extend(counted);
        }
        Ok(known)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_generation_forgets_what_was_counted() {
        let cache = AudienceCache::default();
        let a = vec![1, 2];
        let (_, missing) = cache.lookup(7, std::slice::from_ref(&a));
        assert_eq!(missing, vec![a.clone()]);
        cache.keep(7, &HashMap::from([(a.clone(), 40)]));
        let (known, missing) = cache.lookup(7, std::slice::from_ref(&a));
        assert_eq!(known.get(&a), Some(&40));
        assert!(missing.is_empty());
        let (known, missing) = cache.lookup(8, std::slice::from_ref(&a));
        assert!(known.is_empty());
        assert_eq!(missing, vec![a]);
    }

    #[test]
    fn sizes_counted_under_an_old_generation_are_not_kept() {
        let cache = AudienceCache::default();
        let a = vec![3];
        cache.lookup(1, std::slice::from_ref(&a));
        cache.lookup(2, std::slice::from_ref(&a));
        cache.keep(1, &HashMap::from([(a.clone(), 5)]));
        let (known, _) = cache.lookup(2, std::slice::from_ref(&a));
        assert!(known.is_empty());
    }
}
