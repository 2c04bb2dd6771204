//! Question banks: a group's named collection of questions, each with a topic, from which an
//! evaluation draws N questions at random for every attempt (docs/decisions/0044).

use crate::Invalid;
use crate::policy::Actor;
use crate::question::shuffle;
use crate::role::Role;

/// The most questions one draw takes.
pub const MAX_DRAW: u32 = 100;
/// The most questions a bank holds.
pub const MAX_BANK_QUESTIONS: usize = 2_000;

/// A bank's name: 1 to 120 characters on one line (white space runs become one space), no
/// other control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankName(String);

impl BankName {
    pub const MAX_CHARS: usize = 120;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name = one_line(raw);
        if name.is_empty() {
            return Err(Invalid::new("name", "Give the bank a name."));
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(Invalid::new(
                "name",
                "A bank's name has at most 120 characters.",
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(Invalid::new("name", "A bank's name is one line of text."));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A question's topic inside a bank: empty (none) or up to 80 characters on one line. GIFT's
/// `$CATEGORY: a/b` becomes the topic `a/b`.
pub fn parse_topic(raw: &str) -> Result<String, Invalid> {
    let topic = one_line(raw);
    if topic.chars().count() > TOPIC_MAX_CHARS {
        return Err(Invalid::new("topic", "A topic has at most 80 characters."));
    }
    if topic.chars().any(char::is_control) {
        return Err(Invalid::new("topic", "A topic is one line of text."));
    }
    Ok(topic)
}

/// The longest topic.
pub const TOPIC_MAX_CHARS: usize = 80;

/// Text as one line: white space runs (tabs and line breaks too) become one space, and
/// none is left at either end. Other control characters stay, for the caller to refuse.
fn one_line(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How many questions a draw takes, as a form or a body gives it: 1 to [`MAX_DRAW`].
pub fn parse_draw_count(raw: &str) -> Result<u32, Invalid> {
    match raw.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_DRAW).contains(&n) => Ok(n),
        _ => Err(Invalid::new(
            "count",
            format!("Draw a whole number of questions from 1 to {MAX_DRAW}."),
        )),
    }
}

/// Whether the menu offers the question banks: to platform administrators and to whoever holds
/// at least the author role in some group. The policy's `KeepQuestionBanks` also asks for the
/// group's own author role, which the session does not carry; a group that raises it above
/// a member's role still shows them the (then empty) list (decision 0047).
pub fn offers_banks(actor: &Actor) -> bool {
    actor.platform_admin || actor.memberships.iter().any(|(_, r)| *r >= Role::Author)
}

/// How hard a bank question proved, from the share of scored attempts that answered it fully
/// right (its difficulty index, decision 0047): easy from 70 %, hard below 30 %, medium between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

/// A question counts as rated from this many scored attempts; before, it is "unrated" and no
/// difficulty filter picks it.
pub const MIN_RATED_ANSWERS: u64 = 5;
/// Easy: at least this share (per cent) answered right.
pub const EASY_FROM_PERCENT: u64 = 70;
/// Hard: less than this share (per cent) answered right.
pub const HARD_BELOW_PERCENT: u64 = 30;

impl Difficulty {
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard];

    /// The word stored and sent: `easy`, `medium`, `hard`.
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "easy" => Ok(Difficulty::Easy),
            "medium" => Ok(Difficulty::Medium),
            "hard" => Ok(Difficulty::Hard),
            _ => Err(Invalid::new(
                "difficulty",
                "Choose a difficulty: easy, medium or hard (or any).",
            )),
        }
    }

    /// The band as a page says it, with its bounds.
    pub fn label(self) -> String {
        match self {
            Difficulty::Easy => format!("Easy ({EASY_FROM_PERCENT} % or more answer it right)"),
            Difficulty::Medium => {
                format!("Medium ({HARD_BELOW_PERCENT} % to {EASY_FROM_PERCENT} % answer it right)")
            }
            Difficulty::Hard => format!("Hard (under {HARD_BELOW_PERCENT} % answer it right)"),
        }
    }

