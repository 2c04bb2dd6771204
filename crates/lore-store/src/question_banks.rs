//! Queries on question banks, their questions, a course version's draw from a bank and the
//! questions each attempt drew (docs/decisions/0044).

use lore_domain::question_bank::{Difficulty, MIN_RATED_ANSWERS};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, Set,
};

use crate::entities::{
    attempt_questions, attempts, bank_questions, evaluation_draws, question_banks,
};
use crate::{AttemptRow, Store, StoreError, StoreResult, Timestamp, row, rows, word};

pub type BankRow = question_banks::Model;
pub type BankQuestionRow = bank_questions::Model;
pub type DrawnQuestionRow = attempt_questions::Model;

/// A course version's draw from a bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawRow {
    pub id: i64,
    pub version_id: i64,
    pub bank_id: i64,
    /// `None`: any topic.
    pub topic: Option<String>,
    pub count: i32,
    /// `None`: any difficulty, rated or not.
    pub difficulty: Option<Difficulty>,
}

impl TryFrom<evaluation_draws::Model> for DrawRow {
    type Error = DbErr;

    fn try_from(m: evaluation_draws::Model) -> Result<Self, DbErr> {
        Ok(Self {
            id: m.id,
            version_id: m.version_id,
            bank_id: m.bank_id,
            topic: m.topic,
            count: m.count,
            difficulty: m
                .difficulty
                .as_deref()
                .map(|d| word(d, Difficulty::parse))
                .transpose()?,
        })
    }
}

/// Which questions of a bank: of one topic or all, of one difficulty band or any.
#[derive(Debug, Clone, Copy, Default)]
pub struct BankFilter<'a> {
    pub topic: Option<&'a str>,
    pub difficulty: Option<Difficulty>,
}

impl BankFilter<'_> {
    fn apply(self, bank_id: i64) -> Select<bank_questions::Entity> {
        let mut q =
            bank_questions::Entity::find().filter(bank_questions::Column::BankId.eq(bank_id));
        if let Some(t) = self.topic {
            q = q.filter(bank_questions::Column::Topic.eq(t));
        }
        if let Some(d) = self.difficulty {
            // The band in whole numbers, as `Difficulty::of` reads it; the figures are the
            // domain's constants, never input.
            let (from, below) = d.bounds();
            q = q.filter(Expr::cust(format!(
                "bank_questions.answered >= {MIN_RATED_ANSWERS} \
                 AND bank_questions.answered_right * 100 >= {from} * bank_questions.answered \
                 AND bank_questions.answered_right * 100 < {below} * bank_questions.answered"
            )));
        }
        q
    }
}

/// A bank question this course's attempts drew, with its figures in the course and overall.
#[derive(Debug, Clone)]
pub struct CourseDrawnQuestion {
    pub bank_question_id: i64,
    /// The bank it is in now (`None` once removed from its bank).
    pub bank: Option<BankRow>,
    /// The question as the newest attempt of the course drew it (JSON).
    pub body: String,
    /// Attempts of the course that drew it, submitted or not.
    pub drawn: u64,
    /// Of those, the scored ones.
    pub answered: u64,
    /// Of those, the ones that answered it fully right.
    pub answered_right: u64,
    /// The same two figures across every course (`None` once removed from its bank).
    pub overall: Option<(u64, u64)>,
}

/// A bank with how many questions it holds, for lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankSummary {
    pub bank: BankRow,
    pub questions: u64,
}

/// A question about to go into a bank.
#[derive(Debug, Clone)]
pub struct NewBankQuestion {
    pub question_key: String,
    pub topic: String,
    pub body: String,
}

/// A version's draw as the author sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawSetting {
    pub bank_id: i64,
    pub topic: Option<String>,
    pub count: i32,
    pub difficulty: Option<Difficulty>,
}

/// A question an attempt drew, about to be kept with it.
#[derive(Debug, Clone)]
pub struct NewDrawnQuestion {
    pub bank_question_id: i64,
    pub question_key: String,
    pub body: String,
}

/// One submitted attempt that drew a bank question, for the analysis across courses.
#[derive(Debug, Clone)]
pub struct DrawnUse {
    pub bank_question_id: i64,
    pub question_key: String,
    pub attempt: AttemptRow,
}

