//! Learning paths: the draft (items at version 0), published versions and their items.

use lore_domain::path::{ItemKind, ItemRef, PathChange, PathItem, PathOrder};
use sea_orm::DbErr;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entities::{path_items, path_versions, paths};
use crate::{Store, StoreResult, Timestamp, row, rows, word};

/// The version number under which a path's draft items are kept.
pub const DRAFT: i32 = 0;

/// A path, its draft's details read into domain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRow {
    pub id: i64,
    pub group_id: i64,
    pub title: String,
    pub description: String,
    pub order: PathOrder,
    pub created_by: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub latest_version: Option<i32>,
}

impl TryFrom<paths::Model> for PathRow {
    type Error = DbErr;

    fn try_from(m: paths::Model) -> Result<Self, DbErr> {
        Ok(Self {
            id: m.id,
            group_id: m.group_id,
            title: m.title,
            description: m.description,
            order: word(&m.order_mode, PathOrder::parse)?,
            created_by: m.created_by,
            created_at: m.created_at,
            updated_at: m.updated_at,
            latest_version: m.latest_version,
        })
    }
}

/// A published version of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathVersionRow {
    pub path_id: i64,
    pub number: i32,
    pub title: String,
    pub description: String,
    pub order: PathOrder,
    pub changes: Vec<PathChange>,
    pub published_by: i64,
    pub published_at: Timestamp,
}

impl TryFrom<path_versions::Model> for PathVersionRow {
    type Error = DbErr;

    fn try_from(m: path_versions::Model) -> Result<Self, DbErr> {
        Ok(Self {
            path_id: m.path_id,
            number: m.number,
            title: m.title,
            description: m.description,
            order: word(&m.order_mode, PathOrder::parse)?,
            changes: serde_json::from_str(&m.changes)
                .map_err(|e| DbErr::Type(format!("path version changes: {e}")))?,
            published_by: m.published_by,
            published_at: m.published_at,
        })
    }
}

/// A path's details as its coach writes them.
#[derive(Debug, Clone)]
pub struct PathFields<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub order: PathOrder,
}

