//! Business outcome metrics: what a coach defines (name, unit, period kind), the periods values
//! are given for (`2026-11`, `2026-W48`, `2026-Q4`), and the rows of a values import, checked
//! one by one with their line numbers. A file with any bad row imports nothing; the app adds
//! the checks that need the database (person found, in the metric's group, already stored).

use std::collections::HashMap;

use time::{Date, Month, Weekday};

use crate::Invalid;
use crate::account::Email;
use crate::csv_lines::LineCounter;
use crate::people_csv::RowError;

word_enum! {
    /// How long one period of a metric is. Periods are named `2026-11` (month),
    /// `2026-W48` (ISO week, Monday to Sunday) or `2026-Q4` (quarter).
    pub enum PeriodKind in "period_kind" {
        Month = "month",
        Week = "week",
        Quarter = "quarter",
    }
}

/// The longest metric name.
pub const METRIC_NAME_MAX_CHARS: usize = 120;
/// The longest unit of a metric.
pub const METRIC_UNIT_MAX_CHARS: usize = 40;
/// The smallest number of people on each side of a comparison for its figures to be shown.
pub const MIN_GROUP_SIZE: u32 = 5;
/// The largest minimum a coach may set.
pub const MAX_GROUP_SIZE: u32 = 1000;
/// The largest value accepted (in either direction): beyond it a value is a typo.
pub const MAX_ABS_VALUE: f64 = 1e12;

impl PeriodKind {
    /// A period name of this kind, for hints and messages.
    pub fn example(self) -> &'static str {
        match self {
            PeriodKind::Month => "2026-11",
            PeriodKind::Week => "2026-W48",
            PeriodKind::Quarter => "2026-Q4",
        }
    }

    /// How a page names the kind.
    pub fn words(self) -> &'static str {
        match self {
            PeriodKind::Month => "Month",
            PeriodKind::Week => "Week (ISO, Monday to Sunday)",
            PeriodKind::Quarter => "Quarter",
        }
    }

    /// Read a period name of this kind.
    pub fn period(self, raw: &str) -> Result<Period, String> {
        let raw = raw.trim();
        let bad = || {
            format!(
                "The period {raw:?} is not a {} like {}.",
                self.as_str(),
                self.example()
            )
        };
        let (year, rest) = raw.split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        if !(1900..=2200).contains(&year) {
            return Err(format!(
                "The period {raw:?} is outside the years 1900 to 2200."
            ));
        }
        let number = |digits: &str| -> Result<u8, String> {
            if digits.len() == 2 && digits.bytes().all(|b| b.is_ascii_digit()) {
                digits.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let (starts, ends) = match self {
            PeriodKind::Month => {
                let month = Month::try_from(number(rest)?).map_err(|_| bad())?;
                let starts = Date::from_calendar_date(year, month, 1).map_err(|_| bad())?;
                (starts, first_of_next_month(starts).ok_or_else(bad)?)
            }
            PeriodKind::Quarter => {
                let q = rest.strip_prefix(['Q', 'q']).ok_or_else(bad)?;
                let q: u8 = match q {
                    "1" | "2" | "3" | "4" => q.parse().map_err(|_| bad())?,
                    _ => return Err(bad()),
                };
                let month = Month::try_from(q * 3 - 2).map_err(|_| bad())?;
                let starts = Date::from_calendar_date(year, month, 1).map_err(|_| bad())?;
                let mut ends = starts;
                for _ in 0..3 {
                    ends = first_of_next_month(ends).ok_or_else(bad)?;
                }
                (starts, ends)
            }
            PeriodKind::Week => {
                let week = number(rest.strip_prefix(['W', 'w']).ok_or_else(bad)?)?;
                let starts =
                    Date::from_iso_week_date(year, week, Weekday::Monday).map_err(|_| {
                        format!("{year} has no ISO week {week}; weeks run from W01 to W52 or W53.")
                    })?;
                (starts, starts + time::Duration::days(7))
            }
        };
        // Written back in the one spelling, so `2026-w48` and `2026-W48` are the same period.
        let label = match self {
            PeriodKind::Month => format!("{year}-{:02}", u8::from(starts.month())),
            PeriodKind::Quarter => format!("{year}-Q{}", u8::from(starts.month()).div_ceil(3)),
            PeriodKind::Week => format!("{year}-W{:02}", starts.iso_week()),
        };
        Ok(Period {
            label,
            starts,
            ends,
        })
    }
}

fn first_of_next_month(d: Date) -> Option<Date> {
    let (year, month) = match d.month() {
        Month::December => (d.year() + 1, Month::January),
        m => (d.year(), m.next()),
    };
    Date::from_calendar_date(year, month, 1).ok()
}

/// One period: its name and its days, `starts` included, `ends` excluded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Period {
    pub label: String,
    pub starts: Date,
    pub ends: Date,
}

