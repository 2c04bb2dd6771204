//! Sibling groups have different names (ignoring case), also when two requests race.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // An expression index: both engines accept it; COALESCE makes top-level groups
        // (no parent) compare equal to each other.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX groups_sibling_name ON groups (COALESCE(parent_id, 0), LOWER(name))",
            )
            .await?;
        Ok(())
    }
}
