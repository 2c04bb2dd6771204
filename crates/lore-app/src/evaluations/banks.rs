//! Question banks (docs/decisions/0044): a group's banks of questions with topics, kept by
//! its authors (the policy's `KeepQuestionBanks`); a course's final evaluation may draw N questions
//! from a bank (of one topic, or any) for every attempt. The draw is made when the attempt
//! starts and kept with it, copied whole, so reopening it or scoring it uses what it showed.
//! Item analysis per bank question reads every submitted attempt, in any course, that drew it.

use std::collections::{BTreeMap, BTreeSet};

use lore_domain::ids::GroupId;
use lore_domain::policy::{Action, Resource};
use lore_domain::question::Question;
use lore_domain::question_bank::{
    BankName, Difficulty, MAX_BANK_QUESTIONS, MIN_RATED_ANSWERS, check_draw, draw,
    parse_difficulty, parse_draw_count, parse_topic,
};
use lore_domain::role::Role;
use lore_store::{
    AttemptRow, BankFilter, BankQuestionRow, BankRow, DrawSetting, EvaluationSettings,
    NewBankQuestion, NewDrawnQuestion, QuestionRow,
};

use super::attempts::QuestionResult;
use super::authoring::new_question_key;
use super::question_import::ImportReport;
use crate::{App, AppError, AppResult, Caller};

/// A bank as lists show it.
#[derive(Debug, Clone)]
pub struct BankView {
    pub id: i64,
    pub group_id: i64,
    /// The group's path, `Acme/Engineering`.
    pub group: String,
    pub name: String,
    pub questions: u64,
    pub created_at: time::OffsetDateTime,
    /// The caller may keep (open) this bank; a course's editor may draw from a bank of a
    /// group above without keeping it.
    pub kept: bool,
}

/// A question of a bank with how it fared in every attempt that drew it.
#[derive(Debug, Clone)]
pub struct BankQuestionView {
    pub id: i64,
    pub key: String,
    pub topic: String,
    pub question: Question,
    pub stats: BankItemStats,
    /// Its stored band (decision 0047), `None` while unrated.
    pub difficulty: Option<Difficulty>,
    /// Scored attempts its band counts.
    pub rated_answers: u64,
}

/// How a bank question fared across every course whose attempts drew it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BankItemStats {
    /// Submitted attempts that drew it.
    pub attempts: u64,
    /// Distinct courses whose attempts drew it.
    pub courses: u64,
    /// Share of those attempts that answered it fully right (its difficulty index, 0–1).
    pub share_correct: Option<f64>,
    /// Mean share of its points scored (0–1).
    pub mean_score: Option<f64>,
}

/// A bank page: the bank, its topics with their counts, its questions with their figures.
#[derive(Debug, Clone)]
pub struct BankDetail {
    pub bank: BankView,
    pub topics: Vec<(String, u64)>,
    pub questions: Vec<BankQuestionView>,
}

/// A course version's draw as the editor shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawView {
    pub bank_id: i64,
    pub bank: String,
    pub topic: Option<String>,
    pub count: u32,
    /// `None`: any difficulty, rated or not.
    pub difficulty: Option<Difficulty>,
}

/// The draw form as sent: a bank id, a topic (empty for any), a count, a difficulty (empty
/// or `any` for any).
#[derive(Debug, Clone, Default)]
pub struct DrawInput<'a> {
    pub bank_id: &'a str,
    pub topic: &'a str,
    pub count: &'a str,
    pub difficulty: &'a str,
}

/// A bank question a course's attempts drew, with its figures in that course.
#[derive(Debug, Clone)]
pub struct CourseDrawnView {
    pub bank_question_id: i64,
    /// The bank it is in, if it is still in one: (id, name, may the caller open it).
    pub bank: Option<(i64, String, bool)>,
    /// As the course's newest attempt drew it.
    pub question: Question,
    /// Attempts of the course that drew it, submitted or not.
    pub drawn: u64,
    /// Scored attempts of the course that drew it.
    pub answered: u64,
    /// Share of those that answered it fully right (0–1), `None` before any.
    pub share_right: Option<f64>,
    /// Its band across every course (the one draws filter on), `None` while unrated.
    pub difficulty: Option<Difficulty>,
}

