//! Coach and group dashboards (docs/decisions/0027): for a group the caller may see insights
//! of (`Action::ViewInsights`: its coaches and administrators, of it or a group above, and
//! platform administrators), over a range of whole weeks (Monday to Sunday, UTC): where its
//! people stand on their assignments, active learners per week, its courses by health,
//! completions with the time they took, and evaluation pass rates. Every figure has a use
//! case listing what is behind it ([`drill`]); pages, CSV and the API call the same ones.

pub mod csv;
pub mod drill;
mod range;

use lore_domain::ids::GroupId;
use lore_domain::policy::{Action, Resource};
use lore_store::{CourseFigures, PassCounts};
use serde::Serialize;

pub use range::{Range, week_label};

use crate::{App, AppError, AppResult, Caller};

/// Lines on one page of a dashboard table or drill-down.
pub const PAGE_SIZE: u64 = 25;
/// Lines of a CSV download at most.
pub const CSV_LIMIT: u64 = 10_000;
/// Courses in the "top" and "weakest" lists of the dashboard itself.
pub const HEALTH_LIST: u64 = 5;

/// What a dashboard request names, as typed (every part optional; checked by the use cases).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct InsightQuery {
    pub group: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: Option<String>,
}

/// The group a dashboard is about and its range, checked.
#[derive(Debug, Clone, Serialize)]
pub struct Insight {
    pub group_id: i64,
    /// The group's place in the tree, in words ("Acme/Sales").
    pub group: String,
    #[serde(flatten)]
    pub range: Range,
    /// The group and every group below it.
    #[serde(skip)]
    pub groups: Vec<i64>,
    /// The page asked for, from 1.
    #[serde(skip)]
    pub page: u64,
}

impl Insight {
    /// `group=…&from=…&to=…` for links to other views of the same dashboard.
    pub fn query(&self) -> String {
        format!(
            "group={}&from={}&to={}",
            self.group_id, self.range.from, self.range.to
        )
    }
}

/// A page of lines behind a dashboard table.
#[derive(Debug, Clone, Serialize)]
pub struct Listing<T> {
    #[serde(flatten)]
    pub insight: Insight,
    pub rows: Vec<T>,
    /// Lines on every page.
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

/// People active in one week.
#[derive(Debug, Clone, Serialize)]
pub struct WeekActive {
    /// The week's Monday, `YYYY-MM-DD`.
    pub week: String,
    pub active: u64,
}

/// Where the group's people stand on one assignment.
#[derive(Debug, Clone, Serialize)]
pub struct AssignmentFigure {
    pub assignment_id: i64,
    /// `course` or `path`.
    pub kind: String,
    pub target_id: i64,
    pub title: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub due_at: Option<time::OffsetDateTime>,
    pub assigned: u64,
    pub done: u64,
    pub overdue: u64,
    /// done / assigned (`null` when nobody is assigned).
    pub completion_rate: Option<f64>,
    /// overdue / assigned.
    pub overdue_rate: Option<f64>,
}

/// A course the group's people completed, with the time it took and evaluation pass rates.
#[derive(Debug, Clone, Serialize)]
pub struct CourseFigure {
    pub course_id: i64,
    pub title: String,
    /// Completions in the range (enrolment rows completed in it).
    pub completions: u64,
    /// Median whole days from enrolment to completion.
    pub median_days: Option<f64>,
    /// Evaluation attempts submitted in the range, and passed.
    pub submitted: u64,
    pub passed: u64,
    /// passed / submitted.
    pub pass_rate: Option<f64>,
}

/// A course of the group with its health.
#[derive(Debug, Clone, Serialize)]
pub struct HealthLine {
    pub course_id: i64,
    pub title: String,
    /// 0 to 100.
    pub health: u32,
    /// `good`, `fair` or `poor`.
    pub label: &'static str,
    pub reaction_score: Option<i32>,
    pub viewers: u64,
}

/// A group the caller may see a dashboard of (the same list as the insight pages').
pub use crate::insights::InsightGroup as GroupChoice;

/// Everything on the dashboard of a group.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    #[serde(flatten)]
    pub insight: Insight,
    /// Every week of the range, weeks without activity as 0.
    pub active_per_week: Vec<WeekActive>,
    pub assignments: Vec<AssignmentFigure>,
    pub assignments_total: u64,
    pub healthiest: Vec<HealthLine>,
    pub weakest: Vec<HealthLine>,
    /// Active published courses of the group (owned, or with an audience, at or below it).
    pub courses_of_group: u64,
    /// Completions in the range by the group's people, every course.
    pub completions: u64,
    /// Median whole days from enrolment to completion, every course.
    pub median_days: Option<f64>,
    /// The courses most completed in the range (the first page).
    pub courses: Vec<CourseFigure>,
    pub courses_total: u64,
}

