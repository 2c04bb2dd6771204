//! `suggested_edits`: a learner's proposed Markdown for a text step, with the text it was
//! based on, and the author's decision.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "suggested_edits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    pub step_key: String,
    pub base_version: i32,
    pub base_title: String,
    pub base_body: String,
    pub proposed_body: String,
    pub reason: String,
    pub proposer_id: i64,
    pub created_at: TimeDateTimeWithTimeZone,
    /// `open`, `accepted` or `declined`.
    pub status: String,
    pub decided_by: Option<i64>,
    pub decided_at: Option<TimeDateTimeWithTimeZone>,
    pub decision_note: Option<String>,
    /// The text that went into the draft (the proposal, or the author's edit of it).
    pub accepted_body: Option<String>,
    pub accepted_into_version: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
