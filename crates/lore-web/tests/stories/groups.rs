//! The group tree, memberships and roles applying down the tree.

use reqwest::StatusCode;

use crate::story;
use crate::support::TestApp;

/// A group admin manages their subtree only; roles apply to groups below.
async fn group_admins_manage_their_subtree(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let platform = t.group(Some(eng), "Platform").await;
    let sales = t.group(Some(acme), "Sales").await;
    let gina = t.person("gina@acme.test", "Gina Admin", false).await;
    t.member(gina, eng, "admin").await;
    let hal = t.person("hal@acme.test", "Hal Learner", false).await;
    t.member(hal, platform, "learner").await;

    let g = t.signed_in("gina@acme.test").await;
    // The role in Engineering applies to Platform below it.
    let page = g.get(&format!("/groups/{platform}")).await;
    page.expect_status(StatusCode::OK)
        .expect_contains("Hal Learner")
        .expect_contains("Save membership");
    let saved = g
        .post(
            &format!("/groups/{platform}/members"),
            &[("email", "hal@acme.test"), ("role", "author")],
        )
        .await;
    saved.expect_status(StatusCode::SEE_OTHER);
    g.get(&format!("/groups/{platform}"))
        .await
        .expect_contains("badge-author");
    let sub = g
        .post(
            "/groups",
            &[("name", "Data"), ("parent_id", &eng.to_string())],
        )
        .await;
    sub.expect_status(StatusCode::SEE_OTHER);

    // Not Sales next door, and no new top-level group.
    g.get(&format!("/groups/{sales}"))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    g.post(
        &format!("/groups/{sales}/members"),
        &[("email", "hal@acme.test"), ("role", "learner")],
    )
    .await
    .expect_status(StatusCode::NOT_FOUND);
    g.post("/groups", &[("name", "Shadow IT")])
        .await
        .expect_status(StatusCode::FORBIDDEN);
    assert!(
        t.app
            .store()
            .all_groups()
            .await
            .expect("groups")
            .iter()
            .all(|g| g.name != "Shadow IT")
    );

    // A duplicate name beside another group is refused with a clear message.
    g.post(
        "/groups",
        &[("name", "platform"), ("parent_id", &eng.to_string())],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("already a group named");

    // A learner sees their groups but not the members list, and manages nothing.
    let h = t.signed_in("hal@acme.test").await;
    h.get(&format!("/groups/{platform}"))
        .await
        .expect_status(StatusCode::OK)
        .expect_lacks("Gina Admin");
    h.post(&format!("/groups/{platform}/rename"), &[("name", "Mine")])
        .await
        .expect_status(StatusCode::FORBIDDEN);
    h.get("/people").await.expect_status(StatusCode::FORBIDDEN);

    // A group with subgroups cannot be deleted; an empty leaf can.
    g.get(&format!("/groups/{eng}")).await;
    g.post(&format!("/groups/{eng}/delete"), &[])
        .await
        .expect_status(StatusCode::CONFLICT)
        .expect_contains("has subgroups");
    let data = t
        .app
        .store()
        .all_groups()
        .await
        .expect("groups")
        .into_iter()
        .find(|g| g.name == "Data")
        .expect("Data")
        .id;
    g.post(&format!("/groups/{data}/delete"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
}
story!(group_admins_manage_their_subtree);
