//! ISO 8601 durations (`result.duration`): `P[nY][nM][nW][nD][T[nH][nM][nS]]`.
//!
//! At least one component; a `T` needs at least one time component after it; components in
//! that order, each at most once; only the last component may carry a decimal fraction (`.` or
//! `,`). Weeks may be combined with other components (ISO 8601-1:2019 allows it; 2004 did not,
//! and clients send both). The alternative format (`PYYYY-MM-DDThh:mm:ss`) is not accepted.

use crate::Invalid;

/// True when `raw` is an ISO 8601 duration of the form above.
pub fn is_duration(raw: &str) -> bool {
    let Some(rest) = raw.strip_prefix('P') else {
        return false;
    };
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (rest, None),
    };
    let mut components = 0;
    let mut fraction_seen = false;
    let date_ok = components_ok(
        date,
        &['Y', 'M', 'W', 'D'],
        &mut components,
        &mut fraction_seen,
    );
    let time_ok = match time {
        Some(time) => {
            let before = components;
            components_ok(time, &['H', 'M', 'S'], &mut components, &mut fraction_seen)
                && components > before
        }
        None => true,
    };
    date_ok && time_ok && components > 0
}

/// Walks `part` as `number designator` pairs in the order of `designators`.
fn components_ok(
    part: &str,
    designators: &[char],
    count: &mut usize,
    fraction_seen: &mut bool,
) -> bool {
    let mut next = 0;
    let mut number = String::new();
    for c in part.chars() {
        if c.is_ascii_digit() || c == '.' || c == ',' {
            number.push(c);
            continue;
        }
        let Some(position) = designators[next..].iter().position(|d| *d == c) else {
            return false;
        };
        if *fraction_seen || !number_ok(&number, fraction_seen) {
            return false;
        }
        next += position + 1;
        *count += 1;
        number.clear();
    }
    number.is_empty()
}

fn number_ok(number: &str, fraction_seen: &mut bool) -> bool {
    let mut parts = number.splitn(2, ['.', ',']);
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    match fraction {
        Some(fraction) => {
            *fraction_seen = true;
            !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit())
        }
        None => true,
    }
}

/// A JSON value that must be an ISO 8601 duration.
pub(crate) fn duration(value: &serde_json::Value, path: &str) -> Result<(), Invalid> {
    let raw = crate::json::string(value, path)?;
    if is_duration(raw) {
        Ok(())
    } else {
        Err(Invalid::new(
            "duration-iso8601",
            path,
            format!("{raw:?} is not an ISO 8601 duration such as PT1H30M or PT4.5S."),
        ))
    }
}
