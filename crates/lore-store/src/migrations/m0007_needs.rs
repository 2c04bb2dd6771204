//! Learning needs: the need itself with its audience groups, votes, followers, experts
//! (volunteers and assigned), the courses that answer it, the record of every change, and
//! full-text search over needs (FTS5 on SQLite, tsvector on PostgreSQL).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Needs {
    Table,
    Id,
    Title,
    Problem,
    Topic,
    Urgency,
    /// JSON array of strings.
    Questions,
    Status,
    DeclineReason,
    MergedInto,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum NeedAudiences {
    Table,
    Id,
    NeedId,
    GroupId,
}

#[derive(DeriveIden)]
enum NeedVotes {
    Table,
    Id,
    NeedId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NeedFollowers {
    Table,
    Id,
    NeedId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NeedExperts {
    Table,
    Id,
    NeedId,
    UserId,
    /// `volunteer` or `assigned`.
    State,
    AssignedBy,
    CourseId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NeedCourses {
    Table,
    Id,
    NeedId,
    CourseId,
    LinkedBy,
    LinkedAt,
}

#[derive(DeriveIden)]
enum NeedEvents {
    Table,
    Id,
    NeedId,
    ActorId,
    Kind,
    Detail,
    CreatedAt,
}

fn fk_need(table: impl IntoIden, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from_tbl(table)
        .from_col(col)
        .to(Needs::Table, Needs::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

fn fk_user(table: impl IntoIden, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from_tbl(table)
        .from_col(col)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

fn unique_pair(
    name: &str,
    table: impl IntoIden,
    a: impl IntoIden,
    b: impl IntoIden,
) -> IndexCreateStatement {
    Index::create()
        .name(name)
        .table(table)
        .col(a)
        .col(b)
        .unique()
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Needs::Table)
                .col(big_pk_auto(Needs::Id))
                .col(string(Needs::Title))
                .col(text(Needs::Problem))
                .col(string(Needs::Topic).default(""))
                .col(string(Needs::Urgency))
                .col(text(Needs::Questions))
                .col(string(Needs::Status).default("open"))
                .col(text_null(Needs::DeclineReason))
                .col(big_integer_null(Needs::MergedInto))
                .col(big_integer(Needs::CreatedBy))
                .col(timestamp_with_time_zone(Needs::CreatedAt))
                .col(timestamp_with_time_zone(Needs::UpdatedAt))
                .foreign_key(&mut fk_user(Needs::Table, Needs::CreatedBy))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("needs_status")
                .table(Needs::Table)
                .col(Needs::Status)
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(NeedAudiences::Table)
                .col(big_pk_auto(NeedAudiences::Id))
                .col(big_integer(NeedAudiences::NeedId))
                .col(big_integer(NeedAudiences::GroupId))
                .foreign_key(&mut fk_need(NeedAudiences::Table, NeedAudiences::NeedId))
                .foreign_key(
                    ForeignKey::create()
                        .from(NeedAudiences::Table, NeedAudiences::GroupId)
                        .to(Groups::Table, Groups::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(unique_pair(
            "need_audiences_pair",
            NeedAudiences::Table,
            NeedAudiences::NeedId,
            NeedAudiences::GroupId,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(NeedVotes::Table)
                .col(big_pk_auto(NeedVotes::Id))
                .col(big_integer(NeedVotes::NeedId))
                .col(big_integer(NeedVotes::UserId))
                .col(timestamp_with_time_zone(NeedVotes::CreatedAt))
                .foreign_key(&mut fk_need(NeedVotes::Table, NeedVotes::NeedId))
                .foreign_key(&mut fk_user(NeedVotes::Table, NeedVotes::UserId))
                .take(),
        )
        .await?;
        m.create_index(unique_pair(
            "need_votes_one_each",
            NeedVotes::Table,
            NeedVotes::NeedId,
            NeedVotes::UserId,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(NeedFollowers::Table)
                .col(big_pk_auto(NeedFollowers::Id))
                .col(big_integer(NeedFollowers::NeedId))
                .col(big_integer(NeedFollowers::UserId))
                .col(timestamp_with_time_zone(NeedFollowers::CreatedAt))
                .foreign_key(&mut fk_need(NeedFollowers::Table, NeedFollowers::NeedId))
                .foreign_key(&mut fk_user(NeedFollowers::Table, NeedFollowers::UserId))
                .take(),
        )
        .await?;
        m.create_index(unique_pair(
            "need_followers_one_each",
            NeedFollowers::Table,
            NeedFollowers::NeedId,
            NeedFollowers::UserId,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(NeedExperts::Table)
                .col(big_pk_auto(NeedExperts::Id))
                .col(big_integer(NeedExperts::NeedId))
                .col(big_integer(NeedExperts::UserId))
                .col(string(NeedExperts::State))
                .col(big_integer_null(NeedExperts::AssignedBy))
                .col(big_integer_null(NeedExperts::CourseId))
                .col(timestamp_with_time_zone(NeedExperts::CreatedAt))
                .foreign_key(&mut fk_need(NeedExperts::Table, NeedExperts::NeedId))
                .foreign_key(&mut fk_user(NeedExperts::Table, NeedExperts::UserId))
                .take(),
        )
        .await?;
        m.create_index(unique_pair(
            "need_experts_one_each",
            NeedExperts::Table,
            NeedExperts::NeedId,
            NeedExperts::UserId,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(NeedCourses::Table)
                .col(big_pk_auto(NeedCourses::Id))
                .col(big_integer(NeedCourses::NeedId))
                .col(big_integer(NeedCourses::CourseId))
                .col(big_integer(NeedCourses::LinkedBy))
                .col(timestamp_with_time_zone(NeedCourses::LinkedAt))
                .foreign_key(&mut fk_need(NeedCourses::Table, NeedCourses::NeedId))
                .foreign_key(
                    ForeignKey::create()
                        .from(NeedCourses::Table, NeedCourses::CourseId)
                        .to(Courses::Table, Courses::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(unique_pair(
            "need_courses_pair",
            NeedCourses::Table,
            NeedCourses::NeedId,
            NeedCourses::CourseId,
        ))
        .await?;
        m.create_index(
            Index::create()
                .name("need_courses_course")
                .table(NeedCourses::Table)
                .col(NeedCourses::CourseId)
                .take(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(NeedEvents::Table)
                .col(big_pk_auto(NeedEvents::Id))
                .col(big_integer(NeedEvents::NeedId))
                .col(big_integer_null(NeedEvents::ActorId))
                .col(string(NeedEvents::Kind))
                .col(text(NeedEvents::Detail))
                .col(timestamp_with_time_zone(NeedEvents::CreatedAt))
                .foreign_key(&mut fk_need(NeedEvents::Table, NeedEvents::NeedId))
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("need_events_need")
                .table(NeedEvents::Table)
                .col(NeedEvents::NeedId)
                .col(NeedEvents::Id)
                .take(),
        )
        .await?;

        let sql = match m.get_database_backend() {
            DbBackend::Sqlite => {
                "CREATE VIRTUAL TABLE need_search USING fts5(
                    title, problem, questions, need_id UNINDEXED,
                    tokenize = 'porter unicode61 remove_diacritics 2'
                );"
            }
            _ => {
                "CREATE TABLE need_search (
                    need_id BIGINT PRIMARY KEY REFERENCES needs(id) ON DELETE CASCADE,
                    title TEXT NOT NULL,
                    problem TEXT NOT NULL,
                    questions TEXT NOT NULL,
                    document TSVECTOR NOT NULL
                );
                CREATE INDEX need_search_document ON need_search USING GIN (document);"
            }
        };
        m.get_connection().execute_unprepared(sql).await?;
        Ok(())
    }
}
