//! Questions of evaluations: the kinds, a learner's answer, and (in `scoring`) how an
//! answer scores. The correct answers live here; `PublicQuestion` is what a browser may see
//! before an attempt is submitted.

use serde::{Deserialize, Serialize};

use crate::Invalid;

/// An option of a choice question.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChoiceOption {
    /// Stable within the question (`a`, `b`, … or any short id), so statistics follow it.
    pub id: String,
    pub text: String,
    pub correct: bool,
    /// Shown after answering when this option was chosen.
    #[serde(default)]
    pub feedback: String,
    /// GIFT's `%n%`: the percentage of the points this option is worth when chosen, from
    /// -100 to 100. `None` (every question stored before weights existed) scores as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

/// A short answer worth part of the points (or, at 100, another fully right one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradedText {
    pub text: String,
    /// Percentage of the points, 0 to 100.
    pub weight: f64,
    #[serde(default)]
    pub feedback: String,
}

/// A numerical answer worth part of the points: `value` give or take `tolerance`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradedNumber {
    pub value: f64,
    pub tolerance: f64,
    /// Percentage of the points, 0 to 100.
    pub weight: f64,
    #[serde(default)]
    pub feedback: String,
}

/// A right-hand side of a matching question that matches no left: a distractor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distractor {
    pub id: String,
    pub text: String,
}

/// An item of an ordering question; the question lists items in their correct order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderItem {
    pub id: String,
    pub text: String,
}

/// A pair of a matching question: `left` matches `right`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchPair {
    pub id: String,
    pub left: String,
    pub right: String,
}

/// What kind of question, with what makes an answer right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionBody {
    /// Exactly one option is correct.
    SingleChoice { options: Vec<ChoiceOption> },
    /// Any number of options are correct (at least one). With `partial_credit`, each right
    /// choice earns a share and each wrong choice costs one, never below zero.
    MultipleChoice {
        options: Vec<ChoiceOption>,
        partial_credit: bool,
    },
    TrueFalse {
        answer: bool,
        #[serde(default)]
        feedback_true: String,
        #[serde(default)]
        feedback_false: String,
    },
    /// Any of the accepted answers; by default case and surrounding/inner whitespace
    /// do not matter.
    ShortText {
        accepted: Vec<String>,
        case_sensitive: bool,
        /// Feedback per accepted answer, in the same order (may be shorter: none).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        feedback: Vec<String>,
        /// Further answers with their own weight and feedback.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        others: Vec<GradedText>,
    },
    /// The value, give or take `tolerance` (absolute).
    Number {
        value: f64,
        tolerance: f64,
        /// Shown when the answer hits `value`.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        feedback: String,
        /// Further graded answers; the best one the answer hits counts.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        others: Vec<GradedNumber>,
    },
    /// Put the items in the order listed. With `partial_credit`, each item in its place earns
    /// a share.
    Ordering {
        items: Vec<OrderItem>,
        partial_credit: bool,
    },
    /// Match each left to its right. With `partial_credit`, each right pair earns a share.
    Matching {
        pairs: Vec<MatchPair>,
        partial_credit: bool,
        /// Rights that match no left.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        distractors: Vec<Distractor>,
    },
    /// An open answer in Markdown, scored by a reviewer with the rubric (decision 0043).
    /// Essays stored before rubrics existed load with none (one criterion, "Overall").
    Essay {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        rubric: Vec<crate::essay::RubricCriterion>,
        /// Shown to reviewers beside each answer, never to learners.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        model_answer: String,
    },
}

/// A question as the author wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Markdown.
    pub prompt: String,
    #[serde(flatten)]
    pub body: QuestionBody,
    /// Points for a fully right answer (> 0).
    pub points: f64,
    /// Shown after answering, right or wrong.
    #[serde(default)]
    pub explanation: String,
}

/// A learner's answer, in the shape of the question's kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// Chosen option ids (one for single choice).
    Choices(Vec<String>),
    Bool(bool),
    Text(String),
    Number(f64),
    /// Item ids in the learner's order.
    Order(Vec<String>),
    /// (pair id of the left side, pair id of the right side chosen for it).
    Matches(Vec<(String, String)>),
}

/// How an answer scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub points: f64,
    pub max: f64,
    /// Full credit.
    pub correct: bool,
    /// Feedback of the chosen options, in order, then nothing else (the explanation is
    /// shown separately).
    pub feedback: Vec<String>,
}

// ---------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------

pub const PROMPT_MAX_CHARS: usize = 5_000;
pub const EXPLANATION_MAX_CHARS: usize = 5_000;
pub const TEXT_MAX_CHARS: usize = 1_000;
pub const FEEDBACK_MAX_CHARS: usize = 1_000;
pub const ID_MAX_CHARS: usize = 20;
pub const MIN_CHOICES: usize = 2;
pub const MAX_CHOICES: usize = 12;
pub const MAX_ACCEPTED: usize = 20;

impl Question {
    /// The most points a question may be worth.
    pub const MAX_POINTS: f64 = 1_000.0;

