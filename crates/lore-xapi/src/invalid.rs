//! The error every check returns: which rule of the specification broke, where, and why.

use std::fmt;

/// A rule of the specification that a request broke. `rule` is a stable kebab-case code
/// (e.g. "agent-one-identifier", "score-scaled-range"); `path` is where (e.g. "actor.mbox");
/// `message` a plain sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub rule: &'static str,
    pub path: String,
    pub message: String,
}

impl Invalid {
    pub fn new(rule: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Invalid {
            rule,
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{} ({})", self.message, self.rule)
        } else {
            write!(f, "{}: {} ({})", self.path, self.message, self.rule)
        }
    }
}

impl std::error::Error for Invalid {}
