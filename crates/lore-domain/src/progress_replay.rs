//! Progress as the event log tells it: folding a person's learning events in order gives the
//! version they take, the steps they finished and whether they completed the course. The
//! stored progress must always equal this fold (a story checks it on the demo), so progress,
//! analytics and xAPI statements can be rebuilt from events alone.

use std::collections::{BTreeMap, BTreeSet};

/// One learning event, as much of it as progress needs.
#[derive(Debug, Clone)]
pub struct LearningEvent<'a> {
    pub user_id: i64,
    pub course_id: i64,
    pub verb: &'a str,
    pub version_number: Option<i32>,
    pub step_key: Option<&'a str>,
    /// An assignment that starts the course over (a recertification): the version it names,
    /// no step done, not completed.
    pub restarts: bool,
}

/// Where one person stands in one course.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    pub version_number: i32,
    pub steps_done: BTreeSet<String>,
    pub completed: bool,
}

/// Fold events, oldest first, into progress per (person, course).
pub fn replay<'a>(
    events: impl IntoIterator<Item = LearningEvent<'a>>,
) -> BTreeMap<(i64, i64), Progress> {
    let mut all: BTreeMap<(i64, i64), Progress> = BTreeMap::new();
    for e in events {
        let key = (e.user_id, e.course_id);
        match e.verb {
            "assigned" if e.restarts => {
                let p = all.entry(key).or_default();
                p.version_number = e.version_number.unwrap_or(p.version_number.max(1));
                p.steps_done.clear();
                p.completed = false;
            }
            "enrolled" | "assigned" => {
                all.entry(key).or_insert_with(|| Progress {
                    version_number: e.version_number.unwrap_or(1),
                    ..Progress::default()
                });
            }
            "completed-step" => {
                if let (Some(p), Some(step)) = (all.get_mut(&key), e.step_key) {
                    p.steps_done.insert(step.to_owned());
                }
            }
            "switched-version" => {
                if let Some(p) = all.get_mut(&key) {
                    p.version_number = e.version_number.unwrap_or(p.version_number);
                    p.completed = false;
                }
            }
            "completed-course" => {
                if let Some(p) = all.get_mut(&key) {
                    p.completed = true;
                }
            }
            _ => {}
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev<'a>(verb: &'a str, version: Option<i32>, step: Option<&'a str>) -> LearningEvent<'a> {
        LearningEvent {
            user_id: 7,
            course_id: 3,
            verb,
            version_number: version,
            step_key: step,
            restarts: false,
        }
    }

    #[test]
    fn steps_carry_over_a_version_switch_and_completion_resets() {
        let got = replay([
            ev("viewed-course", None, None),
            ev("enrolled", Some(1), None),
            ev("completed-step", Some(1), Some("a")),
            ev("completed-step", Some(1), Some("b")),
            ev("completed-course", Some(1), None),
            ev("switched-version", Some(2), None),
            ev("completed-step", Some(2), Some("c")),
        ]);
        let p = &got[&(7, 3)];
        assert_eq!(p.version_number, 2);
        assert!(!p.completed);
        assert_eq!(
            p.steps_done.iter().map(String::as_str).collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
    }

    #[test]
    fn nothing_before_enrolment_counts_and_assignment_enrols() {
        let got = replay([
            ev("completed-step", Some(1), Some("a")),
            ev("assigned", Some(2), None),
            ev("enrolled", Some(3), None),
        ]);
        assert_eq!(got[&(7, 3)].version_number, 2);
        assert!(got[&(7, 3)].steps_done.is_empty());
    }

    #[test]
    fn a_recertification_starts_the_course_over_on_its_version() {
        let got = replay([
            ev("enrolled", Some(1), None),
            ev("completed-step", Some(1), Some("a")),
            ev("completed-course", Some(1), None),
            LearningEvent {
                restarts: true,
                ..ev("assigned", Some(2), None)
            },
            ev("completed-step", Some(2), Some("b")),
        ]);
        let p = &got[&(7, 3)];
        assert_eq!(p.version_number, 2);
        assert!(!p.completed);
        assert_eq!(
            p.steps_done.iter().map(String::as_str).collect::<Vec<_>>(),
            ["b"]
        );
    }
}
