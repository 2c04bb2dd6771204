//! The header's search finds courses, needs and discussions in one place, each only where the
//! person may see it.

use lore_app::discussions::NewThreadInput;
use lore_app::needs::asking::NeedInput;

use crate::support::{Page, TestApp};

/// The HTML of the section marked `data-testid="{id}"`.
fn section(page: &Page, id: &str) -> String {
    let at = page
        .body
        .find(&format!("data-testid=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id} in:\n{}", page.body));
    let end = page.body[at..]
        .find("</section>")
        .map_or(page.body.len(), |e| e + at);
    page.body[at..end].to_owned()
}

async fn the_header_search_finds_courses_needs_and_discussions_one_may_see(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    let ops = t.group(Some(acme), "Ops").await;
    let sales = t.group(Some(acme), "Sales").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, ops, "author").await;
    let bo = t.person("bo@acme.test", "Bo Learner", false).await;
    t.member(bo, ops, "learner").await;
    let cy = t.person("cy@acme.test", "Cy Seller", false).await;
    t.member(cy, sales, "author").await;
    let (ada, bo_c, cy) = (
        t.caller("ada@acme.test").await,
        t.caller("bo@acme.test").await,
        t.caller("cy@acme.test").await,
    );
    let course = t.published_course(&ada, "Terraform state").await;
    let hidden = t.published_course(&cy, "Terraform for sales demos").await;
    t.app.enrol(&bo_c, course).await.expect("enrol");
    let (thread, _) = t
        .app
        .start_thread(
            &bo_c,
            course,
            NewThreadInput {
                title: "Locking the remote backend",
                body: "Does terraform lock the state in S3?",
                step_key: None,
            },
        )
        .await
        .expect("thread");
    t.app
        .ask_need(
            &bo_c,
            NeedInput {
                title: "Terraform modules we can share",
                problem: "Every team copies the same VPC code.",
                topic: "Platform",
                urgency: "normal",
                questions: "",
                audiences: vec![],
            },
        )
        .await
        .expect("need");
    t.app
        .ask_need(
            &cy,
            NeedInput {
                title: "Terraform pricing questions from customers",
                problem: "Prospects ask what it costs.",
                topic: "Sales",
                urgency: "normal",
                questions: "",
                audiences: vec![],
            },
        )
        .await
        .expect("need");

    let b = t.signed_in("bo@acme.test").await;
    b.get("/").await.expect_contains("action=\"/search\"");
    let page = b.get("/search?q=terraform").await;
    let courses = section(&page, "search-courses");
    assert!(courses.contains("Terraform state"), "{courses}");
    assert!(
        !page.body.contains("Terraform for sales demos"),
        "a course of Sales is not Bo's"
    );
    let needs = section(&page, "search-needs");
    assert!(needs.contains("Terraform modules we can share"), "{needs}");
    assert!(
        !page.body.contains("pricing questions"),
        "a need of Sales is not Bo's"
    );
    let threads = section(&page, "search-threads");
    assert!(threads.contains("Locking the remote backend"), "{threads}");
    assert!(
        threads.contains("Terraform state"),
        "the thread names its course: {threads}"
    );
    // A word only in a post finds its discussion too.
    b.get("/search?q=S3+lock")
        .await
        .expect_contains("Locking the remote backend");
    // The search index follows every change of a post: a reply's words find the thread,
    // an edit replaces them, a deleted reply's words find nothing.
    let reply = t
        .app
        .reply(&ada, course, thread.id, "Yes, with a DynamoDB table.")
        .await
        .expect("reply");
    b.get("/search?q=dynamodb")
        .await
        .expect_contains("Locking the remote backend");
    t.app
        .edit_post(&ada, course, thread.id, reply.id, "Yes, with a lock table.")
        .await
        .expect("edit");
    b.get("/search?q=dynamodb")
        .await
        .expect_lacks("Locking the remote backend");
    b.get("/search?q=lock+table")
        .await
        .expect_contains("Locking the remote backend");
    t.app
        .delete_post(&ada, course, thread.id, reply.id)
        .await
        .expect("delete");
    b.get("/search?q=table")
        .await
        .expect_lacks("Locking the remote backend");
    // Nothing found: a way on, not a blank page.
    b.get("/search?q=kubernetes")
        .await
        .expect_contains("data-testid=\"search-nothing\"")
        .expect_contains("/needs/new?title=kubernetes");
    // Cy sees their own course and need, not Bo's discussion.
    let c = t.signed_in("cy@acme.test").await;
    let theirs = c.get("/search?q=terraform").await;
    theirs
        .expect_contains("Terraform for sales demos")
        .expect_contains("Terraform pricing questions")
        .expect_lacks("Locking the remote backend");
    let _ = hidden;
}
crate::story!(the_header_search_finds_courses_needs_and_discussions_one_may_see);
