//! Queries on courses, their versions and steps, co-authors and audiences.

use crate::{row, rows, word};
use lore_domain::course::{CourseStatus, StepKind, VersionState};
use sea_orm::DbErr;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::entities::{
    course_audiences, course_coauthors, course_steps, course_versions, courses, enrolments,
};
use crate::{Store, StoreError, StoreResult, Timestamp};

/// The course-level fields of a version, as the author set them.
#[derive(Debug, Clone, Default)]
pub struct VersionMeta {
    pub title: String,
    pub summary: String,
    pub language: String,
    /// JSON array.
    pub tags: String,
    pub estimated_minutes: Option<i32>,
    pub cover_blob: Option<String>,
}

/// A step as written to a draft.
#[derive(Debug, Clone)]
pub struct StepFields {
    pub step_key: String,
    pub kind: StepKind,
    pub title: String,
    pub body: String,
    pub blob_hash: Option<String>,
    pub video_url: Option<String>,
    pub required: bool,
}

/// A row of `courses`, its words read into domain enums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CourseRow {
    pub id: i64,
    pub owner_id: i64,
    /// The owning group.
    pub group_id: i64,
    pub status: CourseStatus,
    /// Number of the newest published version.
    pub latest_version: Option<i32>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl TryFrom<courses::Model> for CourseRow {
    type Error = DbErr;

    fn try_from(m: courses::Model) -> Result<Self, DbErr> {
        Ok(Self {
            id: m.id,
            owner_id: m.owner_id,
            group_id: m.group_id,
            status: word(&m.status, CourseStatus::parse)?,
            latest_version: m.latest_version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

/// A row of `course_versions`, its words read into domain enums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionRow {
    pub id: i64,
    pub course_id: i64,
    pub number: i32,
    pub state: VersionState,
    pub title: String,
    pub summary: String,
    pub language: String,
    /// JSON array of topics.
    pub tags: String,
    pub estimated_minutes: Option<i32>,
    pub cover_blob: Option<String>,
    pub change_note: String,
    /// Bumped by every save of the draft, to detect stale saves.
    pub revision: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub published_at: Option<Timestamp>,
    pub published_by: Option<i64>,
}

impl TryFrom<course_versions::Model> for VersionRow {
    type Error = DbErr;

    fn try_from(m: course_versions::Model) -> Result<Self, DbErr> {
        Ok(Self {
            id: m.id,
            course_id: m.course_id,
            number: m.number,
            state: word(&m.state, VersionState::parse)?,
            title: m.title,
            summary: m.summary,
            language: m.language,
            tags: m.tags,
            estimated_minutes: m.estimated_minutes,
            cover_blob: m.cover_blob,
            change_note: m.change_note,
            revision: m.revision,
            created_at: m.created_at,
            updated_at: m.updated_at,
            published_at: m.published_at,
            published_by: m.published_by,
        })
    }
}

/// A row of `course_steps`, its words read into domain enums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRow {
    pub id: i64,
    pub version_id: i64,
    pub step_key: String,
    pub position: i32,
    pub kind: StepKind,
    pub title: String,
    /// Markdown as the author wrote it.
    pub body: String,
    pub blob_hash: Option<String>,
    pub video_url: Option<String>,
    pub required: bool,
    /// Bumped by every save of this step, to detect stale saves.
    pub revision: i64,
}

impl TryFrom<course_steps::Model> for StepRow {
    type Error = DbErr;

    fn try_from(m: course_steps::Model) -> Result<Self, DbErr> {
        Ok(Self {
            id: m.id,
            version_id: m.version_id,
            step_key: m.step_key,
            position: m.position,
            kind: word(&m.kind, StepKind::parse)?,
            title: m.title,
            body: m.body,
            blob_hash: m.blob_hash,
            video_url: m.video_url,
            required: m.required,
            revision: m.revision,
        })
    }
}

impl Store {
    /// Create a course with its first draft (version 1) and its first steps, all or nothing.
    pub async fn create_course(
        &self,
        owner_id: i64,
        group_id: i64,
        meta: VersionMeta,
        steps: Vec<StepFields>,
        now: Timestamp,
    ) -> StoreResult<(CourseRow, VersionRow)> {
        let tx = self.write_tx().await?;
        let course = courses::ActiveModel {
            owner_id: Set(owner_id),
            group_id: Set(group_id),
            status: Set(CourseStatus::Active.as_str().to_owned()),
            latest_version: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        let version = insert_version(&tx, course.id, 1, meta, String::new(), now).await?;
        for (i, s) in steps.into_iter().enumerate() {
            insert_step(&tx, version.id, i as i32, s).await?;
        }
        tx.commit().await?;
        Ok((course.try_into()?, version))
    }

    pub async fn course(&self, id: i64) -> StoreResult<Option<CourseRow>> {
        row(courses::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// Every course that is not archived, or all of them.
    pub async fn courses(&self, include_archived: bool) -> StoreResult<Vec<CourseRow>> {
        let mut q = courses::Entity::find();
        if !include_archived {
            q = q.filter(courses::Column::Status.eq(CourseStatus::Active.as_str()));
        }
        rows(
            q.order_by_desc(courses::Column::UpdatedAt)
                .all(&self.db)
                .await?,
        )
    }

    pub async fn versions_of(&self, course_id: i64) -> StoreResult<Vec<VersionRow>> {
        rows(
            course_versions::Entity::find()
                .filter(course_versions::Column::CourseId.eq(course_id))
                .order_by_asc(course_versions::Column::Number)
                .all(&self.db)
                .await?,
        )
    }

    pub async fn version(&self, course_id: i64, number: i32) -> StoreResult<Option<VersionRow>> {
        row(course_versions::Entity::find()
            .filter(course_versions::Column::CourseId.eq(course_id))
            .filter(course_versions::Column::Number.eq(number))
            .one(&self.db)
            .await?)
    }

    /// The versions with these ids (for listing many courses at once).
    pub async fn versions_by_ids(&self, ids: Vec<i64>) -> StoreResult<Vec<VersionRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        rows(
            course_versions::Entity::find()
                .filter(course_versions::Column::Id.is_in(ids))
                .all(&self.db)
                .await?,
        )
    }

    /// The newest version of every course in `course_ids` with the given state.
    pub async fn versions_of_courses(&self, course_ids: Vec<i64>) -> StoreResult<Vec<VersionRow>> {
        if course_ids.is_empty() {
            return Ok(Vec::new());
        }
        rows(
            course_versions::Entity::find()
                .filter(course_versions::Column::CourseId.is_in(course_ids))
                .order_by_asc(course_versions::Column::CourseId)
                .order_by_asc(course_versions::Column::Number)
                .all(&self.db)
                .await?,
        )
    }

    pub async fn steps_of(&self, version_id: i64) -> StoreResult<Vec<StepRow>> {
        rows(
            course_steps::Entity::find()
                .filter(course_steps::Column::VersionId.eq(version_id))
                .order_by_asc(course_steps::Column::Position)
                .order_by_asc(course_steps::Column::Id)
                .all(&self.db)
                .await?,
        )
    }

    /// Save course-level fields of a draft if nobody saved since `revision`. `false` means stale.
    pub async fn save_draft_meta(
        &self,
        version_id: i64,
        revision: i64,
        meta: VersionMeta,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let r = course_versions::Entity::update_many()
            .col_expr(course_versions::Column::Title, Expr::value(meta.title))
            .col_expr(course_versions::Column::Summary, Expr::value(meta.summary))
            .col_expr(
                course_versions::Column::Language,
                Expr::value(meta.language),
            )
            .col_expr(course_versions::Column::Tags, Expr::value(meta.tags))
            .col_expr(
                course_versions::Column::EstimatedMinutes,
                Expr::value(meta.estimated_minutes),
            )
            .col_expr(
                course_versions::Column::CoverBlob,
                Expr::value(meta.cover_blob),
            )
            .col_expr(
                course_versions::Column::Revision,
                Expr::value(revision.saturating_add(1)),
            )
            .col_expr(course_versions::Column::UpdatedAt, Expr::value(now))
            .filter(course_versions::Column::Id.eq(version_id))
            .filter(course_versions::Column::State.eq(VersionState::Draft.as_str()))
            .filter(course_versions::Column::Revision.eq(revision))
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected == 1)
    }

    /// Save a step of a draft if nobody saved it since `revision`. `false` means stale.
    pub async fn save_step(
        &self,
        step_id: i64,
        revision: i64,
        fields: StepFields,
    ) -> StoreResult<bool> {
        let r = course_steps::Entity::update_many()
            .col_expr(
                course_steps::Column::Kind,
                Expr::value(fields.kind.as_str()),
            )
            .col_expr(course_steps::Column::Title, Expr::value(fields.title))
            .col_expr(course_steps::Column::Body, Expr::value(fields.body))
            .col_expr(
                course_steps::Column::BlobHash,
                Expr::value(fields.blob_hash),
            )
            .col_expr(
                course_steps::Column::VideoUrl,
                Expr::value(fields.video_url),
            )
            .col_expr(course_steps::Column::Required, Expr::value(fields.required))
            .col_expr(
                course_steps::Column::Revision,
                Expr::value(revision.saturating_add(1)),
            )
            .filter(course_steps::Column::Id.eq(step_id))
            .filter(course_steps::Column::Revision.eq(revision))
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected == 1)
    }

    /// Append a step at the end of a draft.
    pub async fn add_step(&self, version_id: i64, fields: StepFields) -> StoreResult<StepRow> {
        let position = course_steps::Entity::find()
            .filter(course_steps::Column::VersionId.eq(version_id))
            .count(&self.db)
            .await? as i32;
        insert_step(&self.db, version_id, position, fields).await
    }

    pub async fn delete_step(&self, version_id: i64, step_id: i64) -> StoreResult<bool> {
        let r = course_steps::Entity::delete_many()
            .filter(course_steps::Column::VersionId.eq(version_id))
            .filter(course_steps::Column::Id.eq(step_id))
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected == 1)
    }

    /// Put the steps of a draft in this order (every step id of the version, once).
    pub async fn reorder_steps(&self, version_id: i64, step_ids: &[i64]) -> StoreResult<()> {
        let tx = self.write_tx().await?;
        for (i, id) in step_ids.iter().enumerate() {
            course_steps::Entity::update_many()
                .col_expr(course_steps::Column::Position, Expr::value(i as i32))
                .filter(course_steps::Column::VersionId.eq(version_id))
                .filter(course_steps::Column::Id.eq(*id))
                .exec(&tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Publish a draft: it becomes immutable, and the course points at it.
    /// `false` if it was not a draft any more (published from another tab).
    pub async fn publish(
        &self,
        course_id: i64,
        version_id: i64,
        number: i32,
        by: i64,
        note: &str,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let tx = self.write_tx().await?;
        let r = course_versions::Entity::update_many()
            .col_expr(
                course_versions::Column::State,
                Expr::value(VersionState::Published.as_str()),
            )
            .col_expr(
                course_versions::Column::ChangeNote,
                Expr::value(note.to_owned()),
            )
            .col_expr(course_versions::Column::PublishedAt, Expr::value(now))
            .col_expr(course_versions::Column::PublishedBy, Expr::value(by))
            .col_expr(course_versions::Column::UpdatedAt, Expr::value(now))
            .filter(course_versions::Column::Id.eq(version_id))
            .filter(course_versions::Column::State.eq(VersionState::Draft.as_str()))
            .exec(&tx)
            .await?;
        if r.rows_affected != 1 {
            return Ok(false);
        }
        courses::Entity::update_many()
            .col_expr(courses::Column::LatestVersion, Expr::value(number))
            .col_expr(courses::Column::UpdatedAt, Expr::value(now))
            .filter(courses::Column::Id.eq(course_id))
            .exec(&tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Start the next draft as a copy of `from` (the newest published version), same step keys.
    /// If two requests race, the unique (course, number) index lets one win; the other gets
    /// the draft the winner made.
    pub async fn start_draft(&self, from: &VersionRow, now: Timestamp) -> StoreResult<VersionRow> {
        let steps = self.steps_of(from.id).await?;
        let questions = self.questions_of(from.id).await?;
        let settings = self.settings_of(from.id).await?;
        let draw = self.draw_of(from.id).await?;
        let tx = self.write_tx().await?;
        let meta = VersionMeta {
            title: from.title.clone(),
            summary: from.summary.clone(),
            language: from.language.clone(),
            tags: from.tags.clone(),
            estimated_minutes: from.estimated_minutes,
            cover_blob: from.cover_blob.clone(),
        };
        let draft = match insert_version(
            &tx,
            from.course_id,
            from.number + 1,
            meta,
            String::new(),
            now,
        )
        .await
        {
            Ok(d) => d,
            Err(StoreError::Conflict) => {
                drop(tx);
                return self
                    .version(from.course_id, from.number + 1)
                    .await?
                    .ok_or(StoreError::Conflict);
            }
            Err(e) => return Err(e),
        };
        for s in steps {
            insert_step(
                &tx,
                draft.id,
                s.position,
                StepFields {
                    step_key: s.step_key,
                    kind: s.kind,
                    title: s.title,
                    body: s.body,
                    blob_hash: s.blob_hash,
                    video_url: s.video_url,
                    required: s.required,
                },
            )
            .await?;
        }
        for q in questions {
            crate::evaluations::insert_question(
                &tx,
                draft.id,
                &q.question_key,
                q.step_key,
                q.position,
                q.body,
            )
            .await?;
        }
        if let Some(s) = settings {
            let settings = crate::EvaluationSettings {
                mode: s.mode,
                pass_mark: s.pass_mark,
                max_attempts: s.max_attempts,
                time_limit_minutes: s.time_limit_minutes,
                shuffle: s.shuffle,
                required_for_completion: s.required_for_completion,
            };
            crate::evaluations::put_settings(&tx, draft.id, &settings).await?;
        }
        if let Some(d) = draw {
            let draw = crate::DrawSetting {
                bank_id: d.bank_id,
                topic: d.topic,
                count: d.count,
                difficulty: d.difficulty,
            };
            crate::question_banks::put_draw(&tx, draft.id, Some(&draw)).await?;
        }
        tx.commit().await?;
        Ok(draft)
    }

    pub async fn set_course_status(
        &self,
        id: i64,
        status: CourseStatus,
        now: Timestamp,
    ) -> StoreResult<()> {
        courses::Entity::update_many()
            .col_expr(courses::Column::Status, Expr::value(status.as_str()))
            .col_expr(courses::Column::UpdatedAt, Expr::value(now))
            .filter(courses::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    pub async fn set_course_owner(
        &self,
        id: i64,
        owner_id: i64,
        now: Timestamp,
    ) -> StoreResult<()> {
        courses::Entity::update_many()
            .col_expr(courses::Column::OwnerId, Expr::value(owner_id))
            .col_expr(courses::Column::UpdatedAt, Expr::value(now))
            .filter(courses::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Delete a course that was never published and that nobody enrolled in.
    /// `false` when either is no longer true (checked inside the transaction).
    pub async fn delete_unpublished_course(&self, id: i64) -> StoreResult<bool> {
        let tx = self.write_tx().await?;
        let course = courses::Entity::find_by_id(id).one(&tx).await?;
        let taken = enrolments::Entity::find()
            .filter(enrolments::Column::CourseId.eq(id))
            .count(&tx)
            .await?;
        if course.is_none_or(|c| c.latest_version.is_some()) || taken > 0 {
            return Ok(false);
        }
        courses::Entity::delete_by_id(id).exec(&tx).await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn coauthors_of(&self, course_id: i64) -> StoreResult<Vec<i64>> {
        Ok(course_coauthors::Entity::find()
            .filter(course_coauthors::Column::CourseId.eq(course_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|c| c.user_id)
            .collect())
    }

    pub async fn add_coauthor(&self, course_id: i64, user_id: i64) -> StoreResult<()> {
        let r = course_coauthors::ActiveModel {
            course_id: Set(course_id),
            user_id: Set(user_id),
            ..Default::default()
        }
        .insert(&self.db)
        .await;
        match r.map_err(StoreError::from_db) {
            Ok(_) | Err(StoreError::Conflict) => Ok(()),
            Err(e) => Err(e),
        }
    }

    pub async fn remove_coauthor(&self, course_id: i64, user_id: i64) -> StoreResult<()> {
        course_coauthors::Entity::delete_many()
            .filter(course_coauthors::Column::CourseId.eq(course_id))
            .filter(course_coauthors::Column::UserId.eq(user_id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    pub async fn audiences_of(&self, course_id: i64) -> StoreResult<Vec<i64>> {
        Ok(course_audiences::Entity::find()
            .filter(course_audiences::Column::CourseId.eq(course_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|a| a.group_id)
            .collect())
    }

    pub async fn set_audiences(&self, course_id: i64, groups: &[i64]) -> StoreResult<()> {
        let tx = self.write_tx().await?;
        course_audiences::Entity::delete_many()
            .filter(course_audiences::Column::CourseId.eq(course_id))
            .exec(&tx)
            .await?;
        for g in groups {
            course_audiences::ActiveModel {
                course_id: Set(course_id),
                group_id: Set(*g),
                ..Default::default()
            }
            .insert(&tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_author_min_role(&self, group_id: i64, role: &str) -> StoreResult<()> {
        crate::entities::groups::Entity::update_many()
            .col_expr(
                crate::entities::groups::Column::AuthorMinRole,
                Expr::value(role.to_owned()),
            )
            .filter(crate::entities::groups::Column::Id.eq(group_id))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

async fn insert_version<C: ConnectionTrait>(
    db: &C,
    course_id: i64,
    number: i32,
    meta: VersionMeta,
    change_note: String,
    now: Timestamp,
) -> StoreResult<VersionRow> {
    course_versions::ActiveModel {
        course_id: Set(course_id),
        number: Set(number),
        state: Set(VersionState::Draft.as_str().to_owned()),
        title: Set(meta.title),
        summary: Set(meta.summary),
        language: Set(meta.language),
        tags: Set(meta.tags),
        estimated_minutes: Set(meta.estimated_minutes),
        cover_blob: Set(meta.cover_blob),
        change_note: Set(change_note),
        revision: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set(None),
        published_by: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(StoreError::from_db)?
    .try_into()
    .map_err(StoreError::Db)
}

async fn insert_step<C: ConnectionTrait>(
    db: &C,
    version_id: i64,
    position: i32,
    s: StepFields,
) -> StoreResult<StepRow> {
    course_steps::ActiveModel {
        version_id: Set(version_id),
        step_key: Set(s.step_key),
        position: Set(position),
        kind: Set(s.kind.as_str().to_owned()),
        title: Set(s.title),
        body: Set(s.body),
        blob_hash: Set(s.blob_hash),
        video_url: Set(s.video_url),
        required: Set(s.required),
        revision: Set(0),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(StoreError::from_db)?
    .try_into()
    .map_err(StoreError::Db)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A word the domain does not know, written by hand or by a newer version of Lore, is an
    /// error when read, never a silent default.
    #[tokio::test]
    async fn an_unknown_status_read_from_the_database_is_an_error() {
        let (_dir, store) = crate::test_support::fresh_sqlite().await;
        store.migrate().await.expect("migrate");
        let now = crate::test_support::NOW;
        let (owner, group) = crate::test_support::owner_and_group(&store).await;
        for (id, status) in [(1_i64, "active"), (2, "frozen")] {
            store
                .db
                .execute_raw(store.raw(
                    "INSERT INTO courses (id, owner_id, group_id, status, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $5)",
                    vec![
                        id.into(),
                        owner.into(),
                        group.into(),
                        status.into(),
                        now.into(),
                    ],
                ))
                .await
                .expect("insert");
        }
        let known = store.course(1).await.expect("read").expect("row");
        assert_eq!(known.status, CourseStatus::Active);
        let unknown = store.course(2).await.expect_err("an unknown word");
        assert!(unknown.to_string().contains("frozen"), "{unknown}");
        assert!(store.courses(true).await.is_err());
    }
}
