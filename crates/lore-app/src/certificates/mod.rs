//! Certificates: the rules a course awards by, the award on completion (in the completion's
//! unit of work), the holder's list and page, the public verification, and the coaches' view.
//! The sweep (reminders, recertification, expiry) is in `sweep.rs`, the PDF in `pdf.rs`.

mod coach;
pub mod pdf;
mod sweep;

pub use coach::{CoachCertificates, HolderLine, certificates_csv};
pub use lore_domain::certificate::{CertificateRules, Standing};
pub use lore_store::AudiencePerson;
pub use sweep::SweepCounts;

use lore_domain::certificate::{self, join_days, standing};
use lore_domain::notification::NotificationKind;
use lore_domain::policy::Action;
use lore_store::{CertificateRow, NewCertificate, NewEvent};
use time::OffsetDateTime;

use crate::courses::CourseContext;
use crate::notifications::Notice;
use crate::secrets::random_token;
use crate::{App, AppError, AppResult, Caller};

/// Verbs of the event log for certificates.
pub mod verbs {
    pub const CERTIFICATE_AWARDED: &str = "certificate-awarded";
    pub const CERTIFICATE_EXPIRED: &str = "certificate-expired";
    pub const CERTIFICATE_REMINDED: &str = "certificate-reminded";
    pub const RECERTIFICATION_ASSIGNED: &str = "recertification-assigned";
    pub const CERTIFICATE_RULES_CHANGED: &str = "certificate-rules-changed";
}

/// A certificate as its holder (and the course's coaches) see it.
#[derive(Debug, Clone)]
pub struct CertificateView {
    pub id: i64,
    pub user_id: i64,
    pub course_id: Option<i64>,
    pub public_id: String,
    pub holder_name: String,
    pub title: String,
    pub version_number: i32,
    pub awarded_at: OffsetDateTime,
    pub expires_at: Option<OffsetDateTime>,
    pub standing: Standing,
    /// A newer certificate of the same course took its place.
    pub replaced: bool,
}

/// What the public verification link shows: only what it must.
#[derive(Debug, Clone)]
pub struct Verification {
    pub holder_name: String,
    pub title: String,
    pub awarded_at: OffsetDateTime,
    pub expires_at: Option<OffsetDateTime>,
    pub valid: bool,
}

fn unix(t: OffsetDateTime) -> i64 {
    t.unix_timestamp()
}

impl CertificateView {
    pub(crate) fn from_row(row: CertificateRow, now: OffsetDateTime) -> Self {
        Self {
            standing: standing(row.expires_at.map(unix), row.window_days, unix(now)),
            replaced: row.replaced_by.is_some(),
            id: row.id,
            user_id: row.user_id,
            course_id: row.course_id,
            public_id: row.public_id,
            holder_name: row.holder_name,
            title: row.title,
            version_number: row.version_number,
            awarded_at: row.awarded_at,
            expires_at: row.expires_at,
        }
    }
}

impl App {
    /// Tell a holder about their certificate (nobody caused it: the system did).
    pub(crate) async fn tell_holder(
        &self,
        user_id: i64,
        title: String,
        body: String,
        link: String,
    ) -> AppResult<()> {
        self.notify(Notice {
            user_id,
            kind: NotificationKind::Certificate,
            title,
            body,
            link,
            actor_id: None,
        })
        .await?;
        Ok(())
    }

