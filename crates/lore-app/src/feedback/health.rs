//! What the feedback says about a course: the reaction score of the course and of each step,
//! course health with its reasons, the feedback page for authors and coaches, and the
//! "needs attention" list (courses I write, courses in groups I coach), least healthy first.
//! The list reads figures stored per course (`course_health`), which the use cases that
//! change an input of health recount in their unit of work (`refresh_course_health`); so do
//! "Courses you write" and the count of open reactions beside a course's "Feedback" link.

use lore_domain::course::{CourseStatus, VersionState};
use lore_domain::policy::Action;
use lore_domain::reactions::{
    Health, HealthInput, ReactionKind, ReactionStatus, course_health, reaction_score,
};
use lore_domain::visibility::scope;
use lore_store::{CourseRow, HealthFigures, ReactionRow, SuggestedEditRow};
use time::OffsetDateTime;

use crate::courses::CourseContext;
use crate::{App, AppError, AppResult, Caller};

/// The numbers behind a course's health.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseHealth {
    pub health: Health,
    pub reaction_score: Option<i32>,
    pub positive: u64,
    pub negative: u64,
    pub viewers: u64,
    pub open_outdated: u64,
    pub unanswered: u64,
    pub open_not_clear: u64,
    pub flagged_items: u64,
    pub days_since_review: u64,
    pub open_suggestions: u64,
}

/// Reactions on one step of the newest version.
#[derive(Debug, Clone)]
pub struct StepFeedback {
    pub step_key: String,
    pub title: String,
    pub positive: u64,
    pub negative: u64,
    pub viewers: u64,
    pub score: Option<i32>,
}

/// A reaction with the names a reader needs.
#[derive(Debug, Clone)]
pub struct ReactionLine {
    pub row: ReactionRow,
    pub who: String,
    pub step_title: String,
}

/// A suggestion with its proposer's name.
#[derive(Debug, Clone)]
pub struct SuggestionLine {
    pub row: SuggestedEditRow,
    pub proposer: String,
}

/// The feedback page of a course.
#[derive(Debug, Clone)]
pub struct FeedbackView {
    pub ctx: CourseContext,
    pub title: String,
    pub health: CourseHealth,
    pub steps: Vec<StepFeedback>,
    pub reactions: Vec<ReactionLine>,
    pub suggestions: Vec<SuggestionLine>,
    /// Published version numbers, for "fixed in version N".
    pub published: Vec<i32>,
    pub can_edit: bool,
}

/// One line of the "needs attention" list.
#[derive(Debug, Clone)]
pub struct AttentionEntry {
    pub course_id: i64,
    pub title: String,
    pub health: CourseHealth,
    /// `author` for courses the caller writes, `coach` for courses in groups they coach.
    pub because: &'static str,
    /// Why the course is stale, if it is (see `courses::upkeep`).
    pub stale: Vec<lore_domain::review::StaleReason>,
}

/// One line of "Courses you write".
#[derive(Debug, Clone)]
pub struct AuthoredCourse {
    pub course_id: i64,
    /// The newest version's title, draft or published.
    pub title: String,
    pub version: i32,
    /// The newest version is a draft.
    pub draft: bool,
    pub archived: bool,
    /// Health now, for a course with a published version (the feedback page needs one).
    pub health: Option<CourseHealth>,
    /// Open negative reactions of every kind.
    pub open_reactions: u64,
}

/// How many courses the short "Courses you write" on the home page shows.
pub const HOME_AUTHORED: u64 = 5;

fn split(counts: impl Iterator<Item = (String, u64)>) -> (u64, u64) {
    let mut positive = 0;
    let mut negative = 0;
    for (kind, n) in counts {
        match ReactionKind::parse(&kind) {
            Ok(k) if k.is_positive() => positive += n,
            Ok(_) => negative += n,
            Err(_) => {}
        }
    }
    (positive, negative)
}

/// How many courses a page of "needs attention" shows.
pub const ATTENTION_PAGE_SIZE: u64 = 20;

