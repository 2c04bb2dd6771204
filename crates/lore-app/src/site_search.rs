//! The search in every page's header: courses, learning needs and discussions at once, each
//! limited to what the caller may see, the first few of each with a way to the full list.

pub use lore_store::ThreadHit;

use crate::courses::catalogue::{CataloguePage, CatalogueQuery};
use crate::needs::NeedSummary;
use crate::{App, AppResult, Caller};

/// Hits of each kind shown on the search page.
pub const HITS_PER_KIND: u64 = 5;

/// What a search across Lore found.
#[derive(Debug, Clone)]
pub struct SiteSearch {
    /// The first courses, best match first, with the total for "see all".
    pub courses: CataloguePage,
    /// Needs the caller may see, best match first.
    pub needs: Vec<NeedSummary>,
    /// Discussions in courses the caller may take, most recently active first.
    pub threads: Vec<ThreadHit>,
}

impl App {
    /// Search courses, needs and discussions for every word of `text`.
    pub async fn search_everything(&self, caller: &Caller, text: &str) -> AppResult<SiteSearch> {
        let courses = self
            .catalogue(
                caller,
                &CatalogueQuery {
                    text: Some(text.to_owned()),
                    ..CatalogueQuery::default()
                },
                1,
                HITS_PER_KIND,
            )
            .await?;
        let scope = caller.scope();
        let ids = self.store.search_needs(&scope, text, HITS_PER_KIND).await?;
        let mut rows = self.store.needs_by_ids(&ids).await?;
        rows.sort_by_key(|n| ids.iter().position(|i| *i == n.id));
        let tree = self.group_tree().await?;
        let needs = self.summarise_needs(&tree, rows).await?;
        let threads = self
            .store
            .search_threads(&scope, text, HITS_PER_KIND * 2)
            .await?;
        Ok(SiteSearch {
            courses,
            needs,
            threads,
        })
    }
}
