//! Parsers that came with question banks, essays and the API's attempts: bank names, topics,
//! difficulties and draw counts, rubrics (read, written back and read again the same), essay
//! reviews, evaluation settings, learners' answers in every JSON shape scored against
//! generated questions of every kind, and the events feed's cursor.

use lore_domain::essay;
use lore_domain::question::{Answer, Question, QuestionBody};
use lore_domain::question_bank;
use lore_domain::scoring;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use crate::runner::{Outcome, Target, run};
use crate::text::{glued, value};

#[rustfmt::skip]
const RUBRIC: &[&str] = &[
    "Clarity", "Evidence", "Structure: ", ": ", ":", "\n", "\n\n", "\r\n", "5", "0", "-1", "2.5",
    "1e309", "NaN", "inf", "1000", "1001", "0.0001", " ", "\t", "a:b:3", "é", "🙂", "#", "- ",
    "9999999999999999999999",
];

/// Rubric text as the editor's box takes it (`name: points` a line), and odd lines.
pub fn rubric_text() -> impl Strategy<Value = String> {
    glued(RUBRIC, 40)
}

fn rubric_target(cases: u32, seed: u64) -> Outcome {
    run(rubric_text(), cases, seed, |text| {
        let Ok(rubric) = essay::parse_rubric(&text) else {
            return Ok(());
        };
        let _ = essay::check_rubric(&rubric, "");
        let written = essay::rubric_text(&rubric);
        let again = essay::parse_rubric(&written)
            .map_err(|e| format!("a rubric read does not read back: {e:?} from {written:?}"))?;
        if again != rubric {
            return Err(format!(
                "a rubric reads back differently: {rubric:?} → {written:?} → {again:?}"
            ));
        }
        Ok(())
    })
}

fn points() -> impl Strategy<Value = f64> {
    prop_oneof![
        select(
            &[
                0.0,
                1.0,
                0.5,
                -1.0,
                1e308,
                -0.0,
                f64::NAN,
                f64::INFINITY,
                3.33333
            ][..]
        ),
        any::<f64>(),
        -10f64..1000.0,
    ]
}

fn essay_review_target(cases: u32, seed: u64) -> Outcome {
    run(
        (
            glued(RUBRIC, 30),
            vec(points(), 0..6),
            value(),
            crate::gift::question(),
        ),
        cases,
        seed,
        |(rubric, points, comment, (_, other))| {
            let essay = Question {
                prompt: "Tell us.".to_owned(),
                body: QuestionBody::Essay {
                    rubric: essay::parse_rubric(&rubric).unwrap_or_default(),
                    model_answer: String::new(),
                },
                points: 1.0,
                explanation: String::new(),
            };
            let _ = essay::review(&essay, &points, &comment);
            let _ = essay::review(&other, &points, &comment);
            let _ = essay::check_answer(&comment);
            let _ = essay::score_bands(&points);
            let _ = essay::agreement(&[points.clone(), points.iter().rev().copied().collect()]);
            Ok(())
        },
    )
}

/// Ids a learner may send: the ones importers give, and anything else.
fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(&["a", "b", "c", "d", "p1", "p2", "p3", "d1", "i1", "i2", ""][..])
            .prop_map(str::to_owned),
        1 => value(),
    ]
}

fn learner_answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        vec(id(), 0..6).prop_map(Answer::Choices),
        any::<bool>().prop_map(Answer::Bool),
        value().prop_map(Answer::Text),
        (1usize..20_000).prop_map(|n| Answer::Text("x".repeat(n))),
        points().prop_map(Answer::Number),
        vec(id(), 0..6).prop_map(Answer::Order),
        vec((id(), id()), 0..6).prop_map(Answer::Matches),
    ]
}

/// An answer as JSON: one of the shapes the API documents, or any JSON at all.
fn answer_json() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        3 => learner_answer().prop_map(|a| serde_json::to_value(a).unwrap_or_default()),
        2 => (
            select(&["choices", "bool", "text", "number", "order", "matches", "x", ""][..]),
            crate::api::json(),
        )
            .prop_map(|(kind, value)| serde_json::json!({ "kind": kind, "value": value })),
        1 => crate::api::json(),
    ]
}

