//! Reading and writing GIFT, Moodle's plain-text quiz format, so authors can bring questions
//! in and take them out. A file with any problem imports nothing; every problem is reported
//! with its line.
//!
//! # What is read
//!
//! - Questions are separated by blank lines. Lines starting with `//` are comments, and
//!   `$CATEGORY:` lines are allowed and ignored.
//! - `::Title::` may open a question; a `[markdown]`, `[html]`, `[plain]` or `[moodle]` tag may
//!   open the question text, an answer or a feedback. The tag is dropped and the text is taken
//!   as Markdown.
//! - `\~ \= \# \{ \} \:` stand for the character itself, `\n` for a new line and `\\` for a
//!   backslash; any other backslash is kept as written.
//! - The answers come last, in `{ … }`, on one line or several:
//!   - `{=right ~wrong ~wrong}` is a single choice question (exactly one `=`). Several `=`
//!     with `~` means "any of these is right" in GIFT, which Lore cannot express, so it is
//!     refused with a hint to use weights.
//!   - Any `%weight%`, as in `{~%50%a ~%50%b ~%-100%c}`, makes a multiple choice question
//!     with partial credit: options with a positive weight are correct (an unweighted `=`
//!     counts as 100%, an unweighted `~` as 0%). Lore then gives every correct option an
//!     equal share, whatever the weights.
//!   - `#feedback` after a choice becomes that option's feedback; `####feedback` before the
//!     closing brace becomes the question's explanation (for every kind).
//!   - `{T}`, `{TRUE}`, `{F}`, `{FALSE}` (any case) are true/false. GIFT's
//!     `{T#feedback if wrong#feedback if right}` maps onto the answer the learner gives: for
//!     `{T#w#r}`, `w` becomes `feedback_false` and `r` becomes `feedback_true`; for `{F#w#r}`,
//!     `w` becomes `feedback_true` and `r` becomes `feedback_false`.
//!   - `{=answer =other}` (only `=`) is a short answer, case-insensitive. Answers weighted
//!     below 100% are dropped, since Lore accepts only fully right ones; per-answer feedback is
//!     refused (write it as `####` general feedback).
//!   - `{=left -> right …}` is a matching question with partial credit.
//!   - `{#3.14:0.01}` (value and tolerance), `{#3..4}` (a range: the midpoint, give or take
//!     half the width), `{#3.14}` (exact) and `{#=3.14:0.01 =%50%3.1:0.1}` (the 100% answer
//!     is kept) are numbers. Per-answer feedback is refused.
//! - Refused with a reason: essays `{}`, answers followed by more question text (GIFT's
//!   missing-word form), text without answers, and anything else malformed.
//!
//! Every question gets 1 point; options are numbered `a`, `b`, …, matching pairs `p1`, `p2`, …
//! Each question must then pass [`Question::validate`]; its complaint is reported at the line
//! where the question starts. Problems in one answer are reported at that answer's line, the
//! others at the question's first line.
//!
//! # What is written
//!
//! [`to_gift`] writes each question so that [`parse_gift`] reads back the same question, except
//! for what GIFT cannot carry, which a `//` comment above the question names: points other than
//! 1, all-or-nothing scoring, and case-sensitive short answers. Ids read back renumbered, texts
//! trimmed, and an empty title as none. A question GIFT cannot hold at all (ordering questions, or an answer containing `->`, which
//! GIFT reads as a matching pair) is written as a single comment line, such as
//! `// Ordering question "…" cannot be written in GIFT: …`, so the rest of the file still
//! imports.

use std::fmt;

use crate::question::{ChoiceOption, MatchPair, Question, QuestionBody};

/// A question read from a GIFT file.
#[derive(Debug, Clone, PartialEq)]
pub struct GiftQuestion {
    /// The `::Title::`, if the file gave a non-empty one.
    pub title: Option<String>,
    pub question: Question,
    /// 1-based line where the question starts.
    pub line: usize,
}

/// A problem in an imported file: the 1-based line and what is wrong, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// The id importers give the option at `index` (0-based): `a`, `b`, … `z`, `aa`, `ab`, …
pub fn option_id(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        n -= 1;
        letters.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
    }
    letters.iter().rev().collect()
}

/// Reads a whole GIFT file. Returns every question, or every problem found if there is any.
pub fn parse_gift(text: &str) -> Result<Vec<GiftQuestion>, Vec<LineError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut questions = Vec::new();
    let mut errors = Vec::new();
    for block in blocks(text) {
        match parse_block(&block) {
            Ok(Some(q)) => questions.push(q),
            Ok(None) => {}
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(questions)
    } else {
        Err(errors)
    }
}

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

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

/// A character of a question after escapes are resolved: an escaped character is never
/// syntax.
#[derive(Debug, Clone, Copy)]
struct Tok {
    ch: char,
    escaped: bool,
    line: usize,
}