    /// Checks what the author wrote, returning the first problem found, in reading order:
    /// prompt, points, the kind's own parts, explanation.
    pub fn validate(&self) -> Result<(), Invalid> {
        check_text("prompt", "the prompt", &self.prompt, true, PROMPT_MAX_CHARS)?;
        if !self.points.is_finite() || self.points <= 0.0 {
            return Err(Invalid::new(
                "points",
                "Give the question a number of points above 0.",
            ));
        }
        if self.points > Self::MAX_POINTS {
            return Err(Invalid::new(
                "points",
                format!(
                    "Keep the points to at most {} (this question has {}).",
                    Self::MAX_POINTS,
                    self.points
                ),
            ));
        }
        self.body.validate()?;
        check_text(
            "explanation",
            "the explanation",
            &self.explanation,
            false,
            EXPLANATION_MAX_CHARS,
        )
    }

    /// The kind as a stable snake_case name, the same as the serialised `kind` tag.
    pub fn kind_name(&self) -> &'static str {
        self.body.kind_name()
    }

    /// Points a fully right answer adds to the score (an essay's once it is reviewed).
    pub fn max_points(&self) -> f64 {
        self.points
    }
}

impl QuestionBody {
    /// An essay with no rubric and no model answer (as GIFT and CSV bring them).
    pub fn plain_essay() -> Self {
        Self::Essay {
            rubric: Vec::new(),
            model_answer: String::new(),
        }
    }

    /// The kind as a stable snake_case name, the same as the serialised `kind` tag.
    pub fn kind_name(&self) -> &'static str {
        self.kind().as_str()
    }

    pub fn kind(&self) -> QuestionKind {
        match self {
            Self::SingleChoice { .. } => QuestionKind::SingleChoice,
            Self::MultipleChoice { .. } => QuestionKind::MultipleChoice,
            Self::TrueFalse { .. } => QuestionKind::TrueFalse,
            Self::ShortText { .. } => QuestionKind::ShortText,
            Self::Number { .. } => QuestionKind::Number,
            Self::Ordering { .. } => QuestionKind::Ordering,
            Self::Matching { .. } => QuestionKind::Matching,
            Self::Essay { .. } => QuestionKind::Essay,
        }
    }

    fn validate(&self) -> Result<(), Invalid> {
        match self {
            Self::SingleChoice { options } => {
                check_options(options)?;
                let correct = options.iter().filter(|o| o.correct).count();
                if correct != 1 {
                    return Err(Invalid::new(
                        "options",
                        format!(
                            "Mark exactly one option as correct (this question has {correct})."
                        ),
                    ));
                }
                Ok(())
            }
            Self::MultipleChoice { options, .. } => {
                check_options(options)?;
                if !options.iter().any(|o| o.correct) {
                    return Err(Invalid::new(
                        "options",
                        "Mark at least one option as correct.",
                    ));
                }
                crate::question_weights::check_weight_sum(options)
            }
            Self::TrueFalse {
                feedback_true,
                feedback_false,
                ..
            } => {
                check_text(
                    "feedback",
                    "the feedback for “true”",
                    feedback_true,
                    false,
                    FEEDBACK_MAX_CHARS,
                )?;
                check_text(
                    "feedback",
                    "the feedback for “false”",
                    feedback_false,
                    false,
                    FEEDBACK_MAX_CHARS,
                )
            }
            Self::ShortText {
                accepted,
                feedback,
                others,
                ..
            } => {
                crate::question_weights::check_short_text(accepted, feedback, others)?;
                check_count(
                    "accepted",
                    "accepted answers",
                    accepted.len(),
                    1,
                    MAX_ACCEPTED,
                )?;
                for (i, a) in accepted.iter().enumerate() {
                    check_text(
                        "accepted",
                        &format!("accepted answer {}", i + 1),
                        a,
                        true,
                        TEXT_MAX_CHARS,
                    )?;
                }
                Ok(())
            }
            Self::Number {
                value,
                tolerance,
                feedback,
                others,
            } => {
                crate::question_weights::check_numbers(feedback, others)?;
                if !value.is_finite() {
                    return Err(Invalid::new("value", "Enter the expected number."));
                }
                if !tolerance.is_finite() || *tolerance < 0.0 {
                    return Err(Invalid::new(
                        "tolerance",
                        "Enter a tolerance of 0 or more (0 means the exact number).",
                    ));
                }
                Ok(())
            }
            Self::Ordering { items, .. } => {
                check_count("items", "items", items.len(), MIN_CHOICES, MAX_CHOICES)?;
                check_ids("items", "item", items.iter().map(|i| i.id.as_str()))?;
                for (i, item) in items.iter().enumerate() {
                    let what = format!("the text of item {}", i + 1);
                    check_text("items", &what, &item.text, true, TEXT_MAX_CHARS)?;
                }
                // Two items that read the same cannot be told apart, yet score by position.
                check_distinct("items", "item", items.iter().map(|i| i.text.as_str()))
            }
            Self::Essay {
                rubric,
                model_answer,
            } => crate::essay::check_rubric(rubric, model_answer),
            Self::Matching {
                pairs, distractors, ..
            } => {
                check_count("pairs", "pairs", pairs.len(), MIN_CHOICES, MAX_CHOICES)?;
                crate::question_weights::check_distractors(pairs, distractors)?;
                check_ids("pairs", "pair", pairs.iter().map(|p| p.id.as_str()))?;
                for (i, pair) in pairs.iter().enumerate() {
                    let left = format!("the left side of pair {}", i + 1);
                    check_text("pairs", &left, &pair.left, true, TEXT_MAX_CHARS)?;
                    let right = format!("the right side of pair {}", i + 1);
                    check_text("pairs", &right, &pair.right, true, TEXT_MAX_CHARS)?;
                }
                // A learner matching two identical sides could only guess which is which.
                check_distinct("pairs", "left side", pairs.iter().map(|p| p.left.as_str()))?;
                check_distinct(
                    "pairs",
                    "right side",
                    pairs.iter().map(|p| p.right.as_str()),
                )
            }
        }
    }
}

