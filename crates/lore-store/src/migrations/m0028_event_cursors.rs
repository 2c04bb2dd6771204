//! Where each reader of the events is (docs/decisions/0033): the xAPI statements written from
//! Lore's events page through the events in commit order `(tx_id, id)` (m0027), from the
//! first, so the learning record store holds everything people did, history included. (The
//! outbox's cursors cannot serve: their rows are pruned, and pruning counts every cursor.)

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "CREATE TABLE event_cursors (
                    name VARCHAR(64) NOT NULL PRIMARY KEY,
                    tx_id BIGINT NOT NULL,
                    event_id BIGINT NOT NULL)",
            )
            .await?;
        Ok(())
    }
}
