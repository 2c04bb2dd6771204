//! Queries on business outcome metrics, their values per person and period, and the courses
//! and paths linked to them.

use std::collections::{HashMap, HashSet};

use lore_domain::outcome::{MetricDraft, PeriodKind};
use lore_domain::path::{ItemKind, ItemRef};
use sea_orm::sea_query::{Expr, ExprTrait, Func, OnConflict, Query};
use sea_orm::{
    ColumnTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entities::{memberships, outcome_links, outcome_metrics, outcome_values, users};
use crate::{Store, StoreError, StoreResult, Timestamp, rows, word};

/// Rows written per statement.
const CHUNK: usize = 500;

/// An outcome metric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeMetricRow {
    pub id: i64,
    pub group_id: i64,
    pub name: String,
    pub unit: String,
    pub description: String,
    pub period_kind: PeriodKind,
    pub higher_is_better: bool,
    pub min_group_size: u32,
    pub created_by: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl TryFrom<outcome_metrics::Model> for OutcomeMetricRow {
    type Error = DbErr;

    fn try_from(m: outcome_metrics::Model) -> Result<Self, DbErr> {
        Ok(Self {
            id: m.id,
            group_id: m.group_id,
            name: m.name,
            unit: m.unit,
            description: m.description,
            period_kind: word(&m.period_kind, PeriodKind::parse)?,
            higher_is_better: m.higher_is_better,
            min_group_size: u32::try_from(m.min_group_size).unwrap_or(0),
            created_by: m.created_by,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

/// One stored value.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct OutcomeValueRow {
    pub user_id: i64,
    pub period: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub value: f64,
}

/// A course or path linked to a metric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeLinkRow {
    pub target: ItemRef,
    pub created_at: Timestamp,
}

/// How many people and values a metric has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ValueCounts {
    pub people: u64,
    pub values: u64,
}

#[derive(FromQueryResult)]
struct CountRow {
    metric_id: i64,
    people: i64,
    values: i64,
}

/// A person found by email for an import.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct PersonByEmail {
    pub id: i64,
    pub email: String,
    pub active: bool,
}

impl Store {
    pub async fn insert_outcome_metric(
        &self,
        group_id: i64,
        draft: &MetricDraft,
        created_by: i64,
        now: Timestamp,
    ) -> StoreResult<OutcomeMetricRow> {
        let m = outcome_metrics::ActiveModel {
            group_id: Set(group_id),
            name: Set(draft.name.clone()),
            unit: Set(draft.unit.clone()),
            description: Set(draft.description.clone()),
            period_kind: Set(draft.period_kind.as_str().to_owned()),
            higher_is_better: Set(draft.higher_is_better),
            min_group_size: Set(i32::try_from(draft.min_group_size).unwrap_or(i32::MAX)),
            created_by: Set(Some(created_by)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        let model = outcome_metrics::Entity::insert(m)
            .exec_with_returning(&self.db)
            .await?;
        Ok(OutcomeMetricRow::try_from(model)?)
    }

    pub async fn outcome_metric(&self, id: i64) -> StoreResult<Option<OutcomeMetricRow>> {
        crate::row(
            outcome_metrics::Entity::find_by_id(id)
                .one(&self.db)
                .await?,
        )
    }

    /// The metrics of some groups, by name.
    pub async fn outcome_metrics_in(
        &self,
        group_ids: &[i64],
    ) -> StoreResult<Vec<OutcomeMetricRow>> {
        if group_ids.is_empty() {
            return Ok(Vec::new());
        }
        rows(
            outcome_metrics::Entity::find()
                .filter(outcome_metrics::Column::GroupId.is_in(group_ids.iter().copied()))
                .order_by_asc(outcome_metrics::Column::Name)
                .order_by_asc(outcome_metrics::Column::Id)
                .all(&self.db)
                .await?,
        )
    }

    /// People and values stored per metric, in one grouped statement.
    pub async fn outcome_value_counts(
        &self,
        metric_ids: &[i64],
    ) -> StoreResult<HashMap<i64, ValueCounts>> {
        if metric_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let counts = outcome_values::Entity::find()
            .select_only()
            .column(outcome_values::Column::MetricId)
            .column_as(
                Expr::expr(Func::count_distinct(Expr::col(
                    outcome_values::Column::UserId,
                ))),
                "people",
            )
            .column_as(
                Expr::expr(Func::count(Expr::col(outcome_values::Column::Id))),
                "values",
            )
            .filter(outcome_values::Column::MetricId.is_in(metric_ids.iter().copied()))
            .group_by(outcome_values::Column::MetricId)
            .into_model::<CountRow>()
            .all(&self.db)
            .await?;
        Ok(counts
            .into_iter()
            .map(|c| {
                (
                    c.metric_id,
                    ValueCounts {
                        people: u64::try_from(c.people).unwrap_or(0),
                        values: u64::try_from(c.values).unwrap_or(0),
                    },
                )
            })
            .collect())
    }

    /// A metric's values of active people who belong to one of `group_ids` (the metric's
    /// group and those below it), oldest period first.
    pub async fn outcome_values_within(
        &self,
        metric_id: i64,
        group_ids: &[i64],
    ) -> StoreResult<Vec<OutcomeValueRow>> {
        if group_ids.is_empty() {
            return Ok(Vec::new());
        }
        let members = Query::select()
            .column((memberships::Entity, memberships::Column::UserId))
            .from(memberships::Entity)
            .inner_join(
                users::Entity,
                Expr::col((users::Entity, users::Column::Id))
                    .equals((memberships::Entity, memberships::Column::UserId)),
            )
            .and_where(Expr::col((users::Entity, users::Column::Active)).eq(true))
            .and_where(
                Expr::col((memberships::Entity, memberships::Column::GroupId))
                    .is_in(group_ids.iter().copied()),
            )
            .to_owned();
        Ok(outcome_values::Entity::find()
            .select_only()
            .column(outcome_values::Column::UserId)
            .column(outcome_values::Column::Period)
            .column(outcome_values::Column::StartsAt)
            .column(outcome_values::Column::EndsAt)
            .column(outcome_values::Column::Value)
            .filter(outcome_values::Column::MetricId.eq(metric_id))
            .filter(outcome_values::Column::UserId.in_subquery(members))
            .order_by_asc(outcome_values::Column::StartsAt)
            .order_by_asc(outcome_values::Column::UserId)
            .into_model::<OutcomeValueRow>()
            .all(&self.db)
            .await?)
    }

    /// The (person, period) pairs of a metric already stored for some people.
    pub async fn stored_outcome_periods(
        &self,
        metric_id: i64,
        user_ids: &[i64],
    ) -> StoreResult<HashSet<(i64, String)>> {
        let mut out = HashSet::new();
        for chunk in user_ids.chunks(CHUNK) {
            let found: Vec<(i64, String)> = outcome_values::Entity::find()
                .select_only()
                .column(outcome_values::Column::UserId)
                .column(outcome_values::Column::Period)
                .filter(outcome_values::Column::MetricId.eq(metric_id))
                .filter(outcome_values::Column::UserId.is_in(chunk.iter().copied()))
                .into_tuple()
                .all(&self.db)
                .await?;
            out.extend(found);
        }
        Ok(out)
    }

    /// Store values (user id, period, starts, ends, value). With `replace`, a value already
    /// stored for the same person and period takes the new one; without, it is a conflict
    /// (the app checks first and lists such rows).
    pub async fn put_outcome_values(
        &self,
        metric_id: i64,
        values: &[(i64, String, Timestamp, Timestamp, f64)],
        replace: bool,
        by: i64,
        now: Timestamp,
    ) -> StoreResult<()> {
        for chunk in values.chunks(CHUNK) {
            let models = chunk.iter().map(|(user_id, period, starts, ends, value)| {
                outcome_values::ActiveModel {
                    metric_id: Set(metric_id),
                    user_id: Set(*user_id),
                    period: Set(period.clone()),
                    starts_at: Set(*starts),
                    ends_at: Set(*ends),
                    value: Set(*value),
                    imported_at: Set(now),
                    imported_by: Set(Some(by)),
                    ..Default::default()
                }
            });
            let mut insert = outcome_values::Entity::insert_many(models);
            if replace {
                insert = insert.on_conflict(
                    OnConflict::columns([
                        outcome_values::Column::MetricId,
                        outcome_values::Column::UserId,
                        outcome_values::Column::Period,
                    ])
                    .update_columns([
                        outcome_values::Column::Value,
                        outcome_values::Column::ImportedAt,
                        outcome_values::Column::ImportedBy,
                    ])
                    .to_owned(),
                );
            }
            insert
                .exec_without_returning(&self.db)
                .await
                .map_err(StoreError::from_db)?;
        }
        Ok(())
    }

    /// The courses and paths linked to a metric, in the order they were linked.
    pub async fn outcome_links(&self, metric_id: i64) -> StoreResult<Vec<OutcomeLinkRow>> {
        outcome_links::Entity::find()
            .filter(outcome_links::Column::MetricId.eq(metric_id))
            .order_by_asc(outcome_links::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|l| {
                Ok(OutcomeLinkRow {
                    target: ItemRef {
                        kind: word(&l.target_kind, ItemKind::parse)?,
                        id: l.target_id,
                    },
                    created_at: l.created_at,
                })
            })
            .collect::<Result<_, DbErr>>()
            .map_err(StoreError::Db)
    }

    /// Link a course or path; `Conflict` when it is linked already.
    pub async fn insert_outcome_link(
        &self,
        metric_id: i64,
        target: ItemRef,
        by: i64,
        now: Timestamp,
    ) -> StoreResult<()> {
        outcome_links::Entity::insert(outcome_links::ActiveModel {
            metric_id: Set(metric_id),
            target_kind: Set(target.kind.as_str().to_owned()),
            target_id: Set(target.id),
            created_at: Set(now),
            created_by: Set(Some(by)),
            ..Default::default()
        })
        .exec_without_returning(&self.db)
        .await
        .map_err(StoreError::from_db)?;
        Ok(())
    }

    /// Unlink a course or path; how many links went (0 or 1).
    pub async fn delete_outcome_link(&self, metric_id: i64, target: ItemRef) -> StoreResult<u64> {
        Ok(outcome_links::Entity::delete_many()
            .filter(outcome_links::Column::MetricId.eq(metric_id))
            .filter(outcome_links::Column::TargetKind.eq(target.kind.as_str()))
            .filter(outcome_links::Column::TargetId.eq(target.id))
            .exec(&self.db)
            .await?
            .rows_affected)
    }

    /// The accounts with these (normalised) addresses.
    pub async fn people_by_emails(&self, emails: &[&str]) -> StoreResult<Vec<PersonByEmail>> {
        let mut out = Vec::with_capacity(emails.len());
        for chunk in emails.chunks(CHUNK) {
            out.extend(
                users::Entity::find()
                    .select_only()
                    .column(users::Column::Id)
                    .column(users::Column::Email)
                    .column(users::Column::Active)
                    .filter(users::Column::Email.is_in(chunk.iter().copied()))
                    .into_model::<PersonByEmail>()
                    .all(&self.db)
                    .await?,
            );
        }
        Ok(out)
    }

    /// Which of these people belong to one of these groups.
    pub async fn members_among(
        &self,
        user_ids: &[i64],
        group_ids: &[i64],
    ) -> StoreResult<HashSet<i64>> {
        let mut out = HashSet::new();
        if group_ids.is_empty() {
            return Ok(out);
        }
        for chunk in user_ids.chunks(CHUNK) {
            let found: Vec<i64> = memberships::Entity::find()
                .select_only()
                .column(memberships::Column::UserId)
                .distinct()
                .filter(memberships::Column::UserId.is_in(chunk.iter().copied()))
                .filter(memberships::Column::GroupId.is_in(group_ids.iter().copied()))
                .into_tuple()
                .all(&self.db)
                .await?;
            out.extend(found);
        }
        Ok(out)
    }
}
