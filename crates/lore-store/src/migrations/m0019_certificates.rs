//! Certificates: the rules a course awards by (`certificate_rules`, one row per course; a
//! nullable `path_id` leaves room for paths), the certificates awarded (`certificates`, with
//! an unguessable `public_id` for the verification link), and the reminders sent before
//! expiry (`certificate_reminders`, unique per certificate and interval so that two servers
//! sweeping at once send each one once).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CertificateRules {
    Table,
    Id,
    CourseId,
    /// For paths, later; only courses award today.
    PathId,
    Awards,
    /// `NULL`: never expires.
    ValidityDays,
    /// Days before expiry, largest first: `90,60,30,7`.
    ReminderDays,
    UpdatedAt,
    UpdatedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum Certificates {
    Table,
    Id,
    UserId,
    CourseId,
    PathId,
    VersionNumber,
    /// The course's title when awarded (a certificate stays what it said).
    Title,
    /// The holder's name when awarded.
    HolderName,
    AwardedAt,
    ExpiresAt,
    /// The largest reminder interval at award: the recertification window in days.
    WindowDays,
    /// When the sweep next has something to do with it (the window opening, the next
    /// reminder, expiry); `NULL` when nothing more will happen.
    NextSweepAt,
    /// The reminder intervals at award, `90,60,30,7`.
    ReminderDays,
    PublicId,
    /// Set once by the sweep that assigned recertification.
    RecertifyAssignedAt,
    /// Set once by the sweep that saw it expire.
    ExpiredAt,
    /// The certificate that took its place (the person completed the course again).
    ReplacedBy,
    RevokedAt,
}

#[derive(DeriveIden)]
enum CertificateReminders {
    Table,
    Id,
    CertificateId,
    DaysBefore,
    SentAt,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CertificateRules::Table)
                .col(big_pk_auto(CertificateRules::Id))
                .col(big_integer_null(CertificateRules::CourseId))
                .col(big_integer_null(CertificateRules::PathId))
                .col(boolean(CertificateRules::Awards))
                .col(integer_null(CertificateRules::ValidityDays))
                .col(string(CertificateRules::ReminderDays))
                .col(timestamp_with_time_zone(CertificateRules::UpdatedAt))
                .col(big_integer_null(CertificateRules::UpdatedBy))
                .foreign_key(
                    ForeignKey::create()
                        .from(CertificateRules::Table, CertificateRules::CourseId)
                        .to(Courses::Table, Courses::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("certificate_rules_course")
                .table(CertificateRules::Table)
                .col(CertificateRules::CourseId)
                .unique()
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Certificates::Table)
                .col(big_pk_auto(Certificates::Id))
                .col(big_integer(Certificates::UserId))
                .col(big_integer_null(Certificates::CourseId))
                .col(big_integer_null(Certificates::PathId))
                .col(integer(Certificates::VersionNumber))
                .col(string(Certificates::Title))
                .col(string(Certificates::HolderName))
                .col(timestamp_with_time_zone(Certificates::AwardedAt))
                .col(timestamp_with_time_zone_null(Certificates::ExpiresAt))
                .col(integer(Certificates::WindowDays))
                .col(timestamp_with_time_zone_null(Certificates::NextSweepAt))
                .col(string(Certificates::ReminderDays))
                .col(string(Certificates::PublicId))
                .col(timestamp_with_time_zone_null(
                    Certificates::RecertifyAssignedAt,
                ))
                .col(timestamp_with_time_zone_null(Certificates::ExpiredAt))
                .col(big_integer_null(Certificates::ReplacedBy))
                .col(timestamp_with_time_zone_null(Certificates::RevokedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Certificates::Table, Certificates::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(Certificates::Table, Certificates::CourseId)
                        .to(Courses::Table, Courses::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        for (name, cols, unique) in [
            (
                "certificates_public_id",
                &[Certificates::PublicId][..],
                true,
            ),
            (
                "certificates_course_user",
                &[Certificates::CourseId, Certificates::UserId][..],
                false,
            ),
            ("certificates_user", &[Certificates::UserId][..], false),
            (
                "certificates_next_sweep",
                &[Certificates::NextSweepAt][..],
                false,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Certificates::Table);
            for c in cols {
                index.col(*c);
            }
            if unique {
                index.unique();
            }
            m.create_index(index).await?;
        }
        m.create_table(
            Table::create()
                .table(CertificateReminders::Table)
                .col(big_pk_auto(CertificateReminders::Id))
                .col(big_integer(CertificateReminders::CertificateId))
                .col(integer(CertificateReminders::DaysBefore))
                .col(timestamp_with_time_zone(CertificateReminders::SentAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            CertificateReminders::Table,
                            CertificateReminders::CertificateId,
                        )
                        .to(Certificates::Table, Certificates::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("certificate_reminders_once")
                .table(CertificateReminders::Table)
                .col(CertificateReminders::CertificateId)
                .col(CertificateReminders::DaysBefore)
                .unique()
                .take(),
        )
        .await?;
        Ok(())
    }
}
