//! The catalogue as one query: the courses a caller may take, filtered, searched and cut into
//! pages by the database, whatever the number of courses.

use lore_domain::visibility::Scope;
use sea_orm::{ConnectionTrait, QueryResult};

use crate::search::match_expression;
use crate::visibility::{Sql, takeable_course};
use crate::{Backend, Store, StoreResult};

/// What the catalogue shows.
#[derive(Debug, Clone, Default)]
pub struct CatalogueFilter {
    /// Free text: every word must match (the last as a prefix); best match first.
    pub text: Option<String>,
    /// Courses owned by, or addressed to, this group or a group below it.
    pub group_id: Option<i64>,
    /// A topic (tag) of the newest version, any case.
    pub topic: Option<String>,
    /// The language of the newest version, any case.
    pub language: Option<String>,
    /// Leave out courses this person is enrolled in (for suggestions).
    pub not_taken_by: Option<i64>,
    /// Whose enrolment each row carries (their status on the course).
    pub viewer: Option<i64>,
    /// Leave the total out (it is the number of rows shown): without a text query the
    /// database may then stop at the page's last row instead of reading every course.
    pub without_total: bool,
    /// The order of the rows.
    pub sort: CatalogueSort,
}

/// The orders of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CatalogueSort {
    /// Best match first with a text query; most recently changed otherwise.
    #[default]
    Relevance,
    /// Most recently changed first.
    Updated,
    /// Most recently created first.
    Newest,
    /// Highest reaction score first (courses without a score yet last), then most learners.
    MostUseful,
}

/// The viewer's enrolment on a catalogue row, as stored.
#[derive(Debug, Clone)]
pub struct CatalogueEnrolment {
    pub source: String,
    pub due_at: Option<crate::Timestamp>,
    pub started_at: Option<crate::Timestamp>,
    pub completed_at: Option<crate::Timestamp>,
}

/// One course of a catalogue page: the course and its newest published version.
#[derive(Debug, Clone)]
pub struct CatalogueRow {
    pub course_id: i64,
    pub group_id: i64,
    pub title: String,
    pub summary: String,
    pub language: String,
    /// JSON array of strings, as stored.
    pub tags: String,
    pub version: i32,
    pub estimated_minutes: Option<i32>,
    pub cover_blob: Option<String>,
    /// With a text query: the best matching passage, matched words between `\u{2}` and `\u{3}`.
    pub snippet: Option<String>,
    /// People enrolled, on any version.
    pub learners: i64,
    /// Reactions and viewers, from the stored course health (0 before any).
    pub positive: i64,
    pub negative: i64,
    pub viewers: i64,
    /// The viewer's enrolment, if they have one.
    pub mine: Option<CatalogueEnrolment>,
}

