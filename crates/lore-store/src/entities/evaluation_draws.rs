//! `evaluation_draws`: a course version's final evaluation draws `count` questions from a bank
//! (of one topic, or any) for every attempt.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluation_draws")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub version_id: i64,
    pub bank_id: i64,
    /// `None`: any topic.
    pub topic: Option<String>,
    pub count: i32,
    /// `None`: any difficulty; else `easy`, `medium` or `hard` (m0035).
    pub difficulty: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
