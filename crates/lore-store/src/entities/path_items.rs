//! `path_items`: the items of a path's draft (version 0) and of each published version.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "path_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub path_id: i64,
    pub version_number: i32,
    pub position: i32,
    /// `course` or `path`.
    pub item_kind: String,
    pub item_id: i64,
    pub mandatory: bool,
    pub final_evaluation: bool,
    /// Prerequisites as item keys separated by spaces.
    pub after: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
