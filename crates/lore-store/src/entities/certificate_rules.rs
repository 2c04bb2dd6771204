//! `certificate_rules`: whether completing a course awards a certificate, for how long.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate_rules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: Option<i64>,
    pub path_id: Option<i64>,
    pub awards: bool,
    pub validity_days: Option<i32>,
    /// Days before expiry, largest first: `90,60,30,7`.
    pub reminder_days: String,
    pub updated_at: TimeDateTimeWithTimeZone,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
