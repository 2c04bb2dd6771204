//! Reading discussions: the threads of a course, one thread with its posts, a post's history.

use std::collections::HashMap;

use lore_store::{PostRow, ThreadRow};
use time::OffsetDateTime;

use super::{moderates, post_link};
use crate::courses::access::CourseContext;
use crate::markdown::render;
use crate::{App, AppError, AppResult, Caller};

/// A step a thread can be about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRef {
    pub key: String,
    pub title: String,
}

/// A thread in a list.
#[derive(Debug, Clone)]
pub struct ThreadSummary {
    pub thread: ThreadRow,
    pub asker_name: String,
    /// The step it is about, by its title in the newest version.
    pub step: Option<StepRef>,
}

/// The discussions of a course, as its page shows them.
#[derive(Debug, Clone)]
pub struct CourseDiscussions {
    pub course_id: i64,
    pub course_title: String,
    /// The steps of the newest version, to start a discussion about one.
    pub steps: Vec<StepRef>,
    /// The step the list is filtered to.
    pub step: Option<StepRef>,
    pub threads: Vec<ThreadSummary>,
    pub moderator: bool,
}

/// An earlier text of a post (moderators only).
#[derive(Debug, Clone)]
pub struct RevisionView {
    pub markdown: String,
    pub edited_by_name: String,
    pub replaced_at: OffsetDateTime,
}

/// A post as the caller may see it.
#[derive(Debug, Clone)]
pub struct PostView {
    pub id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub markdown: String,
    /// Sanitised HTML of the Markdown; empty when deleted.
    pub html: String,
    pub created_at: OffsetDateTime,
    pub edited_at: Option<OffsetDateTime>,
    pub deleted: bool,
    /// Hidden by a moderator (only moderators see such posts).
    pub hidden: bool,
    pub accepted: bool,
    /// The first post of the thread: the question.
    pub opening: bool,
    pub mine: bool,
    pub link: String,
    /// Earlier texts, oldest first; filled for moderators only.
    pub history: Vec<RevisionView>,
}

/// One thread with its posts and what the caller may do there.
#[derive(Debug, Clone)]
pub struct ThreadView {
    pub course_id: i64,
    pub course_title: String,
    pub thread: ThreadRow,
    pub step: Option<StepRef>,
    pub posts: Vec<PostView>,
    pub moderator: bool,
    /// The caller asked the question or writes the course.
    pub can_accept: bool,
}

impl App {
    /// The threads of a course the caller may see (about `step` only when given), newest
    /// activity first.
    pub async fn discussions(
        &self,
        caller: &Caller,
        course_id: i64,
        step: Option<&str>,
    ) -> AppResult<CourseDiscussions> {
        let (ctx, latest) = self.discussed_course(caller, course_id).await?;
        let moderator = moderates(&ctx, caller);
        let steps: Vec<StepRef> = self
            .store
            .steps_of(latest.id)
            .await?
            .into_iter()
            .map(|s| StepRef {
                key: s.step_key,
                title: s.title,
            })
            .collect();
        let step = step.map(str::trim).filter(|k| !k.is_empty());
        let rows = self.store.threads_of(course_id, step, moderator).await?;
        let askers: Vec<i64> = rows.iter().map(|t| t.created_by).collect();
        let names = self.names(&askers).await?;
        let threads = rows
            .into_iter()
            .map(|thread| ThreadSummary {
                asker_name: name_of(&names, thread.created_by),
                step: thread.step_key.as_deref().map(|k| step_ref(&steps, k)),
                thread,
            })
            .collect();
        Ok(CourseDiscussions {
            course_id,
            course_title: latest.title,
            step: step.map(|k| step_ref(&steps, k)),
            steps,
            threads,
            moderator,
        })
    }

