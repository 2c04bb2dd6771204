//! Whole documents people upload or write: Markdown, GIFT, the CSV imports (questions,
//! people, assignment lists, outcome values), and course folders and zips.

use lore_app::courses::archive::{ArchiveLimits, CourseFolder};
use lore_domain::outcome::PeriodKind;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use crate::runner::{Outcome, Target, run};
use crate::text::{glued, glued_bytes};

#[rustfmt::skip]
const MARKDOWN: &[&str] = &[
    "#", "## ", "*", "**", "_", "`", "```", "```rust\n", "~~~", "[", "]", "](", ")", "(", "<",
    ">", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href=\"", "\"", "|",
    "|---|", "---", "\n", "\n\n", "- ", "1. ", "99999999999. ", "> ", "![", "http://", "https://x",
    "javascript:", "data:text/html,", "&amp;", "&#x0;", "&#99999999;", "$$", "~~", "[^1]", "[^1]: ",
    "- [ ] ", "    ", "\t", "\\", "<!--", "-->", "<details>", "</", "=", ":", "a", "word ", "é", "🙂",
];

#[rustfmt::skip]
const GIFT: &[&str] = &[
    "::", "::Title::", "{", "}", "=", "~", "#", "####", "->", "%50%", "%-100%", "%100%", "%1e9%",
    "TRUE", "FALSE", "T", "F", "\n", "\n\n", "//", "// comment\n", "\\", "\\{", "\\=", "\\~", ":",
    "$CATEGORY: x\n", "[markdown]", "[html]", "[plain]", "1..5", "2:1", "#3:0.5", "#1..", "..",
    "what? ", "Paris", " ", "\t", "\r\n", "é", "🙂", "9999999999999999999", "-1", "0",
];

#[rustfmt::skip]
const QUESTION_CSV: &[&str] = &[
    "kind,prompt,points,options,correct,explanation\n", "kind,prompt\n", ",", "\"", "\"\"", "\n",
    "\r\n", "single_choice", "multiple_choice", "true_false", "short_text", "number", "ordering",
    "matching", "essay", "kind", "prompt", "points", "options", "correct", "explanation", ";",
    "\\;", "\\=", "=>", "a", "b", "a;c", "true", "false", "1", "0", "-5", "1e400", "3.5;0.1",
    "What?", "x=>y", "\u{feff}", "é", " ",
];

#[rustfmt::skip]
const PEOPLE_CSV: &[&str] = &[
    "email,name,groups,roles,manager_email\n", "email,name\n", ",", "\"", "\n", "\r\n",
    "ada@example.com", "grace@example.com", "@", "a@b", "Ada", "Acme", "Acme/Engineering", "/",
    ";", "|", "learner", "author", "coach", "admin", "Acme:coach", "Acme/Engineering:admin", ":",
    "\u{feff}", " ", "é",
];

#[rustfmt::skip]
const OUTCOME_CSV: &[&str] = &[
    "period,group,value\n", "email,period,value\n", "period,value\n", ",", "\"", "\n", "\r\n",
    "2026-11", "2026-W45", "2026-Q4", "2026-Q5", "2026-W99", "2026-13", "9999-12", "0000-01",
    "Acme", "Acme/Engineering", "ada@example.com", "1", "-1", "1.5", "1e309", "NaN", "50%", "",
    " ", "\u{feff}",
];

#[rustfmt::skip]
const EMAILS: &[&str] = &[
    "email\n", "ada@example.com", "grace@example.com", "@", ",", "\n", "\r\n", "\"", ";", " ",
    "\u{feff}", "é@x.y", "a@b",
];

const FOLDER_PATHS: &[&str] = &[
    "course.toml",
    "steps/01-intro.md",
    "steps/02-quiz.gift",
    "steps/03-questions.csv",
    "steps/99999999999999999999-x.md",
    "steps/-1-x.md",
    "steps/01.md",
    "steps/x.md",
    "assets/a.png",
    "assets/../x",
    "../course.toml",
    "/etc/passwd",
    "a\\b",
    ".hidden",
    "__MACOSX/x",
    "steps/",
    "c:x",
];

#[rustfmt::skip]
const COURSE_TOML: &[&str] = &[
    "title = \"", "\"\n", "summary = \"", "language = \"en\"\n", "language = \"", "tags = [",
    "]\n", "\"a\", ", "minutes = ", "minutes = -1\n", "minutes = 99999999999999999999\n", "\n",
    "[step]\n", "kind = \"quiz\"\n", "group = \"Acme\"\n", "change_note = \"x\"\n", "=", "[",
    "x", "é", "1",
];

#[rustfmt::skip]
const STEP_FILE: &[&str] = &[
    "---\n", "title: ", "kind: ", "reading", "quiz", "evaluation", "key: ", "pass_mark: ", "101",
    "-5", "\n", "# Heading\n", "text ", "{", "}", "=", "~", "::", "![x](assets/a.png)", "é",
];

/// Markdown built from its syntax, with script and odd links.
pub fn markdown_text() -> impl Strategy<Value = String> {
    glued(MARKDOWN, 80)
}

fn markdown_target(cases: u32, seed: u64) -> Outcome {
    run(glued(MARKDOWN, 80), cases, seed, |text| {
        let _ = lore_app::markdown::render(&text);
        let _ = lore_app::markdown::plain_text(&text);
        Ok(())
    })
}

