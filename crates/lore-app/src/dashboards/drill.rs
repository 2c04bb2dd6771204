//! What is behind each dashboard figure, a page at a time (or all of it, up to
//! [`CSV_LIMIT`](super::CSV_LIMIT), for a download): every assignment, course and health
//! line, and the people behind a week's active count, an assignment's counts, a course's
//! completions and its evaluation attempts.

use lore_store::{AssigneeFilter, PersonLine};
use serde::Serialize;

use super::{AssignmentFigure, CourseFigure, HealthLine, Insight, InsightQuery, Listing};
use crate::{App, AppError, AppResult, Caller};

/// How many lines a listing returns: a page, or everything for a download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    Page,
    All,
}

/// A person behind a figure.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    /// Enrolled (completions), submitted (attempts) or due (assignments).
    #[serde(with = "time::serde::rfc3339::option")]
    pub at: Option<time::OffsetDateTime>,
    /// Completed (completions, assignments).
    #[serde(with = "time::serde::rfc3339::option")]
    pub done_at: Option<time::OffsetDateTime>,
    /// Whole days to complete (completions) or the score in percent (attempts).
    pub number: Option<f64>,
    /// Passed (attempts).
    pub passed: Option<bool>,
}

impl From<PersonLine> for Person {
    fn from(p: PersonLine) -> Self {
        Self {
            user_id: p.user_id,
            name: p.name,
            email: p.email,
            at: p.at,
            done_at: p.done_at,
            number: p.number,
            passed: p.passed,
        }
    }
}

/// Which of an assignment's people: `all`, `done` or `overdue`.
pub fn assignee_filter(raw: Option<&str>) -> AppResult<AssigneeFilter> {
    match raw.map(str::trim).unwrap_or("") {
        "" | "all" => Ok(AssigneeFilter::All),
        "done" => Ok(AssigneeFilter::Done),
        "overdue" => Ok(AssigneeFilter::Overdue),
        _ => Err(AppError::invalid(
            "status",
            "Choose all, done or overdue people.",
        )),
    }
}

/// Passed or failed attempts only: `passed`, `failed`, or all.
pub fn passed_filter(raw: Option<&str>) -> AppResult<Option<bool>> {
    match raw.map(str::trim).unwrap_or("") {
        "" | "all" => Ok(None),
        "passed" => Ok(Some(true)),
        "failed" => Ok(Some(false)),
        _ => Err(AppError::invalid(
            "outcome",
            "Choose passed, failed or all attempts.",
        )),
    }
}

fn window(insight: &Insight, lines: Lines) -> (u64, u64, u64) {
    match lines {
        Lines::Page => (
            insight.page,
            super::PAGE_SIZE,
            crate::paging::offset(insight.page, super::PAGE_SIZE),
        ),
        Lines::All => (1, super::CSV_LIMIT, 0),
    }
}

fn listing<T>(insight: Insight, rows: Vec<T>, total: u64, page: u64, size: u64) -> Listing<T> {
    Listing {
        insight,
        rows,
        total,
        page,
        page_size: size,
    }
}

fn people(
    insight: Insight,
    (rows, total): (Vec<PersonLine>, u64),
    page: u64,
    size: u64,
) -> Listing<Person> {
    listing(
        insight,
        rows.into_iter().map(Person::from).collect(),
        total,
        page,
        size,
    )
}

impl App {
    /// Every assignment reaching the group's people, with their counts.
    pub async fn dashboard_assignments(
        &self,
        caller: &Caller,
        q: &InsightQuery,
        lines: Lines,
    ) -> AppResult<Listing<AssignmentFigure>> {
        let insight = self.insight(caller, q).await?;
        let (page, size, _) = window(&insight, lines);
        let (rows, total) = self.assignment_figures(&insight, page, size).await?;
        Ok(listing(insight, rows, total, page, size))
    }

    /// Every course the group's people completed in the range, most completions first.
    pub async fn dashboard_courses(
        &self,
        caller: &Caller,
        q: &InsightQuery,
        lines: Lines,
    ) -> AppResult<Listing<CourseFigure>> {
        let insight = self.insight(caller, q).await?;
        let (page, size, _) = window(&insight, lines);
        let (rows, total) = self.course_figures(&insight, page, size).await?;
        Ok(listing(insight, rows, total, page, size))
    }

    /// Every course of the group by health, healthiest first (or weakest first).
    pub async fn dashboard_health(
        &self,
        caller: &Caller,
        q: &InsightQuery,
        weakest: bool,
        lines: Lines,
    ) -> AppResult<Listing<HealthLine>> {
        let insight = self.insight(caller, q).await?;
        let (page, size, _) = window(&insight, lines);
        let (rows, total) = self.health_lines(&insight, weakest, page, size).await?;
        Ok(listing(insight, rows, total, page, size))
    }

    /// The group's people active in a week of the range (`YYYY-MM-DD`, any day of it).
    pub async fn active_in_week(
        &self,
        caller: &Caller,
        q: &InsightQuery,
        week: &str,
        lines: Lines,
    ) -> AppResult<Listing<Person>> {
        let insight = self.insight(caller, q).await?;
        let w = insight.range.week(week)?;
        let (page, size, offset) = window(&insight, lines);
        let found = self
            .store
            .active_people(insight.group_id, w, size, offset)
            .await?;
        Ok(people(insight, found, page, size))
    }

    /// The group's people on an assignment: all, done or overdue.
    pub async fn assignment_people(
        &self,
        caller: &Caller,
        q: &InsightQuery,
        assignment_id: i64,
        filter: AssigneeFilter,
        lines: Lines,
    ) -> AppResult<Listing<Person>> {
        let insight = self.insight(caller, q).await?;
        let (page, size, offset) = window(&insight, lines);
        let found = self
            .store
            .assignment_people(
                &insight.groups,
                assignment_id,
                filter,
                self.now(),
                size,
                offset,
            )
            .await?;
        Ok(people(insight, found, page, size))
    }

    /// The group's people who completed a course in the range, with the days it took.
    pub async fn course_completions(
        &self,
        caller: &Caller,
        q: &InsightQuery,
        course_id: i64,
        lines: Lines,
    ) -> AppResult<Listing<Person>> {
        let insight = self.insight(caller, q).await?;
        let (page, size, offset) = window(&insight, lines);
        let r = &insight.range;
        let found = self
            .store
            .course_completions(&insight.groups, course_id, r.since, r.until, size, offset)
            .await?;
        Ok(people(insight, found, page, size))
    }

    /// The group's evaluation attempts of a course submitted in the range.
    pub async fn course_attempts(
        &self,
        caller: &Caller,
        q: &InsightQuery,
        course_id: i64,
        passed: Option<bool>,
        lines: Lines,
    ) -> AppResult<Listing<Person>> {
        let insight = self.insight(caller, q).await?;
        let (page, size, offset) = window(&insight, lines);
        let r = &insight.range;
        let found = self
            .store
            .course_attempts(
                &insight.groups,
                course_id,
                r.since,
                r.until,
                passed,
                size,
                offset,
            )
            .await?;
        Ok(people(insight, found, page, size))
    }
}
