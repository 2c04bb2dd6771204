//! The funnel's rollup, `funnel_marks` (m0020, docs/decisions/0025): for each course, version,
//! stage (`lore_domain::funnel::Stage`), step and person, when the person first reached it and,
//! for a finished step, the seconds they spent on it (of that first time).
//!
//! [`on_event`] keeps it in the transaction of every event (`Store::append_event`): a mark is
//! written the first time and moved earlier if an earlier event comes (never later), so the
//! table always equals what [`rebuild_statements`] computes from the raw events, which the
//! property test checks after random event streams. Funnel pages read one course's marks;
//! nothing reads `events` per request.

use lore_domain::funnel::{Mark, Stage, Via};
use sea_orm::{ConnectionTrait, Statement};

use crate::entities::events;
use crate::visibility::Sql;
use crate::{Backend, Store, StoreResult, Timestamp};

/// `INSERT … ON CONFLICT` for `n` marks: written the first time, moved earlier when an
/// earlier event comes, never later.
fn upsert(n: usize) -> String {
    let rows: Vec<String> = (0..n)
        .map(|i| {
            let b = i * 7;
            format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7
            )
        })
        .collect();
    format!(
        "INSERT INTO funnel_marks \
         (course_id, version_number, stage, step_key, user_id, first_at, seconds) VALUES {} \
         ON CONFLICT (course_id, version_number, stage, step_key, user_id) DO UPDATE \
         SET first_at = excluded.first_at, seconds = excluded.seconds \
         WHERE excluded.first_at < funnel_marks.first_at",
        rows.join(", ")
    )
}

/// What one event marks: `(course, version, stage, step key, seconds)` for each course it is
/// about (a catalogue listing is about several).
fn marks_of(e: &events::Model) -> Vec<(i64, i32, Stage, String, Option<i64>)> {
    let data: Option<serde_json::Value> =
        e.data.as_deref().and_then(|d| serde_json::from_str(d).ok());
    let passed = data
        .as_ref()
        .and_then(|d| d.get("passed"))
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    let Some(stage) = Stage::of_event(&e.verb, passed) else {
        return Vec::new();
    };
    if stage == Stage::Seen {
        return data
            .as_ref()
            .and_then(|d| d.get("courses"))
            .and_then(serde_json::Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|pair| {
                        let course = pair.get(0)?.as_i64()?;
                        let version = i32::try_from(pair.get(1)?.as_i64()?).ok()?;
                        Some((course, version, Stage::Seen, String::new(), None))
                    })
                    .collect()
            })
            .unwrap_or_default();
    }
    let Some(course_id) = e.course_id else {
        return Vec::new();
    };
    let step = if stage.per_step() {
        e.step_key.clone().unwrap_or_default()
    } else {
        String::new()
    };
    let seconds = (stage == Stage::Finished)
        .then(|| data.as_ref()?.get("seconds")?.as_i64())
        .flatten();
    vec![(
        course_id,
        e.version_number.unwrap_or(0),
        stage,
        step,
        seconds,
    )]
}

/// Keep the marks of `e`, in the caller's transaction.
pub(crate) async fn on_event(
    conn: &impl ConnectionTrait,
    backend: Backend,
    e: &events::Model,
) -> StoreResult<()> {
    let mut marks = marks_of(e);
    // One listing names each course once (a repeated one would conflict with itself).
    marks.sort_by_key(|m| (m.0, m.1));
    marks.dedup_by_key(|m| (m.0, m.1, m.2, m.3.clone()));
    if marks.is_empty() {
        return Ok(());
    }
    let mut values = Vec::with_capacity(marks.len() * 7);
    for (course, version, stage, step, seconds) in &marks {
        values.extend([
            (*course).into(),
            (*version).into(),
            stage.as_str().into(),
            step.clone().into(),
            e.user_id.into(),
            e.occurred_at.into(),
            (*seconds).into(),
        ]);
    }
    conn.execute_raw(Statement::from_sql_and_values(
        backend.db(),
        upsert(marks.len()),
        values,
    ))
    .await?;
    Ok(())
}

