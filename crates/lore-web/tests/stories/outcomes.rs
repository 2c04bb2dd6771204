//! Business outcomes: a Sales coach defines "Deals closed per month", links the objections
//! course, imports values (a file with bad rows first, which changes nothing), and reads the
//! report on the page and in the API with the same numbers, checked against hand-computed
//! ones; figures stay hidden until each side has five people; a coach of another group is
//! refused.

use lore_app::Caller;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::api::token_for;
use crate::story;
use crate::support::TestApp;

/// The completers finish the course on 15 August 2026; values come in November.
pub(crate) fn completion_day() -> time::OffsetDateTime {
    time::macros::datetime!(2026-08-15 10:00 UTC)
}

const COMPLETERS: [&str; 5] = ["c1", "c2", "c3", "c4", "c5"];
const OTHERS: [&str; 5] = ["o1", "o2", "o3", "o4", "o5"];

/// Completers' values: (July, September, October). August, the month they completed in, is
/// left out of before/after; none is given here.
///   person means 4, 5, 6, 3, 7;  before 2, 3, 3, 2, 4;  after 5, 6, 7.5, 3.5, 8.5.
const COMPLETED_VALUES: [[f64; 3]; 5] = [
    [2.0, 5.0, 5.0],
    [3.0, 6.0, 6.0],
    [3.0, 7.0, 8.0],
    [2.0, 3.0, 4.0],
    [4.0, 8.0, 9.0],
];
/// Others' values, person means 2, 3, 2, 4, 4.
const OTHER_VALUES: [[f64; 3]; 5] = [
    [2.0, 2.0, 2.0],
    [3.0, 3.0, 3.0],
    [1.0, 2.0, 3.0],
    [4.0, 4.0, 4.0],
    [3.0, 4.0, 5.0],
];
const MONTHS: [&str; 3] = ["2026-07", "2026-09", "2026-10"];

fn email(local: &str) -> String {
    format!("{local}@acme.test")
}

struct Team {
    sales: i64,
    course: i64,
}

/// Acme with Sales (coach Cora, ten learners) and Engineering (coach Eddie, learner Zed).
/// Five of the Sales learners complete Cora's course on the first day of the story.
async fn team(t: &TestApp) -> Team {
    let acme = t.group(None, "Acme").await;
    let sales = t.group(Some(acme), "Sales").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let cora = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(cora, sales, "coach").await;
    let eddie = t.person("eddie@acme.test", "Eddie Coach", false).await;
    t.member(eddie, eng, "coach").await;
    let zed = t.person("zed@acme.test", "Zed Engineer", false).await;
    t.member(zed, eng, "learner").await;
    for local in COMPLETERS.iter().chain(&OTHERS) {
        let id = t.person(&email(local), &local.to_uppercase(), false).await;
        t.member(id, sales, "learner").await;
    }
    let course = t
        .published_course(&t.caller("cora@acme.test").await, "Handling objections")
        .await;
    for local in COMPLETERS {
        complete(t, &t.caller(&email(local)).await, course).await;
    }
    Team { sales, course }
}

/// The learner enrols and completes every step of the course through the app.
async fn complete(t: &TestApp, who: &Caller, course: i64) {
    t.app.enrol(who, course).await.expect("enrol");
    let version = t
        .app
        .store()
        .version(course, 1)
        .await
        .expect("version")
        .expect("published");
    for s in t.app.store().steps_of(version.id).await.expect("steps") {
        t.app
            .complete_step(who, course, &s.step_key, 30)
            .await
            .expect("complete step");
    }
}

fn csv_of(people: &[&str], values: &[[f64; 3]]) -> String {
    let mut out = String::from("email,period,value\n");
    for (local, row) in people.iter().zip(values) {
        for (month, v) in MONTHS.iter().zip(row) {
            out.push_str(&format!("{},{month},{v}\n", email(local)));
        }
    }
    out
}

fn close(actual: &serde_json::Value, expected: f64, what: &str) {
    let a = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{what} is {actual}"));
    assert!(
        (a - expected).abs() < 5e-4,
        "{what}: {a} is not {expected} to 3 decimals"
    );
}

