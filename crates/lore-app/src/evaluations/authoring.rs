//! Questions and evaluation settings on the draft of a course's next version.

use lore_domain::course::StepKind;
use lore_domain::question::EvaluationMode;
use lore_domain::question::Question;
use lore_store::{EvaluationSettings, QuestionRow};

use crate::secrets::random_token;
use crate::{App, AppError, AppResult, Caller};

/// Evaluation settings as the author's form sends them.
#[derive(Debug, Clone, Default)]
pub struct SettingsInput<'a> {
    pub mode: &'a str,
    pub pass_mark: &'a str,
    pub max_attempts: &'a str,
    pub time_limit_minutes: &'a str,
    pub shuffle: bool,
    pub required_for_completion: bool,
}

/// Settings as a page shows them (empty strings for "no limit").
#[derive(Debug, Clone, Default)]
pub struct SettingsView {
    pub exam: bool,
    pub pass_mark: i32,
    pub max_attempts: String,
    pub time_limit_minutes: String,
    pub shuffle: bool,
    pub required_for_completion: bool,
}

impl From<EvaluationSettings> for SettingsView {
    fn from(s: EvaluationSettings) -> Self {
        Self {
            exam: s.mode == EvaluationMode::Exam,
            pass_mark: s.pass_mark,
            max_attempts: s.max_attempts.map(|n| n.to_string()).unwrap_or_default(),
            time_limit_minutes: s
                .time_limit_minutes
                .map(|n| n.to_string())
                .unwrap_or_default(),
            shuffle: s.shuffle,
            required_for_completion: s.required_for_completion,
        }
    }
}

/// The defaults when an author has set nothing: practice, pass at 80 %.
pub fn default_settings() -> EvaluationSettings {
    EvaluationSettings {
        mode: EvaluationMode::Practice,
        pass_mark: 80,
        max_attempts: None,
        time_limit_minutes: None,
        shuffle: false,
        required_for_completion: false,
    }
}

fn optional_number(
    raw: &str,
    field: &'static str,
    range: std::ops::RangeInclusive<i32>,
    what: &str,
) -> AppResult<Option<i32>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i32>() {
        Ok(n) if range.contains(&n) => Ok(Some(n)),
        _ => Err(AppError::invalid(
            field,
            format!(
                "{what} is a whole number from {} to {}.",
                range.start(),
                range.end()
            ),
        )),
    }
}

/// The pass mark, in percent.
pub const PASS_MARK: std::ops::RangeInclusive<i32> = 1..=100;
/// Attempts a learner may make, when limited.
pub const MAX_ATTEMPTS: std::ops::RangeInclusive<i32> = 1..=100;
/// Minutes an attempt may take, when limited.
pub const TIME_LIMIT_MINUTES: std::ops::RangeInclusive<i32> = 1..=600;

/// Check the settings form.
pub fn parse_settings(input: &SettingsInput<'_>) -> AppResult<EvaluationSettings> {
    let mode = match input.mode.trim() {
        "practice" | "" => EvaluationMode::Practice,
        "exam" => EvaluationMode::Exam,
        _ => return Err(AppError::invalid("mode", "Choose practice or exam.")),
    };
    let pass_mark =
        optional_number(input.pass_mark, "pass_mark", PASS_MARK, "The pass mark")?.unwrap_or(80);
    Ok(EvaluationSettings {
        mode,
        pass_mark,
        max_attempts: optional_number(
            input.max_attempts,
            "max_attempts",
            MAX_ATTEMPTS,
            "The number of attempts",
        )?,
        time_limit_minutes: optional_number(
            input.time_limit_minutes,
            "time_limit_minutes",
            TIME_LIMIT_MINUTES,
            "The time limit in minutes",
        )?,
        shuffle: input.shuffle,
        required_for_completion: input.required_for_completion,
    })
}

/// Every bad line of an import as the rows of one refusal.
fn rows_rejected(errors: Vec<lore_domain::gift::LineError>) -> AppError {
    AppError::ImportRejected(
        errors
            .into_iter()
            .map(|e| lore_domain::people_csv::RowError {
                line: e.line as u64,
                reason: e.reason,
            })
            .collect(),
    )
}

/// A text the editor's box takes: question CSV when its first line is the CSV header that
/// starts with `kind`, GIFT otherwise.
fn parse_questions(data: &str) -> AppResult<Vec<Question>> {
    super::question_import::within_import_limit(data)?;
    let first_line = data
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_lowercase();
    Ok(
        if first_line.starts_with("kind,") || first_line.starts_with("\"kind\"") {
            lore_domain::question_csv::parse_csv(data.as_bytes())
                .map_err(rows_rejected)?
                .into_iter()
                .map(|(_, q)| q)
                .collect()
        } else {
            lore_domain::gift::parse_gift(data)
                .map_err(rows_rejected)?
                .into_iter()
                .map(|g| g.question)
                .collect()
        },
    )
}

/// A question key: stable across versions so statistics follow the question.
pub(crate) fn new_question_key() -> String {
    format!("q-{}", &random_token()[..10])
}

