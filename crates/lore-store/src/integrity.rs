//! Is the database whole? SQLite's own check of every page, index and constraint, and
//! whether the file is a Lore database at all (for `lore restore` and the crash test).

use sea_orm::ConnectionTrait;

use crate::{Backend, Store, StoreResult};

/// What the integrity check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntegrityReport {
    /// SQLite's `PRAGMA integrity_check` and `PRAGMA foreign_key_check` findings; empty when
    /// the database is whole. Always empty on PostgreSQL, which checks as it writes.
    pub problems: Vec<String>,
    /// Migrations applied, by count; 0 means the file is not (yet) a Lore database.
    pub migrations: usize,
}

impl IntegrityReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// How many problems to list at most: a badly damaged file has one per page.
const MAX_PROBLEMS: u32 = 100;

impl Store {
    /// Check the whole database: every page and index (`PRAGMA integrity_check`) and every
    /// foreign key (`PRAGMA foreign_key_check`) on SQLite. Reads only.
    pub async fn integrity_check(&self) -> StoreResult<IntegrityReport> {
        let mut problems = Vec::new();
        if self.backend == Backend::Sqlite {
            let rows = self
                .db
                .query_all_raw(self.raw(
                    &format!("PRAGMA integrity_check({MAX_PROBLEMS})"),
                    Vec::new(),
                ))
                .await?;
            for row in rows {
                let line: String = row.try_get_by_index(0)?;
                if line != "ok" {
                    problems.push(line);
                }
            }
            let rows = self
                .db
                .query_all_raw(self.raw("PRAGMA foreign_key_check", Vec::new()))
                .await?;
            for row in rows {
                let table: String = row.try_get_by_index(0)?;
                let rowid: Option<i64> = row.try_get_by_index(1)?;
                let parent: String = row.try_get_by_index(2)?;
                problems.push(format!(
                    "row {} of {table} names a missing row of {parent}",
                    rowid.map_or_else(|| "?".to_owned(), |r| r.to_string())
                ));
            }
        }
        let migrations = self.applied_migration_count().await?;
        Ok(IntegrityReport {
            problems,
            migrations,
        })
    }

    /// Migrations recorded in the database; 0 when there is no migration table.
    async fn applied_migration_count(&self) -> StoreResult<usize> {
        let exists_sql = match self.backend {
            Backend::Sqlite => {
                "SELECT COUNT(*) AS n FROM sqlite_master \
                 WHERE type = 'table' AND name = 'seaql_migrations'"
            }
            Backend::Postgres => {
                "SELECT COUNT(*) AS n FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = 'seaql_migrations'"
            }
        };
        let tables = self.count(exists_sql).await?;
        if tables == 0 {
            return Ok(0);
        }
        let applied = self
            .count("SELECT COUNT(*) AS n FROM seaql_migrations")
            .await?;
        Ok(usize::try_from(applied).unwrap_or(0))
    }

    async fn count(&self, sql: &str) -> StoreResult<i64> {
        let row = self.db.query_one_raw(self.raw(sql, Vec::new())).await?;
        Ok(match row {
            Some(row) => row.try_get("", "n")?,
            None => 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::fresh_sqlite;

    #[tokio::test]
    async fn a_fresh_database_is_whole_and_counts_its_migrations() -> crate::StoreResult<()> {
        let (_dir, store) = fresh_sqlite().await;
        let empty = store.integrity_check().await?;
        assert!(empty.is_ok(), "{empty:?}");
        assert_eq!(empty.migrations, 0, "an empty file is not a Lore database");
        store.migrate().await?;
        let migrated = store.integrity_check().await?;
        assert!(migrated.is_ok(), "{migrated:?}");
        assert!(migrated.migrations > 10, "{migrated:?}");
        Ok(())
    }

    #[tokio::test]
    async fn a_dangling_foreign_key_is_reported() -> crate::StoreResult<()> {
        use sea_orm::ConnectionTrait;
        let (_dir, store) = fresh_sqlite().await;
        store.migrate().await?;
        // A row written with the checks off, as a damaged or hand-edited file may hold.
        store
            .db
            .execute_unprepared(
                "PRAGMA foreign_keys = OFF; \
                 INSERT INTO memberships (group_id, user_id, role, created_at) \
                 VALUES (999, 998, 'learner', '2026-11-02 09:00:00+00:00');",
            )
            .await?;
        let report = store.integrity_check().await?;
        assert!(!report.is_ok(), "{report:?}");
        assert!(
            report.problems.iter().any(|p| p.contains("memberships")),
            "{report:?}"
        );
        Ok(())
    }
}
