//! Full-text search over discussions: each thread's title and the text of its visible posts
//! (an FTS5 table on SQLite, a tsvector with a GIN index on PostgreSQL). Triggers keep it true
//! on every write to threads and posts, whatever path made it (pages, API, imports, the
//! generator). Before it, the header search read every post with `LIKE` (90 ms on 43,000
//! posts); see docs/decisions/0019.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The document of thread `{id}`: its title and its visible posts.
const SQLITE_REFRESH: &str = "
    DELETE FROM thread_search WHERE rowid = {id};
    INSERT INTO thread_search (rowid, title, body)
      SELECT t.id, t.title,
             COALESCE((SELECT group_concat(p.body, ' ') FROM posts p
                       WHERE p.thread_id = t.id AND NOT p.hidden AND p.deleted_at IS NULL), '')
      FROM threads t WHERE t.id = {id};";

fn sqlite() -> String {
    let refresh = |id: &str| SQLITE_REFRESH.replace("{id}", id);
    format!(
        "CREATE VIRTUAL TABLE thread_search USING fts5(
            title, body, tokenize = 'porter unicode61 remove_diacritics 2');
         INSERT INTO thread_search (rowid, title, body)
           SELECT t.id, t.title,
                  COALESCE((SELECT group_concat(p.body, ' ') FROM posts p
                            WHERE p.thread_id = t.id AND NOT p.hidden AND p.deleted_at IS NULL), '')
           FROM threads t;
         CREATE TRIGGER thread_search_thread_insert AFTER INSERT ON threads BEGIN {new} END;
         CREATE TRIGGER thread_search_thread_title AFTER UPDATE OF title ON threads BEGIN {new} END;
         CREATE TRIGGER thread_search_thread_delete AFTER DELETE ON threads
           BEGIN DELETE FROM thread_search WHERE rowid = OLD.id; END;
         CREATE TRIGGER thread_search_post_insert AFTER INSERT ON posts BEGIN {new_post} END;
         CREATE TRIGGER thread_search_post_update AFTER UPDATE OF body, hidden, deleted_at, thread_id
           ON posts BEGIN {old_post} {new_post} END;
         CREATE TRIGGER thread_search_post_delete AFTER DELETE ON posts BEGIN {old_post} END;",
        new = refresh("NEW.id"),
        new_post = refresh("NEW.thread_id"),
        old_post = refresh("OLD.thread_id"),
    )
}

const POSTGRES: &str = r#"
CREATE TABLE thread_search (
    thread_id BIGINT PRIMARY KEY REFERENCES threads(id) ON DELETE CASCADE,
    document TSVECTOR NOT NULL
);
CREATE INDEX thread_search_document ON thread_search USING GIN (document);
CREATE FUNCTION thread_search_refresh(tid BIGINT) RETURNS void LANGUAGE sql AS $$
  INSERT INTO thread_search (thread_id, document)
    SELECT t.id,
           setweight(to_tsvector('english', t.title), 'A')
           || to_tsvector('english', COALESCE(
                (SELECT string_agg(p.body, ' ') FROM posts p
                 WHERE p.thread_id = t.id AND NOT p.hidden AND p.deleted_at IS NULL), ''))
    FROM threads t WHERE t.id = tid
  ON CONFLICT (thread_id) DO UPDATE SET document = EXCLUDED.document;
$$;
CREATE FUNCTION thread_search_thread_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM thread_search_refresh(NEW.id);
  RETURN NULL;
END $$;
CREATE FUNCTION thread_search_post_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM thread_search_refresh(OLD.thread_id); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM thread_search_refresh(NEW.thread_id); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER thread_search_thread AFTER INSERT OR UPDATE OF title ON threads
  FOR EACH ROW EXECUTE FUNCTION thread_search_thread_changed();
CREATE TRIGGER thread_search_post AFTER INSERT OR DELETE OR UPDATE OF body, hidden, deleted_at, thread_id
  ON posts FOR EACH ROW EXECUTE FUNCTION thread_search_post_changed();
SELECT thread_search_refresh(id) FROM threads;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let sql = match m.get_database_backend() {
            DbBackend::Sqlite => sqlite(),
            _ => POSTGRES.to_owned(),
        };
        m.get_connection().execute_unprepared(&sql).await?;
        Ok(())
    }
}
