//! Reviews of open answers (essays, m0032): the attempts of a course waiting for review, the
//! reviews given, and writing an attempt's final result once its essays are all reviewed.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entities::{attempts, essay_reviews, peer_review_settings};
use crate::learning_figures::FiguresOf;
use crate::{AttemptRow, Store, StoreError, StoreResult, Timestamp, rows};

pub type EssayReviewRow = essay_reviews::Model;

/// A review about to be written.
#[derive(Debug, Clone)]
pub struct NewEssayReview {
    pub attempt_id: i64,
    pub question_key: String,
    pub reviewer_id: i64,
    /// JSON array of points, in the rubric's order.
    pub points: String,
    pub comment: String,
    pub score: f64,
    pub max_score: f64,
    /// Given by a peer, not a coach (m0036).
    pub by_peer: bool,
}

impl Store {
    /// Submitted attempts at a course whose result waits for a review (`passed` unknown),
    /// oldest first.
    pub async fn attempts_waiting_review(&self, course_id: i64) -> StoreResult<Vec<AttemptRow>> {
        rows(
            attempts::Entity::find()
                .filter(attempts::Column::CourseId.eq(course_id))
                .filter(attempts::Column::Passed.is_null())
                .filter(attempts::Column::SubmittedAt.is_not_null())
                .order_by_asc(attempts::Column::SubmittedAt)
                .order_by_asc(attempts::Column::Id)
                .all(&self.db)
                .await?,
        )
    }

    /// The reviews of an attempt's essays.
    pub async fn essay_reviews_of(&self, attempt_id: i64) -> StoreResult<Vec<EssayReviewRow>> {
        Ok(essay_reviews::Entity::find()
            .filter(essay_reviews::Column::AttemptId.eq(attempt_id))
            .order_by_asc(essay_reviews::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// The reviews of the essays of several attempts.
    pub async fn essay_reviews_of_attempts(
        &self,
        attempt_ids: &[i64],
    ) -> StoreResult<Vec<EssayReviewRow>> {
        if attempt_ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(essay_reviews::Entity::find()
            .filter(essay_reviews::Column::AttemptId.is_in(attempt_ids.iter().copied()))
            .order_by_asc(essay_reviews::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// Write a review; `Err(Conflict)` when the essay was reviewed already.
    pub async fn insert_essay_review(
        &self,
        r: NewEssayReview,
        now: Timestamp,
    ) -> StoreResult<EssayReviewRow> {
        essay_reviews::ActiveModel {
            attempt_id: Set(r.attempt_id),
            question_key: Set(r.question_key),
            reviewer_id: Set(r.reviewer_id),
            points: Set(r.points),
            comment: Set(r.comment),
            score: Set(r.score),
            max_score: Set(r.max_score),
            by_peer: Set(r.by_peer),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from_db)
    }

    /// A course's peer review setting (m0036): (peers per answer, disagreement threshold in
    /// points); `None` when peer review is off.
    pub async fn peer_review_setting(&self, course_id: i64) -> StoreResult<Option<(i32, f64)>> {
        Ok(peer_review_settings::Entity::find()
            .filter(peer_review_settings::Column::CourseId.eq(course_id))
            .one(&self.db)
            .await?
            .map(|r| (r.peers, r.threshold)))
    }

    /// Set a course's peer review (`None` turns it off), replacing what was set.
    pub async fn set_peer_review(
        &self,
        course_id: i64,
        setting: Option<(i32, f64)>,
        by: i64,
        now: Timestamp,
    ) -> StoreResult<()> {
        peer_review_settings::Entity::delete_many()
            .filter(peer_review_settings::Column::CourseId.eq(course_id))
            .exec(&self.db)
            .await?;
        if let Some((peers, threshold)) = setting {
            peer_review_settings::ActiveModel {
                course_id: Set(course_id),
                peers: Set(peers),
                threshold: Set(threshold),
                updated_by: Set(by),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&self.db)
            .await
            .map_err(StoreError::from_db)?;
        }
        Ok(())
    }

    /// Write the final result of an attempt that waited for review; `false` when it has one
    /// already (exactly once). The course's learning figures are recounted.
    pub async fn score_reviewed_attempt(
        &self,
        id: i64,
        results: String,
        score: f64,
        max_score: f64,
        passed: bool,
    ) -> StoreResult<bool> {
        let r = attempts::Entity::update_many()
            .col_expr(attempts::Column::Results, Expr::value(Some(results)))
            .col_expr(attempts::Column::Score, Expr::value(Some(score)))
            .col_expr(attempts::Column::MaxScore, Expr::value(Some(max_score)))
            .col_expr(attempts::Column::Passed, Expr::value(Some(passed)))
            .filter(attempts::Column::Id.eq(id))
            .filter(attempts::Column::SubmittedAt.is_not_null())
            .filter(attempts::Column::Passed.is_null())
            .exec(&self.db)
            .await?;
        if r.rows_affected == 1 {
            self.recount_learning_figures(FiguresOf::Attempt(id))
                .await?;
        }
        Ok(r.rows_affected == 1)
    }
}
