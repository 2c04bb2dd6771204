//! The permission matrix: every route the router has (pages, API, xAPI), taken from
//! `lore_web::route_table()` so a route added later cannot be forgotten, asked by every role
//! of the demo organisation, and each answer held against what the permission policy says.
//! Reads go to every role; changes only to the roles the policy refuses, which must get
//! 401, 403, 404 or the sign-in page, with nothing written. Decision 0041.

mod table;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use lore_domain::course::CourseStatus;
use lore_domain::group::GroupTree;
use lore_domain::ids::{GroupId, UserId};
use lore_domain::policy::{Action, Actor, Resource, can};
use lore_domain::role::Role;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use self::table::{Id, Line, Obj, TABLE, Who};
use crate::story;
use crate::support::{Browser, Page, TestApp};

/// The roles of the demo organisation, by the account that plays each.
const ROLES: &[(&str, Option<&str>)] = &[
    ("platform admin", Some("admin")),
    ("group admin (Acme)", Some("amara.okafor")),
    ("group admin (Platform Team)", Some("arjun.patel")),
    ("coach (Engineering)", Some("lukas.becker")),
    ("author (Engineering)", Some("priya.raman")),
    ("learner (Engineering)", Some("mei.chen")),
    ("coach of another group (Sales)", Some("hannah.schmidt")),
    ("anonymous", None),
];

/// Longest wait for an answer's headers; a stream's body is read for a moment only.
const WAIT: Duration = Duration::from_secs(20);

struct Player {
    name: &'static str,
    actor: Option<Actor>,
    browser: Browser,
}

/// The demo objects the routes' `{param}`s are filled with, and what the policy needs.
struct Objects {
    tree: GroupTree,
    groups: Vec<(GroupId, Role)>,
    course: lore_store::CourseRow,
    coauthors: Vec<UserId>,
    course_audiences: Vec<Vec<GroupId>>,
    engineering: GroupId,
    outcome: i64,
    outcome_group: GroupId,
    need: lore_store::NeedRow,
    need_audiences: Vec<Vec<GroupId>>,
    path: lore_store::PathRow,
    mei: i64,
    mei_notification: i64,
    certificate: i64,
    attempt: i64,
    attempt_taker: i64,
    /// `{name}` → value, for every parameter but `{id}`.
    params: HashMap<&'static str, String>,
}

impl Objects {
    fn lineage(&self, g: GroupId) -> Vec<GroupId> {
        self.tree.lineage(g)
    }

    /// May this actor do what the line's rule says?
    fn allows(&self, actor: Option<&Actor>, method: &str, who: Who) -> bool {
        let Some(actor) = actor else {
            return matches!(who, Who::Anyone);
        };
        match who {
            Who::Anyone | Who::SignedIn => true,
            Who::Xapi => method == "GET",
            Who::XapiClient => false,
            Who::Policy(action, obj) => self.can_on(actor, action, obj),
            Who::AnyOf(actions, obj) => actions.iter().any(|a| self.can_on(actor, *a, obj)),
        }
    }

    fn can_on(&self, actor: &Actor, action: Action, obj: Obj) -> bool {
        let eng = self.lineage(self.engineering);
        match obj {
            Obj::Platform => can(actor, action, Resource::Platform),
            Obj::Group => can(actor, action, Resource::Group { lineage: &eng }),
            Obj::OutcomeGroup => can(
                actor,
                action,
                Resource::Group {
                    lineage: &self.lineage(self.outcome_group),
                },
            ),
            Obj::AnyGroup => self.groups.iter().any(|(g, _)| {
                can(
                    actor,
                    action,
                    Resource::Group {
                        lineage: &self.lineage(*g),
                    },
                )
            }),
            Obj::Authoring => self.groups.iter().any(|(g, min_role)| {
                can(
                    actor,
                    action,
                    Resource::AuthoringIn {
                        lineage: &self.lineage(*g),
                        min_role: *min_role,
                    },
                )
            }),
            Obj::Course => can(
                actor,
                action,
                Resource::Course {
                    owner: UserId(self.course.owner_id),
                    coauthors: &self.coauthors,
                    reviewers: &[],
                    owning_lineage: &self.lineage(GroupId(self.course.group_id)),
                    audience_lineages: &self.course_audiences,
                    published: self.course.latest_version.is_some()
                        && self.course.status == CourseStatus::Active,
                },
            ),
            Obj::NeedOrAsker => {
                self.can_on(actor, action, Obj::Need)
                    || (self.need.created_by == actor.user_id.0
                        && self.can_on(actor, Action::ViewNeed, Obj::Need))
            }
            Obj::AttemptTaker => can(
                actor,
                action,
                Resource::Person {
                    id: UserId(self.attempt_taker),
                    platform_admin: false,
                    group_lineages: &[],
                },
            ),
            Obj::Need => can(
                actor,
                action,
                Resource::Need {
                    created_by: UserId(self.need.created_by),
                    audience_lineages: &self.need_audiences,
                },
            ),
            Obj::Path => can(
                actor,
                action,
                Resource::Path {
                    owning_lineage: &self.lineage(GroupId(self.path.group_id)),
                    published: self.path.latest_version.is_some(),
                },
            ),
            Obj::Mei => can(
                actor,
                action,
                Resource::Person {
                    id: UserId(self.mei),
                    platform_admin: false,
                    group_lineages: std::slice::from_ref(&eng),
                },
            ),
        }
    }

