//! One module per `lore` command; each takes the loaded configuration and does its job.

pub mod backup;
pub mod check;
pub mod courses;
pub mod demo;
pub mod groups;
pub mod jobs;
pub mod migrate;
pub mod restore;
pub mod serve;
pub mod users;
pub mod users_import;

use lore_app::AppError;

/// An app error for an operator: the same words as the UI, except that internal errors
/// show their detail (the operator is the one who will fix them).
pub fn operator_error(e: AppError) -> anyhow::Error {
    match e {
        AppError::Internal(detail) => anyhow::anyhow!("internal error: {detail}"),
        other => anyhow::Error::new(other),
    }
}
