//! Reviewing open answers (essays, docs/decisions/0043): the queue of a course's answers
//! waiting for review, with the question's model answer and rubric, and the review itself.
//! When the last essay of an attempt is reviewed the attempt is scored, passed or failed,
//! exactly as a quiz is at submission (the same `submitted-attempt` event, completion and
//! what follows from it), and the learner is told.

use lore_domain::essay::{RubricCriterion, criteria_of, needs_review, passes, review};
use lore_domain::notification::NotificationKind;
use lore_domain::policy::Action;
use lore_domain::question::{Answer, Question, QuestionBody};
use lore_store::{AttemptRow, EssayReviewRow, NewEssayReview, NewEvent};
use serde::Serialize;

use super::attempts::QuestionResult;
use super::authoring::question_of;
use crate::notifications::Notice;
use crate::{App, AppError, AppResult, Caller};

/// One essay waiting for review, with what the reviewer needs beside it.
#[derive(Debug, Clone, Serialize)]
pub struct EssayToReview {
    pub attempt_id: i64,
    pub question_key: String,
    pub learner_id: i64,
    pub learner_name: String,
    pub submitted_at: Option<time::OffsetDateTime>,
    /// The question's prompt (Markdown).
    pub prompt: String,
    /// The learner's answer (Markdown, as written).
    pub answer: String,
    /// The answer rendered and sanitised.
    #[serde(skip)]
    pub answer_html: String,
    /// The question's model answer (Markdown; may be empty).
    pub model_answer: String,
    #[serde(skip)]
    pub model_answer_html: String,
    /// The question's points, which the rubric's total scales to.
    pub points: f64,
    pub rubric: Vec<RubricCriterion>,
    /// The caller's own answer: shown, but they may not review it.
    pub own: bool,
}

/// A course's answers waiting for review, oldest first.
#[derive(Debug, Clone)]
pub struct ReviewQueue {
    pub course_id: i64,
    pub course_title: String,
    pub essays: Vec<EssayToReview>,
}

/// What a review did.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewOutcome {
    pub attempt_id: i64,
    pub question_key: String,
    /// The essay's score.
    pub score: f64,
    pub max: f64,
    /// Essays of the attempt still waiting after this one.
    pub still_waiting: usize,
    /// Once every essay is reviewed: the attempt's score, maximum and result.
    pub attempt_score: Option<f64>,
    pub attempt_max: Option<f64>,
    pub passed: Option<bool>,
}

/// The essays of an attempt that wait for review: (question key, question, answer text).
fn essays_of(
    attempt: &AttemptRow,
    questions: &[(String, Question)],
) -> Vec<(String, Question, String)> {
    let answers: std::collections::BTreeMap<String, Answer> =
        serde_json::from_str(&attempt.answers).unwrap_or_default();
    questions
        .iter()
        .filter_map(|(key, q)| {
            let answer = answers.get(key);
            if !needs_review(q, answer) {
                return None;
            }
            match answer {
                Some(Answer::Text(t)) => Some((key.clone(), q.clone(), t.clone())),
                _ => None,
            }
        })
        .collect()
}

impl App {
    /// The title of one version and its final evaluation's questions, with their keys.
    async fn final_questions(
        &self,
        course_id: i64,
        version_number: i32,
    ) -> AppResult<(String, Vec<(String, Question)>)> {
        let version = self
            .store
            .version(course_id, version_number)
            .await?
            .ok_or(AppError::NotFound("That course"))?;
        let mut out = Vec::new();
        for row in self.store.questions_of(version.id).await? {
            if row.step_key.is_none() {
                out.push((row.question_key.clone(), question_of(&row)?));
            }
        }
        Ok((version.title, out))
    }

