//! Questions as a spreadsheet: `kind,prompt,points,options,correct,explanation`, one question a
//! row. Every row is checked; a file with any bad row is reported whole and imports nothing.
//!
//! - `kind`: `single_choice`, `multiple_choice`, `true_false`, `short_text`, `number`,
//!   `ordering` or `matching`.
//! - `points`: empty means 1.
//! - `options`, separated by `;`: the options of a choice question (they get the letters `a`,
//!   `b`, …), the accepted answers of a short text question, `value;tolerance` (or just
//!   `value`) of a number question, the items of an ordering question in their correct order,
//!   and `left=>right` pairs of a matching question. `\;` is a literal `;`, `\=` a literal `=`
//!   (so `\=>` is not the pair arrow) and `\\` a literal backslash.
//! - `correct`: the letters of the correct options for choice kinds (`b`, or `a;c`), `true` or
//!   `false` for `true_false`, empty otherwise.
//!
//! Only `kind` and `prompt` columns are required, in any order. Multiple choice, ordering and
//! matching questions get partial credit and short text answers ignore case: the file has no
//! column for these settings, nor for option feedback. Each question must pass
//! [`Question::validate`].

use std::collections::HashSet;

use crate::csv_lines::LineCounter;
use crate::gift::{self, LineError};
use crate::question::{ChoiceOption, MatchPair, OrderItem, Question, QuestionBody};

pub const COLUMNS: [&str; 6] = [
    "kind",
    "prompt",
    "points",
    "options",
    "correct",
    "explanation",
];

const KINDS: &str =
    "single_choice, multiple_choice, true_false, short_text, number, ordering, matching or essay";

/// Reads the whole file: every question with its 1-based line (the header is line 1), or every
/// problem found if there is any.
pub fn parse_csv(data: &[u8]) -> Result<Vec<(usize, Question)>, Vec<LineError>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(data);
    let header_error = |reason: String| vec![LineError { line: 1, reason }];
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(e) => {
            return Err(header_error(format!(
                "The header could not be read: {}",
                plain_csv_error(&e)
            )));
        }
    };
    if let Some(unknown) = header.iter().find(|c| !COLUMNS.contains(&c.as_str())) {
        return Err(header_error(format!(
            "Unknown column “{unknown}”; the columns are {}.",
            COLUMNS.join(",")
        )));
    }
    let mut seen = HashSet::new();
    if let Some(twice) = header.iter().find(|c| !seen.insert(c.as_str())) {
        return Err(header_error(format!("The column “{twice}” appears twice.")));
    }
    let position = |name: &str| header.iter().position(|c| c == name);
    if position("kind").is_none() || position("prompt").is_none() {
        return Err(header_error(format!(
            "The first line must name the columns: {} (kind and prompt are required).",
            COLUMNS.join(",")
        )));
    }
    let at = COLUMNS.map(position);

    let mut questions = Vec::new();
    let mut errors = Vec::new();
    let mut lines = LineCounter::new(data);
    for (index, record) in reader.records().enumerate() {
        let fallback_line = index + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(fallback_line, |p| lines.line_at(p.byte()) as usize);
                errors.push(LineError {
                    line,
                    reason: plain_csv_error(&e),
                });
                continue;
            }
        };
        let line = record
            .position()
            .map_or(fallback_line, |p| lines.line_at(p.byte()) as usize);
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() > header.len() {
            errors.push(LineError {
                line,
                reason: format!(
                    "{} values, but the header names {} columns.",
                    record.len(),
                    header.len()
                ),
            });
            continue;
        }
        let [kind, prompt, points, options, correct, explanation] =
            at.map(|i| i.and_then(|i| record.get(i)).unwrap_or(""));
        let question = parse_row(kind, prompt, points, options, correct, explanation)
            .and_then(|q| q.validate().map(|()| q).map_err(|e| e.message));
        match question {
            Ok(q) => questions.push((line, q)),
            Err(reason) => errors.push(LineError { line, reason }),
        }
    }
    if errors.is_empty() {
        Ok(questions)
    } else {
        Err(errors)
    }
}

