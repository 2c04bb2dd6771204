//! Assigning a course or a path to people and groups (in bulk, or from a CSV of email
//! addresses), with a fixed or relative due date. A group assignment reaches everyone in the
//! group and below it, people who join later too (the membership use cases call
//! [`App::sync_assignments_of`]), and marks those who leave as left. Every person reached is
//! enrolled (a path: in the mandatory courses unlocked now) and gets an `assigned` event, in
//! the same unit of work.

use std::collections::{BTreeSet, HashSet};

use lore_domain::account::Email;
use lore_domain::assignment::{Due, ReminderRule, TargetKind, parse_emails};
use lore_domain::course::EnrolmentSource;
use lore_domain::ids::GroupId;
use lore_domain::people_csv::RowError;
use lore_domain::policy::{Action, Actor, Resource};
use lore_domain::role::Role;
use lore_store::{AssigneeRow, AssignmentRow, NewAssignment, NewEnrolment, NewEvent};

use crate::courses::learning::verbs;
use crate::path_progress::CourseProgress;
use crate::secrets::random_uuid;
use crate::{App, AppError, AppResult, Caller};

/// What is assigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Course(i64),
    Path(i64),
}

impl Target {
    pub fn kind(self) -> TargetKind {
        match self {
            Target::Course(_) => TargetKind::Course,
            Target::Path(_) => TargetKind::Path,
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Target::Course(id) | Target::Path(id) => id,
        }
    }

    pub fn of(kind: TargetKind, id: i64) -> Self {
        match kind {
            TargetKind::Course => Target::Course(id),
            TargetKind::Path => Target::Path(id),
        }
    }
}

/// An assignment as a coach fills it in: several groups and people at once.
#[derive(Debug, Clone)]
pub struct AssignRequest {
    pub target: Target,
    pub group_ids: Vec<i64>,
    pub emails: Vec<String>,
    pub due: Due,
    pub reminder_rule: Option<ReminderRule>,
}

/// What an assignment did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct AssignOutcome {
    pub assignment_ids: Vec<i64>,
    /// People newly reached.
    pub people_reached: usize,
}

impl App {
    /// A coach assigns a course or a path to groups and people. Any bad part (a group the
    /// caller does not coach, an unknown address, a due date in the past) refuses the whole
    /// request and nothing changes.
    pub async fn assign_target(
        &self,
        caller: &Caller,
        request: AssignRequest,
    ) -> AppResult<AssignOutcome> {
        self.unit_of_work(|app| async move {
            let app = &app;
            app.require_coach_of_target(caller, request.target).await?;
            let due = request.due.check(app.now())?;
            if request.group_ids.is_empty() && request.emails.is_empty() {
                return Err(AppError::invalid(
                    "groups",
                    "Choose at least one group or person.",
                ));
            }
            let tree = app.group_tree().await?;
            let mut groups = request.group_ids.clone();
            groups.sort_unstable();
            groups.dedup();
            for g in &groups {
                if tree.get(GroupId(*g)).is_none() {
                    return Err(AppError::invalid("groups", "Choose groups that exist."));
                }
                let lineage = tree.lineage(GroupId(*g));
                if !caller.can(Action::AssignToGroup, Resource::Group { lineage: &lineage }) {
                    return Err(AppError::invalid(
                        "groups",
                        format!(
                            "You do not coach {}, so you cannot assign to it.",
                            tree.path(GroupId(*g))
                        ),
                    ));
                }
                app.require_group_in_audience(request.target, &lineage, &tree.path(GroupId(*g)))
                    .await?;
            }
            let mut people = BTreeSet::new();
            for raw in &request.emails {
                people.insert(app.assignable_person(caller, request.target, raw).await?);
            }
            let rule = request.reminder_rule.as_ref().filter(|r| !r.is_empty());
            let mut outcome = AssignOutcome::default();
            let new = |group_id, user_id| NewAssignment {
                target_kind: request.target.kind(),
                target_id: request.target.id(),
                group_id,
                user_id,
                due_at: match due {
                    Due::At(at) => Some(at),
                    _ => None,
                },
                due_days: match due {
                    Due::Within(d) => i32::try_from(d).ok(),
                    _ => None,
                },
                reminder_rule: rule.map(ReminderRule::to_json),
                reason: None,
                created_by: Some(caller.id.0),
            };
            for g in groups {
                let assignment = app
                    .store
                    .insert_assignment(new(Some(g), None), app.now())
                    .await?;
                let below: Vec<i64> = tree
                    .walk()
                    .into_iter()
                    .filter(|(_, n)| tree.is_within(n.id, GroupId(g)))
                    .map(|(_, n)| n.id.0)
                    .collect();
                for user in app.store.active_members_of(&below).await? {
                    outcome.people_reached += usize::from(app.reach(&assignment, user).await?);
                }
                outcome.assignment_ids.push(assignment.id);
            }
            for user in people {
                let assignment = app
                    .store
                    .insert_assignment(new(None, Some(user)), app.now())
                    .await?;
                outcome.people_reached += usize::from(app.reach(&assignment, user).await?);
                outcome.assignment_ids.push(assignment.id);
            }
            Ok(outcome)
        })
        .await
    }

