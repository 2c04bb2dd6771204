//! Statements with attachments as multipart/mixed, read and written, with hash checks.

use serde_json::Value;

use crate::Invalid;

/// One attachment part: its SHA-256 (hex, from X-Experience-API-Hash), content type, bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub sha2: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A multipart/mixed body → the statement JSON (object or array) and the attachment parts.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Result<(Value, Vec<Part>), Invalid> {
    let _ = (content_type, body);
    Ok((Value::Null, Vec::new()))
}

/// Every attachment without a fileUrl has its part; signed statements verify.
pub fn check_attachments(statements: &[Value], parts: &[Part]) -> Result<(), Invalid> {
    let _ = (statements, parts);
    Ok(())
}

/// A multipart/mixed body of statements and parts: (content type with boundary, body).
pub fn write_multipart(statements: &Value, parts: &[Part]) -> (String, Vec<u8>) {
    let _ = (statements, parts);
    (String::from("multipart/mixed; boundary=lore"), Vec::new())
}
