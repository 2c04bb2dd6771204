//! Finding courses: the catalogue of what a person may take, filtered and searched.

use lore_domain::ids::GroupId;
use lore_store::CatalogueFilter;

use crate::{App, AppResult, Caller};

/// Filters of the catalogue page and the search API.
#[derive(Debug, Clone, Default)]
pub struct CatalogueQuery {
    pub text: Option<String>,
    pub group_id: Option<i64>,
    pub topic: Option<String>,
    pub language: Option<String>,
    /// Leave out courses the caller is enrolled in (suggestions on the home page).
    pub not_taken: bool,
}

/// One course in the catalogue.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CatalogueEntry {
    pub course_id: i64,
    pub title: String,
    pub summary: String,
    pub group_path: String,
    pub language: String,
    pub tags: Vec<String>,
    pub version: i32,
    pub estimated_minutes: Option<i32>,
    /// Hash of the cover image, if any.
    pub cover: Option<String>,
    /// With a text query: the best matching passage; `\u{2}`/`\u{3}` mark the matched words.
    pub snippet: Option<String>,
}

/// One page of the catalogue.
#[derive(Debug, Clone)]
pub struct CataloguePage {
    pub entries: Vec<CatalogueEntry>,
    /// Courses on all pages.
    pub total: u64,
    /// From 1.
    pub page: u64,
    pub per_page: u64,
}

impl CataloguePage {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page).max(1)
    }
}

/// Courses on one catalogue page, unless the caller asks for another size.
pub const CATALOGUE_PAGE_SIZE: u64 = 24;

impl App {
    /// One page of the courses the caller may take: newest first, or best match first for a
    /// text query. Visibility, filters, order and the page are all the database's work.
    pub async fn catalogue(
        &self,
        caller: &Caller,
        q: &CatalogueQuery,
        page: u64,
        per_page: u64,
    ) -> AppResult<CataloguePage> {
        let page = page.max(1);
        let per_page = per_page.clamp(1, 200);
        let filter = CatalogueFilter {
            text: q.text.clone(),
            group_id: q.group_id,
            topic: q.topic.clone(),
            language: q.language.clone(),
            not_taken_by: q.not_taken.then_some(caller.id.0),
        };
        let (rows, total) = self
            .store
            .catalogue_page(
                &caller.scope(),
                &filter,
                per_page,
                (page - 1).saturating_mul(per_page),
            )
            .await?;
        let tree = self.group_tree().await?;
        let entries = rows
            .into_iter()
            .map(|r| CatalogueEntry {
                course_id: r.course_id,
                group_path: tree.path(GroupId(r.group_id)),
                tags: serde_json::from_str(&r.tags).unwrap_or_default(),
                title: r.title,
                summary: r.summary,
                language: r.language,
                version: r.version,
                estimated_minutes: r.estimated_minutes,
                cover: r.cover_blob,
                snippet: r.snippet,
            })
            .collect();
        Ok(CataloguePage {
            entries,
            total,
            page,
            per_page,
        })
    }

    /// Topics and languages of every course the caller may take, for the catalogue's filters
    /// (from everything visible, so a filter never hides its own options).
    pub async fn catalogue_facets(&self, caller: &Caller) -> AppResult<(Vec<String>, Vec<String>)> {
        let rows = self.store.catalogue_facets(&caller.scope()).await?;
        let mut topics: Vec<String> = rows
            .iter()
            .flat_map(|(_, tags)| serde_json::from_str::<Vec<String>>(tags).unwrap_or_default())
            .collect();
        topics.sort();
        topics.dedup();
        let mut languages: Vec<String> = rows.into_iter().map(|(l, _)| l).collect();
        languages.sort();
        languages.dedup();
        Ok((topics, languages))
    }

    /// Bring the search index in line with the course's newest published version
    /// (or remove it when the course is archived or unpublished).
    pub async fn reindex_course(&self, course_id: i64) -> AppResult<()> {
        let Some(course) = self.store.course(course_id).await? else {
            self.store.remove_from_search(course_id).await?;
            return Ok(());
        };
        let version = match (course.status.as_str(), course.latest_version) {
            ("active", Some(n)) => self.store.version(course_id, n).await?,
            _ => None,
        };
        match version {
            Some(v) => {
                let steps = self.store.steps_of(v.id).await?;
                let body = steps
                    .iter()
                    .map(|s| format!("{}. {}", s.title, crate::markdown::plain_text(&s.body)))
                    .collect::<Vec<_>>()
                    .join("\n");
                self.store
                    .index_course(course_id, &v.title, &v.summary, &body)
                    .await?;
            }
            None => self.store.remove_from_search(course_id).await?,
        }
        Ok(())
    }
}