async fn the_report_compares_completers_with_the_others(t: TestApp) {
    let team = team(&t).await;
    t.clock.advance(time::Duration::days(80)); // 3 November 2026
    let cora = t.signed_in("cora@acme.test").await;

    // Cora defines the metric for Sales and links her course.
    cora.get("/outcomes").await.expect_status(StatusCode::OK);
    let created = cora
        .post(
            "/outcomes",
            &[
                ("group_id", &team.sales.to_string()),
                ("name", "Deals closed per month"),
                ("unit", "deals"),
                ("description", "From the CRM, closed-won only."),
                ("period_kind", "month"),
                ("higher_is_better", "on"),
                ("min_group_size", ""),
            ],
        )
        .await;
    created.expect_status(StatusCode::SEE_OTHER);
    let at = created.location();
    let id: i64 = at
        .trim_start_matches("/outcomes/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("the metric's id");
    let page = format!("/outcomes/{id}");
    cora.get(&page).await.expect_status(StatusCode::OK);
    cora.post(
        &format!("{page}/links"),
        &[("target", &format!("course:{}", team.course))],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);

    // A file with bad rows imports nothing and lists every one with its line.
    let bad = "email,period,value\n\
        c1@acme.test,2026-07,2\n\
        nobody@acme.test,2026-07,3\n\
        c1@acme.test,2026-07,5\n\
        c2@acme.test,2026-07,three\n\
        c3@acme.test,2026-13,3\n\
        zed@acme.test,2026-07,1\n\
        c4@acme.test,2026-12,1\n";
    cora.get(&page).await;
    let refused = cora
        .post_multipart(
            &format!("{page}/values"),
            &[],
            Some(("deals.csv", "text/csv", bad.as_bytes().to_vec())),
        )
        .await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    refused.expect_contains("6 rows have problems, so nothing was imported");
    for (line, reason) in [
        (3, "Nobody has the address nobody@acme.test"),
        (4, "already on line 2"),
        (5, "three&#34; is not a number"),
        (6, "is not a month like 2026-11"),
        (7, "zed@acme.test is not in Acme/Sales"),
        (8, "has not begun yet"),
    ] {
        refused.expect_contains(&format!("<td>{line}</td><td>"));
        refused.expect_contains(reason);
    }
    let cora_api = t.api(&token_for(&t, "cora@acme.test").await);
    let listed = cora_api.get("/outcomes").await;
    listed.expect_status(StatusCode::OK);
    assert_eq!(listed.json()[0]["values"], 0, "nothing was imported");

    // The completers' values, as a file on the page.
    cora.get(&page).await;
    let imported = cora
        .post_multipart(
            &format!("{page}/values"),
            &[],
            Some((
                "deals.csv",
                "text/csv",
                csv_of(&COMPLETERS, &COMPLETED_VALUES).into_bytes(),
            )),
        )
        .await;
    imported.expect_status(StatusCode::OK);
    imported.expect_contains("15 values for 5 people");

    // Nobody who did not complete has values yet: the comparison is hidden, on the page
    // and in the API; before/after rests on five people and shows.
    let report = cora.get(&page).await;
    report.expect_status(StatusCode::OK);
    assert!(
        report
            .testid("comparison-hidden")
            .contains("fewer than 5 people on a side (5 completed, 0 did not)")
    );
    report.expect_lacks("data-testid=\"mean-completed\"");
    let api = cora_api.get(&format!("/outcomes/{id}")).await;
    api.expect_status(StatusCode::OK);
    let r = api.json();
    assert!(r["comparison"]["mean_a"].is_null());
    assert!(r["comparison"]["difference"].is_null());
    assert!(
        r["comparison"]["hidden_reason"]
            .as_str()
            .expect("a reason")
            .contains("fewer than 5")
    );
    assert!(r["periods"][0]["mean_not_completed"].is_null());

    // The others' values through the JSON API.
    let entries: Vec<serde_json::Value> = OTHERS
        .iter()
        .zip(&OTHER_VALUES)
        .flat_map(|(local, row)| {
            MONTHS
                .iter()
                .zip(row)
                .map(|(m, v)| json!({"email": email(local), "period": m, "value": v}))
                .collect::<Vec<_>>()
        })
        .collect();
    let sent = cora_api
        .send(
            Method::POST,
            &format!("/outcomes/{id}/values"),
            Some(json!({ "values": entries })),
        )
        .await;
    sent.expect_status(StatusCode::OK);
    assert_eq!(sent.json()["values"], 15);
    assert_eq!(sent.json()["people"], 5);

    // A value stored already is a bad row unless replacing; replacing writes it again.
    let again = "email,period,value\nc1@acme.test,2026-07,2\n";
    let stored = cora_api
        .send_raw(
            Method::POST,
            &format!("/outcomes/{id}/values"),
            "text/csv",
            again.as_bytes().to_vec(),
        )
        .await;
    stored.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stored.json()["error"]["code"], "import_rejected");
    assert_eq!(stored.json()["error"]["rows"][0]["line"], 2);
    let replaced = cora_api
        .send_raw(
            Method::POST,
            &format!("/outcomes/{id}/values?replace=true"),
            "text/csv",
            again.as_bytes().to_vec(),
        )
        .await;
    replaced.expect_status(StatusCode::OK);
    assert_eq!(replaced.json()["replaced"], 1);

    // The report. Completers' person means 4, 5, 6, 3, 7: mean 5, variance 2.5; the others'
    // 2, 3, 2, 4, 4: mean 3, variance 1. Welch: SE² = 2.5/5 + 1/5 = 0.7, SE = 0.836660;
    // df = 0.7² / (0.5²/4 + 0.2²/4) = 0.49 / 0.0725 = 6.758621; t(0.975, 6.758621) =
    // 2.381852; difference 2, CI 2 ± 1.992800 = 0.007 to 3.993.
    let report = cora.get(&page).await;
    assert_eq!(report.testid("mean-completed"), "5");
    assert_eq!(report.testid("mean-others"), "3");
    assert!(report.testid("difference").starts_with('2'));
    assert_eq!(report.testid("ci"), "0.01 to 3.99");
    report.expect_contains("correlation, not proof");
    report.expect_contains("<figure class=\"chart\"");
    // Before/after, one pair per completer: after − before = 3, 3, 4.5, 1.5, 4.5, mean 3.3,
    // variance 6.3/4 = 1.575, SE = √(1.575/5) = 0.561249, df 4, t = 2.776445:
    // CI 3.3 ± 1.558276 = 1.742 to 4.858.
    report.expect_contains("<td>5</td><td>2.8</td><td>6.1</td><td>3.3</td><td>1.74 to 4.86</td>");

    let r = cora_api.get(&format!("/outcomes/{id}")).await.json();
    assert_eq!(r["people_completed"], 5);
    assert_eq!(r["people_not_completed"], 5);
    let c = &r["comparison"];
    assert!(c["hidden_reason"].is_null());
    close(&c["mean_a"], 5.0, "mean of completers");
    close(&c["mean_b"], 3.0, "mean of the others");
    close(&c["difference"], 2.0, "difference");
    close(&c["standard_error"], 0.836660, "standard error");
    close(&c["degrees_of_freedom"], 6.758621, "degrees of freedom");
    close(&c["t_critical"], 2.381852, "t");
    close(&c["low"], 0.007, "low");
    close(&c["high"], 3.993, "high");
    let ba = &r["before_after"];
    assert_eq!(r["people_before_after"], 5);
    close(&ba["mean_a"], 6.1, "mean after");
    close(&ba["mean_b"], 2.8, "mean before");
    close(&ba["difference"], 3.3, "after − before");
    close(&ba["low"], 1.742, "low");
    close(&ba["high"], 4.858, "high");
    // Per month: completers 2.8, 5.8, 6.4; the others 2.6, 3, 3.4.
    let periods: Vec<(String, f64, f64)> = r["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .map(|p| {
            (
                p["period"].as_str().expect("period").to_owned(),
                p["mean_completed"].as_f64().expect("shown"),
                p["mean_not_completed"].as_f64().expect("shown"),
            )
        })
        .collect();
    assert_eq!(periods.len(), 3);
    for ((label, c, o), (want_label, want_c, want_o)) in periods.iter().zip([
        ("2026-07", 2.8, 2.6),
        ("2026-09", 5.8, 3.0),
        ("2026-10", 6.4, 3.4),
    ]) {
        assert_eq!(label, want_label);
        assert!(
            (c - want_c).abs() < 1e-9 && (o - want_o).abs() < 1e-9,
            "{label}"
        );
    }
    assert!(
        r["sentences"]
            .as_array()
            .expect("sentences")
            .last()
            .and_then(|s| s.as_str())
            .expect("a sentence")
            .contains("correlation, not proof")
    );

    // The table beneath the chart, as CSV.
    let csv = cora.get_bytes(&format!("{page}/periods.csv"), &[]).await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = String::from_utf8(csv.bytes).expect("utf-8");
    assert!(text.contains("2026-07,5,2.8,5,2.6"), "{text}");

    // Links have their API twin.
    let unlinked = cora_api
        .send(
            Method::DELETE,
            &format!("/outcomes/{id}/links/course/{}", team.course),
            None,
        )
        .await;
    unlinked.expect_status(StatusCode::OK);
    assert_eq!(unlinked.json(), json!([]));
    let r = cora_api.get(&format!("/outcomes/{id}")).await.json();
    assert_eq!(r["people_completed"], 0, "nothing linked: nobody completed");
    let linked = cora_api
        .send(
            Method::POST,
            &format!("/outcomes/{id}/links"),
            Some(json!({"target": format!("course:{}", team.course)})),
        )
        .await;
    linked.expect_status(StatusCode::OK);
    assert_eq!(linked.json()[0]["title"], "Handling objections");
    let twice = cora_api
        .send(
            Method::POST,
            &format!("/outcomes/{id}/links"),
            Some(json!({"target": format!("course:{}", team.course)})),
        )
        .await;
    // Linking again conflicts with the link there is (decision 0037).
    twice.expect_status(StatusCode::CONFLICT);
    assert_eq!(twice.json()["error"]["code"], "already_linked");
}
story!(
    the_report_compares_completers_with_the_others,
    starts = super::completion_day()
);

