//! Assignments: what is assigned (a course or a path), when it is due (a fixed date or a
//! number of days after each person is reached), how a person stands on it, and the CSV of
//! email addresses a coach may upload to assign many people at once.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::Invalid;
use crate::account::Email;
use crate::csv_lines::LineCounter;
use crate::people_csv::RowError;

word_enum! {
    /// What an assignment is for.
    pub enum TargetKind in "target" {
        Course = "course",
        Path = "path",
    }
}

word_enum! {
    /// Where a person stands on an assignment, as coaches count them.
    pub enum AssigneeStatus in "status" {
        NotStarted = "not_started",
        InProgress = "in_progress",
        Done = "done",
        Overdue = "overdue",
        /// Left the group the assignment reached them through; their progress stays.
        Left = "left",
    }
}

impl AssigneeStatus {
    /// How a page says it.
    pub fn words(self) -> &'static str {
        match self {
            AssigneeStatus::NotStarted => "not started",
            AssigneeStatus::InProgress => "in progress",
            AssigneeStatus::Done => "done",
            AssigneeStatus::Overdue => "overdue",
            AssigneeStatus::Left => "left",
        }
    }
}

/// A person's status: left first (they are no longer counted), then done, then overdue
/// (not done and the due date passed), then started or not.
pub fn status(
    left: bool,
    done: bool,
    started: bool,
    due_at: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> AssigneeStatus {
    if left {
        AssigneeStatus::Left
    } else if done {
        AssigneeStatus::Done
    } else if due_at.is_some_and(|d| d < now) {
        AssigneeStatus::Overdue
    } else if started {
        AssigneeStatus::InProgress
    } else {
        AssigneeStatus::NotStarted
    }
}

/// When an assignment is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Due {
    /// No due date.
    None,
    /// The same moment for everyone.
    At(#[serde(with = "time::serde::rfc3339")] OffsetDateTime),
    /// This many days after each person is reached (joining the group later moves it).
    Within(u32),
}

/// The longest relative due date accepted.
pub const MAX_DUE_DAYS: u32 = 3650;

impl Due {
    /// Check a due date given at `now`: a fixed one must lie in the future, a relative one
    /// between 1 and [`MAX_DUE_DAYS`] days.
    pub fn check(self, now: OffsetDateTime) -> Result<Self, Invalid> {
        match self {
            Due::At(at) if at <= now => Err(Invalid::new(
                "due_at",
                "The due date has passed; choose a date in the future.",
            )),
            Due::Within(d) if d == 0 || d > MAX_DUE_DAYS => Err(Invalid::new(
                "due_days",
                format!("Give the number of days as 1 to {MAX_DUE_DAYS}."),
            )),
            other => Ok(other),
        }
    }

    /// The due date of a person reached at `assigned_at`.
    pub fn for_person(self, assigned_at: OffsetDateTime) -> Option<OffsetDateTime> {
        match self {
            Due::None => None,
            Due::At(at) => Some(at),
            Due::Within(days) => Some(assigned_at + Duration::days(i64::from(days))),
        }
    }
}

/// When reminders go out, as the coach sets it per assignment (the reminder job reads it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReminderRule {
    /// Remind this many days before the due date.
    #[serde(default)]
    pub before_days: Vec<u32>,
    /// Once overdue, remind every this many days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overdue_every_days: Option<u32>,
}

