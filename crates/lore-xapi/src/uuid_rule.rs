//! UUIDs as the spec wants them: the standard hyphenated string form, RFC 4122 variant 2 (the
//! variant nibble is 8, 9, a or b), any version.

use crate::Invalid;

/// Parses a statement id, registration or StatementRef id.
pub(crate) fn parse(raw: &str, path: &str) -> Result<uuid::Uuid, Invalid> {
    let bytes = raw.as_bytes();
    let shape_ok = bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *b == b'-'
            } else {
                b.is_ascii_hexdigit()
            }
        });
    let variant_ok =
        shape_ok && matches!(bytes[19].to_ascii_lowercase(), b'8' | b'9' | b'a' | b'b');
    let parsed = uuid::Uuid::parse_str(raw).ok().filter(|_| variant_ok);
    parsed.ok_or_else(|| {
        Invalid::new(
            "uuid",
            path,
            format!("{raw:?} is not a UUID (RFC 4122 variant, standard hyphenated form)."),
        )
    })
}

/// Parses a JSON value that must be a UUID string.
pub(crate) fn parse_value(value: &serde_json::Value, path: &str) -> Result<uuid::Uuid, Invalid> {
    parse(crate::json::string(value, path)?, path)
}
