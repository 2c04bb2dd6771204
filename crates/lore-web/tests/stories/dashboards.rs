//! Coach and group dashboards: learning written through the use cases over three weeks, then
//! every figure checked exactly (active learners per week, assignment completion and overdue
//! rates, median days to complete, evaluation pass rates), a drill-down listing exactly the
//! people behind a figure, the API giving the same numbers, the activity rollup equal to its
//! rebuild from the events, and bad input refused.

use lore_app::Caller;
use lore_app::assignments::{AssignRequest, Target};
use lore_app::courses::authoring::NewCourse;
use lore_app::evaluations::authoring::SettingsInput;
use lore_domain::assignment::Due;
use lore_domain::question::Answer;
use reqwest::StatusCode;
use serde_json::Value;
use time::Duration;

use crate::api::token_for;
use crate::story;
use crate::support::TestApp;

/// A published course of `author`'s: one step, and a final evaluation when `quiz`.
async fn course(t: &TestApp, author: &Caller, title: &str, quiz: bool) -> i64 {
    let id = t
        .app
        .create_course(
            author,
            NewCourse {
                title,
                group_id: None,
                first_step_title: "Read",
                first_step_body: "Know the product.",
            },
        )
        .await
        .expect("course");
    if quiz {
        t.app
            .add_question(author, id, None, &crate::attention::choice("Which one?"))
            .await
            .expect("question");
        t.app
            .save_evaluation_settings(author, id, &SettingsInput::default())
            .await
            .expect("settings");
    }
    t.app.publish(author, id, "").await.expect("publish");
    id
}

/// Enrol and open the player (learning actions of this week).
async fn start(t: &TestApp, who: &Caller, course: i64) {
    t.app.enrol(who, course).await.expect("enrol");
    t.app.player(who, course, Some(1)).await.expect("player");
}

/// Mark the course's one step done, which completes it.
async fn finish(t: &TestApp, who: &Caller, course: i64) {
    let key = t
        .app
        .player(who, course, Some(1))
        .await
        .expect("player")
        .steps[0]
        .step_key
        .clone();
    assert!(
        t.app
            .complete_step(who, course, &key, 60)
            .await
            .expect("complete"),
        "the course is complete"
    );
}

/// One attempt at the quiz, answered right (`pass`) or wrong.
async fn attempt(t: &TestApp, who: &Caller, course: i64, pass: bool) {
    let a = t.app.start_attempt(who, course).await.expect("attempt");
    let version = t
        .app
        .store()
        .version(course, 1)
        .await
        .expect("version")
        .expect("v1");
    for q in t
        .app
        .store()
        .questions_of(version.id)
        .await
        .expect("questions")
    {
        let pick = if pass { "a" } else { "b" };
        t.app
            .answer(
                who,
                a.id,
                &q.question_key,
                Answer::Choices(vec![pick.into()]),
            )
            .await
            .expect("answer");
    }
    t.app.submit_attempt(who, a.id).await.expect("submit");
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("a number: {v}"))
}