/// What adding GIFT to a bank did.
#[derive(Debug, Clone)]
pub enum BankImport {
    /// Every chosen question was added.
    Added(usize),
    /// Some questions are bad and the author did not choose to add only the good ones:
    /// nothing was added.
    NeedsChoice(ImportReport),
}

impl App {
    /// May the caller keep banks in this group (the policy's `KeepQuestionBanks`).
    fn may_keep_banks(
        &self,
        caller: &Caller,
        tree: &lore_domain::group::GroupTree,
        group: &lore_store::GroupRow,
    ) -> bool {
        let lineage = tree.lineage(GroupId(group.id));
        let min_role = Role::parse(&group.author_min_role).unwrap_or(Role::Learner);
        caller.can(
            Action::KeepQuestionBanks,
            Resource::AuthoringIn {
                lineage: &lineage,
                min_role,
            },
        )
    }

    /// Groups where the caller may keep question banks, as (id, path).
    pub async fn bank_groups(&self, caller: &Caller) -> AppResult<Vec<(i64, String)>> {
        let tree = self.group_tree().await?;
        let mut out: Vec<(i64, String)> = self
            .store
            .all_groups()
            .await?
            .iter()
            .filter(|g| self.may_keep_banks(caller, &tree, g))
            .map(|g| (g.id, tree.path(GroupId(g.id))))
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(out)
    }

    fn bank_view(
        tree: &lore_domain::group::GroupTree,
        b: BankRow,
        questions: u64,
        kept: bool,
    ) -> BankView {
        BankView {
            id: b.id,
            group_id: b.group_id,
            group: tree.path(GroupId(b.group_id)),
            name: b.name,
            questions,
            created_at: b.created_at,
            kept,
        }
    }

    /// The banks (of these) the caller may keep.
    async fn kept_bank_ids(&self, caller: &Caller, banks: &[BankRow]) -> AppResult<Vec<i64>> {
        let tree = self.group_tree().await?;
        let mut kept = Vec::new();
        for b in banks {
            if let Some(g) = self.store.group(b.group_id).await?
                && self.may_keep_banks(caller, &tree, &g)
            {
                kept.push(b.id);
            }
        }
        Ok(kept)
    }

    /// The banks of every group where the caller may keep banks.
    pub async fn question_banks(&self, caller: &Caller) -> AppResult<Vec<BankView>> {
        let groups: Vec<i64> = self
            .bank_groups(caller)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let tree = self.group_tree().await?;
        Ok(self
            .store
            .banks_in(&groups)
            .await?
            .into_iter()
            .map(|s| Self::bank_view(&tree, s.bank, s.questions, true))
            .collect())
    }

    /// Start a bank in a group.
    pub async fn create_bank(
        &self,
        caller: &Caller,
        group_id: i64,
        name: &str,
    ) -> AppResult<BankView> {
        let tree = self.group_tree().await?;
        let group = self
            .store
            .group(group_id)
            .await?
            .ok_or(AppError::NotFound("That group"))?;
        if !self.may_keep_banks(caller, &tree, &group) {
            return Err(AppError::Forbidden);
        }
        let name = BankName::parse(name)?;
        let row = match self
            .store
            .insert_bank(group_id, name.as_str(), caller.id.0, self.now())
            .await
        {
            Ok(row) => row,
            Err(lore_store::StoreError::Conflict) => {
                return Err(AppError::refused(
                    "name_taken",
                    "This group has a bank of that name already; choose another name.",
                ));
            }
            Err(e) => return Err(e.into()),
        };
        Ok(Self::bank_view(&tree, row, 0, true))
    }

    /// A bank the caller may keep; `NotFound` for anyone else, so that banks do not show.
    async fn kept_bank(&self, caller: &Caller, bank_id: i64) -> AppResult<BankRow> {
        let not_found = || AppError::NotFound("That question bank");
        let bank = self.store.bank(bank_id).await?.ok_or_else(not_found)?;
        let tree = self.group_tree().await?;
        let group = self
            .store
            .group(bank.group_id)
            .await?
            .ok_or_else(not_found)?;
        if !self.may_keep_banks(caller, &tree, &group) {
            return Err(not_found());
        }
        Ok(bank)
    }

