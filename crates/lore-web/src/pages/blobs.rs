//! Uploading blobs (`POST /blobs`, JSON answer) and serving them (`GET /blobs/{hash}`) with
//! HTTP range requests, so videos seek and large files resume.
//!
//! Every blob answer carries `Content-Security-Policy: sandbox` and `nosniff`, so a file can
//! never run as a page of Lore, with one exception: PDFs. Chrome and Safari refuse to start
//! their PDF viewer in a sandboxed document ("This page has been blocked"), so a PDF is sent
//! with `frame-ancestors 'self'` instead; its type was checked on upload (`%PDF-`), and
//! `nosniff` keeps browsers from reading it as anything but a PDF.

use axum::Json;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, post};
use bytes::{Bytes, BytesMut};
use lore_app::AppError;
use lore_app::blobs::{
    BlobPurpose, BlobRead, BlobRow, ByteRange, MAX_BLOB_BYTES, human_size, too_large,
};
use serde::Serialize;

use crate::WebState;
use crate::error::{ApiError, PageError};
use crate::session::{ApiCaller, Viewer};

/// The largest request body `POST /blobs` takes: the largest blob plus room for the
/// multipart framing and the other fields.
pub const BODY_LIMIT: usize = MAX_BLOB_BYTES as usize + 1024 * 1024;

/// `POST /blobs`, with a body limit raised to take the largest blob.
pub fn upload_route() -> MethodRouter<WebState> {
    post(upload).layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// What an upload answers (201).
#[derive(Debug, Serialize)]
pub struct Uploaded {
    hash: String,
    url: String,
    content_type: String,
    size: u64,
    name: String,
}

/// Multipart fields `file` and `purpose` (`image`, `video` or `document`). The CSRF token
/// (`_csrf` field or `X-CSRF-Token` header) was checked by the middleware; a bearer token
/// works too. The file is read in chunks and refused as soon as it passes its limit.
pub async fn upload(
    State(state): State<WebState>,
    ApiCaller(caller): ApiCaller,
    mut multipart: Multipart,
) -> Result<Response, ApiError> {
    let limits = state.app.blob_limits();
    let mut purpose = None;
    let mut file: Option<(Bytes, String, String)> = None;
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("purpose") => {
                let text = field.text().await.map_err(unreadable)?;
                purpose = Some(BlobPurpose::parse(&text)?);
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("").to_owned();
                let declared = field.content_type().unwrap_or("").to_owned();
                // The purpose field usually comes first; if not, the largest limit holds
                // until the app checks the real one.
                let limit = purpose.map_or(limits.largest(), |p| limits.for_purpose(p));
                let mut data = BytesMut::new();
                while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                    if (data.len() + chunk.len()) as u64 > limit {
                        return Err(ApiError(match purpose {
                            Some(p) => too_large(p, limit, None),
                            None => AppError::invalid(
                                "file",
                                format!(
                                    "Files may be at most {}; this file is larger.",
                                    human_size(limit)
                                ),
                            ),
                        }));
                    }
                    data.extend_from_slice(&chunk);
                }
                file = Some((data.freeze(), name, declared));
            }
            _ => {}
        }
    }
    let purpose = purpose.ok_or_else(|| {
        AppError::invalid(
            "purpose",
            "Say what the file is for: image, video or document.",
        )
    })?;
    let (data, name, declared) =
        file.ok_or_else(|| AppError::invalid("file", "Choose a file to upload."))?;
    let blob = state
        .app
        .put_blob(&caller, data, &declared, &name, purpose)
        .await?;
    let url = format!("/blobs/{}", blob.hash);
    let mut response = (
        StatusCode::CREATED,
        Json(Uploaded {
            url: url.clone(),
            hash: blob.hash,
            content_type: blob.content_type,
            size: blob.size,
            name: blob.name,
        }),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&url) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

pub(crate) fn unreadable(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError(AppError::invalid(
            "file",
            format!(
                "Files may be at most {}; this file is larger.",
                human_size(MAX_BLOB_BYTES)
            ),
        ));
    }
    ApiError(AppError::invalid(
        "file",
        "The upload could not be read; it may have been interrupted. Try again.",
    ))
}

