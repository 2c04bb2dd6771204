//! `outbox`: one row per committed event or notification, for consumers to read in order.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The writing transaction's id on PostgreSQL; 0 on SQLite.
    pub tx_id: i64,
    /// `event` or `notification`.
    pub topic: String,
    pub row_id: i64,
    pub user_id: Option<i64>,
    /// The row as JSON.
    pub payload: String,
    pub created_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
