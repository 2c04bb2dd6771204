//! Layered configuration: defaults, then `lore.toml`, then `LORE_*` environment variables,
//! then command-line flags, into one typed [`Config`].

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use lore_web::{AddressRange, RequestLog, RequestLogPolicy, WebOptions};
use serde::{Deserialize, Serialize};

/// The file read from the current directory when `--config` is not given.
pub const DEFAULT_CONFIG_FILE: &str = "lore.toml";

/// The keys that may come from `LORE_*` variables (`LORE_DATA_DIR` → `data_dir`).
const ENV_KEYS: [&str; 19] = [
    "listen",
    "data_dir",
    "database_url",
    "public_url",
    "log_format",
    "session_ttl_days",
    "link_ttl_days",
    "max_image_mb",
    "max_video_mb",
    "max_document_mb",
    "smtp_url",
    "mail_from",
    "digest_hour",
    "outbox_retention_days",
    "outbox_max_age_days",
    "metrics_allow",
    "log_requests",
    "log_slow_request_ms",
    "webhooks_allow_private",
];

/// How log lines are written to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Everything the `lore` command reads from its configuration.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The address `serve` and `demo` listen on.
    pub listen: SocketAddr,
    /// Where the embedded SQLite database and the blobs live.
    pub data_dir: PathBuf,
    /// `postgres://…` or `sqlite://…`; when absent, SQLite in `data_dir`.
    pub database_url: Option<String>,
    /// The address people use to reach Lore; when absent, `http://{listen}`.
    pub public_url: Option<String>,
    pub log_format: LogFormat,
    /// How long a session lasts without use.
    pub session_ttl_days: u32,
    /// How long an invitation or password link stays valid.
    pub link_ttl_days: u32,
    /// The largest image, video and document upload, in MB (at most 500).
    pub max_image_mb: u32,
    pub max_video_mb: u32,
    pub max_document_mb: u32,
    /// The SMTP server for mail: `smtp://host:25` (plain, a local relay),
    /// `smtp://user:password@host:587?tls=required` (STARTTLS) or `smtps://host:465`.
    /// When absent, Lore sends no mail. A secret: never printed whole.
    pub smtp_url: Option<String>,
    /// The sender of Lore's mails.
    pub mail_from: String,
    /// The hour of the day (UTC, 0–23) when daily digests go out.
    pub digest_hour: u8,
    /// Outbox rows every consumer acknowledged are deleted after this many days.
    pub outbox_retention_days: u32,
    /// Outbox rows are deleted after this many days even if a consumer never acknowledged
    /// them.
    pub outbox_max_age_days: u32,
    /// Client address ranges that may read `/metrics` without a token (`10.0.0.0/8`,
    /// `::1/128`, or one address). Others need a platform administrator's API token.
    pub metrics_allow: Vec<String>,
    /// Private address ranges webhooks may reach all the same (`127.0.0.0/8`, `10.1.2.0/24`);
    /// by default none: loopback, private, link-local … addresses are refused.
    pub webhooks_allow_private: Vec<String>,
    /// Which requests get an access-log line: `all`, `errors` (4xx, 5xx and slow ones) or
    /// `off`.
    pub log_requests: RequestLog,
    /// Under `log_requests = "errors"`, requests slower than this are logged too.
    pub log_slow_request_ms: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./lore-data"),
            database_url: None,
            public_url: None,
            log_format: LogFormat::Text,
            session_ttl_days: 30,
            link_ttl_days: 7,
            max_image_mb: 10,
            max_video_mb: 500,
            max_document_mb: 50,
            smtp_url: None,
            mail_from: "Lore <lore@localhost>".to_owned(),
            digest_hour: 7,
            outbox_retention_days: 7,
            outbox_max_age_days: 30,
            metrics_allow: AddressRange::loopback()
                .iter()
                .map(ToString::to_string)
                .collect(),
            log_requests: RequestLog::default(),
            log_slow_request_ms: 500,
            webhooks_allow_private: Vec::new(),
        }
    }
}

/// Values given as command-line flags; each one set overrides every other layer.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_format: Option<LogFormat>,
}

/// Where the database is, once the configuration has been read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// The embedded default: a SQLite file inside the data directory.
    Embedded { file: PathBuf },
    /// A URL given in the configuration.
    Url(String),
}

