//! `attempts`: one person's try at an evaluation, stored whole; immutable once submitted.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub course_id: i64,
    pub version_number: i32,
    pub mode: String,
    /// Seed of the shuffles this attempt shows.
    pub seed: i64,
    pub started_at: TimeDateTimeWithTimeZone,
    /// Set for timed exams: answers after it are refused.
    pub deadline_at: Option<TimeDateTimeWithTimeZone>,
    pub submitted_at: Option<TimeDateTimeWithTimeZone>,
    /// JSON map question key → answer.
    pub answers: String,
    /// JSON map question key → score, after submission.
    pub results: Option<String>,
    pub score: Option<f64>,
    pub max_score: Option<f64>,
    pub passed: Option<bool>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
