//! What the feedback says about a course: the reaction score of the course and of each step,
//! course health with its reasons, the feedback page for authors and coaches, and the
//! "needs attention" list (courses I write, courses in groups I coach), least healthy first.

use lore_domain::policy::Action;
use lore_domain::reactions::{
    Health, HealthInput, ReactionKind, ReactionStatus, course_health, reaction_score,
};
use lore_store::{ReactionRow, SuggestedEditRow};

use crate::courses::CourseContext;
use crate::{App, AppError, AppResult, Caller};

/// The numbers behind a course's health.
#[derive(Debug, Clone)]
pub struct CourseHealth {
    pub health: Health,
    pub reaction_score: Option<i32>,
    pub positive: u64,
    pub negative: u64,
    pub viewers: u64,
    pub open_outdated: u64,
    pub unanswered: u64,
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
}

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

impl App {
    /// Course health now, from the stored feedback (no permission check; callers check).
    pub(crate) async fn health_of(&self, ctx: &CourseContext) -> AppResult<CourseHealth> {
        Ok(self.health_and_title(ctx).await?.0)
    }

    /// Health, and the title of the newest version it was read from.
    async fn health_and_title(&self, ctx: &CourseContext) -> AppResult<(CourseHealth, String)> {
        let course_id = ctx.course.id;
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
        let (flagged_items, days_since_review, title) = match self.latest_version(ctx).await? {
            Some(v) => {
                let (_, _, stats) = self.analyse_version(course_id, v.number).await?;
                let flagged = stats.iter().filter(|q| !q.stats.flags.is_empty()).count() as u64;
                let since = v
                    .published_at
                    .map_or(0, |at| (self.now() - at).whole_days());
                (flagged, since.max(0) as u64, v.title)
            }
            None => (0, 0, String::new()),
        };
        let reaction_score = reaction_score(positive, negative, viewers);
        let health = course_health(&HealthInput {
            reaction_score,
            open_outdated_flags: open_outdated,
            unanswered_questions: unanswered,
            flagged_items,
            days_since_review,
        });
        let h = CourseHealth {
            health,
            reaction_score,
            positive,
            negative,
            viewers,
            open_outdated,
            unanswered,
            flagged_items,
            days_since_review,
            open_suggestions: self.store.open_suggested_edit_count(course_id).await?,
        };
        Ok((h, title))
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
        let steps = self.store.steps_of(latest.id).await?;
        let counts = self.store.reaction_counts(course_id).await?;
        let viewers = self.store.step_viewers(course_id).await?;
        let step_feedback = steps
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
            .collect();
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

    /// Courses the caller writes or coaches that have something to look at, least healthy
    /// first, each with the reasons.
    pub async fn needs_attention(&self, caller: &Caller) -> AppResult<Vec<AttentionEntry>> {
        let tree = self.group_tree().await?;
        let coauthors = self.store.all_coauthors().await?;
        let audiences = self.store.all_audiences().await?;
        let mut out = Vec::new();
        for course in self.store.courses(false).await? {
            if course.latest_version.is_none() {
                continue;
            }
            let id = course.id;
            let ctx = Self::context_from(
                &tree,
                course,
                coauthors
                    .iter()
                    .filter(|(c, _)| *c == id)
                    .map(|(_, u)| *u)
                    .collect(),
                audiences
                    .iter()
                    .filter(|(c, _)| *c == id)
                    .map(|(_, g)| *g)
                    .collect(),
            );
            let writes = ctx.course.owner_id == caller.id.0 || ctx.coauthors.contains(&caller.id);
            let because = if writes {
                "author"
            } else if ctx.can(caller, Action::CoachCourse) {
                "coach"
            } else {
                continue;
            };
            let (health, title) = self.health_and_title(&ctx).await?;
            if health.health.reasons.is_empty() && health.open_suggestions == 0 {
                continue;
            }
            out.push(AttentionEntry {
                course_id: id,
                title,
                health,
                because,
            });
        }
        out.sort_by_key(|e| {
            (
                e.health.health.score,
                std::cmp::Reverse(e.health.open_suggestions),
            )
        });
        Ok(out)
    }
}