pub fn question_of(row: &QuestionRow) -> AppResult<Question> {
    serde_json::from_str(&row.body)
        .map_err(|e| AppError::Internal(format!("question {} is not valid JSON: {e}", row.id)))
}

impl App {
    /// Add a question to the draft: into the final evaluation, or inside a step (by its key).
    pub async fn add_question(
        &self,
        caller: &Caller,
        course_id: i64,
        step_key: Option<&str>,
        question: &Question,
    ) -> AppResult<QuestionRow> {
        let draft = self.draft(caller, course_id).await?;
        question.validate()?;
        if let Some(key) = step_key
            && !draft.steps.iter().any(|s| s.step_key == key)
        {
            // A step the draft lacks is not there: 404 (decisions 0037, 0051).
            return Err(AppError::NotFound("That step"));
        }
        let count = self.store.questions_of(draft.version.id).await?.len();
        if count >= 200 {
            return Err(AppError::invalid(
                "question",
                "A course has at most 200 questions.",
            ));
        }
        let body =
            serde_json::to_string(question).map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(self
            .store
            .add_question(draft.version.id, &new_question_key(), step_key, body)
            .await?)
    }

    /// Replace a question of the draft, if nobody saved it since `revision`.
    pub async fn save_question(
        &self,
        caller: &Caller,
        course_id: i64,
        question_id: i64,
        revision: i64,
        question: &Question,
    ) -> AppResult<()> {
        let draft = self.draft(caller, course_id).await?;
        question.validate()?;
        let questions = self.store.questions_of(draft.version.id).await?;
        if !questions.iter().any(|q| q.id == question_id) {
            return Err(AppError::NotFound("That question"));
        }
        let body =
            serde_json::to_string(question).map_err(|e| AppError::Internal(e.to_string()))?;
        if !self
            .store
            .save_question(question_id, revision, body)
            .await?
        {
            return Err(AppError::Conflict("Someone saved this question after you opened it. Reload and apply your change again.".to_owned()));
        }
        Ok(())
    }

    /// Add every question of a GIFT text (or a question CSV) to the draft's final evaluation.
    /// Any bad line rejects the whole text, with every problem and its line.
    pub async fn import_questions(
        &self,
        caller: &Caller,
        course_id: i64,
        data: &str,
    ) -> AppResult<usize> {
        self.import_questions_into(caller, course_id, None, || parse_questions(data))
            .await
    }

    /// Add every question of a question CSV (`kind,prompt,points,options,correct,explanation`,
    /// columns in any order) to the draft's final evaluation, all or none: any bad row
    /// rejects the file, with every problem and its line.
    pub async fn import_question_csv(
        &self,
        caller: &Caller,
        course_id: i64,
        csv: &[u8],
    ) -> AppResult<usize> {
        self.import_questions_into(caller, course_id, None, || {
            Ok(lore_domain::question_csv::parse_csv(csv)
                .map_err(rows_rejected)?
                .into_iter()
                .map(|(_, q)| q)
                .collect())
        })
        .await
    }

    /// The same as [`App::import_questions`], into a step of kind `question` (a
    /// micro-evaluation inside the course).
    pub async fn import_step_questions(
        &self,
        caller: &Caller,
        course_id: i64,
        step_id: i64,
        data: &str,
    ) -> AppResult<usize> {
        let draft = self.draft(caller, course_id).await?;
        let step = draft
            .steps
            .iter()
            .find(|s| s.id == step_id)
            .ok_or(AppError::NotFound("That step"))?;
        if step.kind != StepKind::Question {
            return Err(AppError::invalid(
                "step",
                "Questions go into a step of kind \"question\"; change the step's kind first.",
            ));
        }
        let key = step.step_key.clone();
        self.import_questions_into(caller, course_id, Some(&key), || parse_questions(data))
            .await
    }