    /// The questions an attempt drew from a bank, with their keys: an essay among them is
    /// reviewed like the version's own.
    async fn drawn_of(&self, attempt_id: i64) -> AppResult<Vec<(String, Question)>> {
        let mut out = Vec::new();
        for d in self.store.drawn_questions(attempt_id).await? {
            let question: Question =
                serde_json::from_str(&d.body).map_err(|e| AppError::Internal(e.to_string()))?;
            out.push((d.question_key, question));
        }
        Ok(out)
    }

    /// An attempt with essays to review was submitted: no result yet (`submitted-attempt`
    /// follows the last review), an event of its own with the score so far.
    pub(super) async fn wait_for_review(
        &self,
        attempt: &AttemptRow,
        score_so_far: f64,
        max: f64,
    ) -> AppResult<()> {
        self.course_event(NewEvent {
            user_id: attempt.user_id,
            verb: "submitted-essays",
            course_id: Some(attempt.course_id),
            version_number: Some(attempt.version_number),
            attempt_id: Some(attempt.id),
            data: Some(serde_json::json!({ "score": score_so_far, "max": max }).to_string()),
            ..NewEvent::default()
        })
        .await
    }

    /// Set the rubric (one criterion a line, `name: points`) and the model answer of an
    /// essay question of the draft.
    pub async fn set_essay_rubric(
        &self,
        caller: &Caller,
        course_id: i64,
        question_id: i64,
        rubric_text: &str,
        model_answer: &str,
    ) -> AppResult<()> {
        let draft = self.draft(caller, course_id).await?;
        let row = self
            .store
            .questions_of(draft.version.id)
            .await?
            .into_iter()
            .find(|q| q.id == question_id)
            .ok_or(AppError::NotFound("That question"))?;
        let mut question = question_of(&row)?;
        let QuestionBody::Essay { .. } = question.body else {
            return Err(AppError::invalid(
                "rubric",
                "Only an open answer (essay) question has a rubric.",
            ));
        };
        question.body = QuestionBody::Essay {
            rubric: lore_domain::essay::parse_rubric(rubric_text)?,
            model_answer: model_answer.trim().to_owned(),
        };
        question.validate()?;
        let body =
            serde_json::to_string(&question).map_err(|e| AppError::Internal(e.to_string()))?;
        if !self.store.save_question(row.id, row.revision, body).await? {
            return Err(AppError::Conflict(
                "Someone saved this question after you opened it. Reload and apply your change again."
                    .to_owned(),
            ));
        }
        Ok(())
    }

    /// The answers of a course waiting for review, for its coaches and editors.
    pub async fn essay_queue(&self, caller: &Caller, course_id: i64) -> AppResult<ReviewQueue> {
        let ctx = self
            .course_for(caller, course_id, Action::ReviewAnswers)
            .await?;
        let course_title = match ctx.course.latest_version {
            Some(n) => self
                .store
                .version(course_id, n)
                .await?
                .map(|v| v.title)
                .unwrap_or_default(),
            None => String::new(),
        };
        let waiting = self.store.attempts_waiting_review(course_id).await?;
        let ids: Vec<i64> = waiting.iter().map(|a| a.id).collect();
        let reviewed: std::collections::HashSet<(i64, String)> = self
            .store
            .essay_reviews_of_attempts(&ids)
            .await?
            .into_iter()
            .map(|r| (r.attempt_id, r.question_key))
            .collect();
        let mut versions: std::collections::HashMap<i32, Vec<(String, Question)>> =
            std::collections::HashMap::new();
        let mut names: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
        let mut essays = Vec::new();
        for attempt in &waiting {
            if let std::collections::hash_map::Entry::Vacant(slot) =
                versions.entry(attempt.version_number)
            {
                let (_, qs) = self
                    .final_questions(course_id, attempt.version_number)
                    .await?;
                slot.insert(qs);
            }
            let mut questions = versions
                .get(&attempt.version_number)
                .cloned()
                .unwrap_or_default();
            questions.extend(self.drawn_of(attempt.id).await?);
            for (key, question, answer) in essays_of(attempt, &questions) {
                if reviewed.contains(&(attempt.id, key.clone())) {
                    continue;
                }
                if let std::collections::hash_map::Entry::Vacant(slot) =
                    names.entry(attempt.user_id)
                {
                    let name = self
                        .store
                        .user(attempt.user_id)
                        .await?
                        .map(|u| u.name)
                        .unwrap_or_default();
                    slot.insert(name);
                }
                let model_answer = match &question.body {
                    QuestionBody::Essay { model_answer, .. } => model_answer.clone(),
                    _ => String::new(),
                };
                essays.push(EssayToReview {
                    attempt_id: attempt.id,
                    question_key: key,
                    learner_id: attempt.user_id,
                    learner_name: names.get(&attempt.user_id).cloned().unwrap_or_default(),
                    submitted_at: attempt.submitted_at,
                    answer_html: crate::markdown::render(&answer),
                    answer,
                    model_answer_html: crate::markdown::render(&model_answer),
                    model_answer,
                    points: question.points,
                    rubric: criteria_of(&question).unwrap_or_default(),
                    prompt: question.prompt,
                    own: attempt.user_id == caller.id.0,
                });
            }
        }
        Ok(ReviewQueue {
            course_id,
            course_title,
            essays,
        })
    }

