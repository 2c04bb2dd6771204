//! How an answer to a question scores: arithmetic on the question's key, nothing else.
//! Answers come from browsers, so a malformed one (wrong kind, unknown or repeated ids) scores
//! zero instead of failing: the attempt is still recorded and the learner still sees a result.

use std::collections::HashSet;

use crate::question::{
    Answer, ChoiceOption, GradedNumber, GradedText, MatchPair, OrderItem, Question, QuestionBody,
    Score,
};

/// The feedback an essay shows until a reviewer scores it (decision 0043).
pub const ESSAY_PENDING: &str =
    "Waiting for review: a reviewer scores this answer with the question's rubric.";

/// Scores `answer` against `question`. Never panics; an answer of the wrong shape, with
/// unknown ids or with repeated ids earns 0 points and no feedback.
///
/// Full credit gives exactly `question.points`; partial credit is rounded to 4 decimals.
/// `feedback` holds the non-empty feedback of the chosen options in option order (choice
/// kinds) or of the chosen value (true/false); other kinds give none.
pub fn score(question: &Question, answer: &Answer) -> Score {
    let outcome = match (&question.body, answer) {
        (QuestionBody::SingleChoice { options }, Answer::Choices(chosen)) => {
            single_choice(options, chosen)
        }
        (
            QuestionBody::MultipleChoice {
                options,
                partial_credit,
            },
            Answer::Choices(chosen),
        ) => multiple_choice(options, chosen, *partial_credit),
        (
            QuestionBody::TrueFalse {
                answer: key,
                feedback_true,
                feedback_false,
            },
            Answer::Bool(given),
        ) => {
            let feedback = if *given {
                feedback_true
            } else {
                feedback_false
            };
            Outcome::all_or_nothing(given == key, non_empty(feedback))
        }
        (
            QuestionBody::ShortText {
                accepted,
                case_sensitive,
                feedback,
                others,
            },
            Answer::Text(given),
        ) => short_text(accepted, *case_sensitive, feedback, others, given),
        (
            QuestionBody::Number {
                value,
                tolerance,
                feedback,
                others,
            },
            Answer::Number(given),
        ) => number(*value, *tolerance, feedback, others, *given),
        (QuestionBody::Essay { .. }, Answer::Text(_)) => Outcome {
            share: 0.0,
            correct: false,
            feedback: vec![ESSAY_PENDING.to_owned()],
        },
        (
            QuestionBody::Ordering {
                items,
                partial_credit,
            },
            Answer::Order(order),
        ) => ordering(items, order, *partial_credit),
        (
            QuestionBody::Matching {
                pairs,
                partial_credit,
                ..
            },
            Answer::Matches(matches),
        ) => matching(pairs, matches, *partial_credit),
        _ => Outcome::zero(),
    };
    outcome.into_score(question.max_points())
}

/// Trims, collapses inner runs of whitespace to one space and, unless `case_sensitive`,
/// lower-cases (Unicode-aware): the form in which short-text answers are compared.
pub fn normalise_text(raw: &str, case_sensitive: bool) -> String {
    let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if case_sensitive {
        collapsed
    } else {
        collapsed.to_lowercase()
    }
}

/// Whether a normalised answer `given` matches a normalised accepted answer `pattern`, as
/// Moodle's short answers do: each run of `*` stands for any characters (none included),
/// `\*` for a star itself; without a `*` the two must be equal. A blank answer matches
/// nothing, not even `*`.
pub fn text_matches(pattern: &str, given: &str) -> bool {
    if given.is_empty() {
        return false;
    }
    if !pattern.contains('*') {
        return pattern == given;
    }
    let parts = wildcard_parts(pattern);
    let (Some((first, middle_and_last)), Some(last)) = (parts.split_first(), parts.last()) else {
        return pattern == given;
    };
    let Some(middle) = middle_and_last.split_last().map(|(_, m)| m) else {
        // No unescaped star: the pattern is one literal part.
        return first == given;
    };
    let Some(mut rest) = given.strip_prefix(first.as_str()) else {
        return false;
    };
    for part in middle {
        match rest.find(part.as_str()) {
            Some(at) => rest = rest.get(at + part.len()..).unwrap_or_default(),
            None => return false,
        }
    }
    rest.ends_with(last.as_str())
}

/// The literal parts of a wildcard pattern, split at each run of unescaped `*` (`\*` is a
/// star inside a part; any other backslash is kept).
fn wildcard_parts(pattern: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = pattern.chars().peekable();
    let mut after_star = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'*') => {
                chars.next();
                if let Some(p) = parts.last_mut() {
                    p.push('*');
                }
                after_star = false;
            }
            '*' => {
                if !after_star {
                    parts.push(String::new());
                }
                after_star = true;
            }
            _ => {
                if let Some(p) = parts.last_mut() {
                    p.push(c);
                }
                after_star = false;
            }
        }
    }
    parts
}

