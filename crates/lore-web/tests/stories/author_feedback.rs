//! Authors find their feedback without a notification: a *not clear* reaction shows on the
//! author's home under "Courses you write", one click from the feedback page that lists it;
//! it costs health with its own reason and puts the course on "needs attention". The course
//! page and the editor lead authors and coaches to the feedback, never learners; and "My
//! learning" costs the same number of statements however many courses the author writes.

use reqwest::StatusCode;

use crate::courses::{team, write_runbook};
use crate::feedback::step_key;
use crate::story;
use crate::support::{Page, TestApp};

/// The line of "Courses you write" for a course (up to the end of its list item).
fn authored_line(page: &Page, course: i64) -> String {
    let start = page
        .body
        .find(&format!("data-testid=\"authored-{course}\""))
        .unwrap_or_else(|| panic!("course {course} in Courses you write:\n{}", page.body));
    let rest = &page.body[start..];
    rest[..rest.find("</li>").expect("end of the line")].to_owned()
}

/// The `href` of the link marked with `testid` in some HTML.
fn href_of(html: &str, testid: &str) -> String {
    let at = html
        .find(&format!("data-testid=\"{testid}\""))
        .unwrap_or_else(|| panic!("a {testid} link in:\n{html}"));
    let tag = &html[html[..at].rfind("<a ").expect("the link's tag")..at];
    let href = &tag[tag.find("href=\"").expect("an href") + 6..];
    href[..href.find('"').expect("end of the href")].to_owned()
}

/// Bo says a step is not clear; Ada finds it from her home in one click, with health down
/// for it and the course on "needs attention"; Bo sees no way to the feedback.
async fn a_not_clear_reaction_reaches_the_author_from_home(t: TestApp) {
    let (eng, _) = team(&t).await;
    let cora = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(cora, eng, "coach").await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;

    // Before any feedback: the course is on Ada's home, healthy, with nothing waiting.
    let home = ada.get("/").await;
    home.expect_status(StatusCode::OK)
        .expect_contains("data-testid=\"home-authored\"");
    let line = authored_line(&home, id);
    assert!(line.contains("nothing waiting"), "{line}");
    assert_eq!(
        href_of(&line, "authored-edit"),
        format!("/courses/{id}/edit")
    );
    assert!(line.contains(&format!("href=\"/courses/{id}\"")), "{line}");

    // Bo is stuck on step 2 and says so.
    let bo = t.signed_in("bo@acme.test").await;
    bo.start_course(id).await;
    let player = bo.get(&format!("/courses/{id}/learn/2")).await;
    let key = step_key(&player.body, id);
    bo.post(
        &format!("/courses/{id}/steps/{key}/reactions"),
        &[
            ("kind", "unclear"),
            ("comment", "Who do I call when the pager fires at night?"),
            ("position", "2"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);

    // Ada's home: the course with one open reaction and its feedback link.
    let home = ada.get("/").await;
    let line = authored_line(&home, id);
    assert!(line.contains("1 open reaction"), "{line}");
    let feedback_link = href_of(&line, "authored-feedback");
    assert_eq!(feedback_link, format!("/courses/{id}/feedback"));

    // One click: the feedback page shows Bo's reaction, and health below 100 for it.
    let feedback = ada.get(&feedback_link).await;
    feedback
        .expect_status(StatusCode::OK)
        .expect_contains("Who do I call when the pager fires at night?")
        .expect_contains("1 open “not clear” reaction")
        .expect_lacks("Nothing needs attention.");
    let score: u32 = feedback
        .testid("health-score")
        .parse()
        .expect("a health score");
    assert!(score < 100, "health {score}");
    assert!(
        line.contains(&format!(">{score}<")),
        "home shows the same health: {line}"
    );

    // Stored figures count it, and "needs attention" lists the course for it.
    let stored = t
        .app
        .stored_course_health(id)
        .await
        .expect("stored")
        .expect("figures");
    assert_eq!(stored.open_not_clear, 1);
    assert_eq!(stored.health.score, score);
    ada.get("/attention")
        .await
        .expect_contains(&format!("data-testid=\"attention-{id}\""))
        .expect_contains("1 open “not clear” reaction");

    // My learning lists it the same way.
    let learning = ada.get("/learning").await;
    let line = authored_line(&learning, id);
    assert!(line.contains("1 open reaction"), "{line}");
    assert_eq!(
        href_of(&line, "authored-feedback"),
        format!("/courses/{id}/feedback")
    );

    // The course page and the editor lead Ada there, with the count.
    for page in [format!("/courses/{id}"), format!("/courses/{id}/edit")] {
        let p = ada.get(&page).await;
        p.expect_status(StatusCode::OK)
            .expect_contains("Feedback (1 open)");
        assert_eq!(href_of(&p.body, "feedback-link"), feedback_link, "{page}");
    }
    // So does the course page for Cora, who coaches the group.
    let cora = t.signed_in("cora@acme.test").await;
    let course_page = cora.get(&format!("/courses/{id}")).await;
    assert_eq!(href_of(&course_page.body, "feedback-link"), feedback_link);
    cora.get(&feedback_link).await.expect_status(StatusCode::OK);

    // Bo, a learner, sees no Feedback link and no feedback page, and writes no courses.
    bo.get(&format!("/courses/{id}"))
        .await
        .expect_status(StatusCode::OK)
        .expect_lacks("data-testid=\"feedback-link\"")
        .expect_lacks(&format!("href=\"/courses/{id}/feedback\""));
    assert_ne!(bo.get(&feedback_link).await.status, StatusCode::OK);
    bo.get("/")
        .await
        .expect_lacks("data-testid=\"home-authored\"");
}
story!(a_not_clear_reaction_reaches_the_author_from_home);

/// "My learning" and home read the figures of all the courses an author writes at once: the
/// same number of statements with 3 and with 30 courses, and home shows the first few.
async fn courses_you_write_keep_a_statement_budget(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, acme, "author").await;
    let author = t.caller("ada@acme.test").await;
    for i in 0..3 {
        t.published_course(&author, &format!("Checklist {i}")).await;
    }
    let browser = t.signed_in("ada@acme.test").await;
    let pages = ["/learning", "/"];
    let mut few = Vec::new();
    for p in pages {
        browser.statements(p).await;
        few.push(browser.statements(p).await);
    }
    let learning = browser.get("/learning").await;
    assert_eq!(
        learning
            .body
            .matches("class=\"list-row authored-item\"")
            .count(),
        3
    );

    for i in 3..30 {
        t.published_course(&author, &format!("Checklist {i}")).await;
    }
    let mut many = Vec::new();
    for p in pages {
        browser.statements(p).await;
        many.push(browser.statements(p).await);
    }
    for ((page, f), m) in pages.iter().zip(&few).zip(&many) {
        assert_eq!(f, m, "{page}: {f} statements with 3 courses, {m} with 30");
    }
    let learning = browser.get("/learning").await;
    assert_eq!(
        learning
            .body
            .matches("class=\"list-row authored-item\"")
            .count(),
        30
    );
    let home = browser.get("/").await;
    assert_eq!(
        home.body
            .matches("class=\"list-row authored-item\"")
            .count(),
        5
    );
    home.expect_contains("25 more");
}
story!(courses_you_write_keep_a_statement_budget);
