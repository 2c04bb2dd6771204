//! Queries on enrolments and per-step progress.

use crate::{row, rows, word};
use lore_domain::course::EnrolmentSource;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use sea_orm::{ConnectionTrait, DbErr};

use crate::entities::{enrolments, step_progress};
use crate::learning_figures::FiguresOf;
use crate::{Store, StoreError, StoreResult, Timestamp};

pub type ProgressRow = step_progress::Model;

/// How a person came to take a course.
#[derive(Debug, Clone)]
pub struct NewEnrolment {
    pub user_id: i64,
    pub course_id: i64,
    pub version_number: i32,
    /// `self` or `assigned`.
    pub source: EnrolmentSource,
    pub assigned_by: Option<i64>,
    pub due_at: Option<Timestamp>,
    /// A fresh UUID for the event log's `registration` (kept if already enrolled).
    pub registration: String,
}

/// A row of `enrolments`, its words read into domain enums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrolmentRow {
    pub id: i64,
    pub user_id: i64,
    pub course_id: i64,
    pub version_number: i32,
    pub source: EnrolmentSource,
    pub assigned_by: Option<i64>,
    pub due_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub started_at: Option<Timestamp>,
    pub completed_at: Option<Timestamp>,
    pub last_step_key: Option<String>,
    /// The UUID that names this enrolment in the event log.
    pub registration: String,
}

/// A line of "My learning" as stored: see [`Store::learning_lines`].
#[derive(Debug, Clone)]
pub struct LearningLine {
    pub enrolment: EnrolmentRow,
    /// The title of the version the person takes.
    pub title: String,
    pub latest_version: Option<i32>,
    pub required_steps: i64,
    pub done_steps: i64,
}

impl TryFrom<enrolments::Model> for EnrolmentRow {
    type Error = DbErr;

    fn try_from(m: enrolments::Model) -> Result<Self, DbErr> {
        Ok(Self {
            id: m.id,
            user_id: m.user_id,
            course_id: m.course_id,
            version_number: m.version_number,
            source: word(&m.source, EnrolmentSource::parse)?,
            assigned_by: m.assigned_by,
            due_at: m.due_at,
            created_at: m.created_at,
            started_at: m.started_at,
            completed_at: m.completed_at,
            last_step_key: m.last_step_key,
            registration: m
                .registration
                .ok_or_else(|| DbErr::Custom(format!("enrolment {} has no registration", m.id)))?,
        })
    }
}

impl Store {
    /// Enrol, or return the existing enrolment (an assignment adds its due date to it).
    pub async fn enrol(
        &self,
        new: NewEnrolment,
        now: Timestamp,
    ) -> StoreResult<(EnrolmentRow, bool)> {
        if let Some(existing) = self.enrolment(new.user_id, new.course_id).await? {
            if new.source == EnrolmentSource::Assigned {
                enrolments::Entity::update_many()
                    .col_expr(
                        enrolments::Column::Source,
                        Expr::value(EnrolmentSource::Assigned.as_str()),
                    )
                    .col_expr(enrolments::Column::AssignedBy, Expr::value(new.assigned_by))
                    .col_expr(enrolments::Column::DueAt, Expr::value(new.due_at))
                    .filter(enrolments::Column::Id.eq(existing.id))
                    .exec(&self.db)
                    .await?;
                let updated = self
                    .enrolment(new.user_id, new.course_id)
                    .await?
                    .unwrap_or(existing);
                return Ok((updated, false));
            }
            return Ok((existing, false));
        }
        let inserted = enrolments::ActiveModel {
            user_id: Set(new.user_id),
            course_id: Set(new.course_id),
            version_number: Set(new.version_number),
            source: Set(new.source.as_str().to_owned()),
            assigned_by: Set(new.assigned_by),
            due_at: Set(new.due_at),
            created_at: Set(now),
            started_at: Set(None),
            completed_at: Set(None),
            last_step_key: Set(None),
            registration: Set(Some(new.registration)),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from_db);
        match inserted {
            Ok(row) => Ok((row.try_into()?, true)),
            // Two clicks at once: the first one enrolled.
            Err(StoreError::Conflict) => Ok((
                self.enrolment(new.user_id, new.course_id)
                    .await?
                    .ok_or(StoreError::Conflict)?,
                false,
            )),
            Err(e) => Err(e),
        }
    }

