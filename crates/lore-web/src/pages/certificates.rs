//! Certificates: the person's list, the printable page and its PDF, the public verification
//! (no sign-in), and per course the settings and the coaches' view with its CSV export.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use lore_app::AppError;
use lore_app::certificates::pdf::CertificateDates;
use lore_app::certificates::{
    AudiencePerson, CertificateRules, CertificateView, CoachCertificates, HolderLine,
    certificates_csv,
};
use lore_app::profile::Zone;
use serde::Deserialize;

use super::{done, parse_id};
use crate::WebState;
use crate::dates::when;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::{MaybeViewer, Viewer};

/// A certificate with its dates written for the reader.
pub struct CertificateLine {
    pub id: i64,
    pub holder: String,
    pub title: String,
    pub awarded: String,
    pub expires: String,
    pub standing: &'static str,
    pub replaced: bool,
}

fn line(zone: &Zone, c: &CertificateView) -> CertificateLine {
    CertificateLine {
        id: c.id,
        holder: c.holder_name.clone(),
        title: c.title.clone(),
        awarded: when(zone, c.awarded_at),
        expires: c.expires_at.map(|t| when(zone, t)).unwrap_or_default(),
        standing: c.standing.as_str(),
        replaced: c.replaced,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "certificates.html")]
pub struct CertificatesPage {
    layout: Layout,
    lines: Vec<CertificateLine>,
}

pub async fn mine(
    State(state): State<WebState>,
    viewer: Viewer,
) -> Result<CertificatesPage, PageError> {
    let zone = &viewer.caller().time_zone;
    let lines = state
        .app
        .my_certificates(viewer.caller())
        .await?
        .iter()
        .map(|c| line(zone, c))
        .collect();
    Ok(CertificatesPage {
        layout: Layout::for_session(&viewer.0, "learning"),
        lines,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "certificate.html")]
pub struct CertificatePage {
    layout: Layout,
    line: CertificateLine,
    verify_url: String,
}

/// `/certificates/{id}`: the printable page; `/certificates/{id}.pdf`: the PDF.
pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    let zone = viewer.caller().time_zone.clone();
    if let Some(id) = raw.strip_suffix(".pdf") {
        let id = parse_id(id)?;
        let (cert, pdf) = state
            .app
            .certificate_pdf(
                viewer.caller(),
                id,
                |c| CertificateDates {
                    awarded: when(&zone, c.awarded_at),
                    expires: c.expires_at.map(|t| when(&zone, t)),
                },
                &state.options.public_url,
            )
            .await?;
        let disposition = format!("inline; filename=\"certificate-{}.pdf\"", cert.id);
        return Ok((
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            pdf,
        )
            .into_response());
    }
    let id = parse_id(&raw)?;
    let cert = state.app.certificate(viewer.caller(), id).await?;
    Ok(CertificatePage {
        layout: Layout::for_session(&viewer.0, "learning"),
        verify_url: format!("{}/verify/{}", state.options.public_url, cert.public_id),
        line: line(&zone, &cert),
    }
    .into_response())
}

pub struct VerifiedLine {
    pub holder: String,
    pub title: String,
    pub awarded: String,
    pub expires: String,
    pub valid: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "verify.html")]
pub struct VerifyPage {
    layout: Layout,
    found: Option<VerifiedLine>,
}

/// The public verification page: anyone with the link, signed in or not.
pub async fn verify(
    State(state): State<WebState>,
    MaybeViewer(session): MaybeViewer,
    Path(public_id): Path<String>,
) -> Result<Response, PageError> {
    let (layout, zone) = match &session {
        Some(s) => (Layout::for_session(s, ""), s.caller.time_zone.clone()),
        None => (Layout::bare(), Zone::utc()),
    };
    match state.app.verify_certificate(&public_id).await {
        Ok(v) => Ok(VerifyPage {
            layout,
            found: Some(VerifiedLine {
                holder: v.holder_name,
                title: v.title,
                awarded: when(&zone, v.awarded_at),
                expires: v.expires_at.map(|t| when(&zone, t)).unwrap_or_default(),
                valid: v.valid,
            }),
        }
        .into_response()),
        Err(AppError::NotFound(_)) => Ok((
            StatusCode::NOT_FOUND,
            VerifyPage {
                layout,
                found: None,
            },
        )
            .into_response()),
        Err(e) => Err(PageError(e)),
    }
}

