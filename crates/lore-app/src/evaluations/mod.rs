//! Evaluations: questions and settings on a course's draft (authoring), attempts with
//! server-enforced exam rules (attempts), and item analysis over submitted attempts.

pub mod analysis;
pub mod answer_reviewers;
pub mod attempts;
pub mod authoring;
pub mod banks;
pub mod essay_files;
pub mod essay_reviews;
pub mod peer_review;
pub mod question_import;