fn markdown_diff_target(cases: u32, seed: u64) -> Outcome {
    run(
        (glued(MARKDOWN, 30), glued(MARKDOWN, 30)),
        cases,
        seed,
        |(old, new)| {
            let parts = lore_domain::course::word_diff(&old, &new);
            let _ = lore_app::markdown_diff::render_diff(&parts);
            Ok(())
        },
    )
}

fn gift_target(cases: u32, seed: u64) -> Outcome {
    run(glued(GIFT, 60), cases, seed, |text| {
        if let Ok(questions) = lore_domain::gift::parse_gift(&text) {
            // What was read is written back and read again without a panic either.
            let pairs: Vec<_> = questions
                .into_iter()
                .map(|q| (q.title, q.question))
                .collect();
            let written = lore_domain::gift::to_gift(&pairs);
            let _ = lore_domain::gift::parse_gift(&written);
        }
        Ok(())
    })
}

fn question_csv_target(cases: u32, seed: u64) -> Outcome {
    run(glued_bytes(QUESTION_CSV, 60), cases, seed, |data| {
        if let Ok(questions) = lore_domain::question_csv::parse_csv(&data) {
            let questions: Vec<_> = questions.into_iter().map(|(_, q)| q).collect();
            let written = lore_domain::question_csv::to_csv(&questions);
            let _ = lore_domain::question_csv::parse_csv(written.as_bytes());
        }
        Ok(())
    })
}

fn people_csv_target(cases: u32, seed: u64) -> Outcome {
    run(glued_bytes(PEOPLE_CSV, 60), cases, seed, |data| {
        let _ = lore_domain::people_csv::parse(&data);
        Ok(())
    })
}

fn assignment_csv_target(cases: u32, seed: u64) -> Outcome {
    run(glued_bytes(EMAILS, 40), cases, seed, |data| {
        let _ = lore_domain::assignment::parse_emails(&data);
        Ok(())
    })
}

fn outcome_csv_target(cases: u32, seed: u64) -> Outcome {
    let kinds = select(&[PeriodKind::Month, PeriodKind::Week, PeriodKind::Quarter][..]);
    run(
        (kinds, glued_bytes(OUTCOME_CSV, 40)),
        cases,
        seed,
        |(kind, data)| {
            let _ = lore_domain::outcome::parse_csv(kind, &data);
            Ok(())
        },
    )
}

/// A folder of a few files named like a course's, with contents from the right grammar.
fn folder() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    let contents = prop_oneof![
        glued_bytes(COURSE_TOML, 30),
        glued_bytes(STEP_FILE, 40),
        glued_bytes(MARKDOWN, 40),
        glued_bytes(GIFT, 40),
    ];
    let name = prop_oneof![
        4 => select(FOLDER_PATHS).prop_map(str::to_owned),
        1 => glued(FOLDER_PATHS, 3),
    ];
    vec((name, contents), 0..8)
}

fn build_folder(files: Vec<(String, Vec<u8>)>) -> CourseFolder {
    let mut folder = CourseFolder::new();
    for (path, data) in files {
        let _ = folder.insert(&path, data);
    }
    folder
}

fn course_folder_target(cases: u32, seed: u64) -> Outcome {
    run(folder(), cases, seed, |files| {
        let folder = build_folder(files);
        let _ = folder.content();
        Ok(())
    })
}

/// A zip of a generated course folder, sometimes with bytes flipped or cut; or any bytes.
pub fn course_zip() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => (folder(), any::<u16>(), any::<u8>(), any::<bool>()).prop_map(|(files, at, byte, cut)| {
            let mut bytes = build_folder(files).to_zip().unwrap_or_default();
            if !bytes.is_empty() {
                let i = usize::from(at) % bytes.len();
                if cut {
                    bytes.truncate(i);
                } else {
                    bytes[i] ^= byte;
                }
            }
            bytes
        }),
        1 => vec(any::<u8>(), 0..600),
    ]
}

/// A file of any of the CSV imports' grammars.
pub fn csv_file() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        glued_bytes(PEOPLE_CSV, 60),
        glued_bytes(OUTCOME_CSV, 40),
        glued_bytes(QUESTION_CSV, 40),
    ]
}

fn course_zip_target(cases: u32, seed: u64) -> Outcome {
    run(course_zip(), cases, seed, |bytes| {
        if let Ok(folder) = CourseFolder::from_zip(&bytes, &ArchiveLimits::default()) {
            let _ = folder.content();
        }
        Ok(())
    })
}

pub fn targets() -> Vec<Target> {
    vec![
        Target {
            name: "markdown",
            weight: 10,
            run: markdown_target,
        },
        Target {
            name: "markdown-diff",
            weight: 4,
            run: markdown_diff_target,
        },
        Target {
            name: "gift",
            weight: 10,
            run: gift_target,
        },
        Target {
            name: "question-csv",
            weight: 8,
            run: question_csv_target,
        },
        Target {
            name: "people-csv",
            weight: 6,
            run: people_csv_target,
        },
        Target {
            name: "assignment-csv",
            weight: 3,
            run: assignment_csv_target,
        },
        Target {
            name: "outcome-csv",
            weight: 6,
            run: outcome_csv_target,
        },
        Target {
            name: "course-folder",
            weight: 6,
            run: course_folder_target,
        },
        Target {
            name: "course-zip",
            weight: 6,
            run: course_zip_target,
        },
    ]
}
