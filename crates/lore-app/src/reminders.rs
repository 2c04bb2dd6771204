//! Reminders of due dates, on the rule the coach set per assignment: before the due date and
//! while overdue (`lore_domain::reminder`), and a weekly digest for coaches of the people
//! overdue in their groups. A sweep of the job worker sends them; each goes out exactly once
//! per person, rule slot and due date — also with several servers sweeping and after a
//! restart — because it claims its key in `sent_once` in the unit of work that writes its
//! notification and its `reminded` event.

use std::collections::BTreeMap;

use lore_domain::assignment::{ReminderRule, TargetKind};
use lore_domain::notification::NotificationKind;
use lore_domain::reminder::{Slot, due_slot};
use lore_store::{DueAssignee, NewEvent};
use time::{Duration, OffsetDateTime};

use crate::notifications::Notice;
use crate::{App, AppResult};

/// The event of a reminder sent.
pub const REMINDED: &str = "reminded";

/// How far ahead the sweep looks for due dates (the longest "days before" a rule may hold).
const LOOK_AHEAD: Duration = Duration::days(366);

/// What one sweep sent.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub reminders: usize,
    pub digests: usize,
}

fn days_word(n: i64) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

/// The ISO week of `now`, as the key of a weekly digest ("2026-W49").
fn week_of(now: OffsetDateTime) -> String {
    let (year, week, _) = now.to_iso_week_date();
    format!("{year}-W{week:02}")
}

impl App {
    /// Send the reminders and digests that are due. Safe with other servers doing the same.
    pub async fn send_reminders(&self) -> AppResult<Sent> {
        let now = self.now();
        let mut sent = Sent::default();
        for due in self.store.assignees_due_before(now + LOOK_AHEAD).await? {
            if due.done {
                continue;
            }
            let Some(rule) = due
                .reminder_rule
                .as_deref()
                .and_then(|raw| ReminderRule::parse_json(raw).ok())
            else {
                continue;
            };
            if let Some(slot) = due_slot(&rule, due.due_at, now)
                && self.remind_assignee(&due, slot).await?
            {
                sent.reminders += 1;
            }
        }
        sent.digests = self.send_overdue_digests(now).await?;
        Ok(sent)
    }

    /// One reminder, once: false when it was sent before (here or on another server).
    async fn remind_assignee(&self, due: &DueAssignee, slot: Slot) -> AppResult<bool> {
        let key = format!(
            "remind:{}:{}:{}",
            due.assignee_id,
            slot.key(),
            due.due_at.unix_timestamp()
        );
        let due = due.clone();
        self.unit_of_work(|app| async move {
            let app = &app;
            if !app.store.claim_once(&key, app.now()).await? {
                return Ok(false);
            }
            let Some(assignment) = app.store.assignment(due.assignment_id).await? else {
                return Ok(false);
            };
            let title = app.target_title(&assignment).await?;
            let link = match assignment.target_kind {
                TargetKind::Course => format!("/courses/{}", assignment.target_id),
                TargetKind::Path => format!("/paths/{}", assignment.target_id),
            };
            let left = (due.due_at - app.now()).whole_days();
            let (headline, body) = match slot {
                Slot::Before(_) if left < 1 => (
                    format!("“{title}” is due today"),
                    "Finish it today to be on time.".to_owned(),
                ),
                Slot::Before(_) => (
                    format!("“{title}” is due in {}", days_word(left)),
                    "Pick up where you left off.".to_owned(),
                ),
                Slot::Overdue(_) => (
                    format!("“{title}” is overdue"),
                    format!(
                        "It was due {} ago. Pick up where you left off.",
                        days_word((app.now() - due.due_at).whole_days().max(0))
                    ),
                ),
            };
            app.notify(Notice {
                user_id: due.user_id,
                kind: NotificationKind::Assignment,
                title: headline,
                body,
                link,
                actor_id: None,
            })
            .await?;
            app.store
                .append_event(
                    NewEvent {
                        user_id: due.user_id,
                        verb: REMINDED,
                        course_id: (assignment.target_kind == TargetKind::Course)
                            .then_some(assignment.target_id),
                        data: Some(
                            serde_json::json!({
                                "assignment": assignment.id,
                                "slot": slot.key(),
                                "due_at": due.due_at.unix_timestamp(),
                            })
                            .to_string(),
                        ),
                        ..NewEvent::default()
                    },
                    app.now(),
                )
                .await?;
            Ok(true)
        })
        .await
    }

    /// Each coach with people overdue in their groups hears once a week who they are.
    async fn send_overdue_digests(&self, now: OffsetDateTime) -> AppResult<usize> {
        // Per coach: the overdue people's names, and how many are overdue on each target
        // (the digest links to the progress of the one with most).
        type Overdue = (Vec<String>, BTreeMap<String, usize>);
        let mut by_coach: BTreeMap<i64, Overdue> = BTreeMap::new();
        for o in self.store.overdue_by_coach(now).await? {
            let (names, targets) = by_coach.entry(o.coach_id).or_default();
            if !names.contains(&o.person_name) {
                names.push(o.person_name);
            }
            *targets
                .entry(format!("{}:{}", o.target_kind, o.target_id))
                .or_default() += 1;
        }
        let week = week_of(now);
        let mut sent = 0;
        for (coach, (names, targets)) in by_coach {
            let busiest = targets
                .iter()
                .max_by_key(|(target, n)| (**n, std::cmp::Reverse((*target).clone())))
                .map(|(target, _)| target.clone())
                .unwrap_or_default();
            let key = format!("overdue-digest:{coach}:{week}");
            let told = self
                .unit_of_work(|app| {
                    let key = key.clone();
                    let names = names.clone();
                    let busiest = busiest.clone();
                    async move {
                        if !app.store.claim_once(&key, app.now()).await? {
                            return Ok(false);
                        }
                        let shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
                        let more = names.len().saturating_sub(shown.len());
                        let mut body = shown.join(", ");
                        if more > 0 {
                            body.push_str(&format!(" and {more} more"));
                        }
                        app.notify(Notice {
                            user_id: coach,
                            kind: NotificationKind::Assignment,
                            title: if names.len() == 1 {
                                "1 person is overdue in your groups".to_owned()
                            } else {
                                format!("{} people are overdue in your groups", names.len())
                            },
                            body,
                            link: format!("/progress?target={busiest}&status=overdue"),
                            actor_id: None,
                        })
                        .await?;
                        Ok(true)
                    }
                })
                .await?;
            sent += usize::from(told);
        }
        Ok(sent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_is_keyed_by_the_iso_week() {
        let monday = time::macros::datetime!(2026-11-30 08:00 UTC);
        let sunday = time::macros::datetime!(2026-12-06 22:00 UTC);
        assert_eq!(week_of(monday), "2026-W49");
        assert_eq!(week_of(sunday), "2026-W49");
        assert_eq!(week_of(sunday + Duration::days(1)), "2026-W50");
        assert_eq!(days_word(1), "1 day");
        assert_eq!(days_word(3), "3 days");
    }
}
