//! What to learn next, as candidates with the facts behind them: the next courses of their
//! groups' paths, courses a person's peers
//! (people sharing a group with them) completed lately, courses that answer needs they voted
//! for, and courses they completed long ago that changed since. Each is one statement, limited,
//! scoped to what the person may take, and leaves out what they already take.

use lore_domain::visibility::Scope;
use sea_orm::{ConnectionTrait, QueryResult};

use crate::visibility::{Sql, takeable_course};
use crate::{Store, StoreResult, Timestamp};

/// Why a course is suggested, with its facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CandidateReason {
    /// The next course the person has not started in a published path of their group.
    Path { path_title: String, group: String },
    /// `people` in the group `group` completed it since the cut-off.
    Peers { group: String, people: i64 },
    /// It answers a need the person voted for.
    Need { need_title: String },
    /// The person completed `version` at `completed_at`; it is at `latest` now.
    Refresher {
        version: i32,
        latest: i32,
        completed_at: Timestamp,
    },
}

/// A course to suggest, with its stored reaction figures (for "rated 82").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub course_id: i64,
    pub title: String,
    pub reason: CandidateReason,
    pub positive: u64,
    pub negative: u64,
    pub viewers: u64,
}

fn figure(r: &QueryResult, column: &str) -> StoreResult<u64> {
    Ok(r.try_get::<Option<i64>>("", column)?.unwrap_or(0).max(0) as u64)
}

const COURSE: &str =
    "JOIN courses c ON c.id = {course} AND c.status = 'active' AND c.latest_version IS NOT NULL
     JOIN course_versions v ON v.course_id = c.id AND v.number = c.latest_version
     LEFT JOIN course_health h ON h.course_id = c.id";

/// The candidates of a statement's rows, each with the reason its columns give.
fn candidates(
    rows: &[QueryResult],
    reason: impl Fn(&QueryResult) -> StoreResult<CandidateReason>,
) -> StoreResult<Vec<Candidate>> {
    rows.iter()
        .map(|r| {
            Ok(Candidate {
                course_id: r.try_get("", "course_id")?,
                title: r.try_get("", "title")?,
                reason: reason(r)?,
                positive: figure(r, "positive")?,
                negative: figure(r, "negative")?,
                viewers: figure(r, "viewers")?,
            })
        })
        .collect()
}

fn course_join(column: &str) -> String {
    COURSE.replace("{course}", column)
}

impl Store {
    /// Courses of published paths owned by the groups that reach the person, that they do
    /// not take yet, in each path's order: at most `limit` rows (the caller keeps one per path).
    pub async fn path_candidates(&self, scope: &Scope, limit: u64) -> StoreResult<Vec<Candidate>> {
        let mut sql = Sql::default();
        let me = sql.bind(scope.user.0);
        let ours = sql.in_groups("p.group_id", &scope.reached_by);
        let takeable = takeable_course(&mut sql, scope);
        let limit = sql.bind(limit.clamp(1, 100) as i64);
        sql.push(&format!(
            "SELECT c.id AS course_id, v.title AS title, p.title AS path_title, g.name AS group_name,
                    h.positive AS positive, h.negative AS negative, h.viewers AS viewers
             FROM paths p
             JOIN \"groups\" g ON g.id = p.group_id
             JOIN path_items i ON i.path_id = p.id AND i.version_number = p.latest_version
                  AND i.item_kind = 'course'
             {}
             WHERE p.latest_version IS NOT NULL AND {ours}
               AND NOT EXISTS (SELECT 1 FROM enrolments m WHERE m.user_id = {me} AND m.course_id = c.id)
               AND {takeable}
             ORDER BY p.id, i.position
             LIMIT {limit}",
            course_join("i.item_id")
        ));
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        candidates(&rows, |r| {
            Ok(CandidateReason::Path {
                path_title: r.try_get("", "path_title")?,
                group: r.try_get("", "group_name")?,
            })
        })
    }