/// Whether `given` is within `tolerance` of `value`. A hair of slack (relative to the size
/// of `value`) absorbs float noise such as `0.1 + 0.2`; non-finite numbers never match.
fn number_matches(value: f64, tolerance: f64, given: f64) -> bool {
    if !(value.is_finite() && tolerance.is_finite() && given.is_finite()) {
        return false;
    }
    let slack = 1e-9 * value.abs().max(1.0);
    (given - value).abs() <= tolerance + slack
}

/// The share of the points an answer earned, before it is turned into a `Score`.
struct Outcome {
    /// 0.0 ..= 1.0.
    share: f64,
    /// Fully right; full points regardless of rounding.
    correct: bool,
    feedback: Vec<String>,
}

impl Outcome {
    fn zero() -> Self {
        Self {
            share: 0.0,
            correct: false,
            feedback: Vec::new(),
        }
    }

    fn all_or_nothing(correct: bool, feedback: Vec<String>) -> Self {
        Self {
            share: if correct { 1.0 } else { 0.0 },
            correct,
            feedback,
        }
    }

    fn into_score(self, max: f64) -> Score {
        let points = if self.correct {
            max
        } else if self.share.is_finite() && self.share > 0.0 && max.is_finite() {
            round4(max * self.share.min(1.0))
        } else {
            0.0
        };
        Score {
            points,
            max,
            correct: self.correct,
            feedback: self.feedback,
        }
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn non_empty(feedback: &str) -> Vec<String> {
    if feedback.trim().is_empty() {
        Vec::new()
    } else {
        vec![feedback.to_owned()]
    }
}

/// Which options were chosen, in option order; `None` when an id is unknown or repeated.
fn chosen_mask(options: &[ChoiceOption], chosen: &[String]) -> Option<Vec<bool>> {
    let mut mask = vec![false; options.len()];
    for id in chosen {
        let index = options.iter().position(|o| &o.id == id)?;
        if std::mem::replace(&mut mask[index], true) {
            return None;
        }
    }
    Some(mask)
}

fn feedback_of(options: &[ChoiceOption], mask: &[bool]) -> Vec<String> {
    options
        .iter()
        .zip(mask)
        .filter(|(_, chosen)| **chosen)
        .flat_map(|(o, _)| non_empty(&o.feedback))
        .collect()
}

fn single_choice(options: &[ChoiceOption], chosen: &[String]) -> Outcome {
    let [id] = chosen else {
        return Outcome::zero();
    };
    match options.iter().find(|o| &o.id == id) {
        Some(option) if !option.correct && option.weight.is_some() => Outcome {
            share: option.weight.unwrap_or(0.0).max(0.0) / 100.0,
            correct: false,
            feedback: non_empty(&option.feedback),
        },
        Some(option) => Outcome::all_or_nothing(option.correct, non_empty(&option.feedback)),
        None => Outcome::zero(),
    }
}

/// With weights (GIFT's `%n%`) the chosen options' weights add up, from 0 to 100 %; an
/// option without a weight counts 100 % if correct, else 0.
fn weighted_choice(options: &[ChoiceOption], mask: &[bool]) -> Outcome {
    let sum: f64 = options
        .iter()
        .zip(mask)
        .filter(|(_, chosen)| **chosen)
        .map(|(o, _)| o.weight.unwrap_or(if o.correct { 100.0 } else { 0.0 }))
        .sum();
    let share = (sum / 100.0).clamp(0.0, 1.0);
    Outcome {
        share,
        correct: share > 0.9999,
        feedback: feedback_of(options, mask),
    }
}

fn short_text(
    accepted: &[String],
    case_sensitive: bool,
    feedback: &[String],
    others: &[GradedText],
    given: &str,
) -> Outcome {
    let given = normalise_text(given, case_sensitive);
    let same = |a: &str| text_matches(&normalise_text(a, case_sensitive), &given);
    if let Some(i) = accepted.iter().position(|a| same(a)) {
        let said = feedback.get(i).map(String::as_str).unwrap_or_default();
        return Outcome::all_or_nothing(true, non_empty(said));
    }
    best_graded(
        others
            .iter()
            .filter(|o| same(&o.text))
            .map(|o| (o.weight, &o.feedback)),
    )
}

fn number(
    value: f64,
    tolerance: f64,
    feedback: &str,
    others: &[GradedNumber],
    given: f64,
) -> Outcome {
    if number_matches(value, tolerance, given) {
        return Outcome::all_or_nothing(true, non_empty(feedback));
    }
    best_graded(
        others
            .iter()
            .filter(|o| number_matches(o.value, o.tolerance, given))
            .map(|o| (o.weight, &o.feedback)),
    )
}

/// The best weighted answer hit, with its feedback; nothing hit scores zero.
fn best_graded<'a>(hits: impl Iterator<Item = (f64, &'a String)>) -> Outcome {
    let best = hits.fold(None::<(f64, &String)>, |best, (w, f)| match best {
        Some((b, _)) if b >= w => best,
        _ => Some((w, f)),
    });
    match best {
        Some((weight, feedback)) => {
            let share = (weight / 100.0).clamp(0.0, 1.0);
            Outcome {
                share,
                correct: share > 0.9999,
                feedback: non_empty(feedback),
            }
        }
        None => Outcome::zero(),
    }
}

