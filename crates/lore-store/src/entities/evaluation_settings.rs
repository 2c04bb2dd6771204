//! `evaluation_settings`: how a version's final evaluation runs.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluation_settings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub version_id: i64,
    /// `practice` or `exam`.
    pub mode: String,
    /// Percent needed to pass.
    pub pass_mark: i32,
    pub max_attempts: Option<i32>,
    pub time_limit_minutes: Option<i32>,
    pub shuffle: bool,
    pub required_for_completion: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
