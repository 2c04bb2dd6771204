//! IRIs (RFC 3987) as identifiers, IRLs as locators, and extensions keyed by IRIs.
//!
//! The check is for an absolute IRI: a scheme (a letter, then letters, digits, `+`, `-`, `.`),
//! a colon, a non-empty rest without spaces, control characters or the characters RFC 3987
//! never allows (`<>"{}|\^` and backquote). Lore does not resolve or normalise IRIs: the spec
//! compares them as strings.

use serde_json::Value;

use crate::{Invalid, json};

/// True when `raw` is an absolute IRI.
pub(crate) fn is_iri(raw: &str) -> bool {
    let Some((scheme, rest)) = raw.split_once(':') else {
        return false;
    };
    let mut scheme_chars = scheme.chars();
    let scheme_ok = scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme_chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let rest_ok = !rest.is_empty()
        && rest.chars().all(|c| {
            !c.is_whitespace()
                && !c.is_control()
                && !matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`')
        });
    scheme_ok && rest_ok && percent_escapes_ok(rest)
}

/// Every `%` starts a two-hex-digit escape.
fn percent_escapes_ok(rest: &str) -> bool {
    let bytes = rest.as_bytes();
    bytes.iter().enumerate().all(|(i, b)| {
        *b != b'%'
            || (bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

/// A JSON value that must be an IRI string; `rule` names what it identifies.
pub(crate) fn iri<'a>(
    value: &'a Value,
    path: &str,
    rule: &'static str,
) -> Result<&'a str, Invalid> {
    let raw = json::string(value, path)?;
    if is_iri(raw) {
        Ok(raw)
    } else {
        Err(Invalid::new(
            rule,
            path,
            format!("{raw:?} is not an absolute IRI."),
        ))
    }
}

/// An extensions object: every key an IRI, values any JSON (null included).
pub(crate) fn extensions(value: &Value, path: &str) -> Result<(), Invalid> {
    for key in json::any_object(value, path)?.keys() {
        if !is_iri(key) {
            return Err(Invalid::new(
                "extension-key-iri",
                json::join(path, key),
                format!("The extension key {key:?} is not an IRI."),
            ));
        }
    }
    Ok(())
}