    /// The address to ask: every `{param}` filled with its demo object.
    fn fill(&self, line: &Line) -> String {
        self.fill_path(line.path, line.id, line.who)
    }

    fn fill_path(&self, pattern: &str, id: Id, who: Who) -> String {
        let id = match (id, who) {
            (Id::Course, _) => self.course.id,
            (Id::Outcome, _) => self.outcome,
            (Id::MeiNotification, _) => self.mei_notification,
            (Id::Certificate, _) => self.certificate,
            (Id::Attempt, _) => self.attempt,
            (Id::Webhook | Id::Other, _) => 1,
            (Id::Nothing, _) => 999_999_999,
            (Id::Rule, Who::Policy(_, obj) | Who::AnyOf(_, obj)) => match obj {
                Obj::Course => self.course.id,
                Obj::Group => self.engineering.0,
                Obj::OutcomeGroup => self.outcome,
                Obj::Need | Obj::NeedOrAsker => self.need.id,
                Obj::AttemptTaker => self.attempt,
                Obj::Path => self.path.id,
                Obj::Mei => self.mei,
                Obj::Platform | Obj::AnyGroup | Obj::Authoring => 1,
            },
            (Id::Rule, _) => 1,
        };
        fill_pattern(pattern, |name| {
            if name == "id" {
                id.to_string()
            } else {
                self.params
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| panic!("no demo object for {{{name}}} in {pattern}"))
            }
        })
    }
}

