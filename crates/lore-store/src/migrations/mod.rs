//! Embedded, append-only migrations; each runs unchanged on SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

mod m0001_accounts_and_groups;
mod m0002_unique_group_names;
mod m0003_courses;
mod m0004_course_search;
mod m0005_evaluations;
mod m0006_feedback;
mod m0007_needs;
mod m0008_outbox;
mod m0009_course_health;
mod m0010_event_context;
mod m0011_health_not_clear;
mod m0012_profile_and_in_app;
mod m0013_audit_log;
mod m0014_audience_generation;
mod m0015_thread_search;
mod m0016_course_indexes;
mod m0017_reviews;
mod m0018_paths_and_assignments;
mod m0019_certificates;
mod m0020_funnel_marks;
mod m0021_outcomes;
mod m0022_activity_rollup;
mod m0023_course_learning_figures;
mod m0024_webhooks;
mod m0025_xapi;
mod m0026_completion_course_days;
mod m0027_event_commit_order;
mod m0028_event_cursors;
mod m0029_xapi_forwarding;
mod m0030_xapi_statement_refs;
mod m0031_xapi_index_tables;
mod m0032_essay_reviews;
mod m0033_question_banks;
mod m0034_answer_reviewers;
mod m0035_bank_difficulty;
mod m0036_peer_review;
mod m0037_essay_files;
mod m0038_xapi_index_epochs;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_accounts_and_groups::Migration),
            Box::new(m0002_unique_group_names::Migration),
            Box::new(m0003_courses::Migration),
            Box::new(m0004_course_search::Migration),
            Box::new(m0005_evaluations::Migration),
            Box::new(m0006_feedback::Migration),
            Box::new(m0007_needs::Migration),
            Box::new(m0008_outbox::Migration),
            Box::new(m0009_course_health::Migration),
            Box::new(m0010_event_context::Migration),
            Box::new(m0011_health_not_clear::Migration),
            Box::new(m0012_profile_and_in_app::Migration),
            Box::new(m0013_audit_log::Migration),
            Box::new(m0014_audience_generation::Migration),
            Box::new(m0015_thread_search::Migration),
            Box::new(m0016_course_indexes::Migration),
            Box::new(m0017_reviews::Migration),
            Box::new(m0018_paths_and_assignments::Migration),
            Box::new(m0019_certificates::Migration),
            Box::new(m0020_funnel_marks::Migration),
            Box::new(m0021_outcomes::Migration),
            Box::new(m0022_activity_rollup::Migration),
            Box::new(m0023_course_learning_figures::Migration),
            Box::new(m0024_webhooks::Migration),
            Box::new(m0025_xapi::Migration),
            Box::new(m0026_completion_course_days::Migration),
            Box::new(m0027_event_commit_order::Migration),
            Box::new(m0028_event_cursors::Migration),
            Box::new(m0029_xapi_forwarding::Migration),
            Box::new(m0030_xapi_statement_refs::Migration),
            Box::new(m0031_xapi_index_tables::Migration),
            Box::new(m0032_essay_reviews::Migration),
            Box::new(m0033_question_banks::Migration),
            Box::new(m0034_answer_reviewers::Migration),
            Box::new(m0035_bank_difficulty::Migration),
            Box::new(m0036_peer_review::Migration),
            Box::new(m0037_essay_files::Migration),
            Box::new(m0038_xapi_index_epochs::Migration),
        ]
    }
}
