//! `assignments`: a course or path assigned to a person or a group.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `course` or `path`.
    pub target_kind: String,
    pub target_id: i64,
    pub group_id: Option<i64>,
    pub user_id: Option<i64>,
    pub due_at: Option<TimeDateTimeWithTimeZone>,
    pub due_days: Option<i32>,
    pub reminder_rule: Option<String>,
    pub reason: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub ended_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