    /// Review one essay of an attempt: points per criterion of the rubric and a comment.
    /// Refused, with nothing changed, for someone who is not a reviewer of the course, for
    /// one's own answer, for points outside a criterion's range and for an essay reviewed
    /// already. The review of the attempt's last essay scores the attempt.
    pub async fn review_essay(
        &self,
        caller: &Caller,
        course_id: i64,
        attempt_id: i64,
        question_key: &str,
        points: &[f64],
        comment: &str,
    ) -> AppResult<ReviewOutcome> {
        self.unit_of_work(|app| async move {
            let app = &app;
            app.course_for(caller, course_id, Action::ReviewAnswers)
                .await?;
            let attempt = match app.store.attempt(attempt_id).await? {
                Some(a) if a.course_id == course_id => a,
                _ => return Err(AppError::NotFound("That attempt")),
            };
            if attempt.user_id == caller.id.0 {
                return Err(AppError::refused(
                    "own_answer",
                    "You cannot review your own answer; another reviewer of the course will.",
                ));
            }
            let (title, mut questions) = app
                .final_questions(course_id, attempt.version_number)
                .await?;
            questions.extend(app.drawn_of(attempt.id).await?);
            let essays = essays_of(&attempt, &questions);
            let Some((_, question, _)) = essays.iter().find(|(k, _, _)| k == question_key) else {
                return Err(AppError::NotFound("That answer"));
            };
            let reviews = app.store.essay_reviews_of(attempt.id).await?;
            if attempt.submitted_at.is_none() {
                return Err(AppError::NotFound("That answer"));
            }
            if attempt.passed.is_some() || reviews.iter().any(|r| r.question_key == question_key) {
                return Err(already_reviewed());
            }
            let verdict = review(question, points, comment)?;
            let row = app
                .store
                .insert_essay_review(
                    NewEssayReview {
                        attempt_id: attempt.id,
                        question_key: question_key.to_owned(),
                        reviewer_id: caller.id.0,
                        points: serde_json::to_string(&verdict.points)
                            .map_err(|e| AppError::Internal(e.to_string()))?,
                        comment: verdict.comment.clone(),
                        score: verdict.score,
                        max_score: verdict.max,
                    },
                    app.now(),
                )
                .await
                .map_err(|e| match e {
                    lore_store::StoreError::Conflict => already_reviewed(),
                    e => e.into(),
                })?;
            app.course_event(NewEvent {
                user_id: caller.id.0,
                verb: "reviewed-essay",
                course_id: Some(course_id),
                version_number: Some(attempt.version_number),
                attempt_id: Some(attempt.id),
                step_key: Some(question_key.to_owned()),
                data: Some(
                    serde_json::json!({
                        "learner": attempt.user_id,
                        "points": verdict.score,
                        "max": verdict.max,
                    })
                    .to_string(),
                ),
                ..NewEvent::default()
            })
            .await?;
            let mut all = reviews;
            all.push(row);
            let still_waiting = essays
                .iter()
                .filter(|(k, _, _)| !all.iter().any(|r| &r.question_key == k))
                .count();
            let mut outcome = ReviewOutcome {
                attempt_id: attempt.id,
                question_key: question_key.to_owned(),
                score: verdict.score,
                max: verdict.max,
                still_waiting,
                attempt_score: None,
                attempt_max: None,
                passed: None,
            };
            if still_waiting == 0 {
                let (score, max, passed) = app.score_reviewed(&attempt, &all, &title).await?;
                outcome.attempt_score = Some(score);
                outcome.attempt_max = Some(max);
                outcome.passed = Some(passed);
            }
            Ok(outcome)
        })
        .await
    }

