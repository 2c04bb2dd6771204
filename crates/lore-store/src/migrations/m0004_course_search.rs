//! Full-text search over the newest published version of each course:
//! an FTS5 table on SQLite, a tsvector column with a GIN index on PostgreSQL.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let sql = match m.get_database_backend() {
            DbBackend::Sqlite => {
                "CREATE VIRTUAL TABLE course_search USING fts5(
                    title, summary, body, course_id UNINDEXED,
                    tokenize = 'porter unicode61 remove_diacritics 2'
                );"
            }
            _ => {
                "CREATE TABLE course_search (
                    course_id BIGINT PRIMARY KEY REFERENCES courses(id) ON DELETE CASCADE,
                    title TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    body TEXT NOT NULL,
                    document TSVECTOR NOT NULL
                );
                CREATE INDEX course_search_document ON course_search USING GIN (document);"
            }
        };
        m.get_connection().execute_unprepared(sql).await?;
        Ok(())
    }
}
