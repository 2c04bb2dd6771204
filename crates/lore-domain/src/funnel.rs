//! The learning funnel of a course: seen in the catalogue → opened → enrolled → started →
//! reached each step → completed → passed the evaluation. Each person counts once per stage
//! (their first time). The figures are built from *marks* (who reached which stage, first
//! when, and for a finished step how long it took), which the store keeps from the event log;
//! the maths here is pure.
//!
//! A stage's conversion is the share of the people at the stage before who also reached it
//! (so people who jumped ahead in a free-order course never push a rate past 100 %); its
//! drop-off is the people of the stage before who did not.

use std::collections::{HashMap, HashSet};

use crate::stats::{self, TwoProportion};

/// One kind of mark, in funnel order (`Assigned` is not a stage of the funnel: it tells
/// assigned people from self-enrolled ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    Seen,
    Opened,
    Assigned,
    Enrolled,
    Started,
    /// Saw a step (with its key).
    Reached,
    /// Marked a step done (with its key and the seconds spent on it).
    Finished,
    Completed,
    Passed,
}

impl Stage {
    pub const ALL: [Stage; 9] = [
        Stage::Seen,
        Stage::Opened,
        Stage::Assigned,
        Stage::Enrolled,
        Stage::Started,
        Stage::Reached,
        Stage::Finished,
        Stage::Completed,
        Stage::Passed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Seen => "seen",
            Stage::Opened => "opened",
            Stage::Assigned => "assigned",
            Stage::Enrolled => "enrolled",
            Stage::Started => "started",
            Stage::Reached => "reached",
            Stage::Finished => "finished",
            Stage::Completed => "completed",
            Stage::Passed => "passed",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The stage an event verb marks, if any. `passed` is the `passed` of a submitted attempt
    /// (only a passing attempt marks *passed*). Step stages carry the event's step key.
    pub fn of_event(verb: &str, passed: bool) -> Option<Stage> {
        Some(match verb {
            "listed-courses" => Stage::Seen,
            "viewed-course" => Stage::Opened,
            "assigned" => Stage::Assigned,
            "enrolled" => Stage::Enrolled,
            "started" => Stage::Started,
            "viewed-step" => Stage::Reached,
            "completed-step" => Stage::Finished,
            "completed-course" => Stage::Completed,
            "submitted-attempt" if passed => Stage::Passed,
            _ => return None,
        })
    }

    /// Marks of this stage are kept per step.
    pub fn per_step(self) -> bool {
        matches!(self, Stage::Reached | Stage::Finished)
    }
}

/// Who came to a course by assignment, or on their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    #[default]
    Anyone,
    Assigned,
    #[serde(rename = "self")]
    SelfEnrolled,
}

impl Via {
    /// `anyone` (or empty), `assigned`, `self`.
    pub fn parse(s: &str) -> Option<Via> {
        match s {
            "" | "anyone" => Some(Via::Anyone),
            "assigned" => Some(Via::Assigned),
            "self" => Some(Via::SelfEnrolled),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Via::Anyone => "anyone",
            Via::Assigned => "assigned",
            Via::SelfEnrolled => "self",
        }
    }
}

/// One person's first time at a stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub user_id: i64,
    pub stage: Stage,
    /// Empty unless the stage is per step.
    pub step_key: String,
    /// For a finished step: the seconds the person spent on it.
    pub seconds: Option<i64>,
}

/// A step of the course, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRef {
    pub key: String,
    pub title: String,
}

/// One row of the funnel.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FunnelRow {
    /// A stable name: `seen`, `opened`, `enrolled`, `started`, `step:<key>`, `completed`, `passed`.
    pub key: String,
    pub label: String,
    /// People at this stage.
    pub people: u64,
    /// People at the stage before (none for the first).
    pub previous: Option<u64>,
    /// People of the stage before who also reached this one.
    pub kept: u64,
    /// `kept / previous`.
    pub conversion: Option<f64>,
    /// `previous - kept`.
    pub drop_off: u64,
    /// `people / enrolled`.
    pub of_enrolled: Option<f64>,
    /// Median seconds spent on the step by those who finished it (steps only).
    pub median_seconds: Option<f64>,
    /// How many finished the step (the median's count).
    pub finished: u64,
}

