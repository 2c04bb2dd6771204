//! `course_questions`: a question of a course version; `question_key` is stable across versions, `step_key` places it inside a step (else it belongs to the final evaluation).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "course_questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub version_id: i64,
    pub question_key: String,
    pub step_key: Option<String>,
    pub position: i32,
    /// The question as JSON (`lore_domain::question::Question`).
    pub body: String,
    pub revision: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
