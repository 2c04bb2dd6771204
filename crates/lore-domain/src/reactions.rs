//! Reactions on steps, the reaction score of a step or course, and course health.
//! The formulas here are the contract the help text quotes; change both together.

use serde::{Deserialize, Serialize};

use crate::Invalid;

/// What a learner can say about a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReactionKind {
    Useful,
    Learned,
    Liked,
    Outdated,
    Question,
    Unclear,
}

impl ReactionKind {
    pub const ALL: [ReactionKind; 6] = [
        ReactionKind::Useful,
        ReactionKind::Learned,
        ReactionKind::Liked,
        ReactionKind::Outdated,
        ReactionKind::Question,
        ReactionKind::Unclear,
    ];

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        if raw.trim().is_empty() {
            return Err(Invalid::new(
                "kind",
                "Choose what is wrong: outdated, a question, or not clear.",
            ));
        }
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw.trim())
            .ok_or_else(|| {
                Invalid::new(
                    "kind",
                    "Unknown reaction; use useful, learned, liked, outdated, question or unclear.",
                )
            })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReactionKind::Useful => "useful",
            ReactionKind::Learned => "learned",
            ReactionKind::Liked => "liked",
            ReactionKind::Outdated => "outdated",
            ReactionKind::Question => "question",
            ReactionKind::Unclear => "unclear",
        }
    }

    pub fn is_positive(self) -> bool {
        matches!(
            self,
            ReactionKind::Useful | ReactionKind::Learned | ReactionKind::Liked
        )
    }

    /// Negative reactions ask for a short comment (what is outdated, what is unclear).
    pub fn wants_comment(self) -> bool {
        !self.is_positive()
    }
}

/// Fewer views than this and no score is shown: a handful of people is not a signal.
pub const MIN_VIEWS: u64 = 10;
/// The full ±100 needs at least one reaction per this many views; silence counts as neutral.
pub const VIEWS_PER_REACTION: u64 = 10;

/// The reaction score, −100 to 100, or `None` below [`MIN_VIEWS`] views:
///
/// `score = round(100 × (P − N) / max(P + N, ⌈V / 10⌉))`
///
/// where P is the number of positive reactions, N of negative ones and V the number of people
/// who viewed. The share of net positive reactions, shrunk toward 0 when few viewers react.
pub fn reaction_score(positive: u64, negative: u64, views: u64) -> Option<i32> {
    if views < MIN_VIEWS {
        return None;
    }
    let denominator = (positive + negative)
        .max(views.div_ceil(VIEWS_PER_REACTION))
        .max(1);
    let score = 100.0 * (positive as f64 - negative as f64) / denominator as f64;
    Some(score.round().clamp(-100.0, 100.0) as i32)
}

/// What course health is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct HealthInput {
    pub reaction_score: Option<i32>,
    pub open_outdated_flags: u64,
    pub unanswered_questions: u64,
    /// Open *not clear* reactions: a learner is stuck and waits for a better explanation.
    pub open_not_clear: u64,
    pub flagged_items: u64,
    /// Days since the last review (or, until reviews exist, the last published version).
    pub days_since_review: u64,
}

/// One reason health went down, with the points it cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthReason {
    pub points: u32,
    pub text: String,
}

/// Course health, 0 (needs attention now) to 100 (nothing to do), with its reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Health {
    pub score: u32,
    pub reasons: Vec<HealthReason>,
}

impl Health {
    /// The score in a word, so colour is never the only signal: `good` from 80, `fair` from
    /// 50, `poor` below.
    pub fn label(&self) -> &'static str {
        match self.score {
            80.. => "good",
            50..=79 => "fair",
            _ => "poor",
        }
    }
}

