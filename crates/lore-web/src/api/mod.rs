//! The JSON API under `/api/v1`: routes, and the OpenAPI 3.1 document generated from the
//! handlers' `#[utoipa::path]` attributes and served at `/api/v1/openapi.json`.

mod analytics;
mod assign_csv;
mod attempts;
mod audit_log;
mod authoring;
mod calendar;
mod certificates;
mod course_files;
mod course_lifecycle;
mod course_settings;
mod courses;
mod crm;
mod dashboards;
mod discussions;
mod enrolments;
mod error_docs;
mod essay_files;
mod essay_reviews;
mod evaluation_settings;
mod events_feed;
mod extract;
mod feedback;
mod gift;
mod group_authoring;
mod groups;
mod insights;
mod me;
mod need_actions;
mod need_detail;
mod needs;
mod notification_settings;
mod notifications;
mod outcomes;
mod paths;
mod platform_caller;
mod profile;
mod question_banks;
mod question_imports;
mod request_rules;
mod review_settings;
mod reviews;
mod role;
mod suggestions;
mod tokens;
mod uploads;
mod users;
mod webhooks;
mod xapi_clients;
mod xapi_forwarding;

use axum::Json;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, patch, post, put};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::{Modify, OpenApi};

use crate::error::ApiError;
use crate::route_table::Routes;
use error_docs::ErrorResponses;
use request_rules::RequestRules;

/// Where lib.rs nests [`routes`]; the document's paths carry it, so they work as written.
const BASE: &str = "/api/v1";

/// The path of the document itself, which needs no authentication.
const DOCUMENT_PATH: &str = "/openapi.json";

/// Certificate verification, which needs no authentication either.
const VERIFY_PATH: &str = "/certificates/verify/{public_id}";

type ApiResult<T> = Result<T, ApiError>;

/// The largest JSON body accepted: the longest step text in 4-byte characters (the most
/// UTF-8 needs for one) with room for the rest of the body. Only the imports take more.
pub(crate) const JSON_BODY_LIMIT: usize = 4 * lore_domain::course::StepBody::MAX_CHARS + 64 * 1024;

