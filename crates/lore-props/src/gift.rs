//! GIFT as Moodle writes it, generated from the grammar: every construct of Moodle's GIFT
//! documentation (titles, format tags, comments, `$CATEGORY:`, escapes, single and multiple
//! choice with weights and feedback, true/false with both feedbacks, short answers, missing
//! word, matching with distractors, numbers as `value:tolerance`, ranges and graded answers,
//! essays, general feedback), then sometimes broken (a brace dropped or doubled, a weight
//! made huge, 500 answers, nesting, a line cut). Two properties:
//!
//! - `gift-grammar`: reading any such file never panics, every reported line has its source
//!   text, fixes can be put back, and what reads is written and read back the same;
//! - `gift-round-trip`: for generated questions of every kind that GIFT can carry,
//!   `import(export(x)) = x`.

use lore_domain::gift::{GiftQuestion, check_gift, parse_gift, source_text, to_gift, with_fixes};
use lore_domain::question::{
    ChoiceOption, Distractor, GradedNumber, GradedText, MatchPair, Question, QuestionBody,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use crate::runner::{Outcome, Target, run};

/// Words of question text, with the characters GIFT gives meaning to (escaped when written).
#[rustfmt::skip]
const WORDS: &[&str] = &[
    "Paris", "what", "is", "the", "capital", "of", "France?", "2 + 2", "é", "🙂", "<b>bold</b>",
    "**strong**", "`code`", "a", "b", "c", "42", "-3.5", "x_y",
];

/// Escapes and odd characters that must stay literal inside text.
#[rustfmt::skip]
const ESCAPES: &[&str] = &[
    "\\{", "\\}", "\\=", "\\~", "\\#", "\\:", "\\\\", "\\n", "\\*", "\\x", "%", "->", "[", "]",
    "//", "::", "$", "\u{feff}", "\t",
];

const FORMATS: &[&str] = &[
    "",
    "",
    "",
    "[markdown]",
    "[html]",
    "[plain]",
    "[moodle]",
    "[HTML]",
];

#[rustfmt::skip]
const WEIGHTS: &[&str] = &[
    "100", "50", "-50", "-100", "33.33333", "-33.33333", "25", "0", "12.5", "1e2", "101", "-101",
    "1e308", "-1e309", "NaN", "inf", "9999999999999999999999", "", " ", "50 ", "5O",
];

#[rustfmt::skip]
const NUMBERS: &[&str] = &[
    "3.14", "0", "-1", "1e3", "2", "1.5", "1e308", "-1e308", "1.7976931348623157e308", "1e309",
    "NaN", "inf", "", "x", "..", "3..", "..4", "4..3", "0.0001", "-0", "9999999999999999999999",
];

/// A piece of text: words and, now and then, an escape.
fn words() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => select(WORDS).prop_map(str::to_owned),
        2 => select(ESCAPES).prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ];
    vec(piece, 1..6).prop_map(|v| v.join(" "))
}

fn formatted_words() -> impl Strategy<Value = String> {
    (select(FORMATS), words()).prop_map(|(f, w)| format!("{f}{w}"))
}

fn feedback() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => formatted_words().prop_map(|w| format!("#{w}")),
    ]
}

fn weight() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        2 => select(WEIGHTS).prop_map(|w| format!("%{w}%")),
    ]
}

/// Answers of one kind, as the text inside `{ … }`.
fn answers() -> BoxedStrategy<String> {
    let choice = (
        select(&["=", "~"][..]),
        weight(),
        formatted_words(),
        feedback(),
    )
        .prop_map(|(m, w, t, f)| format!("{m}{w}{t}{f}"));
    let short =
        (weight(), formatted_words(), feedback()).prop_map(|(w, t, f)| format!("={w}{t}{f}"));
    let pair = prop_oneof![
        4 => (words(), words()).prop_map(|(l, r)| format!("={l} -> {r}")),
        1 => words().prop_map(|r| format!("= -> {r}")),
    ];
    let spec = prop_oneof![
        (select(NUMBERS), select(NUMBERS)).prop_map(|(v, t)| format!("{v}:{t}")),
        (select(NUMBERS), select(NUMBERS)).prop_map(|(a, b)| format!("{a}..{b}")),
        select(NUMBERS).prop_map(str::to_owned),
    ];
    let separator = select(&[" ", "\n", "\n\t", "  "][..]);
    let join = |items: Vec<(String, &str)>| {
        items
            .into_iter()
            .map(|(item, sep)| format!("{sep}{item}"))
            .collect::<String>()
    };
    prop_oneof![
        // Choices (single, multiple, weighted), short answers, matching.
        3 => vec((choice, separator.clone()), 1..8).prop_map(join),
        2 => vec((short, separator.clone()), 1..5).prop_map(join),
        2 => vec((pair, separator.clone()), 1..6).prop_map(join),
        // True/false, any case, with up to three feedbacks.
        2 => (
            select(&["T", "F", "TRUE", "FALSE", "true", "False", "t"][..]),
            vec(formatted_words(), 0..4),
        )
            .prop_map(|(tf, fs)| fs.iter().fold(tf.to_owned(), |acc, f| format!("{acc}#{f}"))),
        // Numbers: one spec with feedback, or graded answers.
        2 => (spec.clone(), feedback()).prop_map(|(s, f)| format!("#{s}{f}")),
        1 => vec((weight(), spec, feedback(), separator), 1..5).prop_map(|v| {
            let graded: String = v
                .into_iter()
                .map(|(w, s, f, sep)| format!("{sep}={w}{s}{f}"))
                .collect();
            format!("#{graded}")
        }),
        // Essay.
        1 => Just(String::new()),
        // Many answers.
        1 => (1usize..500).prop_map(|n| (0..n).map(|i| format!(" ~%-1%o{i}")).collect::<String>() + " =right"),
    ]
    .boxed()
}

