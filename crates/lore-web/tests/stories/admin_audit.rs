//! Administrators' pages: the instance at a glance, and the audit log of administrative
//! actions — written with the action or not at all, filtered, paginated, exported as CSV,
//! and closed to everyone else.

use reqwest::StatusCode;

use crate::api::token_for;
use crate::story;
use crate::support::TestApp;

async fn audit_rows(t: &TestApp) -> Vec<lore_store::AuditRow> {
    t.app
        .store()
        .audit_rows(&lore_store::AuditFilter::default(), 1000)
        .await
        .expect("audit rows")
}

/// The overview shows that mail is off, the instance's address, database and version, and
/// what it holds; an administrator's home no longer says "an administrator adds you".
async fn the_admin_overview_shows_mail_state_and_counts(t: TestApp) {
    t.person("root@acme.test", "Root Admin", true).await;
    t.person("ada@acme.test", "Ada Lovelace", false).await;
    let root = t.signed_in("root@acme.test").await;
    let home = root.get("/").await;
    home.expect_lacks("An administrator adds you")
        .expect_contains("As an administrator, create your organisation's groups")
        .expect_contains("data-testid=\"nav-admin\"");

    let page = root.get("/admin").await;
    page.expect_status(StatusCode::OK)
        .expect_contains("http://127.0.0.1:8080")
        .expect_contains(env!("CARGO_PKG_VERSION"));
    assert!(page.testid("mail-state").contains("not configured"));
    assert_eq!(page.testid("count-people"), "2");
    assert_eq!(page.testid("count-courses"), "0");
    assert_eq!(page.testid("count-needs"), "0");
    let backend = match t.app.store().backend() {
        lore_store::Backend::Sqlite => "SQLite",
        lore_store::Backend::Postgres => "PostgreSQL",
    };
    page.expect_contains(&format!("<dd>{backend}</dd>"));

    let ada = t.signed_in("ada@acme.test").await;
    ada.get("/").await.expect_lacks("data-testid=\"nav-admin\"");
    ada.get("/admin").await.expect_status(StatusCode::FORBIDDEN);
}
story!(the_admin_overview_shows_mail_state_and_counts);