/// A metric as a coach defines it, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricDraft {
    pub name: String,
    pub unit: String,
    pub description: String,
    pub period_kind: PeriodKind,
    pub higher_is_better: bool,
    pub min_group_size: u32,
}

impl MetricDraft {
    /// Check what was typed: a name (1 to 120 characters), a unit (1 to 40), a description
    /// (up to 2,000), a period kind and a minimum group size (5 to 1,000; empty is 5).
    pub fn parse(
        name: &str,
        unit: &str,
        description: &str,
        period_kind: &str,
        higher_is_better: bool,
        min_group_size: Option<&str>,
    ) -> Result<Self, Invalid> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Invalid::new(
                "name",
                "Name the metric, like \"Deals closed per month\".",
            ));
        }
        if name.chars().count() > METRIC_NAME_MAX_CHARS {
            return Err(Invalid::new("name", "A name has at most 120 characters."));
        }
        let unit = unit.trim();
        if unit.is_empty() {
            return Err(Invalid::new(
                "unit",
                "Give the unit the values count, like \"deals\" or \"%\".",
            ));
        }
        if unit.chars().count() > METRIC_UNIT_MAX_CHARS {
            return Err(Invalid::new("unit", "A unit has at most 40 characters."));
        }
        let description = description.trim();
        if description.chars().count() > 2000 {
            return Err(Invalid::new(
                "description",
                "A description has at most 2,000 characters.",
            ));
        }
        let period_kind = PeriodKind::parse(period_kind)?;
        let min_group_size = match min_group_size.map(str::trim).filter(|s| !s.is_empty()) {
            None => MIN_GROUP_SIZE,
            Some(raw) => {
                let n: u32 = raw.parse().map_err(|_| {
                    Invalid::new(
                        "min_group_size",
                        "Give the minimum group size as a whole number.",
                    )
                })?;
                if !(MIN_GROUP_SIZE..=MAX_GROUP_SIZE).contains(&n) {
                    return Err(Invalid::new(
                        "min_group_size",
                        format!(
                            "The minimum group size is between {MIN_GROUP_SIZE} and {MAX_GROUP_SIZE} people."
                        ),
                    ));
                }
                n
            }
        };
        Ok(Self {
            name: name.to_owned(),
            unit: unit.to_owned(),
            description: description.to_owned(),
            period_kind,
            higher_is_better,
            min_group_size,
        })
    }
}

/// One good row of a values import.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueRow {
    /// The file's line (the header is line 1), or the entry's place in a JSON list (from 1).
    pub line: u64,
    pub email: Email,
    pub period: Period,
    pub value: f64,
}

/// A value as it came: text from a CSV cell, or a JSON value.
#[derive(Debug, Clone, Copy)]
pub enum RawValue<'a> {
    Text(&'a str),
    Number(f64),
    /// Anything else JSON may hold (true, null, a list): never a number.
    Other,
}

/// The rows read so far: the good ones, and every bad one with its reason. Duplicates of a
/// (person, period) within the input are found here.
#[derive(Debug, Clone, Default)]
pub struct ValueRows {
    pub rows: Vec<ValueRow>,
    pub errors: Vec<RowError>,
    first_line: HashMap<(String, String), u64>,
}