async fn a_coach_of_another_group_is_refused(t: TestApp) {
    let team = team(&t).await;
    t.clock.advance(time::Duration::days(80));
    let cora = t.api(&token_for(&t, "cora@acme.test").await);
    let made = cora
        .send(
            Method::POST,
            "/outcomes",
            Some(json!({
                "group_id": team.sales, "name": "Deals closed per month", "unit": "deals",
                "period_kind": "month", "higher_is_better": true
            })),
        )
        .await;
    made.expect_status(StatusCode::CREATED);
    let id = made.json()["id"].as_i64().expect("id");

    // Eddie coaches Engineering, not Sales.
    let eddie = t.signed_in("eddie@acme.test").await;
    eddie.get("/outcomes").await.expect_status(StatusCode::OK);
    eddie
        .post(
            "/outcomes",
            &[
                ("group_id", &team.sales.to_string()),
                ("name", "Tickets"),
                ("unit", "tickets"),
                ("period_kind", "week"),
            ],
        )
        .await
        .expect_status(StatusCode::FORBIDDEN);
    eddie
        .get(&format!("/outcomes/{id}"))
        .await
        .expect_status(StatusCode::FORBIDDEN);
    let eddie_api = t.api(&token_for(&t, "eddie@acme.test").await);
    let refused = eddie_api.get(&format!("/outcomes/{id}")).await;
    refused.expect_status(StatusCode::FORBIDDEN);
    assert_eq!(refused.json()["error"]["code"], "forbidden");
    eddie_api
        .send_raw(
            Method::POST,
            &format!("/outcomes/{id}/values"),
            "text/csv",
            b"email,period,value\nc1@acme.test,2026-07,1\n".to_vec(),
        )
        .await
        .expect_status(StatusCode::FORBIDDEN);
    assert_eq!(eddie_api.get("/outcomes").await.json(), json!([]));

    // Text where a number belongs in JSON is a bad row with its place, not a failed call.
    let bad = cora
        .send(
            Method::POST,
            &format!("/outcomes/{id}/values"),
            Some(json!({"values": [
                {"email": "c1@acme.test", "period": "2026-07", "value": 2},
                {"email": "c2@acme.test", "period": "2026-07", "value": "lots"},
                {"email": "c3@acme.test", "period": "2026-07", "value": null},
            ]})),
        )
        .await;
    bad.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let rows = &bad.json()["error"]["rows"];
    assert_eq!(rows[0]["line"], 2);
    assert_eq!(rows[1]["line"], 3);
    assert_eq!(cora.get("/outcomes").await.json()[0]["values"], 0);

    // A minimum group size below five is refused.
    let small = cora
        .send(
            Method::POST,
            "/outcomes",
            Some(json!({
                "group_id": team.sales, "name": "X", "unit": "x",
                "period_kind": "month", "higher_is_better": true, "min_group_size": 2
            })),
        )
        .await;
    small.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(small.json()["error"]["field"], "min_group_size");
}
story!(
    a_coach_of_another_group_is_refused,
    starts = super::completion_day()
);

/// The Sales team with Cora's metric, her course linked and everyone's values imported
/// through the app, the clock in November; the metric's id.
pub(crate) async fn metric_with_values(t: &TestApp) -> i64 {
    let team = team(t).await;
    t.clock.advance(time::Duration::days(80));
    let cora = t.caller("cora@acme.test").await;
    let draft = lore_domain::outcome::MetricDraft::parse(
        "Deals closed per month",
        "deals",
        "",
        "month",
        true,
        None,
    )
    .expect("draft");
    let metric = t
        .app
        .create_outcome_metric(&cora, team.sales, draft)
        .await
        .expect("metric");
    t.app
        .link_outcome(
            &cora,
            metric.id,
            lore_domain::path::ItemRef::course(team.course),
        )
        .await
        .expect("link");
    for (people, values) in [(&COMPLETERS, &COMPLETED_VALUES), (&OTHERS, &OTHER_VALUES)] {
        let csv = csv_of(people, values);
        t.app
            .import_outcome_values(
                &cora,
                metric.id,
                lore_app::outcomes::ValuesInput::Csv(csv.as_bytes()),
                false,
            )
            .await
            .expect("import");
    }
    metric.id
}