/// One question: comments and category lines, a title, a formatted prompt, its answers
/// (at the end or in the middle, a missing word) and general feedback.
fn question_text() -> impl Strategy<Value = String> {
    let comment = prop_oneof![
        3 => Just(String::new()),
        1 => words().prop_map(|w| format!("// {w}\n")),
        1 => (1u32..99_999).prop_map(|n| format!("// question: {n}  name: q{n}\n")),
    ];
    let category = prop_oneof![
        4 => Just(String::new()),
        1 => words().prop_map(|w| format!("$CATEGORY: $course$/top/{w}\n")),
        1 => Just("$category: $system$/top\n".to_owned()),
        1 => Just(format!("$CATEGORY: {}\n", "x/".repeat(150))),
    ];
    let title = prop_oneof![
        2 => Just(String::new()),
        2 => words().prop_map(|w| format!("::{w}::")),
        1 => Just("::::".to_owned()),
    ];
    let general = prop_oneof![
        3 => Just(String::new()),
        1 => formatted_words().prop_map(|w| format!("####{w}")),
    ];
    (
        comment,
        category,
        title,
        formatted_words(),
        answers(),
        general,
        proptest::option::of(words()),
    )
        .prop_map(
            |(comment, category, title, prompt, answers, general, after)| {
                let after = after.map(|a| format!(" {a}")).unwrap_or_default();
                format!("{comment}{category}{title}{prompt} {{{answers}{general}}}{after}")
            },
        )
}

