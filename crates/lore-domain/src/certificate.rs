//! Certificates: the rules a course awards by (validity, reminder intervals), and where a
//! certificate stands at a moment (valid, about to expire, expired). Moments are Unix
//! seconds; the caller passes `now`.

use crate::Invalid;

/// The reminder intervals a coach gets unless they choose others: days before expiry.
pub const DEFAULT_REMINDERS: [i32; 4] = [90, 60, 30, 7];

/// The longest validity and interval accepted (100 years): past it is a typing mistake.
pub const MAX_DAYS: i64 = 36_500;

const DAY: i64 = 86_400;

/// What completing a course awards, as its editors or coaches set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRules {
    /// Whether completing awards a certificate at all.
    pub awards: bool,
    /// Days a certificate stays valid; `None` for a certificate that never expires.
    pub validity_days: Option<i32>,
    /// Days before expiry to remind the holder, largest first, no repeats. The largest is
    /// also when recertification is assigned.
    pub reminder_days: Vec<i32>,
}

impl Default for CertificateRules {
    fn default() -> Self {
        Self {
            awards: false,
            validity_days: None,
            reminder_days: DEFAULT_REMINDERS.to_vec(),
        }
    }
}

impl CertificateRules {
    /// Rules from what a person typed: validity in days (empty for none) and the intervals as
    /// a list of days separated by commas or spaces (empty for the defaults).
    pub fn parse(awards: bool, validity: &str, reminders: &str) -> Result<Self, Invalid> {
        let validity_days = match validity.trim() {
            "" => None,
            raw => Some(days("validity_days", raw, "The validity")?),
        };
        let reminder_days = parse_intervals(reminders)?;
        Self::new(awards, validity_days, reminder_days)
    }

    /// Rules from typed values (the API's JSON), checked as [`CertificateRules::parse`] does.
    pub fn new(
        awards: bool,
        validity_days: Option<i32>,
        mut reminder_days: Vec<i32>,
    ) -> Result<Self, Invalid> {
        if let Some(v) = validity_days {
            check_days("validity_days", i64::from(v), "The validity")?;
        }
        for d in &reminder_days {
            check_days("reminder_days", i64::from(*d), "Each reminder interval")?;
        }
        if reminder_days.is_empty() {
            // The defaults fit the validity: those at or past it would come before the award
            // (decision 0037).
            reminder_days = DEFAULT_REMINDERS
                .iter()
                .copied()
                .filter(|d| validity_days.is_none_or(|v| *d < v))
                .collect();
        }
        reminder_days.sort_unstable_by(|a, b| b.cmp(a));
        reminder_days.dedup();
        if let (Some(v), Some(first)) = (validity_days, reminder_days.first())
            && *first >= v
        {
            return Err(Invalid::new(
                "reminder_days",
                format!(
                    "The first reminder ({first} days before expiry) must come after the award: use intervals shorter than the validity ({v} days)."
                ),
            ));
        }
        Ok(Self {
            awards,
            validity_days,
            reminder_days,
        })
    }

    /// The intervals as stored and shown: `90,60,30,7`.
    pub fn reminders_text(&self) -> String {
        join_days(&self.reminder_days)
    }

    /// The largest interval: the recertification window opens this many days before expiry.
    pub fn window_days(&self) -> i32 {
        window_days(&self.reminder_days)
    }
}

/// The largest of stored intervals (0 when there are none).
pub fn window_days(reminder_days: &[i32]) -> i32 {
    reminder_days.iter().copied().max().unwrap_or(0)
}

/// `[90, 60]` as `90,60`.
pub fn join_days(days: &[i32]) -> String {
    days.iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// `90, 60 30,7` into `[90, 60, 30, 7]`; empty is empty.
pub fn parse_intervals(raw: &str) -> Result<Vec<i32>, Invalid> {
    raw.split([',', ' ', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| days("reminder_days", s, "Each reminder interval"))
        .collect()
}

fn days(field: &'static str, raw: &str, what: &str) -> Result<i32, Invalid> {
    let n: i64 = raw.parse().map_err(|_| {
        Invalid::new(
            field,
            format!("{what} must be a whole number of days, not {raw:?}."),
        )
    })?;
    check_days(field, n, what)?;
    i32::try_from(n).map_err(|_| Invalid::new(field, format!("{what} is too long.")))
}

fn check_days(field: &'static str, n: i64, what: &str) -> Result<(), Invalid> {
    if n <= 0 {
        return Err(Invalid::new(
            field,
            format!("{what} must be a positive number of days."),
        ));
    }
    if n > MAX_DAYS {
        return Err(Invalid::new(
            field,
            format!("{what} must be at most {MAX_DAYS} days."),
        ));
    }
    Ok(())
}

/// Where a certificate stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Valid, and not yet in its recertification window (or it never expires).
    Valid,
    /// Still valid, but within the window: the holder is about to lose it.
    Expiring,
    /// Past its expiry.
    Expired,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Valid => "valid",
            Standing::Expiring => "expiring",
            Standing::Expired => "expired",
        }
    }

    /// Valid in the sense a verifier asks: not expired.
    pub fn is_valid(self) -> bool {
        self != Standing::Expired
    }
}

