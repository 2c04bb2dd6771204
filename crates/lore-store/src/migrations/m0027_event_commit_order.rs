//! Events in commit order (docs/decisions/0032): a `tx_id` column like the outbox's, so that a
//! reader outside Lore (the CRM feed) can page through the events with a cursor and never
//! skip one that committed late. On SQLite it stays 0 (writers take turns, ids grow in commit
//! order); on PostgreSQL new rows get their transaction's id, and rows from before keep 0
//! (they all committed before the first new one).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        // A constant default: no table rewrite on either engine.
        db.execute_unprepared("ALTER TABLE events ADD COLUMN tx_id BIGINT NOT NULL DEFAULT 0")
            .await?;
        if m.get_database_backend() == sea_orm::DbBackend::Postgres {
            // From now on every insert gets its transaction's id (existing rows keep 0).
            db.execute_unprepared(
                "ALTER TABLE events ALTER COLUMN tx_id
                 SET DEFAULT pg_current_xact_id()::text::bigint",
            )
            .await?;
        }
        db.execute_unprepared("CREATE INDEX events_commit_order ON events (tx_id, id)")
            .await?;
        Ok(())
    }
}
