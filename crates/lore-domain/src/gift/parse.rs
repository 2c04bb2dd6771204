//! Reading a GIFT text: blocks, titles, categories, the answers' braces, text after them.

use super::answers::marked_answers;
use super::errors::{LineError, one};
use super::number::number_question;
use super::tokens::{Tok, find, formatted, is, split, text, tokenize, trim};
use crate::question::{Question, QuestionBody};

/// What stands for the answers in the prompt of a missing-word question.
pub const BLANK: &str = "_____";

/// The longest `$CATEGORY:` path read.
const CATEGORY_MAX_CHARS: usize = 200;

/// A question read from a GIFT file.
#[derive(Debug, Clone, PartialEq)]
pub struct GiftQuestion {
    /// The `::Title::`, if the file gave a non-empty one.
    pub title: Option<String>,
    /// The last part of the `$CATEGORY:` path in force (`$course$/top/Geography` gives
    /// `Geography`), if any.
    pub category: Option<String>,
    pub question: Question,
    /// 1-based line where the question starts.
    pub line: usize,
}

/// Reads a whole GIFT file. Returns every question, or every problem found if there is any.
pub fn parse_gift(text: &str) -> Result<Vec<GiftQuestion>, Vec<LineError>> {
    let mut questions = Vec::new();
    let mut errors = Vec::new();
    for checked in check_gift(text) {
        match checked {
            Ok(q) => questions.push(q),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(questions)
    } else {
        Err(errors)
    }
}

/// Reads a GIFT file question by question: each question, or the problems that keep it
/// out, in file order. A bad `$CATEGORY:` line is an entry of its own.
pub fn check_gift(text: &str) -> Vec<Result<GiftQuestion, Vec<LineError>>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut category = None;
    for block in blocks(text) {
        let mut lines = block.as_slice();
        while let Some((&(line, first), rest)) = lines.split_first() {
            let Some(path) = category_path(first) else {
                break;
            };
            match parse_category(path) {
                Ok(c) => category = c,
                Err(reason) => out.push(Err(vec![LineError { line, reason }])),
            }
            lines = rest;
        }
        match parse_block(lines) {
            Ok(Some(mut q)) => {
                q.category.clone_from(&category);
                out.push(Ok(q));
            }
            Ok(None) => {}
            Err(e) => out.push(Err(e)),
        }
    }
    out
}

pub(super) fn category_path(line: &str) -> Option<&str> {
    let t = line.trim_start();
    t.get(..10)
        .is_some_and(|h| h.eq_ignore_ascii_case("$category:"))
        .then(|| t.get(10..).unwrap_or_default().trim())
}

/// The last part of a category path, refused when it could carry markup.
fn parse_category(path: &str) -> Result<Option<String>, String> {
    if path.chars().count() > CATEGORY_MAX_CHARS {
        return Err(format!(
            "The category is longer than {CATEGORY_MAX_CHARS} characters."
        ));
    }
    if path.contains(['<', '>', '"', '`']) || path.chars().any(char::is_control) {
        return Err(
            "The category holds <, >, \" or ` characters; a category is a plain name like \
             $CATEGORY: $course$/top/Geography."
                .to_owned(),
        );
    }
    Ok(path
        .rsplit('/')
        .map(str::trim)
        .find(|p| !p.is_empty() && *p != "$course$" && *p != "$system$" && *p != "top")
        .map(str::to_owned))
}

