//! Forwarding statements to another learning record store (docs/decisions/0034): the
//! settings and the reader's place in one row, the batches the other store refused (dead
//! letters), and statements in commit order — a `tx_id` as on `events` (m0027): 0 on SQLite
//! (writers take turns, `seq` grows in commit order), the writing transaction's id on
//! PostgreSQL, so the reader never moves past a statement that commits late.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum XapiForwarding {
    Table,
    /// Always 1: one row.
    Id,
    Enabled,
    /// The other store's base address, ending in `/` (`…/xapi/`).
    Endpoint,
    /// The HTTP Basic user name.
    Username,
    /// The HTTP Basic password, never shown again.
    Secret,
    /// `1.0.3` or `2.0.0`.
    Version,
    UpdatedBy,
    UpdatedAt,
    /// The last statement sent (or left behind): `(tx_id, seq)`.
    CursorTxId,
    CursorSeq,
    /// Failed attempts at the batch after the cursor.
    Attempts,
    NextAttemptAt,
    LastStatus,
    LastError,
    /// Statements delivered since forwarding was made.
    Delivered,
    LastDeliveredAt,
    /// Who is sending now, until when (servers take turns).
    LeaseToken,
    LeaseUntil,
}

#[derive(DeriveIden, Clone, Copy)]
enum XapiForwardDeadLetters {
    Table,
    Id,
    /// The statements' ids, a JSON array in the order sent.
    StatementIds,
    FirstSeq,
    LastSeq,
    StatementCount,
    StatusCode,
    Error,
    Attempts,
    CreatedAt,
    LastAttemptAt,
    /// An administrator asked for it to be sent again.
    ReplayRequested,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "ALTER TABLE xapi_statements ADD COLUMN tx_id BIGINT NOT NULL DEFAULT 0",
        )
        .await?;
        if m.get_database_backend() == sea_orm::DbBackend::Postgres {
            db.execute_unprepared(
                "ALTER TABLE xapi_statements ALTER COLUMN tx_id
                 SET DEFAULT pg_current_xact_id()::text::bigint",
            )
            .await?;
        }
        db.execute_unprepared(
            "CREATE INDEX xapi_statements_commit_order ON xapi_statements (tx_id, seq)",
        )
        .await?;
        m.create_table(
            Table::create()
                .table(XapiForwarding::Table)
                .col(integer(XapiForwarding::Id).primary_key())
                .col(boolean(XapiForwarding::Enabled))
                .col(text(XapiForwarding::Endpoint))
                .col(text(XapiForwarding::Username))
                .col(text_null(XapiForwarding::Secret))
                .col(string(XapiForwarding::Version))
                .col(big_integer_null(XapiForwarding::UpdatedBy))
                .col(timestamp_with_time_zone_null(XapiForwarding::UpdatedAt))
                .col(big_integer(XapiForwarding::CursorTxId))
                .col(big_integer(XapiForwarding::CursorSeq))
                .col(integer(XapiForwarding::Attempts))
                .col(timestamp_with_time_zone_null(XapiForwarding::NextAttemptAt))
                .col(integer_null(XapiForwarding::LastStatus))
                .col(text_null(XapiForwarding::LastError))
                .col(big_integer(XapiForwarding::Delivered))
                .col(timestamp_with_time_zone_null(
                    XapiForwarding::LastDeliveredAt,
                ))
                .col(string_null(XapiForwarding::LeaseToken))
                .col(timestamp_with_time_zone_null(XapiForwarding::LeaseUntil))
                .take(),
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO xapi_forwarding (id, enabled, endpoint, username, version, \
             cursor_tx_id, cursor_seq, attempts, delivered) \
             VALUES (1, FALSE, '', '', '1.0.3', 0, 0, 0, 0)",
        )
        .await?;
        m.create_table(
            Table::create()
                .table(XapiForwardDeadLetters::Table)
                .col(big_pk_auto(XapiForwardDeadLetters::Id))
                .col(text(XapiForwardDeadLetters::StatementIds))
                .col(big_integer(XapiForwardDeadLetters::FirstSeq))
                .col(big_integer(XapiForwardDeadLetters::LastSeq))
                .col(integer(XapiForwardDeadLetters::StatementCount))
                .col(integer_null(XapiForwardDeadLetters::StatusCode))
                .col(text(XapiForwardDeadLetters::Error))
                .col(integer(XapiForwardDeadLetters::Attempts))
                .col(timestamp_with_time_zone(XapiForwardDeadLetters::CreatedAt))
                .col(timestamp_with_time_zone(
                    XapiForwardDeadLetters::LastAttemptAt,
                ))
                .col(boolean(XapiForwardDeadLetters::ReplayRequested))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("xapi_forward_dead_letters_replay")
                .table(XapiForwardDeadLetters::Table)
                .col(XapiForwardDeadLetters::ReplayRequested)
                .take(),
        )
        .await?;
        Ok(())
    }
}
