//! The demo courses' final evaluations: their settings, and how the demo's learners answer.
//!
//! The questions themselves are GIFT, in each course folder's `questions.gift` (the folder
//! format does not carry questions): imported into the draft before version 1 is published,
//! as an author would paste them (later drafts copy them). Each learner has a fixed "ability"
//! (from a hash of their name) and each question a difficulty; how the day goes and a retake
//! shift the ability a little. A learner who reaches a question's difficulty knows the answer;
//! the others pick one of the question's tempting wrong answers. No randomness: the same seed
//! gives the same attempts, and the item analysis of the demo shows every flag (see the tests):
//! a question everyone gets right, one almost nobody does, an out-of-date answer key that
//! strong learners "get wrong", an option nobody picks, and courses with too few attempts to
//! judge.

use lore_domain::gift::{GiftQuestion, parse_gift};
use lore_domain::question::{Answer, Question, QuestionBody};
use time::{Duration, OffsetDateTime};

use super::at;
use crate::{App, AppError, AppResult, Caller};

/// A course's final evaluation: its settings, and how learners answer its questions.
pub(super) struct Evaluation {
    pub(super) mode: Mode,
    /// Percent.
    pub(super) pass_mark: u32,
    pub(super) shuffle: bool,
    /// Passing is needed to complete the course.
    pub(super) required_for_completion: bool,
    /// One per question of `questions.gift`, by its `::title::`.
    pub(super) answers: &'static [Ask],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Feedback at once; anyone past half the course may try it, and retakes once after a fail.
    Practice,
    /// Taken after the last step; retaken until passed, within the attempts allowed.
    Exam {
        max_attempts: Option<u32>,
        time_limit_minutes: Option<u32>,
    },
}

/// How the demo's learners answer one question.
pub(super) struct Ask {
    /// The question's `::title::` in `questions.gift`.
    pub(super) title: &'static str,
    /// 0 to 100: a learner whose ability on the day reaches it knows the answer.
    pub(super) difficulty: i32,
    /// What a learner who knows answers, when the key says otherwise (an out-of-date key).
    pub(super) knows: Option<&'static str>,
    /// What the others answer, one of these per learner: option ids, a text, a number,
    /// `true`/`false` (the wrong one when empty), or for matching two pair ids whose right
    /// sides they mix up.
    pub(super) guesses: &'static [&'static str],
}

/// A question whose key is right.
pub(super) const fn ask(
    title: &'static str,
    difficulty: i32,
    guesses: &'static [&'static str],
) -> Ask {
    Ask {
        title,
        difficulty,
        knows: None,
        guesses,
    }
}

/// How much a retake helps: the learner read the results of the last attempt.
const RETAKE_BONUS: i32 = 12;
/// Attempts at an exam without a limit, at most (the demo's learners pass before that).
const EXAM_ATTEMPTS: u32 = 4;

impl Evaluation {
    pub(super) fn mode_name(&self) -> &'static str {
        match self.mode {
            Mode::Practice => "practice",
            Mode::Exam { .. } => "exam",
        }
    }

    /// The pass mark, number of attempts and time limit as the settings form takes them.
    pub(super) fn settings(&self) -> (String, String, String) {
        let (attempts, minutes) = match self.mode {
            Mode::Practice => (None, None),
            Mode::Exam {
                max_attempts,
                time_limit_minutes,
            } => (max_attempts, time_limit_minutes),
        };
        let text = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        (self.pass_mark.to_string(), text(attempts), text(minutes))
    }

    /// The questions of a GIFT text in the author's order, each with how learners answer it.
    pub(super) fn questions(&self, gift: &str) -> AppResult<Vec<(Question, &Ask)>> {
        let questions = parse(gift)?;
        let mut out = Vec::with_capacity(questions.len());
        for q in questions {
            let title = q.title.unwrap_or_default();
            let ask = self
                .answers
                .iter()
                .find(|a| a.title == title)
                .ok_or_else(|| {
                    AppError::Internal(format!("the demo has no answers for question {title:?}"))
                })?;
            out.push((q.question, ask));
        }
        if let Some(unused) = self
            .answers
            .iter()
            .find(|a| !out.iter().any(|(_, b)| std::ptr::eq(*b, *a)))
        {
            return Err(AppError::Internal(format!(
                "the demo answers a question {:?} that is not there",
                unused.title
            )));
        }
        Ok(out)
    }

    /// Does a learner who completed `done` of `steps` steps try the evaluation?
    pub(super) fn sits(&self, done: usize, steps: usize) -> bool {
        done >= steps || (self.mode == Mode::Practice && done * 2 >= steps)
    }

    fn most_attempts(&self) -> u32 {
        match self.mode {
            Mode::Practice => 2,
            Mode::Exam { max_attempts, .. } => max_attempts.unwrap_or(EXAM_ATTEMPTS),
        }
    }
}

