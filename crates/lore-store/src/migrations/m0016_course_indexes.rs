//! Indexes for the catalogue's orders (recently updated, newest): with them, a page that needs
//! no total (the home page's suggestions) walks the courses in order and stops at its last row
//! instead of sorting all of them (2,000 on the large dataset). And the courses a person
//! writes, found by owner and by co-author without reading every course (the query-plan story
//! found both reads whole).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (index, table, columns)
const INDEXES: &[(&str, &str, &[&str])] = &[
    ("courses_updated", "courses", &["updated_at", "id"]),
    ("courses_created", "courses", &["created_at", "id"]),
    ("courses_owner", "courses", &["owner_id"]),
    ("course_coauthors_user", "course_coauthors", &["user_id"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in INDEXES {
            let mut index = Index::create();
            index.if_not_exists().name(*name).table(Alias::new(*table));
            for c in *columns {
                index.col(Alias::new(*c));
            }
            m.create_index(index).await?;
        }
        Ok(())
    }
}