/// Role changes, deactivations and imports land in the audit log with the action; an action
/// that fails leaves no row; the log filters by who, what and when, exports as CSV, and is
/// for platform administrators only.
async fn the_audit_log_records_admin_actions(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    t.person("root@acme.test", "Root Admin", true).await;
    let ada_id = t.person("ada@acme.test", "Ada Lovelace", false).await;
    let bo_id = t.person("bo@acme.test", "Bo Chen", false).await;
    let cy_id = t.person("cy@acme.test", "Cy Diaz", false).await;
    t.member(cy_id, eng, "admin").await;
    assert!(
        audit_rows(&t).await.is_empty(),
        "the operator's setup is not in the log"
    );
    let root = t.signed_in("root@acme.test").await;
    let root_id = t.caller("root@acme.test").await.id.0;

    // A role given, then changed.
    root.get(&format!("/groups/{eng}")).await;
    root.post(
        &format!("/groups/{eng}/members"),
        &[("email", "ada@acme.test"), ("role", "learner")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    root.post(
        &format!("/groups/{eng}/members"),
        &[("email", "ada@acme.test"), ("role", "coach")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);

    // A deactivation whose audit row cannot be written is not done at all.
    t.app
        .store()
        .fail_next_statement_containing("INSERT INTO \"audit_log\"");
    root.get(&format!("/people/{bo_id}")).await;
    root.post(&format!("/people/{bo_id}/deactivate"), &[])
        .await
        .expect_status(StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        t.app
            .store()
            .user(bo_id)
            .await
            .expect("user")
            .expect("exists")
            .active,
        "the failed deactivation left Bo active"
    );
    assert_eq!(audit_rows(&t).await.len(), 2);

    // A refused import changes nothing and records nothing; a good one is recorded.
    root.get("/people/import").await;
    root.post_file(
        "/people/import",
        "people.csv",
        b"email,name,groups,roles,manager_email\nnot-an-email,Jon Doe,Engineering,learner,\n"
            .to_vec(),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(audit_rows(&t).await.len(), 2);

    // The next day: a deactivation and an import.
    t.clock.advance(time::Duration::days(1));
    root.get(&format!("/people/{ada_id}")).await;
    root.post(&format!("/people/{ada_id}/deactivate"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    root.get("/people/import").await;
    root.post_file(
        "/people/import",
        "people.csv",
        b"email,name,groups,roles,manager_email\nivy@acme.test,Ivy Chen,Engineering,author,\n"
            .to_vec(),
    )
    .await
    .expect_status(StatusCode::OK);

    let log = root.get("/admin/audit").await;
    log.expect_status(StatusCode::OK)
        .expect_contains("4 entries")
        .expect_contains("Role changed")
        .expect_contains("Acme/Engineering: added as learner")
        .expect_contains("Acme/Engineering: learner → coach")
        .expect_contains("Person deactivated")
        .expect_contains("Ada Lovelace &#60;ada@acme.test&#62;")
        .expect_contains("People imported")
        .expect_contains("1 created")
        .expect_contains("3 Nov 2026, 09:00")
        .expect_lacks("Bo Chen");

    // Filters: what, who, when.
    root.get("/admin/audit?action=person_deactivated")
        .await
        .expect_contains("1 entry")
        .expect_lacks("<td>People imported</td>");
    root.get(&format!("/admin/audit?actor={root_id}"))
        .await
        .expect_contains("4 entries");
    root.get(&format!("/admin/audit?actor={cy_id}"))
        .await
        .expect_contains("0 entries");
    root.get("/admin/audit?from=2026-11-03&to=2026-11-03")
        .await
        .expect_contains("2 entries")
        .expect_lacks("<td>Role changed</td>");
    root.get("/admin/audit?to=2026-11-02")
        .await
        .expect_contains("2 entries")
        .expect_lacks("<td>Person deactivated</td>");
    // A range typed backwards is read the right way round (decision 0037).
    root.get("/admin/audit?from=2026-11-05&to=2026-11-01")
        .await
        .expect_status(StatusCode::OK)
        .expect_lacks("The end date comes before the start date");

    // The export holds what the filters hold, oldest first.
    let csv = root
        .get_bytes("/admin/audit.csv?action=role_changed", &[])
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .starts_with("text/csv")
    );
    let text = String::from_utf8(csv.bytes.clone()).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "at,actor_id,actor,action,target,detail");
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1].contains("added as learner"), "{text}");
    assert!(lines[2].contains("learner → coach"), "{text}");
    assert!(lines[1].starts_with("2026-11-02T09:00:00Z"), "{text}");

    // The API lists the same, newest first.
    let api = t.api(&token_for(&t, "root@acme.test").await);
    let page = api.get("/audit-log?action=people_imported").await;
    page.expect_status(StatusCode::OK);
    let body = page.json();
    assert_eq!(body["total"], 1);
    assert_eq!(body["entries"][0]["action"], "people_imported");
    assert_eq!(body["entries"][0]["actor_id"], root_id);
    let bad = api.get("/audit-log?action=dropped_tables").await;
    bad.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["error"]["code"], "invalid_input");

    // A group administrator is not a platform administrator: 403 everywhere.
    let cy = t.signed_in("cy@acme.test").await;
    cy.get("/admin/audit")
        .await
        .expect_status(StatusCode::FORBIDDEN);
    assert_eq!(
        cy.get_bytes("/admin/audit.csv", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let cy_api = t.api(&token_for(&t, "cy@acme.test").await);
    let refused = cy_api.get("/audit-log").await;
    refused.expect_status(StatusCode::FORBIDDEN);
    assert_eq!(refused.json()["error"]["code"], "forbidden");
    let doc = api.get("/openapi.json").await.json();
    assert!(doc["paths"]["/api/v1/audit-log"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/me/profile"]["patch"].is_object());
}
story!(the_audit_log_records_admin_actions);

/// Many entries come in pages.
async fn the_audit_log_comes_in_pages(t: TestApp) {
    let g = t.group(None, "Acme").await;
    t.person("root@acme.test", "Root Admin", true).await;
    let root = t.caller("root@acme.test").await;
    let ada = t.person("ada@acme.test", "Ada Lovelace", false).await;
    for i in 0..26 {
        let role = if i % 2 == 0 { "learner" } else { "coach" };
        t.app
            .put_membership(
                &root,
                g,
                lore_domain::ids::UserId(ada),
                lore_domain::role::Role::parse(role).expect("role"),
            )
            .await
            .expect("role");
    }
    let b = t.signed_in("root@acme.test").await;
    // 50 a page: 26 changes fit on one; the pager shows only with more.
    b.get("/admin/audit")
        .await
        .expect_contains("26 entries")
        .expect_lacks("data-testid=\"pager\"");
    for _ in 0..30 {
        t.app.deactivate(&root, ada).await.expect("deactivate");
    }
    let first = b.get("/admin/audit").await;
    first
        .expect_contains("56 entries")
        .expect_contains("Page 1 of 2");
    let second = b.get("/admin/audit?actor=&action=&from=&to=&page=2").await;
    second
        .expect_contains("Page 2 of 2")
        .expect_contains("added as learner");
}
story!(the_audit_log_comes_in_pages);

/// Changing who may write courses in a group is an administrative act: it is in the log with
/// the group and the change, and saving the same setting again adds nothing.
async fn who_may_write_courses_is_audited(t: TestApp) {
    t.person("admin@acme.test", "Avery Admin", true).await;
    let acme = t.group(None, "Acme").await;
    let a = t.signed_in("admin@acme.test").await;
    a.get(&format!("/groups/{acme}")).await;
    a.post(&format!("/groups/{acme}/authoring"), &[("role", "author")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let rows = audit_rows(&t).await;
    let row = rows
        .iter()
        .find(|r| r.action == "authoring_role_changed")
        .expect("the change is audited");
    assert_eq!(row.actor_name, "Avery Admin");
    assert_eq!(row.target, "Acme");
    assert!(
        row.detail.contains("author") && row.detail.contains("was learner"),
        "{}",
        row.detail
    );
    a.get(&format!("/groups/{acme}")).await;
    a.post(&format!("/groups/{acme}/authoring"), &[("role", "author")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let again = audit_rows(&t).await;
    assert_eq!(
        again
            .iter()
            .filter(|r| r.action == "authoring_role_changed")
            .count(),
        1,
        "saving the same setting adds no row"
    );
    a.get("/admin/audit?action=authoring_role_changed")
        .await
        .expect_contains("Who may write courses changed");
}
story!(who_may_write_courses_is_audited);
