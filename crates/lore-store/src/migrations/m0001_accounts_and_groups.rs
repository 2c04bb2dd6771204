//! Accounts, the group tree, memberships, sessions, API tokens and one-time links.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    Name,
    PasswordHash,
    PlatformAdmin,
    Active,
    ManagerId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
    ParentId,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    UserId,
    GroupId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    TokenHash,
    UserId,
    CsrfToken,
    UserAgent,
    Ip,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    Prefix,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum OneTimeLinks {
    Table,
    Id,
    TokenHash,
    UserId,
    Purpose,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

fn user_fk(
    from_table: impl IntoIden + 'static,
    from_col: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(big_pk_auto(Users::Id))
                .col(string_uniq(Users::Email))
                .col(string(Users::Name))
                .col(string_null(Users::PasswordHash))
                .col(boolean(Users::PlatformAdmin).default(false))
                .col(boolean(Users::Active).default(true))
                .col(big_integer_null(Users::ManagerId))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone(Users::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Users::Table, Users::ManagerId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Groups::Table)
                .col(big_pk_auto(Groups::Id))
                .col(big_integer_null(Groups::ParentId))
                .col(string(Groups::Name))
                .col(timestamp_with_time_zone(Groups::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Groups::Table, Groups::ParentId)
                        .to(Groups::Table, Groups::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("groups_parent")
                .table(Groups::Table)
                .col(Groups::ParentId)
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Memberships::Table)
                .col(big_pk_auto(Memberships::Id))
                .col(big_integer(Memberships::UserId))
                .col(big_integer(Memberships::GroupId))
                .col(string(Memberships::Role))
                .col(timestamp_with_time_zone(Memberships::CreatedAt))
                .foreign_key(&mut user_fk(Memberships::Table, Memberships::UserId))
                .foreign_key(
                    ForeignKey::create()
                        .from(Memberships::Table, Memberships::GroupId)
                        .to(Groups::Table, Groups::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("memberships_user_group")
                .table(Memberships::Table)
                .col(Memberships::UserId)
                .col(Memberships::GroupId)
                .unique()
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("memberships_group")
                .table(Memberships::Table)
                .col(Memberships::GroupId)
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(big_pk_auto(Sessions::Id))
                .col(string_uniq(Sessions::TokenHash))
                .col(big_integer(Sessions::UserId))
                .col(string(Sessions::CsrfToken))
                .col(string(Sessions::UserAgent))
                .col(string(Sessions::Ip))
                .col(timestamp_with_time_zone(Sessions::CreatedAt))
                .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .foreign_key(&mut user_fk(Sessions::Table, Sessions::UserId))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("sessions_user")
                .table(Sessions::Table)
                .col(Sessions::UserId)
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .col(big_pk_auto(ApiTokens::Id))
                .col(big_integer(ApiTokens::UserId))
                .col(string(ApiTokens::Name))
                .col(string_uniq(ApiTokens::TokenHash))
                .col(string(ApiTokens::Prefix))
                .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                .foreign_key(&mut user_fk(ApiTokens::Table, ApiTokens::UserId))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("api_tokens_user")
                .table(ApiTokens::Table)
                .col(ApiTokens::UserId)
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OneTimeLinks::Table)
                .col(big_pk_auto(OneTimeLinks::Id))
                .col(string_uniq(OneTimeLinks::TokenHash))
                .col(big_integer(OneTimeLinks::UserId))
                .col(string(OneTimeLinks::Purpose))
                .col(big_integer_null(OneTimeLinks::CreatedBy))
                .col(timestamp_with_time_zone(OneTimeLinks::CreatedAt))
                .col(timestamp_with_time_zone(OneTimeLinks::ExpiresAt))
                .col(timestamp_with_time_zone_null(OneTimeLinks::UsedAt))
                .foreign_key(&mut user_fk(OneTimeLinks::Table, OneTimeLinks::UserId))
                .take(),
        )
        .await?;
        Ok(())
    }
}