impl Config {
    /// The layers, in order; later ones win. `config_file` is `--config`, if given.
    pub fn figment(config_file: Option<&Path>, overrides: &Overrides) -> Figment {
        let file = config_file.unwrap_or(Path::new(DEFAULT_CONFIG_FILE));
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        // `file_exact` reads only the named file (no search in parent directories) and
        // fails when it is missing, which is right for `--config` but not for the default.
        if config_file.is_some() || file.exists() {
            figment = figment.merge(Toml::file_exact(file));
        }
        figment
            .merge(Env::prefixed("LORE_").only(&ENV_KEYS))
            .merge(Serialized::defaults(overrides))
    }

    /// Read and check the configuration. A missing `lore.toml` is fine; a missing file
    /// named with `--config` is not.
    pub fn load(config_file: Option<&Path>, overrides: &Overrides) -> anyhow::Result<Config> {
        if let Some(path) = config_file
            && !path.is_file()
        {
            bail!("the configuration file {} does not exist", path.display());
        }
        let config: Config = Self::figment(config_file, overrides)
            .extract()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> anyhow::Result<()> {
        if self.session_ttl_days == 0 || self.link_ttl_days == 0 {
            bail!("invalid configuration: session_ttl_days and link_ttl_days must be at least 1");
        }
        self.blob_limits()
            .check()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        if let Some(url) = &self.public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            bail!(
                "invalid configuration: public_url must start with http:// or https:// (got {url})"
            );
        }
        self.settings()
            .mail
            .check()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        self.metrics_allow()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        self.webhooks_allow_private()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        if let Some(url) = &self.database_url
            && !(url.starts_with("postgres://")
                || url.starts_with("postgresql://")
                || url.starts_with("sqlite:"))
        {
            bail!(
                "invalid configuration: database_url must start with postgres:// or sqlite: (got {})",
                redact_url(url)
            );
        }
        Ok(())
    }

    /// The database to open: the configured URL, or SQLite at `{data_dir}/lore.db`.
    pub fn database(&self) -> Database {
        match &self.database_url {
            Some(url) => Database::Url(url.clone()),
            None => Database::Embedded {
                file: self.data_dir.join("lore.db"),
            },
        }
    }

    /// The public address, given the address actually listened on (it differs from
    /// `listen` when the port is 0).
    pub fn public_url_for(&self, bound: SocketAddr) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{bound}"),
        }
    }

    /// The public address before anything is bound.
    pub fn public_url(&self) -> String {
        self.public_url_for(self.listen)
    }

    /// The ranges of `metrics_allow`, parsed.
    pub fn metrics_allow(&self) -> Result<Vec<AddressRange>, String> {
        self.metrics_allow
            .iter()
            .map(|raw| AddressRange::parse(raw).map_err(|e| format!("metrics_allow: {e}")))
            .collect()
    }

    /// What the web layer needs to know, given the public address (see
    /// [`Config::public_url_for`]).
    pub fn web_options(&self, public_url: &str) -> anyhow::Result<WebOptions> {
        let mut options = WebOptions::for_url(public_url);
        options.metrics_allow = self
            .metrics_allow()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        options.request_log = RequestLogPolicy {
            mode: self.log_requests,
            slow: std::time::Duration::from_millis(self.log_slow_request_ms),
        };
        Ok(options)
    }

    /// What the use cases need to know.
    pub fn settings(&self) -> lore_app::Settings {
        lore_app::Settings {
            session_ttl: time::Duration::days(i64::from(self.session_ttl_days)),
            link_ttl: time::Duration::days(i64::from(self.link_ttl_days)),
            reset_link_ttl: time::Duration::hours(1),
            blob_dir: self.blobs_dir(),
            limits: self.blob_limits(),
            mail: lore_app::mail::MailSettings {
                smtp_url: self.smtp_url.clone(),
                from: self.mail_from.clone(),
                public_url: self.public_url(),
                digest_hour: self.digest_hour,
            },
            outbox: lore_app::outbox::OutboxSettings {
                retention: time::Duration::days(i64::from(self.outbox_retention_days)),
                max_age: time::Duration::days(i64::from(self.outbox_max_age_days)),
            },
            views_in_batches: true,
            webhooks: lore_app::webhooks::WebhookSettings {
                allow_private: self.webhooks_allow_private().unwrap_or_default(),
            },
        }
    }

    /// The ranges of `webhooks_allow_private`, parsed.
    pub fn webhooks_allow_private(
        &self,
    ) -> Result<Vec<lore_domain::webhook::AllowedRange>, String> {
        self.webhooks_allow_private
            .iter()
            .map(|raw| {
                lore_domain::webhook::AllowedRange::parse(raw)
                    .map_err(|e| format!("webhooks_allow_private: {}", e.message))
            })
            .collect()
    }

    /// The upload limits, in bytes.
    pub fn blob_limits(&self) -> lore_app::blobs::BlobLimits {
        let mb = |n: u32| u64::from(n) * 1024 * 1024;
        lore_app::blobs::BlobLimits {
            image: mb(self.max_image_mb),
            video: mb(self.max_video_mb),
            document: mb(self.max_document_mb),
        }
    }

    /// The directory holding uploaded files.
    pub fn blobs_dir(&self) -> PathBuf {
        self.data_dir.join("blobs")
    }
}

