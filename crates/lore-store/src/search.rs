//! Course search: the index (engine-specific SQL, both engines side by side) and the
//! full-text query the catalogue runs its search with (`catalogue.rs`).
//! Snippets mark matched words with `\u{2}` … `\u{3}`; the page escapes the text and
//! turns the marks into `<mark>`, so course text can never inject markup.

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::{Backend, Store, StoreResult};

pub const MARK_START: char = '\u{2}';
pub const MARK_END: char = '\u{3}';

/// Words of a free-text query, with anything a search syntax could misread removed.
fn words(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(str::to_lowercase)
        .collect()
}

/// The engine's full-text query for every word of `query` (the last one as a prefix);
/// `None` when no word is left.
pub(crate) fn match_expression(backend: Backend, query: &str) -> Option<String> {
    let words = words(query);
    let last = words.len().checked_sub(1)?;
    let terms = words
        .iter()
        .enumerate()
        .map(|(i, w)| match (backend, i == last) {
            (Backend::Sqlite, true) => format!("\"{w}\"*"),
            (Backend::Sqlite, false) => format!("\"{w}\""),
            (Backend::Postgres, true) => format!("{w}:*"),
            (Backend::Postgres, false) => w.clone(),
        });
    let joiner = match backend {
        Backend::Sqlite => " AND ",
        Backend::Postgres => " & ",
    };
    Some(terms.collect::<Vec<_>>().join(joiner))
}

impl Store {
    /// Put (or replace) a course's searchable text.
    pub async fn index_course(
        &self,
        course_id: i64,
        title: &str,
        summary: &str,
        body: &str,
    ) -> StoreResult<()> {
        match self.backend {
            Backend::Sqlite => {
                self.db
                    .execute_raw(Statement::from_sql_and_values(
                        DbBackend::Sqlite,
                        "DELETE FROM course_search WHERE course_id = $1",
                        [course_id.into()],
                    ))
                    .await?;
                self.db
                    .execute_raw(Statement::from_sql_and_values(
                        DbBackend::Sqlite,
                        "INSERT INTO course_search (title, summary, body, course_id) VALUES ($1, $2, $3, $4)",
                        [title.into(), summary.into(), body.into(), course_id.into()],
                    ))
                    .await?;
            }
            Backend::Postgres => {
                self.db
                    .execute_raw(Statement::from_sql_and_values(
                        DbBackend::Postgres,
                        "INSERT INTO course_search (course_id, title, summary, body, document)
                         VALUES ($1, $2, $3, $4,
                            setweight(to_tsvector('english', $2), 'A') ||
                            setweight(to_tsvector('english', $3), 'B') ||
                            setweight(to_tsvector('english', $4), 'C'))
                         ON CONFLICT (course_id) DO UPDATE SET
                            title = EXCLUDED.title, summary = EXCLUDED.summary, body = EXCLUDED.body,
                            document = EXCLUDED.document",
                        [course_id.into(), title.into(), summary.into(), body.into()],
                    ))
                    .await?;
            }
        }
        Ok(())
    }

    pub async fn remove_from_search(&self, course_id: i64) -> StoreResult<()> {
        self.db
            .execute_raw(self.raw(
                "DELETE FROM course_search WHERE course_id = $1",
                vec![course_id.into()],
            ))
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_drop_syntax() {
        assert_eq!(
            words("rotate \"keys\" OR * NEAR(x)"),
            vec!["rotate", "keys", "or", "near", "x"]
        );
        assert!(words("  *** ").is_empty());
    }
}