/// Where a certificate expiring at `expires_at` stands at `now`, with the window opening
/// `window_days` before expiry.
pub fn standing(expires_at: Option<i64>, window_days: i32, now: i64) -> Standing {
    match expires_at {
        None => Standing::Valid,
        Some(e) if now >= e => Standing::Expired,
        Some(e) if now >= e - i64::from(window_days) * DAY => Standing::Expiring,
        Some(_) => Standing::Valid,
    }
}

/// The reminder due at `now`: the smallest interval whose moment has come, while the
/// certificate has not expired. A reminder whose moment passed while a smaller one's has come
/// too is skipped: one late sweep sends one reminder, the nearest.
pub fn due_reminder(expires_at: i64, reminder_days: &[i32], now: i64) -> Option<i32> {
    if now >= expires_at {
        return None;
    }
    reminder_days
        .iter()
        .copied()
        .filter(|d| now >= expires_at - i64::from(*d) * DAY)
        .min()
}

/// The next moment after `now` the sweep has something to do with a certificate expiring at
/// `expires_at`: the next reminder, or expiry itself; `None` once it has expired.
pub fn next_moment(expires_at: i64, reminder_days: &[i32], now: i64) -> Option<i64> {
    reminder_days
        .iter()
        .map(|d| expires_at - i64::from(*d) * DAY)
        .chain(std::iter::once(expires_at))
        .filter(|t| *t > now)
        .min()
}

/// The moment a certificate awarded at `awarded_at` expires under `validity_days`.
pub fn expiry(awarded_at: i64, validity_days: Option<i32>) -> Option<i64> {
    validity_days.map(|d| awarded_at + i64::from(d) * DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_parse_sort_and_default() {
        let r = CertificateRules::parse(true, "365", "7, 30 90,60").expect("rules");
        assert_eq!(r.reminder_days, vec![90, 60, 30, 7]);
        assert_eq!(r.validity_days, Some(365));
        assert_eq!(r.reminders_text(), "90,60,30,7");
        assert_eq!(r.window_days(), 90);
        let d = CertificateRules::parse(true, "", "").expect("defaults");
        assert_eq!(d.reminder_days, DEFAULT_REMINDERS.to_vec());
        assert_eq!(d.validity_days, None);
    }

    #[test]
    fn default_intervals_fit_a_short_validity() {
        let r = CertificateRules::parse(true, "45", "").expect("defaults that fit");
        assert_eq!(r.reminder_days, vec![30, 7]);
        let r = CertificateRules::new(true, Some(1), vec![]).expect("no default fits");
        assert!(r.reminder_days.is_empty());
        assert_eq!(r.window_days(), 0);
    }

    #[test]
    fn bad_numbers_are_refused_with_their_field() {
        for (validity, reminders, field) in [
            ("0", "", "validity_days"),
            ("-5", "", "validity_days"),
            ("a year", "", "validity_days"),
            ("365", "30,0", "reminder_days"),
            ("365", "-7", "reminder_days"),
            ("365", "x", "reminder_days"),
            ("30", "90,7", "reminder_days"),
            ("99999999", "", "validity_days"),
        ] {
            let e = CertificateRules::parse(true, validity, reminders).expect_err(validity);
            assert_eq!(e.field, field, "{validity} / {reminders}");
        }
        assert!(CertificateRules::new(true, Some(0), vec![]).is_err());
        assert!(CertificateRules::new(true, Some(365), vec![0]).is_err());
    }

    #[test]
    fn standing_moves_from_valid_to_expiring_to_expired() {
        let e = 1_000 * DAY;
        assert_eq!(standing(Some(e), 90, e - 91 * DAY), Standing::Valid);
        assert_eq!(standing(Some(e), 90, e - 90 * DAY), Standing::Expiring);
        assert_eq!(standing(Some(e), 90, e - 1), Standing::Expiring);
        assert_eq!(standing(Some(e), 90, e), Standing::Expired);
        assert_eq!(standing(None, 90, e * 5), Standing::Valid);
        assert!(Standing::Expiring.is_valid());
        assert!(!Standing::Expired.is_valid());
    }

    #[test]
    fn the_nearest_reminder_is_due_and_none_after_expiry() {
        let e = 1_000 * DAY;
        let r = [90, 60, 30, 7];
        assert_eq!(due_reminder(e, &r, e - 100 * DAY), None);
        assert_eq!(due_reminder(e, &r, e - 90 * DAY), Some(90));
        assert_eq!(due_reminder(e, &r, e - 45 * DAY), Some(60));
        assert_eq!(due_reminder(e, &r, e - 3 * DAY), Some(7));
        assert_eq!(due_reminder(e, &r, e), None);
    }

    #[test]
    fn the_next_moment_is_the_next_reminder_then_expiry() {
        let e = 1_000 * DAY;
        let r = [90, 60, 30, 7];
        assert_eq!(next_moment(e, &r, e - 100 * DAY), Some(e - 90 * DAY));
        assert_eq!(next_moment(e, &r, e - 90 * DAY), Some(e - 60 * DAY));
        assert_eq!(next_moment(e, &r, e - 5 * DAY), Some(e));
        assert_eq!(next_moment(e, &r, e), None);
    }

    #[test]
    fn expiry_adds_whole_days() {
        assert_eq!(expiry(10, Some(2)), Some(10 + 2 * DAY));
        assert_eq!(expiry(10, None), None);
    }
}
