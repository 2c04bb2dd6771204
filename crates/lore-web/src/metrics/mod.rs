//! `GET /metrics` in the Prometheus text format (0.0.4): request counts and latencies per
//! route template, requests in flight, live notification streams, and, read at scrape time,
//! the database pool, the statements run and the job queue. See docs/decisions/0018.

mod access;

use std::time::Instant;

use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lore_app::AppError;
use lore_app::jobs::JobFigures;
use lore_app::operations::PoolFigures;
use lore_domain::policy::{Action, Resource};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::prometheus_text;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};

pub use access::AddressRange;

use crate::WebState;
use crate::error::ApiError;
use crate::session::ApiCaller;

/// The route label of a request no route matched (whatever its path, so a scan of random
/// addresses cannot grow the label set).
pub const UNMATCHED: &str = "unmatched";

/// Upper bounds of the latency buckets, in seconds (Prometheus' usual ones).
const LATENCY_BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// What a request is counted under: all three have a small, fixed set of values.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    /// The route's template (`/courses/{id}`), never the path itself.
    route: String,
    /// `2xx`, `3xx`, `4xx` or `5xx` (`1xx` for the rare informational answer).
    status: &'static str,
}

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

/// The figures kept as requests come and go; one per router (so per server in tests).
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, Histogram, fn() -> Histogram>,
    in_flight: Gauge,
    live_streams: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: Family<RequestLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency_histogram);
        let in_flight = Gauge::default();
        let live_streams = Gauge::default();
        let mut registry = Registry::with_prefix("lore");
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status class",
            requests.clone(),
        );
        registry.register_with_unit(
            "http_request_duration",
            "Time from a request's arrival to its response headers, by method, route template and status class",
            Unit::Seconds,
            latency.clone(),
        );
        registry.register(
            "http_requests_in_flight",
            "HTTP requests being handled now (this scrape included)",
            in_flight.clone(),
        );
        registry.register(
            "live_streams",
            "Live notification streams (server-sent events) connected now",
            live_streams.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            in_flight,
            live_streams,
        }
    }
}

/// A gauge held one higher while this lives: a request in flight, a stream connected.
pub struct Held(Gauge);

impl Held {
    fn on(gauge: &Gauge) -> Self {
        gauge.inc();
        Held(gauge.clone())
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.0.dec();
    }
}

impl Metrics {
    /// Count a live notification stream as connected while the returned value lives.
    pub fn live_stream(&self) -> Held {
        Held::on(&self.live_streams)
    }

    fn observe(&self, labels: &RequestLabels, seconds: f64) {
        self.requests.get_or_create(labels).inc();
        self.latency.get_or_create(labels).observe(seconds);
    }

    /// The text of a scrape: the request figures, then those read now.
    fn encode(&self, now: &ScrapeFigures) -> Result<String, std::fmt::Error> {
        let mut text = String::with_capacity(16 * 1024);
        prometheus_text::encode(&mut text, &self.registry)?;
        prometheus_text::encode(&mut text, &now.registry())?;
        Ok(text)
    }
}

/// Figures read at scrape time; those that could not be read are left out.
struct ScrapeFigures {
    pool: Option<PoolFigures>,
    jobs: Option<JobFigures>,
    statements: u64,
}

impl ScrapeFigures {
    fn registry(&self) -> Registry {
        let mut registry = Registry::with_prefix("lore");
        let gauge = |value: u64| {
            let g = Gauge::<i64>::default();
            g.set(i64::try_from(value).unwrap_or(i64::MAX));
            g
        };
        let statements = Counter::<u64>::default();
        statements.inc_by(self.statements);
        registry.register(
            "db_statements",
            "Database statements run by this process since it started",
            statements,
        );
        if let Some(pool) = self.pool {
            registry.register(
                "db_pool_connections",
                "Database connections open in the pool, idle or in use",
                gauge(pool.open.into()),
            );
            registry.register(
                "db_pool_idle_connections",
                "Open database connections waiting for a statement",
                gauge(pool.idle.into()),
            );
            registry.register(
                "db_pool_in_use_connections",
                "Database connections lent out to a statement or a transaction",
                gauge(pool.in_use.into()),
            );
            registry.register(
                "db_pool_max_connections",
                "The most connections the pool opens",
                gauge(pool.max.into()),
            );
        }
        if let Some(jobs) = self.jobs {
            registry.register(
                "jobs_waiting",
                "Background jobs due now and held by no worker",
                gauge(jobs.waiting),
            );
            registry.register(
                "jobs_failed",
                "Background jobs given up after their last attempt",
                gauge(jobs.failed),
            );
        }
        registry
    }
}

pub fn routes() -> crate::route_table::Routes {
    crate::route_table::Routes::new().route("/metrics", get(scrape))
}

