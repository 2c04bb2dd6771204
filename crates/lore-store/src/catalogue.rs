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
    fn catalogue_from(&self, sql: &mut Sql, scope: &Scope, f: &CatalogueFilter) {
        let text = f.text.as_deref().unwrap_or("");
        let expr = match_expression(self.backend, text);
        match (&expr, self.backend) {
            (Some(e), Backend::Sqlite) => {
                let e = sql.bind(e.clone());
                // FTS5's functions cannot run next to a window function (the page's total),
                // so the matches, their rank and snippet come from a subquery.
                sql.push(&format!(
                    " FROM (SELECT course_id AS hit_id, bm25(course_search, 10.0, 4.0, 1.0) AS score,
                              snippet(course_search, -1, char(2), char(3), '…', 16) AS snippet
                            FROM course_search WHERE course_search MATCH {e}) hits
                      JOIN courses c ON c.id = hits.hit_id
                      JOIN course_versions v ON v.course_id = c.id AND v.number = c.latest_version
                      WHERE "
                ));
            }
            (Some(e), Backend::Postgres) => {
                let e = sql.bind(e.clone());
                sql.push(&format!(
                    " FROM course_search s JOIN courses c ON c.id = s.course_id
                      JOIN course_versions v ON v.course_id = c.id AND v.number = c.latest_version,
                      to_tsquery('english', {e}) AS q
                      WHERE s.document @@ q AND "
                ));
            }
            (None, _) => {
                sql.push(
                    " FROM courses c
                      JOIN course_versions v ON v.course_id = c.id AND v.number = c.latest_version
                      WHERE ",
                );
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
        let snippet = match (searching, self.backend) {
            (false, _) => "NULL",
            (true, Backend::Sqlite) => "hits.snippet",
            (true, Backend::Postgres) => {
                "ts_headline('english', s.title || '. ' || s.summary || '. ' || s.body, q,
                    'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=24, MinWords=10, MaxFragments=1, FragmentDelimiter=…')"
            }
        };
        sql.push(&format!(
            "SELECT c.id AS course_id, c.group_id, v.title, v.summary, v.language, v.tags,
                    v.number, v.estimated_minutes, v.cover_blob, {snippet} AS snippet,
                    COUNT(*) OVER () AS total"
        ));
        self.catalogue_from(&mut sql, scope, f);
        let order = match (searching, self.backend) {
            (false, _) => "c.updated_at DESC, c.id DESC",
            (true, Backend::Sqlite) => "hits.score, c.id",
            (true, Backend::Postgres) => "ts_rank(s.document, q) DESC, c.id",
        };
        let limit_mark = sql.bind(limit.clamp(1, 500) as i64);
        let offset_mark = sql.bind(offset.min(i64::MAX as u64) as i64);
        sql.push(&format!(
            " ORDER BY {order} LIMIT {limit_mark} OFFSET {offset_mark}"
        ));
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        let total = match rows.first() {
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

    async fn catalogue_count(&self, scope: &Scope, f: &CatalogueFilter) -> StoreResult<u64> {
        let mut sql = Sql::default();
        sql.push("SELECT COUNT(*) AS n");
        self.catalogue_from(&mut sql, scope, f);
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
        self.catalogue_from(&mut sql, scope, &CatalogueFilter::default());
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
    })
}