impl Database {
    /// The URL to connect to; SQLite files are created if missing.
    pub fn url(&self) -> anyhow::Result<String> {
        match self {
            Database::Url(url) => Ok(url.clone()),
            Database::Embedded { file } => {
                let path = file.to_str().with_context(|| {
                    format!(
                        "the data directory path {} is not valid UTF-8",
                        file.display()
                    )
                })?;
                if path.contains('?') || path.contains('#') {
                    bail!("the data directory path {path} must not contain '?' or '#'");
                }
                Ok(format!("sqlite://{path}?mode=rwc"))
            }
        }
    }

    /// The URL with any password hidden, for logs and messages.
    pub fn describe(&self) -> String {
        match self {
            Database::Url(url) => redact_url(url),
            Database::Embedded { file } => format!("SQLite at {}", file.display()),
        }
    }
}

// By hand, so that a password in the database URL never reaches a log line.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .field("public_url", &self.public_url)
            .field("log_format", &self.log_format)
            .field("session_ttl_days", &self.session_ttl_days)
            .field("link_ttl_days", &self.link_ttl_days)
            .field("max_image_mb", &self.max_image_mb)
            .field("max_video_mb", &self.max_video_mb)
            .field("max_document_mb", &self.max_document_mb)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("digest_hour", &self.digest_hour)
            .field("outbox_retention_days", &self.outbox_retention_days)
            .field("outbox_max_age_days", &self.outbox_max_age_days)
            .field("metrics_allow", &self.metrics_allow)
            .field("log_requests", &self.log_requests)
            .field("log_slow_request_ms", &self.log_slow_request_ms)
            .field("webhooks_allow_private", &self.webhooks_allow_private)
            .finish()
    }
}

/// Hide the password of a URL: `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
/// A `password=` query parameter is hidden too.
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), url),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{user}:***@{host}"),
            None => format!("{userinfo}@{host}"),
        },
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_owned(),
    };
    format!("{scheme}{authority}{tail}")
}

#[cfg(test)]
#[expect(
    clippy::result_large_err,
    reason = "figment's Jail closures must return figment::Error"
)]
mod tests {
    use super::*;
    use figment::Jail;

    fn load_in_jail(config_file: Option<&Path>, overrides: &Overrides) -> figment::Result<Config> {
        Config::load(config_file, overrides).map_err(|e| figment::Error::from(e.to_string()))
    }