/// `%"topic"%`: the topic as a whole JSON string inside the stored tag array, `LIKE`-escaped.
fn topic_pattern(topic: &str) -> String {
    let json = serde_json::to_string(&topic.trim().to_lowercase()).unwrap_or_default();
    let mut out = String::from("%");
    for ch in json.chars() {
        if matches!(ch, '%' | '_' | '!') {
            out.push('!');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

impl Store {
    /// The FROM and WHERE shared by a catalogue page and its facets.
    /// `join` goes after the courses and their versions (the viewer's enrolment, or nothing).
    fn catalogue_from(&self, sql: &mut Sql, scope: &Scope, f: &CatalogueFilter, join: &str) {
        let text = f.text.as_deref().unwrap_or("");
        let expr = match_expression(self.backend, text);
        match (&expr, self.backend) {
            (Some(e), Backend::Sqlite) => {
                let e = sql.bind(e.clone());
                // FTS5's functions cannot run next to a window function (the page's total),
                // so the matches and their rank come from a subquery (the snippet is made
                // for the page's rows by the outer query).
                sql.push(&format!(
                    " FROM (SELECT rowid AS hit_rowid, course_id AS hit_id,
                              bm25(course_search, 10.0, 4.0, 1.0) AS score
                            FROM course_search WHERE course_search MATCH {e}) hits
                      JOIN courses c ON c.id = hits.hit_id
                      JOIN course_versions v ON v.course_id = c.id AND v.number = c.latest_version
                      {join}
                      WHERE "
                ));
            }
            (Some(e), Backend::Postgres) => {
                let e = sql.bind(e.clone());
                sql.push(&format!(
                    " FROM to_tsquery('english', {e}) AS q, course_search s
                      JOIN courses c ON c.id = s.course_id
                      JOIN course_versions v ON v.course_id = c.id AND v.number = c.latest_version
                      {join}
                      WHERE s.document @@ q AND "
                ));
            }
            (None, _) => {
                sql.push(&format!(
                    " FROM courses c
                      JOIN course_versions v ON v.course_id = c.id AND v.number = c.latest_version
                      {join}
                      WHERE "
                ));
            }
        }
        sql.push("c.status = 'active' AND c.latest_version IS NOT NULL AND ");
        let visible = takeable_course(sql, scope);
        sql.push(&visible);
        if let Some(g) = f.group_id {
            let group = [lore_domain::ids::GroupId(g)];
            let owning = sql.at_or_below("c.group_id", &group);
            let audience = sql.at_or_below("ga.group_id", &group);
            sql.push(&format!(
                " AND ({owning} OR EXISTS (SELECT 1 FROM course_audiences ga
                        WHERE ga.course_id = c.id AND {audience}))"
            ));
        }
        if let Some(topic) = f.topic.as_deref().filter(|t| !t.trim().is_empty()) {
            let p = sql.bind(topic_pattern(topic));
            sql.push(&format!(" AND LOWER(v.tags) LIKE {p} ESCAPE '!'"));
        }
        if let Some(lang) = f.language.as_deref().filter(|l| !l.trim().is_empty()) {
            let p = sql.bind(lang.trim().to_lowercase());
            sql.push(&format!(" AND LOWER(v.language) = {p}"));
        }
        if let Some(user) = f.not_taken_by {
            let u = sql.bind(user);
            sql.push(&format!(
                " AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.course_id = c.id AND e.user_id = {u})"
            ));
        }
    }

    /// One page of the catalogue and the number of courses on all pages. Without text, the
    /// most recently changed courses come first; with text, the best matches.
    pub async fn catalogue_page(
        &self,
        scope: &Scope,
        f: &CatalogueFilter,
        limit: u64,
        offset: u64,
    ) -> StoreResult<(Vec<CatalogueRow>, u64)> {
        let searching = f
            .text
            .as_deref()
            .is_some_and(|t| match_expression(self.backend, t).is_some());
        let mut sql = Sql::default();
        // The best passage of each row, made for the page's rows only (in the outer query):
        // made in the inner one, it was made for every match before the cut.
        let snippet = match (searching, self.backend) {
            (false, _) => "NULL".to_owned(),
            (true, Backend::Sqlite) => {
                let e = sql.bind(
                    match_expression(self.backend, f.text.as_deref().unwrap_or(""))
                        .unwrap_or_default(),
                );
                format!(
                    "(SELECT snippet(course_search, -1, char(2), char(3), '…', 16)
                      FROM course_search WHERE course_search MATCH {e}
                        AND course_search.rowid = page.hit_rowid)"
                )
            }
            (true, Backend::Postgres) => {
                let e = sql.bind(
                    match_expression(self.backend, f.text.as_deref().unwrap_or(""))
                        .unwrap_or_default(),
                );
                format!(
                    "(SELECT ts_headline('english', s2.title || '. ' || s2.summary || '. ' || s2.body,
                        to_tsquery('english', {e}),
                        'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=24, MinWords=10, MaxFragments=1, FragmentDelimiter=…')
                      FROM course_search s2 WHERE s2.course_id = page.course_id)"
                )
            }
        };
        let hit_rowid = match (searching, self.backend) {
            (true, Backend::Sqlite) => "hits.hit_rowid",
            _ => "NULL",
        };
        let viewer = sql.bind(f.viewer.unwrap_or(0));
        let order = self.catalogue_order(searching, f.sort);
        let columns = format!(
            "c.id AS course_id, c.group_id, v.title, v.summary, v.language, v.tags,
             v.number, v.estimated_minutes, v.cover_blob, {hit_rowid} AS hit_rowid,
             h.positive, h.negative, h.viewers,
             me.source AS my_source, me.due_at AS my_due_at,
             me.started_at AS my_started_at, me.completed_at AS my_completed_at"
        );
        let mine = format!(
            " LEFT JOIN course_health h ON h.course_id = c.id
              LEFT JOIN enrolments me ON me.course_id = c.id AND me.user_id = {viewer}"
        );
        // Without a total and a search (the home page's suggestions), the database may walk
        // the courses in order and stop at the page's last row.
        let lean = f.without_total && !searching;
        if lean {
            sql.push(&format!(
                "SELECT {columns}, NULL AS snippet, 0 AS total,
                    (SELECT COUNT(*) FROM enrolments le WHERE le.course_id = c.id) AS learners"
            ));
        } else {
            // The people enrolled are counted in an outer query, for the page's rows only: in
            // the inner one, the page's total (a window over every matching course) made the
            // count run for all of them, 780,000 enrolments on the large dataset.
            sql.push(&format!(
                "SELECT page.*, {snippet} AS snippet,
                    (SELECT COUNT(*) FROM enrolments le WHERE le.course_id = page.course_id)
                      AS learners
                 FROM (SELECT {columns},
                    COUNT(*) OVER () AS total, ROW_NUMBER() OVER (ORDER BY {order}) AS pos"
            ));
        }
        self.catalogue_from(&mut sql, scope, f, &mine);
        let limit_mark = sql.bind(limit.clamp(1, 500) as i64);
        let offset_mark = sql.bind(offset.min(i64::MAX as u64) as i64);
        if lean {
            sql.push(&format!(
                " ORDER BY {order} LIMIT {limit_mark} OFFSET {offset_mark}"
            ));
        } else {
            sql.push(&format!(
                " ORDER BY pos LIMIT {limit_mark} OFFSET {offset_mark}) page ORDER BY page.pos"
            ));
        }
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        let total = match rows.first() {
            Some(_) if lean => offset + rows.len() as u64,
            Some(r) => r.try_get::<i64>("", "total")? as u64,
            // Past the last page: count what there is, for the page links.
            None if offset > 0 => self.catalogue_count(scope, f).await?,
            None => 0,
        };
        let rows = rows
            .iter()
            .map(catalogue_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((rows, total))
    }

    /// The ORDER BY of a catalogue page.
    fn catalogue_order(&self, searching: bool, sort: CatalogueSort) -> String {
        let relevance = match self.backend {
            Backend::Sqlite => "hits.score, c.id",
            Backend::Postgres => "ts_rank(s.document, q) DESC, c.id",
        };
        let greatest = match self.backend {
            Backend::Sqlite => "MAX",
            Backend::Postgres => "GREATEST",
        };
        // The reaction score of lore_domain::reactions::reaction_score, NULL below the views
        // it needs (`h` is the course's stored health, joined by the page's query).
        let score = format!(
            "CASE WHEN h.viewers >= {min} THEN
                 100.0 * (h.positive - h.negative)
                 / {greatest}(h.positive + h.negative, (h.viewers + {per} - 1) / {per}, 1)
               END",
            min = lore_domain::reactions::MIN_VIEWS,
            per = lore_domain::reactions::VIEWS_PER_REACTION,
        );
        match (sort, searching) {
            (CatalogueSort::Relevance, true) => relevance.to_owned(),
            (CatalogueSort::Relevance | CatalogueSort::Updated, _) => {
                "c.updated_at DESC, c.id DESC".to_owned()
            }
            (CatalogueSort::Newest, _) => "c.created_at DESC, c.id DESC".to_owned(),
            (CatalogueSort::MostUseful, _) => format!(
                "{score} DESC NULLS LAST, \
                 (SELECT COUNT(*) FROM enrolments le WHERE le.course_id = c.id) DESC, c.id DESC"
            ),
        }
    }

    async fn catalogue_count(&self, scope: &Scope, f: &CatalogueFilter) -> StoreResult<u64> {
        let mut sql = Sql::default();
        sql.push("SELECT COUNT(*) AS n");
        self.catalogue_from(&mut sql, scope, f, "");
        let row = self
            .db
            .query_one_raw(self.raw(&sql.text, sql.values))
            .await?;
        Ok(row.map_or(Ok(0), |r| r.try_get::<i64>("", "n"))? as u64)
    }

    /// The languages and tag lists of every course the scope may take, for the filters.
    pub async fn catalogue_facets(&self, scope: &Scope) -> StoreResult<Vec<(String, String)>> {
        let mut sql = Sql::default();
        sql.push("SELECT DISTINCT v.language, v.tags");
        self.catalogue_from(&mut sql, scope, &CatalogueFilter::default(), "");
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("", "language")?, r.try_get("", "tags")?)))
            .collect()
    }
}

