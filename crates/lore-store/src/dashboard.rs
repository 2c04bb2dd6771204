//! The figures of the coach and group dashboards (docs/decisions/0027): active learners per
//! week and completions per course from the activity rollup (m0022), courses by their stored
//! health, assignments by their assignee rows, and per course the days completions took
//! (enrolment rows) and evaluation pass rates (attempt rows). Every statement reads by index:
//! the group's rows of the rollup, or the rows of a page of courses; none reads the events.

use sea_orm::{ConnectionTrait, QueryResult};

use crate::course_health::{FIGURE_COLUMNS, figures, lost_now};
use crate::visibility::Sql;
use crate::{HealthFigures, Store, StoreResult, Timestamp};

/// A course and how many people of the group completed it in the range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseCompletions {
    pub course_id: i64,
    pub title: String,
    pub completions: u64,
}

/// A course with its stored health figures.
#[derive(Debug, Clone)]
pub struct CourseFigures {
    pub course_id: i64,
    pub title: String,
    pub figures: HealthFigures,
}

/// An assignment with where the group's people stand on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentCounts {
    pub assignment_id: i64,
    /// `course` or `path`.
    pub target_kind: String,
    pub target_id: i64,
    pub title: String,
    pub due_at: Option<Timestamp>,
    /// People reached who have not left.
    pub assigned: u64,
    pub done: u64,
    /// Not done, and their due date has passed.
    pub overdue: u64,
}

/// A course's evaluation attempts submitted in the range, and how many passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassCounts {
    pub course_id: i64,
    pub submitted: u64,
    pub passed: u64,
}

pub(crate) fn count(r: &QueryResult, column: &str) -> StoreResult<u64> {
    Ok(r.try_get::<i64>("", column)?.max(0) as u64)
}

pub(crate) fn total_of(rows: &[QueryResult]) -> StoreResult<u64> {
    rows.first().map_or(Ok(0), |r| count(r, "total"))
}

impl Sql {
    /// `(…)` with a placeholder per id, or `(NULL)` for none (nothing is `IN (NULL)`).
    pub(crate) fn ids(&mut self, ids: &[i64]) -> String {
        if ids.is_empty() {
            return "(NULL)".to_owned();
        }
        let marks: Vec<String> = ids.iter().map(|id| self.bind(*id)).collect();
        format!("({})", marks.join(", "))
    }

    /// The person `user_column` is a member of one of `groups` (a group and those below it).
    /// The person's few memberships are read by their index and checked against the list
    /// (`+` keeps SQLite from seeking the index once per group of the list, per row). The
    /// ids are written as numbers, not placeholders: SQLite builds the list's lookup table
    /// once for constants, but again for every row with placeholders (30 times slower for
    /// the 490 groups of the generated dataset). They are `i64`s, so nothing can be injected.
    pub(crate) fn member_of(&mut self, user_column: &str, groups: &[i64]) -> String {
        let list = if groups.is_empty() {
            "(NULL)".to_owned()
        } else {
            let ids: Vec<String> = groups.iter().map(i64::to_string).collect();
            format!("({})", ids.join(", "))
        };
        format!(
            "EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = {user_column}
                     AND +m.group_id IN {list})"
        )
    }

    /// `LIMIT … OFFSET …` with placeholders.
    pub(crate) fn page(&mut self, limit: u64, offset: u64) -> String {
        let limit = self.bind(limit.clamp(1, 10_000) as i64);
        let offset = self.bind(offset.min(i64::MAX as u64) as i64);
        format!(" LIMIT {limit} OFFSET {offset}")
    }
}

/// The title of course `c`'s newest published version, as a column.
pub(crate) const COURSE_TITLE: &str = "(SELECT v.title FROM course_versions v
      WHERE v.course_id = c.id AND v.number = c.latest_version)";

impl Store {
    async fn rows(&self, sql: Sql) -> StoreResult<Vec<QueryResult>> {
        Ok(self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?)
    }

    /// People of `group_id` (and below) active in each week of `from_week..=to_week` that
    /// had any: (week, people).
    pub async fn active_per_week(
        &self,
        group_id: i64,
        from_week: i64,
        to_week: i64,
    ) -> StoreResult<Vec<(i64, u64)>> {
        let mut sql = Sql::default();
        let g = sql.bind(group_id);
        let from = sql.bind(from_week);
        let to = sql.bind(to_week);
        sql.push(&format!(
            "SELECT week, active FROM activity_group_counts
              WHERE group_id = {g} AND week >= {from} AND week <= {to} ORDER BY week"
        ));
        self.rows(sql)
            .await?
            .iter()
            .map(|r| Ok((r.try_get::<i64>("", "week")?, count(r, "active")?)))
            .collect()
    }

