//! Review before publishing (`reviews`, `review_verdicts`, `review_comments`,
//! `course_reviewers`) and the settings that say when a course needs a review or a check
//! (`groups.review_required`, `review_days`; `courses.review_days`, `confirmed_at`).

use lore_domain::review::{ReviewState, Verdict};
use sea_orm::{ConnectionTrait, QueryResult, Value};

use crate::{Store, StoreResult, Timestamp, word};

/// A draft submitted for review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    pub id: i64,
    pub course_id: i64,
    pub version_number: i32,
    pub submitted_by: i64,
    pub submitted_at: Timestamp,
    /// The draft's content when it was (last) submitted.
    pub fingerprint: String,
    pub state: ReviewState,
    pub closed_at: Option<Timestamp>,
}

/// One reviewer's decision, with their name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictRow {
    pub id: i64,
    pub review_id: i64,
    pub reviewer_id: i64,
    pub reviewer_name: String,
    pub verdict: Verdict,
    pub fingerprint: String,
    pub note: String,
    pub created_at: Timestamp,
}

/// A comment of a review, pinned to a step or to the course, with its writer's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewCommentRow {
    pub id: i64,
    pub review_id: i64,
    pub step_key: Option<String>,
    pub parent_id: Option<i64>,
    pub author_id: i64,
    pub author_name: String,
    pub body: String,
    pub created_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
    pub resolved_by: Option<i64>,
}

/// When a course is due for a check, as stored: its own interval, its group's, and its
/// owner's last confirmation that it is still right.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CourseCheck {
    pub course_days: Option<i32>,
    pub group_days: Option<i32>,
    pub confirmed_at: Option<Timestamp>,
    pub confirmed_by: Option<i64>,
}

/// A stale course, for the sweep that asks its owner to check it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleCourse {
    pub course_id: i64,
    pub owner_id: i64,
    pub title: String,
    /// Unix seconds of the newest version or the last confirmation.
    pub checked_at_secs: i64,
    pub open_outdated: u64,
    pub review_days: i32,
}

impl StaleCourse {
    pub fn days_since_check(&self, now_secs: i64) -> u64 {
        ((now_secs - self.checked_at_secs) / 86_400).max(0) as u64
    }
}

fn review(r: &QueryResult) -> StoreResult<ReviewRow> {
    Ok(ReviewRow {
        id: r.try_get("", "id")?,
        course_id: r.try_get("", "course_id")?,
        version_number: r.try_get("", "version_number")?,
        submitted_by: r.try_get("", "submitted_by")?,
        submitted_at: r.try_get("", "submitted_at")?,
        fingerprint: r.try_get("", "fingerprint")?,
        state: word(&r.try_get::<String>("", "state")?, ReviewState::parse)?,
        closed_at: r.try_get("", "closed_at")?,
    })
}

const REVIEW_COLUMNS: &str =
    "id, course_id, version_number, submitted_by, submitted_at, fingerprint, state, closed_at";

impl Store {
    /// Does any of `groups` (a course's owning group and those above it) require review?
    pub async fn review_required(&self, groups: &[i64]) -> StoreResult<bool> {
        if groups.is_empty() {
            return Ok(false);
        }
        let marks: Vec<String> = (1..=groups.len()).map(|i| format!("${i}")).collect();
        let row = self
            .db
            .query_one_raw(self.raw(
                &format!(
                    "SELECT COUNT(*) AS n FROM \"groups\" WHERE review_required = TRUE AND id IN ({})",
                    marks.join(", ")
                ),
                groups.iter().map(|g| Value::from(*g)).collect(),
            ))
            .await?;
        Ok(row.map_or(Ok(0), |r| r.try_get::<i64>("", "n"))? > 0)
    }

    /// A group's own review settings: (review required, review interval in days).
    pub async fn group_review_settings(&self, group_id: i64) -> StoreResult<(bool, Option<i32>)> {
        let row = self
            .db
            .query_one_raw(self.raw(
                "SELECT review_required, review_days FROM \"groups\" WHERE id = $1",
                vec![group_id.into()],
            ))
            .await?;
        match row {
            Some(r) => Ok((
                r.try_get("", "review_required")?,
                r.try_get("", "review_days")?,
            )),
            None => Ok((false, None)),
        }
    }

    pub async fn set_group_review_settings(
        &self,
        group_id: i64,
        required: bool,
        days: Option<i32>,
    ) -> StoreResult<()> {
        self.db
            .execute_raw(self.raw(
                "UPDATE \"groups\" SET review_required = $2, review_days = $3 WHERE id = $1",
                vec![group_id.into(), required.into(), days.into()],
            ))
            .await?;
        Ok(())
    }