fn parse_row(
    kind: &str,
    prompt: &str,
    points: &str,
    options: &str,
    correct: &str,
    explanation: &str,
) -> Result<Question, String> {
    let points = if points.is_empty() {
        1.0
    } else {
        points
            .parse::<f64>()
            .ok()
            .filter(|p| p.is_finite())
            .ok_or_else(|| format!("The points “{points}” are not a number."))?
    };
    let list = option_list(options)?;
    let no_correct = || {
        if correct.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "A {kind} question takes nothing in the correct column."
            ))
        }
    };
    let body = match kind.to_ascii_lowercase().as_str() {
        kind @ ("single_choice" | "multiple_choice") => {
            let chosen = correct_letters(correct, list.len())?;
            let options = list
                .into_iter()
                .enumerate()
                .map(|(i, text)| ChoiceOption {
                    id: gift::option_id(i),
                    text,
                    correct: chosen.contains(&i),
                    feedback: String::new(),
                    weight: None,
                })
                .collect();
            if kind == "multiple_choice" {
                QuestionBody::MultipleChoice {
                    options,
                    partial_credit: true,
                }
            } else if chosen.len() == 1 {
                QuestionBody::SingleChoice { options }
            } else {
                return Err(
                    "A single choice question has exactly one correct letter; use \
                     multiple_choice for several."
                        .to_owned(),
                );
            }
        }
        "true_false" => {
            if !list.is_empty() {
                return Err("A true_false question takes no options.".to_owned());
            }
            let answer = match correct.to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(format!(
                        "The correct column of a true_false question is true or false, not “{correct}”."
                    ));
                }
            };
            QuestionBody::TrueFalse {
                answer,
                feedback_true: String::new(),
                feedback_false: String::new(),
            }
        }
        "short_text" => {
            no_correct()?;
            QuestionBody::ShortText {
                accepted: list,
                case_sensitive: false,
                feedback: Vec::new(),
                others: Vec::new(),
            }
        }
        "number" => {
            no_correct()?;
            let (value, tolerance) = match list.as_slice() {
                [value] => (number(value)?, 0.0),
                [value, tolerance] => (number(value)?, number(tolerance)?),
                _ => {
                    return Err(
                        "The options of a number question are value;tolerance, like 3.14;0.01."
                            .to_owned(),
                    );
                }
            };
            QuestionBody::Number {
                value,
                tolerance,
                feedback: String::new(),
                others: Vec::new(),
            }
        }
        "ordering" => {
            no_correct()?;
            QuestionBody::Ordering {
                items: list
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| OrderItem {
                        id: format!("i{}", i + 1),
                        text,
                    })
                    .collect(),
                partial_credit: true,
            }
        }
        "matching" => {
            no_correct()?;
            QuestionBody::Matching {
                pairs: match_pairs(options)?,
                partial_credit: true,
                distractors: Vec::new(),
            }
        }
        "essay" => {
            no_correct()?;
            QuestionBody::plain_essay()
        }
        "" => return Err(format!("The kind is missing; use {KINDS}.")),
        other => return Err(format!("Unknown kind “{other}”; use {KINDS}.")),
    };
    Ok(Question {
        prompt: prompt.to_owned(),
        body,
        points,
        explanation: explanation.to_owned(),
    })
}

/// The `;`-separated items, unescaped and trimmed. One empty item at the end (a trailing `;`)
/// is allowed; others are refused, since letters count positions.
fn option_list(cell: &str) -> Result<Vec<String>, String> {
    if cell.is_empty() {
        return Ok(Vec::new());
    }
    let mut items: Vec<String> = split_unescaped(cell, ";")
        .into_iter()
        .map(|raw| unescape(raw).trim().to_owned())
        .collect();
    if items.last().is_some_and(String::is_empty) {
        items.pop();
    }
    if let Some(empty) = items.iter().position(String::is_empty) {
        return Err(format!("Option {} is empty.", empty + 1));
    }
    Ok(items)
}

