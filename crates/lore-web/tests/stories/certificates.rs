//! Certificates end to end: awarded on completion, printed as a page and a PDF, verified by
//! its public link signed out; recertification assigned once when the window opens (two
//! servers sweeping), reminders once per interval, expiry into an overdue recertification;
//! the coaches' view and its CSV and JSON; bad input changes nothing.

use lore_app::Caller;
use reqwest::StatusCode;
use serde_json::json;
use time::Duration;

use crate::api::token_for;
use crate::story;
use crate::support::TestApp;

/// Acme > Engineering: Ada writes, Cora coaches, Bo, Di and Cy learn. Returns the course.
async fn fire_safety(t: &TestApp) -> i64 {
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    for (email, name, role) in [
        ("ada@acme.test", "Ada Author", "learner"),
        ("cora@acme.test", "Cora Coach", "coach"),
        ("bo@acme.test", "Bo Learner", "learner"),
        ("di@acme.test", "Di Learner", "learner"),
        ("cy@acme.test", "Cy Learner", "learner"),
    ] {
        let id = t.person(email, name, false).await;
        t.member(id, eng, role).await;
    }
    let ada = t.caller("ada@acme.test").await;
    t.published_course(&ada, "Fire safety").await
}

/// Cora turns certificates on through the course's settings page: a year, default reminders.
async fn award_for_a_year(t: &TestApp, course: i64) {
    let cora = t.signed_in("cora@acme.test").await;
    cora.get(&format!("/courses/{course}"))
        .await
        .expect_contains("data-testid=\"certificates-link\"");
    cora.get(&format!("/courses/{course}/certificates"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("90, 60, 30, 7");
    let saved = cora
        .post(
            &format!("/courses/{course}/certificates"),
            &[
                ("awards", "on"),
                ("validity_days", "365"),
                ("reminder_days", "90, 60, 30, 7"),
            ],
        )
        .await;
    saved.expect_status(StatusCode::SEE_OTHER);
}

async fn enrolment_of(t: &TestApp, who: &Caller, course: i64) -> lore_store::EnrolmentRow {
    t.app
        .store()
        .enrolment(who.id.0, course)
        .await
        .expect("enrolment")
        .expect("enrolled")
}

/// The learner takes and completes the one-step course through the app.
async fn complete(t: &TestApp, who: &Caller, course: i64) -> bool {
    t.app.enrol(who, course).await.expect("enrol");
    let version = enrolment_of(t, who, course).await.version_number;
    let v = t
        .app
        .store()
        .version(course, version)
        .await
        .expect("version")
        .expect("exists");
    let steps = t.app.store().steps_of(v.id).await.expect("steps");
    let mut completed = false;
    for s in steps {
        completed = t
            .app
            .complete_step(who, course, &s.step_key, 30)
            .await
            .expect("complete step");
    }
    completed
}

async fn all_events(t: &TestApp) -> usize {
    t.app
        .store()
        .events_after(0, 10_000)
        .await
        .expect("events")
        .len()
}

/// The person's events of a verb in the course.
async fn events_of(
    t: &TestApp,
    who: &Caller,
    course: i64,
    verb: &str,
) -> Vec<lore_store::EventRow> {
    t.app
        .store()
        .events_of(who.id.0, course)
        .await
        .expect("events")
        .into_iter()
        .filter(|e| e.verb == verb)
        .collect()
}

async fn notifications_titled(t: &TestApp, who: &Caller, start: &str) -> usize {
    t.app
        .notifications(who, 200)
        .await
        .expect("notifications")
        .iter()
        .filter(|n| n.title.starts_with(start))
        .count()
}

async fn a_certificate_is_awarded_printed_and_verified(t: TestApp) {
    let course = fire_safety(&t).await;
    award_for_a_year(&t, course).await;
    let bo = t.caller("bo@acme.test").await;
    assert!(complete(&t, &bo, course).await, "the course completes");

    // Awarded in the completion's unit of work: the row, the event, the notification.
    let mine = t.app.my_certificates(&bo).await.expect("mine");
    assert_eq!(mine.len(), 1);
    let cert = &mine[0];
    assert_eq!(cert.title, "Fire safety");
    assert_eq!(cert.holder_name, "Bo Learner");
    assert_eq!(cert.expires_at, Some(cert.awarded_at + Duration::days(365)));
    assert_eq!(
        events_of(&t, &bo, course, "certificate-awarded")
            .await
            .len(),
        1
    );
    assert_eq!(notifications_titled(&t, &bo, "Certificate earned").await, 1);

    // The list, the printable page and the PDF.
    let b = t.signed_in("bo@acme.test").await;
    b.get("/learning")
        .await
        .expect_contains("data-testid=\"my-certificates\"");
    b.get("/certificates")
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Fire safety")
        .expect_contains("valid until");
    let page = b.get(&format!("/certificates/{}", cert.id)).await;
    page.expect_status(StatusCode::OK)
        .expect_contains("Bo Learner")
        .expect_contains("Fire safety")
        .expect_contains(&format!("/verify/{}", cert.public_id));
    b.get("/assets/lore.css")
        .await
        .expect_contains("@media print");
    let pdf = b
        .get_bytes(&format!("/certificates/{}.pdf", cert.id), &[])
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.header("content-type"), "application/pdf");
    let text = pdf_extract::extract_text_from_mem(&pdf.bytes).expect("read the PDF back");
    assert!(text.contains("Bo Learner"), "{text}");
    assert!(text.contains("Fire safety"), "{text}");
    assert!(text.contains(&cert.public_id), "{text}");

    // Someone else cannot see it; Cora coaches the course and can.
    let cy = t.signed_in("cy@acme.test").await;
    cy.get(&format!("/certificates/{}", cert.id))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    cy.get_bytes(&format!("/certificates/{}.pdf", cert.id), &[])
        .await
        .status
        .eq(&StatusCode::NOT_FOUND)
        .then_some(())
        .expect("the PDF is not found for others");
    t.signed_in("cora@acme.test")
        .await
        .get(&format!("/certificates/{}", cert.id))
        .await
        .expect_status(StatusCode::OK);

    // The public link, signed out: name, title, date, valid; nothing else.
    let anyone = t.browser();
    let verified = anyone.get(&format!("/verify/{}", cert.public_id)).await;
    verified
        .expect_status(StatusCode::OK)
        .expect_contains("Bo Learner")
        .expect_contains("Fire safety")
        .expect_contains(">Valid<")
        .expect_lacks("bo@acme.test");
    let http = reqwest::Client::new();
    let api = http
        .get(format!(
            "{}/api/v1/certificates/verify/{}",
            t.base, cert.public_id
        ))
        .send()
        .await
        .expect("verify");
    assert_eq!(api.status(), StatusCode::OK);
    let body: serde_json::Value = api.json().await.expect("json");
    assert_eq!(body["status"], "valid");
    assert_eq!(body["holder_name"], "Bo Learner");
    assert!(body.get("email").is_none());

    // An unknown id: a clear 404, and nothing changes.
    let before = all_events(&t).await;
    for unknown in ["0".repeat(64), "not-an-id".to_owned()] {
        anyone
            .get(&format!("/verify/{unknown}"))
            .await
            .expect_status(StatusCode::NOT_FOUND)
            .expect_contains("No certificate has this link");
        let api = http
            .get(format!("{}/api/v1/certificates/verify/{unknown}", t.base))
            .send()
            .await
            .expect("verify");
        assert_eq!(api.status(), StatusCode::NOT_FOUND);
        let body: serde_json::Value = api.json().await.expect("json");
        assert_eq!(body["error"]["code"], "not_found");
    }
    let after = all_events(&t).await;
    assert_eq!(before, after);
    assert_eq!(t.app.my_certificates(&bo).await.expect("mine").len(), 1);

    // The API lists the caller's certificates.
    let api = t.api(&token_for(&t, "bo@acme.test").await);
    let list = api.get("/me/certificates").await;
    list.expect_status(StatusCode::OK);
    assert_eq!(list.json()[0]["title"], "Fire safety");
    assert_eq!(list.json()[0]["status"], "valid");
}
story!(a_certificate_is_awarded_printed_and_verified);

async fn recertification_comes_once_then_the_certificate_expires(t: TestApp) {
    let course = fire_safety(&t).await;
    award_for_a_year(&t, course).await;
    let bo = t.caller("bo@acme.test").await;
    assert!(complete(&t, &bo, course).await);
    let cert = t.app.my_certificates(&bo).await.expect("mine").remove(0);
    let expires_at = cert.expires_at.expect("expires");
    let second = t.second_server().await;
    let sweep_both = || async {
        let (a, b) = tokio::join!(t.app.sweep_certificates(), second.app.sweep_certificates());
        let (a, b) = (a.expect("sweep a"), b.expect("sweep b"));
        (
            a.recertifications + b.recertifications,
            a.reminders + b.reminders,
            a.expired + b.expired,
        )
    };

    // A day before the window opens: nothing.
    t.clock.advance(Duration::days(365 - 91));
    assert_eq!(sweep_both().await, (0, 0, 0));
    let e = enrolment_of(&t, &bo, course).await;
    assert!(e.completed_at.is_some());

    // The window opens (90 days before expiry): assigned again once, reminded once, even
    // with two servers sweeping at the same moment (and their workers running).
    t.clock.advance(Duration::days(1) + Duration::hours(1));
    let (recertified, reminded, expired) = sweep_both().await;
    assert!(recertified <= 1 && reminded <= 1 && expired == 0);
    t.run_jobs().await;
    second.run_jobs().await;
    assert_eq!(notifications_titled(&t, &bo, "Recertify").await, 1);
    assert_eq!(
        notifications_titled(&t, &bo, "Certificate expires in 90 days").await,
        1
    );
    let e = enrolment_of(&t, &bo, course).await;
    assert_eq!(e.completed_at, None, "the enrolment restarted");
    assert_eq!(e.last_step_key, None);
    assert_eq!(e.due_at, Some(expires_at));
    assert_eq!(e.source, lore_domain::course::EnrolmentSource::Assigned);
    let assigned = events_of(&t, &bo, course, "assigned").await;
    assert_eq!(assigned.len(), 1);
    let data: serde_json::Value =
        serde_json::from_str(assigned[0].data.as_deref().expect("data")).expect("json");
    assert_eq!(data["recertification"], true);
    assert!(data["previous"]["completed_at"].is_string());
    let learning = t.app.my_learning(&bo).await.expect("my learning");
    assert_eq!(learning.assigned.len(), 1);
    assert!(learning.completed.is_empty());
    // Still valid (about to expire) on the public page.
    t.browser()
        .get(&format!("/verify/{}", cert.public_id))
        .await
        .expect_contains(">Valid<");

    // 45 days before expiry: the 60-day reminder, once.
    t.clock.advance(Duration::days(45));
    sweep_both().await;
    sweep_both().await;
    assert_eq!(
        notifications_titled(&t, &bo, "Certificate expires in 60 days").await,
        1
    );
    assert_eq!(notifications_titled(&t, &bo, "Recertify").await, 1);

    // Past its validity: expired once; the link says so; the recertification is overdue.
    t.clock.advance(Duration::days(46));
    let (_, reminded, _) = sweep_both().await;
    assert_eq!(reminded, 0, "no reminder after expiry");
    t.run_jobs().await;
    second.run_jobs().await;
    assert_eq!(
        notifications_titled(&t, &bo, "Certificate expired").await,
        1
    );
    assert_eq!(
        events_of(&t, &bo, course, "certificate-expired")
            .await
            .len(),
        1
    );
    t.browser()
        .get(&format!("/verify/{}", cert.public_id))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains(">Expired<")
        .expect_lacks(">Valid<");
    let learning = t.app.my_learning(&bo).await.expect("my learning");
    assert_eq!(learning.assigned.len(), 1);
    assert!(learning.assigned[0].overdue);
    assert_eq!(learning.assigned[0].due_at, Some(expires_at));
    // The recertification is an assignment like a coach's: overdue on Bo's home.
    let assigned = t.app.my_assignments(&bo).await.expect("assignments");
    assert_eq!(assigned.len(), 1);
    assert_eq!(assigned[0].target_id, course);
    assert_eq!(assigned[0].status.as_str(), "overdue");

    // Completing it again awards a new certificate that replaces the old one.
    assert!(
        complete(&t, &bo, course).await,
        "the course completes again"
    );
    let mine = t.app.my_certificates(&bo).await.expect("mine");
    assert_eq!(mine.len(), 2);
    assert_eq!(mine[0].standing.as_str(), "valid");
    assert!(mine[1].replaced);
    let assigned = t.app.my_assignments(&bo).await.expect("assignments");
    assert!(
        assigned.iter().all(|a| a.status.as_str() == "done"),
        "the recertification is done"
    );
    assert_eq!(sweep_both().await, (0, 0, 0));
}
story!(recertification_comes_once_then_the_certificate_expires);

async fn coaches_see_who_holds_lacks_or_is_about_to_lose_it(t: TestApp) {
    let course = fire_safety(&t).await;
    award_for_a_year(&t, course).await;
    let bo = t.caller("bo@acme.test").await;
    let di = t.caller("di@acme.test").await;
    assert!(complete(&t, &bo, course).await);
    t.clock.advance(Duration::days(200));
    assert!(complete(&t, &di, course).await);
    // Day 300: Bo's is in its last 90 days, Di's is not; Cy has none.
    t.clock.advance(Duration::days(100));
    let cora = t.caller("cora@acme.test").await;
    let view = t
        .app
        .course_certificates(&cora, course)
        .await
        .expect("view");
    let names = |v: &[lore_app::certificates::HolderLine]| {
        v.iter().map(|h| h.name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(names(&view.valid), ["Di Learner"]);
    assert_eq!(names(&view.expiring), ["Bo Learner"]);
    assert!(view.expired.is_empty());
    let lacking: Vec<&str> = view.lacking.iter().map(|p| p.name.as_str()).collect();
    assert!(lacking.contains(&"Cy Learner"), "{lacking:?}");
    assert!(!lacking.contains(&"Bo Learner") && !lacking.contains(&"Di Learner"));

    // Day 366: Bo's has expired.
    t.clock.advance(Duration::days(66));
    let page = t
        .signed_in("cora@acme.test")
        .await
        .get(&format!("/courses/{course}/certificates"))
        .await;
    page.expect_status(StatusCode::OK);
    let block = |id: &str| {
        let start = page
            .body
            .find(&format!("data-testid=\"{id}\""))
            .unwrap_or_else(|| panic!("no {id} in {}", page.body));
        let rest = &page.body[start..];
        rest[..rest
            .find("</table>")
            .or(rest.find("</ul>"))
            .unwrap_or(rest.len())]
            .to_owned()
    };
    assert!(block("expired").contains("Bo Learner"));
    assert!(!block("expired").contains("Di Learner"));
    assert!(block("valid").contains("Di Learner"));
    assert!(block("lacking").contains("Cy Learner"));
    let csv = t
        .signed_in("cora@acme.test")
        .await
        .get_bytes(&format!("/courses/{course}/certificates.csv"), &[])
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let csv = String::from_utf8(csv.bytes).expect("utf-8");
    assert!(csv.starts_with("user_id,name,email,status"));
    assert!(csv.contains("Bo Learner,bo@acme.test,expired"), "{csv}");
    assert!(csv.contains("Di Learner,di@acme.test,valid"), "{csv}");
    assert!(csv.contains("Cy Learner,cy@acme.test,lacking"), "{csv}");

    // The same in JSON for coaches; a learner is refused.
    let api = t.api(&token_for(&t, "cora@acme.test").await);
    let json = api.get(&format!("/courses/{course}/certificates")).await;
    json.expect_status(StatusCode::OK);
    let json = json.json();
    assert_eq!(json["expired"][0]["email"], "bo@acme.test");
    assert_eq!(json["valid"][0]["email"], "di@acme.test");
    assert_eq!(json["rules"]["validity_days"], 365);
    assert_eq!(json["rules"]["reminder_days"], json!([90, 60, 30, 7]));
    let learner = t.api(&token_for(&t, "cy@acme.test").await);
    learner
        .get(&format!("/courses/{course}/certificates"))
        .await
        .expect_status(StatusCode::FORBIDDEN);
    t.signed_in("cy@acme.test")
        .await
        .get(&format!("/courses/{course}/certificates.csv"))
        .await
        .expect_status(StatusCode::FORBIDDEN);
}
story!(coaches_see_who_holds_lacks_or_is_about_to_lose_it);

async fn bad_certificate_rules_are_refused_and_change_nothing(t: TestApp) {
    let course = fire_safety(&t).await;
    award_for_a_year(&t, course).await;
    let cora = t.signed_in("cora@acme.test").await;
    cora.get(&format!("/courses/{course}/certificates")).await;
    for (validity, reminders, message) in [
        ("0", "90", "positive number of days"),
        ("-3", "", "positive number of days"),
        ("a year", "", "whole number of days"),
        ("365", "30, 0", "positive number of days"),
        ("365", "x", "whole number of days"),
        ("30", "90", "shorter than the validity"),
    ] {
        cora.post(
            &format!("/courses/{course}/certificates"),
            &[
                ("awards", "on"),
                ("validity_days", validity),
                ("reminder_days", reminders),
            ],
        )
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains(message)
        .expect_contains(&format!("value=\"{validity}\""));
    }
    let api = t.api(&token_for(&t, "cora@acme.test").await);
    let refused = api
        .send(
            reqwest::Method::PUT,
            &format!("/courses/{course}/certificates/rules"),
            Some(json!({"awards": true, "validity_days": 0})),
        )
        .await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"]["field"], "validity_days");
    let refused = api
        .send(
            reqwest::Method::PUT,
            &format!("/courses/{course}/certificates/rules"),
            Some(json!({"awards": true, "validity_days": 365, "reminder_days": [30, -1]})),
        )
        .await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"]["field"], "reminder_days");
    // Still what Cora saved first.
    let coach = t.caller("cora@acme.test").await;
    let (_, rules) = t
        .app
        .certificate_rules(&coach, course)
        .await
        .expect("rules");
    assert_eq!(rules.validity_days, Some(365));
    assert_eq!(rules.reminder_days, vec![90, 60, 30, 7]);
    // A learner may not change them.
    let learner = t.api(&token_for(&t, "bo@acme.test").await);
    learner
        .send(
            reqwest::Method::PUT,
            &format!("/courses/{course}/certificates/rules"),
            Some(json!({"awards": false})),
        )
        .await
        .expect_status(StatusCode::FORBIDDEN);
    // Through the API the coach can change them.
    let saved = api
        .send(
            reqwest::Method::PUT,
            &format!("/courses/{course}/certificates/rules"),
            Some(json!({"awards": true, "validity_days": 730, "reminder_days": [7, 30]})),
        )
        .await;
    saved.expect_status(StatusCode::OK);
    assert_eq!(saved.json()["reminder_days"], json!([30, 7]));
}
story!(bad_certificate_rules_are_refused_and_change_nothing);
