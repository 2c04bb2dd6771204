//! Statements that target other statements (docs/decisions/0035): a row per statement whose
//! object is a StatementRef and per statement it reaches through a chain of them (a → b → c
//! gives (a, b), (a, c), (b, c)), so that a query filtered by agent, verb, activity or
//! registration also finds the statements targeting a match in one indexed step.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One more link of every chain; repeated until nothing is added.
const CLOSE_CHAINS: &str = "INSERT INTO xapi_statement_refs (seq, target_id)
    SELECT DISTINCT a.seq, b.target_id FROM xapi_statement_refs a
    JOIN xapi_statements t ON t.statement_id = a.target_id
    JOIN xapi_statement_refs b ON b.seq = t.seq
    WHERE NOT EXISTS (SELECT 1 FROM xapi_statement_refs c
        WHERE c.seq = a.seq AND c.target_id = b.target_id)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE TABLE xapi_statement_refs (
                seq BIGINT NOT NULL,
                target_id VARCHAR(36) NOT NULL,
                PRIMARY KEY (seq, target_id));
            CREATE INDEX xapi_statement_refs_target ON xapi_statement_refs (target_id);",
        )
        .await?;
        // Statements stored before this migration: their StatementRef objects.
        let fill = match m.get_database_backend() {
            DbBackend::Sqlite => {
                "INSERT INTO xapi_statement_refs (seq, target_id)
                 SELECT seq, lower(json_extract(statement, '$.object.id')) FROM xapi_statements
                 WHERE json_extract(statement, '$.object.objectType') = 'StatementRef'
                 AND json_extract(statement, '$.object.id') IS NOT NULL"
            }
            _ => {
                "INSERT INTO xapi_statement_refs (seq, target_id)
                 SELECT seq, lower((statement::jsonb) -> 'object' ->> 'id') FROM xapi_statements
                 WHERE (statement::jsonb) -> 'object' ->> 'objectType' = 'StatementRef'
                 AND (statement::jsonb) -> 'object' ->> 'id' IS NOT NULL"
            }
        };
        db.execute_unprepared(fill).await?;
        while db.execute_unprepared(CLOSE_CHAINS).await?.rows_affected() > 0 {}
        Ok(())
    }
}
