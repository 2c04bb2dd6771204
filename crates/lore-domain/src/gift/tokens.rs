//! A question's characters with escapes resolved, and the helpers that cut them.

/// A character of a question after escapes are resolved: an escaped character is never
/// syntax.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tok {
    pub(super) ch: char,
    pub(super) escaped: bool,
    pub(super) line: usize,
}

pub(super) fn tokenize(lines: &[(usize, &str)]) -> Vec<Tok> {
    let mut toks = Vec::new();
    for (i, &(line, text)) in lines.iter().enumerate() {
        if i > 0 {
            toks.push(Tok {
                ch: '\n',
                escaped: false,
                line,
            });
        }
        let mut chars = text.chars().peekable();
        while let Some(ch) = chars.next() {
            if ch == '\\' {
                let literal = match chars.peek() {
                    Some(&c @ ('~' | '=' | '#' | '{' | '}' | ':' | '\\')) => Some(c),
                    Some('n') => Some('\n'),
                    _ => None,
                };
                if let Some(c) = literal {
                    chars.next();
                    toks.push(Tok {
                        ch: c,
                        escaped: true,
                        line,
                    });
                    continue;
                }
            }
            toks.push(Tok {
                ch,
                escaped: false,
                line,
            });
        }
    }
    toks
}

pub(super) fn is(tok: &Tok, ch: char) -> bool {
    !tok.escaped && tok.ch == ch
}

/// Where the unescaped characters of `pattern` first occur in a row.
pub(super) fn find(toks: &[Tok], pattern: &str) -> Option<usize> {
    let pattern: Vec<char> = pattern.chars().collect();
    toks.windows(pattern.len())
        .position(|w| w.iter().zip(&pattern).all(|(t, c)| is(t, *c)))
}

pub(super) fn split(toks: &[Tok], ch: char) -> Vec<&[Tok]> {
    toks.split(|t| is(t, ch)).collect()
}

pub(super) fn trim(toks: &[Tok]) -> &[Tok] {
    let start = toks
        .iter()
        .position(|t| !t.ch.is_whitespace())
        .unwrap_or(toks.len());
    let end = toks
        .iter()
        .rposition(|t| !t.ch.is_whitespace())
        .map_or(start, |i| i + 1);
    toks.get(start..end).unwrap_or_default()
}

/// The text, trimmed.
pub(super) fn text(toks: &[Tok]) -> String {
    toks.iter()
        .map(|t| t.ch)
        .collect::<String>()
        .trim()
        .to_owned()
}

pub(super) const FORMAT_TAGS: [&str; 4] = ["[markdown]", "[html]", "[plain]", "[moodle]"];

pub(super) fn starts_with_format_tag(s: &str) -> Option<usize> {
    FORMAT_TAGS
        .iter()
        .find(|tag| {
            s.get(..tag.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(tag))
        })
        .map(|tag| tag.len())
}

/// The text, trimmed, without a leading format tag.
pub(super) fn formatted(toks: &[Tok]) -> String {
    let s = text(toks);
    match starts_with_format_tag(&s) {
        Some(len) => s.get(len..).unwrap_or_default().trim().to_owned(),
        None => s,
    }
}

/// The line of the first visible character, or `fallback`.
pub(super) fn line_of(toks: &[Tok], fallback: usize) -> usize {
    toks.iter()
        .find(|t| !t.ch.is_whitespace())
        .or(toks.first())
        .map_or(fallback, |t| t.line)
}
