//! `users`: a person's account.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub email: String,
    pub name: String,
    /// argon2id PHC string; `None` until the person sets a password from an invite.
    pub password_hash: Option<String>,
    pub platform_admin: bool,
    pub active: bool,
    pub manager_id: Option<i64>,
    /// An IANA time zone name; dates on pages are shown in it.
    pub time_zone: String,
    /// A language code (`en`, `fr`, …).
    pub language: String,
    /// The blob hash of the person's photo.
    pub photo_blob: Option<String>,
    pub created_at: TimeDateTimeWithTimeZone,
    pub updated_at: TimeDateTimeWithTimeZone,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
