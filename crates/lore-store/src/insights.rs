//! What knowledge gaps and experts read about a group and the groups below it: its published
//! courses with their stored figures (`course_health`, `course_learning_figures`), who
//! contributed to them, and which groups the courses belong or are addressed to. Each is one
//! statement over courses found through the group's subtree, never over attempts or events.

use lore_domain::ids::{GroupId, UserId};
use lore_domain::visibility::Scope;
use sea_orm::ConnectionTrait;

use crate::course_health::{FIGURE_COLUMNS, count, figures};
use crate::learning_figures::LearningFigures;
use crate::visibility::{Sql, coachable_course};
use crate::{HealthFigures, Store, StoreResult};

/// A published, active course of the group or a group below it (owned or addressed).
#[derive(Debug, Clone)]
pub struct InsightCourseRow {
    pub course_id: i64,
    /// The newest published version's title.
    pub title: String,
    /// The newest published version's topics (a JSON array).
    pub tags: String,
    pub owner_id: i64,
    pub figures: HealthFigures,
    /// Days between checks: the course's own, else its group's, else the default.
    pub review_days: i32,
    pub learning: LearningFigures,
}

/// How someone shared knowledge on a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContributionKind {
    /// Co-author (the owner comes with the course row).
    Coauthor,
    /// Wrote the accepted answer of a discussion.
    AcceptedAnswer,
    /// Proposed a suggested edit that was accepted.
    AcceptedEdit,
    /// Needs linked to the course (credited to whoever writes it); `user_id` is the owner.
    NeedsAnswered,
}

/// `count` contributions of one kind by one person on one course.
#[derive(Debug, Clone, Copy)]
pub struct ContributionRow {
    pub kind: ContributionKind,
    pub course_id: i64,
    pub user_id: i64,
    pub count: u64,
}

/// A published course owned by or addressed to `group_id` (a group of the subtree asked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupContentRow {
    pub course_id: i64,
    pub group_id: i64,
}

/// The scope of a coach of exactly `group_id`: its courses are those at or below it.
fn group_scope(group_id: i64) -> Scope {
    Scope {
        active: true,
        everything: false,
        user: UserId(0),
        reached_by: Vec::new(),
        coaches: vec![GroupId(group_id)],
        administers: Vec::new(),
    }
}

const LIVE: &str = "c.status = 'active' AND c.latest_version IS NOT NULL";

impl Store {
    /// The live courses of a group and the groups below it, with their stored figures.
    pub async fn insight_courses(&self, group_id: i64) -> StoreResult<Vec<InsightCourseRow>> {
        let mut sql = Sql::default();
        let scope = group_scope(group_id);
        let of_group = coachable_course(&mut sql, &scope);
        let default_days = lore_domain::review::DEFAULT_REVIEW_DAYS;
        sql.push(&format!(
            "SELECT c.id AS course_id, v.title AS title, v.tags AS tags, c.owner_id AS owner_id,
                    {FIGURE_COLUMNS},
                    COALESCE(c.review_days, g.review_days, {default_days}) AS review_days,
                    COALESCE(f.attempts, 0) AS attempts,
                    COALESCE(f.score_percent_sum, 0.0) AS score_percent_sum,
                    COALESCE(f.passed, 0) AS passed, COALESCE(f.completions, 0) AS completions
             FROM courses c
             JOIN course_versions v ON v.course_id = c.id AND v.number = c.latest_version
             JOIN course_health h ON h.course_id = c.id
             JOIN \"groups\" g ON g.id = c.group_id
             LEFT JOIN course_learning_figures f ON f.course_id = c.id
             WHERE {LIVE} AND {of_group}
             ORDER BY c.id"
        ));
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        rows.iter()
            .map(|r| {
                Ok(InsightCourseRow {
                    course_id: r.try_get("", "course_id")?,
                    title: r.try_get("", "title")?,
                    tags: r.try_get("", "tags")?,
                    owner_id: r.try_get("", "owner_id")?,
                    figures: figures(r)?,
                    review_days: r.try_get("", "review_days")?,
                    learning: LearningFigures {
                        attempts: count(r, "attempts")?,
                        score_percent_sum: r.try_get("", "score_percent_sum")?,
                        passed: count(r, "passed")?,
                        completions: count(r, "completions")?,
                    },
                })
            })
            .collect()
    }

