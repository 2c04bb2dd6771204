//! Each person's home suggests what to learn next, each with its reason in words: a course
//! answering a need they voted for, what peers in their group completed and rated well, and a
//! refresher of a course they completed long ago that changed since.

use crate::courses::{team, write_runbook};
use crate::story;
use crate::support::TestApp;

/// `email` takes the newest version of a course and completes every step of it.
pub(crate) async fn complete(t: &TestApp, email: &str, course: i64) {
    let who = t.caller(email).await;
    t.app.enrol(&who, course).await.expect("enrol");
    let store = t.app.store();
    let c = store.course(course).await.expect("c").expect("course");
    let v = store
        .version(course, c.latest_version.expect("published"))
        .await
        .expect("v")
        .expect("version");
    for step in store.steps_of(v.id).await.expect("steps") {
        t.app
            .complete_step(&who, course, &step.step_key, 30)
            .await
            .expect("complete");
    }
}

async fn home_suggests_what_to_learn_next_with_reasons(t: TestApp) {
    let (eng, _) = team(&t).await;
    for (email, name) in [
        ("cy@acme.test", "Cy Colleague"),
        ("di@acme.test", "Di Colleague"),
    ] {
        let id = t.person(email, name, false).await;
        t.member(id, eng, "learner").await;
    }
    let ada = t.signed_in("ada@acme.test").await;
    let runbook = write_runbook(&ada).await;
    // Two of Bo's colleagues in Engineering completed the runbook.
    complete(&t, "cy@acme.test", runbook).await;
    complete(&t, "di@acme.test", runbook).await;
    let bo = t.caller("bo@acme.test").await;
    let suggested = t.app.recommendations(&bo, 5).await.expect("suggestions");
    assert_eq!(suggested.len(), 1, "{suggested:?}");
    assert_eq!(suggested[0].course_id, runbook);
    assert_eq!(
        suggested[0].reason,
        "2 people in Engineering completed this"
    );
    let home = t.signed_in("bo@acme.test").await.get("/").await;
    home.expect_contains("2 people in Engineering completed this");

    // Bo voted for a need that a course now answers: it comes first.
    let need = t
        .app
        .ask_need(
            &t.caller("cy@acme.test").await,
            lore_app::needs::asking::NeedInput {
                title: "Running a good handover",
                problem: "Nobody knows what to write at the end of a shift.",
                topic: "operations",
                urgency: "normal",
                questions: "",
                audiences: Vec::new(),
            },
        )
        .await
        .expect("need");
    t.app.vote_need(&bo, need).await.expect("vote");
    let ada_caller = t.caller("ada@acme.test").await;
    let handover = t.published_course(&ada_caller, "Handover notes").await;
    let coach = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(coach, eng, "coach").await;
    t.app
        .link_course_to_need(&t.caller("cora@acme.test").await, need, handover)
        .await
        .expect("link");
    let suggested = t.app.recommendations(&bo, 5).await.expect("suggestions");
    assert_eq!(suggested[0].course_id, handover, "{suggested:?}");
    assert_eq!(
        suggested[0].reason,
        "It answers “Running a good handover”, a need you voted for"
    );

    // Bo takes both; nothing is left to suggest from them.
    complete(&t, "bo@acme.test", runbook).await;
    complete(&t, "bo@acme.test", handover).await;
    assert!(t.app.recommendations(&bo, 5).await.expect("s").is_empty());

    // Seven months later the runbook has a version 2: a refresher.
    t.clock.advance(time::Duration::days(210));
    let ada = t.signed_in("ada@acme.test").await;
    crate::editor::add_step_with_text(&ada, runbook, "Paging etiquette", "Say who you are.").await;
    ada.post(&format!("/courses/{runbook}/publish"), &[("note", "")])
        .await
        .expect_status(reqwest::StatusCode::SEE_OTHER);
    let suggested = t.app.recommendations(&bo, 5).await.expect("suggestions");
    assert_eq!(suggested.len(), 1, "{suggested:?}");
    assert_eq!(
        suggested[0].reason,
        "You completed it 7 months ago (version 1); it is at version 2 now"
    );
    // Sam, in Sales, cannot take Engineering's courses: nothing is suggested to him.
    let sam = t.caller("sam@acme.test").await;
    assert!(t.app.recommendations(&sam, 5).await.expect("s").is_empty());
}
story!(home_suggests_what_to_learn_next_with_reasons);

/// A published path of the person's group suggests its next course they do not take yet.
async fn a_groups_path_suggests_its_next_course(t: TestApp) {
    let (eng, sales) = team(&t).await;
    let cora = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(cora, eng, "coach").await;
    let ada = t.caller("ada@acme.test").await;
    let first = t.published_course(&ada, "Shell basics").await;
    let second = t.published_course(&ada, "Git basics").await;
    let coach = t.caller("cora@acme.test").await;
    let path = t
        .app
        .create_path(
            &coach,
            eng,
            lore_app::paths::PathDetails {
                title: "First week".to_owned(),
                description: String::new(),
                order: lore_domain::path::PathOrder::Linear,
            },
        )
        .await
        .expect("path");
    t.app
        .edit_path(
            &coach,
            path.id,
            lore_app::paths::PathEdit::Replace(vec![
                lore_domain::path::PathItem::new(lore_domain::path::ItemRef::course(first), true),
                lore_domain::path::PathItem::new(lore_domain::path::ItemRef::course(second), true),
            ]),
        )
        .await
        .expect("items");
    let bo = t.caller("bo@acme.test").await;
    // A draft path suggests nothing.
    assert!(t.app.recommendations(&bo, 5).await.expect("s").is_empty());
    t.app.publish_path(&coach, path.id).await.expect("publish");
    let suggested = t.app.recommendations(&bo, 5).await.expect("s");
    assert_eq!(suggested[0].course_id, first, "{suggested:?}");
    assert_eq!(
        suggested[0].reason,
        "Next in “First week”, a path for Engineering"
    );
    assert_eq!(
        suggested.iter().filter(|s| s.source == "path").count(),
        1,
        "one course per path"
    );
    complete(&t, "bo@acme.test", first).await;
    let suggested = t.app.recommendations(&bo, 5).await.expect("s");
    assert_eq!(suggested[0].course_id, second);
    // Sam, in Sales, is not in the path's group.
    let sam = t.caller("sam@acme.test").await;
    let _ = sales;
    assert!(
        t.app
            .recommendations(&sam, 5)
            .await
            .expect("s")
            .iter()
            .all(|s| s.source != "path")
    );
}
story!(a_groups_path_suggests_its_next_course);
