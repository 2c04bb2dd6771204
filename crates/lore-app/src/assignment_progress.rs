//! Progress on assignments: the coach's view of a course or path (per person and per group,
//! filtered by group, status and manager), a manager's view of their reports, and the
//! learner's own list of what is assigned with the next step.

use std::collections::{BTreeMap, HashMap};

use lore_domain::assignment::{AssigneeStatus, TargetKind, status};
use lore_domain::ids::GroupId;
use lore_domain::path::ItemRef;
use lore_domain::policy::Action;
use lore_store::{AssigneePerson, AssignmentRow};

use crate::assignments::Target;
use crate::path_progress::{CourseProgress, PathTree};
use crate::{App, AppError, AppResult, Caller};

/// Which people a progress view shows; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct ProgressFilter {
    /// People in this group or below it.
    pub group_id: Option<i64>,
    pub status: Option<AssigneeStatus>,
    /// People whose manager has this email address.
    pub manager_email: Option<String>,
}

/// One person on one assignment.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProgressLine {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub manager_id: Option<i64>,
    /// The group the assignment reached them through (`None`: assigned to them directly).
    pub group: Option<String>,
    pub assignment_id: i64,
    pub status: AssigneeStatus,
    pub percent: u32,
    #[serde(with = "time::serde::rfc3339::option")]
    pub due_at: Option<time::OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub assigned_at: time::OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub left_at: Option<time::OffsetDateTime>,
}

/// How many people stand where.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct StatusCounts {
    pub not_started: u64,
    pub in_progress: u64,
    pub done: u64,
    pub overdue: u64,
    pub left: u64,
}

impl StatusCounts {
    fn add(&mut self, s: AssigneeStatus) {
        match s {
            AssigneeStatus::NotStarted => self.not_started += 1,
            AssigneeStatus::InProgress => self.in_progress += 1,
            AssigneeStatus::Done => self.done += 1,
            AssigneeStatus::Overdue => self.overdue += 1,
            AssigneeStatus::Left => self.left += 1,
        }
    }
}

/// One open assignment of a course or path, as its coaches see it (to take it back).
#[derive(Debug, Clone, serde::Serialize)]
pub struct AssignmentLine {
    pub id: i64,
    /// The group's path, or the person's name.
    pub to: String,
    /// Assigned to a group (and everyone in it and below), not to one person.
    pub to_group: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub due_at: Option<time::OffsetDateTime>,
    /// Due this many days after each person is reached.
    pub due_days: Option<i32>,
    /// People it reaches now (not left).
    pub people: u64,
}

/// A course's or path's progress for its coaches.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProgressReport {
    pub title: String,
    /// The open assignments, oldest first.
    pub assignments: Vec<AssignmentLine>,
    pub lines: Vec<ProgressLine>,
    pub counts: StatusCounts,
    /// Per group the people were reached through ("Assigned directly" for people).
    pub by_group: Vec<(String, StatusCounts)>,
}

/// One of the learner's assignments.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MyAssignment {
    pub assignment_id: i64,
    pub kind: TargetKind,
    pub target_id: i64,
    pub title: String,
    pub href: String,
    pub status: AssigneeStatus,
    pub percent: u32,
    #[serde(with = "time::serde::rfc3339::option")]
    pub due_at: Option<time::OffsetDateTime>,
    /// The next step: (title, address).
    pub next: Option<(String, String)>,
    /// For a path: its courses with where the learner stands (title, address, done).
    pub courses: Vec<(String, String, bool)>,
}

pub const CSV_COLUMNS: &str = "name,email,group,status,percent,due_at,assigned_at,left_at";

