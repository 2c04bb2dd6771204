//! The header's search across Lore: needs and discussions the caller may see that match every
//! word (courses come from the catalogue's own search). Visibility is in the SQL, so a page
//! of hits is one statement whatever the data.

use lore_domain::visibility::Scope;
use sea_orm::ConnectionTrait;

use crate::search::match_expression;
use crate::visibility::{Sql, takeable_course, visible_need};
use crate::{Backend, Store, StoreResult, Timestamp};

/// A discussion that matches: its thread, its course, and how much it holds.
#[derive(Debug, Clone)]
pub struct ThreadHit {
    pub thread_id: i64,
    pub course_id: i64,
    pub course_title: String,
    pub title: String,
    pub reply_count: i64,
    pub answered: bool,
    pub last_post_at: Timestamp,
}

impl Store {
    /// Needs the scope may see whose title, problem or questions hold every word of `text`
    /// (the last as a prefix), best match first, leaving out merged ones.
    pub async fn search_needs(
        &self,
        scope: &Scope,
        text: &str,
        limit: u64,
    ) -> StoreResult<Vec<i64>> {
        let Some(expr) = match_expression(self.backend, text) else {
            return Ok(Vec::new());
        };
        let mut sql = Sql::default();
        let e = sql.bind(expr);
        match self.backend {
            Backend::Sqlite => sql.push(&format!(
                "SELECT n.id AS id FROM (SELECT need_id, bm25(need_search, 10.0, 3.0, 3.0) AS score
                   FROM need_search WHERE need_search MATCH {e}) hits
                 JOIN needs n ON n.id = hits.need_id WHERE n.status <> 'merged' AND "
            )),
            Backend::Postgres => sql.push(&format!(
                "SELECT n.id AS id FROM to_tsquery('english', {e}) AS q, need_search s
                 JOIN needs n ON n.id = s.need_id
                 WHERE s.document @@ q AND n.status <> 'merged' AND "
            )),
        };
        let visible = visible_need(&mut sql, scope);
        sql.push(&visible);
        let order = match self.backend {
            Backend::Sqlite => "hits.score, n.id",
            Backend::Postgres => "ts_rank(s.document, q) DESC, n.id",
        };
        let limit = sql.bind(limit.clamp(1, 100) as i64);
        sql.push(&format!(" ORDER BY {order} LIMIT {limit}"));
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<i64>("", "id")?))
            .collect()
    }

    /// Discussions the caller may see whose title or visible posts hold every word of `text`
    /// (the last as a prefix), most recently active first. The words are looked up in the
    /// thread search index (migration m0015), kept true by triggers.
    pub async fn search_threads(
        &self,
        scope: &Scope,
        text: &str,
        limit: u64,
    ) -> StoreResult<Vec<ThreadHit>> {
        let Some(expr) = match_expression(self.backend, text) else {
            return Ok(Vec::new());
        };
        let mut sql = Sql::default();
        let e = sql.bind(expr);
        let hits = match self.backend {
            Backend::Sqlite => format!(
                "(SELECT rowid AS hit FROM thread_search WHERE thread_search MATCH {e}) hits"
            ),
            Backend::Postgres => format!(
                "(SELECT thread_id AS hit FROM thread_search
                  WHERE document @@ to_tsquery('english', {e})) hits"
            ),
        };
        sql.push(&format!(
            "SELECT t.id AS thread_id, t.course_id, v.title AS course_title, t.title,
                    t.reply_count, t.accepted_post_id, t.last_post_at
             FROM {hits}
             JOIN threads t ON t.id = hits.hit
             JOIN courses c ON c.id = t.course_id
             JOIN course_versions v ON v.course_id = c.id AND v.number = c.latest_version
             WHERE t.hidden = FALSE AND c.status = 'active' AND "
        ));
        let visible = takeable_course(&mut sql, scope);
        sql.push(&visible);
        let limit = sql.bind(limit.clamp(1, 100) as i64);
        sql.push(&format!(
            " ORDER BY t.last_post_at DESC, t.id DESC LIMIT {limit}"
        ));
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ThreadHit {
                    thread_id: r.try_get("", "thread_id")?,
                    course_id: r.try_get("", "course_id")?,
                    course_title: r.try_get("", "course_title")?,
                    title: r.try_get("", "title")?,
                    reply_count: i64::from(r.try_get::<i32>("", "reply_count")?),
                    answered: r.try_get::<Option<i64>>("", "accepted_post_id")?.is_some(),
                    last_post_at: r.try_get("", "last_post_at")?,
                })
            })
            .collect()
    }
}