/// A way to break a valid question.
#[derive(Debug, Clone)]
enum Break {
    None,
    /// Remove the character at this share of the text.
    Drop(u16),
    /// Insert this text at this share.
    Insert(u16, &'static str),
    /// Cut the text here.
    Cut(u16),
    /// Wrap the whole question in this many braces.
    Nest(u16),
}

#[rustfmt::skip]
const INSERTS: &[&str] = &[
    "{", "}", "{{", "}}", "\\", "=", "~", "#", "####", "::", "%", "%999999999%", "->", "\n",
    "\n\n", "//", "$CATEGORY:", "[html]", "\r", "\u{0}", "\u{2028}",
];

fn broken() -> impl Strategy<Value = Break> {
    prop_oneof![
        6 => Just(Break::None),
        2 => any::<u16>().prop_map(Break::Drop),
        2 => (any::<u16>(), select(INSERTS)).prop_map(|(at, s)| Break::Insert(at, s)),
        1 => any::<u16>().prop_map(Break::Cut),
        1 => (1u16..300).prop_map(Break::Nest),
    ]
}

fn at_share(text: &str, share: u16) -> usize {
    let chars = text.chars().count();
    let i = usize::from(share) * chars / usize::from(u16::MAX).max(1);
    text.char_indices().nth(i).map_or(text.len(), |(b, _)| b)
}

fn apply(text: String, how: &Break) -> String {
    match *how {
        Break::None => text,
        Break::Drop(share) => {
            let mut text = text;
            let at = at_share(&text, share);
            if at < text.len() {
                text.remove(at);
            }
            text
        }
        Break::Insert(share, what) => {
            let mut text = text;
            let at = at_share(&text, share);
            text.insert_str(at, what);
            text
        }
        Break::Cut(share) => {
            let at = at_share(&text, share);
            text.get(..at).unwrap_or_default().to_owned()
        }
        Break::Nest(depth) => {
            let depth = usize::from(depth);
            format!("{}{text}{}", "{".repeat(depth), "}".repeat(depth))
        }
    }
}

/// A GIFT file: a few questions, each perhaps broken, separated by blank lines.
pub fn gift_file() -> impl Strategy<Value = String> {
    let line_end = select(&["\n", "\r\n"][..]);
    (
        proptest::option::of(Just("\u{feff}")),
        vec((question_text(), broken()), 0..6),
        line_end,
    )
        .prop_map(|(bom, questions, end)| {
            let body = questions
                .into_iter()
                .map(|(q, how)| apply(q, &how))
                .collect::<Vec<_>>()
                .join("\n\n");
            format!("{}{}", bom.unwrap_or_default(), body.replace('\n', end))
        })
}

fn pairs(questions: Vec<GiftQuestion>) -> Vec<(Option<String>, Question)> {
    questions
        .into_iter()
        .map(|q| (q.title, q.question))
        .collect()
}

fn grammar_target(cases: u32, seed: u64) -> Outcome {
    run(gift_file(), cases, seed, |text| {
        let checked = check_gift(&text);
        let mut fixes = Vec::new();
        for entry in &checked {
            if let Err(errors) = entry {
                for e in errors {
                    let _ = source_text(&text, e.line);
                    fixes.push((e.line, String::new()));
                }
            }
        }
        let fixed = with_fixes(&text, &fixes);
        let _ = fixed.moved(text.lines().count() + 1);
        let _ = parse_gift(&fixed.text);
        let Ok(read) = parse_gift(&text) else {
            return Ok(());
        };
        // What was read is written, and reads back the same.
        let read = pairs(read);
        let written = to_gift(&read);
        let again = parse_gift(&written).map_err(|e| {
            format!("what was read does not read back once written: {e:?}\n{written}")
        })?;
        let kept = kept(&read);
        if pairs(again) != kept {
            return Err(format!("written and read back differently:\n{written}"));
        }
        Ok(())
    })
}

/// The questions GIFT can carry: those `to_gift` does not write as a comment.
fn kept(questions: &[(Option<String>, Question)]) -> Vec<(Option<String>, Question)> {
    questions
        .iter()
        .filter(|one| {
            !to_gift(std::slice::from_ref(one))
                .lines()
                .any(|l| l.starts_with("// ") && l.contains("cannot be written in GIFT"))
        })
        .cloned()
        .collect()
}

// ---------------------------------------------------------------------------------------
// Questions as GIFT reads them back (ids renumbered, texts trimmed, one point, partial
// credit), for the round trip.
// ---------------------------------------------------------------------------------------

/// Text as it reads back: trimmed, never empty.
#[rustfmt::skip]
const TEXT_PIECES: &[&str] = &[
    "Paris", "what", "is", "2 + 2", "é", "🙂", "{", "}", "=", "~", "#", ":", "\\", "%", "[html]",
    "[markdown]", "//", "::", "*", "\\n", "a\nb", " ", "->", "-", ">", "$CATEGORY:", "T", "####",
];

fn plain() -> impl Strategy<Value = String> {
    vec(select(TEXT_PIECES), 1..6)
        .prop_map(|v| v.concat().trim().to_owned())
        .prop_filter("a text", |s| !s.is_empty())
}

fn maybe_plain() -> impl Strategy<Value = String> {
    prop_oneof![2 => Just(String::new()), 1 => plain()]
}

const CHOICE_WEIGHTS: &[f64] = &[100.0, 50.0, 33.33333, 25.0, 12.5, 0.0, -25.0, -50.0, -100.0];
const PARTIAL_WEIGHTS: &[f64] = &[50.0, 33.33333, 25.0, 12.5, 0.0];
#[rustfmt::skip]
const VALUES: &[f64] = &[
    0.0, 1.0, -1.0, 3.25, 2.5, 1e-7, 1e21, -273.15, 123_456.789, f64::MAX, f64::MIN_POSITIVE,
];

fn value_() -> impl Strategy<Value = f64> {
    prop_oneof![select(VALUES), -1e6f64..1e6]
}

fn tolerance() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), select(VALUES).prop_map(f64::abs), 0f64..100.0]
}

