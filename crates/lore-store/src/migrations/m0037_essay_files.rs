//! A file with an essay answer (issue 18, docs/decisions/0050): at most one per answer,
//! a stored blob named by its hash. The row is what makes the file private: `/blobs/{hash}`
//! refuses a hash attached to an answer, which is served by the answer's own route.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum EssayFiles {
    Table,
    Id,
    AttemptId,
    QuestionKey,
    Hash,
    Name,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(EssayFiles::Table)
                .col(big_pk_auto(EssayFiles::Id))
                .col(big_integer(EssayFiles::AttemptId))
                .col(string(EssayFiles::QuestionKey))
                .col(string(EssayFiles::Hash))
                .col(string(EssayFiles::Name))
                .col(timestamp_with_time_zone(EssayFiles::CreatedAt))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("essay_files_one_per_answer")
                .table(EssayFiles::Table)
                .col(EssayFiles::AttemptId)
                .col(EssayFiles::QuestionKey)
                .unique()
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("essay_files_hash")
                .table(EssayFiles::Table)
                .col(EssayFiles::Hash)
                .take(),
        )
        .await?;
        Ok(())
    }
}