impl App {
    /// Progress of everyone a course or path is assigned to (coaches of it).
    pub async fn target_progress(
        &self,
        caller: &Caller,
        target: Target,
        filter: &ProgressFilter,
    ) -> AppResult<ProgressReport> {
        let title = match target {
            Target::Course(id) => {
                self.course_for(caller, id, Action::CoachCourse).await?;
                self.item_titles(&[ItemRef::course(id)])
                    .await?
                    .remove(&ItemRef::course(id))
            }
            Target::Path(id) => Some(
                self.path_for(caller, id, Action::CoachPath)
                    .await?
                    .path
                    .title,
            ),
        }
        .unwrap_or_default();
        let assignments = self
            .store
            .assignments_of_target(target.kind(), target.id())
            .await?;
        let mut lines = self.progress_lines(&assignments).await?;
        let group_tree = self.group_tree().await?;
        let listed = assignments
            .iter()
            .map(|a| {
                let reached = lines.iter().filter(|l| l.assignment_id == a.id);
                AssignmentLine {
                    id: a.id,
                    to: match a.group_id {
                        Some(g) => group_tree.path(GroupId(g)),
                        None => reached
                            .clone()
                            .next()
                            .map_or_else(|| "Someone".to_owned(), |l| l.name.clone()),
                    },
                    to_group: a.group_id.is_some(),
                    due_at: a.due_at,
                    due_days: a.due_days,
                    people: reached.filter(|l| l.left_at.is_none()).count() as u64,
                }
            })
            .collect();
        self.narrow(&mut lines, filter).await?;
        let mut counts = StatusCounts::default();
        let mut by_group: BTreeMap<String, StatusCounts> = BTreeMap::new();
        for l in &lines {
            counts.add(l.status);
            by_group
                .entry(
                    l.group
                        .clone()
                        .unwrap_or_else(|| "Assigned directly".to_owned()),
                )
                .or_default()
                .add(l.status);
        }
        Ok(ProgressReport {
            title,
            assignments: listed,
            lines,
            counts,
            by_group: by_group.into_iter().collect(),
        })
    }

    /// The report as CSV (the columns of [`CSV_COLUMNS`]).
    pub fn progress_csv(report: &ProgressReport) -> AppResult<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let csv_error = |e: csv::Error| AppError::Internal(e.to_string());
        w.write_record(CSV_COLUMNS.split(',')).map_err(csv_error)?;
        let date = |t: Option<time::OffsetDateTime>| {
            t.and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_default()
        };
        for l in &report.lines {
            w.write_record([
                l.name.as_str(),
                l.email.as_str(),
                l.group.as_deref().unwrap_or(""),
                l.status.as_str(),
                &l.percent.to_string(),
                &date(l.due_at),
                &date(Some(l.assigned_at)),
                &date(l.left_at),
            ])
            .map_err(csv_error)?;
        }
        w.into_inner()
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// A manager's reports on every assignment they have.
    pub async fn reports_progress(
        &self,
        caller: &Caller,
    ) -> AppResult<Vec<(String, ProgressLine)>> {
        let reports = self.store.reports_of(caller.id.0).await?;
        let mut out = Vec::new();
        for user in reports {
            for (_, assignment) in self.store.open_assignees_of(user).await? {
                let title = self.target_title(&assignment).await?;
                for l in self
                    .progress_lines(std::slice::from_ref(&assignment))
                    .await?
                {
                    if l.user_id == user {
                        out.push((title.clone(), l));
                    }
                }
            }
        }
        Ok(out)
    }

    pub(crate) async fn target_title(&self, a: &AssignmentRow) -> AppResult<String> {
        let r = match a.target_kind {
            TargetKind::Course => ItemRef::course(a.target_id),
            TargetKind::Path => ItemRef::path(a.target_id),
        };
        Ok(self.item_titles(&[r]).await?.remove(&r).unwrap_or_default())
    }

    /// The lines of these assignments (all of one target), one per person: a person reached
    /// twice (a group and directly) is counted once, on the row that has not left.
    async fn progress_lines(&self, assignments: &[AssignmentRow]) -> AppResult<Vec<ProgressLine>> {
        let Some(first) = assignments.first() else {
            return Ok(Vec::new());
        };
        let ids: Vec<i64> = assignments.iter().map(|a| a.id).collect();
        let by_id: HashMap<i64, &AssignmentRow> = assignments.iter().map(|a| (a.id, a)).collect();
        let people = self.store.assignee_people(&ids).await?;
        let mut best: BTreeMap<i64, AssigneePerson> = BTreeMap::new();
        for p in people {
            let keep = best
                .get(&p.assignee.user_id)
                .is_none_or(|b| b.assignee.left_at.is_some() && p.assignee.left_at.is_none());
            if keep {
                best.insert(p.assignee.user_id, p);
            }
        }
        let users: Vec<i64> = best.keys().copied().collect();
        let (tree, courses) = match Target::of(first.target_kind, first.target_id) {
            Target::Course(id) => (None, vec![id]),
            Target::Path(id) => {
                let t = self.path_tree(id).await?;
                let c = t.courses();
                (Some(t), c)
            }
        };
        let mut progress: HashMap<i64, Vec<lore_store::EnrolmentRow>> = HashMap::new();
        for e in self.store.enrolments_for(&users, &courses).await? {
            progress.entry(e.user_id).or_default().push(e);
        }
        let group_tree = self.group_tree().await?;
        let now = self.now();
        Ok(best
            .into_values()
            .map(|p| {
                let enrolments = progress.remove(&p.assignee.user_id).unwrap_or_default();
                let (started, done, percent) = standing(tree.as_ref(), &enrolments);
                let a = &p.assignee;
                let group = by_id
                    .get(&a.assignment_id)
                    .and_then(|x| x.group_id)
                    .map(|g| group_tree.path(GroupId(g)));
                ProgressLine {
                    status: status(
                        a.left_at.is_some(),
                        done || a.completed_at.is_some(),
                        started,
                        a.due_at,
                        now,
                    ),
                    user_id: a.user_id,
                    name: p.name,
                    email: p.email,
                    manager_id: p.manager_id,
                    group,
                    assignment_id: a.assignment_id,
                    percent: if a.completed_at.is_some() {
                        100
                    } else {
                        percent
                    },
                    due_at: a.due_at,
                    assigned_at: a.assigned_at,
                    left_at: a.left_at,
                }
            })
            .collect())
    }