    /// Score an attempt whose essays are all reviewed: the reviews' points replace the
    /// essays' pending results, then the attempt passes or fails as at submission.
    async fn score_reviewed(
        &self,
        attempt: &AttemptRow,
        reviews: &[EssayReviewRow],
        course_title: &str,
    ) -> AppResult<(f64, f64, bool)> {
        let mut results: Vec<QuestionResult> =
            serde_json::from_str(attempt.results.as_deref().unwrap_or("[]"))
                .map_err(|e| AppError::Internal(e.to_string()))?;
        for r in reviews {
            if let Some(result) = results.iter_mut().find(|x| x.key == r.question_key) {
                result.score.points = r.score;
                result.score.max = r.max_score;
                result.score.correct = r.score + 1e-9 >= r.max_score;
                result.score.feedback = if r.comment.is_empty() {
                    Vec::new()
                } else {
                    vec![r.comment.clone()]
                };
            }
        }
        let score: f64 = results.iter().map(|r| r.score.points).sum();
        let max: f64 = results.iter().map(|r| r.score.max).sum();
        let (_, settings) = self
            .evaluation_of(attempt.course_id, attempt.version_number)
            .await?;
        let passed = passes(score, max, settings.pass_mark);
        let json =
            serde_json::to_string(&results).map_err(|e| AppError::Internal(e.to_string()))?;
        if !self
            .store
            .score_reviewed_attempt(attempt.id, json, score, max, passed)
            .await?
        {
            return Err(already_reviewed());
        }
        // Drawn questions get their right-or-wrong mark now that the attempt is scored.
        let marks: Vec<(String, Option<bool>)> = results
            .iter()
            .map(|r| (r.key.clone(), Some(r.score.correct)))
            .collect();
        self.rate_drawn(attempt.id, &marks).await?;
        self.course_event(NewEvent {
            user_id: attempt.user_id,
            verb: "submitted-attempt",
            course_id: Some(attempt.course_id),
            version_number: Some(attempt.version_number),
            attempt_id: Some(attempt.id),
            data: Some(
                serde_json::json!({ "score": score, "max": max, "passed": passed, "reviewed": true })
                    .to_string(),
            ),
            ..NewEvent::default()
        })
        .await?;
        self.refresh_course_health(attempt.course_id).await?;
        if passed && settings.required_for_completion {
            self.complete_if_done(attempt.user_id, attempt.course_id)
                .await?;
        }
        let verdict = if passed { "passed" } else { "not passed" };
        self.notify(Notice {
            user_id: attempt.user_id,
            kind: NotificationKind::EssayReview,
            title: format!("Your answers in “{course_title}” were reviewed"),
            body: format!(
                "You scored {} of {} points: {verdict}.",
                round2(score),
                round2(max)
            ),
            link: format!("/attempts/{}", attempt.id),
            actor_id: None,
        })
        .await?;
        Ok((score, max, passed))
    }
}

fn already_reviewed() -> AppError {
    AppError::refused(
        "already_reviewed",
        "This answer has been reviewed already; a review is not changed.",
    )
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