    /// A course the caller may set certificate rules for: its editors and its coaches.
    async fn course_for_certificates(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<CourseContext> {
        let ctx = self
            .course_for(caller, course_id, Action::ViewCourse)
            .await?;
        if ctx.can(caller, Action::EditCourse) || ctx.can(caller, Action::CoachCourse) {
            Ok(ctx)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The rules a course awards by (the defaults, awarding nothing, until someone sets them).
    pub async fn certificate_rules(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<(CourseContext, CertificateRules)> {
        let ctx = self.course_for_certificates(caller, course_id).await?;
        let rules = self.stored_rules(course_id).await?;
        Ok((ctx, rules))
    }

    async fn stored_rules(&self, course_id: i64) -> AppResult<CertificateRules> {
        Ok(match self.store.certificate_rules(course_id).await? {
            Some(r) => CertificateRules {
                awards: r.awards,
                validity_days: r.validity_days,
                reminder_days: certificate::parse_intervals(&r.reminder_days)
                    .map_err(|e| AppError::Internal(format!("stored reminder days: {e}")))?,
            },
            None => CertificateRules::default(),
        })
    }

    /// Set whether completing a course awards a certificate, its validity and the reminder
    /// intervals (already checked by [`CertificateRules::parse`] or `new`). Certificates
    /// awarded before keep the rules they were awarded under.
    pub async fn set_certificate_rules(
        &self,
        caller: &Caller,
        course_id: i64,
        rules: CertificateRules,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            app.course_for_certificates(caller, course_id).await?;
            app.store
                .put_certificate_rules(
                    course_id,
                    rules.awards,
                    rules.validity_days,
                    &rules.reminders_text(),
                    caller.id.0,
                    app.now(),
                )
                .await?;
            app.course_event(NewEvent {
                user_id: caller.id.0,
                verb: verbs::CERTIFICATE_RULES_CHANGED,
                course_id: Some(course_id),
                data: Some(
                    serde_json::json!({
                        "awards": rules.awards,
                        "validity_days": rules.validity_days,
                        "reminder_days": rules.reminder_days,
                    })
                    .to_string(),
                ),
                ..NewEvent::default()
            })
            .await
        })
        .await
    }

    /// Award the course's certificate to a person who just completed `version_number`, if
    /// the course awards one: the row, its event and the person's notification, in the
    /// completion's unit of work. Earlier certificates of the course are marked replaced.
    pub(crate) async fn award_certificate(
        &self,
        user_id: i64,
        course_id: i64,
        version_number: i32,
    ) -> AppResult<Option<CertificateRow>> {
        let rules = self.stored_rules(course_id).await?;
        if !rules.awards {
            return Ok(None);
        }
        let version = self
            .store
            .version(course_id, version_number)
            .await?
            .ok_or(AppError::NotFound("That course"))?;
        let holder = self
            .store
            .user(user_id)
            .await?
            .ok_or(AppError::NotFound("That person"))?;
        let now = self.now();
        let expires_at = rules
            .validity_days
            .map(|d| now + time::Duration::days(i64::from(d)));
        let window_days = rules.window_days();
        let row = self
            .store
            .insert_certificate(
                NewCertificate {
                    user_id,
                    course_id,
                    version_number,
                    title: version.title.clone(),
                    holder_name: holder.name,
                    expires_at,
                    window_days,
                    next_sweep_at: expires_at
                        .map(|e| e - time::Duration::days(i64::from(window_days))),
                    reminder_days: join_days(&rules.reminder_days),
                    public_id: random_token(),
                },
                now,
            )
            .await?;
        let replaced = self
            .store
            .replace_certificates(user_id, course_id, row.id)
            .await?;
        self.course_event(NewEvent {
            user_id,
            verb: verbs::CERTIFICATE_AWARDED,
            course_id: Some(course_id),
            version_number: Some(version_number),
            data: Some(
                serde_json::json!({
                    "certificate": row.id,
                    "expires_at": expires_at.map(rfc3339),
                    "replaced": replaced,
                })
                .to_string(),
            ),
            ..NewEvent::default()
        })
        .await?;
        let until = match expires_at {
            Some(e) => format!(" It is valid until {}.", day(e)),
            None => String::new(),
        };
        self.tell_holder(
            user_id,
            format!("Certificate earned: {}", version.title),
            format!(
                "You completed {} and earned its certificate.{until}",
                version.title
            ),
            format!("/certificates/{}", row.id),
        )
        .await?;
        Ok(Some(row))
    }

    /// The caller's certificates, newest first.
    pub async fn my_certificates(&self, caller: &Caller) -> AppResult<Vec<CertificateView>> {
        let now = self.now();
        Ok(self
            .store
            .certificates_of(caller.id.0)
            .await?
            .into_iter()
            .map(|r| CertificateView::from_row(r, now))
            .collect())
    }

    /// One certificate, for its holder or a coach of its course; anyone else is told it does
    /// not exist.
    pub async fn certificate(&self, caller: &Caller, id: i64) -> AppResult<CertificateView> {
        let row = self
            .store
            .certificate(id)
            .await?
            .ok_or(AppError::NotFound("That certificate"))?;
        if row.user_id != caller.id.0 {
            let course_id = row
                .course_id
                .ok_or(AppError::NotFound("That certificate"))?;
            self.course_for(caller, course_id, Action::CoachCourse)
                .await
                .map_err(|_| AppError::NotFound("That certificate"))?;
        }
        Ok(CertificateView::from_row(row, self.now()))
    }

    /// The public verification of a certificate by its unguessable id; no sign-in, and
    /// nothing changes. An unknown id is not found.
    pub async fn verify_certificate(&self, public_id: &str) -> AppResult<Verification> {
        let public_id = public_id.trim();
        let well_formed = public_id.len() == 64 && public_id.bytes().all(|b| b.is_ascii_hexdigit());
        let row = match well_formed {
            true => self.store.certificate_by_public_id(public_id).await?,
            false => None,
        }
        .filter(|r| r.revoked_at.is_none())
        .ok_or(AppError::NotFound("That certificate"))?;
        let view = CertificateView::from_row(row, self.now());
        Ok(Verification {
            valid: view.standing.is_valid(),
            holder_name: view.holder_name,
            title: view.title,
            awarded_at: view.awarded_at,
            expires_at: view.expires_at,
        })
    }
}

pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// A date in words for notifications (UTC): `2 Nov 2027`.
pub(crate) fn day(t: OffsetDateTime) -> String {
    let f = time::macros::format_description!("[day padding:none] [month repr:short] [year]");
    t.format(&f).unwrap_or_default()
}
