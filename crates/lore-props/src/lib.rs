//! Lore never panics on what people and programs send it: property tests over every parser
//! (Markdown, GIFT generated from its grammar and round-tripped, the CSV imports, course
//! folders and zips, rubrics, bank and draw values, learners' answers, cursors, the values of
//! query and path parameters), over every GET route of the real router, and over every API
//! operation with generated JSON bodies. The same targets run as a
//! fixed-seed subset in `cargo test` (`tests/never_panics.rs`) and for a million cases in
//! `bench/src/parsers_fuzz.rs`.

pub mod api;
pub mod domain;
pub mod files;
pub mod gift;
pub mod routes;
pub mod runner;
pub mod text;
pub mod values;

pub use runner::{Outcome, Target};

/// The targets that open the demo site behind the real router.
pub const ROUTE_TARGETS: [&str; 2] = ["get-routes", "api-operations"];

/// Every target, parsers first and the routes last (they need a database).
pub fn targets() -> Vec<Target> {
    let mut all = files::targets();
    all.extend(gift::targets());
    all.extend(domain::targets());
    all.extend(values::targets());
    all.push(routes::target());
    all.push(api::target());
    all
}
