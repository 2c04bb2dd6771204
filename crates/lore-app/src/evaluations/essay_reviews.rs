//! Reviewing open answers (essays, docs/decisions/0043): the queue of a course's answers
//! waiting for review, with the question's model answer and rubric, and the review itself.
//! When the last essay of an attempt is reviewed the attempt is scored, passed or failed,
//! exactly as a quiz is at submission (the same `submitted-attempt` event, completion and
//! what follows from it), and the learner is told.

use lore_domain::essay::{
    PeerReview, PeerVerdict, RubricCriterion, criteria_of, needs_review, passes, review,
    settle_by_peers,
};
use lore_domain::notification::NotificationKind;
use lore_domain::question::{Answer, Question, QuestionBody};
use lore_store::{AttemptRow, EssayReviewRow, NewEssayReview, NewEvent};
use serde::Serialize;

use super::attempts::QuestionResult;
use super::authoring::question_of;
use super::peer_review::ReviewerRole;
use crate::notifications::Notice;
use crate::{App, AppError, AppResult, Caller};

/// One essay waiting for review, with what the reviewer needs beside it.
#[derive(Debug, Clone, Serialize)]
pub struct EssayToReview {
    pub attempt_id: i64,
    pub question_key: String,
    /// `None` for a peer: peers review without knowing whose answer it is (decision 0050).
    pub learner_id: Option<i64>,
    /// "A learner" for a peer.
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
    /// The peer reviews given so far (shown to coaches; empty for a peer).
    pub peer_reviews: Vec<PeerReviewGiven>,
    /// All the peers asked for reviewed it and their scores differ by more than the
    /// threshold: a coach's review settles it.
    pub peers_disagree: bool,
    /// The file the learner attached to the answer: (where it is served, its name).
    pub file: Option<(String, String)>,
}

/// A peer's review of an answer, as a coach sees it beside the answer.
#[derive(Debug, Clone, Serialize)]
pub struct PeerReviewGiven {
    pub reviewer_name: String,
    /// Points per criterion, in the rubric's order.
    pub points: Vec<f64>,
    /// The question's points they gave.
    pub score: f64,
    pub comment: String,
}

/// What counts for one essay once it is settled: a coach's review, or the peers' mean.
#[derive(Debug, Clone)]
struct Counted {
    score: f64,
    max: f64,
    feedback: Vec<String>,
}

/// Whether one essay is settled (decision 0050), from its reviews in the order given: a
/// coach's review counts as given; otherwise, with peer review on, the peers' mean once all
/// asked for agree. `Err(disagree)` while it is open.
fn counted(reviews: &[&EssayReviewRow], peer: Option<PeerReview>) -> Result<Counted, bool> {
    if let Some(r) = reviews.iter().find(|r| !r.by_peer) {
        return Ok(Counted {
            score: r.score,
            max: r.max_score,
            feedback: if r.comment.is_empty() {
                Vec::new()
            } else {
                vec![r.comment.clone()]
            },
        });
    }
    let Some(setting) = peer else {
        return Err(false);
    };
    let peers: Vec<&&EssayReviewRow> = reviews.iter().filter(|r| r.by_peer).collect();
    let scores: Vec<f64> = peers.iter().map(|r| r.score).collect();
    match settle_by_peers(&scores, &setting) {
        PeerVerdict::Agreed(mean) => Ok(Counted {
            score: mean,
            max: peers.first().map(|r| r.max_score).unwrap_or_default(),
            feedback: peers
                .iter()
                .take(usize::try_from(setting.peers).unwrap_or(1))
                .filter(|r| !r.comment.is_empty())
                .map(|r| r.comment.clone())
                .collect(),
        }),
        PeerVerdict::Disagree => Err(true),
        PeerVerdict::Waiting(_) => Err(false),
    }
}

fn reviews_for<'a>(all: &'a [EssayReviewRow], attempt: i64, key: &str) -> Vec<&'a EssayReviewRow> {
    all.iter()
        .filter(|r| r.attempt_id == attempt && r.question_key == key)
        .collect()
}

/// A course's answers waiting for review, oldest first.
#[derive(Debug, Clone)]
pub struct ReviewQueue {
    pub course_id: i64,
    pub course_title: String,
    /// The caller reviews as a peer (decision 0050): answers waiting for peers, names hidden.
    pub as_peer: bool,
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
    /// Essays of the attempt not settled yet after this review.
    pub still_waiting: usize,
    /// The review was a peer's (decision 0050).
    pub by_peer: bool,
    /// Peers' scores of this answer differ by more than the threshold: it waits for a coach.
    pub peers_disagree: bool,
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

