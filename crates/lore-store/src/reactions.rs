//! Reactions on steps: one of each kind per person, step and version; their counts, the
//! people who viewed (for the reaction score), and the author's resolution.

use crate::{row, rows, word};
use lore_domain::reactions::{ReactionKind, ReactionStatus};
use sea_orm::DbErr;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::entities::reactions;
use crate::{Store, StoreError, StoreResult, Timestamp};

/// A reaction about to be stored.
#[derive(Debug, Clone)]
pub struct NewReaction {
    pub course_id: i64,
    pub version_number: i32,
    pub step_key: String,
    pub user_id: i64,
    pub kind: ReactionKind,
    pub comment: Option<String>,
    /// `Some(Open)` for negative kinds.
    pub status: Option<ReactionStatus>,
}

/// How an author resolved a reaction.
#[derive(Debug, Clone)]
pub struct ReactionResolution {
    pub status: ReactionStatus,
    pub note: Option<String>,
    pub fixed_in_version: Option<i32>,
    pub resolved_by: i64,
}

/// Reactions of one kind on one step (all versions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReactionCount {
    pub step_key: String,
    pub kind: String,
    pub count: u64,
}

/// A row of `reactions`, its words read into domain enums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReactionRow {
    pub id: i64,
    pub course_id: i64,
    pub version_number: i32,
    pub step_key: String,
    pub user_id: i64,
    pub kind: ReactionKind,
    pub comment: Option<String>,
    pub created_at: Timestamp,
    pub status: Option<ReactionStatus>,
    pub resolution_note: Option<String>,
    pub fixed_in_version: Option<i32>,
    pub resolved_by: Option<i64>,
    pub resolved_at: Option<Timestamp>,
}

impl TryFrom<reactions::Model> for ReactionRow {
    type Error = DbErr;

    fn try_from(m: reactions::Model) -> Result<Self, DbErr> {
        Ok(Self {
            id: m.id,
            course_id: m.course_id,
            version_number: m.version_number,
            step_key: m.step_key,
            user_id: m.user_id,
            kind: word(&m.kind, ReactionKind::parse)?,
            comment: m.comment,
            created_at: m.created_at,
            status: m
                .status
                .as_deref()
                .map(|w| word(w, ReactionStatus::parse))
                .transpose()?,
            resolution_note: m.resolution_note,
            fixed_in_version: m.fixed_in_version,
            resolved_by: m.resolved_by,
            resolved_at: m.resolved_at,
        })
    }
}

impl Store {
    /// Store a reaction; `Conflict` when the person already reacted so on this step.
    pub async fn insert_reaction(
        &self,
        r: NewReaction,
        now: Timestamp,
    ) -> StoreResult<ReactionRow> {
        reactions::ActiveModel {
            course_id: Set(r.course_id),
            version_number: Set(r.version_number),
            step_key: Set(r.step_key),
            user_id: Set(r.user_id),
            kind: Set(r.kind.as_str().to_owned()),
            comment: Set(r.comment),
            created_at: Set(now),
            status: Set(r.status.map(|s| s.as_str().to_owned())),
            resolution_note: Set(None),
            fixed_in_version: Set(None),
            resolved_by: Set(None),
            resolved_at: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from_db)?
        .try_into()
        .map_err(StoreError::Db)
    }

