//! Experts named to review a course's open answers (m0034, docs/decisions/0046): who they
//! are, naming one (once) and removing one.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entities::answer_reviewers;
use crate::{Store, StoreError, StoreResult, Timestamp};

impl Store {
    /// The people named to review a course's open answers, in the order they were named.
    pub async fn answer_reviewers(&self, course_id: i64) -> StoreResult<Vec<i64>> {
        Ok(answer_reviewers::Entity::find()
            .filter(answer_reviewers::Column::CourseId.eq(course_id))
            .order_by_asc(answer_reviewers::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| r.user_id)
            .collect())
    }

    /// Name a reviewer; `false` when they were named already (nothing changes).
    pub async fn add_answer_reviewer(
        &self,
        course_id: i64,
        user_id: i64,
        added_by: i64,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let r = answer_reviewers::ActiveModel {
            course_id: Set(course_id),
            user_id: Set(user_id),
            added_by: Set(added_by),
            added_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await;
        match r.map_err(StoreError::from_db) {
            Ok(_) => Ok(true),
            Err(StoreError::Conflict) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Remove a named reviewer; `false` when they were not one.
    pub async fn remove_answer_reviewer(&self, course_id: i64, user_id: i64) -> StoreResult<bool> {
        let r = answer_reviewers::Entity::delete_many()
            .filter(answer_reviewers::Column::CourseId.eq(course_id))
            .filter(answer_reviewers::Column::UserId.eq(user_id))
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected > 0)
    }
}