    /// A bank with its topics, questions and their figures across courses.
    pub async fn question_bank(&self, caller: &Caller, bank_id: i64) -> AppResult<BankDetail> {
        let bank = self.kept_bank(caller, bank_id).await?;
        let rows = self
            .store
            .bank_questions(bank.id, BankFilter::default())
            .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let uses = self.store.drawn_uses(&ids).await?;
        let mut topics: BTreeMap<String, u64> = BTreeMap::new();
        let mut questions = Vec::with_capacity(rows.len());
        for r in &rows {
            *topics.entry(r.topic.clone()).or_default() += 1;
            let stats = item_stats(
                uses.iter()
                    .filter(|u| u.bank_question_id == r.id)
                    .map(|u| (&u.question_key, &u.attempt)),
            );
            questions.push(BankQuestionView {
                id: r.id,
                key: r.question_key.clone(),
                topic: r.topic.clone(),
                question: bank_question_of(r)?,
                stats,
                difficulty: Difficulty::of(
                    r.answered.max(0) as u64,
                    r.answered_right.max(0) as u64,
                ),
                rated_answers: r.answered.max(0) as u64,
            });
        }
        let tree = self.group_tree().await?;
        Ok(BankDetail {
            bank: Self::bank_view(&tree, bank, rows.len() as u64, true),
            topics: topics.into_iter().collect(),
            questions,
        })
    }

    async fn room_in_bank(&self, bank_id: i64, adding: usize) -> AppResult<()> {
        let held = self
            .store
            .count_bank_questions(bank_id, BankFilter::default())
            .await? as usize;
        if held + adding > MAX_BANK_QUESTIONS {
            return Err(AppError::invalid(
                "questions",
                format!(
                    "A bank holds at most {MAX_BANK_QUESTIONS} questions; this one holds {held}."
                ),
            ));
        }
        Ok(())
    }

    /// Add one question to a bank, under a topic (empty for none).
    pub async fn add_bank_question(
        &self,
        caller: &Caller,
        bank_id: i64,
        topic: &str,
        question: &Question,
    ) -> AppResult<i64> {
        let bank = self.kept_bank(caller, bank_id).await?;
        let topic = parse_topic(topic)?;
        question.validate()?;
        self.room_in_bank(bank.id, 1).await?;
        let body = to_json(question)?;
        let rows = self
            .store
            .add_bank_questions(
                bank.id,
                vec![NewBankQuestion {
                    question_key: new_question_key(),
                    topic,
                    body,
                }],
                self.now(),
            )
            .await?;
        Ok(rows.first().map_or(0, |r| r.id))
    }

    /// Add the questions of a GIFT text to a bank. A question's topic is `topic` when given,
    /// else its `$CATEGORY`. With bad questions in the text nothing is added unless the author
    /// chose (`chosen`: indexes of good questions, or every good one with `only_good`).
    pub async fn import_bank_gift(
        &self,
        caller: &Caller,
        bank_id: i64,
        text: &str,
        topic: &str,
        chosen: Option<&[usize]>,
        only_good: bool,
    ) -> AppResult<BankImport> {
        let bank = self.kept_bank(caller, bank_id).await?;
        let topic = parse_topic(topic)?;
        let report = ImportReport::of(text)?;
        if report.items.is_empty() {
            return Err(AppError::invalid(
                "gift",
                "No questions found. Write them in GIFT, e.g. What is 2+2? {=4 ~3 ~5}",
            ));
        }
        if chosen.is_none() && !only_good && report.bad_count() > 0 {
            return Ok(BankImport::NeedsChoice(report));
        }
        let questions = report.chosen(chosen)?;
        if questions.is_empty() {
            return Err(AppError::invalid(
                "gift",
                "None of the questions can be added; fix the problems shown.",
            ));
        }
        self.room_in_bank(bank.id, questions.len()).await?;
        let mut new = Vec::with_capacity(questions.len());
        for q in &questions {
            let own = if topic.is_empty() {
                parse_topic(q.category.as_deref().unwrap_or(""))?
            } else {
                topic.clone()
            };
            new.push(NewBankQuestion {
                question_key: new_question_key(),
                topic: own,
                body: to_json(&q.question)?,
            });
        }
        let added = new.len();
        self.store
            .add_bank_questions(bank.id, new, self.now())
            .await?;
        Ok(BankImport::Added(added))
    }

    /// Take a question out of a bank; attempts that drew it keep their copy.
    pub async fn delete_bank_question(
        &self,
        caller: &Caller,
        bank_id: i64,
        question_id: i64,
    ) -> AppResult<()> {
        let bank = self.kept_bank(caller, bank_id).await?;
        if !self
            .store
            .delete_bank_question(bank.id, question_id)
            .await?
        {
            return Err(AppError::NotFound("That question"));
        }
        Ok(())
    }