fn match_pairs(cell: &str) -> Result<Vec<MatchPair>, String> {
    let raw_items: Vec<&str> = split_unescaped(cell, ";")
        .into_iter()
        .filter(|raw| !raw.trim().is_empty())
        .collect();
    raw_items
        .into_iter()
        .enumerate()
        .map(|(i, raw)| match split_unescaped(raw, "=>").as_slice() {
            [left, right] => Ok(MatchPair {
                id: format!("p{}", i + 1),
                left: unescape(left).trim().to_owned(),
                right: unescape(right).trim().to_owned(),
            }),
            _ => Err(format!(
                "Pair {} must be written left=>right (with one =>).",
                i + 1
            )),
        })
        .collect()
}

/// The indexes of the correct options named by letter (separated by `;`, `,` or spaces).
fn correct_letters(cell: &str, count: usize) -> Result<Vec<usize>, String> {
    let ids: Vec<String> = (0..count).map(gift::option_id).collect();
    let mut chosen = Vec::new();
    for letter in cell
        .split([';', ',', ' '])
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let lower = letter.to_ascii_lowercase();
        let Some(index) = ids.iter().position(|id| *id == lower) else {
            return Err(if ids.is_empty() {
                "The question has no options.".to_owned()
            } else {
                format!(
                    "“{letter}” in the correct column is not an option letter; the options are {}.",
                    ids.join(", ")
                )
            });
        };
        if !chosen.contains(&index) {
            chosen.push(index);
        }
    }
    if chosen.is_empty() {
        return Err(
            "Name the correct option letters in the correct column, like b or a;c.".to_owned(),
        );
    }
    Ok(chosen)
}

fn number(raw: &str) -> Result<f64, String> {
    raw.parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .ok_or_else(|| format!("“{raw}” is not a number (write numbers like 3.14)."))
}

/// Splits at `sep` where no backslash escapes it; the pieces keep their escapes.
fn split_unescaped<'a>(s: &'a str, sep: &str) -> Vec<&'a str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            if matches!(
                s.get(i + 1..).and_then(|r| r.chars().next()),
                Some('\\' | ';' | '=')
            ) {
                chars.next();
            }
        } else if s.get(i..).is_some_and(|r| r.starts_with(sep)) {
            pieces.push(s.get(start..i).unwrap_or_default());
            start = i + sep.len();
            for _ in 1..sep.chars().count() {
                chars.next();
            }
        }
    }
    pieces.push(s.get(start..).unwrap_or_default());
    pieces
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let escaped = match chars.peek() {
            Some(&next @ ('\\' | ';' | '=')) if c == '\\' => Some(next),
            _ => None,
        };
        match escaped {
            Some(next) => {
                out.push(next);
                chars.next();
            }
            None => out.push(c),
        }
    }
    out
}

fn escape_option(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace("=>", "\\=>")
}

