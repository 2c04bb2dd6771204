//! `reactions`: a learner's signal on a step of one version; one of each kind per person.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reactions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    pub version_number: i32,
    pub step_key: String,
    pub user_id: i64,
    pub kind: String,
    pub comment: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
    /// `open`, `answered`, `fixed` or `dismissed` for negative kinds; `None` for positive ones.
    pub status: Option<String>,
    pub resolution_note: Option<String>,
    pub fixed_in_version: Option<i32>,
    pub resolved_by: Option<i64>,
    pub resolved_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
