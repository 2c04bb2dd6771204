//! The coaches' view of a course's certificates: who holds a valid one, who is about to lose
//! it, whose has expired, and who in the course's audience has none; and its CSV export.

use lore_domain::certificate::Standing;
use lore_domain::ids::GroupId;
use lore_domain::policy::Action;
use lore_store::AudiencePerson;
use time::OffsetDateTime;

use super::{CertificateRules, CertificateView, rfc3339};
use crate::audit::inert;
use crate::{App, AppError, AppResult, Caller};

/// A person with a certificate of the course.
#[derive(Debug, Clone)]
pub struct HolderLine {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub certificate_id: i64,
    pub awarded_at: OffsetDateTime,
    pub expires_at: Option<OffsetDateTime>,
    pub standing: Standing,
}

/// A course's certificates as its coaches see them.
#[derive(Debug, Clone)]
pub struct CoachCertificates {
    pub course_id: i64,
    pub title: String,
    pub rules: CertificateRules,
    /// Valid and not yet in the recertification window.
    pub valid: Vec<HolderLine>,
    /// Valid, but within the first reminder interval of expiry.
    pub expiring: Vec<HolderLine>,
    pub expired: Vec<HolderLine>,
    /// People in the course's audience without a certificate of it.
    pub lacking: Vec<AudiencePerson>,
}

impl App {
    /// Who holds, is about to lose, has lost or lacks a course's certificate.
    pub async fn course_certificates(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<CoachCertificates> {
        let ctx = self
            .course_for(caller, course_id, Action::CoachCourse)
            .await?;
        let rules = self.stored_rules(course_id).await?;
        let now = self.now();
        let mut holders: Vec<HolderLine> = self
            .store
            .course_certificates(course_id)
            .await?
            .into_iter()
            .map(|h| {
                let email = h.email;
                let v = CertificateView::from_row(h.certificate, now);
                HolderLine {
                    user_id: v.user_id,
                    name: v.holder_name,
                    email,
                    certificate_id: v.id,
                    awarded_at: v.awarded_at,
                    expires_at: v.expires_at,
                    standing: v.standing,
                }
            })
            .collect();
        holders.sort_by(|a, b| a.name.cmp(&b.name).then(a.user_id.cmp(&b.user_id)));
        // The audience: everyone in the owning group, the audience groups, and below them.
        let tree = self.group_tree().await?;
        let roots: Vec<GroupId> = std::iter::once(ctx.course.group_id)
            .chain(ctx.audiences.iter().copied())
            .map(GroupId)
            .collect();
        let groups: Vec<i64> = tree
            .walk()
            .into_iter()
            .map(|(_, node)| node.id)
            .filter(|g| roots.iter().any(|r| tree.is_within(*g, *r)))
            .map(|g| g.0)
            .collect();
        let lacking = self
            .store
            .active_members_of(&groups)
            .await?
            .into_iter()
            .filter(|p| !holders.iter().any(|h| h.user_id == p.id))
            .collect();
        let title = self
            .latest_version(&ctx)
            .await?
            .map(|v| v.title)
            .unwrap_or_default();
        let by = |s: Standing| {
            holders
                .iter()
                .filter(|h| h.standing == s)
                .cloned()
                .collect()
        };
        Ok(CoachCertificates {
            course_id,
            title,
            rules,
            valid: by(Standing::Valid),
            expiring: by(Standing::Expiring),
            expired: by(Standing::Expired),
            lacking,
        })
    }
}

/// The coaches' view as CSV: one line per person (UTC times), holders first, then those
/// lacking a certificate.
pub fn certificates_csv(view: &CoachCertificates) -> AppResult<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Internal(format!("writing the certificates CSV: {e}"));
    out.write_record([
        "user_id",
        "name",
        "email",
        "status",
        "certificate_id",
        "awarded_at",
        "expires_at",
    ])
    .map_err(fail)?;
    for h in view.valid.iter().chain(&view.expiring).chain(&view.expired) {
        out.write_record([
            h.user_id.to_string().as_str(),
            &inert(&h.name),
            &inert(&h.email),
            h.standing.as_str(),
            &h.certificate_id.to_string(),
            &rfc3339(h.awarded_at),
            &h.expires_at.map(rfc3339).unwrap_or_default(),
        ])
        .map_err(fail)?;
    }
    for p in &view.lacking {
        out.write_record([
            p.id.to_string().as_str(),
            &inert(&p.name),
            &inert(&p.email),
            "lacking",
            "",
            "",
            "",
        ])
        .map_err(fail)?;
    }
    out.into_inner()
        .map_err(|e| AppError::Internal(format!("writing the certificates CSV: {e}")))
}
