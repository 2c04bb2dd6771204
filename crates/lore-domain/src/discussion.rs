//! Discussions: what a thread title and a post may be, and who a post mentions.
//! Lore has no user names, so a mention is `@` followed by an email address.

use crate::Invalid;
use crate::account::Email;

/// The longest thread title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// The longest post, in characters.
pub const MAX_BODY_CHARS: usize = 20_000;
/// Mentions beyond this many in one post are ignored (nobody notifies a whole company).
pub const MAX_MENTIONS: usize = 20;
/// Posts (opening posts and replies) one person may write per hour.
pub const POSTS_PER_HOUR: u64 = 30;

/// A thread's title: trimmed, 1 to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadTitle(String);

impl ThreadTitle {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(Invalid::new("title", "Give the discussion a title."));
        }
        let n = s.chars().count();
        if n > MAX_TITLE_CHARS {
            return Err(Invalid::new(
                "title",
                format!("A title has at most {MAX_TITLE_CHARS} characters; this one has {n}."),
            ));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A post in Markdown: not blank, at most 20,000 characters (trailing space trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostBody(String);

impl PostBody {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim_end();
        if s.trim().is_empty() {
            return Err(Invalid::new("body", "Write something first."));
        }
        // Counting stops early so a huge body costs no more than the limit.
        if s.chars().nth(MAX_BODY_CHARS).is_some() {
            return Err(Invalid::new(
                "body",
                format!(
                    "A post has at most 20,000 characters; this one has {}. Shorten it or split it into several posts.",
                    group_thousands(s.chars().count())
                ),
            ));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn email_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-' | '@')
}

/// The people a text mentions: `@ada@example.com` → `ada@example.com`. Lower-cased, each
/// once, in order of first mention, at most [`MAX_MENTIONS`]. An address written without
/// the leading `@` is not a mention.
pub fn mentions(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() && found.len() < MAX_MENTIONS {
        let (at, c) = chars[i];
        let starts_word = i == 0 || !email_char(chars[i - 1].1);
        if c != '@' || !starts_word {
            i += 1;
            continue;
        }
        let start = at + 1;
        let mut j = i + 1;
        while j < chars.len() && email_char(chars[j].1) {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |(k, _)| *k);
        // A sentence may end right after the address.
        let candidate = text[start..end].trim_end_matches(['.', '-']);
        if candidate.matches('@').count() == 1
            && let Ok(email) = Email::parse(candidate)
        {
            let email = email.as_str().to_owned();
            if !found.contains(&email) {
                found.push(email);
            }
        }
        i = j.max(i + 1);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(
            ThreadTitle::parse("  Why 3? ").map(|t| t.into_inner()),
            Ok("Why 3?".into())
        );
        assert!(ThreadTitle::parse("   ").is_err());
        assert!(ThreadTitle::parse(&"é".repeat(200)).is_ok());
        let long = ThreadTitle::parse(&"é".repeat(201)).unwrap_err();
        assert_eq!(long.field, "title");
        assert!(long.message.contains("201"), "{}", long.message);
    }

    #[test]
    fn bodies_are_not_blank_and_at_most_twenty_thousand_characters() {
        assert!(PostBody::parse(" \n\t ").is_err());
        assert_eq!(
            PostBody::parse("Hi\n\n").map(|b| b.into_inner()),
            Ok("Hi".into())
        );
        assert!(PostBody::parse(&"ü".repeat(MAX_BODY_CHARS)).is_ok());
        let big = PostBody::parse(&"x".repeat(1024 * 1024)).unwrap_err();
        assert_eq!(big.field, "body");
        assert!(big.message.contains("20,000"), "{}", big.message);
        assert!(big.message.contains("1,048,576"), "{}", big.message);
    }

    #[test]
    fn mentions_are_at_sign_then_email_lower_cased_and_deduplicated() {
        assert_eq!(
            mentions("Thanks @Ada@Example.com and (@bob@acme.test). Also @ada@example.com."),
            vec!["ada@example.com".to_owned(), "bob@acme.test".to_owned()]
        );
    }

    #[test]
    fn plain_addresses_and_odd_shapes_are_not_mentions() {
        assert!(mentions("mail ada@example.com please").is_empty());
        assert!(mentions("@ada and @ada@localhost and @ and @@x@y.z").is_empty());
        assert!(mentions("").is_empty());
    }

    #[test]
    fn at_most_twenty_mentions_count() {
        let text: String = (0..30).map(|i| format!("@p{i}@acme.test ")).collect();
        let m = mentions(&text);
        assert_eq!(m.len(), MAX_MENTIONS);
        assert_eq!(m[0], "p0@acme.test");
    }

    #[test]
    fn mentions_survive_multibyte_text_around_them() {
        assert_eq!(mentions("Grüße an @zoë@exämple.de!"), Vec::<String>::new());
        assert_eq!(mentions("Grüße, @jo@ex.de!"), vec!["jo@ex.de".to_owned()]);
    }
}
