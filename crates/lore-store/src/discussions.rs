//! Queries on discussion threads, their posts and the kept history of edited or deleted posts.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::entities::{post_revisions, posts, threads, users};
use crate::{Store, StoreError, StoreResult, Timestamp};

pub type ThreadRow = threads::Model;
pub type PostRow = posts::Model;
pub type RevisionRow = post_revisions::Model;

/// A thread about to be opened, with its first post.
#[derive(Debug, Clone)]
pub struct NewThread {
    pub course_id: i64,
    /// `None`: about the course as a whole.
    pub step_key: Option<String>,
    pub title: String,
    pub author_id: i64,
    pub body: String,
}

impl Store {
    /// Open a thread and its opening post, all or nothing.
    pub async fn create_thread(
        &self,
        new: NewThread,
        now: Timestamp,
    ) -> StoreResult<(ThreadRow, PostRow)> {
        let tx = self.write_tx().await?;
        let thread = threads::ActiveModel {
            course_id: Set(new.course_id),
            step_key: Set(new.step_key),
            title: Set(new.title),
            created_by: Set(new.author_id),
            created_at: Set(now),
            last_post_at: Set(now),
            reply_count: Set(0),
            accepted_post_id: Set(None),
            locked: Set(false),
            hidden: Set(false),
            hidden_by: Set(None),
            ..Default::default()
        }
        .insert(&tx)
        .await
        .map_err(StoreError::from_db)?;
        let post = insert_post(&tx, thread.id, new.author_id, new.body, now).await?;
        tx.commit().await?;
        Ok((thread, post))
    }

    /// Add a reply and bump the thread's reply count and last activity, all or nothing.
    pub async fn add_reply(
        &self,
        thread_id: i64,
        author_id: i64,
        body: String,
        now: Timestamp,
    ) -> StoreResult<PostRow> {
        let tx = self.write_tx().await?;
        let post = insert_post(&tx, thread_id, author_id, body, now).await?;
        threads::Entity::update_many()
            .col_expr(
                threads::Column::ReplyCount,
                Expr::col(threads::Column::ReplyCount).add(1),
            )
            .col_expr(threads::Column::LastPostAt, Expr::value(now))
            .filter(threads::Column::Id.eq(thread_id))
            .exec(&tx)
            .await?;
        tx.commit().await?;
        Ok(post)
    }

    /// Threads of a course (only those about `step_key` when given), newest activity first.
    pub async fn threads_of(
        &self,
        course_id: i64,
        step_key: Option<&str>,
        include_hidden: bool,
    ) -> StoreResult<Vec<ThreadRow>> {
        let mut q = threads::Entity::find().filter(threads::Column::CourseId.eq(course_id));
        if let Some(key) = step_key {
            q = q.filter(threads::Column::StepKey.eq(key));
        }
        if !include_hidden {
            q = q.filter(threads::Column::Hidden.eq(false));
        }
        Ok(q.order_by_desc(threads::Column::LastPostAt)
            .order_by_desc(threads::Column::Id)
            .all(&self.db)
            .await?)
    }

