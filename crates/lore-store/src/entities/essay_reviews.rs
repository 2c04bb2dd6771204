//! `essay_reviews`: a reviewer's points and comment on one essay of one attempt (m0032).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "essay_reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub attempt_id: i64,
    pub question_key: String,
    pub reviewer_id: i64,
    /// JSON array of points, in the rubric's order.
    pub points: String,
    pub comment: String,
    pub score: f64,
    pub max_score: f64,
    /// Given by a peer (someone who completed the course, m0036), not a coach.
    pub by_peer: bool,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
