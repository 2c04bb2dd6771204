//! People: invitations, one-time links, deactivation, and the people directory.

use lore_domain::account::{Email, NewPassword, PersonName};
use lore_domain::audit::AuditAction;
use lore_domain::ids::{GroupId, UserId};
use lore_domain::policy::{Action, Resource};
use lore_domain::role::Role;
use lore_store::{NewUser, UserRow};

use crate::accounts::{Client, IssuedSession};
use crate::secrets::{hash_password, random_token, sha256_hex};
use crate::{App, AppError, AppResult, Caller};

pub const PURPOSE_INVITE: &str = "invite";
pub const PURPOSE_RESET: &str = "reset";

/// A person as the directory shows them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Person {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub active: bool,
    pub platform_admin: bool,
    /// False until the person has set a password from their invitation.
    pub has_password: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: time::OffsetDateTime,
}

impl From<UserRow> for Person {
    fn from(u: UserRow) -> Self {
        Person {
            id: u.id,
            email: u.email,
            name: u.name,
            active: u.active,
            platform_admin: u.platform_admin,
            has_password: u.password_hash.is_some(),
            created_at: u.created_at,
        }
    }
}

/// A membership as a person's page shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PersonMembership {
    pub group_id: i64,
    pub group_path: String,
    pub role: Role,
}

/// A one-time link just made; `token` goes into the URL `/welcome/{token}` and is never stored.
#[derive(Debug, Clone)]
pub struct IssuedLink {
    pub user_id: i64,
    pub token: String,
    pub expires_at: time::OffsetDateTime,
}

/// What a one-time link opens, shown on the page where the password is set.
#[derive(Debug, Clone)]
pub struct LinkInfo {
    pub name: String,
    pub email: String,
    pub purpose: String,
}

/// An invitation as an administrator fills it in.
#[derive(Debug, Clone)]
pub struct Invitation<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub group_id: Option<i64>,
    pub role: Role,
}

impl App {
    async fn person_resource_data(&self, user: &UserRow) -> AppResult<Vec<Vec<GroupId>>> {
        let tree = self.group_tree().await?;
        Ok(self
            .store
            .memberships_of(user.id)
            .await?
            .into_iter()
            .map(|(g, _)| tree.lineage(GroupId(g)))
            .collect())
    }

    async fn require_on_person(
        &self,
        caller: &Caller,
        action: Action,
        id: i64,
    ) -> AppResult<UserRow> {
        let user = self
            .store
            .user(id)
            .await?
            .ok_or(AppError::NotFound("That person"))?;
        let lineages = self.person_resource_data(&user).await?;
        let resource = Resource::Person {
            id: UserId(user.id),
            platform_admin: user.platform_admin,
            group_lineages: &lineages,
        };
        if !caller.can(Action::ViewPerson, resource) {
            return Err(AppError::NotFound("That person"));
        }
        caller.require(action, resource)?;
        Ok(user)
    }

    /// Invite a person: their account exists at once (without a password) with the
    /// membership, and the returned link lets them choose a password.
    pub async fn invite(
        &self,
        caller: &Caller,
        invitation: Invitation<'_>,
    ) -> AppResult<IssuedLink> {
        let email = Email::parse(invitation.email)?;
        let name = PersonName::parse(invitation.name)?;
        match invitation.group_id {
            Some(g) => {
                let tree = self.group_tree().await?;
                if tree.get(GroupId(g)).is_none() {
                    return Err(AppError::NotFound("That group"));
                }
                let lineage = tree.lineage(GroupId(g));
                caller.require(Action::ManageMembers, Resource::Group { lineage: &lineage })?;
            }
            None => caller.require(Action::ListPeople, Resource::Platform)?,
        }
        self.unit_of_work(|app| async move {
            app.invite_in_work(caller, &email, &name, &invitation).await
        })
        .await
    }