/// A course's funnel.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Funnel {
    pub rows: Vec<FunnelRow>,
    /// People whose marks the funnel counts.
    pub people: u64,
}

/// Build the funnel from marks, over the steps in order; the *passed* row only when the
/// course has an evaluation. Marks of steps not in `steps` are left out.
pub fn build(marks: &[Mark], steps: &[StepRef], has_evaluation: bool) -> Funnel {
    let mut who: HashMap<(Stage, String), HashSet<i64>> = HashMap::new();
    let mut seconds: HashMap<&str, Vec<f64>> = HashMap::new();
    let mut everyone = HashSet::new();
    for m in marks {
        everyone.insert(m.user_id);
        let key = if m.stage.per_step() {
            m.step_key.as_str()
        } else {
            ""
        };
        let fresh = who
            .entry((m.stage, key.to_owned()))
            .or_default()
            .insert(m.user_id);
        if fresh
            && m.stage == Stage::Finished
            && let Some(s) = m.seconds
        {
            seconds.entry(key).or_default().push(s as f64);
        }
    }
    let empty = HashSet::new();
    let set = |stage: Stage, key: &str| who.get(&(stage, key.to_owned())).unwrap_or(&empty);
    let mut order: Vec<(String, String, &HashSet<i64>, Option<&str>)> = vec![
        (
            "seen".into(),
            "Seen in the catalogue".into(),
            set(Stage::Seen, ""),
            None,
        ),
        (
            "opened".into(),
            "Opened the course page".into(),
            set(Stage::Opened, ""),
            None,
        ),
        (
            "enrolled".into(),
            "Enrolled".into(),
            set(Stage::Enrolled, ""),
            None,
        ),
        (
            "started".into(),
            "Started".into(),
            set(Stage::Started, ""),
            None,
        ),
    ];
    for (i, s) in steps.iter().enumerate() {
        order.push((
            format!("step:{}", s.key),
            format!("Step {}: {}", i + 1, s.title),
            set(Stage::Reached, &s.key),
            Some(s.key.as_str()),
        ));
    }
    order.push((
        "completed".into(),
        "Completed".into(),
        set(Stage::Completed, ""),
        None,
    ));
    if has_evaluation {
        order.push((
            "passed".into(),
            "Passed the evaluation".into(),
            set(Stage::Passed, ""),
            None,
        ));
    }
    let enrolled = set(Stage::Enrolled, "").len() as u64;
    let mut rows = Vec::with_capacity(order.len());
    let mut before: Option<&HashSet<i64>> = None;
    for (key, label, people, step) in order {
        let count = people.len() as u64;
        let (previous, kept) = match before {
            Some(prev) => (
                Some(prev.len() as u64),
                prev.intersection(people).count() as u64,
            ),
            None => (None, count),
        };
        let step_seconds = step.and_then(|k| seconds.get(k));
        rows.push(FunnelRow {
            key,
            label,
            people: count,
            previous,
            kept,
            conversion: previous.and_then(|p| ratio(kept, p)),
            drop_off: previous.map_or(0, |p| p - kept),
            of_enrolled: ratio(count, enrolled),
            median_seconds: step_seconds.and_then(|s| stats::median(s)),
            finished: step_seconds.map_or(0, |s| s.len() as u64),
        });
        before = Some(people);
    }
    Funnel {
        rows,
        people: everyone.len() as u64,
    }
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// One stage of two funnels side by side: its conversion in each and the test of the
/// difference (`None` when a side has no one at the stage before, or nobody varies).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StageComparison {
    pub key: String,
    pub label: String,
    pub a: FunnelRow,
    pub b: FunnelRow,
    pub test: Option<TwoProportion>,
}

