//! User stories, end to end against the real server: each runs on SQLite and on PostgreSQL.

#![expect(
    clippy::expect_used,
    reason = "a story fails loudly at the step that broke"
)]

mod support;

mod account_profile;
mod accounts;
mod admin_audit;
mod api;
mod api_limits;
mod api_parity;
mod attention;
mod author_feedback;
pub mod blobs;
pub mod browser;
mod browser_analytics;
mod browser_crawl;
mod browser_dashboards;
mod browser_editor;
mod browser_feedback;
mod browser_first_hour;
mod browser_gift;
mod browser_insights;
mod browser_layout;
mod browser_needs;
mod browser_outcomes;
mod browser_review;
mod browser_script_corpus;
mod catalogue_status;
mod certificates;
mod clock_stories;
mod course_archive;
pub mod courses;
mod crm;
mod dashboards;
mod demo;
mod diffs;
mod discussions;
pub mod editor;
mod essays;
mod evaluations;
mod event_log;
pub mod feedback;
pub mod feedback_api;
mod funnel;
mod generated_dataset;
mod gift_import;
mod gift_page;
mod groups;
mod hardening;
mod insights;
pub mod mail;
mod metrics;
mod needs;
mod needs_api;
mod needs_similar;
pub mod outcomes;
mod paths;
mod people_import;
mod permission_matrix;
mod query_plans;
mod question_banks;
mod recommendations;
mod reminders;
mod reviews;
mod schemathesis;
mod security;
mod session_cost;
mod site_search;
mod two_servers;
mod unit_of_work;
mod visibility;
mod webhooks;
mod xapi_auth;
mod xapi_client;
mod xapi_documents;
mod xapi_events;
mod xapi_forwarding;
mod xapi_harness;
mod xapi_rules;
mod xapi_signed;
mod xapi_statement_refs;
mod xapi_statements;
