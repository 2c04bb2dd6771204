//! Learning needs: the need and its audience, votes, followers, experts, answering courses,
//! the record of changes, and the statements a merge of one need into another is made of.

use crate::{row, rows, word};
use lore_domain::need::{ExpertState, NeedStatus};
use sea_orm::DbErr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    Value,
};

use crate::entities::{need_courses, need_events, need_experts, need_votes, needs};
use crate::{Store, StoreError, StoreResult, Timestamp};

pub type NeedEventRow = need_events::Model;
pub type NeedVoteRow = need_votes::Model;
pub type NeedCourseRow = need_courses::Model;

/// A need about to be stored; its creator votes for it and follows it.
#[derive(Debug, Clone)]
pub struct NewNeed {
    pub title: String,
    pub problem: String,
    pub topic: String,
    pub urgency: String,
    pub questions: String,
    pub audiences: Vec<i64>,
    pub created_by: i64,
}

/// The editable text of a need.
#[derive(Debug, Clone, Copy)]
pub struct NeedText<'a> {
    pub title: &'a str,
    pub problem: &'a str,
    pub topic: &'a str,
    pub urgency: &'a str,
    /// JSON array.
    pub questions: &'a str,
}

/// `$start, $start+1, …` for an `IN (…)` list of `n` values.
fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn event(
    need_id: i64,
    actor: Option<i64>,
    kind: &str,
    detail: &str,
    now: Timestamp,
) -> need_events::ActiveModel {
    need_events::ActiveModel {
        need_id: Set(need_id),
        actor_id: Set(actor),
        kind: Set(kind.to_owned()),
        detail: Set(detail.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
}

/// A row of `needs`, its words read into domain enums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeedRow {
    pub id: i64,
    pub title: String,
    pub problem: String,
    pub topic: String,
    /// `low`, `normal`, `high` or `critical`.
    pub urgency: String,
    /// JSON array of the questions a course should answer.
    pub questions: String,
    pub status: NeedStatus,
    pub decline_reason: Option<String>,
    pub merged_into: Option<i64>,
    pub created_by: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl TryFrom<needs::Model> for NeedRow {
    type Error = DbErr;

    fn try_from(m: needs::Model) -> Result<Self, DbErr> {
        Ok(Self {
            id: m.id,
            title: m.title,
            problem: m.problem,
            topic: m.topic,
            urgency: m.urgency,
            questions: m.questions,
            status: word(&m.status, NeedStatus::parse)?,
            decline_reason: m.decline_reason,
            merged_into: m.merged_into,
            created_by: m.created_by,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

/// A row of `need_experts`, its words read into domain enums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeedExpertRow {
    pub id: i64,
    pub need_id: i64,
    pub user_id: i64,
    pub state: ExpertState,
    pub assigned_by: Option<i64>,
    /// The draft course made for the expert when assigned.
    pub course_id: Option<i64>,
    pub created_at: Timestamp,
}

impl TryFrom<need_experts::Model> for NeedExpertRow {
    type Error = DbErr;

    fn try_from(m: need_experts::Model) -> Result<Self, DbErr> {
        Ok(Self {
            id: m.id,
            need_id: m.need_id,
            user_id: m.user_id,
            state: word(&m.state, ExpertState::parse)?,
            assigned_by: m.assigned_by,
            course_id: m.course_id,
            created_at: m.created_at,
        })
    }
}

impl Store {
    /// Store a need with its audience; the creator's vote and follow come with it.
    pub async fn insert_need(&self, n: NewNeed, now: Timestamp) -> StoreResult<NeedRow> {
        let tx = self.write_tx().await?;
        let need = needs::ActiveModel {
            title: Set(n.title),
            problem: Set(n.problem),
            topic: Set(n.topic),
            urgency: Set(n.urgency),
            questions: Set(n.questions),
            status: Set(NeedStatus::Open.as_str().to_owned()),
            decline_reason: Set(None),
            merged_into: Set(None),
            created_by: Set(n.created_by),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        for g in n.audiences {
            tx.execute_raw(self.raw(
                "INSERT INTO need_audiences (need_id, group_id) VALUES ($1, $2)",
                vec![need.id.into(), g.into()],
            ))
            .await?;
        }
        need_votes::ActiveModel {
            need_id: Set(need.id),
            user_id: Set(n.created_by),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        tx.execute_raw(self.raw(
            "INSERT INTO need_followers (need_id, user_id, created_at) VALUES ($1, $2, $3)",
            vec![need.id.into(), n.created_by.into(), now.into()],
        ))
        .await?;
        event(
            need.id,
            Some(n.created_by),
            "created",
            "Asked for this need.",
            now,
        )
        .insert(&tx)
        .await?;
        tx.commit().await?;
        Ok(need.try_into()?)
    }

    pub async fn need(&self, id: i64) -> StoreResult<Option<NeedRow>> {
        row(needs::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// Several needs by id, in no particular order.
    pub async fn needs_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<NeedRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        rows(
            needs::Entity::find()
                .filter(needs::Column::Id.is_in(ids.iter().copied()))
                .all(&self.db)
                .await?,
        )
    }

    /// Every need, newest first (the board filters by who may see what).
    pub async fn all_needs(&self) -> StoreResult<Vec<NeedRow>> {
        rows(
            needs::Entity::find()
                .order_by_desc(needs::Column::Id)
                .all(&self.db)
                .await?,
        )
    }

    /// Change the editable text of a need.
    pub async fn update_need_text(
        &self,
        id: i64,
        t: NeedText<'_>,
        now: Timestamp,
    ) -> StoreResult<()> {
        let NeedText {
            title,
            problem,
            topic,
            urgency,
            questions,
        } = t;
        self.db
            .execute_raw(self.raw(
                "UPDATE needs SET title = $1, problem = $2, topic = $3, urgency = $4, questions = $5, updated_at = $6 WHERE id = $7",
                vec![title.into(), problem.into(), topic.into(), urgency.into(), questions.into(), now.into(), id.into()],
            ))
            .await?;
        Ok(())
    }

    /// Audience groups of each need, as (need id, group id).
    pub async fn need_audiences(&self, need_ids: &[i64]) -> StoreResult<Vec<(i64, i64)>> {
        if need_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT need_id, group_id FROM need_audiences WHERE need_id IN ({}) ORDER BY need_id, group_id",
            placeholders(1, need_ids.len())
        );
        let rows = self
            .db
            .query_all_raw(self.raw(&sql, need_ids.iter().map(|i| Value::from(*i)).collect()))
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push((
                r.try_get::<i64>("", "need_id")?,
                r.try_get::<i64>("", "group_id")?,
            ));
        }
        Ok(out)
    }

    /// Active coaches and administrators holding their role directly in any of `groups`.
    pub async fn coaches_in(&self, groups: &[i64]) -> StoreResult<Vec<i64>> {
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT DISTINCT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE u.active = $1 AND m.role IN ('coach', 'admin') AND m.group_id IN ({}) \
             ORDER BY m.user_id",
            placeholders(2, groups.len())
        );
        let mut values: Vec<Value> = vec![true.into()];
        values.extend(groups.iter().map(|g| Value::from(*g)));
        let rows = self.db.query_all_raw(self.raw(&sql, values)).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(r.try_get::<i64>("", "user_id")?);
        }
        Ok(out)
    }

    /// Record a vote; `Conflict` when the person already voted for this need.
    pub async fn insert_need_vote(
        &self,
        need_id: i64,
        user_id: i64,
        now: Timestamp,
    ) -> StoreResult<()> {
        need_votes::ActiveModel {
            need_id: Set(need_id),
            user_id: Set(user_id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from_db)?;
        Ok(())
    }

    pub async fn delete_need_vote(&self, need_id: i64, user_id: i64) -> StoreResult<bool> {
        let r = need_votes::Entity::delete_many()
            .filter(need_votes::Column::NeedId.eq(need_id))
            .filter(need_votes::Column::UserId.eq(user_id))
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected == 1)
    }

    /// Votes of the given needs (all needs when `None`).
    pub async fn need_votes(&self, need_ids: Option<&[i64]>) -> StoreResult<Vec<NeedVoteRow>> {
        let mut q = need_votes::Entity::find();
        if let Some(ids) = need_ids {
            q = q.filter(need_votes::Column::NeedId.is_in(ids.iter().copied()));
        }
        Ok(q.order_by_asc(need_votes::Column::Id).all(&self.db).await?)
    }

    /// Follow a need; following twice is no change. Returns whether a row was added.
    pub async fn follow_need(
        &self,
        need_id: i64,
        user_id: i64,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let r = self
            .db
            .execute_raw(self.raw(
                "INSERT INTO need_followers (need_id, user_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (need_id, user_id) DO NOTHING",
                vec![need_id.into(), user_id.into(), now.into()],
            ))
            .await?;
        Ok(r.rows_affected() == 1)
    }

    pub async fn unfollow_need(&self, need_id: i64, user_id: i64) -> StoreResult<bool> {
        let r = self
            .db
            .execute_raw(self.raw(
                "DELETE FROM need_followers WHERE need_id = $1 AND user_id = $2",
                vec![need_id.into(), user_id.into()],
            ))
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Who follows a need, by user id.
    pub async fn need_followers(&self, need_id: i64) -> StoreResult<Vec<i64>> {
        let rows = self
            .db
            .query_all_raw(self.raw(
                "SELECT user_id FROM need_followers WHERE need_id = $1 ORDER BY id",
                vec![need_id.into()],
            ))
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(r.try_get::<i64>("", "user_id")?);
        }
        Ok(out)
    }

    /// Move a need from `from` to `to` status; false when it was no longer in `from`
    /// (someone else moved it first).
    pub async fn set_need_status(
        &self,
        id: i64,
        from: NeedStatus,
        to: NeedStatus,
        decline_reason: Option<&str>,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let r = self
            .db
            .execute_raw(self.raw(
                "UPDATE needs SET status = $1, decline_reason = $2, updated_at = $3 WHERE id = $4 AND status = $5",
                vec![to.as_str().into(), decline_reason.map(str::to_owned).into(), now.into(), id.into(), from.as_str().into()],
            ))
            .await?;
        Ok(r.rows_affected() == 1)
    }

    pub async fn insert_need_event(
        &self,
        need_id: i64,
        actor: Option<i64>,
        kind: &str,
        detail: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        event(need_id, actor, kind, detail, now)
            .insert(&self.db)
            .await?;
        Ok(())
    }

    /// The record of a need, oldest first.
    pub async fn need_events(&self, need_id: i64) -> StoreResult<Vec<NeedEventRow>> {
        Ok(need_events::Entity::find()
            .filter(need_events::Column::NeedId.eq(need_id))
            .order_by_asc(need_events::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// Add someone as a volunteer; `Conflict` when they are already an expert on the need.
    pub async fn insert_volunteer(
        &self,
        need_id: i64,
        user_id: i64,
        now: Timestamp,
    ) -> StoreResult<()> {
        need_experts::ActiveModel {
            need_id: Set(need_id),
            user_id: Set(user_id),
            state: Set(ExpertState::Volunteer.as_str().to_owned()),
            assigned_by: Set(None),
            course_id: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from_db)?;
        Ok(())
    }

    /// Make someone an assigned expert (a volunteer becomes assigned), with their draft course.
    pub async fn assign_expert(
        &self,
        need_id: i64,
        user_id: i64,
        assigned_by: i64,
        course_id: i64,
        now: Timestamp,
    ) -> StoreResult<()> {
        // One statement: a transaction that read first and wrote second could meet another
        // writer in between, which SQLite refuses outright (SQLITE_BUSY_SNAPSHOT).
        self.db
            .execute_raw(self.raw(
                "INSERT INTO need_experts (need_id, user_id, state, assigned_by, course_id, created_at) \
                 VALUES ($1, $2, 'assigned', $3, $4, $5) \
                 ON CONFLICT (need_id, user_id) DO UPDATE SET state = 'assigned', \
                 assigned_by = EXCLUDED.assigned_by, course_id = EXCLUDED.course_id",
                vec![
                    need_id.into(),
                    user_id.into(),
                    assigned_by.into(),
                    course_id.into(),
                    now.into(),
                ],
            ))
            .await?;
        Ok(())
    }

    pub async fn need_experts(&self, need_id: i64) -> StoreResult<Vec<NeedExpertRow>> {
        rows(
            need_experts::Entity::find()
                .filter(need_experts::Column::NeedId.eq(need_id))
                .order_by_asc(need_experts::Column::Id)
                .all(&self.db)
                .await?,
        )
    }

    /// Link a course to a need; linking twice is no change. Returns whether it was new.
    pub async fn link_need_course(
        &self,
        need_id: i64,
        course_id: i64,
        linked_by: i64,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let r = self
            .db
            .execute_raw(self.raw(
                "INSERT INTO need_courses (need_id, course_id, linked_by, linked_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (need_id, course_id) DO NOTHING",
                vec![need_id.into(), course_id.into(), linked_by.into(), now.into()],
            ))
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Courses linked to the given needs (all needs when `None`).
    pub async fn need_courses(&self, need_ids: Option<&[i64]>) -> StoreResult<Vec<NeedCourseRow>> {
        let mut q = need_courses::Entity::find();
        if let Some(ids) = need_ids {
            q = q.filter(need_courses::Column::NeedId.is_in(ids.iter().copied()));
        }
        Ok(q.order_by_asc(need_courses::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// Needs a course answers.
    pub async fn needs_of_course(&self, course_id: i64) -> StoreResult<Vec<i64>> {
        Ok(need_courses::Entity::find()
            .filter(need_courses::Column::CourseId.eq(course_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| r.need_id)
            .collect())
    }

    /// Mark need `id` merged into `into`, if it is still `from`; false when it was not
    /// (someone changed it first).
    pub async fn set_need_merged(
        &self,
        id: i64,
        from: NeedStatus,
        into: i64,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let r = self
            .db
            .execute_raw(self.raw(
                "UPDATE needs SET status = $1, merged_into = $2, updated_at = $3 \
                 WHERE id = $4 AND status = $5",
                vec![
                    NeedStatus::Merged.as_str().into(),
                    into.into(),
                    now.into(),
                    id.into(),
                    from.as_str().into(),
                ],
            ))
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// How many people voted for both `a` and `b`.
    pub async fn voters_of_both(&self, a: i64, b: i64) -> StoreResult<u64> {
        let row = self
            .db
            .query_one_raw(self.raw(
                "SELECT COUNT(*) AS n FROM need_votes v WHERE v.need_id = $1 \
                 AND EXISTS (SELECT 1 FROM need_votes w WHERE w.need_id = $2 AND w.user_id = v.user_id)",
                vec![a.into(), b.into()],
            ))
            .await?;
        Ok(row
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0)
            .max(0) as u64)
    }

    /// Move the votes of need `from` to need `to`, except those of people who voted for `to`
    /// already (theirs stay on `from`). Returns how many moved.
    pub async fn move_need_votes(&self, from: i64, to: i64) -> StoreResult<u64> {
        Ok(self
            .db
            .execute_raw(self.raw(
                "UPDATE need_votes SET need_id = $2 WHERE need_id = $1 \
                 AND user_id NOT IN (SELECT user_id FROM need_votes WHERE need_id = $2)",
                vec![from.into(), to.into()],
            ))
            .await?
            .rows_affected())
    }

    /// Make the followers of need `from` follow need `to` too, keeping when they began.
    /// Returns how many newly follow `to`.
    pub async fn copy_need_followers(&self, from: i64, to: i64) -> StoreResult<u64> {
        self.copy_from_need(
            "INSERT INTO need_followers (need_id, user_id, created_at) \
             SELECT $2, user_id, created_at FROM need_followers WHERE need_id = $1 \
             ON CONFLICT (need_id, user_id) DO NOTHING",
            from,
            to,
        )
        .await
    }

    /// Make the experts of need `from` experts of need `to` too, in the same state, unless
    /// they are experts there already. Returns how many were added.
    pub async fn copy_need_experts(&self, from: i64, to: i64) -> StoreResult<u64> {
        self.copy_from_need(
            "INSERT INTO need_experts (need_id, user_id, state, assigned_by, course_id, created_at) \
             SELECT $2, user_id, state, assigned_by, course_id, created_at FROM need_experts WHERE need_id = $1 \
             ON CONFLICT (need_id, user_id) DO NOTHING",
            from,
            to,
        )
        .await
    }

    /// Add the audience groups of need `from` to need `to`. Returns how many were added.
    pub async fn copy_need_audiences(&self, from: i64, to: i64) -> StoreResult<u64> {
        self.copy_from_need(
            "INSERT INTO need_audiences (need_id, group_id) \
             SELECT $2, group_id FROM need_audiences WHERE need_id = $1 \
             ON CONFLICT (need_id, group_id) DO NOTHING",
            from,
            to,
        )
        .await
    }

    /// Link the courses of need `from` to need `to`, as they were linked. Returns how many
    /// were added.
    pub async fn copy_need_courses(&self, from: i64, to: i64) -> StoreResult<u64> {
        self.copy_from_need(
            "INSERT INTO need_courses (need_id, course_id, linked_by, linked_at) \
             SELECT $2, course_id, linked_by, linked_at FROM need_courses WHERE need_id = $1 \
             ON CONFLICT (need_id, course_id) DO NOTHING",
            from,
            to,
        )
        .await
    }

    async fn copy_from_need(&self, sql: &str, from: i64, to: i64) -> StoreResult<u64> {
        Ok(self
            .db
            .execute_raw(self.raw(sql, vec![from.into(), to.into()]))
            .await?
            .rows_affected())
    }

    /// When each need's first linked course was first published, as (need id, time).
    pub async fn first_course_times(&self) -> StoreResult<Vec<(i64, Timestamp)>> {
        let rows = self
            .db
            .query_all_raw(self.raw(
                "SELECT nc.need_id, MIN(cv.published_at) AS first_at FROM need_courses nc \
                 JOIN course_versions cv ON cv.course_id = nc.course_id \
                 WHERE cv.published_at IS NOT NULL GROUP BY nc.need_id",
                vec![],
            ))
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push((
                r.try_get::<i64>("", "need_id")?,
                r.try_get::<Timestamp>("", "first_at")?,
            ));
        }
        Ok(out)
    }

    /// Accepted answers in discussions on `courses`, as (author, course, count).
    pub async fn accepted_answers_on(&self, courses: &[i64]) -> StoreResult<Vec<(i64, i64, u64)>> {
        if courses.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT p.author_id AS user_id, t.course_id, COUNT(*) AS n FROM threads t \
             JOIN posts p ON p.id = t.accepted_post_id \
             WHERE t.course_id IN ({}) AND p.author_id <> t.created_by GROUP BY p.author_id, t.course_id",
            placeholders(1, courses.len())
        );
        self.triples(&sql, courses).await
    }

    /// People whose best submitted attempt on `courses` scored at least 80 %, as
    /// (person, course, best percentage).
    pub async fn strong_results_on(&self, courses: &[i64]) -> StoreResult<Vec<(i64, i64, u64)>> {
        if courses.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT user_id, course_id, CAST(MAX(100.0 * score / max_score) AS BIGINT) AS n FROM attempts \
             WHERE course_id IN ({}) AND submitted_at IS NOT NULL AND max_score > 0 \
             GROUP BY user_id, course_id HAVING MAX(100.0 * score / max_score) >= 80",
            placeholders(1, courses.len())
        );
        self.triples(&sql, courses).await
    }

    async fn triples(&self, sql: &str, ids: &[i64]) -> StoreResult<Vec<(i64, i64, u64)>> {
        let rows = self
            .db
            .query_all_raw(self.raw(sql, ids.iter().map(|i| Value::from(*i)).collect()))
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push((
                r.try_get::<i64>("", "user_id")?,
                r.try_get::<i64>("", "course_id")?,
                r.try_get::<i64>("", "n")?.max(0) as u64,
            ));
        }
        Ok(out)
    }
}
