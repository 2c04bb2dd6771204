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
//!   - `{=answer =other}` (only `=`) is a short answer, case-insensitive; as in Moodle a
//!     `*` in an answer stands for any characters (`=*Paris*`) and `\*` for a star. Answers weighted
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

mod answers;
#[cfg(test)]
mod construct_tests;
mod errors;
mod escapes;
mod export;
mod number;
mod parse;
mod source;
#[cfg(test)]
mod tests;
mod tokens;

pub use errors::LineError;
pub use export::to_gift;
pub use parse::{BLANK, GiftQuestion, check_gift, parse_gift};
pub use source::{Fixed, source_span, source_text, with_fixes};

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
