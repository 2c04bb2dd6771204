//! Fewer B-trees for every stored statement (docs/decisions/0036, second pass).
//!
//! Each statement put a key at a random place in about a dozen B-trees; committing a batch of
//! a hundred then writes several hundred pages. Here:
//! - on SQLite, the agent and activity rows become one `WITHOUT ROWID` B-tree each, keyed
//!   (key, seq) — they were a rowid table, its primary-key index and a `seq` index. The `seq`
//!   index and the foreign key served only deleting statements, which Lore never does;
//! - on PostgreSQL, the `seq` indexes of those tables go, for the same reason;
//! - the `voids` and `registration` indexes keep only the statements that have one (most
//!   statements void nothing, many have no registration), as partial indexes: every query
//!   using them compares the column with a value, which implies it is not null.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, key column)
const INDEX_TABLES: [(&str, &str); 2] = [
    ("xapi_statement_agents", "agent_key"),
    ("xapi_statement_activities", "activity_id"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for (table, key) in INDEX_TABLES {
            match m.get_database_backend() {
                DbBackend::Sqlite => {
                    db.execute_unprepared(&format!(
                        "CREATE TABLE {table}_new (
                            {key} TEXT NOT NULL,
                            seq BIGINT NOT NULL,
                            direct BOOLEAN NOT NULL,
                            PRIMARY KEY ({key}, seq)) WITHOUT ROWID;
                        INSERT INTO {table}_new ({key}, seq, direct)
                            SELECT {key}, seq, direct FROM {table} ORDER BY {key}, seq;
                        DROP TABLE {table};
                        ALTER TABLE {table}_new RENAME TO {table};"
                    ))
                    .await?;
                }
                _ => {
                    db.execute_unprepared(&format!("DROP INDEX IF EXISTS {table}_seq"))
                        .await?;
                }
            }
        }
        db.execute_unprepared(
            "DROP INDEX xapi_statements_voids;
             CREATE INDEX xapi_statements_voids ON xapi_statements (voids)
                 WHERE voids IS NOT NULL;
             DROP INDEX xapi_statements_registration;
             CREATE INDEX xapi_statements_registration ON xapi_statements (registration, seq)
                 WHERE registration IS NOT NULL;",
        )
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::ConnectionTrait;
    use sea_orm_migration::MigratorTrait;

    use crate::migrations::Migrator;
    use crate::test_support::fresh_sqlite;

    async fn one_string(store: &crate::Store, sql: &str) -> String {
        store
            .db
            .query_one_raw(store.raw(sql, vec![]))
            .await
            .expect("query")
            .expect("a row")
            .try_get_by_index(0)
            .expect("a string")
    }

    /// Index rows stored before the rebuild are still found by key after it; the new tables
    /// have no rowid and the indexes of optional columns are partial.
    #[tokio::test]
    async fn index_rows_survive_the_rebuild() {
        let (_dir, store) = fresh_sqlite().await;
        let pool = store.pool().expect("pool");
        Migrator::up(pool, Some(30))
            .await
            .expect("migrate to m0030");
        store
            .db
            .execute_unprepared(
                "INSERT INTO xapi_statements (seq, statement_id, stored_ms, verb, statement) \
                 VALUES (7, 'a', 1, 'v', '{}');
                 INSERT INTO xapi_statement_agents (seq, agent_key, direct) \
                 VALUES (7, 'mbox:mailto:ada@acme.test', TRUE);
                 INSERT INTO xapi_statement_activities (seq, activity_id, direct) \
                 VALUES (7, 'https://acme.test/a', FALSE);",
            )
            .await
            .expect("rows before");
        store.migrate().await.expect("migrate to the end");
        assert_eq!(
            one_string(
                &store,
                "SELECT CAST(seq AS TEXT) || ' ' || CAST(direct AS TEXT) \
                 FROM xapi_statement_agents WHERE agent_key = 'mbox:mailto:ada@acme.test'"
            )
            .await,
            "7 1"
        );
        assert_eq!(
            one_string(
                &store,
                "SELECT CAST(seq AS TEXT) || ' ' || CAST(direct AS TEXT) \
                 FROM xapi_statement_activities WHERE activity_id = 'https://acme.test/a'"
            )
            .await,
            "7 0"
        );
        let table = one_string(
            &store,
            "SELECT sql FROM sqlite_master WHERE name = 'xapi_statement_agents'",
        )
        .await;
        assert!(table.contains("WITHOUT ROWID"), "{table}");
        let voids = one_string(
            &store,
            "SELECT sql FROM sqlite_master WHERE name = 'xapi_statements_voids'",
        )
        .await;
        assert!(voids.contains("WHERE voids IS NOT NULL"), "{voids}");
    }
}
