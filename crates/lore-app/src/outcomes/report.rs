//! The outcome report of a metric: its values (people still active in its group or below),
//! each person's completion day of the linked courses and paths (the earliest of them; a
//! path is completed when its last needed course was), and the figures
//! (`lore_domain::outcome_report`), hidden below the metric's minimum group size.

use std::collections::{BTreeMap, HashMap, HashSet};

use lore_domain::outcome::Period;
use lore_domain::outcome_report::{self, OutcomeReport, PersonValues, figure};
use lore_domain::path::ItemKind;
use lore_domain::policy::Action;
use time::Date;

use super::{LinkView, MetricView};
use crate::path_progress::{CourseProgress, PathTree};
use crate::{App, AppError, AppResult, Caller};

/// The report page's content.
#[derive(Debug, Clone)]
pub struct OutcomeReportView {
    pub metric: MetricView,
    pub links: Vec<LinkView>,
    pub report: OutcomeReport,
    /// The report in words, the last one saying it is correlation, not proof.
    pub sentences: Vec<String>,
}

impl App {
    /// A metric's report (coaches and administrators of its group or above).
    pub async fn outcome_report(
        &self,
        caller: &Caller,
        metric_id: i64,
    ) -> AppResult<OutcomeReportView> {
        let ctx = self
            .metric_for(caller, metric_id, Action::ViewInsights)
            .await?;
        let links = self.outcome_links(&ctx).await?;
        let values = self
            .store
            .outcome_values_within(metric_id, &ctx.groups_within())
            .await?;
        let mut people: BTreeMap<i64, Vec<(Period, f64)>> = BTreeMap::new();
        for v in values {
            people.entry(v.user_id).or_default().push((
                Period {
                    label: v.period,
                    starts: v.starts_at.date(),
                    ends: v.ends_at.date(),
                },
                v.value,
            ));
        }
        let ids: Vec<i64> = people.keys().copied().collect();
        let completed = self.completion_days(&ids, &links).await?;
        let people: Vec<PersonValues> = people
            .into_iter()
            .map(|(user_id, values)| PersonValues {
                user_id,
                values,
                completed_on: completed.get(&user_id).copied(),
            })
            .collect();
        let report = outcome_report::report(&people, ctx.row.min_group_size as usize);
        let sentences = report.sentences(&ctx.row.unit, ctx.row.higher_is_better);
        let metric = self.metric_view(caller, &ctx).await?;
        Ok(OutcomeReportView {
            metric,
            links,
            report,
            sentences,
        })
    }

    /// The day (UTC) each person first completed one of the linked courses or paths.
    async fn completion_days(
        &self,
        user_ids: &[i64],
        links: &[LinkView],
    ) -> AppResult<HashMap<i64, Date>> {
        let mut courses: HashSet<i64> = HashSet::new();
        let mut trees = Vec::new();
        for link in links {
            match link.target.kind {
                ItemKind::Course => {
                    courses.insert(link.target.id);
                }
                ItemKind::Path => {
                    let tree = self.path_tree(link.target.id).await?;
                    courses.extend(tree.courses());
                    trees.push(tree);
                }
            }
        }
        let course_links: HashSet<i64> = links
            .iter()
            .filter(|l| l.target.kind == ItemKind::Course)
            .map(|l| l.target.id)
            .collect();
        let courses: Vec<i64> = courses.into_iter().collect();
        // Each person's completions, earliest first: (when, course).
        let mut done: HashMap<i64, Vec<(time::OffsetDateTime, i64)>> = HashMap::new();
        for e in self.store.enrolments_for(user_ids, &courses).await? {
            if let Some(at) = e.completed_at {
                done.entry(e.user_id).or_default().push((at, e.course_id));
            }
        }
        let mut out = HashMap::new();
        for (user, mut completions) in done {
            completions.sort();
            let mut first: Option<time::OffsetDateTime> = completions
                .iter()
                .find(|(_, c)| course_links.contains(c))
                .map(|(at, _)| *at);
            for tree in &trees {
                if let Some(at) = path_completed_at(tree, &completions)
                    && first.is_none_or(|f| at < f)
                {
                    first = Some(at);
                }
            }
            if let Some(at) = first {
                out.insert(user, at.date());
            }
        }
        Ok(out)
    }

    /// The report's table per period as CSV: period, people and mean on each side (empty
    /// where hidden).
    pub fn outcome_periods_csv(view: &OutcomeReportView) -> AppResult<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let fail = |e: csv::Error| AppError::Internal(format!("writing CSV: {e}"));
        w.write_record([
            "period",
            "people_completed",
            "mean_completed",
            "people_not_completed",
            "mean_not_completed",
        ])
        .map_err(fail)?;
        for p in &view.report.periods {
            let mean = |m: Option<f64>| m.map(figure).unwrap_or_default();
            w.write_record([
                p.label.clone(),
                p.completers.people.to_string(),
                mean(p.completers.mean),
                p.others.people.to_string(),
                mean(p.others.mean),
            ])
            .map_err(fail)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| AppError::Internal(format!("writing CSV: {e}")))?;
        String::from_utf8(bytes).map_err(|e| AppError::Internal(format!("writing CSV: {e}")))
    }
}

/// When a path became complete: the first completion after which it is.
fn path_completed_at(
    tree: &PathTree,
    completions: &[(time::OffsetDateTime, i64)],
) -> Option<time::OffsetDateTime> {
    let mut progress = CourseProgress::default();
    for (at, course) in completions {
        progress.done.insert(*course);
        progress.started.insert(*course);
        if tree.complete(&progress) {
            return Some(*at);
        }
    }
    None
}
