//! The activity rollup (m0022, docs/decisions/0027): learning activity per person and week,
//! per group and week (people counted once per group, for the groups they were in and every
//! group above those when they first acted that week), and course completions per group and
//! week with the whole days each took from the enrolment, overall and per course (m0026).
//! [`on_event`] keeps it as events are
//! appended, in their transaction; [`Store::rebuild_activity`] recomputes it from the events
//! (the generated dataset, and the check that both agree).

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use crate::{Backend, EventRow, Store, StoreResult, Timestamp};

/// The verbs that count as learning activity: a person working through a course or its
/// evaluation. Browsing (`viewed-course`), feedback, needs, authoring, being assigned or
/// reminded and certificates do not count.
pub const LEARNING_VERBS: &[&str] = &[
    "enrolled",
    "started",
    "viewed-step",
    "completed-step",
    "completed-course",
    "switched-version",
    "started-attempt",
    "answered",
    "submitted-attempt",
];

const SECONDS_PER_DAY: i64 = 86_400;

/// The week of a moment: the Unix day number of its Monday (UTC).
pub fn week_of(at: Timestamp) -> i64 {
    let day = at.unix_timestamp().div_euclid(SECONDS_PER_DAY);
    day - (day + 3).rem_euclid(7)
}

/// The Monday (UTC) of a week number.
pub fn week_start(week: i64) -> Timestamp {
    Timestamp::UNIX_EPOCH + time::Duration::days(week)
}

/// Whole seconds since the epoch of a timestamp expression, on each engine.
fn seconds(backend: Backend, expr: &str) -> String {
    match backend {
        Backend::Sqlite => format!("unixepoch({expr})"),
        Backend::Postgres => format!("CAST(FLOOR(EXTRACT(EPOCH FROM {expr})) AS BIGINT)"),
    }
}

/// The week number of a timestamp expression, as [`week_of`] (dates after 1970).
fn week_sql(backend: Backend, expr: &str) -> String {
    let day = format!("({} / {SECONDS_PER_DAY})", seconds(backend, expr));
    format!("({day} - (({day} + 3) % 7))")
}

/// Whole days from `from` to `to` (truncated), the time a completion took.
pub(crate) fn days_sql(backend: Backend, from: &str, to: &str) -> String {
    format!(
        "(({} - {}) / {SECONDS_PER_DAY})",
        seconds(backend, to),
        seconds(backend, from)
    )
}

/// Every group a person is in, and every group above those, once each: `up(id)`.
const GROUPS_OF_PERSON: &str = "WITH RECURSIVE up(id) AS (
        SELECT group_id FROM memberships WHERE user_id = $1
        UNION SELECT g.parent_id FROM \"groups\" g JOIN up ON g.id = up.id
              WHERE g.parent_id IS NOT NULL)";

/// Every (person, group) pair where the person is in the group or below it, once each:
/// `member_of(user_id, group_id)`.
const MEMBERS_OF_GROUPS: &str = "WITH RECURSIVE up(group_id, id) AS (
        SELECT id, id FROM \"groups\"
        UNION SELECT up.group_id, g.parent_id FROM \"groups\" g JOIN up ON g.id = up.id
              WHERE g.parent_id IS NOT NULL),
    member_of(user_id, group_id) AS (
        SELECT DISTINCT m.user_id, up.id FROM memberships m JOIN up ON up.group_id = m.group_id)";

fn statement(backend: Backend, sql: &str, values: Vec<Value>) -> Statement {
    let backend = match backend {
        Backend::Sqlite => DbBackend::Sqlite,
        Backend::Postgres => DbBackend::Postgres,
    };
    Statement::from_sql_and_values(backend, sql, values)
}