    /// The band of a question `answered` scored attempts drew, `right` of them fully right;
    /// `None` (unrated) under [`MIN_RATED_ANSWERS`]. Whole numbers only, so that the store's
    /// SQL filter ([`Difficulty::bounds`]) and this agree exactly.
    pub fn of(answered: u64, right: u64) -> Option<Self> {
        if answered < MIN_RATED_ANSWERS {
            return None;
        }
        let right = right.min(answered);
        Some(if right * 100 >= EASY_FROM_PERCENT * answered {
            Difficulty::Easy
        } else if right * 100 < HARD_BELOW_PERCENT * answered {
            Difficulty::Hard
        } else {
            Difficulty::Medium
        })
    }

    /// The band as `(from, below)` per cent of right answers: `100 · right ≥ from · answered`
    /// and `100 · right < below · answered` (`below` over 100 means no upper bound).
    pub fn bounds(self) -> (u64, u64) {
        match self {
            Difficulty::Easy => (EASY_FROM_PERCENT, 101),
            Difficulty::Medium => (HARD_BELOW_PERCENT, EASY_FROM_PERCENT),
            Difficulty::Hard => (0, HARD_BELOW_PERCENT),
        }
    }
}

/// A draw's difficulty as a form or a body gives it: empty or `any` for any.
pub fn parse_difficulty(raw: &str) -> Result<Option<Difficulty>, Invalid> {
    match raw.trim() {
        "" | "any" => Ok(None),
        other => Difficulty::parse(other).map(Some),
    }
}

/// Whether a bank filter holding `available` questions can serve a draw of `count`.
pub fn check_draw(count: u32, available: usize) -> Result<(), Invalid> {
    if count as usize > available {
        let held = match available {
            0 => "no question".to_owned(),
            1 => "1 question".to_owned(),
            n => format!("{n} questions"),
        };
        return Err(Invalid::new(
            "count",
            format!(
                "The bank holds {held} for this choice, so an attempt cannot draw {count}. \
                 Draw at most {available}, or add questions to the bank."
            ),
        ));
    }
    Ok(())
}

