//! A person's profile (time zone, language, photo) and which kinds of notification show in
//! the app, beside the mail choice of each kind.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    /// An IANA time zone name (`Europe/Paris`); dates on pages are shown in it.
    TimeZone,
    /// A language code (`en`, `fr`, …).
    Language,
    /// The blob hash of the person's photo, if they uploaded one.
    PhotoBlob,
}

#[derive(DeriveIden)]
enum NotificationPrefs {
    Table,
    /// Whether this kind shows in the app (the list and the unread count). Read when the
    /// list is read, so hiding a kind hides what came before too.
    InApp,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for col in [
            string(Users::TimeZone).default("UTC").take(),
            string(Users::Language).default("en").take(),
            string_null(Users::PhotoBlob).take(),
        ] {
            m.alter_table(Table::alter().table(Users::Table).add_column(col).take())
                .await?;
        }
        m.alter_table(
            Table::alter()
                .table(NotificationPrefs::Table)
                .add_column(boolean(NotificationPrefs::InApp).default(true))
                .take(),
        )
        .await?;
        Ok(())
    }
}
