//! xAPI index rows by epoch on SQLite (docs/decisions/0056): the agent and activity rows are
//! keyed `(epoch, key, seq)`, and registrations get rows of their own keyed the same way in
//! place of the `registration` index, so that a commit writes a few pages of each B-tree
//! instead of one page per statement. PostgreSQL is unchanged.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::xapi_index_rows::EPOCH_BITS;

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
        if m.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        let db = m.get_connection();
        for (table, key) in INDEX_TABLES {
            db.execute_unprepared(&format!(
                "CREATE TABLE {table}_new (
                    epoch INTEGER NOT NULL,
                    {key} TEXT NOT NULL,
                    seq BIGINT NOT NULL,
                    direct BOOLEAN NOT NULL,
                    PRIMARY KEY (epoch, {key}, seq)) WITHOUT ROWID;
                INSERT INTO {table}_new (epoch, {key}, seq, direct)
                    SELECT seq >> {EPOCH_BITS}, {key}, seq, direct FROM {table}
                    ORDER BY seq >> {EPOCH_BITS}, {key}, seq;
                DROP TABLE {table};
                ALTER TABLE {table}_new RENAME TO {table};"
            ))
            .await?;
        }
        db.execute_unprepared(&format!(
            "CREATE TABLE xapi_statement_registrations (
                epoch INTEGER NOT NULL,
                registration TEXT NOT NULL,
                seq BIGINT NOT NULL,
                PRIMARY KEY (epoch, registration, seq)) WITHOUT ROWID;
            INSERT INTO xapi_statement_registrations (epoch, registration, seq)
                SELECT seq >> {EPOCH_BITS}, registration, seq FROM xapi_statements
                WHERE registration IS NOT NULL
                ORDER BY seq >> {EPOCH_BITS}, registration, seq;
            DROP INDEX xapi_statements_registration;"
        ))
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

    async fn strings(store: &crate::Store, sql: &str) -> Vec<String> {
        store
            .db
            .query_all_raw(store.raw(sql, vec![]))
            .await
            .expect("query")
            .iter()
            .map(|r| r.try_get_by_index(0).expect("a string"))
            .collect()
    }

    /// Rows stored before the migration are found by key after it, each in its epoch, and
    /// the registrations of stored statements have rows of their own.
    #[tokio::test]
    async fn index_rows_move_to_their_epochs() {
        let (_dir, store) = fresh_sqlite().await;
        let pool = store.pool().expect("pool");
        Migrator::up(pool, Some(37))
            .await
            .expect("migrate to m0037");
        store
            .db
            .execute_unprepared(
                "INSERT INTO xapi_statements (seq, statement_id, stored_ms, verb, registration, \
                 statement) VALUES (7, 'a', 1, 'v', 'r1', '{}'), (5000, 'b', 2, 'v', NULL, '{}');
                 INSERT INTO xapi_statement_agents (seq, agent_key, direct) \
                 VALUES (7, 'mbox:mailto:ada@acme.test', TRUE), \
                 (5000, 'mbox:mailto:ada@acme.test', FALSE);
                 INSERT INTO xapi_statement_activities (seq, activity_id, direct) \
                 VALUES (5000, 'https://acme.test/a', TRUE);",
            )
            .await
            .expect("rows before");
        store.migrate().await.expect("migrate to the end");
        assert_eq!(
            strings(
                &store,
                "SELECT epoch || ' ' || seq || ' ' || direct FROM xapi_statement_agents \
                 WHERE agent_key = 'mbox:mailto:ada@acme.test' ORDER BY seq"
            )
            .await,
            ["0 7 1", "1 5000 0"]
        );
        assert_eq!(
            strings(
                &store,
                "SELECT epoch || ' ' || seq FROM xapi_statement_activities \
                 WHERE activity_id = 'https://acme.test/a'"
            )
            .await,
            ["1 5000"]
        );
        assert_eq!(
            strings(
                &store,
                "SELECT epoch || ' ' || registration || ' ' || seq \
                 FROM xapi_statement_registrations"
            )
            .await,
            ["0 r1 7"]
        );
        assert!(
            strings(
                &store,
                "SELECT name FROM sqlite_master WHERE name = 'xapi_statements_registration'"
            )
            .await
            .is_empty(),
            "the registration index is gone"
        );
    }
}
