//! Learning paths and assignments: a coach builds a path, publishes it, assigns it to a
//! group (people who join later are reached, people who leave are marked left), follows
//! progress per status with a CSV, and learners see it first with a calendar feed.

use lore_domain::ids::UserId;
use lore_domain::path::ItemRef;
use lore_domain::role::Role;
use reqwest::StatusCode;

use crate::story;
use crate::support::{Browser, TestApp};

struct Org {
    admin: lore_app::Caller,
    sales: i64,
    emea: i64,
    eng: i64,
    /// Two published courses of Sales, written by the coach.
    first: i64,
    second: i64,
    coach: Browser,
}

/// Acme ─┬─ Sales ── EMEA      Cleo coaches Sales; Ada is in Sales, Bob in EMEA,
///       └─ Engineering        Dan in Engineering.
async fn org(t: &TestApp) -> Org {
    t.person("root@acme.test", "Rita Root", true).await;
    let acme = t.group(None, "Acme").await;
    let sales = t.group(Some(acme), "Sales").await;
    let emea = t.group(Some(sales), "EMEA").await;
    let eng = t.group(Some(acme), "Engineering").await;
    for (email, name, group, role) in [
        ("cleo@acme.test", "Cleo Coach", sales, "coach"),
        ("ada@acme.test", "Ada Lovelace", sales, "learner"),
        ("bob@acme.test", "Bob Builder", emea, "learner"),
        ("dan@acme.test", "Dan Dev", eng, "learner"),
    ] {
        let id = t.person(email, name, false).await;
        t.member(id, group, role).await;
    }
    let cleo = t.caller("cleo@acme.test").await;
    let first = t.published_course(&cleo, "Know the product").await;
    let second = t.published_course(&cleo, "Run a demo").await;
    Org {
        admin: t.caller("root@acme.test").await,
        sales,
        emea,
        eng,
        first,
        second,
        coach: t.signed_in("cleo@acme.test").await,
    }
}