    /// One page of the courses people of `group_id` completed or submitted an evaluation of
    /// in the weeks, most completions first, then most attempts; and how many there are.
    pub async fn completions_by_course(
        &self,
        group_id: i64,
        from_week: i64,
        to_week: i64,
        limit: u64,
        offset: u64,
    ) -> StoreResult<(Vec<CourseCompletions>, u64)> {
        let mut sql = Sql::default();
        let g = sql.bind(group_id);
        let from = sql.bind(from_week);
        let to = sql.bind(to_week);
        let page = sql.page(limit, offset);
        sql.push(&format!(
            "SELECT t.course_id, t.completions, t.total, {COURSE_TITLE} AS title
               FROM (SELECT course_id, CAST(SUM(completions) AS BIGINT) AS completions,
                            CAST(SUM(attempts) AS BIGINT) AS attempts,
                            COUNT(*) OVER () AS total
                       FROM course_group_weeks
                      WHERE group_id = {g} AND week >= {from} AND week <= {to}
                      GROUP BY course_id
                      ORDER BY SUM(completions) DESC, SUM(attempts) DESC, course_id {page}) t
               JOIN courses c ON c.id = t.course_id
              ORDER BY t.completions DESC, t.attempts DESC, t.course_id"
        ));
        let rows = self.rows(sql).await?;
        let list = rows
            .iter()
            .map(|r| {
                Ok(CourseCompletions {
                    course_id: r.try_get("", "course_id")?,
                    title: r
                        .try_get::<Option<String>>("", "title")?
                        .unwrap_or_default(),
                    completions: count(r, "completions")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((list, total_of(&rows)?))
    }

    /// How many completions by people of `group_id` in the weeks took each number of whole
    /// days from enrolment: (days, completions).
    pub async fn completion_days(
        &self,
        group_id: i64,
        from_week: i64,
        to_week: i64,
    ) -> StoreResult<Vec<(i64, u64)>> {
        let mut sql = Sql::default();
        let g = sql.bind(group_id);
        let from = sql.bind(from_week);
        let to = sql.bind(to_week);
        sql.push(&format!(
            "SELECT days, CAST(SUM(completions) AS BIGINT) AS n FROM completion_group_days
              WHERE group_id = {g} AND week >= {from} AND week <= {to}
              GROUP BY days ORDER BY days"
        ));
        self.rows(sql)
            .await?
            .iter()
            .map(|r| Ok((r.try_get::<i64>("", "days")?, count(r, "n")?)))
            .collect()
    }

    /// How many completions of each of these courses by people of `group_id` in the weeks
    /// took each number of whole days from enrolment: (course, days, completions).
    pub async fn completion_days_of_courses(
        &self,
        group_id: i64,
        course_ids: &[i64],
        from_week: i64,
        to_week: i64,
    ) -> StoreResult<Vec<(i64, i64, u64)>> {
        let mut sql = Sql::default();
        let g = sql.bind(group_id);
        let courses = sql.ids(course_ids);
        let from = sql.bind(from_week);
        let to = sql.bind(to_week);
        sql.push(&format!(
            "SELECT course_id, days, CAST(SUM(completions) AS BIGINT) AS n
               FROM completion_course_days
              WHERE group_id = {g} AND course_id IN {courses} AND week >= {from} AND week <= {to}
              GROUP BY course_id, days ORDER BY course_id, days"
        ));
        self.rows(sql)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("", "course_id")?,
                    r.try_get::<i64>("", "days")?,
                    count(r, "n")?,
                ))
            })
            .collect()
    }

