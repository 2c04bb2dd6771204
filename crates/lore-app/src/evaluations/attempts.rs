//! Attempts at a course's final evaluation. The server keeps the rules: answers are saved
//! one by one (resumable), exams allow a set number of attempts and close at their time
//! limit, a submitted attempt never changes, and correct answers are only shown after.

use lore_domain::question::EvaluationMode;
use std::collections::BTreeMap;

use lore_domain::essay::{needs_review, passes};
use lore_domain::policy::Action;
use lore_domain::question::{Answer, PublicQuestion, Question, Score, public_view, shuffle};
use lore_domain::scoring::score;
use lore_store::{AttemptRow, EvaluationSettings, NewAttempt, NewEvent, QuestionRow, Submission};
use serde::{Deserialize, Serialize};

use super::authoring::{default_settings, question_of};
use crate::{App, AppError, AppResult, Caller};

/// An attempt as stored, for callers that show one (the API).
pub use lore_store::AttemptRow as Attempt;

/// One question of an attempt as the learner sees it.
#[derive(Debug, Clone, Serialize)]
pub struct AttemptQuestion {
    pub key: String,
    pub question: PublicQuestion,
    pub answer: Option<Answer>,
}

/// The result of one question, shown after submission (or at once in practice).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuestionResult {
    pub key: String,
    pub score: Score,
    pub explanation: String,
    /// The question with its answer key, now that it may be seen.
    pub question: Question,
}

/// An attempt with what the learner may see of it.
#[derive(Debug, Clone)]
pub struct AttemptView {
    pub attempt: AttemptRow,
    pub settings: EvaluationSettings,
    pub questions: Vec<AttemptQuestion>,
    /// Seconds left before a timed exam closes.
    pub seconds_left: Option<i64>,
    /// After submission: every question's result, in order.
    pub results: Option<Vec<QuestionResult>>,
}

fn answers_of(row: &AttemptRow) -> BTreeMap<String, Answer> {
    serde_json::from_str(&row.answers).unwrap_or_default()
}

fn to_json<T: Serialize>(v: &T) -> AppResult<String> {
    serde_json::to_string(v).map_err(|e| AppError::Internal(e.to_string()))
}

/// A version's final evaluation as the caller stands on it.
#[derive(Debug, Clone, Copy)]
pub struct EvaluationInfo {
    pub exam: bool,
    /// The best submitted score as (points, max).
    pub best: Option<(f64, f64)>,
    /// Some submitted attempt on this version passed.
    pub passed: bool,
    /// A submitted attempt on this version waits for its essays to be reviewed.
    pub waiting: bool,
}