fn check_options(options: &[ChoiceOption]) -> Result<(), Invalid> {
    check_count(
        "options",
        "options",
        options.len(),
        MIN_CHOICES,
        MAX_CHOICES,
    )?;
    check_ids("options", "option", options.iter().map(|o| o.id.as_str()))?;
    for (i, option) in options.iter().enumerate() {
        let what = format!("the text of option {}", i + 1);
        check_text("options", &what, &option.text, true, TEXT_MAX_CHARS)?;
        crate::question_weights::check_weight(option.weight, i)?;
        let what = format!("the feedback of option {}", i + 1);
        check_text(
            "feedback",
            &what,
            &option.feedback,
            false,
            FEEDBACK_MAX_CHARS,
        )?;
    }
    check_distinct("options", "option", options.iter().map(|o| o.text.as_str()))
}

/// `what` is lower-case prose such as "the prompt"; messages capitalise as needed.
pub(crate) fn check_text(
    field: &'static str,
    what: &str,
    text: &str,
    required: bool,
    max: usize,
) -> Result<(), Invalid> {
    if required && text.trim().is_empty() {
        return Err(Invalid::new(field, format!("Enter {what}.")));
    }
    let n = text.chars().count();
    if n > max {
        return Err(Invalid::new(
            field,
            format!("Keep {what} to {max} characters (it has {n})."),
        ));
    }
    Ok(())
}

pub(crate) fn check_count(
    field: &'static str,
    plural: &str,
    n: usize,
    min: usize,
    max: usize,
) -> Result<(), Invalid> {
    if (min..=max).contains(&n) {
        Ok(())
    } else {
        Err(Invalid::new(
            field,
            format!("Give between {min} and {max} {plural} (this question has {n})."),
        ))
    }
}

pub(crate) fn check_ids<'a>(
    field: &'static str,
    noun: &str,
    ids: impl Iterator<Item = &'a str>,
) -> Result<(), Invalid> {
    let mut seen = std::collections::HashSet::new();
    for (i, id) in ids.enumerate() {
        let position = i + 1;
        if id.is_empty() {
            return Err(Invalid::new(
                field,
                format!("Give {noun} {position} an id."),
            ));
        }
        if id.chars().count() > ID_MAX_CHARS {
            return Err(Invalid::new(
                field,
                format!("Keep the id of {noun} {position} to {ID_MAX_CHARS} characters."),
            ));
        }
        let allowed =
            |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-';
        if !id.chars().all(allowed) {
            return Err(Invalid::new(
                field,
                format!(
                    "The id of {noun} {position} may use only a-z, 0-9, “_” and “-” (it is “{id}”)."
                ),
            ));
        }
        if !seen.insert(id) {
            return Err(Invalid::new(
                field,
                format!("Give each {noun} its own id: “{id}” is used twice."),
            ));
        }
    }
    Ok(())
}

