//! The fixed-seed subset of the never-panic properties, small enough for every `cargo test`;
//! `cargo run --release -p lore-bench --bin parsers-fuzz 1000000 SEED` runs a million cases.

use lore_props::{Target, targets};

const SEED: u64 = 17;

/// Run the targets this filter keeps, `per_weight` cases per unit of weight; every failure.
fn failures(keep: impl Fn(&Target) -> bool, per_weight: u32) -> Vec<String> {
    targets()
        .into_iter()
        .filter(&keep)
        .filter_map(|t| {
            let outcome = (t.run)(t.weight * per_weight, SEED);
            outcome.failure.map(|f| format!("{}: {f}", t.name))
        })
        .collect()
}

#[test]
fn parsers_never_panic_on_any_input() {
    let found = failures(|t| !lore_props::ROUTE_TARGETS.contains(&t.name), 40);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn get_routes_never_panic_nor_answer_a_server_error() {
    let routes = lore_props::routes::get_routes();
    assert!(
        routes.len() > 100 && routes.iter().any(|r| r == "/api/v1/needs"),
        "the GET routes are read from the router's source: {routes:?}"
    );
    let found = failures(|t| t.name == "get-routes", 20);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn api_operations_with_generated_bodies_never_panic_nor_answer_a_server_error() {
    let operations = lore_props::api::operations();
    let writes = operations
        .iter()
        .filter(|o| o.method != axum::http::Method::GET)
        .count();
    assert!(
        operations.len() >= 160 && writes > 60,
        "the operations are read from the OpenAPI document: {} ({writes} writes)",
        operations.len()
    );
    let found = failures(|t| t.name == "api-operations", 25);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Inputs that once answered 500 (a panic in a debug build): a page number whose offset
/// overflows, and a date range ending in the last week of year 9999.
#[test]
fn huge_page_numbers_and_the_last_dates_answer_without_a_server_error() {
    let huge = "9223372036854775808";
    let uris: Vec<String> = [
        "/dashboard/assignments",
        "/dashboard/courses",
        "/dashboard/health",
        "/api/v1/dashboard/assignments",
        "/api/v1/dashboard/courses",
        "/api/v1/dashboard/health",
    ]
    .iter()
    .map(|list| format!("{list}?page={huge}"))
    .chain(
        ["/dashboard", "/api/v1/dashboard"]
            .iter()
            .map(|page| format!("{page}?from=9999-12-01&to=9999-12-31")),
    )
    .collect();
    let uris: Vec<&str> = uris.iter().map(String::as_str).collect();
    let answers = lore_props::routes::statuses(&uris).expect("the demo site opens");
    let errors: Vec<_> = answers.iter().filter(|(_, _, s)| *s >= 500).collect();
    assert!(errors.is_empty(), "{errors:?}");
    // The signed-in calls reach the dashboards (not a sign-in redirect): the administrator
    // gets an empty page or a clear refusal of the date.
    for (uri, how, status) in &answers {
        // Pages take the session; the API takes either.
        if *how == "session" || (*how == "token" && uri.starts_with("/api/")) {
            assert!(
                *status == 200 || *status == 422 || *status == 400,
                "{how} GET {uri}: {status}"
            );
        }
    }
}
