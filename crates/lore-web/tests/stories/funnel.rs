//! The learning funnel of a course, checked figure by figure against the actions the story
//! takes through the use cases (and so the events they record): people per stage, conversion,
//! drop-off, median time per step, the filters (group, date range, assignment), two versions
//! compared with the two-proportion test against hand-computed numbers, bad filters refused,
//! the CSV and the page; and the rollup equal to a recomputation from the raw events after
//! random event streams.

use lore_app::assignments::{AssignRequest, Target};
use lore_domain::assignment::Due;
use lore_store::NewEvent;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::{Method, StatusCode};

use crate::api::token_for;
use crate::courses::{team, write_runbook};
use crate::story;
use crate::support::TestApp;

/// The step keys of a course's version, in order.
async fn keys(t: &TestApp, course: i64, version: i32) -> Vec<String> {
    let store = t.app.store();
    let v = store
        .version(course, version)
        .await
        .expect("v")
        .expect("version");
    store
        .steps_of(v.id)
        .await
        .expect("steps")
        .into_iter()
        .map(|s| s.step_key)
        .collect()
}

/// `email` opens the player at steps 1..=`reached` and marks `done` of them done, with
/// `seconds[i]` on step i.
async fn learn(t: &TestApp, email: &str, course: i64, reached: usize, seconds: &[i64]) {
    let who = t.caller(email).await;
    t.app.enrol(&who, course).await.expect("enrol");
    let version = t
        .app
        .store()
        .course(course)
        .await
        .expect("c")
        .expect("course")
        .latest_version
        .expect("published");
    let keys = keys(t, course, version).await;
    for position in 1..=reached {
        t.app
            .player(&who, course, Some(position))
            .await
            .expect("player");
    }
    for (i, s) in seconds.iter().enumerate() {
        t.app
            .complete_step(&who, course, &keys[i], *s)
            .await
            .expect("complete");
    }
}

fn row<'a>(funnel: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    funnel["funnel"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no row {key} in {funnel}"))
}

fn people(funnel: &serde_json::Value, key: &str) -> u64 {
    row(funnel, key)["people"].as_u64().expect("people")
}