    pub async fn enrolment(
        &self,
        user_id: i64,
        course_id: i64,
    ) -> StoreResult<Option<EnrolmentRow>> {
        row(enrolments::Entity::find()
            .filter(enrolments::Column::UserId.eq(user_id))
            .filter(enrolments::Column::CourseId.eq(course_id))
            .one(&self.db)
            .await?)
    }

    pub async fn enrolments_of(&self, user_id: i64) -> StoreResult<Vec<EnrolmentRow>> {
        rows(
            enrolments::Entity::find()
                .filter(enrolments::Column::UserId.eq(user_id))
                .order_by_desc(enrolments::Column::CreatedAt)
                .all(&self.db)
                .await?,
        )
    }

    /// A person's enrolments on active courses, newest first, each with its version's title,
    /// the course's newest version and how many of the version's required steps there are and
    /// are done: "My learning" in one statement however many courses the person takes.
    pub async fn learning_lines(&self, user_id: i64) -> StoreResult<Vec<LearningLine>> {
        let sql = "SELECT e.*, c.latest_version AS latest_version, v.title AS title,
                    (SELECT COUNT(*) FROM course_steps s
                      WHERE s.version_id = v.id AND s.required = $2) AS required_steps,
                    (SELECT COUNT(*) FROM course_steps s
                      JOIN step_progress p ON p.enrolment_id = e.id AND p.step_key = s.step_key
                      WHERE s.version_id = v.id AND s.required = $3
                        AND p.completed_at IS NOT NULL) AS done_steps
             FROM enrolments e
             JOIN courses c ON c.id = e.course_id
             JOIN course_versions v ON v.course_id = e.course_id AND v.number = e.version_number
             WHERE e.user_id = $1 AND c.status = 'active'
             ORDER BY e.created_at DESC, e.id DESC";
        let rows = self
            .db
            .query_all_raw(self.raw(sql, vec![user_id.into(), true.into(), true.into()]))
            .await?;
        rows.iter()
            .map(|r| {
                let model =
                    <enrolments::Model as sea_orm::FromQueryResult>::from_query_result(r, "")?;
                Ok(LearningLine {
                    enrolment: EnrolmentRow::try_from(model)?,
                    title: r.try_get("", "title")?,
                    latest_version: r.try_get("", "latest_version")?,
                    required_steps: r.try_get("", "required_steps")?,
                    done_steps: r.try_get("", "done_steps")?,
                })
            })
            .collect()
    }

    pub async fn enrolments_in(&self, course_id: i64) -> StoreResult<Vec<EnrolmentRow>> {
        rows(
            enrolments::Entity::find()
                .filter(enrolments::Column::CourseId.eq(course_id))
                .all(&self.db)
                .await?,
        )
    }

    /// Record where the learner is; the first call also marks the start.
    pub async fn mark_position(
        &self,
        enrolment: &EnrolmentRow,
        step_key: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut update = enrolments::Entity::update_many()
            .col_expr(
                enrolments::Column::LastStepKey,
                Expr::value(step_key.to_owned()),
            )
            .filter(enrolments::Column::Id.eq(enrolment.id));
        if enrolment.started_at.is_none() {
            update = update.col_expr(enrolments::Column::StartedAt, Expr::value(now));
        }
        update.exec(&self.db).await?;
        Ok(())
    }

