//! User stories, end to end against the real server: each runs on SQLite and on PostgreSQL.

#![expect(
    clippy::expect_used,
    reason = "a story fails loudly at the step that broke"
)]

mod support;

mod accounts;
mod api;
pub mod blobs;
mod browser;
mod course_archive;
pub mod courses;
mod demo;
mod evaluations;
mod feedback;
mod feedback_api;
mod groups;
mod people_import;
mod security;
