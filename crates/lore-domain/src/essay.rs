//! Open answers (essays) and their review (docs/decisions/0043): the rubric an author gives an
//! essay question, the limits of a learner's answer, and how a reviewer's points per
//! criterion become the question's score.

use serde::{Deserialize, Serialize};

use crate::Invalid;
use crate::question::{Answer, Question, QuestionBody};

/// The longest essay answer, in characters.
pub const ANSWER_MAX_CHARS: usize = 20_000;
/// The longest model answer, in characters.
pub const MODEL_ANSWER_MAX_CHARS: usize = 10_000;
/// The longest reviewer's comment, in characters.
pub const COMMENT_MAX_CHARS: usize = 5_000;
/// The most criteria a rubric may have.
pub const MAX_CRITERIA: usize = 12;
pub const NAME_MAX_CHARS: usize = 200;

/// One criterion of a rubric: what the reviewer judges, and the most points it gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RubricCriterion {
    pub name: String,
    pub max_points: f64,
}

/// Checks a rubric and a model answer as the author wrote them.
pub fn check_rubric(rubric: &[RubricCriterion], model_answer: &str) -> Result<(), Invalid> {
    if rubric.len() > MAX_CRITERIA {
        return Err(Invalid::new(
            "rubric",
            format!(
                "Give at most {MAX_CRITERIA} criteria (this rubric has {}).",
                rubric.len()
            ),
        ));
    }
    for (i, c) in rubric.iter().enumerate() {
        let n = i + 1;
        if c.name.trim().is_empty() {
            return Err(Invalid::new("rubric", format!("Name criterion {n}.")));
        }
        if c.name.chars().count() > NAME_MAX_CHARS {
            return Err(Invalid::new(
                "rubric",
                format!("Keep the name of criterion {n} to {NAME_MAX_CHARS} characters."),
            ));
        }
        if !c.max_points.is_finite() || c.max_points <= 0.0 || c.max_points > Question::MAX_POINTS {
            return Err(Invalid::new(
                "rubric",
                format!(
                    "Give criterion {n} (“{}”) a maximum above 0 and at most {}.",
                    c.name.trim(),
                    Question::MAX_POINTS
                ),
            ));
        }
    }
    let n = model_answer.chars().count();
    if n > MODEL_ANSWER_MAX_CHARS {
        return Err(Invalid::new(
            "model_answer",
            format!("Keep the model answer to {MODEL_ANSWER_MAX_CHARS} characters (it has {n})."),
        ));
    }
    Ok(())
}

/// Reads a rubric written one criterion a line as `name: maximum points` (blank lines are
/// skipped), as the editor's text box takes it.
pub fn parse_rubric(text: &str) -> Result<Vec<RubricCriterion>, Invalid> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let bad = || {
            Invalid::new(
                "rubric",
                format!(
                    "Line {} of the rubric: write a criterion as “name: points”, e.g. “Argument: 4”.",
                    i + 1
                ),
            )
        };
        let (name, points) = line.rsplit_once(':').ok_or_else(bad)?;
        let max_points: f64 = points.trim().parse().map_err(|_| bad())?;
        out.push(RubricCriterion {
            name: name.trim().to_owned(),
            max_points,
        });
    }
    check_rubric(&out, "")?;
    Ok(out)
}

/// Writes a rubric back in the form `parse_rubric` reads.
pub fn rubric_text(rubric: &[RubricCriterion]) -> String {
    rubric
        .iter()
        .map(|c| format!("{}: {}", c.name, c.max_points))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The criteria a reviewer scores an essay with: the author's rubric, or, when there is none
/// (a question imported from GIFT), one criterion “Overall” worth the question's points.
/// `None` for any other kind of question.
pub fn criteria_of(question: &Question) -> Option<Vec<RubricCriterion>> {
    match &question.body {
        QuestionBody::Essay { rubric, .. } if rubric.is_empty() => Some(vec![RubricCriterion {
            name: "Overall".to_owned(),
            max_points: question.points,
        }]),
        QuestionBody::Essay { rubric, .. } => Some(rubric.clone()),
        _ => None,
    }
}

/// Whether an answer to `question` waits for a person to review it: an essay answered with
/// some text. An essay left blank scores 0 at once.
pub fn needs_review(question: &Question, answer: Option<&Answer>) -> bool {
    matches!(
        (&question.body, answer),
        (QuestionBody::Essay { .. }, Some(Answer::Text(t))) if !t.trim().is_empty()
    )
}

/// Checks the length of an essay answer.
pub fn check_answer(text: &str) -> Result<(), Invalid> {
    let n = text.chars().count();
    if n > ANSWER_MAX_CHARS {
        return Err(Invalid::new(
            "answer",
            format!("Keep the answer to {ANSWER_MAX_CHARS} characters (it has {n})."),
        ));
    }
    Ok(())
}

/// A reviewer's verdict on one essay, checked against the rubric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// Points per criterion, in the rubric's order.
    pub points: Vec<f64>,
    pub comment: String,
    /// The question's score: its points times the share of the rubric's total given,
    /// rounded to 4 decimals.
    pub score: f64,
    pub max: f64,
}