impl ValueRows {
    /// Check one row and keep it, or its reason.
    pub fn push(
        &mut self,
        kind: PeriodKind,
        line: u64,
        email: &str,
        period: &str,
        value: RawValue<'_>,
    ) {
        match check_row(kind, line, email, period, value) {
            Ok(row) => {
                let key = (row.email.as_str().to_owned(), row.period.label.clone());
                if let Some(first) = self.first_line.get(&key) {
                    self.errors.push(RowError {
                        line,
                        reason: format!(
                            "{} has a value for {} already on line {first}.",
                            row.email, row.period.label
                        ),
                    });
                } else {
                    self.first_line.insert(key, line);
                    self.rows.push(row);
                }
            }
            Err(reason) => self.errors.push(RowError { line, reason }),
        }
    }
}

fn check_row(
    kind: PeriodKind,
    line: u64,
    email: &str,
    period: &str,
    value: RawValue<'_>,
) -> Result<ValueRow, String> {
    let email = Email::parse(email).map_err(|e| e.message)?;
    let period = kind.period(period)?;
    let value = match value {
        RawValue::Number(v) => v,
        RawValue::Text(raw) => parse_value(raw)?,
        RawValue::Other => return Err("The value is not a number.".to_owned()),
    };
    if !value.is_finite() || value.abs() > MAX_ABS_VALUE {
        return Err("The value is too large.".to_owned());
    }
    Ok(ValueRow {
        line,
        email,
        period,
        value,
    })
}

/// A number as typed: `12`, `-3`, `4.75` (a dot for decimals, no thousands separators).
pub fn parse_value(raw: &str) -> Result<f64, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("The value is empty; give a number.".to_owned());
    }
    let plain = raw
        .bytes()
        .enumerate()
        .all(|(i, b)| b.is_ascii_digit() || b == b'.' || (i == 0 && (b == b'-' || b == b'+')));
    match raw.parse::<f64>() {
        Ok(v) if plain => Ok(v),
        _ => Err(format!(
            "{raw:?} is not a number; write it like 12 or 4.75 (a dot for decimals)."
        )),
    }
}

/// The columns of a values file.
pub const COLUMNS: [&str; 3] = ["email", "period", "value"];

