//! Courses as zips of Markdown: an author exports a published course from the web, imports
//! the zip again, and gets the same course back; bad zips are refused and change nothing.

use std::io::{Cursor, Write};

use bytes::Bytes;
use lore_app::courses::archive::CourseFolder;
use lore_app::courses::authoring::{CourseFields, NewCourse, StepInput};
use lore_app::{AppError, Caller};
use reqwest::StatusCode;

use crate::story;
use crate::support::{Browser, TestApp};

/// A 1×1 transparent PNG.
const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

struct Team {
    ada: Caller,
    eng: i64,
    sales: i64,
}

async fn team(t: &TestApp) -> Team {
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let sales = t.group(Some(acme), "Sales").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, eng, "author").await;
    let bo = t.person("bo@acme.test", "Bo Learner", false).await;
    t.member(bo, eng, "learner").await;
    let ada = t.app.caller(ada).await.expect("caller").expect("active");
    Team { ada, eng, sales }
}

/// A published course with every kind of content: text, a video link, a file, a cover,
/// an optional step, topics, an audience and a change note.
async fn code_review_course(t: &TestApp, team: &Team) -> i64 {
    let app = &t.app;
    let ada = &team.ada;
    let id = app
        .create_course(
            ada,
            NewCourse {
                title: "Code review at Acme",
                group_id: Some(team.eng),
                first_step_title: "Why we review",
                first_step_body: "Two pairs of eyes catch **more**.\n\n- fewer bugs\n- shared knowledge",
            },
        )
        .await
        .expect("create");
    let draft = app.draft(ada, id).await.expect("draft");
    app.save_course_fields(
        ada,
        id,
        draft.version.revision,
        CourseFields {
            title: "Code review at Acme",
            summary: "How we review changes: what to look for, and how to say it.",
            language: "en-GB",
            tags: "review, Git, teamwork",
            estimated_minutes: "25",
        },
    )
    .await
    .expect("details");
    app.add_step(
        ada,
        id,
        StepInput {
            kind: "video",
            title: "A review, start to finish",
            body: "Watch how Bo reviews a small change.",
            video_url: "https://videos.acme.test/review",
            required: false,
            ..Default::default()
        },
    )
    .await
    .expect("video step");
    let checklist = app
        .put_blob(
            ada,
            Bytes::from_static(PDF),
            "application/pdf",
            "Review checklist.pdf",
            lore_app::blobs::BlobPurpose::Document,
        )
        .await
        .expect("pdf");
    app.add_step(
        ada,
        id,
        StepInput {
            kind: "file",
            title: "The checklist",
            body: "Print it: `git diff` alone is not a review.",
            blob_hash: Some(checklist.hash),
            required: true,
            ..Default::default()
        },
    )
    .await
    .expect("file step");
    let cover = app
        .put_blob(
            ada,
            Bytes::from_static(PNG_1X1),
            "image/png",
            "cover.png",
            lore_app::blobs::BlobPurpose::Image,
        )
        .await
        .expect("png");
    app.set_cover(ada, id, Some(cover.hash))
        .await
        .expect("cover");
    app.set_audiences(ada, id, &[team.sales])
        .await
        .expect("audiences");
    app.publish(ada, id, "First version, reviewed by Bo")
        .await
        .expect("publish");
    id
}

/// The id in a `/courses/{id}…` redirect.
fn course_id(location: &str) -> i64 {
    location
        .trim_start_matches("/courses/")
        .split(['/', '?', '#'])
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no course id in {location:?}"))
}

async fn import_zip(b: &Browser, zip: Vec<u8>, fields: &[(&str, &str)]) -> crate::support::Page {
    b.get("/courses/import").await.expect_status(StatusCode::OK);
    b.post_multipart(
        "/courses/import",
        fields,
        Some(("course.zip", "application/zip", zip)),
    )
    .await
}

async fn course_count(t: &TestApp) -> usize {
    t.app.store().courses(true).await.expect("courses").len()
}

