//! The tables of the insight pages as CSV, one file per table, with the numbers the pages
//! and the API show (rates unrounded).

use crate::{AppError, AppResult};

use super::{Experts, Gaps};

/// Which table of the gaps page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapsTable {
    Needs,
    Topics,
    TopicCourses,
    Stale,
    Content,
}

impl GapsTable {
    pub fn parse(raw: &str) -> AppResult<Self> {
        Ok(match raw {
            "needs" => GapsTable::Needs,
            "topics" => GapsTable::Topics,
            "topic-courses" => GapsTable::TopicCourses,
            "stale" => GapsTable::Stale,
            "content" => GapsTable::Content,
            _ => {
                return Err(AppError::invalid(
                    "table",
                    "Choose the table: needs, topics, topic-courses, stale or content.",
                ));
            }
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            GapsTable::Needs => "needs",
            GapsTable::Topics => "topics",
            GapsTable::TopicCourses => "topic-courses",
            GapsTable::Stale => "stale",
            GapsTable::Content => "content",
        }
    }
}

fn rate(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.4}")).unwrap_or_default()
}

fn write(header: &[&str], rows: Vec<Vec<String>>) -> AppResult<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_error = |e: csv::Error| AppError::Internal(e.to_string());
    w.write_record(header).map_err(csv_error)?;
    for r in rows {
        w.write_record(r).map_err(csv_error)?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// One table of the gaps page as CSV.
pub fn gaps_csv(g: &Gaps, table: GapsTable) -> AppResult<Vec<u8>> {
    match table {
        GapsTable::Needs => write(
            &[
                "need_id", "title", "topic", "votes", "demand", "audience", "age_days",
            ],
            g.needs
                .iter()
                .map(|n| {
                    vec![
                        n.id.to_string(),
                        n.title.clone(),
                        n.topic.clone(),
                        n.votes.to_string(),
                        n.demand.to_string(),
                        n.audience.to_string(),
                        n.age_days.to_string(),
                    ]
                })
                .collect(),
        ),
        GapsTable::Topics => write(
            &[
                "topic",
                "courses",
                "attempts",
                "mean_score_percent",
                "pass_rate_percent",
            ],
            g.topics
                .iter()
                .map(|t| {
                    vec![
                        t.topic.clone(),
                        t.courses.to_string(),
                        t.figures.attempts.to_string(),
                        rate(Some(t.mean_percent)),
                        rate(Some(t.pass_rate_percent)),
                    ]
                })
                .collect(),
        ),
        GapsTable::TopicCourses => write(
            &[
                "course_id",
                "title",
                "attempts",
                "mean_score_percent",
                "pass_rate_percent",
            ],
            g.topic
                .iter()
                .flat_map(|(_, courses)| courses)
                .map(|c| {
                    vec![
                        c.course_id.to_string(),
                        c.title.clone(),
                        c.figures.attempts.to_string(),
                        rate(c.mean_percent),
                        rate(c.pass_rate_percent),
                    ]
                })
                .collect(),
        ),
        GapsTable::Stale => write(
            &[
                "course_id",
                "title",
                "stale",
                "open_outdated",
                "days_since_check",
                "review_days",
                "why",
            ],
            g.stale
                .iter()
                .map(|s| {
                    vec![
                        s.course_id.to_string(),
                        s.title.clone(),
                        s.stale().to_string(),
                        s.open_outdated.to_string(),
                        s.days_since_check.to_string(),
                        s.review_days.to_string(),
                        s.why(),
                    ]
                })
                .collect(),
        ),
        GapsTable::Content => write(
            &[
                "group_id",
                "group",
                "people",
                "courses",
                "courses_per_100_people",
            ],
            g.content
                .iter()
                .map(|c| {
                    vec![
                        c.group_id.to_string(),
                        c.path.clone(),
                        c.people.to_string(),
                        c.courses.to_string(),
                        rate(Some(c.per_hundred)),
                    ]
                })
                .collect(),
        ),
    }
}

/// The experts table (every person, not only the first page) as CSV; with a person drilled
/// into, their courses instead.
pub fn experts_csv(e: &Experts) -> AppResult<Vec<u8>> {
    if let Some(p) = &e.person {
        return write(
            &[
                "course_id",
                "title",
                "wrote",
                "answers_accepted",
                "edits_accepted",
                "needs_answered",
                "reaction_score",
                "completions",
            ],
            p.courses
                .iter()
                .map(|c| {
                    vec![
                        c.course_id.to_string(),
                        c.title.clone(),
                        c.wrote.to_string(),
                        c.answers_accepted.to_string(),
                        c.edits_accepted.to_string(),
                        c.needs_answered.to_string(),
                        c.reaction_score.map(|s| s.to_string()).unwrap_or_default(),
                        c.completions.to_string(),
                    ]
                })
                .collect(),
        );
    }
    write(
        &[
            "user_id",
            "name",
            "courses_written",
            "answers_accepted",
            "edits_accepted",
            "needs_answered",
            "shared",
            "reaction_score",
            "completions",
        ],
        e.experts
            .iter()
            .map(|x| {
                vec![
                    x.user_id.to_string(),
                    x.name.clone(),
                    x.courses_written.to_string(),
                    x.answers_accepted.to_string(),
                    x.edits_accepted.to_string(),
                    x.needs_answered.to_string(),
                    x.shared.to_string(),
                    x.reaction_score.map(|s| s.to_string()).unwrap_or_default(),
                    x.completions.to_string(),
                ]
            })
            .collect(),
    )
}