    /// Courses people sharing a group with the person completed since `since`, most
    /// completions first (per group), at most `limit` rows.
    pub async fn peer_candidates(
        &self,
        scope: &Scope,
        since: Timestamp,
        limit: u64,
    ) -> StoreResult<Vec<Candidate>> {
        let mut sql = Sql::default();
        let me = sql.bind(scope.user.0);
        let since = sql.bind(since);
        let takeable = takeable_course(&mut sql, scope);
        let limit = sql.bind(limit.clamp(1, 100) as i64);
        sql.push(&format!(
            "SELECT c.id AS course_id, v.title AS title, g.name AS group_name,
                    COUNT(DISTINCT e.user_id) AS people,
                    h.positive AS positive, h.negative AS negative, h.viewers AS viewers
             FROM memberships mine
             JOIN \"groups\" g ON g.id = mine.group_id
             JOIN memberships peer ON peer.group_id = mine.group_id AND peer.user_id <> {me}
             JOIN enrolments e ON e.user_id = peer.user_id AND e.completed_at >= {since}
             {}
             WHERE mine.user_id = {me}
               AND NOT EXISTS (SELECT 1 FROM enrolments m WHERE m.user_id = {me} AND m.course_id = c.id)
               AND {takeable}
             GROUP BY c.id, v.title, g.name, h.positive, h.negative, h.viewers
             ORDER BY people DESC, c.id
             LIMIT {limit}",
            course_join("e.course_id")
        ));
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        candidates(&rows, |r| {
            Ok(CandidateReason::Peers {
                group: r.try_get("", "group_name")?,
                people: r.try_get("", "people")?,
            })
        })
    }

    /// Courses linked to needs the person voted for, that they do not take yet.
    pub async fn need_candidates(&self, scope: &Scope, limit: u64) -> StoreResult<Vec<Candidate>> {
        let mut sql = Sql::default();
        let me = sql.bind(scope.user.0);
        let takeable = takeable_course(&mut sql, scope);
        let limit = sql.bind(limit.clamp(1, 100) as i64);
        sql.push(&format!(
            "SELECT c.id AS course_id, v.title AS title, n.title AS need_title,
                    h.positive AS positive, h.negative AS negative, h.viewers AS viewers
             FROM need_votes nv
             JOIN needs n ON n.id = nv.need_id
             JOIN need_courses nc ON nc.need_id = n.id
             {}
             WHERE nv.user_id = {me}
               AND NOT EXISTS (SELECT 1 FROM enrolments m WHERE m.user_id = {me} AND m.course_id = c.id)
               AND {takeable}
             ORDER BY nv.created_at DESC, c.id
             LIMIT {limit}",
            course_join("nc.course_id")
        ));
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        candidates(&rows, |r| {
            Ok(CandidateReason::Need {
                need_title: r.try_get("", "need_title")?,
            })
        })
    }

    /// Courses the person completed before `before` whose newest version is later than the
    /// one they completed, oldest completion first.
    pub async fn refresher_candidates(
        &self,
        scope: &Scope,
        before: Timestamp,
        limit: u64,
    ) -> StoreResult<Vec<Candidate>> {
        let mut sql = Sql::default();
        let me = sql.bind(scope.user.0);
        let before = sql.bind(before);
        let takeable = takeable_course(&mut sql, scope);
        let limit = sql.bind(limit.clamp(1, 100) as i64);
        sql.push(&format!(
            "SELECT c.id AS course_id, v.title AS title, e.version_number AS done_version,
                    c.latest_version AS latest, e.completed_at AS completed_at,
                    h.positive AS positive, h.negative AS negative, h.viewers AS viewers
             FROM enrolments e
             {}
             WHERE e.user_id = {me} AND e.completed_at < {before}
               AND c.latest_version > e.version_number
               AND {takeable}
             ORDER BY e.completed_at, c.id
             LIMIT {limit}",
            course_join("e.course_id")
        ));
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        candidates(&rows, |r| {
            Ok(CandidateReason::Refresher {
                version: r.try_get("", "done_version")?,
                latest: r.try_get("", "latest")?,
                completed_at: r.try_get("", "completed_at")?,
            })
        })
    }
}