fn tokenize(lines: &[(usize, &str)]) -> Vec<Tok> {
    let mut toks = Vec::new();
    for (i, &(line, text)) in lines.iter().enumerate() {
        if i > 0 {
            toks.push(Tok {
                ch: '\n',
                escaped: false,
                line,
            });
        }
        let mut chars = text.chars().peekable();
        while let Some(ch) = chars.next() {
            if ch == '\\' {
                let literal = match chars.peek() {
                    Some(&c @ ('~' | '=' | '#' | '{' | '}' | ':' | '\\')) => Some(c),
                    Some('n') => Some('\n'),
                    _ => None,
                };
                if let Some(c) = literal {
                    chars.next();
                    toks.push(Tok {
                        ch: c,
                        escaped: true,
                        line,
                    });
                    continue;
                }
            }
            toks.push(Tok {
                ch,
                escaped: false,
                line,
            });
        }
    }
    toks
}

fn is(tok: &Tok, ch: char) -> bool {
    !tok.escaped && tok.ch == ch
}

/// Where the unescaped characters of `pattern` first occur in a row.
fn find(toks: &[Tok], pattern: &str) -> Option<usize> {
    let pattern: Vec<char> = pattern.chars().collect();
    toks.windows(pattern.len())
        .position(|w| w.iter().zip(&pattern).all(|(t, c)| is(t, *c)))
}

fn split(toks: &[Tok], ch: char) -> Vec<&[Tok]> {
    toks.split(|t| is(t, ch)).collect()
}

fn trim(toks: &[Tok]) -> &[Tok] {
    let start = toks
        .iter()
        .position(|t| !t.ch.is_whitespace())
        .unwrap_or(toks.len());
    let end = toks
        .iter()
        .rposition(|t| !t.ch.is_whitespace())
        .map_or(start, |i| i + 1);
    toks.get(start..end).unwrap_or_default()
}

/// The text, trimmed.
fn text(toks: &[Tok]) -> String {
    toks.iter()
        .map(|t| t.ch)
        .collect::<String>()
        .trim()
        .to_owned()
}

const FORMAT_TAGS: [&str; 4] = ["[markdown]", "[html]", "[plain]", "[moodle]"];

fn starts_with_format_tag(s: &str) -> Option<usize> {
    FORMAT_TAGS
        .iter()
        .find(|tag| {
            s.get(..tag.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(tag))
        })
        .map(|tag| tag.len())
}

/// The text, trimmed, without a leading format tag.
fn formatted(toks: &[Tok]) -> String {
    let s = text(toks);
    match starts_with_format_tag(&s) {
        Some(len) => s.get(len..).unwrap_or_default().trim().to_owned(),
        None => s,
    }
}

/// The line of the first visible character, or `fallback`.
fn line_of(toks: &[Tok], fallback: usize) -> usize {
    toks.iter()
        .find(|t| !t.ch.is_whitespace())
        .or(toks.first())
        .map_or(fallback, |t| t.line)
}

fn one(line: usize, reason: impl Into<String>) -> Vec<LineError> {
    vec![LineError {
        line,
        reason: reason.into(),
    }]
}

fn parse_block(lines: &[(usize, &str)]) -> Result<Option<GiftQuestion>, Vec<LineError>> {
    let is_category = |line: &str| {
        line.trim_start()
            .get(..10)
            .is_some_and(|h| h.eq_ignore_ascii_case("$category:"))
    };
    let lines: Vec<(usize, &str)> = lines
        .iter()
        .copied()
        .skip_while(|(_, line)| is_category(line))
        .collect();
    let Some(&(start, _)) = lines.first() else {
        return Ok(None);
    };
    let toks = tokenize(&lines);

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
            "No answers: put them at the end of the question in { … }.",
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
    if !text(after_close.get(1..).unwrap_or_default()).is_empty() {
        return Err(one(
            start,
            "Answers in the middle of the question are not supported yet: put the { … } at \
             the end of the question.",
        ));
    }

    let (body, explanation) = parse_answers(inner, start)?;
    let question = Question {
        prompt: formatted(prompt_toks),
        body,
        points: 1.0,
        explanation,
    };
    question.validate().map_err(|e| one(start, e.message))?;
    Ok(Some(GiftQuestion {
        title,
        question,
        line: start,
    }))
}