/// Every API route, relative to `/api/v1`.
pub fn routes() -> Routes {
    let json = Routes::new()
        .route(DOCUMENT_PATH, get(openapi_json))
        .route("/me", get(me::me))
        .route("/me/certificates", get(certificates::mine))
        .route("/courses/{id}/certificates", get(certificates::course))
        .route(
            "/courses/{id}/certificates/rules",
            put(certificates::set_rules),
        )
        .route(
            "/certificates/verify/{public_id}",
            get(certificates::verify),
        )
        .route("/me/profile", get(profile::show).patch(profile::update))
        .route(
            "/me/calendar",
            get(calendar::show)
                .post(calendar::create)
                .delete(calendar::revoke),
        )
        .route("/audit-log", get(audit_log::list))
        .route("/crm/records", get(crm::records))
        .route("/crm/records.csv", get(crm::records_csv))
        .route("/events", get(events_feed::list))
        .route(
            "/me/notification-settings",
            get(notification_settings::show).put(notification_settings::update),
        )
        .route("/users", get(users::list).post(users::invite))
        .route("/users/{id}", get(users::show))
        .route("/users/{id}/deactivate", post(users::deactivate))
        .route("/users/{id}/reactivate", post(users::reactivate))
        .route("/users/{id}/reset-link", post(users::reset_link))
        .route("/groups", get(groups::list).post(groups::create))
        .route(
            "/groups/{id}",
            get(groups::show)
                .patch(groups::rename)
                .delete(groups::delete),
        )
        .route("/groups/{id}/members", get(groups::members))
        .route(
            "/groups/{id}/authoring",
            get(group_authoring::show).put(group_authoring::update),
        )
        .route(
            "/groups/{id}/members/{user_id}",
            put(groups::put_member).delete(groups::remove_member),
        )
        .route("/courses", get(courses::list).post(authoring::create))
        .route(
            "/courses/{id}/draft",
            get(authoring::show_draft).patch(authoring::edit_draft),
        )
        .route("/courses/{id}/draft/steps", post(authoring::add_step))
        .route(
            "/courses/{id}/draft/steps/{step_id}",
            put(authoring::save_step).delete(authoring::delete_step),
        )
        .route("/courses/{id}/draft/order", put(authoring::reorder))
        .route("/courses/{id}/publish", post(authoring::publish))
        .route("/courses/{id}/versions", get(authoring::versions))
        .route("/courses/{id}/versions/diff", get(authoring::diff))
        .route("/courses/{id}/export.zip", get(authoring::export))
        .route(
            "/courses/{id}",
            get(courses::show).delete(course_lifecycle::delete),
        )
        .route("/courses/{id}/archive", post(course_lifecycle::archive))
        .route("/courses/{id}/restore", post(course_lifecycle::restore))
        .route(
            "/courses/{id}/coauthors",
            get(course_settings::coauthors).post(course_settings::add_coauthor),
        )
        .route("/courses/{id}/transfer", post(course_settings::transfer))
        .route(
            "/courses/{id}/coauthors/{user_id}",
            delete(course_settings::remove_coauthor),
        )
        .route(
            "/courses/{id}/audiences",
            get(course_settings::audiences).put(course_settings::set_audiences),
        )
        .route(
            "/courses/{id}/evaluation/settings",
            get(evaluation_settings::settings).put(evaluation_settings::set_settings),
        )
        .route(
            "/courses/{id}/evaluation/questions",
            get(evaluation_settings::questions).post(evaluation_settings::add_question),
        )
        .route(
            "/courses/{id}/evaluation/questions/order",
            put(evaluation_settings::reorder_questions),
        )
        .route(
            "/courses/{id}/evaluation/questions/{key}",
            put(evaluation_settings::save_question).delete(evaluation_settings::delete_question),
        )
        .route(
            "/courses/{id}/enrolment",
            get(enrolments::progress).post(enrolments::enrol),
        )
        .route("/courses/{id}/player", post(enrolments::open))
        .route(
            "/courses/{id}/steps/{key}/complete",
            post(enrolments::complete),
        )
        .route(
            "/courses/{id}/switch-latest",
            post(enrolments::switch_latest),
        )
        .route("/courses/{id}/assign", post(enrolments::assign))
        .route("/me/learning", get(enrolments::mine))
        .route(
            "/courses/{id}/attempts",
            get(attempts::mine).post(attempts::start),
        )
        .route("/attempts/{id}", get(attempts::show))
        .route("/attempts/{id}/answers/{key}", put(attempts::answer))
        .route("/attempts/{id}/submit", post(attempts::submit))
        .route(
            "/courses/{id}/steps/{key}/questions",
            get(attempts::step_questions),
        )
        .route(
            "/courses/{id}/steps/{key}/check",
            post(attempts::check_step),
        )
        .route("/courses/{id}/item-analysis", get(attempts::item_analysis))
        .route(
            "/courses/{id}/threads",
            get(discussions::list).post(discussions::create),
        )
        .route("/courses/{id}/threads/{thread_id}", get(discussions::show))
        .route(
            "/courses/{id}/threads/{thread_id}/posts",
            post(discussions::reply),
        )
        .route(
            "/courses/{id}/threads/{thread_id}/accept",
            post(discussions::accept),
        )
        .route(
            "/courses/{id}/threads/{thread_id}/locked",
            put(discussions::lock),
        )
        .route(
            "/courses/{id}/threads/{thread_id}/hidden",
            put(discussions::hide_thread),
        )
        .route(
            "/courses/{id}/threads/{thread_id}/posts/{post_id}",
            patch(discussions::edit_post).delete(discussions::delete_post),
        )
        .route(
            "/courses/{id}/threads/{thread_id}/posts/{post_id}/hidden",
            put(discussions::hide_post),
        )
        .route("/courses/{id}/feedback", get(feedback::show))
        .route("/courses/{id}/questions/gift/check", post(gift::check))
        .route("/courses/{id}/questions/gift/import", post(gift::import))
        .route(
            "/courses/{id}/questions/csv",
            post(question_imports::import_csv),
        )
        .route(
            "/courses/{id}/draft/steps/{step_id}/questions",
            post(question_imports::import_into_step),
        )
        .route("/courses/{id}/essays", get(essay_reviews::queue))
        .route(
            "/courses/{id}/essays/{attempt_id}/review",
            post(essay_reviews::review),
        )
        .route(
            "/courses/{id}/answer-reviewers",
            get(essay_reviews::answer_reviewers).post(essay_reviews::add_answer_reviewer),
        )
        .route(
            "/courses/{id}/answer-reviewers/{user_id}",
            delete(essay_reviews::remove_answer_reviewer),
        )
        .route(
            "/courses/{id}/peer-review",
            get(essay_reviews::peer_review).put(essay_reviews::set_peer_review),
        )
        .route("/courses/{id}/steps/{key}/reactions", post(feedback::react))
        .route(
            "/courses/{id}/reactions/{reaction_id}/resolve",
            post(feedback::resolve),
        )
        .route("/reactions/{id}", delete(feedback::withdraw))
        .route("/attention", get(feedback::attention))
        .route(
            "/courses/{id}/steps/{key}/suggestions",
            post(suggestions::propose),
        )
        .route("/courses/{id}/suggestions", get(suggestions::list))
        .route("/courses/{id}/suggestions/{sid}", get(suggestions::show))
        .route(
            "/courses/{id}/suggestions/{sid}/accept",
            post(suggestions::accept),
        )
        .route(
            "/courses/{id}/suggestions/{sid}/decline",
            post(suggestions::decline),
        )
        .route(
            "/courses/{id}/review",
            get(reviews::show).post(reviews::submit),
        )
        .route("/courses/{id}/review/comments", post(reviews::comment))
        .route(
            "/courses/{id}/review/comments/{comment_id}/resolve",
            post(reviews::resolve),
        )
        .route("/courses/{id}/review/verdict", post(reviews::verdict))
        .route("/courses/{id}/confirm", post(reviews::confirm))
        .route(
            "/groups/{id}/review-rules",
            put(review_settings::set_group_rules),
        )
        .route(
            "/courses/{id}/review-interval",
            put(review_settings::set_course_interval),
        )
        .route(
            "/courses/{id}/reviewers",
            post(review_settings::add_reviewer),
        )
        .route(
            "/courses/{id}/reviewers/{user_id}",
            delete(review_settings::remove_reviewer),
        )
        .route("/needs", get(needs::board).post(need_detail::ask))
        .route("/needs/similar", get(needs::similar))
        .route(
            "/needs/{id}",
            get(need_detail::show).patch(need_detail::edit),
        )
        .route(
            "/needs/{id}/vote",
            post(need_actions::vote).delete(need_actions::unvote),
        )
        .route(
            "/needs/{id}/follow",
            post(need_actions::follow).delete(need_actions::unfollow),
        )
        .route("/needs/{id}/volunteer", post(need_actions::volunteer))
        .route("/needs/{id}/status", post(need_actions::set_status))
        .route("/needs/{id}/merge", post(need_actions::merge))
        .route(
            "/needs/{id}/experts",
            get(need_actions::experts).post(need_actions::assign),
        )
        .route("/needs/{id}/courses", post(need_actions::link_course))
        .route("/insights/gaps", get(insights::gaps))
        .route("/insights/experts", get(insights::experts))
        .route("/notifications", get(notifications::list))
        .route("/notifications/read-all", post(notifications::read_all))
        .route("/notifications/{id}/read", post(notifications::read))
        .route("/paths", get(paths::list).post(paths::create))
        .route("/paths/{id}", get(paths::show))
        .route("/paths/{id}/draft", put(paths::put_draft))
        .route("/paths/{id}/publish", post(paths::publish))
        .route("/paths/{id}/versions", get(paths::versions))
        .route("/paths/{id}/progress", get(paths::path_progress))
        .route("/courses/{id}/progress", get(paths::course_progress))
        .route("/courses/{id}/funnel", get(analytics::funnel))
        .route("/courses/{id}/funnel/compare", get(analytics::compare))
        .route("/courses/{id}/analytics", get(analytics::course))
        .route("/assignments", post(paths::assign))
        .route("/assignments/{id}", delete(paths::unassign))
        .route("/assignments/csv", post(assign_csv::assign_csv))
        .route("/me/assignments", get(paths::mine))
        .route("/dashboard", get(dashboards::show))
        .route("/dashboard/assignments", get(dashboards::assignments))
        .route(
            "/dashboard/assignments/{id}/people",
            get(dashboards::assignment_people),
        )
        .route("/dashboard/courses", get(dashboards::courses))
        .route(
            "/dashboard/courses/{id}/completions",
            get(dashboards::completions),
        )
        .route(
            "/dashboard/courses/{id}/attempts",
            get(dashboards::attempts),
        )
        .route("/dashboard/health", get(dashboards::health))
        .route(
            "/dashboard/weeks/{week}/people",
            get(dashboards::week_people),
        )
        .route(
            "/question-banks",
            get(question_banks::list).post(question_banks::create),
        )
        .route("/question-banks/{id}", get(question_banks::show))
        .route(
            "/question-banks/{id}/questions",
            post(question_banks::add_question),
        )
        .route(
            "/question-banks/{id}/questions/gift",
            post(question_banks::import_gift),
        )
        .route(
            "/question-banks/{id}/questions/{question_id}",
            delete(question_banks::delete_question),
        )
        .route(
            "/courses/{id}/evaluation/draw",
            get(question_banks::show_draw)
                .put(question_banks::set_draw)
                .delete(question_banks::clear_draw),
        )
        .route("/outcomes", get(outcomes::list).post(outcomes::create))
        .route("/outcomes/{id}", get(outcomes::report))
        .route("/outcomes/{id}/links", post(outcomes::link))
        .route(
            "/outcomes/{id}/links/{kind}/{target_id}",
            delete(outcomes::unlink),
        )
        .route("/tokens", get(tokens::list).post(tokens::create))
        .route("/tokens/{id}", delete(tokens::revoke))
        .route(
            "/xapi/clients",
            get(xapi_clients::list).post(xapi_clients::create),
        )
        .route("/xapi/clients/{id}", delete(xapi_clients::revoke))
        .route(
            "/xapi/forwarding",
            get(xapi_forwarding::show).put(xapi_forwarding::update),
        )
        .route(
            "/xapi/forwarding/dead-letters",
            get(xapi_forwarding::dead_letters),
        )
        .route(
            "/xapi/forwarding/dead-letters/replay",
            post(xapi_forwarding::replay_all),
        )
        .route(
            "/xapi/forwarding/dead-letters/{id}/replay",
            post(xapi_forwarding::replay),
        )
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route(
            "/webhooks/{id}",
            get(webhooks::show)
                .patch(webhooks::update)
                .delete(webhooks::delete),
        )
        .route("/webhooks/{id}/rotate", post(webhooks::rotate))
        .route("/webhooks/{id}/deliveries", get(webhooks::deliveries))
        .route(
            "/webhooks/{id}/deliveries/{delivery}/redeliver",
            post(webhooks::redeliver),
        )
        .route(
            "/groups/{id}/chat-hooks",
            get(webhooks::chat_hooks).post(webhooks::create_chat_hook),
        )
        .map(|r| r.layer(DefaultBodyLimit::max(JSON_BODY_LIMIT)));
    json.route("/users/import", post(users::import))
        .route(
            "/uploads",
            post(uploads::upload).layer(DefaultBodyLimit::max(crate::pages::blobs::BODY_LIMIT)),
        )
        .route(
            "/attempts/{id}/answers/{key}/file",
            get(essay_files::show)
                .put(essay_files::attach)
                .layer(DefaultBodyLimit::max(crate::pages::blobs::BODY_LIMIT)),
        )
        .route(
            "/courses/{id}/draft/cover",
            post(course_files::cover).layer(DefaultBodyLimit::max(crate::pages::blobs::BODY_LIMIT)),
        )
        .route(
            "/courses/{id}/draft/steps/{step_id}/attach",
            post(course_files::attach)
                .layer(DefaultBodyLimit::max(crate::pages::blobs::BODY_LIMIT)),
        )
        .route(
            "/courses/import",
            post(authoring::import).layer(DefaultBodyLimit::max(
                crate::pages::course_archive::BODY_LIMIT,
            )),
        )
        .route(
            "/outcomes/{id}/values",
            post(outcomes::import)
                .layer(DefaultBodyLimit::max(lore_app::outcomes::MAX_IMPORT_BYTES)),
        )
        .map(|r| r.fallback(unknown_endpoint))
}