fn answers_target(cases: u32, seed: u64) -> Outcome {
    run(
        (crate::gift::question(), answer_json()),
        cases,
        seed,
        |((_, question), json)| {
            let text = json.to_string();
            let Ok(answer) = serde_json::from_str::<Answer>(&text) else {
                return Ok(());
            };
            let _ = essay::needs_review(&question, Some(&answer));
            if question.validate().is_ok() {
                let score = scoring::score(&question, &answer);
                if !(score.points.is_finite()
                    && score.points >= 0.0
                    && score.points <= score.max + 1e-9)
                {
                    return Err(format!(
                        "{answer:?} scored {} of {} on {question:?}",
                        score.points, score.max
                    ));
                }
            }
            Ok(())
        },
    )
}

fn settings_target(cases: u32, seed: u64) -> Outcome {
    run(
        (
            value(),
            value(),
            value(),
            value(),
            any::<bool>(),
            any::<bool>(),
        ),
        cases,
        seed,
        |(mode, pass_mark, max_attempts, minutes, shuffle, required)| {
            let _ = lore_app::evaluations::authoring::parse_settings(
                &lore_app::evaluations::authoring::SettingsInput {
                    mode: &mode,
                    pass_mark: &pass_mark,
                    max_attempts: &max_attempts,
                    time_limit_minutes: &minutes,
                    shuffle,
                    required_for_completion: required,
                },
            );
            Ok(())
        },
    )
}

fn draw_target(cases: u32, seed: u64) -> Outcome {
    run(
        (0usize..3000, any::<usize>(), any::<u64>(), any::<u32>()),
        cases,
        seed,
        |(available, count, seed, asked)| {
            let drawn = question_bank::draw(available, count, seed);
            let _ = question_bank::check_draw(asked, available);
            if drawn.len() != count.min(available) || drawn.iter().any(|&p| p >= available) {
                return Err(format!("a draw of {count} from {available} gave {drawn:?}"));
            }
            Ok(())
        },
    )
}

fn cursor_target(cases: u32, seed: u64) -> Outcome {
    run(value(), cases, seed, |since| {
        // The events feed and the CRM feed share the cursor: what parses is written back
        // the same way.
        if let Ok(position) = lore_app::crm::parse_cursor(Some(&since)) {
            let written = lore_app::crm::cursor_of(position);
            let again = lore_app::crm::parse_cursor(Some(&written))
                .map_err(|e| format!("cursor {written:?} (from {since:?}) does not parse: {e}"))?;
            if lore_app::crm::cursor_of(again) != written {
                return Err(format!("cursor {since:?} does not read back"));
            }
        }
        Ok(())
    })
}

/// One parser that takes one text value.
macro_rules! text_targets {
    ($($name:literal => $parse:expr),+ $(,)?) => {
        vec![$(Target {
            name: $name,
            weight: 1,
            run: |cases, seed| {
                run(value(), cases, seed, |s: String| {
                    let _ = ($parse)(s.as_str());
                    Ok(())
                })
            },
        }),+]
    };
}

pub fn targets() -> Vec<Target> {
    let mut all = text_targets![
        "bank-name" => question_bank::BankName::parse,
        "bank-topic" => question_bank::parse_topic,
        "draw-count" => question_bank::parse_draw_count,
        "difficulty" => question_bank::parse_difficulty,
        "essay-answer" => essay::check_answer,
        "draft-field" => |s| lore_app::courses::authoring::DraftField::parse(s, Some(1)),
    ];
    all.extend([
        Target {
            name: "rubric",
            weight: 4,
            run: rubric_target,
        },
        Target {
            name: "essay-review",
            weight: 3,
            run: essay_review_target,
        },
        Target {
            name: "answers",
            weight: 8,
            run: answers_target,
        },
        Target {
            name: "evaluation-settings",
            weight: 2,
            run: settings_target,
        },
        Target {
            name: "bank-draw",
            weight: 2,
            run: draw_target,
        },
        Target {
            name: "events-cursor",
            weight: 2,
            run: cursor_target,
        },
    ]);
    all
}