fn fill_pattern(pattern: &str, mut value: impl FnMut(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("closing brace") + start;
        out.push_str(&value(&rest[start + 1..end]));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The first value of `key` anywhere in a JSON document (depth first).
fn find(v: &Value, key: &str) -> Option<Value> {
    match v {
        Value::Object(map) => map
            .get(key)
            .cloned()
            .or_else(|| map.values().find_map(|x| find(x, key))),
        Value::Array(items) => items.iter().find_map(|x| find(x, key)),
        _ => None,
    }
}

async fn first_id(admin: &Browser, path: &str, key: &str) -> Option<i64> {
    let page = admin.get(path).await;
    let json: Value = serde_json::from_str(&page.body).ok()?;
    find(&json, key)?.as_i64()
}

/// How an answer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// 2xx: what was asked was given or done.
    Granted,
    /// A redirect elsewhere than the sign-in page.
    Redirect,
    /// 401, 403, or a redirect to sign in.
    Refused,
    NotFound,
    /// Another 4xx: the input was refused.
    Input,
    ServerError,
}

fn classify(page: &Page) -> Answer {
    let s = page.status;
    if s.is_success() {
        Answer::Granted
    } else if s.is_redirection() {
        let to = page
            .headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if to.starts_with("/sign-in") {
            Answer::Refused
        } else {
            Answer::Redirect
        }
    } else if s == StatusCode::UNAUTHORIZED || s == StatusCode::FORBIDDEN {
        Answer::Refused
    } else if s == StatusCode::NOT_FOUND {
        Answer::NotFound
    } else if s.is_server_error() {
        Answer::ServerError
    } else {
        Answer::Input
    }
}

fn headers_for(path: &str) -> Vec<(&'static str, &'static str)> {
    if path.starts_with("/xapi/") {
        vec![("x-experience-api-version", "1.0.3")]
    } else {
        vec![]
    }
}

/// A change carries an empty body of the kind its route reads (an empty form, `{}`), so
/// that a route whose fields all have defaults reaches its permission check.
fn body_for(line: &Line) -> Option<(&'static str, &'static [u8])> {
    if line.method == "GET" {
        None
    } else if line.path.starts_with("/api/") || line.path.starts_with("/xapi/") {
        Some(("application/json", b"{}"))
    } else {
        Some(("application/x-www-form-urlencoded", b""))
    }
}

/// The methods the router answers at an address: a method it lacks gets 405 with `Allow`.
async fn methods_at(admin: &Browser, path: &str) -> Vec<String> {
    let probe = Method::from_bytes(b"PROPFIND").expect("method");
    let page = admin
        .send(probe, path, &headers_for(path), None, WAIT)
        .await
        .unwrap_or_else(|| panic!("{path} answers"));
    assert_eq!(
        page.status,
        StatusCode::METHOD_NOT_ALLOWED,
        "{path}: an unknown method gets 405"
    );
    page.headers
        .get("allow")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(',')
        .map(|m| m.trim().to_owned())
        // HEAD is GET's handler without the body.
        .filter(|m| !m.is_empty() && m != "HEAD")
        .collect()
}

/// What writes leave behind: events, people, files. A refused change adds none.
async fn fingerprint(t: &TestApp, last_event: i64) -> (usize, u64, u64) {
    let store = t.app.store();
    (
        store
            .events_after(last_event, 1)
            .await
            .expect("events")
            .len(),
        store.count_users().await.expect("users"),
        store.count_blobs().await.expect("blobs"),
    )
}

async fn last_event_id(t: &TestApp) -> i64 {
    let mut last = 0;
    loop {
        let page = t
            .app
            .store()
            .events_after(last, 5_000)
            .await
            .expect("events");
        match page.last() {
            Some(e) => last = e.id,
            None => return last,
        }
    }
}

async fn objects(t: &TestApp, admin: &Browser) -> Objects {
    let store = t.app.store();
    let tree = t.app.group_tree().await.expect("tree");
    let all = store.all_groups().await.expect("groups");
    let by_name = |name: &str| {
        GroupId(
            all.iter()
                .find(|g| g.name == name)
                .unwrap_or_else(|| panic!("{name} exists"))
                .id,
        )
    };
    let engineering = by_name("Engineering");
    let groups = all
        .iter()
        .map(|g| {
            (
                GroupId(g.id),
                Role::parse(&g.author_min_role).unwrap_or(Role::Learner),
            )
        })
        .collect();
    let mei = t.caller("mei.chen@demo.lore.example").await.id.0;
    let priya = t.caller("priya.raman@demo.lore.example").await.id.0;
    // A published Engineering course by an Engineering author.
    let mut course = None;
    for id in store
        .courses_owned_by(engineering.0)
        .await
        .expect("courses")
    {
        let row = store.course(id).await.expect("course").expect("row");
        if row.owner_id == priya && row.status == CourseStatus::Active {
            course = Some(row);
            break;
        }
    }
    let course = course.expect("a published course of Priya's");
    let coauthors = store
        .coauthors_of(course.id)
        .await
        .expect("coauthors")
        .into_iter()
        .map(UserId)
        .collect();
    let course_audiences = store
        .audiences_of(course.id)
        .await
        .expect("audiences")
        .into_iter()
        .map(|g| tree.lineage(GroupId(g)))
        .collect();
    let need = store
        .all_needs()
        .await
        .expect("needs")
        .into_iter()
        .next()
        .expect("a need");
    let need_audiences = store
        .need_audiences(&[need.id])
        .await
        .expect("need audiences")
        .into_iter()
        .map(|(_, g)| tree.lineage(GroupId(g)))
        .collect();
    let path = store
        .paths_of_groups(&[engineering.0])
        .await
        .expect("paths")
        .into_iter()
        .next()
        .expect("an Engineering path");
    let mei_notification = store
        .notifications_of(mei, 1)
        .await
        .expect("notifications")
        .first()
        .map_or(1, |n| n.id);
    let outcomes: Value =
        serde_json::from_str(&admin.get("/api/v1/outcomes").await.body).expect("outcomes");
    let outcome = find(&outcomes, "id")
        .and_then(|v| v.as_i64())
        .expect("an outcome");
    let outcome_group = GroupId(
        find(&outcomes, "group_id")
            .and_then(|v| v.as_i64())
            .expect("its group"),
    );
    // Attempts are their taker's alone: whoever took the first one.
    let attempt_taker = store
        .attempt(1)
        .await
        .expect("attempt")
        .map_or(mei, |a| a.user_id);
    let c = course.id;
    let api = |p: &str| format!("/api/v1/courses/{c}{p}");
    let thread = first_id(admin, &api("/threads"), "id").await.unwrap_or(1);
    let suggestion = first_id(admin, &api("/suggestions"), "id")
        .await
        .unwrap_or(1);
    let reaction = first_id(admin, &api("/feedback"), "id").await.unwrap_or(1);
    let shown: Value = serde_json::from_str(&admin.get(&api("")).await.body).expect("course");
    let key = find(&shown, "key")
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "1".to_owned());
    let params: HashMap<&'static str, String> = [
        ("thread_id", thread.to_string()),
        ("sid", suggestion.to_string()),
        ("reaction", reaction.to_string()),
        ("reaction_id", reaction.to_string()),
        ("key", key),
        ("step_id", "1".to_owned()),
        ("position", "1".to_owned()),
        ("comment", "1".to_owned()),
        ("comment_id", "1".to_owned()),
        ("question_id", "1".to_owned()),
        ("attempt", "1".to_owned()),
        ("attempt_id", "1".to_owned()),
        ("post_id", "1".to_owned()),
        ("user", mei.to_string()),
        ("user_id", mei.to_string()),
        ("delivery", "1".to_owned()),
        ("kind", "course".to_owned()),
        ("target_id", c.to_string()),
        ("week", "2026-W49".to_owned()),
        ("token", "no-such-invitation".to_owned()),
        ("public_id", "no-such-certificate".to_owned()),
        ("file", "no-such-calendar.ics".to_owned()),
        ("hash", "0".repeat(64)),
    ]
    .into_iter()
    .collect();
    Objects {
        tree,
        groups,
        course,
        coauthors,
        course_audiences,
        engineering,
        outcome,
        outcome_group,
        need,
        need_audiences,
        path,
        mei,
        mei_notification,
        certificate: 1,
        attempt: 1,
        attempt_taker,
        params,
    }
}

