//! Classical item analysis of a test version: how hard each question is, how well it separates
//! strong from weak learners, which options are chosen, and plain-language hints for authors.
//!
//! The input knows nothing about question kinds: the caller turns every submitted attempt into
//! points, maximum points, chosen option ids and seconds per question, and lists the questions
//! (with their option ids) in the order the statistics page shows them.
//!
//! # Rules for the input (the contract)
//!
//! * **Listed questions only.** Responses to a question id that is not in `questions` are ignored
//!   everywhere, including in attempt totals. If a question id is listed twice, the first listing
//!   gets the responses and the later one reports none.
//! * **A response is scored** when `max` is finite and `> 0` and `points` is finite; `points` is
//!   clamped to `0..=max`. Responses that are not scored (for example a 0-point survey question)
//!   are ignored as if absent.
//! * **Absent means not shown.** An attempt without a response to a question did not get that
//!   question (random draw); it is left out of that question's statistics. A question that was
//!   shown but left blank must be passed as a response with 0 points and no options.
//! * **One response per question per attempt.** If an attempt holds several responses to the same
//!   question, the first scored one counts and the rest are ignored.
//! * **Attempts** without any scored response to a listed question are ignored.
//! * The **item score** of a response is `points / max` (0 to 1); an attempt's **total** is the sum
//!   of its (clamped) points over the listed questions it answered.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

/// Facility above this is [`Flag::TooEasy`].
pub const TOO_EASY_ABOVE: f64 = 0.95;
/// Facility below this is [`Flag::TooHard`].
pub const TOO_HARD_BELOW: f64 = 0.2;
/// Discrimination from 0 up to and including this is [`Flag::PoorDiscrimination`].
pub const POOR_DISCRIMINATION_AT_MOST: f64 = 0.1;
/// Below this many responses a question gets only [`Flag::TooFewResponses`]: the numbers are
/// still computed but too noisy to judge, and unused options are not reported.
pub const MIN_RESPONSES: usize = 5;
/// The point-biserial correlation needs at least this many responses.
pub const MIN_CORRELATION_RESPONSES: usize = 3;
/// The upper/lower-group index needs at least this many responses.
pub const MIN_GROUP_RESPONSES: usize = 4;
/// Size of the upper and lower groups, in percent of the responses (rounded up).
pub const GROUP_PERCENT: usize = 27;

/// What one attempt scored on one question. Knows nothing about the question's kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemResponse {
    /// The question's id or key, as in [`QuestionInfo::question`].
    pub question: String,
    pub points: f64,
    pub max: f64,
    /// Option ids chosen (several for multi-select, none for non-choice questions).
    pub options_chosen: Vec<String>,
    /// Time spent on the question, when known.
    pub seconds: Option<f64>,
}

/// All responses of one submitted attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptResponses {
    /// The attempt's id; breaks ties when ranking attempts (see [`ItemStats::discrimination_index`]).
    pub attempt: i64,
    pub responses: Vec<ItemResponse>,
}

/// A question of the test version, in display order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionInfo {
    pub question: String,
    /// The options a learner can choose, in display order; empty for non-choice questions.
    pub option_ids: Vec<String>,
}

/// Something an author should look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Flag {
    /// Facility above [`TOO_EASY_ABOVE`].
    TooEasy,
    /// Facility below [`TOO_HARD_BELOW`].
    TooHard,
    /// Discrimination between 0 and [`POOR_DISCRIMINATION_AT_MOST`], both included.
    PoorDiscrimination,
    /// Discrimination below 0: weak learners do better than strong ones.
    NegativeDiscrimination,
    /// Nobody chose this option (reported only from [`MIN_RESPONSES`] responses on).
    UnusedOption(String),
    /// Fewer than [`MIN_RESPONSES`] responses; when set, it is the only flag.
    TooFewResponses,
}

/// The statistics of one question over all submitted attempts of a version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStats {
    pub question: String,
    /// Attempts with a scored response to this question.
    pub responses: usize,
    /// Mean item score (`points / max`) over the responses, so partial credit counts partially;
    /// for right/wrong questions it is the share answered correctly. `None` without responses.
    pub facility: Option<f64>,
    /// Corrected item–total correlation: Pearson's r between the item score and the attempt's
    /// **rest score** (its total points minus the points on this question), over the attempts
    /// that answered this question. `None` with fewer than [`MIN_CORRELATION_RESPONSES`]
    /// responses or when either side does not vary.
    pub point_biserial: Option<f64>,
    /// Upper/lower 27 % index D: the responding attempts are ranked by total points (this
    /// question included), highest first, ties by attempt id ascending; the upper group is the
    /// first ⌈0.27 n⌉ of that ranking and the lower group the last ⌈0.27 n⌉. D is the mean item
    /// score in the upper group minus that in the lower group (−1 to 1). `None` with fewer than
    /// [`MIN_GROUP_RESPONSES`] responses.
    pub discrimination_index: Option<f64>,
    /// For each listed option, in order: how many responses chose it. A response counts once per
    /// option even if it names the option twice; for multi-select every chosen option counts.
    /// Empty for non-choice questions.
    pub option_counts: Vec<(String, usize)>,
    /// `count / responses` per listed option; empty when there are no responses.
    pub option_shares: Vec<(String, f64)>,
    /// Distinct option ids chosen that are not listed for the question (for example removed
    /// after the attempt), summed over responses. They are not in `option_counts`, but the
    /// responses naming them still count everywhere else.
    pub unknown_option_picks: usize,
    /// Median of the response times that are known, finite and not negative (mean of the two
    /// middle values for an even count). `None` when no time is known.
    pub median_seconds: Option<f64>,
    /// Most important first: too few responses (alone); else negative discrimination, too hard,
    /// too easy, poor discrimination, unused options (in option order). Discrimination flags
    /// read the point-biserial, or D when the point-biserial is `None`; neither when both are.
    pub flags: Vec<Flag>,
    /// One plain-language sentence about the first flag; `None` without flags.
    pub hint: Option<String>,
}

/// Figures for the test version as a whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestSummary {
    /// Attempts with at least one scored response to a listed question.
    pub attempts: usize,
    /// Mean over those attempts of total points / total maximum of the questions they answered.
    pub mean_score_share: Option<f64>,
    /// Cronbach's alpha (KR-20 generalised to partial credit) on points:
    /// `k / (k − 1) × (1 − Σ var(item points) / var(total points))` with population variances,
    /// over the attempts that answered every listed question. `None` with fewer than 2 questions,
    /// fewer than 2 such attempts, or totals that do not vary. It can be negative.
    pub cronbach_alpha: Option<f64>,
    /// How many attempts the alpha was computed over (those that answered every question).
    pub alpha_attempts: usize,
}

