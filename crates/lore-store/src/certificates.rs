//! Queries on certificates, their rules per course and the reminders sent before expiry.
//! What happens once (recertification assigned, expiry marked, a reminder sent) is an update
//! or an insert with a condition, so two servers sweeping at the same moment do it once.

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Set,
};

use crate::entities::{certificate_reminders, certificate_rules, certificates, memberships, users};
use crate::{Store, StoreResult, Timestamp};

pub type CertificateRow = certificates::Model;
pub type CertificateRulesRow = certificate_rules::Model;

/// A certificate about to be awarded.
#[derive(Debug, Clone)]
pub struct NewCertificate {
    pub user_id: i64,
    pub course_id: i64,
    pub version_number: i32,
    pub title: String,
    pub holder_name: String,
    pub expires_at: Option<Timestamp>,
    pub window_days: i32,
    /// When the sweep first has something to do: the recertification window opening.
    pub next_sweep_at: Option<Timestamp>,
    pub reminder_days: String,
    pub public_id: String,
}

/// A certificate with its holder's current email (for the coaches' view and export).
#[derive(Debug, Clone)]
pub struct HolderRow {
    pub certificate: CertificateRow,
    pub email: String,
}

/// A person in a course's audience: id, name, email.
#[derive(Debug, Clone, FromQueryResult)]
pub struct AudiencePerson {
    pub id: i64,
    pub name: String,
    pub email: String,
}

impl Store {
    pub async fn certificate_rules(
        &self,
        course_id: i64,
    ) -> StoreResult<Option<CertificateRulesRow>> {
        Ok(certificate_rules::Entity::find()
            .filter(certificate_rules::Column::CourseId.eq(course_id))
            .one(&self.db)
            .await?)
    }

