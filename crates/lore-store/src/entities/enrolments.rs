//! `enrolments`: a person taking a course, on the version they started.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enrolments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub course_id: i64,
    pub version_number: i32,
    /// `self` or `assigned`.
    pub source: String,
    pub assigned_by: Option<i64>,
    pub due_at: Option<TimeDateTimeWithTimeZone>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub started_at: Option<TimeDateTimeWithTimeZone>,
    pub completed_at: Option<TimeDateTimeWithTimeZone>,
    pub last_step_key: Option<String>,
    /// A UUID naming this enrolment in the event log (xAPI's `registration`); filled for
    /// every row (m0010), nullable only because columns are added that way.
    pub registration: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
