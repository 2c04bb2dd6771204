//! Finding courses: the catalogue of what a person may take, filtered and searched.

use lore_domain::ids::GroupId;
use lore_store::{CatalogueEnrolment, CatalogueFilter};

pub use lore_store::CatalogueSort;

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
    pub sort: CatalogueSort,
    /// Only the first page is wanted (home's suggestions): the total is not counted and is
    /// the number of entries.
    pub without_total: bool,
}

/// The catalogue's orders by name, as pages and the API spell them.
pub const SORTS: &[(&str, CatalogueSort, &str)] = &[
    ("relevance", CatalogueSort::Relevance, "Best match"),
    ("updated", CatalogueSort::Updated, "Recently updated"),
    ("newest", CatalogueSort::Newest, "Newest"),
    ("most_useful", CatalogueSort::MostUseful, "Most useful"),
];

/// The order named `name` (none: best match, or recently updated without a search).
pub fn parse_sort(name: Option<&str>) -> crate::AppResult<CatalogueSort> {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        None => Ok(CatalogueSort::Relevance),
        Some(n) => SORTS
            .iter()
            .find(|(word, _, _)| *word == n)
            .map(|(_, sort, _)| *sort)
            .ok_or_else(|| {
                crate::AppError::invalid(
                    "sort",
                    "Sort by relevance, updated, newest or most_useful.",
                )
            }),
    }
}

/// Where the caller stands with a course, as the catalogue shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MyStatus {
    /// Not enrolled.
    New,
    /// Assigned by a coach, not started, no due date.
    Assigned,
    /// Assigned with a due date still ahead, not finished.
    Due,
    /// Assigned with a due date passed, not finished.
    Overdue,
    /// Started, not finished.
    InProgress,
    /// Completed.
    Done,
}

impl MyStatus {
    /// Where the caller stands, from their enrolment (if any) at `now`.
    pub fn of(mine: Option<&CatalogueEnrolment>, now: time::OffsetDateTime) -> MyStatus {
        let Some(e) = mine else {
            return MyStatus::New;
        };
        if e.completed_at.is_some() {
            return MyStatus::Done;
        }
        match e.due_at {
            Some(due) if due < now => MyStatus::Overdue,
            Some(_) => MyStatus::Due,
            None if e.started_at.is_some() => MyStatus::InProgress,
            None if e.source == "assigned" => MyStatus::Assigned,
            None => MyStatus::InProgress,
        }
    }

    /// The status in words, for a badge.
    pub fn label(self) -> &'static str {
        match self {
            MyStatus::New => "new to you",
            MyStatus::Assigned => "assigned to you",
            MyStatus::Due => "assigned, due",
            MyStatus::Overdue => "overdue",
            MyStatus::InProgress => "in progress",
            MyStatus::Done => "done",
        }
    }

    /// The CSS word of the badge.
    pub fn as_str(self) -> &'static str {
        match self {
            MyStatus::New => "new",
            MyStatus::Assigned => "assigned",
            MyStatus::Due => "due",
            MyStatus::Overdue => "overdue",
            MyStatus::InProgress => "in-progress",
            MyStatus::Done => "done",
        }
    }
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
    /// People enrolled, on any version.
    pub learners: i64,
    /// −100 to 100, once enough people opened the course.
    pub reaction_score: Option<i32>,
    /// Where the caller stands with the course.
    pub my_status: MyStatus,
    /// When the caller's assignment is due, if it is.
    #[serde(with = "time::serde::rfc3339::option")]
    pub due_at: Option<time::OffsetDateTime>,
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
            viewer: Some(caller.id.0),
            sort: q.sort,
            without_total: q.without_total,
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
        let now = self.now();
        let entries = rows
            .into_iter()
            .map(|r| CatalogueEntry {
                my_status: MyStatus::of(r.mine.as_ref(), now),
                due_at: r.mine.as_ref().and_then(|m| m.due_at),
                learners: r.learners,
                reaction_score: lore_domain::reactions::reaction_score(
                    r.positive.max(0) as u64,
                    r.negative.max(0) as u64,
                    r.viewers.max(0) as u64,
                ),
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
