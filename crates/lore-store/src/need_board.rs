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

    /// For each need the scope may see: the active people in its audience groups and the
    /// groups below them, each counted once, as (need id, people).
    pub async fn visible_need_audience_sizes(&self, scope: &Scope) -> StoreResult<Vec<(i64, u64)>> {
        let mut sql = Sql::default();
        let ids = visible_ids(&mut sql, "na.need_id", scope);
        let active = sql.bind(true);
        let ids_again = visible_ids(&mut sql, "na.need_id", scope);
        sql.push(&format!(
            "WITH RECURSIVE reach(top, id) AS (
                SELECT DISTINCT na.group_id, na.group_id FROM need_audiences na WHERE {ids}
                UNION SELECT r.top, g.id FROM \"groups\" g JOIN reach r ON g.parent_id = r.id)
             SELECT na.need_id, COUNT(DISTINCT m.user_id) AS n
             FROM need_audiences na
             JOIN reach r ON r.top = na.group_id
             JOIN memberships m ON m.group_id = r.id
             JOIN users u ON u.id = m.user_id AND u.active = {active}
             WHERE {ids_again}
             GROUP BY na.need_id"
        ));
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("", "need_id")?,
                    r.try_get::<i64>("", "n")?.max(0) as u64,
                ))
            })
            .collect()
    }
}
