//! Assignments of courses and paths, the people they reach (`assignees`), and the hashed
//! tokens of calendar feeds.

use std::collections::HashMap;

use lore_domain::assignment::TargetKind;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::EnrolmentRow;
use crate::entities::{assignees, assignments, enrolments, memberships, users};
use crate::{Store, StoreError, StoreResult, Timestamp, row, rows, word};

/// A course or path assigned to one person or one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentRow {
    pub id: i64,
    pub target_kind: TargetKind,
    pub target_id: i64,
    pub group_id: Option<i64>,
    pub user_id: Option<i64>,
    pub due_at: Option<Timestamp>,
    pub due_days: Option<i32>,
    pub reminder_rule: Option<String>,
    pub reason: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: Timestamp,
    pub ended_at: Option<Timestamp>,
}

impl TryFrom<assignments::Model> for AssignmentRow {
    type Error = DbErr;

    fn try_from(m: assignments::Model) -> Result<Self, DbErr> {
        Ok(Self {
            id: m.id,
            target_kind: word(&m.target_kind, TargetKind::parse)?,
            target_id: m.target_id,
            group_id: m.group_id,
            user_id: m.user_id,
            due_at: m.due_at,
            due_days: m.due_days,
            reminder_rule: m.reminder_rule,
            reason: m.reason,
            created_by: m.created_by,
            created_at: m.created_at,
            ended_at: m.ended_at,
        })
    }
}

/// An assignment about to be written.
#[derive(Debug, Clone)]
pub struct NewAssignment {
    pub target_kind: TargetKind,
    pub target_id: i64,
    pub group_id: Option<i64>,
    pub user_id: Option<i64>,
    pub due_at: Option<Timestamp>,
    pub due_days: Option<i32>,
    pub reminder_rule: Option<String>,
    pub reason: Option<String>,
    pub created_by: Option<i64>,
}

pub type AssigneeRow = assignees::Model;

/// An assignee with the person's name, address and manager, for coaches' views.
#[derive(Debug, Clone)]
pub struct AssigneePerson {
    pub assignee: AssigneeRow,
    pub name: String,
    pub email: String,
    pub manager_id: Option<i64>,
}

/// An open assignee with a due date, for the reminder job: see [`Store::assignees_due_before`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueAssignee {
    pub assignee_id: i64,
    pub user_id: i64,
    pub assignment_id: i64,
    pub due_at: Timestamp,
    pub reminder_rule: Option<String>,
    /// The person completed what was assigned.
    pub done: bool,
}

