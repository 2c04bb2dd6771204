//! ISO 8601 timestamps (`timestamp`, `stored`, `since`, `until`).
//!
//! Accepted: a complete date and time, extended (`2024-05-01T10:20:30.123+02:00`) or basic
//! (`20240501T102030Z`), seconds and fraction optional, zone `Z`, `±hh:mm`, `±hhmm` or `±hh`.
//! xAPI 1.0.3 says a timestamp SHOULD carry a zone: one without is read as UTC. 2.0.0 makes
//! the zone required and refuses the `-00:00` offset (RFC 3339's "unknown local offset").

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::{Invalid, Version};

/// Parses a timestamp under `version`'s rules.
pub(crate) fn parse(raw: &str, path: &str, version: Version) -> Result<OffsetDateTime, Invalid> {
    let bad = |message: String| Invalid::new("timestamp-iso8601", path, message);
    let (date_time, zone) = split_zone(raw);
    let parsed = date_time_part(date_time)
        .ok_or_else(|| bad(format!("{raw:?} is not an ISO 8601 date and time.")))?;
    let offset = match zone {
        "" if version == Version::V2_0_0 => {
            return Err(Invalid::new(
                "timestamp-zone",
                path,
                format!("{raw:?} has no time zone; xAPI 2.0.0 requires one (Z or ±hh:mm)."),
            ));
        }
        "" | "Z" | "z" => UtcOffset::UTC,
        zone => offset(zone).ok_or_else(|| bad(format!("{raw:?} has a malformed time zone.")))?,
    };
    if version == Version::V2_0_0 && zone.starts_with('-') && offset.is_utc() {
        return Err(Invalid::new(
            "timestamp-negative-zero",
            path,
            format!("{raw:?} uses the -00:00 offset, which xAPI 2.0.0 does not allow."),
        ));
    }
    Ok(parsed.assume_offset(offset))
}

/// A JSON value that must be a timestamp.
pub(crate) fn check(
    value: &serde_json::Value,
    path: &str,
    version: Version,
) -> Result<(), Invalid> {
    parse(crate::json::string(value, path)?, path, version).map(|_| ())
}

/// The instant as RFC 3339 in UTC with milliseconds (`2024-05-01T08:20:30.123Z`): the form the
/// store keeps and compares.
pub(crate) fn normalise(instant: OffsetDateTime) -> String {
    let utc = instant.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second(),
        utc.millisecond()
    )
}

/// Splits off the zone: a trailing `Z`, or `+`/`-` after the `T` part.
fn split_zone(raw: &str) -> (&str, &str) {
    if let Some(rest) = raw.strip_suffix(['Z', 'z']) {
        return (rest, &raw[rest.len()..]);
    }
    let time_start = raw.find(['T', 't']).unwrap_or(raw.len());
    match raw[time_start..].rfind(['+', '-']) {
        Some(at) => raw.split_at(time_start + at),
        None => (raw, ""),
    }
}

fn number(digits: &str) -> Option<u32> {
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

fn date_time_part(raw: &str) -> Option<PrimitiveDateTime> {
    if !raw.is_ascii() {
        return None;
    }
    let (date, time) = raw.split_once(['T', 't'])?;
    let (year, month, day) = if date.len() == 10 {
        let b = date.as_bytes();
        if b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        (
            number(&date[0..4])?,
            number(&date[5..7])?,
            number(&date[8..10])?,
        )
    } else if date.len() == 8 {
        (
            number(&date[0..4])?,
            number(&date[4..6])?,
            number(&date[6..8])?,
        )
    } else {
        return None;
    };
    let extended = date.len() == 10;
    let (clock, fraction) = match time.split_once(['.', ',']) {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (time, None),
    };
    let (hour, minute, second) = clock_parts(clock, extended)?;
    let nanos = match fraction {
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) && second.is_some() => {
            let padded: String = f.chars().chain(std::iter::repeat('0')).take(9).collect();
            number(&padded)?
        }
        Some(_) => return None,
        None => 0,
    };
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date =
        Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()?;
    let time = Time::from_hms_nano(
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second.unwrap_or(0)).ok()?,
        nanos,
    )
    .ok()?;
    Some(PrimitiveDateTime::new(date, time))
}

/// `hh:mm[:ss]` (extended) or `hhmm[ss]` (basic): hour, minute, second if given.
fn clock_parts(clock: &str, extended: bool) -> Option<(u32, u32, Option<u32>)> {
    let parts: Vec<&str> = if extended {
        clock.split(':').collect()
    } else {
        clock
            .as_bytes()
            .chunks(2)
            .map(|c| std::str::from_utf8(c).unwrap_or(""))
            .collect()
    };
    if parts.iter().any(|p| p.len() != 2) {
        return None;
    }
    match parts.as_slice() {
        [h, m] => Some((number(h)?, number(m)?, None)),
        [h, m, s] => Some((number(h)?, number(m)?, Some(number(s)?))),
        _ => None,
    }
}

/// `+hh:mm`, `+hhmm` or `+hh` (and `-`).
fn offset(zone: &str) -> Option<UtcOffset> {
    let sign: i8 = if zone.starts_with('-') { -1 } else { 1 };
    let digits = zone.get(1..)?.replace(':', "");
    let colon_ok = match zone.len() {
        6 => zone.as_bytes()[3] == b':',
        5 | 3 => !zone.contains(':'),
        _ => false,
    };
    if !colon_ok {
        return None;
    }
    let hours = i8::try_from(number(digits.get(0..2)?)?).ok()?;
    let minutes = match digits.get(2..) {
        Some("") | None => 0,
        Some(m) => i8::try_from(number(m)?).ok()?,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()
}
