//! Queries on questions, evaluation settings and attempts.

use crate::{row, rows, word};
use lore_domain::question::EvaluationMode;
use sea_orm::DbErr;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::entities::{attempts, course_questions, evaluation_settings};
use crate::learning_figures::FiguresOf;
use crate::{Store, StoreError, StoreResult, Timestamp};

pub type QuestionRow = course_questions::Model;

/// How a version's final evaluation runs, as the author set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationSettings {
    pub mode: EvaluationMode,
    pub pass_mark: i32,
    pub max_attempts: Option<i32>,
    pub time_limit_minutes: Option<i32>,
    pub shuffle: bool,
    pub required_for_completion: bool,
}

/// An attempt about to start.
#[derive(Debug, Clone)]
pub struct NewAttempt {
    pub user_id: i64,
    pub course_id: i64,
    pub version_number: i32,
    pub mode: EvaluationMode,
    pub seed: i64,
    pub deadline_at: Option<Timestamp>,
}

/// The outcome written when an attempt is submitted.
#[derive(Debug, Clone)]
pub struct Submission {
    pub answers: String,
    pub results: String,
    pub score: f64,
    pub max_score: f64,
    /// `None` while essays wait for review (decision 0043).
    pub passed: Option<bool>,
}

/// A row of `evaluation_settings`, its words read into domain enums.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingsRow {
    pub id: i64,
    pub version_id: i64,
    pub mode: EvaluationMode,
    /// Percent needed to pass.
    pub pass_mark: i32,
    pub max_attempts: Option<i32>,
    pub time_limit_minutes: Option<i32>,
    pub shuffle: bool,
    pub required_for_completion: bool,
}

impl TryFrom<evaluation_settings::Model> for SettingsRow {
    type Error = DbErr;

    fn try_from(m: evaluation_settings::Model) -> Result<Self, DbErr> {
        Ok(Self {
            id: m.id,
            version_id: m.version_id,
            mode: word(&m.mode, EvaluationMode::parse)?,
            pass_mark: m.pass_mark,
            max_attempts: m.max_attempts,
            time_limit_minutes: m.time_limit_minutes,
            shuffle: m.shuffle,
            required_for_completion: m.required_for_completion,
        })
    }
}

/// A row of `attempts`, its words read into domain enums.
#[derive(Clone, Debug, PartialEq)]
pub struct AttemptRow {
    pub id: i64,
    pub user_id: i64,
    pub course_id: i64,
    pub version_number: i32,
    pub mode: EvaluationMode,
    /// Seed of the shuffles this attempt shows.
    pub seed: i64,
    pub started_at: Timestamp,
    /// Set for timed exams: answers after it are refused.
    pub deadline_at: Option<Timestamp>,
    pub submitted_at: Option<Timestamp>,
    /// JSON map question key → answer.
    pub answers: String,
    /// JSON map question key → score, after submission.
    pub results: Option<String>,
    pub score: Option<f64>,
    pub max_score: Option<f64>,
    pub passed: Option<bool>,
}

impl TryFrom<attempts::Model> for AttemptRow {
    type Error = DbErr;

    fn try_from(m: attempts::Model) -> Result<Self, DbErr> {
        Ok(Self {
            id: m.id,
            user_id: m.user_id,
            course_id: m.course_id,
            version_number: m.version_number,
            mode: word(&m.mode, EvaluationMode::parse)?,
            seed: m.seed,
            started_at: m.started_at,
            deadline_at: m.deadline_at,
            submitted_at: m.submitted_at,
            answers: m.answers,
            results: m.results,
            score: m.score,
            max_score: m.max_score,
            passed: m.passed,
        })
    }
}

impl Store {
    pub async fn questions_of(&self, version_id: i64) -> StoreResult<Vec<QuestionRow>> {
        Ok(course_questions::Entity::find()
            .filter(course_questions::Column::VersionId.eq(version_id))
            .order_by_asc(course_questions::Column::Position)
            .order_by_asc(course_questions::Column::Id)
            .all(&self.db)
            .await?)
    }

    pub async fn add_question(
        &self,
        version_id: i64,
        key: &str,
        step_key: Option<&str>,
        body: String,
    ) -> StoreResult<QuestionRow> {
        let position = course_questions::Entity::find()
            .filter(course_questions::Column::VersionId.eq(version_id))
            .count(&self.db)
            .await? as i32;
        insert_question(
            &self.db,
            version_id,
            key,
            step_key.map(str::to_owned),
            position,
            body,
        )
        .await
    }

