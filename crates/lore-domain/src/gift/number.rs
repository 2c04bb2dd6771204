//! Numerical answers: `value:tolerance`, `min..max` and several graded answers.

use super::answers::split_marked;
use super::errors::{LineError, one};
use super::tokens::{Tok, formatted, is, split, text, trim};
use crate::question::{GradedNumber, QuestionBody};

/// The answers after the leading `#`: one `value#feedback`, or `=` answers with weights.
/// The first fully right answer is the question's value; the others keep their weight.
pub(super) fn number_question(toks: &[Tok], start: usize) -> Result<QuestionBody, Vec<LineError>> {
    let toks = trim(toks);
    let Some(first) = toks.first() else {
        return Err(one(
            start,
            "A number question needs its answer after the #, like {#3.14:0.01}.",
        ));
    };
    if !(is(first, '=') || is(first, '~')) {
        let line = first.line;
        let parts = split(toks, '#');
        let feedback = match parts.as_slice() {
            [_] => String::new(),
            [_, f] => formatted(f),
            _ => {
                return Err(one(
                    line,
                    "A number answer has more than one # feedback; write \\# for a literal #.",
                ));
            }
        };
        let spec = text(parts.first().copied().unwrap_or_default());
        let (value, tolerance) = number_spec(&spec).map_err(|reason| one(line, reason))?;
        return Ok(QuestionBody::Number {
            value,
            tolerance,
            feedback,
            others: Vec::new(),
        });
    }
    let answers = split_marked(toks, start)?;
    let mut errors = Vec::new();
    let mut graded = Vec::new();
    for a in &answers {
        if a.marker == '~' {
            errors.push(
                a.error("Number answers start with = (give a wrong one %0% to give it feedback)."),
            );
        } else if a.weight.is_some_and(|w| w < 0.0) {
            errors.push(a.error("Number answers are worth 0 to 100 %, not less."));
        } else {
            match number_spec(&a.text) {
                Ok((value, tolerance)) => graded.push(GradedNumber {
                    value,
                    tolerance,
                    weight: a.weight.unwrap_or(100.0),
                    feedback: a.feedback.clone().unwrap_or_default(),
                }),
                Err(reason) => errors.push(a.error(reason)),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(key) = graded.iter().position(|g| (g.weight - 100.0).abs() < 1e-9) else {
        return Err(one(
            start,
            "No number answer is worth 100 %: give the right one = and no weight.",
        ));
    };
    let main = graded.remove(key);
    Ok(QuestionBody::Number {
        value: main.value,
        tolerance: main.tolerance,
        feedback: main.feedback,
        others: graded,
    })
}

/// `value:tolerance`, `min..max` or `value`.
fn number_spec(spec: &str) -> Result<(f64, f64), String> {
    if let Some((min, max)) = spec.split_once("..") {
        let (min, max) = (number(min)?, number(max)?);
        if min > max {
            return Err(format!("The range {min}..{max} runs backwards."));
        }
        return Ok(((min + max) / 2.0, (max - min) / 2.0));
    }
    let (value, tolerance) = match spec.split_once(':') {
        Some((value, tolerance)) => (number(value)?, number(tolerance)?),
        None => (number(spec)?, 0.0),
    };
    if tolerance < 0.0 {
        return Err(format!("The tolerance {tolerance} is below 0."));
    }
    Ok((value, tolerance))
}

fn number(raw: &str) -> Result<f64, String> {
    let raw = raw.trim();
    raw.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .ok_or_else(|| format!("“{raw}” is not a number (write numbers like 3.14)."))
}
