//! Importing the questions the author chooses: a report of what a GIFT text holds (each good
//! question ready to add, each bad one with its line and reason), then the chosen good ones
//! added to the draft's final evaluation in one unit of work. Nothing is added unchosen.

use lore_domain::gift::{GiftQuestion, LineError, check_gift};
use lore_domain::policy::Action;

use super::authoring::new_question_key;
use crate::{App, AppError, AppResult, Caller};

/// The longest GIFT text read at once, in characters (room for far more questions than a
/// course holds).
pub const MAX_IMPORT_CHARS: usize = 100_000;
/// The most questions a course holds.
pub const MAX_COURSE_QUESTIONS: usize = 200;

/// One question of the text: ready to add, or kept out by its problems.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportItem {
    /// Position in the report, which `chosen` refers to (0-based).
    pub index: usize,
    /// 1-based line where the question (or the bad line) starts.
    pub line: usize,
    pub outcome: Result<GiftQuestion, Vec<LineError>>,
}

/// What a GIFT text holds, question by question.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportReport {
    pub items: Vec<ReportItem>,
}

/// Refuses a text over [`MAX_IMPORT_CHARS`] whole: every import of questions, from a page or
/// the API, asks this first.
pub(crate) fn within_import_limit(text: &str) -> AppResult<()> {
    let chars = text.chars().count();
    if chars > MAX_IMPORT_CHARS {
        return Err(AppError::invalid(
            "gift",
            format!(
                "The text has {chars} characters; import at most {MAX_IMPORT_CHARS} at a \
                 time (split the file where a question ends)."
            ),
        ));
    }
    Ok(())
}

impl ImportReport {
    /// Reads `text`; a text over [`MAX_IMPORT_CHARS`] is refused whole.
    pub fn of(text: &str) -> AppResult<Self> {
        within_import_limit(text)?;
        let items = check_gift(text)
            .into_iter()
            .enumerate()
            .map(|(index, outcome)| ReportItem {
                index,
                line: match &outcome {
                    Ok(q) => q.line,
                    Err(e) => e.first().map_or(1, |e| e.line),
                },
                outcome,
            })
            .collect();
        Ok(Self { items })
    }

    pub fn good(&self) -> impl Iterator<Item = (usize, &GiftQuestion)> {
        self.items
            .iter()
            .filter_map(|i| i.outcome.as_ref().ok().map(|q| (i.index, q)))
    }

    pub fn good_count(&self) -> usize {
        self.good().count()
    }

    pub fn bad_count(&self) -> usize {
        self.items.len() - self.good_count()
    }

    /// The chosen good questions in file order; `None` chooses every good one. An index that
    /// is not a good question refuses the whole choice.
    pub fn chosen(&self, chosen: Option<&[usize]>) -> AppResult<Vec<&GiftQuestion>> {
        let Some(chosen) = chosen else {
            return Ok(self.good().map(|(_, q)| q).collect());
        };
        if chosen.is_empty() {
            return Err(AppError::invalid(
                "chosen",
                "Choose at least one question to add.",
            ));
        }
        let mut wanted = chosen.to_vec();
        wanted.sort_unstable();
        wanted.dedup();
        wanted
            .into_iter()
            .map(|i| match self.items.get(i).map(|item| &item.outcome) {
                Some(Ok(q)) => Ok(q),
                Some(Err(_)) => Err(AppError::invalid(
                    "chosen",
                    format!("Question {i} has problems; fix them before adding it."),
                )),
                // A question the text does not hold is not there (decision 0037).
                None => Err(AppError::NotFound(
                    "A question with that number in the text",
                )),
            })
            .collect()
    }
}

impl App {
    /// What a GIFT text would add to the course: changes nothing. Only the course's authors
    /// may ask.
    pub async fn check_question_import(
        &self,
        caller: &Caller,
        course_id: i64,
        text: &str,
    ) -> AppResult<ImportReport> {
        self.course_for(caller, course_id, Action::EditCourse)
            .await?;
        ImportReport::of(text)
    }

    /// Adds the chosen good questions of `text` (every good one for `None`) to the draft's
    /// final evaluation, all or none. Returns how many were added.
    pub async fn add_chosen_questions(
        &self,
        caller: &Caller,
        course_id: i64,
        text: &str,
        chosen: Option<&[usize]>,
    ) -> AppResult<usize> {
        self.course_for(caller, course_id, Action::EditCourse)
            .await?;
        let report = ImportReport::of(text)?;
        let questions = report.chosen(chosen)?;
        if questions.is_empty() {
            return Ok(0);
        }
        self.unit_of_work(|app| async move {
            let draft = app.draft(caller, course_id).await?;
            let existing = app.store.questions_of(draft.version.id).await?.len();
            if existing + questions.len() > MAX_COURSE_QUESTIONS {
                return Err(AppError::invalid(
                    "chosen",
                    format!(
                        "A course has at most {MAX_COURSE_QUESTIONS} questions; it has {existing}, \
                         so choose at most {}.",
                        MAX_COURSE_QUESTIONS.saturating_sub(existing)
                    ),
                ));
            }
            for q in &questions {
                let body = serde_json::to_string(&q.question)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                app.store
                    .add_question(draft.version.id, &new_question_key(), None, body)
                    .await?;
            }
            Ok(questions.len())
        })
        .await
    }
}
