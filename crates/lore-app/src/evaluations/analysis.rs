//! Item analysis of a course version's evaluation, for its authors and coaches.

use std::collections::BTreeMap;

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
}