/// The median of values given as (value, how many times), sorted by value: the middle one,
/// or the mean of the two middle ones, as `lore_domain::stats::median` of the values
/// written out (without writing out 100,000 of them).
pub(crate) fn median_of_counts(counts: &[(i64, u64)]) -> Option<f64> {
    let n: u64 = counts.iter().map(|(_, c)| c).sum();
    if n == 0 {
        return None;
    }
    // The value at a 0-based position of the sorted values.
    let at = |pos: u64| {
        let mut seen = 0;
        for (v, c) in counts {
            seen += c;
            if pos < seen {
                return *v as f64;
            }
        }
        0.0
    };
    Some(if n.is_multiple_of(2) {
        (at(n / 2 - 1) + at(n / 2)) / 2.0
    } else {
        at(n / 2)
    })
}

pub(crate) fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A page number from a query: 1 when absent.
pub(crate) fn page_of(raw: Option<&str>) -> AppResult<u64> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(1),
        // Any number of digits is a page; one past every list is simply empty.
        Some(s) if s.bytes().all(|b| b.is_ascii_digit()) && s.bytes().any(|b| b != b'0') => {
            Ok(s.parse::<u64>().unwrap_or(u64::MAX))
        }
        Some(_) => Err(AppError::invalid(
            "page",
            "Give the page as a number from 1.",
        )),
    }
}

