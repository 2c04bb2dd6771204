//! `needs`: a learning need — what someone wants to learn, for whom, how urgently.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "needs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub problem: String,
    pub topic: String,
    /// `low`, `normal`, `high` or `critical`.
    pub urgency: String,
    /// JSON array of the questions a course should answer.
    pub questions: String,
    /// `open`, `exploring`, `in-progress`, `answered`, `closed`, `declined` or `merged`.
    pub status: String,
    pub decline_reason: Option<String>,
    pub merged_into: Option<i64>,
    pub created_by: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
