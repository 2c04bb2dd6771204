//! Suggested edits to text steps and the author's decisions on them.

use crate::{row, rows, word};
use lore_domain::suggested_edit::SuggestedEditStatus;
use sea_orm::DbErr;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use crate::entities::suggested_edits;
use crate::{Store, StoreResult, Timestamp};

/// A suggestion about to be stored, with the text it was made on.
#[derive(Debug, Clone)]
pub struct NewSuggestedEdit {
    pub course_id: i64,
    pub step_key: String,
    pub base_version: i32,
    pub base_title: String,
    pub base_body: String,
    pub proposed_body: String,
    pub reason: String,
    pub proposer_id: i64,
}

/// The author's decision.
#[derive(Debug, Clone)]
pub struct EditDecision {
    /// `accepted` or `declined`.
    pub status: SuggestedEditStatus,
    pub decided_by: i64,
    pub note: Option<String>,
    pub accepted_body: Option<String>,
    pub accepted_into_version: Option<i32>,
}

/// A row of `suggested_edits`, its words read into domain enums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuggestedEditRow {
    pub id: i64,
    pub course_id: i64,
    pub step_key: String,
    pub base_version: i32,
    pub base_title: String,
    pub base_body: String,
    pub proposed_body: String,
    pub reason: String,
    pub proposer_id: i64,
    pub created_at: Timestamp,
    pub status: SuggestedEditStatus,
    pub decided_by: Option<i64>,
    pub decided_at: Option<Timestamp>,
    pub decision_note: Option<String>,
    /// The text that went into the draft (the proposal, or the author's edit of it).
    pub accepted_body: Option<String>,
    pub accepted_into_version: Option<i32>,
}

impl TryFrom<suggested_edits::Model> for SuggestedEditRow {
    type Error = DbErr;

    fn try_from(m: suggested_edits::Model) -> Result<Self, DbErr> {
        Ok(Self {
            id: m.id,
            course_id: m.course_id,
            step_key: m.step_key,
            base_version: m.base_version,
            base_title: m.base_title,
            base_body: m.base_body,
            proposed_body: m.proposed_body,
            reason: m.reason,
            proposer_id: m.proposer_id,
            created_at: m.created_at,
            status: word(&m.status, SuggestedEditStatus::parse)?,
            decided_by: m.decided_by,
            decided_at: m.decided_at,
            decision_note: m.decision_note,
            accepted_body: m.accepted_body,
            accepted_into_version: m.accepted_into_version,
        })
    }
}

impl Store {
    pub async fn insert_suggested_edit(
        &self,
        e: NewSuggestedEdit,
        now: Timestamp,
    ) -> StoreResult<SuggestedEditRow> {
        Ok(suggested_edits::ActiveModel {
            course_id: Set(e.course_id),
            step_key: Set(e.step_key),
            base_version: Set(e.base_version),
            base_title: Set(e.base_title),
            base_body: Set(e.base_body),
            proposed_body: Set(e.proposed_body),
            reason: Set(e.reason),
            proposer_id: Set(e.proposer_id),
            created_at: Set(now),
            status: Set(SuggestedEditStatus::Open.as_str().to_owned()),
            decided_by: Set(None),
            decided_at: Set(None),
            decision_note: Set(None),
            accepted_body: Set(None),
            accepted_into_version: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await?
        .try_into()?)
    }

    pub async fn suggested_edit(&self, id: i64) -> StoreResult<Option<SuggestedEditRow>> {
        row(suggested_edits::Entity::find_by_id(id)
            .one(&self.db)
            .await?)
    }

    /// Suggestions on a course, open ones first, newest first within.
    pub async fn suggested_edits_of(&self, course_id: i64) -> StoreResult<Vec<SuggestedEditRow>> {
        let models = suggested_edits::Entity::find()
            .filter(suggested_edits::Column::CourseId.eq(course_id))
            .order_by_desc(suggested_edits::Column::Id)
            .all(&self.db)
            .await?;
        let mut rows: Vec<SuggestedEditRow> = rows(models)?;
        rows.sort_by_key(|r| r.status != SuggestedEditStatus::Open);
        Ok(rows)
    }

    pub async fn open_suggested_edit_count(&self, course_id: i64) -> StoreResult<u64> {
        Ok(suggested_edits::Entity::find()
            .filter(suggested_edits::Column::CourseId.eq(course_id))
            .filter(suggested_edits::Column::Status.eq(SuggestedEditStatus::Open.as_str()))
            .count(&self.db)
            .await?)
    }

    /// How many suggestions a person sent since `since` (for the spam limit).
    pub async fn suggested_edits_since(&self, user_id: i64, since: Timestamp) -> StoreResult<u64> {
        Ok(suggested_edits::Entity::find()
            .filter(suggested_edits::Column::ProposerId.eq(user_id))
            .filter(suggested_edits::Column::CreatedAt.gt(since))
            .count(&self.db)
            .await?)
    }

    /// Suggestions accepted into the draft that became `version` of a course.
    pub async fn edits_accepted_into(
        &self,
        course_id: i64,
        version: i32,
    ) -> StoreResult<Vec<SuggestedEditRow>> {
        rows(
            suggested_edits::Entity::find()
                .filter(suggested_edits::Column::CourseId.eq(course_id))
                .filter(suggested_edits::Column::AcceptedIntoVersion.eq(version))
                .filter(suggested_edits::Column::Status.eq(SuggestedEditStatus::Accepted.as_str()))
                .order_by_asc(suggested_edits::Column::Id)
                .all(&self.db)
                .await?,
        )
    }

    /// Decide an open suggestion; `false` when someone decided it already.
    pub async fn decide_suggested_edit(
        &self,
        id: i64,
        d: EditDecision,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let r = suggested_edits::Entity::update_many()
            .col_expr(
                suggested_edits::Column::Status,
                Expr::value(d.status.as_str()),
            )
            .col_expr(
                suggested_edits::Column::DecidedBy,
                Expr::value(d.decided_by),
            )
            .col_expr(suggested_edits::Column::DecidedAt, Expr::value(now))
            .col_expr(suggested_edits::Column::DecisionNote, Expr::value(d.note))
            .col_expr(
                suggested_edits::Column::AcceptedBody,
                Expr::value(d.accepted_body),
            )
            .col_expr(
                suggested_edits::Column::AcceptedIntoVersion,
                Expr::value(d.accepted_into_version),
            )
            .filter(suggested_edits::Column::Id.eq(id))
            .filter(suggested_edits::Column::Status.eq(SuggestedEditStatus::Open.as_str()))
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected == 1)
    }
}
