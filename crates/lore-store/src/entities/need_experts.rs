//! `need_experts`: people who volunteered for a need or were assigned to answer it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "need_experts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub need_id: i64,
    pub user_id: i64,
    /// `volunteer` or `assigned`.
    pub state: String,
    pub assigned_by: Option<i64>,
    /// The draft course made for the expert when assigned.
    pub course_id: Option<i64>,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