    /// Banks a course may draw from: those of its owning group and the groups above it.
    async fn banks_for_course(
        &self,
        caller: &Caller,
        lineage: &[GroupId],
    ) -> AppResult<Vec<BankView>> {
        let ids: Vec<i64> = lineage.iter().map(|g| g.0).collect();
        let tree = self.group_tree().await?;
        let summaries = self.store.banks_in(&ids).await?;
        let rows: Vec<BankRow> = summaries.iter().map(|s| s.bank.clone()).collect();
        let kept = self.kept_bank_ids(caller, &rows).await?;
        Ok(summaries
            .into_iter()
            .map(|s| {
                let k = kept.contains(&s.bank.id);
                Self::bank_view(&tree, s.bank, s.questions, k)
            })
            .collect())
    }

    async fn draw_view(&self, draw: Option<lore_store::DrawRow>) -> AppResult<Option<DrawView>> {
        let Some(d) = draw else { return Ok(None) };
        let bank = self.store.bank(d.bank_id).await?;
        Ok(Some(DrawView {
            bank_id: d.bank_id,
            bank: bank.map(|b| b.name).unwrap_or_default(),
            topic: d.topic,
            count: d.count.max(0) as u32,
            difficulty: d.difficulty,
        }))
    }

    /// The draft's draw and the banks it may draw from.
    pub async fn draft_draw(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<(Option<DrawView>, Vec<BankView>)> {
        // Read only: the newest version (the draft, or the published version the next draft
        // copies), so that showing the draw starts no draft.
        let ctx = self
            .course_for(caller, course_id, Action::EditCourse)
            .await?;
        let newest = self.store.versions_of(course_id).await?.pop();
        let draw = match newest {
            Some(v) => self.store.draw_of(v.id).await?,
            None => None,
        };
        let banks = self.banks_for_course(caller, &ctx.owning_lineage).await?;
        Ok((self.draw_view(draw).await?, banks))
    }

    /// Make the draft's final evaluation draw `count` questions from a bank for every attempt.
    pub async fn set_draw(
        &self,
        caller: &Caller,
        course_id: i64,
        input: &DrawInput<'_>,
    ) -> AppResult<DrawView> {
        let draft = self.draft(caller, course_id).await?;
        let bank_id: i64 = input
            .bank_id
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("bank_id", "Choose a question bank."))?;
        let bank = self
            .store
            .bank(bank_id)
            .await?
            .ok_or(AppError::NotFound("That question bank"))?;
        if !draft.ctx.owning_lineage.contains(&GroupId(bank.group_id)) {
            return Err(AppError::invalid(
                "bank_id",
                "That bank belongs to another group: a course draws from the banks of its own \
                 group or the groups above it.",
            ));
        }
        let topic = parse_topic(input.topic)?;
        let topic = (!topic.is_empty()).then_some(topic);
        let count = parse_draw_count(input.count)?;
        let difficulty = parse_difficulty(input.difficulty)?;
        let filter = BankFilter {
            topic: topic.as_deref(),
            difficulty,
        };
        let available = self.store.count_bank_questions(bank.id, filter).await? as usize;
        if let Err(mut refused) = check_draw(count, available) {
            if let Some(d) = difficulty {
                let of_topic = self
                    .store
                    .count_bank_questions(
                        bank.id,
                        BankFilter {
                            difficulty: None,
                            ..filter
                        },
                    )
                    .await?;
                refused.message = format!(
                    "{} Only {available} of the {of_topic} questions for this topic are {}: a \
                     question is rated once {MIN_RATED_ANSWERS} scored attempts drew it. Choose \
                     another difficulty, or any.",
                    refused.message,
                    d.as_str()
                );
            }
            return Err(refused.into());
        }
        let setting = DrawSetting {
            bank_id: bank.id,
            topic,
            count: count as i32,
            difficulty,
        };
        self.store
            .put_draw(draft.version.id, Some(&setting))
            .await?;
        Ok(DrawView {
            bank_id: bank.id,
            bank: bank.name,
            topic: setting.topic,
            count,
            difficulty,
        })
    }

