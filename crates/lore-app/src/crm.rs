//! The CRM feed (docs/decisions/0032): course and path completions, evaluation results and
//! certificates per person, keyed by email, for a CRM to pull incrementally. Each record
//! carries the cursor to resume after it; a page says where the next one starts. The same
//! records as JSON (`GET /api/v1/crm/records`) and CSV (`/admin/crm.csv`,
//! `GET /api/v1/crm/records.csv`). Platform administrators only: it names everyone.

use lore_domain::policy::{Action, Resource};
use lore_store::{CrmEventRow, EventPosition};
use serde::Serialize;
use time::OffsetDateTime;

use crate::{App, AppError, AppResult, Caller};

/// Records per page of the JSON feed, unless asked otherwise.
pub const DEFAULT_LIMIT: u64 = 100;
/// The most records one request returns (JSON or CSV).
pub const MAX_LIMIT: u64 = 10_000;

/// What happened, as the feed names it.
pub fn kind_of(verb: &str, passed: Option<bool>) -> &'static str {
    match (verb, passed) {
        ("completed-course", _) => "course.completed",
        ("completed-path", _) => "path.completed",
        ("certificate-awarded", _) => "certificate.awarded",
        (_, Some(true)) => "evaluation.passed",
        _ => "evaluation.failed",
    }
}

/// One record: a person (by email) and what they achieved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrmRecord {
    /// Resume after this record: pass it as `since`.
    pub cursor: String,
    /// `course.completed`, `path.completed`, `evaluation.passed`, `evaluation.failed` or
    /// `certificate.awarded`.
    pub kind: &'static str,
    pub email: String,
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub course_id: Option<i64>,
    pub course_title: Option<String>,
    pub course_version: Option<i32>,
    pub path_id: Option<i64>,
    pub path_title: Option<String>,
    /// Evaluations: points scored, out of `max`, and the share in percent (rounded).
    pub score: Option<f64>,
    pub max: Option<f64>,
    pub percent: Option<i64>,
    pub passed: Option<bool>,
    /// Certificates: its id and when it expires (RFC 3339), if it does.
    pub certificate_id: Option<i64>,
    pub expires_at: Option<String>,
}

/// One page of the feed.
#[derive(Debug, Clone, Serialize)]
pub struct CrmPage {
    pub records: Vec<CrmRecord>,
    /// Where the next pull starts: the last record's cursor, or the `since` given when
    /// there was nothing new. Keep it and pass it as `since`.
    pub next: String,
    /// More records are ready now (the page was full).
    pub has_more: bool,
}

/// The cursor text of a place: `{tx}-{id}`.
pub fn cursor_of(p: EventPosition) -> String {
    format!("{}-{}", p.tx_id, p.id)
}

/// Read a cursor given as `since`; empty or absent is the start.
pub fn parse_cursor(since: Option<&str>) -> AppResult<EventPosition> {
    let Some(raw) = since.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(EventPosition::default());
    };
    let bad = || {
        AppError::invalid(
            "since",
            "Give the cursor as the feed returned it (the `next` of a page or a record's `cursor`).",
        )
    };
    let (tx, id) = raw.split_once('-').ok_or_else(bad)?;
    let tx_id: i64 = tx.parse().map_err(|_| bad())?;
    let id: i64 = id.parse().map_err(|_| bad())?;
    if tx_id < 0 || id < 0 {
        return Err(bad());
    }
    Ok(EventPosition { tx_id, id })
}