/// Health = 100 minus, each capped:
/// - 15 per open *outdated* flag (at most 45),
/// - 10 per unanswered question (at most 30),
/// - 10 per open *not clear* reaction (at most 30),
/// - 5 per evaluation question with an item-analysis flag (at most 20),
/// - for a negative reaction score, a fifth of it (at most 20),
/// - for age, 0 up to 180 days since review, then rising evenly to 20 at 365 days and beyond.
pub fn course_health(h: &HealthInput) -> Health {
    let mut reasons = Vec::new();
    let mut add = |points: u64, cap: u64, text: String| {
        let p = points.min(cap) as u32;
        if p > 0 {
            reasons.push(HealthReason { points: p, text });
        }
    };
    let plural = |n: u64, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    add(
        15 * h.open_outdated_flags,
        45,
        format!(
            "{} marked outdated",
            plural(h.open_outdated_flags, "step is", "steps are")
        ),
    );
    add(
        10 * h.unanswered_questions,
        30,
        format!(
            "{} waiting for an answer",
            plural(h.unanswered_questions, "question is", "questions are")
        ),
    );
    add(
        10 * h.open_not_clear,
        30,
        plural(
            h.open_not_clear,
            "open “not clear” reaction",
            "open “not clear” reactions",
        ),
    );
    add(
        5 * h.flagged_items,
        20,
        format!(
            "{} in the evaluation",
            plural(h.flagged_items, "question fails", "questions fail")
        ),
    );
    if let Some(s) = h.reaction_score.filter(|s| *s < 0) {
        add(
            u64::from(s.unsigned_abs()) / 5,
            20,
            format!("reactions are negative ({s})"),
        );
    }
    if h.days_since_review > 180 {
        let over = (h.days_since_review - 180).min(185);
        add(
            (over * 20).div_ceil(185),
            20,
            format!("not reviewed for {} days", h.days_since_review),
        );
    }
    reasons.sort_by_key(|r| std::cmp::Reverse(r.points));
    let lost: u32 = reasons.iter().map(|r| r.points).sum();
    Health {
        score: 100u32.saturating_sub(lost),
        reasons,
    }
}

/// The longest comment a reaction carries; longer belongs in a discussion.
pub const MAX_COMMENT_CHARS: usize = 1_000;

/// Check the comment of a reaction: negative kinds need a few words saying what is wrong,
/// positive ones may carry one. Returns the trimmed comment, if any.
pub fn reaction_comment(kind: ReactionKind, raw: &str) -> Result<Option<String>, Invalid> {
    let text = raw.trim();
    let n = text.chars().count();
    if n == 0 {
        if kind.wants_comment() {
            return Err(Invalid::new(
                "comment",
                match kind {
                    ReactionKind::Outdated => "Say in a few words what is outdated.",
                    ReactionKind::Question => "Write your question.",
                    _ => "Say in a few words what is not clear.",
                },
            ));
        }
        return Ok(None);
    }
    if n > MAX_COMMENT_CHARS {
        return Err(Invalid::new(
            "comment",
            format!(
                "Keep the comment to {MAX_COMMENT_CHARS} characters (this one has {n}); start a discussion for more."
            ),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Invalid::new(
            "comment",
            "Remove the control characters from the comment.",
        ));
    }
    Ok(Some(text.to_owned()))
}

/// What an author did with a negative reaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Answered in words (a question, or why the step is right).
    Answered(String),
    /// Fixed in a published version.
    Fixed(i32),
    /// Set aside, with the reason the reactor is told.
    Dismissed(String),
}

