//! Statements with attachments as multipart/mixed (xAPI Communication 1.5.2), read and
//! written, and the checks tying attachment headers to the parts: every attachment without a
//! fileUrl has a part with its SHA-2, every part belongs to an attachment, every part's bytes
//! hash to the SHA-2 it claims, and signature attachments verify (see `signature`).

use serde_json::Value;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

use crate::{Invalid, attachment, signature, vocabulary};

/// One attachment part: its SHA-2 (lower-case hex, from X-Experience-API-Hash), content type,
/// bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub sha2: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

fn bad(rule: &'static str, message: impl Into<String>) -> Invalid {
    Invalid::new(rule, "multipart", message)
}

/// A part as read: lower-case header names with values, and the body.
type RawPart = (Vec<(String, String)>, Vec<u8>);

/// The boundary parameter of a multipart/mixed content type.
fn boundary(content_type: &str) -> Result<String, Invalid> {
    let mut pieces = content_type.split(';');
    let essence = pieces.next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case("multipart/mixed") {
        return Err(bad(
            "multipart-content-type",
            "Statements with attachments are sent as multipart/mixed.",
        ));
    }
    pieces
        .filter_map(|p| p.trim().split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| value.trim().trim_matches('"').to_owned())
        .filter(|b| !b.is_empty())
        .ok_or_else(|| {
            bad(
                "multipart-content-type",
                "The multipart content type has no boundary.",
            )
        })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The raw parts between the boundaries (headers and body each).
fn split(body: &[u8], boundary: &str) -> Result<Vec<RawPart>, Invalid> {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut at = find(body, &delimiter, 0)
        .ok_or_else(|| bad("multipart-format", "No part starts the body."))?;
    let mut parts = Vec::new();
    loop {
        let after = at + delimiter.len();
        if body.get(after..after + 2) == Some(b"--") {
            return Ok(parts);
        }
        let start = find(body, b"\n", after)
            .ok_or_else(|| bad("multipart-format", "A part is cut short."))?
            + 1;
        let next = find(body, &delimiter, start).ok_or_else(|| {
            bad(
                "multipart-format",
                "The body does not end with the closing boundary.",
            )
        })?;
        let mut end = next;
        if end > start && body[end - 1] == b'\n' {
            end -= 1;
            if end > start && body[end - 1] == b'\r' {
                end -= 1;
            }
        }
        parts.push(part(&body[start..end.max(start)])?);
        at = next;
    }
}

/// Headers (lower-case names) and body of one part.
fn part(raw: &[u8]) -> Result<RawPart, Invalid> {
    let (head, body) = if raw.starts_with(b"\r\n") {
        (&raw[..0], &raw[2..])
    } else if raw.starts_with(b"\n") {
        (&raw[..0], &raw[1..])
    } else {
        match (find(raw, b"\r\n\r\n", 0), find(raw, b"\n\n", 0)) {
            (Some(crlf), lf) if lf.is_none_or(|lf| crlf < lf) => (&raw[..crlf], &raw[crlf + 4..]),
            (_, Some(lf)) => (&raw[..lf], &raw[lf + 2..]),
            _ => {
                return Err(bad(
                    "multipart-format",
                    "A part has no blank line after its headers.",
                ));
            }
        }
    };
    let head = std::str::from_utf8(head)
        .map_err(|_| bad("multipart-format", "Part headers are not text."))?;
    let headers = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Ok((headers, body.to_vec()))
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// A multipart/mixed body → the statement JSON (object or array) and the attachment parts.
/// The first part is the statements (application/json); every other part needs
/// Content-Type, `Content-Transfer-Encoding: binary` and X-Experience-API-Hash.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Result<(Value, Vec<Part>), Invalid> {
    let mut raw_parts = split(body, &boundary(content_type)?)?.into_iter();
    let (headers, json) = raw_parts
        .next()
        .ok_or_else(|| bad("multipart-format", "The body has no parts."))?;
    let first_type = header(&headers, "content-type").unwrap_or_default();
    if !first_type
        .to_ascii_lowercase()
        .starts_with("application/json")
    {
        return Err(bad(
            "multipart-statement-part",
            "The first part holds the statements as application/json.",
        ));
    }
    let statements: Value = serde_json::from_slice(&json).map_err(|e| {
        bad(
            "multipart-statement-part",
            format!("The statement part is not JSON: {e}."),
        )
    })?;
    let mut parts = Vec::new();
    for (headers, bytes) in raw_parts {
        let content_type = header(&headers, "content-type").ok_or_else(|| {
            bad(
                "multipart-part-content-type",
                "Every attachment part needs a Content-Type.",
            )
        })?;
        if !header(&headers, "content-transfer-encoding")
            .is_some_and(|v| v.eq_ignore_ascii_case("binary"))
        {
            return Err(bad(
                "multipart-transfer-encoding",
                "Every attachment part needs Content-Transfer-Encoding: binary.",
            ));
        }
        let sha2 = header(&headers, "x-experience-api-hash").ok_or_else(|| {
            bad(
                "multipart-hash-header",
                "Every attachment part needs X-Experience-API-Hash.",
            )
        })?;
        parts.push(Part {
            sha2: sha2.to_ascii_lowercase(),
            content_type: content_type.to_owned(),
            bytes,
        });
    }
    Ok((statements, parts))
}

/// The hex SHA-2 of `bytes` in the length of `like` (224, 256, 384 or 512 bits).
fn sha2_like(like: &str, bytes: &[u8]) -> Option<String> {
    Some(match like.len() {
        56 => hex::encode(Sha224::digest(bytes)),
        64 => hex::encode(Sha256::digest(bytes)),
        96 => hex::encode(Sha384::digest(bytes)),
        128 => hex::encode(Sha512::digest(bytes)),
        _ => return None,
    })
}

/// The attachment headers of a statement and of its sub-statement.
fn attachments_of(statement: &Value) -> Vec<&Value> {
    let own = statement
        .get("attachments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    let sub = statement
        .pointer("/object/attachments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    own.chain(sub).collect()
}

/// Every attachment without a fileUrl has its part; every part belongs to an attachment and
/// hashes to its SHA-2; signed statements verify.
pub fn check_attachments(statements: &[Value], parts: &[Part]) -> Result<(), Invalid> {
    for part in parts {
        if !attachment::is_sha2(&part.sha2)
            || sha2_like(&part.sha2, &part.bytes).as_deref()
                != Some(part.sha2.to_ascii_lowercase().as_str())
        {
            return Err(bad(
                "attachment-hash-mismatch",
                format!("The part with hash {} does not hash to it.", part.sha2),
            ));
        }
    }
    let find_part = |sha2: &str| parts.iter().find(|p| p.sha2.eq_ignore_ascii_case(sha2));
    for (index, statement) in statements.iter().enumerate() {
        for header in attachments_of(statement) {
            let sha2 = header
                .get("sha2")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let part = find_part(sha2);
            if header.get("fileUrl").is_none() && part.is_none() {
                return Err(Invalid::new(
                    "attachment-part-missing",
                    format!("[{index}].attachments"),
                    format!("No part carries the attachment with sha2 {sha2}."),
                ));
            }
            let usage = header.get("usageType").and_then(Value::as_str);
            if let (Some(vocabulary::SIGNATURE_USAGE_TYPE), Some(part)) = (usage, part) {
                let jws = std::str::from_utf8(&part.bytes)
                    .map_err(|_| bad("signature-malformed", "A signature part is not a JWS."))?;
                signature::verify(jws.trim(), statement)?;
            }
        }
    }
    for part in parts {
        let referenced = statements.iter().flat_map(attachments_of).any(|h| {
            h.get("sha2")
                .and_then(Value::as_str)
                .is_some_and(|s| s.eq_ignore_ascii_case(&part.sha2))
        });
        if !referenced {
            return Err(bad(
                "attachment-part-unreferenced",
                format!(
                    "The part with hash {} belongs to no attachment of the statements.",
                    part.sha2
                ),
            ));
        }
    }
    Ok(())
}

/// A multipart/mixed body of statements and parts: (content type with boundary, body). The
/// boundary is derived from the content, so the same input gives the same bytes.
pub fn write_multipart(statements: &Value, parts: &[Part]) -> (String, Vec<u8>) {
    let json = statements.to_string();
    let mut hasher = Sha256::new();
    hasher.update(json.as_bytes());
    for part in parts {
        hasher.update(&part.bytes);
    }
    let boundary = format!("lore-xapi-{}", &hex::encode(hasher.finalize())[..32]);
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Type: application/json\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(json.as_bytes());
    for part in parts {
        body.extend_from_slice(
            format!(
                "\r\n--{boundary}\r\nContent-Type: {}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {}\r\n\r\n",
                part.content_type, part.sha2
            )
            .as_bytes(),
        );
        body.extend_from_slice(&part.bytes);
    }
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/mixed; boundary={boundary}"), body)
}