/// Statistics per listed question, in the order of `questions`. See [`ItemStats`] for the
/// definitions and the module documentation for how the input is read.
pub fn analyse(questions: &[QuestionInfo], attempts: &[AttemptResponses]) -> Vec<ItemStats> {
    let rows = score_table(questions, attempts);
    questions
        .iter()
        .enumerate()
        .map(|(qi, info)| item_stats(qi, info, &rows))
        .collect()
}

/// Figures for the whole test; same input and rules as [`analyse`]. It takes the attempts rather
/// than the [`ItemStats`] because alpha needs how item scores vary together within attempts.
pub fn summary(questions: &[QuestionInfo], attempts: &[AttemptResponses]) -> TestSummary {
    let rows = score_table(questions, attempts);
    let shares: Vec<f64> = rows.iter().map(|r| r.total / r.total_max).collect();

    let complete: Vec<&Row<'_>> = rows
        .iter()
        .filter(|r| r.cells.iter().all(Option::is_some))
        .collect();
    let k = questions.len();
    let cronbach_alpha = if k < 2 || complete.len() < 2 {
        None
    } else {
        let totals: Vec<f64> = complete.iter().map(|r| r.total).collect();
        let item_variance_sum: f64 = (0..k)
            .map(|qi| {
                let points: Vec<f64> = complete
                    .iter()
                    .filter_map(|r| r.cells.get(qi).copied().flatten().map(|c| c.points))
                    .collect();
                population_variance(&points)
            })
            .sum();
        if is_constant(&totals) {
            None
        } else {
            let kf = k as f64;
            Some(kf / (kf - 1.0) * (1.0 - item_variance_sum / population_variance(&totals)))
        }
    };

    TestSummary {
        attempts: rows.len(),
        mean_score_share: mean(&shares),
        cronbach_alpha,
        alpha_attempts: complete.len(),
    }
}

/// One scored response, as the statistics see it.
#[derive(Debug, Clone, Copy)]
struct Cell<'a> {
    points: f64,
    share: f64,
    options: &'a [String],
    seconds: Option<f64>,
}

/// One attempt: a cell per listed question (`None` when not answered) and its totals.
#[derive(Debug)]
struct Row<'a> {
    attempt: i64,
    total: f64,
    total_max: f64,
    cells: Vec<Option<Cell<'a>>>,
}

fn score_table<'a>(questions: &[QuestionInfo], attempts: &'a [AttemptResponses]) -> Vec<Row<'a>> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (qi, q) in questions.iter().enumerate() {
        index.entry(q.question.as_str()).or_insert(qi);
    }
    let mut rows = Vec::new();
    for attempt in attempts {
        let mut cells: Vec<Option<Cell<'a>>> = vec![None; questions.len()];
        let mut total_max = 0.0;
        for response in &attempt.responses {
            let Some(&qi) = index.get(response.question.as_str()) else {
                continue;
            };
            let Some(slot) = cells.get_mut(qi) else {
                continue;
            };
            let scorable =
                response.max.is_finite() && response.max > 0.0 && response.points.is_finite();
            if slot.is_some() || !scorable {
                continue;
            }
            let points = response.points.clamp(0.0, response.max);
            *slot = Some(Cell {
                points,
                share: points / response.max,
                options: &response.options_chosen,
                seconds: response.seconds.filter(|s| s.is_finite() && *s >= 0.0),
            });
            total_max += response.max;
        }
        if cells.iter().any(Option::is_some) {
            // Summed in question order so equal score patterns give bit-equal totals.
            let total = cells.iter().flatten().map(|c| c.points).sum();
            rows.push(Row {
                attempt: attempt.attempt,
                total,
                total_max,
                cells,
            });
        }
    }
    rows
}

fn item_stats(qi: usize, info: &QuestionInfo, rows: &[Row<'_>]) -> ItemStats {
    let answered: Vec<(&Row<'_>, Cell<'_>)> = rows
        .iter()
        .filter_map(|r| r.cells.get(qi).copied().flatten().map(|c| (r, c)))
        .collect();
    let responses = answered.len();

    let item_scores: Vec<f64> = answered.iter().map(|(_, c)| c.share).collect();
    let facility = mean(&item_scores);

    let point_biserial = if responses < MIN_CORRELATION_RESPONSES {
        None
    } else {
        let rest: Vec<f64> = answered.iter().map(|(r, c)| r.total - c.points).collect();
        pearson(&item_scores, &rest)
    };

    let discrimination_index = upper_lower_index(&answered);

    let mut option_counts: Vec<(String, usize)> =
        info.option_ids.iter().map(|o| (o.clone(), 0)).collect();
    let mut unknown_option_picks = 0;
    if !info.option_ids.is_empty() {
        for (_, cell) in &answered {
            let chosen: BTreeSet<&str> = cell.options.iter().map(String::as_str).collect();
            for (option, count) in &mut option_counts {
                if chosen.contains(option.as_str()) {
                    *count += 1;
                }
            }
            unknown_option_picks += chosen
                .iter()
                .filter(|c| !info.option_ids.iter().any(|o| o == *c))
                .count();
        }
    }
    let option_shares = if responses == 0 {
        Vec::new()
    } else {
        option_counts
            .iter()
            .map(|(o, n)| (o.clone(), *n as f64 / responses as f64))
            .collect()
    };

    let times: Vec<f64> = answered.iter().filter_map(|(_, c)| c.seconds).collect();
    let median_seconds = median(times);

    let flags = flags_for(
        responses,
        facility,
        point_biserial.or(discrimination_index),
        &option_counts,
    );
    let hint = hint_for(&flags, responses);

    ItemStats {
        question: info.question.clone(),
        responses,
        facility,
        point_biserial,
        discrimination_index,
        option_counts,
        option_shares,
        unknown_option_picks,
        median_seconds,
        flags,
        hint,
    }
}

fn upper_lower_index(answered: &[(&Row<'_>, Cell<'_>)]) -> Option<f64> {
    let n = answered.len();
    if n < MIN_GROUP_RESPONSES {
        return None;
    }
    let mut ranked: Vec<&(&Row<'_>, Cell<'_>)> = answered.iter().collect();
    ranked.sort_by(|(a, _), (b, _)| b.total.total_cmp(&a.total).then(a.attempt.cmp(&b.attempt)));
    // Integer arithmetic: 0.27 × 100 in floating point is 27.000000000000004, which would round
    // up to 28.
    let group = (GROUP_PERCENT * n).div_ceil(100);
    let upper: Vec<f64> = ranked.iter().take(group).map(|(_, c)| c.share).collect();
    let lower: Vec<f64> = ranked
        .iter()
        .rev()
        .take(group)
        .map(|(_, c)| c.share)
        .collect();
    Some(mean(&upper)? - mean(&lower)?)
}

fn flags_for(
    responses: usize,
    facility: Option<f64>,
    discrimination: Option<f64>,
    option_counts: &[(String, usize)],
) -> Vec<Flag> {
    if responses < MIN_RESPONSES {
        return vec![Flag::TooFewResponses];
    }
    let mut flags = Vec::new();
    if discrimination.is_some_and(|d| d < 0.0) {
        flags.push(Flag::NegativeDiscrimination);
    }
    if let Some(f) = facility {
        if f < TOO_HARD_BELOW {
            flags.push(Flag::TooHard);
        }
        if f > TOO_EASY_ABOVE {
            flags.push(Flag::TooEasy);
        }
    }
    if discrimination.is_some_and(|d| (0.0..=POOR_DISCRIMINATION_AT_MOST).contains(&d)) {
        flags.push(Flag::PoorDiscrimination);
    }
    flags.extend(
        option_counts
            .iter()
            .filter(|(_, n)| *n == 0)
            .map(|(o, _)| Flag::UnusedOption(o.clone())),
    );
    flags
}

fn hint_for(flags: &[Flag], responses: usize) -> Option<String> {
    let hint = match flags.first()? {
        Flag::TooFewResponses => {
            format!("Not enough attempts yet to judge ({responses} so far).")
        }
        Flag::NegativeDiscrimination => "Strong learners get this wrong more often than weak \
             ones — check the answer key."
            .to_owned(),
        Flag::TooHard => "Few get this right: check the wording, the answer key, and whether \
             the course teaches it."
            .to_owned(),
        Flag::TooEasy => "Almost everyone gets this right; it may test too little.".to_owned(),
        Flag::PoorDiscrimination => "This question barely separates strong from weak learners; \
             make the wrong options more plausible or the question clearer."
            .to_owned(),
        Flag::UnusedOption(_) => {
            let unused: Vec<&str> = flags
                .iter()
                .filter_map(|f| match f {
                    Flag::UnusedOption(o) => Some(o.as_str()),
                    _ => None,
                })
                .collect();
            match unused.as_slice() {
                [one] => {
                    format!("Nobody picks option {one}; replace it with a plausible mistake.")
                }
                [init @ .., last] => format!(
                    "Nobody picks options {} and {last}; replace them with plausible mistakes.",
                    init.join(", ")
                ),
                [] => return None,
            }
        }
    };
    Some(hint)
}

fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        None
    } else {
        Some(values.iter().sum::<f64>() / values.len() as f64)
    }
}

