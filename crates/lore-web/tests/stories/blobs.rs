//! Blobs: uploading images, videos and documents for course steps, and reading them back
//! whole or in ranges, signed in only.

use reqwest::StatusCode;
use sha2::{Digest, Sha256};

use crate::story;
use crate::support::{Browser, TestApp};

/// A 1×1 transparent PNG.
pub const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

/// A person signed in, with the CSRF token of a page in hand.
async fn author(t: &TestApp) -> Browser {
    t.person("ada@acme.test", "Ada Author", false).await;
    let b = t.signed_in("ada@acme.test").await;
    b.get("/account").await.expect_status(StatusCode::OK);
    b
}

/// A PNG comes back byte for byte, whole and in ranges, with headers that keep it inert
/// and cacheable; uploading it again stores nothing new.
async fn image_round_trip_and_ranges(t: TestApp) {
    let b = author(&t).await;
    let up = b
        .post_multipart(
            "/blobs",
            &[("purpose", "image")],
            Some(("C:\\fakepath\\dot.png", "image/png", PNG_1X1.to_vec())),
        )
        .await;
    up.expect_status(StatusCode::CREATED);
    let json = up.json();
    let hash = hex::encode(Sha256::digest(PNG_1X1));
    let url = format!("/blobs/{hash}");
    assert_eq!(json["hash"], hash.as_str());
    assert_eq!(json["url"], url.as_str());
    assert_eq!(json["content_type"], "image/png");
    assert_eq!(json["size"], PNG_1X1.len());
    assert_eq!(json["name"], "dot.png");
    assert_eq!(t.app.store().count_blobs().await.expect("count"), 1);

    let whole = b.get_bytes(&url, &[]).await;
    assert_eq!(whole.status, StatusCode::OK);
    assert_eq!(whole.bytes, PNG_1X1);
    assert_eq!(whole.header("content-type"), "image/png");
    assert_eq!(whole.header("etag"), format!("\"{hash}\""));
    assert_eq!(whole.header("accept-ranges"), "bytes");
    assert_eq!(
        whole.header("cache-control"),
        "private, max-age=31536000, immutable"
    );
    assert_eq!(whole.header("content-security-policy"), "sandbox");
    assert_eq!(whole.header("x-content-type-options"), "nosniff");
    assert!(
        whole
            .header("content-disposition")
            .starts_with("inline; filename=\"dot.png\""),
        "{}",
        whole.header("content-disposition")
    );

    let total = PNG_1X1.len();
    let part = b.get_bytes(&url, &[("range", "bytes=1-3")]).await;
    assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.bytes, b"PNG");
    assert_eq!(part.header("content-range"), format!("bytes 1-3/{total}"));
    assert_eq!(part.header("content-length"), "3");
    assert_eq!(part.header("content-security-policy"), "sandbox");

    let tail = b.get_bytes(&url, &[("range", "bytes=-4")]).await;
    assert_eq!(tail.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(tail.bytes, &PNG_1X1[total - 4..]);
    assert_eq!(
        tail.header("content-range"),
        format!("bytes {}-{}/{total}", total - 4, total - 1)
    );

    let rest = b.get_bytes(&url, &[("range", "bytes=60-")]).await;
    assert_eq!(rest.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(rest.bytes, &PNG_1X1[60..]);

    let past = b
        .get_bytes(&url, &[("range", &format!("bytes={total}-"))])
        .await;
    assert_eq!(past.status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(past.header("content-range"), format!("bytes */{total}"));
    assert_eq!(past.header("content-security-policy"), "sandbox");

    // A range for another version of the file is ignored: the whole file comes back.
    let stale = b
        .get_bytes(&url, &[("range", "bytes=1-3"), ("if-range", "\"other\"")])
        .await;
    assert_eq!(stale.status, StatusCode::OK);
    assert_eq!(stale.bytes, PNG_1X1);

    let cached = b
        .get_bytes(&url, &[("if-none-match", &format!("\"{hash}\""))])
        .await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
    assert!(cached.bytes.is_empty());

    let again = b
        .post_multipart(
            "/blobs",
            &[("purpose", "image")],
            Some(("copy.png", "image/png", PNG_1X1.to_vec())),
        )
        .await;
    again.expect_status(StatusCode::CREATED);
    assert_eq!(again.json()["hash"], hash.as_str());
    assert_eq!(t.app.store().count_blobs().await.expect("count"), 1);
}
story!(image_round_trip_and_ranges);

/// A program claiming to be a PNG, an SVG, or a file for the wrong purpose is refused with
/// a clear message, and nothing is stored.
async fn lies_are_refused_and_change_nothing(t: TestApp) {
    let b = author(&t).await;
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF\x00\x00This program cannot be run in DOS mode.".to_vec();
    let refused = b
        .post_multipart(
            "/blobs",
            &[("purpose", "image")],
            Some(("cat.png", "image/png", exe)),
        )
        .await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let error = &refused.json()["error"];
    assert_eq!(error["code"], "invalid_input");
    assert_eq!(error["field"], "file");
    let message = error["message"].as_str().expect("message");
    assert!(
        message.contains("not a PNG, JPEG, GIF or WebP image"),
        "{message}"
    );

    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    b.post_multipart(
        "/blobs",
        &[("purpose", "image")],
        Some(("logo.svg", "image/svg+xml", svg.to_vec())),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("SVG images are not accepted");

    b.post_multipart(
        "/blobs",
        &[("purpose", "video")],
        Some(("dot.mp4", "video/mp4", PNG_1X1.to_vec())),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("not an MP4, WebM or Ogg video");

    b.post_multipart(
        "/blobs",
        &[("purpose", "sticker")],
        Some(("dot.png", "image/png", PNG_1X1.to_vec())),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("image, video or document");

    b.post_multipart("/blobs", &[("purpose", "image")], None)
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("Choose a file");

    assert_eq!(t.app.store().count_blobs().await.expect("count"), 0);
}
story!(lies_are_refused_and_change_nothing);

/// A PDF opens in the browser (no sandbox: the PDF viewers refuse one), a CSV downloads.
async fn documents_open_or_download(t: TestApp) {
    let b = author(&t).await;
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let up = b
        .post_multipart(
            "/blobs",
            &[("purpose", "document")],
            Some(("Guide.pdf", "application/pdf", pdf.clone())),
        )
        .await;
    up.expect_status(StatusCode::CREATED);
    let got = b
        .get_bytes(up.json()["url"].as_str().expect("url"), &[])
        .await;
    assert_eq!(got.bytes, pdf);
    assert_eq!(got.header("content-type"), "application/pdf");
    assert!(got.header("content-disposition").starts_with("inline;"));
    assert_eq!(
        got.header("content-security-policy"),
        "frame-ancestors 'self'"
    );
    assert_eq!(got.header("x-content-type-options"), "nosniff");

    let csv = "name,score\n\"Zoë\",3\n".as_bytes().to_vec();
    let up = b
        .post_multipart(
            "/blobs",
            &[("purpose", "document")],
            Some(("Scores \"Q3\".csv", "application/vnd.ms-excel", csv.clone())),
        )
        .await;
    up.expect_status(StatusCode::CREATED);
    assert_eq!(up.json()["content_type"], "text/csv");
    let got = b
        .get_bytes(up.json()["url"].as_str().expect("url"), &[])
        .await;
    assert_eq!(got.bytes, csv);
    assert_eq!(got.header("content-type"), "text/csv; charset=utf-8");
    assert_eq!(
        got.header("content-disposition"),
        "attachment; filename=\"Scores _Q3_.csv\"; filename*=UTF-8''Scores%20%22Q3%22.csv"
    );
    assert_eq!(got.header("content-security-policy"), "sandbox");
}
story!(documents_open_or_download);

/// A file over its purpose's limit is refused with the limit in the message.
async fn oversized_upload_is_refused(t: TestApp) {
    let b = author(&t).await;
    let mut big = PNG_1X1.to_vec();
    big.resize(4096, 0);
    let refused = b
        .post_multipart(
            "/blobs",
            &[("purpose", "image")],
            Some(("big.png", "image/png", big)),
        )
        .await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    let error = &refused.json()["error"];
    assert_eq!(error["field"], "file");
    assert_eq!(
        error["message"],
        "Images may be at most 1 KB; this file is larger."
    );
    // The same file is fine as a document as far as size goes (and then fails as a PNG is
    // not a document), so the limit is the image one.
    b.post_multipart(
        "/blobs",
        &[("purpose", "document")],
        Some(("small.png", "image/png", PNG_1X1.to_vec())),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("not a PDF");
    assert_eq!(t.app.store().count_blobs().await.expect("count"), 0);
}
story!(
    oversized_upload_is_refused,
    settings = |s: &mut lore_app::Settings| s.limits.image = 1024
);

/// Only signed-in people read blobs, and nothing but a hash names one: paths, other
/// files and malformed hashes are not found.
async fn reading_needs_a_session_and_a_hash(t: TestApp) {
    let b = author(&t).await;
    let up = b
        .post_multipart(
            "/blobs",
            &[("purpose", "image")],
            Some(("dot.png", "image/png", PNG_1X1.to_vec())),
        )
        .await;
    up.expect_status(StatusCode::CREATED);
    let hash = up.json()["hash"].as_str().expect("hash").to_owned();

    let anonymous = t.browser();
    let page = anonymous.get(&format!("/blobs/{hash}")).await;
    page.expect_status(StatusCode::SEE_OTHER);
    assert!(
        page.location().starts_with("/sign-in"),
        "{}",
        page.location()
    );
    let upload = anonymous
        .post_multipart(
            "/blobs",
            &[("purpose", "image")],
            Some(("dot.png", "image/png", PNG_1X1.to_vec())),
        )
        .await;
    assert_eq!(upload.status, StatusCode::FORBIDDEN, "no session, no token");

    for bad in [
        "..%2F..%2Fetc%2Fpasswd".to_owned(),
        "%2E%2E%2F%2E%2E%2Flore.db".to_owned(),
        "lore.db".to_owned(),
        hash.to_uppercase(),
        hash[..63].to_owned(),
        format!("{hash}0"),
        "0".repeat(64),
    ] {
        let got = b.get_bytes(&format!("/blobs/{bad}"), &[]).await;
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{bad}");
        assert!(
            !got.bytes.starts_with(b"root:") && !got.bytes.starts_with(b"SQLite"),
            "{bad} leaked a file"
        );
    }
    let got = b.get_bytes(&format!("/blobs/{hash}"), &[]).await;
    assert_eq!(got.status, StatusCode::OK);
}
story!(reading_needs_a_session_and_a_hash);