/// The positions (into a list of `available` candidates) an attempt with `seed` draws: `count`
/// distinct ones, in the order they are shown. The same seed always draws the same; a draw
/// never takes more than there are.
pub fn draw(available: usize, count: usize, seed: u64) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..available).collect();
    shuffle(&mut positions, seed);
    positions.truncate(count.min(available));
    positions
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn names_are_checked() {
        assert_eq!(
            BankName::parse("  Safety basics ").map(|n| n.as_str().to_owned()),
            Ok("Safety basics".to_owned())
        );
        assert!(BankName::parse("   ").is_err());
        assert!(BankName::parse(&"x".repeat(121)).is_err());
        // Line breaks and tabs become spaces, as the document's pattern allows them; other
        // control characters are refused.
        assert_eq!(
            BankName::parse("two\n\tlines").map(|n| n.as_str().to_owned()),
            Ok("two lines".to_owned())
        );
        assert!(BankName::parse("bell\u{7}").is_err());
        assert!(parse_topic("a\u{1b}b").is_err());
        assert_eq!(parse_topic(" Forklifts "), Ok("Forklifts".to_owned()));
        assert_eq!(parse_topic(""), Ok(String::new()));
        assert!(parse_topic(&"t".repeat(81)).is_err());
    }

    #[test]
    fn counts_are_checked() {
        assert_eq!(parse_draw_count("5"), Ok(5));
        for bad in ["0", "-1", "101", "five", ""] {
            assert!(parse_draw_count(bad).is_err(), "{bad}");
        }
        assert!(check_draw(5, 5).is_ok());
        let e = check_draw(6, 5).expect_err("too many");
        assert!(e.message.contains("holds 5 questions"), "{}", e.message);
        assert!(check_draw(1, 0).is_err());
    }

    #[test]
    fn difficulty_bands_follow_the_share_answered_right() {
        // Too few answers: unrated, whatever the share.
        assert_eq!(Difficulty::of(0, 0), None);
        assert_eq!(Difficulty::of(4, 4), None);
        assert_eq!(Difficulty::of(5, 5), Some(Difficulty::Easy));
        // The bounds: 70 % is easy, 30 % is medium, just under 30 % is hard.
        assert_eq!(Difficulty::of(10, 7), Some(Difficulty::Easy));
        assert_eq!(Difficulty::of(10, 6), Some(Difficulty::Medium));
        assert_eq!(Difficulty::of(10, 3), Some(Difficulty::Medium));
        assert_eq!(Difficulty::of(10, 2), Some(Difficulty::Hard));
        assert_eq!(Difficulty::of(7, 0), Some(Difficulty::Hard));
        assert_eq!(Difficulty::of(1000, 299), Some(Difficulty::Hard));
        // A count of right answers above the answers is read as all right.
        assert_eq!(Difficulty::of(5, 9), Some(Difficulty::Easy));
        // The SQL bounds say the same as `of` for every small case.
        for answered in MIN_RATED_ANSWERS..40 {
            for right in 0..=answered {
                let band = Difficulty::of(answered, right).expect("rated");
                for d in Difficulty::ALL {
                    let (from, below) = d.bounds();
                    let inside = right * 100 >= from * answered && right * 100 < below * answered;
                    assert_eq!(inside, d == band, "{right} of {answered} in {d:?}");
                }
            }
        }
    }

    #[test]
    fn the_menu_offers_banks_to_authors_and_above() {
        use crate::ids::{GroupId, UserId};
        let actor = |platform_admin, memberships: Vec<(GroupId, Role)>| Actor {
            user_id: UserId(1),
            active: true,
            platform_admin,
            within: memberships.iter().map(|(g, _)| *g).collect(),
            memberships,
        };
        assert!(!offers_banks(&actor(false, vec![])));
        assert!(!offers_banks(&actor(
            false,
            vec![(GroupId(1), Role::Learner)]
        )));
        for r in [Role::Author, Role::Coach, Role::Admin] {
            assert!(offers_banks(&actor(
                false,
                vec![(GroupId(1), Role::Learner), (GroupId(2), r)]
            )));
        }
        assert!(offers_banks(&actor(true, vec![])));
    }

    #[test]
    fn difficulty_words_are_checked() {
        for d in Difficulty::ALL {
            assert_eq!(Difficulty::parse(d.as_str()), Ok(d));
            assert_eq!(parse_difficulty(d.as_str()), Ok(Some(d)));
        }
        assert_eq!(parse_difficulty(""), Ok(None));
        assert_eq!(parse_difficulty("any"), Ok(None));
        assert_eq!(parse_difficulty(" Hard "), Ok(Some(Difficulty::Hard)));
        for bad in ["tricky", "0", "<b>"] {
            assert!(parse_difficulty(bad).is_err(), "{bad}");
        }
        assert!(Difficulty::Hard.label().contains("under 30 %"));
    }

    #[test]
    fn a_draw_is_distinct_bounded_and_repeatable() {
        let d = draw(30, 5, 42);
        assert_eq!(d.len(), 5);
        assert_eq!(d.iter().collect::<BTreeSet<_>>().len(), 5);
        assert!(d.iter().all(|&i| i < 30));
        assert_eq!(draw(30, 5, 42), d);
        assert_eq!(draw(3, 5, 1).len(), 3);
        assert!(draw(0, 5, 1).is_empty());
    }

    #[test]
    fn different_seeds_draw_differently() {
        let draws: BTreeSet<Vec<usize>> = (0..50).map(|seed| draw(30, 5, seed)).collect();
        assert!(draws.len() > 45, "{} distinct draws of 50", draws.len());
        // Every question of the bank comes up over many draws.
        let seen: BTreeSet<usize> = (0..200).flat_map(|seed| draw(30, 5, seed)).collect();
        assert_eq!(seen.len(), 30);
    }
}
