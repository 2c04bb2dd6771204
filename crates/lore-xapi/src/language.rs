//! RFC 5646 language tags and the language maps keyed by them.
//!
//! Tags are checked against the RFC's grammar (well-formed) plus its two validity rules that
//! need no registry: no repeated variant and no repeated extension singleton. Lore does not
//! ship the IANA registry, so a well-formed but unregistered subtag (e.g. "qq-ZZ") passes;
//! but primary language subtags of 4 to 8 letters, which the grammar reserves and the registry
//! has never assigned, are refused (so "english" is not a tag).

use serde_json::Value;

use crate::{Invalid, json};

const IRREGULAR: &[&str] = &[
    "en-gb-oed",
    "i-ami",
    "i-bnn",
    "i-default",
    "i-enochian",
    "i-hak",
    "i-klingon",
    "i-lux",
    "i-mingo",
    "i-navajo",
    "i-pwn",
    "i-tao",
    "i-tay",
    "i-tsu",
    "sgn-be-fr",
    "sgn-be-nl",
    "sgn-ch-de",
];
const REGULAR: &[&str] = &[
    "art-lojban",
    "cel-gaulish",
    "no-bok",
    "no-nyn",
    "zh-guoyu",
    "zh-hakka",
    "zh-min",
    "zh-min-nan",
    "zh-xiang",
];

fn alpha(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
}

fn alphanum(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// True when `tag` is a well-formed RFC 5646 language tag.
pub fn is_language_tag(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    if IRREGULAR.contains(&lower.as_str()) || REGULAR.contains(&lower.as_str()) {
        return true;
    }
    let subtags: Vec<&str> = lower.split('-').collect();
    if subtags.iter().any(|s| s.is_empty()) {
        return false;
    }
    if subtags[0] == "x" {
        return private_use(&subtags[1..]);
    }
    langtag(&subtags)
}

fn private_use(rest: &[&str]) -> bool {
    !rest.is_empty() && rest.iter().all(|s| alphanum(s, 1, 8))
}

fn langtag(subtags: &[&str]) -> bool {
    let mut i = 0;
    let language = subtags[0];
    if !alpha(language, 2, 3) {
        return false;
    }
    i += 1;
    // extlang: up to three 3-letter subtags after the language.
    let mut extlangs = 0;
    while extlangs < 3 && subtags.get(i).is_some_and(|s| alpha(s, 3, 3)) {
        i += 1;
        extlangs += 1;
    }
    if subtags.get(i).is_some_and(|s| alpha(s, 4, 4)) {
        i += 1; // script
    }
    if subtags
        .get(i)
        .is_some_and(|s| alpha(s, 2, 2) || digits(s, 3))
    {
        i += 1; // region
    }
    let mut variants: Vec<&str> = Vec::new();
    while let Some(s) = subtags.get(i) {
        let variant = alphanum(s, 5, 8)
            || (s.len() == 4 && s.as_bytes()[0].is_ascii_digit() && alphanum(s, 4, 4));
        if !variant {
            break;
        }
        if variants.contains(s) {
            return false;
        }
        variants.push(s);
        i += 1;
    }
    let mut singletons: Vec<&str> = Vec::new();
    while let Some(s) = subtags.get(i) {
        if s.len() != 1 || *s == "x" || !alphanum(s, 1, 1) {
            break;
        }
        if singletons.contains(s) {
            return false;
        }
        singletons.push(s);
        i += 1;
        let start = i;
        while subtags.get(i).is_some_and(|s| alphanum(s, 2, 8)) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    if subtags.get(i) == Some(&"x") {
        return private_use(&subtags[i + 1..]);
    }
    i == subtags.len()
}

/// A JSON value that must be a language tag string.
pub(crate) fn tag<'a>(value: &'a Value, path: &str) -> Result<&'a str, Invalid> {
    let raw = json::string(value, path)?;
    if is_language_tag(raw) {
        Ok(raw)
    } else {
        Err(Invalid::new(
            "language-tag",
            path,
            format!("{raw:?} is not an RFC 5646 language tag."),
        ))
    }
}

/// A language map: at least one entry, every key a language tag, every value a string.
pub(crate) fn map(value: &Value, path: &str) -> Result<(), Invalid> {
    let entries = json::any_object(value, path)?;
    if entries.is_empty() {
        return Err(Invalid::new(
            "empty-object",
            path,
            "A language map needs at least one entry.",
        ));
    }
    for (key, text) in entries {
        let entry_path = json::join(path, key);
        if !is_language_tag(key) {
            return Err(Invalid::new(
                "language-tag",
                entry_path,
                format!("{key:?} is not an RFC 5646 language tag."),
            ));
        }
        if !text.is_string() {
            return Err(Invalid::new(
                "language-map-value",
                entry_path,
                "A language map's values must be strings.",
            ));
        }
    }
    Ok(())
}
