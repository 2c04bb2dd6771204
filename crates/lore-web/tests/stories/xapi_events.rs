//! Lore's own events are statements in the learning record store: a learner's course, its
//! steps and its evaluation show up at `/xapi/` with standard verbs, found by the learner as
//! agent, by the course as activity (with its steps as related), and by registration; the
//! worker writes each event once however often it runs.

use reqwest::StatusCode;
use serde_json::Value;

use crate::attention::choice;
use crate::story;
use crate::support::TestApp;
use crate::xapi_harness::{client, encode, query};

fn verbs(statements: &[Value]) -> Vec<String> {
    let mut v: Vec<String> = statements
        .iter()
        .map(|s| {
            s["verb"]["id"]
                .as_str()
                .and_then(|id| id.rsplit('/').next())
                .unwrap_or("?")
                .to_owned()
        })
        .collect();
    v.sort();
    v
}

/// Run the worker until the learner's `count` statements are in the store. On PostgreSQL the
/// worker writes an event only once every older transaction in the whole server has ended, and
/// other stories run at the same time, so a moment may pass before this story's events are
/// settled; on SQLite the first run writes them all.
async fn settled(t: &TestApp, lrs: &crate::xapi_harness::Lrs, account: &str, count: usize) {
    let mut seen = 0;
    for _ in 0..200 {
        t.run_jobs().await;
        let (all, _) = lrs.all("/statements").await;
        seen = all
            .iter()
            .filter(|s| s["actor"]["account"]["name"] == account)
            .count();
        if seen >= count {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{seen} of the learner's {count} statements after 20 s");
}

async fn learning_events_are_statements_in_the_record_store(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, acme, "author").await;
    let lea = t.person("lea@acme.test", "Lea Learner", false).await;
    t.member(lea, acme, "learner").await;
    let author = t.caller("ada@acme.test").await;
    let learner = t.caller("lea@acme.test").await;
    let course =
        crate::attention::course(&t, &author, "Key rotation", &[choice("How often?")]).await;
    t.app.enrol(&learner, course).await.expect("enrol");
    let step = t.app.draft(&author, course).await.expect("draft").steps[0]
        .step_key
        .clone();
    t.app
        .complete_step(&learner, course, &step, 40)
        .await
        .expect("complete");
    let attempt = t
        .app
        .start_attempt(&learner, course)
        .await
        .expect("attempt");
    let v = t
        .app
        .store()
        .version(course, 1)
        .await
        .expect("v")
        .expect("v1");
    for q in t.app.store().questions_of(v.id).await.expect("questions") {
        t.app
            .answer(
                &learner,
                attempt.id,
                &q.question_key,
                lore_domain::question::Answer::Choices(vec!["a".into()]),
            )
            .await
            .expect("answer");
    }
    t.app
        .submit_attempt(&learner, attempt.id)
        .await
        .expect("submit");
    t.run_jobs().await;

    let lrs = client(&t, &["statements/read"], "1.0.3").await;
    // Making the client made its administrator's account: an event too.
    settled(&t, &lrs, &lea.to_string(), 7).await;
    let course_iri = {
        let (published, _) = lrs
            .all(&query(&[("verb", "http://adlnet.gov/expapi/verbs/shared")]))
            .await;
        assert_eq!(published.len(), 1, "the course was published once");
        assert_eq!(published[0]["actor"]["name"], "Ada Author");
        assert_eq!(published[0]["authority"]["name"], "Lore");
        published[0]["object"]["id"]
            .as_str()
            .expect("iri")
            .to_owned()
    };
    assert!(
        course_iri.ends_with(&format!("/courses/{course}")),
        "{course_iri}"
    );

    // The learner's statements, by the agent Lore names her with.
    let (completed, _) = lrs
        .all(&query(&[(
            "verb",
            "http://adlnet.gov/expapi/verbs/completed",
        )]))
        .await;
    let lea_account = lea.to_string();
    let mine: Vec<&Value> = completed
        .iter()
        .filter(|s| s["actor"]["account"]["name"] == lea_account.as_str())
        .collect();
    assert_eq!(mine.len(), 2, "the step and the course: {completed:#?}");
    let actor = mine[0]["actor"].clone();
    let (hers, _) = lrs.all(&query(&[("agent", &actor.to_string())])).await;
    assert_eq!(
        verbs(&hers),
        [
            "answered",
            "attempted",
            "completed",
            "completed",
            "created-person",
            "passed",
            "registered"
        ],
        "her enrolment, step, course and evaluation"
    );
    let passed = hers
        .iter()
        .find(|s| s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed")
        .expect("a passed statement");
    assert_eq!(passed["result"]["score"]["scaled"], 1.0);
    assert_eq!(passed["result"]["success"], true);
    let registration = passed["context"]["registration"]
        .as_str()
        .expect("registration");
    let enrolment = t
        .app
        .store()
        .enrolment(lea, course)
        .await
        .expect("enrolment")
        .expect("enrolled");
    assert_eq!(registration, enrolment.registration);

    // By registration: every statement of her enrolment; by the course with related
    // activities: her step too.
    let (by_registration, _) = lrs.all(&query(&[("registration", registration)])).await;
    assert!(by_registration.len() >= 5, "{}", by_registration.len());
    assert!(
        by_registration
            .iter()
            .all(|s| s["context"]["registration"] == registration)
    );
    let (related, _) = lrs
        .all(&query(&[
            ("activity", &course_iri),
            ("related_activities", "true"),
        ]))
        .await;
    assert!(
        related.iter().any(|s| s["object"]["id"]
            .as_str()
            .is_some_and(|id| id.contains("/steps/"))),
        "a step's statement names the course as its parent"
    );

    // The worker again: nothing twice. (On PostgreSQL an event is written once no older
    // transaction is running; with other stories sharing the server, a late one may come
    // now — but never a second statement for the same event.)
    let (before, _) = lrs.all("/statements").await;
    t.run_jobs().await;
    t.run_jobs().await;
    let (after, _) = lrs.all("/statements").await;
    let id = |s: &serde_json::Value| s["id"].as_str().unwrap_or("").to_owned();
    let after_ids: std::collections::HashSet<String> = after.iter().map(id).collect();
    assert!(before.iter().all(|s| after_ids.contains(&id(s))));
    let mut what: Vec<String> = after
        .iter()
        .map(|s| {
            format!(
                "{} {} {} {}",
                s["actor"], s["verb"]["id"], s["object"]["id"], s["timestamp"]
            )
        })
        .collect();
    let n = what.len();
    what.sort();
    what.dedup();
    assert_eq!(what.len(), n, "an event became two statements");
    let r = lrs
        .get(&format!("/statements?activity={}", encode(&course_iri)))
        .await;
    r.expect(StatusCode::OK);
}
story!(learning_events_are_statements_in_the_record_store);