/// `GET /blobs/{hash}` for signed-in people: the whole blob (200), one range of it (206),
/// `416` for a range past the end, `304` when the browser already has it. A path that is
/// not a hash is simply not found.
pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(hash): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let etag = format!("\"{hash}\"");
    let blob = state.app.blob(viewer.caller(), &hash).await?;
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() == "*" || v.split(',').any(|t| t.trim() == etag))
    {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        common_headers(response.headers_mut(), &blob, &etag);
        return Ok(response);
    }
    // A range only applies to the version the browser names in `If-Range`; a blob never
    // changes, but a stale validator still means "send it all".
    let range_applies = headers
        .get(header::IF_RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim() == etag);
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .filter(|_| range_applies)
        .and_then(parse_range);
    let read = state
        .app
        .read_blob_range(viewer.caller(), &hash, range)
        .await?;
    let content = match read {
        BlobRead::Content(content) => content,
        BlobRead::Unsatisfiable { blob } => {
            let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            let h = response.headers_mut();
            common_headers(h, &blob, &etag);
            h.remove(header::CONTENT_TYPE);
            h.remove(header::CONTENT_DISPOSITION);
            insert(h, header::CONTENT_RANGE, &format!("bytes */{}", blob.size));
            return Ok(response);
        }
    };
    let total = content.total();
    let range = content.range.clone();
    let status = if content.partial {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    let mut response = (status, Body::from_stream(content.stream)).into_response();
    let h = response.headers_mut();
    common_headers(h, &content.blob, &etag);
    insert(
        h,
        header::CONTENT_LENGTH,
        &(range.end - range.start).to_string(),
    );
    if status == StatusCode::PARTIAL_CONTENT {
        insert(
            h,
            header::CONTENT_RANGE,
            &format!(
                "bytes {}-{}/{total}",
                range.start,
                range.end.saturating_sub(1)
            ),
        );
    }
    Ok(response)
}

/// Headers every blob answer carries.
pub(crate) fn common_headers(h: &mut HeaderMap, blob: &BlobRow, etag: &str) {
    let content_type = blob.content_type.as_str();
    let pdf = content_type == "application/pdf";
    let inline = pdf || content_type.starts_with("image/") || content_type.starts_with("video/");
    if content_type.starts_with("text/") {
        insert(
            h,
            header::CONTENT_TYPE,
            &format!("{content_type}; charset=utf-8"),
        );
    } else {
        insert(h, header::CONTENT_TYPE, content_type);
    }
    insert(
        h,
        header::CONTENT_DISPOSITION,
        &content_disposition(
            if inline { "inline" } else { "attachment" },
            &blob.original_name,
        ),
    );
    insert(h, header::ETAG, etag);
    insert(h, header::ACCEPT_RANGES, "bytes");
    insert(
        h,
        header::CACHE_CONTROL,
        "private, max-age=31536000, immutable",
    );
    insert(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if pdf {
        // See the module comment: the browsers' PDF viewers do not run in a sandbox.
        insert(h, header::CONTENT_SECURITY_POLICY, "frame-ancestors 'self'");
        insert(h, header::X_FRAME_OPTIONS, "SAMEORIGIN");
    } else {
        insert(h, header::CONTENT_SECURITY_POLICY, "sandbox");
    }
}

fn insert(h: &mut HeaderMap, name: header::HeaderName, value: &str) {
    match HeaderValue::from_str(value) {
        Ok(v) => {
            h.insert(name, v);
        }
        Err(_) => tracing::warn!(header = %name, "blob header value was not valid"),
    }
}

/// `inline; filename="notes.pdf"; filename*=UTF-8''notes.pdf`: an ASCII name with anything
/// odd replaced by `_`, and the exact name percent-encoded for browsers that read it.
fn content_disposition(kind: &str, name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " ._-()[]".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// One range of `Range: bytes=…`. Several ranges, other units and malformed values are
/// ignored (the whole blob is sent), as HTTP allows.
fn parse_range(value: &str) -> Option<ByteRange> {
    let value = value.trim();
    let (unit, spec) = value.split_once('=')?;
    if !unit.trim().eq_ignore_ascii_case("bytes") || spec.contains(',') {
        return None;
    }
    let (start, end) = spec.trim().split_once('-')?;
    let (start, end) = (start.trim(), end.trim());
    let number = |s: &str| -> Option<u64> {
        if s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    match (start.is_empty(), end.is_empty()) {
        (true, false) => Some(ByteRange::Last(number(end)?)),
        (false, true) => Some(ByteRange::From(number(start)?)),
        (false, false) => {
            let (a, b) = (number(start)?, number(end)?);
            (a <= b).then_some(ByteRange::Between(a, b))
        }
        (true, true) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_like_http_says() {
        assert_eq!(parse_range("bytes=0-9"), Some(ByteRange::Between(0, 9)));
        assert_eq!(parse_range("Bytes= 5-"), Some(ByteRange::From(5)));
        assert_eq!(parse_range("bytes=-20"), Some(ByteRange::Last(20)));
        for ignored in [
            "bytes=9-0",
            "bytes=0-1,4-5",
            "items=0-9",
            "bytes=-",
            "bytes=+1-2",
            "bytes=a-b",
            "bytes 0-9",
        ] {
            assert_eq!(parse_range(ignored), None, "{ignored}");
        }
    }

    #[test]
    fn download_names_cannot_break_the_header() {
        assert_eq!(
            content_disposition("attachment", "rapport \"final\"\r\n.pdf"),
            "attachment; filename=\"rapport _final___.pdf\"; filename*=UTF-8''rapport%20%22final%22%0D%0A.pdf"
        );
        assert_eq!(
            content_disposition("inline", "café.png"),
            "inline; filename=\"caf_.png\"; filename*=UTF-8''caf%C3%A9.png"
        );
    }
}