    async fn invite_in_work(
        &self,
        caller: &Caller,
        email: &Email,
        name: &PersonName,
        invitation: &Invitation<'_>,
    ) -> AppResult<IssuedLink> {
        let now = self.now();
        let user = match self.store.user_by_email(email.as_str()).await? {
            Some(u) if u.password_hash.is_some() => {
                return Err(AppError::Conflict(format!(
                    "{} already has an account. Add them to the group from the group's page.",
                    email
                )));
            }
            // Invited before but never accepted: a new invitation replaces the old one.
            Some(u) => u,
            None => {
                let user = self
                    .store
                    .insert_user(
                        NewUser {
                            email: email.as_str(),
                            name: name.as_str(),
                            password_hash: None,
                            platform_admin: false,
                        },
                        now,
                    )
                    .await?;
                self.person_created(user.id, invitation.group_id, Some(caller.id.0))
                    .await?;
                user
            }
        };
        if let Some(g) = invitation.group_id {
            self.store
                .put_membership(user.id, g, invitation.role.as_str(), now)
                .await?;
            self.sync_assignments_of(user.id).await?;
        }
        let link = self
            .issue_link(user.id, PURPOSE_INVITE, Some(caller.id.0))
            .await?;
        let detail = match invitation.group_id {
            Some(g) => format!(
                "as {} in {}",
                invitation.role.as_str(),
                self.group_tree().await?.path(GroupId(g))
            ),
            None => String::new(),
        };
        self.audit(Some(caller), AuditAction::PersonInvited, who(&user), detail)
            .await?;
        Ok(link)
    }

    async fn issue_link(
        &self,
        user_id: i64,
        purpose: &str,
        by: Option<i64>,
    ) -> AppResult<IssuedLink> {
        self.issue_link_for(user_id, purpose, by, self.settings.link_ttl)
            .await
    }

    /// A new one-time link valid for `ttl`; older unused links of the purpose die.
    pub(crate) async fn issue_link_for(
        &self,
        user_id: i64,
        purpose: &str,
        by: Option<i64>,
        ttl: time::Duration,
    ) -> AppResult<IssuedLink> {
        let now = self.now();
        self.store.expire_links_of(user_id, purpose, now).await?;
        let token = random_token();
        let expires_at = now + ttl;
        self.store
            .insert_link(user_id, purpose, sha256_hex(&token), by, now, expires_at)
            .await?;
        Ok(IssuedLink {
            user_id,
            token,
            expires_at,
        })
    }

    async fn live_link(&self, token: &str) -> AppResult<(lore_store::LinkRow, UserRow)> {
        let link = self
            .store
            .link_by_hash(&sha256_hex(token))
            .await?
            .ok_or(AppError::NotFound("That link"))?;
        if link.used_at.is_some() {
            return Err(AppError::LinkUsed);
        }
        if link.expires_at <= self.now() {
            return Err(AppError::LinkExpired);
        }
        let user = self
            .store
            .user(link.user_id)
            .await?
            .ok_or(AppError::NotFound("That link"))?;
        if !user.active {
            return Err(AppError::AccountDeactivated);
        }
        Ok((link, user))
    }

    /// What a link is for, before the person sets their password.
    pub async fn link_info(&self, token: &str) -> AppResult<LinkInfo> {
        let (link, user) = self.live_link(token).await?;
        Ok(LinkInfo {
            name: user.name,
            email: user.email,
            purpose: link.purpose,
        })
    }

    /// Set a password from a one-time link and sign the person in. Other sessions end.
    pub async fn accept_link(
        &self,
        token: &str,
        password: &str,
        client: &Client,
    ) -> AppResult<IssuedSession> {
        let (link, user) = self.live_link(token).await?;
        let password = NewPassword::parse(password)?;
        let hash = hash_password(password.expose().to_owned()).await?;
        if !self.store.use_link(link.id, self.now()).await? {
            return Err(AppError::LinkUsed);
        }
        self.store
            .set_password_hash(user.id, hash, self.now())
            .await?;
        self.store.delete_sessions_of(user.id, None).await?;
        tracing::info!(target: "lore::audit", user_id = user.id, purpose = link.purpose.as_str(), "password set from link");
        self.open_session(user.id, client).await
    }

