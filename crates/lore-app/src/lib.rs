//! Lore's use cases. Each public function takes the acting person, asks the policy,
//! then reads or writes through the store. No HTTP types here.

pub mod accounts;
pub mod assignees;
pub mod assignment_progress;
pub mod assignments;
pub mod audit;
pub mod blobs;
pub mod calendar;
pub mod certificates;
pub mod clock;
pub mod course_analytics;
pub mod courses;
pub mod crm;
pub mod dashboards;
pub mod demo;
pub mod demo_courses;
pub mod demo_large;
pub mod discussions;
pub mod error;
pub mod evaluations;
mod event_log;
pub mod events_feed;
pub mod feedback;
pub mod funnels;
pub mod groups;
pub mod insights;
pub mod jobs;
pub mod lrs;
pub mod mail;
pub mod markdown;
pub mod markdown_diff;
pub mod needs;
pub mod notifications;
pub mod operations;
pub mod outbox;
pub mod outcomes;
pub mod paging;
pub mod password_reset;
pub mod path_progress;
pub mod path_views;
pub mod paths;
pub mod people;
pub mod people_cache;
pub mod people_import;
pub mod profile;
pub mod rate_limit;
pub mod recommendations;
pub mod reminders;
pub mod secrets;
pub mod site_search;
pub mod tokens;
mod unit_of_work;
pub mod view_log;
pub mod webhooks;
pub mod xapi_events;
pub mod xapi_forwarding;

use std::sync::Arc;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{AppError, AppResult};

/// What [`AppError::NotFound`] names when an address belongs to no active account, so a
/// form can show it by its field.
pub const NO_SUCH_PERSON: &str = "An active person with that address";
pub use lore_domain::people_import::ImportTotals;
pub use lore_store::{
    Backend, CourseRow, EnrolmentRow, EvaluationSettings, MARK_END, MARK_START, MemberRow,
    NotificationRow, QuestionRow, ReactionRow, ReviewCommentRow, SessionRow, StepRow, Store,
    SuggestedEditRow, TokenRow, VersionRow, count_statements,
};

use lore_domain::ids::{GroupId, UserId};
use lore_domain::policy::{Action, Actor, Resource, can};
use lore_domain::role::Role;

/// Settings the use cases need; the CLI fills them from configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a session lasts without use.
    pub session_ttl: time::Duration,
    /// How long an invitation or an administrator's reset link stays valid.
    pub link_ttl: time::Duration,
    /// How long a reset link asked for from the sign-in page stays valid.
    pub reset_link_ttl: time::Duration,
    /// The folder holding uploaded files (created if missing).
    pub blob_dir: std::path::PathBuf,
    /// The largest upload accepted per purpose.
    pub limits: blobs::BlobLimits,
    /// How mail is sent (none without an SMTP URL).
    pub mail: mail::MailSettings,
    /// How long outbox rows are kept.
    pub outbox: outbox::OutboxSettings,
    /// Page views wait for the worker and are written in batches (see [`view_log`]); off, each
    /// is written in its request.
    pub views_in_batches: bool,
    /// Which private address ranges webhooks may reach.
    pub webhooks: webhooks::WebhookSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            session_ttl: time::Duration::days(30),
            link_ttl: time::Duration::days(7),
            reset_link_ttl: time::Duration::hours(1),
            blob_dir: std::path::PathBuf::from("lore-data/blobs"),
            limits: blobs::BlobLimits::default(),
            mail: mail::MailSettings::default(),
            outbox: outbox::OutboxSettings::default(),
            views_in_batches: true,
            webhooks: webhooks::WebhookSettings::default(),
        }
    }
}

/// The application: the store, the clock and the settings, shared by every request.
#[derive(Clone)]
pub struct App {
    pub(crate) store: Store,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) settings: Arc<Settings>,
    pub(crate) limiter: Arc<rate_limit::SignInLimiter>,
    /// Throttles "Forgot your password?" per typed address and per client address.
    pub(crate) reset_limiter: Arc<rate_limit::SignInLimiter>,
    /// A hash to verify against when the email is unknown, so both answers take as long.
    pub(crate) decoy_hash: Arc<String>,
    /// Where uploaded files live.
    pub(crate) blobs: blobs::BlobStore,
    /// "This person has news": user ids, for the live unread count on this server.
    pub(crate) live: tokio::sync::broadcast::Sender<i64>,
    /// Wakes the job worker when a job is queued on this server.
    pub(crate) jobs_waiting: Arc<tokio::sync::Notify>,
    /// Wakes this server's outbox readers when a commit wrote to the outbox.
    pub(crate) outbox_written: Arc<tokio::sync::Notify>,
    /// Inside a unit of work: the signals to fire once it commits (see `unit_of_work`).
    pub(crate) pending: Option<unit_of_work::PendingSignals>,
    /// The group tree and audience sizes, valid while the people generation holds.
    pub(crate) people_cache: Arc<people_cache::PeopleCache>,
    /// Page views waiting for the worker to write them.
    pub(crate) views: Arc<view_log::ViewLog>,
    /// xAPI statement batches waiting for SQLite's writer (`lrs/group_commit.rs`).
    pub(crate) statement_queue: Arc<lrs::StatementQueue>,
}

