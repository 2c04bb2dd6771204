//! Courses end to end: write and publish, find by search, take, resume, complete,
//! publish a new version, see what changed; visibility; bad input.

use reqwest::StatusCode;

use crate::story;
use crate::support::{Browser, TestApp};

/// The id in a `/courses/{id}…` redirect.
pub(crate) fn course_id(location: &str) -> i64 {
    location
        .trim_start_matches("/courses/")
        .split(['/', '?', '#'])
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no course id in {location:?}"))
}

/// The step ids of the editor page, in order.
pub(crate) fn step_ids(editor: &str) -> Vec<i64> {
    editor
        .match_indices("<article class=\"editor-step\" id=\"step-")
        .filter_map(|(i, m)| editor[i + m.len()..].split('"').next()?.parse().ok())
        .collect()
}

pub(crate) async fn team(t: &TestApp) -> (i64, i64) {
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let sales = t.group(Some(acme), "Sales").await;
    let ada = t.person("ada@acme.test", "Ada Author", false).await;
    t.member(ada, eng, "learner").await;
    let bo = t.person("bo@acme.test", "Bo Learner", false).await;
    t.member(bo, eng, "learner").await;
    let sam = t.person("sam@acme.test", "Sam Sales", false).await;
    t.member(sam, sales, "learner").await;
    (eng, sales)
}

