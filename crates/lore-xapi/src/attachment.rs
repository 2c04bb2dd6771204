//! Attachment headers in a statement: usage type, display, content type, length, SHA-2, URL.

use serde_json::Value;

use crate::{Invalid, iri, json, language, vocabulary};

const KEYS: &[&str] = &[
    "usageType",
    "display",
    "description",
    "contentType",
    "length",
    "sha2",
    "fileUrl",
];

/// An array of attachment objects.
pub(crate) fn attachments(value: &Value, path: &str) -> Result<(), Invalid> {
    for (index, item) in json::array(value, path)?.iter().enumerate() {
        attachment(item, &json::at(path, index))?;
    }
    Ok(())
}

fn attachment(value: &Value, path: &str) -> Result<(), Invalid> {
    let map = json::object(value, path, KEYS)?;
    let usage = json::required(map, path, "usageType", "attachment-usage-type")?;
    let usage = iri::iri(
        usage,
        &json::join(path, "usageType"),
        "attachment-usage-type",
    )?;
    language::map(
        json::required(map, path, "display", "attachment-display")?,
        &json::join(path, "display"),
    )?;
    if let Some(description) = map.get("description") {
        language::map(description, &json::join(path, "description"))?;
    }
    let content_type = json::required_str(map, path, "contentType", "attachment-content-type")?;
    if !is_media_type(content_type) {
        return Err(Invalid::new(
            "attachment-content-type",
            json::join(path, "contentType"),
            format!("{content_type:?} is not an Internet media type such as image/png."),
        ));
    }
    if usage == vocabulary::SIGNATURE_USAGE_TYPE
        && !content_type.starts_with("application/octet-stream")
    {
        return Err(Invalid::new(
            "signature-content-type",
            json::join(path, "contentType"),
            "A signature attachment has the content type application/octet-stream.",
        ));
    }
    let length = json::required(map, path, "length", "attachment-length")?;
    if length.as_u64().is_none() {
        return Err(Invalid::new(
            "attachment-length",
            json::join(path, "length"),
            "length is the attachment's size in bytes: a whole number, 0 or more.",
        ));
    }
    let sha2 = json::required_str(map, path, "sha2", "attachment-sha2")?;
    if !is_sha2(sha2) {
        return Err(Invalid::new(
            "attachment-sha2",
            json::join(path, "sha2"),
            "sha2 is the hexadecimal SHA-224, SHA-256, SHA-384 or SHA-512 of the attachment.",
        ));
    }
    if let Some(url) = map.get("fileUrl") {
        iri::iri(url, &json::join(path, "fileUrl"), "attachment-file-url")?;
    }
    Ok(())
}

/// `type/subtype` with optional parameters, RFC 6838 token characters.
fn is_media_type(raw: &str) -> bool {
    let essence = raw.split(';').next().unwrap_or_default().trim();
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    essence
        .split_once('/')
        .is_some_and(|(kind, sub)| token(kind) && token(sub))
}

/// Hexadecimal of one of the SHA-2 lengths.
pub(crate) fn is_sha2(raw: &str) -> bool {
    matches!(raw.len(), 56 | 64 | 96 | 128) && raw.bytes().all(|b| b.is_ascii_hexdigit())
}