fn learning_verbs_sql() -> String {
    LEARNING_VERBS
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Bring the rollup up to date with one appended event, on the event's own connection.
pub(crate) async fn on_event(
    conn: &impl ConnectionTrait,
    backend: Backend,
    e: &EventRow,
) -> StoreResult<()> {
    if !LEARNING_VERBS.contains(&e.verb.as_str()) {
        return Ok(());
    }
    let week = week_of(e.occurred_at);
    let first_this_week = conn
        .execute_raw(statement(
            backend,
            "INSERT INTO activity_weeks (week, user_id) VALUES ($2, $1) ON CONFLICT DO NOTHING",
            vec![e.user_id.into(), week.into()],
        ))
        .await?
        .rows_affected()
        == 1;
    if first_this_week {
        conn.execute_raw(statement(
            backend,
            &format!(
                "{GROUPS_OF_PERSON}
                 INSERT INTO activity_group_weeks (group_id, week, user_id)
                 SELECT id, $2, $1 FROM up"
            ),
            vec![e.user_id.into(), week.into()],
        ))
        .await?;
        conn.execute_raw(statement(
            backend,
            &format!(
                "{GROUPS_OF_PERSON}
                 INSERT INTO activity_group_counts (group_id, week, active)
                 SELECT id, $2, 1 FROM up WHERE 1 = 1
                 ON CONFLICT (group_id, week)
                 DO UPDATE SET active = activity_group_counts.active + 1"
            ),
            vec![e.user_id.into(), week.into()],
        ))
        .await?;
    }
    let (completions, attempts) = match e.verb.as_str() {
        "completed-course" => (1i64, 0i64),
        "submitted-attempt" => (0, 1),
        _ => return Ok(()),
    };
    let Some(course_id) = e.course_id else {
        return Ok(());
    };
    conn.execute_raw(statement(
        backend,
        &format!(
            "{GROUPS_OF_PERSON}
             INSERT INTO course_group_weeks (group_id, week, course_id, completions, attempts)
             SELECT id, $2, $3, $4, $5 FROM up WHERE 1 = 1
             ON CONFLICT (group_id, week, course_id)
             DO UPDATE SET completions = course_group_weeks.completions + $4,
                           attempts = course_group_weeks.attempts + $5"
        ),
        vec![
            e.user_id.into(),
            week.into(),
            course_id.into(),
            completions.into(),
            attempts.into(),
        ],
    ))
    .await?;
    if completions == 0 {
        return Ok(());
    }
    let days = days_sql(backend, "en.created_at", "$4");
    conn.execute_raw(statement(
        backend,
        &format!(
            "{GROUPS_OF_PERSON}
             INSERT INTO completion_group_days (group_id, week, days, completions)
             SELECT up.id, $2, {days}, 1 FROM up
               JOIN enrolments en ON en.user_id = $1 AND en.course_id = $3
             WHERE 1 = 1
             ON CONFLICT (group_id, week, days)
             DO UPDATE SET completions = completion_group_days.completions + 1"
        ),
        vec![
            e.user_id.into(),
            week.into(),
            course_id.into(),
            e.occurred_at.into(),
        ],
    ))
    .await?;
    conn.execute_raw(statement(
        backend,
        &format!(
            "{GROUPS_OF_PERSON}
             INSERT INTO completion_course_days (group_id, course_id, week, days, completions)
             SELECT up.id, $3, $2, {days}, 1 FROM up
               JOIN enrolments en ON en.user_id = $1 AND en.course_id = $3
             WHERE 1 = 1
             ON CONFLICT (group_id, course_id, week, days)
             DO UPDATE SET completions = completion_course_days.completions + 1"
        ),
        vec![
            e.user_id.into(),
            week.into(),
            course_id.into(),
            e.occurred_at.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// The statements that recompute the rollup from the events (and enrolments), with today's
/// memberships: for [`Store::rebuild_activity`], and for m0022 on a database that has events.
pub(crate) fn rebuild_sql(b: Backend) -> Vec<String> {
    let verbs = learning_verbs_sql();
    let week = week_sql(b, "occurred_at");
    let event_week = week_sql(b, "e.occurred_at");
    let days = days_sql(b, "en.created_at", "e.occurred_at");
    vec![
        "DELETE FROM activity_weeks".to_owned(),
        "DELETE FROM activity_group_weeks".to_owned(),
        "DELETE FROM activity_group_counts".to_owned(),
        "DELETE FROM course_group_weeks".to_owned(),
        "DELETE FROM completion_group_days".to_owned(),
        format!(
            "INSERT INTO activity_weeks (week, user_id)
             SELECT DISTINCT {week}, user_id FROM events WHERE verb IN ({verbs})"
        ),
        format!(
            "{MEMBERS_OF_GROUPS}
             INSERT INTO activity_group_weeks (group_id, week, user_id)
             SELECT p.group_id, a.week, a.user_id
               FROM activity_weeks a JOIN member_of p ON p.user_id = a.user_id"
        ),
        "INSERT INTO activity_group_counts (group_id, week, active)
         SELECT group_id, week, COUNT(*) FROM activity_group_weeks GROUP BY group_id, week"
            .to_owned(),
        format!(
            "{MEMBERS_OF_GROUPS}
             INSERT INTO course_group_weeks (group_id, week, course_id, completions, attempts)
             SELECT p.group_id, d.week, d.course_id,
                    SUM(CASE WHEN d.verb = 'completed-course' THEN 1 ELSE 0 END),
                    SUM(CASE WHEN d.verb = 'submitted-attempt' THEN 1 ELSE 0 END)
               FROM (SELECT e.user_id, e.course_id, e.verb, {event_week} AS week
                       FROM events e
                      WHERE e.verb IN ('completed-course', 'submitted-attempt')
                        AND e.course_id IS NOT NULL) d
               JOIN member_of p ON p.user_id = d.user_id
              GROUP BY p.group_id, d.week, d.course_id"
        ),
        format!(
            "{MEMBERS_OF_GROUPS}
             INSERT INTO completion_group_days (group_id, week, days, completions)
             SELECT p.group_id, d.week, d.days, COUNT(*)
               FROM (SELECT e.user_id, {event_week} AS week, {days} AS days
                       FROM events e
                       JOIN enrolments en ON en.user_id = e.user_id
                                          AND en.course_id = e.course_id
                      WHERE e.verb = 'completed-course') d
               JOIN member_of p ON p.user_id = d.user_id
              GROUP BY p.group_id, d.week, d.days"
        ),
    ]
}

/// The statements that recompute the completions per group, course and week (m0026) from
/// the events and enrolments, with today's memberships.
pub(crate) fn course_days_rebuild_sql(b: Backend) -> Vec<String> {
    let event_week = week_sql(b, "e.occurred_at");
    let days = days_sql(b, "en.created_at", "e.occurred_at");
    vec![
        "DELETE FROM completion_course_days".to_owned(),
        format!(
            "{MEMBERS_OF_GROUPS}
             INSERT INTO completion_course_days (group_id, course_id, week, days, completions)
             SELECT p.group_id, d.course_id, d.week, d.days, COUNT(*)
               FROM (SELECT e.user_id, e.course_id, {event_week} AS week, {days} AS days
                       FROM events e
                       JOIN enrolments en ON en.user_id = e.user_id
                                          AND en.course_id = e.course_id
                      WHERE e.verb = 'completed-course') d
               JOIN member_of p ON p.user_id = d.user_id
              GROUP BY p.group_id, d.course_id, d.week, d.days"
        ),
    ]
}

impl Store {
    /// Recompute the activity rollup from the events (and the enrolments, for the days a
    /// completion took), with today's memberships: what [`on_event`] would have written had
    /// every event been appended with the memberships of now. In one transaction.
    pub async fn rebuild_activity(&self) -> StoreResult<()> {
        let tx = self.write_tx().await?;
        for sql in rebuild_sql(self.backend)
            .into_iter()
            .chain(course_days_rebuild_sql(self.backend))
        {
            tx.execute_raw(statement(self.backend, &sql, Vec::new()))
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The whole rollup as sorted lines of text, table by table: for comparing what the
    /// events kept with what [`Store::rebuild_activity`] recomputes.
    pub async fn activity_snapshot(&self) -> StoreResult<Vec<String>> {
        let mut out = Vec::new();
        for (table, columns) in [
            (
                "activity_weeks",
                "week, user_id, CAST(0 AS BIGINT), CAST(0 AS BIGINT)",
            ),
            (
                "activity_group_weeks",
                "group_id, week, user_id, CAST(0 AS BIGINT)",
            ),
            (
                "activity_group_counts",
                "group_id, week, active, CAST(0 AS BIGINT)",
            ),
            (
                "course_group_weeks",
                "group_id, week, course_id, completions * 1000000 + attempts",
            ),
            ("completion_group_days", "group_id, week, days, completions"),
            (
                "completion_course_days",
                "group_id, course_id, week, days * 1000000 + completions",
            ),
        ] {
            let rows = self
                .db
                .query_all_raw(self.raw(
                    &format!("SELECT {columns} FROM {table} ORDER BY 1, 2, 3, 4"),
                    Vec::new(),
                ))
                .await?;
            for r in rows {
                let mut line = table.to_owned();
                for i in 0..4 {
                    let v: i64 = r.try_get_by_index(i)?;
                    line.push_str(&format!(" {v}"));
                }
                out.push(line);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_utc() {
        let monday = time::macros::datetime!(2026-11-02 00:00 UTC);
        let sunday_night = time::macros::datetime!(2026-11-08 23:59:59 UTC);
        let next_monday = time::macros::datetime!(2026-11-09 00:00 UTC);
        assert_eq!(week_of(monday), week_of(sunday_night));
        assert_eq!(week_of(next_monday), week_of(monday) + 7);
        assert_eq!(week_start(week_of(sunday_night)), monday);
    }
}
