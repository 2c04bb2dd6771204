//! The xAPI data model of Lore's learning record store: every rule the specification sets for
//! statements (xAPI 1.0.3 and IEEE 9274.1.1 "2.0.0"), query parameters, output formats,
//! multipart attachments, signed statements and document merges. Pure: no IO, no clock.
//!
//! Statements stay `serde_json::Value` on the wire and in storage; this crate checks them and
//! derives what the store needs from them (decision 0029).

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

pub use agent::{agent_key, person};
pub use compare::same_statement;
pub use documents::merge_documents;
pub use format::{Format, format_statement};
pub use index::{Index, index};
pub use invalid::Invalid;
pub use multipart::{Part, check_attachments, parse_multipart, write_multipart};
pub use query::StatementQuery;
pub use statement::{complete, validate_batch, validate_statement};
pub use version::Version;
