//! `events`: one learning action each, appended and never changed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub verb: String,
    pub course_id: Option<i64>,
    pub version_number: Option<i32>,
    pub step_key: Option<String>,
    /// The evaluation attempt, for attempt events.
    pub attempt_id: Option<i64>,
    /// The need, for need events.
    pub need_id: Option<i64>,
    /// The enrolment's registration (a UUID), for events of an enrolled person in a course.
    pub registration: Option<String>,
    /// The group the action happened in (the course's owning group).
    pub group_id: Option<i64>,
    /// JSON details, if any.
    pub data: Option<String>,
    pub occurred_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
