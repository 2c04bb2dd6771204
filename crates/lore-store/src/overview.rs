//! Figures for the administrators' overview, each one `COUNT(*)`.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::entities::{courses, needs, users};
use crate::{Store, StoreResult};

/// How much the instance holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InstanceCounts {
    pub people: u64,
    pub active_people: u64,
    pub courses: u64,
    pub needs: u64,
}

impl Store {
    pub async fn instance_counts(&self) -> StoreResult<InstanceCounts> {
        Ok(InstanceCounts {
            people: users::Entity::find().count(&self.db).await?,
            active_people: users::Entity::find()
                .filter(users::Column::Active.eq(true))
                .count(&self.db)
                .await?,
            courses: courses::Entity::find().count(&self.db).await?,
            needs: needs::Entity::find().count(&self.db).await?,
        })
    }
}