impl App {
    /// Check a dashboard request: the group (the caller's first when none is named), which
    /// the caller must coach or administer, and the range.
    pub async fn insight(&self, caller: &Caller, q: &InsightQuery) -> AppResult<Insight> {
        let range = Range::parse(q.from.as_deref(), q.to.as_deref(), self.now())?;
        let page = page_of(q.page.as_deref())?;
        let tree = self.group_tree().await?;
        let group = match q.group.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(raw) => {
                let id: i64 = raw
                    .parse()
                    .map_err(|_| AppError::invalid("group", "Choose a group by its number."))?;
                if tree.get(GroupId(id)).is_none() {
                    return Err(AppError::NotFound("That group"));
                }
                GroupId(id)
            }
            None => match self.insight_groups(caller).await?.first() {
                Some(g) => GroupId(g.id),
                None => return Err(AppError::Forbidden),
            },
        };
        let lineage = tree.lineage(group);
        caller.require(Action::ViewInsights, Resource::Group { lineage: &lineage })?;
        let groups = tree
            .walk()
            .into_iter()
            .filter(|(_, n)| tree.is_within(n.id, group))
            .map(|(_, n)| n.id.0)
            .collect();
        Ok(Insight {
            group_id: group.0,
            group: tree.path(group),
            range,
            groups,
            page,
        })
    }

    /// The dashboard of a group over a range.
    pub async fn dashboard(&self, caller: &Caller, q: &InsightQuery) -> AppResult<Dashboard> {
        let insight = self.insight(caller, q).await?;
        let r = &insight.range;
        let counts = self
            .store
            .active_per_week(insight.group_id, r.from_week, r.to_week)
            .await?;
        let active_per_week = r
            .weeks()
            .map(|w| WeekActive {
                week: week_label(w),
                active: counts
                    .iter()
                    .find(|(week, _)| *week == w)
                    .map_or(0, |(_, n)| *n),
            })
            .collect();
        let (assignments, assignments_total) = self.assignment_figures(&insight, 1, 10).await?;
        let (healthiest, courses_of_group) =
            self.health_lines(&insight, false, 1, HEALTH_LIST).await?;
        let (weakest, _) = self.health_lines(&insight, true, 1, HEALTH_LIST).await?;
        let days = self
            .store
            .completion_days(insight.group_id, r.from_week, r.to_week)
            .await?;
        let completions: u64 = days.iter().map(|(_, n)| n).sum();
        let (courses, courses_total) = self.course_figures(&insight, 1, 10).await?;
        Ok(Dashboard {
            active_per_week,
            assignments,
            assignments_total,
            healthiest,
            weakest,
            courses_of_group,
            completions,
            median_days: median_of_counts(&days),
            courses,
            courses_total,
            insight,
        })
    }

    pub(crate) async fn assignment_figures(
        &self,
        insight: &Insight,
        page: u64,
        size: u64,
    ) -> AppResult<(Vec<AssignmentFigure>, u64)> {
        let (rows, total) = self
            .store
            .assignment_counts(
                &insight.groups,
                self.now(),
                size,
                crate::paging::offset(page, size),
            )
            .await?;
        let figures = rows
            .into_iter()
            .map(|a| AssignmentFigure {
                completion_rate: rate(a.done, a.assigned),
                overdue_rate: rate(a.overdue, a.assigned),
                assignment_id: a.assignment_id,
                kind: a.target_kind,
                target_id: a.target_id,
                title: a.title,
                due_at: a.due_at,
                assigned: a.assigned,
                done: a.done,
                overdue: a.overdue,
            })
            .collect();
        Ok((figures, total))
    }

    pub(crate) async fn health_lines(
        &self,
        insight: &Insight,
        weakest: bool,
        page: u64,
        size: u64,
    ) -> AppResult<(Vec<HealthLine>, u64)> {
        let now = self.now();
        let (rows, total) = self
            .store
            .courses_by_health(
                &insight.groups,
                now.unix_timestamp(),
                weakest,
                size,
                crate::paging::offset(page, size),
            )
            .await?;
        let lines = rows
            .into_iter()
            .map(
                |CourseFigures {
                     course_id,
                     title,
                     figures,
                 }| {
                    let h = crate::feedback::health::health_at(&figures, now);
                    HealthLine {
                        course_id,
                        title,
                        health: h.health.score,
                        label: h.health.label(),
                        reaction_score: h.reaction_score,
                        viewers: h.viewers,
                    }
                },
            )
            .collect();
        Ok((lines, total))
    }

    /// One page of the courses most completed in the range, with their medians (the
    /// activity rollup) and pass rates (attempt rows) counted for the courses of the page alone.
    pub(crate) async fn course_figures(
        &self,
        insight: &Insight,
        page: u64,
        size: u64,
    ) -> AppResult<(Vec<CourseFigure>, u64)> {
        let r = &insight.range;
        let (ranked, total) = self
            .store
            .completions_by_course(
                insight.group_id,
                r.from_week,
                r.to_week,
                size,
                crate::paging::offset(page, size),
            )
            .await?;
        let ids: Vec<i64> = ranked.iter().map(|c| c.course_id).collect();
        let days = self
            .store
            .completion_days_of_courses(insight.group_id, &ids, r.from_week, r.to_week)
            .await?;
        let passes = self
            .store
            .pass_counts(&insight.groups, &ids, r.since, r.until)
            .await?;
        let figures = ranked
            .into_iter()
            .map(|c| {
                let mine: Vec<(i64, u64)> = days
                    .iter()
                    .filter(|(course, _, _)| *course == c.course_id)
                    .map(|&(_, d, n)| (d, n))
                    .collect();
                let p = passes
                    .iter()
                    .find(|p| p.course_id == c.course_id)
                    .copied()
                    .unwrap_or(PassCounts {
                        course_id: c.course_id,
                        submitted: 0,
                        passed: 0,
                    });
                CourseFigure {
                    course_id: c.course_id,
                    title: c.title,
                    completions: mine.iter().map(|(_, n)| n).sum(),
                    median_days: median_of_counts(&mine),
                    submitted: p.submitted,
                    passed: p.passed,
                    pass_rate: rate(p.passed, p.submitted),
                }
            })
            .collect();
        Ok((figures, total))
    }
}

#[cfg(test)]
mod tests {
    use super::median_of_counts;

    #[test]
    fn the_median_of_counts_is_the_median_of_the_values_written_out() {
        for counts in [
            vec![(3, 1), (10, 1), (13, 1)],
            vec![(3, 1), (10, 1), (13, 1), (18, 1)],
            vec![(0, 5), (2, 1), (7, 4)],
            vec![(1, 2)],
        ] {
            let values: Vec<f64> = counts
                .iter()
                .flat_map(|(v, n)| std::iter::repeat_n(*v as f64, *n as usize))
                .collect();
            assert_eq!(
                median_of_counts(&counts),
                lore_domain::stats::median(&values)
            );
        }
        assert_eq!(median_of_counts(&[]), None);
    }
}