    /// May a peer see this answer (and the file with it)? While they are asked to review it
    /// — submitted, not theirs, not settled, its peers not in disagreement, fewer peer
    /// reviews than asked — and after they reviewed it; no other answer of the course.
    pub(crate) async fn peer_sees_answer(
        &self,
        caller: &Caller,
        attempt: &AttemptRow,
        question_key: &str,
        setting: PeerReview,
    ) -> AppResult<bool> {
        if attempt.user_id == caller.id.0 || attempt.submitted_at.is_none() {
            return Ok(false);
        }
        let all = self.store.essay_reviews_of(attempt.id).await?;
        let reviews = reviews_for(&all, attempt.id, question_key);
        if reviews.iter().any(|r| r.reviewer_id == caller.id.0) {
            return Ok(true);
        }
        if attempt.passed.is_some() {
            return Ok(false);
        }
        Ok(match counted(&reviews, Some(setting)) {
            // Settled, or the peers disagree and the coach settles it.
            Ok(_) | Err(true) => false,
            Err(false) => {
                let given = reviews.iter().filter(|r| r.by_peer).count();
                i32::try_from(given).unwrap_or(i32::MAX) < setting.peers
            }
        })
    }

    /// The answers of a course waiting for review: for its coaches, editors and named
    /// experts every answer not settled yet (those the peers disagree on marked, with the
    /// peer reviews); for a peer the answers still waiting for peers that are not theirs and
    /// that they have not reviewed, without the learner's name.
    pub async fn essay_queue(&self, caller: &Caller, course_id: i64) -> AppResult<ReviewQueue> {
        let (ctx, role) = self.essay_reviewer(caller, course_id).await?;
        let peer = match role {
            ReviewerRole::Peer(p) => Some(p),
            ReviewerRole::Coach => self.peer_review_in(course_id).await?,
        };
        let as_peer = matches!(role, ReviewerRole::Peer(_));
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
        let all_reviews = self.store.essay_reviews_of_attempts(&ids).await?;
        let files = self.store.essay_files_of_attempts(&ids).await?;
        let mut versions: std::collections::HashMap<i32, Vec<(String, Question)>> =
            std::collections::HashMap::new();
        let mut names: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
        let mut essays = Vec::new();
        for attempt in &waiting {
            if as_peer && attempt.user_id == caller.id.0 {
                continue;
            }
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
                let reviews = reviews_for(&all_reviews, attempt.id, &key);
                let peers_disagree = match counted(&reviews, peer) {
                    Ok(_) => continue,
                    Err(disagree) => disagree,
                };
                let peer_rows: Vec<&EssayReviewRow> =
                    reviews.iter().copied().filter(|r| r.by_peer).collect();
                if as_peer {
                    let asked = peer.map(|p| p.peers).unwrap_or_default();
                    if peers_disagree
                        || reviews.iter().any(|r| r.reviewer_id == caller.id.0)
                        || i32::try_from(peer_rows.len()).unwrap_or(i32::MAX) >= asked
                    {
                        continue;
                    }
                }
                let mut peer_reviews = Vec::new();
                if !as_peer {
                    for r in &peer_rows {
                        peer_reviews.push(PeerReviewGiven {
                            reviewer_name: self.queue_name(&mut names, r.reviewer_id).await?,
                            points: serde_json::from_str(&r.points).unwrap_or_default(),
                            score: r.score,
                            comment: r.comment.clone(),
                        });
                    }
                }
                let learner_name = if as_peer {
                    "A learner".to_owned()
                } else {
                    self.queue_name(&mut names, attempt.user_id).await?
                };
                let model_answer = match &question.body {
                    QuestionBody::Essay { model_answer, .. } => model_answer.clone(),
                    _ => String::new(),
                };
                let file = files
                    .iter()
                    .find(|f| f.attempt_id == attempt.id && f.question_key == key)
                    .map(|f| {
                        (
                            format!("/attempts/{}/answers/{}/file", attempt.id, key),
                            f.name.clone(),
                        )
                    });
                essays.push(EssayToReview {
                    attempt_id: attempt.id,
                    question_key: key,
                    learner_id: (!as_peer).then_some(attempt.user_id),
                    learner_name,
                    submitted_at: attempt.submitted_at,
                    answer_html: crate::markdown::render(&answer),
                    answer,
                    model_answer_html: crate::markdown::render(&model_answer),
                    model_answer,
                    points: question.points,
                    rubric: criteria_of(&question).unwrap_or_default(),
                    prompt: question.prompt,
                    own: attempt.user_id == caller.id.0,
                    file,
                    peer_reviews,
                    peers_disagree,
                });
            }
        }
        Ok(ReviewQueue {
            course_id,
            course_title,
            as_peer,
            essays,
        })
    }

    /// A person's name, looked up once per queue.
    async fn queue_name(
        &self,
        names: &mut std::collections::HashMap<i64, String>,
        user_id: i64,
    ) -> AppResult<String> {
        if let Some(n) = names.get(&user_id) {
            return Ok(n.clone());
        }
        let name = self
            .store
            .user(user_id)
            .await?
            .map(|u| u.name)
            .unwrap_or_default();
        names.insert(user_id, name.clone());
        Ok(name)
    }

    /// Review one essay of an attempt: points per criterion of the rubric and a comment.
    /// Refused, with nothing changed, for someone who neither reviews the course's answers
    /// nor is a peer (completed it, peer review on), for one's own answer, for points outside
    /// a criterion's range, for an essay settled already, for a peer's second review of the
    /// same answer and for an answer that has the peer reviews it needs. The review that
    /// settles the attempt's last essay scores the attempt (decision 0050: a coach's review
    /// settles an essay; the peers' reviews do once all asked for are in and agree).
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
            let (_, role) = app.essay_reviewer(caller, course_id).await?;
            let peer = match role {
                ReviewerRole::Peer(p) => Some(p),
                ReviewerRole::Coach => app.peer_review_in(course_id).await?,
            };
            let by_peer = matches!(role, ReviewerRole::Peer(_));
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
            let mine = reviews_for(&reviews, attempt.id, question_key);
            if attempt.passed.is_some() || counted(&mine, peer).is_ok() {
                return Err(already_reviewed());
            }
            if mine.iter().any(|r| r.reviewer_id == caller.id.0) {
                return Err(AppError::refused(
                    "already_reviewed",
                    "You have reviewed this answer already; a review is not changed.",
                ));
            }
            if let ReviewerRole::Peer(setting) = role {
                let given = mine.iter().filter(|r| r.by_peer).count();
                if i32::try_from(given).unwrap_or(i32::MAX) >= setting.peers {
                    return Err(AppError::refused(
                        "already_reviewed",
                        "This answer has the peer reviews it needs; a coach settles it now.",
                    ));
                }
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
                        by_peer,
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
                        "peer": by_peer,
                    })
                    .to_string(),
                ),
                ..NewEvent::default()
            })
            .await?;
            let mut all = reviews;
            all.push(row);
            let mut settled = Vec::new();
            let mut still_waiting = 0;
            let mut peers_disagree = false;
            for (k, _, _) in &essays {
                match counted(&reviews_for(&all, attempt.id, k), peer) {
                    Ok(c) => settled.push((k.clone(), c)),
                    Err(disagree) => {
                        still_waiting += 1;
                        if k == question_key {
                            peers_disagree = disagree;
                        }
                    }
                }
            }
            let mut outcome = ReviewOutcome {
                attempt_id: attempt.id,
                question_key: question_key.to_owned(),
                score: verdict.score,
                max: verdict.max,
                still_waiting,
                by_peer,
                peers_disagree,
                attempt_score: None,
                attempt_max: None,
                passed: None,
            };
            if still_waiting == 0 {
                let (score, max, passed) = app.score_reviewed(&attempt, &settled, &title).await?;
                outcome.attempt_score = Some(score);
                outcome.attempt_max = Some(max);
                outcome.passed = Some(passed);
            }
            Ok(outcome)
        })
        .await
    }

    /// Score an attempt whose essays are all settled: what counts for each (a coach's
    /// review or the peers' mean) replaces the essays' pending results, then the attempt
    /// passes or fails as at submission.
    async fn score_reviewed(
        &self,
        attempt: &AttemptRow,
        settled: &[(String, Counted)],
        course_title: &str,
    ) -> AppResult<(f64, f64, bool)> {
        let mut results: Vec<QuestionResult> =
            serde_json::from_str(attempt.results.as_deref().unwrap_or("[]"))
                .map_err(|e| AppError::Internal(e.to_string()))?;
        for (key, c) in settled {
            if let Some(result) = results.iter_mut().find(|x| &x.key == key) {
                result.score.points = c.score;
                result.score.max = c.max;
                result.score.correct = c.score + 1e-9 >= c.max;
                result.score.feedback = c.feedback.clone();
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
