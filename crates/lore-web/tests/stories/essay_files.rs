//! A file with an essay answer (decision 0050): the learner attaches one file to an essay
//! answer; the coach sees a link to it in the review queue and reads it; another learner,
//! knowing the address or the stored file's hash, gets 404; a file over the limit is refused
//! with a clear message and nothing changes; the API does the same.

use reqwest::{Method, StatusCode};

use crate::api::token_for;
use crate::essays::{read_the_step, setup};
use crate::story;
use crate::support::TestApp;

/// A multipart body with one `file` part, for the API.
fn multipart(name: &str, mime: &str, data: &[u8]) -> (String, Vec<u8>) {
    let boundary = "lore-story-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {mime}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn a_learner_attaches_a_file_the_coach_reads_it_and_no_one_else(t: TestApp) {
    let s = setup(&t).await;
    let course = s.course;
    let lea = t.signed_in("lea@acme.test").await;
    lea.start_course(course).await;
    read_the_step(&t, "lea@acme.test", course).await;
    let started = lea
        .post(&format!("/courses/{course}/evaluation"), &[])
        .await;
    started.expect_status(StatusCode::SEE_OTHER);
    let attempt_path = started.location();
    let attempt: i64 = attempt_path
        .trim_start_matches("/attempts/")
        .parse()
        .expect("attempt id");
    lea.get(&attempt_path)
        .await
        .expect_contains("Files with your answers");
    let file_path = format!("/attempts/{attempt}/answers/{}/file", s.essay_key);
    let notes = b"# Timeline\n\n09:00 paged.\n".to_vec();
    lea.post_multipart(
        &file_path,
        &[],
        Some(("timeline.md", "text/markdown", notes.clone())),
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    lea.get(&attempt_path).await.expect_contains("timeline.md");

    // Over the document limit (1 KB here): refused with the limit, the file unchanged.
    let lea_id = t.caller("lea@acme.test").await.id.0;
    let attached = || async {
        t.app
            .store()
            .count_events_since(
                lea_id,
                "attached-essay-file",
                time::OffsetDateTime::UNIX_EPOCH,
            )
            .await
            .expect("events")
    };
    let events = attached().await;
    let blobs = t.app.store().count_blobs().await.expect("blobs");
    lea.post_multipart(
        &file_path,
        &[],
        Some(("huge.md", "text/markdown", vec![b'a'; 4096])),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("Documents may be at most 1 KB");
    assert_eq!(attached().await, events);
    assert_eq!(t.app.store().count_blobs().await.expect("blobs"), blobs);
    let mine = lea.get_bytes(&file_path, &[]).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.bytes, notes, "the learner reads their file, unchanged");
    // Not a question that takes a file.
    let choice_file = format!("/attempts/{attempt}/answers/{}/file", s.choice_key);
    lea.post_multipart(
        &choice_file,
        &[],
        Some(("a.md", "text/markdown", b"x".to_vec())),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("Only an open answer");

    // Answer and submit.
    let essay_field = format!("q.{}", s.essay_key);
    let choice_field = format!("q.{}", s.choice_key);
    lea.post(
        &attempt_path,
        &[
            (choice_field.as_str(), "a"),
            (essay_field.as_str(), "See the timeline."),
            ("action", "submit"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    // Submitted: the file can no longer change; the result still links it.
    lea.post_multipart(
        &file_path,
        &[],
        Some(("late.md", "text/markdown", b"late".to_vec())),
    )
    .await
    .expect_status(StatusCode::CONFLICT);
    lea.get(&attempt_path)
        .await
        .expect_contains("Waiting for review")
        .expect_contains(&format!("href=\"{file_path}\""));

    // The coach: a link in the queue, and the file.
    let cole = t.signed_in("cole@acme.test").await;
    cole.get(&format!("/courses/{course}/essays"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains(&format!("href=\"{file_path}\""))
        .expect_contains("timeline.md");
    let read = cole.get_bytes(&file_path, &[]).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.bytes, notes);
    assert!(
        read.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/markdown")),
        "{:?}",
        read.headers
    );

    // Another learner: 404 by the answer's address and by the stored file's hash.
    let lou = t.signed_in("lou@acme.test").await;
    assert_eq!(
        lou.get_bytes(&file_path, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    let hash = t
        .app
        .store()
        .essay_file(attempt, &s.essay_key)
        .await
        .expect("read")
        .expect("row")
        .hash;
    assert_eq!(
        lou.get_bytes(&format!("/blobs/{hash}"), &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        lea.get_bytes(&format!("/blobs/{hash}"), &[]).await.status,
        StatusCode::NOT_FOUND,
        "only the answer's route serves it"
    );

    // The API: the coach reads it and sees it in the queue; the other learner gets 404.
    let coach_api = t.api(&token_for(&t, "cole@acme.test").await);
    let api_file = format!("/attempts/{attempt}/answers/{}/file", s.essay_key);
    coach_api
        .get(&api_file)
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("09:00 paged.");
    let queue = coach_api.get(&format!("/courses/{course}/essays")).await;
    let body = queue.json();
    assert_eq!(body["essays"][0]["file_url"], file_path.as_str(), "{body}");
    assert_eq!(body["essays"][0]["file_name"], "timeline.md");
    let lou_api = t.api(&token_for(&t, "lou@acme.test").await);
    lou_api
        .get(&api_file)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    // Lou may not attach to Lea's attempt either.
    let (ct, data) = multipart("x.md", "text/markdown", b"mine now");
    lou_api
        .send_raw(Method::PUT, &api_file, &ct, data)
        .await
        .expect_status(StatusCode::NOT_FOUND);
    assert_eq!(cole.get_bytes(&file_path, &[]).await.bytes, notes);
}
story!(
    a_learner_attaches_a_file_the_coach_reads_it_and_no_one_else,
    settings = |s: &mut lore_app::Settings| s.limits.document = 1024
);

/// Through the API: the learner attaches a file to their open attempt (201, its address),
/// and over the limit is refused with `invalid_input` and nothing changes.
async fn the_api_attaches_a_file_to_an_answer(t: TestApp) {
    let s = setup(&t).await;
    read_the_step(&t, "lea@acme.test", s.course).await;
    let lea = t.api(&token_for(&t, "lea@acme.test").await);
    let started = lea
        .send(
            Method::POST,
            &format!("/courses/{}/attempts", s.course),
            None,
        )
        .await;
    let attempt = started.json()["id"].as_i64().expect("attempt id");
    let path = format!("/attempts/{attempt}/answers/{}/file", s.essay_key);
    let (ct, data) = multipart("notes.txt", "text/plain", b"first");
    let put = lea.send_raw(Method::PUT, &path, &ct, data).await;
    put.expect_status(StatusCode::CREATED);
    assert_eq!(put.json()["name"], "notes.txt");
    assert_eq!(put.json()["url"], format!("/api/v1{path}"));
    let (ct, data) = multipart("big.txt", "text/plain", &[b'a'; 4096]);
    let over = lea.send_raw(Method::PUT, &path, &ct, data).await;
    over.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(over.json()["error"]["code"], "invalid_input");
    assert_eq!(over.json()["error"]["field"], "file");
    lea.get(&path)
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("first");
}
story!(
    the_api_attaches_a_file_to_an_answer,
    settings = |s: &mut lore_app::Settings| s.limits.document = 1024
);
