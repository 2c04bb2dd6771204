//! Question banks: a group's named collection of questions, each with a topic, from which an
//! evaluation draws N questions at random for every attempt (docs/decisions/0044).

use crate::Invalid;
use crate::question::shuffle;

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
