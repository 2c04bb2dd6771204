//! Writing in discussions: start a thread, reply, edit or delete one's own post, accept an
//! answer; with the spam limit and the notifications each brings.

use lore_domain::discussion::{POSTS_PER_HOUR, PostBody, ThreadTitle, mentions};
use lore_domain::notification::NotificationKind;
use lore_domain::policy::Action;
use lore_store::{NewThread, PostRow, ThreadRow};

use super::{moderates, post_link};
use crate::courses::access::CourseContext;
use crate::markdown::plain_text;
use crate::notifications::Notice;
use crate::{App, AppError, AppResult, Caller};

/// A new thread as the form or the API sends it.
#[derive(Debug, Clone, Copy)]
pub struct NewThreadInput<'a> {
    pub title: &'a str,
    pub body: &'a str,
    /// The step it is about; `None` or empty for the course as a whole.
    pub step_key: Option<&'a str>,
}

/// The longest excerpt of a post in a notification.
const EXCERPT_CHARS: usize = 200;

fn excerpt(markdown: &str) -> String {
    let text = plain_text(markdown);
    if text.chars().count() <= EXCERPT_CHARS {
        return text;
    }
    let mut short: String = text.chars().take(EXCERPT_CHARS - 1).collect();
    short.push('…');
    short
}

fn locked() -> AppError {
    AppError::Conflict(
        "This discussion is locked: it takes no more replies or edits. Start a new discussion if you need to."
            .to_owned(),
    )
}

