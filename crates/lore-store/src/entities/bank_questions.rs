//! `bank_questions`: a question of a bank, with its topic; `question_key` is unique everywhere.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bank_questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub bank_id: i64,
    pub question_key: String,
    /// Empty for none.
    pub topic: String,
    /// The question as JSON (`lore_domain::question::Question`).
    pub body: String,
    pub created_at: TimeDateTimeWithTimeZone,
    /// Scored attempts that drew it (m0035), recounted when an attempt is submitted.
    pub answered: i64,
    /// Of those, the ones that answered it fully right.
    pub answered_right: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
