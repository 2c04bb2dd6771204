//! The answers marked `=` and `~`: choices, short answers and matching pairs.

use super::errors::{LineError, one};
use super::option_id;
use super::tokens::{Tok, find, formatted, is, line_of, split, text, trim};
use crate::question::{ChoiceOption, Distractor, GradedText, MatchPair, QuestionBody};

/// An answer starting with `=` or `~`, split into its parts.
pub(super) struct MarkedAnswer {
    pub(super) marker: char,
    pub(super) line: usize,
    pub(super) weight: Option<f64>,
    pub(super) text: String,
    /// `left -> right`, when the text has an arrow.
    pub(super) pair: Option<(String, String)>,
    pub(super) feedback: Option<String>,
}

impl MarkedAnswer {
    pub(super) fn is_full(&self) -> bool {
        self.weight.is_none_or(|w| (w - 100.0).abs() < 1e-9)
    }

    pub(super) fn error(&self, reason: impl Into<String>) -> LineError {
        LineError {
            line: self.line,
            reason: reason.into(),
        }
    }
}

/// Splits at each unescaped `=` or `~`; what comes before the first must be blank.
pub(super) fn split_marked(
    toks: &[Tok],
    start: usize,
) -> Result<Vec<MarkedAnswer>, Vec<LineError>> {
    let markers: Vec<usize> = toks
        .iter()
        .enumerate()
        .filter(|(_, t)| is(t, '=') || is(t, '~'))
        .map(|(i, _)| i)
        .collect();
    let first = markers.first().copied().unwrap_or(toks.len());
    let before = toks.get(..first).unwrap_or_default();
    if !text(before).is_empty() {
        return Err(one(
            line_of(before, start),
            format!(
                "Expected an answer starting with = or ~ but found “{}”; the answers may also \
                 be T, F or a #number.",
                text(before)
            ),
        ));
    }
    let mut answers = Vec::new();
    let mut errors = Vec::new();
    for (i, &at) in markers.iter().enumerate() {
        let end = markers.get(i + 1).copied().unwrap_or(toks.len());
        let (Some(marker), Some(body)) = (toks.get(at), toks.get(at + 1..end)) else {
            continue;
        };
        match marked_answer(marker, body) {
            Ok(a) => answers.push(a),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

pub(super) fn marked_answer(marker: &Tok, body: &[Tok]) -> Result<MarkedAnswer, LineError> {
    let line = marker.line;
    let fail = |reason: String| LineError { line, reason };
    let mut rest = trim(body);
    let mut weight = None;
    if rest.first().is_some_and(|t| is(t, '%')) {
        let after = rest.get(1..).unwrap_or_default();
        let Some(end) = find(after, "%") else {
            return Err(fail(
                "A weight is not closed: write it like ~%50%answer.".to_owned(),
            ));
        };
        let raw = text(after.get(..end).unwrap_or_default());
        let w = raw
            .parse::<f64>()
            .ok()
            .filter(|w| w.is_finite() && (-100.0..=100.0).contains(w))
            .ok_or_else(|| {
                fail(format!(
                    "The weight %{raw}% is not a percentage between -100 and 100."
                ))
            })?;
        weight = Some(w);
        rest = after.get(end + 1..).unwrap_or_default();
    }
    let (text_part, feedback) = match split(rest, '#').as_slice() {
        [t] => (*t, None),
        [t, f] => (*t, Some(formatted(f))),
        _ => {
            return Err(fail(
                "An answer has more than one # feedback; write \\# for a literal #.".to_owned(),
            ));
        }
    };
    let pair = find(text_part, "->").map(|at| {
        (
            formatted(text_part.get(..at).unwrap_or_default()),
            formatted(text_part.get(at + 2..).unwrap_or_default()),
        )
    });
    Ok(MarkedAnswer {
        marker: marker.ch,
        line,
        weight,
        text: formatted(text_part),
        pair,
        feedback,
    })
}

pub(super) fn marked_answers(toks: &[Tok], start: usize) -> Result<QuestionBody, Vec<LineError>> {
    let answers = split_marked(toks, start)?;
    if answers.iter().any(|a| a.pair.is_some()) {
        matching(answers, start)
    } else if answers.iter().all(|a| a.marker == '=') {
        short_answer(&answers, start)
    } else {
        choice(&answers, start)
    }
}

pub(super) fn matching(
    answers: Vec<MarkedAnswer>,
    start: usize,
) -> Result<QuestionBody, Vec<LineError>> {
    if answers.iter().any(|a| a.marker != '=' || a.pair.is_none()) {
        return Err(one(
            start,
            "A matching question takes only pairs written =left -> right (or = -> right for a \
             distractor); this one mixes them with other answers.",
        ));
    }
    let mut pairs = Vec::new();
    let mut distractors = Vec::new();
    let mut errors = Vec::new();
    for (i, a) in answers.into_iter().enumerate() {
        if a.weight.is_some() {
            errors.push(a.error("Matching pairs take no %weight%."));
        } else if a.feedback.is_some() {
            errors.push(a.error("Matching pairs take no # feedback; use #### general feedback."));
        } else if let Some((left, right)) = a.pair {
            if right.is_empty() {
                errors.push(LineError {
                    line: a.line,
                    reason: format!("Pair {} needs text on the right of ->.", i + 1),
                });
            } else if left.is_empty() {
                distractors.push(Distractor {
                    id: format!("d{}", distractors.len() + 1),
                    text: right,
                });
            } else {
                pairs.push(MatchPair {
                    id: format!("p{}", pairs.len() + 1),
                    left,
                    right,
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(QuestionBody::Matching {
            pairs,
            partial_credit: true,
            distractors,
        })
    } else {
        Err(errors)
    }
}

/// Only `=` answers: a short answer. Those worth 100 % are accepted; the others keep their
/// weight; every one keeps its feedback.
pub(super) fn short_answer(
    answers: &[MarkedAnswer],
    start: usize,
) -> Result<QuestionBody, Vec<LineError>> {
    let mut errors = Vec::new();
    for (i, a) in answers.iter().enumerate() {
        if a.text.is_empty() {
            errors.push(a.error(format!("Answer {} is empty.", i + 1)));
        } else if a.weight.is_some_and(|w| w < 0.0) {
            errors.push(a.error(format!(
                "Answer {} has a negative weight; short answers are worth 0 to 100 %.",
                i + 1
            )));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (full, partial): (Vec<&MarkedAnswer>, Vec<&MarkedAnswer>) =
        answers.iter().partition(|a| a.is_full());
    if full.is_empty() {
        return Err(one(
            start,
            "No answer is worth 100 %: mark the fully right one with = and no weight.",
        ));
    }
    let accepted = full.iter().map(|a| a.text.clone()).collect();
    let mut feedback: Vec<String> = full
        .iter()
        .map(|a| a.feedback.clone().unwrap_or_default())
        .collect();
    while feedback.last().is_some_and(String::is_empty) {
        feedback.pop();
    }
    let others = partial
        .iter()
        .map(|a| GradedText {
            text: a.text.clone(),
            weight: a.weight.unwrap_or(0.0),
            feedback: a.feedback.clone().unwrap_or_default(),
        })
        .collect();
    Ok(QuestionBody::ShortText {
        accepted,
        case_sensitive: false,
        feedback,
        others,
    })
}

/// `=` and `~` answers. As in Moodle, any `=` makes a single choice (the first fully right
/// answer is the correct one; other answers keep their weight); without `=` it is a multiple
/// choice whose positive weights mark the correct options.
pub(super) fn choice(
    answers: &[MarkedAnswer],
    start: usize,
) -> Result<QuestionBody, Vec<LineError>> {
    let errors: Vec<LineError> = answers
        .iter()
        .enumerate()
        .filter(|(_, a)| a.text.is_empty())
        .map(|(i, a)| a.error(format!("Answer {} is empty.", i + 1)))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let single = answers.iter().any(|a| a.marker == '=');
    if single {
        let Some(key) = answers.iter().position(|a| a.marker == '=' && a.is_full()) else {
            return Err(one(
                start,
                "No answer is worth 100 %: mark the right one with = and no weight.",
            ));
        };
        let options = answers
            .iter()
            .enumerate()
            .map(|(i, a)| ChoiceOption {
                id: option_id(i),
                text: a.text.clone(),
                correct: i == key,
                feedback: a.feedback.clone().unwrap_or_default(),
                // Another = is another fully right answer.
                weight: if i == key {
                    None
                } else if a.marker == '=' {
                    Some(a.weight.unwrap_or(100.0))
                } else {
                    a.weight
                },
            })
            .collect();
        return Ok(QuestionBody::SingleChoice { options });
    }
    let options: Vec<ChoiceOption> = answers
        .iter()
        .enumerate()
        .map(|(i, a)| ChoiceOption {
            id: option_id(i),
            text: a.text.clone(),
            correct: a.weight.is_some_and(|w| w > 0.0),
            feedback: a.feedback.clone().unwrap_or_default(),
            weight: a.weight,
        })
        .collect();
    if !options.iter().any(|o| o.correct) {
        return Err(one(
            start,
            "No correct answer: mark the right one with =, or give the right ones positive \
             weights like ~%50%.",
        ));
    }
    Ok(QuestionBody::MultipleChoice {
        options,
        partial_credit: true,
    })
}
