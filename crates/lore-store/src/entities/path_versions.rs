//! `path_versions`: a published version of a path, never changed after.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "path_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub path_id: i64,
    pub number: i32,
    pub title: String,
    pub description: String,
    pub order_mode: String,
    /// The change list from the version before, as JSON.
    pub changes: String,
    pub published_by: i64,
    pub published_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
