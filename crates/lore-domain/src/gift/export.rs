//! Writing questions as GIFT that Moodle reads back.

use super::escapes::{escape, guarded, one_line, percent};
use super::parse::BLANK;
use crate::question::{ChoiceOption, Question, QuestionBody};

/// Writes the questions as GIFT, each with its optional title, separated by blank lines.
/// See the module documentation for what GIFT cannot carry.
pub fn to_gift(questions: &[(Option<String>, Question)]) -> String {
    questions
        .iter()
        .map(|(title, q)| question_block(title.as_deref(), q))
        .collect::<Vec<_>>()
        .join("\n")
}

fn question_block(title: Option<&str>, q: &Question) -> String {
    let title = title.map(str::trim).filter(|t| !t.is_empty());
    if let Err(why) = writable(&q.body) {
        return format!(
            "// {} question \"{}\" cannot be written in GIFT: {why}\n",
            kind_label(&q.body),
            one_line(title.unwrap_or(&q.prompt))
        );
    }
    let mut out = String::new();
    let lost = lost_settings(q);
    if !lost.is_empty() {
        out.push_str(&format!("// GIFT cannot carry: {}.\n", lost.join("; ")));
    }
    if let Some(title) = title {
        out.push_str(&format!("::{}::", escape(title)));
    }
    // The tag says how to read the text and keeps a prompt starting with // from being a
    // comment.
    let answers = answers_text(&q.body, &q.explanation);
    match missing_word(&q.prompt) {
        Some((before, after)) => out.push_str(&format!(
            "[markdown]{}{answers}{}",
            escape(before),
            escape(after)
        )),
        None => out.push_str(&format!("[markdown]{} {answers}", escape(&q.prompt))),
    }
    out.push('\n');
    out
}

fn writable(body: &QuestionBody) -> Result<(), &'static str> {
    match body {
        QuestionBody::Ordering { .. } => Err("GIFT has no ordering questions"),
        QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options, .. }
            if has_arrow(options.iter().map(|o| &o.text)) =>
        {
            Err("an option contains \"->\", which GIFT reads as a matching pair")
        }
        QuestionBody::ShortText {
            accepted, others, ..
        } if has_arrow(accepted.iter().chain(others.iter().map(|o| &o.text))) => {
            Err("an answer contains \"->\", which GIFT reads as a matching pair")
        }
        QuestionBody::SingleChoice { options } if options.iter().all(|o| o.correct) => {
            Err("it has no wrong option, so GIFT would read it as a short answer")
        }
        QuestionBody::Matching { pairs, .. } if has_arrow(pairs.iter().map(|p| &p.left)) => {
            Err("a left side contains \"->\"")
        }
        QuestionBody::Number {
            value, tolerance, ..
        } if !(value.is_finite() && tolerance.is_finite()) => Err("its number is not finite"),
        _ => Ok(()),
    }
}

fn has_arrow<'a>(mut texts: impl Iterator<Item = &'a String>) -> bool {
    texts.any(|t| t.contains("->"))
}

fn kind_label(body: &QuestionBody) -> &'static str {
    match body {
        QuestionBody::SingleChoice { .. } => "Single choice",
        QuestionBody::MultipleChoice { .. } => "Multiple choice",
        QuestionBody::TrueFalse { .. } => "True/false",
        QuestionBody::ShortText { .. } => "Short answer",
        QuestionBody::Number { .. } => "Number",
        QuestionBody::Ordering { .. } => "Ordering",
        QuestionBody::Matching { .. } => "Matching",
        QuestionBody::Essay { .. } => "Essay",
    }
}

/// Settings of the question that GIFT has no way to say.
fn lost_settings(q: &Question) -> Vec<String> {
    let mut lost = Vec::new();
    if (q.points - 1.0).abs() > f64::EPSILON {
        lost.push(format!("worth {} points (reads back as 1)", q.points));
    }
    match &q.body {
        QuestionBody::MultipleChoice {
            partial_credit: false,
            ..
        }
        | QuestionBody::Matching {
            partial_credit: false,
            ..
        } => lost.push("all-or-nothing scoring (reads back with partial credit)".to_owned()),
        QuestionBody::ShortText {
            case_sensitive: true,
            ..
        } => lost.push("case-sensitive answers (read back case-insensitive)".to_owned()),
        _ => {}
    }
    lost
}

