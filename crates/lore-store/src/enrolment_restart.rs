//! Taking a completed course again (recertification): the enrolment restarts on the newest
//! version. The old completion stays in the event log and on the certificate; see
//! docs/decisions/0024.

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::entities::{enrolments, step_progress};
use crate::learning_figures::FiguresOf;
use crate::{Store, StoreResult, Timestamp};
use lore_domain::course::EnrolmentSource;

impl Store {
    /// Restart an enrolment on version `number` as assigned, due at `due_at`, under a fresh
    /// `registration`: not completed, not started, no last step, and every step to be done
    /// again (time spent and first views are kept).
    pub async fn restart_enrolment(
        &self,
        enrolment_id: i64,
        number: i32,
        due_at: Timestamp,
        registration: &str,
    ) -> StoreResult<()> {
        let none: Option<Timestamp> = None;
        enrolments::Entity::update_many()
            .col_expr(enrolments::Column::VersionNumber, Expr::value(number))
            .col_expr(enrolments::Column::CompletedAt, Expr::value(none))
            .col_expr(enrolments::Column::StartedAt, Expr::value(none))
            .col_expr(
                enrolments::Column::LastStepKey,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                enrolments::Column::Source,
                Expr::value(EnrolmentSource::Assigned.as_str()),
            )
            .col_expr(
                enrolments::Column::AssignedBy,
                Expr::value(Option::<i64>::None),
            )
            .col_expr(enrolments::Column::DueAt, Expr::value(Some(due_at)))
            .col_expr(
                enrolments::Column::Registration,
                Expr::value(Some(registration.to_owned())),
            )
            .filter(enrolments::Column::Id.eq(enrolment_id))
            .exec(&self.db)
            .await?;
        step_progress::Entity::update_many()
            .col_expr(step_progress::Column::CompletedAt, Expr::value(none))
            .filter(step_progress::Column::EnrolmentId.eq(enrolment_id))
            .exec(&self.db)
            .await?;
        self.recount_learning_figures(FiguresOf::Enrolment(enrolment_id))
            .await
    }
}