    /// Why loading the configuration (no file, no flags) is refused; empty if it is not.
    fn load_error() -> String {
        Config::load(None, &Overrides::default())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn defaults_apply_without_file_env_or_flags() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            let config = load_in_jail(None, &Overrides::default())?;
            assert_eq!(config, Config::default());
            assert_eq!(config.public_url(), "http://127.0.0.1:8080");
            assert_eq!(
                config.database(),
                Database::Embedded {
                    file: PathBuf::from("./lore-data/lore.db")
                }
            );
            Ok(())
        });
    }

    #[test]
    fn toml_overrides_defaults() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_file(
                "lore.toml",
                r#"
                listen = "0.0.0.0:9000"
                data_dir = "/srv/lore"
                link_ttl_days = 2
                "#,
            )?;
            let config = load_in_jail(None, &Overrides::default())?;
            assert_eq!(config.listen.to_string(), "0.0.0.0:9000");
            assert_eq!(config.data_dir, PathBuf::from("/srv/lore"));
            assert_eq!(config.link_ttl_days, 2);
            assert_eq!(
                config.session_ttl_days, 30,
                "untouched keys keep their default"
            );
            Ok(())
        });
    }

    #[test]
    fn env_overrides_toml() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_file(
                "lore.toml",
                "data_dir = \"/from/toml\"\nlog_format = \"text\"",
            )?;
            jail.set_env("LORE_DATA_DIR", "/from/env");
            jail.set_env("LORE_LOG_FORMAT", "json");
            jail.set_env("LORE_SESSION_TTL_DAYS", "3");
            // Other LORE_ variables are not configuration and must not be rejected.
            jail.set_env("LORE_NEW_PASSWORD", "irrelevant");
            let config = load_in_jail(None, &Overrides::default())?;
            assert_eq!(config.data_dir, PathBuf::from("/from/env"));
            assert_eq!(config.log_format, LogFormat::Json);
            assert_eq!(config.session_ttl_days, 3);
            Ok(())
        });
    }

    #[test]
    fn flags_override_env() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_file("lore.toml", "database_url = \"postgres://toml/db\"")?;
            jail.set_env("LORE_DATABASE_URL", "postgres://env/db");
            jail.set_env("LORE_LISTEN", "127.0.0.1:7000");
            let overrides = Overrides {
                database_url: Some("postgres://flag/db".to_owned()),
                ..Overrides::default()
            };
            let config = load_in_jail(None, &overrides)?;
            assert_eq!(config.database_url.as_deref(), Some("postgres://flag/db"));
            assert_eq!(
                config.listen.port(),
                7000,
                "env still applies where no flag is given"
            );
            Ok(())
        });
    }

    #[test]
    fn explicit_config_file_is_read_and_must_exist() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_file("other.toml", "public_url = \"https://lore.example.com/\"")?;
            let config = load_in_jail(Some(Path::new("other.toml")), &Overrides::default())?;
            assert_eq!(config.public_url(), "https://lore.example.com");
            assert!(Config::load(Some(Path::new("missing.toml")), &Overrides::default()).is_err());
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_file("lore.toml", "data_dri = \"/typo\"")?;
            assert!(Config::load(None, &Overrides::default()).is_err());
            jail.create_file("lore.toml", "public_url = \"lore.example.com\"")?;
            assert!(Config::load(None, &Overrides::default()).is_err());
            jail.create_file("lore.toml", "link_ttl_days = 0")?;
            assert!(Config::load(None, &Overrides::default()).is_err());
            jail.create_file("lore.toml", "max_video_mb = 501")?;
            assert!(Config::load(None, &Overrides::default()).is_err());
            Ok(())
        });
    }

    #[test]
    fn debug_redacts_the_database_password() {
        let config = Config {
            database_url: Some("postgres://lore:s3cret@db.internal:5432/lore".to_owned()),
            ..Config::default()
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(
            shown.contains("postgres://lore:***@db.internal:5432/lore"),
            "{shown}"
        );
    }

    #[test]
    fn mail_settings_come_from_env_and_the_smtp_password_stays_hidden() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.set_env(
                "LORE_SMTP_URL",
                "smtp://mailer:pa55@relay.internal:587?tls=required",
            );
            jail.set_env("LORE_MAIL_FROM", "Lore <lore@example.com>");
            jail.set_env("LORE_DIGEST_HOUR", "18");
            let config = load_in_jail(None, &Overrides::default())?;
            let mail = config.settings().mail;
            assert_eq!(mail.digest_hour, 18);
            assert_eq!(mail.from, "Lore <lore@example.com>");
            assert_eq!(mail.public_url, "http://127.0.0.1:8080");
            for shown in [format!("{config:?}"), format!("{mail:?}")] {
                assert!(!shown.contains("pa55"), "{shown}");
                assert!(shown.contains("mailer:***@relay.internal"), "{shown}");
            }
            jail.set_env("LORE_DIGEST_HOUR", "24");
            assert!(Config::load(None, &Overrides::default()).is_err());
            jail.set_env("LORE_DIGEST_HOUR", "7");
            jail.set_env("LORE_SMTP_URL", "imap://mailer:pa55@relay.internal");
            let refused = load_error();
            assert!(refused.contains("SMTP URL"), "{refused}");
            assert!(!refused.contains("pa55"), "{refused}");
            Ok(())
        });
    }

    #[test]
    fn metrics_and_request_log_settings_default_to_loopback_and_errors() {
        let config = Config::default();
        assert_eq!(config.metrics_allow, ["127.0.0.0/8", "::1/128"]);
        let options = config
            .web_options("http://127.0.0.1:8080")
            .expect("web options");
        assert_eq!(options.metrics_allow, AddressRange::loopback());
        assert_eq!(options.request_log, RequestLogPolicy::default());
        assert_eq!(options.request_log.mode, RequestLog::Errors);
        assert_eq!(
            options.request_log.slow,
            std::time::Duration::from_millis(500)
        );
    }

    #[test]
    fn metrics_and_request_log_settings_come_from_toml_and_env() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.create_file(
                "lore.toml",
                "metrics_allow = [\"10.0.0.0/8\", \"192.0.2.7\"]\nlog_requests = \"all\"",
            )?;
            let config = load_in_jail(None, &Overrides::default())?;
            let options = config
                .web_options("http://127.0.0.1:8080")
                .map_err(|e| figment::Error::from(e.to_string()))?;
            assert_eq!(
                options
                    .metrics_allow
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
                ["10.0.0.0/8", "192.0.2.7/32"]
            );
            assert_eq!(options.request_log.mode, RequestLog::All);

            jail.set_env("LORE_METRICS_ALLOW", "[\"::1/128\", 127.0.0.1]");
            jail.set_env("LORE_LOG_REQUESTS", "off");
            jail.set_env("LORE_LOG_SLOW_REQUEST_MS", "250");
            let config = load_in_jail(None, &Overrides::default())?;
            assert_eq!(config.metrics_allow, ["::1/128", "127.0.0.1"]);
            assert_eq!(config.log_requests, RequestLog::Off);
            assert_eq!(config.log_slow_request_ms, 250);

            // An empty list: only tokens open `/metrics`.
            jail.set_env("LORE_METRICS_ALLOW", "[]");
            let config = load_in_jail(None, &Overrides::default())?;
            assert!(config.metrics_allow.is_empty());

            jail.set_env("LORE_METRICS_ALLOW", "[\"everyone\"]");
            let refused = load_error();
            assert!(refused.contains("metrics_allow"), "{refused}");
            jail.set_env("LORE_METRICS_ALLOW", "[]");
            jail.set_env("LORE_LOG_REQUESTS", "some");
            assert!(Config::load(None, &Overrides::default()).is_err());
            jail.set_env("LORE_LOG_REQUESTS", "errors");

            // Webhooks reach no private range unless listed.
            assert!(
                load_in_jail(None, &Overrides::default())?
                    .settings()
                    .webhooks
                    .allow_private
                    .is_empty()
            );
            jail.set_env("LORE_WEBHOOKS_ALLOW_PRIVATE", "[\"10.20.0.0/16\"]");
            let allowed = load_in_jail(None, &Overrides::default())?
                .settings()
                .webhooks
                .allow_private;
            assert_eq!(allowed.len(), 1);
            assert!(
                allowed[0].contains(
                    "10.20.3.4"
                        .parse()
                        .map_err(|_| figment::Error::from("ip".to_owned()))?
                )
            );
            jail.set_env("LORE_WEBHOOKS_ALLOW_PRIVATE", "[\"intranet\"]");
            let refused = load_error();
            assert!(refused.contains("webhooks_allow_private"), "{refused}");
            Ok(())
        });
    }

    #[test]
    fn redact_url_hides_only_the_password() {
        assert_eq!(
            redact_url("postgres://user:pw@host/db"),
            "postgres://user:***@host/db"
        );
        assert_eq!(
            redact_url("postgres://user@host/db"),
            "postgres://user@host/db"
        );
        assert_eq!(redact_url("postgres://host/db"), "postgres://host/db");
        assert_eq!(
            redact_url("postgres://u:p@ss@host/db"),
            "postgres://u:***@host/db"
        );
        assert_eq!(
            redact_url("postgres://host/db?user=u&password=pw&sslmode=require"),
            "postgres://host/db?user=u&password=***&sslmode=require"
        );
        assert_eq!(
            redact_url("sqlite://./lore-data/lore.db?mode=rwc"),
            "sqlite://./lore-data/lore.db?mode=rwc"
        );
    }
}