/// Checks points per criterion (one per criterion, each from 0 to its maximum) and the
/// comment, and works out the question's score.
pub fn review(question: &Question, points: &[f64], comment: &str) -> Result<Review, Invalid> {
    let criteria = criteria_of(question)
        .ok_or_else(|| Invalid::new("question", "Only open answers (essays) are reviewed."))?;
    if points.len() != criteria.len() {
        return Err(Invalid::new(
            "points",
            format!(
                "Give points for each of the {} criteria (this review has {}).",
                criteria.len(),
                points.len()
            ),
        ));
    }
    for (c, p) in criteria.iter().zip(points) {
        if !p.is_finite() || *p < 0.0 || *p > c.max_points + 1e-9 {
            return Err(Invalid::new(
                "points",
                format!(
                    "Give “{}” from 0 to {} points (not {p}).",
                    c.name, c.max_points
                ),
            ));
        }
    }
    let n = comment.chars().count();
    if n > COMMENT_MAX_CHARS {
        return Err(Invalid::new(
            "comment",
            format!("Keep the comment to {COMMENT_MAX_CHARS} characters (it has {n})."),
        ));
    }
    let given: f64 = points.iter().sum();
    let total: f64 = criteria.iter().map(|c| c.max_points).sum();
    let score = if total > 0.0 {
        (question.points * given / total * 10_000.0).round() / 10_000.0
    } else {
        0.0
    };
    Ok(Review {
        points: points.to_vec(),
        comment: comment.trim().to_owned(),
        score: score.min(question.points),
        max: question.points,
    })
}

/// Whether an attempt passes: its score reaches the pass mark (per cent) of its maximum.
pub fn passes(score: f64, max: f64, pass_mark: i32) -> bool {
    max > 0.0 && score / max * 100.0 + 1e-9 >= f64::from(pass_mark)
}

/// The bands an essay question's score distribution is counted in, as shares of the
/// question's points: below a quarter, below a half, below three quarters, and the rest
/// (full marks included).
pub const SCORE_BANDS: [&str; 4] = ["0–24 %", "25–49 %", "50–74 %", "75–100 %"];

/// How many scores (each a share of the maximum, 0 to 1) fall in each of [`SCORE_BANDS`].
/// A share outside 0..=1 (or not a number) is clamped into the nearest band.
pub fn score_bands(shares: &[f64]) -> [usize; 4] {
    let mut out = [0; 4];
    for s in shares {
        let s = if s.is_finite() {
            s.clamp(0.0, 1.0)
        } else {
            0.0
        };
        // 1e-9: a share of exactly 0.25 (1 of 4 points) belongs to the second band.
        let band = ((s + 1e-9) * 4.0).floor() as usize;
        out[band.min(3)] += 1;
    }
    out
}

/// Reviews of one answer within this share of the maximum of each other agree.
pub const AGREEMENT_TOLERANCE: f64 = 0.1;

/// How far the reviewers of the same answers agree (decision 0046), over the answers that
/// have two reviews or more.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// Answers with two reviews or more.
    pub answers: usize,
    /// The mean, over those answers, of the spread between the highest and lowest review,
    /// as a share of the maximum; `None` without such answers.
    pub mean_spread: Option<f64>,
    /// The share of those answers whose reviews are all within [`AGREEMENT_TOLERANCE`] of
    /// each other; `None` without such answers.
    pub agreeing: Option<f64>,
}

