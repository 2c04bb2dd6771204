//! Values that make up an account: email address, display name, password.

use crate::Invalid;

/// An email address, trimmed and lower-cased, checked for a plausible shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim().to_lowercase();
        let bad = |m: &str| Err(Invalid::new("email", m));
        if s.is_empty() {
            return bad("Enter an email address.");
        }
        if s.len() > 254 {
            return bad("An email address has at most 254 characters.");
        }
        let Some((local, domain)) = s.split_once('@') else {
            return bad("An email address needs an @, like name@example.com.");
        };
        if local.is_empty() || domain.is_empty() || domain.contains('@') {
            return bad("An email address looks like name@example.com.");
        }
        if s.chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        {
            return bad("An email address cannot contain spaces or angle brackets.");
        }
        if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return bad("The part after @ needs a domain like example.com.");
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's display name: 1 to 120 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 120;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.is_empty() {
            return Err(Invalid::new("name", "Enter a name."));
        }
        if s.chars().count() > Self::MAX_CHARS {
            return Err(Invalid::new(
                "name",
                format!("A name has at most {} characters.", Self::MAX_CHARS),
            ));
        }
        if s.chars().any(char::is_control) {
            return Err(Invalid::new(
                "name",
                "A name cannot contain control characters.",
            ));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password as chosen by a person: long enough to resist guessing, short enough to hash.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let n = raw.chars().count();
        if n < Self::MIN_CHARS {
            return Err(Invalid::new(
                "password",
                format!(
                    "Choose a password of at least {} characters.",
                    Self::MIN_CHARS
                ),
            ));
        }
        if n > Self::MAX_CHARS {
            return Err(Invalid::new(
                "password",
                format!("A password has at most {} characters.", Self::MAX_CHARS),
            ));
        }
        if raw.trim().is_empty() {
            return Err(Invalid::new(
                "password",
                "A password cannot be only spaces.",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ada@Example.COM ").map(|e| e.to_string()),
            Ok("ada@example.com".to_owned())
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "a@b@c.com",
            "<a@b.com>",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn names_collapse_spaces_and_have_limits() {
        assert_eq!(
            PersonName::parse("  Ada   Lovelace ").map(|n| n.as_str().to_owned()),
            Ok("Ada Lovelace".to_owned())
        );
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse(&"x".repeat(121)).is_err());
        assert!(PersonName::parse(&"x".repeat(120)).is_ok());
    }

    #[test]
    fn passwords_need_ten_characters_and_hide_in_debug() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse("          ").is_err());
        let p = NewPassword::parse("correct horse battery").expect("valid");
        assert!(!format!("{p:?}").contains("horse"));
    }
}