/// Texts must differ once surrounding and repeated whitespace is ignored.
pub(crate) fn check_distinct<'a>(
    field: &'static str,
    noun: &str,
    texts: impl Iterator<Item = &'a str>,
) -> Result<(), Invalid> {
    let mut seen = std::collections::HashSet::new();
    for text in texts {
        let key = crate::scoring::normalise_text(text, true);
        if !seen.insert(key) {
            return Err(Invalid::new(
                field,
                format!(
                    "Give each {noun} a different text: “{}” appears twice.",
                    text.trim()
                ),
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// What a learner may see before submitting
// ---------------------------------------------------------------------------------------

/// An option as a learner sees it: no `correct` flag, no feedback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicOption {
    pub id: String,
    pub text: String,
}

/// An ordering item or one side of a matching pair, as a learner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicItem {
    pub id: String,
    pub text: String,
}

/// A question as a browser may see it before the attempt is submitted: the prompt and what
/// to choose from, never the key, feedback or explanation.
///
/// Only the parts of the question's kind are filled: `options` for choice kinds,
/// `true_false` for true/false, `items` for ordering, `lefts` and `rights` for matching.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicQuestion {
    pub prompt: String,
    /// As `Question::kind_name`.
    pub kind: QuestionKind,
    pub points: f64,
    /// Choice kinds: the options, shuffled when asked.
    pub options: Vec<PublicOption>,
    /// True/false: always `true` for that kind, so a template can offer the two buttons.
    pub true_false: bool,
    /// Ordering: the items, always shuffled and never in the correct order.
    pub items: Vec<PublicItem>,
    /// Matching: the left sides (id = pair id), shuffled when asked.
    pub lefts: Vec<PublicItem>,
    /// Matching: the right sides (id = pair id), always shuffled and never lined up with
    /// `lefts`.
    pub rights: Vec<PublicItem>,
}

/// The learner-safe view of `question`. The same seed gives the same view, so a page reload
/// within an attempt shows the same order; give each attempt (and question) its own seed.
///
/// With `shuffle_options`, choice options and matching lefts are shuffled too. Ordering items
/// and matching rights are always shuffled, since their author order is the answer; with two
/// or more of them the shown order always differs from the correct one.
pub fn public_view(
    question: &Question,
    shuffle_seed: u64,
    shuffle_options: bool,
) -> PublicQuestion {
    let mut view = PublicQuestion {
        prompt: question.prompt.clone(),
        kind: question.body.kind(),
        points: question.points,
        options: Vec::new(),
        true_false: false,
        items: Vec::new(),
        lefts: Vec::new(),
        rights: Vec::new(),
    };
    match &question.body {
        QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options, .. } => {
            view.options = options
                .iter()
                .map(|o| PublicOption {
                    id: o.id.clone(),
                    text: o.text.clone(),
                })
                .collect();
            if shuffle_options {
                shuffle(&mut view.options, derive_seed(shuffle_seed, 1));
            }
        }
        QuestionBody::TrueFalse { .. } => view.true_false = true,
        QuestionBody::ShortText { .. }
        | QuestionBody::Number { .. }
        | QuestionBody::Essay { .. } => {}
        QuestionBody::Ordering { items, .. } => {
            view.items = scrambled_indices(items.len(), derive_seed(shuffle_seed, 2))
                .into_iter()
                .filter_map(|i| items.get(i))
                .map(|item| PublicItem {
                    id: item.id.clone(),
                    text: item.text.clone(),
                })
                .collect();
        }
        QuestionBody::Matching {
            pairs, distractors, ..
        } => {
            let mut lefts: Vec<&MatchPair> = pairs.iter().collect();
            if shuffle_options {
                shuffle(&mut lefts, derive_seed(shuffle_seed, 3));
            }
            // Rights are a scramble of the lefts' order, so they never line up with them.
            let rights: Vec<&MatchPair> =
                scrambled_indices(lefts.len(), derive_seed(shuffle_seed, 4))
                    .into_iter()
                    .filter_map(|i| lefts.get(i).copied())
                    .collect();
            view.lefts = lefts
                .iter()
                .map(|p| PublicItem {
                    id: p.id.clone(),
                    text: p.left.clone(),
                })
                .collect();
            view.rights = rights
                .iter()
                .map(|p| PublicItem {
                    id: p.id.clone(),
                    text: p.right.clone(),
                })
                .collect();
            // Distractors go among the rights at places the seed picks.
            for (n, d) in distractors.iter().enumerate() {
                let at = derive_seed(shuffle_seed, 5 + n as u64) as usize % (view.rights.len() + 1);
                view.rights.insert(
                    at,
                    PublicItem {
                        id: d.id.clone(),
                        text: d.text.clone(),
                    },
                );
            }
        }
    }
    view
}

/// Shuffles `items` in place (Fisher–Yates driven by splitmix64); the same seed and length
/// always give the same order. For the exam setting "shuffle questions" and for options.
pub fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut rng = SplitMix64(seed);
    for i in (1..items.len()).rev() {
        let j = rng.below(i + 1);
        items.swap(i, j);
    }
}

/// `0..n` shuffled, and rotated by one if the shuffle left it in order, so with `n >= 2`
/// the result is never `0, 1, …, n-1`.
fn scrambled_indices(n: usize, seed: u64) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..n).collect();
    shuffle(&mut indices, seed);
    if n >= 2
        && indices
            .iter()
            .enumerate()
            .all(|(position, i)| position == *i)
    {
        indices.rotate_left(1);
    }
    indices
}

/// A seed for one part of a view, so options, items, lefts and rights shuffle independently.
fn derive_seed(seed: u64, part: u64) -> u64 {
    SplitMix64(seed ^ part.wrapping_mul(0xD6E8_FEB8_6659_FD93)).next_u64()
}

/// splitmix64 (Steele, Lea & Flood): tiny, fast and good enough to shuffle a dozen options.
/// Not for secrets.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` (multiply-shift; `bound` > 0).
    fn below(&mut self, bound: usize) -> usize {
        let wide = u128::from(self.next_u64()) * bound as u128;
        (wide >> 64) as usize
    }
}

word_enum! {
    /// A question's kind, the same word as its serialised `kind` tag.
    pub enum QuestionKind in "kind" {
        SingleChoice = "single_choice",
        MultipleChoice = "multiple_choice",
        TrueFalse = "true_false",
        ShortText = "short_text",
        Number = "number",
        Ordering = "ordering",
        Matching = "matching",
        Essay = "essay",
    }
}

