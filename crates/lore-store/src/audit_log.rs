//! The audit log of administrative actions: written inside the action's transaction,
//! read filtered and paginated in SQL.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, Set,
};

use crate::entities::audit_log;
use crate::{Store, StoreResult, Timestamp};

pub type AuditRow = audit_log::Model;

/// One administrative action about to be recorded.
#[derive(Debug, Clone)]
pub struct NewAudit<'a> {
    pub actor_id: Option<i64>,
    pub actor_name: &'a str,
    pub action: &'static str,
    pub target: String,
    pub detail: String,
}

/// Which rows of the log to read; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_id: Option<i64>,
    pub action: Option<&'static str>,
    /// From this moment on (inclusive).
    pub since: Option<Timestamp>,
    /// Before this moment (exclusive).
    pub until: Option<Timestamp>,
}

impl AuditFilter {
    fn apply(&self, mut q: Select<audit_log::Entity>) -> Select<audit_log::Entity> {
        if let Some(a) = self.actor_id {
            q = q.filter(audit_log::Column::ActorId.eq(a));
        }
        if let Some(a) = self.action {
            q = q.filter(audit_log::Column::Action.eq(a));
        }
        if let Some(t) = self.since {
            q = q.filter(audit_log::Column::At.gte(t));
        }
        if let Some(t) = self.until {
            q = q.filter(audit_log::Column::At.lt(t));
        }
        q
    }
}

impl Store {
    pub async fn insert_audit(&self, row: NewAudit<'_>, now: Timestamp) -> StoreResult<()> {
        audit_log::ActiveModel {
            at: Set(now),
            actor_id: Set(row.actor_id),
            actor_name: Set(row.actor_name.to_owned()),
            action: Set(row.action.to_owned()),
            target: Set(row.target),
            detail: Set(row.detail),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(())
    }

    /// One page (from 0) of the log, newest first, with how many rows match.
    pub async fn audit_page(
        &self,
        filter: &AuditFilter,
        page_size: u64,
        page: u64,
    ) -> StoreResult<(Vec<AuditRow>, u64)> {
        let select = filter.apply(audit_log::Entity::find());
        let total = select.clone().count(&self.db).await?;
        let page_size = page_size.max(1);
        let Some(offset) = page.checked_mul(page_size).filter(|o| *o < total) else {
            return Ok((Vec::new(), total));
        };
        let rows = select
            .order_by_desc(audit_log::Column::At)
            .order_by_desc(audit_log::Column::Id)
            .offset(offset)
            .limit(page_size)
            .all(&self.db)
            .await?;
        Ok((rows, total))
    }

    /// Every matching row, oldest first, at most `limit` (for the CSV export).
    pub async fn audit_rows(&self, filter: &AuditFilter, limit: u64) -> StoreResult<Vec<AuditRow>> {
        Ok(filter
            .apply(audit_log::Entity::find())
            .order_by_asc(audit_log::Column::At)
            .order_by_asc(audit_log::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    /// Everyone who appears as an actor in the log: (id, newest name), by name.
    pub async fn audit_actors(&self) -> StoreResult<Vec<(i64, String)>> {
        let rows: Vec<(Option<i64>, Option<String>)> = audit_log::Entity::find()
            .select_only()
            .column(audit_log::Column::ActorId)
            .column_as(audit_log::Column::ActorName.max(), "name")
            .filter(audit_log::Column::ActorId.is_not_null())
            .group_by(audit_log::Column::ActorId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut out: Vec<(i64, String)> = rows
            .into_iter()
            .filter_map(|(id, name)| Some((id?, name.unwrap_or_default())))
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        Ok(out)
    }
}