async fn the_funnel_counts_every_stage_from_what_people_did(t: TestApp) {
    let (eng, sales) = team(&t).await;
    let ada_browser = t.signed_in("ada@acme.test").await;
    let course = write_runbook(&ada_browser).await;
    let ada = t.caller("ada@acme.test").await;
    // p7 and p8 work in Platform, a team inside Engineering.
    let platform = t.group(Some(eng), "Platform").await;
    for i in 1..=8 {
        let id = t
            .person(&format!("p{i}@acme.test"), &format!("Person {i}"), false)
            .await;
        t.member(id, if i >= 7 { platform } else { eng }, "learner")
            .await;
    }
    let cole = t.person("cole@acme.test", "Cole Coach", false).await;
    t.member(cole, eng, "coach").await;

    // Seen: p1 through the catalogue page itself, p2..p8 as the page records it.
    let p1 = t.signed_in("p1@acme.test").await;
    p1.get("/courses").await.expect_status(StatusCode::OK);
    for i in 2..=8 {
        let who = t.caller(&format!("p{i}@acme.test")).await;
        t.app
            .record_listing(&who, &[(course, 1)])
            .await
            .expect("listed");
    }
    // Seeing it again counts once.
    p1.get("/courses").await.expect_status(StatusCode::OK);
    // Opened: p1..p7.
    for i in 1..=7 {
        let who = t.caller(&format!("p{i}@acme.test")).await;
        t.app.course_overview(&who, course).await.expect("open");
    }
    // p1..p3 finish everything; p4 reaches step 3 after finishing 1 and 2; p5 reaches step 2
    // and finishes step 1; p6 enrols and does nothing more.
    learn(&t, "p1@acme.test", course, 3, &[30, 40, 10]).await;
    learn(&t, "p2@acme.test", course, 3, &[60, 80, 20]).await;
    learn(&t, "p3@acme.test", course, 3, &[90, 120, 30]).await;
    learn(&t, "p4@acme.test", course, 3, &[120, 160]).await;
    learn(&t, "p5@acme.test", course, 2, &[150]).await;
    learn(&t, "p6@acme.test", course, 0, &[]).await;

    let token = token_for(&t, "ada@acme.test").await;
    let api = t.api(&token);
    let all = api
        .send(Method::GET, &format!("/courses/{course}/funnel"), None)
        .await;
    all.expect_status(StatusCode::OK);
    let f = all.json();
    let k = keys(&t, course, 1).await;
    let step = |i: usize| format!("step:{}", k[i]);
    assert_eq!(people(&f, "seen"), 8, "{f}");
    assert_eq!(people(&f, "opened"), 7);
    assert_eq!(people(&f, "enrolled"), 6);
    assert_eq!(people(&f, "started"), 5);
    assert_eq!(people(&f, &step(0)), 5);
    assert_eq!(people(&f, &step(1)), 5);
    assert_eq!(people(&f, &step(2)), 4);
    assert_eq!(people(&f, "completed"), 3);
    assert!(
        f["funnel"]["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .all(|r| r["key"] != "passed")
    );
    // Conversion and drop-off from the stage before.
    let opened = row(&f, "opened");
    assert_eq!(opened["kept"], 7);
    assert_eq!(opened["conversion"].as_f64(), Some(7.0 / 8.0));
    assert_eq!(opened["drop_off"], 1);
    let enrolled = row(&f, "enrolled");
    assert_eq!(
        (enrolled["kept"].as_u64(), enrolled["drop_off"].as_u64()),
        (Some(6), Some(1))
    );
    assert_eq!(enrolled["conversion"].as_f64(), Some(6.0 / 7.0));
    let third = row(&f, &step(2));
    assert_eq!(
        (third["kept"].as_u64(), third["drop_off"].as_u64()),
        (Some(4), Some(1))
    );
    assert_eq!(third["conversion"].as_f64(), Some(0.8));
    assert_eq!(third["of_enrolled"].as_f64(), Some(4.0 / 6.0));
    let completed = row(&f, "completed");
    assert_eq!(completed["conversion"].as_f64(), Some(0.75));
    // Median time per step: 30 60 90 120 150 → 90; 40 80 120 160 → 100; 10 20 30 → 20.
    assert_eq!(row(&f, &step(0))["median_seconds"].as_f64(), Some(90.0));
    assert_eq!(row(&f, &step(1))["median_seconds"].as_f64(), Some(100.0));
    assert_eq!(row(&f, &step(2))["median_seconds"].as_f64(), Some(20.0));
    assert_eq!(row(&f, &step(2))["finished"], 3);

    // By group: Platform has p7 (saw and opened it) and p8 (saw it); Engineering counts
    // the groups below it too.
    let by_platform = api
        .send(
            Method::GET,
            &format!("/courses/{course}/funnel?group_id={platform}"),
            None,
        )
        .await
        .json();
    assert_eq!(
        (
            people(&by_platform, "seen"),
            people(&by_platform, "opened"),
            people(&by_platform, "enrolled")
        ),
        (2, 1, 0)
    );
    assert_eq!(by_platform["group"][1], "Platform");
    let by_eng = api
        .send(
            Method::GET,
            &format!("/courses/{course}/funnel?group_id={eng}"),
            None,
        )
        .await
        .json();
    assert_eq!(people(&by_eng, "seen"), 8);
    // By assignment: Cole assigns the course to p6 (enrolled) and p7 (only opened it).
    let cole_caller = t.caller("cole@acme.test").await;
    t.app
        .assign_target(
            &cole_caller,
            AssignRequest {
                target: Target::Course(course),
                group_ids: vec![],
                emails: vec!["p6@acme.test".into(), "p7@acme.test".into()],
                due: Due::None,
                reminder_rule: None,
            },
        )
        .await
        .expect("assign");
    let assigned = api
        .send(
            Method::GET,
            &format!("/courses/{course}/funnel?via=assigned"),
            None,
        )
        .await
        .json();
    assert_eq!(people(&assigned, "opened"), 2, "{assigned}");
    assert_eq!(people(&assigned, "started"), 0);
    let on_their_own = api
        .send(
            Method::GET,
            &format!("/courses/{course}/funnel?via=self"),
            None,
        )
        .await
        .json();
    assert_eq!(people(&on_their_own, "opened"), 5);
    assert_eq!(people(&on_their_own, "completed"), 3);

    // A date range: ten days on, p8 opens it; only that falls in the last two days.
    t.clock.advance(time::Duration::days(10));
    let p8 = t.caller("p8@acme.test").await;
    t.app.course_overview(&p8, course).await.expect("open");
    let today = t.app.now().date();
    let recent = api
        .send(
            Method::GET,
            &format!(
                "/courses/{course}/funnel?from={}&to={today}",
                today - time::Duration::days(1)
            ),
            None,
        )
        .await
        .json();
    assert_eq!(
        (
            people(&recent, "seen"),
            people(&recent, "opened"),
            people(&recent, "enrolled")
        ),
        (0, 1, 0),
        "{recent}"
    );

    // Bad filters change nothing and say why.
    // A range typed backwards is read the right way round (decision 0037).
    let backwards = api
        .send(
            Method::GET,
            &format!("/courses/{course}/funnel?from={today}&to=2020-01-01"),
            None,
        )
        .await;
    backwards.expect_status(StatusCode::OK);
    let not_a_date = api
        .send(
            Method::GET,
            &format!("/courses/{course}/funnel?from=2026-02-30"),
            None,
        )
        .await;
    not_a_date.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    api.send(
        Method::GET,
        &format!("/courses/{course}/funnel?from=2000-01-01&to={today}"),
        None,
    )
    .await
    .expect_status(StatusCode::OK);
    api.send(
        Method::GET,
        &format!("/courses/{course}/funnel?version=9"),
        None,
    )
    .await
    // A version the course has not published is not there (decision 0037).
    .expect_status(StatusCode::NOT_FOUND);
    // Cole coaches Engineering, not Sales: the Sales view is refused; Bo, a learner, sees none.
    let cole_api = t.api(&token_for(&t, "cole@acme.test").await);
    cole_api
        .send(
            Method::GET,
            &format!("/courses/{course}/funnel?group_id={eng}"),
            None,
        )
        .await
        .expect_status(StatusCode::OK);
    cole_api
        .send(
            Method::GET,
            &format!("/courses/{course}/funnel?group_id={sales}"),
            None,
        )
        .await
        .expect_status(StatusCode::FORBIDDEN);
    // A group that is not there is not found, as a course that is not there is.
    for missing in [i64::MIN, 987_654] {
        cole_api
            .send(
                Method::GET,
                &format!("/courses/{course}/funnel?group_id={missing}"),
                None,
            )
            .await
            .expect_status(StatusCode::NOT_FOUND);
    }
    let bo_api = t.api(&token_for(&t, "bo@acme.test").await);
    bo_api
        .send(Method::GET, &format!("/courses/{course}/funnel"), None)
        .await
        .expect_status(StatusCode::FORBIDDEN);

    // The page shows the same figures, a chart and the CSV the same rows.
    let page = ada_browser
        .get(&format!("/courses/{course}/analytics"))
        .await;
    page.expect_status(StatusCode::OK);
    assert!(page.body.contains("<figure class=\"chart\">"), "a chart");
    assert!(
        page.body
            .contains("<th scope=\"row\">Seen in the catalogue</th><td>8</td><td>—</td>")
    );
    let csv = ada_browser
        .get(&format!("/courses/{course}/analytics.csv?table=funnel"))
        .await;
    csv.expect_status(StatusCode::OK);
    assert!(csv.body.starts_with("stage,label,people,"), "{}", csv.body);
    assert!(
        csv.body.contains("\nseen,Seen in the catalogue,8,,8,,0,"),
        "{}",
        csv.body
    );
    assert!(
        csv.body
            .contains("\nopened,Opened the course page,8,8,8,1.0000,0,"),
        "{}",
        csv.body
    );
    let bad = ada_browser
        .get(&format!("/courses/{course}/analytics?from=2026-13-01"))
        .await;
    bad.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.testid("analytics-error").contains("not a date"));
    let _ = ada;
}
story!(the_funnel_counts_every_stage_from_what_people_did);

