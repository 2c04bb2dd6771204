//! Knowledge gaps of a group and the groups below it: the open needs in most demand (the
//! needs board's own figures), the topics where evaluation scores are lowest (stored attempt
//! figures summed per topic), courses flagged outdated or stale (the stored health figures and
//! the staleness rule of "needs attention"), and the groups with least content for their
//! size (courses per 100 people). Each line leads to the needs, courses or groups behind it.

use std::collections::{BTreeMap, HashMap, HashSet};

use lore_domain::ids::GroupId;
use lore_domain::knowledge::{AttemptFigures, MIN_TOPIC_ATTEMPTS, per_hundred};
use lore_domain::need::NeedStatus;
use lore_domain::review::{StaleReason, staleness};
use lore_store::InsightCourseRow;

use super::{InsightGroup, course_topics};
use crate::needs::{BoardQuery, NeedSummary};
use crate::{App, AppResult, Caller};

/// How many needs the gaps page lists.
pub const TOP_NEEDS: u64 = 10;

/// What the gaps page asks for.
#[derive(Debug, Clone, Default)]
pub struct GapsQuery {
    /// The group (and the groups below it); `None`: the first the caller may see.
    pub group: Option<i64>,
    /// A topic to drill into: its courses with their figures.
    pub topic: Option<String>,
}

/// A topic's evaluation figures, summed over the group's courses on it.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicLine {
    pub topic: String,
    /// Courses on the topic.
    pub courses: u64,
    pub figures: AttemptFigures,
    pub mean_percent: f64,
    pub pass_rate_percent: f64,
}

/// One course behind a topic's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicCourse {
    pub course_id: i64,
    pub title: String,
    pub figures: AttemptFigures,
    pub mean_percent: Option<f64>,
    pub pass_rate_percent: Option<f64>,
}

/// A course flagged outdated or stale.
#[derive(Debug, Clone)]
pub struct StaleLine {
    pub course_id: i64,
    pub title: String,
    pub open_outdated: u64,
    pub days_since_check: u64,
    pub review_days: i32,
    pub reasons: Vec<StaleReason>,
}

impl StaleLine {
    /// Stale by the rule of "needs attention" (not only flagged once or twice).
    pub fn stale(&self) -> bool {
        !self.reasons.is_empty()
    }

    pub fn why(&self) -> String {
        if self.reasons.is_empty() {
            return format!("{} learners flagged it outdated", self.open_outdated);
        }
        let words: Vec<String> = self.reasons.iter().map(StaleReason::text).collect();
        words.join("; ")
    }
}

/// A group's content for its size.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentLine {
    pub group_id: i64,
    pub path: String,
    /// Active people in the group and the groups below it, each once.
    pub people: u64,
    /// Live courses owned by or addressed to the group or a group below it.
    pub courses: u64,
    pub per_hundred: f64,
}

/// The knowledge gaps page.
#[derive(Debug, Clone)]
pub struct Gaps {
    pub group: InsightGroup,
    /// Groups the caller may pick.
    pub groups: Vec<InsightGroup>,
    /// Open needs of the group and below, most demand first (at most [`TOP_NEEDS`]).
    pub needs: Vec<NeedSummary>,
    /// Open needs in all.
    pub open_needs: u64,
    /// Topics with at least [`MIN_TOPIC_ATTEMPTS`] attempts, lowest mean score first.
    pub topics: Vec<TopicLine>,
    /// Topics left out for too few attempts.
    pub topics_too_few: u64,
    pub min_attempts: u64,
    /// The topic drilled into and its courses, most attempts first.
    pub topic: Option<(String, Vec<TopicCourse>)>,
    /// Courses stale or flagged outdated: stale first, then most flags, then longest unchecked.
    pub stale: Vec<StaleLine>,
    /// Every group of the subtree with people, fewest courses per 100 people first.
    pub content: Vec<ContentLine>,
}

fn attempt_figures(row: &InsightCourseRow) -> AttemptFigures {
    AttemptFigures {
        attempts: row.learning.attempts,
        score_percent_sum: row.learning.score_percent_sum,
        passed: row.learning.passed,
    }
}

/// Topics summed over courses, lowest mean first (ties: more attempts, then by name); and how
/// many topics had too few attempts.
fn weakest_topics(courses: &[InsightCourseRow]) -> (Vec<TopicLine>, u64) {
    let mut by_topic: BTreeMap<String, (u64, AttemptFigures)> = BTreeMap::new();
    for c in courses {
        for t in course_topics(c) {
            let entry = by_topic.entry(t).or_default();
            entry.0 += 1;
            entry.1.add(attempt_figures(c));
        }
    }
    let mut too_few = 0;
    let mut lines = Vec::new();
    for (topic, (n, f)) in by_topic {
        match (f.enough(), f.mean_percent(), f.pass_rate_percent()) {
            (true, Some(mean), Some(pass)) => lines.push(TopicLine {
                topic,
                courses: n,
                figures: f,
                mean_percent: mean,
                pass_rate_percent: pass,
            }),
            _ => too_few += 1,
        }
    }
    lines.sort_by(|a, b| {
        a.mean_percent
            .total_cmp(&b.mean_percent)
            .then(b.figures.attempts.cmp(&a.figures.attempts))
            .then(a.topic.cmp(&b.topic))
    });
    (lines, too_few)
}