/// The verbs and the stage each marks, with whether its step key and seconds count.
const VERB_STAGES: [(&str, Stage); 8] = [
    ("viewed-course", Stage::Opened),
    ("assigned", Stage::Assigned),
    ("enrolled", Stage::Enrolled),
    ("started", Stage::Started),
    ("viewed-step", Stage::Reached),
    ("completed-step", Stage::Finished),
    ("completed-course", Stage::Completed),
    ("submitted-attempt", Stage::Passed),
];

/// The statements that empty `funnel_marks` and compute it again from `events`: for each
/// course, version, stage, step and person, the earliest event (ties by id).
pub(crate) fn rebuild_statements(backend: Backend) -> Vec<String> {
    let (seconds, passed, listed) = match backend {
        Backend::Sqlite => (
            "CAST(json_extract(e.data, '$.seconds') AS INTEGER)",
            "json_extract(e.data, '$.passed') = 1",
            "SELECT CAST(json_extract(j.value, '$[0]') AS INTEGER) AS course_id, \
                    CAST(json_extract(j.value, '$[1]') AS INTEGER) AS version_number, \
                    e.user_id, e.occurred_at, e.id \
             FROM events e, json_each(e.data, '$.courses') j WHERE e.verb = 'listed-courses'",
        ),
        Backend::Postgres => (
            "(e.data::jsonb ->> 'seconds')::bigint",
            "(e.data::jsonb ->> 'passed') = 'true'",
            "SELECT (j ->> 0)::bigint AS course_id, (j ->> 1)::int AS version_number, \
                    e.user_id, e.occurred_at, e.id \
             FROM events e, jsonb_array_elements(e.data::jsonb -> 'courses') j \
             WHERE e.verb = 'listed-courses'",
        ),
    };
    let mut out = vec!["DELETE FROM funnel_marks".to_owned()];
    let insert = "INSERT INTO funnel_marks \
                  (course_id, version_number, stage, step_key, user_id, first_at, seconds)";
    for (verb, stage) in VERB_STAGES {
        let step = if stage.per_step() {
            "COALESCE(e.step_key, '')"
        } else {
            "''"
        };
        let secs = if stage == Stage::Finished {
            seconds
        } else {
            "CAST(NULL AS BIGINT)"
        };
        let extra = if stage == Stage::Passed {
            format!(" AND {passed}")
        } else {
            String::new()
        };
        out.push(format!(
            "{insert} SELECT course_id, version_number, '{stage}', step_key, user_id, occurred_at, seconds FROM (\
               SELECT e.course_id, COALESCE(e.version_number, 0) AS version_number, {step} AS step_key, \
                      e.user_id, e.occurred_at, {secs} AS seconds, \
                      ROW_NUMBER() OVER (PARTITION BY e.course_id, COALESCE(e.version_number, 0), {step}, e.user_id \
                                         ORDER BY e.occurred_at, e.id) AS n \
               FROM events e WHERE e.verb = '{verb}' AND e.course_id IS NOT NULL{extra}) first \
             WHERE n = 1",
            stage = stage.as_str(),
        ));
    }
    out.push(format!(
        "{insert} SELECT course_id, version_number, 'seen', '', user_id, occurred_at, CAST(NULL AS BIGINT) FROM (\
           SELECT l.*, ROW_NUMBER() OVER (PARTITION BY l.course_id, l.version_number, l.user_id \
                                          ORDER BY l.occurred_at, l.id) AS n \
           FROM ({listed}) l WHERE l.course_id IS NOT NULL) first WHERE n = 1"
    ));
    out
}

/// Which marks of a course a funnel counts.
#[derive(Debug, Clone, Default)]
pub struct FunnelFilter {
    /// One version; `None` for all.
    pub version: Option<i32>,
    /// First reached at or after.
    pub from: Option<Timestamp>,
    /// First reached before.
    pub until: Option<Timestamp>,
    /// People in this group or a group below it.
    pub group_id: Option<i64>,
    pub via: Via,
}

/// A mark as stored, for comparison with a rebuild.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StoredMark {
    pub course_id: i64,
    pub version_number: i32,
    pub stage: String,
    pub step_key: String,
    pub user_id: i64,
    pub first_at: Timestamp,
    pub seconds: Option<i64>,
}