    /// Stop drawing from a bank: the evaluation has only its own questions again.
    pub async fn clear_draw(&self, caller: &Caller, course_id: i64) -> AppResult<()> {
        let draft = self.draft(caller, course_id).await?;
        self.store.put_draw(draft.version.id, None).await?;
        Ok(())
    }

    /// Whether a version's final evaluation draws from a bank.
    pub(crate) async fn draws_questions(
        &self,
        course_id: i64,
        version_number: i32,
    ) -> AppResult<bool> {
        let Some(v) = self.store.version(course_id, version_number).await? else {
            return Ok(false);
        };
        Ok(self.store.draw_of(v.id).await?.is_some())
    }

    /// Draw the questions of a new attempt from its version's bank, with the attempt's seed,
    /// and keep them with it. Nothing to do for a version without a draw.
    pub(crate) async fn draw_for_attempt(&self, attempt: &AttemptRow) -> AppResult<()> {
        let Some(v) = self
            .store
            .version(attempt.course_id, attempt.version_number)
            .await?
        else {
            return Ok(());
        };
        let Some(d) = self.store.draw_of(v.id).await? else {
            return Ok(());
        };
        let count = d.count.max(0) as usize;
        let filter = BankFilter {
            topic: d.topic.as_deref(),
            difficulty: d.difficulty,
        };
        let candidates = self.store.bank_questions(d.bank_id, filter).await?;
        let mut chosen: Vec<&BankQuestionRow> = draw(candidates.len(), count, attempt.seed as u64)
            .into_iter()
            .filter_map(|i| candidates.get(i))
            .collect();
        // The bands move as attempts are scored: when fewer questions of the band are left
        // than the draw takes, the rest come from the topic's others (decision 0047), so an
        // attempt never has fewer questions than the author set.
        let others;
        if chosen.len() < count && d.difficulty.is_some() {
            others = self
                .store
                .bank_questions(
                    d.bank_id,
                    BankFilter {
                        difficulty: None,
                        ..filter
                    },
                )
                .await?
                .into_iter()
                .filter(|q| !candidates.iter().any(|c| c.id == q.id))
                .collect::<Vec<_>>();
            chosen.extend(
                draw(
                    others.len(),
                    count - chosen.len(),
                    (attempt.seed as u64).rotate_left(17),
                )
                .into_iter()
                .filter_map(|i| others.get(i)),
            );
        }
        let drawn: Vec<NewDrawnQuestion> = chosen
            .into_iter()
            .map(|q: &BankQuestionRow| NewDrawnQuestion {
                bank_question_id: q.id,
                question_key: q.question_key.clone(),
                body: q.body.clone(),
            })
            .collect();
        self.store.insert_drawn_questions(attempt.id, drawn).await?;
        Ok(())
    }

    /// Mark the questions a scored attempt drew right or not (`marks`: question key and
    /// `Some(right)`, `None` while an essay waits for its review) and recount their bank
    /// figures, in the caller's unit of work. Nothing for an attempt that drew nothing.
    pub(crate) async fn rate_drawn(
        &self,
        attempt_id: i64,
        marks: &[(String, Option<bool>)],
    ) -> AppResult<()> {
        let drawn = self.store.drawn_questions(attempt_id).await?;
        if drawn.is_empty() {
            return Ok(());
        }
        let marks: Vec<(String, Option<bool>)> = marks
            .iter()
            .filter(|(k, _)| drawn.iter().any(|d| &d.question_key == k))
            .cloned()
            .collect();
        self.store.rate_drawn_questions(attempt_id, &marks).await?;
        Ok(())
    }

    /// Rate the drawn questions of an attempt from its stored results, once it is scored as a
    /// whole (`passed` known): for a use case that scores an attempt later, as the last essay
    /// review does.
    pub async fn rate_drawn_from_results(&self, attempt: &AttemptRow) -> AppResult<()> {
        if attempt.passed.is_none() {
            return Ok(());
        }
        let Some(results) = attempt.results.as_deref() else {
            return Ok(());
        };
        let results: Vec<QuestionResult> =
            serde_json::from_str(results).map_err(|e| AppError::Internal(e.to_string()))?;
        let marks: Vec<(String, Option<bool>)> = results
            .into_iter()
            .map(|r| (r.key, Some(r.score.correct)))
            .collect();
        self.rate_drawn(attempt.id, &marks).await
    }

