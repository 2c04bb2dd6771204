//! Bulk loading for generated datasets (`lore demo --size large`): many rows per `INSERT`,
//! explicit ids, secondary indexes dropped while a big table fills. Never used by use cases,
//! which write one action at a time in their unit of work (docs/decisions/0017).

use sea_orm::{ConnectionTrait, Value};

use crate::{Backend, Store, StoreResult};

/// Bound values per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535).
const MAX_PARAMS: usize = 30_000;

/// The tables a bulk load fills with explicit ids; their PostgreSQL sequences are moved past
/// the largest id afterwards so the next use case's insert gets a fresh one.
const TABLES_WITH_IDS: &[&str] = &[
    "users",
    "groups",
    "memberships",
    "courses",
    "course_versions",
    "course_steps",
    "course_questions",
    "evaluation_settings",
    "enrolments",
    "step_progress",
    "events",
    "attempts",
    "reactions",
    "threads",
    "posts",
    "needs",
    "need_audiences",
    "need_votes",
    "need_followers",
    "need_events",
];

/// A secondary index taken off a table for a bulk load, with the statement that makes it again.
#[derive(Debug, Clone)]
pub struct DroppedIndex {
    pub name: String,
    pub create_sql: String,
}

impl Store {
    /// Has nobody been written yet: no account, no group, no course? A bulk load only goes
    /// into such a database.
    pub async fn is_empty(&self) -> StoreResult<bool> {
        let row = self
            .db
            .query_one_raw(self.raw(
                "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM groups)
                      + (SELECT COUNT(*) FROM courses) AS n",
                vec![],
            ))
            .await?;
        let n: i64 = match row {
            Some(r) => r.try_get("", "n")?,
            None => 0,
        };
        Ok(n == 0)
    }

    /// Insert `values` (row after row, `columns.len()` values each) into `table` with as
    /// many rows per statement as the bound-parameter limits allow. Table and column names
    /// are the caller's constants, never input.
    pub async fn bulk_insert(
        &self,
        table: &str,
        columns: &[&str],
        values: Vec<Value>,
    ) -> StoreResult<()> {
        let width = columns.len();
        if width == 0 || values.is_empty() {
            return Ok(());
        }
        debug_assert_eq!(values.len() % width, 0, "whole rows only");
        let rows_per_statement = (MAX_PARAMS / width).max(1);
        let head = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut full_sql: Option<String> = None;
        let mut values = values.into_iter();
        let mut left = values.len() / width;
        while left > 0 {
            let rows = left.min(rows_per_statement);
            let chunk: Vec<Value> = values.by_ref().take(rows * width).collect();
            let sql = if rows == rows_per_statement {
                full_sql
                    .get_or_insert_with(|| insert_sql(self.backend, &head, width, rows))
                    .clone()
            } else {
                insert_sql(self.backend, &head, width, rows)
            };
            self.db.execute_raw(self.raw(&sql, chunk)).await?;
            left -= rows;
        }
        Ok(())
    }

    /// Take the non-unique secondary indexes off `table` (to be made again with
    /// [`Store::restore_indexes`] once it is full: building an index once is much cheaper
    /// than keeping it in order through millions of inserts).
    pub async fn drop_secondary_indexes(&self, table: &str) -> StoreResult<Vec<DroppedIndex>> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT name, sql AS create_sql FROM sqlite_master
                 WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL
                   AND sql NOT LIKE 'CREATE UNIQUE%'"
            }
            Backend::Postgres => {
                "SELECT indexname AS name, indexdef AS create_sql FROM pg_indexes
                 WHERE schemaname = current_schema() AND tablename = $1
                   AND indexdef NOT LIKE 'CREATE UNIQUE%'"
            }
        };
        let rows = self
            .db
            .query_all_raw(self.raw(sql, vec![table.into()]))
            .await?;
        let mut dropped = Vec::with_capacity(rows.len());
        for r in rows {
            let index = DroppedIndex {
                name: r.try_get("", "name")?,
                create_sql: r.try_get("", "create_sql")?,
            };
            self.db
                .execute_unprepared(&format!("DROP INDEX \"{}\"", index.name))
                .await?;
            dropped.push(index);
        }
        Ok(dropped)
    }

    /// Make again the indexes [`Store::drop_secondary_indexes`] took off.
    pub async fn restore_indexes(&self, indexes: &[DroppedIndex]) -> StoreResult<()> {
        for index in indexes {
            self.db.execute_unprepared(&index.create_sql).await?;
        }
        Ok(())
    }

    /// After a bulk load with explicit ids: move each PostgreSQL id sequence past the
    /// largest id, and let both planners see the new sizes of the tables.
    pub async fn finish_bulk_load(&self) -> StoreResult<()> {
        match self.backend {
            Backend::Postgres => {
                for table in TABLES_WITH_IDS {
                    self.db
                        .execute_unprepared(&format!(
                            "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                                    COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                        ))
                        .await?;
                }
                self.db.execute_unprepared("ANALYZE").await?;
            }
            Backend::Sqlite => {
                self.db.execute_unprepared("ANALYZE").await?;
            }
        }
        Ok(())
    }
}

/// The statement for `rows` rows of `width` values. SQLite gets anonymous `?` placeholders:
/// it looks a numbered one (`$7`) up by name in a list, one scan per value, which makes a
/// statement of 30,000 values take seconds to bind instead of milliseconds.
fn insert_sql(backend: Backend, head: &str, width: usize, rows: usize) -> String {
    let mut sql = String::with_capacity(head.len() + rows * width * 7);
    sql.push_str(head);
    let mut n = 1;
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..width {
            if c > 0 {
                sql.push(',');
            }
            match backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => {
                    sql.push('$');
                    sql.push_str(&n.to_string());
                    n += 1;
                }
            }
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::fresh_sqlite;

    #[test]
    fn statements_number_every_value() {
        assert_eq!(
            insert_sql(Backend::Postgres, "INSERT INTO t (a, b) VALUES ", 2, 2),
            "INSERT INTO t (a, b) VALUES ($1,$2),($3,$4)"
        );
        assert_eq!(
            insert_sql(Backend::Sqlite, "INSERT INTO t (a, b) VALUES ", 2, 2),
            "INSERT INTO t (a, b) VALUES (?,?),(?,?)"
        );
    }

    #[tokio::test]
    async fn rows_beyond_one_statement_all_arrive_and_indexes_come_back() {
        let (_dir, store) = fresh_sqlite().await;
        store.migrate().await.expect("migrate");
        assert!(store.is_empty().await.expect("empty"));
        let now = crate::test_support::NOW;
        let n = 25_000_i64; // more than one statement's worth at 4 columns
        let mut values = Vec::new();
        for i in 1..=n {
            values.extend([
                Value::from(i),
                Value::from(i % 7),
                Value::from("viewed-course"),
                Value::from(now),
            ]);
        }
        let dropped = store.drop_secondary_indexes("events").await.expect("drop");
        assert!(!dropped.is_empty(), "events has secondary indexes");
        store
            .bulk_insert("events", &["id", "user_id", "verb", "occurred_at"], values)
            .await
            .expect("insert");
        store.restore_indexes(&dropped).await.expect("restore");
        store.finish_bulk_load().await.expect("finish");
        let again = store.drop_secondary_indexes("events").await.expect("again");
        assert_eq!(again.len(), dropped.len(), "every index is back");
        let count = store
            .db
            .query_one_raw(store.raw("SELECT COUNT(*) AS n FROM events", vec![]))
            .await
            .expect("count")
            .expect("row")
            .try_get::<i64>("", "n")
            .expect("n");
        assert_eq!(count, n);
    }
}