fn catalogue_row(r: &QueryResult) -> StoreResult<CatalogueRow> {
    Ok(CatalogueRow {
        course_id: r.try_get("", "course_id")?,
        group_id: r.try_get("", "group_id")?,
        title: r.try_get("", "title")?,
        summary: r.try_get("", "summary")?,
        language: r.try_get("", "language")?,
        tags: r.try_get("", "tags")?,
        version: r.try_get("", "number")?,
        estimated_minutes: r.try_get("", "estimated_minutes")?,
        cover_blob: r.try_get("", "cover_blob")?,
        snippet: r.try_get("", "snippet")?,
        learners: r.try_get("", "learners")?,
        positive: r.try_get::<Option<i64>>("", "positive")?.unwrap_or(0),
        negative: r.try_get::<Option<i64>>("", "negative")?.unwrap_or(0),
        viewers: r.try_get::<Option<i64>>("", "viewers")?.unwrap_or(0),
        mine: match r.try_get::<Option<String>>("", "my_source")? {
            Some(source) => Some(CatalogueEnrolment {
                source,
                due_at: r.try_get("", "my_due_at")?,
                started_at: r.try_get("", "my_started_at")?,
                completed_at: r.try_get("", "my_completed_at")?,
            }),
            None => None,
        },
    })
}