impl App {
    /// Open a discussion on a course or one of its steps. Its authors are told.
    pub async fn start_thread(
        &self,
        caller: &Caller,
        course_id: i64,
        input: NewThreadInput<'_>,
    ) -> AppResult<(ThreadRow, PostRow)> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let (ctx, latest) = app.discussed_course(caller, course_id).await?;
            let title = ThreadTitle::parse(input.title)?;
            let body = PostBody::parse(input.body)?;
            let step_key = match input.step_key.map(str::trim).filter(|k| !k.is_empty()) {
                Some(key) => {
                    let steps = app.store.steps_of(latest.id).await?;
                    if !steps.iter().any(|s| s.step_key == key) {
                        return Err(AppError::NotFound("That step of the course"));
                    }
                    Some(key.to_owned())
                }
                None => None,
            };
            app.check_post_rate(caller).await?;
            let (thread, post) = app
                .store
                .create_thread(
                    NewThread {
                        course_id,
                        step_key,
                        title: title.into_inner(),
                        author_id: caller.id.0,
                        body: body.into_inner(),
                    },
                    app.now(),
                )
                .await?;
            app.refresh_course_health(course_id).await?;
            let mentioned = app
                .tell_mentioned(&ctx, caller, &thread, &post, &[])
                .await?;
            let mut authors = vec![ctx.course.owner_id];
            authors.extend(ctx.coauthors.iter().map(|u| u.0));
            authors.retain(|a| !mentioned.contains(a));
            app.notify_all(
                &authors,
                Notice {
                    user_id: 0,
                    kind: NotificationKind::Thread,
                    title: format!(
                        "{} asked on {}: {}",
                        caller.name, latest.title, thread.title
                    ),
                    body: excerpt(&post.body),
                    link: post_link(course_id, thread.id, post.id),
                    actor_id: Some(caller.id.0),
                },
            )
            .await?;
            Ok((thread, post))
        })
        .await
    }

    /// Reply in a thread. The asker and earlier participants are told.
    pub async fn reply(
        &self,
        caller: &Caller,
        course_id: i64,
        thread_id: i64,
        body: &str,
    ) -> AppResult<PostRow> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let (ctx, _) = app.discussed_course(caller, course_id).await?;
            let thread = app.visible_thread(&ctx, caller, thread_id).await?;
            if thread.locked {
                return Err(locked());
            }
            let body = PostBody::parse(body)?;
            app.check_post_rate(caller).await?;
            let earlier = app.store.posts_of(thread_id).await?;
            let post = app
                .store
                .add_reply(thread_id, caller.id.0, body.into_inner(), app.now())
                .await?;
            app.refresh_course_health(course_id).await?;
            let mentioned = app
                .tell_mentioned(&ctx, caller, &thread, &post, &[])
                .await?;
            let mut told = vec![thread.created_by];
            told.extend(
                earlier
                    .iter()
                    .filter(|p| p.deleted_at.is_none())
                    .map(|p| p.author_id),
            );
            told.retain(|u| !mentioned.contains(u));
            app.notify_all(
                &told,
                Notice {
                    user_id: 0,
                    kind: NotificationKind::Reply,
                    title: format!("{} replied to “{}”", caller.name, thread.title),
                    body: excerpt(&post.body),
                    link: post_link(course_id, thread_id, post.id),
                    actor_id: Some(caller.id.0),
                },
            )
            .await?;
            Ok(post)
        })
        .await
    }

    /// Change one's own post; the old text is kept for moderators. Newly mentioned people
    /// are told.
    pub async fn edit_post(
        &self,
        caller: &Caller,
        course_id: i64,
        thread_id: i64,
        post_id: i64,
        body: &str,
    ) -> AppResult<PostRow> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let (ctx, thread, post) = app.own_post(caller, course_id, thread_id, post_id).await?;
            if thread.locked {
                return Err(locked());
            }
            let body = PostBody::parse(body)?;
            if body.as_str() == post.body {
                return Ok(post);
            }
            let before = mentions(&post.body);
            app.store
                .edit_post(&post, body.as_str().to_owned(), caller.id.0, app.now())
                .await?;
            let edited = app
                .store
                .post(post_id)
                .await?
                .ok_or(AppError::NotFound("That post"))?;
            app.tell_mentioned(&ctx, caller, &thread, &edited, &before)
                .await?;
            Ok(edited)
        })
        .await
    }

    /// Whether the caller may edit or delete this post (their own, not deleted): the same
    /// refusals as [`App::edit_post`] before its body is read; reads only.
    pub async fn may_change_post(
        &self,
        caller: &Caller,
        course_id: i64,
        thread_id: i64,
        post_id: i64,
    ) -> AppResult<()> {
        self.own_post(caller, course_id, thread_id, post_id).await?;
        Ok(())
    }

    /// Delete one's own post: it shows as deleted; moderators still see its text in history.
    pub async fn delete_post(
        &self,
        caller: &Caller,
        course_id: i64,
        thread_id: i64,
        post_id: i64,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let (_, _, post) = app.own_post(caller, course_id, thread_id, post_id).await?;
            let opening = app
                .store
                .posts_of(thread_id)
                .await?
                .first()
                .is_some_and(|p| p.id == post_id);
            app.store
                .delete_post(&post, !opening, caller.id.0, app.now())
                .await?;
            app.refresh_course_health(course_id).await?;
            Ok(())
        })
        .await
    }

    /// Mark a reply as the answer (`None` clears it): the asker or an author of the course.
    /// The answer's author is told.
    pub async fn accept_answer(
        &self,
        caller: &Caller,
        course_id: i64,
        thread_id: i64,
        post_id: Option<i64>,
    ) -> AppResult<ThreadRow> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let (ctx, _) = app.discussed_course(caller, course_id).await?;
            let thread = app.visible_thread(&ctx, caller, thread_id).await?;
            if thread.created_by != caller.id.0 && !ctx.can(caller, Action::EditCourse) {
                return Err(AppError::Forbidden);
            }
            let answer = match post_id {
                Some(id) => {
                    let posts = app.store.posts_of(thread_id).await?;
                    let post = posts
                        .iter()
                        .skip(1)
                        .find(|p| p.id == id && !p.hidden)
                        .cloned()
                        .ok_or(AppError::NotFound("That reply"))?;
                    if post.deleted_at.is_some() {
                        return Err(AppError::Conflict(
                            "That reply was deleted; choose another.".to_owned(),
                        ));
                    }
                    Some(post)
                }
                None => None,
            };
            app.store
                .set_accepted_post(thread_id, answer.as_ref().map(|p| p.id))
                .await?;
            app.refresh_course_health(course_id).await?;
            if let Some(post) = &answer
                && thread.accepted_post_id != Some(post.id)
            {
                app.notify(Notice {
                    user_id: post.author_id,
                    kind: NotificationKind::Reply,
                    title: format!(
                        "Your reply was accepted as the answer to “{}”",
                        thread.title
                    ),
                    body: excerpt(&post.body),
                    link: post_link(course_id, thread_id, post.id),
                    actor_id: Some(caller.id.0),
                })
                .await?;
            }
            app.store
                .thread(thread_id)
                .await?
                .ok_or(AppError::NotFound("That discussion"))
        })
        .await
    }

    /// A post of the caller's in a thread they can see, not deleted and not hidden from them.
    async fn own_post(
        &self,
        caller: &Caller,
        course_id: i64,
        thread_id: i64,
        post_id: i64,
    ) -> AppResult<(CourseContext, ThreadRow, PostRow)> {
        let (ctx, _) = self.discussed_course(caller, course_id).await?;
        let thread = self.visible_thread(&ctx, caller, thread_id).await?;
        let post = self
            .store
            .post(post_id)
            .await?
            .filter(|p| p.thread_id == thread_id)
            .filter(|p| !p.hidden || moderates(&ctx, caller))
            .ok_or(AppError::NotFound("That post"))?;
        if post.author_id != caller.id.0 {
            return Err(AppError::Forbidden);
        }
        if post.deleted_at.is_some() {
            return Err(AppError::Conflict(
                "That post is already deleted.".to_owned(),
            ));
        }
        Ok((ctx, thread, post))
    }

    /// At most [`POSTS_PER_HOUR`] posts per person per hour, counted in the database so every
    /// server node agrees.
    async fn check_post_rate(&self, caller: &Caller) -> AppResult<()> {
        let now = self.now();
        let hour = time::Duration::hours(1);
        let (count, oldest) = self.store.posts_by_since(caller.id.0, now - hour).await?;
        if count >= POSTS_PER_HOUR {
            let wait = oldest.map_or(hour, |t| t + hour - now);
            return Err(AppError::RateLimited {
                retry_after_secs: wait.whole_seconds().max(1).unsigned_abs(),
            });
        }
        Ok(())
    }

    /// Tell the people a post mentions (and who may see the course) — except those already
    /// mentioned in `before` and the writer. Returns who was told.
    async fn tell_mentioned(
        &self,
        ctx: &CourseContext,
        caller: &Caller,
        thread: &ThreadRow,
        post: &PostRow,
        before: &[String],
    ) -> AppResult<Vec<i64>> {
        let mut told = Vec::new();
        for email in mentions(&post.body) {
            if before.contains(&email) {
                continue;
            }
            let Some(user) = self.store.user_by_email(&email).await? else {
                continue;
            };
            if user.id == caller.id.0 || told.contains(&user.id) {
                continue;
            }
            let Some(person) = self.caller(user.id).await? else {
                continue;
            };
            if !ctx.can(&person, Action::ViewCourse) {
                continue;
            }
            self.notify(Notice {
                user_id: user.id,
                kind: NotificationKind::Mention,
                title: format!("{} mentioned you in “{}”", caller.name, thread.title),
                body: excerpt(&post.body),
                link: post_link(thread.course_id, thread.id, post.id),
                actor_id: Some(caller.id.0),
            })
            .await?;
            told.push(user.id);
        }
        Ok(told)
    }
}