    /// One unit of work: the caller's right to edit comes first, then the text is read, then
    /// every question is added, or none.
    async fn import_questions_into(
        &self,
        caller: &Caller,
        course_id: i64,
        step_key: Option<&str>,
        parse: impl FnOnce() -> AppResult<Vec<Question>> + Send,
    ) -> AppResult<usize> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let draft = app.draft(caller, course_id).await?;
            let questions = parse()?;
            if questions.is_empty() {
                return Err(AppError::invalid(
                    "questions",
                    "No questions found. Write them in GIFT, e.g. What is 2+2? {=4 ~3 ~5}",
                ));
            }
            let existing = app.store.questions_of(draft.version.id).await?.len();
            if existing + questions.len() > 200 {
                return Err(AppError::invalid(
                    "questions",
                    "A course has at most 200 questions.",
                ));
            }
            for q in &questions {
                let body =
                    serde_json::to_string(q).map_err(|e| AppError::Internal(e.to_string()))?;
                app.store
                    .add_question(draft.version.id, &new_question_key(), step_key, body)
                    .await?;
            }
            Ok(questions.len())
        })
        .await
    }

    /// The draft's final evaluation as GIFT (questions GIFT cannot hold become comments).
    pub async fn export_questions_gift(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<String> {
        let (rows, _) = self.draft_evaluation(caller, course_id).await?;
        let mut questions = Vec::new();
        for r in rows.iter().filter(|r| r.step_key.is_none()) {
            questions.push((None, question_of(r)?));
        }
        Ok(lore_domain::gift::to_gift(&questions))
    }

    pub async fn delete_question(
        &self,
        caller: &Caller,
        course_id: i64,
        question_id: i64,
    ) -> AppResult<()> {
        let draft = self.draft(caller, course_id).await?;
        if !self
            .store
            .delete_question(draft.version.id, question_id)
            .await?
        {
            return Err(AppError::NotFound("That question"));
        }
        Ok(())
    }

    /// The draft's questions with their settings.
    pub async fn draft_evaluation(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<(Vec<QuestionRow>, EvaluationSettings)> {
        let draft = self.draft(caller, course_id).await?;
        let questions = self.store.questions_of(draft.version.id).await?;
        let settings =
            self.store
                .settings_of(draft.version.id)
                .await?
                .map_or_else(default_settings, |s| EvaluationSettings {
                    mode: s.mode,
                    pass_mark: s.pass_mark,
                    max_attempts: s.max_attempts,
                    time_limit_minutes: s.time_limit_minutes,
                    shuffle: s.shuffle,
                    required_for_completion: s.required_for_completion,
                });
        Ok((questions, settings))
    }

    /// The evaluation as "Preview as learner" reads the course: the draft's questions and
    /// settings, or the newest version's before a draft is opened. Changes nothing (a GET).
    pub async fn preview_evaluation(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<(lore_store::VersionRow, Vec<QuestionRow>, EvaluationSettings)> {
        let draft = self.preview_draft(caller, course_id).await?;
        let questions = self.store.questions_of(draft.version.id).await?;
        let settings =
            self.store
                .settings_of(draft.version.id)
                .await?
                .map_or_else(default_settings, |s| EvaluationSettings {
                    mode: s.mode,
                    pass_mark: s.pass_mark,
                    max_attempts: s.max_attempts,
                    time_limit_minutes: s.time_limit_minutes,
                    shuffle: s.shuffle,
                    required_for_completion: s.required_for_completion,
                });
        Ok((draft.version, questions, settings))
    }

    /// Put the questions of one place of the draft (the final evaluation, or one step) in a
    /// new order: `order` lists each of that place's question keys once.
    pub async fn reorder_questions(
        &self,
        caller: &Caller,
        course_id: i64,
        order: &[String],
    ) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let draft = app.draft(caller, course_id).await?;
            let questions = app.store.questions_of(draft.version.id).await?;
            let ids = order
                .iter()
                .map(|key| {
                    questions
                        .iter()
                        .find(|q| &q.question_key == key)
                        .map(|q| q.id)
                })
                .collect::<Option<Vec<i64>>>();
            let refuse = || {
                AppError::invalid(
                    "order",
                    "The new order must list every question of the evaluation (or of one \
                     step) once.",
                )
            };
            let order = ids.ok_or_else(refuse)?;
            let first = order.first().ok_or_else(refuse)?;
            let place = questions
                .iter()
                .find(|q| q.id == *first)
                .map(|q| q.step_key.clone())
                .ok_or_else(refuse)?;
            let mut have: Vec<i64> = questions
                .iter()
                .filter(|q| q.step_key == place)
                .map(|q| q.id)
                .collect();
            have.sort_unstable();
            let mut given = order.clone();
            given.sort_unstable();
            if given != have {
                return Err(refuse());
            }
            app.store
                .reorder_questions(draft.version.id, &order)
                .await?;
            Ok(())
        })
        .await
    }

    pub async fn save_evaluation_settings(
        &self,
        caller: &Caller,
        course_id: i64,
        input: &SettingsInput<'_>,
    ) -> AppResult<()> {
        let draft = self.draft(caller, course_id).await?;
        let settings = parse_settings(input)?;
        self.store.put_settings(draft.version.id, &settings).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked() {
        let ok = parse_settings(&SettingsInput {
            mode: "exam",
            pass_mark: "70",
            max_attempts: "2",
            time_limit_minutes: "15",
            ..SettingsInput::default()
        })
        .expect("ok");
        assert_eq!(
            (
                ok.mode.as_str(),
                ok.pass_mark,
                ok.max_attempts,
                ok.time_limit_minutes
            ),
            ("exam", 70, Some(2), Some(15))
        );
        assert_eq!(
            parse_settings(&SettingsInput::default()).expect("defaults"),
            default_settings()
        );
        for bad in [
            SettingsInput {
                mode: "quiz",
                ..SettingsInput::default()
            },
            SettingsInput {
                pass_mark: "0",
                ..SettingsInput::default()
            },
            SettingsInput {
                pass_mark: "101",
                ..SettingsInput::default()
            },
            SettingsInput {
                max_attempts: "-1",
                ..SettingsInput::default()
            },
            SettingsInput {
                time_limit_minutes: "ten",
                ..SettingsInput::default()
            },
        ] {
            assert!(parse_settings(&bad).is_err(), "{bad:?}");
        }
    }
}