fn multiple_choice(options: &[ChoiceOption], chosen: &[String], partial_credit: bool) -> Outcome {
    let Some(mask) = chosen_mask(options, chosen) else {
        return Outcome::zero();
    };
    if options.iter().any(|o| o.weight.is_some()) {
        return weighted_choice(options, &mask);
    }
    let key_count = options.iter().filter(|o| o.correct).count();
    let right = options
        .iter()
        .zip(&mask)
        .filter(|(o, c)| o.correct && **c)
        .count();
    let wrong = options
        .iter()
        .zip(&mask)
        .filter(|(o, c)| !o.correct && **c)
        .count();
    let correct = key_count > 0 && right == key_count && wrong == 0;
    let share = if correct {
        1.0
    } else if partial_credit && key_count > 0 && right > wrong {
        (right - wrong) as f64 / key_count as f64
    } else {
        0.0
    };
    Outcome {
        share,
        correct,
        feedback: feedback_of(options, &mask),
    }
}

fn ordering(items: &[OrderItem], order: &[String], partial_credit: bool) -> Outcome {
    let n = items.len();
    if n == 0 || order.len() != n {
        return Outcome::zero();
    }
    let mut seen = HashSet::new();
    let is_permutation = order
        .iter()
        .all(|id| items.iter().any(|item| &item.id == id) && seen.insert(id));
    if !is_permutation {
        return Outcome::zero();
    }
    let in_place = items
        .iter()
        .zip(order)
        .filter(|(item, id)| &item.id == *id)
        .count();
    let correct = in_place == n;
    let share = if partial_credit || correct {
        in_place as f64 / n as f64
    } else {
        0.0
    };
    Outcome {
        share,
        correct,
        feedback: Vec::new(),
    }
}