impl ReminderRule {
    /// Read the rule from its form: `before_days` as "7, 1", overdue as "7" (blank: none).
    pub fn from_form(before: &str, overdue_every: &str) -> Result<Self, Invalid> {
        let day = |raw: &str, field: &'static str| -> Result<u32, Invalid> {
            raw.trim()
                .parse::<u32>()
                .ok()
                .filter(|d| (1..=365).contains(d))
                .ok_or_else(|| {
                    Invalid::new(
                        field,
                        format!("{raw:?} is not a number of days from 1 to 365."),
                    )
                })
        };
        let mut before_days = before
            .split([',', ' ', ';'])
            .filter(|s| !s.trim().is_empty())
            .map(|s| day(s, "before_days"))
            .collect::<Result<Vec<_>, _>>()?;
        before_days.sort_unstable_by(|a, b| b.cmp(a));
        before_days.dedup();
        let overdue_every_days = match overdue_every.trim() {
            "" => None,
            raw => Some(day(raw, "overdue_every_days")?),
        };
        Ok(Self {
            before_days,
            overdue_every_days,
        })
    }

    /// Read a stored or posted rule (`{"before_days":[7,1],"overdue_every_days":7}`).
    pub fn parse_json(raw: &str) -> Result<Self, Invalid> {
        serde_json::from_str(raw).map_err(|e| {
            Invalid::new(
                "reminder_rule",
                format!("The reminder rule is not of the form {{\"before_days\":[7,1],\"overdue_every_days\":7}}: {e}"),
            )
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }

    pub fn is_empty(&self) -> bool {
        self.before_days.is_empty() && self.overdue_every_days.is_none()
    }

    /// In words: "7 and 1 days before; every 7 days when overdue".
    pub fn words(&self) -> String {
        let mut parts = Vec::new();
        if !self.before_days.is_empty() {
            let days: Vec<String> = self.before_days.iter().map(u32::to_string).collect();
            parts.push(format!("{} days before", days.join(" and ")));
        }
        if let Some(d) = self.overdue_every_days {
            parts.push(format!("every {d} days when overdue"));
        }
        if parts.is_empty() {
            "no reminders".to_owned()
        } else {
            parts.join("; ")
        }
    }
}

/// The email addresses of a CSV upload: one per line in the first column, an optional
/// header `email`. Every bad line is listed; repeated addresses count once.
pub fn parse_emails(data: &[u8]) -> (Vec<(u64, Email)>, Vec<RowError>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(data);
    let mut lines = LineCounter::new(data);
    let (mut good, mut bad, mut seen) = (Vec::new(), Vec::new(), HashSet::new());
    for (index, record) in reader.records().enumerate() {
        let fallback = index as u64 + 1;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(fallback, |p| lines.line_at(p.byte()));
                bad.push(RowError {
                    line,
                    reason: "This line could not be read as CSV.".to_owned(),
                });
                continue;
            }
        };
        let line = record
            .position()
            .map_or(fallback, |p| lines.line_at(p.byte()));
        let first = record.get(0).unwrap_or("");
        if first.is_empty() || (index == 0 && first.eq_ignore_ascii_case("email")) {
            continue;
        }
        match Email::parse(first) {
            Ok(e) if seen.insert(e.clone()) => good.push((line, e)),
            Ok(_) => {}
            Err(e) => bad.push(RowError {
                line,
                reason: format!("{first:?}: {}", e.message),
            }),
        }
    }
    if good.is_empty() && bad.is_empty() {
        bad.push(RowError {
            line: 1,
            reason: "The file has no email addresses.".to_owned(),
        });
    }
    (good, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(days: i64) -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH + Duration::days(20_000 + days)
    }

    #[test]
    fn due_dates_fixed_and_relative() {
        let now = at(0);
        assert!(Due::At(at(-1)).check(now).is_err());
        assert!(Due::At(now).check(now).is_err());
        assert_eq!(Due::At(at(3)).check(now), Ok(Due::At(at(3))));
        assert!(Due::Within(0).check(now).is_err());
        assert!(Due::Within(MAX_DUE_DAYS + 1).check(now).is_err());
        assert_eq!(Due::Within(30).for_person(at(5)), Some(at(35)));
        assert_eq!(Due::At(at(3)).for_person(at(5)), Some(at(3)));
        assert_eq!(Due::None.for_person(at(5)), None);
    }

    #[test]
    fn status_orders_left_done_overdue_started() {
        let now = at(0);
        use AssigneeStatus::*;
        assert_eq!(status(true, true, true, Some(at(-1)), now), Left);
        assert_eq!(status(false, true, true, Some(at(-1)), now), Done);
        assert_eq!(status(false, false, false, Some(at(-1)), now), Overdue);
        assert_eq!(status(false, false, true, Some(at(1)), now), InProgress);
        assert_eq!(status(false, false, false, None, now), NotStarted);
    }

    #[test]
    fn reminder_rules_from_the_form_and_json() {
        let r = ReminderRule::from_form("1, 7", "7").unwrap();
        assert_eq!(r.before_days, [7, 1]);
        assert_eq!(
            r.to_json(),
            r#"{"before_days":[7,1],"overdue_every_days":7}"#
        );
        assert_eq!(ReminderRule::parse_json(&r.to_json()).unwrap(), r);
        assert_eq!(r.words(), "7 and 1 days before; every 7 days when overdue");
        assert!(ReminderRule::from_form("x", "").is_err());
        assert!(ReminderRule::from_form("", "0").is_err());
        assert!(ReminderRule::from_form("", "").unwrap().is_empty());
        assert!(ReminderRule::parse_json(r#"{"weekly":true}"#).is_err());
    }

    #[test]
    fn email_lists_name_their_bad_lines() {
        let (good, bad) = parse_emails(
            b"email\nada@acme.test\n\nnot-an-address\nADA@acme.test\nbob@acme.test,extra\n",
        );
        let emails: Vec<(u64, &str)> = good.iter().map(|(l, e)| (*l, e.as_str())).collect();
        assert_eq!(emails, [(2, "ada@acme.test"), (6, "bob@acme.test")]);
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line, 4);
        assert!(bad[0].reason.contains("not-an-address"));
        let (_, empty) = parse_emails(b"email\n");
        assert_eq!(empty.len(), 1);
    }
}
