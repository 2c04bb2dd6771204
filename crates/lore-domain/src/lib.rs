//! Pure rules of Lore: identifiers, validated values, roles and the permission policy.
//! Nothing here does IO, awaits, or reads the clock; callers pass what they know.

pub mod account;
pub mod course;
mod csv_lines;
pub mod discussion;
pub mod gift;
pub mod group;
pub mod ids;
pub mod item_analysis;
pub mod need;
pub mod notification;
pub mod people_csv;
pub mod policy;
pub mod progress_replay;
pub mod question;
pub mod question_csv;
pub mod reactions;
pub mod role;
pub mod scoring;
pub mod suggested_edit;
pub mod visibility;

/// Why a value from outside was refused; `field` names the input, `message` speaks human.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}