/// The questions of a demo GIFT text.
pub(super) fn parse(gift: &str) -> AppResult<Vec<GiftQuestion>> {
    parse_gift(gift).map_err(|errors| {
        AppError::Internal(format!(
            "demo questions are not valid GIFT: {}",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ))
    })
}

/// A stable hash of a name and a salt (FNV-1a, then a final mix so near names spread out).
fn hash(who: &str, salt: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325_u64 ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for b in who.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 31;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 29)
}

/// How able a learner is, 25 to 95: fixed per person.
pub(super) fn ability(who: &str) -> i32 {
    25 + (hash(who, 0) % 71) as i32
}

/// How the day goes on one question of one attempt: −15 to 15.
fn form(who: &str, question: usize, attempt: u32) -> i32 {
    (hash(who, 1 + question as u64 * 8 + u64::from(attempt)) % 31) as i32 - 15
}

/// Does the learner know the answer to question `q` (counted in the author's order) at
/// their `attempt`-th try (from 0)?
pub(super) fn knows(who: &str, ask: &Ask, q: usize, attempt: u32) -> bool {
    ability(who) + form(who, q, attempt) + RETAKE_BONUS * attempt as i32 >= ask.difficulty
}

/// The answer the learner gives to `question` (as the author wrote it).
pub(super) fn response(
    question: &Question,
    ask: &Ask,
    who: &str,
    q: usize,
    attempt: u32,
) -> Answer {
    if knows(who, ask, q, attempt) {
        return match ask.knows {
            Some(given) => given_answer(question, given),
            None => key(question),
        };
    }
    match (ask.guesses.len(), &question.body) {
        (0, QuestionBody::TrueFalse { answer, .. }) => Answer::Bool(!answer),
        (0, _) => key(question),
        (n, _) => {
            // The same person makes the same mistake: the guess depends on the name only.
            let pick = hash(who, 1_000 + q as u64) as usize % n;
            given_answer(question, ask.guesses[pick])
        }
    }
}

/// The fully right answer to a question.
pub(super) fn key(question: &Question) -> Answer {
    match &question.body {
        QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options, .. } => {
            Answer::Choices(
                options
                    .iter()
                    .filter(|o| o.correct)
                    .map(|o| o.id.clone())
                    .collect(),
            )
        }
        QuestionBody::TrueFalse { answer, .. } => Answer::Bool(*answer),
        QuestionBody::ShortText { accepted, .. } => {
            Answer::Text(accepted.first().cloned().unwrap_or_default())
        }
        QuestionBody::Number { value, .. } => Answer::Number(*value),
        // An essay has no key; any text is kept for review.
        QuestionBody::Essay { .. } => Answer::Text(String::new()),
        QuestionBody::Ordering { items, .. } => {
            Answer::Order(items.iter().map(|i| i.id.clone()).collect())
        }
        QuestionBody::Matching { pairs, .. } => {
            Answer::Matches(pairs.iter().map(|p| (p.id.clone(), p.id.clone())).collect())
        }
    }
}