/// The kind and its answers, and the general feedback (`####`) as the explanation.
fn parse_answers(inner: &[Tok], start: usize) -> Result<(QuestionBody, String), Vec<LineError>> {
    let (answers, explanation) = match find(inner, "####") {
        Some(at) => (
            inner.get(..at).unwrap_or_default(),
            formatted(inner.get(at + 4..).unwrap_or_default()),
        ),
        None => (inner, String::new()),
    };
    let answers = trim(answers);
    let Some(first) = answers.first() else {
        return Err(one(
            start,
            "Essay questions are not supported: the answers { } are empty.",
        ));
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

fn true_false(
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

/// An answer starting with `=` or `~`, split into its parts.
struct MarkedAnswer {
    marker: char,
    line: usize,
    weight: Option<f64>,
    text: String,
    /// `left -> right`, when the text has an arrow.
    pair: Option<(String, String)>,
    feedback: Option<String>,
}

impl MarkedAnswer {
    fn is_full(&self) -> bool {
        self.weight.is_none_or(|w| (w - 100.0).abs() < 1e-9)
    }

    fn error(&self, reason: impl Into<String>) -> LineError {
        LineError {
            line: self.line,
            reason: reason.into(),
        }
    }
}

/// Splits at each unescaped `=` or `~`; what comes before the first must be blank.
fn split_marked(toks: &[Tok], start: usize) -> Result<Vec<MarkedAnswer>, Vec<LineError>> {
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

fn marked_answer(marker: &Tok, body: &[Tok]) -> Result<MarkedAnswer, LineError> {
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

fn marked_answers(toks: &[Tok], start: usize) -> Result<QuestionBody, Vec<LineError>> {
    let answers = split_marked(toks, start)?;
    if answers.iter().any(|a| a.pair.is_some()) {
        matching(answers, start)
    } else if answers.iter().all(|a| a.marker == '=') {
        short_answer(&answers, start)
    } else {
        choice(&answers, start)
    }
}

fn matching(answers: Vec<MarkedAnswer>, start: usize) -> Result<QuestionBody, Vec<LineError>> {
    if answers.iter().any(|a| a.marker != '=' || a.pair.is_none()) {
        return Err(one(
            start,
            "A matching question takes only pairs written =left -> right; this one mixes them \
             with other answers.",
        ));
    }
    let mut pairs = Vec::new();
    let mut errors = Vec::new();
    for (i, a) in answers.into_iter().enumerate() {
        if a.weight.is_some() {
            errors.push(a.error("Matching pairs take no %weight%."));
        } else if a.feedback.is_some() {
            errors.push(a.error("Matching pairs take no # feedback; use #### general feedback."));
        } else if let Some((left, right)) = a.pair {
            if left.is_empty() || right.is_empty() {
                errors.push(LineError {
                    line: a.line,
                    reason: format!("Pair {} needs text on both sides of ->.", i + 1),
                });
            } else {
                pairs.push(MatchPair {
                    id: format!("p{}", i + 1),
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
        })
    } else {
        Err(errors)
    }
}

fn short_answer(answers: &[MarkedAnswer], start: usize) -> Result<QuestionBody, Vec<LineError>> {
    let mut errors = Vec::new();
    for (i, a) in answers.iter().enumerate() {
        if a.text.is_empty() {
            errors.push(a.error(format!("Answer {} is empty.", i + 1)));
        } else if a.feedback.is_some() {
            errors.push(
                a.error("Short answers take no # feedback in Lore; use #### general feedback."),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let accepted: Vec<String> = answers
        .iter()
        .filter(|a| a.is_full())
        .map(|a| a.text.clone())
        .collect();
    if accepted.is_empty() {
        return Err(one(
            start,
            "No answer is worth 100%: Lore accepts only fully right short answers.",
        ));
    }
    Ok(QuestionBody::ShortText {
        accepted,
        case_sensitive: false,
    })
}

fn choice(answers: &[MarkedAnswer], start: usize) -> Result<QuestionBody, Vec<LineError>> {
    let errors: Vec<LineError> = answers
        .iter()
        .enumerate()
        .filter(|(_, a)| a.text.is_empty())
        .map(|(i, a)| a.error(format!("Answer {} is empty.", i + 1)))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let weighted = answers.iter().any(|a| a.weight.is_some());
    let options: Vec<ChoiceOption> = answers
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let default_weight = if a.marker == '=' { 100.0 } else { 0.0 };
            ChoiceOption {
                id: option_id(i),
                text: a.text.clone(),
                correct: a.weight.unwrap_or(default_weight) > 0.0,
                feedback: a.feedback.clone().unwrap_or_default(),
            }
        })
        .collect();
    let correct = options.iter().filter(|o| o.correct).count();
    if correct == 0 {
        return Err(one(
            start,
            if weighted {
                "No correct answer: give at least one answer a positive weight, like ~%50%."
            } else {
                "No correct answer: mark the right one with = instead of ~."
            },
        ));
    }
    if weighted {
        Ok(QuestionBody::MultipleChoice {
            options,
            partial_credit: true,
        })
    } else if correct > 1 {
        Err(one(
            start,
            "Several answers are marked =, which GIFT reads as “any one of them is right”; \
             for several correct answers give weights, like ~%50%a ~%50%b ~%-100%c.",
        ))
    } else {
        Ok(QuestionBody::SingleChoice { options })
    }
}

/// The answers after the leading `#`.
fn number_question(toks: &[Tok], start: usize) -> Result<QuestionBody, Vec<LineError>> {
    let toks = trim(toks);
    let Some(first) = toks.first() else {
        return Err(one(
            start,
            "A number question needs its answer after the #, like {#3.14:0.01}.",
        ));
    };
    if !(is(first, '=') || is(first, '~')) {
        let line = first.line;
        if split(toks, '#').len() > 1 {
            return Err(one(
                line,
                "Number answers take no # feedback in Lore; use #### general feedback.",
            ));
        }
        let (value, tolerance) = number_spec(&text(toks)).map_err(|reason| one(line, reason))?;
        return Ok(QuestionBody::Number { value, tolerance });
    }
    let answers = split_marked(toks, start)?;
    let mut errors = Vec::new();
    let mut full = Vec::new();
    for a in &answers {
        if a.marker == '~' {
            errors.push(a.error("Number questions take only = answers in Lore."));
        } else if a.feedback.is_some() {
            errors.push(
                a.error("Number answers take no # feedback in Lore; use #### general feedback."),
            );
        } else {
            match number_spec(&a.text) {
                Ok(spec) if a.is_full() => full.push(spec),
                Ok(_) => {}
                Err(reason) => errors.push(a.error(reason)),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    match full.as_slice() {
        [(value, tolerance)] => Ok(QuestionBody::Number {
            value: *value,
            tolerance: *tolerance,
        }),
        [] => Err(one(
            start,
            "No number answer is worth 100%: Lore keeps the fully right one.",
        )),
        _ => Err(one(
            start,
            "Several number answers are worth 100%; Lore keeps one value and its tolerance.",
        )),
    }
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

// ---------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------

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
    out.push_str(&format!("[markdown]{} ", escape(&q.prompt)));
    out.push_str(&answers_text(&q.body, &q.explanation));
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
        QuestionBody::ShortText { accepted, .. } if has_arrow(accepted.iter()) => {
            Err("an answer contains \"->\", which GIFT reads as a matching pair")
        }
        QuestionBody::SingleChoice { options } if options.iter().all(|o| o.correct) => {
            Err("it has no wrong option, so GIFT would read it as a short answer")
        }
        QuestionBody::Matching { pairs, .. } if has_arrow(pairs.iter().map(|p| &p.left)) => {
            Err("a left side contains \"->\"")
        }
        QuestionBody::Number { value, tolerance }
            if !(value.is_finite() && tolerance.is_finite()) =>
        {
            Err("its number is not finite")
        }
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

fn answers_text(body: &QuestionBody, explanation: &str) -> String {
    let general = if explanation.is_empty() {
        String::new()
    } else {
        format!("####{}", guarded(explanation))
    };
    let feedback = |f: &str| {
        if f.is_empty() {
            String::new()
        } else {
            format!("#{}", guarded(f))
        }
    };
    let lines: Vec<String> = match body {
        QuestionBody::SingleChoice { options } => options
            .iter()
            .map(|o| {
                let marker = if o.correct { '=' } else { '~' };
                format!("{marker}{}{}", guarded(&o.text), feedback(&o.feedback))
            })
            .collect(),
        QuestionBody::MultipleChoice { options, .. } => {
            let correct = options.iter().filter(|o| o.correct).count().max(1);
            let share = 100.0 / correct as f64;
            options
                .iter()
                .map(|o| {
                    let weight = percent(if o.correct { share } else { -share });
                    format!("~%{weight}%{}{}", guarded(&o.text), feedback(&o.feedback))
                })
                .collect()
        }
        QuestionBody::ShortText { accepted, .. } => accepted
            .iter()
            .map(|a| format!("={}", guarded(a)))
            .collect(),
        QuestionBody::Matching { pairs, .. } => pairs
            .iter()
            .map(|p| format!("={} -> {}", guarded(&p.left), guarded(&p.right)))
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
        QuestionBody::Number { value, tolerance } => {
            return format!("{{#{value}:{tolerance}{general}}}");
        }
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

/// A weight as GIFT writes it: at most five decimals, like Moodle's 33.33333.
fn percent(weight: f64) -> String {
    let s = format!("{weight:.5}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '~' | '=' | '#' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out
}

/// Escaped, with a `[markdown]` tag in front when the text itself starts like a tag or a
/// weight, so reading it back keeps the text whole.
fn guarded(s: &str) -> String {
    if s.starts_with('%') || starts_with_format_tag(s).is_some() {
        format!("[markdown]{}", escape(s))
    } else {
        escape(s)
    }
}

/// A short one-line name for a comment.
fn one_line(s: &str) -> String {
    let words = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = words.chars().take(60).collect();
    let short = short.replace('"', "'");
    if words.chars().count() > 60 {
        format!("{short}…")
    } else {
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::question::OrderItem;

    fn option(id: &str, text: &str, correct: bool, feedback: &str) -> ChoiceOption {
        ChoiceOption {
            id: id.to_owned(),
            text: text.to_owned(),
            correct,
            feedback: feedback.to_owned(),
        }
    }

    fn question(prompt: &str, body: QuestionBody, explanation: &str) -> Question {
        Question {
            prompt: prompt.to_owned(),
            body,
            points: 1.0,
            explanation: explanation.to_owned(),
        }
    }

    fn problems(text: &str) -> Vec<(usize, String)> {
        match parse_gift(text) {
            Ok(q) => panic!("expected errors, parsed {q:?}"),
            Err(e) => e.into_iter().map(|e| (e.line, e.reason)).collect(),
        }
    }

    fn error_lines(text: &str) -> Vec<usize> {
        problems(text).into_iter().map(|(line, _)| line).collect()
    }

    const QUIZ: &str = "\u{feff}// Geography and science, written by hand.
$CATEGORY: $course$/top/Geography

// A single choice with feedback on each option.
::Capital of France::What is the capital of France? {
\t=Paris#Right, Paris it is.
\t~Lyon#Lyon is the third city.
\t~Marseille
\t####Paris has been the capital for most of the last thousand years.
}

::Primes::[markdown]Which numbers are **prime**? {
\t~%50%2#Even, yet prime.
\t~%50%3
\t~%-100%4#4 \\= 2 × 2.
}

The sun rises in the east.{T#It does, every day.#Yes.}

::Fish::[html]Fish can fly.{FALSE##Not even flying fish, really.####Gliding is not flying.}

// Short answer: any of these.
Name a primary colour. {=red =blue =%100%yellow =%50%green}

::Gravity::What is g on Earth, in m/s²? {#9.81:0.05}

Pick a number between 3 and 4. {#3..4}

::Several numbers::Speed of sound in air, in m/s? {#
\t=343:0.5
\t=%50%340:5
}

::Capitals::Match the countries to their capitals. {
\t=France -> Paris
\t=Germany -> Berlin
\t=Italy -> Rome
\t####Capitals of the founding members.
}

::Escapes\\: braces::In GIFT\\, what do \\{ and \\} mean? {
\t=They are \\~ literal \\= braces \\#1#Yes\\: escaped.
\t~Nothing
}

A line\\nbreak. {TRUE}
";

    #[test]
    fn a_realistic_file_parses_every_kind() {
        let parsed = parse_gift(QUIZ).expect("parses");
        assert_eq!(parsed.len(), 11);
        let lines: Vec<usize> = parsed.iter().map(|q| q.line).collect();
        assert_eq!(lines, vec![5, 12, 18, 20, 23, 25, 27, 29, 34, 41, 46]);

        assert_eq!(parsed[0].title.as_deref(), Some("Capital of France"));
        assert_eq!(
            parsed[0].question,
            question(
                "What is the capital of France?",
                QuestionBody::SingleChoice {
                    options: vec![
                        option("a", "Paris", true, "Right, Paris it is."),
                        option("b", "Lyon", false, "Lyon is the third city."),
                        option("c", "Marseille", false, ""),
                    ]
                },
                "Paris has been the capital for most of the last thousand years.",
            )
        );

        assert_eq!(
            parsed[1].question,
            question(
                "Which numbers are **prime**?",
                QuestionBody::MultipleChoice {
                    options: vec![
                        option("a", "2", true, "Even, yet prime."),
                        option("b", "3", true, ""),
                        option("c", "4", false, "4 = 2 × 2."),
                    ],
                    partial_credit: true,
                },
                "",
            )
        );

        assert_eq!(parsed[2].title, None);
        assert_eq!(
            parsed[2].question.body,
            QuestionBody::TrueFalse {
                answer: true,
                feedback_true: "Yes.".to_owned(),
                feedback_false: "It does, every day.".to_owned(),
            }
        );
        assert_eq!(parsed[3].question.prompt, "Fish can fly.");
        assert_eq!(
            parsed[3].question.body,
            QuestionBody::TrueFalse {
                answer: false,
                feedback_true: String::new(),
                feedback_false: "Not even flying fish, really.".to_owned(),
            }
        );
        assert_eq!(parsed[3].question.explanation, "Gliding is not flying.");

        assert_eq!(
            parsed[4].question.body,
            QuestionBody::ShortText {
                accepted: vec!["red".to_owned(), "blue".to_owned(), "yellow".to_owned()],
                case_sensitive: false,
            }
        );
        assert_eq!(
            parsed[5].question.body,
            QuestionBody::Number {
                value: 9.81,
                tolerance: 0.05
            }
        );
        assert_eq!(
            parsed[6].question.body,
            QuestionBody::Number {
                value: 3.5,
                tolerance: 0.5
            }
        );
        assert_eq!(
            parsed[7].question.body,
            QuestionBody::Number {
                value: 343.0,
                tolerance: 0.5
            }
        );
        assert_eq!(
            parsed[8].question.body,
            QuestionBody::Matching {
                pairs: vec![
                    MatchPair {
                        id: "p1".to_owned(),
                        left: "France".to_owned(),
                        right: "Paris".to_owned()
                    },
                    MatchPair {
                        id: "p2".to_owned(),
                        left: "Germany".to_owned(),
                        right: "Berlin".to_owned()
                    },
                    MatchPair {
                        id: "p3".to_owned(),
                        left: "Italy".to_owned(),
                        right: "Rome".to_owned()
                    },
                ],
                partial_credit: true,
            }
        );
        assert_eq!(
            parsed[8].question.explanation,
            "Capitals of the founding members."
        );

        assert_eq!(parsed[9].title.as_deref(), Some("Escapes: braces"));
        assert_eq!(
            parsed[9].question.prompt, "In GIFT\\, what do { and } mean?",
            "an unknown escape keeps its backslash"
        );
        assert_eq!(
            parsed[9].question.body,
            QuestionBody::SingleChoice {
                options: vec![
                    option("a", "They are ~ literal = braces #1", true, "Yes: escaped."),
                    option("b", "Nothing", false, ""),
                ]
            }
        );
        assert_eq!(parsed[10].question.prompt, "A line\nbreak.");
        assert!(parsed.iter().all(|q| q.question.points == 1.0));
    }

    #[test]
    fn true_false_feedback_follows_the_answer_given() {
        let parsed = parse_gift("Q1 {T#if wrong}\n\nQ2 {f#if wrong#if right}\n").expect("parses");
        assert_eq!(
            parsed[0].question.body,
            QuestionBody::TrueFalse {
                answer: true,
                feedback_true: String::new(),
                feedback_false: "if wrong".to_owned(),
            }
        );
        assert_eq!(
            parsed[1].question.body,
            QuestionBody::TrueFalse {
                answer: false,
                feedback_true: "if wrong".to_owned(),
                feedback_false: "if right".to_owned(),
            }
        );
    }

    #[test]
    fn an_unclosed_brace_is_reported_where_the_question_starts() {
        let text = "::Ok::Fine? {=a ~b}\n\
            \n\
            // a comment\n\
            ::Broken::Where is the\n\
            closing brace? {=a\n\
            ~b\n\
            \n\
            Next {=x ~y}\n";
        let e = problems(text);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].0, 4);
        assert!(e[0].1.contains("never closed"), "{e:?}");
    }

    #[test]
    fn a_bad_number_is_reported_at_its_line() {
        assert_eq!(error_lines("Q {#abc}"), vec![1]);
        let e = problems("\n\nHow many? {#\n=1:0\n=%50%abc\n}\n");
        assert_eq!(e[0].0, 5);
        assert!(e[0].1.contains("“abc” is not a number"), "{e:?}");
        assert!(problems(" Q {#4..3}")[0].1.contains("backwards"));
        assert!(problems("Q {#1:-1}")[0].1.contains("below 0"));
        assert!(problems("Q {#inf}")[0].1.contains("not a number"));
        assert!(problems("Q {#=1 =2}")[0].1.contains("Several"));
        assert!(problems("Q {#=%50%1}")[0].1.contains("100%"));
        assert!(problems("Q {#1#well done}")[0].1.contains("feedback"));
        assert!(problems("Q {#}")[0].1.contains("after the #"));
    }

    #[test]
    fn essays_and_embedded_answers_are_refused() {
        let e =
            problems("Q1 {=a ~b}\n\n::Essay::Tell me about it.\n{}\n\nAlso {####feedback only}\n");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].0, 3);
        assert!(e[0].1.starts_with("Essay questions are not supported"));
        assert_eq!(e[1].0, 6);
        let e = problems("Q1 {=a ~b}\n\nThe {=cat ~dog} sat on the mat.\n");
        assert_eq!(e[0].0, 3);
        let reason = &e[0].1;
        assert!(reason.starts_with("Answers in the middle of the question are not supported yet"));
        let reason = &problems("{=cat ~dog} sat on the mat.")[0].1;
        assert!(reason.contains("middle"));
    }

    #[test]
    fn choices_need_a_correct_answer() {
        let e = problems("\n// c\nPick one {\n~a\n~b\n}\n");
        assert_eq!(e[0].0, 3);
        assert!(e[0].1.starts_with("No correct answer"));
        let e = problems("Pick {~%0%a ~%-50%b}");
        assert!(e[0].1.contains("positive weight"));
        let e = problems("Pick {=a =b ~c}");
        assert!(e[0].1.contains("any one of them"));
    }

    #[test]
    fn empty_answers_are_reported_at_their_line() {
        let e = problems("Q1 {\n=\n~b\n~\n}\n");
        let lines: Vec<usize> = e.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![2, 4], "every empty answer: {e:?}");
        assert!(e[0].1.contains("Answer 1 is empty"));
        assert!(problems("Q {=}")[0].1.contains("empty"));
        assert!(problems("Q {=a -> }")[0].1.contains("both sides"));
    }

    #[test]
    fn mixed_pairs_and_answers_are_refused() {
        let e = problems("\n::Mixed::Match {\n=a -> 1\n=b\n=c -> 3\n}\n");
        assert_eq!(e, vec![(2, e[0].1.clone())]);
        assert!(e[0].1.contains("mixes"));
        assert!(problems("Match {=a -> 1 ~b -> 2}")[0].1.contains("mixes"));
        let reason = &problems("Match {=a -> 1#nice =b -> 2}")[0].1;
        assert!(reason.contains("feedback"));
    }

    #[test]
    fn other_malformed_input_is_explained() {
        assert!(problems("Just a statement.")[0].1.starts_with("No answers"));
        assert!(problems("::Untitled Q {=a ~b}")[0].1.contains("title"));
        assert!(problems("Q {abc =a ~b}")[0].1.contains("“abc”"));
        assert!(problems("Q {=a ~b {c}")[0].1.contains("second {"));
        assert!(problems("Q } {=a ~b}")[0].1.contains("before the answers"));
        assert!(problems("Q {~%50a ~b}")[0].1.contains("not closed"));
        let reason = &problems("Q {~%150%a ~b}")[0].1;
        assert!(reason.contains("between -100 and 100"));
        let reason = &problems("Q {=a#one#two ~b}")[0].1;
        assert!(reason.contains("more than one #"));
        assert!(problems("Q {T#a#b#c}")[0].1.contains("at most two"));
        assert!(problems("Q {=a#hint =b}")[0].1.contains("general feedback"));
        assert!(problems("Q {=%50%a =%25%b}")[0].1.contains("100%"));
    }

    #[test]
    fn questions_are_validated_with_their_line() {
        let e = problems("Fine {=a ~b}\n\nSame twice {\n=a\n~a\n}\n\n{=x ~y}\n");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].0, 3);
        assert!(e[0].1.contains("different text"), "{e:?}");
        assert_eq!(e[1].0, 8);
        assert!(e[1].1.contains("prompt"), "{e:?}");
    }

    #[test]
    fn every_problem_in_a_file_is_reported_and_nothing_imported() {
        let text = "Good {=a ~b}\n\nBad1 {}\n\nGood {T}\n\nBad2 {#x}\n\nBad3 {~a ~b}\n";
        assert_eq!(error_lines(text), vec![3, 7, 9]);
    }

    #[test]
    fn comments_and_categories_alone_are_no_questions() {
        assert_eq!(parse_gift(""), Ok(vec![]));
        assert_eq!(parse_gift("// only\n\n$CATEGORY: x\n\n  \n"), Ok(vec![]));
    }

    #[test]
    fn option_ids_run_past_z() {
        assert_eq!(option_id(0), "a");
        assert_eq!(option_id(25), "z");
        assert_eq!(option_id(26), "aa");
        assert_eq!(option_id(27), "ab");
        assert_eq!(option_id(26 + 26 * 26), "aaa");
    }

    fn every_kind() -> Vec<(Option<String>, Question)> {
        vec![
            (
                Some("Capital: France".to_owned()),
                question(
                    "What is the {capital} of France?\n\nAnswer **one**.",
                    QuestionBody::SingleChoice {
                        options: vec![
                            option("a", "Paris = 75", true, "Right ~ yes #1"),
                            option("b", "Lyon", false, "No: \\ backslash"),
                            option("c", "%50 of Marseille", false, "[html] is not a tag here"),
                        ],
                    },
                    "// not a comment\n####",
                ),
            ),
            (
                None,
                question(
                    "// Which are prime?",
                    QuestionBody::MultipleChoice {
                        options: vec![
                            option("a", "2", true, ""),
                            option("b", "3", true, "odd"),
                            option("c", "5", true, ""),
                            option("d", "4", false, "2 × 2"),
                        ],
                        partial_credit: true,
                    },
                    "",
                ),
            ),
            (
                None,
                question(
                    "One of one?",
                    QuestionBody::MultipleChoice {
                        options: vec![option("a", "yes", true, ""), option("b", "no", false, "")],
                        partial_credit: true,
                    },
                    "",
                ),
            ),
            (
                Some("TF".to_owned()),
                question(
                    "True?",
                    QuestionBody::TrueFalse {
                        answer: true,
                        feedback_true: "right".to_owned(),
                        feedback_false: String::new(),
                    },
                    "why: because",
                ),
            ),
            (
                None,
                question(
                    "False?",
                    QuestionBody::TrueFalse {
                        answer: false,
                        feedback_true: "wrong #1".to_owned(),
                        feedback_false: String::new(),
                    },
                    "",
                ),
            ),
            (
                None,
                question(
                    "Plain true",
                    QuestionBody::TrueFalse {
                        answer: true,
                        feedback_true: String::new(),
                        feedback_false: String::new(),
                    },
                    "",
                ),
            ),
            (
                None,
                question(
                    "Colour?",
                    QuestionBody::ShortText {
                        accepted: vec!["red".to_owned(), "T".to_owned(), "%red".to_owned()],
                        case_sensitive: false,
                    },
                    "",
                ),
            ),
            (
                None,
                question(
                    "g?",
                    QuestionBody::Number {
                        value: -9.81,
                        tolerance: 0.005,
                    },
                    "[plain] gravity",
                ),
            ),
            (
                None,
                question(
                    "Exact?",
                    QuestionBody::Number {
                        value: 1e-7,
                        tolerance: 0.0,
                    },
                    "",
                ),
            ),
            (
                Some("Pairs".to_owned()),
                question(
                    "Match them",
                    QuestionBody::Matching {
                        pairs: vec![
                            MatchPair {
                                id: "p1".to_owned(),
                                left: "x = 1".to_owned(),
                                right: "a -> b".to_owned(),
                            },
                            MatchPair {
                                id: "p2".to_owned(),
                                left: "%y".to_owned(),
                                right: "[html]c".to_owned(),
                            },
                        ],
                        partial_credit: true,
                    },
                    "",
                ),
            ),
        ]
    }

    #[test]
    fn every_kind_survives_a_round_trip() {
        let questions = every_kind();
        let gift = to_gift(&questions);
        let parsed = parse_gift(&gift).unwrap_or_else(|e| panic!("{e:?} in\n{gift}"));
        let back: Vec<(Option<String>, Question)> =
            parsed.into_iter().map(|q| (q.title, q.question)).collect();
        assert_eq!(back, questions, "written as\n{gift}");
    }

    #[test]
    fn what_gift_cannot_carry_is_named_in_comments() {
        let ordering = question(
            "Sort these\nnumbers",
            QuestionBody::Ordering {
                items: vec![
                    OrderItem {
                        id: "i1".to_owned(),
                        text: "1".to_owned(),
                    },
                    OrderItem {
                        id: "i2".to_owned(),
                        text: "2".to_owned(),
                    },
                ],
                partial_credit: true,
            },
            "",
        );
        let mut strict = question(
            "Pick",
            QuestionBody::MultipleChoice {
                options: vec![option("x", "a", true, ""), option("y", "b", false, "")],
                partial_credit: false,
            },
            "",
        );
        strict.points = 2.5;
        let arrow = question(
            "Arrows",
            QuestionBody::ShortText {
                accepted: vec!["a -> b".to_owned()],
                case_sensitive: false,
            },
            "",
        );
        let gift = to_gift(&[
            (None, ordering),
            (None, strict),
            (Some("Arrow".to_owned()), arrow),
        ]);
        assert!(
            gift.starts_with(
                "// Ordering question \"Sort these numbers\" cannot be written in GIFT"
            ),
            "{gift}"
        );
        assert!(
            gift.contains("// GIFT cannot carry: worth 2.5 points"),
            "{gift}"
        );
        assert!(gift.contains("all-or-nothing"), "{gift}");
        assert!(
            gift.contains("// Short answer question \"Arrow\" cannot be written"),
            "{gift}"
        );
        let parsed = parse_gift(&gift).expect("the rest imports");
        assert_eq!(parsed.len(), 1);
        let q = &parsed[0].question;
        assert_eq!(q.points, 1.0);
        assert_eq!(
            q.body,
            QuestionBody::MultipleChoice {
                options: vec![option("a", "a", true, ""), option("b", "b", false, "")],
                partial_credit: true,
            }
        );
    }

    #[test]
    fn weights_are_written_like_moodle_writes_them() {
        assert_eq!(percent(100.0 / 3.0), "33.33333");
        assert_eq!(percent(-50.0), "-50");
        assert_eq!(percent(100.0), "100");
        assert_eq!(percent(12.5), "12.5");
    }
}
