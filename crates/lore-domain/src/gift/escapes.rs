//! Escaping text for GIFT, and short names for comments.

use super::tokens::starts_with_format_tag;
/// A weight as GIFT writes it: at most five decimals, like Moodle's 33.33333.
pub(super) fn percent(weight: f64) -> String {
    let s = format!("{weight:.5}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '~' | '=' | '#' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out
}

/// Escaped, with a `[markdown]` tag in front when the text itself starts like a tag or a
/// weight, so reading it back keeps the text whole.
pub(super) fn guarded(s: &str) -> String {
    if s.starts_with('%') || starts_with_format_tag(s).is_some() {
        format!("[markdown]{}", escape(s))
    } else {
        escape(s)
    }
}

/// A short one-line name for a comment.
pub(super) fn one_line(s: &str) -> String {
    let words = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = words.chars().take(60).collect();
    let short = short.replace('"', "'");
    if words.chars().count() > 60 {
        format!("{short}…")
    } else {
        short
    }
}
