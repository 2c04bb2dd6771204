//! `certificates`: one per award; expiry, recertification and replacement are marked once.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub course_id: Option<i64>,
    pub path_id: Option<i64>,
    pub version_number: i32,
    pub title: String,
    pub holder_name: String,
    pub awarded_at: TimeDateTimeWithTimeZone,
    pub expires_at: Option<TimeDateTimeWithTimeZone>,
    pub window_days: i32,
    /// When the sweep next has something to do with it; `None`: nothing more will happen.
    pub next_sweep_at: Option<TimeDateTimeWithTimeZone>,
    pub reminder_days: String,
    pub public_id: String,
    pub recertify_assigned_at: Option<TimeDateTimeWithTimeZone>,
    pub expired_at: Option<TimeDateTimeWithTimeZone>,
    pub replaced_by: Option<i64>,
    pub revoked_at: Option<TimeDateTimeWithTimeZone>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
