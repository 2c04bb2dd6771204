//! The course editor never loses work: fields autosave one at a time (bad input refused),
//! Publish refuses empty steps and unchanged drafts, the new-course form takes several
//! steps, and "Preview as learner" shows the draft to its editors and records nothing.

use reqwest::StatusCode;

use crate::courses::{course_id, team, write_runbook};
use crate::story;
use crate::support::{Browser, TestApp};

/// The number in `name="{name}" value="{n}"` of the first such input after `after`.
fn input_value(page: &str, after: &str, name: &str) -> String {
    let from = page
        .find(after)
        .unwrap_or_else(|| panic!("{after:?} not on the page"));
    let marker = format!("name=\"{name}\" value=\"");
    let at = page[from..]
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} after {after:?}"))
        + from
        + marker.len();
    page[at..].split('"').next().unwrap_or("").to_owned()
}

/// The step ids of the editor page, in order.
fn step_ids(editor: &str) -> Vec<i64> {
    editor
        .match_indices("<article class=\"editor-step\" id=\"step-")
        .filter_map(|(i, m)| editor[i + m.len()..].split('"').next()?.parse().ok())
        .collect()
}

/// Ada starts a draft through the new-course form with these steps; its id.
async fn draft_with(ada: &Browser, title: &str, steps: &[(&str, &str)]) -> i64 {
    ada.get("/courses/new").await.expect_status(StatusCode::OK);
    let mut fields = vec![("title", title), ("action", "draft")];
    for (t, b) in steps {
        fields.push(("step_title", t));
        fields.push(("step_body", b));
    }
    let created = ada.post("/courses", &fields).await;
    created.expect_status(StatusCode::SEE_OTHER);
    course_id(&created.location())
}

/// (title, body) of every step of a version.
async fn steps_of(t: &TestApp, course: i64, number: i32) -> Vec<(String, String)> {
    let store = t.app.store();
    let version = store
        .version(course, number)
        .await
        .expect("version")
        .expect("that version");
    store
        .steps_of(version.id)
        .await
        .expect("steps")
        .into_iter()
        .map(|s| (s.title, s.body))
        .collect()
}

async fn latest_version(t: &TestApp, course: i64) -> Option<i32> {
    t.app
        .store()
        .course(course)
        .await
        .expect("course")
        .expect("the course")
        .latest_version
}

