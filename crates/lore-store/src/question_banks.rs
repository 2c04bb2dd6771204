//! Queries on question banks, their questions, a course version's draw from a bank and the
//! questions each attempt drew (docs/decisions/0044).

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::entities::{
    attempt_questions, attempts, bank_questions, evaluation_draws, question_banks,
};
use crate::{AttemptRow, Store, StoreError, StoreResult, Timestamp, rows};

pub type BankRow = question_banks::Model;
pub type BankQuestionRow = bank_questions::Model;
pub type DrawRow = evaluation_draws::Model;
pub type DrawnQuestionRow = attempt_questions::Model;

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

    /// A bank's questions in the order they were added, of one topic or all.
    pub async fn bank_questions(
        &self,
        bank_id: i64,
        topic: Option<&str>,
    ) -> StoreResult<Vec<BankQuestionRow>> {
        let mut q =
            bank_questions::Entity::find().filter(bank_questions::Column::BankId.eq(bank_id));
        if let Some(t) = topic {
            q = q.filter(bank_questions::Column::Topic.eq(t));
        }
        Ok(q.order_by_asc(bank_questions::Column::Id)
            .all(&self.db)
            .await?)
    }

    /// How many questions a bank holds, of one topic or all.
    pub async fn count_bank_questions(
        &self,
        bank_id: i64,
        topic: Option<&str>,
    ) -> StoreResult<u64> {
        let mut q =
            bank_questions::Entity::find().filter(bank_questions::Column::BankId.eq(bank_id));
        if let Some(t) = topic {
            q = q.filter(bank_questions::Column::Topic.eq(t));
        }
        Ok(q.count(&self.db).await?)
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
        Ok(evaluation_draws::Entity::find()
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
                ..Default::default()
            }
            .insert(db)
            .await
            .map_err(StoreError::from_db)?;
        }
    }
    Ok(())
}
