//! Queries on `users`.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::entities::{sessions, users};
use crate::tokens::revoke_tokens_of;
use crate::{Store, StoreError, StoreResult, Timestamp};

/// A new account as the app decided it.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: Option<String>,
    pub platform_admin: bool,
}

/// A person's profile as the app checked it.
#[derive(Debug, Clone, Copy)]
pub struct Profile<'a> {
    pub name: &'a str,
    pub time_zone: &'a str,
    pub language: &'a str,
    pub photo_blob: Option<&'a str>,
}

impl Store {
    pub async fn insert_user(&self, new: NewUser<'_>, now: Timestamp) -> StoreResult<users::Model> {
        users::ActiveModel {
            email: Set(new.email.to_owned()),
            name: Set(new.name.to_owned()),
            password_hash: Set(new.password_hash),
            platform_admin: Set(new.platform_admin),
            active: Set(true),
            manager_id: Set(None),
            time_zone: Set("UTC".to_owned()),
            language: Set("en".to_owned()),
            photo_blob: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(StoreError::from_db)
    }

    pub async fn user(&self, id: i64) -> StoreResult<Option<users::Model>> {
        Ok(users::Entity::find_by_id(id).one(&self.db).await?)
    }

    pub async fn user_by_email(&self, email: &str) -> StoreResult<Option<users::Model>> {
        Ok(users::Entity::find()
            .filter(users::Column::Email.eq(email))
            .one(&self.db)
            .await?)
    }

    /// One page (from 0) of users ordered by name, with the total; optionally only those whose name or email contains `query`.
    pub async fn list_users(
        &self,
        query: Option<&str>,
        page_size: u64,
        page: u64,
    ) -> StoreResult<(Vec<users::Model>, u64)> {
        let mut select = users::Entity::find();
        if let Some(q) = query.map(str::trim).filter(|q| !q.is_empty()) {
            // LIKE differs in case handling between engines; compare lower-cased on both.
            let pattern = format!("%{}%", q.to_lowercase().replace(['%', '_'], ""));
            select = select.filter(
                sea_orm::Condition::any()
                    .add(sea_orm::sea_query::Expr::cust_with_values(
                        "LOWER(name) LIKE $1",
                        [pattern.clone()],
                    ))
                    .add(users::Column::Email.like(pattern)),
            );
        }
        let total = select.clone().count(&self.db).await?;
        let page_size = page_size.max(1);
        // A page past the end is empty. Checking first also keeps a huge page number (from a
        // query string) from overflowing the offset, which panicked or reached the database
        // as a nonsense value.
        if page
            .checked_mul(page_size)
            .is_none_or(|offset| offset >= total)
        {
            return Ok((Vec::new(), total));
        }
        let rows = select
            .order_by_asc(users::Column::Name)
            .order_by_asc(users::Column::Id)
            .paginate(&self.db, page_size)
            .fetch_page(page)
            .await?;
        Ok((rows, total))
    }

    /// Change a person's profile: name, time zone, language and photo (blob hash).
    pub async fn set_profile(
        &self,
        id: i64,
        profile: Profile<'_>,
        now: Timestamp,
    ) -> StoreResult<()> {
        users::ActiveModel {
            id: Set(id),
            name: Set(profile.name.to_owned()),
            time_zone: Set(profile.time_zone.to_owned()),
            language: Set(profile.language.to_owned()),
            photo_blob: Set(profile.photo_blob.map(str::to_owned)),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(&self.db)
        .await?;
        Ok(())
    }

    pub async fn count_users(&self) -> StoreResult<u64> {
        Ok(users::Entity::find().count(&self.db).await?)
    }

    pub async fn set_password_hash(
        &self,
        id: i64,
        hash: String,
        now: Timestamp,
    ) -> StoreResult<()> {
        users::ActiveModel {
            id: Set(id),
            password_hash: Set(Some(hash)),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(&self.db)
        .await?;
        Ok(())
    }

    /// Deactivate a user, all or nothing: they can no longer sign in, their sessions are
    /// deleted and their API tokens revoked, so reactivating them later revives neither.
    /// Returns how many tokens were revoked.
    pub async fn deactivate_user(&self, id: i64, now: Timestamp) -> StoreResult<u64> {
        let tx = self.write_tx().await?;
        set_active(&tx, id, false, now).await?;
        sessions::Entity::delete_many()
            .filter(sessions::Column::UserId.eq(id))
            .exec(&tx)
            .await?;
        let revoked = revoke_tokens_of(&tx, id, now).await?;
        tx.commit().await?;
        Ok(revoked)
    }

    /// Reactivate a user. If they were inactive, any token of theirs still live is revoked
    /// in the same transaction: it predates the deactivation (made before deactivation
    /// revoked tokens, or by a request that raced it), and must not come back to life.
    /// Returns how many tokens were revoked.
    pub async fn reactivate_user(&self, id: i64, now: Timestamp) -> StoreResult<u64> {
        let tx = self.write_tx().await?;
        let inactive = users::Entity::find_by_id(id)
            .one(&tx)
            .await?
            .is_some_and(|u| !u.active);
        let revoked = if inactive {
            revoke_tokens_of(&tx, id, now).await?
        } else {
            0
        };
        set_active(&tx, id, true, now).await?;
        tx.commit().await?;
        Ok(revoked)
    }

    pub async fn set_platform_admin(
        &self,
        id: i64,
        admin: bool,
        now: Timestamp,
    ) -> StoreResult<()> {
        users::ActiveModel {
            id: Set(id),
            platform_admin: Set(admin),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(&self.db)
        .await?;
        Ok(())
    }
}

async fn set_active(
    conn: &impl ConnectionTrait,
    id: i64,
    active: bool,
    now: Timestamp,
) -> StoreResult<()> {
    users::ActiveModel {
        id: Set(id),
        active: Set(active),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(conn)
    .await?;
    Ok(())
}

/// A person as a request needs them, read in one statement together with the credential
/// (session, API token or bare user id) that named them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallerRecord {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub platform_admin: bool,
    /// Their IANA time zone name, as stored.
    pub time_zone: String,
    /// The memberships they hold, as (group id, role), by group id.
    pub memberships: Vec<(i64, String)>,
    /// For each membership group, every group at or above it (itself included), as
    /// (membership group, group): the app keeps those of memberships whose role it knows.
    pub lineages: Vec<(i64, i64)>,
    /// Their unread notifications.
    pub unread: u64,
}

/// The credential a caller lookup started from, as stored (columns of `who` in
/// [`caller_sql`]).
#[derive(Debug, Clone)]
pub(crate) struct Credential {
    pub id: Option<i64>,
    pub user_id: i64,
    pub csrf_token: Option<String>,
    pub seen_at: Option<Timestamp>,
    pub ends_at: Option<Timestamp>,
}

/// The one statement behind every caller lookup. `who` is a query for the credential with
/// the columns `cred_id, user_id, csrf_token, seen_at, ends_at` (typed with `CAST` where they
/// are `NULL`, for PostgreSQL); what follows is the same for sessions, tokens and user ids:
/// the person if active, their memberships, the groups at or above each membership (a
/// recursive walk up `groups.parent_id`; `UNION` stops it on a cycle) and their unread count,
/// as typed rows of one `UNION ALL`, which both engines run as written.
fn caller_sql(who: &str) -> String {
    format!(
        "WITH RECURSIVE who AS ({who}), \
         person AS (SELECT u.id, u.email, u.name, u.platform_admin, u.time_zone FROM users u \
                    JOIN who ON u.id = who.user_id WHERE u.active), \
         held AS (SELECT m.group_id, m.role FROM memberships m JOIN person p ON m.user_id = p.id), \
         above(origin, group_id) AS ( \
             SELECT h.group_id, g.id FROM held h JOIN groups g ON g.id = h.group_id \
             UNION \
             SELECT a.origin, g.parent_id FROM above a JOIN groups g ON g.id = a.group_id \
             WHERE g.parent_id IS NOT NULL) \
         SELECT 'who' AS kind, who.cred_id, who.user_id, who.csrf_token, who.seen_at, who.ends_at, \
                p.id AS person_id, p.email, p.name, p.platform_admin, p.time_zone, \
                (SELECT COUNT(*) FROM notifications n \
                 WHERE n.user_id = p.id AND n.read_at IS NULL \
                 AND NOT EXISTS (SELECT 1 FROM notification_prefs np WHERE np.user_id = n.user_id \
                                 AND np.kind = n.kind AND np.in_app = FALSE)) AS unread, \
                CAST(NULL AS BIGINT) AS group_id, CAST(NULL AS TEXT) AS role, \
                CAST(NULL AS BIGINT) AS origin \
         FROM who LEFT JOIN person p ON p.id = who.user_id \
         UNION ALL \
         SELECT 'member', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, \
                group_id, role, NULL FROM held \
         UNION ALL \
         SELECT 'above', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, \
                group_id, NULL, origin FROM above"
    )
}

/// `who` for a bare user id (`$1`): no credential, only the person.
const WHO_BY_USER_ID: &str = "SELECT CAST(NULL AS BIGINT) AS cred_id, CAST($1 AS BIGINT) AS user_id, \
     CAST(NULL AS TEXT) AS csrf_token, CAST(NULL AS TIMESTAMPTZ) AS seen_at, \
     CAST(NULL AS TIMESTAMPTZ) AS ends_at";

impl Store {
    /// An active person with their memberships, the groups above them and their unread
    /// count, in one statement; `None` if the account is gone or deactivated.
    pub async fn caller_record(&self, user_id: i64) -> StoreResult<Option<CallerRecord>> {
        Ok(self
            .credential_and_caller(WHO_BY_USER_ID, user_id.into())
            .await?
            .and_then(|(_, person)| person))
    }

    /// Run [`caller_sql`] with `who` and its one value: `None` when `who` found nothing, else
    /// the credential and, if active, its person.
    pub(crate) async fn credential_and_caller(
        &self,
        who: &str,
        value: sea_orm::Value,
    ) -> StoreResult<Option<(Credential, Option<CallerRecord>)>> {
        let rows = self
            .db
            .query_all_raw(self.raw(&caller_sql(who), vec![value]))
            .await?;
        let mut credential = None;
        let mut person = None;
        let mut memberships = Vec::new();
        let mut lineages = Vec::new();
        for row in rows {
            match row.try_get::<String>("", "kind")?.as_str() {
                "who" => {
                    credential = Some(Credential {
                        id: row.try_get("", "cred_id")?,
                        user_id: row.try_get("", "user_id")?,
                        csrf_token: row.try_get("", "csrf_token")?,
                        seen_at: row.try_get("", "seen_at")?,
                        ends_at: row.try_get("", "ends_at")?,
                    });
                    if let Some(id) = row.try_get::<Option<i64>>("", "person_id")? {
                        person = Some(CallerRecord {
                            id,
                            email: row.try_get("", "email")?,
                            name: row.try_get("", "name")?,
                            platform_admin: row.try_get("", "platform_admin")?,
                            time_zone: row.try_get("", "time_zone")?,
                            memberships: Vec::new(),
                            lineages: Vec::new(),
                            unread: row.try_get::<i64>("", "unread")?.max(0) as u64,
                        });
                    }
                }
                "member" => memberships.push((
                    row.try_get::<i64>("", "group_id")?,
                    row.try_get::<String>("", "role")?,
                )),
                _ => lineages.push((
                    row.try_get::<i64>("", "origin")?,
                    row.try_get::<i64>("", "group_id")?,
                )),
            }
        }
        let Some(credential) = credential else {
            return Ok(None);
        };
        let person = person.map(|mut p| {
            memberships.sort();
            lineages.sort();
            p.memberships = memberships;
            p.lineages = lineages;
            p
        });
        Ok(Some((credential, person)))
    }
}