async fn publish_refuses_empty_steps_and_unchanged_drafts(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = draft_with(
        &ada,
        "Incident review",
        &[
            ("Why we review", "Blameless, within a week."),
            ("The template", ""),
        ],
    )
    .await;

    // Step 2 has a title and nothing else: Publish says which step and publishes nothing.
    let editor = ada.get(&format!("/courses/{id}/edit")).await;
    let refused = ada
        .post(&format!("/courses/{id}/publish"), &[("note", "")])
        .await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let message = refused.testid("publish-error");
    assert!(
        message.contains("Step 2") && message.contains("The template") && message.contains("empty"),
        "{message}"
    );
    assert_eq!(latest_version(&t, id).await, None);
    let bo = t.signed_in("bo@acme.test").await;
    bo.get(&format!("/courses/{id}"))
        .await
        .expect_status(StatusCode::NOT_FOUND);

    // Once the step has text, it publishes.
    let step2 = step_ids(&editor.body)[1];
    ada.post(
        &format!("/courses/{id}/edit/autosave"),
        &[
            ("field", "step_body"),
            ("step_id", &step2.to_string()),
            ("revision", "0"),
            ("value", "Timeline, impact, what we change."),
        ],
    )
    .await
    .expect_status(StatusCode::OK);
    ada.post(&format!("/courses/{id}/publish"), &[("note", "")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    assert_eq!(latest_version(&t, id).await, Some(1));

    // Publishing again with nothing changed is refused: no version 2.
    let editor = ada.get(&format!("/courses/{id}/edit")).await;
    let again = ada
        .post(&format!("/courses/{id}/publish"), &[("note", "Same again")])
        .await;
    again.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let message = again.testid("publish-error");
    assert!(
        message.contains("Nothing changed since version 1"),
        "{message}"
    );
    assert_eq!(latest_version(&t, id).await, Some(1));
    // The use case answers with a stable code for programs.
    let caller = t.caller("ada@acme.test").await;
    let err = t
        .app
        .publish(&caller, id, "")
        .await
        .expect_err("nothing changed");
    assert_eq!(err.code(), "nothing_changed");

    // A real change publishes version 2.
    let revision = input_value(&editor.body, "edit/details", "revision");
    ada.post(
        &format!("/courses/{id}/edit/autosave"),
        &[
            ("field", "summary"),
            ("revision", &revision),
            ("value", "For everyone who was paged."),
        ],
    )
    .await
    .expect_status(StatusCode::OK);
    ada.post(&format!("/courses/{id}/publish"), &[("note", "")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    assert_eq!(latest_version(&t, id).await, Some(2));
}
story!(publish_refuses_empty_steps_and_unchanged_drafts);

async fn the_new_course_form_takes_several_steps(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let form = ada.get("/courses/new").await;
    form.expect_status(StatusCode::OK)
        .expect_contains("Add a step")
        // Without script there are spare slots for more steps.
        .expect_contains("id=\"step_title_2\"")
        .expect_contains("id=\"step_body_3\"");

    // Three steps at once (the empty slot is skipped), published straight away.
    let created = ada
        .post(
            "/courses",
            &[
                ("title", "Code review"),
                ("step_title", "Why"),
                ("step_body", "Two pairs of eyes."),
                ("step_title", "How"),
                ("step_body", "Small changes, kind words."),
                ("step_title", ""),
                ("step_body", ""),
                ("step_title", "When"),
                ("step_body", "Before merging, always."),
                ("action", "publish"),
            ],
        )
        .await;
    created.expect_status(StatusCode::SEE_OTHER);
    let id = course_id(&created.location());
    assert_eq!(
        created.location(),
        format!("/courses/{id}?notice=published")
    );
    assert_eq!(
        steps_of(&t, id, 1).await,
        vec![
            ("Why".to_owned(), "Two pairs of eyes.".to_owned()),
            ("How".to_owned(), "Small changes, kind words.".to_owned()),
            ("When".to_owned(), "Before merging, always.".to_owned()),
        ]
    );

    // Text without a title is refused, with what was typed kept, and nothing is created.
    let before = t.app.store().courses(true).await.expect("courses").len();
    let refused = ada
        .post(
            "/courses",
            &[
                ("title", "Pairing"),
                ("step_title", "Why"),
                ("step_body", "Faster feedback."),
                ("step_title", ""),
                ("step_body", "Swap every 25 minutes."),
                ("action", "draft"),
            ],
        )
        .await;
    refused
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("Step 2 has text but no title")
        .expect_contains("Swap every 25 minutes.");
    // Publishing at once with an empty step is refused the same way: no course left behind.
    ada.post(
        "/courses",
        &[
            ("title", "Pairing"),
            ("step_title", "Why"),
            ("step_body", "Faster feedback."),
            ("step_title", "How"),
            ("step_body", ""),
            ("action", "publish"),
        ],
    )
    .await
    .expect_status(StatusCode::CONFLICT)
    .expect_contains("Step 2 “How” is empty");
    assert_eq!(
        t.app.store().courses(true).await.expect("courses").len(),
        before
    );
}
story!(the_new_course_form_takes_several_steps);

async fn the_preview_shows_the_draft_to_editors_and_records_nothing(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let ada_id = t.caller("ada@acme.test").await.id.0;
    let events_before = t.app.store().events_of(ada_id, id).await.expect("events");
    let versions_before = t.app.store().versions_of(id).await.expect("versions").len();

    // Published, no draft open: the preview shows the newest version without starting one.
    let first = ada.get(&format!("/courses/{id}/preview")).await;
    first
        .expect_status(StatusCode::OK)
        .expect_contains("Preview as learner")
        .expect_contains("Nothing you do here is recorded")
        .expect_contains("Before your shift")
        .expect_contains("<strong>pager</strong>");
    assert_eq!(first.testid("step-counter"), "Step 1 of 3");
    ada.get(&format!("/courses/{id}/preview/3"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("<strong>flamingo</strong>");
    ada.get(&format!("/courses/{id}/preview/4"))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    assert_eq!(
        t.app.store().versions_of(id).await.expect("versions").len(),
        versions_before,
        "a preview starts no draft"
    );

    // The editor links to it; a draft edit shows in the preview at once.
    let editor = ada.get(&format!("/courses/{id}/edit")).await;
    editor.expect_contains(&format!("href=\"/courses/{id}/preview\""));
    let step = step_ids(&editor.body)[0];
    let revision = input_value(&editor.body, &format!("id=\"step-{step}\""), "revision");
    ada.post(
        &format!("/courses/{id}/edit/autosave"),
        &[
            ("field", "step_title"),
            ("step_id", &step.to_string()),
            ("revision", &revision),
            ("value", "Before your shift starts"),
        ],
    )
    .await
    .expect_status(StatusCode::OK);
    ada.get(&format!("/courses/{id}/preview/1"))
        .await
        .expect_contains("Before your shift starts")
        .expect_contains("the draft of version 2");

    // Nothing was recorded: no enrolment, no event, the course page says "Start".
    assert!(
        t.app
            .store()
            .enrolments_in(id)
            .await
            .expect("enrolments")
            .is_empty()
    );
    assert_eq!(
        t.app.store().events_of(ada_id, id).await.expect("events"),
        events_before
    );

    // Only the course's editors may open it.
    let bo = t.signed_in("bo@acme.test").await;
    bo.get(&format!("/courses/{id}"))
        .await
        .expect_status(StatusCode::OK);
    bo.get(&format!("/courses/{id}/preview"))
        .await
        .expect_status(StatusCode::FORBIDDEN);
    let sam = t.signed_in("sam@acme.test").await;
    sam.get(&format!("/courses/{id}/preview/1"))
        .await
        .expect_status(StatusCode::NOT_FOUND);
}
story!(the_preview_shows_the_draft_to_editors_and_records_nothing);

async fn autosave_saves_one_field_and_refuses_bad_input(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = draft_with(&ada, "Backups", &[("Intro", "Why we keep three copies.")]).await;
    let editor = ada.get(&format!("/courses/{id}/edit")).await;
    editor
        .expect_status(StatusCode::OK)
        .expect_contains("data-check=\"summary\" data-done=\"false\"");
    let step = step_ids(&editor.body)[0];
    let step_id = step.to_string();
    let url = format!("/courses/{id}/edit/autosave");

    // The step's title alone is saved; its text stays as it was.
    let saved = ada
        .post(
            &url,
            &[
                ("field", "step_title"),
                ("step_id", &step_id),
                ("revision", "0"),
                ("value", "Three copies"),
            ],
        )
        .await;
    saved.expect_status(StatusCode::OK);
    assert_eq!(saved.json()["revision"], 1);
    let expected = vec![(
        "Three copies".to_owned(),
        "Why we keep three copies.".to_owned(),
    )];
    assert_eq!(steps_of(&t, id, 1).await, expected);

    // An empty title is refused with a reason, and nothing changes.
    let empty = ada
        .post(
            &url,
            &[
                ("field", "step_title"),
                ("step_id", &step_id),
                ("revision", "1"),
                ("value", "   "),
            ],
        )
        .await;
    empty.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.json()["error"]["code"], "invalid_input");
    assert!(
        empty.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("title")),
        "{}",
        empty.body
    );
    // A save made from an older copy of the page is a conflict, not a silent overwrite.
    let stale = ada
        .post(
            &url,
            &[
                ("field", "step_body"),
                ("step_id", &step_id),
                ("revision", "0"),
                ("value", "Overwritten"),
            ],
        )
        .await;
    stale.expect_status(StatusCode::CONFLICT);
    assert_eq!(stale.json()["error"]["code"], "conflict");
    // Fields that do not exist, and bad values for those that do, are refused.
    ada.post(
        &url,
        &[("field", "owner"), ("revision", "0"), ("value", "me")],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let revision = input_value(&editor.body, "edit/details", "revision");
    ada.post(
        &url,
        &[
            ("field", "estimated_minutes"),
            ("revision", &revision),
            ("value", "soon"),
        ],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(steps_of(&t, id, 1).await, expected);

    // Course fields save one at a time too, and the checklist ticks.
    ada.post(
        &url,
        &[
            ("field", "summary"),
            ("revision", &revision),
            ("value", "For everyone who runs a database."),
        ],
    )
    .await
    .expect_status(StatusCode::OK);
    let version = t
        .app
        .store()
        .version(id, 1)
        .await
        .expect("version")
        .expect("draft");
    assert_eq!(version.summary, "For everyone who runs a database.");
    assert_eq!(version.title, "Backups");
    ada.get(&format!("/courses/{id}/edit"))
        .await
        .expect_contains("data-check=\"summary\" data-done=\"true\"")
        .expect_contains("data-check=\"topics\" data-done=\"false\"");

    // Without the CSRF token, or from someone who may not edit, nothing is saved.
    ada.post_raw(
        &url,
        &[
            ("field", "step_title"),
            ("step_id", &step_id),
            ("revision", "1"),
            ("value", "Forged"),
        ],
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);
    let bo = t.signed_in("bo@acme.test").await;
    bo.get("/").await;
    let refused = bo
        .post(
            &url,
            &[
                ("field", "step_title"),
                ("step_id", &step_id),
                ("revision", "1"),
                ("value", "Mine now"),
            ],
        )
        .await;
    assert!(
        matches!(
            refused.status,
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ),
        "{}",
        refused.status
    );
    assert_eq!(steps_of(&t, id, 1).await, expected);
}
story!(autosave_saves_one_field_and_refuses_bad_input);

/// Add a text step with its text to the open draft, as the editor does (the "Add step" form,
/// then the text autosaved), for stories that publish a new version.
pub(crate) async fn add_step_with_text(author: &Browser, course: i64, title: &str, body: &str) {
    author.get(&format!("/courses/{course}/edit")).await;
    let added = author
        .post(
            &format!("/courses/{course}/edit/steps"),
            &[("title", title), ("kind", "text")],
        )
        .await;
    added.expect_status(StatusCode::SEE_OTHER);
    let step = added
        .location()
        .rsplit("#step-")
        .next()
        .expect("the new step's anchor")
        .to_owned();
    author
        .post(
            &format!("/courses/{course}/edit/autosave"),
            &[
                ("field", "step_body"),
                ("step_id", &step),
                ("revision", "0"),
                ("value", body),
            ],
        )
        .await
        .expect_status(StatusCode::OK);
}
