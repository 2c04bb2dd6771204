//! A dashboard's range of dates, widened to whole weeks (Monday to Sunday, UTC), as the
//! activity rollup counts them.

use lore_store::{week_of, week_start};
use serde::Serialize;
use time::{Date, Duration, OffsetDateTime};

use crate::{AppError, AppResult};

/// The default range: the last twelve weeks, this one included.
pub const DEFAULT_WEEKS: i64 = 12;
/// The longest range: ten years.
pub const MAX_DAYS: i64 = 3653;

/// A checked range of weeks.
#[derive(Debug, Clone, Serialize)]
pub struct Range {
    /// The first day asked for, `YYYY-MM-DD`.
    pub from: String,
    /// The last day asked for, `YYYY-MM-DD`.
    pub to: String,
    /// The Monday of the first week and the Sunday of the last, `YYYY-MM-DD`.
    pub weeks_from: String,
    pub weeks_to: String,
    #[serde(skip)]
    pub from_week: i64,
    #[serde(skip)]
    pub to_week: i64,
    /// The first moment of the first week, and the first after the last week.
    #[serde(skip)]
    pub since: OffsetDateTime,
    #[serde(skip)]
    pub until: OffsetDateTime,
}

const DAY: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// A week's Monday as `YYYY-MM-DD`.
pub fn week_label(week: i64) -> String {
    week_start(week).date().format(DAY).unwrap_or_default()
}

/// The days a range may name: the weeks around them must be dates too (the week after
/// 9999-12-31 is past the last date there is).
const FIRST_DAY: Date = time::macros::date!(0001 - 01 - 01);
const LAST_DAY: Date = time::macros::date!(9998 - 12 - 31);

fn day(field: &'static str, raw: Option<&str>) -> AppResult<Option<Date>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => match Date::parse(s, DAY) {
            Ok(d) if (FIRST_DAY..=LAST_DAY).contains(&d) => Ok(Some(d)),
            Ok(_) => Err(AppError::invalid(
                field,
                "Give a date from 0001-01-01 to 9998-12-31.",
            )),
            Err(_) => Err(AppError::invalid(field, "Give the date as YYYY-MM-DD.")),
        },
    }
}

impl Range {
    /// The range from `from` to `to` (each `YYYY-MM-DD`, UTC; by default the last twelve
    /// weeks up to today). Backwards is read the right way round; longer than ten years
    /// keeps its last ten.
    pub fn parse(from: Option<&str>, to: Option<&str>, now: OffsetDateTime) -> AppResult<Self> {
        let to = day("to", to)?.unwrap_or(now.date());
        let from = match day("from", from)? {
            Some(d) => d,
            None => week_start(week_of(to.midnight().assume_utc()))
                .date()
                .saturating_sub(Duration::weeks(DEFAULT_WEEKS - 1)),
        };
        // Backwards means the same days the right way round; longer than ten years keeps
        // the last ten (docs/decisions/0037).
        let (from, to) = if from > to { (to, from) } else { (from, to) };
        let from = from.max(to.checked_sub(Duration::days(MAX_DAYS)).unwrap_or(from));
        let from_week = week_of(from.midnight().assume_utc());
        let to_week = week_of(to.midnight().assume_utc());
        let since = week_start(from_week);
        let until = week_start(to_week + 7);
        Ok(Self {
            from: from.format(DAY).unwrap_or_default(),
            to: to.format(DAY).unwrap_or_default(),
            weeks_from: week_label(from_week),
            weeks_to: (until - Duration::days(1))
                .date()
                .format(DAY)
                .unwrap_or_default(),
            from_week,
            to_week,
            since,
            until,
        })
    }

    /// Every week of the range, by number.
    pub fn weeks(&self) -> impl Iterator<Item = i64> {
        (self.from_week..=self.to_week).step_by(7)
    }

    /// The week of a `YYYY-MM-DD` day inside the range.
    pub fn week(&self, raw: &str) -> AppResult<i64> {
        let d = day("week", Some(raw))?
            .ok_or_else(|| AppError::invalid("week", "Give the week as YYYY-MM-DD."))?;
        let w = week_of(d.midnight().assume_utc());
        if w < self.from_week || w > self.to_week {
            // A well-formed week the dashboard does not cover is not there to show.
            return Err(AppError::NotFound("That week of the range"));
        }
        Ok(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: OffsetDateTime = time::macros::datetime!(2026-11-05 10:00 UTC);

    #[test]
    fn a_date_at_the_end_of_year_9999_is_refused_not_a_panic() {
        for (from, to) in [
            (Some("9999-12-01"), Some("9999-12-31")),
            (None, Some("9999-12-31")),
            (Some("-9999-01-01"), Some("2026-11-05")),
        ] {
            assert!(Range::parse(from, to, NOW).is_err(), "{from:?}..{to:?}");
        }
        let last = Range::parse(Some("9998-12-01"), Some("9998-12-31"), NOW);
        assert!(last.is_ok(), "{last:?}");
    }

    #[test]
    fn the_default_is_twelve_whole_weeks_to_today() {
        let r = Range::parse(None, None, NOW).expect("range");
        assert_eq!(r.to, "2026-11-05");
        assert_eq!(r.weeks_from, "2026-08-17");
        assert_eq!(r.weeks_to, "2026-11-08");
        assert_eq!(r.weeks().count(), 12);
    }

    #[test]
    fn backwards_is_turned_round_too_long_is_cut_and_bad_dates_are_refused() {
        let backwards = Range::parse(Some("2026-11-05"), Some("2026-11-04"), NOW).expect("range");
        assert_eq!(
            (backwards.from.as_str(), backwards.to.as_str()),
            ("2026-11-04", "2026-11-05")
        );
        let long = Range::parse(Some("2010-01-01"), Some("2026-11-04"), NOW).expect("range");
        assert_eq!(long.from, "2016-11-03");
        assert_eq!(long.to, "2026-11-04");
        assert!(Range::parse(Some("11/05/2026"), None, NOW).is_err());
        assert!(Range::parse(Some("2026-11-05"), Some("2026-11-05"), NOW).is_ok());
    }
}
