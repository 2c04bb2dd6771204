//! A generated organisation (`lore demo --size medium|large`, here at a tiny scale of the
//! same shapes) is a working Lore: every role's pages answer, course health is stored, search
//! finds the courses, and progress is what the events say.

use std::sync::Arc;

use lore_app::demo::DEMO_PASSWORD;
use lore_app::demo_large::{Scale, Silent, generate};
use reqwest::StatusCode;

use crate::story;
use crate::support::TestApp;

const TINY: Scale = Scale {
    people: 300,
    groups: 20,
    courses: 20,
    events: 20_000,
    needs: 10,
    seed: 7,
};

async fn count_events(t: &TestApp) -> usize {
    let (mut after, mut n) = (0, 0);
    loop {
        let page = t
            .app
            .store()
            .events_after(after, 5_000)
            .await
            .expect("events");
        let Some(last) = page.last() else { return n };
        after = last.id;
        n += page.len();
    }
}

async fn a_generated_organisation_works_on_every_page(t: TestApp) {
    let sign_ins = generate(&t.app, TINY, Arc::new(Silent))
        .await
        .expect("generate");
    let store = t.app.store();
    assert_eq!(
        t.user_count().await,
        301,
        "the people asked for and the administrator"
    );
    let courses = store.courses(false).await.expect("courses");
    assert_eq!(courses.len(), 20);
    assert_eq!(
        count_events(&t).await,
        20_000,
        "exactly the events asked for"
    );
    let groups = store.all_groups().await.expect("groups").len();
    assert!(
        (15..=25).contains(&groups),
        "about the groups asked for: {groups}"
    );

    // A second run into the same database is refused, and writes nothing.
    let err = generate(&t.app, TINY, Arc::new(Silent))
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("not empty"), "{err}");
    assert_eq!(t.user_count().await, 301, "nobody added");
    assert_eq!(count_events(&t).await, 20_000);

    // Progress is what the events say, for every enrolment.
    let stored = t.app.progress_stored().await.expect("stored");
    assert!(stored.len() > 300, "people are enrolled: {}", stored.len());
    assert_eq!(
        t.app.progress_from_events().await.expect("replayed"),
        stored
    );
    // Most courses are little used, a few heavily.
    let mut learners: Vec<usize> = courses
        .iter()
        .map(|c| stored.keys().filter(|(_, course)| *course == c.id).count())
        .collect();
    learners.sort_unstable();
    assert!(
        learners[19] >= 3 * learners[10].max(1),
        "a popular course: {learners:?}"
    );

    for c in &courses {
        assert!(
            t.app
                .stored_course_health(c.id)
                .await
                .expect("health")
                .is_some(),
            "course {} has its health stored",
            c.id
        );
    }

    // Every role signs in and its pages answer.
    let by_role = |role: &str| {
        sign_ins
            .iter()
            .find(|s| s.role == role)
            .unwrap_or_else(|| panic!("a {role} sign-in"))
            .email
            .clone()
    };
    let learner = t.browser();
    learner
        .sign_in(&by_role("learner"), DEMO_PASSWORD)
        .await
        .expect_status(StatusCode::SEE_OTHER);
    for path in ["/", "/courses", "/needs", "/search?q=course"] {
        learner.get(path).await.expect_status(StatusCode::OK);
    }
    let catalogue = learner.get("/courses").await.body;
    let visible: Vec<i64> = courses
        .iter()
        .map(|c| c.id)
        .filter(|id| catalogue.contains(&format!("/courses/{id}\"")))
        .collect();
    assert!(!visible.is_empty(), "the learner sees courses");
    for id in visible.iter().take(5) {
        for path in [format!("/courses/{id}"), format!("/courses/{id}/learn")] {
            let status = learner.get(&path).await.status;
            assert!(
                status.is_success() || status.is_redirection(),
                "{path}: {status}"
            );
        }
    }

    let author_email = by_role("author");
    let author = t.caller(&author_email).await;
    let owned = courses.iter().find(|c| c.owner_id == author.id.0);
    let author_browser = t.browser();
    author_browser
        .sign_in(&author_email, DEMO_PASSWORD)
        .await
        .expect_status(StatusCode::SEE_OTHER);
    author_browser.get("/").await.expect_status(StatusCode::OK);
    if let Some(c) = owned {
        for page in ["feedback", "edit", "versions"] {
            author_browser
                .get(&format!("/courses/{}/{page}", c.id))
                .await
                .expect_status(StatusCode::OK);
        }
    }

    let coach = t.browser();
    coach
        .sign_in(&by_role("coach"), DEMO_PASSWORD)
        .await
        .expect_status(StatusCode::SEE_OTHER);
    for path in ["/", "/attention", "/needs"] {
        coach.get(path).await.expect_status(StatusCode::OK);
    }
    let admin = t.browser();
    admin
        .sign_in(&by_role("platform admin"), DEMO_PASSWORD)
        .await
        .expect_status(StatusCode::SEE_OTHER);
    for path in ["/", "/people", "/groups", "/admin"] {
        admin.get(path).await.expect_status(StatusCode::OK);
    }
    for c in courses.iter().take(5) {
        admin
            .get(&format!("/courses/{}/feedback", c.id))
            .await
            .expect_status(StatusCode::OK);
    }

    // Search finds a course by a word of its title.
    let first = store
        .version(courses[0].id, courses[0].latest_version.expect("published"))
        .await
        .expect("version")
        .expect("exists");
    let word = first.title.split_whitespace().next().expect("a word");
    admin
        .get(&format!("/courses?q={word}"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains(&format!("/courses/{}\"", courses[0].id));
}
story!(a_generated_organisation_works_on_every_page);