/// An answer written the demo's short way (see [`Ask::guesses`]), in the question's shape.
pub(super) fn given_answer(question: &Question, given: &str) -> Answer {
    match &question.body {
        QuestionBody::SingleChoice { .. } | QuestionBody::MultipleChoice { .. } => {
            Answer::Choices(given.split_whitespace().map(str::to_owned).collect())
        }
        QuestionBody::TrueFalse { .. } => Answer::Bool(given == "true"),
        QuestionBody::ShortText { .. } | QuestionBody::Essay { .. } => {
            Answer::Text(given.to_owned())
        }
        QuestionBody::Number { .. } => Answer::Number(given.parse().unwrap_or(0.0)),
        QuestionBody::Ordering { items, .. } => {
            let mixed: Vec<&str> = given.split_whitespace().collect();
            let mut order: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
            swap_listed(&mut order, &mixed);
            Answer::Order(order)
        }
        QuestionBody::Matching { pairs, .. } => {
            let mixed: Vec<&str> = given.split_whitespace().collect();
            let mut rights: Vec<String> = pairs.iter().map(|p| p.id.clone()).collect();
            swap_listed(&mut rights, &mixed);
            Answer::Matches(pairs.iter().map(|p| p.id.clone()).zip(rights).collect())
        }
    }
}

/// Rotate the listed ids among their places: `a b` swaps a and b.
fn swap_listed(ids: &mut [String], listed: &[&str]) {
    let places: Vec<usize> = listed
        .iter()
        .filter_map(|l| ids.iter().position(|i| i == l))
        .collect();
    if places.len() < 2 {
        return;
    }
    let first = ids[places[0]].clone();
    for w in places.windows(2) {
        ids[w[0]] = ids[w[1]].clone();
    }
    ids[places[places.len() - 1]] = first;
}

/// Seconds a learner spends on a question: 30 to 110.
fn seconds_on(who: &str, q: usize, attempt: u32) -> i64 {
    30 + (hash(who, 5_000 + q as u64 * 8 + u64::from(attempt)) % 81) as i64
}

/// A learner takes the course's evaluation from `clock` on: answers every question, submits,
/// and retakes as the mode allows. Returns when they were done.
///
/// `gift` is version 1's `questions.gift`, whatever version they take: a corrected question
/// keeps its prompt, and `Ask::knows` is written against the question as it first was.
pub(super) async fn sit(
    app: &App,
    course_id: i64,
    evaluation: &Evaluation,
    gift: &str,
    me: &Caller,
    who: &str,
    mut clock: OffsetDateTime,
) -> AppResult<OffsetDateTime> {
    let asks = evaluation.questions(gift)?;
    for attempt in 0..evaluation.most_attempts() {
        clock += Duration::minutes(if attempt == 0 { 2 } else { 45 });
        let row = at(app, clock).start_attempt(me, course_id).await?;
        let view = at(app, clock).attempt_view(me, row.id).await?;
        for shown in &view.questions {
            // Questions are told apart by their prompt (the order may be shuffled).
            let (q, (question, ask)) = asks
                .iter()
                .enumerate()
                .find(|(_, (question, _))| question.prompt == shown.question.prompt)
                .ok_or_else(|| {
                    AppError::Internal(format!(
                        "the demo has no learner answers for {:?}",
                        shown.question.prompt
                    ))
                })?;
            clock += Duration::seconds(seconds_on(who, q, attempt));
            at(app, clock)
                .answer(
                    me,
                    row.id,
                    &shown.key,
                    response(question, ask, who, q, attempt),
                )
                .await?;
        }
        clock += Duration::seconds(20);
        let done = at(app, clock).submit_attempt(me, row.id).await?;
        if done.passed == Some(true) {
            break;
        }
    }
    Ok(clock)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abilities_spread() {
        let names = ["mei.chen", "jonas.lindqvist", "grace.kim", "omar.haddad"];
        let all: Vec<i32> = names.iter().map(|n| ability(n)).collect();
        assert!(all.iter().all(|a| (25..=95).contains(a)));
        assert!(all.iter().any(|a| *a != all[0]));
        for q in 0..6 {
            for attempt in 0..3 {
                assert!((-15..=15).contains(&form("mei.chen", q, attempt)));
                assert!((30..=110).contains(&seconds_on("mei.chen", q, attempt)));
            }
        }
    }

    #[test]
    fn swapping_mixes_up_the_listed_ids() {
        let mut ids: Vec<String> = ["p1", "p2", "p3"].map(str::to_owned).to_vec();
        swap_listed(&mut ids, &["p1", "p3"]);
        assert_eq!(ids, ["p3", "p2", "p1"]);
        swap_listed(&mut ids, &["p9"]);
        assert_eq!(ids, ["p3", "p2", "p1"]);
    }
}