    /// The published courses owned by a group (their check interval follows the group's).
    pub async fn courses_owned_by(&self, group_id: i64) -> StoreResult<Vec<i64>> {
        let rows = self
            .db
            .query_all_raw(self.raw(
                "SELECT id FROM courses WHERE group_id = $1 AND latest_version IS NOT NULL ORDER BY id",
                vec![group_id.into()],
            ))
            .await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<i64>("", "id")?))
            .collect()
    }

    pub async fn course_check(&self, course_id: i64) -> StoreResult<CourseCheck> {
        let row = self
            .db
            .query_one_raw(self.raw(
                "SELECT c.review_days AS course_days, g.review_days AS group_days,
                        c.confirmed_at, c.confirmed_by
                 FROM courses c JOIN \"groups\" g ON g.id = c.group_id WHERE c.id = $1",
                vec![course_id.into()],
            ))
            .await?;
        match row {
            Some(r) => Ok(CourseCheck {
                course_days: r.try_get("", "course_days")?,
                group_days: r.try_get("", "group_days")?,
                confirmed_at: r.try_get("", "confirmed_at")?,
                confirmed_by: r.try_get("", "confirmed_by")?,
            }),
            None => Ok(CourseCheck::default()),
        }
    }

    pub async fn set_course_review_days(
        &self,
        course_id: i64,
        days: Option<i32>,
    ) -> StoreResult<()> {
        self.db
            .execute_raw(self.raw(
                "UPDATE courses SET review_days = $2 WHERE id = $1",
                vec![course_id.into(), days.into()],
            ))
            .await?;
        Ok(())
    }

    /// Record that `user_id` confirmed the course is still right.
    pub async fn confirm_course(
        &self,
        course_id: i64,
        user_id: i64,
        now: Timestamp,
    ) -> StoreResult<()> {
        self.db
            .execute_raw(self.raw(
                "UPDATE courses SET confirmed_at = $3, confirmed_by = $2 WHERE id = $1",
                vec![course_id.into(), user_id.into(), now.into()],
            ))
            .await?;
        Ok(())
    }

    /// Active published courses that are stale at `now_secs`: not checked for longer than
    /// their interval, or flagged outdated `STALE_OUTDATED_FLAGS` times or more.
    pub async fn stale_courses(&self, now_secs: i64) -> StoreResult<Vec<StaleCourse>> {
        let rows = self
            .db
            .query_all_raw(self.raw(
                "SELECT c.id, c.owner_id, v.title, h.reviewed_at_secs, h.open_outdated,
                        COALESCE(c.review_days, g.review_days, $2) AS review_days
                 FROM courses c
                 JOIN course_versions v ON v.course_id = c.id AND v.number = c.latest_version
                 JOIN course_health h ON h.course_id = c.id
                 JOIN \"groups\" g ON g.id = c.group_id
                 WHERE c.status = 'active' AND h.reviewed_at_secs IS NOT NULL
                   AND (h.open_outdated >= $3
                        OR ($1 - h.reviewed_at_secs) / 86400 > COALESCE(c.review_days, g.review_days, $2))
                 ORDER BY c.id",
                vec![
                    now_secs.into(),
                    lore_domain::review::DEFAULT_REVIEW_DAYS.into(),
                    i64::try_from(lore_domain::review::STALE_OUTDATED_FLAGS)
                        .unwrap_or(i64::MAX)
                        .into(),
                ],
            ))
            .await?;
        rows.iter()
            .map(|r| {
                Ok(StaleCourse {
                    course_id: r.try_get("", "id")?,
                    owner_id: r.try_get("", "owner_id")?,
                    title: r.try_get("", "title")?,
                    checked_at_secs: r.try_get("", "reviewed_at_secs")?,
                    open_outdated: r.try_get::<i64>("", "open_outdated")?.max(0) as u64,
                    review_days: r.try_get("", "review_days")?,
                })
            })
            .collect()
    }

    /// Claim `key` for something done exactly once (a reminder, a notice): true for the
    /// first claim, false ever after, on every server. Inside a unit of work, the claim
    /// stands or falls with what it guards.
    pub async fn claim_once(&self, key: &str, now: Timestamp) -> StoreResult<bool> {
        let done = self
            .db
            .execute_raw(self.raw(
                "INSERT INTO sent_once (once_key, at) VALUES ($1, $2) ON CONFLICT (once_key) DO NOTHING",
                vec![key.into(), now.into()],
            ))
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Keep a change note on a course's draft, for when it is published (an import that
    /// waits for review).
    pub async fn set_draft_change_note(&self, course_id: i64, note: &str) -> StoreResult<()> {
        self.db
            .execute_raw(self.raw(
                "UPDATE course_versions SET change_note = $2 WHERE course_id = $1 AND state = 'draft'",
                vec![course_id.into(), note.into()],
            ))
            .await?;
        Ok(())
    }

    /// The review of a course's draft, whatever its state (the newest one for that version).
    pub async fn review_of_version(
        &self,
        course_id: i64,
        version_number: i32,
    ) -> StoreResult<Option<ReviewRow>> {
        let row = self
            .db
            .query_one_raw(self.raw(
                &format!(
                    "SELECT {REVIEW_COLUMNS} FROM reviews WHERE course_id = $1 AND version_number = $2
                     ORDER BY id DESC LIMIT 1"
                ),
                vec![course_id.into(), version_number.into()],
            ))
            .await?;
        row.as_ref().map(review).transpose()
    }

    pub async fn review(&self, id: i64) -> StoreResult<Option<ReviewRow>> {
        let row = self
            .db
            .query_one_raw(self.raw(
                &format!("SELECT {REVIEW_COLUMNS} FROM reviews WHERE id = $1"),
                vec![id.into()],
            ))
            .await?;
        row.as_ref().map(review).transpose()
    }

    /// Every review of a course, newest version first (for its history).
    pub async fn reviews_of(&self, course_id: i64) -> StoreResult<Vec<ReviewRow>> {
        let rows = self
            .db
            .query_all_raw(self.raw(
                &format!(
                    "SELECT {REVIEW_COLUMNS} FROM reviews WHERE course_id = $1
                     ORDER BY version_number DESC, id DESC"
                ),
                vec![course_id.into()],
            ))
            .await?;
        rows.iter().map(review).collect()
    }

    pub async fn insert_review(
        &self,
        course_id: i64,
        version_number: i32,
        submitted_by: i64,
        fingerprint: &str,
        now: Timestamp,
    ) -> StoreResult<i64> {
        let row = self
            .db
            .query_one_raw(self.raw(
                "INSERT INTO reviews (course_id, version_number, submitted_by, submitted_at,
                                      fingerprint, state)
                 VALUES ($1, $2, $3, $4, $5, 'open') RETURNING id",
                vec![
                    course_id.into(),
                    version_number.into(),
                    submitted_by.into(),
                    now.into(),
                    fingerprint.into(),
                ],
            ))
            .await?;
        Ok(row.map_or(Ok(0), |r| r.try_get::<i64>("", "id"))?)
    }

    /// Submit an open review again, for the draft as it is now.
    pub async fn resubmit_review(
        &self,
        id: i64,
        submitted_by: i64,
        fingerprint: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        self.db
            .execute_raw(self.raw(
                "UPDATE reviews SET submitted_by = $2, fingerprint = $3, submitted_at = $4,
                        state = 'open', closed_at = NULL
                 WHERE id = $1",
                vec![
                    id.into(),
                    submitted_by.into(),
                    fingerprint.into(),
                    now.into(),
                ],
            ))
            .await?;
        Ok(())
    }

    /// Close a review (published or withdrawn); false when it was not open.
    pub async fn close_review(
        &self,
        id: i64,
        state: ReviewState,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let done = self
            .db
            .execute_raw(self.raw(
                "UPDATE reviews SET state = $2, closed_at = $3 WHERE id = $1 AND state = 'open'",
                vec![id.into(), state.as_str().into(), now.into()],
            ))
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn insert_verdict(
        &self,
        review_id: i64,
        reviewer_id: i64,
        verdict: Verdict,
        fingerprint: &str,
        note: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        self.db
            .execute_raw(self.raw(
                "INSERT INTO review_verdicts (review_id, reviewer_id, verdict, fingerprint, note,
                                              created_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                vec![
                    review_id.into(),
                    reviewer_id.into(),
                    verdict.as_str().into(),
                    fingerprint.into(),
                    note.into(),
                    now.into(),
                ],
            ))
            .await?;
        Ok(())
    }

    /// A review's verdicts in the order they were given.
    pub async fn verdicts_of(&self, review_id: i64) -> StoreResult<Vec<VerdictRow>> {
        let rows = self
            .db
            .query_all_raw(self.raw(
                "SELECT v.id, v.review_id, v.reviewer_id, u.name AS reviewer_name, v.verdict,
                        v.fingerprint, v.note, v.created_at
                 FROM review_verdicts v JOIN users u ON u.id = v.reviewer_id
                 WHERE v.review_id = $1 ORDER BY v.id",
                vec![review_id.into()],
            ))
            .await?;
        rows.iter()
            .map(|r| {
                Ok(VerdictRow {
                    id: r.try_get("", "id")?,
                    review_id: r.try_get("", "review_id")?,
                    reviewer_id: r.try_get("", "reviewer_id")?,
                    reviewer_name: r.try_get("", "reviewer_name")?,
                    verdict: word(&r.try_get::<String>("", "verdict")?, Verdict::parse)?,
                    fingerprint: r.try_get("", "fingerprint")?,
                    note: r.try_get("", "note")?,
                    created_at: r.try_get("", "created_at")?,
                })
            })
            .collect()
    }

    pub async fn insert_review_comment(
        &self,
        review_id: i64,
        step_key: Option<&str>,
        parent_id: Option<i64>,
        author_id: i64,
        body: &str,
        now: Timestamp,
    ) -> StoreResult<i64> {
        let row = self
            .db
            .query_one_raw(self.raw(
                "INSERT INTO review_comments (review_id, step_key, parent_id, author_id, body,
                                              created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                vec![
                    review_id.into(),
                    step_key.map(str::to_owned).into(),
                    parent_id.into(),
                    author_id.into(),
                    body.into(),
                    now.into(),
                ],
            ))
            .await?;
        Ok(row.map_or(Ok(0), |r| r.try_get::<i64>("", "id"))?)
    }

    /// A review's comments, oldest first.
    pub async fn review_comments_of(&self, review_id: i64) -> StoreResult<Vec<ReviewCommentRow>> {
        let rows = self
            .db
            .query_all_raw(self.raw(
                "SELECT c.id, c.review_id, c.step_key, c.parent_id, c.author_id,
                        u.name AS author_name, c.body, c.created_at, c.resolved_at, c.resolved_by
                 FROM review_comments c JOIN users u ON u.id = c.author_id
                 WHERE c.review_id = $1 ORDER BY c.id",
                vec![review_id.into()],
            ))
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ReviewCommentRow {
                    id: r.try_get("", "id")?,
                    review_id: r.try_get("", "review_id")?,
                    step_key: r.try_get("", "step_key")?,
                    parent_id: r.try_get("", "parent_id")?,
                    author_id: r.try_get("", "author_id")?,
                    author_name: r.try_get("", "author_name")?,
                    body: r.try_get("", "body")?,
                    created_at: r.try_get("", "created_at")?,
                    resolved_at: r.try_get("", "resolved_at")?,
                    resolved_by: r.try_get("", "resolved_by")?,
                })
            })
            .collect()
    }

    /// Mark a thread of comments resolved (or open again); false when no such comment.
    pub async fn resolve_review_comment(
        &self,
        review_id: i64,
        comment_id: i64,
        by: Option<i64>,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let at: Option<Timestamp> = by.map(|_| now);
        let done = self
            .db
            .execute_raw(self.raw(
                "UPDATE review_comments SET resolved_at = $3, resolved_by = $4
                 WHERE review_id = $1 AND id = $2 AND parent_id IS NULL",
                vec![review_id.into(), comment_id.into(), at.into(), by.into()],
            ))
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The experts named to review a course: (user id, name, email).
    pub async fn course_reviewers(
        &self,
        course_id: i64,
    ) -> StoreResult<Vec<(i64, String, String)>> {
        let rows = self
            .db
            .query_all_raw(self.raw(
                "SELECT u.id, u.name, u.email FROM course_reviewers r JOIN users u ON u.id = r.user_id
                 WHERE r.course_id = $1 ORDER BY u.name, u.id",
                vec![course_id.into()],
            ))
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("", "id")?,
                    r.try_get("", "name")?,
                    r.try_get("", "email")?,
                ))
            })
            .collect()
    }

    /// Name an expert reviewer; `Conflict` if already named.
    pub async fn add_course_reviewer(
        &self,
        course_id: i64,
        user_id: i64,
        added_by: i64,
        now: Timestamp,
    ) -> StoreResult<()> {
        self.db
            .execute_raw(self.raw(
                "INSERT INTO course_reviewers (course_id, user_id, added_by, created_at)
                 VALUES ($1, $2, $3, $4)",
                vec![
                    course_id.into(),
                    user_id.into(),
                    added_by.into(),
                    now.into(),
                ],
            ))
            .await
            .map_err(crate::StoreError::from_db)?;
        Ok(())
    }

    pub async fn remove_course_reviewer(&self, course_id: i64, user_id: i64) -> StoreResult<bool> {
        let done = self
            .db
            .execute_raw(self.raw(
                "DELETE FROM course_reviewers WHERE course_id = $1 AND user_id = $2",
                vec![course_id.into(), user_id.into()],
            ))
            .await?;
        Ok(done.rows_affected() == 1)
    }
}