impl Store {
    /// The marks of one course a funnel counts (the *assigned* marks only filter).
    pub async fn funnel_marks(&self, course_id: i64, f: &FunnelFilter) -> StoreResult<Vec<Mark>> {
        let mut sql = Sql::default();
        let course = sql.bind(course_id);
        let mut text = format!(
            "SELECT m.user_id, m.stage, m.step_key, m.seconds FROM funnel_marks m \
             WHERE m.course_id = {course} AND m.stage <> 'assigned'"
        );
        if let Some(v) = f.version {
            text.push_str(&format!(" AND m.version_number = {}", sql.bind(v)));
        }
        if let Some(from) = f.from {
            text.push_str(&format!(" AND m.first_at >= {}", sql.bind(from)));
        }
        if let Some(until) = f.until {
            text.push_str(&format!(" AND m.first_at < {}", sql.bind(until)));
        }
        if let Some(g) = f.group_id {
            let below = sql.at_or_below("ms.group_id", &[lore_domain::ids::GroupId(g)]);
            text.push_str(&format!(
                " AND m.user_id IN (SELECT ms.user_id FROM memberships ms WHERE {below})"
            ));
        }
        let assigned = format!(
            "EXISTS (SELECT 1 FROM funnel_marks a WHERE a.course_id = {course} \
             AND a.stage = 'assigned' AND a.user_id = m.user_id)"
        );
        match f.via {
            Via::Anyone => {}
            Via::Assigned => text.push_str(&format!(" AND {assigned}")),
            Via::SelfEnrolled => text.push_str(&format!(" AND NOT {assigned}")),
        }
        let rows = self.db.query_all_raw(self.raw(&text, sql.values)).await?;
        rows.iter()
            .map(|r| {
                let stage: String = r.try_get("", "stage")?;
                Ok(Mark {
                    user_id: r.try_get("", "user_id")?,
                    stage: Stage::parse(&stage).ok_or_else(|| {
                        sea_orm::DbErr::Custom(format!("unknown funnel stage {stage:?}"))
                    })?,
                    step_key: r.try_get("", "step_key")?,
                    seconds: r.try_get("", "seconds")?,
                })
            })
            .collect()
    }

    /// Of `course_ids`, those `user_id` has already seen listed (any version).
    pub async fn seen_courses(&self, user_id: i64, course_ids: &[i64]) -> StoreResult<Vec<i64>> {
        if course_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::default();
        let user = sql.bind(user_id);
        let list: Vec<String> = course_ids.iter().map(|c| sql.bind(*c)).collect();
        let text = format!(
            "SELECT DISTINCT course_id FROM funnel_marks WHERE stage = 'seen' \
             AND user_id = {user} AND course_id IN ({})",
            list.join(", ")
        );
        let rows = self.db.query_all_raw(self.raw(&text, sql.values)).await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<i64>("", "course_id")?))
            .collect()
    }

    /// Every stored mark, in key order (for the rollup's checks).
    pub async fn all_funnel_marks(&self) -> StoreResult<Vec<StoredMark>> {
        let rows = self
            .db
            .query_all_raw(self.raw(
                "SELECT course_id, version_number, stage, step_key, user_id, first_at, seconds \
                 FROM funnel_marks ORDER BY course_id, version_number, stage, step_key, user_id",
                vec![],
            ))
            .await?;
        rows.iter()
            .map(|r| {
                Ok(StoredMark {
                    course_id: r.try_get("", "course_id")?,
                    version_number: r.try_get("", "version_number")?,
                    stage: r.try_get("", "stage")?,
                    step_key: r.try_get("", "step_key")?,
                    user_id: r.try_get("", "user_id")?,
                    first_at: r.try_get("", "first_at")?,
                    seconds: r.try_get("", "seconds")?,
                })
            })
            .collect()
    }

    /// Compute `funnel_marks` again from the events, in one transaction.
    pub async fn rebuild_funnel(&self) -> StoreResult<()> {
        let tx = self.write_tx().await?;
        for sql in rebuild_statements(self.backend) {
            tx.execute_raw(Statement::from_string(self.backend.db(), sql))
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