    /// A new password link for someone else (their current password keeps working until used).
    pub async fn reset_link(&self, caller: &Caller, user_id: i64) -> AppResult<IssuedLink> {
        self.unit_of_work(|app| async move {
            let user = app
                .require_on_person(caller, Action::ManagePerson, user_id)
                .await?;
            let purpose = if user.password_hash.is_some() {
                PURPOSE_RESET
            } else {
                PURPOSE_INVITE
            };
            let link = app.issue_link(user.id, purpose, Some(caller.id.0)).await?;
            let detail = if purpose == PURPOSE_RESET {
                "password reset link"
            } else {
                "new invitation link"
            };
            app.audit(
                Some(caller),
                AuditAction::PasswordLinkIssued,
                who(&user),
                detail.to_owned(),
            )
            .await?;
            Ok(link)
        })
        .await
    }

    /// Deactivate: the person cannot sign in, their sessions end and their API tokens are
    /// revoked, at once and for good (reactivating them revives no token).
    pub async fn deactivate(&self, caller: &Caller, user_id: i64) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let user = app
                .require_on_person(caller, Action::ManagePerson, user_id)
                .await?;
            let tokens_revoked = app.store.deactivate_user(user_id, app.now()).await?;
            app.audit(
                Some(caller),
                AuditAction::PersonDeactivated,
                who(&user),
                format!("sessions ended, {tokens_revoked} API token(s) revoked"),
            )
            .await
        })
        .await
    }

    /// Reactivate: the person can sign in again and make new tokens; old ones stay revoked.
    pub async fn reactivate(&self, caller: &Caller, user_id: i64) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let user = app
                .require_on_person(caller, Action::ManagePerson, user_id)
                .await?;
            app.store.reactivate_user(user_id, app.now()).await?;
            app.audit(
                Some(caller),
                AuditAction::PersonReactivated,
                who(&user),
                String::new(),
            )
            .await
        })
        .await
    }

    /// One page of the people directory (platform administrators).
    pub async fn people(
        &self,
        caller: &Caller,
        query: Option<&str>,
        page: u64,
    ) -> AppResult<(Vec<Person>, u64)> {
        caller.require(Action::ListPeople, Resource::Platform)?;
        let (rows, total) = self.store.list_users(query, PAGE_SIZE, page).await?;
        Ok((rows.into_iter().map(Person::from).collect(), total))
    }

    /// A person and their memberships, if the caller may see them.
    pub async fn person(
        &self,
        caller: &Caller,
        id: i64,
    ) -> AppResult<(Person, Vec<PersonMembership>)> {
        let user = self
            .store
            .user(id)
            .await?
            .ok_or(AppError::NotFound("That person"))?;
        let tree = self.group_tree().await?;
        let memberships = self.store.memberships_of(id).await?;
        let lineages: Vec<Vec<GroupId>> = memberships
            .iter()
            .map(|(g, _)| tree.lineage(GroupId(*g)))
            .collect();
        let resource = Resource::Person {
            id: UserId(id),
            platform_admin: user.platform_admin,
            group_lineages: &lineages,
        };
        if !caller.can(Action::ViewPerson, resource) {
            return Err(AppError::NotFound("That person"));
        }
        let memberships = memberships
            .into_iter()
            .filter_map(|(g, r)| {
                Some(PersonMembership {
                    group_id: g,
                    group_path: tree.path(GroupId(g)),
                    role: Role::parse(&r).ok()?,
                })
            })
            .collect();
        Ok((Person::from(user), memberships))
    }

    /// May the caller deactivate, reactivate or reset this person? (For showing buttons.)
    pub async fn can_manage_person(&self, caller: &Caller, id: i64) -> AppResult<bool> {
        match self
            .require_on_person(caller, Action::ManagePerson, id)
            .await
        {
            Ok(_) => Ok(true),
            Err(AppError::Forbidden | AppError::NotFound(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Find a person by email, for forms that name people by address.
    pub async fn person_by_email(&self, caller: &Caller, email: &str) -> AppResult<Person> {
        caller.require(Action::FindPerson, Resource::Platform)?;
        let email = Email::parse(email)?;
        let user = self
            .store
            .user_by_email(email.as_str())
            .await?
            .ok_or(AppError::invalid(
                "email",
                format!("Nobody has the address {email}. Invite them first."),
            ))?;
        Ok(Person::from(user))
    }
}

pub const PAGE_SIZE: u64 = 50;

/// The event of a new account (webhooks send it as `person.created`).
pub const PERSON_CREATED: &str = "created-person";

impl App {
    /// Record that an account was made (in the unit of work that made it): by whom, in
    /// which group when it was an invitation into one.
    async fn person_created(
        &self,
        user_id: i64,
        group_id: Option<i64>,
        by: Option<i64>,
    ) -> AppResult<()> {
        self.store
            .append_event(
                lore_store::NewEvent {
                    user_id,
                    verb: PERSON_CREATED,
                    group_id,
                    data: Some(serde_json::json!({ "by": by }).to_string()),
                    ..lore_store::NewEvent::default()
                },
                self.now(),
            )
            .await?;
        Ok(())
    }
}

/// A person as the audit log names them.
pub(crate) fn who(user: &UserRow) -> String {
    format!("{} <{}>", user.name, user.email)
}

/// Operator actions from the command line, which runs with the server's own authority.
pub mod operator {
    use super::*;

    /// Create an account with a password (the `lore users add` command).
    pub async fn add_user(
        app: &App,
        email: &str,
        name: &str,
        password: &str,
        platform_admin: bool,
    ) -> AppResult<Person> {
        let email = Email::parse(email)?;
        let name = PersonName::parse(name)?;
        let password = NewPassword::parse(password)?;
        let hash = hash_password(password.expose().to_owned()).await?;
        let row = app
            .unit_of_work(|app| async move {
                let row = app
                    .store
                    .insert_user(
                        NewUser {
                            email: email.as_str(),
                            name: name.as_str(),
                            password_hash: Some(hash),
                            platform_admin,
                        },
                        app.now(),
                    )
                    .await
                    .map_err(|e| match e {
                        lore_store::StoreError::Conflict => {
                            AppError::Conflict(format!("{email} already has an account."))
                        }
                        other => other.into(),
                    })?;
                app.person_created(row.id, None, None).await?;
                Ok(row)
            })
            .await?;
        Ok(Person::from(row))
    }

    pub async fn find(app: &App, email: &str) -> AppResult<UserRow> {
        let email = Email::parse(email)?;
        app.store
            .user_by_email(email.as_str())
            .await?
            .ok_or(AppError::NotFound("That person"))
    }

    pub async fn list(app: &App, query: Option<&str>) -> AppResult<Vec<Person>> {
        let (rows, _) = app.store.list_users(query, u64::MAX / 2, 0).await?;
        Ok(rows.into_iter().map(Person::from).collect())
    }

    /// Deactivate (sessions end, tokens are revoked) or reactivate a person, as
    /// [`App::deactivate`] and [`App::reactivate`] do.
    pub async fn set_active(app: &App, email: &str, active: bool) -> AppResult<()> {
        let user = find(app, email).await?;
        if active {
            app.store.reactivate_user(user.id, app.now()).await?;
        } else {
            app.store.deactivate_user(user.id, app.now()).await?;
        }
        Ok(())
    }

    /// A password link for a person (the `lore users reset-password` command).
    pub async fn reset_link(app: &App, email: &str) -> AppResult<IssuedLink> {
        let user = find(app, email).await?;
        let purpose = if user.password_hash.is_some() {
            PURPOSE_RESET
        } else {
            PURPOSE_INVITE
        };
        app.issue_link(user.id, purpose, None).await
    }

    pub async fn put_membership(
        app: &App,
        user_id: i64,
        group_id: i64,
        role: Role,
    ) -> AppResult<()> {
        app.unit_of_work(|app| async move {
            app.store
                .put_membership(user_id, group_id, role.as_str(), app.now())
                .await?;
            app.sync_assignments_of(user_id).await
        })
        .await
    }

    pub async fn create_group(app: &App, parent: Option<i64>, name: &str) -> AppResult<i64> {
        let name = GroupName::parse(name)?;
        Ok(app
            .store
            .insert_group(parent, name.as_str(), app.now())
            .await?
            .id)
    }

    use lore_domain::group::GroupName;
}
