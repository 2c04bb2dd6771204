//! Who an assignment reaches, kept in step with memberships and progress: reaching a person
//! (assignee row, enrolments, `assigned` event), marking those who left, and moving
//! assignments on when a course is completed. Every function here runs inside the unit of
//! work of the use case that calls it.

use std::collections::{BTreeSet, HashSet};

use lore_domain::assignment::Due;
use lore_domain::course::EnrolmentSource;
use lore_domain::ids::GroupId;
use lore_domain::policy::Action;
use lore_domain::role::Role;
use lore_store::{AssigneeRow, AssignmentRow, NewEnrolment, NewEvent};

use crate::assignments::Target;
use crate::courses::learning::verbs;
use crate::path_progress::CourseProgress;
use crate::secrets::random_uuid;
use crate::{App, AppResult};

impl App {
    /// Reach one person with an assignment: their assignee row (a new one, or one that had
    /// left made current again), their enrolments and an `assigned` event. Returns whether
    /// they were newly reached.
    pub(crate) async fn reach(&self, assignment: &AssignmentRow, user_id: i64) -> AppResult<bool> {
        let now = self.now();
        let due = match (assignment.due_at, assignment.due_days) {
            (Some(at), _) => Due::At(at),
            (None, Some(d)) => Due::Within(u32::try_from(d).unwrap_or(0)),
            _ => Due::None,
        };
        let (assignee, newly) = self
            .store
            .reach_assignee(assignment.id, user_id, due.for_person(now), now)
            .await?;
        if !newly {
            return Ok(false);
        }
        let target = Target::of(assignment.target_kind, assignment.target_id);
        let mut event = NewEvent {
            user_id,
            verb: verbs::ASSIGNED,
            group_id: assignment.group_id,
            data: Some(
                serde_json::json!({
                    "by": assignment.created_by,
                    "assignment": assignment.id,
                    "target": format!("{}:{}", target.kind(), target.id()),
                    "due_at": assignee.due_at.and_then(|d| d.format(&time::format_description::well_known::Rfc3339).ok()),
                    "reason": assignment.reason,
                })
                .to_string(),
            ),
            ..NewEvent::default()
        };
        if let Target::Course(course_id) = target {
            event.course_id = Some(course_id);
            if let Some(e) = self
                .enrol_assigned(user_id, course_id, assignment, &assignee)
                .await?
            {
                event.version_number = Some(e.version_number);
                event.registration = Some(e.registration);
            }
        }
        self.course_event(event).await?;
        self.advance_assignee(assignment, &assignee).await?;
        Ok(true)
    }

    /// Enrol a person reached by an assignment in a course they may take (as [`App::assign`]
    /// does: source assigned, the assignee's due date).
    async fn enrol_assigned(
        &self,
        user_id: i64,
        course_id: i64,
        assignment: &AssignmentRow,
        assignee: &AssigneeRow,
    ) -> AppResult<Option<lore_store::EnrolmentRow>> {
        let ctx = self.course_context(course_id).await?;
        let (Some(version), false) = (ctx.course.latest_version, ctx.archived()) else {
            return Ok(None);
        };
        let Some(learner) = self.caller(user_id).await? else {
            return Ok(None);
        };
        if !ctx.can(&learner, Action::TakeCourse) {
            return Ok(None);
        }
        let (row, _) = self
            .store
            .enrol(
                NewEnrolment {
                    user_id,
                    course_id,
                    version_number: version,
                    source: EnrolmentSource::Assigned,
                    assigned_by: assignment.created_by,
                    due_at: assignee.due_at,
                    registration: random_uuid(),
                },
                self.now(),
            )
            .await?;
        Ok(Some(row))
    }

