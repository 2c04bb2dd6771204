//! The certificate sweep the job worker runs: when a certificate's recertification window
//! opens, assign the course again (due at expiry); remind the holder at each interval; when
//! it expires, mark it expired. Each step is an update or insert with a condition, in the
//! same unit of work as its event and notification, so it happens once however many servers
//! sweep at the same moment.

use lore_domain::certificate::{due_reminder, next_moment, parse_intervals};
use lore_domain::course::EnrolmentSource;
use lore_store::{CertificateRow, EnrolmentRow, NewAssignment, NewEnrolment, NewEvent};
use time::OffsetDateTime;

use super::{day, rfc3339, verbs};
use crate::courses::learning::verbs as course_verbs;
use crate::secrets::random_uuid;
use crate::{App, AppError, AppResult};

/// The most certificates one sweep looks at; the next sweep takes the rest.
const SWEEP_LIMIT: u64 = 500;

fn stored_intervals(cert: &CertificateRow) -> AppResult<Vec<i32>> {
    parse_intervals(&cert.reminder_days)
        .map_err(|e| AppError::Internal(format!("stored reminder days: {e}")))
}

/// What one sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SweepCounts {
    pub recertifications: usize,
    pub reminders: usize,
    pub expired: usize,
}

impl App {
    /// Look at every certificate whose next moment has come (its recertification window
    /// opening, a reminder, expiry): assign recertification, send the reminder now due, mark
    /// expiry, then move its next moment on. Safe while other servers sweep too.
    pub async fn sweep_certificates(&self) -> AppResult<SweepCounts> {
        let now = self.now();
        let mut counts = SweepCounts::default();
        for cert in self.store.certificates_due(now, SWEEP_LIMIT).await? {
            let Some(expires_at) = cert.expires_at else {
                self.store.set_next_sweep(cert.id, None, now).await?;
                continue;
            };
            if cert.recertify_assigned_at.is_none() && self.recertify(&cert, expires_at).await? {
                counts.recertifications += 1;
            }
            if now >= expires_at {
                if self.expire(&cert).await? {
                    counts.expired += 1;
                }
            } else if self.remind(&cert, expires_at, now).await? {
                counts.reminders += 1;
            }
            let intervals = stored_intervals(&cert)?;
            // Every moment is expiry less whole days: step back from it, keeping its fraction.
            let expires = expires_at.unix_timestamp();
            let next = next_moment(expires, &intervals, now.unix_timestamp())
                .map(|t| expires_at - time::Duration::seconds(expires - t));
            self.store.set_next_sweep(cert.id, next, now).await?;
        }
        Ok(counts)
    }

    /// Take the recertification of one certificate and assign the course again.
    async fn recertify(
        &self,
        cert: &CertificateRow,
        expires_at: OffsetDateTime,
    ) -> AppResult<bool> {
        let Some(course_id) = cert.course_id else {
            return Ok(false);
        };
        self.unit_of_work(|app| async move {
            let app = &app;
            if !app.store.claim_recertification(cert.id, app.now()).await? {
                return Ok(false);
            }
            // A course archived (or never republished) since cannot be taken again: the
            // certificate is marked all the same, so the sweep does not try forever.
            let assigned = match app.assign_recertification(cert.user_id, course_id, expires_at).await {
                Ok(_) => true,
                Err(AppError::NotFound(_)) => false,
                Err(e) => return Err(e),
            };
            if assigned {
                app.tell_holder(
                    cert.user_id,
                    format!("Recertify: {}", cert.title),
                    format!(
                        "Your certificate for {} expires on {}. The course is assigned to you again; complete it by then to keep your certificate.",
                        cert.title,
                        day(expires_at)
                    ),
                    format!("/courses/{course_id}"),
                )
                .await?;
            }
            Ok(assigned)
        })
        .await
    }

