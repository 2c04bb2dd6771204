//! Certificates: the caller's (`/me/certificates`), a course's as its coaches see them and
//! its rules (`/courses/{id}/certificates`), and the public verification by the unguessable
//! id printed on a certificate (`/certificates/verify/{public_id}`, no authentication).

use axum::Json;
use axum::extract::State;
use lore_app::certificates::{CertificateRules, CertificateView, CoachCertificates, HolderLine};
use serde::{Deserialize, Serialize};

use super::ApiResult;
use super::extract::{ApiJson, ApiPath};
use crate::WebState;
use crate::error::ErrorBody;
use crate::session::ApiCaller;

/// One of the caller's certificates.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Certificate {
    pub id: i64,
    pub course_id: Option<i64>,
    /// The course's title when awarded.
    pub title: String,
    pub holder_name: String,
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub awarded_at: time::OffsetDateTime,
    /// `null`: never expires.
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<time::OffsetDateTime>,
    /// `valid`, `expiring` (within the first reminder interval) or `expired`.
    #[schema(example = "valid")]
    pub status: String,
    /// A newer certificate of the same course replaced it.
    pub replaced: bool,
    /// The public verification link's id.
    pub public_id: String,
}

impl From<CertificateView> for Certificate {
    fn from(c: CertificateView) -> Self {
        Self {
            id: c.id,
            course_id: c.course_id,
            status: c.standing.as_str().to_owned(),
            title: c.title,
            holder_name: c.holder_name,
            version: c.version_number,
            awarded_at: c.awarded_at,
            expires_at: c.expires_at,
            replaced: c.replaced,
            public_id: c.public_id,
        }
    }
}

#[utoipa::path(
    get,
    path = "/me/certificates",
    operation_id = "list_my_certificates",
    tag = "certificates",
    summary = "The caller's certificates, newest first",
    responses(
        (status = 200, description = "The certificates", body = [Certificate]),
        (status = 401, description = "No valid token or session", body = ErrorBody),
    )
)]
pub async fn mine(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
) -> ApiResult<Json<Vec<Certificate>>> {
    let list = state.app.my_certificates(&caller).await?;
    Ok(Json(list.into_iter().map(Certificate::from).collect()))
}

/// A course's certificate rules.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Completing the course awards a certificate.
    pub awards: bool,
    /// Days a certificate stays valid; `null` or absent: never expires.
    #[serde(default)]
    pub validity_days: Option<i32>,
    /// Days before expiry to remind the holder (default 90, 60, 30, 7); the largest is
    /// when recertification is assigned.
    #[serde(default)]
    pub reminder_days: Vec<i32>,
}

impl From<CertificateRules> for Rules {
    fn from(r: CertificateRules) -> Self {
        Self {
            awards: r.awards,
            validity_days: r.validity_days,
            reminder_days: r.reminder_days,
        }
    }
}

/// A person holding a certificate of the course.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Holder {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub certificate_id: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub awarded_at: time::OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<time::OffsetDateTime>,
}

impl From<HolderLine> for Holder {
    fn from(h: HolderLine) -> Self {
        Self {
            user_id: h.user_id,
            name: h.name,
            email: h.email,
            certificate_id: h.certificate_id,
            awarded_at: h.awarded_at,
            expires_at: h.expires_at,
        }
    }
}

/// A person in the course's audience without a certificate of it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Lacking {
    pub user_id: i64,
    pub name: String,
    pub email: String,
}

/// Who holds, is about to lose, has lost or lacks a course's certificate.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CourseCertificates {
    pub course_id: i64,
    pub title: String,
    pub rules: Rules,
    pub valid: Vec<Holder>,
    /// Still valid, within the first reminder interval of expiry.
    pub expiring: Vec<Holder>,
    pub expired: Vec<Holder>,
    pub lacking: Vec<Lacking>,
}

impl From<CoachCertificates> for CourseCertificates {
    fn from(c: CoachCertificates) -> Self {
        let holders = |v: Vec<HolderLine>| v.into_iter().map(Holder::from).collect();
        Self {
            course_id: c.course_id,
            title: c.title,
            rules: c.rules.into(),
            valid: holders(c.valid),
            expiring: holders(c.expiring),
            expired: holders(c.expired),
            lacking: c
                .lacking
                .into_iter()
                .map(|p| Lacking {
                    user_id: p.id,
                    name: p.name,
                    email: p.email,
                })
                .collect(),
        }
    }
}

#[utoipa::path(
    get,
    path = "/courses/{id}/certificates",
    operation_id = "get_course_certificates",
    tag = "certificates",
    summary = "Who holds, is about to lose, has lost or lacks the course's certificate (coaches)",
    params(("id" = i64, Path, description = "The course")),
    responses(
        (status = 200, description = "The course's certificates", body = CourseCertificates),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Not a coach of the course", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
    )
)]
pub async fn course(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CourseCertificates>> {
    let view = state.app.course_certificates(&caller, id).await?;
    Ok(Json(view.into()))
}

#[utoipa::path(
    put,
    path = "/courses/{id}/certificates/rules",
    operation_id = "set_course_certificate_rules",
    tag = "certificates",
    summary = "Set whether completing the course awards a certificate, its validity and reminders (editors and coaches)",
    params(("id" = i64, Path, description = "The course")),
    request_body = Rules,
    responses(
        (status = 200, description = "The rules as saved", body = Rules),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "Neither an editor nor a coach of the course", body = ErrorBody),
        (status = 404, description = "No such course, or not visible to the caller", body = ErrorBody),
        (status = 422, description = "A validity or interval that is not a positive number of days", body = ErrorBody),
    )
)]
pub async fn set_rules(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Rules>,
) -> ApiResult<Json<Rules>> {
    let rules = CertificateRules::new(body.awards, body.validity_days, body.reminder_days)
        .map_err(lore_app::AppError::from)?;
    state
        .app
        .set_certificate_rules(&caller, id, rules.clone())
        .await?;
    Ok(Json(rules.into()))
}

/// What the public verification shows: only what it must.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Verification {
    pub holder_name: String,
    pub title: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub awarded_at: time::OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<time::OffsetDateTime>,
    /// `valid` or `expired`.
    #[schema(example = "valid")]
    pub status: String,
}

#[utoipa::path(
    get,
    path = "/certificates/verify/{public_id}",
    operation_id = "verify_certificate",
    tag = "certificates",
    summary = "Verify a certificate by the id on its verification link (no authentication)",
    params(("public_id" = String, Path, description = "The id printed on the certificate")),
    responses(
        (status = 200, description = "The certificate", body = Verification),
        (status = 404, description = "No certificate has this id", body = ErrorBody),
    )
)]
pub async fn verify(
    State(state): State<WebState>,
    ApiPath(public_id): ApiPath<String>,
) -> ApiResult<Json<Verification>> {
    let v = state.app.verify_certificate(&public_id).await?;
    Ok(Json(Verification {
        holder_name: v.holder_name,
        title: v.title,
        awarded_at: v.awarded_at,
        expires_at: v.expires_at,
        status: if v.valid { "valid" } else { "expired" }.to_owned(),
    }))
}
