//! Diffs read like the course: "What changed since you finished" and the version diff render
//! the Markdown (headings, code, emphasis) with the changed words marked, never raw `###`.

use crate::support::TestApp;
use lore_app::courses::authoring::StepInput;

async fn what_changed_renders_markdown_with_the_changes_marked(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, acme, "author").await;
    let bo = t.person("bo@acme.test", "Bo Learner", false).await;
    t.member(bo, acme, "learner").await;
    let (ada, bo_caller) = (
        t.caller("ada@acme.test").await,
        t.caller("bo@acme.test").await,
    );
    let course = t.published_course(&ada, "Paging").await;
    let step = t.app.draft(&ada, course).await.expect("draft").steps[0].clone();
    t.app.enrol(&bo_caller, course).await.expect("enrol");
    t.app
        .complete_step(&bo_caller, course, &step.step_key, 30)
        .await
        .expect("done");
    let body = "### When it fires\n\nRun `page --ack` within **two** minutes.";
    t.app
        .save_step(
            &ada,
            course,
            step.id,
            step.revision,
            StepInput {
                kind: "text",
                title: "The list",
                body,
                video_url: "",
                blob_hash: None,
                required: true,
            },
        )
        .await
        .expect("save");
    t.app
        .publish(&ada, course, "Paging rules")
        .await
        .expect("v2");

    let b = t.signed_in("bo@acme.test").await;
    let page = b.get(&format!("/courses/{course}")).await;
    page.expect_contains("What changed since you finished")
        .expect_contains("<h3><del>Tick</del><ins>When it fires</ins></h3>")
        .expect_contains("<code>page --ack</code>")
        .expect_contains("<strong>two</strong>")
        .expect_lacks("### When")
        .expect_lacks("`page");
    let diff = b
        .get(&format!("/courses/{course}/versions/diff?from=1&to=2"))
        .await;
    diff.expect_contains("<h3><del>Tick</del><ins>When it fires</ins></h3>")
        .expect_lacks("### When");
}
crate::story!(what_changed_renders_markdown_with_the_changes_marked);
