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
pub mod memberships;
pub mod one_time_links;
pub mod sessions;
pub mod step_progress;
pub mod users;
