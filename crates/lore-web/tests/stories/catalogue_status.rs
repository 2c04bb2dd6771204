//! The catalogue tells each person where they stand on every course (new, in progress, done,
//! assigned and due, overdue), how many learn it and how it is received, and sorts by what is
//! newest or most useful; the API says the same.

use reqwest::StatusCode;

use crate::support::TestApp;

async fn the_catalogue_shows_my_status_learners_and_score_and_sorts(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, acme, "coach").await;
    let bo = t.person("bo@acme.test", "Bo Learner", false).await;
    t.member(bo, acme, "learner").await;
    let mut peers = Vec::new();
    for n in 0..10 {
        let email = format!("peer{n}@acme.test");
        let id = t.person(&email, &format!("Peer {n}"), false).await;
        t.member(id, acme, "learner").await;
        peers.push(t.caller(&email).await);
    }
    let ada = t.caller("ada@acme.test").await;
    let bo_c = t.caller("bo@acme.test").await;
    let started = t.published_course(&ada, "Started course").await;
    let finished = t.published_course(&ada, "Finished course").await;
    let due = t.published_course(&ada, "Due course").await;
    let loved = t.published_course(&ada, "Loved course").await;
    let fresh = t.published_course(&ada, "Fresh course").await;

    t.app.enrol(&bo_c, started).await.expect("enrol");
    t.app.enrol(&bo_c, finished).await.expect("enrol");
    let key = t.app.draft(&ada, finished).await.expect("draft").steps[0]
        .step_key
        .clone();
    t.app
        .complete_step(&bo_c, finished, &key, 20)
        .await
        .expect("finish");
    let in_a_week = t.app.now() + time::Duration::days(7);
    t.app
        .assign(&ada, due, "bo@acme.test", Some(in_a_week))
        .await
        .expect("assign");
    // Ten peers open the loved course and three find it useful.
    let loved_key = t.app.draft(&ada, loved).await.expect("draft").steps[0]
        .step_key
        .clone();
    for (n, p) in peers.iter().enumerate() {
        t.app.enrol(p, loved).await.expect("enrol");
        t.app.player(p, loved, Some(1)).await.expect("open");
        if n < 3 {
            t.app
                .react(p, loved, &loved_key, "useful", "")
                .await
                .expect("react");
        }
    }

    let b = t.signed_in("bo@acme.test").await;
    let page = b.get("/courses").await;
    page.expect_status(StatusCode::OK);
    let row = |title: &str| -> String {
        let at = page.body.find(title).expect(title);
        let end = page.body[at..].find("</li>").expect("row end") + at;
        page.body[at..end].to_owned()
    };
    assert!(
        row("Started course").contains("in progress"),
        "{}",
        row("Started course")
    );
    assert!(
        row("Finished course").contains(">done<"),
        "{}",
        row("Finished course")
    );
    assert!(
        row("Due course").contains("assigned, due"),
        "{}",
        row("Due course")
    );
    assert!(
        row("Fresh course").contains("new to you"),
        "{}",
        row("Fresh course")
    );
    assert!(
        row("Loved course").contains("10 learners"),
        "{}",
        row("Loved course")
    );
    assert!(
        row("Loved course").contains("reaction score 100"),
        "{}",
        row("Loved course")
    );
    assert!(
        row("Fresh course").contains("0 learners"),
        "{}",
        row("Fresh course")
    );

    // Most useful first: the only course with a score leads.
    let useful = b.get("/courses?sort=most_useful").await;
    let first = useful.body.find("Loved course").expect("loved");
    for other in [
        "Started course",
        "Finished course",
        "Due course",
        "Fresh course",
    ] {
        assert!(
            first < useful.body.find(other).expect(other),
            "{other} after Loved"
        );
    }
    useful.expect_contains("<option value=\"most_useful\" selected>");
    // Newest first: the course created last leads.
    let newest = b.get("/courses?sort=newest").await;
    assert!(
        newest.body.find("Fresh course").expect("fresh")
            < newest.body.find("Started course").expect("started")
    );

    // The API: the same status, learners and score, and a clear error for a bad order.
    let token = t.app.create_token(&bo_c, "cli").await.expect("token").1;
    let api = t.api(&token);
    let got = api.get("/courses?sort=most_useful").await;
    got.expect_status(StatusCode::OK);
    let json = got.json();
    let first = &json["courses"][0];
    assert_eq!(first["title"], "Loved course");
    assert_eq!(first["learners"], 10);
    assert_eq!(first["reaction_score"], 100);
    assert_eq!(first["my_status"], "new");
    let mine = |title: &str| {
        json["courses"]
            .as_array()
            .expect("courses")
            .iter()
            .find(|c| c["title"] == title)
            .expect(title)
            .clone()
    };
    assert_eq!(mine("Due course")["my_status"], "due");
    assert!(mine("Due course")["due_at"].is_string());
    assert_eq!(mine("Finished course")["my_status"], "done");
    assert_eq!(mine("Fresh course")["id"], fresh);
    assert_eq!(mine("Fresh course")["learners"], 0);
    let bad = api.get("/courses?sort=sideways").await;
    bad.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["error"]["code"], "invalid_input", "{}", bad.body);
}
crate::story!(the_catalogue_shows_my_status_learners_and_score_and_sorts);
