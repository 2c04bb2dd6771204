//! Review before publishing: an author submits the draft; reviewers (coaches of the owning
//! group, or experts the author or a coach names) comment pinned to a step, threaded and
//! resolvable, approve or ask for changes. Where the owning group (or one above it) requires
//! review, publishing waits for an approval of the draft as it is: a change after approval
//! asks again. The conversation stays with the version (`/courses/{id}/review?version=N`).

use lore_domain::course::VersionState;
use lore_domain::ids::GroupId;
use lore_domain::notification::NotificationKind;
use lore_domain::policy::Action;
use lore_domain::review::{GivenVerdict, ReviewState, Standing, Verdict, standing};
use lore_store::{NewEvent, ReviewCommentRow, ReviewRow, VerdictRow, VersionRow};

use crate::courses::CourseContext;
use crate::notifications::Notice;
use crate::{App, AppError, AppResult, Caller};

pub mod verbs {
    pub const SUBMITTED: &str = "submitted-for-review";
    pub const APPROVED: &str = "review-approved";
    pub const CHANGES_REQUESTED: &str = "review-changes-requested";
    pub const COMMENTED: &str = "review-commented";
}

/// The stable code of "publishing waits for review".
pub const REVIEW_REQUIRED: &str = "review_required";

/// The longest review comment or verdict note.
const MAX_COMMENT: usize = 5_000;

/// How the caller stands towards a course's review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewRoles {
    /// Owner, co-author or group administrator: submits, replies, resolves, publishes.
    pub editor: bool,
    /// May give a verdict (a reviewer who does not write the course).
    pub reviewer: bool,
    /// May name experts as reviewers (editors and coaches of the owning group).
    pub names_reviewers: bool,
}

/// A comment with its replies.
#[derive(Debug, Clone)]
pub struct CommentThread {
    pub comment: ReviewCommentRow,
    /// The pinned step's title (`None`: about the course as a whole).
    pub step_title: Option<String>,
    /// 1-based position of the step in the draft, for "Step 2".
    pub step_position: Option<usize>,
    pub replies: Vec<ReviewCommentRow>,
}

/// The review page of a course's version.
#[derive(Debug, Clone)]
pub struct ReviewView {
    pub ctx: CourseContext,
    pub title: String,
    pub version_number: i32,
    /// The version is a draft still (not yet published).
    pub is_draft: bool,
    /// The owning group (or one above it) requires review before publishing.
    pub required: bool,
    pub review: Option<ReviewRow>,
    pub standing: Option<Standing>,
    /// The draft changed since it was (last) submitted.
    pub changed_since_submitted: bool,
    pub verdicts: Vec<VerdictRow>,
    pub threads: Vec<CommentThread>,
    /// The version's steps: (step key, title), in order.
    pub steps: Vec<(String, String)>,
    /// Named experts: (user id, name, email).
    pub experts: Vec<(i64, String, String)>,
    pub roles: ReviewRoles,
    /// Every version of the course that was reviewed, newest first: (number, state).
    pub history: Vec<(i32, ReviewState)>,
}

/// Review at a glance, for the editor beside Publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewBrief {
    pub required: bool,
    /// `none`, `waiting`, `changed`, `approved` or `changes-requested`.
    pub status: &'static str,
}

impl ReviewBrief {
    pub fn text(&self) -> &'static str {
        match (self.status, self.required) {
            ("none", true) => {
                "This course's group requires review before publishing: submit the draft, and publish once a reviewer approves it."
            }
            ("none", false) => {
                "Review is optional here: you can ask a coach or an expert to look before you publish."
            }
            ("waiting", _) => "Submitted for review; waiting for a reviewer.",
            ("changed", _) => {
                "The draft changed since you submitted it: submit it again so reviewers see this version."
            }
            ("approved", _) => "Approved: you can publish.",
            _ => {
                "A reviewer asked for changes: see the comments, change the draft, then submit it again."
            }
        }
    }
}

impl ReviewView {
    pub fn open(&self) -> bool {
        self.review
            .as_ref()
            .is_some_and(|r| r.state == ReviewState::Open)
    }
}

