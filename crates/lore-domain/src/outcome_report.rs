//! The outcome report: people who completed a linked course or path against those who did
//! not, and each completer's values before against after their completion. Pure: the app
//! gathers each person's values and completion day, this works out the figures.
//!
//! - **Completed vs not**: each person counts once, with the mean of all their values; the
//!   two sides are compared with Welch's t interval (`stats::welch`, completers − others).
//! - **Before vs after**: a completer's periods that ended before the day they completed
//!   against those that started after it (the period holding the completion day is left
//!   out); each completer with values on both sides gives one pair of means, compared with a
//!   paired t interval (`stats::paired`, after − before).
//! - **Per period**: the mean of each side's values in each period, for the chart.
//!
//! A figure is shown only when every side it rests on has at least the metric's minimum
//! number of people; otherwise it is hidden with the reason, so nobody's own values can be
//! read off a small group.

use std::collections::BTreeMap;

use time::Date;

use crate::outcome::Period;
use crate::stats::{self, MeanDifference};

/// One person's values and, if they completed a linked course or path, the day (UTC).
#[derive(Debug, Clone)]
pub struct PersonValues {
    pub user_id: i64,
    pub values: Vec<(Period, f64)>,
    pub completed_on: Option<Date>,
}

/// A difference of means with its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    pub n_a: usize,
    pub n_b: usize,
    pub mean_a: f64,
    pub mean_b: f64,
    /// `mean_a - mean_b`.
    pub difference: f64,
    pub standard_error: f64,
    pub degrees_of_freedom: f64,
    pub t_critical: f64,
    pub low: f64,
    pub high: f64,
}

impl From<MeanDifference> for Difference {
    fn from(m: MeanDifference) -> Self {
        Self {
            n_a: m.n_a,
            n_b: m.n_b,
            mean_a: m.mean_a,
            mean_b: m.mean_b,
            difference: m.difference,
            standard_error: m.standard_error,
            degrees_of_freedom: m.degrees_of_freedom,
            t_critical: m.t_critical,
            low: m.low,
            high: m.high,
        }
    }
}

/// A figure, or why it is not shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Figures {
    Shown(Difference),
    Hidden(String),
}

impl Figures {
    pub fn shown(&self) -> Option<&Difference> {
        match self {
            Figures::Shown(d) => Some(d),
            Figures::Hidden(_) => None,
        }
    }

    pub fn hidden_reason(&self) -> Option<&str> {
        match self {
            Figures::Shown(_) => None,
            Figures::Hidden(r) => Some(r),
        }
    }
}

/// One side's values in one period: how many people, and their mean when shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SideMean {
    pub people: usize,
    /// `None` when fewer people than the minimum have a value in the period.
    pub mean: Option<f64>,
}

/// Both sides' means in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodMeans {
    pub label: String,
    pub starts: Date,
    pub completers: SideMean,
    pub others: SideMean,
}

/// Everything the report shows.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeReport {
    pub min_group_size: usize,
    /// People with values who completed a linked course or path.
    pub completers: usize,
    /// People with values who did not.
    pub others: usize,
    /// Completers (a) against the others (b), one mean per person.
    pub comparison: Figures,
    /// Completers with values both before and after their completion.
    pub paired_people: usize,
    /// After (a) against before (b).
    pub before_after: Figures,
    /// Oldest period first.
    pub periods: Vec<PeriodMeans>,
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

fn interval(computed: Option<MeanDifference>, sizes: &[(usize, &str)], min: usize) -> Figures {
    if sizes.iter().any(|(n, _)| *n < min) {
        let counts: Vec<String> = sizes
            .iter()
            .map(|(n, side)| format!("{n} {side}"))
            .collect();
        return Figures::Hidden(format!(
            "Hidden: fewer than {min} people on a side ({}), so that no one person's values can be read off.",
            counts.join(", ")
        ));
    }
    match computed.map(Difference::from) {
        Some(d) if d.low.is_finite() && d.high.is_finite() => Figures::Shown(d),
        _ => Figures::Hidden(
            "Hidden: the values do not vary, so no interval can be worked out.".to_owned(),
        ),
    }
}