/// Export from the web, import the zip from the web, and the new course's version is the
/// old one: every field, every step, every file. Exporting it again gives the same bytes.
async fn an_exported_course_imports_exactly(t: TestApp) {
    let team = team(&t).await;
    let original = code_review_course(&t, &team).await;
    let ada = t.signed_in("ada@acme.test").await;

    let download = ada
        .get_bytes(&format!("/courses/{original}/export.zip"), &[])
        .await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.header("content-type"), "application/zip");
    assert_eq!(
        download.header("content-disposition"),
        format!("attachment; filename=\"course-{original}-code-review-at-acme.zip\"")
    );
    let folder = CourseFolder::from_zip(&download.bytes, &Default::default()).expect("unzip");
    let paths: Vec<&str> = folder.files().map(|(p, _)| p).collect();
    assert_eq!(paths.len(), 6, "{paths:?}");
    assert!(paths.contains(&"course.toml"));
    assert!(paths.contains(&"steps/01-why-we-review.md"));
    assert!(paths.contains(&"steps/03-the-checklist.md"));
    assert_eq!(paths.iter().filter(|p| p.starts_with("assets/")).count(), 2);
    let manifest =
        String::from_utf8(folder.get("course.toml").expect("toml").to_vec()).expect("utf-8");
    assert!(
        manifest.contains("group = \"Acme/Engineering\""),
        "{manifest}"
    );
    assert!(
        manifest.contains("audiences = [\"Acme/Sales\"]"),
        "{manifest}"
    );
    assert!(manifest.contains("\"Review checklist.pdf\""), "{manifest}");

    let imported = import_zip(&ada, download.bytes.clone(), &[]).await;
    imported.expect_status(StatusCode::SEE_OTHER);
    assert!(imported.location().ends_with("?notice=published"));
    let copy = course_id(&imported.location());
    assert_ne!(copy, original);

    let store = t.app.store();
    let course_a = store.course(original).await.expect("a").expect("a");
    let course_b = store.course(copy).await.expect("b").expect("b");
    assert_eq!(course_b.owner_id, team.ada.id.0);
    assert_eq!(course_b.group_id, course_a.group_id);
    assert_eq!(course_b.latest_version, Some(1));
    assert_eq!(
        store.audiences_of(copy).await.expect("audiences"),
        vec![team.sales]
    );
    let a = store.version(original, 1).await.expect("v").expect("v");
    let b = store.version(copy, 1).await.expect("v").expect("v");
    assert_eq!(b.state.as_str(), "published");
    assert_eq!(
        (
            &b.title,
            &b.summary,
            &b.language,
            &b.tags,
            b.estimated_minutes
        ),
        (
            &a.title,
            &a.summary,
            &a.language,
            &a.tags,
            a.estimated_minutes
        )
    );
    assert_eq!(b.tags, r#"["review","git","teamwork"]"#);
    assert_eq!(
        (&b.cover_blob, &b.change_note),
        (&a.cover_blob, &a.change_note)
    );
    let steps_a = store.steps_of(a.id).await.expect("steps");
    let steps_b = store.steps_of(b.id).await.expect("steps");
    assert_eq!(steps_b.len(), 3);
    for (x, y) in steps_a.iter().zip(&steps_b) {
        assert_eq!(
            (
                &y.step_key,
                y.position,
                &y.kind,
                &y.title,
                &y.body,
                y.required
            ),
            (
                &x.step_key,
                x.position,
                &x.kind,
                &x.title,
                &x.body,
                x.required
            )
        );
        assert_eq!((&y.video_url, &y.blob_hash), (&x.video_url, &x.blob_hash));
    }

    // Done when: exporting the imported course gives the same folder, byte for byte.
    let again = ada
        .get_bytes(&format!("/courses/{copy}/export.zip"), &[])
        .await;
    assert_eq!(again.status, StatusCode::OK);
    let folder_again = CourseFolder::from_zip(&again.bytes, &Default::default()).expect("unzip");
    assert_eq!(folder_again, folder);
    assert_eq!(again.bytes, download.bytes, "the zips are identical too");

    // The same zip as a draft, into a group chosen on the form.
    let sales = team.sales.to_string();
    t.member(team.ada.id.0, team.sales, "author").await;
    let draft = import_zip(
        &ada,
        download.bytes,
        &[("action", "draft"), ("group_id", &sales)],
    )
    .await;
    draft.expect_status(StatusCode::SEE_OTHER);
    assert!(
        draft.location().ends_with("/edit?notice=draft-saved"),
        "{}",
        draft.location()
    );
    let third = course_id(&draft.location());
    let course_c = store.course(third).await.expect("c").expect("c");
    assert_eq!(
        (course_c.group_id, course_c.latest_version),
        (team.sales, None)
    );
    assert_eq!(
        store
            .version(third, 1)
            .await
            .expect("v")
            .expect("v")
            .state
            .as_str(),
        "draft"
    );

    // People who may not edit a course may not export it.
    let bo = t.signed_in("bo@acme.test").await;
    let refused = bo
        .get_bytes(&format!("/courses/{original}/export.zip"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let missing = ada.get_bytes("/courses/99999/export.zip", &[]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}
story!(an_exported_course_imports_exactly);

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(*name, options).expect("entry");
        w.write_all(data).expect("write");
    }
    w.finish().expect("zip").into_inner()
}

const COURSE_TOML: &[u8] = b"format = 1\ntitle = \"Hand-written\"\n";
const STEP: &[u8] = b"+++\ntitle = \"Hello\"\n+++\nHi.\n";

/// Zips that are unsafe or wrong are refused with the page again (422), naming the file;
/// no course and no file is created.
async fn a_bad_zip_is_refused_and_changes_nothing(t: TestApp) {
    let team = team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let zeros = vec![0u8; 50 * 1024 * 1024];
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            zip_of(&[
                ("course.toml", COURSE_TOML),
                ("steps/01-a.md", STEP),
                ("../evil.md", b"x"),
            ]),
            "\"../evil.md\": goes up a folder",
        ),
        (zip_of(&[("/etc/cron.d/evil", b"x")]), "is an absolute path"),
        (
            zip_of(&[("course.toml", COURSE_TOML), ("assets/zeros.bin", &zeros)]),
            "assets/zeros.bin: unpacks to more than 200 times its packed size",
        ),
        (
            zip_of(&[("steps/01-a.md", STEP)]),
            "course.toml: is missing",
        ),
        (
            zip_of(&[
                ("course.toml", COURSE_TOML),
                (
                    "steps/01-a.md",
                    b"+++\ntitle = \"A\"\nkind = \"quiz\"\n+++\n",
                ),
            ]),
            "steps/01-a.md: Unknown step kind",
        ),
        (
            zip_of(&[
                (
                    "course.toml",
                    b"format = 1\ntitle = \"X\"\ncover = \"assets/cover.png\"\n",
                ),
                ("steps/01-a.md", STEP),
                ("assets/cover.png", b"MZ\x90\0\x03\0\0\0 not an image"),
            ]),
            "assets/cover.png: This file is not a PNG, JPEG, GIF or WebP image",
        ),
        (
            zip_of(&[
                (
                    "course.toml",
                    b"format = 1\ntitle = \"X\"\ngroup = \"Acme/Sales\"\n",
                ),
                ("steps/01-a.md", STEP),
            ]),
            "course.toml: group = \"Acme/Sales\": you cannot write courses for that group",
        ),
        (
            b"this is not a zip".to_vec(),
            "This is not a zip file Lore can read",
        ),
    ];
    for (zip, expected) in cases {
        let page = import_zip(&ada, zip, &[]).await;
        page.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        let shown = page
            .testid("import-error")
            .replace("&#34;", "\"")
            .replace("&#39;", "'");
        assert!(
            shown.contains(expected),
            "expected {expected:?} in {shown:?}"
        );
        assert_eq!(course_count(&t).await, 0);
        assert_eq!(t.app.store().count_blobs().await.expect("blobs"), 0);
    }

    // The app says the same to the command line, naming the file.
    let mut folder = CourseFolder::new();
    folder
        .insert("course.toml", COURSE_TOML.to_vec())
        .expect("insert");
    folder
        .insert(
            "steps/02-x.md",
            b"+++\ntitle = \"X\"\nkind = \"quiz\"\n+++\n".to_vec(),
        )
        .expect("insert");
    match t.app.import_course(&team.ada, &folder, true).await {
        Err(AppError::Invalid(i)) => {
            assert!(i.message.starts_with("steps/02-x.md: "), "{}", i.message)
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(course_count(&t).await, 0);

    // And a good hand-written folder goes in.
    let page = import_zip(
        &ada,
        zip_of(&[
            ("my-course/course.toml", COURSE_TOML),
            ("my-course/steps/01-a.md", STEP),
        ]),
        &[],
    )
    .await;
    page.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(course_count(&t).await, 1);
}
story!(a_bad_zip_is_refused_and_changes_nothing);

/// An import made to fail at its last write (the course's health figures, as it is
/// published) is refused and leaves no course, no event and no outbox row; tried again, it
/// goes in. The files it stored first may stay: they are content-addressed and harmless.
async fn an_import_that_fails_halfway_leaves_no_course(t: TestApp) {
    let team = team(&t).await;
    let mut folder = CourseFolder::new();
    folder
        .insert("course.toml", COURSE_TOML.to_vec())
        .expect("insert");
    folder
        .insert("steps/01-a.md", STEP.to_vec())
        .expect("insert");
    let store = t.app.store();
    let events = store.events_after(0, 100_000).await.expect("events").len();
    let event_outbox = store.outbox_count("event").await.expect("outbox");
    let notification_outbox = store.outbox_count("notification").await.expect("outbox");

    store.fail_next_statement_containing("UPDATE course_health SET");
    let failed = t.app.import_course(&team.ada, &folder, true).await;
    assert!(matches!(failed, Err(AppError::Internal(_))), "{failed:?}");
    assert_eq!(course_count(&t).await, 0, "no course");
    assert_eq!(
        store.events_after(0, 100_000).await.expect("events").len(),
        events
    );
    assert_eq!(
        store.outbox_count("event").await.expect("outbox"),
        event_outbox
    );
    assert_eq!(
        store.outbox_count("notification").await.expect("outbox"),
        notification_outbox
    );

    let id = t
        .app
        .import_course(&team.ada, &folder, true)
        .await
        .expect("import");
    assert_eq!(course_count(&t).await, 1);
    let course = store.course(id).await.expect("course").expect("a course");
    assert_eq!(course.latest_version, Some(1));
}
story!(an_import_that_fails_halfway_leaves_no_course);
