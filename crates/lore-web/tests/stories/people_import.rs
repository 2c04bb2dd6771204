//! Bulk import of people from CSV, from the admin page.

use reqwest::StatusCode;

use crate::story;
use crate::support::TestApp;

/// A file with bad rows imports nothing and lists every bad row; a good file imports
/// everyone with groups, roles and managers; importing it again changes nothing.
async fn csv_import_good_and_bad(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    t.group(Some(acme), "Engineering").await;
    t.group(Some(acme), "Sales").await;
    t.person("admin@acme.test", "Avery Admin", true).await;
    let admin = t.signed_in("admin@acme.test").await;
    let before = t.user_count().await;

    let bad = "email,name,groups,roles,manager_email\n\
               ivy@acme.test,Ivy Chen,Engineering,author,\n\
               not-an-email,Jon Doe,Engineering,learner,\n\
               kim@acme.test,Kim Park,Marketing,learner,\n\
               lee@acme.test,Lee Wong,Sales,boss,\n\
               max@acme.test,Max Ray,Sales,learner,ghost@acme.test\n";
    admin
        .get("/people/import")
        .await
        .expect_status(StatusCode::OK);
    let refused = admin
        .post_file("/people/import", "people.csv", bad.as_bytes().to_vec())
        .await;
    refused
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("nothing was imported");
    let table = refused.testid("import-errors");
    let _ = table;
    for (line, reason) in [
        (3, "email"),
        (4, "Marketing"),
        (5, "boss"),
        (6, "ghost@acme.test"),
    ] {
        refused.expect_contains(&format!("<tr><td>{line}</td>"));
        refused.expect_contains(reason);
    }
    assert_eq!(t.user_count().await, before, "nothing imported");

    let good = "email,name,groups,roles,manager_email\n\
                ivy@acme.test,Ivy Chen,Engineering;Sales,author;learner,\n\
                jon@acme.test,Jon Doe,Acme/Engineering,learner,ivy@acme.test\n\
                kim@acme.test,Kim Park,Sales,coach,admin@acme.test\n";
    let done = admin
        .post_file("/people/import", "people.csv", good.as_bytes().to_vec())
        .await;
    done.expect_status(StatusCode::OK)
        .expect_contains("3 created, 0 updated, 0 unchanged; 4 memberships added");
    assert_eq!(t.user_count().await, before + 3);
    let jon = t
        .app
        .store()
        .user_by_email("jon@acme.test")
        .await
        .expect("q")
        .expect("jon");
    let ivy = t
        .app
        .store()
        .user_by_email("ivy@acme.test")
        .await
        .expect("q")
        .expect("ivy");
    assert_eq!(jon.manager_id, Some(ivy.id));
    assert_eq!(
        t.app.store().memberships_of(ivy.id).await.expect("m").len(),
        2
    );

    let again = admin
        .post_file("/people/import", "people.csv", good.as_bytes().to_vec())
        .await;
    again
        .expect_status(StatusCode::OK)
        .expect_contains("0 created, 0 updated, 3 unchanged; 0 memberships added, 0 changed");
    assert_eq!(t.user_count().await, before + 3);

    // Imported people are invited: they appear in the directory without a password yet.
    admin
        .get("/people?q=ivy")
        .await
        .expect_contains("Ivy Chen")
        .expect_contains("invited");
}
story!(csv_import_good_and_bad);

/// An import made to fail at its last kind of write (the memberships, after the people were
/// inserted) answers with an error page and creates nobody; tried again, it imports everyone.
async fn an_import_that_fails_halfway_creates_no_one(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    t.group(Some(acme), "Engineering").await;
    t.person("admin@acme.test", "Avery Admin", true).await;
    let admin = t.signed_in("admin@acme.test").await;
    let before = t.user_count().await;
    let good = "email,name,groups,roles,manager_email\n\
                ivy@acme.test,Ivy Chen,Engineering,author,\n\
                jon@acme.test,Jon Doe,Acme/Engineering,learner,ivy@acme.test\n";
    admin
        .get("/people/import")
        .await
        .expect_status(StatusCode::OK);

    t.app
        .store()
        .fail_next_statement_containing("INSERT INTO \"memberships\"");
    admin
        .post_file("/people/import", "people.csv", good.as_bytes().to_vec())
        .await
        .expect_status(StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(t.user_count().await, before, "nobody created");
    for email in ["ivy@acme.test", "jon@acme.test"] {
        let found = t.app.store().user_by_email(email).await.expect("q");
        assert!(found.is_none(), "{email} was created");
    }

    admin
        .post_file("/people/import", "people.csv", good.as_bytes().to_vec())
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("2 created, 0 updated, 0 unchanged; 2 memberships added");
    assert_eq!(t.user_count().await, before + 2);
}
story!(an_import_that_fails_halfway_creates_no_one);