/// Reviewer agreement from each answer's review scores (as shares of the maximum). Answers
/// with a single review say nothing about agreement and are left out.
pub fn agreement(reviews_per_answer: &[Vec<f64>]) -> Agreement {
    let spreads: Vec<f64> = reviews_per_answer
        .iter()
        .filter(|r| r.len() >= 2)
        .map(|r| {
            let hi = r.iter().copied().fold(f64::MIN, f64::max);
            let lo = r.iter().copied().fold(f64::MAX, f64::min);
            hi - lo
        })
        .collect();
    if spreads.is_empty() {
        return Agreement {
            answers: 0,
            mean_spread: None,
            agreeing: None,
        };
    }
    let n = spreads.len() as f64;
    Agreement {
        answers: spreads.len(),
        mean_spread: Some(spreads.iter().sum::<f64>() / n),
        agreeing: Some(
            spreads
                .iter()
                .filter(|d| **d <= AGREEMENT_TOLERANCE + 1e-9)
                .count() as f64
                / n,
        ),
    }
}

/// The most peers an author may ask to review each answer.
pub const MAX_PEERS: i32 = 5;

/// A course's peer review (decision 0050): how many peers review each open answer, and by
/// how many points (of the question, as it counts in the attempt) their scores may differ
/// for their mean to count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PeerReview {
    pub peers: i32,
    pub threshold: f64,
}

/// Checks a peer review setting: 1 to [`MAX_PEERS`] peers, a threshold from 0 to the most
/// points a question may have.
pub fn check_peer_review(p: &PeerReview) -> Result<(), Invalid> {
    if !(1..=MAX_PEERS).contains(&p.peers) {
        return Err(Invalid::new(
            "peers",
            format!(
                "Ask 1 to {MAX_PEERS} peers to review each answer (not {}).",
                p.peers
            ),
        ));
    }
    if !p.threshold.is_finite() || p.threshold < 0.0 || p.threshold > Question::MAX_POINTS {
        return Err(Invalid::new(
            "threshold",
            format!(
                "Give the disagreement threshold from 0 to {} points.",
                Question::MAX_POINTS
            ),
        ));
    }
    Ok(())
}

/// Where the peer reviews of one answer stand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PeerVerdict {
    /// Fewer peer reviews than asked for: this many more are needed.
    Waiting(usize),
    /// All asked for are in and within the threshold: their mean counts (rounded to
    /// hundredths of a point, halves away from zero).
    Agreed(f64),
    /// All asked for are in and the highest and lowest differ by more than the threshold:
    /// a coach settles it.
    Disagree,
}

