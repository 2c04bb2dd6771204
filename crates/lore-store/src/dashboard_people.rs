//! The people behind a dashboard figure, a page at a time: who was active in a week, who
//! completed a course (with the days it took), who submitted an evaluation, where the
//! people of an assignment stand. Each reads the rows the figure was counted from.

use sea_orm::ConnectionTrait;

use crate::dashboard::total_of;
use crate::visibility::Sql;
use crate::{Store, StoreResult, Timestamp};

/// A person behind a figure, with what the figure counted of them.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonLine {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    /// Enrolled (completions), submitted (attempts), due (assignments).
    pub at: Option<Timestamp>,
    /// Completed (completions and assignments).
    pub done_at: Option<Timestamp>,
    /// Whole days (completions), score in percent (attempts).
    pub number: Option<f64>,
    /// Passed (attempts).
    pub passed: Option<bool>,
}

/// Which people of an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeFilter {
    All,
    Done,
    Overdue,
}

fn person(r: &sea_orm::QueryResult) -> StoreResult<PersonLine> {
    Ok(PersonLine {
        user_id: r.try_get("", "user_id")?,
        name: r.try_get("", "name")?,
        email: r.try_get("", "email")?,
        at: None,
        done_at: None,
        number: None,
        passed: None,
    })
}

impl Store {
    async fn people_page(
        &self,
        sql: Sql,
        extra: impl Fn(&sea_orm::QueryResult, &mut PersonLine) -> StoreResult<()>,
    ) -> StoreResult<(Vec<PersonLine>, u64)> {
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut p = person(r)?;
            extra(r, &mut p)?;
            out.push(p);
        }
        Ok((out, total_of(&rows)?))
    }

    /// One page of the people of `group_id` (and below) active in `week`, by name.
    pub async fn active_people(
        &self,
        group_id: i64,
        week: i64,
        limit: u64,
        offset: u64,
    ) -> StoreResult<(Vec<PersonLine>, u64)> {
        let mut sql = Sql::default();
        let g = sql.bind(group_id);
        let w = sql.bind(week);
        let page = sql.page(limit, offset);
        sql.push(&format!(
            "SELECT u.id AS user_id, u.name, u.email, COUNT(*) OVER () AS total
               FROM activity_group_weeks a JOIN users u ON u.id = a.user_id
              WHERE a.group_id = {g} AND a.week = {w}
              ORDER BY u.name, u.id {page}"
        ));
        self.people_page(sql, |_, _| Ok(())).await
    }

    /// One page of the people of `groups` who completed a course in `since..until`, with
    /// when they enrolled and completed and the whole days between, quickest first.
    pub async fn course_completions(
        &self,
        groups: &[i64],
        course_id: i64,
        since: Timestamp,
        until: Timestamp,
        limit: u64,
        offset: u64,
    ) -> StoreResult<(Vec<PersonLine>, u64)> {
        let mut sql = Sql::default();
        let course = sql.bind(course_id);
        let since = sql.bind(since);
        let until = sql.bind(until);
        let member = sql.member_of("e.user_id", groups);
        let page = sql.page(limit, offset);
        let days = crate::activity_rollup::days_sql(self.backend, "e.created_at", "e.completed_at");
        sql.push(&format!(
            "SELECT u.id AS user_id, u.name, u.email, e.created_at, e.completed_at,
                    {days} AS days, COUNT(*) OVER () AS total
               FROM enrolments e JOIN users u ON u.id = e.user_id
              WHERE e.course_id = {course} AND e.completed_at >= {since}
                AND e.completed_at < {until} AND {member}
              ORDER BY days, u.name, u.id {page}"
        ));
        self.people_page(sql, |r, p| {
            p.at = Some(r.try_get("", "created_at")?);
            p.done_at = r.try_get("", "completed_at")?;
            p.number = Some(r.try_get::<i64>("", "days")? as f64);
            Ok(())
        })
        .await
    }

    /// One page of the evaluation attempts of a course submitted in `since..until` by
    /// people of `groups` (only passed or failed ones with `passed`), newest first.
    #[expect(clippy::too_many_arguments, reason = "a query's filters and its page")]
    pub async fn course_attempts(
        &self,
        groups: &[i64],
        course_id: i64,
        since: Timestamp,
        until: Timestamp,
        passed: Option<bool>,
        limit: u64,
        offset: u64,
    ) -> StoreResult<(Vec<PersonLine>, u64)> {
        let mut sql = Sql::default();
        let course = sql.bind(course_id);
        let since = sql.bind(since);
        let until = sql.bind(until);
        let member = sql.member_of("a.user_id", groups);
        let outcome = match passed {
            Some(true) => "AND a.passed",
            Some(false) => "AND NOT a.passed",
            None => "",
        };
        let page = sql.page(limit, offset);
        sql.push(&format!(
            "SELECT u.id AS user_id, u.name, u.email, a.submitted_at, a.score, a.max_score,
                    a.passed, COUNT(*) OVER () AS total
               FROM attempts a JOIN users u ON u.id = a.user_id
              WHERE a.course_id = {course} AND a.submitted_at >= {since}
                AND a.submitted_at < {until} AND {member} {outcome}
              ORDER BY a.submitted_at DESC, a.id DESC {page}"
        ));
        self.people_page(sql, |r, p| {
            p.at = r.try_get("", "submitted_at")?;
            let score: Option<f64> = r.try_get("", "score")?;
            let max: Option<f64> = r.try_get("", "max_score")?;
            p.number = match (score, max) {
                (Some(s), Some(m)) if m > 0.0 => Some((s / m * 100.0).round()),
                _ => None,
            };
            p.passed = r.try_get("", "passed")?;
            Ok(())
        })
        .await
    }

    /// One page of the people of `groups` an open assignment reaches (not left), by due
    /// date then name, all of them or those done or overdue at `now`.
    pub async fn assignment_people(
        &self,
        groups: &[i64],
        assignment_id: i64,
        filter: AssigneeFilter,
        now: Timestamp,
        limit: u64,
        offset: u64,
    ) -> StoreResult<(Vec<PersonLine>, u64)> {
        let mut sql = Sql::default();
        let assignment = sql.bind(assignment_id);
        let member = sql.member_of("p.user_id", groups);
        let which = match filter {
            AssigneeFilter::All => String::new(),
            AssigneeFilter::Done => "AND p.completed_at IS NOT NULL".to_owned(),
            AssigneeFilter::Overdue => {
                let now = sql.bind(now);
                format!("AND p.completed_at IS NULL AND p.due_at < {now}")
            }
        };
        let page = sql.page(limit, offset);
        sql.push(&format!(
            "SELECT u.id AS user_id, u.name, u.email, p.due_at, p.completed_at,
                    COUNT(*) OVER () AS total
               FROM assignees p JOIN users u ON u.id = p.user_id
              WHERE p.assignment_id = {assignment} AND p.left_at IS NULL AND {member} {which}
              ORDER BY p.due_at, u.name, u.id {page}"
        ));
        self.people_page(sql, |r, p| {
            p.at = r.try_get("", "due_at")?;
            p.done_at = r.try_get("", "completed_at")?;
            Ok(())
        })
        .await
    }
}
