//! Course health as stored figures (`course_health`, one row per course, written by the use
//! cases that change an input) and "needs attention" as one scoped, ordered, paginated query
//! over them, whatever the number of courses; and the courses a person writes with their
//! figures, also in one query.

use lore_domain::course::{CourseStatus, VersionState};
use lore_domain::visibility::Scope;
use sea_orm::{ConnectionTrait, QueryResult};

use crate::visibility::{Sql, coachable_course};
use crate::{Store, StoreResult, Timestamp, word};

/// The clock-independent inputs of a course's health, as counted when they last changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HealthFigures {
    pub positive: u64,
    pub negative: u64,
    pub viewers: u64,
    pub open_outdated: u64,
    /// Open "question" reactions plus unanswered threads.
    pub unanswered: u64,
    /// Open "not clear" reactions.
    pub open_not_clear: u64,
    /// Evaluation questions of the newest version with an item-analysis flag.
    pub flagged_items: u64,
    pub open_suggestions: u64,
    /// Unix seconds when the newest version was published (`None`: never published).
    pub reviewed_at_secs: Option<i64>,
}

/// One line of a "needs attention" page.
#[derive(Debug, Clone)]
pub struct AttentionRow {
    pub course_id: i64,
    /// The title of the newest published version.
    pub title: String,
    /// The caller owns or co-authors the course (otherwise they coach it).
    pub writes: bool,
    pub figures: HealthFigures,
    /// Days between checks: the course's own interval, else its group's, else the default.
    pub review_days: i32,
}

/// One course a person writes (owns or co-authors), drafts and archived ones included.
#[derive(Debug, Clone)]
pub struct AuthoredRow {
    pub course_id: i64,
    /// The title of the newest version, draft or published.
    pub title: String,
    pub newest_number: i32,
    pub newest_state: VersionState,
    pub status: CourseStatus,
    /// The newest published version, if any was published.
    pub latest_published: Option<i32>,
    /// The stored figures (published courses have them).
    pub figures: Option<HealthFigures>,
    /// Open negative reactions of every kind (outdated, question, not clear).
    pub open_reactions: u64,
}

fn count(r: &QueryResult, column: &str) -> StoreResult<u64> {
    Ok(r.try_get::<i64>("", column)?.max(0) as u64)
}

pub(crate) fn figures(r: &QueryResult) -> StoreResult<HealthFigures> {
    Ok(HealthFigures {
        positive: count(r, "positive")?,
        negative: count(r, "negative")?,
        viewers: count(r, "viewers")?,
        open_outdated: count(r, "open_outdated")?,
        unanswered: count(r, "unanswered")?,
        open_not_clear: count(r, "open_not_clear")?,
        flagged_items: count(r, "flagged_items")?,
        open_suggestions: count(r, "open_suggestions")?,
        reviewed_at_secs: r.try_get("", "reviewed_at_secs")?,
    })
}

pub(crate) const FIGURE_COLUMNS: &str = "h.positive, h.negative, h.viewers, h.open_outdated, h.unanswered, \
     h.open_not_clear, h.flagged_items, h.open_suggestions, h.reviewed_at_secs";