impl App {
    pub fn new(store: Store, clock: Arc<dyn Clock>, settings: Settings) -> AppResult<Self> {
        let decoy_hash = secrets::hash_password_blocking(&secrets::random_token())?;
        settings.limits.check()?;
        settings.mail.check()?;
        let blobs = blobs::BlobStore::open(&settings.blob_dir)?;
        Ok(Self {
            store,
            clock,
            settings: Arc::new(settings),
            limiter: Arc::new(rate_limit::SignInLimiter::default()),
            reset_limiter: Arc::new(rate_limit::SignInLimiter::default()),
            decoy_hash: Arc::new(decoy_hash),
            blobs,
            live: tokio::sync::broadcast::channel(256).0,
            jobs_waiting: Arc::new(tokio::sync::Notify::new()),
            outbox_written: Arc::new(tokio::sync::Notify::new()),
            pending: None,
            people_cache: Arc::default(),
            views: Arc::default(),
            statement_queue: Arc::default(),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn now(&self) -> time::OffsetDateTime {
        self.clock.now()
    }

    /// Is the database answering?
    pub async fn ready(&self) -> AppResult<()> {
        self.store.ping().await?;
        Ok(())
    }
}

/// The person making a call, with what the policy needs about them.
#[derive(Debug, Clone)]
pub struct Caller {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub platform_admin: bool,
    /// Where the person lives: pages show dates in this zone.
    pub time_zone: profile::Zone,
    pub actor: Actor,
}

impl Caller {
    /// What the caller may see, as sets the store puts in a `WHERE` clause.
    pub fn scope(&self) -> lore_domain::visibility::Scope {
        lore_domain::visibility::scope(&self.actor)
    }

    pub fn can(&self, action: Action, resource: Resource<'_>) -> bool {
        can(&self.actor, action, resource)
    }

    /// Refuse with `Forbidden` unless the policy allows.
    pub fn require(&self, action: Action, resource: Resource<'_>) -> AppResult<()> {
        if self.can(action, resource) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Refuse unless the policy lets the caller manage their own account.
    pub fn require_own_account(&self) -> AppResult<()> {
        self.require(
            Action::ManageOwnAccount,
            Resource::Person {
                id: self.id,
                platform_admin: self.platform_admin,
                group_lineages: &[],
            },
        )
    }
}

impl Caller {
    /// The caller the store read in one statement: roles parsed (a membership whose role is
    /// unknown is skipped, and so are the groups above it), `within` every group at or above
    /// the memberships kept.
    pub(crate) fn from_record(record: lore_store::CallerRecord) -> Caller {
        let memberships: Vec<(GroupId, Role)> = record
            .memberships
            .into_iter()
            .filter_map(|(g, r)| Role::parse(&r).ok().map(|r| (GroupId(g), r)))
            .collect();
        let mut within: Vec<GroupId> = record
            .lineages
            .into_iter()
            .filter(|(origin, _)| memberships.iter().any(|(g, _)| g.0 == *origin))
            .map(|(_, g)| GroupId(g))
            .collect();
        within.sort();
        within.dedup();
        let id = UserId(record.id);
        Caller {
            id,
            email: record.email,
            name: record.name,
            platform_admin: record.platform_admin,
            time_zone: profile::Zone::stored(&record.time_zone),
            actor: Actor {
                user_id: id,
                active: true,
                platform_admin: record.platform_admin,
                memberships,
                within,
            },
        }
    }
}

impl App {
    /// Load a caller by id, in one statement; `None` if the account is gone or deactivated.
    pub async fn caller(&self, id: i64) -> AppResult<Option<Caller>> {
        Ok(self.store.caller_record(id).await?.map(Caller::from_record))
    }
}
