//! `outcome_values`: one person's value of a metric in one period.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "outcome_values")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub metric_id: i64,
    pub user_id: i64,
    /// `2026-11`, `2026-W48` or `2026-Q4`.
    pub period: String,
    pub starts_at: TimeDateTimeWithTimeZone,
    pub ends_at: TimeDateTimeWithTimeZone,
    pub value: f64,
    pub imported_at: TimeDateTimeWithTimeZone,
    pub imported_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