fn population_variance(values: &[f64]) -> f64 {
    let Some(m) = mean(values) else {
        return 0.0;
    };
    values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / values.len() as f64
}

/// Equal up to rounding noise: sums of the same fractions in a different order may differ in the
/// last bit, and a correlation over such noise would be meaningless.
fn is_constant(values: &[f64]) -> bool {
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    values.is_empty() || hi - lo <= 1e-9 * hi.abs().max(lo.abs()).max(1.0)
}

/// Pearson's r from raw sums, `(nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²))`, which is exact
/// for whole and half points, so a correlation of exactly 0 is not misread as slightly negative.
fn pearson(xs: &[f64], ys: &[f64]) -> Option<f64> {
    if xs.len() != ys.len() || is_constant(xs) || is_constant(ys) {
        return None;
    }
    let n = xs.len() as f64;
    let sx: f64 = xs.iter().sum();
    let sy: f64 = ys.iter().sum();
    let sxy: f64 = xs.iter().zip(ys).map(|(x, y)| x * y).sum();
    let sxx: f64 = xs.iter().map(|x| x * x).sum();
    let syy: f64 = ys.iter().map(|y| y * y).sum();
    let vx = n * sxx - sx * sx;
    let vy = n * syy - sy * sy;
    if vx <= 0.0 || vy <= 0.0 {
        return None;
    }
    Some(((n * sxy - sx * sy) / (vx * vy).sqrt()).clamp(-1.0, 1.0))
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values.get(mid).copied()
    } else {
        Some((values.get(mid.checked_sub(1)?)? + values.get(mid)?) / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EPS: f64 = 1e-6;

    fn close(actual: Option<f64>, expected: f64) {
        let a = actual.unwrap_or_else(|| panic!("expected {expected}, got None"));
        assert!(
            (a - expected).abs() < EPS,
            "expected {expected}, got {a} (diff {})",
            a - expected
        );
    }

    fn question(id: &str, options: &[&str]) -> QuestionInfo {
        QuestionInfo {
            question: id.to_owned(),
            option_ids: options.iter().map(|o| (*o).to_owned()).collect(),
        }
    }

    fn response(q: &str, points: f64, max: f64) -> ItemResponse {
        ItemResponse {
            question: q.to_owned(),
            points,
            max,
            options_chosen: Vec::new(),
            seconds: None,
        }
    }

    fn chose(mut r: ItemResponse, options: &[&str]) -> ItemResponse {
        r.options_chosen = options.iter().map(|o| (*o).to_owned()).collect();
        r
    }

    fn timed(mut r: ItemResponse, seconds: f64) -> ItemResponse {
        r.seconds = Some(seconds);
        r
    }

    fn attempt(id: i64, responses: Vec<ItemResponse>) -> AttemptResponses {
        AttemptResponses {
            attempt: id,
            responses,
        }
    }

    /// Questions `q1..qk` without options, and one attempt per row of points, ids as given.
    fn grid(maxes: &[f64], rows: &[(i64, &[f64])]) -> (Vec<QuestionInfo>, Vec<AttemptResponses>) {
        let questions = (1..=maxes.len())
            .map(|i| question(&format!("q{i}"), &[]))
            .collect();
        let attempts = rows
            .iter()
            .map(|(id, points)| {
                let responses = points
                    .iter()
                    .zip(maxes)
                    .enumerate()
                    .map(|(i, (p, m))| response(&format!("q{}", i + 1), *p, *m))
                    .collect();
                attempt(*id, responses)
            })
            .collect();
        (questions, attempts)
    }

    // ---------------------------------------------------------------------------------------
    // Data set A: 5 attempts × 3 right/wrong questions (max 1 each).
    //
    //   attempt  q1 q2 q3 | total
    //      1      1  1  1 |   3
    //      2      1  1  0 |   2
    //      3      1  0  1 |   2
    //      4      0  1  0 |   1
    //      5      0  0  0 |   0
    //
    // Ranking for the 27 % groups: n = 5, group = ⌈0.27·5⌉ = ⌈1.35⌉ = 2. Totals descending,
    // ties by id ascending: 1 (3), 2 (2), 3 (2), 4 (1), 5 (0). Upper = {1, 2}, lower = {4, 5}.
    // Attempts 2 and 3 tie at 2; the tie-break puts 2 in the upper group, which matters for q3.
    //
    // q1: x = 1,1,1,0,0 ; rest y = total − q1 = 2,1,1,1,0.
    //     facility = 3/5 = 0.6. mean x = 0.6, mean y = 5/5 = 1.0.
    //     dx = .4,.4,.4,−.6,−.6 ; dy = 1,0,0,0,−1.
    //     Sxy = .4·1 + (−.6)(−1) = 1.0 ; Sxx = 3·.16 + 2·.36 = 1.2 ; Syy = 1 + 1 = 2.
    //     r = 1.0 / √(1.2·2) = 1/√2.4 = 1/1.549193338 = 0.645497224.
    //     D = mean(1,1) − mean(0,0) = 1.0.
    // q2: x = 1,1,0,1,0 ; rest y = 2,1,2,0,0.  facility 0.6, mean y = 1.0.
    //     dx = .4,.4,−.6,.4,−.6 ; dy = 1,0,1,−1,−1.
    //     Sxy = .4 + 0 − .6 − .4 + .6 = 0 → r = 0 → PoorDiscrimination (0 ≤ r ≤ 0.1).
    //     (Raw sums: nΣxy − ΣxΣy = 5·3 − 3·5 = 0, exactly.)
    //     D = mean(1,1) − mean(1,0) = 1 − 0.5 = 0.5 (not used: r is known).
    // q3: x = 1,0,1,0,0 ; rest y = 2,2,1,1,0.  facility 2/5 = 0.4, mean y = 6/5 = 1.2.
    //     dx = .6,−.4,.6,−.4,−.4 ; dy = .8,.8,−.2,−.2,−1.2.
    //     Sxy = .48 − .32 − .12 + .08 + .48 = 0.6 ; Sxx = 2·.36 + 3·.16 = 1.2 ;
    //     Syy = .64 + .64 + .04 + .04 + 1.44 = 2.8.
    //     r = 0.6 / √(1.2·2.8) = 0.6/√3.36 = 0.6/1.833030278 = 0.327326835.
    //     D = mean(q3 of 1, 2) − mean(q3 of 4, 5) = (1+0)/2 − 0 = 0.5.
    //     (Had the tie gone to attempt 3, the upper group would be {1, 3} and D = 1.0.)
    // Times: q1 10, 20, 30, 40 and one unknown → even count, median (20+30)/2 = 25.
    //        q2 50, 5, 7 → sorted 5, 7, 50 → odd count, median 7.  q3 none → None.
    //
    // Summary: item variances p(1−p): q1 .6·.4 = .24, q2 .24, q3 .4·.6 = .24 → Σ = 0.72.
    //   totals 3,2,2,1,0: mean 1.6, squared deviations 1.96,.16,.16,.36,2.56 = 5.2 → var 1.04.
    //   α = 3/2 · (1 − 0.72/1.04) = 1.5 · 0.32/1.04 = 0.48/1.04 = 6/13 = 0.461538462.
    //   Mean score share = (3/3 + 2/3 + 2/3 + 1/3 + 0)/5 = (8/3)/5 = 8/15 = 0.533333333.
    // ---------------------------------------------------------------------------------------
    fn data_set_a() -> (Vec<QuestionInfo>, Vec<AttemptResponses>) {
        let (questions, mut attempts) = grid(
            &[1.0, 1.0, 1.0],
            &[
                (1, &[1.0, 1.0, 1.0]),
                (2, &[1.0, 1.0, 0.0]),
                (3, &[1.0, 0.0, 1.0]),
                (4, &[0.0, 1.0, 0.0]),
                (5, &[0.0, 0.0, 0.0]),
            ],
        );
        let q1_times = [Some(10.0), Some(20.0), None, Some(40.0), Some(30.0)];
        let q2_times = [Some(50.0), None, Some(5.0), None, Some(7.0)];
        for (a, (t1, t2)) in attempts.iter_mut().zip(q1_times.iter().zip(&q2_times)) {
            a.responses[0].seconds = *t1;
            a.responses[1].seconds = *t2;
        }
        (questions, attempts)
    }

    #[test]
    fn data_set_a_right_wrong_items() {
        let (questions, attempts) = data_set_a();
        let stats = analyse(&questions, &attempts);
        assert_eq!(stats.len(), 3);

        let q1 = &stats[0];
        assert_eq!(q1.question, "q1");
        assert_eq!(q1.responses, 5);
        close(q1.facility, 0.6);
        close(q1.point_biserial, 0.645_497_224);
        close(q1.discrimination_index, 1.0);
        close(q1.median_seconds, 25.0);
        assert!(q1.flags.is_empty(), "{:?}", q1.flags);
        assert_eq!(q1.hint, None);
        assert!(q1.option_counts.is_empty() && q1.option_shares.is_empty());

        let q2 = &stats[1];
        close(q2.facility, 0.6);
        assert_eq!(q2.point_biserial, Some(0.0));
        close(q2.discrimination_index, 0.5);
        close(q2.median_seconds, 7.0);
        assert_eq!(q2.flags, vec![Flag::PoorDiscrimination]);
        assert_eq!(
            q2.hint.as_deref(),
            Some(
                "This question barely separates strong from weak learners; make the wrong \
                 options more plausible or the question clearer."
            )
        );

        let q3 = &stats[2];
        close(q3.facility, 0.4);
        close(q3.point_biserial, 0.327_326_835);
        close(q3.discrimination_index, 0.5);
        assert_eq!(q3.median_seconds, None);
        assert!(q3.flags.is_empty());
    }

    #[test]
    fn data_set_a_summary() {
        let (questions, attempts) = data_set_a();
        let s = summary(&questions, &attempts);
        assert_eq!(s.attempts, 5);
        assert_eq!(s.alpha_attempts, 5);
        close(s.mean_score_share, 0.533_333_333);
        close(s.cronbach_alpha, 0.461_538_462);
    }

    #[test]
    fn ranking_ties_go_by_attempt_id_whatever_the_input_order() {
        let (questions, mut attempts) = data_set_a();
        attempts.reverse();
        let stats = analyse(&questions, &attempts);
        close(stats[2].discrimination_index, 0.5);
    }

    // ---------------------------------------------------------------------------------------
    // Data set B: partial credit, 4 attempts, q1 max 2, q2 max 1, q3 max 4 (test max 7).
    //
    //   attempt  q1 q2 q3 | total | item scores (points/max)
    //     10      2  1  3 |   6   | 1    1  .75
    //     11      1  1  4 |   6   | .5   1  1
    //     12      1  0  2 |   3   | .5   0  .5
    //     13      0  0  0 |   0   | 0    0  0
    //
    // n = 4 < 5 → every question gets only TooFewResponses, but the numbers are computed.
    // Groups: ⌈0.27·4⌉ = ⌈1.08⌉ = 2; ranking 10 (6), 11 (6), 12 (3), 13 (0);
    // upper = {10, 11}, lower = {12, 13}.
    //
    // q1: x = 1,.5,.5,0 ; rest y = total − q1 points = 4,5,2,0.
    //     facility = 2/4 = 0.5 ; mean y = 11/4 = 2.75.
    //     dx = .5,0,0,−.5 ; dy = 1.25,2.25,−.75,−2.75.
    //     Sxy = .625 + 1.375 = 2.0 ; Sxx = .25 + .25 = 0.5 ;
    //     Syy = 1.5625 + 5.0625 + .5625 + 7.5625 = 14.75.
    //     r = 2 / √(0.5·14.75) = 2/√7.375 = 2/2.715695 = 0.736459694.
    //     D = (1 + .5)/2 − (.5 + 0)/2 = .75 − .25 = 0.5.
    // q2: x = 1,1,0,0 ; rest y = 5,5,3,0.  facility 0.5 ; mean y = 13/4 = 3.25.
    //     dx = .5,.5,−.5,−.5 ; dy = 1.75,1.75,−.25,−3.25.
    //     Sxy = .875 + .875 + .125 + 1.625 = 3.5 ; Sxx = 1.0 ;
    //     Syy = 3.0625 + 3.0625 + .0625 + 10.5625 = 16.75.
    //     r = 3.5 / √16.75 = 3.5/4.092676 = 0.855186110.
    //     D = 1 − 0 = 1.0.
    // q3: x = .75,1,.5,0 ; rest y = 3,2,1,0.  facility = 2.25/4 = 0.5625 ; mean y = 1.5.
    //     dx = .1875,.4375,−.0625,−.5625 ; dy = 1.5,.5,−.5,−1.5.
    //     Sxy = .28125 + .21875 + .03125 + .84375 = 1.375 ;
    //     Sxx = .03515625 + .19140625 + .00390625 + .31640625 = 0.546875 ; Syy = 5.0.
    //     r = 1.375 / √(0.546875·5) = 1.375/√2.734375 = 1.375/1.653595 = 0.831521841.
    //     D = (.75 + 1)/2 − (.5 + 0)/2 = .875 − .25 = 0.625.
    //
    // Summary: item point variances (population): q1 2,1,1,0 mean 1 → (1+0+0+1)/4 = 0.5;
    //   q2 1,1,0,0 → .25; q3 3,4,2,0 mean 2.25 → (.5625+3.0625+.0625+5.0625)/4 = 2.1875.
    //   Σ = 2.9375. Totals 6,6,3,0 mean 3.75 → (5.0625+5.0625+.5625+14.0625)/4 = 6.1875.
    //   α = 3/2 · (1 − 2.9375/6.1875) = 1.5 · 3.25/6.1875 = 26/33 = 0.787878788.
    //   Mean score share = (6/7 + 6/7 + 3/7 + 0)/4 = 15/28 = 0.535714286.
    // ---------------------------------------------------------------------------------------
    fn data_set_b() -> (Vec<QuestionInfo>, Vec<AttemptResponses>) {
        grid(
            &[2.0, 1.0, 4.0],
            &[
                (10, &[2.0, 1.0, 3.0]),
                (11, &[1.0, 1.0, 4.0]),
                (12, &[1.0, 0.0, 2.0]),
                (13, &[0.0, 0.0, 0.0]),
            ],
        )
    }

    #[test]
    fn data_set_b_partial_credit() {
        let (questions, attempts) = data_set_b();
        let stats = analyse(&questions, &attempts);

        let expected = [
            (0.5, 0.736_459_694, 0.5),
            (0.5, 0.855_186_110, 1.0),
            (0.5625, 0.831_521_841, 0.625),
        ];
        for (s, (facility, pb, d)) in stats.iter().zip(expected) {
            assert_eq!(s.responses, 4);
            close(s.facility, facility);
            close(s.point_biserial, pb);
            close(s.discrimination_index, d);
            assert_eq!(s.flags, vec![Flag::TooFewResponses]);
            assert_eq!(
                s.hint.as_deref(),
                Some("Not enough attempts yet to judge (4 so far).")
            );
        }

        let s = summary(&questions, &attempts);
        assert_eq!(s.attempts, 4);
        close(s.cronbach_alpha, 0.787_878_788);
        close(s.mean_score_share, 0.535_714_286);
    }

    // ---------------------------------------------------------------------------------------
    // Data set C: a wrong answer key. 6 attempts × 4 right/wrong questions. q1 offers x (key)
    // and y; q4 offers a, b, c, d with key a, but the strong learners all pick b (the author
    // meant b) and nobody picks c or d.
    //
    //   attempt  q1 (opt) q2 q3 q4 (opt) | total
    //      1      1  x     1  1  0  b    |   3
    //      2      1  x     1  1  0  b    |   3
    //      3      0  y     1  1  0  b    |   2
    //      4      0  y     0  1  1  a    |   2
    //      5      0  y     0  0  1  a    |   1
    //      6      0  y     0  0  1  a    |   1
    //
    // Groups: ⌈0.27·6⌉ = ⌈1.62⌉ = 2 ; ranking 1, 2 (3), 3, 4 (2), 5, 6 (1);
    // upper = {1, 2}, lower = {5, 6}.
    //
    // q1: x = 1,1,0,0,0,0 ; rest = 2,2,2,2,1,1.  facility 2/6 = 0.333333333.
    //     mean x = 1/3, mean y = 10/6 = 5/3.
    //     Sxy = Σxy − n·x̄·ȳ = 4 − 6·(1/3)(5/3) = 4 − 10/3 = 2/3 ;
    //     Sxx = Σx² − n·x̄² = 2 − 6/9 = 4/3 ; Syy = Σy² − n·ȳ² = 18 − 50/3 = 4/3.
    //     r = (2/3) / √(4/3 · 4/3) = (2/3)/(4/3) = 0.5.  D = 1 − 0 = 1.
    //     Options: x chosen by 2, y by 4 → shares 1/3, 2/3. No flags.
    // q2: x = 1,1,1,0,0,0 ; rest = 2,2,1,2,1,1.  facility 0.5 ; mean y = 9/6 = 1.5.
    //     Sxy = 5 − 6·.5·1.5 = 0.5 ; Sxx = 3 − 1.5 = 1.5 ; Syy = 15 − 13.5 = 1.5.
    //     r = 0.5/1.5 = 0.333333333.  D = 1 − 0 = 1.  No flags.
    // q3: x = 1,1,1,1,0,0 ; rest = 2,2,1,1,1,1.  facility 4/6 = 0.666666667 ; mean y = 8/6.
    //     Sxy = 6 − 6·(2/3)(4/3) = 6 − 16/3 = 2/3 ; Sxx = 4 − 8/3 = 4/3 ;
    //     Syy = 12 − 6·16/9 = 12 − 32/3 = 4/3.  r = (2/3)/(4/3) = 0.5.  D = 1 − 0 = 1.
    // q4: x = 0,0,0,1,1,1 ; rest = q1+q2+q3 = 3,3,2,1,0,0.  facility 0.5 ; mean y = 9/6 = 1.5.
    //     dx = −.5,−.5,−.5,.5,.5,.5 ; dy = 1.5,1.5,.5,−.5,−1.5,−1.5.
    //     Sxy = −.75 −.75 −.25 −.25 −.75 −.75 = −3.5 ; Sxx = 6·.25 = 1.5 ;
    //     Syy = 2.25+2.25+.25+.25+2.25+2.25 = 9.5.
    //     r = −3.5 / √(1.5·9.5) = −3.5/√14.25 = −3.5/3.774917 = −0.927172650.
    //     D = mean(0, 0) − mean(1, 1) = −1.
    //     Options: a 3, b 3, c 0, d 0 → shares .5, .5, 0, 0.
    //     Flags: NegativeDiscrimination, UnusedOption(c), UnusedOption(d); hint: answer key.
    //
    // Summary: item variances p(1−p): 2/9, 1/4, 2/9, 1/4 → Σ = 17/18.
    //   Totals 3,3,2,2,1,1: mean 2, var (1+1+0+0+1+1)/6 = 2/3.
    //   α = 4/3 · (1 − (17/18)/(2/3)) = 4/3 · (1 − 17/12) = 4/3 · (−5/12) = −5/9 = −0.555555556
    //   (negative: the bad key makes q4 work against the rest of the test).
    //   Mean score share = (.75+.75+.5+.5+.25+.25)/6 = 0.5.
    // ---------------------------------------------------------------------------------------
    fn data_set_c() -> (Vec<QuestionInfo>, Vec<AttemptResponses>) {
        let questions = vec![
            question("q1", &["x", "y"]),
            question("q2", &[]),
            question("q3", &[]),
            question("q4", &["a", "b", "c", "d"]),
        ];
        let rows: [(i64, [f64; 4], &str, &str); 6] = [
            (1, [1.0, 1.0, 1.0, 0.0], "x", "b"),
            (2, [1.0, 1.0, 1.0, 0.0], "x", "b"),
            (3, [0.0, 1.0, 1.0, 0.0], "y", "b"),
            (4, [0.0, 0.0, 1.0, 1.0], "y", "a"),
            (5, [0.0, 0.0, 0.0, 1.0], "y", "a"),
            (6, [0.0, 0.0, 0.0, 1.0], "y", "a"),
        ];
        let attempts = rows
            .iter()
            .map(|(id, p, o1, o4)| {
                attempt(
                    *id,
                    vec![
                        chose(response("q1", p[0], 1.0), &[o1]),
                        response("q2", p[1], 1.0),
                        response("q3", p[2], 1.0),
                        chose(response("q4", p[3], 1.0), &[o4]),
                    ],
                )
            })
            .collect();
        (questions, attempts)
    }

    #[test]
    fn data_set_c_wrong_key_discriminates_negatively() {
        let (questions, attempts) = data_set_c();
        let stats = analyse(&questions, &attempts);

        let q1 = &stats[0];
        close(q1.facility, 0.333_333_333);
        close(q1.point_biserial, 0.5);
        close(q1.discrimination_index, 1.0);
        assert_eq!(
            q1.option_counts,
            vec![("x".to_owned(), 2), ("y".to_owned(), 4)]
        );
        close(Some(q1.option_shares[0].1), 0.333_333_333);
        close(Some(q1.option_shares[1].1), 0.666_666_667);
        assert!(q1.flags.is_empty());

        close(stats[1].facility, 0.5);
        close(stats[1].point_biserial, 0.333_333_333);
        close(stats[1].discrimination_index, 1.0);
        assert!(stats[1].flags.is_empty());

        close(stats[2].facility, 0.666_666_667);
        close(stats[2].point_biserial, 0.5);
        close(stats[2].discrimination_index, 1.0);
        assert!(stats[2].flags.is_empty());

        let q4 = &stats[3];
        assert_eq!(q4.responses, 6);
        close(q4.facility, 0.5);
        close(q4.point_biserial, -0.927_172_650);
        close(q4.discrimination_index, -1.0);
        assert_eq!(
            q4.option_counts,
            vec![
                ("a".to_owned(), 3),
                ("b".to_owned(), 3),
                ("c".to_owned(), 0),
                ("d".to_owned(), 0),
            ]
        );
        let shares: Vec<f64> = q4.option_shares.iter().map(|(_, s)| *s).collect();
        assert_eq!(shares, vec![0.5, 0.5, 0.0, 0.0]);
        assert_eq!(
            q4.flags,
            vec![
                Flag::NegativeDiscrimination,
                Flag::UnusedOption("c".to_owned()),
                Flag::UnusedOption("d".to_owned()),
            ]
        );
        assert_eq!(
            q4.hint.as_deref(),
            Some(
                "Strong learners get this wrong more often than weak ones — check the answer key."
            )
        );

        let s = summary(&questions, &attempts);
        close(s.cronbach_alpha, -0.555_555_556);
        close(s.mean_score_share, 0.5);
    }

    // ---------------------------------------------------------------------------------------
    // Data set D: extremes. 5 attempts; "easy" everyone right, "hard" nobody right,
    // "mid" 1,1,0,0,0 (points 1 each).
    //   totals: 1: 2, 2: 2, 3: 1, 4: 1, 5: 1 ; groups of ⌈1.35⌉ = 2: upper {1,2}, lower {4,5}.
    //   easy: facility 5/5 = 1 > .95 → TooEasy ; x constant → r None ; D = 1 − 1 = 0 → used
    //         instead of r: 0 ≤ 0 ≤ .1 → PoorDiscrimination. Flags [TooEasy, PoorDiscrimination].
    //   hard: facility 0 < .2 → TooHard ; r None ; D = 0 − 0 = 0 → PoorDiscrimination.
    //   mid: facility .4 ; x = 1,1,0,0,0, rest = 1,1,1,1,1 is constant → r None ; D = 1 − 0 = 1.
    // ---------------------------------------------------------------------------------------
    #[test]
    fn data_set_d_too_easy_and_too_hard() {
        let questions = vec![
            question("easy", &[]),
            question("hard", &[]),
            question("mid", &[]),
        ];
        let attempts: Vec<AttemptResponses> = [1.0, 1.0, 0.0, 0.0, 0.0]
            .iter()
            .zip(1..)
            .map(|(mid, id)| {
                attempt(
                    id,
                    vec![
                        response("easy", 1.0, 1.0),
                        response("hard", 0.0, 1.0),
                        response("mid", *mid, 1.0),
                    ],
                )
            })
            .collect();
        let stats = analyse(&questions, &attempts);

        close(stats[0].facility, 1.0);
        assert_eq!(stats[0].point_biserial, None);
        close(stats[0].discrimination_index, 0.0);
        assert_eq!(
            stats[0].flags,
            vec![Flag::TooEasy, Flag::PoorDiscrimination]
        );
        assert_eq!(
            stats[0].hint.as_deref(),
            Some("Almost everyone gets this right; it may test too little.")
        );

        close(stats[1].facility, 0.0);
        assert_eq!(stats[1].point_biserial, None);
        assert_eq!(
            stats[1].flags,
            vec![Flag::TooHard, Flag::PoorDiscrimination]
        );
        assert_eq!(
            stats[1].hint.as_deref(),
            Some(
                "Few get this right: check the wording, the answer key, and whether the course \
                 teaches it."
            )
        );

        assert_eq!(stats[2].point_biserial, None);
        close(stats[2].discrimination_index, 1.0);
        assert!(stats[2].flags.is_empty());
    }

    #[test]
    fn thresholds_are_strict() {
        // 19 of 20 right is exactly 0.95: not too easy. 1 of 5 right is exactly 0.2: not too hard.
        let nineteen: Vec<AttemptResponses> = (0..20)
            .map(|i| attempt(i, vec![response("q", if i == 0 { 0.0 } else { 1.0 }, 1.0)]))
            .collect();
        let s = &analyse(&[question("q", &[])], &nineteen)[0];
        close(s.facility, 0.95);
        assert!(!s.flags.contains(&Flag::TooEasy), "{:?}", s.flags);

        let one: Vec<AttemptResponses> = (0..5)
            .map(|i| attempt(i, vec![response("q", if i == 0 { 1.0 } else { 0.0 }, 1.0)]))
            .collect();
        let s = &analyse(&[question("q", &[])], &one)[0];
        close(s.facility, 0.2);
        assert!(!s.flags.contains(&Flag::TooHard), "{:?}", s.flags);
    }

    #[test]
    fn no_attempts() {
        let questions = vec![question("q1", &["a", "b"])];
        let stats = analyse(&questions, &[]);
        let s = &stats[0];
        assert_eq!(s.responses, 0);
        assert_eq!(s.facility, None);
        assert_eq!(s.point_biserial, None);
        assert_eq!(s.discrimination_index, None);
        assert_eq!(s.median_seconds, None);
        assert_eq!(
            s.option_counts,
            vec![("a".to_owned(), 0), ("b".to_owned(), 0)]
        );
        assert!(s.option_shares.is_empty());
        assert_eq!(s.flags, vec![Flag::TooFewResponses]);
        assert_eq!(
            s.hint.as_deref(),
            Some("Not enough attempts yet to judge (0 so far).")
        );

        let sum = summary(&questions, &[]);
        assert_eq!(sum.attempts, 0);
        assert_eq!(sum.mean_score_share, None);
        assert_eq!(sum.cronbach_alpha, None);
        assert!(analyse(&[], &[]).is_empty());
    }

    #[test]
    fn one_attempt() {
        let questions = vec![question("q1", &["a", "b"]), question("q2", &[])];
        let attempts = vec![attempt(
            7,
            vec![
                timed(chose(response("q1", 1.0, 2.0), &["a"]), 12.0),
                response("q2", 3.0, 3.0),
            ],
        )];
        let stats = analyse(&questions, &attempts);
        let s = &stats[0];
        assert_eq!(s.responses, 1);
        close(s.facility, 0.5);
        assert_eq!(s.point_biserial, None);
        assert_eq!(s.discrimination_index, None);
        close(s.median_seconds, 12.0);
        assert_eq!(
            s.option_shares,
            vec![("a".to_owned(), 1.0), ("b".to_owned(), 0.0)]
        );
        // b is unused, but one response is noise: only TooFewResponses.
        assert_eq!(s.flags, vec![Flag::TooFewResponses]);

        let sum = summary(&questions, &attempts);
        assert_eq!(sum.attempts, 1);
        close(sum.mean_score_share, 4.0 / 5.0);
        assert_eq!(sum.cronbach_alpha, None);
    }

    #[test]
    fn equal_scores_give_no_correlation() {
        // Everyone scores 1 of 2 on both questions: both sides constant.
        let (questions, attempts) = grid(
            &[2.0, 2.0],
            &[
                (1, &[1.0, 1.0]),
                (2, &[1.0, 1.0]),
                (3, &[1.0, 1.0]),
                (4, &[1.0, 1.0]),
                (5, &[1.0, 1.0]),
            ],
        );
        let stats = analyse(&questions, &attempts);
        close(stats[0].facility, 0.5);
        assert_eq!(stats[0].point_biserial, None);
        close(stats[0].discrimination_index, 0.0);
        assert_eq!(stats[0].flags, vec![Flag::PoorDiscrimination]);
        assert_eq!(summary(&questions, &attempts).cronbach_alpha, None);
    }

    #[test]
    fn point_biserial_needs_three_and_groups_need_four() {
        // q1 x = 1,0,1 ; rest (q2) y = 1,0,0. mean x 2/3, mean y 1/3.
        // Sxy = Σxy − n x̄ ȳ = 1 − 3·(2/3)(1/3) = 1/3 ; Sxx = 2 − 4/3 = 2/3 ; Syy = 1 − 1/3 = 2/3.
        // r = (1/3)/(2/3) = 0.5. n = 3 < 4 → D None.
        let (questions, attempts) = grid(
            &[1.0, 1.0],
            &[(1, &[1.0, 1.0]), (2, &[0.0, 0.0]), (3, &[1.0, 0.0])],
        );
        let s = &analyse(&questions, &attempts)[0];
        close(s.point_biserial, 0.5);
        assert_eq!(s.discrimination_index, None);

        let (questions, attempts) = grid(&[1.0, 1.0], &[(1, &[1.0, 1.0]), (2, &[0.0, 0.0])]);
        assert_eq!(analyse(&questions, &attempts)[0].point_biserial, None);
    }

    #[test]
    fn group_size_rounds_up_without_float_error() {
        // n = 100: 27 % is exactly 27 (0.27 × 100 in floating point would round up to 28).
        // Attempts 0..100 score their id as points out of 100 on one question; the upper group
        // is ids 73..=99 (mean share (73+99)/2/100 = 0.86), the lower ids 0..=26 (mean 0.13).
        // D = 0.86 − 0.13 = 0.73. With 28 per group it would be 0.855 − 0.135 = 0.72.
        let attempts: Vec<AttemptResponses> = (0..100)
            .map(|i| attempt(i, vec![response("q", i as f64, 100.0)]))
            .collect();
        let s = &analyse(&[question("q", &[])], &attempts)[0];
        close(s.discrimination_index, 0.73);
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![4.0]), Some(4.0));
        assert_eq!(median(vec![9.0, 1.0]), Some(5.0));
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![8.0, 1.0, 4.0, 2.0]), Some(3.0));
    }

    #[test]
    fn unknown_and_repeated_options() {
        // Five responses to a choice question with options a, b, c:
        //   [a], [a, a], [a, z], [b, c], [a, b]  (z is not an option; "a, a" names a twice).
        // a: responses 1, 2, 3, 5 → 4 ; b: 4, 5 → 2 ; c: 4 → 1. Unknown picks: z once.
        // Shares: 4/5, 2/5, 1/5.
        let questions = vec![question("q", &["a", "b", "c"])];
        let picks: [&[&str]; 5] = [&["a"], &["a", "a"], &["a", "z"], &["b", "c"], &["a", "b"]];
        let attempts: Vec<AttemptResponses> = picks
            .iter()
            .zip(1..)
            .map(|(p, id)| attempt(id, vec![chose(response("q", 1.0, 1.0), p)]))
            .collect();
        let s = &analyse(&questions, &attempts)[0];
        assert_eq!(s.responses, 5);
        assert_eq!(
            s.option_counts,
            vec![
                ("a".to_owned(), 4),
                ("b".to_owned(), 2),
                ("c".to_owned(), 1)
            ]
        );
        let shares: Vec<f64> = s.option_shares.iter().map(|(_, v)| *v).collect();
        assert_eq!(shares, vec![0.8, 0.4, 0.2]);
        assert_eq!(s.unknown_option_picks, 1);
    }

    #[test]
    fn unused_options_hint_names_them_all() {
        // Five responses all choosing a, all right, options a..d: b, c, d unused.
        let questions = vec![question("q", &["a", "b", "c", "d"]), question("r", &[])];
        let attempts: Vec<AttemptResponses> = [1.0, 1.0, 0.0, 1.0, 0.0]
            .iter()
            .zip(1..)
            .map(|(r, id)| {
                attempt(
                    id,
                    vec![
                        chose(response("q", *r, 1.0), &["a"]),
                        response("r", *r, 1.0),
                    ],
                )
            })
            .collect();
        let s = &analyse(&questions, &attempts)[0];
        // q equals r on every attempt: x = 1,1,0,1,0 and rest = x → r = 1, no discrimination flag.
        close(s.point_biserial, 1.0);
        assert_eq!(
            s.flags,
            vec![
                Flag::UnusedOption("b".to_owned()),
                Flag::UnusedOption("c".to_owned()),
                Flag::UnusedOption("d".to_owned()),
            ]
        );
        assert_eq!(
            s.hint.as_deref(),
            Some("Nobody picks options b, c and d; replace them with plausible mistakes.")
        );
        assert_eq!(
            hint_for(&[Flag::UnusedOption("c".to_owned())], 9).as_deref(),
            Some("Nobody picks option c; replace it with a plausible mistake.")
        );
    }

    #[test]
    fn input_rules() {
        // Attempt 1: unknown question ignored (also in the total), duplicate q1 ignored,
        // points above max clamped, negative and NaN time ignored.
        // Attempt 2: a 0-max response is not scored → attempt 2 has only q2.
        // Attempt 3: nothing scorable → ignored entirely.
        let questions = vec![question("q1", &[]), question("q2", &[])];
        let attempts = vec![
            attempt(
                1,
                vec![
                    timed(response("q1", 5.0, 2.0), -1.0),
                    response("q1", 0.0, 2.0),
                    response("zz", 9.0, 9.0),
                    timed(response("q2", 1.0, 4.0), f64::NAN),
                ],
            ),
            attempt(2, vec![response("q1", 0.0, 0.0), response("q2", 2.0, 4.0)]),
            attempt(3, vec![response("q1", f64::NAN, 1.0)]),
        ];
        let stats = analyse(&questions, &attempts);
        assert_eq!(stats[0].responses, 1);
        close(stats[0].facility, 1.0);
        assert_eq!(stats[0].median_seconds, None);
        assert_eq!(stats[1].responses, 2);
        close(stats[1].facility, (0.25 + 0.5) / 2.0);

        // Totals: attempt 1 = 2 + 1 = 3 of 6 ; attempt 2 = 2 of 4. Mean share (.5 + .5)/2.
        // Only attempt 1 answered both questions → alpha None.
        let s = summary(&questions, &attempts);
        assert_eq!(s.attempts, 2);
        close(s.mean_score_share, 0.5);
        assert_eq!(s.alpha_attempts, 1);
        assert_eq!(s.cronbach_alpha, None);
    }

    #[test]
    fn unanswered_questions_leave_attempts_out_of_that_item() {
        // Random draw: attempt 3 never saw q2. q2 statistics use attempts 1, 2, 4, 5 only.
        // q2 x = 1,0,1,0 (attempts 1,2,4,5); facility 0.5.
        let questions = vec![question("q1", &[]), question("q2", &[])];
        let rows: [(i64, f64, Option<f64>); 5] = [
            (1, 1.0, Some(1.0)),
            (2, 1.0, Some(0.0)),
            (3, 1.0, None),
            (4, 0.0, Some(1.0)),
            (5, 0.0, Some(0.0)),
        ];
        let attempts: Vec<AttemptResponses> = rows
            .iter()
            .map(|(id, a, b)| {
                let mut responses = vec![response("q1", *a, 1.0)];
                if let Some(b) = b {
                    responses.push(response("q2", *b, 1.0));
                }
                attempt(*id, responses)
            })
            .collect();
        let stats = analyse(&questions, &attempts);
        assert_eq!(stats[0].responses, 5);
        assert_eq!(stats[1].responses, 4);
        close(stats[1].facility, 0.5);
        assert_eq!(summary(&questions, &attempts).alpha_attempts, 4);
    }
}
