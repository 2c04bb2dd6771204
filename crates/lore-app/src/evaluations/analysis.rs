//! Item analysis of a course version's evaluation, for its authors and coaches.

use std::collections::BTreeMap;

use lore_domain::essay::{Agreement, agreement, score_bands};
use lore_domain::item_analysis::{
    AttemptResponses, ItemResponse, ItemStats, QuestionInfo, TestSummary, analyse, summary,
};
use lore_domain::policy::Action;
use lore_domain::question::{Answer, Question, QuestionBody};

use super::attempts::QuestionResult;
use super::authoring::question_of;
use crate::{App, AppError, AppResult, Caller};

/// One question's statistics with its text, for the statistics page.
#[derive(Debug, Clone)]
pub struct QuestionStats {
    pub key: String,
    pub question: Question,
    pub stats: ItemStats,
}

/// An open question's (essay's) scores (decision 0046): how the reviewed answers spread over
/// bands of the question's points, and how far reviewers agree where an answer was
/// reviewed more than once.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OpenAnswerStats {
    pub key: String,
    pub prompt: String,
    /// The question's points.
    pub points: f64,
    /// Answers scored (their attempt's essays all reviewed).
    pub scored: usize,
    /// Answers still waiting for review.
    pub waiting: usize,
    /// Scored answers per band of `lore_domain::essay::SCORE_BANDS`.
    pub bands: [usize; 4],
    /// The mean score as a share of the points; `None` before any is scored.
    pub mean_share: Option<f64>,
    pub agreement: Agreement,
}

fn option_ids(q: &Question) -> Vec<String> {
    match &q.body {
        QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options, .. } => {
            options.iter().map(|o| o.id.clone()).collect()
        }
        _ => Vec::new(),
    }
}

impl App {
    /// Item analysis over every submitted attempt at `version` (the newest when `None`).
    pub async fn item_analysis(
        &self,
        caller: &Caller,
        course_id: i64,
        version: Option<i32>,
    ) -> AppResult<(i32, TestSummary, Vec<QuestionStats>)> {
        let ctx = self
            .course_for(caller, course_id, Action::ViewCourse)
            .await?;
        if !ctx.can(caller, Action::EditCourse) && !ctx.can(caller, Action::CoachCourse) {
            return Err(AppError::Forbidden);
        }
        let number = version
            .or(ctx.course.latest_version)
            .ok_or(AppError::NotFound("That version"))?;
        self.analyse_version(course_id, number).await
    }

    /// Item analysis of one version, without a permission check (callers check).
    pub(crate) async fn analyse_version(
        &self,
        course_id: i64,
        number: i32,
    ) -> AppResult<(i32, TestSummary, Vec<QuestionStats>)> {
        let v = self
            .store
            .version(course_id, number)
            .await?
            .ok_or(AppError::NotFound("That version"))?;
        let rows: Vec<_> = self
            .store
            .questions_of(v.id)
            .await?
            .into_iter()
            .filter(|q| q.step_key.is_none())
            .collect();
        let mut questions = Vec::with_capacity(rows.len());
        for r in &rows {
            questions.push((r.question_key.clone(), question_of(r)?));
        }
        let infos: Vec<QuestionInfo> = questions
            .iter()
            .map(|(k, q)| QuestionInfo {
                question: k.clone(),
                option_ids: option_ids(q),
            })
            .collect();
        // Time on a question: from the attempt's start or the previous answer to its first answer,
        // read from the event log.
        let mut seconds: BTreeMap<(i64, String), f64> = BTreeMap::new();
        let mut last_seen: BTreeMap<i64, time::OffsetDateTime> = BTreeMap::new();
        for e in self
            .store
            .course_events(course_id, &["started-attempt", "answered"])
            .await?
        {
            let Some(attempt) = e.attempt_id else {
                continue;
            };
            if let (Some(key), Some(prev)) = (e.step_key.clone(), last_seen.get(&attempt)) {
                seconds
                    .entry((attempt, key))
                    .or_insert(((e.occurred_at - *prev).as_seconds_f64()).max(0.0));
            }
            last_seen.insert(attempt, e.occurred_at);
        }
        let mut attempts = Vec::new();
        // An attempt whose essays wait for review has no result yet (decision 0043); once
        // reviewed, an essay counts with the reviewer's points like any other question.
        for a in self
            .store
            .submitted_attempts(course_id, number)
            .await?
            .into_iter()
            .filter(|a| a.passed.is_some())
        {
            let results: Vec<QuestionResult> = a
                .results
                .as_deref()
                .and_then(|r| serde_json::from_str(r).ok())
                .unwrap_or_default();
            let answers: BTreeMap<String, Answer> =
                serde_json::from_str(&a.answers).unwrap_or_default();
            attempts.push(AttemptResponses {
                attempt: a.id,
                responses: results
                    .into_iter()
                    .map(|r| ItemResponse {
                        options_chosen: match answers.get(&r.key) {
                            Some(Answer::Choices(ids)) => ids.clone(),
                            _ => Vec::new(),
                        },
                        seconds: seconds.get(&(a.id, r.key.clone())).copied(),
                        question: r.key,
                        points: r.score.points,
                        max: r.score.max,
                    })
                    .collect(),
            });
        }
        let test = summary(&infos, &attempts);
        let stats = analyse(&infos, &attempts);
        let out = questions
            .into_iter()
            .zip(stats)
            .map(|((key, question), stats)| QuestionStats {
                key,
                question,
                stats,
            })
            .collect();
        Ok((number, test, out))
    }