fn comment_text(body: &str) -> AppResult<String> {
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::invalid("body", "Write something first."));
    }
    if body.chars().count() > MAX_COMMENT {
        return Err(AppError::invalid(
            "body",
            format!("Keep it under {MAX_COMMENT} characters."),
        ));
    }
    Ok(body.to_owned())
}

impl App {
    /// The course with what the review rules need, and how the caller stands towards it.
    /// Someone who is neither an editor, a reviewer nor able to see the course is told it
    /// does not exist.
    async fn review_context(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<(CourseContext, ReviewRoles)> {
        let ctx = self.course_context(course_id).await?;
        let editor = ctx.can(caller, Action::EditCourse);
        let writes = ctx.course.owner_id == caller.id.0 || ctx.coauthors.contains(&caller.id);
        let coach = ctx.can(caller, Action::ReviewCourse);
        let named = self
            .store
            .course_reviewers(course_id)
            .await?
            .iter()
            .any(|(id, _, _)| *id == caller.id.0);
        let roles = ReviewRoles {
            editor,
            reviewer: (coach || named) && !writes,
            names_reviewers: editor || coach,
        };
        if !editor && !roles.reviewer && !coach {
            if ctx.can(caller, Action::ViewCourse) {
                return Err(AppError::Forbidden);
            }
            return Err(AppError::NotFound("That course"));
        }
        Ok((ctx, roles))
    }

    /// Does the course's owning group, or a group above it, require review?
    pub(crate) async fn review_required_for(&self, ctx: &CourseContext) -> AppResult<bool> {
        let lineage: Vec<i64> = ctx.owning_lineage.iter().map(|g| g.0).collect();
        Ok(self.store.review_required(&lineage).await?)
    }

    /// The newest version of a course if it is a draft (never starts one).
    async fn current_draft(&self, course_id: i64) -> AppResult<Option<VersionRow>> {
        Ok(self
            .store
            .versions_of(course_id)
            .await?
            .pop()
            .filter(|v| v.state == VersionState::Draft))
    }

    /// May the caller read the course's draft (its editors, and its reviewers while it is
    /// under review)? For "Preview as learner".
    pub(crate) async fn may_read_draft(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<CourseContext> {
        let (ctx, roles) = self.review_context(caller, course_id).await?;
        if roles.editor {
            return Ok(ctx);
        }
        if let Some(draft) = self.current_draft(course_id).await?
            && let Some(review) = self
                .store
                .review_of_version(course_id, draft.number)
                .await?
            && review.state == ReviewState::Open
        {
            return Ok(ctx);
        }
        Err(AppError::Forbidden)
    }

    /// The review page of a version (the draft's by default). Reads only.
    pub async fn review_page(
        &self,
        caller: &Caller,
        course_id: i64,
        version: Option<i32>,
    ) -> AppResult<ReviewView> {
        let (ctx, roles) = self.review_context(caller, course_id).await?;
        let versions = self.store.versions_of(course_id).await?;
        let shown = match version {
            Some(n) => versions.iter().find(|v| v.number == n),
            None => versions.last(),
        }
        .cloned()
        .ok_or(AppError::NotFound("That version"))?;
        let required = self.review_required_for(&ctx).await?;
        let review = self
            .store
            .review_of_version(course_id, shown.number)
            .await?;
        let is_draft = shown.state == VersionState::Draft;
        let (verdicts, comments) = match &review {
            Some(r) => (
                self.store.verdicts_of(r.id).await?,
                self.store.review_comments_of(r.id).await?,
            ),
            None => (Vec::new(), Vec::new()),
        };
        let (standing_now, changed) = match &review {
            Some(r) if is_draft && r.state == ReviewState::Open => {
                let fingerprint = self.content_fingerprint(&shown).await?;
                (
                    Some(standing(&given(&verdicts), &fingerprint)),
                    fingerprint != r.fingerprint,
                )
            }
            _ => (None, false),
        };
        let steps: Vec<(String, String)> = self
            .store
            .steps_of(shown.id)
            .await?
            .into_iter()
            .map(|s| (s.step_key, s.title))
            .collect();
        let threads = threads_of(comments, &steps);
        let history = self
            .store
            .reviews_of(course_id)
            .await?
            .into_iter()
            .map(|r| (r.version_number, r.state))
            .collect();
        Ok(ReviewView {
            title: shown.title.clone(),
            version_number: shown.number,
            is_draft,
            required,
            review,
            standing: standing_now,
            changed_since_submitted: changed,
            verdicts,
            threads,
            steps,
            experts: self.store.course_reviewers(course_id).await?,
            roles,
            history,
            ctx,
        })
    }

    /// Where the draft stands on review, for its editor (who already holds the draft).
    pub async fn review_brief(
        &self,
        ctx: &CourseContext,
        draft: &VersionRow,
    ) -> AppResult<ReviewBrief> {
        let required = self.review_required_for(ctx).await?;
        let review = self
            .store
            .review_of_version(ctx.course.id, draft.number)
            .await?
            .filter(|r| r.state == ReviewState::Open);
        let status = match review {
            None => "none",
            Some(r) => {
                let fingerprint = self.content_fingerprint(draft).await?;
                let verdicts = self.store.verdicts_of(r.id).await?;
                match standing(&given(&verdicts), &fingerprint) {
                    Standing::Approved => "approved",
                    Standing::ChangesRequested => "changes-requested",
                    Standing::Waiting if fingerprint != r.fingerprint => "changed",
                    Standing::Waiting => "waiting",
                }
            }
        };
        Ok(ReviewBrief { required, status })
    }

    /// The versions of a course that have a review the caller may read (its editors,
    /// coaches and reviewers), for the version history; empty for everyone else.
    pub async fn reviewed_versions(&self, caller: &Caller, course_id: i64) -> AppResult<Vec<i32>> {
        if self.review_context(caller, course_id).await.is_err() {
            return Ok(Vec::new());
        }
        let mut numbers: Vec<i32> = self
            .store
            .reviews_of(course_id)
            .await?
            .into_iter()
            .map(|r| r.version_number)
            .collect();
        numbers.dedup();
        Ok(numbers)
    }

    /// Submit the draft for review (again, after changes). Returns the review's id.
    pub async fn submit_for_review(&self, caller: &Caller, course_id: i64) -> AppResult<i64> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let (ctx, roles) = app.review_context(caller, course_id).await?;
            if !roles.editor {
                return Err(AppError::Forbidden);
            }
            let draft = app.current_draft(course_id).await?.ok_or_else(|| {
                AppError::Conflict("There is no draft to review: edit the course first.".to_owned())
            })?;
            if app.store.steps_of(draft.id).await?.is_empty() {
                return Err(AppError::invalid(
                    "step",
                    "Add a step before asking for review.",
                ));
            }
            let fingerprint = app.content_fingerprint(&draft).await?;
            let now = app.now();
            let review_id = match app.store.review_of_version(course_id, draft.number).await? {
                Some(r) if r.state == ReviewState::Open && r.fingerprint == fingerprint => {
                    return Err(AppError::Conflict(
                        "This draft is already waiting for review, unchanged.".to_owned(),
                    ));
                }
                Some(r) if r.state != ReviewState::Published => {
                    app.store
                        .resubmit_review(r.id, caller.id.0, &fingerprint, now)
                        .await?;
                    r.id
                }
                _ => {
                    app.store
                        .insert_review(course_id, draft.number, caller.id.0, &fingerprint, now)
                        .await?
                }
            };
            app.review_event(caller, &ctx, draft.number, verbs::SUBMITTED, None)
                .await?;
            let reviewers = app.reviewers_of(&ctx).await?;
            app.notify_all(
                &reviewers,
                Notice {
                    user_id: 0,
                    kind: NotificationKind::Review,
                    title: format!("{} asks you to review “{}”", caller.name, draft.title),
                    body:
                        "Read the draft, comment on its steps, then approve it or ask for changes."
                            .to_owned(),
                    link: format!("/courses/{course_id}/review"),
                    actor_id: Some(caller.id.0),
                },
            )
            .await?;
            Ok(review_id)
        })
        .await
    }

    /// Comment on the draft under review, pinned to a step (`step_key`) or to the course,
    /// or answer a comment (`parent`). Returns the comment's id.
    pub async fn comment_on_review(
        &self,
        caller: &Caller,
        course_id: i64,
        step_key: Option<&str>,
        parent: Option<i64>,
        body: &str,
    ) -> AppResult<i64> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let (ctx, roles) = app.review_context(caller, course_id).await?;
            if !roles.editor && !roles.reviewer {
                return Err(AppError::Forbidden);
            }
            let (review, draft) = app.open_review(course_id).await?;
            let body = comment_text(body)?;
            let comments = app.store.review_comments_of(review.id).await?;
            let (step_key, parent) = match parent {
                Some(id) => {
                    let Some(top) = comments
                        .iter()
                        .find(|c| c.id == id && c.parent_id.is_none())
                    else {
                        // A comment that is not there (decision 0037).
                        return Err(AppError::NotFound("That comment of this review"));
                    };
                    (top.step_key.clone(), Some(top.id))
                }
                None => {
                    let key = step_key.map(str::trim).filter(|k| !k.is_empty());
                    if let Some(key) = key {
                        let steps = app.store.steps_of(draft.id).await?;
                        if !steps.iter().any(|s| s.step_key == key) {
                            return Err(AppError::NotFound("That step of the draft"));
                        }
                    }
                    (key.map(str::to_owned), None)
                }
            };
            let id = app
                .store
                .insert_review_comment(
                    review.id,
                    step_key.as_deref(),
                    parent,
                    caller.id.0,
                    &body,
                    app.now(),
                )
                .await?;
            app.review_event(
                caller,
                &ctx,
                draft.number,
                verbs::COMMENTED,
                Some(step_key.clone()),
            )
            .await?;
            // Tell the other side: the author hears of reviewers' comments; reviewers and
            // the thread's people hear of the author's.
            let mut told: Vec<i64> = vec![review.submitted_by, ctx.course.owner_id];
            if let Some(p) = parent {
                told.extend(
                    comments
                        .iter()
                        .filter(|c| c.id == p || c.parent_id == Some(p))
                        .map(|c| c.author_id),
                );
            }
            told.extend(
                app.store
                    .verdicts_of(review.id)
                    .await?
                    .iter()
                    .map(|v| v.reviewer_id),
            );
            app.notify_all(
                &told,
                Notice {
                    user_id: 0,
                    kind: NotificationKind::Review,
                    title: format!(
                        "{} commented on the review of “{}”",
                        caller.name, draft.title
                    ),
                    body: body.chars().take(200).collect(),
                    link: format!("/courses/{course_id}/review#comment-{id}"),
                    actor_id: Some(caller.id.0),
                },
            )
            .await?;
            Ok(id)
        })
        .await
    }

    /// Mark a comment's thread resolved, or open it again.
    pub async fn resolve_review_comment(
        &self,
        caller: &Caller,
        course_id: i64,
        comment_id: i64,
        resolved: bool,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let (_, roles) = app.review_context(caller, course_id).await?;
            if !roles.editor && !roles.reviewer {
                return Err(AppError::Forbidden);
            }
            let (review, _) = app.open_review(course_id).await?;
            let by = resolved.then_some(caller.id.0);
            if !app
                .store
                .resolve_review_comment(review.id, comment_id, by, app.now())
                .await?
            {
                return Err(AppError::NotFound("That comment"));
            }
            Ok(())
        })
        .await
    }

    /// A reviewer approves the draft as it is, or asks for changes.
    pub async fn give_verdict(
        &self,
        caller: &Caller,
        course_id: i64,
        verdict: Verdict,
        note: &str,
    ) -> AppResult<Standing> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let (ctx, roles) = app.review_context(caller, course_id).await?;
            if !roles.reviewer {
                if roles.editor {
                    return Err(AppError::refused(
                        "own_course",
                        "You write this course: someone else must review it. Name an expert or ask a coach of its group.",
                    ));
                }
                return Err(AppError::Forbidden);
            }
            let note = note.trim();
            if note.chars().count() > MAX_COMMENT {
                return Err(AppError::invalid(
                    "note",
                    format!("Keep the note under {MAX_COMMENT} characters."),
                ));
            }
            let (review, draft) = app.open_review(course_id).await?;
            let fingerprint = app.content_fingerprint(&draft).await?;
            app.store
                .insert_verdict(review.id, caller.id.0, verdict, &fingerprint, note, app.now())
                .await?;
            let verb = match verdict {
                Verdict::Approved => verbs::APPROVED,
                Verdict::ChangesRequested => verbs::CHANGES_REQUESTED,
            };
            app.review_event(caller, &ctx, draft.number, verb, None).await?;
            let (title, body) = match verdict {
                Verdict::Approved => (
                    format!("{} approved “{}”", caller.name, draft.title),
                    "You can publish it now.".to_owned(),
                ),
                Verdict::ChangesRequested => (
                    format!("{} asks for changes to “{}”", caller.name, draft.title),
                    if note.is_empty() {
                        "Read the comments on the review page, change the draft, then submit it again.".to_owned()
                    } else {
                        note.chars().take(200).collect()
                    },
                ),
            };
            app.notify_all(
                &[review.submitted_by, ctx.course.owner_id],
                Notice {
                    user_id: 0,
                    kind: NotificationKind::Review,
                    title,
                    body,
                    link: format!("/courses/{course_id}/review"),
                    actor_id: Some(caller.id.0),
                },
            )
            .await?;
            let verdicts = app.store.verdicts_of(review.id).await?;
            Ok(standing(&given(&verdicts), &fingerprint))
        })
        .await
    }

    /// Name an expert to review the course (editors and coaches of its group).
    pub async fn add_reviewer(
        &self,
        caller: &Caller,
        course_id: i64,
        email: &str,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let (ctx, roles) = app.review_context(caller, course_id).await?;
            if !roles.names_reviewers {
                return Err(AppError::Forbidden);
            }
            let email = lore_domain::account::Email::parse(email)?;
            // Nobody with the address is someone who is not there: 404 (decision 0037).
            let person = match app.store.user_by_email(email.as_str()).await? {
                Some(u) if u.active => u.id,
                _ => return Err(AppError::NotFound(crate::NO_SUCH_PERSON)),
            };
            if person == ctx.course.owner_id || ctx.coauthors.iter().any(|c| c.0 == person) {
                // Who they are in the course, not the address's shape: a conflict with
                // what is there (409), as schemathesis holds a valid address to.
                return Err(AppError::Conflict(
                    "That person writes the course; a reviewer must be someone else.".to_owned(),
                ));
            }
            match app
                .store
                .add_course_reviewer(course_id, person, caller.id.0, app.now())
                .await
            {
                Ok(()) => {}
                Err(lore_store::StoreError::Conflict) => {
                    return Err(AppError::Conflict(
                        "That person is already a reviewer.".to_owned(),
                    ));
                }
                Err(e) => return Err(e.into()),
            }
            app.notify(Notice {
                user_id: person,
                kind: NotificationKind::Review,
                title: format!("{} named you a reviewer of a course", caller.name),
                body: "You will be asked when a draft waits for review.".to_owned(),
                link: format!("/courses/{course_id}/review"),
                actor_id: Some(caller.id.0),
            })
            .await?;
            Ok(())
        })
        .await
    }

    pub async fn remove_reviewer(
        &self,
        caller: &Caller,
        course_id: i64,
        user_id: i64,
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let (_, roles) = app.review_context(caller, course_id).await?;
            if !roles.names_reviewers {
                return Err(AppError::Forbidden);
            }
            if !app.store.remove_course_reviewer(course_id, user_id).await? {
                return Err(AppError::NotFound("That reviewer"));
            }
            Ok(())
        })
        .await
    }

    /// Before publishing `draft`: where review is required, an approval of the draft as it
    /// is. Returns the open review to close once published.
    pub(crate) async fn publish_gate(
        &self,
        ctx: &CourseContext,
        draft: &VersionRow,
    ) -> AppResult<Option<ReviewRow>> {
        let review = self
            .store
            .review_of_version(ctx.course.id, draft.number)
            .await?
            .filter(|r| r.state == ReviewState::Open);
        if !self.review_required_for(ctx).await? {
            return Ok(review);
        }
        let Some(review) = review else {
            return Err(AppError::refused(
                REVIEW_REQUIRED,
                "This course's group requires review before publishing: submit the draft for review first. Nothing was published.",
            ));
        };
        let fingerprint = self.content_fingerprint(draft).await?;
        let verdicts = self.store.verdicts_of(review.id).await?;
        match standing(&given(&verdicts), &fingerprint) {
            Standing::Approved => Ok(Some(review)),
            Standing::ChangesRequested => Err(AppError::refused(
                REVIEW_REQUIRED,
                "A reviewer asked for changes: change the draft and submit it again. Nothing was published.",
            )),
            Standing::Waiting if verdicts.iter().any(|v| v.verdict == Verdict::Approved) => {
                Err(AppError::refused(
                    REVIEW_REQUIRED,
                    "The draft changed after it was approved: submit it again for review. Nothing was published.",
                ))
            }
            Standing::Waiting => Err(AppError::refused(
                REVIEW_REQUIRED,
                "The draft waits for a reviewer's approval. Nothing was published.",
            )),
        }
    }

    /// The open review of the course's draft, and the draft.
    async fn open_review(&self, course_id: i64) -> AppResult<(ReviewRow, VersionRow)> {
        let draft = self
            .current_draft(course_id)
            .await?
            .ok_or_else(|| AppError::Conflict("There is no draft under review.".to_owned()))?;
        let review = self
            .store
            .review_of_version(course_id, draft.number)
            .await?
            .filter(|r| r.state == ReviewState::Open)
            .ok_or_else(|| {
                AppError::Conflict("The draft is not under review: submit it first.".to_owned())
            })?;
        Ok((review, draft))
    }

    /// Who reviews a course: coaches and administrators of its owning group and the groups
    /// above it, and the named experts; never its writers.
    async fn reviewers_of(&self, ctx: &CourseContext) -> AppResult<Vec<i64>> {
        let lineage: Vec<i64> = ctx.owning_lineage.iter().map(|g: &GroupId| g.0).collect();
        let mut people = self.store.coaches_in(&lineage).await?;
        people.extend(
            self.store
                .course_reviewers(ctx.course.id)
                .await?
                .into_iter()
                .map(|(id, _, _)| id),
        );
        people.retain(|p| *p != ctx.course.owner_id && !ctx.coauthors.iter().any(|c| c.0 == *p));
        people.sort_unstable();
        people.dedup();
        Ok(people)
    }

    async fn review_event(
        &self,
        caller: &Caller,
        ctx: &CourseContext,
        version: i32,
        verb: &'static str,
        step_key: Option<Option<String>>,
    ) -> AppResult<()> {
        self.store
            .append_event(
                NewEvent {
                    user_id: caller.id.0,
                    verb,
                    course_id: Some(ctx.course.id),
                    version_number: Some(version),
                    step_key: step_key.flatten(),
                    group_id: Some(ctx.course.group_id),
                    ..NewEvent::default()
                },
                self.now(),
            )
            .await?;
        Ok(())
    }
}

