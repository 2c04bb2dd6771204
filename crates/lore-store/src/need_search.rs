//! Finding what is similar to a need while someone types it: needs and courses about the
//! same thing (a rare word in the title, or two of them in the text; not every word, as the
//! catalogue search asks), best match first.

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::{Backend, Store, StoreResult};

/// Words too common to say two needs are alike: grammar, and the filler of course and
/// need titles ("basics", "guide", "for everyone").
const STOP_WORDS: &[&str] = &[
    "about",
    "advanced",
    "after",
    "all",
    "and",
    "any",
    "application",
    "applications",
    "are",
    "basic",
    "basics",
    "beginners",
    "best",
    "better",
    "but",
    "can",
    "could",
    "course",
    "courses",
    "does",
    "essentials",
    "everyone",
    "first",
    "for",
    "from",
    "fundamentals",
    "get",
    "getting",
    "good",
    "guide",
    "have",
    "how",
    "intro",
    "introduction",
    "into",
    "its",
    "learn",
    "learning",
    "minutes",
    "more",
    "need",
    "needs",
    "new",
    "not",
    "our",
    "overview",
    "people",
    "practical",
    "primer",
    "should",
    "some",
    "started",
    "team",
    "teams",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "tips",
    "to",
    "tutorial",
    "use",
    "want",
    "was",
    "way",
    "were",
    "what",
    "when",
    "where",
    "which",
    "who",
    "why",
    "will",
    "with",
    "work",
    "working",
    "would",
    "you",
    "your",
];

/// The meaningful words of a text: letters and digits, three or more, no stop words.
fn telling_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in text.split(|c: char| !c.is_alphanumeric()) {
        let w = w.to_lowercase();
        if w.chars().count() >= 3 && !STOP_WORDS.contains(&w.as_str()) && !out.contains(&w) {
            out.push(w);
        }
        if out.len() == 12 {
            break;
        }
    }
    out
}

/// An any-word search over one search table, in each engine's words; `$1` is the query,
/// `$2` the limit, and the result column is `id`.
struct AnyWordQuery {
    sqlite: &'static str,
    postgres: &'static str,
}

const NEED_SEARCH: AnyWordQuery = AnyWordQuery {
    sqlite: "SELECT need_id AS id FROM need_search WHERE need_search MATCH $1
             ORDER BY bm25(need_search, 10.0, 3.0, 3.0) LIMIT $2",
    postgres: "SELECT need_id AS id FROM need_search, to_tsquery('english', $1) AS q
               WHERE document @@ q ORDER BY ts_rank(document, q) DESC, need_id LIMIT $2",
};

const COURSE_SEARCH: AnyWordQuery = AnyWordQuery {
    sqlite: "SELECT course_id AS id FROM course_search WHERE course_search MATCH $1
             ORDER BY bm25(course_search, 10.0, 4.0, 1.0) LIMIT $2",
    postgres: "SELECT course_id AS id FROM course_search, to_tsquery('english', $1) AS q
               WHERE document @@ q ORDER BY ts_rank(document, q) DESC, course_id LIMIT $2",
};

/// A search table searched by topic: its name, its head columns (FTS5 column filter on
/// SQLite, tsvector weights on PostgreSQL) and its ranked query.
struct TopicTable {
    name: &'static str,
    fts5_head: &'static str,
    ts_head: &'static str,
    query: AnyWordQuery,
}

const NEED_TOPIC: TopicTable = TopicTable {
    name: "need_search",
    fts5_head: "{title}",
    ts_head: "A",
    query: NEED_SEARCH,
};

const COURSE_TOPIC: TopicTable = TopicTable {
    name: "course_search",
    fts5_head: "{title summary}",
    ts_head: "AB",
    query: COURSE_SEARCH,
};

/// Every pair of words, each as `(a <and> b)`.
fn pairs(words: &[String], term: impl Fn(&str) -> String, and: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, a) in words.iter().enumerate() {
        for b in &words[i + 1..] {
            out.push(format!("({}{and}{})", term(a), term(b)));
        }
    }
    out
}

impl Store {
    /// Put (or replace) a need's searchable text.
    pub async fn index_need(
        &self,
        need_id: i64,
        title: &str,
        problem: &str,
        questions: &str,
    ) -> StoreResult<()> {
        match self.backend {
            Backend::Sqlite => {
                self.db
                    .execute_raw(self.raw(
                        "DELETE FROM need_search WHERE need_id = $1",
                        vec![need_id.into()],
                    ))
                    .await?;
                self.db
                    .execute_raw(self.raw(
                        "INSERT INTO need_search (title, problem, questions, need_id) VALUES ($1, $2, $3, $4)",
                        vec![title.into(), problem.into(), questions.into(), need_id.into()],
                    ))
                    .await?;
            }
            Backend::Postgres => {
                self.db
                    .execute_raw(Statement::from_sql_and_values(
                        DbBackend::Postgres,
                        "INSERT INTO need_search (need_id, title, problem, questions, document)
                         VALUES ($1, $2, $3, $4,
                            setweight(to_tsvector('english', $2), 'A') ||
                            setweight(to_tsvector('english', $3), 'B') ||
                            setweight(to_tsvector('english', $4), 'B'))
                         ON CONFLICT (need_id) DO UPDATE SET
                            title = EXCLUDED.title, problem = EXCLUDED.problem,
                            questions = EXCLUDED.questions, document = EXCLUDED.document",
                        [
                            need_id.into(),
                            title.into(),
                            problem.into(),
                            questions.into(),
                        ],
                    ))
                    .await?;
            }
        }
        Ok(())
    }