/// Count and time every request under its route template. Runs after routing (a
/// `Router::layer`), where the template is known.
pub async fn record(State(state): State<WebState>, req: Request, next: Next) -> Response {
    let method = method_label(req.method());
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
        .to_owned();
    let _in_flight = Held::on(&state.metrics.in_flight);
    let started = Instant::now();
    let response = next.run(req).await;
    let labels = RequestLabels {
        method,
        route,
        status: status_class(response.status()),
    };
    state
        .metrics
        .observe(&labels, started.elapsed().as_secs_f64());
    response
}

/// The scrape. Refused with the site's ordinary 404 page, as if there were no such address.
async fn scrape(State(state): State<WebState>, req: Request) -> Response {
    let (mut parts, _) = req.into_parts();
    if !may_scrape(&state, &mut parts).await {
        return crate::pages::not_found(parts.uri).await;
    }
    let jobs = match state.app.job_figures().await {
        Ok(figures) => Some(figures),
        Err(e) => {
            log_unread("job queue", &e);
            None
        }
    };
    let now = ScrapeFigures {
        pool: state.app.pool_figures(),
        jobs,
        statements: lore_app::operations::statements_run(),
    };
    match state.metrics.encode(&now) {
        Ok(text) => (
            [
                (
                    CONTENT_TYPE,
                    HeaderValue::from_static(prometheus_text::CONTENT_TYPE),
                ),
                (CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            text,
        )
            .into_response(),
        Err(_) => {
            tracing::error!("metrics: the exposition could not be written");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A client inside `metrics_allow`, or a platform administrator (API token or session, the
/// same as `/api/v1` reads them).
async fn may_scrape(state: &WebState, parts: &mut Parts) -> bool {
    let client = crate::client::client_of(parts, &state.options);
    if access::allowed_by_address(
        &state.options.metrics_allow,
        &client.ip,
        &parts.headers,
        state.options.trust_forwarded_for,
    ) {
        return true;
    }
    match ApiCaller::from_request_parts(parts, state).await {
        Ok(ApiCaller(caller)) => caller.can(Action::ViewInstance, Resource::Platform),
        Err(ApiError(e)) => {
            if let AppError::Internal(_) = e {
                log_unread("caller", &e);
            }
            false
        }
    }
}

fn log_unread(what: &str, e: &AppError) {
    match e {
        AppError::Internal(detail) => tracing::warn!("metrics: cannot read the {what}: {detail}"),
        other => tracing::warn!("metrics: cannot read the {what}: {other}"),
    }
}

/// The method as a label: the standard ones by name, anything else as `other`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

fn status_class(status: StatusCode) -> &'static str {
    match status.as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_come_from_small_fixed_sets() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap()), "other");
        assert_eq!(status_class(StatusCode::OK), "2xx");
        assert_eq!(status_class(StatusCode::SEE_OTHER), "3xx");
        assert_eq!(status_class(StatusCode::NOT_FOUND), "4xx");
        assert_eq!(status_class(StatusCode::BAD_GATEWAY), "5xx");
    }

    #[test]
    fn the_exposition_names_what_it_counts() {
        let metrics = Metrics::default();
        let labels = RequestLabels {
            method: "GET",
            route: "/courses/{id}".to_owned(),
            status: "2xx",
        };
        metrics.observe(&labels, 0.02);
        let held = metrics.live_stream();
        let text = metrics
            .encode(&ScrapeFigures {
                pool: Some(PoolFigures {
                    open: 3,
                    idle: 2,
                    in_use: 1,
                    max: 8,
                }),
                jobs: Some(JobFigures {
                    waiting: 4,
                    failed: 1,
                }),
                statements: 12,
            })
            .unwrap();
        for line in [
            "lore_http_requests_total{method=\"GET\",route=\"/courses/{id}\",status=\"2xx\"} 1",
            "lore_http_request_duration_seconds_bucket{method=\"GET\",route=\"/courses/{id}\",status=\"2xx\",le=\"0.025\"} 1",
            "lore_http_request_duration_seconds_count{method=\"GET\",route=\"/courses/{id}\",status=\"2xx\"} 1",
            "lore_live_streams 1",
            "lore_http_requests_in_flight 0",
            "lore_db_statements_total 12",
            "lore_db_pool_connections 3",
            "lore_db_pool_idle_connections 2",
            "lore_db_pool_in_use_connections 1",
            "lore_db_pool_max_connections 8",
            "lore_jobs_waiting 4",
            "lore_jobs_failed 1",
        ] {
            assert!(text.lines().any(|l| l == line), "no {line:?} in:\n{text}");
        }
        drop(held);
        let text = metrics
            .encode(&ScrapeFigures {
                pool: None,
                jobs: None,
                statements: 0,
            })
            .unwrap();
        assert!(text.contains("lore_live_streams 0"), "{text}");
        assert!(!text.contains("lore_jobs_waiting"), "{text}");
    }
}