async fn sign_in(t: &TestApp, who: Option<&str>) -> Browser {
    let b = t.browser();
    match who {
        Some(local) => {
            let email = if local == "admin" {
                format!("admin@{}", lore_app::demo::DOMAIN)
            } else {
                format!("{local}@{}", lore_app::demo::DOMAIN)
            };
            b.sign_in(&email, lore_app::demo::DEMO_PASSWORD)
                .await
                .expect_status(StatusCode::SEE_OTHER);
            // A page with a form, for the session's CSRF token.
            b.get("/account").await.expect_status(StatusCode::OK);
        }
        // The sign-in page sets the anonymous CSRF cookie and shows its token.
        None => {
            b.get("/sign-in").await.expect_status(StatusCode::OK);
        }
    }
    b
}

/// What is wrong with an answer.
enum Finding {
    /// A leak, a refusal of what the policy allows, a server error.
    Wrong(String),
    /// A refused change whose body (empty here) was read before permission was checked:
    /// nothing leaks but the shape of the input, which the forms and the OpenAPI document
    /// show anyway; listed, not failed (decision 0041).
    InputFirst(String),
}

/// Ask one route as one role and say what is wrong with the answer, if anything.
async fn check(role: &Player, objects: &Objects, line: &Line) -> Option<Finding> {
    let address = objects.fill(line);
    let allowed = objects.allows(role.actor.as_ref(), line.method, line.who);
    let method = Method::from_bytes(line.method.as_bytes()).expect("method");
    let Some(page) = role
        .browser
        .send(
            method,
            &address,
            &headers_for(&address),
            body_for(line),
            WAIT,
        )
        .await
    else {
        return Some(Finding::Wrong(format!(
            "no answer within {WAIT:?}: {} {address} as {}",
            line.method, role.name
        )));
    };
    let answer = classify(&page);
    let says = |what: &str| {
        Some(Finding::Wrong(format!(
            "{what}: {} {address} as {}: {} ({:?}, policy {}) {}",
            line.method,
            role.name,
            page.status,
            line.who,
            if allowed { "allows" } else { "denies" },
            page.body
                .chars()
                .take(160)
                .collect::<String>()
                .replace('\n', " ")
        )))
    };
    let api = address.starts_with("/api/") || address.starts_with("/xapi/");
    match (allowed, answer) {
        (_, Answer::ServerError) => says("SERVER ERROR"),
        (false, Answer::Granted) => says("LEAK"),
        (false, Answer::Redirect) if line.method != "GET" => says("LEAK (redirect after a change)"),
        (false, Answer::Input) if line.method != "GET" => Some(Finding::InputFirst(format!(
            "{} {} as {}: {}",
            line.method, line.path, role.name, page.status
        ))),
        (false, _) if role.actor.is_none() && answer != Answer::Refused => says(if api {
            "anonymous API call not answered 401"
        } else {
            "anonymous not sent to sign in"
        }),
        (true, Answer::Refused) => says("REFUSED what the policy allows"),
        _ => None,
    }
}

