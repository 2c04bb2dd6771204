//! The xAPI data model of Lore's learning record store: every rule the specification sets for
//! statements (xAPI 1.0.3 and IEEE 9274.1.1 "2.0.0"), query parameters, output formats,
//! multipart attachments, signed statements and document merges. Pure: no IO, no clock.
//!
//! Statements stay `serde_json::Value` on the wire and in storage; this crate checks them and
//! derives what the store needs from them (decision 0029).
//!
//! Additions to the API agreed in the issue 16 brief (nothing was changed or removed):
//! `person_of` (a Person from several agents), `Format::parse`, `normalise_timestamp`,
//! `is_language_tag`, `is_duration`, `Invalid::new`, and `vocabulary::{Term, verb}`.

mod activity;
mod agent;
mod attachment;
mod compare;
mod context;
mod documents;
mod duration;
mod format;
mod index;
mod interaction;
mod invalid;
mod iri;
mod json;
mod language;
mod multipart;
mod query;
mod result;
mod signature;
mod statement;
mod timestamp;
mod uuid_rule;
mod verb;
mod version;
pub mod vocabulary;

pub use agent::{agent_key, person, person_of};
pub use compare::same_statement;
pub use documents::merge_documents;
pub use duration::is_duration;
pub use format::{Format, format_statement};
pub use index::{Index, index};
pub use invalid::Invalid;
pub use language::is_language_tag;
pub use multipart::{Part, check_attachments, parse_multipart, write_multipart};
pub use query::StatementQuery;
pub use statement::{
    complete, complete_unstored, stamp, validate_batch, validate_batch_owned, validate_statement,
};
pub use version::Version;

/// A timestamp (ISO 8601, under `version`'s rules) as RFC 3339 UTC with milliseconds, the
/// form the store keeps and compares (e.g. `2024-05-01T08:20:30.123Z`).
pub fn normalise_timestamp(raw: &str, version: Version) -> Result<String, Invalid> {
    timestamp::parse(raw, "timestamp", version).map(timestamp::normalise)
}
