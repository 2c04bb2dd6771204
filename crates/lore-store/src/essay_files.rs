//! Files attached to essay answers (m0037): one per (attempt, question).

use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};

use crate::entities::essay_files;
use crate::{Store, StoreResult, Timestamp};

pub type EssayFileRow = essay_files::Model;

impl Store {
    /// Attach a file to an answer, replacing the one it had.
    pub async fn put_essay_file(
        &self,
        attempt_id: i64,
        question_key: &str,
        hash: &str,
        name: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        essay_files::Entity::insert(essay_files::ActiveModel {
            attempt_id: Set(attempt_id),
            question_key: Set(question_key.to_owned()),
            hash: Set(hash.to_owned()),
            name: Set(name.to_owned()),
            created_at: Set(now),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([
                essay_files::Column::AttemptId,
                essay_files::Column::QuestionKey,
            ])
            .update_columns([
                essay_files::Column::Hash,
                essay_files::Column::Name,
                essay_files::Column::CreatedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await?;
        Ok(())
    }

    /// The file attached to an answer, if any.
    pub async fn essay_file(
        &self,
        attempt_id: i64,
        question_key: &str,
    ) -> StoreResult<Option<EssayFileRow>> {
        Ok(essay_files::Entity::find()
            .filter(essay_files::Column::AttemptId.eq(attempt_id))
            .filter(essay_files::Column::QuestionKey.eq(question_key))
            .one(&self.db)
            .await?)
    }

    /// The files attached to the answers of several attempts.
    pub async fn essay_files_of_attempts(
        &self,
        attempt_ids: &[i64],
    ) -> StoreResult<Vec<EssayFileRow>> {
        if attempt_ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(essay_files::Entity::find()
            .filter(essay_files::Column::AttemptId.is_in(attempt_ids.iter().copied()))
            .order_by_asc(essay_files::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// Whether a blob is attached to some answer (then only the answer's route serves it).
    pub async fn is_essay_file(&self, hash: &str) -> StoreResult<bool> {
        Ok(essay_files::Entity::find()
            .filter(essay_files::Column::Hash.eq(hash))
            .count(&self.db)
            .await?
            > 0)
    }
}