/// Read a values file (`email,period,value`, the header required, columns in any order).
pub fn parse_csv(kind: PeriodKind, data: &[u8]) -> ValueRows {
    let mut out = ValueRows::default();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(data);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(_) => {
            out.errors.push(RowError {
                line: 1,
                reason: "The header could not be read; the file must be UTF-8 CSV.".to_owned(),
            });
            return out;
        }
    };
    let at = |name: &str| header.iter().position(|c| c == name);
    let (Some(email_at), Some(period_at), Some(value_at)) =
        (at("email"), at("period"), at("value"))
    else {
        out.errors.push(RowError {
            line: 1,
            reason: format!(
                "The first line must name the columns: {}.",
                COLUMNS.join(",")
            ),
        });
        return out;
    };
    if header.len() != COLUMNS.len() {
        out.errors.push(RowError {
            line: 1,
            reason: format!("The columns are {} and no others.", COLUMNS.join(",")),
        });
        return out;
    }
    let mut lines = LineCounter::new(data);
    for (index, record) in reader.records().enumerate() {
        let fallback = index as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(fallback, |p| lines.line_at(p.byte()));
                out.errors.push(RowError {
                    line,
                    reason: "The line is not valid CSV (or not UTF-8 text).".to_owned(),
                });
                continue;
            }
        };
        let line = record
            .position()
            .map_or(fallback, |p| lines.line_at(p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != header.len() {
            out.errors.push(RowError {
                line,
                reason: format!(
                    "{} values, but the header names {} columns.",
                    record.len(),
                    header.len()
                ),
            });
            continue;
        }
        let cell = |i: usize| record.get(i).unwrap_or("");
        out.push(
            kind,
            line,
            cell(email_at),
            cell(period_at),
            RawValue::Text(cell(value_at)),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn periods_of_each_kind_read_with_their_days() {
        let m = PeriodKind::Month.period("2026-11").expect("month");
        assert_eq!(
            (m.label.as_str(), m.starts, m.ends),
            ("2026-11", date!(2026 - 11 - 01), date!(2026 - 12 - 01))
        );
        let d = PeriodKind::Month.period("2026-12").expect("december");
        assert_eq!(d.ends, date!(2027 - 01 - 01));
        let q = PeriodKind::Quarter.period("2026-Q4").expect("quarter");
        assert_eq!(
            (q.starts, q.ends),
            (date!(2026 - 10 - 01), date!(2027 - 01 - 01))
        );
        let w = PeriodKind::Week.period("2026-w01").expect("week");
        assert_eq!(w.label, "2026-W01");
        // ISO week 1 of 2026 starts on Monday 29 December 2025.
        assert_eq!(
            (w.starts, w.ends),
            (date!(2025 - 12 - 29), date!(2026 - 01 - 05))
        );
        assert!(
            PeriodKind::Week.period("2025-W53").is_err(),
            "2025 has 52 weeks"
        );
        assert!(
            PeriodKind::Week
                .period("2025-W53")
                .unwrap_err()
                .contains("W52")
        );
        assert!(PeriodKind::Week.period("2026-W53").is_ok(), "2026 has 53");
    }

    #[test]
    fn malformed_periods_are_refused_with_an_example() {
        for (kind, raw) in [
            (PeriodKind::Month, "2026-13"),
            (PeriodKind::Month, "2026-1"),
            (PeriodKind::Month, "Nov 2026"),
            (PeriodKind::Month, "2026-W48"),
            (PeriodKind::Quarter, "2026-Q5"),
            (PeriodKind::Quarter, "2026-11"),
            (PeriodKind::Week, "2026-48"),
            (PeriodKind::Month, "0026-11"),
            (PeriodKind::Month, ""),
        ] {
            let e = kind.period(raw).expect_err(raw);
            assert!(
                e.contains(kind.example()) || e.contains("1900"),
                "{raw}: {e}"
            );
        }
    }

    #[test]
    fn values_are_plain_numbers() {
        assert_eq!(parse_value(" 12 "), Ok(12.0));
        assert_eq!(parse_value("-4.75"), Ok(-4.75));
        for bad in ["", "twelve", "1,5", "1e3", "NaN", "inf", "12 deals"] {
            assert!(parse_value(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_good_file_reads_in_any_column_order() {
        let data =
            b"Period,Email,Value\n2026-10,ada@example.com,4\n\n2026-11,ADA@example.com,5.5\n";
        let parsed = parse_csv(PeriodKind::Month, data);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.rows[1].line, 4);
        assert_eq!(parsed.rows[1].email.as_str(), "ada@example.com");
        assert_eq!(parsed.rows[1].value, 5.5);
    }

    #[test]
    fn every_bad_row_is_listed_with_its_line() {
        let data = b"email,period,value\n\
            ada@example.com,2026-10,4\n\
            not-an-email,2026-10,4\n\
            bob@example.com,2026-13,4\n\
            cy@example.com,2026-10,lots\n\
            ada@example.com,2026-10,6\n\
            dee@example.com,2026-10\n\
            eve@example.com,2026-10,3\n";
        let parsed = parse_csv(PeriodKind::Month, data);
        let lines: Vec<u64> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7]);
        assert!(parsed.errors[2].reason.contains("\"lots\" is not a number"));
        assert!(parsed.errors[3].reason.contains("already on line 2"));
        assert_eq!(parsed.rows.len(), 2, "ada's first row and eve's");
    }

    #[test]
    fn the_header_is_required() {
        let parsed = parse_csv(PeriodKind::Month, b"ada@example.com,2026-10,4\n");
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].line, 1);
        let extra = parse_csv(PeriodKind::Month, b"email,period,value,note\n");
        assert!(extra.errors[0].reason.contains("no others"));
    }

    #[test]
    fn a_metric_definition_is_checked() {
        let m =
            MetricDraft::parse(" Deals closed ", "deals", "", "month", true, None).expect("good");
        assert_eq!(m.name, "Deals closed");
        assert_eq!(m.min_group_size, MIN_GROUP_SIZE);
        assert_eq!(
            MetricDraft::parse("", "deals", "", "month", true, None)
                .expect_err("name")
                .field,
            "name"
        );
        assert_eq!(
            MetricDraft::parse("D", "deals", "", "day", true, None)
                .expect_err("kind")
                .field,
            "period_kind"
        );
        assert_eq!(
            MetricDraft::parse("D", "deals", "", "week", true, Some("2"))
                .expect_err("too small")
                .field,
            "min_group_size"
        );
    }
}
