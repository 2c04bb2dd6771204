//! Finding courses: the catalogue of what a person may take, filtered and searched.

use std::collections::HashMap;

use lore_domain::ids::GroupId;
use lore_domain::policy::Action;

use super::CourseContext;
use super::authoring::tags_of;
use crate::{App, AppResult, Caller};

/// Filters of the catalogue page and the search API.
#[derive(Debug, Clone, Default)]
pub struct CatalogueQuery {
    pub text: Option<String>,
    pub group_id: Option<i64>,
    pub topic: Option<String>,
    pub language: Option<String>,
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

impl App {
    /// Courses the caller may take, newest first, or best match first for a text query.
    pub async fn catalogue(
        &self,
        caller: &Caller,
        q: &CatalogueQuery,
    ) -> AppResult<Vec<CatalogueEntry>> {
        let tree = self.group_tree().await?;
        let courses = self.store.courses(false).await?;
        let mut audiences: HashMap<i64, Vec<i64>> = HashMap::new();
        for (c, g) in self.store.all_audiences().await? {
            audiences.entry(c).or_default().push(g);
        }
        let mut coauthors: HashMap<i64, Vec<i64>> = HashMap::new();
        for (c, u) in self.store.all_coauthors().await? {
            coauthors.entry(c).or_default().push(u);
        }
        let visible: Vec<CourseContext> = courses
            .into_iter()
            .filter(|c| c.latest_version.is_some())
            .map(|c| {
                let id = c.id;
                Self::context_from(
                    &tree,
                    c,
                    coauthors.remove(&id).unwrap_or_default(),
                    audiences.remove(&id).unwrap_or_default(),
                )
            })
            .filter(|ctx| ctx.can(caller, Action::TakeCourse))
            .filter(|ctx| {
                q.group_id.is_none_or(|g| {
                    tree.is_within(GroupId(ctx.course.group_id), GroupId(g))
                        || ctx
                            .audiences
                            .iter()
                            .any(|a| tree.is_within(GroupId(*a), GroupId(g)))
                })
            })
            .collect();
        let version_ids = visible
            .iter()
            .map(|ctx| (ctx.course.id, ctx.course.latest_version.unwrap_or(0)))
            .collect::<Vec<_>>();
        let versions: HashMap<(i64, i32), lore_store::VersionRow> = self
            .store
            .versions_of_courses(version_ids.iter().map(|(c, _)| *c).collect())
            .await?
            .into_iter()
            .map(|v| ((v.course_id, v.number), v))
            .collect();
        let hits: Option<Vec<(i64, String)>> =
            match q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                Some(text) => Some(self.store.search_courses(text, 200).await?),
                None => None,
            };
        let mut entries: Vec<CatalogueEntry> = visible
            .iter()
            .filter_map(|ctx| {
                let v = versions.get(&(ctx.course.id, ctx.course.latest_version?))?;
                let tags = tags_of(v);
                if let Some(topic) = q.topic.as_deref().filter(|t| !t.is_empty())
                    && !tags.iter().any(|t| t.eq_ignore_ascii_case(topic))
                {
                    return None;
                }
                if let Some(lang) = q.language.as_deref().filter(|l| !l.is_empty())
                    && !v.language.eq_ignore_ascii_case(lang)
                {
                    return None;
                }
                Some(CatalogueEntry {
                    course_id: ctx.course.id,
                    title: v.title.clone(),
                    summary: v.summary.clone(),
                    group_path: tree.path(GroupId(ctx.course.group_id)),
                    language: v.language.clone(),
                    tags,
                    version: v.number,
                    estimated_minutes: v.estimated_minutes,
                    cover: v.cover_blob.clone(),
                    snippet: None,
                })
            })
            .collect();
        if let Some(hits) = hits {
            // Keep only matches, in the order of their rank.
            let rank: HashMap<i64, (usize, String)> = hits
                .into_iter()
                .enumerate()
                .map(|(i, (id, s))| (id, (i, s)))
                .collect();
            entries.retain(|e| rank.contains_key(&e.course_id));
            for e in &mut entries {
                e.snippet = rank.get(&e.course_id).map(|(_, s)| s.clone());
            }
            entries.sort_by_key(|e| rank.get(&e.course_id).map_or(usize::MAX, |(i, _)| *i));
        }
        Ok(entries)
    }

    /// Topics and languages in use, for the catalogue's filters.
    pub fn catalogue_facets(entries: &[CatalogueEntry]) -> (Vec<String>, Vec<String>) {
        let mut topics: Vec<String> = entries
            .iter()
            .flat_map(|e| e.tags.iter().cloned())
            .collect();
        topics.sort();
        topics.dedup();
        let mut languages: Vec<String> = entries.iter().map(|e| e.language.clone()).collect();
        languages.sort();
        languages.dedup();
        (topics, languages)
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