pub struct HolderView {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub awarded: String,
    pub expires: String,
}

pub struct HolderGroup {
    pub label: &'static str,
    pub testid: &'static str,
    pub people: Vec<HolderView>,
}

pub struct CoachView {
    pub groups: Vec<HolderGroup>,
    pub lacking: Vec<AudiencePerson>,
}

#[derive(Template, WebTemplate)]
#[template(path = "course_certificates.html")]
pub struct CourseCertificatesPage {
    layout: Layout,
    id: i64,
    title: String,
    awards: bool,
    validity: String,
    reminders: String,
    error: Option<String>,
    coach: Option<CoachView>,
}

fn coach_view(zone: &Zone, c: CoachCertificates) -> CoachView {
    let people = |v: Vec<HolderLine>| {
        v.into_iter()
            .map(|h| HolderView {
                id: h.certificate_id,
                name: h.name,
                email: h.email,
                awarded: when(zone, h.awarded_at),
                expires: h.expires_at.map(|t| when(zone, t)).unwrap_or_default(),
            })
            .collect()
    };
    CoachView {
        groups: vec![
            HolderGroup {
                label: "Valid",
                testid: "valid",
                people: people(c.valid),
            },
            HolderGroup {
                label: "About to expire",
                testid: "expiring",
                people: people(c.expiring),
            },
            HolderGroup {
                label: "Expired",
                testid: "expired",
                people: people(c.expired),
            },
        ],
        lacking: c.lacking,
    }
}

/// The course's certificate settings (editors and coaches) and, for coaches, who holds it.
async fn course_page(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    typed: Option<(&RulesForm, String)>,
) -> Result<CourseCertificatesPage, PageError> {
    let caller = viewer.caller();
    let (ctx, rules) = state.app.certificate_rules(caller, id).await?;
    let title = state
        .app
        .latest_version(&ctx)
        .await?
        .map(|v| v.title)
        .unwrap_or_default();
    let coach = match state.app.course_certificates(caller, id).await {
        Ok(c) => Some(coach_view(&caller.time_zone, c)),
        Err(AppError::Forbidden | AppError::NotFound(_)) => None,
        Err(e) => return Err(PageError(e)),
    };
    let (awards, validity, reminders, error) = match typed {
        Some((f, e)) => (
            f.awards.is_some(),
            f.validity_days.clone(),
            f.reminder_days.clone(),
            Some(e),
        ),
        None => (
            rules.awards,
            rules
                .validity_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            rules.reminders_text().replace(',', ", "),
            None,
        ),
    };
    Ok(CourseCertificatesPage {
        layout: Layout::for_session(&viewer.0, "courses"),
        id,
        title,
        awards,
        validity,
        reminders,
        error,
        coach,
    })
}

pub async fn course(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<CourseCertificatesPage, PageError> {
    let id = parse_id(&id)?;
    course_page(&state, &viewer, id, None).await
}

#[derive(Deserialize)]
pub struct RulesForm {
    awards: Option<String>,
    #[serde(default)]
    validity_days: String,
    #[serde(default)]
    reminder_days: String,
}

pub async fn save_rules(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<RulesForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result =
        match CertificateRules::parse(f.awards.is_some(), &f.validity_days, &f.reminder_days) {
            Ok(rules) => {
                state
                    .app
                    .set_certificate_rules(viewer.caller(), id, rules)
                    .await
            }
            Err(e) => Err(e.into()),
        };
    match result {
        Ok(()) => Ok(done(
            &format!("/courses/{id}/certificates"),
            "certificate-rules-saved",
        )),
        Err(AppError::Invalid(i)) => {
            let page = course_page(&state, &viewer, id, Some((&f, i.message))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

/// The coaches' view as CSV (UTC times).
pub async fn course_csv(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let view = state.app.course_certificates(viewer.caller(), id).await?;
    let body = certificates_csv(&view)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"lore-course-{id}-certificates.csv\""),
            ),
        ],
        body,
    )
        .into_response())
}