/// Unknown addresses under `/api/v1` answer in JSON too, not with the HTML 404 page.
async fn unknown_endpoint() -> ApiError {
    ApiError(lore_app::AppError::NotFound("That API endpoint"))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Lore API",
        description = "Lore's JSON API. Authenticate with a personal token \
                       (`Authorization: Bearer lore_…`, made at `POST /api/v1/tokens`), \
                       or from the browser with the session cookie plus the `X-CSRF-Token` \
                       header on changes. Errors are `{\"error\": {\"code\", \"message\"}}` \
                       with a stable `code`.",
        version = env!("CARGO_PKG_VERSION"),
    ),
    paths(
        openapi_json,
        me::me,
        profile::show,
        profile::update,
        calendar::show,
        calendar::create,
        calendar::revoke,
        audit_log::list,
        crm::records,
        crm::records_csv,
        events_feed::list,
        notification_settings::show,
        notification_settings::update,
        users::list,
        users::invite,
        users::show,
        users::deactivate,
        users::reactivate,
        users::reset_link,
        users::import,
        groups::list,
        groups::create,
        groups::show,
        groups::rename,
        groups::delete,
        groups::members,
        group_authoring::show,
        group_authoring::update,
        groups::put_member,
        groups::remove_member,
        tokens::list,
        tokens::create,
        tokens::revoke,
        courses::list,
        courses::show,
        enrolments::enrol,
        enrolments::progress,
        enrolments::open,
        enrolments::complete,
        enrolments::switch_latest,
        enrolments::assign,
        enrolments::mine,
        attempts::start,
        attempts::mine,
        attempts::show,
        attempts::answer,
        essay_files::attach,
        essay_files::show,
        attempts::submit,
        attempts::step_questions,
        attempts::check_step,
        attempts::item_analysis,
        authoring::create,
        authoring::show_draft,
        authoring::edit_draft,
        authoring::add_step,
        authoring::save_step,
        authoring::delete_step,
        authoring::reorder,
        authoring::publish,
        authoring::versions,
        authoring::diff,
        authoring::export,
        authoring::import,
        uploads::upload,
        course_lifecycle::archive,
        course_lifecycle::restore,
        course_lifecycle::delete,
        course_settings::coauthors,
        course_settings::add_coauthor,
        course_settings::remove_coauthor,
        course_settings::transfer,
        course_settings::audiences,
        course_settings::set_audiences,
        evaluation_settings::settings,
        evaluation_settings::set_settings,
        evaluation_settings::questions,
        evaluation_settings::add_question,
        evaluation_settings::save_question,
        evaluation_settings::delete_question,
        evaluation_settings::reorder_questions,
        course_files::cover,
        course_files::attach,
        discussions::list,
        discussions::show,
        discussions::create,
        discussions::reply,
        discussions::accept,
        discussions::edit_post,
        discussions::delete_post,
        discussions::lock,
        discussions::hide_thread,
        discussions::hide_post,
        feedback::react,
        gift::check,
        gift::import,
        question_imports::import_csv,
        question_imports::import_into_step,
        essay_reviews::queue,
        essay_reviews::review,
        essay_reviews::answer_reviewers,
        essay_reviews::add_answer_reviewer,
        essay_reviews::remove_answer_reviewer,
        essay_reviews::peer_review,
        essay_reviews::set_peer_review,
        feedback::withdraw,
        feedback::show,
        feedback::resolve,
        feedback::attention,
        suggestions::propose,
        suggestions::list,
        suggestions::show,
        suggestions::accept,
        suggestions::decline,
        reviews::show,
        reviews::submit,
        reviews::comment,
        reviews::resolve,
        reviews::verdict,
        reviews::confirm,
        review_settings::set_group_rules,
        review_settings::set_course_interval,
        review_settings::add_reviewer,
        review_settings::remove_reviewer,
        needs::board,
        need_detail::ask,
        needs::similar,
        need_detail::show,
        need_detail::edit,
        need_actions::vote,
        need_actions::unvote,
        need_actions::follow,
        need_actions::unfollow,
        need_actions::volunteer,
        need_actions::set_status,
        need_actions::merge,
        need_actions::experts,
        need_actions::assign,
        need_actions::link_course,
        insights::gaps,
        insights::experts,
        notifications::list,
        notifications::read,
        notifications::read_all,
        paths::list,
        paths::create,
        paths::show,
        paths::put_draft,
        paths::publish,
        paths::versions,
        paths::path_progress,
        paths::course_progress,
        analytics::funnel,
        analytics::compare,
        analytics::course,
        paths::assign,
        paths::unassign,
        assign_csv::assign_csv,
        paths::mine,
        certificates::mine,
        certificates::course,
        certificates::set_rules,
        certificates::verify,
        dashboards::show,
        dashboards::assignments,
        dashboards::assignment_people,
        dashboards::courses,
        dashboards::completions,
        dashboards::attempts,
        dashboards::health,
        dashboards::week_people,
        question_banks::list,
        question_banks::create,
        question_banks::show,
        question_banks::add_question,
        question_banks::import_gift,
        question_banks::delete_question,
        question_banks::show_draw,
        question_banks::set_draw,
        question_banks::clear_draw,
        outcomes::list,
        outcomes::create,
        outcomes::report,
        outcomes::import,
        outcomes::link,
        outcomes::unlink,
        xapi_clients::list,
        xapi_clients::create,
        xapi_clients::revoke,
        xapi_forwarding::show,
        xapi_forwarding::update,
        xapi_forwarding::dead_letters,
        xapi_forwarding::replay,
        xapi_forwarding::replay_all,
        webhooks::list,
        webhooks::create,
        webhooks::show,
        webhooks::update,
        webhooks::delete,
        webhooks::rotate,
        webhooks::deliveries,
        webhooks::redeliver,
        webhooks::chat_hooks,
        webhooks::create_chat_hook,
    ),
    tags(
        (name = "me", description = "The caller"),
        (name = "analytics", description = "Learning data: course funnels, versions compared, the author's course figures"),
        (name = "admin", description = "For platform administrators: the audit log of administrative actions, the CRM feed, the events feed, the clients of the learning record store (`/xapi/`) and forwarding its statements to another one"),
        (name = "users", description = "People: the directory, invitations, deactivation, import"),
        (name = "groups", description = "The organisation tree and memberships"),
        (name = "tokens", description = "Personal API tokens"),
        (name = "courses", description = "The catalogue, search, and courses"),
        (name = "authoring", description = "Writing courses: create, the draft and its steps, files on it, publish, versions and their diffs, a course as a zip; co-authors and audiences; archive, restore and delete"),
        (name = "evaluations", description = "A course's final evaluation: its settings and questions for its editors; attempts, answers, results; questions inside steps; item analysis for authors and coaches"),
        (name = "learning", description = "Taking courses: enrolment, progress, the player, completing steps, assigning a course to a person, and the caller's learning"),
        (name = "discussions", description = "Threads and posts on courses and their steps"),
        (name = "feedback", description = "Reactions on steps, course feedback and health, suggested edits, and courses needing attention"),
        (name = "reviews", description = "Review before publishing, and confirming a course is still right"),
        (name = "needs", description = "Learning needs: asking, voting, the board, the lifecycle, experts and the courses that answer them"),
        (name = "insights", description = "A group's learning data for its coaches: knowledge gaps and experts"),
        (name = "notifications", description = "The caller's notifications"),
        (name = "paths", description = "Learning paths, assignments of courses and paths to people and groups, and progress on them"),
        (name = "dashboards", description = "Coach and group dashboards: the figures of a group over a range of weeks, and the people and courses behind each"),
        (name = "certificates", description = "Certificates: the caller's, a course's for its coaches, and public verification"),
        (name = "webhooks", description = "Webhooks: signed deliveries of Lore's events to subscribed addresses (platform administrators), and a group's Slack and Teams hooks (its administrators), with their delivery logs"),
        (name = "outcomes", description = "Business outcome metrics: values per person and period, linked courses and paths, and the report comparing who completed them with who did not"),
    ),
    modifiers(
        &Authentication,
        &UnderBase,
        &ErrorResponses,
        &RequestRules,
    ),
)]
struct ApiDoc;