/// The points of health the figures cost apart from age (which the clock decides).
fn lost_apart_from_age(f: &HealthFigures) -> u32 {
    course_health(&health_input(f, 0))
        .reasons
        .iter()
        .map(|r| r.points)
        .sum()
}

fn health_input(f: &HealthFigures, days_since_review: u64) -> HealthInput {
    HealthInput {
        reaction_score: reaction_score(f.positive, f.negative, f.viewers),
        open_outdated_flags: f.open_outdated,
        unanswered_questions: f.unanswered,
        open_not_clear: f.open_not_clear,
        flagged_items: f.flagged_items,
        days_since_review,
    }
}

/// Health at `now` from the figures: the one place stored and fresh figures become health.
/// Days since review are whole days between the Unix seconds (as the SQL of the stored list
/// counts them, so its order and the scores shown agree).
pub(crate) fn health_at(f: &HealthFigures, now: OffsetDateTime) -> CourseHealth {
    let days_since_review = f
        .reviewed_at_secs
        .map_or(0, |at| ((now.unix_timestamp() - at) / 86_400).max(0) as u64);
    let input = health_input(f, days_since_review);
    CourseHealth {
        health: course_health(&input),
        reaction_score: input.reaction_score,
        positive: f.positive,
        negative: f.negative,
        viewers: f.viewers,
        open_outdated: f.open_outdated,
        unanswered: f.unanswered,
        open_not_clear: f.open_not_clear,
        flagged_items: f.flagged_items,
        days_since_review,
        open_suggestions: f.open_suggestions,
    }
}

impl App {
    /// Course health now, from the stored feedback (no permission check; callers check).
    pub(crate) async fn health_of(&self, ctx: &CourseContext) -> AppResult<CourseHealth> {
        let (figures, _) = self.health_figures(&ctx.course).await?;
        Ok(health_at(&figures, self.now()))
    }

    /// The inputs of health counted afresh from the feedback, and the title of the newest
    /// version they were read from.
    async fn health_figures(&self, course: &CourseRow) -> AppResult<(HealthFigures, String)> {
        let course_id = course.id;
        let counts = self.store.reaction_counts(course_id).await?;
        let (positive, negative) = split(counts.into_iter().map(|c| (c.kind, c.count)));
        let viewers = self.store.course_viewers(course_id).await?;
        let open_outdated = self
            .store
            .open_reaction_count(course_id, ReactionKind::Outdated)
            .await?;
        // Questions wait as "I have a question" reactions and as discussions nobody answered.
        let unanswered = self
            .store
            .open_reaction_count(course_id, ReactionKind::Question)
            .await?
            + self.store.unanswered_thread_count(course_id).await?;
        let open_not_clear = self
            .store
            .open_reaction_count(course_id, ReactionKind::Unclear)
            .await?;
        let latest = match course.latest_version {
            Some(n) => self.store.version(course_id, n).await?,
            None => None,
        };
        let (flagged_items, reviewed_at_secs, title) = match latest {
            Some(v) => {
                let (_, _, stats) = self.analyse_version(course_id, v.number).await?;
                let flagged = stats.iter().filter(|q| !q.stats.flags.is_empty()).count() as u64;
                (
                    flagged,
                    v.published_at.map(OffsetDateTime::unix_timestamp),
                    v.title,
                )
            }
            None => (0, None, String::new()),
        };
        // The owner's confirmation that the course is still right counts as a check too.
        let confirmed = self.store.course_check(course_id).await?.confirmed_at;
        let reviewed_at_secs = match (reviewed_at_secs, confirmed) {
            (Some(published), Some(at)) => Some(published.max(at.unix_timestamp())),
            (published, _) => published,
        };
        let figures = HealthFigures {
            positive,
            negative,
            viewers,
            open_outdated,
            unanswered,
            open_not_clear,
            flagged_items,
            open_suggestions: self.store.open_suggested_edit_count(course_id).await?,
            reviewed_at_secs,
        };
        Ok((figures, title))
    }