impl App {
    pub(crate) async fn evaluation_of(
        &self,
        course_id: i64,
        version_number: i32,
    ) -> AppResult<(Vec<QuestionRow>, EvaluationSettings)> {
        let version = self
            .store
            .version(course_id, version_number)
            .await?
            .ok_or(AppError::NotFound("That course"))?;
        let questions: Vec<QuestionRow> = self
            .store
            .questions_of(version.id)
            .await?
            .into_iter()
            .filter(|q| q.step_key.is_none())
            .collect();
        let settings =
            self.store
                .settings_of(version.id)
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

    pub(crate) async fn own_attempt(
        &self,
        caller: &Caller,
        attempt_id: i64,
    ) -> AppResult<AttemptRow> {
        match self.store.attempt(attempt_id).await? {
            Some(a) if a.user_id == caller.id.0 => Ok(a),
            _ => Err(AppError::NotFound("That attempt")),
        }
    }

    /// Refuse (404, as every use case on an attempt does) unless the attempt is the caller's:
    /// the API asks this before it reads a request's body.
    pub async fn require_own_attempt(&self, caller: &Caller, attempt_id: i64) -> AppResult<()> {
        self.own_attempt(caller, attempt_id).await.map(|_| ())
    }

    /// Start an attempt at the course's final evaluation, or resume the open one.
    pub async fn start_attempt(&self, caller: &Caller, course_id: i64) -> AppResult<AttemptRow> {
        self.unit_of_work(|app| async move {
            let app = &app;
            app.course_for(caller, course_id, Action::TakeCourse)
                .await?;
            let enrolment = match app.store.enrolment(caller.id.0, course_id).await? {
                Some(e) => e,
                None => app.enrol(caller, course_id).await?,
            };
            let (questions, settings) = app
                .evaluation_of(course_id, enrolment.version_number)
                .await?;
            if questions.is_empty()
                && !app
                    .draws_questions(course_id, enrolment.version_number)
                    .await?
            {
                return Err(AppError::NotFound("That evaluation"));
            }
            let mut previous = app.store.attempts_of(caller.id.0, course_id).await?;
            for a in previous.iter_mut().filter(|a| a.submitted_at.is_none()) {
                if app.close_if_expired(a).await? {
                    continue;
                }
                if a.version_number == enrolment.version_number {
                    return Ok(a.clone());
                }
            }
            let used = previous
                .iter()
                .filter(|a| a.version_number == enrolment.version_number)
                .count();
            if settings.mode == EvaluationMode::Exam
                && let Some(max) = settings.max_attempts
                && used >= max as usize
            {
                return Err(AppError::AttemptClosed(format!(
                    "You have used all {max} attempts at this exam."
                )));
            }
            let now = app.now();
            let seed = i64::from_str_radix(&crate::secrets::random_token()[..15], 16).unwrap_or(7);
            let deadline_at = match (settings.mode.as_str(), settings.time_limit_minutes) {
                ("exam", Some(m)) => Some(now + time::Duration::minutes(i64::from(m))),
                _ => None,
            };
            let row = app
                .store
                .insert_attempt(
                    NewAttempt {
                        user_id: caller.id.0,
                        course_id,
                        version_number: enrolment.version_number,
                        mode: settings.mode,
                        seed,
                        deadline_at,
                    },
                    now,
                )
                .await?;
            app.draw_for_attempt(&row).await?;
            app.course_event(NewEvent {
                user_id: caller.id.0,
                verb: "started-attempt",
                course_id: Some(course_id),
                version_number: Some(enrolment.version_number),
                attempt_id: Some(row.id),
                ..NewEvent::default()
            })
            .await?;
            Ok(row)
        })
        .await
    }

    /// Close an open attempt whose time ran out, scoring the answers saved in time.
    /// Returns whether it was closed now.
    async fn close_if_expired(&self, attempt: &mut AttemptRow) -> AppResult<bool> {
        match attempt.deadline_at {
            Some(deadline) if attempt.submitted_at.is_none() && self.now() > deadline => {
                self.finish(attempt, deadline).await?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn finish(&self, attempt: &mut AttemptRow, at: time::OffsetDateTime) -> AppResult<()> {
        let (questions, settings) = self.attempt_questions(attempt).await?;
        let answers = answers_of(attempt);
        let mut results = Vec::with_capacity(questions.len());
        let (mut total, mut max) = (0.0, 0.0);
        // An answered essay waits for a reviewer (decision 0043): no result until then.
        let mut waiting = false;
        // Whether each question was answered right, for the drawn ones' bank figures.
        let mut marks = Vec::with_capacity(questions.len());
        for q in &questions {
            let question = question_of(q)?;
            let reviewed_later = needs_review(&question, answers.get(&q.question_key));
            waiting |= reviewed_later;
            let s = match answers.get(&q.question_key) {
                Some(a) => score(&question, a),
                None => Score {
                    points: 0.0,
                    max: question.max_points(),
                    correct: false,
                    feedback: Vec::new(),
                },
            };
            total += s.points;
            max += s.max;
            marks.push((
                q.question_key.clone(),
                (!reviewed_later).then_some(s.correct),
            ));
            results.push(QuestionResult {
                key: q.question_key.clone(),
                explanation: question.explanation.clone(),
                score: s,
                question,
            });
        }
        let passed = (!waiting).then(|| passes(total, max, settings.pass_mark));
        let submission = Submission {
            answers: to_json(&answers)?,
            results: to_json(&results)?,
            score: total,
            max_score: max,
            passed,
        };
        if !self
            .store
            .submit_attempt(attempt.id, submission, at)
            .await?
        {
            return Err(AppError::AttemptClosed(
                "This attempt is already submitted; it cannot change.".to_owned(),
            ));
        }
        *attempt = self
            .store
            .attempt(attempt.id)
            .await?
            .ok_or(AppError::NotFound("That attempt"))?;
        // In this unit of work: the drawn questions' difficulty figures (decision 0047).
        self.rate_drawn(attempt.id, &marks).await?;
        let Some(passed) = passed else {
            // Scored (`submitted-attempt`) when the last essay is reviewed.
            return self.wait_for_review(attempt, total, max).await;
        };
        self.course_event(NewEvent {
            user_id: attempt.user_id,
            verb: "submitted-attempt",
            course_id: Some(attempt.course_id),
            version_number: Some(attempt.version_number),
            attempt_id: Some(attempt.id),
            data: Some(
                serde_json::json!({ "score": total, "max": max, "passed": passed }).to_string(),
            ),
            ..NewEvent::default()
        })
        .await?;
        self.refresh_course_health(attempt.course_id).await?;
        if passed && settings.required_for_completion {
            self.complete_if_done(attempt.user_id, attempt.course_id)
                .await?;
        }
        Ok(())
    }

    /// What the learner sees of an attempt: public questions while open, results after.
    pub async fn attempt_view(&self, caller: &Caller, attempt_id: i64) -> AppResult<AttemptView> {
        let mut attempt = self.own_attempt(caller, attempt_id).await?;
        self.close_if_expired(&mut attempt).await?;
        let (questions, settings) = self.attempt_questions(&attempt).await?;
        let answers = answers_of(&attempt);
        let mut order: Vec<&QuestionRow> = questions.iter().collect();
        if settings.shuffle {
            shuffle(&mut order, attempt.seed as u64);
        }
        let mut shown = Vec::with_capacity(order.len());
        for (i, q) in order.iter().enumerate() {
            let question = question_of(q)?;
            shown.push(AttemptQuestion {
                key: q.question_key.clone(),
                question: public_view(
                    &question,
                    (attempt.seed as u64).wrapping_add(i as u64),
                    settings.shuffle,
                ),
                answer: answers.get(&q.question_key).cloned(),
            });
        }
        let results = match &attempt.results {
            Some(r) => {
                Some(serde_json::from_str(r).map_err(|e| AppError::Internal(e.to_string()))?)
            }
            None => None,
        };
        let seconds_left = attempt
            .deadline_at
            .filter(|_| attempt.submitted_at.is_none())
            .map(|d| (d - self.now()).whole_seconds().max(0));
        Ok(AttemptView {
            attempt,
            settings,
            questions: shown,
            seconds_left,
            results,
        })
    }

    /// Save an answer to an open attempt. In practice mode the score and feedback come back
    /// at once (and the learner may answer again); in an exam nothing is revealed.
    pub async fn answer(
        &self,
        caller: &Caller,
        attempt_id: i64,
        question_key: &str,
        answer: Answer,
    ) -> AppResult<Option<QuestionResult>> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let mut attempt = app.own_attempt(caller, attempt_id).await?;
            if app.close_if_expired(&mut attempt).await? {
                return Err(AppError::AttemptClosed(
                    "The time limit has passed; answers saved before it were scored.".to_owned(),
                ));
            }
            if attempt.submitted_at.is_some() {
                return Err(AppError::AttemptClosed(
                    "This attempt is submitted; it cannot change.".to_owned(),
                ));
            }
            let (questions, _) = app.attempt_questions(&attempt).await?;
            let row = questions
                .iter()
                .find(|q| q.question_key == question_key)
                .ok_or(AppError::NotFound("That question"))?;
            let question = question_of(row)?;
            if let (lore_domain::question::QuestionBody::Essay { .. }, Answer::Text(text)) =
                (&question.body, &answer)
            {
                lore_domain::essay::check_answer(text)?;
            }
            let result = score(&question, &answer);
            let mut answers = answers_of(&attempt);
            answers.insert(question_key.to_owned(), answer);
            if !app
                .store
                .save_answers(attempt.id, to_json(&answers)?)
                .await?
            {
                return Err(AppError::AttemptClosed(
                    "This attempt is submitted; it cannot change.".to_owned(),
                ));
            }
            app.course_event(NewEvent {
                user_id: caller.id.0,
                verb: "answered",
                course_id: Some(attempt.course_id),
                version_number: Some(attempt.version_number),
                attempt_id: Some(attempt.id),
                step_key: Some(question_key.to_owned()),
                data: Some(
                    serde_json::json!({ "points": result.points, "max": result.max }).to_string(),
                ),
                ..NewEvent::default()
            })
            .await?;
            if attempt.mode == EvaluationMode::Practice {
                return Ok(Some(QuestionResult {
                    key: question_key.to_owned(),
                    explanation: question.explanation.clone(),
                    score: result,
                    question,
                }));
            }
            Ok(None)
        })
        .await
    }

    /// Submit an attempt. After an exam's time limit the submission is refused and the
    /// attempt closes with the answers saved in time.
    pub async fn submit_attempt(&self, caller: &Caller, attempt_id: i64) -> AppResult<AttemptRow> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let mut attempt = app.own_attempt(caller, attempt_id).await?;
            if app.close_if_expired(&mut attempt).await? {
                return Err(AppError::AttemptClosed("The time limit has passed, so this submission was refused; the answers saved in time were scored.".to_owned()));
            }
            if attempt.submitted_at.is_some() {
                return Err(AppError::AttemptClosed(
                    "This attempt is already submitted; it cannot change.".to_owned(),
                ));
            }
            let now = app.now();
            app.finish(&mut attempt, now).await?;
            Ok(attempt)
        })
        .await
    }

    /// Whether a version has a final evaluation, and how the caller stands on it.
    pub async fn evaluation_info(
        &self,
        caller: &Caller,
        course_id: i64,
        version_number: i32,
    ) -> AppResult<Option<EvaluationInfo>> {
        let (questions, settings) = self.evaluation_of(course_id, version_number).await?;
        if questions.is_empty() && !self.draws_questions(course_id, version_number).await? {
            return Ok(None);
        }
        let attempts: Vec<_> = self
            .store
            .attempts_of(caller.id.0, course_id)
            .await?
            .into_iter()
            .filter(|a| a.version_number == version_number)
            .collect();
        let passed = attempts.iter().any(|a| a.passed == Some(true));
        let waiting = attempts
            .iter()
            .any(|a| a.submitted_at.is_some() && a.passed.is_none());
        let best = attempts
            .into_iter()
            .filter(|a| a.passed.is_some())
            .filter_map(|a| Some((a.score?, a.max_score?)))
            .max_by(|a, b| (a.0 / a.1.max(f64::EPSILON)).total_cmp(&(b.0 / b.1.max(f64::EPSILON))));
        Ok(Some(EvaluationInfo {
            exam: settings.mode == EvaluationMode::Exam,
            best,
            passed,
            waiting,
        }))
    }

    /// The caller's enrolment in a course and the version it is on.
    async fn taking(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<(lore_store::EnrolmentRow, lore_store::VersionRow)> {
        let enrolment = self
            .store
            .enrolment(caller.id.0, course_id)
            .await?
            .ok_or_else(crate::courses::learning::not_enrolled)?;
        let version = self
            .store
            .version(course_id, enrolment.version_number)
            .await?
            .ok_or(AppError::NotFound("That course"))?;
        Ok((enrolment, version))
    }

    /// The questions inside a step of the version the caller is taking, as they may see them.
    pub async fn step_questions(
        &self,
        caller: &Caller,
        course_id: i64,
        step_key: &str,
    ) -> AppResult<Vec<AttemptQuestion>> {
        let (enrolment, version) = self.taking(caller, course_id).await?;
        let mut out = Vec::new();
        for (i, q) in self
            .store
            .questions_of(version.id)
            .await?
            .iter()
            .filter(|q| q.step_key.as_deref() == Some(step_key))
            .enumerate()
        {
            let question = question_of(q)?;
            out.push(AttemptQuestion {
                key: q.question_key.clone(),
                question: public_view(
                    &question,
                    (enrolment.id as u64)
                        .wrapping_mul(31)
                        .wrapping_add(i as u64),
                    false,
                ),
                answer: None,
            });
        }
        Ok(out)
    }

    /// Check answers to the questions inside a step: practice-style feedback at once, every
    /// answer logged as an event.
    pub async fn check_step_answers(
        &self,
        caller: &Caller,
        course_id: i64,
        step_key: &str,
        answers: Vec<(String, Answer)>,
    ) -> AppResult<Vec<QuestionResult>> {
        self.unit_of_work(|app| async move {
            let app = &app;
            app.course_for(caller, course_id, Action::ViewCourse)
                .await?;
            let (_, version) = app.taking(caller, course_id).await?;
            let rows: Vec<QuestionRow> = app
                .store
                .questions_of(version.id)
                .await?
                .into_iter()
                .filter(|q| q.step_key.as_deref() == Some(step_key))
                .collect();
            let mut results = Vec::new();
            for (key, answer) in answers {
                let Some(row) = rows.iter().find(|q| q.question_key == key) else {
                    return Err(AppError::NotFound("That question"));
                };
                let question = question_of(row)?;
                let s = score(&question, &answer);
                app.course_event(NewEvent {
                    user_id: caller.id.0,
                    verb: "answered",
                    course_id: Some(course_id),
                    version_number: Some(version.number),
                    step_key: Some(key.clone()),
                    data: Some(
                        serde_json::json!({ "step": step_key, "points": s.points, "max": s.max })
                            .to_string(),
                    ),
                    ..NewEvent::default()
                })
                .await?;
                results.push(QuestionResult {
                    key,
                    explanation: question.explanation.clone(),
                    score: s,
                    question,
                });
            }
            Ok(results)
        })
        .await
    }

    /// The caller's attempts at a course, newest first.
    pub async fn my_attempts(&self, caller: &Caller, course_id: i64) -> AppResult<Vec<AttemptRow>> {
        let mut all = self.store.attempts_of(caller.id.0, course_id).await?;
        all.reverse();
        Ok(all)
    }
}
