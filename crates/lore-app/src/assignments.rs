//! Assigning a course or a path to people and groups (in bulk, or from a CSV of email
//! addresses), with a fixed or relative due date. A group assignment reaches everyone in the
//! group and below it, people who join later too (the membership use cases call
//! [`App::sync_assignments_of`]), and marks those who leave as left. Every person reached is
//! enrolled (a path: in the mandatory courses unlocked now) and gets an `assigned` event, in
//! the same unit of work.

use std::collections::BTreeSet;

use lore_domain::account::Email;
use lore_domain::assignment::{Due, ReminderRule, TargetKind, parse_emails};
use lore_domain::ids::GroupId;
use lore_domain::people_csv::RowError;
use lore_domain::policy::{Action, Actor, Resource};
use lore_domain::role::Role;
use lore_store::{NewAssignment, NewEvent};

use crate::courses::learning::verbs;

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
                for user in app
                    .store
                    .active_members_of(&below)
                    .await?
                    .into_iter()
                    .map(|p| p.id)
                {
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

    /// A coach takes back an assignment (made by mistake, or no longer wanted), in one unit
    /// of work: the assignment ends (it reaches nobody, newcomers to the group included),
    /// everyone it reached is marked as left (so no due-date reminder goes out and it leaves
    /// their list of assignments) and gets an `unassigned` event. Enrolments and progress stay
    /// the learner's. Who may: a coach of the course or path who also coaches the group it
    /// was assigned to, or (assigned to a person) sees that person. An assignment already
    /// ended is not there (404). Returns what was assigned.
    pub async fn unassign(&self, caller: &Caller, assignment_id: i64) -> AppResult<Target> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let assignment = app
                .store
                .assignment(assignment_id)
                .await?
                .ok_or(AppError::NotFound("That assignment"))?;
            let target = Target::of(assignment.target_kind, assignment.target_id);
            match target {
                Target::Course(id) => {
                    app.course_for(caller, id, Action::CoachCourse).await?;
                }
                Target::Path(id) => {
                    app.path_for(caller, id, Action::CoachPath).await?;
                }
            }
            if assignment.ended_at.is_some() {
                return Err(AppError::NotFound("That assignment"));
            }
            if let Some(g) = assignment.group_id {
                let tree = app.group_tree().await?;
                let lineage = tree.lineage(GroupId(g));
                if !caller.can(Action::AssignToGroup, Resource::Group { lineage: &lineage }) {
                    return Err(AppError::Forbidden);
                }
            }
            if let Some(u) = assignment.user_id
                && u != caller.id.0
                && app.person(caller, u).await.is_err()
            {
                return Err(AppError::Forbidden);
            }
            if !app.store.end_assignment(assignment.id, app.now()).await? {
                return Err(AppError::NotFound("That assignment"));
            }
            let reached: Vec<_> = app
                .store
                .assignee_people(&[assignment.id])
                .await?
                .into_iter()
                .filter(|p| p.assignee.left_at.is_none())
                .collect();
            let ids: Vec<i64> = reached.iter().map(|p| p.assignee.id).collect();
            app.store.mark_assignees_left(&ids, app.now()).await?;
            for p in reached {
                app.course_event(NewEvent {
                    user_id: p.assignee.user_id,
                    verb: verbs::UNASSIGNED,
                    course_id: match target {
                        Target::Course(id) => Some(id),
                        Target::Path(_) => None,
                    },
                    group_id: assignment.group_id,
                    data: Some(
                        serde_json::json!({
                            "by": caller.id.0,
                            "assignment": assignment.id,
                            "target": format!("{}:{}", target.kind(), target.id()),
                        })
                        .to_string(),
                    ),
                    ..NewEvent::default()
                })
                .await?;
            }
            Ok(target)
        })
        .await
    }

    /// May the caller assign this course or path (a coach of it, and it is published)?
    /// Read-only: the API asks it before reading a request's body.
    pub async fn require_coach_of_target(&self, caller: &Caller, target: Target) -> AppResult<()> {
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
}