/// The question blocks: runs of non-blank lines, with comment lines left out.
fn blocks(text: &str) -> Vec<Vec<(usize, &str)>> {
    let mut blocks = Vec::new();
    let mut current = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else if !line.trim_start().starts_with("//") {
            current.push((index + 1, line));
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

fn parse_block(lines: &[(usize, &str)]) -> Result<Option<GiftQuestion>, Vec<LineError>> {
    let Some(&(start, _)) = lines.first() else {
        return Ok(None);
    };
    let toks = tokenize(lines);

    let mut rest = trim(&toks);
    let mut title = None;
    if find(rest, "::") == Some(0) {
        let after = rest.get(2..).unwrap_or_default();
        let Some(end) = find(after, "::") else {
            return Err(one(
                start,
                "The title is not closed: write ::Title:: and then the question.",
            ));
        };
        let t = text(after.get(..end).unwrap_or_default());
        title = (!t.is_empty()).then_some(t);
        rest = after.get(end + 2..).unwrap_or_default();
    }

    let Some(open) = find(rest, "{") else {
        return Err(one(
            start,
            "No answers: put them in { … }, at the end of the question or where the blank goes.",
        ));
    };
    let (prompt_toks, after_open) = rest.split_at(open);
    let after_open = after_open.get(1..).unwrap_or_default();
    if let Some(at) = find(prompt_toks, "}") {
        let line = prompt_toks.get(at).map_or(start, |t| t.line);
        return Err(one(
            line,
            "A } before the answers begin; write \\} for a literal brace.",
        ));
    }
    let Some(close) = find(after_open, "}") else {
        return Err(one(
            start,
            "The { that opens the answers is never closed by } (a blank line ends a question).",
        ));
    };
    let (inner, after_close) = after_open.split_at(close);
    if let Some(at) = find(inner, "{") {
        let line = inner.get(at).map_or(start, |t| t.line);
        return Err(one(
            line,
            "A second { inside the answers; write \\{ for a literal brace.",
        ));
    }
    let after_close = after_close.get(1..).unwrap_or_default();
    if let Some(at) = find(after_close, "{").or_else(|| find(after_close, "}")) {
        let line = after_close.get(at).map_or(start, |t| t.line);
        return Err(one(
            line,
            "A question takes one set of answers in { … }; write \\{ and \\} for literal braces.",
        ));
    }

    let (body, explanation) = parse_answers(inner, start)?;
    let question = Question {
        prompt: prompt_with_blank(prompt_toks, after_close),
        body,
        points: 1.0,
        explanation,
    };
    question.validate().map_err(|e| one(start, e.message))?;
    Ok(Some(GiftQuestion {
        title,
        category: None,
        question,
        line: start,
    }))
}

/// The prompt; when text follows the answers (a missing-word question) the answers' place
/// becomes a blank, [`BLANK`], and the text around it is kept as written.
fn prompt_with_blank(before: &[Tok], after: &[Tok]) -> String {
    if text(after).is_empty() {
        return formatted(before);
    }
    let raw = |toks: &[Tok]| toks.iter().map(|t| t.ch).collect::<String>();
    let before = formatted_start(&raw(before));
    format!("{before}{BLANK}{}", raw(after).trim_end())
}

/// Leading space and a format tag dropped, the rest as written.
fn formatted_start(s: &str) -> String {
    let s = s.trim_start();
    match super::tokens::starts_with_format_tag(s) {
        Some(len) => s.get(len..).unwrap_or_default().trim_start().to_owned(),
        None => s.to_owned(),
    }
}

/// The kind and its answers, and the general feedback (`####`) as the explanation.
pub(super) fn parse_answers(
    inner: &[Tok],
    start: usize,
) -> Result<(QuestionBody, String), Vec<LineError>> {
    let (answers, explanation) = match find(inner, "####") {
        Some(at) => (
            inner.get(..at).unwrap_or_default(),
            formatted(inner.get(at + 4..).unwrap_or_default()),
        ),
        None => (inner, String::new()),
    };
    let answers = trim(answers);
    let Some(first) = answers.first() else {
        return Ok((QuestionBody::plain_essay(), explanation));
    };
    if is(first, '#') {
        let number = number_question(answers.get(1..).unwrap_or_default(), start)?;
        return Ok((number, explanation));
    }
    let parts = split(answers, '#');
    let head = text(parts.first().copied().unwrap_or_default()).to_ascii_uppercase();
    let truth = match head.as_str() {
        "T" | "TRUE" => Some(true),
        "F" | "FALSE" => Some(false),
        _ => None,
    };
    let body = match truth {
        Some(answer) => true_false(answer, parts.get(1..).unwrap_or_default(), start)?,
        None => marked_answers(answers, start)?,
    };
    Ok((body, explanation))
}

pub(super) fn true_false(
    answer: bool,
    feedback: &[&[Tok]],
    start: usize,
) -> Result<QuestionBody, Vec<LineError>> {
    let (if_wrong, if_right) = match feedback {
        [] => (String::new(), String::new()),
        [wrong] => (formatted(wrong), String::new()),
        [wrong, right] => (formatted(wrong), formatted(right)),
        _ => {
            return Err(one(
                start,
                "A true/false answer takes at most two feedbacks: {T#if wrong#if right}.",
            ));
        }
    };
    // GIFT's feedback is for a wrong and a right answer; Lore's is for the answer given.
    let (feedback_true, feedback_false) = if answer {
        (if_right, if_wrong)
    } else {
        (if_wrong, if_right)
    };
    Ok(QuestionBody::TrueFalse {
        answer,
        feedback_true,
        feedback_false,
    })
}