    /// Evaluation attempts of these courses submitted in `since..until` by people of
    /// `groups`, and how many passed, from the attempt rows.
    pub async fn pass_counts(
        &self,
        groups: &[i64],
        course_ids: &[i64],
        since: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<PassCounts>> {
        let mut sql = Sql::default();
        let courses = sql.ids(course_ids);
        let since = sql.bind(since);
        let until = sql.bind(until);
        let member = sql.member_of("a.user_id", groups);
        sql.push(&format!(
            "SELECT a.course_id, COUNT(*) AS submitted,
                    SUM(CASE WHEN a.passed THEN 1 ELSE 0 END) AS passed
               FROM attempts a
              WHERE a.course_id IN {courses} AND a.submitted_at >= {since}
                AND a.submitted_at < {until} AND {member}
              GROUP BY a.course_id"
        ));
        self.rows(sql)
            .await?
            .iter()
            .map(|r| {
                Ok(PassCounts {
                    course_id: r.try_get("", "course_id")?,
                    submitted: count(r, "submitted")?,
                    passed: count(r, "passed")?,
                })
            })
            .collect()
    }

    /// One page of the active published courses owned by `groups` or with an audience among
    /// them, healthiest first (or least healthy first with `weakest`) at `now_secs`, with
    /// their stored figures; and how many there are.
    pub async fn courses_by_health(
        &self,
        groups: &[i64],
        now_secs: i64,
        weakest: bool,
        limit: u64,
        offset: u64,
    ) -> StoreResult<(Vec<CourseFigures>, u64)> {
        let mut sql = Sql::default();
        let now = sql.bind(now_secs);
        let owned = sql.ids(groups);
        let audience = sql.ids(groups);
        let page = sql.page(limit, offset);
        let lost = lost_now(&now);
        let order = if weakest { "DESC" } else { "ASC" };
        sql.push(&format!(
            "SELECT c.id AS course_id, {COURSE_TITLE} AS title, {FIGURE_COLUMNS},
                    COUNT(*) OVER () AS total
               FROM courses c JOIN course_health h ON h.course_id = c.id
              WHERE c.status = 'active' AND c.latest_version IS NOT NULL
                AND (c.group_id IN {owned} OR EXISTS (SELECT 1 FROM course_audiences a
                     WHERE a.course_id = c.id AND a.group_id IN {audience}))
              ORDER BY {lost} {order}, c.id {page}"
        ));
        let rows = self.rows(sql).await?;
        let list = rows
            .iter()
            .map(|r| {
                Ok(CourseFigures {
                    course_id: r.try_get("", "course_id")?,
                    title: r
                        .try_get::<Option<String>>("", "title")?
                        .unwrap_or_default(),
                    figures: figures(r)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((list, total_of(&rows)?))
    }

    /// One page of the open assignments that reach people of `groups`, with the counts of
    /// those people (not left) by where they stand at `now`, newest assignment first; and
    /// how many assignments there are.
    pub async fn assignment_counts(
        &self,
        groups: &[i64],
        now: Timestamp,
        limit: u64,
        offset: u64,
    ) -> StoreResult<(Vec<AssignmentCounts>, u64)> {
        let mut sql = Sql::default();
        let now = sql.bind(now);
        let member = sql.member_of("p.user_id", groups);
        let page = sql.page(limit, offset);
        sql.push(&format!(
            "SELECT s.id, s.target_kind, s.target_id, s.due_at, t.assigned, t.done, t.overdue,
                    t.total,
                    CASE WHEN s.target_kind = 'course'
                         THEN (SELECT v.title FROM courses c JOIN course_versions v
                                 ON v.course_id = c.id AND v.number = c.latest_version
                                WHERE c.id = s.target_id)
                         ELSE (SELECT x.title FROM paths x WHERE x.id = s.target_id) END AS title
               FROM (SELECT p.assignment_id, COUNT(*) AS assigned,
                            SUM(CASE WHEN p.completed_at IS NOT NULL THEN 1 ELSE 0 END) AS done,
                            SUM(CASE WHEN p.completed_at IS NULL AND p.due_at < {now}
                                     THEN 1 ELSE 0 END) AS overdue,
                            COUNT(*) OVER () AS total
                       FROM assignees p JOIN assignments s ON s.id = p.assignment_id
                      WHERE p.left_at IS NULL AND s.ended_at IS NULL AND {member}
                      GROUP BY p.assignment_id
                      ORDER BY p.assignment_id DESC {page}) t
               JOIN assignments s ON s.id = t.assignment_id
              ORDER BY s.id DESC"
        ));
        let rows = self.rows(sql).await?;
        let list = rows
            .iter()
            .map(|r| {
                Ok(AssignmentCounts {
                    assignment_id: r.try_get("", "id")?,
                    target_kind: r.try_get("", "target_kind")?,
                    target_id: r.try_get("", "target_id")?,
                    title: r
                        .try_get::<Option<String>>("", "title")?
                        .unwrap_or_default(),
                    due_at: r.try_get("", "due_at")?,
                    assigned: count(r, "assigned")?,
                    done: count(r, "done")?,
                    overdue: count(r, "overdue")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((list, total_of(&rows)?))
    }
}