fn topic_courses(courses: &[InsightCourseRow], topic: &str) -> Vec<TopicCourse> {
    let mut out: Vec<TopicCourse> = courses
        .iter()
        .filter(|c| course_topics(c).iter().any(|t| t == topic))
        .map(|c| {
            let f = attempt_figures(c);
            TopicCourse {
                course_id: c.course_id,
                title: c.title.clone(),
                mean_percent: f.mean_percent(),
                pass_rate_percent: f.pass_rate_percent(),
                figures: f,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.figures
            .attempts
            .cmp(&a.figures.attempts)
            .then(a.course_id.cmp(&b.course_id))
    });
    out
}

fn stale_courses(courses: &[InsightCourseRow], now_secs: i64) -> Vec<StaleLine> {
    let mut out: Vec<StaleLine> = courses
        .iter()
        .filter_map(|c| {
            let f = &c.figures;
            let days = f
                .reviewed_at_secs
                .map_or(0, |at| ((now_secs - at) / 86_400).max(0) as u64);
            let reasons = staleness(days, c.review_days, f.open_outdated);
            (!reasons.is_empty() || f.open_outdated > 0).then(|| StaleLine {
                course_id: c.course_id,
                title: c.title.clone(),
                open_outdated: f.open_outdated,
                days_since_check: days,
                review_days: c.review_days,
                reasons,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.stale()
            .cmp(&a.stale())
            .then(b.open_outdated.cmp(&a.open_outdated))
            .then(b.days_since_check.cmp(&a.days_since_check))
            .then(a.course_id.cmp(&b.course_id))
    });
    out
}

impl App {
    /// The knowledge gaps of a group and the groups below it, for its coaches and
    /// administrators.
    pub async fn knowledge_gaps(&self, caller: &Caller, q: &GapsQuery) -> AppResult<Gaps> {
        let scope = self.insight_scope(caller, q.group).await?;
        let group_id = scope.group.id;
        let board = self
            .needs_board(
                caller,
                &BoardQuery {
                    group: Some(group_id),
                    status: Some(NeedStatus::Open),
                    per_page: TOP_NEEDS,
                    lead_times: false,
                    ..BoardQuery::default()
                },
            )
            .await?;
        let courses = self.store.insight_courses(group_id).await?;
        let (topics, topics_too_few) = weakest_topics(&courses);
        let topic = q
            .topic
            .as_deref()
            .map(|t| (t.to_owned(), topic_courses(&courses, t)));
        let stale = stale_courses(&courses, self.now().unix_timestamp());
        let content = self.content_for_size(&scope.tree, group_id).await?;
        Ok(Gaps {
            group: scope.group,
            groups: scope.groups,
            needs: board.needs,
            open_needs: board.total,
            topics,
            topics_too_few,
            min_attempts: MIN_TOPIC_ATTEMPTS,
            topic,
            stale,
            content,
        })
    }

    /// Courses per 100 people for every group of the subtree that has people.
    async fn content_for_size(
        &self,
        tree: &lore_domain::group::GroupTree,
        group_id: i64,
    ) -> AppResult<Vec<ContentLine>> {
        let top = GroupId(group_id);
        let groups: Vec<GroupId> = tree
            .walk()
            .into_iter()
            .map(|(_, g)| g.id)
            .filter(|g| tree.is_within(*g, top))
            .collect();
        // A course counts for its group and every group above it, up to the one asked for.
        let mut courses: HashMap<i64, HashSet<i64>> = HashMap::new();
        for pair in self.store.group_content(group_id).await? {
            for g in tree.lineage(GroupId(pair.group_id)).into_iter().rev() {
                courses.entry(g.0).or_default().insert(pair.course_id);
                if g == top {
                    break;
                }
            }
        }
        let sizes = self
            .cached_audience_sizes(groups.iter().map(|g| vec![g.0]).collect())
            .await?;
        let mut lines: Vec<ContentLine> = groups
            .iter()
            .filter_map(|g| {
                let people = sizes.get(&vec![g.0]).copied().unwrap_or(0);
                let n = courses.get(&g.0).map_or(0, |s| s.len() as u64);
                per_hundred(n, people).map(|per| ContentLine {
                    group_id: g.0,
                    path: tree.path(*g),
                    people,
                    courses: n,
                    per_hundred: per,
                })
            })
            .collect();
        lines.sort_by(|a, b| {
            a.per_hundred
                .total_cmp(&b.per_hundred)
                .then(b.people.cmp(&a.people))
                .then(a.path.cmp(&b.path))
        });
        Ok(lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(id: i64, tags: &str, attempts: u64, sum: f64, passed: u64) -> InsightCourseRow {
        InsightCourseRow {
            course_id: id,
            title: format!("Course {id}"),
            tags: tags.to_owned(),
            owner_id: 1,
            figures: lore_store::HealthFigures::default(),
            review_days: 180,
            learning: lore_store::LearningFigures {
                attempts,
                score_percent_sum: sum,
                passed,
                completions: 0,
            },
        }
    }

    #[test]
    fn topics_sum_their_courses_and_leave_out_thin_ones() {
        let courses = [
            course(1, r#"["Rust", "testing"]"#, 4, 200.0, 1),
            course(2, r#"["rust"]"#, 2, 180.0, 2),
            course(3, r#"["testing"]"#, 0, 0.0, 0),
            course(4, r#"["sql"]"#, 5, 450.0, 5),
        ];
        let (lines, too_few) = weakest_topics(&courses);
        assert_eq!(too_few, 1, "testing has 4 attempts");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].topic, "rust");
        assert_eq!(lines[0].courses, 2);
        assert!((lines[0].mean_percent - 380.0 / 6.0).abs() < 1e-9);
        assert!((lines[0].pass_rate_percent - 50.0).abs() < 1e-9);
        assert_eq!(lines[1].topic, "sql");
    }
}