    /// Assign a person a course again for recertification, due at `due_at`: a new enrolment
    /// on the newest version, or their enrolment restarted on it when they took the course
    /// before (its completion stays in the event log and on the certificate).
    pub async fn assign_recertification(
        &self,
        user_id: i64,
        course_id: i64,
        due_at: OffsetDateTime,
    ) -> AppResult<EnrolmentRow> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let course = app
                .store
                .course(course_id)
                .await?
                .ok_or(AppError::NotFound("That course"))?;
            let latest = match course.latest_version {
                Some(n) if course.status == lore_domain::course::CourseStatus::Active => n,
                _ => return Err(AppError::NotFound("That course")),
            };
            let previous = app.store.enrolment(user_id, course_id).await?;
            let registration = random_uuid();
            if let Some(old) = previous.as_ref().filter(|e| e.completed_at.is_some()) {
                app.store
                    .restart_enrolment(old.id, latest, due_at, &registration)
                    .await?;
            }
            let (row, _) = app
                .store
                .enrol(
                    NewEnrolment {
                        user_id,
                        course_id,
                        version_number: latest,
                        source: EnrolmentSource::Assigned,
                        assigned_by: None,
                        due_at: Some(due_at),
                        registration,
                    },
                    app.now(),
                )
                .await?;
            app.course_event(NewEvent {
                user_id,
                verb: course_verbs::ASSIGNED,
                course_id: Some(course_id),
                version_number: Some(latest),
                registration: Some(row.registration.clone()),
                data: Some(
                    serde_json::json!({
                        "recertification": true,
                        "due_at": rfc3339(due_at),
                        "previous": previous.map(|p| serde_json::json!({
                            "version": p.version_number,
                            "completed_at": p.completed_at.map(rfc3339),
                            "registration": p.registration,
                        })),
                    })
                    .to_string(),
                ),
                ..NewEvent::default()
            })
            .await?;
            // And an assignment like a coach's, so the recertification shows on the person's
            // home and in the course's progress view until it is done.
            let assignment = app
                .store
                .insert_assignment(
                    NewAssignment {
                        target_kind: lore_domain::assignment::TargetKind::Course,
                        target_id: course_id,
                        group_id: None,
                        user_id: Some(user_id),
                        due_at: Some(due_at),
                        due_days: None,
                        reminder_rule: None,
                        reason: Some("recertification".to_owned()),
                        created_by: None,
                    },
                    app.now(),
                )
                .await?;
            app.store
                .reach_assignee(assignment.id, user_id, Some(due_at), app.now())
                .await?;
            Ok(row)
        })
        .await
    }

    /// An event about a certificate, on its holder and course.
    async fn certificate_event(
        &self,
        cert: &CertificateRow,
        verb: &'static str,
        data: serde_json::Value,
    ) -> AppResult<()> {
        self.course_event(NewEvent {
            user_id: cert.user_id,
            verb,
            course_id: cert.course_id,
            version_number: Some(cert.version_number),
            data: Some(data.to_string()),
            ..NewEvent::default()
        })
        .await
    }

    /// Send the reminder due now, once.
    async fn remind(
        &self,
        cert: &CertificateRow,
        expires_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> AppResult<bool> {
        let intervals = stored_intervals(cert)?;
        let Some(days) = due_reminder(
            expires_at.unix_timestamp(),
            &intervals,
            now.unix_timestamp(),
        ) else {
            return Ok(false);
        };
        self.unit_of_work(|app| async move {
            let app = &app;
            if !app
                .store
                .claim_certificate_reminder(cert.id, days, app.now())
                .await?
            {
                return Ok(false);
            }
            app.certificate_event(
                cert,
                verbs::CERTIFICATE_REMINDED,
                serde_json::json!({ "certificate": cert.id, "days_before": days }),
            )
            .await?;
            app.tell_holder(
                cert.user_id,
                format!("Certificate expires in {days} days: {}", cert.title),
                format!(
                    "Your certificate for {} expires on {}. Complete the course again before then to keep it.",
                    cert.title,
                    day(expires_at)
                ),
                format!("/certificates/{}", cert.id),
            )
            .await?;
            Ok(true)
        })
        .await
    }

    /// Mark an expired certificate, once, with its event and the holder's notification.
    async fn expire(&self, cert: &CertificateRow) -> AppResult<bool> {
        self.unit_of_work(|app| async move {
            let app = &app;
            if !app.store.mark_certificate_expired(cert.id, app.now()).await? {
                return Ok(false);
            }
            app.certificate_event(
                cert,
                verbs::CERTIFICATE_EXPIRED,
                serde_json::json!({ "certificate": cert.id }),
            )
            .await?;
            app.tell_holder(
                cert.user_id,
                format!("Certificate expired: {}", cert.title),
                format!(
                    "Your certificate for {} has expired. Complete the course again to earn a new one.",
                    cert.title
                ),
                format!("/certificates/{}", cert.id),
            )
            .await?;
            Ok(true)
        })
        .await
    }
}