/// Where the answers go in a missing-word question: the text before and after the first
/// blank, when text follows it.
fn missing_word(prompt: &str) -> Option<(&str, &str)> {
    let (before, after) = prompt.split_once(BLANK)?;
    (!after.trim().is_empty()).then_some((before, after))
}

fn feedback(f: &str) -> String {
    if f.is_empty() {
        String::new()
    } else {
        format!("#{}", guarded(f))
    }
}

fn choice_line(o: &ChoiceOption, weight: Option<f64>) -> String {
    let marker = match weight {
        _ if o.correct && weight.is_none() => "=".to_owned(),
        Some(w) => format!("~%{}%", percent(w)),
        None => "~".to_owned(),
    };
    format!("{marker}{}{}", guarded(&o.text), feedback(&o.feedback))
}

fn answers_text(body: &QuestionBody, explanation: &str) -> String {
    let general = if explanation.is_empty() {
        String::new()
    } else {
        format!("####{}", guarded(explanation))
    };
    let lines: Vec<String> = match body {
        QuestionBody::SingleChoice { options } => options
            .iter()
            .map(|o| choice_line(o, if o.correct { None } else { o.weight }))
            .collect(),
        QuestionBody::MultipleChoice { options, .. } => {
            let weighted = options.iter().any(|o| o.weight.is_some());
            // Stored before weights existed: Moodle's equal shares give the same scores.
            let correct = options.iter().filter(|o| o.correct).count().max(1);
            let share = 100.0 / correct as f64;
            options
                .iter()
                .map(|o| {
                    let weight = if weighted {
                        o.weight.or(o.correct.then_some(100.0))
                    } else {
                        Some(if o.correct { share } else { -share })
                    };
                    choice_line(
                        &ChoiceOption {
                            correct: false,
                            ..o.clone()
                        },
                        weight,
                    )
                })
                .collect()
        }
        QuestionBody::ShortText {
            accepted,
            feedback: said,
            others,
            ..
        } => accepted
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let f = said.get(i).map(String::as_str).unwrap_or_default();
                format!("={}{}", guarded(a), feedback(f))
            })
            .chain(others.iter().map(|o| {
                format!(
                    "=%{}%{}{}",
                    percent(o.weight),
                    guarded(&o.text),
                    feedback(&o.feedback)
                )
            }))
            .collect(),
        QuestionBody::Matching {
            pairs, distractors, ..
        } => pairs
            .iter()
            .map(|p| format!("={} -> {}", guarded(&p.left), guarded(&p.right)))
            .chain(
                distractors
                    .iter()
                    .map(|d| format!("= -> {}", guarded(&d.text))),
            )
            .collect(),
        QuestionBody::TrueFalse {
            answer,
            feedback_true,
            feedback_false,
        } => {
            let (if_wrong, if_right) = if *answer {
                (feedback_false, feedback_true)
            } else {
                (feedback_true, feedback_false)
            };
            let word = if *answer { "TRUE" } else { "FALSE" };
            let feedbacks = if !if_right.is_empty() {
                format!("#{}#{}", guarded(if_wrong), guarded(if_right))
            } else {
                feedback(if_wrong)
            };
            return format!("{{{word}{feedbacks}{general}}}");
        }
        QuestionBody::Number {
            value,
            tolerance,
            feedback: said,
            others,
        } => {
            if others.is_empty() {
                return format!("{{#{value}:{tolerance}{}{general}}}", feedback(said));
            }
            let mut out = format!("{{#\n\t={value}:{tolerance}{}\n", feedback(said));
            for o in others {
                out.push_str(&format!(
                    "\t=%{}%{}:{}{}\n",
                    percent(o.weight),
                    o.value,
                    o.tolerance,
                    feedback(&o.feedback)
                ));
            }
            if !general.is_empty() {
                out.push_str(&format!("\t{general}\n"));
            }
            out.push('}');
            return out;
        }
        QuestionBody::Essay { .. } => return format!("{{{general}}}"),
        QuestionBody::Ordering { .. } => Vec::new(),
    };
    let mut out = String::from("{\n");
    for line in lines
        .iter()
        .chain((!general.is_empty()).then_some(&general))
    {
        out.push('\t');
        out.push_str(line);
        out.push('\n');
    }
    out.push('}');
    out
}