fn body() -> BoxedStrategy<QuestionBody> {
    let single = (
        vec((plain(), maybe_plain()), 2..8),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(options, key)| {
            let key = key.index(options.len());
            QuestionBody::SingleChoice {
                options: options
                    .into_iter()
                    .enumerate()
                    .map(|(i, (text, feedback))| ChoiceOption {
                        id: lore_domain::gift::option_id(i),
                        text,
                        correct: i == key,
                        feedback,
                        weight: None,
                    })
                    .collect(),
            }
        });
    let multiple =
        vec((plain(), maybe_plain(), select(CHOICE_WEIGHTS)), 2..8).prop_map(|options| {
            QuestionBody::MultipleChoice {
                options: options
                    .into_iter()
                    .enumerate()
                    .map(|(i, (text, feedback, weight))| ChoiceOption {
                        id: lore_domain::gift::option_id(i),
                        text,
                        correct: weight > 0.0,
                        feedback,
                        weight: Some(weight),
                    })
                    .collect(),
                partial_credit: true,
            }
        });
    let true_false = (any::<bool>(), maybe_plain(), maybe_plain()).prop_map(|(answer, t, f)| {
        QuestionBody::TrueFalse {
            answer,
            feedback_true: t,
            feedback_false: f,
        }
    });
    let short = (
        vec((plain(), maybe_plain()), 1..5),
        vec((plain(), select(PARTIAL_WEIGHTS), maybe_plain()), 0..3),
    )
        .prop_map(|(accepted, others)| {
            let mut feedback: Vec<String> = accepted.iter().map(|(_, f)| f.clone()).collect();
            while feedback.last().is_some_and(String::is_empty) {
                feedback.pop();
            }
            QuestionBody::ShortText {
                accepted: accepted.into_iter().map(|(a, _)| a).collect(),
                case_sensitive: false,
                feedback,
                others: others
                    .into_iter()
                    .map(|(text, weight, feedback)| GradedText {
                        text,
                        weight,
                        feedback,
                    })
                    .collect(),
            }
        });
    let number = (
        value_(),
        tolerance(),
        maybe_plain(),
        vec(
            (
                value_(),
                tolerance(),
                select(PARTIAL_WEIGHTS),
                maybe_plain(),
            ),
            0..3,
        ),
    )
        .prop_map(
            |(value, tolerance, feedback, others)| QuestionBody::Number {
                value,
                tolerance,
                feedback,
                others: others
                    .into_iter()
                    .map(|(value, tolerance, weight, feedback)| GradedNumber {
                        value,
                        tolerance,
                        weight,
                        feedback,
                    })
                    .collect(),
            },
        );
    let matching =
        (vec((plain(), plain()), 2..6), vec(plain(), 0..3)).prop_map(|(pairs, distractors)| {
            QuestionBody::Matching {
                pairs: pairs
                    .into_iter()
                    .enumerate()
                    .map(|(i, (left, right))| MatchPair {
                        id: format!("p{}", i + 1),
                        left,
                        right,
                    })
                    .collect(),
                partial_credit: true,
                distractors: distractors
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| Distractor {
                        id: format!("d{}", i + 1),
                        text,
                    })
                    .collect(),
            }
        });
    prop_oneof![
        Just(QuestionBody::plain_essay()),
        single,
        multiple,
        true_false,
        short,
        number,
        matching,
    ]
    .boxed()
}

/// A question GIFT can carry, as it reads back; sometimes a missing-word prompt.
pub fn question() -> impl Strategy<Value = (Option<String>, Question)> {
    let prompt = prop_oneof![
        4 => plain(),
        1 => (plain(), plain()).prop_map(|(a, b)| format!("{a} {} {b}", lore_domain::gift::BLANK)),
    ];
    (proptest::option::of(plain()), prompt, body(), maybe_plain()).prop_map(
        |(title, prompt, body, explanation)| {
            (
                title,
                Question {
                    prompt,
                    body,
                    points: 1.0,
                    explanation,
                },
            )
        },
    )
}

fn round_trip_target(cases: u32, seed: u64) -> Outcome {
    run(vec(question(), 1..5), cases, seed, |questions| {
        // Only questions an author could save: the others are not exported.
        let valid: Vec<_> = questions
            .into_iter()
            .filter(|(_, q)| q.validate().is_ok())
            .collect();
        let expected = kept(&valid);
        let written = to_gift(&valid);
        let read = parse_gift(&written)
            .map_err(|e| format!("an export does not import: {e:?}\n{written}"))?;
        let read = pairs(read);
        if read != expected {
            return Err(format!(
                "import(export(x)) != x\nwritten:\n{written}\nread: {read:?}\nexpected: {expected:?}"
            ));
        }
        Ok(())
    })
}

pub fn targets() -> Vec<Target> {
    vec![
        Target {
            name: "gift-grammar",
            weight: 12,
            run: grammar_target,
        },
        Target {
            name: "gift-round-trip",
            weight: 8,
            run: round_trip_target,
        },
    ]
}