    /// The open questions' (essays') score distribution and reviewer agreement at `version`
    /// (the newest when `None`), for the course's authors and coaches.
    pub async fn open_answer_analysis(
        &self,
        caller: &Caller,
        course_id: i64,
        version: Option<i32>,
    ) -> AppResult<Vec<OpenAnswerStats>> {
        let ctx = self
            .course_for(caller, course_id, Action::ViewCourse)
            .await?;
        if !ctx.can(caller, Action::EditCourse) && !ctx.can(caller, Action::CoachCourse) {
            return Err(AppError::Forbidden);
        }
        let number = version
            .or(ctx.course.latest_version)
            .ok_or(AppError::NotFound("That version"))?;
        let v = self
            .store
            .version(course_id, number)
            .await?
            .ok_or(AppError::NotFound("That version"))?;
        let mut essays = Vec::new();
        for r in self.store.questions_of(v.id).await? {
            if r.step_key.is_some() {
                continue;
            }
            let q = question_of(&r)?;
            if matches!(q.body, QuestionBody::Essay { .. }) {
                essays.push((r.question_key.clone(), q));
            }
        }
        if essays.is_empty() {
            return Ok(Vec::new());
        }
        let attempts = self.store.submitted_attempts(course_id, number).await?;
        let scored_ids: Vec<i64> = attempts
            .iter()
            .filter(|a| a.passed.is_some())
            .map(|a| a.id)
            .collect();
        // Every review of every scored answer: (attempt, question) → score shares.
        let mut reviews: BTreeMap<(i64, String), Vec<f64>> = BTreeMap::new();
        for r in self.store.essay_reviews_of_attempts(&scored_ids).await? {
            if r.max_score > 0.0 {
                reviews
                    .entry((r.attempt_id, r.question_key))
                    .or_default()
                    .push(r.score / r.max_score);
            }
        }
        let mut out = Vec::with_capacity(essays.len());
        for (key, q) in essays {
            let mut shares = Vec::new();
            let mut waiting = 0;
            for a in &attempts {
                let answers: BTreeMap<String, Answer> =
                    serde_json::from_str(&a.answers).unwrap_or_default();
                let answered = lore_domain::essay::needs_review(&q, answers.get(&key));
                if a.passed.is_none() {
                    waiting += usize::from(answered);
                    continue;
                }
                let results: Vec<QuestionResult> = a
                    .results
                    .as_deref()
                    .and_then(|r| serde_json::from_str(r).ok())
                    .unwrap_or_default();
                if let Some(r) = results.iter().find(|r| r.key == key)
                    && r.score.max > 0.0
                {
                    shares.push(r.score.points / r.score.max);
                }
            }
            let per_answer: Vec<Vec<f64>> = reviews
                .iter()
                .filter(|((_, k), _)| *k == key)
                .map(|(_, v)| v.clone())
                .collect();
            out.push(OpenAnswerStats {
                prompt: q.prompt.clone(),
                points: q.points,
                scored: shares.len(),
                waiting,
                bands: score_bands(&shares),
                mean_share: (!shares.is_empty())
                    .then(|| shares.iter().sum::<f64>() / shares.len() as f64),
                agreement: agreement(&per_answer),
                key,
            });
        }
        Ok(out)
    }
}