    /// Count one course's health figures afresh and store them (`course_health`), for
    /// "needs attention" to read. Every use case that changes an input of health calls it in
    /// its unit of work, so the stored figures change in the same commit as their inputs.
    pub(crate) async fn refresh_course_health(&self, course_id: i64) -> AppResult<()> {
        let now = self.now();
        // The row is held first, so concurrent changes to one course count in turn.
        self.store.claim_course_health(course_id, now).await?;
        let Some(course) = self.store.course(course_id).await? else {
            return Ok(());
        };
        let (figures, _) = self.health_figures(&course).await?;
        let score = health_at(&figures, now).health.score;
        self.store
            .save_course_health(
                course_id,
                &figures,
                lost_apart_from_age(&figures),
                score,
                now,
            )
            .await?;
        Ok(())
    }

    /// Store health figures for every published course that has none: a database from
    /// before they were stored. Run at start-up; returns how many courses it filled.
    pub async fn fill_course_health(&self) -> AppResult<usize> {
        let missing = self.store.courses_without_health().await?;
        for &course_id in &missing {
            self.unit_of_work(|app| async move { app.refresh_course_health(course_id).await })
                .await?;
        }
        Ok(missing.len())
    }

    /// A course's health as "needs attention" reads it: from the stored figures, at the
    /// current time (no permission check; for checks and tools). `None` before any figures
    /// were stored.
    pub async fn stored_course_health(&self, course_id: i64) -> AppResult<Option<CourseHealth>> {
        Ok(self
            .store
            .course_health(course_id)
            .await?
            .map(|f| health_at(&f, self.now())))
    }

    /// The courses the caller writes, least healthy first, each with its health and what
    /// waits in its feedback; at most `limit` (all for `None`), and how many there are. Reads
    /// the stored figures of all of them in one query.
    pub async fn courses_i_write(
        &self,
        caller: &Caller,
        limit: Option<u64>,
    ) -> AppResult<(Vec<AuthoredCourse>, u64)> {
        let now = self.now();
        let (rows, total) = self
            .store
            .authored_courses(caller.id.0, now.unix_timestamp(), limit)
            .await?;
        let courses = rows
            .into_iter()
            .map(|r| AuthoredCourse {
                course_id: r.course_id,
                title: r.title,
                version: r.newest_number,
                draft: r.newest_state == VersionState::Draft,
                archived: r.status == CourseStatus::Archived,
                health: r
                    .latest_published
                    .and(r.figures)
                    .map(|f| health_at(&f, now)),
                open_reactions: r.open_reactions,
            })
            .collect();
        Ok((courses, total))
    }

    /// For a "Feedback" link on a course's pages: the open reactions waiting on a published
    /// course, when the caller may see its feedback page (authors and coaches); `None`
    /// otherwise (learners, or nothing published yet).
    pub async fn feedback_waiting(
        &self,
        caller: &Caller,
        ctx: &CourseContext,
    ) -> AppResult<Option<u64>> {
        let may = ctx.can(caller, Action::EditCourse) || ctx.can(caller, Action::CoachCourse);
        if !may || ctx.course.latest_version.is_none() {
            return Ok(None);
        }
        Ok(Some(self.store.open_reaction_total(ctx.course.id).await?))
    }