/// The coach creates a linear path of the two courses and publishes it; its id.
async fn onboarding(o: &Org) -> i64 {
    let c = &o.coach;
    c.get("/paths/new").await.expect_status(StatusCode::OK);
    let sales = o.sales.to_string();
    let created = c
        .post(
            "/paths/new",
            &[
                ("title", "Sales onboarding"),
                ("group_id", &sales),
                ("order", "linear"),
            ],
        )
        .await;
    created.expect_status(StatusCode::SEE_OTHER);
    let id: i64 = created
        .location()
        .trim_start_matches("/paths/")
        .split('/')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("path id");
    // An empty draft is not ready: the page says why and nothing is published.
    let empty = c.post(&format!("/paths/{id}/publish"), &[]).await;
    empty.expect_status(StatusCode::CONFLICT);
    empty.expect_contains("Add at least one course before publishing.");
    for course in [o.first, o.second] {
        c.post(
            &format!("/paths/{id}/edit"),
            &[
                ("action", "add"),
                ("item", &ItemRef::course(course).key()),
                ("mandatory", "1"),
            ],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    }
    c.post(&format!("/paths/{id}/publish"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    id
}

async fn finish(t: &TestApp, author: &str, learner: &str, course: i64) {
    let key = t
        .app
        .draft(&t.caller(author).await, course)
        .await
        .expect("draft")
        .steps[0]
        .step_key
        .clone();
    t.app
        .complete_step(&t.caller(learner).await, course, &key, 20)
        .await
        .expect("complete");
}

async fn enrolled(t: &TestApp, email: &str, course: i64) -> bool {
    let id = t.caller(email).await.id.0;
    t.app
        .store()
        .enrolment(id, course)
        .await
        .expect("enrolment")
        .is_some()
}

/// A path assigned to a group reaches its people and those below it, then someone who
/// joins later; someone who leaves shows as left and is not counted as not started.
async fn a_group_path_reaches_joiners_and_not_leavers(t: TestApp) {
    let o = org(&t).await;
    let path = onboarding(&o).await;
    let target = format!("path:{path}");
    o.coach
        .post(
            "/assign",
            &[
                ("target", &target),
                ("groups", &o.sales.to_string()),
                ("due_kind", "days"),
                ("due_days", "30"),
                ("remind_before", "7, 1"),
                ("remind_overdue", "7"),
            ],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);

    // Linear: enrolled in the first course only; the home page leads with the path.
    assert!(enrolled(&t, "ada@acme.test", o.first).await);
    assert!(!enrolled(&t, "ada@acme.test", o.second).await);
    assert!(enrolled(&t, "bob@acme.test", o.first).await);
    assert!(!enrolled(&t, "dan@acme.test", o.first).await);
    let ada = t.signed_in("ada@acme.test").await;
    ada.get("/")
        .await
        .expect_contains("data-testid=\"home-assignments\"")
        .expect_contains("Sales onboarding")
        .expect_contains("next: <a href=\"/courses/")
        .expect_contains("due 2 Dec 2026");
    ada.get("/learning")
        .await
        .expect_contains("Paths assigned to you")
        .expect_contains("Run a demo");
    ada.get(&format!("/paths/{path}"))
        .await
        .expect_contains("data-testid=\"path-next\"")
        .expect_contains("locked");

    // Finishing the first course unlocks and enrols the second.
    finish(&t, "cleo@acme.test", "ada@acme.test", o.first).await;
    assert!(enrolled(&t, "ada@acme.test", o.second).await);

    // Eve joins Sales/EMEA a week later: reached, with her own relative due date.
    t.clock.advance(time::Duration::days(7));
    let eve = t.person("eve@acme.test", "Eve Newcomer", false).await;
    t.app
        .put_membership(&o.admin, o.emea, UserId(eve), Role::Learner)
        .await
        .expect("join");
    assert!(enrolled(&t, "eve@acme.test", o.first).await);
    t.signed_in("eve@acme.test")
        .await
        .get("/")
        .await
        .expect_contains("Sales onboarding")
        .expect_contains("due 9 Dec 2026");

    // Bob leaves EMEA: his row shows left, his enrolment stays.
    let bob = t.caller("bob@acme.test").await.id;
    t.app
        .remove_membership(&o.admin, o.emea, bob)
        .await
        .expect("leave");
    assert!(enrolled(&t, "bob@acme.test", o.first).await);
    let page = o.coach.get(&format!("/progress?target={target}")).await;
    page.expect_status(StatusCode::OK);
    // Cleo is in Sales too, so the group's assignment reaches her as well.
    assert_eq!(
        page.testid("count-not_started"),
        "2",
        "Cleo and Eve, not Bob"
    );
    assert_eq!(page.testid("count-in_progress"), "1", "Ada");
    assert_eq!(page.testid("count-left"), "1", "Bob");
    page.expect_contains("Bob Builder");
    t.signed_in("bob@acme.test")
        .await
        .get("/")
        .await
        .expect_lacks("Sales onboarding");

    // Every person reached got an `assigned` event for the path (no course), and one for
    // each course the path enrolled them in.
    let events = t.app.store().events_after(0, 1000).await.expect("events");
    let reached = events
        .iter()
        .filter(|e| e.verb == "assigned" && e.course_id.is_none())
        .count();
    assert_eq!(reached, 4, "Cleo, Ada, Bob, then Eve");
    let enrolled = events
        .iter()
        .filter(|e| e.verb == "assigned" && e.course_id.is_some())
        .count();
    let enrolments = t
        .app
        .store()
        .enrolments_after(0, 1000)
        .await
        .expect("enrolments")
        .len();
    assert_eq!(
        enrolled, enrolments,
        "each enrolment the path made is recorded"
    );
}
story!(a_group_path_reaches_joiners_and_not_leavers);

/// A path that would contain itself through a nested path, and prerequisites that go round
/// in a circle, are refused with a clear message; the draft stays as it was.
async fn self_containing_paths_and_prerequisite_cycles_are_refused(t: TestApp) {
    let o = org(&t).await;
    let outer = onboarding(&o).await;
    let sales = o.sales.to_string();
    let c = &o.coach;
    let inner = c
        .post(
            "/paths/new",
            &[
                ("title", "Advanced selling"),
                ("group_id", &sales),
                ("order", "free"),
            ],
        )
        .await
        .location();
    let inner: i64 = inner
        .trim_start_matches("/paths/")
        .trim_end_matches("/edit?notice=path-created")
        .parse()
        .expect("id");
    c.post(
        &format!("/paths/{inner}/edit"),
        &[
            ("action", "add"),
            ("item", &ItemRef::path(outer).key()),
            ("mandatory", "1"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let before = t
        .app
        .store()
        .path_items(outer, lore_store::DRAFT)
        .await
        .expect("items");
    let refused = c
        .post(
            &format!("/paths/{outer}/edit"),
            &[
                ("action", "add"),
                ("item", &ItemRef::path(inner).key()),
                ("mandatory", "1"),
            ],
        )
        .await;
    refused
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("A path cannot contain itself: “Sales onboarding” contains “Advanced selling” contains “Sales onboarding”.");
    let after = t
        .app
        .store()
        .path_items(outer, lore_store::DRAFT)
        .await
        .expect("items");
    assert_eq!(before, after);

    // The first course after the second is fine; the second after the first then closes a circle.
    let (first, second) = (
        ItemRef::course(o.first).key(),
        ItemRef::course(o.second).key(),
    );
    c.post(
        &format!("/paths/{outer}/edit"),
        &[("action", "after"), ("item", &first), ("after", &second)],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let before = t
        .app
        .store()
        .path_items(outer, lore_store::DRAFT)
        .await
        .expect("items");
    c.post(
        &format!("/paths/{outer}/edit"),
        &[("action", "after"), ("item", &second), ("after", &first)],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("go round in a circle");
    let after = t
        .app
        .store()
        .path_items(outer, lore_store::DRAFT)
        .await
        .expect("items");
    assert_eq!(before, after);

    // The API's whole draft is checked the same way.
    let api = t.api(&crate::api::token_for(&t, "cleo@acme.test").await);
    let circle = serde_json::json!({
        "title": "Sales onboarding", "order": "free",
        "items": [
            {"item": first, "mandatory": true, "after": [second]},
            {"item": second, "mandatory": true, "after": [first]},
        ]
    });
    api.send(
        reqwest::Method::PUT,
        &format!("/paths/{outer}/draft"),
        Some(circle),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("go round in a circle");
    let after = t
        .app
        .store()
        .path_items(outer, lore_store::DRAFT)
        .await
        .expect("items");
    assert_eq!(before, after);

    // A new version lists what changed.
    c.post(
        &format!("/paths/{outer}/edit"),
        &[("action", "optional"), ("item", &second)],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    c.post(&format!("/paths/{outer}/publish"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    c.get(&format!("/paths/{outer}/versions"))
        .await
        .expect_contains("Version 2")
        .expect_contains("made optional Run a demo");
}
story!(self_containing_paths_and_prerequisite_cycles_are_refused);

/// A due date in the past, a group the coach does not coach, and a CSV with a bad line are
/// refused; nobody is assigned. The good file then assigns.
async fn bad_assignments_change_nothing(t: TestApp) {
    let o = org(&t).await;
    let path = onboarding(&o).await;
    let target = format!("path:{path}");
    let c = &o.coach;
    c.get(&format!("/assign?target={target}"))
        .await
        .expect_status(StatusCode::OK);
    c.post(
        "/assign",
        &[
            ("target", &target),
            ("groups", &o.sales.to_string()),
            ("due_kind", "date"),
            ("due_date", "2026-10-01"),
        ],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("The due date has passed");
    c.post(
        "/assign",
        &[
            ("target", &target),
            ("groups", &o.eng.to_string()),
            ("due_kind", "none"),
        ],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("You do not coach Acme/Engineering");
    let csv = b"email\nada@acme.test\nnot-an-address\nnobody@acme.test\n".to_vec();
    let refused = c
        .post_multipart(
            "/assign/csv",
            &[("target", &target), ("due_kind", "none")],
            Some(("people.csv", "text/csv", csv)),
        )
        .await;
    refused
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("nobody was assigned")
        .expect_contains("<td>3</td>")
        .expect_contains("<td>4</td>")
        .expect_contains("Nobody has the address nobody@acme.test.");
    let store = t.app.store();
    let none = store
        .assignments_of_target(lore_domain::assignment::TargetKind::Path, path)
        .await
        .expect("assignments");
    assert!(none.is_empty());
    assert!(!enrolled(&t, "ada@acme.test", o.first).await);

    let good = b"email\nada@acme.test\nbob@acme.test\n".to_vec();
    c.post_multipart(
        "/assign/csv",
        &[
            ("target", &target),
            ("due_kind", "date"),
            ("due_date", "2026-11-30"),
        ],
        Some(("people.csv", "text/csv", good)),
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    assert!(enrolled(&t, "ada@acme.test", o.first).await);
    assert!(enrolled(&t, "bob@acme.test", o.first).await);
    // For a reminder job: both due, neither done.
    let due = store
        .assignees_due_before(t.app.now() + time::Duration::days(60))
        .await
        .expect("due");
    assert_eq!(due.len(), 2);
    assert!(due.iter().all(|d| !d.done));
}
story!(bad_assignments_change_nothing);

/// The coach's view counts people per status (and per group); its CSV says the same; the
/// filters narrow it; a manager sees their reports; the API gives the same figures.
async fn coaches_follow_progress_per_status(t: TestApp) {
    let o = org(&t).await;
    let path = onboarding(&o).await;
    let target = format!("path:{path}");
    let carl = t.person("carl@acme.test", "Carl Quiet", false).await;
    t.member(carl, o.sales, "learner").await;
    let mona = t.person("mona@acme.test", "Mona Manager", false).await;
    let ada_id = t.caller("ada@acme.test").await.id.0;
    t.app
        .store()
        .set_name_and_manager(ada_id, "Ada Lovelace", Some(mona), t.app.now())
        .await
        .expect("manager");
    o.coach
        .post(
            "/assign",
            &[
                ("target", &target),
                ("groups", &o.sales.to_string()),
                ("due_kind", "date"),
                ("due_date", "2026-11-20"),
            ],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    // Ada finishes both courses, Bob opens the first, Carl does nothing.
    finish(&t, "cleo@acme.test", "ada@acme.test", o.first).await;
    finish(&t, "cleo@acme.test", "ada@acme.test", o.second).await;
    t.signed_in("bob@acme.test")
        .await
        .get(&format!("/courses/{}/learn", o.first))
        .await
        .expect_status(StatusCode::OK);

    let page = o.coach.get(&format!("/progress?target={target}")).await;
    assert_eq!(page.testid("count-done"), "1");
    assert_eq!(page.testid("count-in_progress"), "1");
    assert_eq!(
        page.testid("count-not_started"),
        "2",
        "Carl, and Cleo (in Sales)"
    );
    assert_eq!(page.testid("count-overdue"), "0");

    t.clock.advance(time::Duration::days(20));
    let page = o.coach.get(&format!("/progress?target={target}")).await;
    assert_eq!(page.testid("count-done"), "1");
    assert_eq!(page.testid("count-overdue"), "3");
    let csv = o
        .coach
        .get_bytes(&format!("/progress.csv?target={target}"), &[])
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = String::from_utf8(csv.bytes).expect("utf-8");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let statuses: Vec<(String, String)> = reader
        .records()
        .map(|r| r.expect("row"))
        .map(|r| (r[1].to_owned(), r[3].to_owned()))
        .collect();
    assert_eq!(statuses.len(), 4);
    assert!(statuses.contains(&("ada@acme.test".to_owned(), "done".to_owned())));
    assert_eq!(statuses.iter().filter(|(_, s)| s == "overdue").count(), 3);

    let only_done = o
        .coach
        .get(&format!("/progress?target={target}&status=done"))
        .await;
    only_done
        .expect_contains("Ada Lovelace")
        .expect_lacks("Carl Quiet");
    let in_emea = o
        .coach
        .get(&format!("/progress?target={target}&group={}", o.emea))
        .await;
    in_emea
        .expect_contains("Bob Builder")
        .expect_lacks("Carl Quiet");
    let by_manager = o
        .coach
        .get(&format!("/progress?target={target}&manager=mona@acme.test"))
        .await;
    by_manager
        .expect_contains("Ada Lovelace")
        .expect_lacks("Bob Builder");

    t.signed_in("mona@acme.test")
        .await
        .get("/reports")
        .await
        .expect_contains("Ada Lovelace")
        .expect_contains("Sales onboarding")
        .expect_lacks("Bob Builder");

    let api = t.api(&crate::api::token_for(&t, "cleo@acme.test").await);
    let body = api.get(&format!("/paths/{path}/progress")).await;
    body.expect_status(StatusCode::OK);
    let json = body.json();
    assert_eq!(json["counts"]["done"], 1);
    assert_eq!(json["counts"]["overdue"], 3);
    assert_eq!(json["lines"].as_array().map(Vec::len), Some(4));
    // A learner may not read it.
    let learner = t.api(&crate::api::token_for(&t, "dan@acme.test").await);
    assert_ne!(
        learner.get(&format!("/paths/{path}/progress")).await.status,
        StatusCode::OK
    );
}
story!(coaches_follow_progress_per_status);

/// The calendar feed lists the person's due dates as valid iCalendar, and stops working
/// once revoked.
async fn the_calendar_feed_lists_due_dates_until_revoked(t: TestApp) {
    let o = org(&t).await;
    let path = onboarding(&o).await;
    o.coach
        .post(
            "/assign",
            &[
                ("target", &format!("path:{path}")),
                ("emails", "ada@acme.test"),
                ("due_kind", "date"),
                ("due_date", "2026-11-20"),
            ],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let ada = t.signed_in("ada@acme.test").await;
    ada.get("/account")
        .await
        .expect_contains("Make my calendar address");
    let url = ada
        .post("/account/calendar", &[])
        .await
        .testid("calendar-url");
    let feed_path = url
        .split_once("/calendar/")
        .map(|(_, rest)| format!("/calendar/{rest}"))
        .expect("url");
    let stranger = t.browser();
    let feed = stranger.get_bytes(&feed_path, &[]).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.header("content-type").starts_with("text/calendar"));
    let text = String::from_utf8(feed.bytes).expect("utf-8");
    assert!(text.contains("\r\n"));
    let calendar: icalendar::Calendar = text.parse().expect("a valid iCalendar");
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            icalendar::CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(events.len(), 1);
    use icalendar::Component;
    assert_eq!(events[0].get_summary(), Some("Due: Sales onboarding"));
    assert!(events[0].get_uid().is_some());
    assert!(events[0].property_value("DTSTAMP").is_some());
    assert!(text.contains("DTSTART;VALUE=DATE:20261120"));
    ada.get("/account").await.expect_contains("On since");
    ada.post("/account/calendar/revoke", &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    assert_eq!(
        stranger.get_bytes(&feed_path, &[]).await.status,
        StatusCode::NOT_FOUND
    );
}
story!(the_calendar_feed_lists_due_dates_until_revoked);