/// Points of health a `course_health h` row has lost at `now` (a placeholder for Unix
/// seconds): the stored points lost plus the age part (the formula of
/// `lore_domain::reactions::course_health`: nothing up to 180 days since the newest version,
/// then up to 20 points at 365 days). Rows without figures (a left join) have lost nothing.
pub(crate) fn lost_now(now: &str) -> String {
    format!(
        "COALESCE(h.lost_points, 0) + CASE
            WHEN h.reviewed_at_secs IS NULL THEN 0
            WHEN ({now} - h.reviewed_at_secs) / 86400 <= 180 THEN 0
            WHEN ({now} - h.reviewed_at_secs) / 86400 >= 365 THEN 20
            ELSE ((({now} - h.reviewed_at_secs) / 86400 - 180) * 20 + 184) / 185
        END"
    )
}

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Store {
    /// Make sure the course has a `course_health` row and hold it until the unit of work ends,
    /// before its figures are counted: on PostgreSQL two units of work changing one course
    /// take turns here, and the second counts what the first committed, so neither writes
    /// figures older than the other's. Nothing happens for a course that does not exist.
    pub async fn claim_course_health(&self, course_id: i64, now: Timestamp) -> StoreResult<()> {
        self.db
            .execute_raw(self.raw(
                "INSERT INTO course_health (course_id, computed_at)
                 SELECT id, $2 FROM courses WHERE id = $1
                 ON CONFLICT (course_id) DO UPDATE SET computed_at = course_health.computed_at",
                vec![course_id.into(), now.into()],
            ))
            .await?;
        Ok(())
    }

    /// Store a course's figures, with the points of health they cost apart from age and the
    /// health they gave when computed.
    pub async fn save_course_health(
        &self,
        course_id: i64,
        f: &HealthFigures,
        lost_points: u32,
        score: u32,
        now: Timestamp,
    ) -> StoreResult<()> {
        self.db
            .execute_raw(self.raw(
                "UPDATE course_health SET positive = $2, negative = $3, viewers = $4,
                    open_outdated = $5, unanswered = $6, flagged_items = $7,
                    open_suggestions = $8, reviewed_at_secs = $9, lost_points = $10,
                    score = $11, computed_at = $12, open_not_clear = $13
                 WHERE course_id = $1",
                vec![
                    course_id.into(),
                    as_i64(f.positive).into(),
                    as_i64(f.negative).into(),
                    as_i64(f.viewers).into(),
                    as_i64(f.open_outdated).into(),
                    as_i64(f.unanswered).into(),
                    as_i64(f.flagged_items).into(),
                    as_i64(f.open_suggestions).into(),
                    f.reviewed_at_secs.into(),
                    i64::from(lost_points).into(),
                    i64::from(score).into(),
                    now.into(),
                    as_i64(f.open_not_clear).into(),
                ],
            ))
            .await?;
        Ok(())
    }

    /// A course's stored figures, if it has any.
    pub async fn course_health(&self, course_id: i64) -> StoreResult<Option<HealthFigures>> {
        let row = self
            .db
            .query_one_raw(self.raw(
                &format!("SELECT {FIGURE_COLUMNS} FROM course_health h WHERE h.course_id = $1"),
                vec![course_id.into()],
            ))
            .await?;
        row.as_ref().map(figures).transpose()
    }

    /// Published courses without stored figures (a database from before they were stored).
    pub async fn courses_without_health(&self) -> StoreResult<Vec<i64>> {
        let rows = self
            .db
            .query_all_raw(self.raw(
                "SELECT c.id FROM courses c WHERE c.latest_version IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM course_health h WHERE h.course_id = c.id)
                 ORDER BY c.id",
                Vec::new(),
            ))
            .await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<i64>("", "id")?))
            .collect()
    }

    /// The courses of a "needs attention" list: active published courses the scope's person
    /// writes (owns or co-authors) or coaches, with health lost or suggestions waiting. The
    /// three ways in are a union of lookups (an `OR` of them read every course on PostgreSQL).
    /// Health here is the stored points lost plus the age part at `now_secs` ([`lost_now`]),
    /// clamped at 0.
    fn attention_from(sql: &mut Sql, scope: &Scope, now_secs: i64) {
        let me = sql.bind(scope.user.0);
        let now = sql.bind(now_secs);
        let lost_now = lost_now(&now);
        let coached = coachable_course(sql, scope);
        let active = if scope.active { "1 = 1" } else { "1 = 0" };
        let default_days = lore_domain::review::DEFAULT_REVIEW_DAYS;
        let stale_flags = lore_domain::review::STALE_OUTDATED_FLAGS;
        sql.push(&format!(
            " FROM (SELECT c.id AS course_id, v.title AS title,
                      CASE WHEN c.owner_id = {me} OR EXISTS (SELECT 1 FROM course_coauthors ca
                            WHERE ca.course_id = c.id AND ca.user_id = {me})
                           THEN 'author' ELSE 'coach' END AS because,
                      {FIGURE_COLUMNS},
                      {lost_now} AS lost_now,
                      COALESCE(c.review_days, g.review_days, {default_days}) AS review_days
                    FROM courses c
                    JOIN course_versions v ON v.course_id = c.id AND v.number = c.latest_version
                    JOIN course_health h ON h.course_id = c.id
                    JOIN \"groups\" g ON g.id = c.group_id
                    WHERE {active} AND c.status = 'active' AND c.latest_version IS NOT NULL
                      AND c.id IN (SELECT o.id FROM courses o WHERE o.owner_id = {me}
                                   UNION SELECT ca.course_id FROM course_coauthors ca
                                         WHERE ca.user_id = {me}
                                   UNION SELECT c.id FROM courses c WHERE {coached})) t
              WHERE t.lost_now > 0 OR t.open_suggestions > 0
                 OR t.open_outdated >= {stale_flags}
                 OR ({now} - t.reviewed_at_secs) / 86400 > t.review_days"
        ));
    }

    /// One page of "needs attention", least healthy first, then most suggestions waiting,
    /// then by id; and how many courses are on all pages.
    pub async fn attention_page(
        &self,
        scope: &Scope,
        now_secs: i64,
        limit: u64,
        offset: u64,
    ) -> StoreResult<(Vec<AttentionRow>, u64)> {
        let mut sql = Sql::default();
        sql.push(
            "SELECT t.course_id, t.title, t.because, t.positive, t.negative, t.viewers,
                    t.open_outdated, t.unanswered, t.open_not_clear, t.flagged_items,
                    t.open_suggestions,
                    t.reviewed_at_secs, t.review_days, COUNT(*) OVER () AS total",
        );
        Self::attention_from(&mut sql, scope, now_secs);
        let limit_mark = sql.bind(limit.clamp(1, 500) as i64);
        let offset_mark = sql.bind(offset.min(i64::MAX as u64) as i64);
        sql.push(&format!(
            " ORDER BY CASE WHEN t.lost_now >= 100 THEN 0 ELSE 100 - t.lost_now END,
                       t.open_suggestions DESC, t.course_id
              LIMIT {limit_mark} OFFSET {offset_mark}"
        ));
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        let total = match rows.first() {
            Some(r) => count(r, "total")?,
            // Past the last page: count what there is, for the page links.
            None if offset > 0 => {
                let mut sql = Sql::default();
                sql.push("SELECT COUNT(*) AS n");
                Self::attention_from(&mut sql, scope, now_secs);
                let row = self
                    .db
                    .query_one_raw(self.raw(&sql.text, sql.values))
                    .await?;
                row.map_or(Ok(0), |r| count(&r, "n"))?
            }
            None => 0,
        };
        let rows = rows
            .iter()
            .map(|r| {
                Ok(AttentionRow {
                    course_id: r.try_get("", "course_id")?,
                    title: r.try_get("", "title")?,
                    writes: r.try_get::<String>("", "because")? == "author",
                    figures: figures(r)?,
                    review_days: r.try_get("", "review_days")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((rows, total))
    }

    /// The courses `user_id` writes (owns or co-authors), with the newest version, the stored
    /// figures and the open reactions: active before archived, least healthy at `now_secs`
    /// first, then most open reactions, then most recently changed; at most `limit` of them
    /// (all for `None`), and how many there are. One query, whatever the number of courses.
    pub async fn authored_courses(
        &self,
        user_id: i64,
        now_secs: i64,
        limit: Option<u64>,
    ) -> StoreResult<(Vec<AuthoredRow>, u64)> {
        let mut sql = Sql::default();
        let me = sql.bind(user_id);
        let now = sql.bind(now_secs);
        let lost_now = lost_now(&now);
        let limit = match limit {
            Some(n) => format!(" LIMIT {}", sql.bind(n.clamp(1, 500) as i64)),
            None => String::new(),
        };
        sql.push(&format!(
            "SELECT c.id AS course_id, c.status AS status, c.latest_version AS latest_version,
                    v.title AS title, v.number AS number, v.state AS state,
                    h.course_id AS figured, {FIGURE_COLUMNS},
                    {lost_now} AS lost_now,
                    (SELECT COUNT(*) FROM reactions r
                     WHERE r.course_id = c.id AND r.status = 'open') AS open_reactions,
                    COUNT(*) OVER () AS total
             FROM courses c
             JOIN course_versions v ON v.course_id = c.id
              AND v.number = (SELECT MAX(v2.number) FROM course_versions v2
                              WHERE v2.course_id = c.id)
             LEFT JOIN course_health h ON h.course_id = c.id AND c.latest_version IS NOT NULL
             WHERE c.id IN (SELECT o.id FROM courses o WHERE o.owner_id = {me}
                            UNION SELECT ca.course_id FROM course_coauthors ca
                                  WHERE ca.user_id = {me})
             ORDER BY CASE WHEN c.status = 'active' THEN 0 ELSE 1 END, lost_now DESC,
                      open_reactions DESC, c.updated_at DESC, c.id{limit}"
        ));
        let rows = self
            .db
            .query_all_raw(self.raw(&sql.text, sql.values))
            .await?;
        let total = rows.first().map_or(Ok(0), |r| count(r, "total"))?;
        let rows = rows
            .iter()
            .map(|r| {
                let figured: Option<i64> = r.try_get("", "figured")?;
                Ok(AuthoredRow {
                    course_id: r.try_get("", "course_id")?,
                    title: r.try_get("", "title")?,
                    newest_number: r.try_get("", "number")?,
                    newest_state: word(&r.try_get::<String>("", "state")?, VersionState::parse)?,
                    status: word(&r.try_get::<String>("", "status")?, CourseStatus::parse)?,
                    latest_published: r.try_get("", "latest_version")?,
                    figures: figured.map(|_| figures(r)).transpose()?,
                    open_reactions: count(r, "open_reactions")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((rows, total))
    }
}

#[cfg(test)]
mod tests {
    use sea_orm_migration::MigratorTrait;

    use super::*;
    use crate::migrations::Migrator;

    /// Figures stored before *not clear* reactions counted go with m0011, so start-up
    /// recounts every published course (`App::fill_course_health` asks for these).
    #[tokio::test]
    async fn m0011_leaves_every_published_course_to_be_recounted() {
        let (_dir, store) = crate::test_support::fresh_sqlite().await;
        let pool = store.pool().expect("pool");
        Migrator::up(pool, Some(10))
            .await
            .expect("migrate to m0010");
        let now = crate::test_support::NOW;
        let (owner, group) = crate::test_support::owner_and_group(&store).await;
        store
            .db
            .execute_raw(store.raw(
                "INSERT INTO courses (id, owner_id, group_id, status, latest_version,
                                      created_at, updated_at)
                 VALUES (1, $1, $2, 'active', 1, $3, $3)",
                vec![owner.into(), group.into(), now.into()],
            ))
            .await
            .expect("course");
        store
            .db
            .execute_raw(store.raw(
                "INSERT INTO course_health (course_id, lost_points, score, computed_at)
                 VALUES (1, 0, 100, $1)",
                vec![now.into()],
            ))
            .await
            .expect("figures counted before m0011");
        assert!(
            store
                .courses_without_health()
                .await
                .expect("missing")
                .is_empty()
        );

        store.migrate().await.expect("migrate to the end");
        assert_eq!(store.course_health(1).await.expect("read"), None);
        assert_eq!(
            store.courses_without_health().await.expect("missing"),
            vec![1_i64]
        );
    }
}