/// Compare two funnels of the same course (two versions) stage by stage: for each stage after
/// the first, the conversion from the stage before in `a` against `b`. Stages only one side
/// has (a step added in `b`) are left out.
pub fn compare(a: &Funnel, b: &Funnel) -> Vec<StageComparison> {
    a.rows
        .iter()
        .filter_map(|ra| {
            let rb = b.rows.iter().find(|r| r.key == ra.key)?;
            let test = match (ra.previous, rb.previous) {
                (Some(pa), Some(pb)) => stats::two_proportion(ra.kept, pa, rb.kept, pb),
                _ => None,
            };
            Some(StageComparison {
                key: ra.key.clone(),
                label: ra.label.clone(),
                a: ra.clone(),
                b: rb.clone(),
                test,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(user_id: i64, stage: Stage, step: &str, seconds: Option<i64>) -> Mark {
        Mark {
            user_id,
            stage,
            step_key: step.into(),
            seconds,
        }
    }

    fn steps() -> Vec<StepRef> {
        ["a", "b"]
            .iter()
            .map(|k| StepRef {
                key: (*k).into(),
                title: format!("Step {k}"),
            })
            .collect()
    }

    #[test]
    fn each_person_counts_once_and_drop_off_is_who_did_not_go_on() {
        let mut marks = Vec::new();
        for u in 1..=10 {
            marks.push(mark(u, Stage::Opened, "", None));
        }
        for u in 1..=6 {
            marks.push(mark(u, Stage::Enrolled, "", None));
            marks.push(mark(u, Stage::Started, "", None));
            marks.push(mark(u, Stage::Reached, "a", None));
            marks.push(mark(u, Stage::Finished, "a", Some(u * 60)));
        }
        // Person 9 jumped straight to step b without step a: counted at b, not as kept.
        for u in [1, 2, 3, 9] {
            marks.push(mark(u, Stage::Reached, "b", None));
        }
        marks.push(mark(1, Stage::Reached, "b", None)); // a second time changes nothing
        for u in [1, 2] {
            marks.push(mark(u, Stage::Completed, "", None));
        }
        let f = build(&marks, &steps(), false);
        let row = |k: &str| f.rows.iter().find(|r| r.key == k).unwrap();
        assert_eq!(f.people, 10);
        assert_eq!(row("seen").people, 0);
        assert_eq!(row("opened").previous, Some(0));
        assert_eq!(row("opened").conversion, None);
        assert_eq!(row("enrolled").people, 6);
        assert_eq!(row("enrolled").drop_off, 4);
        assert_eq!(row("enrolled").conversion, Some(0.6));
        let a = row("step:a");
        assert_eq!((a.people, a.finished), (6, 6));
        // 60, 120, …, 360 seconds: median (180 + 240) / 2.
        assert_eq!(a.median_seconds, Some(210.0));
        let b = row("step:b");
        assert_eq!(
            (b.people, b.previous, b.kept, b.drop_off),
            (4, Some(6), 3, 3)
        );
        assert_eq!(b.conversion, Some(0.5));
        assert!((b.of_enrolled.unwrap() - 4.0 / 6.0).abs() < 1e-12);
        assert_eq!(row("completed").kept, 2);
        assert!(f.rows.iter().all(|r| r.key != "passed"));
        assert!(
            build(&marks, &steps(), true)
                .rows
                .iter()
                .any(|r| r.key == "passed")
        );
    }

    #[test]
    fn two_versions_compare_stage_by_stage() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        for u in 1..=100 {
            a.push(mark(u, Stage::Reached, "a", None));
            b.push(mark(u, Stage::Reached, "a", None));
            if u <= 45 {
                a.push(mark(u, Stage::Reached, "b", None));
            }
            if u <= 60 {
                b.push(mark(u, Stage::Reached, "b", None));
            }
        }
        let fa = build(&a, &steps(), false);
        let fb = build(&b, &steps(), false);
        let cmp = compare(&fa, &fb);
        let at_b = cmp.iter().find(|c| c.key == "step:b").unwrap();
        let t = at_b.test.unwrap();
        // The two-proportion case of `stats`: 45/100 against 60/100, p = 0.0337.
        assert_eq!(
            (t.successes_a, t.total_a, t.successes_b, t.total_b),
            (45, 100, 60, 100)
        );
        assert!(t.significant());
        assert!(cmp.iter().find(|c| c.key == "seen").unwrap().test.is_none());
    }

    #[test]
    fn stages_read_back_from_their_names_and_verbs() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
        assert_eq!(Stage::of_event("submitted-attempt", false), None);
        assert_eq!(
            Stage::of_event("submitted-attempt", true),
            Some(Stage::Passed)
        );
        assert_eq!(Stage::of_event("reacted", true), None);
    }
}