    /// Save a question of a draft if nobody saved it since `revision`; `false` means stale.
    pub async fn save_question(&self, id: i64, revision: i64, body: String) -> StoreResult<bool> {
        let r = course_questions::Entity::update_many()
            .col_expr(course_questions::Column::Body, Expr::value(body))
            .col_expr(
                course_questions::Column::Revision,
                Expr::value(revision.saturating_add(1)),
            )
            .filter(course_questions::Column::Id.eq(id))
            .filter(course_questions::Column::Revision.eq(revision))
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected == 1)
    }

    /// Put a version's questions in the order given (positions from 0); ids of other
    /// versions change nothing.
    pub async fn reorder_questions(&self, version_id: i64, ids: &[i64]) -> StoreResult<()> {
        let tx = self.write_tx().await?;
        for (i, id) in ids.iter().enumerate() {
            course_questions::Entity::update_many()
                .col_expr(course_questions::Column::Position, Expr::value(i as i32))
                .filter(course_questions::Column::VersionId.eq(version_id))
                .filter(course_questions::Column::Id.eq(*id))
                .exec(&tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_question(&self, version_id: i64, id: i64) -> StoreResult<bool> {
        let r = course_questions::Entity::delete_many()
            .filter(course_questions::Column::VersionId.eq(version_id))
            .filter(course_questions::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected == 1)
    }

    pub async fn settings_of(&self, version_id: i64) -> StoreResult<Option<SettingsRow>> {
        row(evaluation_settings::Entity::find()
            .filter(evaluation_settings::Column::VersionId.eq(version_id))
            .one(&self.db)
            .await?)
    }

    pub async fn put_settings(&self, version_id: i64, s: &EvaluationSettings) -> StoreResult<()> {
        put_settings(&self.db, version_id, s).await
    }

    pub async fn insert_attempt(&self, new: NewAttempt, now: Timestamp) -> StoreResult<AttemptRow> {
        attempts::ActiveModel {
            user_id: Set(new.user_id),
            course_id: Set(new.course_id),
            version_number: Set(new.version_number),
            mode: Set(new.mode.as_str().to_owned()),
            seed: Set(new.seed),
            started_at: Set(now),
            deadline_at: Set(new.deadline_at),
            submitted_at: Set(None),
            answers: Set("{}".to_owned()),
            results: Set(None),
            score: Set(None),
            max_score: Set(None),
            passed: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from_db)?
        .try_into()
        .map_err(StoreError::Db)
    }

    pub async fn attempt(&self, id: i64) -> StoreResult<Option<AttemptRow>> {
        row(attempts::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// A person's attempts at a course, oldest first.
    pub async fn attempts_of(&self, user_id: i64, course_id: i64) -> StoreResult<Vec<AttemptRow>> {
        rows(
            attempts::Entity::find()
                .filter(attempts::Column::UserId.eq(user_id))
                .filter(attempts::Column::CourseId.eq(course_id))
                .order_by_asc(attempts::Column::Id)
                .all(&self.db)
                .await?,
        )
    }

    /// Every submitted attempt at one version, for item analysis.
    pub async fn submitted_attempts(
        &self,
        course_id: i64,
        version_number: i32,
    ) -> StoreResult<Vec<AttemptRow>> {
        rows(
            attempts::Entity::find()
                .filter(attempts::Column::CourseId.eq(course_id))
                .filter(attempts::Column::VersionNumber.eq(version_number))
                .filter(attempts::Column::SubmittedAt.is_not_null())
                .order_by_asc(attempts::Column::Id)
                .all(&self.db)
                .await?,
        )
    }

    /// Save the answers so far; `false` when the attempt is already submitted.
    pub async fn save_answers(&self, id: i64, answers: String) -> StoreResult<bool> {
        let r = attempts::Entity::update_many()
            .col_expr(attempts::Column::Answers, Expr::value(answers))
            .filter(attempts::Column::Id.eq(id))
            .filter(attempts::Column::SubmittedAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected == 1)
    }

    /// Close an attempt with its result; `false` when it was submitted already (exactly once).
    pub async fn submit_attempt(
        &self,
        id: i64,
        s: Submission,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let r = attempts::Entity::update_many()
            .col_expr(attempts::Column::Answers, Expr::value(s.answers))
            .col_expr(attempts::Column::Results, Expr::value(Some(s.results)))
            .col_expr(attempts::Column::Score, Expr::value(Some(s.score)))
            .col_expr(attempts::Column::MaxScore, Expr::value(Some(s.max_score)))
            .col_expr(attempts::Column::Passed, Expr::value(s.passed))
            .col_expr(attempts::Column::SubmittedAt, Expr::value(Some(now)))
            .filter(attempts::Column::Id.eq(id))
            .filter(attempts::Column::SubmittedAt.is_null())
            .exec(&self.db)
            .await?;
        if r.rows_affected == 1 {
            self.recount_learning_figures(FiguresOf::Attempt(id))
                .await?;
        }
        Ok(r.rows_affected == 1)
    }
}

pub(crate) async fn insert_question<C: ConnectionTrait>(
    db: &C,
    version_id: i64,
    key: &str,
    step_key: Option<String>,
    position: i32,
    body: String,
) -> StoreResult<QuestionRow> {
    course_questions::ActiveModel {
        version_id: Set(version_id),
        question_key: Set(key.to_owned()),
        step_key: Set(step_key),
        position: Set(position),
        body: Set(body),
        revision: Set(0),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(StoreError::from_db)
}

pub(crate) async fn put_settings<C: ConnectionTrait>(
    db: &C,
    version_id: i64,
    s: &EvaluationSettings,
) -> StoreResult<()> {
    let existing = evaluation_settings::Entity::find()
        .filter(evaluation_settings::Column::VersionId.eq(version_id))
        .one(db)
        .await?;
    let mut row = evaluation_settings::ActiveModel {
        version_id: Set(version_id),
        mode: Set(s.mode.as_str().to_owned()),
        pass_mark: Set(s.pass_mark),
        max_attempts: Set(s.max_attempts),
        time_limit_minutes: Set(s.time_limit_minutes),
        shuffle: Set(s.shuffle),
        required_for_completion: Set(s.required_for_completion),
        ..Default::default()
    };
    match existing {
        Some(e) => {
            row.id = Set(e.id);
            row.update(db).await?;
        }
        None => {
            row.insert(db).await?;
        }
    }
    Ok(())
}
