//! A range of days a report covers, as people type it (`2026-09-01` to `2026-11-30`, both
//! days included), checked: a date that is not one is refused with a sentence saying so; a
//! range typed backwards or longer than ten years is read as the person meant it.

use time::{Date, Duration, Month};

/// Both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct DateRange {
    pub from: Date,
    pub to: Date,
}

/// Longest range a report covers.
pub const MAX_DAYS: i64 = 3653;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("“{0}” is not a date; write it as YYYY-MM-DD, for example 2026-11-30.")]
    NotADate(String),
    #[error("The range runs backwards: it ends on {to} before it starts on {from}.")]
    Backwards { from: Date, to: Date },
    #[error("The range spans more than ten years; choose a shorter one.")]
    TooLong,
}

fn given(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<Date, RangeError> {
    let bad = || RangeError::NotADate(s.chars().take(40).collect());
    let mut parts = s.trim().splitn(3, '-');
    let mut next = || parts.next().ok_or_else(bad);
    let (y, m, d) = (next()?, next()?, next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let y: i32 = y.parse().map_err(|_| bad())?;
    let m: u8 = m.parse().map_err(|_| bad())?;
    let d: u8 = d.parse().map_err(|_| bad())?;
    let month = Month::try_from(m).map_err(|_| bad())?;
    Date::from_calendar_date(y, month, d).map_err(|_| bad())
}

impl DateRange {
    /// The range typed in `from` and `to`; a missing end is `default_days` before the other
    /// end, or `today`.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        today: Date,
        default_days: i64,
    ) -> Result<DateRange, RangeError> {
        let to = match given(to) {
            Some(s) => parse_date(s)?,
            None => today,
        };
        let from = match given(from) {
            Some(s) => parse_date(s)?,
            None => to - Duration::days(default_days - 1),
        };
        Ok(DateRange::read(from, to))
    }

    /// The range between two days as a person meant it: typed backwards it is the same
    /// days the right way round, and longer than [`MAX_DAYS`] it keeps its last ones
    /// (docs/decisions/0037).
    pub fn read(from: Date, to: Date) -> DateRange {
        let (from, to) = if to < from { (to, from) } else { (from, to) };
        let earliest = to.checked_sub(Duration::days(MAX_DAYS - 1)).unwrap_or(from);
        DateRange {
            from: from.max(earliest),
            to,
        }
    }

    pub fn new(from: Date, to: Date) -> Result<DateRange, RangeError> {
        if to < from {
            return Err(RangeError::Backwards { from, to });
        }
        if (to - from).whole_days() + 1 > MAX_DAYS {
            return Err(RangeError::TooLong);
        }
        Ok(DateRange { from, to })
    }

    /// Days covered, both ends included.
    pub fn days(&self) -> i64 {
        (self.to - self.from).whole_days() + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn ranges_parse_with_defaults() {
        let today = date!(2026 - 12 - 05);
        let r = DateRange::parse(None, None, today, 84).unwrap();
        assert_eq!((r.from, r.to), (date!(2026 - 09 - 13), today));
        assert_eq!(r.days(), 84);
        let r = DateRange::parse(Some("2026-01-01"), Some(" 2026-01-31 "), today, 84).unwrap();
        assert_eq!(r.days(), 31);
        assert_eq!(
            DateRange::parse(Some(""), Some("2026-02-01"), today, 1)
                .unwrap()
                .from,
            date!(2026 - 02 - 01)
        );
    }

    #[test]
    fn bad_ranges_say_what_is_wrong() {
        let today = date!(2026 - 12 - 05);
        // Backwards is read the right way round; too long keeps its last ten years.
        assert_eq!(
            DateRange::parse(Some("2026-12-01"), Some("2026-11-01"), today, 7),
            Ok(DateRange {
                from: date!(2026 - 11 - 01),
                to: date!(2026 - 12 - 01)
            })
        );
        let long =
            DateRange::parse(Some("2010-01-01"), Some("2026-01-01"), today, 7).expect("a range");
        assert_eq!(long.to, date!(2026 - 01 - 01));
        assert_eq!(long.days(), MAX_DAYS);
        assert!(matches!(
            DateRange::new(date!(2026 - 12 - 01), date!(2026 - 11 - 01)),
            Err(RangeError::Backwards { .. })
        ));
        for bad in [
            "yesterday",
            "2026-13-01",
            "2026-02-30",
            "26-1-1",
            "2026-1-01",
        ] {
            assert!(
                matches!(parse_date(bad), Err(RangeError::NotADate(_))),
                "{bad}"
            );
        }
        assert!(DateRange::parse(Some("2016-12-06"), Some("2026-12-05"), today, 7).is_ok());
    }
}
