//! `course_steps`: the ordered steps of one version; `step_key` is stable across versions.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course_steps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub version_id: i64,
    pub step_key: String,
    pub position: i32,
    /// `text`, `video`, `file` or `question`.
    pub kind: String,
    pub title: String,
    /// Markdown as the author wrote it.
    pub body: String,
    pub blob_hash: Option<String>,
    pub video_url: Option<String>,
    pub required: bool,
    /// Bumped by every save of this step, to detect stale saves.
    pub revision: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