    /// One thread with the posts the caller may see.
    pub async fn discussion_thread(
        &self,
        caller: &Caller,
        course_id: i64,
        thread_id: i64,
    ) -> AppResult<ThreadView> {
        let (ctx, latest) = self.discussed_course(caller, course_id).await?;
        let moderator = moderates(&ctx, caller);
        let thread = self.visible_thread(&ctx, caller, thread_id).await?;
        let rows = self.store.posts_of(thread_id).await?;
        let opening_id = rows.first().map(|p| p.id);
        let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
        let revisions = if moderator {
            self.store.revisions_of(&ids).await?
        } else {
            Vec::new()
        };
        let mut people: Vec<i64> = rows.iter().map(|p| p.author_id).collect();
        people.extend(revisions.iter().map(|r| r.edited_by));
        let names = self.names(&people).await?;
        let posts = rows
            .into_iter()
            .filter(|p| moderator || !p.hidden)
            .map(|p| {
                let history = revisions
                    .iter()
                    .filter(|r| r.post_id == p.id)
                    .map(|r| RevisionView {
                        markdown: r.body.clone(),
                        edited_by_name: name_of(&names, r.edited_by),
                        replaced_at: r.created_at,
                    })
                    .collect();
                post_view(&thread, p, opening_id, caller, &names, history)
            })
            .collect();
        let step = match &thread.step_key {
            Some(k) => {
                let steps = self.store.steps_of(latest.id).await?;
                Some(steps.iter().find(|s| &s.step_key == k).map_or_else(
                    || removed_step(k),
                    |s| StepRef {
                        key: s.step_key.clone(),
                        title: s.title.clone(),
                    },
                ))
            }
            None => None,
        };
        Ok(ThreadView {
            course_id,
            course_title: latest.title,
            can_accept: thread.created_by == caller.id.0
                || ctx.can(caller, lore_domain::policy::Action::EditCourse),
            thread,
            step,
            posts,
            moderator,
        })
    }

    /// The earlier texts of a post: moderators only.
    pub async fn post_history(
        &self,
        caller: &Caller,
        course_id: i64,
        post_id: i64,
    ) -> AppResult<Vec<RevisionView>> {
        let (ctx, _) = self.discussed_course(caller, course_id).await?;
        if !moderates(&ctx, caller) {
            return Err(AppError::Forbidden);
        }
        let post = self
            .store
            .post(post_id)
            .await?
            .ok_or(AppError::NotFound("That post"))?;
        self.visible_thread(&ctx, caller, post.thread_id).await?;
        let revisions = self.store.revisions_of(&[post_id]).await?;
        let people: Vec<i64> = revisions.iter().map(|r| r.edited_by).collect();
        let names = self.names(&people).await?;
        Ok(revisions
            .into_iter()
            .map(|r| RevisionView {
                edited_by_name: name_of(&names, r.edited_by),
                markdown: r.body,
                replaced_at: r.created_at,
            })
            .collect())
    }

    /// How many discussions the course page links to (hidden ones left out).
    pub async fn discussion_count(&self, ctx: &CourseContext) -> AppResult<u64> {
        Ok(self.store.thread_count(ctx.course.id).await?)
    }

    pub(super) async fn names(&self, ids: &[i64]) -> AppResult<HashMap<i64, String>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        Ok(self.store.names_of(&ids).await?.into_iter().collect())
    }
}

fn name_of(names: &HashMap<i64, String>, id: i64) -> String {
    names
        .get(&id)
        .cloned()
        .unwrap_or_else(|| "Someone".to_owned())
}

fn removed_step(key: &str) -> StepRef {
    StepRef {
        key: key.to_owned(),
        title: "A step no longer in the course".to_owned(),
    }
}

fn step_ref(steps: &[StepRef], key: &str) -> StepRef {
    steps
        .iter()
        .find(|s| s.key == key)
        .cloned()
        .unwrap_or_else(|| removed_step(key))
}

fn post_view(
    thread: &ThreadRow,
    p: PostRow,
    opening_id: Option<i64>,
    caller: &Caller,
    names: &HashMap<i64, String>,
    history: Vec<RevisionView>,
) -> PostView {
    let deleted = p.deleted_at.is_some();
    PostView {
        id: p.id,
        author_id: p.author_id,
        author_name: name_of(names, p.author_id),
        html: if deleted {
            String::new()
        } else {
            render(&p.body)
        },
        markdown: if deleted { String::new() } else { p.body },
        created_at: p.created_at,
        edited_at: p.edited_at,
        deleted,
        hidden: p.hidden,
        accepted: thread.accepted_post_id == Some(p.id),
        opening: opening_id == Some(p.id),
        mine: p.author_id == caller.id.0,
        link: post_link(thread.course_id, thread.id, p.id),
        history,
    }
}