    pub async fn thread(&self, id: i64) -> StoreResult<Option<ThreadRow>> {
        Ok(threads::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// Every post of a thread, oldest first (the first is the opening post).
    pub async fn posts_of(&self, thread_id: i64) -> StoreResult<Vec<PostRow>> {
        Ok(posts::Entity::find()
            .filter(posts::Column::ThreadId.eq(thread_id))
            .order_by_asc(posts::Column::Id)
            .all(&self.db)
            .await?)
    }

    pub async fn post(&self, id: i64) -> StoreResult<Option<PostRow>> {
        Ok(posts::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// Replace a post's text, keeping the old text as a revision, all or nothing.
    pub async fn edit_post(
        &self,
        post: &PostRow,
        body: String,
        editor_id: i64,
        now: Timestamp,
    ) -> StoreResult<()> {
        let tx = self.write_tx().await?;
        insert_revision(&tx, post, editor_id, now).await?;
        posts::Entity::update_many()
            .col_expr(posts::Column::Body, Expr::value(body))
            .col_expr(posts::Column::EditedAt, Expr::value(now))
            .filter(posts::Column::Id.eq(post.id))
            .exec(&tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Mark a post deleted: its text moves to the revisions (for moderators) and leaves the
    /// post. A deleted reply no longer counts as a reply of its thread.
    pub async fn delete_post(
        &self,
        post: &PostRow,
        is_reply: bool,
        by: i64,
        now: Timestamp,
    ) -> StoreResult<()> {
        let tx = self.write_tx().await?;
        insert_revision(&tx, post, by, now).await?;
        posts::Entity::update_many()
            .col_expr(posts::Column::Body, Expr::value(String::new()))
            .col_expr(posts::Column::DeletedAt, Expr::value(now))
            .filter(posts::Column::Id.eq(post.id))
            .exec(&tx)
            .await?;
        if is_reply {
            threads::Entity::update_many()
                .col_expr(
                    threads::Column::ReplyCount,
                    Expr::col(threads::Column::ReplyCount).sub(1),
                )
                .filter(threads::Column::Id.eq(post.thread_id))
                .filter(threads::Column::ReplyCount.gt(0))
                .exec(&tx)
                .await?;
        }
        threads::Entity::update_many()
            .col_expr(threads::Column::AcceptedPostId, Expr::value(None::<i64>))
            .filter(threads::Column::Id.eq(post.thread_id))
            .filter(threads::Column::AcceptedPostId.eq(post.id))
            .exec(&tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The earlier texts of posts, oldest first.
    pub async fn revisions_of(&self, post_ids: &[i64]) -> StoreResult<Vec<RevisionRow>> {
        if post_ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(post_revisions::Entity::find()
            .filter(post_revisions::Column::PostId.is_in(post_ids.iter().copied()))
            .order_by_asc(post_revisions::Column::Id)
            .all(&self.db)
            .await?)
    }

    pub async fn set_accepted_post(&self, thread_id: i64, post_id: Option<i64>) -> StoreResult<()> {
        threads::Entity::update_many()
            .col_expr(threads::Column::AcceptedPostId, Expr::value(post_id))
            .filter(threads::Column::Id.eq(thread_id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Hide a thread (`by` is the moderator) or show it again (`None`).
    pub async fn set_thread_hidden(&self, thread_id: i64, by: Option<i64>) -> StoreResult<()> {
        threads::Entity::update_many()
            .col_expr(threads::Column::Hidden, Expr::value(by.is_some()))
            .col_expr(threads::Column::HiddenBy, Expr::value(by))
            .filter(threads::Column::Id.eq(thread_id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Hide a post (`by` is the moderator) or show it again (`None`).
    pub async fn set_post_hidden(&self, post_id: i64, by: Option<i64>) -> StoreResult<()> {
        posts::Entity::update_many()
            .col_expr(posts::Column::Hidden, Expr::value(by.is_some()))
            .col_expr(posts::Column::HiddenBy, Expr::value(by))
            .filter(posts::Column::Id.eq(post_id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    pub async fn set_thread_locked(&self, thread_id: i64, locked: bool) -> StoreResult<()> {
        threads::Entity::update_many()
            .col_expr(threads::Column::Locked, Expr::value(locked))
            .filter(threads::Column::Id.eq(thread_id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Visible threads of a course that nobody answered yet: no reply, no accepted answer.
    /// Course health counts these.
    pub async fn unanswered_thread_count(&self, course_id: i64) -> StoreResult<u64> {
        Ok(threads::Entity::find()
            .filter(threads::Column::CourseId.eq(course_id))
            .filter(threads::Column::Hidden.eq(false))
            .filter(threads::Column::ReplyCount.eq(0))
            .filter(threads::Column::AcceptedPostId.is_null())
            .count(&self.db)
            .await?)
    }

    /// Visible threads of a course.
    pub async fn thread_count(&self, course_id: i64) -> StoreResult<u64> {
        Ok(threads::Entity::find()
            .filter(threads::Column::CourseId.eq(course_id))
            .filter(threads::Column::Hidden.eq(false))
            .count(&self.db)
            .await?)
    }

    /// The names of the people who wrote in a thread, by id.
    pub async fn names_of(&self, user_ids: &[i64]) -> StoreResult<Vec<(i64, String)>> {
        if user_ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(users::Entity::find()
            .filter(users::Column::Id.is_in(user_ids.iter().copied()))
            .select_only()
            .column(users::Column::Id)
            .column(users::Column::Name)
            .into_tuple::<(i64, String)>()
            .all(&self.db)
            .await?)
    }

    /// How many posts a person wrote since `since`, and when the oldest of them was written.
    pub async fn posts_by_since(
        &self,
        author_id: i64,
        since: Timestamp,
    ) -> StoreResult<(u64, Option<Timestamp>)> {
        let q = posts::Entity::find()
            .filter(posts::Column::AuthorId.eq(author_id))
            .filter(posts::Column::CreatedAt.gt(since));
        let count = q.clone().count(&self.db).await?;
        let oldest = q
            .order_by_asc(posts::Column::CreatedAt)
            .select_only()
            .column(posts::Column::CreatedAt)
            .into_tuple::<Timestamp>()
            .one(&self.db)
            .await?;
        Ok((count, oldest))
    }
}

async fn insert_post(
    db: &impl ConnectionTrait,
    thread_id: i64,
    author_id: i64,
    body: String,
    now: Timestamp,
) -> StoreResult<PostRow> {
    posts::ActiveModel {
        thread_id: Set(thread_id),
        author_id: Set(author_id),
        body: Set(body),
        created_at: Set(now),
        edited_at: Set(None),
        deleted_at: Set(None),
        hidden: Set(false),
        hidden_by: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(StoreError::from_db)
}

async fn insert_revision(
    db: &impl ConnectionTrait,
    post: &PostRow,
    by: i64,
    now: Timestamp,
) -> StoreResult<()> {
    post_revisions::ActiveModel {
        post_id: Set(post.id),
        body: Set(post.body.clone()),
        edited_by: Set(by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(StoreError::from_db)?;
    Ok(())
}
