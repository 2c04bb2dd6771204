//! `attempt_questions`: the questions an attempt drew from a bank, copied whole when it started.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attempt_questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub attempt_id: i64,
    pub position: i32,
    pub bank_question_id: Option<i64>,
    pub question_key: String,
    /// The question as JSON when it was drawn.
    pub body: String,
    /// Answered fully right, once the attempt is scored (m0035); `None` before.
    pub correct: Option<bool>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
