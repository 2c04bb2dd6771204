//! `threads`: a discussion topic on a step (or on the course when `step_key` is `None`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "threads")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    pub step_key: Option<String>,
    pub title: String,
    pub created_by: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    pub last_post_at: TimeDateTimeWithTimeZone,
    pub reply_count: i32,
    pub accepted_post_id: Option<i64>,
    pub locked: bool,
    pub hidden: bool,
    pub hidden_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
