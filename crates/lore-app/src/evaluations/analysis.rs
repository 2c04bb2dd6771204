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
        let mut attempts = Vec::new();
        for a in self.store.submitted_attempts(course_id, number).await? {
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
                        question: r.key,
                        points: r.score.points,
                        max: r.score.max,
                        seconds: None,
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
