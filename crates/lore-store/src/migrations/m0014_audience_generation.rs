//! A marker that changes whenever who belongs to which group could have changed: a membership
//! added, removed or moved, a person (de)activated or removed, a group added, renamed, moved or removed.
//! Triggers set it, so every write path (pages, imports, the command line, bulk loads) is
//! covered without remembering to. The group tree and figures derived from it and its members
//! (the audience sizes of needs) are cached per marker value (docs/decisions/0019).
//!
//! The marker is a random value, not a counter: a transaction that changed memberships and
//! rolled back can never leave behind a value that a later, different change reuses.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE: &str = r#"
CREATE TABLE generations (name TEXT PRIMARY KEY NOT NULL, value BIGINT NOT NULL);
INSERT INTO generations (name, value) VALUES ('people', 0);
CREATE TRIGGER people_gen_membership_insert AFTER INSERT ON memberships
  BEGIN UPDATE generations SET value = random() WHERE name = 'people'; END;
CREATE TRIGGER people_gen_membership_delete AFTER DELETE ON memberships
  BEGIN UPDATE generations SET value = random() WHERE name = 'people'; END;
CREATE TRIGGER people_gen_membership_update AFTER UPDATE OF user_id, group_id ON memberships
  BEGIN UPDATE generations SET value = random() WHERE name = 'people'; END;
CREATE TRIGGER people_gen_user_active AFTER UPDATE OF active ON users
  WHEN OLD.active IS NOT NEW.active
  BEGIN UPDATE generations SET value = random() WHERE name = 'people'; END;
CREATE TRIGGER people_gen_user_delete AFTER DELETE ON users
  BEGIN UPDATE generations SET value = random() WHERE name = 'people'; END;
CREATE TRIGGER people_gen_group_insert AFTER INSERT ON "groups"
  BEGIN UPDATE generations SET value = random() WHERE name = 'people'; END;
CREATE TRIGGER people_gen_group_delete AFTER DELETE ON "groups"
  BEGIN UPDATE generations SET value = random() WHERE name = 'people'; END;
CREATE TRIGGER people_gen_group_update AFTER UPDATE OF parent_id, name ON "groups"
  BEGIN UPDATE generations SET value = random() WHERE name = 'people'; END;
"#;

const POSTGRES: &str = r#"
CREATE TABLE generations (name TEXT PRIMARY KEY NOT NULL, value BIGINT NOT NULL);
INSERT INTO generations (name, value) VALUES ('people', 0);
CREATE FUNCTION people_generation_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE generations SET value = floor(random() * 9007199254740991)::bigint
   WHERE name = 'people';
  RETURN NULL;
END $$;
CREATE TRIGGER people_gen_memberships AFTER INSERT OR DELETE OR UPDATE OF user_id, group_id
  ON memberships FOR EACH STATEMENT EXECUTE FUNCTION people_generation_changed();
CREATE TRIGGER people_gen_users AFTER DELETE OR UPDATE OF active
  ON users FOR EACH STATEMENT EXECUTE FUNCTION people_generation_changed();
CREATE TRIGGER people_gen_groups AFTER INSERT OR DELETE OR UPDATE OF parent_id, name
  ON "groups" FOR EACH STATEMENT EXECUTE FUNCTION people_generation_changed();
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let sql = match m.get_database_backend() {
            DbBackend::Sqlite => SQLITE,
            _ => POSTGRES,
        };
        m.get_connection().execute_unprepared(sql).await?;
        Ok(())
    }
}