    /// Needs about what `text` names, best first (see [`Store::courses_on_topic`] for what
    /// counts): a need that merely shares a common word ("production", "setup") is not
    /// offered as "already asked".
    pub async fn similar_needs(&self, text: &str, limit: u64) -> StoreResult<Vec<i64>> {
        self.on_topic(&NEED_TOPIC, text, limit).await
    }

    /// Courses about what `text` names, best first, for a need's "courses that may answer it".
    pub async fn similar_courses(&self, text: &str, limit: u64) -> StoreResult<Vec<i64>> {
        self.on_topic(&COURSE_TOPIC, text, limit).await
    }

    /// Courses about what `text` names, best first, for evidence of expertise, where a
    /// passing word must not count.
    pub async fn courses_on_topic(&self, text: &str, limit: u64) -> StoreResult<Vec<i64>> {
        self.on_topic(&COURSE_TOPIC, text, limit).await
    }

    /// Rows of a search table about what `text` names. Only the words that single rows out
    /// are used: a word in more than a fifth of the rows (and more than two), like
    /// "production" or "find", says nothing about a topic. A row then counts when its title
    /// (or summary) has one of those words, or its text has two of them.
    async fn on_topic(&self, table: &TopicTable, text: &str, limit: u64) -> StoreResult<Vec<i64>> {
        // FTS5 keeps one row per document in its `_docsize` shadow table, an ordinary table
        // whose rows are counted from its b-tree; counting the virtual table reads every row.
        let counted = match self.backend {
            Backend::Sqlite => format!("{}_docsize", table.name),
            Backend::Postgres => table.name.to_owned(),
        };
        let total = self
            .count_in(&format!("SELECT COUNT(*) AS n FROM {counted}"), None)
            .await?;
        let common = (total / 5).max(2);
        let mut telling = Vec::new();
        for w in telling_words(text).into_iter().take(8) {
            let found = match self.backend {
                Backend::Sqlite => {
                    self.count_in(
                        &format!(
                            "SELECT COUNT(*) AS n FROM {0} WHERE {0} MATCH $1",
                            table.name
                        ),
                        Some(format!("\"{w}\"*")),
                    )
                    .await?
                }
                Backend::Postgres => {
                    self.count_in(
                        &format!(
                            "SELECT COUNT(*) AS n FROM {} WHERE document @@ to_tsquery('english', $1)",
                            table.name
                        ),
                        Some(format!("{w}:*")),
                    )
                    .await?
                }
            };
            if found > 0 && found <= common {
                telling.push(w);
            }
        }
        if telling.is_empty() {
            return Ok(Vec::new());
        }
        let limit = limit.min(100) as i64;
        let stmt = match self.backend {
            Backend::Sqlite => {
                let head = telling
                    .iter()
                    .map(|w| format!("\"{w}\"*"))
                    .collect::<Vec<_>>()
                    .join(" OR ");
                let mut any = vec![format!("{} : ({head})", table.fts5_head)];
                any.extend(pairs(&telling, |w| format!("\"{w}\"*"), " AND "));
                self.raw(
                    table.query.sqlite,
                    vec![any.join(" OR ").into(), limit.into()],
                )
            }
            Backend::Postgres => {
                let mut any: Vec<String> = telling
                    .iter()
                    .map(|w| format!("{w}:*{}", table.ts_head))
                    .collect();
                any.extend(pairs(&telling, |w| format!("{w}:*"), " & "));
                self.raw(
                    table.query.postgres,
                    vec![any.join(" | ").into(), limit.into()],
                )
            }
        };
        self.ids(stmt).await
    }

    async fn count_in(&self, sql: &str, query: Option<String>) -> StoreResult<i64> {
        let values = query.map(|q| vec![q.into()]).unwrap_or_default();
        let row = self.db.query_one_raw(self.raw(sql, values)).await?;
        Ok(row
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0))
    }

    async fn ids(&self, stmt: Statement) -> StoreResult<Vec<i64>> {
        let rows = self.db.query_all_raw(stmt).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(row.try_get::<i64>("", "id")?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_of_words() {
        let three = ["slow", "postgresql", "queries"].map(str::to_owned);
        assert_eq!(
            pairs(&three, |w| format!("{w}:*"), " & "),
            vec![
                "(slow:* & postgresql:*)",
                "(slow:* & queries:*)",
                "(postgresql:* & queries:*)"
            ]
        );
        assert!(pairs(&three[..1], |w| w.to_owned(), " & ").is_empty());
    }

    #[test]
    fn only_telling_words_count() {
        assert_eq!(
            telling_words("How do we rotate the TLS certificates? rotate!"),
            vec!["rotate", "tls", "certificates"]
        );
        assert!(telling_words("how to do it").is_empty());
    }
}
