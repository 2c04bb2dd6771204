//! `outcome_links`: a course or path linked to an outcome metric.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outcome_links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub metric_id: i64,
    /// `course` or `path`.
    pub target_kind: String,
    pub target_id: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    pub created_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
