//! Every dashboard table as CSV: a header, then one line per row; times in UTC (RFC 3339),
//! rates as fractions, text people typed made inert for spreadsheets.

use super::drill::Person;
use super::{AssignmentFigure, CourseFigure, Dashboard, HealthLine, Listing};
use crate::audit::inert;
use crate::{AppError, AppResult};

fn write(header: &[&str], lines: impl Iterator<Item = Vec<String>>) -> AppResult<Vec<u8>> {
    let fail = |e: csv::Error| AppError::Internal(format!("writing a dashboard CSV: {e}"));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header).map_err(fail)?;
    for line in lines {
        out.write_record(&line).map_err(fail)?;
    }
    out.into_inner()
        .map_err(|e| AppError::Internal(format!("writing a dashboard CSV: {e}")))
}

fn time(t: Option<time::OffsetDateTime>) -> String {
    t.and_then(|t| {
        t.format(&time::format_description::well_known::Rfc3339)
            .ok()
    })
    .unwrap_or_default()
}

fn number<T: ToString>(n: Option<T>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// Active learners per week.
pub fn weeks_csv(d: &Dashboard) -> AppResult<Vec<u8>> {
    write(
        &["week", "active"],
        d.active_per_week
            .iter()
            .map(|w| vec![w.week.clone(), w.active.to_string()]),
    )
}

/// Assignments with their counts and rates.
pub fn assignments_csv(l: &Listing<AssignmentFigure>) -> AppResult<Vec<u8>> {
    write(
        &[
            "assignment_id",
            "kind",
            "title",
            "due_at",
            "assigned",
            "done",
            "overdue",
            "completion_rate",
            "overdue_rate",
        ],
        l.rows.iter().map(|a| {
            vec![
                a.assignment_id.to_string(),
                a.kind.clone(),
                inert(&a.title).into_owned(),
                time(a.due_at),
                a.assigned.to_string(),
                a.done.to_string(),
                a.overdue.to_string(),
                number(a.completion_rate),
                number(a.overdue_rate),
            ]
        }),
    )
}

/// Courses with completions, median days, attempts and pass rates.
pub fn courses_csv(l: &Listing<CourseFigure>) -> AppResult<Vec<u8>> {
    write(
        &[
            "course_id",
            "title",
            "completions",
            "median_days",
            "submitted",
            "passed",
            "pass_rate",
        ],
        l.rows.iter().map(|c| {
            vec![
                c.course_id.to_string(),
                inert(&c.title).into_owned(),
                c.completions.to_string(),
                number(c.median_days),
                c.submitted.to_string(),
                c.passed.to_string(),
                number(c.pass_rate),
            ]
        }),
    )
}

/// Courses by health.
pub fn health_csv(l: &Listing<HealthLine>) -> AppResult<Vec<u8>> {
    write(
        &[
            "course_id",
            "title",
            "health",
            "label",
            "reaction_score",
            "viewers",
        ],
        l.rows.iter().map(|h| {
            vec![
                h.course_id.to_string(),
                inert(&h.title).into_owned(),
                h.health.to_string(),
                h.label.to_owned(),
                number(h.reaction_score),
                h.viewers.to_string(),
            ]
        }),
    )
}

/// The people behind a figure.
pub fn people_csv(l: &Listing<Person>) -> AppResult<Vec<u8>> {
    write(
        &[
            "user_id", "name", "email", "at", "done_at", "number", "passed",
        ],
        l.rows.iter().map(|p| {
            vec![
                p.user_id.to_string(),
                inert(&p.name).into_owned(),
                inert(&p.email).into_owned(),
                time(p.at),
                time(p.done_at),
                number(p.number),
                number(p.passed),
            ]
        }),
    )
}
