//! Lore never panics on what people and programs send it: property tests over every parser
//! (Markdown, GIFT, the CSV imports, course folders and zips, the values of query and path
//! parameters) and over every GET route of the real router. The same targets run as a
//! fixed-seed subset in `cargo test` (`tests/never_panics.rs`) and for a million cases in
//! `bench/src/parsers_fuzz.rs`.

pub mod files;
pub mod routes;
pub mod runner;
pub mod text;
pub mod values;

pub use runner::{Outcome, Target};

/// Every target, parsers first and the routes last (they need a database).
pub fn targets() -> Vec<Target> {
    let mut all = files::targets();
    all.extend(values::targets());
    all.push(routes::target());
    all
}
