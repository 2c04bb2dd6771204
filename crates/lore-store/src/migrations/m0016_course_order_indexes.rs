//! Indexes for the catalogue's orders (recently updated, newest): with them, a page that needs
//! no total (the home page's suggestions) walks the courses in order and stops at its last row
//! instead of sorting all of them (2,000 on the large dataset).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
    UpdatedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .if_not_exists()
                .name("courses_updated")
                .table(Courses::Table)
                .col(Courses::UpdatedAt)
                .col(Courses::Id)
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .if_not_exists()
                .name("courses_created")
                .table(Courses::Table)
                .col(Courses::CreatedAt)
                .col(Courses::Id)
                .take(),
        )
        .await?;
        Ok(())
    }
}
