//! A problem found in a GIFT text, with its line.

use std::fmt;

/// A problem in an imported file: the 1-based line and what is wrong, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

pub(super) fn one(line: usize, reason: impl Into<String>) -> Vec<LineError> {
    vec![LineError {
        line,
        reason: reason.into(),
    }]
}