/// Acme ─┬─ Sales ── EMEA     Cleo coaches Sales; Ada and Cat are in Sales, Bob in EMEA;
///       └─ Engineering       Dan is in Engineering (and writes his own course). Rita
///                            administers the platform.
async fn coaches_see_their_groups_figures_and_who_is_behind_them(t: TestApp) {
    t.person("rita@acme.test", "Rita Root", true).await;
    let acme = t.group(None, "Acme").await;
    let sales = t.group(Some(acme), "Sales").await;
    let emea = t.group(Some(sales), "EMEA").await;
    let eng = t.group(Some(acme), "Engineering").await;
    for (email, name, group, role) in [
        ("cleo@acme.test", "Cleo Coach", sales, "coach"),
        ("ada@acme.test", "Ada Lovelace", sales, "learner"),
        ("cat@acme.test", "Cat Stevens", sales, "learner"),
        ("bob@acme.test", "Bob Builder", emea, "learner"),
        ("dan@acme.test", "Dan Dev", eng, "learner"),
    ] {
        let id = t.person(email, name, false).await;
        t.member(id, group, role).await;
    }
    let [cleo, ada, cat, bob, dan] = [
        "cleo@acme.test",
        "ada@acme.test",
        "cat@acme.test",
        "bob@acme.test",
        "dan@acme.test",
    ]
    .map(|e| t.caller(e));
    let (cleo, ada, cat, bob, dan) = (cleo.await, ada.await, cat.await, bob.await, dan.await);
    let product = course(&t, &cleo, "Know the product", false).await;
    let quiz = course(&t, &cleo, "Pricing quiz", true).await;
    let deploy = course(&t, &dan, "Deploying", false).await;

    // Week of 2 Nov (Monday 09:00): Sales is assigned the product course, due 10 Nov.
    let due = crate::support::start_time() + Duration::days(8);
    let assigned = t
        .app
        .assign_target(
            &cleo,
            AssignRequest {
                target: Target::Course(product),
                group_ids: vec![sales],
                emails: Vec::new(),
                due: Due::At(due),
                reminder_rule: None,
            },
        )
        .await
        .expect("assign");
    assert_eq!(assigned.people_reached, 4, "Cleo, Ada, Cat and Bob");
    start(&t, &ada, product).await;
    start(&t, &bob, product).await;
    start(&t, &dan, deploy).await;
    t.clock.advance(Duration::days(3));
    finish(&t, &ada, product).await; // 3 days
    // Week of 9 Nov.
    t.clock.advance(Duration::days(7));
    finish(&t, &bob, product).await; // 10 days
    start(&t, &cat, product).await;
    t.clock.advance(Duration::days(1));
    start(&t, &cat, quiz).await;
    attempt(&t, &cat, quiz, true).await;
    start(&t, &ada, quiz).await;
    attempt(&t, &ada, quiz, false).await;
    t.clock.advance(Duration::days(2));
    finish(&t, &cat, product).await; // 13 days: enrolled by the assignment on 2 Nov
    // Week of 16 Nov: only Dan, in Engineering.
    t.clock.advance(Duration::days(5));
    finish(&t, &dan, deploy).await; // 18 days

    // The rollup the events kept equals a recomputation from the events.
    let kept = t.app.store().activity_snapshot().await.expect("snapshot");
    t.app.store().rebuild_activity().await.expect("rebuild");
    let rebuilt = t.app.store().activity_snapshot().await.expect("snapshot");
    assert_eq!(kept, rebuilt, "the rollup equals its rebuild");
    assert!(!kept.is_empty());

    // Cleo's dashboard of Sales (EMEA included), the default twelve weeks up to today.
    let b = t.signed_in("cleo@acme.test").await;
    let page = b.get(&format!("/dashboard?group={sales}")).await;
    page.expect_status(StatusCode::OK)
        .expect_contains("Dashboard: Acme/Sales")
        .expect_contains("<figure class=\"chart\"");
    assert_eq!(page.testid("week-2026-11-02"), "2");
    assert_eq!(page.testid("week-2026-11-09"), "3");
    assert_eq!(page.testid("week-2026-11-16"), "0");
    assert_eq!(page.testid("completions"), "3");
    assert_eq!(page.testid("median-days"), "10");

    let api = t.api(&token_for(&t, "cleo@acme.test").await);
    let d = api.get(&format!("/dashboard?group={sales}")).await.json();
    assert_eq!(d["group"], "Acme/Sales");
    let weeks = d["active_per_week"].as_array().expect("weeks");
    assert_eq!(weeks.len(), 12);
    let active = |w: &str| {
        weeks
            .iter()
            .find(|x| x["week"] == w)
            .map(|x| num(&x["active"]))
            .expect("week")
    };
    assert_eq!(active("2026-11-02"), 2.0);
    assert_eq!(active("2026-11-09"), 3.0);
    assert_eq!(active("2026-11-16"), 0.0);
    assert_eq!(num(&d["completions"]), 3.0);
    assert_eq!(num(&d["median_days"]), 10.0, "3, 10 and 13 days");
    let a = &d["assignments"][0];
    assert_eq!(a["title"], "Know the product");
    assert_eq!(
        (num(&a["assigned"]), num(&a["done"]), num(&a["overdue"])),
        (4.0, 3.0, 1.0)
    );
    assert_eq!(num(&a["completion_rate"]), 0.75);
    assert_eq!(num(&a["overdue_rate"]), 0.25);
    let courses = d["courses"].as_array().expect("courses");
    assert_eq!(courses[0]["course_id"], product);
    assert_eq!(num(&courses[0]["completions"]), 3.0);
    assert_eq!(num(&courses[0]["median_days"]), 10.0);
    assert_eq!(courses[1]["course_id"], quiz);
    assert_eq!(
        (num(&courses[1]["submitted"]), num(&courses[1]["passed"])),
        (2.0, 1.0)
    );
    assert_eq!(num(&courses[1]["pass_rate"]), 0.5);
    assert_eq!(num(&d["courses_of_group"]), 2.0);

    // Drill-downs: exactly the people behind a figure, on the page and in the API.
    let week = b
        .get(&format!("/dashboard/week?group={sales}&week=2026-11-09"))
        .await;
    week.expect_status(StatusCode::OK)
        .expect_contains("Ada Lovelace")
        .expect_contains("Bob Builder")
        .expect_contains("Cat Stevens")
        .expect_lacks("Dan Dev");
    assert_eq!(week.testid("total"), "3");
    let overdue = api
        .get(&format!(
            "/dashboard/assignments/{}/people?group={sales}&status=overdue",
            num(&a["assignment_id"])
        ))
        .await
        .json();
    assert_eq!(num(&overdue["total"]), 1.0);
    assert_eq!(overdue["rows"][0]["name"], "Cleo Coach");
    assert_eq!(overdue["rows"][0]["at"], "2026-11-10T09:00:00Z");
    let done = api
        .get(&format!(
            "/dashboard/courses/{product}/completions?group={sales}"
        ))
        .await
        .json();
    let people: Vec<(&str, f64)> = done["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| (r["name"].as_str().unwrap_or(""), num(&r["number"])))
        .collect();
    assert_eq!(
        people,
        vec![
            ("Ada Lovelace", 3.0),
            ("Bob Builder", 10.0),
            ("Cat Stevens", 13.0)
        ]
    );
    let failed = api
        .get(&format!(
            "/dashboard/courses/{quiz}/attempts?group={sales}&outcome=failed"
        ))
        .await
        .json();
    assert_eq!(num(&failed["total"]), 1.0);
    assert_eq!(failed["rows"][0]["name"], "Ada Lovelace");
    let csv = b
        .get(&format!(
            "/dashboard/week.csv?group={sales}&week=2026-11-09"
        ))
        .await;
    assert_eq!(csv.body.lines().count(), 4, "a header and three people");

    // The platform administrator's view of the whole of Acme counts Dan too.
    let rita = t.api(&token_for(&t, "rita@acme.test").await);
    let all = rita.get(&format!("/dashboard?group={acme}")).await.json();
    assert_eq!(num(&all["completions"]), 4.0);
    assert_eq!(num(&all["median_days"]), 11.5, "3, 10, 13 and 18 days");

    // Bad input changes nothing and says what is wrong.
    // A range typed backwards is the same days; one over ten years keeps its last ten.
    let backwards = api
        .get(&format!(
            "/dashboard?group={sales}&from=2026-11-20&to=2026-11-01"
        ))
        .await;
    backwards.expect_status(StatusCode::OK);
    assert_eq!(backwards.json()["from"], "2026-11-01");
    assert_eq!(backwards.json()["to"], "2026-11-20");
    let long = api
        .get(&format!(
            "/dashboard?group={sales}&from=2010-01-01&to=2026-11-01"
        ))
        .await;
    long.expect_status(StatusCode::OK);
    assert_eq!(long.json()["from"], "2016-10-31");
    api.get(&format!("/dashboard?group={sales}&from=2026-13-01"))
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    api.get("/dashboard?group=sales")
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    api.get(&format!("/dashboard?group={eng}"))
        .await
        .expect_status(StatusCode::FORBIDDEN);
    b.get(&format!("/dashboard?group={eng}"))
        .await
        .expect_status(StatusCode::FORBIDDEN)
        .expect_lacks("Dan Dev");
    b.get(&format!("/dashboard?group={sales}&from=2026-11-31"))
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("YYYY-MM-DD");
    let learner = t.api(&token_for(&t, "ada@acme.test").await);
    learner
        .get(&format!("/dashboard?group={sales}"))
        .await
        .expect_status(StatusCode::FORBIDDEN);
}

story!(coaches_see_their_groups_figures_and_who_is_behind_them);

/// The small demo gives every chart and table of a coach's dashboard something real.
async fn the_demo_fills_every_chart_of_a_coachs_dashboard(t: TestApp) {
    lore_app::demo::seed(&t.app).await.expect("demo");
    let coach = t
        .caller(&format!("lukas.becker@{}", lore_app::demo::DOMAIN))
        .await;
    let d = t
        .app
        .dashboard(&coach, &lore_app::dashboards::InsightQuery::default())
        .await
        .expect("dashboard");
    let active_weeks = d.active_per_week.iter().filter(|w| w.active > 0).count();
    assert!(
        active_weeks >= 3,
        "activity over several weeks: {active_weeks}"
    );
    assert!(
        d.assignments.iter().any(|a| a.assigned > 0),
        "assignments: {:?}",
        d.assignments
    );
    assert!(d.completions > 0 && d.median_days.is_some(), "completions");
    assert!(
        d.courses.iter().any(|c| c.submitted > 0),
        "pass rates: {:?}",
        d.courses
    );
    assert!(!d.healthiest.is_empty() && !d.weakest.is_empty(), "health");
    // And the rollup the demo's events kept equals its rebuild.
    let kept = t.app.store().activity_snapshot().await.expect("snapshot");
    t.app.store().rebuild_activity().await.expect("rebuild");
    let rebuilt = t.app.store().activity_snapshot().await.expect("snapshot");
    assert_eq!(kept.len(), rebuilt.len());
    assert!(kept == rebuilt, "the demo's rollup equals its rebuild");
}

story!(the_demo_fills_every_chart_of_a_coachs_dashboard);