fn item_of(m: path_items::Model) -> Result<PathItem, DbErr> {
    let after = m
        .after
        .split_whitespace()
        .map(|k| ItemRef::parse(k).map_err(|e| DbErr::Type(e.message)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PathItem {
        item: ItemRef {
            kind: word(&m.item_kind, ItemKind::parse)?,
            id: m.item_id,
        },
        mandatory: m.mandatory,
        final_evaluation: m.final_evaluation,
        after,
    })
}

impl Store {
    pub async fn insert_path(
        &self,
        group_id: i64,
        fields: PathFields<'_>,
        created_by: i64,
        now: Timestamp,
    ) -> StoreResult<PathRow> {
        let m = paths::ActiveModel {
            group_id: Set(group_id),
            title: Set(fields.title.to_owned()),
            description: Set(fields.description.to_owned()),
            order_mode: Set(fields.order.as_str().to_owned()),
            created_by: Set(created_by),
            created_at: Set(now),
            updated_at: Set(now),
            latest_version: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(m.try_into()?)
    }

    pub async fn path(&self, id: i64) -> StoreResult<Option<PathRow>> {
        row(paths::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// The paths owned by any of these groups, by title.
    pub async fn paths_of_groups(&self, group_ids: &[i64]) -> StoreResult<Vec<PathRow>> {
        rows(
            paths::Entity::find()
                .filter(paths::Column::GroupId.is_in(group_ids.iter().copied()))
                .order_by_asc(paths::Column::Title)
                .order_by_asc(paths::Column::Id)
                .all(&self.db)
                .await?,
        )
    }

    /// Paths by id (for titles), in no particular order.
    pub async fn paths_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<PathRow>> {
        rows(
            paths::Entity::find()
                .filter(paths::Column::Id.is_in(ids.iter().copied()))
                .all(&self.db)
                .await?,
        )
    }

    pub async fn save_path_fields(
        &self,
        id: i64,
        fields: PathFields<'_>,
        now: Timestamp,
    ) -> StoreResult<()> {
        paths::Entity::update_many()
            .col_expr(paths::Column::Title, Expr::value(fields.title))
            .col_expr(paths::Column::Description, Expr::value(fields.description))
            .col_expr(paths::Column::OrderMode, Expr::value(fields.order.as_str()))
            .col_expr(paths::Column::UpdatedAt, Expr::value(now))
            .filter(paths::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// The items of the draft (`DRAFT`) or of a published version, in order.
    pub async fn path_items(&self, path_id: i64, version: i32) -> StoreResult<Vec<PathItem>> {
        let models = path_items::Entity::find()
            .filter(path_items::Column::PathId.eq(path_id))
            .filter(path_items::Column::VersionNumber.eq(version))
            .order_by_asc(path_items::Column::Position)
            .all(&self.db)
            .await?;
        Ok(models
            .into_iter()
            .map(item_of)
            .collect::<Result<Vec<_>, _>>()?)
    }

    /// Replace the items of a path's draft or version.
    pub async fn put_path_items(
        &self,
        path_id: i64,
        version: i32,
        items: &[PathItem],
    ) -> StoreResult<()> {
        path_items::Entity::delete_many()
            .filter(path_items::Column::PathId.eq(path_id))
            .filter(path_items::Column::VersionNumber.eq(version))
            .exec(&self.db)
            .await?;
        if items.is_empty() {
            return Ok(());
        }
        let models = items
            .iter()
            .enumerate()
            .map(|(n, i)| path_items::ActiveModel {
                path_id: Set(path_id),
                version_number: Set(version),
                position: Set(i32::try_from(n).unwrap_or(i32::MAX)),
                item_kind: Set(i.item.kind.as_str().to_owned()),
                item_id: Set(i.item.id),
                mandatory: Set(i.mandatory),
                final_evaluation: Set(i.final_evaluation),
                after: Set(i
                    .after
                    .iter()
                    .map(ItemRef::key)
                    .collect::<Vec<_>>()
                    .join(" ")),
                ..Default::default()
            });
        path_items::Entity::insert_many(models)
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// For every path, the paths it holds directly in its draft or any version.
    pub async fn nested_paths(&self) -> StoreResult<Vec<(i64, i64)>> {
        Ok(path_items::Entity::find()
            .select_only()
            .column(path_items::Column::PathId)
            .column(path_items::Column::ItemId)
            .filter(path_items::Column::ItemKind.eq(ItemKind::Path.as_str()))
            .distinct()
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// Publish the draft as the next version: its details and items are copied and never
    /// change again.
    pub async fn publish_path(
        &self,
        path: &PathRow,
        changes: &[PathChange],
        by: i64,
        now: Timestamp,
    ) -> StoreResult<i32> {
        let number = path.latest_version.unwrap_or(0) + 1;
        let items = self.path_items(path.id, DRAFT).await?;
        path_versions::ActiveModel {
            path_id: Set(path.id),
            number: Set(number),
            title: Set(path.title.clone()),
            description: Set(path.description.clone()),
            order_mode: Set(path.order.as_str().to_owned()),
            changes: Set(serde_json::to_string(changes).unwrap_or_else(|_| "[]".to_owned())),
            published_by: Set(by),
            published_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        self.put_path_items(path.id, number, &items).await?;
        paths::Entity::update_many()
            .col_expr(paths::Column::LatestVersion, Expr::value(number))
            .col_expr(paths::Column::UpdatedAt, Expr::value(now))
            .filter(paths::Column::Id.eq(path.id))
            .exec(&self.db)
            .await?;
        Ok(number)
    }

    /// Every published version of a path, newest first.
    pub async fn path_versions(&self, path_id: i64) -> StoreResult<Vec<PathVersionRow>> {
        rows(
            path_versions::Entity::find()
                .filter(path_versions::Column::PathId.eq(path_id))
                .order_by_desc(path_versions::Column::Number)
                .all(&self.db)
                .await?,
        )
    }
}