/// Writes the questions as the CSV [`parse_csv`] reads, option ids renumbered by position.
/// Titles, option feedback and the scoring settings have no column and are left out.
pub fn to_csv(questions: &[Question]) -> String {
    let mut out = COLUMNS.join(",");
    out.push('\n');
    for q in questions {
        let options: Vec<String>;
        let mut correct = String::new();
        match &q.body {
            QuestionBody::SingleChoice { options: choices }
            | QuestionBody::MultipleChoice {
                options: choices, ..
            } => {
                options = choices.iter().map(|o| escape_option(&o.text)).collect();
                correct = choices
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.correct)
                    .map(|(i, _)| gift::option_id(i))
                    .collect::<Vec<_>>()
                    .join(";");
            }
            QuestionBody::TrueFalse { answer, .. } => {
                options = Vec::new();
                correct = answer.to_string();
            }
            QuestionBody::ShortText { accepted, .. } => {
                options = accepted.iter().map(|a| escape_option(a)).collect();
            }
            QuestionBody::Number {
                value, tolerance, ..
            } => {
                options = vec![value.to_string(), tolerance.to_string()];
            }
            QuestionBody::Ordering { items, .. } => {
                options = items.iter().map(|i| escape_option(&i.text)).collect();
            }
            QuestionBody::Essay { .. } => options = Vec::new(),
            QuestionBody::Matching { pairs, .. } => {
                options = pairs
                    .iter()
                    .map(|p| format!("{}=>{}", escape_option(&p.left), escape_option(&p.right)))
                    .collect();
            }
        }
        let row = [
            q.kind_name().to_owned(),
            q.prompt.clone(),
            q.points.to_string(),
            options.join(";"),
            correct,
            q.explanation.clone(),
        ];
        let cells: Vec<String> = row.iter().map(|c| csv_field(c)).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn plain_csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "The line is not valid UTF-8 text.".to_owned(),
        _ => "The line is not valid CSV.".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(data: &[u8]) -> Vec<(usize, String)> {
        match parse_csv(data) {
            Ok(q) => panic!("expected errors, parsed {q:?}"),
            Err(e) => e.into_iter().map(|e| (e.line, e.reason)).collect(),
        }
    }

    const GOOD: &[u8] = b"kind,prompt,points,options,correct,explanation
single_choice,Capital of France?,,Paris;Lyon;Marseille,a,Since 987.
multiple_choice,\"Which are prime, then?\",2,2;3;4,A; b,

true_false,The sun rises in the east.,1,,TRUE,
short_text,\"Name a
primary colour.\",0.5,red;blue;yellow;,,
number,g in m/s\xc2\xb2?,,9.81;0.05,,
number,How many legs?,,4,,
ordering,Sort ascending,,1;2;3,,
matching,Match,,France=>Paris;Germany=>Berlin;a\\=>b=>c\\;d,,
";

    #[test]
    fn a_good_file_parses_every_kind_with_its_line() {
        let parsed = parse_csv(GOOD).expect("parses");
        let lines: Vec<usize> = parsed.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, vec![2, 3, 5, 6, 8, 9, 10, 11]);
        let q = |i: usize| &parsed[i].1;
        assert_eq!(q(0).points, 1.0);
        assert_eq!(q(0).explanation, "Since 987.");
        assert_eq!(
            q(0).body,
            QuestionBody::SingleChoice {
                options: vec![
                    ChoiceOption {
                        id: "a".to_owned(),
                        text: "Paris".to_owned(),
                        correct: true,
                        feedback: String::new(),
                        weight: None,
                    },
                    ChoiceOption {
                        id: "b".to_owned(),
                        text: "Lyon".to_owned(),
                        correct: false,
                        feedback: String::new(),
                        weight: None,
                    },
                    ChoiceOption {
                        id: "c".to_owned(),
                        text: "Marseille".to_owned(),
                        correct: false,
                        feedback: String::new(),
                        weight: None,
                    },
                ]
            }
        );
        assert_eq!(q(1).prompt, "Which are prime, then?");
        assert_eq!(q(1).points, 2.0);
        let QuestionBody::MultipleChoice {
            options,
            partial_credit,
        } = &q(1).body
        else {
            panic!("multiple choice: {:?}", q(1));
        };
        assert!(partial_credit);
        let correct: Vec<bool> = options.iter().map(|o| o.correct).collect();
        assert_eq!(correct, vec![true, true, false]);
        assert_eq!(
            q(2).body,
            QuestionBody::TrueFalse {
                answer: true,
                feedback_true: String::new(),
                feedback_false: String::new()
            }
        );
        assert_eq!(q(3).prompt, "Name a\nprimary colour.");
        assert_eq!(
            q(3).body,
            QuestionBody::ShortText {
                accepted: vec!["red".to_owned(), "blue".to_owned(), "yellow".to_owned()],
                case_sensitive: false,
                feedback: Vec::new(),
                others: Vec::new(),
            }
        );
        assert_eq!(
            q(4).body,
            QuestionBody::Number {
                value: 9.81,
                tolerance: 0.05,
                feedback: String::new(),
                others: Vec::new(),
            }
        );
        assert_eq!(
            q(5).body,
            QuestionBody::Number {
                value: 4.0,
                tolerance: 0.0,
                feedback: String::new(),
                others: Vec::new(),
            }
        );
        assert_eq!(
            q(6).body,
            QuestionBody::Ordering {
                items: ["1", "2", "3"]
                    .iter()
                    .enumerate()
                    .map(|(i, t)| OrderItem {
                        id: format!("i{}", i + 1),
                        text: (*t).to_owned()
                    })
                    .collect(),
                partial_credit: true
            }
        );
        let QuestionBody::Matching { pairs, .. } = &q(7).body else {
            panic!("matching: {:?}", q(7));
        };
        let sides: Vec<(&str, &str, &str)> = pairs
            .iter()
            .map(|p| (p.id.as_str(), p.left.as_str(), p.right.as_str()))
            .collect();
        assert_eq!(
            sides,
            vec![
                ("p1", "France", "Paris"),
                ("p2", "Germany", "Berlin"),
                ("p3", "a=>b", "c;d")
            ]
        );
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let data = b"kind,prompt,options,correct
open,Tell me,,

single_choice,Pick,a;b,c
single_choice,Pick,a;b,a;b
multiple_choice,Pick,a;b,
true_false,True?,,maybe
number,\"Multi
line\",three,
short_text,Name,x;;y,
matching,Match,a=>1;b,
single_choice,,a;b,a
single_choice,Fine,a;b,b
short_text,Name,x,x
single_choice,Pick,a;b,a,extra
";
        let e = problems(data);
        let lines: Vec<usize> = e.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![2, 4, 5, 6, 7, 8, 10, 11, 12, 14, 15], "{e:?}");
        assert!(e[0].1.contains("Unknown kind “open”"));
        assert!(e[1].1.contains("“c”"));
        assert!(e[2].1.contains("exactly one"));
        assert!(e[3].1.contains("Name the correct option letters"));
        assert!(e[4].1.contains("true or false"));
        assert!(e[5].1.contains("“three” is not a number"));
        assert!(e[6].1.contains("Option 2 is empty"));
        assert!(e[7].1.contains("Pair 2"));
        assert!(e[8].1.contains("prompt"), "validation: {e:?}");
        assert!(e[9].1.contains("correct column"));
        assert!(e[10].1.contains("5 values"));
    }

    #[test]
    fn validation_problems_come_with_the_row() {
        let e = problems(b"kind,prompt,points,options,correct\nsingle_choice,Pick,0,a;b,a\nordering,Sort,,1;1,\n");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].0, 2);
        assert!(e[0].1.contains("points above 0"), "{e:?}");
        assert_eq!(e[1].0, 3);
        assert!(e[1].1.contains("different text"), "{e:?}");
    }

    #[test]
    fn a_bad_header_is_refused() {
        assert_eq!(problems(b"").len(), 1);
        assert_eq!(problems(b"prompt,options\nQ,a\n")[0].0, 1);
        let reason = &problems(b"kind,prompt,shoe_size\n")[0].1;
        assert!(reason.contains("shoe_size"));
        assert!(problems(b"kind,prompt,kind\n")[0].1.contains("twice"));
        assert_eq!(parse_csv(b"Kind , PROMPT\n"), Ok(vec![]));
    }

    #[test]
    fn what_to_csv_writes_reads_back() {
        let parsed = parse_csv(GOOD).expect("parses");
        let questions: Vec<Question> = parsed.into_iter().map(|(_, q)| q).collect();
        let csv = to_csv(&questions);
        let back: Vec<Question> = parse_csv(csv.as_bytes())
            .unwrap_or_else(|e| panic!("{e:?} in\n{csv}"))
            .into_iter()
            .map(|(_, q)| q)
            .collect();
        assert_eq!(back, questions, "written as\n{csv}");
    }
}
