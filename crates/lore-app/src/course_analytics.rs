//! The author's course page: one place to decide what to fix next. The funnel (with its
//! filters), the reaction score over the weeks, reactions per step, the evaluation's item
//! analysis, open questions and suggested edits, and health. Each part reads stored figures
//! or the course's own rows, never the event log.

use lore_domain::item_analysis::TestSummary;
use time::{Date, Duration};

use crate::evaluations::analysis::QuestionStats;
use crate::feedback::health::{CourseHealth, StepFeedback};
use crate::funnels::{FunnelQuery, FunnelReport};
use crate::{App, AppResult, Caller};

/// How many weeks the reaction chart covers, this one included.
pub const REACTION_WEEKS: usize = 12;

/// Reactions given in one week (Monday to Sunday in the reader's zone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReactionWeek {
    pub week: Date,
    pub positive: u64,
    pub negative: u64,
}

impl ReactionWeek {
    /// `100 × (positive − negative) ÷ (positive + negative)`; `None` without reactions.
    pub fn net(&self) -> Option<i32> {
        let all = self.positive + self.negative;
        (all > 0).then(|| {
            (100.0 * (self.positive as f64 - self.negative as f64) / all as f64).round() as i32
        })
    }
}

/// Everything the author's course page shows.
#[derive(Debug, Clone)]
pub struct CourseAnalytics {
    pub report: FunnelReport,
    pub health: CourseHealth,
    pub steps: Vec<StepFeedback>,
    pub weeks: Vec<ReactionWeek>,
    /// The newest version's item analysis, when it has an evaluation with attempts.
    pub items: Option<(i32, TestSummary, Vec<QuestionStats>)>,
    /// Groups the caller may filter by: (id, name), in tree order.
    pub groups: Vec<(i64, String)>,
    pub can_edit: bool,
}

/// The Monday of the week `d` is in.
pub fn week_of(d: Date) -> Date {
    d - Duration::days(i64::from(d.weekday().number_days_from_monday()))
}

impl App {
    /// The author's course page (editors and coaches of the course).
    pub async fn course_analytics(
        &self,
        caller: &Caller,
        course_id: i64,
        q: &FunnelQuery,
    ) -> AppResult<CourseAnalytics> {
        // One load of the course serves the permission check and every part below.
        let ctx = self.funnel_reader(caller, course_id).await?;
        let report = self.funnel_of(caller, &ctx, q).await?;
        let can_edit = ctx.can(caller, lore_domain::policy::Action::EditCourse);
        let health = self.health_of(&ctx).await?;
        let steps = self.step_feedback(&ctx).await?;
        let today = caller.time_zone.local(self.now()).date();
        let this_week = week_of(today);
        let mut weeks: Vec<ReactionWeek> = (0..REACTION_WEEKS)
            .rev()
            .map(|k| ReactionWeek {
                week: this_week - Duration::weeks(k as i64),
                positive: 0,
                negative: 0,
            })
            .collect();
        let first = weeks[0].week;
        for r in self.store.course_reactions(course_id).await? {
            let week = week_of(caller.time_zone.local(r.created_at).date());
            if week < first {
                continue;
            }
            if let Some(w) = weeks.iter_mut().find(|w| w.week == week) {
                if r.kind.is_positive() {
                    w.positive += 1;
                } else {
                    w.negative += 1;
                }
            }
        }
        let items = match ctx.course.latest_version {
            Some(n) => {
                let (number, summary, stats) = self.analyse_version(course_id, n).await?;
                (!stats.is_empty()).then_some((number, summary, stats))
            }
            None => None,
        };
        let tree = self.group_tree().await?;
        let groups = tree
            .walk()
            .into_iter()
            .map(|(_, g)| g)
            .filter(|g| {
                can_edit || {
                    let lineage = tree.lineage(g.id);
                    caller.can(
                        lore_domain::policy::Action::ViewInsights,
                        lore_domain::policy::Resource::Group { lineage: &lineage },
                    )
                }
            })
            .map(|g| (g.id.0, tree.path(g.id)))
            .collect();
        Ok(CourseAnalytics {
            report,
            health,
            steps,
            weeks,
            items,
            groups,
            can_edit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Weekday;
    use time::macros::date;

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(week_of(date!(2026 - 12 - 05)), date!(2026 - 11 - 30));
        assert_eq!(week_of(date!(2026 - 11 - 30)), date!(2026 - 11 - 30));
        assert_eq!(week_of(date!(2026 - 12 - 06)).weekday(), Weekday::Monday);
    }

    #[test]
    fn the_net_share_rounds_and_needs_a_reaction() {
        let w = |positive, negative| ReactionWeek {
            week: date!(2026 - 11 - 30),
            positive,
            negative,
        };
        assert_eq!(w(0, 0).net(), None);
        assert_eq!(w(3, 1).net(), Some(50));
        assert_eq!(w(1, 2).net(), Some(-33));
    }
}