impl Store {
    pub async fn insert_assignment(
        &self,
        new: NewAssignment,
        now: Timestamp,
    ) -> StoreResult<AssignmentRow> {
        let m = assignments::ActiveModel {
            target_kind: Set(new.target_kind.as_str().to_owned()),
            target_id: Set(new.target_id),
            group_id: Set(new.group_id),
            user_id: Set(new.user_id),
            due_at: Set(new.due_at),
            due_days: Set(new.due_days),
            reminder_rule: Set(new.reminder_rule),
            reason: Set(new.reason),
            created_by: Set(new.created_by),
            created_at: Set(now),
            ended_at: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(m.try_into()?)
    }

    pub async fn assignment(&self, id: i64) -> StoreResult<Option<AssignmentRow>> {
        row(assignments::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn assignments_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<AssignmentRow>> {
        rows(
            assignments::Entity::find()
                .filter(assignments::Column::Id.is_in(ids.iter().copied()))
                .all(&self.db)
                .await?,
        )
    }

    /// The assignments among these that have not ended, by id.
    async fn open_assignments_by_ids(
        &self,
        ids: &[i64],
    ) -> StoreResult<HashMap<i64, AssignmentRow>> {
        Ok(self
            .assignments_by_ids(ids)
            .await?
            .into_iter()
            .filter(|a| a.ended_at.is_none())
            .map(|a| (a.id, a))
            .collect())
    }

    /// The open assignments of a course or path, oldest first.
    pub async fn assignments_of_target(
        &self,
        kind: TargetKind,
        target_id: i64,
    ) -> StoreResult<Vec<AssignmentRow>> {
        rows(
            assignments::Entity::find()
                .filter(assignments::Column::TargetKind.eq(kind.as_str()))
                .filter(assignments::Column::TargetId.eq(target_id))
                .filter(assignments::Column::EndedAt.is_null())
                .order_by_asc(assignments::Column::Id)
                .all(&self.db)
                .await?,
        )
    }

    /// The open assignments made to any of these groups.
    pub async fn group_assignments(&self, group_ids: &[i64]) -> StoreResult<Vec<AssignmentRow>> {
        if group_ids.is_empty() {
            return Ok(Vec::new());
        }
        rows(
            assignments::Entity::find()
                .filter(assignments::Column::GroupId.is_in(group_ids.iter().copied()))
                .filter(assignments::Column::EndedAt.is_null())
                .order_by_asc(assignments::Column::Id)
                .all(&self.db)
                .await?,
        )
    }

    /// Reach a person: a new assignee row, or one that had left made current again.
    /// Returns the row and whether the person was newly reached.
    pub async fn reach_assignee(
        &self,
        assignment_id: i64,
        user_id: i64,
        due_at: Option<Timestamp>,
        now: Timestamp,
    ) -> StoreResult<(AssigneeRow, bool)> {
        let existing = assignees::Entity::find()
            .filter(assignees::Column::AssignmentId.eq(assignment_id))
            .filter(assignees::Column::UserId.eq(user_id))
            .one(&self.db)
            .await?;
        match existing {
            Some(a) if a.left_at.is_none() => Ok((a, false)),
            Some(a) => {
                let row = assignees::ActiveModel {
                    id: Set(a.id),
                    left_at: Set(None),
                    ..Default::default()
                }
                .update(&self.db)
                .await?;
                Ok((row, true))
            }
            None => {
                let row = assignees::ActiveModel {
                    assignment_id: Set(assignment_id),
                    user_id: Set(user_id),
                    assigned_at: Set(now),
                    due_at: Set(due_at),
                    left_at: Set(None),
                    completed_at: Set(None),
                    ..Default::default()
                }
                .insert(&self.db)
                .await
                .map_err(StoreError::from_db)?;
                Ok((row, true))
            }
        }
    }

    /// A person's assignee rows that have not left, with their assignments (open ones only).
    pub async fn open_assignees_of(
        &self,
        user_id: i64,
    ) -> StoreResult<Vec<(AssigneeRow, AssignmentRow)>> {
        let mine = assignees::Entity::find()
            .filter(assignees::Column::UserId.eq(user_id))
            .filter(assignees::Column::LeftAt.is_null())
            .order_by_asc(assignees::Column::Id)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = mine.iter().map(|a| a.assignment_id).collect();
        let by_id = self.open_assignments_by_ids(&ids).await?;
        Ok(mine
            .into_iter()
            .filter_map(|a| Some((by_id.get(&a.assignment_id)?.clone(), a)))
            .map(|(assignment, a)| (a, assignment))
            .collect())
    }

    /// End an assignment (it reaches nobody from now on, and is listed nowhere as open).
    /// Returns false when it had already ended.
    pub async fn end_assignment(&self, id: i64, now: Timestamp) -> StoreResult<bool> {
        let r = assignments::Entity::update_many()
            .col_expr(assignments::Column::EndedAt, Expr::value(Some(now)))
            .filter(assignments::Column::Id.eq(id))
            .filter(assignments::Column::EndedAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected > 0)
    }

    /// Mark these assignee rows as left.
    pub async fn mark_assignees_left(&self, ids: &[i64], now: Timestamp) -> StoreResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        assignees::Entity::update_many()
            .col_expr(assignees::Column::LeftAt, Expr::value(now))
            .filter(assignees::Column::Id.is_in(ids.iter().copied()))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Record that an assignee completed what was assigned (once).
    pub async fn mark_assignee_done(&self, id: i64, now: Timestamp) -> StoreResult<bool> {
        let r = assignees::Entity::update_many()
            .col_expr(assignees::Column::CompletedAt, Expr::value(now))
            .filter(assignees::Column::Id.eq(id))
            .filter(assignees::Column::CompletedAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected > 0)
    }

    /// Everyone these assignments reached (left or not), with name, address and manager.
    pub async fn assignee_people(
        &self,
        assignment_ids: &[i64],
    ) -> StoreResult<Vec<AssigneePerson>> {
        let rows = assignees::Entity::find()
            .filter(assignees::Column::AssignmentId.is_in(assignment_ids.iter().copied()))
            .order_by_asc(assignees::Column::Id)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|a| a.user_id).collect();
        let people: HashMap<i64, users::Model> = users::Entity::find()
            .filter(users::Column::Id.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        Ok(rows
            .into_iter()
            .filter_map(|a| {
                let u = people.get(&a.user_id)?;
                Some(AssigneePerson {
                    name: u.name.clone(),
                    email: u.email.clone(),
                    manager_id: u.manager_id,
                    assignee: a,
                })
            })
            .collect())
    }

    /// The open assignees (not left, assignment not ended) due before `ts`, soonest first,
    /// each with its assignment's reminder rule and whether it is done. For the reminder job.
    pub async fn assignees_due_before(&self, ts: Timestamp) -> StoreResult<Vec<DueAssignee>> {
        let due = assignees::Entity::find()
            .filter(assignees::Column::DueAt.lt(ts))
            .filter(assignees::Column::LeftAt.is_null())
            .order_by_asc(assignees::Column::DueAt)
            .order_by_asc(assignees::Column::Id)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = due.iter().map(|a| a.assignment_id).collect();
        let open = self.open_assignments_by_ids(&ids).await?;
        Ok(due
            .into_iter()
            .filter_map(|a| {
                let assignment = open.get(&a.assignment_id)?;
                Some(DueAssignee {
                    assignee_id: a.id,
                    user_id: a.user_id,
                    assignment_id: a.assignment_id,
                    due_at: a.due_at?,
                    reminder_rule: assignment.reminder_rule.clone(),
                    done: a.completed_at.is_some(),
                })
            })
            .collect())
    }

    /// The active people whose manager is `manager_id`.
    pub async fn reports_of(&self, manager_id: i64) -> StoreResult<Vec<i64>> {
        Ok(users::Entity::find()
            .select_only()
            .column(users::Column::Id)
            .filter(users::Column::ManagerId.eq(manager_id))
            .filter(users::Column::Active.eq(true))
            .order_by_asc(users::Column::Name)
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// The memberships of these people, as (user id, group id).
    pub async fn memberships_of_users(&self, user_ids: &[i64]) -> StoreResult<Vec<(i64, i64)>> {
        Ok(memberships::Entity::find()
            .select_only()
            .column(memberships::Column::UserId)
            .column(memberships::Column::GroupId)
            .filter(memberships::Column::UserId.is_in(user_ids.iter().copied()))
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// The enrolments of these people in these courses.
    pub async fn enrolments_for(
        &self,
        user_ids: &[i64],
        course_ids: &[i64],
    ) -> StoreResult<Vec<EnrolmentRow>> {
        if user_ids.is_empty() || course_ids.is_empty() {
            return Ok(Vec::new());
        }
        rows(
            enrolments::Entity::find()
                .filter(enrolments::Column::UserId.is_in(user_ids.iter().copied()))
                .filter(enrolments::Column::CourseId.is_in(course_ids.iter().copied()))
                .all(&self.db)
                .await?,
        )
    }
}
