//! Reminders of due dates on the coach's rule: before the due date and while overdue, each
//! exactly once per person, rule and due date — with two servers sweeping at the same time
//! and after a restart — in the person's notifications and in the record; and the coaches'
//! weekly digest of people overdue in their groups.

use reqwest::StatusCode;

use crate::courses::{team, write_runbook};
use crate::recommendations::complete;
use crate::story;
use crate::support::TestApp;

/// How many notifications titled `title` the person has (each title shows once as the
/// notification's button).
async fn told(t: &TestApp, email: &str, title: &str) -> usize {
    t.signed_in(email)
        .await
        .get("/notifications")
        .await
        .body
        .matches(&format!("{title}</button>"))
        .count()
}

async fn overdue_people_are_reminded_once_per_rule_with_two_servers(mut t: TestApp) {
    let (eng, _) = team(&t).await;
    let cora = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(cora, eng, "coach").await;
    let ada = t.signed_in("ada@acme.test").await;
    let course = write_runbook(&ada).await;
    let coach = t.signed_in("cora@acme.test").await;
    coach.get(&format!("/assign?target=course:{course}")).await;
    coach
        .post(
            "/assign",
            &[
                ("target", &format!("course:{course}")),
                ("groups", &eng.to_string()),
                ("due_kind", "days"),
                ("due_days", "10"),
                ("remind_before", "3"),
                ("remind_overdue", "7"),
            ],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let other = t.second_server().await;
    let soon = "“On-call runbook” is due in 2 days";
    let late = "“On-call runbook” is overdue";

    // Four days before the due date: not yet.
    t.clock.advance(time::Duration::days(6));
    tokio::join!(t.run_jobs(), other.run_jobs());
    assert_eq!(
        told(&t, "bo@acme.test", "“On-call runbook” is due in 4 days").await,
        0
    );

    // Two days before: both servers sweep at once; Bo hears once.
    t.clock.advance(time::Duration::days(2));
    tokio::join!(t.run_jobs(), other.run_jobs());
    tokio::join!(t.run_jobs(), other.run_jobs());
    assert_eq!(told(&t, "bo@acme.test", soon).await, 1);
    // Ada finishes in time and hears nothing more.
    complete(&t, "ada@acme.test", course).await;

    // A day late: Bo is reminded once, also after a restart; Cora gets the week's digest.
    t.clock.advance(time::Duration::days(3));
    tokio::join!(t.run_jobs(), other.run_jobs());
    t.restart().await;
    t.run_jobs().await;
    other.run_jobs().await;
    assert_eq!(told(&t, "bo@acme.test", late).await, 1);
    assert_eq!(told(&t, "ada@acme.test", late).await, 0);
    assert_eq!(
        told(&t, "cora@acme.test", "1 person is overdue in your groups").await,
        1
    );
    let digest = t
        .signed_in("cora@acme.test")
        .await
        .get("/notifications")
        .await;
    digest.expect_contains("Bo Learner");

    // A week later, the rule's next overdue reminder, once.
    t.clock.advance(time::Duration::days(7));
    tokio::join!(t.run_jobs(), other.run_jobs());
    tokio::join!(t.run_jobs(), other.run_jobs());
    assert_eq!(told(&t, "bo@acme.test", late).await, 2);

    // Every reminder is in the record.
    let bo = t.caller("bo@acme.test").await;
    let reminded = t
        .app
        .store()
        .events_of(bo.id.0, course)
        .await
        .expect("events")
        .into_iter()
        .filter(|e| e.verb == "reminded")
        .count();
    assert_eq!(reminded, 3, "before, overdue, overdue again");
}
story!(overdue_people_are_reminded_once_per_rule_with_two_servers);
