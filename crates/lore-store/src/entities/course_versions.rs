//! `course_versions`: version 1, 2, 3… of a course; immutable once `published`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    pub number: i32,
    /// `draft` or `published`.
    pub state: String,
    pub title: String,
    pub summary: String,
    pub language: String,
    /// JSON array of topics.
    pub tags: String,
    pub estimated_minutes: Option<i32>,
    pub cover_blob: Option<String>,
    pub change_note: String,
    /// Bumped by every save of the draft, to detect stale saves.
    pub revision: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub published_at: Option<TimeDateTimeWithTimeZone>,
    pub published_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