fn matching(pairs: &[MatchPair], matches: &[(String, String)], partial_credit: bool) -> Outcome {
    let n = pairs.len();
    // A left the question does not have can only come from a tampered request.
    if n == 0
        || matches
            .iter()
            .any(|(left, _)| !pairs.iter().any(|p| &p.id == left))
    {
        return Outcome::zero();
    }
    // A left counts once: matched exactly once, to its own right. A left given twice is
    // wrong even if one of its matches is right, so guessing every right for it earns nothing.
    let right_lefts = pairs
        .iter()
        .filter(|pair| {
            let mut given = matches.iter().filter(|(left, _)| *left == pair.id);
            matches!((given.next(), given.next()), (Some((_, right)), None) if *right == pair.id)
        })
        .count();
    let correct = right_lefts == n;
    let share = if partial_credit || correct {
        right_lefts as f64 / n as f64
    } else {
        0.0
    };
    Outcome {
        share,
        correct,
        feedback: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn choices(list: &[&str]) -> Answer {
        Answer::Choices(ids(list))
    }

    fn order(list: &[&str]) -> Answer {
        Answer::Order(ids(list))
    }

    fn matches(list: &[(&str, &str)]) -> Answer {
        Answer::Matches(
            list.iter()
                .map(|(l, r)| ((*l).to_owned(), (*r).to_owned()))
                .collect(),
        )
    }

    fn option(id: &str, correct: bool, feedback: &str) -> ChoiceOption {
        ChoiceOption {
            id: id.to_owned(),
            text: format!("Option {id}"),
            correct,
            feedback: feedback.to_owned(),
            weight: None,
        }
    }

    fn question(body: QuestionBody, points: f64) -> Question {
        Question {
            prompt: "Which?".to_owned(),
            body,
            points,
            explanation: "Because.".to_owned(),
        }
    }

    fn items(list: &[&str]) -> Vec<OrderItem> {
        list.iter()
            .map(|id| OrderItem {
                id: (*id).to_owned(),
                text: format!("Item {id}"),
            })
            .collect()
    }

    fn pairs(list: &[&str]) -> Vec<MatchPair> {
        list.iter()
            .map(|id| MatchPair {
                id: (*id).to_owned(),
                left: format!("Left {id}"),
                right: format!("Right {id}"),
            })
            .collect()
    }

    /// Each case: answer, expected points, expected `correct`; `max` is always the points.
    fn check(q: &Question, cases: &[(Answer, f64, bool)]) {
        for (answer, points, correct) in cases {
            let s = score(q, answer);
            assert_eq!(
                (s.points, s.correct, s.max),
                (*points, *correct, q.points),
                "{} answered {answer:?}",
                q.kind_name()
            );
        }
    }

    // --- single choice -----------------------------------------------------------------

    fn single() -> Question {
        question(
            QuestionBody::SingleChoice {
                options: vec![
                    option("a", true, "Yes, a."),
                    option("b", false, "Not b."),
                    option("c", false, ""),
                ],
            },
            2.0,
        )
    }

    #[test]
    fn single_choice_scores_only_the_one_correct_id() {
        check(
            &single(),
            &[
                (choices(&["a"]), 2.0, true),
                (choices(&["b"]), 0.0, false),
                (choices(&["c"]), 0.0, false),
                // Empty, two choices, the right one twice, unknown, wrong case.
                (choices(&[]), 0.0, false),
                (choices(&["a", "b"]), 0.0, false),
                (choices(&["a", "a"]), 0.0, false),
                (choices(&["z"]), 0.0, false),
                (choices(&["A"]), 0.0, false),
                (choices(&[""]), 0.0, false),
                // Wrong shapes.
                (Answer::Bool(true), 0.0, false),
                (Answer::Text("a".to_owned()), 0.0, false),
                (order(&["a"]), 0.0, false),
                (matches(&[("a", "a")]), 0.0, false),
            ],
        );
    }

    #[test]
    fn single_choice_feedback_is_the_chosen_options_own() {
        let q = single();
        assert_eq!(score(&q, &choices(&["a"])).feedback, ["Yes, a."]);
        assert_eq!(score(&q, &choices(&["b"])).feedback, ["Not b."]);
        assert!(score(&q, &choices(&["c"])).feedback.is_empty());
        // Malformed answers get nothing, not even feedback of the ids they name.
        assert!(score(&q, &choices(&["a", "b"])).feedback.is_empty());
        assert!(score(&q, &choices(&["z"])).feedback.is_empty());
    }

    // --- multiple choice ---------------------------------------------------------------

    fn multiple(partial_credit: bool, points: f64) -> Question {
        // Correct: a, b, c. Wrong: d, e.
        question(
            QuestionBody::MultipleChoice {
                options: vec![
                    option("a", true, "a is in."),
                    option("b", true, ""),
                    option("c", true, "c is in."),
                    option("d", false, "d is out."),
                    option("e", false, ""),
                ],
                partial_credit,
            },
            points,
        )
    }

    #[test]
    fn multiple_choice_without_partial_credit_needs_the_exact_set() {
        check(
            &multiple(false, 3.0),
            &[
                (choices(&["a", "b", "c"]), 3.0, true),
                (choices(&["c", "a", "b"]), 3.0, true),
                (choices(&["a", "b"]), 0.0, false),
                (choices(&["a", "b", "c", "d"]), 0.0, false),
                (choices(&["d", "e"]), 0.0, false),
                (choices(&[]), 0.0, false),
                (choices(&["a", "b", "c", "a"]), 0.0, false),
                (choices(&["a", "b", "c", "z"]), 0.0, false),
                (order(&["a", "b", "c"]), 0.0, false),
            ],
        );
    }

    #[test]
    fn multiple_choice_partial_credit_is_right_minus_wrong_over_correct_count() {
        check(
            &multiple(true, 3.0),
            &[
                // 3 × (3 − 0) / 3 = 3, full.
                (choices(&["a", "b", "c"]), 3.0, true),
                // 3 × (2 − 0) / 3 = 2.
                (choices(&["a", "b"]), 2.0, false),
                // 3 × (1 − 0) / 3 = 1.
                (choices(&["b"]), 1.0, false),
                // 3 × (2 − 1) / 3 = 1.
                (choices(&["a", "b", "d"]), 1.0, false),
                // 3 × (3 − 1) / 3 = 2: every right one plus a wrong one is not full.
                (choices(&["a", "b", "c", "d"]), 2.0, false),
                // 3 × (3 − 2) / 3 = 1: ticking everything does not pay.
                (choices(&["a", "b", "c", "d", "e"]), 1.0, false),
                // 3 × (1 − 1) / 3 = 0.
                (choices(&["a", "d"]), 0.0, false),
                // 3 × max(0, (1 − 2) / 3) = 0, never negative.
                (choices(&["a", "d", "e"]), 0.0, false),
                (choices(&["d", "e"]), 0.0, false),
                (choices(&[]), 0.0, false),
                // A duplicate or an unknown id voids the whole answer.
                (choices(&["a", "a"]), 0.0, false),
                (choices(&["a", "b", "zz"]), 0.0, false),
                (Answer::Bool(true), 0.0, false),
            ],
        );
    }

    #[test]
    fn multiple_choice_partial_credit_rounds_to_four_decimals() {
        check(
            &multiple(true, 1.0),
            &[
                // 1 × 1 / 3 = 0.33333… → 0.3333.
                (choices(&["a"]), 0.3333, false),
                // 1 × 2 / 3 = 0.66666… → 0.6667.
                (choices(&["a", "c"]), 0.6667, false),
                (choices(&["a", "b", "c"]), 1.0, true),
            ],
        );
        // Full credit is the points exactly, whatever their decimals.
        let q = multiple(true, 0.123_456);
        assert_eq!(score(&q, &choices(&["a", "b", "c"])).points, 0.123_456);
        // 0.123456 × 2 / 3 = 0.082304 → 0.0823.
        assert_eq!(score(&q, &choices(&["a", "b"])).points, 0.0823);
    }

    #[test]
    fn multiple_choice_feedback_follows_option_order_and_skips_empty() {
        let q = multiple(true, 3.0);
        assert_eq!(
            score(&q, &choices(&["d", "b", "a"])).feedback,
            ["a is in.", "d is out."]
        );
        assert_eq!(score(&q, &choices(&["e", "c"])).feedback, ["c is in."]);
        assert!(score(&q, &choices(&["b", "e"])).feedback.is_empty());
        assert!(score(&q, &choices(&["a", "a"])).feedback.is_empty());
    }

    // --- true / false ------------------------------------------------------------------

    #[test]
    fn true_false_scores_equality_and_gives_the_chosen_values_feedback() {
        let q = question(
            QuestionBody::TrueFalse {
                answer: false,
                feedback_true: "Water boils at 100 °C only at sea level.".to_owned(),
                feedback_false: String::new(),
            },
            1.5,
        );
        check(
            &q,
            &[
                (Answer::Bool(false), 1.5, true),
                (Answer::Bool(true), 0.0, false),
                (choices(&["false"]), 0.0, false),
                (Answer::Text("false".to_owned()), 0.0, false),
                (Answer::Number(0.0), 0.0, false),
            ],
        );
        assert_eq!(
            score(&q, &Answer::Bool(true)).feedback,
            ["Water boils at 100 °C only at sea level."]
        );
        assert!(score(&q, &Answer::Bool(false)).feedback.is_empty());
        assert!(score(&q, &choices(&["true"])).feedback.is_empty());
    }

    // --- short text --------------------------------------------------------------------

    #[test]
    fn short_text_ignores_case_and_whitespace_unless_asked() {
        let q = question(
            QuestionBody::ShortText {
                accepted: ids(&["Paris", "  Ville   Lumière "]),
                case_sensitive: false,
                feedback: Vec::new(),
                others: Vec::new(),
            },
            1.0,
        );
        let text = |s: &str| Answer::Text(s.to_owned());
        check(
            &q,
            &[
                (text("Paris"), 1.0, true),
                (text("paris"), 1.0, true),
                (text("  PARIS \n"), 1.0, true),
                (text("ville lumière"), 1.0, true),
                // Unicode-aware lower-casing: È → è.
                (text("VILLE LUMIÈRE"), 1.0, true),
                (text("Ville\t\tLumière"), 1.0, true),
                (text("Pari"), 0.0, false),
                (text("Paris, France"), 0.0, false),
                (text("VilleLumière"), 0.0, false),
                (text("Ville Lumiere"), 0.0, false),
                (text(""), 0.0, false),
                (text("   "), 0.0, false),
                (choices(&["Paris"]), 0.0, false),
            ],
        );
        assert!(score(&q, &text("paris")).feedback.is_empty());

        let q = question(
            QuestionBody::ShortText {
                accepted: ids(&["NaCl"]),
                case_sensitive: true,
                feedback: Vec::new(),
                others: Vec::new(),
            },
            1.0,
        );
        check(
            &q,
            &[
                (text("NaCl"), 1.0, true),
                (text("  NaCl "), 1.0, true),
                (text("nacl"), 0.0, false),
                (text("NACL"), 0.0, false),
                (text("Na Cl"), 0.0, false),
            ],
        );
    }

    #[test]
    fn short_text_stars_match_any_characters_as_in_moodle() {
        let q = question(
            QuestionBody::ShortText {
                accepted: ids(&["*Paris*", "ville*lumi*re"]),
                case_sensitive: false,
                feedback: vec!["Yes, Paris.".to_owned()],
                others: vec![GradedText {
                    text: "Fr*".to_owned(),
                    weight: 50.0,
                    feedback: "The country, not the city.".to_owned(),
                }],
            },
            1.0,
        );
        let text = |s: &str| Answer::Text(s.to_owned());
        check(
            &q,
            &[
                (text("Paris"), 1.0, true),
                (text("paris, france"), 1.0, true),
                (text("In PARIS"), 1.0, true),
                (text("Ville Lumière"), 1.0, true),
                (text("villelumiere"), 1.0, true),
                (text("France"), 0.5, false),
                (text("fr"), 0.5, false),
                (text("Pari"), 0.0, false),
                (text("lumière ville"), 0.0, false),
                (text("  "), 0.0, false),
            ],
        );
        assert_eq!(score(&q, &text("paris!")).feedback, ["Yes, Paris."]);
        assert_eq!(
            score(&q, &text("france")).feedback,
            ["The country, not the city."]
        );
    }

    #[test]
    fn short_text_stars_keep_case_when_asked_and_escape_with_a_backslash() {
        let q = question(
            QuestionBody::ShortText {
                accepted: ids(&["NaCl*"]),
                case_sensitive: true,
                feedback: Vec::new(),
                others: Vec::new(),
            },
            1.0,
        );
        let text = |s: &str| Answer::Text(s.to_owned());
        check(
            &q,
            &[
                (text("NaCl"), 1.0, true),
                (text("NaCl (salt)"), 1.0, true),
                (text("nacl"), 0.0, false),
            ],
        );
        // `\*` is a star itself; runs of stars are one; other backslashes stay.
        assert!(text_matches("2\\*3", "2*3"));
        assert!(!text_matches("2\\*3", "2x3"));
        assert!(text_matches("a**b", "ab"));
        assert!(text_matches("a**b", "a-b"));
        assert!(text_matches("a\\b*", "a\\bc"));
        assert!(text_matches("*", "anything"));
        assert!(!text_matches("*", ""));
        assert!(text_matches("ab*ba", "abba"));
        assert!(
            !text_matches("ab*ba", "aba"),
            "prefix and suffix never overlap"
        );
        assert!(text_matches("a*b*c", "a-b-b-c"));
        assert!(!text_matches("a*b*c", "a-c-b"));
        // Without a star the texts must be equal, as before.
        assert!(text_matches("paris", "paris"));
        assert!(!text_matches("paris", "paris, france"));
    }

    #[test]
    fn normalise_text_trims_collapses_and_lowercases() {
        assert_eq!(
            normalise_text("  Ünïcode\u{a0} \t TEXT  ", false),
            "ünïcode text"
        );
        assert_eq!(normalise_text("  Mixed   Case ", true), "Mixed Case");
        assert_eq!(normalise_text("ΣΟΦΊΑ", false), "σοφία");
        assert_eq!(normalise_text(" \n ", false), "");
    }

    // --- number ------------------------------------------------------------------------

    #[test]
    fn number_accepts_within_tolerance_and_absorbs_float_noise() {
        let q = question(
            QuestionBody::Number {
                value: 2.54,
                tolerance: 0.01,
                feedback: String::new(),
                others: Vec::new(),
            },
            2.0,
        );
        check(
            &q,
            &[
                (Answer::Number(2.54), 2.0, true),
                (Answer::Number(2.545), 2.0, true),
                (Answer::Number(2.55), 2.0, true),
                // 2.54 − 2.53 is 0.010000000000000231 in floats: on the boundary, accepted.
                (Answer::Number(2.53), 2.0, true),
                (Answer::Number(2.551), 0.0, false),
                (Answer::Number(2.529), 0.0, false),
                (Answer::Number(-2.54), 0.0, false),
                (Answer::Number(f64::NAN), 0.0, false),
                (Answer::Number(f64::INFINITY), 0.0, false),
                (Answer::Number(f64::NEG_INFINITY), 0.0, false),
                (Answer::Text("2.54".to_owned()), 0.0, false),
            ],
        );

        let exact = question(
            QuestionBody::Number {
                value: 0.3,
                tolerance: 0.0,
                feedback: String::new(),
                others: Vec::new(),
            },
            1.0,
        );
        check(
            &exact,
            &[
                // 0.1 + 0.2 = 0.30000000000000004.
                (Answer::Number(0.1 + 0.2), 1.0, true),
                (Answer::Number(0.300_001), 0.0, false),
            ],
        );

        // The slack is relative: 1e-9 × 1e6 = 0.001, so half a unit is still wrong.
        let large = question(
            QuestionBody::Number {
                value: 1_000_000.0,
                tolerance: 0.0,
                feedback: String::new(),
                others: Vec::new(),
            },
            1.0,
        );
        check(
            &large,
            &[
                (Answer::Number(1_000_000.0), 1.0, true),
                (Answer::Number(1_000_000.5), 0.0, false),
            ],
        );

        // A broken key (never validated) matches nothing rather than everything.
        let broken = question(
            QuestionBody::Number {
                value: 1.0,
                tolerance: f64::NAN,
                feedback: String::new(),
                others: Vec::new(),
            },
            1.0,
        );
        check(&broken, &[(Answer::Number(1.0), 0.0, false)]);
    }

    // --- ordering ----------------------------------------------------------------------

    fn ordering_question(partial_credit: bool) -> Question {
        question(
            QuestionBody::Ordering {
                items: items(&["a", "b", "c", "d"]),
                partial_credit,
            },
            4.0,
        )
    }

    #[test]
    fn ordering_without_partial_credit_needs_the_exact_order() {
        check(
            &ordering_question(false),
            &[
                (order(&["a", "b", "c", "d"]), 4.0, true),
                (order(&["b", "a", "c", "d"]), 0.0, false),
                (order(&["d", "c", "b", "a"]), 0.0, false),
            ],
        );
    }

    #[test]
    fn ordering_partial_credit_is_items_in_place_over_count() {
        check(
            &ordering_question(true),
            &[
                (order(&["a", "b", "c", "d"]), 4.0, true),
                // a, b swapped: c, d in place → 4 × 2 / 4 = 2.
                (order(&["b", "a", "c", "d"]), 2.0, false),
                // b, c swapped: a, d in place → 2.
                (order(&["a", "c", "b", "d"]), 2.0, false),
                // Only a in place → 4 × 1 / 4 = 1.
                (order(&["a", "c", "d", "b"]), 1.0, false),
                // Three in place is impossible: the fourth would be in place too.
                // Shifted by one: nothing in its place → 0, though the sequence is "almost" right.
                (order(&["d", "a", "b", "c"]), 0.0, false),
                // Reversed: nothing in place → 0.
                (order(&["d", "c", "b", "a"]), 0.0, false),
            ],
        );
    }

    #[test]
    fn ordering_refuses_anything_but_a_permutation() {
        for partial_credit in [false, true] {
            check(
                &ordering_question(partial_credit),
                &[
                    // Too short, too long, a repeat, an unknown id, empty.
                    (order(&["a", "b", "c"]), 0.0, false),
                    (order(&["a", "b", "c", "d", "a"]), 0.0, false),
                    (order(&["a", "a", "c", "d"]), 0.0, false),
                    (order(&["a", "b", "c", "z"]), 0.0, false),
                    (order(&[]), 0.0, false),
                    (choices(&["a", "b", "c", "d"]), 0.0, false),
                    (matches(&[("a", "a")]), 0.0, false),
                ],
            );
        }
    }

    #[test]
    fn ordering_partial_credit_rounds_to_four_decimals() {
        let q = question(
            QuestionBody::Ordering {
                items: items(&["a", "b", "c"]),
                partial_credit: true,
            },
            1.0,
        );
        // Only a in place: 1 × 1 / 3 → 0.3333.
        check(&q, &[(order(&["a", "c", "b"]), 0.3333, false)]);
    }

    // --- matching ----------------------------------------------------------------------

    fn matching_question(partial_credit: bool) -> Question {
        question(
            QuestionBody::Matching {
                pairs: pairs(&["p1", "p2", "p3", "p4"]),
                partial_credit,
                distractors: Vec::new(),
            },
            2.0,
        )
    }

    const ALL_RIGHT: [(&str, &str); 4] = [("p1", "p1"), ("p2", "p2"), ("p3", "p3"), ("p4", "p4")];

    #[test]
    fn matching_without_partial_credit_needs_every_left_on_its_own_right() {
        check(
            &matching_question(false),
            &[
                (matches(&ALL_RIGHT), 2.0, true),
                // The order of the entries does not matter.
                (
                    matches(&[("p4", "p4"), ("p2", "p2"), ("p1", "p1"), ("p3", "p3")]),
                    2.0,
                    true,
                ),
                (
                    matches(&[("p1", "p2"), ("p2", "p1"), ("p3", "p3"), ("p4", "p4")]),
                    0.0,
                    false,
                ),
                (
                    matches(&[("p1", "p1"), ("p2", "p2"), ("p3", "p3")]),
                    0.0,
                    false,
                ),
                (
                    matches(&[
                        ("p1", "p1"),
                        ("p1", "p1"),
                        ("p2", "p2"),
                        ("p3", "p3"),
                        ("p4", "p4"),
                    ]),
                    0.0,
                    false,
                ),
            ],
        );
    }

    #[test]
    fn matching_partial_credit_counts_each_left_once() {
        check(
            &matching_question(true),
            &[
                (matches(&ALL_RIGHT), 2.0, true),
                // p1, p2 crossed: 2 × 2 / 4 = 1.
                (
                    matches(&[("p1", "p2"), ("p2", "p1"), ("p3", "p3"), ("p4", "p4")]),
                    1.0,
                    false,
                ),
                // p3, p4 left unmatched: 2 × 2 / 4 = 1.
                (matches(&[("p1", "p1"), ("p2", "p2")]), 1.0, false),
                // p1 given twice (one of them right): p1 wrong → 2 × 3 / 4 = 1.5.
                (
                    matches(&[
                        ("p1", "p1"),
                        ("p1", "p2"),
                        ("p2", "p2"),
                        ("p3", "p3"),
                        ("p4", "p4"),
                    ]),
                    1.5,
                    false,
                ),
                // p1 given twice, identically: still a duplicate → 1.5.
                (
                    matches(&[
                        ("p1", "p1"),
                        ("p1", "p1"),
                        ("p2", "p2"),
                        ("p3", "p3"),
                        ("p4", "p4"),
                    ]),
                    1.5,
                    false,
                ),
                // p1 matched to a right that does not exist: p1 wrong → 1.5.
                (
                    matches(&[("p1", "zz"), ("p2", "p2"), ("p3", "p3"), ("p4", "p4")]),
                    1.5,
                    false,
                ),
                // Every left on p1's right: only p1 right → 2 × 1 / 4 = 0.5.
                (
                    matches(&[("p1", "p1"), ("p2", "p1"), ("p3", "p1"), ("p4", "p1")]),
                    0.5,
                    false,
                ),
                (matches(&[]), 0.0, false),
                // A left the question lacks voids the answer (only a tampered request has one).
                (
                    matches(&[
                        ("p1", "p1"),
                        ("p2", "p2"),
                        ("p3", "p3"),
                        ("p4", "p4"),
                        ("zz", "p1"),
                    ]),
                    0.0,
                    false,
                ),
                (order(&["p1", "p2", "p3", "p4"]), 0.0, false),
            ],
        );
    }

    #[test]
    fn matching_partial_credit_rounds_to_four_decimals() {
        let q = question(
            QuestionBody::Matching {
                pairs: pairs(&["x", "y", "z"]),
                partial_credit: true,
                distractors: Vec::new(),
            },
            1.0,
        );
        // x right, y and z crossed: 1 × 1 / 3 → 0.3333.
        check(
            &q,
            &[(
                matches(&[("x", "x"), ("y", "z"), ("z", "y")]),
                0.3333,
                false,
            )],
        );
    }

    // --- across kinds ------------------------------------------------------------------

    fn one_of_each() -> Vec<(Question, Answer)> {
        vec![
            (single(), choices(&["a"])),
            (multiple(true, 3.0), choices(&["a", "b", "c"])),
            (
                question(
                    QuestionBody::TrueFalse {
                        answer: true,
                        feedback_true: String::new(),
                        feedback_false: String::new(),
                    },
                    1.0,
                ),
                Answer::Bool(true),
            ),
            (
                question(
                    QuestionBody::ShortText {
                        accepted: ids(&["a"]),
                        case_sensitive: false,
                        feedback: Vec::new(),
                        others: Vec::new(),
                    },
                    1.0,
                ),
                Answer::Text("a".to_owned()),
            ),
            (
                question(
                    QuestionBody::Number {
                        value: 1.0,
                        tolerance: 0.0,
                        feedback: String::new(),
                        others: Vec::new(),
                    },
                    1.0,
                ),
                Answer::Number(1.0),
            ),
            (ordering_question(true), order(&["a", "b", "c", "d"])),
            (matching_question(true), matches(&ALL_RIGHT)),
        ]
    }

    #[test]
    fn every_kind_gives_full_points_for_its_key_and_zero_for_other_shapes() {
        let all = one_of_each();
        for (q, right) in &all {
            let s = score(q, right);
            assert!(s.correct && s.points == q.points, "{}", q.kind_name());
            for (_, other) in &all {
                if std::mem::discriminant(other) == std::mem::discriminant(right) {
                    continue;
                }
                let s = score(q, other);
                assert_eq!(
                    (s.points, s.correct, s.feedback.len()),
                    (0.0, false, 0),
                    "{} answered {other:?}",
                    q.kind_name()
                );
            }
        }
    }

    #[test]
    fn unvalidated_empty_questions_score_zero_without_panicking() {
        let empty = [
            QuestionBody::SingleChoice { options: vec![] },
            QuestionBody::MultipleChoice {
                options: vec![],
                partial_credit: true,
            },
            QuestionBody::MultipleChoice {
                options: vec![option("a", false, ""), option("b", false, "")],
                partial_credit: true,
            },
            QuestionBody::ShortText {
                accepted: vec![],
                case_sensitive: false,
                feedback: Vec::new(),
                others: Vec::new(),
            },
            QuestionBody::Ordering {
                items: vec![],
                partial_credit: true,
            },
            QuestionBody::Matching {
                pairs: vec![],
                partial_credit: true,
                distractors: Vec::new(),
            },
        ];
        let answers = [
            choices(&[]),
            choices(&["a"]),
            Answer::Text(String::new()),
            order(&[]),
            matches(&[]),
        ];
        for body in empty {
            let q = question(body, 1.0);
            for answer in &answers {
                let s = score(&q, answer);
                assert!(
                    !s.correct && s.points == 0.0,
                    "{} answered {answer:?}",
                    q.kind_name()
                );
            }
        }
    }
}
