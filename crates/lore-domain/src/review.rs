//! Review before publishing and keeping courses current: the words of a review, whether a
//! draft may go live, and when a course is stale. Pure: callers pass what they read.

use crate::Invalid;

word_enum! {
    /// Where a submitted draft stands.
    pub enum ReviewState in "state" {
        /// Submitted; reviewers look at it.
        Open = "open",
        /// The version went live.
        Published = "published",
        /// The author took it back.
        Withdrawn = "withdrawn",
    }
}

word_enum! {
    /// A reviewer's decision on the draft as it was.
    pub enum Verdict in "verdict" {
        Approved = "approved",
        ChangesRequested = "changes-requested",
    }
}

/// A verdict as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenVerdict {
    pub reviewer: i64,
    pub verdict: Verdict,
    /// The draft content's fingerprint the verdict was given on.
    pub fingerprint: String,
}

/// How an open review stands for the draft as it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Nobody has decided on this content yet (or it changed since an approval).
    Waiting,
    /// A reviewer asked for changes, and nobody approved since.
    ChangesRequested,
    /// Approved: the draft may go live.
    Approved,
}

/// How many approvals a draft needs to go live.
pub const APPROVALS_NEEDED: usize = 1;

/// The standing of a review: each reviewer's latest verdict counts, and only for the content
/// it was given on. A request for changes on the draft as it is holds it back; once the
/// draft changes, the request has been answered and the draft waits for a verdict again; an
/// approval counts only while the draft is unchanged (a change afterwards asks again).
/// Verdicts are in the order they were given.
pub fn standing(verdicts: &[GivenVerdict], current_fingerprint: &str) -> Standing {
    let mut latest: Vec<&GivenVerdict> = Vec::new();
    for v in verdicts {
        latest.retain(|l| l.reviewer != v.reviewer);
        latest.push(v);
    }
    latest.retain(|v| v.fingerprint == current_fingerprint);
    if latest
        .iter()
        .any(|v| v.verdict == Verdict::ChangesRequested)
    {
        return Standing::ChangesRequested;
    }
    if latest.len() >= APPROVALS_NEEDED {
        Standing::Approved
    } else {
        Standing::Waiting
    }
}

/// The interval between checks of a course, when neither the course nor its group sets one.
pub const DEFAULT_REVIEW_DAYS: i32 = 180;

/// The open *outdated* flags that make a course stale whatever its age.
pub const STALE_OUTDATED_FLAGS: u64 = 3;

/// A review interval as typed: whole days, 1 to 3650; empty means "the default".
pub fn parse_review_days(raw: &str) -> Result<Option<i32>, Invalid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i32>() {
        Ok(days) if (1..=3650).contains(&days) => Ok(Some(days)),
        _ => Err(Invalid::new(
            "review_days",
            "Give the review interval in whole days, from 1 to 3650 (or leave it empty for the default).",
        )),
    }
}

/// Why a course is stale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaleReason {
    /// Not published anew nor confirmed for longer than its interval.
    Overdue { days: u64, interval: i32 },
    /// Learners flagged it outdated this many times, still open.
    Flagged { open_outdated: u64 },
}

impl StaleReason {
    /// The reason in words, for lists and notifications.
    pub fn text(&self) -> String {
        match self {
            StaleReason::Overdue { days, interval } => {
                format!("not checked for {days} days (its review interval is {interval} days)")
            }
            StaleReason::Flagged { open_outdated } => {
                format!("{open_outdated} learners flagged it outdated")
            }
        }
    }
}

/// Is a course stale? `days_since_check` counts from its newest version or its owner's last
/// confirmation, whichever is later.
pub fn staleness(days_since_check: u64, interval: i32, open_outdated: u64) -> Vec<StaleReason> {
    let mut reasons = Vec::new();
    if days_since_check > u64::try_from(interval.max(1)).unwrap_or(u64::MAX) {
        reasons.push(StaleReason::Overdue {
            days: days_since_check,
            interval,
        });
    }
    if open_outdated >= STALE_OUTDATED_FLAGS {
        reasons.push(StaleReason::Flagged { open_outdated });
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(reviewer: i64, verdict: Verdict, fp: &str) -> GivenVerdict {
        GivenVerdict {
            reviewer,
            verdict,
            fingerprint: fp.to_owned(),
        }
    }

    #[test]
    fn an_approval_counts_only_for_the_content_it_saw() {
        assert_eq!(standing(&[], "a"), Standing::Waiting);
        let approved = [v(1, Verdict::Approved, "a")];
        assert_eq!(standing(&approved, "a"), Standing::Approved);
        assert_eq!(standing(&approved, "b"), Standing::Waiting);
    }

    #[test]
    fn changes_requested_hold_until_the_draft_changes_or_is_approved() {
        let asked = [v(1, Verdict::ChangesRequested, "a")];
        assert_eq!(standing(&asked, "a"), Standing::ChangesRequested);
        // Changed: the request was answered; it waits for a verdict on the new content.
        assert_eq!(standing(&asked, "b"), Standing::Waiting);
        let then_approved = [
            v(1, Verdict::ChangesRequested, "a"),
            v(1, Verdict::Approved, "b"),
        ];
        assert_eq!(standing(&then_approved, "b"), Standing::Approved);
        // A second reviewer's request on the same content holds it back.
        let other_asks = [
            v(1, Verdict::Approved, "b"),
            v(2, Verdict::ChangesRequested, "b"),
        ];
        assert_eq!(standing(&other_asks, "b"), Standing::ChangesRequested);
        // The same reviewer changing their mind: their latest verdict counts.
        let reconsidered = [
            v(2, Verdict::ChangesRequested, "b"),
            v(2, Verdict::Approved, "b"),
        ];
        assert_eq!(standing(&reconsidered, "b"), Standing::Approved);
    }

    #[test]
    fn stale_by_age_or_by_flags_with_the_reason() {
        assert!(staleness(180, 180, 2).is_empty());
        assert_eq!(
            staleness(181, 180, 0),
            vec![StaleReason::Overdue {
                days: 181,
                interval: 180
            }]
        );
        assert_eq!(
            staleness(10, 180, 3),
            vec![StaleReason::Flagged { open_outdated: 3 }]
        );
        assert_eq!(
            StaleReason::Overdue {
                days: 200,
                interval: 90
            }
            .text(),
            "not checked for 200 days (its review interval is 90 days)"
        );
    }

    #[test]
    fn review_days_are_whole_days_in_range() {
        assert_eq!(parse_review_days(" "), Ok(None));
        assert_eq!(parse_review_days("90"), Ok(Some(90)));
        assert!(parse_review_days("0").is_err());
        assert!(parse_review_days("-5").is_err());
        assert!(parse_review_days("ten").is_err());
        assert!(parse_review_days("4000").is_err());
    }
}