    /// The feedback page: health, scores per step, reactions and suggestions.
    /// Authors and coaches of the course see it.
    pub async fn course_feedback(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<FeedbackView> {
        let ctx = self
            .course_for(caller, course_id, Action::ViewCourse)
            .await?;
        let can_edit = ctx.can(caller, Action::EditCourse);
        if !can_edit && !ctx.can(caller, Action::CoachCourse) {
            return Err(AppError::Forbidden);
        }
        let versions = self.store.versions_of(course_id).await?;
        let published: Vec<i32> = versions
            .iter()
            .filter(|v| v.published_at.is_some())
            .map(|v| v.number)
            .collect();
        let latest = self
            .latest_version(&ctx)
            .await?
            .ok_or(AppError::NotFound("That course"))?;
        let step_feedback = self.step_feedback_of(course_id, latest.id).await?;
        // Step titles by key, newest version first so renamed steps show their current title.
        let mut titles: Vec<(String, String)> = Vec::new();
        for v in versions.iter().rev() {
            for s in self.store.steps_of(v.id).await? {
                if !titles.iter().any(|(k, _)| *k == s.step_key) {
                    titles.push((s.step_key, s.title));
                }
            }
        }
        let title_of = |key: &str| {
            titles
                .iter()
                .find(|(k, _)| k == key)
                .map_or_else(|| "A removed step".to_owned(), |(_, t)| t.clone())
        };
        let mut reactions = Vec::new();
        for row in self.store.course_reactions(course_id).await? {
            reactions.push(ReactionLine {
                who: self.name_of(row.user_id).await?,
                step_title: title_of(&row.step_key),
                row,
            });
        }
        // Open negative reactions first, then the rest, newest first within.
        reactions.sort_by_key(|r| r.row.status != Some(ReactionStatus::Open));
        let mut suggestions = Vec::new();
        for row in self.store.suggested_edits_of(course_id).await? {
            suggestions.push(SuggestionLine {
                proposer: self.name_of(row.proposer_id).await?,
                row,
            });
        }
        Ok(FeedbackView {
            health: self.health_of(&ctx).await?,
            title: latest.title.clone(),
            steps: step_feedback,
            reactions,
            suggestions,
            published,
            can_edit,
            ctx,
        })
    }

    /// Reactions on each step of the course's newest published version, with who viewed it.
    pub(crate) async fn step_feedback(&self, ctx: &CourseContext) -> AppResult<Vec<StepFeedback>> {
        match self.latest_version(ctx).await? {
            Some(latest) => self.step_feedback_of(ctx.course.id, latest.id).await,
            None => Ok(Vec::new()),
        }
    }

    async fn step_feedback_of(
        &self,
        course_id: i64,
        version_id: i64,
    ) -> AppResult<Vec<StepFeedback>> {
        let steps = self.store.steps_of(version_id).await?;
        let counts = self.store.reaction_counts(course_id).await?;
        let viewers = self.store.step_viewers(course_id).await?;
        Ok(steps
            .iter()
            .map(|s| {
                let (positive, negative) = split(
                    counts
                        .iter()
                        .filter(|c| c.step_key == s.step_key)
                        .map(|c| (c.kind.clone(), c.count)),
                );
                let seen = viewers
                    .iter()
                    .find(|(k, _)| *k == s.step_key)
                    .map_or(0, |(_, n)| *n);
                StepFeedback {
                    step_key: s.step_key.clone(),
                    title: s.title.clone(),
                    positive,
                    negative,
                    viewers: seen,
                    score: reaction_score(positive, negative, seen),
                }
            })
            .collect())
    }

    /// One page (from 0) of the courses the caller writes or coaches that have something to
    /// look at, least healthy first, then most suggestions waiting; and how many there are
    /// on all pages. One query over the stored figures, whatever the number of courses.
    pub async fn needs_attention(
        &self,
        caller: &Caller,
        page: u64,
    ) -> AppResult<(Vec<AttentionEntry>, u64)> {
        let now = self.now();
        let (rows, total) = self
            .store
            .attention_page(
                &scope(&caller.actor),
                now.unix_timestamp(),
                ATTENTION_PAGE_SIZE,
                page.saturating_mul(ATTENTION_PAGE_SIZE),
            )
            .await?;
        let entries = rows
            .into_iter()
            .map(|r| {
                let health = health_at(&r.figures, now);
                AttentionEntry {
                    course_id: r.course_id,
                    title: r.title,
                    stale: lore_domain::review::staleness(
                        health.days_since_review,
                        r.review_days,
                        r.figures.open_outdated,
                    ),
                    health,
                    because: if r.writes { "author" } else { "coach" },
                }
            })
            .collect();
        Ok((entries, total))
    }
}