async fn two_versions_are_compared_with_a_two_proportion_test(t: TestApp) {
    let (eng, _) = team(&t).await;
    let ada_browser = t.signed_in("ada@acme.test").await;
    let course = write_runbook(&ada_browser).await;
    let ada = t.caller("ada@acme.test").await;
    for i in 1..=15 {
        let id = t
            .person(&format!("q{i}@acme.test"), &format!("Q {i}"), false)
            .await;
        t.member(id, eng, "learner").await;
    }
    // Version 1: five reach step 1, four of them step 2.
    for i in 1..=5 {
        let reached = if i <= 4 { 2 } else { 1 };
        learn(&t, &format!("q{i}@acme.test"), course, reached, &[]).await;
    }
    // Version 2 explains step 1 better: nine of ten go on to step 2.
    t.app
        .add_step(
            &ada,
            course,
            lore_app::courses::authoring::StepInput {
                kind: "text",
                title: "A worked example",
                body: "Here is a page, step by step.",
                video_url: "",
                blob_hash: None,
                required: true,
            },
        )
        .await
        .expect("step");
    t.app
        .publish(&ada, course, "Clearer start")
        .await
        .expect("v2");
    for i in 6..=15 {
        let reached = if i <= 14 { 2 } else { 1 };
        learn(&t, &format!("q{i}@acme.test"), course, reached, &[]).await;
    }
    let api = t.api(&token_for(&t, "ada@acme.test").await);
    let c = api
        .send(
            Method::GET,
            &format!("/courses/{course}/funnel/compare?a=1&b=2"),
            None,
        )
        .await;
    c.expect_status(StatusCode::OK);
    let c = c.json();
    let k = keys(&t, course, 2).await;
    let stage = c["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .find(|s| s["key"] == format!("step:{}", k[1]))
        .expect("step 2")
        .clone();
    let test = &stage["test"];
    // By hand: 4 of 5 against 9 of 10; pooled 13/15; se = sqrt(13/15 × 2/15 × (1/5 + 1/10))
    // = 0.186190; difference 0.1; z = 0.537086; p = 2 × (1 − Φ(0.537086)) = 0.591208.
    assert_eq!(
        (test["successes_a"].as_u64(), test["total_a"].as_u64()),
        (Some(4), Some(5))
    );
    assert_eq!(
        (test["successes_b"].as_u64(), test["total_b"].as_u64()),
        (Some(9), Some(10))
    );
    let close = |v: &serde_json::Value, x: f64| (v.as_f64().expect("number") - x).abs() < 1e-5;
    assert!(close(&test["standard_error"], 0.186_190), "{test}");
    assert!(close(&test["difference"], 0.1), "{test}");
    assert!(close(&test["z"], 0.537_086), "{test}");
    assert!(close(&test["p_value"], 0.591_208), "{test}");
    // Each version counts its own people.
    assert_eq!(c["a"]["funnel"]["people"], 5);
    assert_eq!(c["b"]["funnel"]["people"], 10);
    // The page says it is within chance.
    let page = ada_browser
        .get(&format!("/courses/{course}/analytics?a=1&b=2"))
        .await;
    page.expect_status(StatusCode::OK);
    let table = &page.body[page
        .body
        .find("data-testid=\"compare-table\"")
        .expect("table")..];
    assert!(
        table.contains("4 of 5 (80.0 %)") && table.contains("9 of 10 (90.0 %)"),
        "{table}"
    );
    assert!(
        table.contains("+10.0 points") && table.contains("0.591"),
        "{table}"
    );
    api.send(
        Method::GET,
        &format!("/courses/{course}/funnel/compare?a=2&b=2"),
        None,
    )
    .await
    // A version compared with itself is a comparison with nothing to tell (decision 0037).
    .expect_status(StatusCode::OK);
    api.send(
        Method::GET,
        &format!("/courses/{course}/funnel/compare?a=2&b=99"),
        None,
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);
}
story!(two_versions_are_compared_with_a_two_proportion_test);

/// Random events, in random order of time, through the same `append_event` every use case
/// uses; the rollups kept on the way (the funnel's and the dashboards' activity) must equal
/// the ones computed again from the raw events.
async fn the_rollup_equals_a_recomputation_after_random_event_streams(t: TestApp) {
    let store = t.app.store();
    let start = t.app.now();
    let team = t.group(None, "Team").await;
    let mut people = Vec::new();
    for i in 1..=6 {
        let id = t
            .person(&format!("r{i}@acme.test"), &format!("R {i}"), false)
            .await;
        t.member(id, team, "learner").await;
        people.push(id);
    }
    let author = t.caller("r1@acme.test").await;
    let mut courses = Vec::new();
    for title in ["One", "Two", "Three", "Four"] {
        courses.push(t.published_course(&author, title).await);
    }
    // Enrolment rows, so that random completions have days to count (completion days).
    for i in 1..=6 {
        let learner = t.caller(&format!("r{i}@acme.test")).await;
        for &course in &courses[..3] {
            t.app.enrol(&learner, course).await.expect("enrol");
        }
    }
    for seed in 0..4u64 {
        let mut rng = StdRng::seed_from_u64(2026 + seed);
        let verbs = [
            "listed-courses",
            "viewed-course",
            "assigned",
            "enrolled",
            "started",
            "viewed-step",
            "completed-step",
            "completed-course",
            "submitted-attempt",
            "reacted",
        ];
        for _ in 0..300 {
            let verb = verbs[rng.random_range(0..verbs.len())];
            let c = rng.random_range(0..3usize);
            let course = courses[c];
            let version = rng.random_range(1..=2i32);
            let at = start + time::Duration::minutes(rng.random_range(-5000..5000));
            let data = match verb {
                "listed-courses" => Some(
                    serde_json::json!({ "courses": [[course, version], [courses[c + 1], 1]] })
                        .to_string(),
                ),
                "completed-step" => {
                    Some(serde_json::json!({ "seconds": rng.random_range(1..600) }).to_string())
                }
                "submitted-attempt" => Some(
                    serde_json::json!({ "score": 3, "max": 4, "passed": rng.random_bool(0.5) })
                        .to_string(),
                ),
                _ => None,
            };
            let e = NewEvent {
                user_id: people[rng.random_range(0..people.len())],
                verb,
                course_id: (verb != "listed-courses").then_some(course),
                version_number: (verb != "listed-courses").then_some(version),
                step_key: matches!(verb, "viewed-step" | "completed-step")
                    .then(|| format!("s{}", rng.random_range(1..=3))),
                data,
                ..NewEvent::default()
            };
            store.append_event(e, at).await.expect("append");
        }
        let kept = store.all_funnel_marks().await.expect("kept");
        assert!(kept.len() > 100, "seed {seed}: {} marks", kept.len());
        store.rebuild_funnel().await.expect("rebuild");
        let again = store.all_funnel_marks().await.expect("again");
        assert_eq!(kept, again, "seed {seed}");
        // The dashboards' activity rollup, kept by the same appends (decision 0027).
        let activity = store.activity_snapshot().await.expect("activity");
        assert!(
            activity.len() > 20,
            "seed {seed}: {} activity rows",
            activity.len()
        );
        assert!(
            activity
                .iter()
                .any(|l| l.starts_with("completion_course_days ")),
            "seed {seed}: completion days per course kept"
        );
        store.rebuild_activity().await.expect("rebuild activity");
        assert_eq!(
            activity,
            store.activity_snapshot().await.expect("again"),
            "seed {seed}"
        );
    }
}
story!(the_rollup_equals_a_recomputation_after_random_event_streams);

/// On the demo, every course with learners shows each stage of its funnel, and a course
/// revised since people took it compares its versions with people on both.
async fn the_demo_shows_a_funnel_for_every_course(t: TestApp) {
    use lore_app::funnels::FunnelQuery;
    let sign_ins = lore_app::demo::seed(&t.app).await.expect("seed");
    let admin = sign_ins
        .iter()
        .find(|s| s.role == "platform admin")
        .expect("admin");
    let admin = t.caller(&admin.email).await;
    let list = t
        .app
        .catalogue(&admin, &Default::default(), 1, 50)
        .await
        .expect("catalogue");
    let mut compared = 0;
    for c in &list.entries {
        let f = t
            .app
            .course_funnel(&admin, c.course_id, &FunnelQuery::default())
            .await
            .expect("funnel");
        let n = |key: &str| {
            f.funnel
                .rows
                .iter()
                .find(|r| r.key == key)
                .map_or(0, |r| r.people)
        };
        if n("enrolled") == 0 {
            continue;
        }
        assert!(n("seen") >= n("opened") && n("opened") > 0, "{f:?}");
        if let [b, a, ..] = f.versions[..] {
            let c = t
                .app
                .compare_versions(&admin, c.course_id, a, b, &FunnelQuery::default())
                .await
                .expect("compare");
            if c.a.funnel.people > 0 && c.b.funnel.people > 0 {
                compared += 1;
            }
        }
    }
    assert!(
        compared >= 1,
        "a demo course compares two versions with people on both"
    );
}
story!(the_demo_shows_a_funnel_for_every_course);