    /// Assign to the people of a CSV of email addresses (one a line, an optional `email`
    /// header). Any bad or unknown line refuses the whole file, every such line listed.
    pub async fn assign_csv(
        &self,
        caller: &Caller,
        target: Target,
        csv: &[u8],
        due: Due,
        reminder_rule: Option<ReminderRule>,
    ) -> AppResult<AssignOutcome> {
        self.require_coach_of_target(caller, target).await?;
        let (good, mut bad) = parse_emails(csv);
        for (line, email) in &good {
            if let Err(e) = self.assignable_person(caller, target, email.as_str()).await {
                bad.push(RowError {
                    line: *line,
                    reason: e.to_string(),
                });
            }
        }
        if !bad.is_empty() {
            bad.sort_by_key(|e| e.line);
            return Err(AppError::ImportRejected(bad));
        }
        self.assign_target(
            caller,
            AssignRequest {
                target,
                group_ids: Vec::new(),
                emails: good
                    .into_iter()
                    .map(|(_, e)| e.as_str().to_owned())
                    .collect(),
                due,
                reminder_rule,
            },
        )
        .await
    }

    /// Assign a course or path to one person on the system's own authority (no caller: a
    /// recertification, for example), with its reason; joins the unit of work it is called
    /// in. Returns the assignment's id.
    pub async fn assign_by_system(
        &self,
        user_id: i64,
        target: Target,
        due_at: Option<time::OffsetDateTime>,
        reason: &str,
    ) -> AppResult<i64> {
        self.unit_of_work(|app| async move {
            let assignment = app
                .store
                .insert_assignment(
                    NewAssignment {
                        target_kind: target.kind(),
                        target_id: target.id(),
                        group_id: None,
                        user_id: Some(user_id),
                        due_at,
                        due_days: None,
                        reminder_rule: None,
                        reason: Some(reason.to_owned()),
                        created_by: None,
                    },
                    app.now(),
                )
                .await?;
            app.reach(&assignment, user_id).await?;
            Ok(assignment.id)
        })
        .await
    }

    pub(crate) async fn require_coach_of_target(
        &self,
        caller: &Caller,
        target: Target,
    ) -> AppResult<()> {
        match target {
            Target::Course(id) => {
                let ctx = self.course_for(caller, id, Action::CoachCourse).await?;
                if ctx.archived() || ctx.course.latest_version.is_none() {
                    return Err(AppError::invalid(
                        "course",
                        "Publish the course before assigning it.",
                    ));
                }
            }
            Target::Path(id) => {
                let ctx = self.path_for(caller, id, Action::CoachPath).await?;
                if ctx.path.latest_version.is_none() {
                    return Err(AppError::invalid(
                        "path",
                        "Publish the path before assigning it.",
                    ));
                }
            }
        }
        Ok(())
    }

    /// A course assigned to a group must reach the group's people: ask the policy for a
    /// learner of that group.
    async fn require_group_in_audience(
        &self,
        target: Target,
        lineage: &[GroupId],
        name: &str,
    ) -> AppResult<()> {
        let Target::Course(course_id) = target else {
            return Ok(());
        };
        let Some(group) = lineage.last() else {
            return Ok(());
        };
        let member = Actor {
            user_id: lore_domain::ids::UserId(0),
            active: true,
            platform_admin: false,
            memberships: vec![(*group, Role::Learner)],
            within: lineage.to_vec(),
        };
        let ctx = self.course_context(course_id).await?;
        if lore_domain::policy::can(&member, Action::TakeCourse, ctx.resource()) {
            Ok(())
        } else {
            Err(AppError::invalid(
                "groups",
                format!(
                    "The course is not for {name}. Add the group to the course's audience first."
                ),
            ))
        }
    }

    async fn course_context(&self, course_id: i64) -> AppResult<crate::courses::CourseContext> {
        let course = self
            .store
            .course(course_id)
            .await?
            .ok_or(AppError::NotFound("That course"))?;
        let tree = self.group_tree().await?;
        Ok(Self::context_from(
            &tree,
            course,
            self.store.coauthors_of(course_id).await?,
            self.store.audiences_of(course_id).await?,
        ))
    }

    /// The person behind an address, if the caller coaches them and they may take the target.
    async fn assignable_person(
        &self,
        caller: &Caller,
        target: Target,
        raw: &str,
    ) -> AppResult<i64> {
        let email = Email::parse(raw)?;
        let user = self
            .store
            .user_by_email(email.as_str())
            .await?
            .ok_or_else(|| {
                AppError::invalid("emails", format!("Nobody has the address {email}."))
            })?;
        // Coaches see the people of the groups they coach (and themselves).
        if self.person(caller, user.id).await.is_err() {
            return Err(AppError::invalid(
                "emails",
                format!("{email} is not in a group you coach."),
            ));
        }
        let learner = self
            .caller(user.id)
            .await?
            .ok_or_else(|| AppError::invalid("emails", format!("{email} is deactivated.")))?;
        if let Target::Course(id) = target
            && !self
                .course_context(id)
                .await?
                .can(&learner, Action::TakeCourse)
        {
            return Err(AppError::invalid(
                "emails",
                format!("{email} is not in the course's audience."),
            ));
        }
        Ok(user.id)
    }

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
                    if !enrolled.contains(&course) {
                        self.enrol_assigned(user_id, course, assignment, assignee)
                            .await?;
                    }
                }
                tree.complete(&progress)
            }
        };
        if done {
            self.store
                .mark_assignee_done(assignee.id, self.now())
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