impl Store {
    /// A new bank; `Conflict` when the group has a bank of that name.
    pub async fn insert_bank(
        &self,
        group_id: i64,
        name: &str,
        created_by: i64,
        now: Timestamp,
    ) -> StoreResult<BankRow> {
        question_banks::ActiveModel {
            group_id: Set(group_id),
            name: Set(name.to_owned()),
            created_by: Set(Some(created_by)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from_db)
    }

    pub async fn bank(&self, id: i64) -> StoreResult<Option<BankRow>> {
        Ok(question_banks::Entity::find_by_id(id).one(&self.db).await?)
    }

    /// The banks of these groups, by name, with their question counts.
    pub async fn banks_in(&self, group_ids: &[i64]) -> StoreResult<Vec<BankSummary>> {
        if group_ids.is_empty() {
            return Ok(Vec::new());
        }
        let banks = question_banks::Entity::find()
            .filter(question_banks::Column::GroupId.is_in(group_ids.iter().copied()))
            .order_by_asc(question_banks::Column::Name)
            .order_by_asc(question_banks::Column::Id)
            .all(&self.db)
            .await?;
        let counts: Vec<(i64, i64)> = bank_questions::Entity::find()
            .select_only()
            .column(bank_questions::Column::BankId)
            .column_as(bank_questions::Column::Id.count(), "n")
            .filter(bank_questions::Column::BankId.is_in(banks.iter().map(|b| b.id)))
            .group_by(bank_questions::Column::BankId)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(banks
            .into_iter()
            .map(|bank| {
                let questions = counts
                    .iter()
                    .find(|(id, _)| *id == bank.id)
                    .map_or(0, |(_, n)| (*n).max(0) as u64);
                BankSummary { bank, questions }
            })
            .collect())
    }

    /// A bank's questions in the order they were added, those the filter picks.
    pub async fn bank_questions(
        &self,
        bank_id: i64,
        filter: BankFilter<'_>,
    ) -> StoreResult<Vec<BankQuestionRow>> {
        Ok(filter
            .apply(bank_id)
            .order_by_asc(bank_questions::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// How many questions of a bank the filter picks.
    pub async fn count_bank_questions(
        &self,
        bank_id: i64,
        filter: BankFilter<'_>,
    ) -> StoreResult<u64> {
        Ok(filter.apply(bank_id).count(&self.db).await?)
    }

    /// Add questions to a bank, in order.
    pub async fn add_bank_questions(
        &self,
        bank_id: i64,
        questions: Vec<NewBankQuestion>,
        now: Timestamp,
    ) -> StoreResult<Vec<BankQuestionRow>> {
        let tx = self.write_tx().await?;
        let mut out = Vec::with_capacity(questions.len());
        for q in questions {
            out.push(
                bank_questions::ActiveModel {
                    bank_id: Set(bank_id),
                    question_key: Set(q.question_key),
                    topic: Set(q.topic),
                    body: Set(q.body),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&tx)
                .await
                .map_err(StoreError::from_db)?,
            );
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Remove a question from a bank; attempts that drew it keep their copy.
    pub async fn delete_bank_question(&self, bank_id: i64, id: i64) -> StoreResult<bool> {
        let r = bank_questions::Entity::delete_many()
            .filter(bank_questions::Column::BankId.eq(bank_id))
            .filter(bank_questions::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(r.rows_affected == 1)
    }

    pub async fn draw_of(&self, version_id: i64) -> StoreResult<Option<DrawRow>> {
        row(evaluation_draws::Entity::find()
            .filter(evaluation_draws::Column::VersionId.eq(version_id))
            .one(&self.db)
            .await?)
    }

    /// Set a version's draw (`None` removes it).
    pub async fn put_draw(&self, version_id: i64, draw: Option<&DrawSetting>) -> StoreResult<()> {
        put_draw(&self.db, version_id, draw).await
    }

    /// Keep the questions an attempt drew, in the order it shows them.
    pub async fn insert_drawn_questions(
        &self,
        attempt_id: i64,
        drawn: Vec<NewDrawnQuestion>,
    ) -> StoreResult<()> {
        for (position, d) in drawn.into_iter().enumerate() {
            attempt_questions::ActiveModel {
                attempt_id: Set(attempt_id),
                position: Set(position as i32),
                bank_question_id: Set(Some(d.bank_question_id)),
                question_key: Set(d.question_key),
                body: Set(d.body),
                ..Default::default()
            }
            .insert(&self.db)
            .await
            .map_err(StoreError::from_db)?;
        }
        Ok(())
    }

    /// The questions an attempt drew, in order (none for an attempt without a draw).
    pub async fn drawn_questions(&self, attempt_id: i64) -> StoreResult<Vec<DrawnQuestionRow>> {
        Ok(attempt_questions::Entity::find()
            .filter(attempt_questions::Column::AttemptId.eq(attempt_id))
            .order_by_asc(attempt_questions::Column::Position)
            .all(&self.db)
            .await?)
    }

    /// Mark each drawn question of a scored attempt right or not (`marks`: question key and
    /// `Some(right)`, or `None` for one still waiting, as an essay for its review), then
    /// recount the figures of the bank questions it drew from every scored attempt that drew
    /// them — in the caller's transaction, so in the unit of work that submits the attempt.
    pub async fn rate_drawn_questions(
        &self,
        attempt_id: i64,
        marks: &[(String, Option<bool>)],
    ) -> StoreResult<()> {
        for (key, correct) in marks {
            attempt_questions::Entity::update_many()
                .col_expr(attempt_questions::Column::Correct, Expr::value(*correct))
                .filter(attempt_questions::Column::AttemptId.eq(attempt_id))
                .filter(attempt_questions::Column::QuestionKey.eq(key.as_str()))
                .exec(&self.db)
                .await?;
        }
        let recount = "UPDATE bank_questions SET
                answered = (SELECT COUNT(*) FROM attempt_questions aq
                            WHERE aq.bank_question_id = bank_questions.id
                              AND aq.correct IS NOT NULL),
                answered_right = (SELECT COUNT(*) FROM attempt_questions aq
                                  WHERE aq.bank_question_id = bank_questions.id
                                    AND aq.correct = $1)
            WHERE id IN (SELECT d.bank_question_id FROM attempt_questions d
                         WHERE d.attempt_id = $2 AND d.bank_question_id IS NOT NULL)";
        self.db
            .execute_raw(self.raw(recount, vec![true.into(), attempt_id.into()]))
            .await?;
        Ok(())
    }

    /// The bank questions a course's attempts drew, first drawn first, with their figures in
    /// the course (every version) and across courses.
    pub async fn course_drawn_questions(
        &self,
        course_id: i64,
    ) -> StoreResult<Vec<CourseDrawnQuestion>> {
        let sql = "SELECT aq.bank_question_id AS bank_question_id,
                   COUNT(*) AS drawn,
                   COUNT(aq.correct) AS answered,
                   COALESCE(SUM(CASE WHEN aq.correct = $1 THEN 1 ELSE 0 END), 0) AS answered_right,
                   MAX(aq.id) AS newest,
                   MIN(aq.id) AS first
            FROM attempt_questions aq JOIN attempts a ON a.id = aq.attempt_id
            WHERE a.course_id = $2 AND aq.bank_question_id IS NOT NULL
            GROUP BY aq.bank_question_id
            ORDER BY MIN(aq.id)";
        let found = self
            .db
            .query_all_raw(self.raw(sql, vec![true.into(), course_id.into()]))
            .await?;
        let mut figures = Vec::with_capacity(found.len());
        for r in found {
            let n = |c: &str| -> Result<u64, DbErr> { Ok(r.try_get::<i64>("", c)?.max(0) as u64) };
            figures.push((
                r.try_get::<i64>("", "bank_question_id")?,
                n("drawn")?,
                n("answered")?,
                n("answered_right")?,
                r.try_get::<i64>("", "newest")?,
            ));
        }
        if figures.is_empty() {
            return Ok(Vec::new());
        }
        let copies = attempt_questions::Entity::find()
            .filter(attempt_questions::Column::Id.is_in(figures.iter().map(|f| f.4)))
            .all(&self.db)
            .await?;
        let held = bank_questions::Entity::find()
            .filter(bank_questions::Column::Id.is_in(figures.iter().map(|f| f.0)))
            .all(&self.db)
            .await?;
        let banks = question_banks::Entity::find()
            .filter(question_banks::Column::Id.is_in(held.iter().map(|q| q.bank_id)))
            .all(&self.db)
            .await?;
        Ok(figures
            .into_iter()
            .map(|(id, drawn, answered, answered_right, newest)| {
                let now = held.iter().find(|q| q.id == id);
                CourseDrawnQuestion {
                    bank_question_id: id,
                    bank: now.and_then(|q| banks.iter().find(|b| b.id == q.bank_id).cloned()),
                    body: copies
                        .iter()
                        .find(|c| c.id == newest)
                        .map(|c| c.body.clone())
                        .unwrap_or_default(),
                    drawn,
                    answered,
                    answered_right,
                    overall: now
                        .map(|q| (q.answered.max(0) as u64, q.answered_right.max(0) as u64)),
                }
            })
            .collect())
    }

    /// Every submitted attempt, in any course, that drew one of these bank questions.
    pub async fn drawn_uses(&self, bank_question_ids: &[i64]) -> StoreResult<Vec<DrawnUse>> {
        if bank_question_ids.is_empty() {
            return Ok(Vec::new());
        }
        let drawn = attempt_questions::Entity::find()
            .filter(
                attempt_questions::Column::BankQuestionId.is_in(bank_question_ids.iter().copied()),
            )
            .order_by_asc(attempt_questions::Column::Id)
            .all(&self.db)
            .await?;
        let mut attempt_ids: Vec<i64> = drawn.iter().map(|d| d.attempt_id).collect();
        attempt_ids.sort_unstable();
        attempt_ids.dedup();
        let mut out = Vec::new();
        for chunk in attempt_ids.chunks(500) {
            let submitted: Vec<AttemptRow> = rows(
                attempts::Entity::find()
                    .filter(attempts::Column::Id.is_in(chunk.iter().copied()))
                    .filter(attempts::Column::SubmittedAt.is_not_null())
                    .all(&self.db)
                    .await?,
            )?;
            for a in submitted {
                for d in drawn.iter().filter(|d| d.attempt_id == a.id) {
                    if let Some(bank_question_id) = d.bank_question_id {
                        out.push(DrawnUse {
                            bank_question_id,
                            question_key: d.question_key.clone(),
                            attempt: a.clone(),
                        });
                    }
                }
            }
        }
        Ok(out)
    }
}

pub(crate) async fn put_draw<C: ConnectionTrait>(
    db: &C,
    version_id: i64,
    draw: Option<&DrawSetting>,
) -> StoreResult<()> {
    let Some(draw) = draw else {
        evaluation_draws::Entity::delete_many()
            .filter(evaluation_draws::Column::VersionId.eq(version_id))
            .exec(db)
            .await?;
        return Ok(());
    };
    let existing = evaluation_draws::Entity::find()
        .filter(evaluation_draws::Column::VersionId.eq(version_id))
        .one(db)
        .await?;
    match existing {
        Some(e) => {
            evaluation_draws::Entity::update_many()
                .col_expr(evaluation_draws::Column::BankId, Expr::value(draw.bank_id))
                .col_expr(
                    evaluation_draws::Column::Topic,
                    Expr::value(draw.topic.clone()),
                )
                .col_expr(evaluation_draws::Column::Count, Expr::value(draw.count))
                .col_expr(
                    evaluation_draws::Column::Difficulty,
                    Expr::value(draw.difficulty.map(|d| d.as_str().to_owned())),
                )
                .filter(evaluation_draws::Column::Id.eq(e.id))
                .exec(db)
                .await?;
        }
        None => {
            evaluation_draws::ActiveModel {
                version_id: Set(version_id),
                bank_id: Set(draw.bank_id),
                topic: Set(draw.topic.clone()),
                count: Set(draw.count),
                difficulty: Set(draw.difficulty.map(|d| d.as_str().to_owned())),
                ..Default::default()
            }
            .insert(db)
            .await
            .map_err(StoreError::from_db)?;
        }
    }
    Ok(())
}