    /// Who shared knowledge on the live courses of a group and the groups below it:
    /// co-authors, authors of accepted answers (visible threads and posts), proposers of
    /// accepted edits, and the needs each course answers.
    pub async fn insight_contributions(&self, group_id: i64) -> StoreResult<Vec<ContributionRow>> {
        let mut sql = Sql::default();
        let scope = group_scope(group_id);
        let part = |sql: &mut Sql, text: &str| {
            let of_group = coachable_course(sql, &scope);
            text.replace("{where}", &format!("{LIVE} AND {of_group}"))
        };
        let coauthors = part(
            &mut sql,
            "SELECT 'coauthor' AS kind, x.course_id AS course_id, x.user_id AS user_id,
                    COUNT(*) AS n
             FROM course_coauthors x JOIN courses c ON c.id = x.course_id
             WHERE {where} GROUP BY x.course_id, x.user_id",
        );
        let visible = sql.bind(false);
        let answers = part(
            &mut sql,
            &format!(
                "SELECT 'answer' AS kind, t.course_id AS course_id, p.author_id AS user_id,
                        COUNT(*) AS n
                 FROM threads t JOIN posts p ON p.id = t.accepted_post_id
                 JOIN courses c ON c.id = t.course_id
                 WHERE t.hidden = {visible} AND p.hidden = {visible} AND {{where}}
                 GROUP BY t.course_id, p.author_id"
            ),
        );
        let edits = part(
            &mut sql,
            "SELECT 'edit' AS kind, s.course_id AS course_id, s.proposer_id AS user_id,
                    COUNT(*) AS n
             FROM suggested_edits s JOIN courses c ON c.id = s.course_id
             WHERE s.status = 'accepted' AND {where} GROUP BY s.course_id, s.proposer_id",
        );
        let needs = part(
            &mut sql,
            "SELECT 'need' AS kind, nc.course_id AS course_id, c.owner_id AS user_id,
                    COUNT(DISTINCT nc.need_id) AS n
             FROM need_courses nc JOIN courses c ON c.id = nc.course_id
             WHERE {where} GROUP BY nc.course_id, c.owner_id",
        );
        sql.push(&format!(
            "{coauthors} UNION ALL {answers} UNION ALL {edits} UNION ALL {needs}"
        ));
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        rows.iter()
            .map(|r| {
                let kind = match r.try_get::<String>("", "kind")?.as_str() {
                    "coauthor" => ContributionKind::Coauthor,
                    "answer" => ContributionKind::AcceptedAnswer,
                    "edit" => ContributionKind::AcceptedEdit,
                    _ => ContributionKind::NeedsAnswered,
                };
                Ok(ContributionRow {
                    kind,
                    course_id: r.try_get("", "course_id")?,
                    user_id: r.try_get("", "user_id")?,
                    count: count(r, "n")?,
                })
            })
            .collect()
    }

    /// The live courses owned by or addressed to each group of the subtree of `group_id`,
    /// as (course, group) pairs.
    pub async fn group_content(&self, group_id: i64) -> StoreResult<Vec<GroupContentRow>> {
        let mut sql = Sql::default();
        let below = [GroupId(group_id)];
        let owning = sql.at_or_below("c.group_id", &below);
        let addressed = sql.at_or_below("a.group_id", &below);
        sql.push(&format!(
            "SELECT c.id AS course_id, c.group_id AS group_id FROM courses c
             WHERE {LIVE} AND {owning}
             UNION SELECT a.course_id AS course_id, a.group_id AS group_id
             FROM course_audiences a JOIN courses c ON c.id = a.course_id
             WHERE {LIVE} AND {addressed}"
        ));
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        rows.iter()
            .map(|r| {
                Ok(GroupContentRow {
                    course_id: r.try_get("", "course_id")?,
                    group_id: r.try_get("", "group_id")?,
                })
            })
            .collect()
    }
}
