//! Queries on `blobs`: one row per stored file, keyed by the SHA-256 of its content.

use sea_orm::{EntityTrait, PaginatorTrait, Set, TryInsertResult};

use crate::entities::blobs;
use crate::{Store, StoreResult};

pub type BlobRow = blobs::Model;

impl Store {
    /// Record a blob unless a row with the same hash exists. Content-addressed, so the
    /// first row wins and a second upload of the same bytes changes nothing.
    /// Returns the row as stored and whether this call inserted it.
    pub async fn insert_blob_if_absent(&self, row: BlobRow) -> StoreResult<(BlobRow, bool)> {
        let hash = row.hash.clone();
        let active: blobs::ActiveModel = blobs::ActiveModel {
            hash: Set(row.hash.clone()),
            size: Set(row.size),
            content_type: Set(row.content_type.clone()),
            original_name: Set(row.original_name.clone()),
            created_at: Set(row.created_at),
        };
        let inserted = match blobs::Entity::insert(active)
            .on_conflict_do_nothing()
            .exec_without_returning(&self.db)
            .await?
        {
            TryInsertResult::Inserted(n) => n > 0,
            TryInsertResult::Empty | TryInsertResult::Conflicted => false,
        };
        if inserted {
            return Ok((row, true));
        }
        match self.blob(&hash).await? {
            Some(existing) => Ok((existing, false)),
            // Only reachable if the row was deleted between the two statements.
            None => Err(crate::StoreError::Db(sea_orm::DbErr::RecordNotFound(
                "blob row vanished after a conflicting insert".to_owned(),
            ))),
        }
    }

    /// The blob with this hash, if recorded.
    pub async fn blob(&self, hash: &str) -> StoreResult<Option<BlobRow>> {
        Ok(blobs::Entity::find_by_id(hash.to_owned())
            .one(&self.db)
            .await?)
    }

    /// How many blobs are recorded (for tests and statistics).
    pub async fn count_blobs(&self) -> StoreResult<u64> {
        Ok(blobs::Entity::find().count(&self.db).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_second_insert_of_the_same_hash_keeps_the_first_row() {
        let (_dir, store) = crate::test_support::fresh_sqlite().await;
        store.migrate().await.expect("migrate");
        let now = crate::test_support::NOW;
        let row = BlobRow {
            hash: "ab".repeat(32),
            size: 3,
            content_type: "image/png".to_owned(),
            original_name: "first.png".to_owned(),
            created_at: now,
        };
        let (stored, inserted) = store
            .insert_blob_if_absent(row.clone())
            .await
            .expect("insert");
        assert!(inserted);
        assert_eq!(stored, row);
        let (again, inserted) = store
            .insert_blob_if_absent(BlobRow {
                original_name: "second.png".to_owned(),
                ..row.clone()
            })
            .await
            .expect("insert again");
        assert!(!inserted);
        assert_eq!(again.original_name, "first.png");
        assert_eq!(store.count_blobs().await.expect("count"), 1);
        assert_eq!(store.blob(&row.hash).await.expect("get"), Some(row));
        assert_eq!(store.blob(&"cd".repeat(32)).await.expect("get"), None);
    }
}