    pub async fn reaction(&self, id: i64) -> StoreResult<Option<ReactionRow>> {
        row(reactions::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn delete_reaction(&self, id: i64, user_id: i64) -> StoreResult<bool> {
        let r = reactions::Entity::delete_many()
            .filter(reactions::Column::Id.eq(id))
            .filter(reactions::Column::UserId.eq(user_id))
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected == 1)
    }

    /// A person's reactions on one step of one version.
    pub async fn my_reactions(
        &self,
        user_id: i64,
        course_id: i64,
        version_number: i32,
        step_key: &str,
    ) -> StoreResult<Vec<ReactionRow>> {
        rows(
            reactions::Entity::find()
                .filter(reactions::Column::UserId.eq(user_id))
                .filter(reactions::Column::CourseId.eq(course_id))
                .filter(reactions::Column::VersionNumber.eq(version_number))
                .filter(reactions::Column::StepKey.eq(step_key))
                .order_by_asc(reactions::Column::Id)
                .all(&self.db)
                .await?,
        )
    }

    /// Reactions of a course with a comment or a status (the ones an author reads), newest first.
    pub async fn course_reactions(&self, course_id: i64) -> StoreResult<Vec<ReactionRow>> {
        rows(
            reactions::Entity::find()
                .filter(reactions::Column::CourseId.eq(course_id))
                .order_by_desc(reactions::Column::Id)
                .all(&self.db)
                .await?,
        )
    }

    /// Counts per step and kind over every version of a course.
    pub async fn reaction_counts(&self, course_id: i64) -> StoreResult<Vec<ReactionCount>> {
        let rows = self
            .db
            .query_all_raw(self.raw(
                "SELECT step_key, kind, COUNT(*) AS n FROM reactions \
                 WHERE course_id = $1 GROUP BY step_key, kind ORDER BY step_key, kind",
                vec![course_id.into()],
            ))
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(ReactionCount {
                step_key: r.try_get("", "step_key")?,
                kind: r.try_get("", "kind")?,
                count: r.try_get::<i64>("", "n")?.max(0) as u64,
            });
        }
        Ok(out)
    }

    /// Open negative reactions of one kind on a course.
    pub async fn open_reaction_count(
        &self,
        course_id: i64,
        kind: ReactionKind,
    ) -> StoreResult<u64> {
        Ok(reactions::Entity::find()
            .filter(reactions::Column::CourseId.eq(course_id))
            .filter(reactions::Column::Kind.eq(kind.as_str()))
            .filter(reactions::Column::Status.eq(ReactionStatus::Open.as_str()))
            .count(&self.db)
            .await?)
    }

    /// Open negative reactions of every kind on a course: what waits for its authors.
    pub async fn open_reaction_total(&self, course_id: i64) -> StoreResult<u64> {
        Ok(reactions::Entity::find()
            .filter(reactions::Column::CourseId.eq(course_id))
            .filter(reactions::Column::Status.eq(ReactionStatus::Open.as_str()))
            .count(&self.db)
            .await?)
    }

    /// People who viewed each step of a course (any version): (step key, people).
    pub async fn step_viewers(&self, course_id: i64) -> StoreResult<Vec<(String, u64)>> {
        let rows = self
            .db
            .query_all_raw(self.raw(
                "SELECT sp.step_key AS step_key, COUNT(DISTINCT e.user_id) AS n \
                 FROM step_progress sp JOIN enrolments e ON e.id = sp.enrolment_id \
                 WHERE e.course_id = $1 GROUP BY sp.step_key",
                vec![course_id.into()],
            ))
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push((
                r.try_get("", "step_key")?,
                r.try_get::<i64>("", "n")?.max(0) as u64,
            ));
        }
        Ok(out)
    }

    /// People who viewed at least one step of a course.
    pub async fn course_viewers(&self, course_id: i64) -> StoreResult<u64> {
        let row = self
            .db
            .query_one_raw(self.raw(
                "SELECT COUNT(DISTINCT e.user_id) AS n \
                 FROM step_progress sp JOIN enrolments e ON e.id = sp.enrolment_id \
                 WHERE e.course_id = $1",
                vec![course_id.into()],
            ))
            .await?;
        Ok(match row {
            Some(r) => r.try_get::<i64>("", "n")?.max(0) as u64,
            None => 0,
        })
    }

    /// Resolve an open reaction; `false` when it was resolved already (or is not open).
    pub async fn resolve_reaction(
        &self,
        id: i64,
        res: ReactionResolution,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let r = reactions::Entity::update_many()
            .col_expr(reactions::Column::Status, Expr::value(res.status.as_str()))
            .col_expr(reactions::Column::ResolutionNote, Expr::value(res.note))
            .col_expr(
                reactions::Column::FixedInVersion,
                Expr::value(res.fixed_in_version),
            )
            .col_expr(reactions::Column::ResolvedBy, Expr::value(res.resolved_by))
            .col_expr(reactions::Column::ResolvedAt, Expr::value(now))
            .filter(reactions::Column::Id.eq(id))
            .filter(reactions::Column::Status.eq(ReactionStatus::Open.as_str()))
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected == 1)
    }
}