fn record_of(row: CrmEventRow) -> CrmRecord {
    let data: serde_json::Value = row
        .data
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or_default();
    let number = |key: &str| data.get(key).and_then(serde_json::Value::as_f64);
    let attempt = row.verb == "submitted-attempt";
    let (score, max) = if attempt {
        (number("score"), number("max"))
    } else {
        (None, None)
    };
    let passed = attempt.then(|| data.get("passed").and_then(serde_json::Value::as_bool));
    let passed = passed.flatten();
    let certificate = row.verb == "certificate-awarded";
    CrmRecord {
        cursor: cursor_of(row.position),
        kind: kind_of(&row.verb, passed),
        email: row.email,
        name: row.name,
        at: row.occurred_at,
        course_id: row.course_id,
        course_title: row.course_title,
        course_version: row.version_number,
        path_id: row.path_id,
        path_title: row.path_title,
        percent: match (score, max) {
            (Some(s), Some(m)) if m > 0.0 => Some((100.0 * s / m).round() as i64),
            _ => None,
        },
        score,
        max,
        passed: if attempt {
            Some(passed == Some(true))
        } else {
            None
        },
        certificate_id: if certificate {
            data.get("certificate").and_then(serde_json::Value::as_i64)
        } else {
            None
        },
        expires_at: if certificate {
            data.get("expires_at")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        } else {
            None
        },
    }
}

impl App {
    /// Up to `limit` records after `since` (the start when absent), oldest first.
    pub async fn crm_feed(
        &self,
        caller: &Caller,
        since: Option<&str>,
        limit: Option<u64>,
    ) -> AppResult<CrmPage> {
        caller.require(Action::ViewInstance, Resource::Platform)?;
        let after = parse_cursor(since)?;
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
            Some(_) => {
                return Err(AppError::invalid(
                    "limit",
                    format!("Ask for 1 to {MAX_LIMIT} records at a time."),
                ));
            }
        };
        let rows = self.store.crm_events(after, limit).await?;
        let has_more = rows.len() as u64 == limit;
        let next = rows
            .last()
            .map(|r| cursor_of(r.position))
            .unwrap_or_else(|| cursor_of(after));
        Ok(CrmPage {
            records: rows.into_iter().map(record_of).collect(),
            next,
            has_more,
        })
    }

    /// A page of the feed as CSV, one line per record (the cursor first).
    pub fn crm_csv(page: &CrmPage) -> AppResult<Vec<u8>> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let num = |v: Option<f64>| v.map(|n| n.to_string()).unwrap_or_default();
        crate::funnels::csv_of(
            &[
                "cursor",
                "kind",
                "email",
                "name",
                "at",
                "course_id",
                "course_title",
                "course_version",
                "path_id",
                "path_title",
                "score",
                "max",
                "percent",
                "passed",
                "certificate_id",
                "expires_at",
            ],
            page.records.iter().map(|r| {
                vec![
                    r.cursor.clone(),
                    r.kind.to_owned(),
                    r.email.clone(),
                    r.name.clone(),
                    r.at.format(&time::format_description::well_known::Rfc3339)
                        .unwrap_or_default(),
                    r.course_id.map(|n| n.to_string()).unwrap_or_default(),
                    text(&r.course_title),
                    r.course_version.map(|n| n.to_string()).unwrap_or_default(),
                    r.path_id.map(|n| n.to_string()).unwrap_or_default(),
                    text(&r.path_title),
                    num(r.score),
                    num(r.max),
                    r.percent.map(|n| n.to_string()).unwrap_or_default(),
                    r.passed.map(|b| b.to_string()).unwrap_or_default(),
                    r.certificate_id.map(|n| n.to_string()).unwrap_or_default(),
                    text(&r.expires_at),
                ]
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_read_back_what_they_wrote_and_refuse_the_rest() {
        let p = EventPosition {
            tx_id: 7_345_001,
            id: 42,
        };
        assert_eq!(parse_cursor(Some(&cursor_of(p))).unwrap(), p);
        assert_eq!(parse_cursor(None).unwrap(), EventPosition::default());
        assert_eq!(parse_cursor(Some(" ")).unwrap(), EventPosition::default());
        for bad in ["42", "a-1", "1-b", "-1-2", "1-", "1--2", "1-2-3"] {
            assert!(parse_cursor(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn attempts_are_named_by_their_outcome() {
        assert_eq!(
            kind_of("submitted-attempt", Some(true)),
            "evaluation.passed"
        );
        assert_eq!(
            kind_of("submitted-attempt", Some(false)),
            "evaluation.failed"
        );
        assert_eq!(kind_of("completed-path", None), "path.completed");
    }
}