/// The rule for peer reviews (decision 0050): once `setting.peers` scores (the question's
/// points each peer gave) are in, they count as their mean if the highest and the lowest are
/// at most `setting.threshold` apart, and go to a coach otherwise. Extra scores beyond the
/// number asked for (a setting lowered meanwhile) are left out: the first ones count.
pub fn settle_by_peers(scores: &[f64], setting: &PeerReview) -> PeerVerdict {
    let needed = usize::try_from(setting.peers.max(1)).unwrap_or(1);
    if scores.len() < needed {
        return PeerVerdict::Waiting(needed - scores.len());
    }
    let counted = &scores[..needed];
    let hi = counted.iter().copied().fold(f64::MIN, f64::max);
    let lo = counted.iter().copied().fold(f64::MAX, f64::min);
    if hi - lo > setting.threshold + 1e-9 {
        return PeerVerdict::Disagree;
    }
    let mean = counted.iter().sum::<f64>() / counted.len() as f64;
    PeerVerdict::Agreed((mean * 100.0).round() / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn essay(rubric: Vec<RubricCriterion>, points: f64) -> Question {
        Question {
            prompt: "Why?".to_owned(),
            body: QuestionBody::Essay {
                rubric,
                model_answer: "Because.".to_owned(),
            },
            points,
            explanation: String::new(),
        }
    }

    fn criterion(name: &str, max_points: f64) -> RubricCriterion {
        RubricCriterion {
            name: name.to_owned(),
            max_points,
        }
    }

    #[test]
    fn a_rubric_is_read_one_criterion_a_line() {
        let r = parse_rubric("Argument: 4\n\n  Sources : 2.5 \n").expect("good");
        assert_eq!(
            r,
            vec![criterion("Argument", 4.0), criterion("Sources", 2.5)]
        );
        assert_eq!(parse_rubric(&rubric_text(&r)).expect("again"), r);
        assert!(parse_rubric("").expect("empty").is_empty());
    }

    #[test]
    fn a_bad_rubric_says_which_line_or_criterion() {
        let e = parse_rubric("Argument: 4\nSources").expect_err("no points");
        assert!(e.message.contains("Line 2"), "{}", e.message);
        let e = parse_rubric("Argument: four").expect_err("not a number");
        assert!(e.message.contains("Line 1"), "{}", e.message);
        let e = parse_rubric("Argument: 0").expect_err("zero");
        assert!(e.message.contains("criterion 1"), "{}", e.message);
        let e = parse_rubric(": 3").expect_err("no name");
        assert_eq!(e.field, "rubric");
        let many = (0..13).map(|i| format!("c{i}: 1\n")).collect::<String>();
        assert!(parse_rubric(&many).is_err());
        let long = "x".repeat(MODEL_ANSWER_MAX_CHARS + 1);
        assert_eq!(
            check_rubric(&[], &long).expect_err("long").field,
            "model_answer"
        );
    }

    #[test]
    fn points_scale_from_the_rubric_to_the_question() {
        let q = essay(
            vec![criterion("Argument", 4.0), criterion("Sources", 6.0)],
            5.0,
        );
        let r = review(&q, &[4.0, 3.0], " Good. ").expect("good");
        assert_eq!(r.score, 3.5);
        assert_eq!(r.max, 5.0);
        assert_eq!(r.comment, "Good.");
        assert_eq!(review(&q, &[4.0, 6.0], "").expect("full").score, 5.0);
        assert_eq!(review(&q, &[0.0, 0.0], "").expect("none").score, 0.0);
    }

    #[test]
    fn points_outside_a_criterion_are_refused() {
        let q = essay(
            vec![criterion("Argument", 4.0), criterion("Sources", 6.0)],
            5.0,
        );
        assert_eq!(
            review(&q, &[5.0, 0.0], "").expect_err("over").field,
            "points"
        );
        assert_eq!(
            review(&q, &[-1.0, 0.0], "").expect_err("negative").field,
            "points"
        );
        assert_eq!(
            review(&q, &[f64::NAN, 0.0], "").expect_err("nan").field,
            "points"
        );
        assert_eq!(review(&q, &[1.0], "").expect_err("too few").field, "points");
        let long = "x".repeat(COMMENT_MAX_CHARS + 1);
        assert_eq!(
            review(&q, &[1.0, 1.0], &long).expect_err("long").field,
            "comment"
        );
    }

    #[test]
    fn an_essay_without_a_rubric_is_scored_overall() {
        let q = essay(Vec::new(), 3.0);
        assert_eq!(criteria_of(&q), Some(vec![criterion("Overall", 3.0)]));
        assert_eq!(review(&q, &[1.5], "").expect("good").score, 1.5);
        assert!(review(&q, &[3.5], "").is_err());
    }

    #[test]
    fn only_a_written_essay_waits_for_review() {
        let q = essay(Vec::new(), 1.0);
        assert!(needs_review(&q, Some(&Answer::Text("My view".into()))));
        assert!(!needs_review(&q, Some(&Answer::Text("  ".into()))));
        assert!(!needs_review(&q, None));
        assert!(!needs_review(&q, Some(&Answer::Bool(true))));
        assert!(check_answer(&"x".repeat(ANSWER_MAX_CHARS)).is_ok());
        assert!(check_answer(&"x".repeat(ANSWER_MAX_CHARS + 1)).is_err());
    }

    #[test]
    fn old_essays_load_and_keep_their_stored_form() {
        let q: Question =
            serde_json::from_str(r#"{"prompt":"E","kind":"essay","points":2.0}"#).expect("loads");
        assert_eq!(criteria_of(&q), Some(vec![criterion("Overall", 2.0)]));
        let json = serde_json::to_string(&q).expect("json");
        assert!(
            !json.contains("rubric") && !json.contains("model_answer"),
            "{json}"
        );
    }

    #[test]
    fn the_pass_mark_is_a_share_of_the_maximum() {
        assert!(passes(8.0, 10.0, 80));
        assert!(!passes(7.9, 10.0, 80));
        assert!(!passes(0.0, 0.0, 0));
    }

    #[test]
    fn scores_are_counted_in_quarter_bands_of_the_maximum() {
        // 0 and 0.2 low; exactly a quarter goes up; a half; 0.74; full marks in the top band.
        let bands = score_bands(&[0.0, 0.2, 0.25, 0.5, 0.74, 0.75, 1.0]);
        assert_eq!(bands, [2, 1, 2, 2]);
        assert_eq!(score_bands(&[]), [0, 0, 0, 0]);
        // Out of range or not a number: clamped, never a panic.
        assert_eq!(score_bands(&[-1.0, 7.0, f64::NAN]), [2, 0, 0, 1]);
    }

    #[test]
    fn agreement_is_read_only_from_answers_reviewed_twice() {
        // Single reviews say nothing.
        let none = agreement(&[vec![0.5], vec![1.0]]);
        assert_eq!(none.answers, 0);
        assert_eq!(none.mean_spread, None);
        assert_eq!(none.agreeing, None);
        // Spreads 0.05 (agree), 0.5 (disagree) and, with three reviews, 0.8 − 0.7 = 0.1
        // (agree, at the tolerance): mean 0.65 / 3.
        let a = agreement(&[
            vec![0.5, 0.55],
            vec![0.0, 0.5],
            vec![0.7, 0.8, 0.75],
            vec![1.0],
        ]);
        assert_eq!(a.answers, 3);
        assert!(
            (a.mean_spread.expect("spread") - 0.65 / 3.0).abs() < 1e-9,
            "{a:?}"
        );
        assert!(
            (a.agreeing.expect("agreeing") - 2.0 / 3.0).abs() < 1e-9,
            "{a:?}"
        );
    }

    fn peers(peers: i32, threshold: f64) -> PeerReview {
        PeerReview { peers, threshold }
    }

    #[test]
    fn a_peer_review_setting_is_checked() {
        assert!(check_peer_review(&peers(1, 0.0)).is_ok());
        assert!(check_peer_review(&peers(5, 2.5)).is_ok());
        assert_eq!(
            check_peer_review(&peers(0, 1.0)).expect_err("none").field,
            "peers"
        );
        assert_eq!(
            check_peer_review(&peers(6, 1.0)).expect_err("six").field,
            "peers"
        );
        assert_eq!(
            check_peer_review(&peers(2, -1.0))
                .expect_err("negative")
                .field,
            "threshold"
        );
        assert_eq!(
            check_peer_review(&peers(2, f64::NAN))
                .expect_err("nan")
                .field,
            "threshold"
        );
    }

    #[test]
    fn peers_within_the_threshold_count_as_their_mean() {
        let two = peers(2, 1.0);
        assert_eq!(settle_by_peers(&[], &two), PeerVerdict::Waiting(2));
        assert_eq!(settle_by_peers(&[3.0], &two), PeerVerdict::Waiting(1));
        assert_eq!(settle_by_peers(&[3.0, 4.0], &two), PeerVerdict::Agreed(3.5));
        // Exactly at the threshold still agrees.
        assert_eq!(settle_by_peers(&[2.0, 3.0], &two), PeerVerdict::Agreed(2.5));
        assert_eq!(settle_by_peers(&[1.0, 3.0], &two), PeerVerdict::Disagree);
        // A threshold of 0 wants the same score.
        assert_eq!(
            settle_by_peers(&[2.0, 2.0], &peers(2, 0.0)),
            PeerVerdict::Agreed(2.0)
        );
        assert_eq!(
            settle_by_peers(&[2.0, 2.1], &peers(2, 0.0)),
            PeerVerdict::Disagree
        );
    }

    #[test]
    fn the_mean_is_rounded_to_hundredths() {
        // 1 + 1 + 2 = 4 / 3 = 1.333… → 1.33; 1 + 2 + 2 = 5 / 3 = 1.666… → 1.67.
        let three = peers(3, 1.0);
        assert_eq!(
            settle_by_peers(&[1.0, 1.0, 2.0], &three),
            PeerVerdict::Agreed(1.33)
        );
        assert_eq!(
            settle_by_peers(&[1.0, 2.0, 2.0], &three),
            PeerVerdict::Agreed(1.67)
        );
        // A half of a hundredth goes up: (0 + 0.01) / 2 = 0.005 → 0.01.
        assert_eq!(
            settle_by_peers(&[0.0, 0.01], &peers(2, 1.0)),
            PeerVerdict::Agreed(0.01)
        );
        // Only the first scores asked for count (the setting lowered meanwhile).
        assert_eq!(
            settle_by_peers(&[2.0, 9.0], &peers(1, 0.0)),
            PeerVerdict::Agreed(2.0)
        );
    }
}