    /// Bring an assignee up to date with the person's progress: mark it done when the course
    /// or path is complete; for a path, enrol them in the mandatory courses now unlocked.
    async fn advance_assignee(
        &self,
        assignment: &AssignmentRow,
        assignee: &AssigneeRow,
    ) -> AppResult<()> {
        if assignee.completed_at.is_some() {
            return Ok(());
        }
        let user_id = assignee.user_id;
        let done = match Target::of(assignment.target_kind, assignment.target_id) {
            Target::Course(id) => self
                .store
                .enrolment(user_id, id)
                .await?
                .is_some_and(|e| e.completed_at.is_some()),
            Target::Path(id) => {
                let tree = self.path_tree(id).await?;
                let enrolments = self
                    .store
                    .enrolments_for(&[user_id], &tree.courses())
                    .await?;
                let progress = CourseProgress::of(&enrolments);
                let enrolled: HashSet<i64> = enrolments.iter().map(|e| e.course_id).collect();
                for course in tree.courses_to_take(&progress) {
                    if enrolled.contains(&course) {
                        continue;
                    }
                    // Each course the path enrols the person in is in the record as assigned
                    // (the record alone rebuilds progress).
                    if let Some(e) = self
                        .enrol_assigned(user_id, course, assignment, assignee)
                        .await?
                    {
                        self.course_event(NewEvent {
                            user_id,
                            verb: verbs::ASSIGNED,
                            course_id: Some(course),
                            version_number: Some(e.version_number),
                            registration: Some(e.registration),
                            group_id: assignment.group_id,
                            data: Some(
                                serde_json::json!({
                                    "by": assignment.created_by,
                                    "assignment": assignment.id,
                                    "path": id,
                                })
                                .to_string(),
                            ),
                            ..NewEvent::default()
                        })
                        .await?;
                    }
                }
                tree.complete(&progress)
            }
        };
        let newly_done = done
            && self
                .store
                .mark_assignee_done(assignee.id, self.now())
                .await?;
        if let (true, Target::Path(path)) = (
            newly_done,
            Target::of(assignment.target_kind, assignment.target_id),
        ) {
            // A path is done once per assignment; the record says so (CRM feed, xAPI).
            self.store
                .append_event(
                    NewEvent {
                        user_id,
                        verb: verbs::COMPLETED_PATH,
                        group_id: assignment.group_id,
                        data: Some(
                            serde_json::json!({ "path": path, "assignment": assignment.id })
                                .to_string(),
                        ),
                        ..NewEvent::default()
                    },
                    self.now(),
                )
                .await?;
        }
        Ok(())
    }

    /// After a person completed a course: their open assignments move on (done, or the next
    /// courses of a path unlocked and enrolled). Called in the completion's unit of work.
    pub(crate) async fn after_course_completed(&self, user_id: i64) -> AppResult<()> {
        for (assignee, assignment) in self.store.open_assignees_of(user_id).await? {
            self.advance_assignee(&assignment, &assignee).await?;
        }
        Ok(())
    }

    /// Bring a person's group assignments in line with their memberships: assignments of the
    /// groups they are now in (or below) reach them; those of groups they left mark them
    /// left (their progress stays). Called by every use case that changes memberships, in its
    /// unit of work.
    pub(crate) async fn sync_assignments_of(&self, user_id: i64) -> AppResult<()> {
        let tree = self.group_tree().await?;
        let mut within: Vec<i64> = self
            .store
            .memberships_of(user_id)
            .await?
            .into_iter()
            .flat_map(|(g, _)| tree.lineage(GroupId(g)))
            .map(|g| g.0)
            .collect();
        within.sort_unstable();
        within.dedup();
        let reaching = self.store.group_assignments(&within).await?;
        let open = self.store.open_assignees_of(user_id).await?;
        let active = self.store.user(user_id).await?.is_some_and(|u| u.active);
        if active {
            for a in &reaching {
                if !open.iter().any(|(_, o)| o.id == a.id) {
                    self.reach(a, user_id).await?;
                }
            }
        }
        let left: Vec<i64> = open
            .iter()
            .filter(|(_, a)| a.group_id.is_some_and(|g| !within.contains(&g)))
            .map(|(row, _)| row.id)
            .collect();
        self.store.mark_assignees_left(&left, self.now()).await?;
        Ok(())
    }

    /// After an import added memberships: sync the people who got them (nothing to do, and
    /// nothing read per person, when no group has an assignment).
    pub(crate) async fn sync_assignments_after_import(
        &self,
        added: &[(i64, i64, Role)],
    ) -> AppResult<()> {
        if added.is_empty() {
            return Ok(());
        }
        let tree = self.group_tree().await?;
        let groups: Vec<i64> = tree.walk().into_iter().map(|(_, g)| g.id.0).collect();
        if self.store.group_assignments(&groups).await?.is_empty() {
            return Ok(());
        }
        let people: BTreeSet<i64> = added.iter().map(|(u, _, _)| *u).collect();
        for user in people {
            self.sync_assignments_of(user).await?;
        }
        Ok(())
    }
}