word_enum! {
    /// How a final evaluation runs: practice shows feedback at once and may be retried;
    /// an exam keeps its answers sealed until submitted.
    pub enum EvaluationMode in "mode" {
        Practice = "practice",
        Exam = "exam",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn option(id: &str, correct: bool) -> ChoiceOption {
        ChoiceOption {
            id: id.to_owned(),
            text: format!("Option {id}"),
            correct,
            feedback: String::new(),
            weight: None,
        }
    }

    fn order_items(n: usize) -> Vec<OrderItem> {
        (0..n)
            .map(|i| OrderItem {
                id: format!("i{i}"),
                text: format!("Item {i}"),
            })
            .collect()
    }

    fn match_pairs(n: usize) -> Vec<MatchPair> {
        (0..n)
            .map(|i| MatchPair {
                id: format!("p{i}"),
                left: format!("Left {i}"),
                right: format!("Right {i}"),
            })
            .collect()
    }

    fn with_body(body: QuestionBody) -> Question {
        Question {
            prompt: "What is right?".to_owned(),
            body,
            points: 1.0,
            explanation: String::new(),
        }
    }

    fn single() -> QuestionBody {
        QuestionBody::SingleChoice {
            options: vec![option("a", true), option("b", false), option("c", false)],
        }
    }

    /// A valid question of every kind, with its expected kind name.
    fn valid_of_each_kind() -> Vec<(Question, &'static str)> {
        vec![
            (with_body(single()), "single_choice"),
            (
                with_body(QuestionBody::MultipleChoice {
                    options: vec![option("a", true), option("b", true), option("c", false)],
                    partial_credit: true,
                }),
                "multiple_choice",
            ),
            (
                with_body(QuestionBody::TrueFalse {
                    answer: true,
                    feedback_true: "Yes.".to_owned(),
                    feedback_false: String::new(),
                }),
                "true_false",
            ),
            (
                with_body(QuestionBody::ShortText {
                    accepted: vec!["Paris".to_owned()],
                    case_sensitive: false,
                    feedback: Vec::new(),
                    others: Vec::new(),
                }),
                "short_text",
            ),
            (
                with_body(QuestionBody::Number {
                    value: -2.5,
                    tolerance: 0.0,
                    feedback: String::new(),
                    others: Vec::new(),
                }),
                "number",
            ),
            (
                with_body(QuestionBody::Ordering {
                    items: order_items(3),
                    partial_credit: false,
                }),
                "ordering",
            ),
            (
                with_body(QuestionBody::Matching {
                    pairs: match_pairs(3),
                    partial_credit: true,
                    distractors: Vec::new(),
                }),
                "matching",
            ),
        ]
    }

    /// The field a broken question is refused on.
    fn refused_on(q: &Question) -> &'static str {
        match q.validate() {
            Ok(()) => panic!("accepted {q:?}"),
            Err(e) => {
                assert!(!e.message.is_empty() && e.message.ends_with('.'), "{e}");
                e.field
            }
        }
    }

    // --- validation --------------------------------------------------------------------

    #[test]
    fn valid_questions_of_every_kind_pass_and_name_their_kind_as_serde_does() {
        for (q, kind) in valid_of_each_kind() {
            assert_eq!(q.validate(), Ok(()), "{kind}");
            assert_eq!(q.kind_name(), kind);
            assert_eq!(q.max_points(), q.points);
            let json = serde_json::to_value(&q).unwrap();
            assert_eq!(json["kind"], kind);
        }
    }

    #[test]
    fn prompt_points_and_explanation_are_bounded() {
        let base = with_body(single());
        let cases: Vec<(Question, &str)> = vec![
            (
                Question {
                    prompt: String::new(),
                    ..base.clone()
                },
                "prompt",
            ),
            (
                Question {
                    prompt: " \n\t ".to_owned(),
                    ..base.clone()
                },
                "prompt",
            ),
            (
                Question {
                    prompt: "é".repeat(5_001),
                    ..base.clone()
                },
                "prompt",
            ),
            (
                Question {
                    points: 0.0,
                    ..base.clone()
                },
                "points",
            ),
            (
                Question {
                    points: -1.0,
                    ..base.clone()
                },
                "points",
            ),
            (
                Question {
                    points: f64::NAN,
                    ..base.clone()
                },
                "points",
            ),
            (
                Question {
                    points: f64::INFINITY,
                    ..base.clone()
                },
                "points",
            ),
            (
                Question {
                    points: 1_000.5,
                    ..base.clone()
                },
                "points",
            ),
            (
                Question {
                    explanation: "x".repeat(5_001),
                    ..base.clone()
                },
                "explanation",
            ),
        ];
        for (q, field) in &cases {
            assert_eq!(refused_on(q), *field, "{q:?}");
        }
        // The edges themselves are fine.
        for q in [
            Question {
                prompt: "é".repeat(5_000),
                ..base.clone()
            },
            Question {
                points: 1_000.0,
                ..base.clone()
            },
            Question {
                points: 0.25,
                ..base.clone()
            },
            Question {
                explanation: "x".repeat(5_000),
                ..base.clone()
            },
        ] {
            assert_eq!(q.validate(), Ok(()));
        }
    }

    #[test]
    fn messages_say_what_is_wrong_with_numbers() {
        let q = Question {
            prompt: "x".repeat(5_001),
            ..with_body(single())
        };
        assert_eq!(
            q.validate(),
            Err(Invalid::new(
                "prompt",
                "Keep the prompt to 5000 characters (it has 5001)."
            ))
        );
        let q = with_body(QuestionBody::SingleChoice {
            options: vec![option("a", true), option("b", true)],
        });
        assert_eq!(
            q.validate(),
            Err(Invalid::new(
                "options",
                "Mark exactly one option as correct (this question has 2)."
            ))
        );
        let q = with_body(QuestionBody::Ordering {
            items: order_items(13),
            partial_credit: false,
        });
        assert_eq!(
            q.validate(),
            Err(Invalid::new(
                "items",
                "Give between 2 and 12 items (this question has 13)."
            ))
        );
    }

    #[test]
    fn choice_options_are_checked() {
        let options_with = |change: &dyn Fn(&mut Vec<ChoiceOption>)| {
            let mut options = vec![option("a", true), option("b", false), option("c", false)];
            change(&mut options);
            with_body(QuestionBody::SingleChoice { options })
        };
        let cases: Vec<(Question, &str)> = vec![
            (options_with(&|o| o.truncate(1)), "options"),
            (
                options_with(&|o| o.extend((0..10).map(|i| option(&format!("x{i}"), false)))),
                "options",
            ),
            (options_with(&|o| o[1].id = String::new()), "options"),
            (options_with(&|o| o[1].id = "b".repeat(21)), "options"),
            (options_with(&|o| o[1].id = "B".to_owned()), "options"),
            (options_with(&|o| o[1].id = "b c".to_owned()), "options"),
            (options_with(&|o| o[1].id = "é".to_owned()), "options"),
            (options_with(&|o| o[1].id = "a".to_owned()), "options"),
            (options_with(&|o| o[1].text = "  ".to_owned()), "options"),
            (options_with(&|o| o[1].text = "t".repeat(1_001)), "options"),
            (
                options_with(&|o| o[1].text = " Option a ".to_owned()),
                "options",
            ),
            (
                options_with(&|o| o[1].feedback = "f".repeat(1_001)),
                "feedback",
            ),
            // Single choice: exactly one correct.
            (options_with(&|o| o[0].correct = false), "options"),
            (options_with(&|o| o[1].correct = true), "options"),
        ];
        for (q, field) in &cases {
            assert_eq!(refused_on(q), *field, "{q:?}");
        }
        // Twelve options with ids of twenty allowed characters are fine.
        let q = options_with(&|o| {
            o.extend((0..9).map(|i| option(&format!("opt_{i}-abcdefghijklmn"), false)));
            o[0].feedback = "f".repeat(1_000);
        });
        assert_eq!(q.validate(), Ok(()));

        let none_correct = with_body(QuestionBody::MultipleChoice {
            options: vec![option("a", false), option("b", false)],
            partial_credit: false,
        });
        assert_eq!(refused_on(&none_correct), "options");
        let all_correct = with_body(QuestionBody::MultipleChoice {
            options: vec![option("a", true), option("b", true)],
            partial_credit: false,
        });
        assert_eq!(all_correct.validate(), Ok(()));
    }

    #[test]
    fn true_false_feedback_is_bounded() {
        for (t, f) in [
            ("x".repeat(1_001), String::new()),
            (String::new(), "x".repeat(1_001)),
        ] {
            let q = with_body(QuestionBody::TrueFalse {
                answer: false,
                feedback_true: t,
                feedback_false: f,
            });
            assert_eq!(refused_on(&q), "feedback");
        }
    }

    #[test]
    fn short_text_needs_one_to_twenty_real_answers() {
        let accepting = |accepted: Vec<String>| {
            with_body(QuestionBody::ShortText {
                accepted,
                case_sensitive: false,
                feedback: Vec::new(),
                others: Vec::new(),
            })
        };
        for accepted in [
            vec![],
            (0..21).map(|i| format!("answer {i}")).collect(),
            vec!["ok".to_owned(), " \t ".to_owned()],
            vec![String::new()],
            vec!["a".repeat(1_001)],
        ] {
            assert_eq!(refused_on(&accepting(accepted)), "accepted");
        }
        let twenty = accepting((0..20).map(|i| format!("answer {i}")).collect());
        assert_eq!(twenty.validate(), Ok(()));
    }

    #[test]
    fn number_needs_a_finite_value_and_tolerance() {
        let number = |value, tolerance| {
            with_body(QuestionBody::Number {
                value,
                tolerance,
                feedback: String::new(),
                others: Vec::new(),
            })
        };
        assert_eq!(refused_on(&number(f64::NAN, 0.0)), "value");
        assert_eq!(refused_on(&number(f64::INFINITY, 0.0)), "value");
        assert_eq!(refused_on(&number(1.0, -0.1)), "tolerance");
        assert_eq!(refused_on(&number(1.0, f64::NAN)), "tolerance");
        assert_eq!(refused_on(&number(1.0, f64::INFINITY)), "tolerance");
        assert_eq!(number(0.0, 0.0).validate(), Ok(()));
        assert_eq!(number(-1e300, 1e300).validate(), Ok(()));
    }

    #[test]
    fn ordering_items_are_checked() {
        let ordering = |change: &dyn Fn(&mut Vec<OrderItem>)| {
            let mut items = order_items(3);
            change(&mut items);
            with_body(QuestionBody::Ordering {
                items,
                partial_credit: true,
            })
        };
        for q in [
            ordering(&|i| i.truncate(1)),
            ordering(&|i| *i = order_items(13)),
            ordering(&|i| i[2].id = "i0".to_owned()),
            ordering(&|i| i[2].id = String::new()),
            ordering(&|i| i[2].id = "I2".to_owned()),
            ordering(&|i| i[2].text = String::new()),
            ordering(&|i| i[2].text = "t".repeat(1_001)),
            // Items that read the same could not be told apart.
            ordering(&|i| i[2].text = "Item  0".to_owned()),
        ] {
            assert_eq!(refused_on(&q), "items", "{q:?}");
        }
        assert_eq!(ordering(&|i| *i = order_items(12)).validate(), Ok(()));
        assert_eq!(ordering(&|i| i.truncate(2)).validate(), Ok(()));
    }

    #[test]
    fn matching_pairs_are_checked() {
        let matching = |change: &dyn Fn(&mut Vec<MatchPair>)| {
            let mut pairs = match_pairs(3);
            change(&mut pairs);
            with_body(QuestionBody::Matching {
                pairs,
                partial_credit: false,
                distractors: Vec::new(),
            })
        };
        for q in [
            matching(&|p| p.truncate(1)),
            matching(&|p| *p = match_pairs(13)),
            matching(&|p| p[1].id = "p0".to_owned()),
            matching(&|p| p[1].id = "p 1".to_owned()),
            matching(&|p| p[1].left = " ".to_owned()),
            matching(&|p| p[1].right = String::new()),
            matching(&|p| p[1].right = "r".repeat(1_001)),
            // Two rights (or lefts) that read the same leave the learner guessing.
            matching(&|p| p[1].right = " Right 0 ".to_owned()),
            matching(&|p| p[1].left = "Left 0".to_owned()),
        ] {
            assert_eq!(refused_on(&q), "pairs", "{q:?}");
        }
        // A left may read like some other pair's right.
        assert_eq!(
            matching(&|p| p[1].left = "Right 0".to_owned()).validate(),
            Ok(())
        );
        assert_eq!(matching(&|p| *p = match_pairs(12)).validate(), Ok(()));
    }

    // --- public view -------------------------------------------------------------------

    /// Words that appear only in secret parts of the questions below.
    const SECRETS: [&str; 8] = [
        "zebrafeedback",
        "xylophone",
        "quokka",
        "271828",
        "0.0625",
        "correct",
        "tolerance",
        "accepted",
    ];

    fn secretive_questions() -> Vec<Question> {
        let secret_option = |id: &str, correct: bool| ChoiceOption {
            id: id.to_owned(),
            text: format!("Choice {id}"),
            correct,
            feedback: format!("Zebrafeedback for {id}"),
            weight: None,
        };
        let bodies = vec![
            QuestionBody::SingleChoice {
                options: vec![secret_option("a", true), secret_option("b", false)],
            },
            QuestionBody::MultipleChoice {
                options: vec![
                    secret_option("a", true),
                    secret_option("b", false),
                    secret_option("c", true),
                ],
                partial_credit: true,
            },
            QuestionBody::TrueFalse {
                answer: false,
                feedback_true: "ZEBRAFEEDBACK true".to_owned(),
                feedback_false: "ZEBRAFEEDBACK false".to_owned(),
            },
            QuestionBody::ShortText {
                accepted: vec!["Quokka".to_owned(), "quokka island".to_owned()],
                case_sensitive: true,
                feedback: Vec::new(),
                others: Vec::new(),
            },
            QuestionBody::Number {
                value: 271_828.5,
                tolerance: 0.0625,
                feedback: String::new(),
                others: Vec::new(),
            },
            QuestionBody::Ordering {
                items: order_items(5),
                partial_credit: true,
            },
            QuestionBody::Matching {
                pairs: match_pairs(4),
                partial_credit: true,
                distractors: Vec::new(),
            },
        ];
        bodies
            .into_iter()
            .map(|body| Question {
                prompt: "Answer this.".to_owned(),
                body,
                points: 2.0,
                explanation: "Xylophone explanation".to_owned(),
            })
            .collect()
    }

    #[test]
    fn public_view_json_holds_no_key_feedback_or_explanation() {
        for q in secretive_questions() {
            assert_eq!(q.validate(), Ok(()));
            for (seed, shuffle_options) in [(0, false), (1, true), (u64::MAX, true)] {
                let view = public_view(&q, seed, shuffle_options);
                let json = serde_json::to_string(&view).unwrap().to_lowercase();
                for secret in SECRETS {
                    assert!(
                        !json.contains(secret),
                        "{} leaks {secret}: {json}",
                        q.kind_name()
                    );
                }
                // Exactly the public fields, whatever the kind.
                let value = serde_json::to_value(&view).unwrap();
                let mut keys: Vec<&str> = value
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                keys.sort_unstable();
                assert_eq!(
                    keys,
                    [
                        "items",
                        "kind",
                        "lefts",
                        "options",
                        "points",
                        "prompt",
                        "rights",
                        "true_false"
                    ]
                );
                assert_eq!(value["kind"], q.kind_name());
                assert_eq!(value["prompt"], "Answer this.");
                assert_eq!(value["points"], 2.0);
            }
        }
    }

    #[test]
    fn public_view_fills_only_the_kinds_own_parts() {
        let questions = secretive_questions();
        let views: Vec<PublicQuestion> =
            questions.iter().map(|q| public_view(q, 7, false)).collect();
        let shape = |v: &PublicQuestion| {
            (
                v.options.len(),
                v.true_false,
                v.items.len(),
                v.lefts.len(),
                v.rights.len(),
            )
        };
        let shapes: Vec<_> = views.iter().map(shape).collect();
        assert_eq!(
            shapes,
            [
                (2, false, 0, 0, 0),
                (3, false, 0, 0, 0),
                (0, true, 0, 0, 0),
                (0, false, 0, 0, 0),
                (0, false, 0, 0, 0),
                (0, false, 5, 0, 0),
                (0, false, 0, 4, 4),
            ]
        );
        // Without shuffling, options and lefts keep the author's order.
        assert_eq!(
            views[1].options,
            [
                PublicOption {
                    id: "a".to_owned(),
                    text: "Choice a".to_owned()
                },
                PublicOption {
                    id: "b".to_owned(),
                    text: "Choice b".to_owned()
                },
                PublicOption {
                    id: "c".to_owned(),
                    text: "Choice c".to_owned()
                },
            ]
        );
        let left_ids: Vec<&str> = views[6].lefts.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(left_ids, ["p0", "p1", "p2", "p3"]);
        // Rights carry the pair id and the right text; lefts the left text.
        for right in &views[6].rights {
            assert_eq!(right.text, format!("Right {}", &right.id[1..]));
        }
        for left in &views[6].lefts {
            assert_eq!(left.text, format!("Left {}", &left.id[1..]));
        }
    }

    fn ids_of(items: &[PublicItem]) -> Vec<String> {
        items.iter().map(|i| i.id.clone()).collect()
    }

    #[test]
    fn ordering_items_are_never_shown_in_the_correct_order() {
        for n in 2..=12 {
            let q = with_body(QuestionBody::Ordering {
                items: order_items(n),
                partial_credit: false,
            });
            let correct: Vec<String> = order_items(n).into_iter().map(|i| i.id).collect();
            let mut sorted_correct = correct.clone();
            sorted_correct.sort();
            for seed in 0..500 {
                for shuffle_options in [false, true] {
                    let shown = ids_of(&public_view(&q, seed, shuffle_options).items);
                    assert_ne!(shown, correct, "n = {n}, seed = {seed}");
                    let mut sorted = shown.clone();
                    sorted.sort();
                    assert_eq!(sorted, sorted_correct, "a permutation of the items");
                }
            }
        }
        // With two items, "never in order" means always swapped.
        let two = with_body(QuestionBody::Ordering {
            items: order_items(2),
            partial_credit: false,
        });
        assert_eq!(ids_of(&public_view(&two, 42, false).items), ["i1", "i0"]);
    }

    #[test]
    fn matching_rights_never_line_up_with_lefts() {
        for n in 2..=12 {
            let q = with_body(QuestionBody::Matching {
                pairs: match_pairs(n),
                partial_credit: false,
                distractors: Vec::new(),
            });
            for seed in 0..500 {
                for shuffle_options in [false, true] {
                    let view = public_view(&q, seed, shuffle_options);
                    assert_ne!(
                        ids_of(&view.rights),
                        ids_of(&view.lefts),
                        "n = {n}, seed = {seed}"
                    );
                    let mut lefts = ids_of(&view.lefts);
                    let mut rights = ids_of(&view.rights);
                    lefts.sort();
                    rights.sort();
                    assert_eq!(lefts, rights);
                }
            }
        }
    }

    #[test]
    fn public_view_is_deterministic_per_seed_and_varies_across_seeds() {
        let q = with_body(QuestionBody::Ordering {
            items: order_items(6),
            partial_credit: false,
        });
        assert_eq!(public_view(&q, 99, true), public_view(&q, 99, true));
        let orders: std::collections::HashSet<Vec<String>> = (0..50)
            .map(|seed| ids_of(&public_view(&q, seed, false).items))
            .collect();
        assert!(orders.len() > 40, "only {} distinct orders", orders.len());

        let options: Vec<ChoiceOption> = (0..6).map(|i| option(&format!("o{i}"), i == 0)).collect();
        let q = with_body(QuestionBody::SingleChoice { options });
        let option_ids = |seed, shuffle_options| -> Vec<String> {
            public_view(&q, seed, shuffle_options)
                .options
                .into_iter()
                .map(|o| o.id)
                .collect()
        };
        assert_eq!(option_ids(5, true), option_ids(5, true));
        let author: Vec<String> = (0..6).map(|i| format!("o{i}")).collect();
        assert!((0..20).all(|seed| option_ids(seed, false) == author));
        assert!((0..20).any(|seed| option_ids(seed, true) != author));
    }

    // --- shuffle -----------------------------------------------------------------------

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // First outputs of the reference splitmix64 from state 0.
        let mut rng = SplitMix64(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn shuffle_is_a_deterministic_permutation() {
        let original: Vec<u32> = (0..20).collect();
        let mut a = original.clone();
        let mut b = original.clone();
        shuffle(&mut a, 12_345);
        shuffle(&mut b, 12_345);
        assert_eq!(a, b);
        assert_ne!(a, original);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, original);

        let mut c = original.clone();
        shuffle(&mut c, 12_346);
        assert_ne!(a, c);

        let mut empty: [u8; 0] = [];
        shuffle(&mut empty, 1);
        let mut one = [7];
        shuffle(&mut one, 1);
        assert_eq!(one, [7]);
    }

    #[test]
    fn shuffle_is_roughly_uniform() {
        // 6 000 shuffles of three items: each of the 6 orders should come up about 1 000 times.
        let mut counts = std::collections::HashMap::new();
        for seed in 0..6_000 {
            let mut items = ['a', 'b', 'c'];
            shuffle(&mut items, seed);
            *counts.entry(items).or_insert(0) += 1;
        }
        assert_eq!(counts.len(), 6);
        for (order, count) in counts {
            assert!(
                (850..=1_150).contains(&count),
                "{order:?} came up {count} times"
            );
        }
    }

    #[test]
    fn question_kind_words_round_trip_and_others_are_refused() {
        for &x in QuestionKind::ALL {
            assert_eq!(QuestionKind::parse(x.as_str()), Ok(x));
            assert_eq!(
                serde_json::to_string(&x).unwrap(),
                format!("\"{}\"", x.as_str())
            );
        }
        assert_eq!(QuestionKind::parse("essay"), Ok(QuestionKind::Essay));
        assert!(QuestionKind::parse("open").is_err());
        assert!(QuestionKind::parse("").is_err());
    }

    #[test]
    fn evaluation_mode_words_round_trip_and_others_are_refused() {
        for &x in EvaluationMode::ALL {
            assert_eq!(EvaluationMode::parse(x.as_str()), Ok(x));
            assert_eq!(
                serde_json::to_string(&x).unwrap(),
                format!("\"{}\"", x.as_str())
            );
        }
        assert!(EvaluationMode::parse("quiz").is_err());
        assert!(EvaluationMode::parse("").is_err());
    }
}
