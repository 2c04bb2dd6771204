//! Suggested edits: a learner's proposed Markdown for a text step, and what makes one valid.

use crate::Invalid;
use crate::course::StepBody;

/// The longest reason (or decline reason) accepted.
pub const MAX_REASON_CHARS: usize = 1_000;

/// A proposal checked: the new Markdown (within a step's limits, different from the text it
/// edits) and the reason, both trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub body: String,
    pub reason: String,
}

pub fn proposal(base: &str, body: &str, reason: &str) -> Result<Proposal, Invalid> {
    let body = StepBody::parse(body)?.as_str().to_owned();
    if body.trim() == base.trim() {
        return Err(Invalid::new(
            "body",
            "The text is unchanged; edit the step before sending the suggestion.",
        ));
    }
    Ok(Proposal {
        body,
        reason: reason_text(reason, "Say why the step should change.")?,
    })
}

/// A reason in words (for a suggestion or for declining one).
pub fn reason_text(raw: &str, when_empty: &str) -> Result<String, Invalid> {
    let r = raw.trim();
    let n = r.chars().count();
    if n == 0 {
        return Err(Invalid::new("reason", when_empty));
    }
    if n > MAX_REASON_CHARS {
        return Err(Invalid::new(
            "reason",
            format!("Keep the reason to {MAX_REASON_CHARS} characters (this one has {n})."),
        ));
    }
    if r.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Invalid::new(
            "reason",
            "Remove the control characters from the reason.",
        ));
    }
    Ok(r.to_owned())
}

word_enum! {
    /// Where a suggested edit stands: waiting for an author, taken into a draft, or declined.
    pub enum SuggestedEditStatus in "status" {
        Open = "open",
        Accepted = "accepted",
        Declined = "declined",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proposal_must_change_the_text_and_say_why() {
        assert!(proposal("Use TLS 1.2.", "Use TLS 1.2.", "newer").is_err());
        assert!(proposal("Use TLS 1.2.", "Use TLS 1.3.", " ").is_err());
        let p = proposal("Use TLS 1.2.", "Use TLS 1.3.", " 1.2 is retired ").expect("valid");
        assert_eq!(p.reason, "1.2 is retired");
        assert!(reason_text(&"x".repeat(MAX_REASON_CHARS + 1), "why?").is_err());
    }

    #[test]
    fn suggested_edit_status_words_round_trip_and_others_are_refused() {
        for &x in SuggestedEditStatus::ALL {
            assert_eq!(SuggestedEditStatus::parse(x.as_str()), Ok(x));
            assert_eq!(
                serde_json::to_string(&x).unwrap(),
                format!("\"{}\"", x.as_str())
            );
        }
        assert!(SuggestedEditStatus::parse("merged").is_err());
        assert!(SuggestedEditStatus::parse("").is_err());
    }
}
