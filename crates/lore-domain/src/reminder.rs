//! Which reminder of an assignment is due now: the nearest "N days before" that has passed,
//! or the how-many-th "every N days when overdue". A sweep sends a slot once (per person,
//! rule and due date); a late sweep sends only the nearest slot, never a burst.

use time::{Duration, OffsetDateTime};

use crate::assignment::ReminderRule;

/// One reminder of a rule for one due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// `days` before the due date.
    Before(u32),
    /// The `n`-th reminder (from 0) since the due date passed.
    Overdue(u32),
}

impl Slot {
    /// A stable word for the slot, part of the key that makes it happen once.
    pub fn key(self) -> String {
        match self {
            Slot::Before(d) => format!("before-{d}"),
            Slot::Overdue(n) => format!("overdue-{n}"),
        }
    }
}

/// The slot due at `now` for something due at `due`, if any.
pub fn due_slot(rule: &ReminderRule, due: OffsetDateTime, now: OffsetDateTime) -> Option<Slot> {
    if now < due {
        return rule
            .before_days
            .iter()
            .copied()
            .filter(|d| now >= due - Duration::days(i64::from(*d)))
            .min()
            .map(Slot::Before);
    }
    let every = i64::from(rule.overdue_every_days?.max(1));
    let n = (now - due).whole_days() / every;
    u32::try_from(n).ok().map(Slot::Overdue)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> ReminderRule {
        ReminderRule {
            before_days: vec![7, 1],
            overdue_every_days: Some(7),
        }
    }

    #[test]
    fn the_nearest_passed_slot_before_then_every_n_days_after() {
        let due = OffsetDateTime::UNIX_EPOCH + Duration::days(100);
        let at = |days: i64| due + Duration::days(days);
        assert_eq!(due_slot(&rule(), due, at(-8)), None);
        assert_eq!(due_slot(&rule(), due, at(-7)), Some(Slot::Before(7)));
        assert_eq!(due_slot(&rule(), due, at(-3)), Some(Slot::Before(7)));
        // A late sweep after both passed sends only the nearest.
        assert_eq!(
            due_slot(&rule(), due, at(-1) + Duration::hours(2)),
            Some(Slot::Before(1))
        );
        assert_eq!(due_slot(&rule(), due, at(0)), Some(Slot::Overdue(0)));
        assert_eq!(due_slot(&rule(), due, at(6)), Some(Slot::Overdue(0)));
        assert_eq!(due_slot(&rule(), due, at(7)), Some(Slot::Overdue(1)));
        let quiet = ReminderRule::default();
        assert_eq!(due_slot(&quiet, due, at(-1)), None);
        assert_eq!(due_slot(&quiet, due, at(3)), None);
        assert_eq!(Slot::Overdue(2).key(), "overdue-2");
    }
}