/// Ada writes a three-step course through the pages and publishes version 1.
pub(crate) async fn write_runbook(ada: &Browser) -> i64 {
    ada.get("/courses/new").await.expect_status(StatusCode::OK);
    let created = ada
        .post(
            "/courses",
            &[
                ("title", "On-call runbook"),
                ("step_title", "Before your shift"),
                ("step_body", "Check the **pager** works."),
                ("action", "draft"),
            ],
        )
        .await;
    created.expect_status(StatusCode::SEE_OTHER);
    let id = course_id(&created.location());
    ada.get(&format!("/courses/{id}/edit"))
        .await
        .expect_status(StatusCode::OK);
    for title in ["When the pager fires", "Handing over"] {
        ada.post(
            &format!("/courses/{id}/edit/steps"),
            &[("title", title), ("kind", "text")],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    }
    let editor = ada.get(&format!("/courses/{id}/edit")).await;
    let steps = step_ids(&editor.body);
    assert_eq!(steps.len(), 3);
    let bodies = [
        "Acknowledge within five minutes, then open the incident channel.",
        "Write the handover note: open incidents, noisy alerts, and the **flamingo** dashboard.",
    ];
    for (step, (title, body)) in steps[1..]
        .iter()
        .zip(["When the pager fires", "Handing over"].iter().zip(bodies))
    {
        ada.post(
            &format!("/courses/{id}/edit/steps/{step}"),
            &[
                ("revision", "0"),
                ("kind", "text"),
                ("title", title),
                ("body", body),
                ("required", "1"),
            ],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    }
    let published = ada
        .post(&format!("/courses/{id}/publish"), &[("note", "")])
        .await;
    published.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(
        published.location(),
        format!("/courses/{id}?notice=published")
    );
    id
}

async fn a_course_is_found_taken_resumed_completed_and_its_changes_shown(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;

    // Bo finds it by a word that only appears in step 3.
    let bo = t.signed_in("bo@acme.test").await;
    let found = bo.get("/courses?q=flamingo").await;
    found
        .expect_status(StatusCode::OK)
        .expect_contains("On-call runbook")
        .expect_contains("<mark>flamingo</mark>");
    bo.get("/courses?q=unicorn")
        .await
        .expect_lacks("On-call runbook")
        .expect_contains("Nothing matches");

    // He starts, does step 1, looks at step 2, and stops.
    bo.get(&format!("/courses/{id}"))
        .await
        .expect_contains("Start the course");
    let started = bo.post(&format!("/courses/{id}/enrol"), &[]).await;
    assert_eq!(started.location(), format!("/courses/{id}/learn"));
    let step1 = bo.get(&format!("/courses/{id}/learn")).await;
    step1
        .expect_contains("Step 1 of 3")
        .expect_contains("<strong>pager</strong>");
    let key1 = step1
        .body
        .split("/steps/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("step key")
        .to_owned();
    let next = bo
        .post(
            &format!("/courses/{id}/steps/{key1}/complete"),
            &[("position", "1"), ("count", "3"), ("opened_at", "0")],
        )
        .await;
    assert_eq!(next.location(), format!("/courses/{id}/learn/2"));
    bo.get(&format!("/courses/{id}/learn/2"))
        .await
        .expect_contains("Step 2 of 3");

    // Later, in another browser, he resumes where he left off.
    let bo = t.signed_in("bo@acme.test").await;
    let resumed = bo.get(&format!("/courses/{id}/learn")).await;
    resumed
        .expect_contains("Step 2 of 3")
        .expect_contains("33% done");
    bo.get("/learning")
        .await
        .expect_contains("On-call runbook")
        .expect_contains("33%");
    for position in [2, 3] {
        let page = bo.get(&format!("/courses/{id}/learn/{position}")).await;
        let key = page
            .body
            .split("/steps/")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .expect("key")
            .to_owned();
        let r = bo
            .post(
                &format!("/courses/{id}/steps/{key}/complete"),
                &[("position", &position.to_string()), ("count", "3")],
            )
            .await;
        if position == 3 {
            assert_eq!(
                r.location(),
                format!("/courses/{id}?notice=course-completed")
            );
        }
    }
    bo.get(&format!("/courses/{id}"))
        .await
        .expect_contains("100% done")
        .expect_contains("completed");

    // Ada publishes version 2 with a changed step 2.
    let editor = ada.get(&format!("/courses/{id}/edit")).await;
    editor.expect_contains("draft of version 2");
    let step2 = step_ids(&editor.body)[1];
    ada.post(
        &format!("/courses/{id}/edit/steps/{step2}"),
        &[
            ("revision", "0"),
            ("kind", "text"),
            ("title", "When the pager fires"),
            (
                "body",
                "Acknowledge within two minutes, then open the incident channel.",
            ),
            ("required", "1"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    ada.post(
        &format!("/courses/{id}/publish"),
        &[("note", "Faster acknowledgement")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);

    // Bo sees what changed, word by word.
    let page = bo.get(&format!("/courses/{id}")).await;
    page.expect_contains("What changed since you finished")
        .expect_contains("<del>five</del>")
        .expect_contains("<ins>two</ins>");
    bo.get("/learning").await.expect_contains("updated since");
    ada.get(&format!("/courses/{id}/versions/diff?from=1&to=2"))
        .await
        .expect_contains("<ins>two</ins>")
        .expect_contains("Faster acknowledgement");

    // Every step of the way is in the event log.
    let bo_id = t
        .app
        .store()
        .user_by_email("bo@acme.test")
        .await
        .expect("q")
        .expect("bo")
        .id;
    let verbs: Vec<String> = t
        .app
        .store()
        .events_of(bo_id, id)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.verb)
        .collect();
    for verb in [
        "viewed-course",
        "enrolled",
        "started",
        "viewed-step",
        "completed-step",
        "completed-course",
    ] {
        assert!(verbs.iter().any(|v| v == verb), "{verb} in {verbs:?}");
    }
    assert_eq!(verbs.iter().filter(|v| *v == "completed-step").count(), 3);
}
story!(a_course_is_found_taken_resumed_completed_and_its_changes_shown);

/// A learner in the middle of version 1 keeps it when version 2 comes out, and may switch;
/// progress on unchanged steps follows the step keys.
async fn progress_follows_step_keys_across_versions(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let bo = t.signed_in("bo@acme.test").await;
    bo.start_course(id).await;
    let step1 = bo.get(&format!("/courses/{id}/learn")).await;
    let key1 = step1
        .body
        .split("/steps/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("key")
        .to_owned();
    bo.post(
        &format!("/courses/{id}/steps/{key1}/complete"),
        &[("position", "1"), ("count", "3")],
    )
    .await;

    crate::editor::add_step_with_text(&ada, id, "Postmortem", "What happened, and what we change.")
        .await;
    ada.post(
        &format!("/courses/{id}/publish"),
        &[("note", "Adds postmortems")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);

    let player = bo.get(&format!("/courses/{id}/learn/1")).await;
    player
        .expect_contains("version 2 is out")
        .expect_contains("Step 1 of 3");
    bo.post(&format!("/courses/{id}/switch-latest"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let after = bo.get(&format!("/courses/{id}/learn/1")).await;
    after
        .expect_contains("Step 1 of 4")
        .expect_contains("25% done")
        .expect_lacks("version 2 is out");
}
story!(progress_follows_step_keys_across_versions);

/// The step hrefs of a page (`/courses/{id}/learn/{n}`), in order, each once.
fn step_links(body: &str, id: i64) -> Vec<String> {
    let prefix = format!("href=\"/courses/{id}/learn/");
    let mut links: Vec<String> = body
        .match_indices(&prefix)
        .filter_map(|(i, m)| body[i + m.len()..].split('"').next())
        .map(|n| format!("/courses/{id}/learn/{n}"))
        .collect();
    links.dedup();
    links
}

/// A learner on version 1 sees version 1's steps on the course page and in the player, with
/// the offer to switch; every step link shown opens.
async fn a_learner_on_an_older_version_sees_only_steps_that_open(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let bo = t.signed_in("bo@acme.test").await;
    bo.start_course(id).await;
    bo.get(&format!("/courses/{id}/learn")).await;

    crate::editor::add_step_with_text(&ada, id, "Postmortem", "What happened, and what we change.")
        .await;
    ada.post(&format!("/courses/{id}/publish"), &[("note", "")])
        .await
        .expect_status(StatusCode::SEE_OTHER);

    let course = bo.get(&format!("/courses/{id}")).await;
    course
        .expect_status(StatusCode::OK)
        .expect_contains("You are taking version 1")
        .expect_contains("Switch to version 2")
        .expect_lacks("Postmortem");
    let player = bo.get(&format!("/courses/{id}/learn/1")).await;
    player
        .expect_contains("version 2 is out")
        .expect_contains("Switch to the newest")
        .expect_contains("When the pager fires")
        .expect_lacks("Postmortem");
    let mut links = step_links(&course.body, id);
    links.extend(step_links(&player.body, id));
    assert!(links.len() >= 3, "step links: {links:?}");
    for link in links {
        bo.get(&link).await.expect_status(StatusCode::OK);
    }

    // After switching, the new step is listed and opens.
    bo.post(&format!("/courses/{id}/switch-latest"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    bo.get(&format!("/courses/{id}"))
        .await
        .expect_contains("Postmortem");
    bo.get(&format!("/courses/{id}/learn/4"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Step 4 of 4");
}
story!(a_learner_on_an_older_version_sees_only_steps_that_open);

/// Who sees what: the owning group and the audience; drafts only for their authors;
/// archived courses leave the catalogue.
async fn the_catalogue_shows_what_each_person_may_take(t: TestApp) {
    let (_, sales) = team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    ada.get("/courses/new").await;
    let draft = ada
        .post(
            "/courses",
            &[
                ("title", "Secret draft"),
                ("step_body", "wip"),
                ("action", "draft"),
            ],
        )
        .await;
    let draft_id = course_id(&draft.location());
    let id = write_runbook(&ada).await;

    let sam = t.signed_in("sam@acme.test").await;
    sam.get("/courses").await.expect_lacks("On-call runbook");
    sam.get(&format!("/courses/{id}"))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    let bo = t.signed_in("bo@acme.test").await;
    bo.get("/courses")
        .await
        .expect_contains("On-call runbook")
        .expect_lacks("Secret draft");
    bo.get(&format!("/courses/{draft_id}"))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    bo.get(&format!("/courses/{draft_id}/edit"))
        .await
        .expect_status(StatusCode::NOT_FOUND);

    // Ada adds Sales to the audience: Sam sees it now.
    ada.get(&format!("/courses/{id}/edit")).await;
    ada.post(
        &format!("/courses/{id}/edit/people"),
        &[("action", "audience"), ("audience", &sales.to_string())],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    sam.get("/courses").await.expect_contains("On-call runbook");
    sam.get(&format!("/courses?group={sales}"))
        .await
        .expect_contains("On-call runbook");

    // Archived: gone from the catalogue and search, back when restored.
    ada.post(&format!("/courses/{id}/archive"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    bo.get("/courses").await.expect_lacks("On-call runbook");
    bo.get("/courses?q=flamingo")
        .await
        .expect_lacks("On-call runbook");
    ada.post(&format!("/courses/{id}/restore"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    bo.get("/courses?q=flamingo")
        .await
        .expect_contains("On-call runbook");

    // A draft nobody took can be deleted; a published course cannot.
    ada.get(&format!("/courses/{id}/edit")).await;
    ada.post(&format!("/courses/{id}/delete"), &[])
        .await
        .expect_status(StatusCode::CONFLICT)
        .expect_contains("Archive it instead");
    ada.get(&format!("/courses/{draft_id}/edit")).await;
    ada.post(&format!("/courses/{draft_id}/delete"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    ada.get(&format!("/courses/{draft_id}/edit"))
        .await
        .expect_status(StatusCode::NOT_FOUND);
}
story!(the_catalogue_shows_what_each_person_may_take);

/// Bad input gets a clear answer and changes nothing.
async fn bad_course_input_is_refused_or_rendered_inert(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    ada.get("/courses/new").await;
    ada.post(
        "/courses",
        &[("title", "   "), ("step_body", "x"), ("action", "publish")],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("Enter a title");
    let long = "x".repeat(10_000);
    ada.post(
        "/courses",
        &[("title", &long), ("step_body", "x"), ("action", "publish")],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("150 characters");
    assert!(
        t.app
            .store()
            .courses(true)
            .await
            .expect("courses")
            .is_empty(),
        "nothing created"
    );

    // Script, javascript: links and event handlers are inert for learners.
    let evil =
        "Hi <script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)>";
    let r = ada
        .post(
            "/courses",
            &[
                ("title", "Evil"),
                ("step_body", evil),
                ("action", "publish"),
            ],
        )
        .await;
    let id = course_id(&r.location());
    let bo = t.signed_in("bo@acme.test").await;
    bo.start_course(id).await;
    let player = bo.get(&format!("/courses/{id}/learn")).await;
    let body = player.testid("step-body");
    assert!(
        !body.contains("<script") && !body.contains("javascript:") && !body.contains("onerror"),
        "{body}"
    );

    // Two tabs: the second save of the same step is told it is stale; its text is kept.
    let editor = ada.get(&format!("/courses/{id}/edit")).await;
    let step = step_ids(&editor.body)[0];
    let fields = |body: &'static str| {
        [
            ("revision", "0"),
            ("kind", "text"),
            ("title", "Intro"),
            ("body", body),
            ("required", "1"),
        ]
    };
    ada.post(
        &format!("/courses/{id}/edit/steps/{step}"),
        &fields("First tab's text"),
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let stale = ada
        .post(
            &format!("/courses/{id}/edit/steps/{step}"),
            &fields("Second tab's precious text"),
        )
        .await;
    stale
        .expect_status(StatusCode::CONFLICT)
        .expect_contains("Someone saved this step")
        .expect_contains("Second tab&#39;s precious text");
    let draft = ada.get(&format!("/courses/{id}/edit")).await;
    draft.expect_contains("First tab&#39;s text");

    // Someone without rights cannot reorder, edit or publish.
    let editor = ada.get(&format!("/courses/{id}/edit")).await;
    ada.post(
        &format!("/courses/{id}/edit/steps"),
        &[("title", "Second"), ("kind", "text")],
    )
    .await;
    let order_before = step_ids(&ada.get(&format!("/courses/{id}/edit")).await.body);
    let _ = editor;
    bo.get(&format!("/courses/{id}")).await;
    let moved = bo
        .post(
            &format!("/courses/{id}/edit/steps/{}/move", order_before[1]),
            &[("direction", "up")],
        )
        .await;
    assert!(
        moved.status == StatusCode::FORBIDDEN || moved.status == StatusCode::NOT_FOUND,
        "{}",
        moved.status
    );
    bo.post(&format!("/courses/{id}/publish"), &[("note", "mine now")])
        .await
        .expect_status(StatusCode::FORBIDDEN);
    assert_eq!(
        step_ids(&ada.get(&format!("/courses/{id}/edit")).await.body),
        order_before
    );

    // A bad video link is refused.
    let step = order_before[1];
    ada.post(
        &format!("/courses/{id}/edit/steps/{step}"),
        &[
            ("revision", "0"),
            ("kind", "video"),
            ("title", "Clip"),
            ("body", ""),
            ("video_url", "javascript:alert(1)"),
        ],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("https://");
}
story!(bad_course_input_is_refused_or_rendered_inert);

/// The same search through the API, with the same visibility rules.
async fn the_catalogue_search_is_in_the_api(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let token = |b: Browser| async move {
        b.get("/account").await;
        b.post("/account/tokens", &[("name", "search")])
            .await
            .testid("new-token")
    };
    let bo = t.api(&token(t.signed_in("bo@acme.test").await).await);
    let hits = bo.get("/courses?q=flamingo").await;
    hits.expect_status(StatusCode::OK);
    let json = hits.json();
    assert_eq!(json["total"], 1);
    assert_eq!(json["page"], 1);
    let json = &json["courses"];
    assert_eq!(json[0]["id"], id);
    assert!(
        json[0]["snippet"]
            .as_str()
            .expect("snippet")
            .contains("<mark>flamingo</mark>")
    );
    assert_eq!(
        bo.get("/courses?q=zebra").await.json()["courses"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    let detail = bo.get(&format!("/courses/{id}")).await.json();
    assert_eq!(detail["steps"].as_array().map(Vec::len), Some(3));
    assert_eq!(detail["taking_version"], serde_json::Value::Null);
    let sam = t.api(&token(t.signed_in("sam@acme.test").await).await);
    assert_eq!(
        sam.get("/courses?q=flamingo").await.json()["courses"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    sam.get(&format!("/courses/{id}"))
        .await
        .expect_status(StatusCode::NOT_FOUND);
    assert_eq!(
        bo.get("/courses?group=abc").await.json()["error"]["code"],
        "invalid_input"
    );
}
story!(the_catalogue_search_is_in_the_api);

/// A group can restrict authoring to authors and above; learners then cannot start a course.
async fn groups_can_restrict_who_writes_courses(t: TestApp) {
    let (eng, _) = team(&t).await;
    let gina = t.person("gina@acme.test", "Gina Admin", false).await;
    t.member(gina, eng, "admin").await;
    let admin = t.signed_in("gina@acme.test").await;
    admin
        .get(&format!("/groups/{eng}"))
        .await
        .expect_contains("Who may write courses");
    admin
        .post(&format!("/groups/{eng}/authoring"), &[("role", "author")])
        .await
        .expect_status(StatusCode::SEE_OTHER);

    let bo = t.signed_in("bo@acme.test").await;
    bo.get("/courses/new")
        .await
        .expect_contains("not in a group where you may write courses");
    bo.post(
        "/courses",
        &[("title", "Mine"), ("step_body", "x"), ("action", "publish")],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    // An author in the group still can.
    let ada = t
        .app
        .store()
        .user_by_email("ada@acme.test")
        .await
        .expect("q")
        .expect("ada")
        .id;
    t.member(ada, eng, "author").await;
    let ada = t.signed_in("ada@acme.test").await;
    ada.get("/courses/new").await;
    ada.post(
        "/courses",
        &[
            ("title", "Allowed"),
            ("step_body", "x"),
            ("action", "publish"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    // Only group admins change the setting.
    bo.post(&format!("/groups/{eng}/authoring"), &[("role", "learner")])
        .await
        .expect_status(StatusCode::FORBIDDEN);
}
story!(groups_can_restrict_who_writes_courses);

/// Dragging steps sends the new order; it must name every step once, and only editors may.
async fn steps_are_reordered_by_their_editors_only(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let before = step_ids(&ada.get(&format!("/courses/{id}/edit")).await.body);
    let reversed: Vec<String> = before.iter().rev().map(i64::to_string).collect();
    ada.post(
        &format!("/courses/{id}/edit/order"),
        &[("order", &reversed.join(","))],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let after = step_ids(&ada.get(&format!("/courses/{id}/edit")).await.body);
    assert_eq!(after, before.iter().rev().copied().collect::<Vec<_>>());
    ada.post(
        &format!("/courses/{id}/edit/order"),
        &[("order", &reversed[..2].join(","))],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    ada.post(&format!("/courses/{id}/edit/order"), &[("order", "1,x")])
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let bo = t.signed_in("bo@acme.test").await;
    bo.get(&format!("/courses/{id}")).await;
    let refused = bo
        .post(
            &format!("/courses/{id}/edit/order"),
            &[("order", &reversed.join(","))],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        step_ids(&ada.get(&format!("/courses/{id}/edit")).await.body),
        after
    );
}
story!(steps_are_reordered_by_their_editors_only);

/// Uploads from the editor: an image goes into a text step's Markdown and shows in the
/// player; a video step takes a video; an upload that is not what it claims is refused.
async fn steps_take_images_videos_and_documents(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let editor = ada.get(&format!("/courses/{id}/edit")).await;
    let steps = step_ids(&editor.body);
    let attach = |step: i64| format!("/courses/{id}/edit/steps/{step}/attach");
    let r = ada
        .post_multipart(
            &attach(steps[0]),
            &[],
            Some(("pager.png", "image/png", crate::blobs::PNG_1X1.to_vec())),
        )
        .await;
    r.expect_status(StatusCode::SEE_OTHER);
    let editor = ada.get(&format!("/courses/{id}/edit")).await;
    editor.expect_contains("![pager.png](/blobs/");

    // (Publishing made version 2's draft: its steps are new rows, each at revision 0.)
    // A "video" that is really text is refused and the step stays as it was.
    ada.post(
        &format!("/courses/{id}/edit/steps/{}", steps[1]),
        &[
            ("revision", "0"),
            ("kind", "video"),
            ("title", "When the pager fires"),
            ("body", "Watch this."),
            ("required", "1"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let refused = ada
        .post_multipart(
            &attach(steps[1]),
            &[],
            Some(("clip.mp4", "video/mp4", b"not a video at all".to_vec())),
        )
        .await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let before_publish = ada
        .post(&format!("/courses/{id}/publish"), &[("note", "")])
        .await;
    before_publish
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("needs a video");

    // The image shows in the player once published (with the video step back to text).
    ada.post(
        &format!("/courses/{id}/edit/steps/{}", steps[1]),
        &[
            ("revision", "1"),
            ("kind", "text"),
            ("title", "When the pager fires"),
            ("body", "Acknowledge."),
            ("required", "1"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    ada.post(
        &format!("/courses/{id}/publish"),
        &[("note", "Picture of the pager")],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let bo = t.signed_in("bo@acme.test").await;
    bo.start_course(id).await;
    bo.get(&format!("/courses/{id}/learn/1"))
        .await
        .expect_contains("<img src=\"/blobs/");
}
story!(steps_take_images_videos_and_documents);

/// A coach assigns a course with a due date; it heads the learner's home and "My learning",
/// marked overdue once the date passes. Coaches cannot assign outside their groups.
async fn coaches_assign_courses_with_due_dates(t: TestApp) {
    let (eng, _) = team(&t).await;
    let cleo = t.person("cleo@acme.test", "Cleo Coach", false).await;
    t.member(cleo, eng, "coach").await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;

    let coach = t.signed_in("cleo@acme.test").await;
    coach
        .get(&format!("/courses/{id}"))
        .await
        .expect_contains("Assign to someone");
    coach
        .post(
            &format!("/courses/{id}/assign"),
            &[("email", "bo@acme.test"), ("due", "2026-11-20")],
        )
        .await
        .expect_status(StatusCode::SEE_OTHER);
    coach
        .post(
            &format!("/courses/{id}/assign"),
            &[("email", "sam@acme.test"), ("due", "2026-11-20")],
        )
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    coach
        .post(
            &format!("/courses/{id}/assign"),
            &[("email", "bo@acme.test"), ("due", "20/11/2026")],
        )
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("YYYY-MM-DD");
    coach
        .post(
            &format!("/courses/{id}/assign"),
            &[("email", "bo@acme.test"), ("due", "2026-10-01")],
        )
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("future");

    let bo = t.signed_in("bo@acme.test").await;
    bo.get("/")
        .await
        .expect_contains("Assigned to you")
        .expect_contains("due 20 Nov 2026");
    bo.get("/learning")
        .await
        .expect_contains("On-call runbook")
        .expect_lacks("overdue");
    t.clock.advance(time::Duration::days(20));
    bo.get("/learning").await.expect_contains("overdue");
    // A learner cannot assign.
    bo.post(
        &format!("/courses/{id}/assign"),
        &[("email", "ada@acme.test"), ("due", "")],
    )
    .await
    .expect_status(StatusCode::FORBIDDEN);
}
story!(coaches_assign_courses_with_due_dates);

/// A cover image shows on the course page and in the catalogue; a fake image is refused.
async fn courses_have_a_cover_image(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    ada.get(&format!("/courses/{id}/edit")).await;
    ada.post_multipart(
        &format!("/courses/{id}/edit/cover"),
        &[],
        Some(("cover.png", "image/png", b"<script>".to_vec())),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    ada.post_multipart(
        &format!("/courses/{id}/edit/cover"),
        &[],
        Some(("cover.png", "image/png", crate::blobs::PNG_1X1.to_vec())),
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    ada.post(&format!("/courses/{id}/publish"), &[("note", "Cover")])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    let bo = t.signed_in("bo@acme.test").await;
    bo.get(&format!("/courses/{id}"))
        .await
        .expect_contains("class=\"cover\"");
    bo.get("/courses")
        .await
        .expect_contains("class=\"cover-thumb\"");
}
story!(courses_have_a_cover_image);

/// Course-page views are written by the worker, off the request path, and none is lost when
/// the server stops: views still waiting are written before the worker ends.
async fn course_page_views_are_written_by_the_worker_and_kept_at_stop(mut t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let bo = t.signed_in("bo@acme.test").await;
    for _ in 0..3 {
        bo.get(&format!("/courses/{id}"))
            .await
            .expect_status(StatusCode::OK);
    }
    t.stop_worker().await;
    let bo_id = t.caller("bo@acme.test").await.id.0;
    let views = t
        .app
        .store()
        .events_of(bo_id, id)
        .await
        .expect("events")
        .into_iter()
        .filter(|e| e.verb == "viewed-course")
        .collect::<Vec<_>>();
    assert_eq!(
        views.len(),
        3,
        "every view is written by the time the worker has stopped"
    );
    assert!(
        views
            .iter()
            .all(|e| e.version_number == Some(1) && e.group_id.is_some()),
        "each view keeps the version and context of the moment it was seen: {views:?}"
    );
    // With no worker, a view is written at once.
    bo.get(&format!("/courses/{id}"))
        .await
        .expect_status(StatusCode::OK);
    let after = t.app.store().events_of(bo_id, id).await.expect("events");
    assert_eq!(
        after.iter().filter(|e| e.verb == "viewed-course").count(),
        4
    );
}
story!(
    course_page_views_are_written_by_the_worker_and_kept_at_stop,
    settings = |s| s.views_in_batches = true
);