    /// Move an enrolment to another version (progress follows the step keys).
    pub async fn switch_version(&self, enrolment_id: i64, number: i32) -> StoreResult<()> {
        enrolments::Entity::update_many()
            .col_expr(enrolments::Column::VersionNumber, Expr::value(number))
            .col_expr(
                enrolments::Column::CompletedAt,
                Expr::value(Option::<Timestamp>::None),
            )
            .filter(enrolments::Column::Id.eq(enrolment_id))
            .exec(&self.db)
            .await?;
        self.recount_learning_figures(FiguresOf::Enrolment(enrolment_id))
            .await?;
        Ok(())
    }

    pub async fn mark_completed(&self, enrolment_id: i64, now: Timestamp) -> StoreResult<bool> {
        let r = enrolments::Entity::update_many()
            .col_expr(enrolments::Column::CompletedAt, Expr::value(now))
            .filter(enrolments::Column::Id.eq(enrolment_id))
            .filter(enrolments::Column::CompletedAt.is_null())
            .exec(&self.db)
            .await?;
        if r.rows_affected == 1 {
            self.recount_learning_figures(FiguresOf::Enrolment(enrolment_id))
                .await?;
        }
        Ok(r.rows_affected == 1)
    }

    /// Every enrolment, a page at a time by id (for replays and exports).
    pub async fn enrolments_after(
        &self,
        after_id: i64,
        limit: u64,
    ) -> StoreResult<Vec<EnrolmentRow>> {
        use sea_orm::{QueryOrder, QuerySelect};
        rows(
            enrolments::Entity::find()
                .filter(enrolments::Column::Id.gt(after_id))
                .order_by_asc(enrolments::Column::Id)
                .limit(limit)
                .all(&self.db)
                .await?,
        )
    }

    /// The finished steps of some enrolments.
    pub async fn done_steps_of(&self, enrolment_ids: &[i64]) -> StoreResult<Vec<ProgressRow>> {
        Ok(step_progress::Entity::find()
            .filter(step_progress::Column::EnrolmentId.is_in(enrolment_ids.iter().copied()))
            .filter(step_progress::Column::CompletedAt.is_not_null())
            .all(&self.db)
            .await?)
    }

    pub async fn progress_of(&self, enrolment_id: i64) -> StoreResult<Vec<ProgressRow>> {
        Ok(step_progress::Entity::find()
            .filter(step_progress::Column::EnrolmentId.eq(enrolment_id))
            .all(&self.db)
            .await?)
    }

    /// Note a view of a step and add the time spent on it; `complete` marks it done.
    /// Returns whether the step became complete with this call.
    pub async fn record_step(
        &self,
        enrolment_id: i64,
        step_key: &str,
        seconds: i64,
        complete: bool,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let existing = step_progress::Entity::find()
            .filter(step_progress::Column::EnrolmentId.eq(enrolment_id))
            .filter(step_progress::Column::StepKey.eq(step_key))
            .one(&self.db)
            .await?;
        match existing {
            None => {
                let inserted = step_progress::ActiveModel {
                    enrolment_id: Set(enrolment_id),
                    step_key: Set(step_key.to_owned()),
                    first_viewed_at: Set(now),
                    completed_at: Set(complete.then_some(now)),
                    seconds_spent: Set(seconds),
                    ..Default::default()
                }
                .insert(&self.db)
                .await
                .map_err(StoreError::from_db);
                match inserted {
                    Ok(_) => Ok(complete),
                    Err(StoreError::Conflict) => {
                        Box::pin(self.record_step(enrolment_id, step_key, seconds, complete, now))
                            .await
                    }
                    Err(e) => Err(e),
                }
            }
            Some(row) => {
                let newly = complete && row.completed_at.is_none();
                let mut update = step_progress::Entity::update_many()
                    .col_expr(
                        step_progress::Column::SecondsSpent,
                        Expr::col(step_progress::Column::SecondsSpent).add(seconds),
                    )
                    .filter(step_progress::Column::Id.eq(row.id));
                if newly {
                    update = update.col_expr(step_progress::Column::CompletedAt, Expr::value(now));
                }
                update.exec(&self.db).await?;
                Ok(newly)
            }
        }
    }
}
