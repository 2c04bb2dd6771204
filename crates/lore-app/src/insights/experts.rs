//! Experts of a group and the groups below it, per topic: who shares the most knowledge on
//! the group's courses (courses written as owner or co-author, accepted answers in their
//! discussions, accepted suggested edits, needs their courses answer) and how it is received
//! (the reaction score over the courses they wrote, and those courses' completions).

use std::collections::{BTreeMap, HashMap};

use lore_domain::reactions::reaction_score;
use lore_store::{ContributionKind, InsightCourseRow};

use super::{InsightGroup, course_topics};
use crate::{App, AppResult, Caller};

/// How many experts the page shows (the CSV has all of them).
pub const TOP_EXPERTS: usize = 20;

/// What the experts page asks for.
#[derive(Debug, Clone, Default)]
pub struct ExpertsQuery {
    pub group: Option<i64>,
    /// Only courses on this topic (lower case); `None`: every topic.
    pub topic: Option<String>,
    /// A person to drill into: the courses behind their figures.
    pub person: Option<i64>,
}

/// One person's share on one course.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpertCourse {
    pub course_id: i64,
    pub title: String,
    /// They own or co-author it.
    pub wrote: bool,
    pub answers_accepted: u64,
    pub edits_accepted: u64,
    /// Needs the course answers (counted for those who write it).
    pub needs_answered: u64,
    pub reaction_score: Option<i32>,
    pub completions: u64,
}

/// One person's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpertLine {
    pub user_id: i64,
    pub name: String,
    pub courses_written: u64,
    pub answers_accepted: u64,
    pub edits_accepted: u64,
    pub needs_answered: u64,
    /// Everything above, added up: how the list is ordered.
    pub shared: u64,
    /// Over the courses they wrote: reactions and viewers summed, then scored.
    pub reaction_score: Option<i32>,
    pub positive: u64,
    pub negative: u64,
    pub viewers: u64,
    /// Completions of the courses they wrote.
    pub completions: u64,
    /// The courses behind the figures.
    pub courses: Vec<ExpertCourse>,
}

/// The experts page.
#[derive(Debug, Clone)]
pub struct Experts {
    pub group: InsightGroup,
    pub groups: Vec<InsightGroup>,
    /// Topics of the group's courses with how many courses each.
    pub topics: Vec<(String, u64)>,
    pub topic: Option<String>,
    /// Everyone who shared, most first (ties: more completions, then name).
    pub experts: Vec<ExpertLine>,
    /// The person drilled into, if asked for and among the experts.
    pub person: Option<ExpertLine>,
}

fn add_course(line: &mut ExpertLine, course: &InsightCourseRow) -> usize {
    match line
        .courses
        .iter()
        .position(|c| c.course_id == course.course_id)
    {
        Some(i) => i,
        None => {
            let f = &course.figures;
            line.courses.push(ExpertCourse {
                course_id: course.course_id,
                title: course.title.clone(),
                reaction_score: reaction_score(f.positive, f.negative, f.viewers),
                completions: course.learning.completions,
                ..ExpertCourse::default()
            });
            line.courses.len() - 1
        }
    }
}

fn line_of(lines: &mut BTreeMap<i64, ExpertLine>, user_id: i64) -> &mut ExpertLine {
    lines.entry(user_id).or_insert_with(|| ExpertLine {
        user_id,
        ..ExpertLine::default()
    })
}

/// Lines per person from the courses (already on the topic) and contributions.
fn expert_lines(
    courses: &[InsightCourseRow],
    contributions: &[lore_store::ContributionRow],
) -> BTreeMap<i64, ExpertLine> {
    let by_id: HashMap<i64, &InsightCourseRow> = courses.iter().map(|c| (c.course_id, c)).collect();
    let mut writers: HashMap<i64, Vec<i64>> = courses
        .iter()
        .map(|c| (c.course_id, vec![c.owner_id]))
        .collect();
    for r in contributions {
        if r.kind == ContributionKind::Coauthor
            && let Some(w) = writers.get_mut(&r.course_id)
            && !w.contains(&r.user_id)
        {
            w.push(r.user_id);
        }
    }
    let mut lines: BTreeMap<i64, ExpertLine> = BTreeMap::new();
    for c in courses {
        for user in &writers[&c.course_id] {
            let line = line_of(&mut lines, *user);
            let i = add_course(line, c);
            line.courses[i].wrote = true;
            line.courses_written += 1;
            line.positive += c.figures.positive;
            line.negative += c.figures.negative;
            line.viewers += c.figures.viewers;
            line.completions += c.learning.completions;
        }
    }
    for r in contributions {
        let Some(course) = by_id.get(&r.course_id) else {
            continue;
        };
        let people = match r.kind {
            ContributionKind::Coauthor => continue,
            ContributionKind::NeedsAnswered => writers[&r.course_id].clone(),
            _ => vec![r.user_id],
        };
        for user in people {
            let line = line_of(&mut lines, user);
            let i = add_course(line, course);
            match r.kind {
                ContributionKind::AcceptedAnswer => {
                    line.answers_accepted += r.count;
                    line.courses[i].answers_accepted += r.count;
                }
                ContributionKind::AcceptedEdit => {
                    line.edits_accepted += r.count;
                    line.courses[i].edits_accepted += r.count;
                }
                _ => {
                    line.needs_answered += r.count;
                    line.courses[i].needs_answered += r.count;
                }
            }
        }
    }
    for line in lines.values_mut() {
        line.shared = line.courses_written
            + line.answers_accepted
            + line.edits_accepted
            + line.needs_answered;
        line.reaction_score = reaction_score(line.positive, line.negative, line.viewers);
        line.courses.sort_by_key(|c| c.course_id);
    }
    lines
}

impl App {
    /// The experts of a group and the groups below it, on one topic or all.
    pub async fn experts(&self, caller: &Caller, q: &ExpertsQuery) -> AppResult<Experts> {
        let scope = self.insight_scope(caller, q.group).await?;
        let all = self.store.insight_courses(scope.group.id).await?;
        let mut topics: BTreeMap<String, u64> = BTreeMap::new();
        for c in &all {
            for t in course_topics(c) {
                *topics.entry(t).or_default() += 1;
            }
        }
        let courses: Vec<InsightCourseRow> = match q.topic.as_deref() {
            Some(t) => all
                .into_iter()
                .filter(|c| course_topics(c).iter().any(|x| x == t))
                .collect(),
            None => all,
        };
        let contributions = self.store.insight_contributions(scope.group.id).await?;
        let lines = expert_lines(&courses, &contributions);
        let ids: Vec<i64> = lines.keys().copied().collect();
        let names: HashMap<i64, String> = self.store.names_of(&ids).await?.into_iter().collect();
        let mut experts: Vec<ExpertLine> = lines
            .into_values()
            .map(|mut l| {
                l.name = names.get(&l.user_id).cloned().unwrap_or_default();
                l
            })
            .collect();
        experts.sort_by(|a, b| {
            b.shared
                .cmp(&a.shared)
                .then(b.completions.cmp(&a.completions))
                .then(a.name.cmp(&b.name))
                .then(a.user_id.cmp(&b.user_id))
        });
        let person = q
            .person
            .and_then(|p| experts.iter().find(|e| e.user_id == p).cloned());
        Ok(Experts {
            group: scope.group,
            groups: scope.groups,
            topics: topics.into_iter().collect(),
            topic: q.topic.clone(),
            experts,
            person,
        })
    }
}
