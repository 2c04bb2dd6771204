//! The learning record store (`/xapi/`): statements with the rows that find them by agent and
//! activity, attachments by their SHA-2, documents (state, activity and agent profiles), the
//! activities' newest definitions, and the clients that may call it (docs/decisions/0031).
//!
//! Times are whole milliseconds since 1970 (`*_ms`): what xAPI keeps, and compared as
//! numbers alike on both backends.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum XapiClients {
    Table,
    Id,
    Name,
    /// The Basic user name, shown to the admin (never secret).
    Key,
    /// SHA-256 of the secret (a long random value, like API tokens).
    SecretHash,
    /// Space-separated: `all`, `statements/read`, `statements/read/mine`, `statements/write`.
    Scopes,
    CreatedBy,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum XapiStatements {
    Table,
    /// Order of storing: the `more` cursor and the default order.
    Seq,
    StatementId,
    StoredMs,
    Verb,
    Registration,
    Voided,
    /// The statement this one voids, if it is a voiding statement.
    Voids,
    /// The client that wrote it (for `statements/read/mine`).
    ClientId,
    /// The statement as stored (completed by the LRS), JSON.
    Statement,
}

#[derive(DeriveIden, Clone, Copy)]
enum XapiStatementAgents {
    Table,
    Seq,
    AgentKey,
    Direct,
}

#[derive(DeriveIden, Clone, Copy)]
enum XapiStatementActivities {
    Table,
    Seq,
    ActivityId,
    Direct,
}

#[derive(DeriveIden, Clone, Copy)]
enum XapiAttachments {
    Table,
    Sha2,
    ContentType,
    Content,
}

#[derive(DeriveIden, Clone, Copy)]
enum XapiDocuments {
    Table,
    Id,
    /// `state`, `activity_profile`, `agent_profile`.
    Kind,
    /// Empty where the kind has none (agent profiles).
    ActivityId,
    /// Empty where the kind has none (activity profiles).
    AgentKey,
    /// Empty without one (state only).
    Registration,
    DocumentId,
    ContentType,
    Content,
    Etag,
    UpdatedMs,
}

#[derive(DeriveIden, Clone, Copy)]
enum XapiActivities {
    Table,
    ActivityId,
    /// The merged definition, JSON.
    Definition,
    UpdatedMs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(XapiClients::Table)
                .col(big_pk_auto(XapiClients::Id))
                .col(string(XapiClients::Name))
                .col(string(XapiClients::Key))
                .col(string(XapiClients::SecretHash))
                .col(string(XapiClients::Scopes))
                .col(big_integer_null(XapiClients::CreatedBy))
                .col(timestamp_with_time_zone(XapiClients::CreatedAt))
                .col(timestamp_with_time_zone_null(XapiClients::LastUsedAt))
                .col(timestamp_with_time_zone_null(XapiClients::RevokedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(XapiClients::Table, XapiClients::CreatedBy)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .take(),
        )
        .await?;
        index(
            m,
            "xapi_clients_key",
            XapiClients::Table,
            &[XapiClients::Key],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(XapiStatements::Table)
                .col(big_pk_auto(XapiStatements::Seq))
                .col(string(XapiStatements::StatementId))
                .col(big_integer(XapiStatements::StoredMs))
                .col(text(XapiStatements::Verb))
                .col(string_null(XapiStatements::Registration))
                .col(boolean(XapiStatements::Voided).default(false))
                .col(string_null(XapiStatements::Voids))
                .col(big_integer_null(XapiStatements::ClientId))
                .col(text(XapiStatements::Statement))
                .foreign_key(
                    ForeignKey::create()
                        .from(XapiStatements::Table, XapiStatements::ClientId)
                        .to(XapiClients::Table, XapiClients::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .take(),
        )
        .await?;
        use XapiStatements as S;
        index(m, "xapi_statements_id", S::Table, &[S::StatementId], true).await?;
        index(
            m,
            "xapi_statements_verb",
            S::Table,
            &[S::Verb, S::Seq],
            false,
        )
        .await?;
        index(
            m,
            "xapi_statements_registration",
            S::Table,
            &[S::Registration, S::Seq],
            false,
        )
        .await?;
        index(m, "xapi_statements_stored", S::Table, &[S::StoredMs], false).await?;
        index(
            m,
            "xapi_statements_client",
            S::Table,
            &[S::ClientId, S::Seq],
            false,
        )
        .await?;
        index(m, "xapi_statements_voids", S::Table, &[S::Voids], false).await?;

        for (table, key, seq, direct, name) in [
            (
                XapiStatementAgents::Table.into_iden(),
                XapiStatementAgents::AgentKey.into_iden(),
                XapiStatementAgents::Seq.into_iden(),
                XapiStatementAgents::Direct.into_iden(),
                "xapi_statement_agents",
            ),
            (
                XapiStatementActivities::Table.into_iden(),
                XapiStatementActivities::ActivityId.into_iden(),
                XapiStatementActivities::Seq.into_iden(),
                XapiStatementActivities::Direct.into_iden(),
                "xapi_statement_activities",
            ),
        ] {
            m.create_table(
                Table::create()
                    .table(table.clone())
                    .col(ColumnDef::new(seq.clone()).big_integer().not_null())
                    .col(ColumnDef::new(key.clone()).text().not_null())
                    .col(ColumnDef::new(direct.clone()).boolean().not_null())
                    .primary_key(Index::create().col(key.clone()).col(seq.clone()))
                    .foreign_key(
                        ForeignKey::create()
                            .from(table.clone(), seq.clone())
                            .to(XapiStatements::Table, XapiStatements::Seq)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
            m.create_index(
                Index::create()
                    .name(format!("{name}_seq"))
                    .table(table)
                    .col(seq)
                    .take(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(XapiAttachments::Table)
                .col(string(XapiAttachments::Sha2).primary_key())
                .col(string(XapiAttachments::ContentType))
                .col(blob(XapiAttachments::Content))
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(XapiDocuments::Table)
                .col(big_pk_auto(XapiDocuments::Id))
                .col(string(XapiDocuments::Kind))
                .col(text(XapiDocuments::ActivityId))
                .col(text(XapiDocuments::AgentKey))
                .col(string(XapiDocuments::Registration))
                .col(text(XapiDocuments::DocumentId))
                .col(string(XapiDocuments::ContentType))
                .col(blob(XapiDocuments::Content))
                .col(string(XapiDocuments::Etag))
                .col(big_integer(XapiDocuments::UpdatedMs))
                .take(),
        )
        .await?;
        use XapiDocuments as D;
        index(
            m,
            "xapi_documents_key",
            D::Table,
            &[
                D::Kind,
                D::ActivityId,
                D::AgentKey,
                D::Registration,
                D::DocumentId,
            ],
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(XapiActivities::Table)
                .col(text(XapiActivities::ActivityId).primary_key())
                .col(text(XapiActivities::Definition))
                .col(big_integer(XapiActivities::UpdatedMs))
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            XapiActivities::Table.into_iden(),
            XapiDocuments::Table.into_iden(),
            XapiAttachments::Table.into_iden(),
            XapiStatementActivities::Table.into_iden(),
            XapiStatementAgents::Table.into_iden(),
            XapiStatements::Table.into_iden(),
            XapiClients::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}

async fn index<T: IntoIden + Copy + 'static, C: IntoIden + Copy + 'static>(
    m: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: &[C],
    unique: bool,
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table);
    for c in cols {
        index.col(*c);
    }
    if unique {
        index.unique();
    }
    m.create_index(index).await
}