async fn every_route_answers_every_role_as_the_policy_says(t: TestApp) {
    let started = std::time::Instant::now();
    lore_app::demo::seed(&t.app).await.expect("demo");
    let mut roles = Vec::new();
    for (name, who) in ROLES {
        let actor = match who {
            Some(local) => {
                let email = if *local == "admin" {
                    format!("admin@{}", lore_app::demo::DOMAIN)
                } else {
                    format!("{local}@{}", lore_app::demo::DOMAIN)
                };
                Some(t.caller(&email).await.actor)
            }
            None => None,
        };
        roles.push(Player {
            name,
            actor,
            browser: sign_in(&t, *who).await,
        });
    }
    let admin = &roles[0].browser;
    let objects = Arc::new(objects(&t, admin).await);

    // Every (method, path) the router answers is in the table, and every line is a route.
    let mut routed = BTreeSet::new();
    for pattern in lore_web::route_table() {
        let address = objects.fill_path(&pattern, Id::Course, Who::Anyone);
        for method in methods_at(admin, &address).await {
            routed.insert((method, pattern.clone()));
        }
    }
    let known: BTreeSet<(String, String)> = TABLE
        .iter()
        .map(|l| (l.method.to_owned(), l.path.to_owned()))
        .collect();
    let missing: Vec<String> = routed
        .difference(&known)
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "routes the permission matrix does not know; add them to the matrix \
         (tests/stories/permission_matrix/table.rs):\n{}",
        missing.join("\n")
    );
    let stale: Vec<String> = known
        .difference(&routed)
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        stale.is_empty(),
        "lines of the matrix no route answers:\n{}",
        stale.join("\n")
    );

    // Reads: every route, every role, side by side.
    let roles = Arc::new(roles);
    let mut tasks = tokio::task::JoinSet::new();
    for r in 0..roles.len() {
        let (roles, objects) = (Arc::clone(&roles), Arc::clone(&objects));
        tasks.spawn(async move {
            let mut found = Vec::new();
            let mut checks = 0;
            for line in TABLE.iter().filter(|l| l.method == "GET") {
                checks += 1;
                found.extend(check(&roles[r], &objects, line).await);
            }
            (checks, found)
        });
    }
    let mut found = Vec::new();
    let mut checks = 0;
    while let Some(done) = tasks.join_next().await {
        let (n, f) = done.expect("reads");
        checks += n;
        found.extend(f);
    }

    // Changes: only where the policy refuses, one at a time, each leaving nothing behind.
    let mut last = last_event_id(&t).await;
    let mut before = fingerprint(&t, last).await;
    for line in TABLE.iter().filter(|l| l.method != "GET") {
        for role in roles.iter() {
            if objects.allows(role.actor.as_ref(), line.method, line.who) {
                continue;
            }
            checks += 1;
            found.extend(check(role, &objects, line).await);
            let after = fingerprint(&t, last).await;
            if after != before {
                found.push(Finding::Wrong(format!(
                    "LEAK (something was written): {} {} as {}",
                    line.method, line.path, role.name
                )));
                last = last_event_id(&t).await;
                before = fingerprint(&t, last).await;
            }
        }
    }
    eprintln!(
        "permission matrix: {checks} checks of {} routes for {} roles in {:?}",
        TABLE.len(),
        roles.len(),
        started.elapsed()
    );
    let mut problems = Vec::new();
    let mut input_first = Vec::new();
    for f in found {
        match f {
            Finding::Wrong(s) => problems.push(s),
            Finding::InputFirst(s) => input_first.push(s),
        }
    }
    input_first.sort();
    input_first.dedup();
    eprintln!(
        "{} refused changes read their (empty) input before the permission:\n{}",
        input_first.len(),
        input_first.join("\n")
    );
    problems.sort();
    assert!(
        problems.is_empty(),
        "{} answers differ from the policy:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
story!(every_route_answers_every_role_as_the_policy_says);