/// Work out the report for people's values with a minimum group size.
pub fn report(people: &[PersonValues], min_group_size: usize) -> OutcomeReport {
    let min = min_group_size.max(1);
    let with_values: Vec<&PersonValues> = people.iter().filter(|p| !p.values.is_empty()).collect();
    let person_mean = |p: &PersonValues| {
        mean(&p.values.iter().map(|(_, v)| *v).collect::<Vec<_>>()).unwrap_or(0.0)
    };
    let completed: Vec<f64> = with_values
        .iter()
        .filter(|p| p.completed_on.is_some())
        .map(|p| person_mean(p))
        .collect();
    let others: Vec<f64> = with_values
        .iter()
        .filter(|p| p.completed_on.is_none())
        .map(|p| person_mean(p))
        .collect();
    let comparison = interval(
        stats::welch(&completed, &others),
        &[(completed.len(), "completed"), (others.len(), "did not")],
        min,
    );

    let mut before = Vec::new();
    let mut after = Vec::new();
    for p in &with_values {
        let Some(day) = p.completed_on else { continue };
        let pick = |keep: &dyn Fn(&Period) -> bool| {
            mean(
                &p.values
                    .iter()
                    .filter(|(period, _)| keep(period))
                    .map(|(_, v)| *v)
                    .collect::<Vec<_>>(),
            )
        };
        if let (Some(b), Some(a)) = (pick(&|q| q.ends <= day), pick(&|q| q.starts > day)) {
            before.push(b);
            after.push(a);
        }
    }
    let before_after = interval(
        stats::paired(&before, &after),
        &[(before.len(), "with values before and after")],
        min,
    );

    // Period label → (starts, completers' values, others' values).
    let mut by_period: BTreeMap<(Date, String), (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    for p in &with_values {
        for (period, v) in &p.values {
            let entry = by_period
                .entry((period.starts, period.label.clone()))
                .or_default();
            if p.completed_on.is_some() {
                entry.0.push(*v);
            } else {
                entry.1.push(*v);
            }
        }
    }
    let side = |values: &[f64]| SideMean {
        people: values.len(),
        mean: if values.len() >= min {
            mean(values)
        } else {
            None
        },
    };
    let periods = by_period
        .into_iter()
        .map(|((starts, label), (c, o))| PeriodMeans {
            label,
            starts,
            completers: side(&c),
            others: side(&o),
        })
        .collect();

    OutcomeReport {
        min_group_size: min,
        completers: completed.len(),
        others: others.len(),
        comparison,
        paired_people: before.len(),
        before_after,
        periods,
    }
}

/// A number for a sentence: up to two decimals, no trailing zeros.
pub fn figure(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

impl OutcomeReport {
    /// The report in plain sentences, ending with the warning that it shows correlation.
    pub fn sentences(&self, unit: &str, higher_is_better: bool) -> Vec<String> {
        let mut out = Vec::new();
        let direction = |d: f64| {
            let (more, less) = if higher_is_better {
                ("more (better)", "fewer (worse)")
            } else {
                ("more (worse)", "fewer (better)")
            };
            if d >= 0.0 { more } else { less }
        };
        if let Some(d) = self.comparison.shown() {
            out.push(format!(
                "People who completed a linked course or path averaged {} {unit}, {} {unit} {} than those who did not ({}); 95 % confidence interval {} to {}.",
                figure(d.mean_a),
                figure(d.difference.abs()),
                direction(d.difference),
                figure(d.mean_b),
                figure(d.low),
                figure(d.high),
            ));
        }
        if let Some(d) = self.before_after.shown() {
            out.push(format!(
                "After completing, {} people averaged {} {unit}, {} {unit} {} than before ({}); 95 % confidence interval {} to {}.",
                d.n_a,
                figure(d.mean_a),
                figure(d.difference.abs()),
                direction(d.difference),
                figure(d.mean_b),
                figure(d.low),
                figure(d.high),
            ));
        }
        out.push(
            "This is correlation, not proof: people who chose to learn may differ from those who did not, and other things changed over the same months."
                .to_owned(),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::PeriodKind;

    fn month(label: &str) -> Period {
        PeriodKind::Month.period(label).expect("month")
    }

    fn person(id: i64, values: &[(&str, f64)], completed: Option<Date>) -> PersonValues {
        PersonValues {
            user_id: id,
            values: values.iter().map(|(l, v)| (month(l), *v)).collect(),
            completed_on: completed,
        }
    }

    #[test]
    fn small_sides_are_hidden_with_the_counts() {
        let people = vec![
            person(
                1,
                &[("2026-09", 3.0)],
                Some(time::macros::date!(2026 - 09 - 15)),
            ),
            person(2, &[("2026-09", 4.0)], None),
        ];
        let r = report(&people, 5);
        assert_eq!((r.completers, r.others), (1, 1));
        let reason = r.comparison.hidden_reason().expect("hidden");
        assert!(reason.contains("1 completed, 1 did not"), "{reason}");
        assert!(r.before_after.hidden_reason().is_some());
        assert_eq!(r.periods[0].completers.mean, None);
        assert_eq!(r.periods[0].completers.people, 1);
    }

    #[test]
    fn each_person_counts_once_and_before_after_leaves_out_the_completion_period() {
        let done = Some(time::macros::date!(2026 - 10 - 10));
        // Completers: 2→4 and 3→6; the October value is in the completion month.
        let people = vec![
            person(
                1,
                &[("2026-09", 2.0), ("2026-10", 100.0), ("2026-11", 4.0)],
                done,
            ),
            person(2, &[("2026-09", 3.0), ("2026-11", 6.0)], done),
            person(3, &[("2026-09", 1.0), ("2026-11", 1.0)], None),
            person(4, &[("2026-11", 2.0)], None),
        ];
        let r = report(&people, 2);
        let c = r.comparison.shown().expect("shown");
        assert_eq!((c.n_a, c.n_b), (2, 2));
        assert!((c.mean_a - (106.0 / 3.0 + 4.5) / 2.0).abs() < 1e-9);
        assert!((c.mean_b - 1.5).abs() < 1e-9);
        let ba = r.before_after.shown().expect("shown");
        assert_eq!(r.paired_people, 2);
        assert!((ba.difference - 2.5).abs() < 1e-9, "after − before");
        let labels: Vec<&str> = r.periods.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2026-09", "2026-10", "2026-11"]);
        assert_eq!(r.periods[2].completers.mean, Some(5.0));
        assert_eq!(r.periods[1].others.people, 0);
        assert_eq!(r.periods[1].completers.mean, None, "one person that month");
    }

    #[test]
    fn the_sentences_end_with_the_warning() {
        let r = report(&[], 5);
        let s = r.sentences("deals", true);
        assert_eq!(s.len(), 1);
        assert!(s[0].contains("correlation, not proof"));
        assert_eq!(figure(1.5), "1.5");
        assert_eq!(figure(2.0), "2");
        assert_eq!(figure(-0.001), "0");
    }
}
