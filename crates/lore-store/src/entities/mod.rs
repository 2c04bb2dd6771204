//! SeaORM entities, one file per table.

pub mod api_tokens;
pub mod attempts;
pub mod blobs;
pub mod course_audiences;
pub mod course_coauthors;
pub mod course_questions;
pub mod course_steps;
pub mod course_versions;
pub mod courses;
pub mod enrolments;
pub mod evaluation_settings;
pub mod events;
pub mod groups;
pub mod jobs;
pub mod memberships;
pub mod notification_prefs;
pub mod notifications;
pub mod one_time_links;
pub mod post_revisions;
pub mod posts;
pub mod reactions;
pub mod sessions;
pub mod step_progress;
pub mod suggested_edits;
pub mod threads;
pub mod users;
