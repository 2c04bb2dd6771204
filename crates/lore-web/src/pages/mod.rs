//! Server-rendered pages. Each file holds one area; this one wires the routes.

mod account;
mod admin;
mod admin_xapi;
mod admin_xapi_forwarding;
pub(crate) mod assignments;
mod auth;
pub(crate) mod blobs;
mod calendar;
mod certificates;
pub(crate) mod course_archive;
pub(crate) mod courses;
mod crm;
pub(crate) mod dashboards;
mod groups;
pub(crate) mod home;
mod insights;
pub(crate) mod needs;
mod notifications;
mod outcomes;
mod paths;
mod people;
mod people_import;
mod question_banks;
mod search;
mod webhooks;

use crate::route_table::Routes;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::error::PageError;

pub fn routes() -> Routes {
    Routes::new()
        .merge(courses::routes())
        .merge(needs::routes())
        .merge(dashboards::routes())
        .route("/certificates", get(certificates::mine))
        .route("/certificates/{id}", get(certificates::show))
        .route("/verify/{public_id}", get(certificates::verify))
        .route(
            "/courses/{id}/certificates",
            get(certificates::course).post(certificates::save_rules),
        )
        .route(
            "/courses/{id}/certificates.csv",
            get(certificates::course_csv),
        )
        .route("/courses/import", course_archive::import_route())
        .route("/courses/{id}/export.zip", get(course_archive::export))
        .route("/", get(home::show))
        .route("/search", get(search::show))
        .route("/blobs", blobs::upload_route())
        .route("/blobs/{hash}", get(blobs::show))
        .route("/sign-in", get(auth::sign_in_page).post(auth::sign_in))
        .route("/sign-out", post(auth::sign_out))
        .route(
            "/forgot-password",
            get(auth::forgot_page).post(auth::forgot),
        )
        .route(
            "/welcome/{token}",
            get(auth::welcome_page).post(auth::welcome),
        )
        .route("/notifications", get(notifications::index))
        .route("/notifications/stream", get(notifications::stream))
        .route("/notifications/read-all", post(notifications::read_all))
        .route("/notifications/{id}/open", post(notifications::open))
        .route("/notifications/{id}/read", post(notifications::read))
        .route("/admin", get(admin::overview))
        .route("/admin/audit", get(admin::audit))
        .route("/admin/audit.csv", get(admin::audit_csv))
        .route("/admin/crm", get(crm::page))
        .route("/admin/crm.csv", get(crm::csv))
        .route(
            "/admin/xapi",
            get(admin_xapi::show).post(admin_xapi::create),
        )
        .route("/admin/xapi/{id}/revoke", post(admin_xapi::revoke))
        .route(
            "/admin/xapi/forwarding",
            get(admin_xapi_forwarding::show).post(admin_xapi_forwarding::save),
        )
        .route(
            "/admin/xapi/forwarding/dead-letters/replay",
            post(admin_xapi_forwarding::replay_all),
        )
        .route(
            "/admin/xapi/forwarding/dead-letters/{id}/replay",
            post(admin_xapi_forwarding::replay),
        )
        .route(
            "/admin/webhooks",
            get(webhooks::platform).post(webhooks::create_platform),
        )
        .route(
            "/groups/{id}/chat-hooks",
            get(webhooks::group).post(webhooks::create_group),
        )
        .route("/webhooks/{id}", get(webhooks::show).post(webhooks::update))
        .route("/webhooks/{id}/enabled", post(webhooks::set_enabled))
        .route("/webhooks/{id}/rotate", post(webhooks::rotate))
        .route("/webhooks/{id}/delete", post(webhooks::delete))
        .route(
            "/webhooks/{id}/deliveries/{delivery}/redeliver",
            post(webhooks::redeliver),
        )
        .route("/account", get(account::show))
        .route("/account/password", post(account::change_password))
        .route(
            "/account/sessions/{id}/revoke",
            post(account::revoke_session),
        )
        .route(
            "/account/sessions/revoke-others",
            post(account::revoke_others),
        )
        .route("/account/mail", post(account::save_mail_choices))
        .route("/account/profile", account::profile_route())
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/groups", get(groups::index).post(groups::create))
        .route("/groups/{id}", get(groups::show))
        .route("/groups/{id}/rename", post(groups::rename))
        .route("/groups/{id}/authoring", post(groups::authoring))
        .route("/groups/{id}/review-rules", post(groups::review_rules))
        .route("/groups/{id}/delete", post(groups::delete))
        .route("/groups/{id}/members", post(groups::put_member))
        .route(
            "/groups/{id}/members/{user_id}/remove",
            post(groups::remove_member),
        )
        .route("/paths", get(paths::index))
        .route("/paths/new", get(paths::new_page).post(paths::create))
        .route("/paths/{id}", get(paths::show))
        .route("/paths/{id}/edit", get(paths::edit).post(paths::save))
        .route("/paths/{id}/publish", post(paths::publish))
        .route("/paths/{id}/versions", get(paths::versions))
        .route("/assign", get(assignments::page).post(assignments::assign))
        .route("/assign/csv", post(assignments::assign_csv))
        .route("/assignments/{id}/remove", post(assignments::unassign))
        .route("/progress", get(assignments::progress))
        .route("/progress.csv", get(assignments::progress_csv))
        .route("/reports", get(assignments::reports))
        .route("/insights/gaps", get(insights::gaps))
        .route("/insights/gaps.csv", get(insights::gaps_download))
        .route("/insights/experts", get(insights::experts))
        .route("/insights/experts.csv", get(insights::experts_download))
        .route(
            "/question-banks",
            get(question_banks::index).post(question_banks::create),
        )
        .route("/question-banks/{id}", get(question_banks::show))
        .route("/question-banks/{id}/questions", post(question_banks::add))
        .route(
            "/question-banks/{id}/questions/{question_id}/delete",
            post(question_banks::delete_question),
        )
        .route(
            "/courses/{id}/edit/draw",
            get(question_banks::draw).post(question_banks::save_draw),
        )
        .route("/outcomes", get(outcomes::index).post(outcomes::create))
        .route("/outcomes/{id}", get(outcomes::show))
        .route("/outcomes/{id}/periods.csv", get(outcomes::periods_csv))
        .route("/outcomes/{id}/values", post(outcomes::import))
        .route("/outcomes/{id}/links", post(outcomes::link))
        .route("/outcomes/{id}/links/remove", post(outcomes::unlink))
        .route("/calendar/{file}", get(calendar::feed))
        .route("/account/calendar", post(calendar::create))
        .route("/account/calendar/revoke", post(calendar::revoke))
        .route("/people", get(people::index))
        .route(
            "/people/invite",
            get(people::invite_page).post(people::invite),
        )
        .route(
            "/people/import",
            get(people_import::page).post(people_import::upload),
        )
        .route("/people/{id}", get(people::show))
        .route("/people/{id}/deactivate", post(people::deactivate))
        .route("/people/{id}/reactivate", post(people::reactivate))
        .route("/people/{id}/reset-link", post(people::reset_link))
}

pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::ApiError(lore_app::AppError::NotFound("That endpoint"))
            .into_response();
    }
    PageError(lore_app::AppError::NotFound("That page")).into_response()
}

/// Parse an id from the path; a non-number is simply a page that does not exist.
pub fn parse_id(raw: &str) -> Result<i64, PageError> {
    raw.parse()
        .map_err(|_| PageError(lore_app::AppError::NotFound("That page")))
}

/// Redirect after a successful form, with a confirmation from the fixed list.
pub fn done(to: &str, notice: &str) -> Response {
    axum::response::Redirect::to(&format!("{to}?notice={notice}")).into_response()
}

/// The `?notice=` code on a page after a redirect.
/// Links to the previous and next page of a long list (`templates/pager.html`).
pub struct Pager {
    /// From 1.
    pub page: u64,
    pub pages: u64,
    /// The list's address with its filters, ending in `?` or `&`, before `page=N`.
    base: String,
    /// Where on the page the links land, e.g. `#members-heading`; may be empty.
    anchor: &'static str,
    pub label: &'static str,
}

impl Pager {
    /// A pager for `total` items, `per_page` a page, at `base` (an address with or without a
    /// query string).
    pub fn new(base: &str, page: u64, total: u64, per_page: u64) -> Self {
        let sep = if base.contains('?') {
            if base.ends_with('?') || base.ends_with('&') {
                ""
            } else {
                "&"
            }
        } else {
            "?"
        };
        Pager {
            page,
            pages: total.div_ceil(per_page.max(1)).max(1),
            base: format!("{base}{sep}"),
            anchor: "",
            label: "Pages",
        }
    }

    pub fn landing_at(mut self, anchor: &'static str, label: &'static str) -> Self {
        self.anchor = anchor;
        self.label = label;
        self
    }

    /// The address of another page (askama hands numbers over by value or by reference).
    pub fn href(&self, page: impl std::borrow::Borrow<u64>) -> String {
        format!("{}page={}{}", self.base, page.borrow(), self.anchor)
    }
}

/// A page number from a query string, from 1: anything else (missing, `abc`, `0`) is the first
/// page, as a person who edits the address would expect.
pub fn page_number(raw: Option<&str>) -> u64 {
    raw.and_then(|p| p.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

#[derive(serde::Deserialize, Default)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}