fn given(verdicts: &[VerdictRow]) -> Vec<GivenVerdict> {
    verdicts
        .iter()
        .map(|v| GivenVerdict {
            reviewer: v.reviewer_id,
            verdict: v.verdict,
            fingerprint: v.fingerprint.clone(),
        })
        .collect()
}

/// Comments as threads: top-level ones in step order (the course as a whole first), each
/// with its replies oldest first.
fn threads_of(comments: Vec<ReviewCommentRow>, steps: &[(String, String)]) -> Vec<CommentThread> {
    let (tops, replies): (Vec<_>, Vec<_>) =
        comments.into_iter().partition(|c| c.parent_id.is_none());
    let mut threads: Vec<CommentThread> = tops
        .into_iter()
        .map(|c| {
            let position = c
                .step_key
                .as_deref()
                .and_then(|k| steps.iter().position(|(key, _)| key == k));
            CommentThread {
                step_title: position.map(|i| steps[i].1.clone()),
                step_position: position.map(|i| i + 1),
                replies: replies
                    .iter()
                    .filter(|r| r.parent_id == Some(c.id))
                    .cloned()
                    .collect(),
                comment: c,
            }
        })
        .collect();
    threads.sort_by_key(|t| (t.step_position.unwrap_or(0), t.comment.id));
    threads
}
