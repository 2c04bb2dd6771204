//! Every GET route of the real router, called in-process with generated path and query
//! values, anonymously, with a platform administrator's API token, and with their signed-in
//! session, on the small demo organisation: no panic and no 5xx answer.
//!
//! The routes are the router's own (`lore_web::route_table`), so a new route is covered
//! without being listed here. `/xapi` is left to lore-xapi's own never-panic tests.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use lore_app::demo::{DEMO_PASSWORD, DOMAIN};
use lore_app::{App, Settings, Store, SystemClock};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use tower::ServiceExt;

use crate::runner::{Outcome, Target, run};
use crate::text::value;

/// The query parameters most lists and dashboards read: drawn more often.
const COMMON_KEYS: &[&str] = &[
    "page",
    "page_size",
    "per_page",
    "from",
    "to",
    "since",
    "q",
    "sort",
    "status",
    "group",
    "week",
    "version",
];

/// Query parameter names the handlers read (and a few they do not).
const QUERY_KEYS: &[&str] = &[
    "page",
    "page_size",
    "per_page",
    "limit",
    "offset",
    "q",
    "sort",
    "order",
    "status",
    "group",
    "topic",
    "language",
    "from",
    "to",
    "since",
    "until",
    "cursor",
    "step",
    "week",
    "kind",
    "version",
    "old",
    "new",
    "all",
    "days",
    "via",
    "compare",
    "format",
    "table",
    "role",
    "state",
    "next",
    "id",
    "user",
    "course",
    "path",
    "tab",
    "filter",
    "x",
];

/// Every path the router routes (pages, `/api/v1`, operations), in the order added.
pub fn get_routes() -> &'static [String] {
    static ROUTES: OnceLock<Vec<String>> = OnceLock::new();
    ROUTES.get_or_init(|| {
        // Every route of the router, whatever its methods: a route without GET answers 405,
        // which is no panic and no 5xx either.
        lore_web::route_table()
            .into_iter()
            .filter(|p| !p.starts_with("/xapi"))
            .collect()
    })
}

/// How a request is made: anonymously, with the API token, or with the session cookie.
#[derive(Debug, Clone, Copy)]
enum Auth {
    Anonymous,
    Token,
    Session,
}

#[derive(Debug, Clone)]
struct Call {
    route: usize,
    params: Vec<String>,
    query: Vec<(&'static str, String)>,
    auth: Auth,
}

fn call() -> impl Strategy<Value = Call> {
    let count = get_routes().len().max(1);
    let param = prop_oneof![
        2 => (1u32..40).prop_map(|n| n.to_string()),
        3 => value(),
    ];
    let key = prop_oneof![2 => select(COMMON_KEYS), 1 => select(QUERY_KEYS)];
    let auth = prop_oneof![
        1 => Just(Auth::Anonymous),
        2 => Just(Auth::Token),
        2 => Just(Auth::Session),
    ];
    (0..count, vec(param, 3), vec((key, value()), 0..4), auth).prop_map(
        |(route, params, query, auth)| Call {
            route,
            params,
            query,
            auth,
        },
    )
}

/// `%XX` for every byte but the unreserved ones.
pub(crate) fn encode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn uri_of(call: &Call) -> String {
    let template = &get_routes()[call.route];
    let mut params = call.params.iter();
    let mut uri = String::new();
    for (i, segment) in template.split('/').enumerate() {
        if i > 0 {
            uri.push('/');
        }
        if segment.starts_with('{') {
            uri.push_str(&encode(params.next().map_or("1", String::as_str)));
        } else {
            uri.push_str(segment);
        }
    }
    for (i, (key, value)) in call.query.iter().enumerate() {
        uri.push(if i == 0 { '?' } else { '&' });
        uri.push_str(key);
        uri.push('=');
        uri.push_str(&encode(value));
    }
    uri
}

/// The demo organisation behind the real router, and how to sign in to it.
pub(crate) struct Site {
    _dir: tempfile::TempDir,
    pub(crate) router: Router,
    /// A platform administrator's API token.
    pub(crate) token: String,
    /// A learner's API token (Elena Novak, a learner of the Platform Team).
    pub(crate) learner_token: String,
    /// The administrator's and the learner's user ids: writes that would lock them out
    /// (deactivating them) are not sent, so later cases still reach the handlers.
    pub(crate) users: Vec<i64>,
    /// The ids of their tokens, for the same reason.
    pub(crate) tokens: Vec<i64>,
    cookies: String,
}

pub(crate) fn request(method: Method, uri: &str) -> axum::http::request::Builder {
    let peer: SocketAddr = ([127, 0, 0, 1], 40_000).into();
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(extensions) = builder.extensions_mut() {
        extensions.insert(ConnectInfo(peer));
    }
    builder
}

pub(crate) async fn body_text(response: axum::response::Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// `name=value` of every cookie a response sets.
fn cookies_of(response: &axum::response::Response) -> Vec<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::to_owned)
        .collect()
}