impl Resolution {
    /// From the resolve form: `answer` + note, `fixed` + version, or `dismiss` + reason.
    /// The actions [`Resolution::parse`] takes.
    pub const ACTIONS: [&'static str; 3] = ["answer", "fixed", "dismiss"];

    pub fn parse(action: &str, note: &str, version: Option<i32>) -> Result<Self, Invalid> {
        let note = note.trim();
        let words = |what: &str| -> Result<String, Invalid> {
            let n = note.chars().count();
            if n == 0 {
                return Err(Invalid::new("note", format!("Write {what}.")));
            }
            if n > MAX_COMMENT_CHARS * 4 {
                return Err(Invalid::new(
                    "note",
                    format!("Keep it to {} characters.", MAX_COMMENT_CHARS * 4),
                ));
            }
            Ok(note.to_owned())
        };
        match action {
            "answer" => Ok(Resolution::Answered(words("the answer")?)),
            "dismiss" => Ok(Resolution::Dismissed(words("the reason")?)),
            "fixed" => version
                .filter(|v| *v >= 1)
                .map(Resolution::Fixed)
                .ok_or_else(|| Invalid::new("version", "Choose the version with the fix.")),
            _ => Err(Invalid::new("action", "Answer, mark fixed or dismiss.")),
        }
    }

    pub fn status(&self) -> ReactionStatus {
        match self {
            Resolution::Answered(_) => ReactionStatus::Answered,
            Resolution::Fixed(_) => ReactionStatus::Fixed,
            Resolution::Dismissed(_) => ReactionStatus::Dismissed,
        }
    }
}

word_enum! {
    /// Where a negative reaction stands; positive reactions have none.
    pub enum ReactionStatus in "status" {
        Open = "open",
        Answered = "answered",
        Fixed = "fixed",
        Dismissed = "dismissed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_and_split_into_positive_and_negative() {
        for k in ReactionKind::ALL {
            assert_eq!(ReactionKind::parse(k.as_str()), Ok(k));
        }
        assert!(ReactionKind::parse("meh").is_err());
        assert!(ReactionKind::Useful.is_positive() && !ReactionKind::Outdated.is_positive());
        assert!(ReactionKind::Unclear.wants_comment() && !ReactionKind::Liked.wants_comment());
    }

    #[test]
    fn the_score_follows_the_formula() {
        // Below 10 views: no score.
        assert_eq!(reaction_score(5, 0, 9), None);
        // 40 views, 8 positive, 2 negative: max(10, ⌈40/10⌉ = 4) = 10 → 100·6/10 = 60.
        assert_eq!(reaction_score(8, 2, 40), Some(60));
        // 200 views but only 3 positive: max(3, 20) = 20 → 100·3/20 = 15 (silence is neutral).
        assert_eq!(reaction_score(3, 0, 200), Some(15));
        // All negative with plenty of reactions: −100.
        assert_eq!(reaction_score(0, 12, 50), Some(-100));
        // Views but no reactions at all: 0.
        assert_eq!(reaction_score(0, 0, 30), Some(0));
        // 1 positive, 2 negative, 10 views: max(3, 1) = 3 → −33.3 → −33.
        assert_eq!(reaction_score(1, 2, 10), Some(-33));
    }

    #[test]
    fn health_adds_up_its_reasons_with_caps() {
        assert_eq!(
            course_health(&HealthInput::default()),
            Health {
                score: 100,
                reasons: vec![]
            }
        );
        let h = course_health(&HealthInput {
            reaction_score: Some(-50),
            open_outdated_flags: 4,  // 60 → capped at 45
            unanswered_questions: 1, // 10
            flagged_items: 2,        // 10
            days_since_review: 365,  // 185 days over → 20
            ..HealthInput::default()
        });
        // 45 + 10 + 10 + 10 (a fifth of 50) + 20 = 95 → health 5.
        assert_eq!(h.score, 5);
        assert_eq!(h.reasons[0].points, 45);
        assert_eq!(h.reasons[0].text, "4 steps are marked outdated");
        assert_eq!(h.reasons.len(), 5);
        // Age: nothing up to 180 days, 1 point just after, 20 from 365 days on.
        assert!(
            course_health(&HealthInput {
                days_since_review: 180,
                ..HealthInput::default()
            })
            .reasons
            .is_empty()
        );
        assert_eq!(
            course_health(&HealthInput {
                days_since_review: 181,
                ..HealthInput::default()
            })
            .score,
            99
        );
        assert_eq!(
            course_health(&HealthInput {
                days_since_review: 900,
                ..HealthInput::default()
            })
            .score,
            80
        );
        // Losses beyond 100 leave health at 0.
        let worst = course_health(&HealthInput {
            reaction_score: Some(-100),
            open_outdated_flags: 9,
            unanswered_questions: 9,
            open_not_clear: 9,
            flagged_items: 9,
            days_since_review: 999,
        });
        assert_eq!(worst.score, 0);
    }

    #[test]
    fn open_not_clear_reactions_cost_health_with_their_own_reason() {
        let one = course_health(&HealthInput {
            open_not_clear: 1,
            ..HealthInput::default()
        });
        assert_eq!(one.score, 90);
        assert_eq!(
            one.reasons,
            vec![HealthReason {
                points: 10,
                text: "1 open “not clear” reaction".into()
            }]
        );
        let two = course_health(&HealthInput {
            open_not_clear: 2,
            ..HealthInput::default()
        });
        assert_eq!(two.score, 80);
        assert_eq!(two.reasons[0].text, "2 open “not clear” reactions");
        // Capped at 30, apart from questions (which have a cap of their own).
        let many = course_health(&HealthInput {
            open_not_clear: 7,
            unanswered_questions: 1,
            ..HealthInput::default()
        });
        assert_eq!(many.score, 60);
        assert_eq!(many.reasons[0].points, 30);
        assert_eq!(many.reasons[1].text, "1 question is waiting for an answer");
    }

    #[test]
    fn health_has_a_word_beside_its_number() {
        let at = |score| Health {
            score,
            reasons: vec![],
        };
        assert_eq!(at(100).label(), "good");
        assert_eq!(at(80).label(), "good");
        assert_eq!(at(79).label(), "fair");
        assert_eq!(at(50).label(), "fair");
        assert_eq!(at(49).label(), "poor");
        assert_eq!(at(0).label(), "poor");
    }

    #[test]
    fn negative_reactions_need_a_short_comment() {
        assert!(reaction_comment(ReactionKind::Outdated, "  ").is_err());
        assert_eq!(reaction_comment(ReactionKind::Liked, " "), Ok(None));
        assert_eq!(
            reaction_comment(ReactionKind::Unclear, " step 3? "),
            Ok(Some("step 3?".to_owned()))
        );
        let long = "x".repeat(MAX_COMMENT_CHARS + 1);
        assert!(reaction_comment(ReactionKind::Useful, &long).is_err());
        assert!(reaction_comment(ReactionKind::Question, "a\u{0}b").is_err());
    }

    #[test]
    fn resolutions_parse_from_the_form() {
        assert_eq!(
            Resolution::parse("fixed", "", Some(3)),
            Ok(Resolution::Fixed(3))
        );
        assert!(Resolution::parse("fixed", "", None).is_err());
        assert!(Resolution::parse("dismiss", " ", None).is_err());
        assert_eq!(
            Resolution::parse("answer", " yes ", None).map(|r| r.status()),
            Ok(ReactionStatus::Answered)
        );
        assert!(Resolution::parse("delete", "x", None).is_err());
    }

    #[test]
    fn reaction_status_words_round_trip_and_others_are_refused() {
        for &x in ReactionStatus::ALL {
            assert_eq!(ReactionStatus::parse(x.as_str()), Ok(x));
            assert_eq!(
                serde_json::to_string(&x).unwrap(),
                format!("\"{}\"", x.as_str())
            );
        }
        assert!(ReactionStatus::parse("closed").is_err());
        assert!(ReactionStatus::parse("").is_err());
    }

    #[test]
    fn reaction_kind_words_round_trip_and_others_are_refused() {
        for x in ReactionKind::ALL {
            assert_eq!(ReactionKind::parse(x.as_str()), Ok(x));
        }
        assert!(ReactionKind::parse("angry").is_err());
    }
}