    /// Set a course's rules (one row per course, replaced in place).
    pub async fn put_certificate_rules(
        &self,
        course_id: i64,
        awards: bool,
        validity_days: Option<i32>,
        reminder_days: &str,
        by: i64,
        now: Timestamp,
    ) -> StoreResult<()> {
        certificate_rules::Entity::insert(certificate_rules::ActiveModel {
            course_id: Set(Some(course_id)),
            path_id: Set(None),
            awards: Set(awards),
            validity_days: Set(validity_days),
            reminder_days: Set(reminder_days.to_owned()),
            updated_at: Set(now),
            updated_by: Set(Some(by)),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::column(certificate_rules::Column::CourseId)
                .update_columns([
                    certificate_rules::Column::Awards,
                    certificate_rules::Column::ValidityDays,
                    certificate_rules::Column::ReminderDays,
                    certificate_rules::Column::UpdatedAt,
                    certificate_rules::Column::UpdatedBy,
                ])
                .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await?;
        Ok(())
    }

    pub async fn insert_certificate(
        &self,
        new: NewCertificate,
        now: Timestamp,
    ) -> StoreResult<CertificateRow> {
        Ok(certificates::ActiveModel {
            user_id: Set(new.user_id),
            course_id: Set(Some(new.course_id)),
            path_id: Set(None),
            version_number: Set(new.version_number),
            title: Set(new.title),
            holder_name: Set(new.holder_name),
            awarded_at: Set(now),
            expires_at: Set(new.expires_at),
            window_days: Set(new.window_days),
            next_sweep_at: Set(new.next_sweep_at),
            reminder_days: Set(new.reminder_days),
            public_id: Set(new.public_id),
            recertify_assigned_at: Set(None),
            expired_at: Set(None),
            replaced_by: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await?)
    }

    /// Mark the person's earlier certificates of a course as replaced by `new_id`.
    pub async fn replace_certificates(
        &self,
        user_id: i64,
        course_id: i64,
        new_id: i64,
    ) -> StoreResult<u64> {
        let r = certificates::Entity::update_many()
            .col_expr(certificates::Column::ReplacedBy, Expr::value(new_id))
            .col_expr(
                certificates::Column::NextSweepAt,
                Expr::value(Option::<Timestamp>::None),
            )
            .filter(certificates::Column::UserId.eq(user_id))
            .filter(certificates::Column::CourseId.eq(course_id))
            .filter(certificates::Column::Id.ne(new_id))
            .filter(certificates::Column::ReplacedBy.is_null())
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected)
    }

    pub async fn certificate(&self, id: i64) -> StoreResult<Option<CertificateRow>> {
        Ok(certificates::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn certificate_by_public_id(
        &self,
        public_id: &str,
    ) -> StoreResult<Option<CertificateRow>> {
        Ok(certificates::Entity::find()
            .filter(certificates::Column::PublicId.eq(public_id))
            .one(&self.db)
            .await?)
    }

    /// A person's certificates, newest first (replaced ones too: they are history).
    pub async fn certificates_of(&self, user_id: i64) -> StoreResult<Vec<CertificateRow>> {
        Ok(certificates::Entity::find()
            .filter(certificates::Column::UserId.eq(user_id))
            .order_by_desc(certificates::Column::AwardedAt)
            .order_by_desc(certificates::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// The person's newest certificate of a course, if any.
    pub async fn latest_certificate(
        &self,
        user_id: i64,
        course_id: i64,
    ) -> StoreResult<Option<CertificateRow>> {
        Ok(certificates::Entity::find()
            .filter(certificates::Column::UserId.eq(user_id))
            .filter(certificates::Column::CourseId.eq(course_id))
            .order_by_desc(certificates::Column::Id)
            .one(&self.db)
            .await?)
    }

    /// The standing certificates of a course (not replaced, not revoked) with their holders'
    /// emails.
    pub async fn course_certificates(&self, course_id: i64) -> StoreResult<Vec<HolderRow>> {
        let certs = certificates::Entity::find()
            .filter(certificates::Column::CourseId.eq(course_id))
            .filter(certificates::Column::ReplacedBy.is_null())
            .filter(certificates::Column::RevokedAt.is_null())
            .order_by_asc(certificates::Column::Id)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = certs.iter().map(|c| c.user_id).collect();
        let emails: std::collections::HashMap<i64, String> = users::Entity::find()
            .filter(users::Column::Id.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.email))
            .collect();
        Ok(certs
            .into_iter()
            .map(|c| HolderRow {
                email: emails.get(&c.user_id).cloned().unwrap_or_default(),
                certificate: c,
            })
            .collect())
    }

    /// Certificates the sweep has something to do with now (see `next_sweep_at`), standing
    /// ones only, longest waiting first.
    pub async fn certificates_due(
        &self,
        now: Timestamp,
        limit: u64,
    ) -> StoreResult<Vec<CertificateRow>> {
        Ok(certificates::Entity::find()
            .filter(certificates::Column::NextSweepAt.lte(now))
            .filter(certificates::Column::ReplacedBy.is_null())
            .filter(certificates::Column::RevokedAt.is_null())
            .order_by_asc(certificates::Column::NextSweepAt)
            .order_by_asc(certificates::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    /// Move a certificate's next sweep on (to `None` when nothing more will happen); only
    /// forward from a moment that has passed, so a slower server cannot move it back.
    pub async fn set_next_sweep(
        &self,
        id: i64,
        next: Option<Timestamp>,
        now: Timestamp,
    ) -> StoreResult<()> {
        certificates::Entity::update_many()
            .col_expr(certificates::Column::NextSweepAt, Expr::value(next))
            .filter(certificates::Column::Id.eq(id))
            .filter(certificates::Column::NextSweepAt.lte(now))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Take the recertification of a certificate: true for the one caller that sets it.
    pub async fn claim_recertification(&self, id: i64, now: Timestamp) -> StoreResult<bool> {
        let r = certificates::Entity::update_many()
            .col_expr(certificates::Column::RecertifyAssignedAt, Expr::value(now))
            .filter(certificates::Column::Id.eq(id))
            .filter(certificates::Column::RecertifyAssignedAt.is_null())
            .filter(certificates::Column::ReplacedBy.is_null())
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected == 1)
    }

    /// Mark a certificate expired once its moment has passed: true for the one caller that
    /// marks it.
    pub async fn mark_certificate_expired(&self, id: i64, now: Timestamp) -> StoreResult<bool> {
        let r = certificates::Entity::update_many()
            .col_expr(certificates::Column::ExpiredAt, Expr::value(now))
            .filter(certificates::Column::Id.eq(id))
            .filter(certificates::Column::ExpiredAt.is_null())
            .filter(certificates::Column::ExpiresAt.lte(now))
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected == 1)
    }

    /// Record the reminder `days_before` expiry: true for the one caller that records it.
    pub async fn claim_certificate_reminder(
        &self,
        certificate_id: i64,
        days_before: i32,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let inserted = certificate_reminders::Entity::insert(certificate_reminders::ActiveModel {
            certificate_id: Set(certificate_id),
            days_before: Set(days_before),
            sent_at: Set(now),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([
                certificate_reminders::Column::CertificateId,
                certificate_reminders::Column::DaysBefore,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await?;
        Ok(inserted == 1)
    }

    /// The reminders sent for a certificate, as days before expiry.
    pub async fn certificate_reminders(&self, certificate_id: i64) -> StoreResult<Vec<i32>> {
        Ok(certificate_reminders::Entity::find()
            .filter(certificate_reminders::Column::CertificateId.eq(certificate_id))
            .order_by_desc(certificate_reminders::Column::DaysBefore)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| r.days_before)
            .collect())
    }

    /// The active people with a membership in any of `group_ids`, by name.
    pub async fn active_members_of(&self, group_ids: &[i64]) -> StoreResult<Vec<AudiencePerson>> {
        if group_ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(memberships::Entity::find()
            .select_only()
            .column(users::Column::Id)
            .column(users::Column::Name)
            .column(users::Column::Email)
            .distinct()
            .join(JoinType::InnerJoin, memberships::Relation::User.def())
            .filter(memberships::Column::GroupId.is_in(group_ids.iter().copied()))
            .filter(users::Column::Active.eq(true))
            .order_by_asc(users::Column::Name)
            .order_by_asc(users::Column::Id)
            .into_model::<AudiencePerson>()
            .all(&self.db)
            .await?)
    }
}