pub(crate) async fn open_site() -> Result<Site, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("lore.db").display());
    let store = Store::connect(&url).await.map_err(|e| e.to_string())?;
    store.migrate().await.map_err(|e| e.to_string())?;
    let settings = Settings {
        blob_dir: dir.path().join("blobs"),
        views_in_batches: false,
        ..Settings::default()
    };
    let app = App::new(store, Arc::new(SystemClock), settings).map_err(|e| e.to_string())?;
    lore_app::demo::seed(&app)
        .await
        .map_err(|e| e.to_string())?;
    let email = format!("admin@{DOMAIN}");
    let admin = lore_app::people::operator::find(&app, &email)
        .await
        .map_err(|e| e.to_string())?;
    let caller = app
        .caller(admin.id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the demo administrator is missing")?;
    let (admin_row, token) = app
        .create_token(&caller, "never panics")
        .await
        .map_err(|e| e.to_string())?;
    let learner = lore_app::people::operator::find(&app, &format!("elena.novak@{DOMAIN}"))
        .await
        .map_err(|e| e.to_string())?;
    let learner_caller = app
        .caller(learner.id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the demo learner is missing")?;
    let (learner_row, learner_token) = app
        .create_token(&learner_caller, "never panics")
        .await
        .map_err(|e| e.to_string())?;
    let users = vec![admin.id, learner.id];
    let tokens = vec![admin_row.id, learner_row.id];
    let router = lore_web::router(app, lore_web::WebOptions::for_url("http://127.0.0.1"));

    // Sign in through the form, as a browser does.
    let page = router
        .clone()
        .oneshot(
            request(Method::GET, "/sign-in")
                .body(Body::empty())
                .map_err(|e| e.to_string())?,
        )
        .await
        .map_err(|e| e.to_string())?;
    let mut jar = cookies_of(&page);
    let html = body_text(page).await;
    let csrf = html
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("no CSRF field on the sign-in page")?
        .to_owned();
    let form = format!(
        "_csrf={}&email={}&password={}&next=%2F",
        encode(&csrf),
        encode(&email),
        encode(DEMO_PASSWORD)
    );
    let signed_in = router
        .clone()
        .oneshot(
            request(Method::POST, "/sign-in")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, jar.join("; "))
                .body(Body::from(form))
                .map_err(|e| e.to_string())?,
        )
        .await
        .map_err(|e| e.to_string())?;
    if !signed_in.status().is_redirection() {
        return Err(format!("signing in answered {}", signed_in.status()));
    }
    for cookie in cookies_of(&signed_in) {
        let name = cookie.split('=').next().unwrap_or_default().to_owned();
        jar.retain(|c| !c.starts_with(&format!("{name}=")));
        jar.push(cookie);
    }
    Ok(Site {
        _dir: dir,
        router,
        token,
        learner_token,
        users,
        tokens,
        cookies: jar.join("; "),
    })
}

async fn answer(site: &Site, call: &Call) -> Result<(), String> {
    let uri = uri_of(call);
    let mut builder = request(Method::GET, &uri);
    match call.auth {
        Auth::Anonymous => {}
        Auth::Token => {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {}", site.token));
        }
        Auth::Session => builder = builder.header(header::COOKIE, &site.cookies),
    }
    let Ok(request) = builder.body(Body::empty()) else {
        // Not a URI a client could send.
        return Ok(());
    };
    let response = site
        .router
        .clone()
        .oneshot(request)
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status();
    if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
        let body = body_text(response).await;
        return Err(format!(
            "GET {uri} ({:?}) answered {status}: {}",
            call.auth,
            body.chars().take(300).collect::<String>()
        ));
    }
    Ok(())
}

/// The status each of these URIs answers, per way of calling (`anonymous`, `token`,
/// `session`), on the demo site: for regression tests of inputs found once.
pub fn statuses(uris: &[&str]) -> Result<Vec<(String, &'static str, u16)>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let site = open_site().await?;
        let mut answers = Vec::new();
        for uri in uris {
            for (name, auth) in [
                ("anonymous", None),
                (
                    "token",
                    Some((header::AUTHORIZATION, format!("Bearer {}", site.token))),
                ),
                ("session", Some((header::COOKIE, site.cookies.clone()))),
            ] {
                let mut builder = request(Method::GET, uri);
                if let Some((key, value)) = auth {
                    builder = builder.header(key, value);
                }
                let request = builder.body(Body::empty()).map_err(|e| e.to_string())?;
                let response = site
                    .router
                    .clone()
                    .oneshot(request)
                    .await
                    .map_err(|e| e.to_string())?;
                answers.push(((*uri).to_owned(), name, response.status().as_u16()));
            }
        }
        Ok(answers)
    })
}

fn routes_target(cases: u32, seed: u64) -> Outcome {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            return Outcome {
                cases: 0,
                failure: Some(format!("cannot start a runtime: {e}")),
            };
        }
    };
    let site = match runtime.block_on(open_site()) {
        Ok(site) => site,
        Err(e) => {
            return Outcome {
                cases: 0,
                failure: Some(format!("cannot open the demo site: {e}")),
            };
        }
    };
    run(call(), cases, seed, |call| {
        runtime.block_on(answer(&site, &call))
    })
}

pub fn target() -> Target {
    Target {
        name: "get-routes",
        weight: 10,
        run: routes_target,
    }
}
