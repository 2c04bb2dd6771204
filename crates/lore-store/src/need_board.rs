//! The needs board's reads: the needs a caller may see (their scope in the `WHERE` clause)
//! and, in one statement each, the audiences, votes and audience sizes of exactly those needs.
//! Each read costs one statement however many needs exist.

use lore_domain::visibility::Scope;
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::entities::needs;
use crate::visibility::{Sql, visible_need};
use crate::{NeedRow, NeedVoteRow, Store, StoreResult};

/// `n.id IN (…the needs the scope may see, merged ones left out…)`.
fn visible_ids(sql: &mut Sql, column: &str, scope: &Scope) -> String {
    let visible = visible_need(sql, scope);
    format!("{column} IN (SELECT n.id FROM needs n WHERE n.status <> 'merged' AND {visible})")
}

impl Store {
    /// Every need the scope may see but merged ones, newest first.
    pub async fn visible_needs(&self, scope: &Scope) -> StoreResult<Vec<NeedRow>> {
        let mut sql = Sql::default();
        let visible = visible_need(&mut sql, scope);
        sql.push(&format!(
            "SELECT n.* FROM needs n WHERE n.status <> 'merged' AND {visible} ORDER BY n.id DESC"
        ));
        crate::rows(
            needs::Entity::find()
                .from_raw_sql(self.raw(&sql.text, sql.values))
                .all(&self.db)
                .await?,
        )
    }

    /// Audience groups of the needs the scope may see, as (need id, group id).
    pub async fn visible_need_audiences(&self, scope: &Scope) -> StoreResult<Vec<(i64, i64)>> {
        let mut sql = Sql::default();
        let ids = visible_ids(&mut sql, "na.need_id", scope);
        sql.push(&format!(
            "SELECT na.need_id, na.group_id FROM need_audiences na WHERE {ids}
             ORDER BY na.need_id, na.group_id"
        ));
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("", "need_id")?, r.try_get("", "group_id")?)))
            .collect()
    }

    /// Votes on the needs the scope may see.
    pub async fn visible_need_votes(&self, scope: &Scope) -> StoreResult<Vec<NeedVoteRow>> {
        let mut sql = Sql::default();
        let ids = visible_ids(&mut sql, "v.need_id", scope);
        sql.push(&format!("SELECT v.* FROM need_votes v WHERE {ids}"));
        Ok(crate::entities::need_votes::Entity::find()
            .from_raw_sql(self.raw(&sql.text, sql.values))
            .all(&self.db)
            .await?)
    }

    /// The marker that changes whenever memberships, active people or the group tree may
    /// have changed (set by triggers, migration m0014): figures cached under one value are
    /// still true while it holds.
    pub async fn people_generation(&self) -> StoreResult<i64> {
        let row = self
            .db
            .query_one_raw(self.raw(
                "SELECT value FROM generations WHERE name = 'people'",
                Vec::new(),
            ))
            .await?;
        Ok(row
            .map(|r| r.try_get::<i64>("", "value"))
            .transpose()?
            .unwrap_or(0))
    }

    /// For each audience (a set of groups), the active people in those groups and the groups
    /// below them, each counted once; in the order given. One statement for any number of
    /// audiences: the board's needs share a handful of them.
    pub async fn audience_sizes(&self, audiences: &[Vec<i64>]) -> StoreResult<Vec<u64>> {
        let mut sql = Sql::default();
        let mut pairs = Vec::new();
        for (i, groups) in audiences.iter().enumerate() {
            for g in groups {
                let set = sql.bind(i as i64);
                let group = sql.bind(*g);
                pairs.push(format!("(CAST({set} AS BIGINT), CAST({group} AS BIGINT))"));
            }
        }
        let mut sizes = vec![0; audiences.len()];
        if pairs.is_empty() {
            return Ok(sizes);
        }
        let active = sql.bind(true);
        sql.push(&format!(
            "WITH RECURSIVE audience(set_id, group_id) AS (VALUES {}),
             reach(set_id, id) AS (
                SELECT set_id, group_id FROM audience
                UNION SELECT r.set_id, g.id FROM \"groups\" g JOIN reach r ON g.parent_id = r.id)
             SELECT r.set_id, COUNT(DISTINCT m.user_id) AS n
             FROM reach r
             JOIN memberships m ON m.group_id = r.id
             JOIN users u ON u.id = m.user_id AND u.active = {active}
             GROUP BY r.set_id",
            pairs.join(", ")
        ));
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        for r in rows {
            let set: i64 = r.try_get("", "set_id")?;
            let n: i64 = r.try_get("", "n")?;
            if let Some(size) = sizes.get_mut(set as usize) {
                *size = n.max(0) as u64;
            }
        }
        Ok(sizes)
    }
}