    async fn narrow(&self, lines: &mut Vec<ProgressLine>, f: &ProgressFilter) -> AppResult<()> {
        if let Some(s) = f.status {
            lines.retain(|l| l.status == s);
        }
        if let Some(raw) = f.manager_email.as_deref().filter(|m| !m.trim().is_empty()) {
            let email = lore_domain::account::Email::parse(raw).map_err(|mut e| {
                e.field = "manager";
                e
            })?;
            let manager = self
                .store
                .user_by_email(email.as_str())
                .await?
                .map(|u| u.id);
            lines.retain(|l| manager.is_some() && l.manager_id == manager);
        }
        if let Some(g) = f.group_id {
            let tree = self.group_tree().await?;
            let users: Vec<i64> = lines.iter().map(|l| l.user_id).collect();
            let held = self.store.memberships_of_users(&users).await?;
            lines.retain(|l| {
                held.iter().any(|(u, group)| {
                    *u == l.user_id && tree.is_within(GroupId(*group), GroupId(g))
                })
            });
        }
        Ok(())
    }

    /// What is assigned to the caller and not left: soonest due first, done last.
    pub async fn my_assignments(&self, caller: &Caller) -> AppResult<Vec<MyAssignment>> {
        let now = self.now();
        let mut out = Vec::new();
        for (assignee, assignment) in self.store.open_assignees_of(caller.id.0).await? {
            let title = self.target_title(&assignment).await?;
            let mut entry = MyAssignment {
                assignment_id: assignment.id,
                kind: assignment.target_kind,
                target_id: assignment.target_id,
                href: String::new(),
                title,
                status: AssigneeStatus::NotStarted,
                percent: 0,
                due_at: assignee.due_at,
                next: None,
                courses: Vec::new(),
            };
            let (started, done) = match Target::of(assignment.target_kind, assignment.target_id) {
                Target::Course(id) => {
                    let e = self.store.enrolment(caller.id.0, id).await?;
                    let (started, done, percent) = standing(None, e.as_slice());
                    entry.href = format!("/courses/{id}");
                    entry.percent = percent;
                    if !done {
                        entry.next = Some((entry.title.clone(), format!("/courses/{id}/learn")));
                    }
                    (started, done)
                }
                Target::Path(id) => {
                    let view = self.path_view(caller, id).await?;
                    entry.href = format!("/paths/{id}");
                    entry.percent = view.percent;
                    entry.next = view
                        .items
                        .iter()
                        .find(|i| i.next)
                        .map(|i| (i.title.clone(), i.href.clone()));
                    entry.courses = view
                        .items
                        .iter()
                        .map(|i| (i.title.clone(), i.href.clone(), i.done))
                        .collect();
                    (
                        view.items.iter().any(|i| i.started || i.done),
                        view.complete,
                    )
                }
            };
            entry.status = status(
                false,
                done || assignee.completed_at.is_some(),
                started,
                assignee.due_at,
                now,
            );
            out.push(entry);
        }
        out.sort_by_key(|a| {
            (
                a.status == AssigneeStatus::Done,
                a.due_at.is_none(),
                a.due_at,
            )
        });
        Ok(out)
    }
}

/// (started, done, percent) from a person's enrolments: on the course itself, or on a path.
fn standing(tree: Option<&PathTree>, enrolments: &[lore_store::EnrolmentRow]) -> (bool, bool, u32) {
    let p = CourseProgress::of(enrolments);
    match tree {
        Some(t) => (t.started(&p), t.complete(&p), t.percent(&p)),
        None => {
            let done = !p.done.is_empty();
            (!p.started.is_empty(), done, if done { 100 } else { 0 })
        }
    }
}
