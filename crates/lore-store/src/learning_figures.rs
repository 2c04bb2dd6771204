//! Learning figures stored per course (`course_learning_figures`, m0023): submitted attempts,
//! the sum of their scores in per cent, passes and completions. The store methods that submit
//! an attempt, complete an enrolment or restart one recount the course in the same
//! transaction (so in the use case's unit of work); the generated large dataset, written
//! around the use cases, recounts every course once at the end. See docs/decisions/0028.

use sea_orm::ConnectionTrait;

use crate::{Store, StoreResult};

/// A course's stored learning figures.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LearningFigures {
    /// Submitted evaluation attempts.
    pub attempts: u64,
    /// Σ 100 · score / max over those attempts.
    pub score_percent_sum: f64,
    /// Attempts that passed.
    pub passed: u64,
    /// Enrolments completed.
    pub completions: u64,
}

/// Whose course to recount.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FiguresOf {
    Enrolment(i64),
    Attempt(i64),
}

/// The statement that recounts the courses matching `filter` (a condition on `courses c`)
/// from attempts and enrolments: each figure is an indexed lookup by course.
pub(crate) fn recount_sql(filter: &str) -> String {
    // An attempt whose essays wait for review (`passed` unknown) counts once it is scored.
    let submitted = "FROM attempts a WHERE a.course_id = c.id AND a.submitted_at IS NOT NULL \
                     AND a.passed IS NOT NULL";
    format!(
        "INSERT INTO course_learning_figures
            (course_id, attempts, score_percent_sum, passed, completions)
         SELECT c.id,
                (SELECT COUNT(*) {submitted}),
                (SELECT COALESCE(SUM(CASE WHEN a.max_score > 0
                                          THEN 100.0 * a.score / a.max_score ELSE 0.0 END), 0.0)
                 {submitted}),
                (SELECT COALESCE(SUM(CASE WHEN a.passed THEN 1 ELSE 0 END), 0) {submitted}),
                (SELECT COUNT(*) FROM enrolments e
                 WHERE e.course_id = c.id AND e.completed_at IS NOT NULL)
         FROM courses c WHERE {filter}
         ON CONFLICT (course_id) DO UPDATE SET attempts = excluded.attempts,
            score_percent_sum = excluded.score_percent_sum, passed = excluded.passed,
            completions = excluded.completions"
    )
}

impl Store {
    /// Recount the learning figures of the course `of` names (inside the caller's
    /// transaction).
    pub(crate) async fn recount_learning_figures(&self, of: FiguresOf) -> StoreResult<()> {
        let (filter, id) = match of {
            FiguresOf::Enrolment(id) => (
                "c.id = (SELECT e.course_id FROM enrolments e WHERE e.id = $1)",
                id,
            ),
            FiguresOf::Attempt(id) => (
                "c.id = (SELECT a.course_id FROM attempts a WHERE a.id = $1)",
                id,
            ),
        };
        self.db
            .execute_raw(self.raw(&recount_sql(filter), vec![id.into()]))
            .await?;
        Ok(())
    }

    /// Recount every course (after a bulk load that went around the use cases).
    pub async fn rebuild_learning_figures(&self) -> StoreResult<()> {
        self.db
            .execute_raw(self.raw(&recount_sql("1 = 1"), Vec::new()))
            .await?;
        Ok(())
    }

    /// One course's stored figures (zero when it has none yet).
    pub async fn learning_figures(&self, course_id: i64) -> StoreResult<LearningFigures> {
        let row = self
            .db
            .query_one_raw(self.raw(
                "SELECT attempts, score_percent_sum, passed, completions
                 FROM course_learning_figures WHERE course_id = $1",
                vec![course_id.into()],
            ))
            .await?;
        row.as_ref()
            .map(|r| {
                Ok(LearningFigures {
                    attempts: r.try_get::<i64>("", "attempts")?.max(0) as u64,
                    score_percent_sum: r.try_get("", "score_percent_sum")?,
                    passed: r.try_get::<i64>("", "passed")?.max(0) as u64,
                    completions: r.try_get::<i64>("", "completions")?.max(0) as u64,
                })
            })
            .transpose()
            .map(Option::unwrap_or_default)
    }
}