    /// The bank questions this course's attempts drew, with their figures in the course, for
    /// its editors and coaches (the statistics page).
    pub async fn course_drawn_questions(
        &self,
        caller: &Caller,
        course_id: i64,
    ) -> AppResult<Vec<CourseDrawnView>> {
        let ctx = self
            .course_for(caller, course_id, Action::ViewCourse)
            .await?;
        if !ctx.can(caller, Action::EditCourse) && !ctx.can(caller, Action::CoachCourse) {
            return Err(AppError::Forbidden);
        }
        let found = self.store.course_drawn_questions(course_id).await?;
        let banks: Vec<BankRow> = found.iter().filter_map(|f| f.bank.clone()).collect();
        let kept = self.kept_bank_ids(caller, &banks).await?;
        let mut out = Vec::with_capacity(found.len());
        for f in found {
            let question: Question = serde_json::from_str(&f.body).map_err(|e| {
                AppError::Internal(format!("drawn question {}: {e}", f.bank_question_id))
            })?;
            out.push(CourseDrawnView {
                bank_question_id: f.bank_question_id,
                bank: f.bank.map(|b| {
                    let k = kept.contains(&b.id);
                    (b.id, b.name, k)
                }),
                question,
                drawn: f.drawn,
                answered: f.answered,
                share_right: (f.answered > 0).then(|| f.answered_right as f64 / f.answered as f64),
                difficulty: f.overall.and_then(|(a, r)| Difficulty::of(a, r)),
            });
        }
        Ok(out)
    }

    /// An attempt's questions: its version's own final-evaluation questions, then the ones it
    /// drew, as it keeps them.
    pub(crate) async fn attempt_questions(
        &self,
        attempt: &AttemptRow,
    ) -> AppResult<(Vec<QuestionRow>, EvaluationSettings)> {
        let (mut questions, settings) = self
            .evaluation_of(attempt.course_id, attempt.version_number)
            .await?;
        let version_id = questions.first().map_or(0, |q| q.version_id);
        let base = questions.len() as i32;
        for d in self.store.drawn_questions(attempt.id).await? {
            questions.push(QuestionRow {
                id: d.id,
                version_id,
                question_key: d.question_key,
                step_key: None,
                position: base + d.position,
                body: d.body,
                revision: 0,
            });
        }
        Ok((questions, settings))
    }

    /// The keys of the questions an attempt drew from a bank, in order (empty without a draw).
    pub async fn drawn_question_keys(
        &self,
        caller: &Caller,
        attempt_id: i64,
    ) -> AppResult<Vec<String>> {
        match self.store.attempt(attempt_id).await? {
            Some(a) if a.user_id == caller.id.0 => Ok(self
                .store
                .drawn_questions(a.id)
                .await?
                .into_iter()
                .map(|d| d.question_key)
                .collect()),
            _ => Err(AppError::NotFound("That attempt")),
        }
    }
}

fn to_json(q: &Question) -> AppResult<String> {
    serde_json::to_string(q).map_err(|e| AppError::Internal(e.to_string()))
}

fn bank_question_of(row: &BankQuestionRow) -> AppResult<Question> {
    serde_json::from_str(&row.body)
        .map_err(|e| AppError::Internal(format!("bank question {} is not valid JSON: {e}", row.id)))
}

/// A bank question's figures from the submitted attempts that drew it (question key, attempt).
pub fn item_stats<'a>(uses: impl Iterator<Item = (&'a String, &'a AttemptRow)>) -> BankItemStats {
    let mut attempts = 0u64;
    let mut correct = 0u64;
    let mut score_sum = 0.0;
    let mut courses = BTreeSet::new();
    for (key, attempt) in uses {
        let Some(results) = attempt.results.as_deref() else {
            continue;
        };
        let Ok(results) = serde_json::from_str::<Vec<QuestionResult>>(results) else {
            continue;
        };
        let Some(r) = results.iter().find(|r| &r.key == key) else {
            continue;
        };
        attempts += 1;
        courses.insert(attempt.course_id);
        if r.score.correct {
            correct += 1;
        }
        if r.score.max > 0.0 {
            score_sum += (r.score.points / r.score.max).clamp(0.0, 1.0);
        }
    }
    BankItemStats {
        attempts,
        courses: courses.len() as u64,
        share_correct: (attempts > 0).then(|| correct as f64 / attempts as f64),
        mean_score: (attempts > 0).then(|| score_sum / attempts as f64),
    }
}