/// The `bearer` and `session` security schemes, required on every operation but the document.
struct Authentication;

impl Modify for Authentication {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("lore_…")
                    .description(Some("A personal API token."))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::session::SESSION_COOKIE,
                "A browser session; changes also need the `X-CSRF-Token` header.",
            ))),
        );
        let none: [&str; 0] = [];
        doc.security = Some(vec![
            SecurityRequirement::new("bearer", none),
            SecurityRequirement::new("session", none),
        ]);
        for open in [DOCUMENT_PATH, VERIFY_PATH] {
            if let Some(item) = doc.paths.paths.get_mut(open)
                && let Some(get) = item.get.as_mut()
            {
                // An empty list overrides the global requirement: anyone may call it.
                get.security = Some(Vec::new());
            }
        }
    }
}

/// Prefix every path with [`BASE`], where lib.rs nests the router.
struct UnderBase;

impl Modify for UnderBase {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let paths = std::mem::take(&mut doc.paths.paths);
        doc.paths.paths = paths
            .into_iter()
            .map(|(path, item)| (format!("{BASE}{path}"), item))
            .collect();
    }
}

/// The OpenAPI 3.1 document of this API.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

#[utoipa::path(
    get,
    path = "/openapi.json",
    operation_id = "get_openapi",
    summary = "This OpenAPI document",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object, content_type = "application/json"))
)]
async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi_document())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPECTED: [(&str, &str); 204] = [
        ("get", "/api/v1/me/calendar"),
        ("post", "/api/v1/me/calendar"),
        ("delete", "/api/v1/me/calendar"),
        ("get", "/api/v1/groups/{id}/authoring"),
        ("put", "/api/v1/groups/{id}/authoring"),
        ("post", "/api/v1/courses/{id}/questions/csv"),
        (
            "post",
            "/api/v1/courses/{id}/draft/steps/{step_id}/questions",
        ),
        ("post", "/api/v1/assignments/csv"),
        ("post", "/api/v1/courses/{id}/transfer"),
        ("post", "/api/v1/courses/{id}/archive"),
        ("post", "/api/v1/courses/{id}/restore"),
        ("delete", "/api/v1/courses/{id}"),
        ("get", "/api/v1/courses/{id}/coauthors"),
        ("post", "/api/v1/courses/{id}/coauthors"),
        ("delete", "/api/v1/courses/{id}/coauthors/{user_id}"),
        ("get", "/api/v1/courses/{id}/audiences"),
        ("put", "/api/v1/courses/{id}/audiences"),
        ("get", "/api/v1/courses/{id}/evaluation/settings"),
        ("put", "/api/v1/courses/{id}/evaluation/settings"),
        ("get", "/api/v1/courses/{id}/evaluation/questions"),
        ("post", "/api/v1/courses/{id}/evaluation/questions"),
        ("put", "/api/v1/courses/{id}/evaluation/questions/order"),
        ("put", "/api/v1/courses/{id}/evaluation/questions/{key}"),
        ("delete", "/api/v1/courses/{id}/evaluation/questions/{key}"),
        ("post", "/api/v1/courses/{id}/draft/cover"),
        ("post", "/api/v1/courses/{id}/draft/steps/{step_id}/attach"),
        ("post", "/api/v1/uploads"),
        ("post", "/api/v1/courses"),
        ("get", "/api/v1/courses/{id}/draft"),
        ("patch", "/api/v1/courses/{id}/draft"),
        ("post", "/api/v1/courses/{id}/draft/steps"),
        ("put", "/api/v1/courses/{id}/draft/steps/{step_id}"),
        ("delete", "/api/v1/courses/{id}/draft/steps/{step_id}"),
        ("put", "/api/v1/courses/{id}/draft/order"),
        ("post", "/api/v1/courses/{id}/publish"),
        ("get", "/api/v1/courses/{id}/versions"),
        ("get", "/api/v1/courses/{id}/versions/diff"),
        ("get", "/api/v1/courses/{id}/export.zip"),
        ("post", "/api/v1/courses/import"),
        ("post", "/api/v1/courses/{id}/attempts"),
        ("get", "/api/v1/courses/{id}/attempts"),
        ("get", "/api/v1/attempts/{id}"),
        ("put", "/api/v1/attempts/{id}/answers/{key}"),
        ("put", "/api/v1/attempts/{id}/answers/{key}/file"),
        ("get", "/api/v1/attempts/{id}/answers/{key}/file"),
        ("post", "/api/v1/attempts/{id}/submit"),
        ("get", "/api/v1/courses/{id}/steps/{key}/questions"),
        ("post", "/api/v1/courses/{id}/steps/{key}/check"),
        ("get", "/api/v1/courses/{id}/item-analysis"),
        ("post", "/api/v1/courses/{id}/enrolment"),
        ("get", "/api/v1/courses/{id}/enrolment"),
        ("post", "/api/v1/courses/{id}/player"),
        ("post", "/api/v1/courses/{id}/steps/{key}/complete"),
        ("post", "/api/v1/courses/{id}/switch-latest"),
        ("post", "/api/v1/courses/{id}/assign"),
        ("get", "/api/v1/me/learning"),
        ("get", "/api/v1/events"),
        ("get", "/api/v1/question-banks"),
        ("post", "/api/v1/question-banks"),
        ("get", "/api/v1/question-banks/{id}"),
        ("post", "/api/v1/question-banks/{id}/questions"),
        ("post", "/api/v1/question-banks/{id}/questions/gift"),
        (
            "delete",
            "/api/v1/question-banks/{id}/questions/{question_id}",
        ),
        ("get", "/api/v1/courses/{id}/evaluation/draw"),
        ("put", "/api/v1/courses/{id}/evaluation/draw"),
        ("delete", "/api/v1/courses/{id}/evaluation/draw"),
        ("get", "/api/v1/courses/{id}/essays"),
        ("post", "/api/v1/courses/{id}/essays/{attempt_id}/review"),
        ("get", "/api/v1/courses/{id}/answer-reviewers"),
        ("post", "/api/v1/courses/{id}/answer-reviewers"),
        ("delete", "/api/v1/courses/{id}/answer-reviewers/{user_id}"),
        ("get", "/api/v1/courses/{id}/peer-review"),
        ("put", "/api/v1/courses/{id}/peer-review"),
        ("post", "/api/v1/courses/{id}/questions/gift/check"),
        ("post", "/api/v1/courses/{id}/questions/gift/import"),
        ("get", "/api/v1/webhooks"),
        ("post", "/api/v1/webhooks"),
        ("get", "/api/v1/webhooks/{id}"),
        ("patch", "/api/v1/webhooks/{id}"),
        ("delete", "/api/v1/webhooks/{id}"),
        ("post", "/api/v1/webhooks/{id}/rotate"),
        ("get", "/api/v1/webhooks/{id}/deliveries"),
        (
            "post",
            "/api/v1/webhooks/{id}/deliveries/{delivery}/redeliver",
        ),
        ("get", "/api/v1/groups/{id}/chat-hooks"),
        ("post", "/api/v1/groups/{id}/chat-hooks"),
        ("get", "/api/v1/openapi.json"),
        ("get", "/api/v1/insights/gaps"),
        ("get", "/api/v1/insights/experts"),
        ("get", "/api/v1/me"),
        ("get", "/api/v1/me/profile"),
        ("patch", "/api/v1/me/profile"),
        ("get", "/api/v1/audit-log"),
        ("get", "/api/v1/crm/records"),
        ("get", "/api/v1/crm/records.csv"),
        ("get", "/api/v1/me/notification-settings"),
        ("put", "/api/v1/me/notification-settings"),
        ("get", "/api/v1/users"),
        ("post", "/api/v1/users"),
        ("get", "/api/v1/users/{id}"),
        ("post", "/api/v1/users/{id}/deactivate"),
        ("post", "/api/v1/users/{id}/reactivate"),
        ("post", "/api/v1/users/{id}/reset-link"),
        ("post", "/api/v1/users/import"),
        ("get", "/api/v1/groups"),
        ("post", "/api/v1/groups"),
        ("get", "/api/v1/groups/{id}"),
        ("patch", "/api/v1/groups/{id}"),
        ("delete", "/api/v1/groups/{id}"),
        ("get", "/api/v1/groups/{id}/members"),
        ("put", "/api/v1/groups/{id}/members/{user_id}"),
        ("delete", "/api/v1/groups/{id}/members/{user_id}"),
        ("get", "/api/v1/tokens"),
        ("post", "/api/v1/tokens"),
        ("delete", "/api/v1/tokens/{id}"),
        ("get", "/api/v1/courses"),
        ("get", "/api/v1/courses/{id}"),
        ("get", "/api/v1/courses/{id}/threads"),
        ("post", "/api/v1/courses/{id}/threads"),
        ("get", "/api/v1/courses/{id}/threads/{thread_id}"),
        ("post", "/api/v1/courses/{id}/threads/{thread_id}/posts"),
        ("post", "/api/v1/courses/{id}/threads/{thread_id}/accept"),
        ("put", "/api/v1/courses/{id}/threads/{thread_id}/locked"),
        ("put", "/api/v1/courses/{id}/threads/{thread_id}/hidden"),
        (
            "patch",
            "/api/v1/courses/{id}/threads/{thread_id}/posts/{post_id}",
        ),
        (
            "delete",
            "/api/v1/courses/{id}/threads/{thread_id}/posts/{post_id}",
        ),
        (
            "put",
            "/api/v1/courses/{id}/threads/{thread_id}/posts/{post_id}/hidden",
        ),
        ("post", "/api/v1/courses/{id}/steps/{key}/reactions"),
        ("delete", "/api/v1/reactions/{id}"),
        ("get", "/api/v1/courses/{id}/feedback"),
        (
            "post",
            "/api/v1/courses/{id}/reactions/{reaction_id}/resolve",
        ),
        ("get", "/api/v1/attention"),
        ("post", "/api/v1/courses/{id}/steps/{key}/suggestions"),
        ("get", "/api/v1/courses/{id}/suggestions"),
        ("get", "/api/v1/courses/{id}/suggestions/{sid}"),
        ("post", "/api/v1/courses/{id}/suggestions/{sid}/accept"),
        ("post", "/api/v1/courses/{id}/suggestions/{sid}/decline"),
        ("get", "/api/v1/needs"),
        ("post", "/api/v1/needs"),
        ("get", "/api/v1/needs/similar"),
        ("get", "/api/v1/needs/{id}"),
        ("patch", "/api/v1/needs/{id}"),
        ("post", "/api/v1/needs/{id}/vote"),
        ("delete", "/api/v1/needs/{id}/vote"),
        ("post", "/api/v1/needs/{id}/follow"),
        ("delete", "/api/v1/needs/{id}/follow"),
        ("post", "/api/v1/needs/{id}/volunteer"),
        ("post", "/api/v1/needs/{id}/status"),
        ("post", "/api/v1/needs/{id}/merge"),
        ("get", "/api/v1/needs/{id}/experts"),
        ("post", "/api/v1/needs/{id}/experts"),
        ("post", "/api/v1/needs/{id}/courses"),
        ("get", "/api/v1/notifications"),
        ("post", "/api/v1/notifications/{id}/read"),
        ("post", "/api/v1/notifications/read-all"),
        ("get", "/api/v1/paths"),
        ("post", "/api/v1/paths"),
        ("get", "/api/v1/paths/{id}"),
        ("put", "/api/v1/paths/{id}/draft"),
        ("post", "/api/v1/paths/{id}/publish"),
        ("get", "/api/v1/paths/{id}/versions"),
        ("get", "/api/v1/paths/{id}/progress"),
        ("get", "/api/v1/courses/{id}/progress"),
        ("get", "/api/v1/courses/{id}/funnel"),
        ("get", "/api/v1/courses/{id}/funnel/compare"),
        ("get", "/api/v1/courses/{id}/analytics"),
        ("post", "/api/v1/assignments"),
        ("delete", "/api/v1/assignments/{id}"),
        ("get", "/api/v1/me/assignments"),
        ("get", "/api/v1/me/certificates"),
        ("get", "/api/v1/courses/{id}/certificates"),
        ("put", "/api/v1/courses/{id}/certificates/rules"),
        ("get", "/api/v1/certificates/verify/{public_id}"),
        ("get", "/api/v1/courses/{id}/review"),
        ("post", "/api/v1/courses/{id}/review"),
        ("post", "/api/v1/courses/{id}/review/comments"),
        (
            "post",
            "/api/v1/courses/{id}/review/comments/{comment_id}/resolve",
        ),
        ("post", "/api/v1/courses/{id}/review/verdict"),
        ("post", "/api/v1/courses/{id}/confirm"),
        ("put", "/api/v1/groups/{id}/review-rules"),
        ("put", "/api/v1/courses/{id}/review-interval"),
        ("post", "/api/v1/courses/{id}/reviewers"),
        ("delete", "/api/v1/courses/{id}/reviewers/{user_id}"),
        ("get", "/api/v1/dashboard"),
        ("get", "/api/v1/dashboard/assignments"),
        ("get", "/api/v1/dashboard/assignments/{id}/people"),
        ("get", "/api/v1/dashboard/courses"),
        ("get", "/api/v1/dashboard/courses/{id}/completions"),
        ("get", "/api/v1/dashboard/courses/{id}/attempts"),
        ("get", "/api/v1/dashboard/health"),
        ("get", "/api/v1/dashboard/weeks/{week}/people"),
        ("get", "/api/v1/outcomes"),
        ("post", "/api/v1/outcomes"),
        ("get", "/api/v1/outcomes/{id}"),
        ("post", "/api/v1/outcomes/{id}/values"),
        ("post", "/api/v1/outcomes/{id}/links"),
        ("delete", "/api/v1/outcomes/{id}/links/{kind}/{target_id}"),
        ("get", "/api/v1/xapi/clients"),
        ("post", "/api/v1/xapi/clients"),
        ("delete", "/api/v1/xapi/clients/{id}"),
        ("get", "/api/v1/xapi/forwarding"),
        ("put", "/api/v1/xapi/forwarding"),
        ("get", "/api/v1/xapi/forwarding/dead-letters"),
        ("post", "/api/v1/xapi/forwarding/dead-letters/{id}/replay"),
        ("post", "/api/v1/xapi/forwarding/dead-letters/replay"),
    ];

    fn document_json() -> serde_json::Value {
        let text = openapi_document()
            .to_json()
            .expect("the document serialises");
        serde_json::from_str(&text).expect("the document is JSON")
    }

    #[test]
    fn document_is_openapi_3_1_with_our_title_and_version() {
        let doc = document_json();
        let version = doc["openapi"].as_str().expect("openapi version");
        assert!(version.starts_with("3.1."), "openapi is {version}");
        assert_eq!(doc["info"]["title"], "Lore API");
        assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    }

    #[test]
    fn document_lists_every_endpoint() {
        let doc = document_json();
        for (method, path) in EXPECTED {
            assert!(
                doc["paths"][path][method].is_object(),
                "{method} {path} is missing from the document"
            );
        }
        let operations: usize = doc["paths"]
            .as_object()
            .expect("paths")
            .values()
            .map(|item| item.as_object().map_or(0, |o| o.len()))
            .sum();
        assert_eq!(
            operations,
            EXPECTED.len(),
            "an operation is documented but not expected"
        );
    }

    #[test]
    fn operation_ids_are_unique() {
        let doc = document_json();
        let mut ids: Vec<&str> = doc["paths"]
            .as_object()
            .expect("paths")
            .values()
            .filter_map(|item| item.as_object())
            .flat_map(|ops| ops.values())
            .filter_map(|op| op["operationId"].as_str())
            .collect();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "two operations share an operationId");
        assert_eq!(count, EXPECTED.len());
    }

    /// The document names each schema by its type's name, and a second type of the same name
    /// silently replaces the first: the experts' topics were documented with the banks'
    /// fields (schemathesis saw the answer break its schema). Each name once.
    #[test]
    fn schema_names_are_unique() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
        let mut names: Vec<(String, String)> = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("api dir") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("source");
            let mut schema = false;
            for line in text.lines().map(str::trim) {
                if line.starts_with("#[derive(") && line.contains("ToSchema") {
                    schema = true;
                } else if line.starts_with("#[schema(as") {
                    schema = false;
                } else if schema
                    && let Some(rest) = line
                        .strip_prefix("pub struct ")
                        .or_else(|| line.strip_prefix("pub enum "))
                {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    names.push((name, path.display().to_string()));
                    schema = false;
                }
            }
        }
        names.sort();
        let twice: Vec<_> = names.windows(2).filter(|w| w[0].0 == w[1].0).collect();
        assert!(twice.is_empty(), "schemas named twice: {twice:?}");
        let doc = document_json();
        let topics = &doc["components"]["schemas"]["TopicCount"]["properties"];
        assert!(topics["courses"].is_object(), "{topics}");
        assert!(doc["components"]["schemas"]["BankTopic"]["properties"]["questions"].is_object());
    }

    #[test]
    fn every_operation_but_the_document_needs_a_token_or_session() {
        let doc = document_json();
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
        assert_eq!(doc["security"][0]["bearer"], serde_json::json!([]));
        assert_eq!(
            doc["paths"]["/api/v1/openapi.json"]["get"]["security"],
            serde_json::json!([])
        );
        assert!(doc["paths"]["/api/v1/me"]["get"]["security"].is_null());
    }

    #[test]
    fn error_responses_use_the_error_body() {
        let doc = document_json();
        let body = &doc["paths"]["/api/v1/groups"]["post"]["responses"]["422"]["content"]["application/json"]
            ["schema"]["$ref"];
        assert_eq!(body, "#/components/schemas/ErrorBody");
        assert!(doc["components"]["schemas"]["ErrorDetail"].is_object());
        assert!(doc["components"]["schemas"]["Role"].is_object());
    }

    #[test]
    fn filters_are_query_parameters_not_path_parameters() {
        let doc = document_json();
        let courses = &doc["paths"]["/api/v1/courses"]["get"]["parameters"];
        for name in ["q", "group", "topic", "language", "page"] {
            let param = courses
                .as_array()
                .expect("parameters")
                .iter()
                .find(|p| p["name"] == name)
                .unwrap_or_else(|| panic!("list_courses documents {name}"));
            assert_eq!(param["in"], "query", "{name}");
            assert_ne!(param["required"], true, "{name} is optional");
        }
        // No operation has a path parameter its path does not name.
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("operations") {
                for param in op["parameters"].as_array().into_iter().flatten() {
                    if param["in"] == "path" {
                        let name = param["name"].as_str().expect("a name");
                        assert!(
                            path.contains(&format!("{{{name}}}")),
                            "{method} {path} has `{name}` in the path"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_operation_documents_the_errors_its_inputs_can_cause() {
        let doc = document_json();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("operations") {
                let responses = &op["responses"];
                let open = op["security"] == serde_json::json!([]);
                if !open {
                    for status in ["401", "403"] {
                        assert!(responses[status].is_object(), "{method} {path} {status}");
                    }
                }
                if path.contains('{') {
                    for status in ["404", "422"] {
                        assert!(responses[status].is_object(), "{method} {path} {status}");
                    }
                }
                if op["requestBody"].is_object() {
                    assert!(responses["413"].is_object(), "{method} {path} 413");
                    assert!(responses["422"].is_object(), "{method} {path} 422");
                }
            }
        }
        let accept = &doc["paths"]["/api/v1/courses/{id}/suggestions/{sid}/accept"]["post"];
        assert_eq!(
            accept["responses"]["413"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ErrorBody"
        );
    }

    #[test]
    fn request_schemas_carry_the_domain_rules() {
        let doc = document_json();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["NewGroup"]["properties"]["name"]["maxLength"],
            lore_domain::group::GroupName::MAX_CHARS
        );
        // Negative kinds need a comment: the reaction is one of two shapes.
        assert_eq!(
            schemas["NewReaction"]["oneOf"][0]["properties"]["kind"]["enum"],
            serde_json::json!(["useful", "learned", "liked"])
        );
        assert_eq!(
            schemas["NewReaction"]["oneOf"][1]["properties"]["kind"]["enum"],
            serde_json::json!(["outdated", "question", "unclear"])
        );
        assert!(
            schemas["NewReaction"]["oneOf"][1]["required"]
                .as_array()
                .is_some_and(|r| r.contains(&serde_json::json!("comment")))
        );
    }

    #[test]
    fn every_error_status_is_documented_with_the_error_body() {
        let doc = document_json();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("operations") {
                for (status, response) in op["responses"].as_object().expect("responses") {
                    if status.starts_with('4') || status.starts_with('5') {
                        assert_eq!(
                            response["content"]["application/json"]["schema"]["$ref"],
                            "#/components/schemas/ErrorBody",
                            "{method} {path} {status}"
                        );
                    }
                }
            }
        }
    }
}
