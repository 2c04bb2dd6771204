//! `lore`: the command line. Parses arguments, loads the configuration, and calls
//! `lore-app` or starts `lore-web`; it has no logic of its own.

mod commands;
mod config;
mod database;
mod logging;
mod shutdown;
mod text_table;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::{Config, LogFormat, Overrides};

#[derive(Debug, Parser)]
#[command(
    name = "lore",
    version,
    about = "Lore: collaborative learning, self-hosted."
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Flags every command takes. Each overrides `lore.toml` and the `LORE_*` variables.
#[derive(Debug, Args)]
struct GlobalArgs {
    /// Configuration file [default: ./lore.toml, if present]
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Folder for the embedded database and uploaded files [default: ./lore-data]
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// PostgreSQL (postgres://user:password@host/db) instead of the embedded SQLite
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,
    /// How log lines on stderr are written [default: text]
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    log_format: Option<LogFormat>,
}

/// Flags for the commands that serve HTTP.
#[derive(Debug, Args)]
struct ListenArgs {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// Address people use to reach Lore, for links [default: http://{listen}]
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
}

/// Flags of `lore demo`.
#[derive(Debug, Args)]
struct DemoArgs {
    #[command(flatten)]
    listen: ListenArgs,
    /// How big an organisation: small (about thirty people, a dozen courses), medium (5,000
    /// people, 200 courses, a million events) or large (50,000 people, 2,000 courses, ten
    /// million events; for load tests). Medium and large need an empty database.
    #[arg(long, value_enum, default_value_t = commands::demo::Size::Small)]
    size: commands::demo::Size,
    /// Seed the data and exit instead of serving it
    #[arg(long)]
    no_serve: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve Lore over HTTP (creates and migrates the database first)
    Serve(ListenArgs),
    /// Try Lore: seed a demo organisation into ./lore-demo (SQLite) and serve it
    #[command(
        long_about = "Try Lore: seed a demo organisation into its own SQLite data directory \
                      (--data-dir, default ./lore-demo; LORE_DATA_DIR and data_dir in lore.toml \
                      are ignored so the demo never lands in real data) and serve it. \
                      --size medium|large generate a large organisation instead, into an empty \
                      database: SQLite in the data directory, or PostgreSQL with --database-url."
    )]
    Demo(DemoArgs),
    /// Apply pending database migrations
    Migrate,
    /// Copy the live SQLite database into FILE (for PostgreSQL, use pg_dump)
    Backup {
        /// The new file to write; must not exist
        file: PathBuf,
    },
    /// Replace the embedded SQLite database with a backup made by `lore backup` (stop Lore
    /// first; for PostgreSQL, use pg_restore)
    Restore {
        /// The backup file; it is checked before anything changes
        file: PathBuf,
        /// Replace the database that is there
        #[arg(long)]
        force: bool,
    },
    /// Check that the database is whole (SQLite integrity and foreign keys)
    Check,
    /// Manage accounts
    #[command(subcommand)]
    Users(UsersCommand),
    /// Manage the organisation's groups
    #[command(subcommand)]
    Groups(GroupsCommand),
    /// Import and export courses as folders of Markdown files
    #[command(subcommand)]
    Courses(CoursesCommand),
    /// Look at background jobs (mail)
    #[command(subcommand)]
    Jobs(JobsCommand),
}

#[derive(Debug, Subcommand)]
enum JobsCommand {
    /// Jobs waiting to run or to be retried, with their last error
    List {
        /// Show the jobs given up after their last attempt instead
        #[arg(long)]
        failed: bool,
    },
}

#[derive(Debug, Subcommand)]
enum CoursesCommand {
    /// Make a new course from a folder (course.toml, steps/NN-slug.md, assets/); all or nothing
    Import {
        /// The course folder
        dir: PathBuf,
        /// The person who will own the course [default: the first platform administrator]
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: Option<String>,
        /// Keep the imported course as a draft instead of publishing it
        #[arg(long)]
        no_publish: bool,
        /// Own the course in this group instead of the one course.toml names (a path or a unique name)
        #[arg(long, value_name = "PATH")]
        group: Option<String>,
    },
    /// Write a course version into a new or empty folder
    Export {
        /// The course's id (the number in /courses/ID)
        id: i64,
        /// The folder to write
        dir: PathBuf,
        /// Which version [default: the newest published one]
        #[arg(long, value_name = "N")]
        version: Option<i32>,
        /// The person exporting; they must be allowed to edit the course
        /// [default: the first platform administrator]
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum GroupsCommand {
    /// Create a group, at the top or below another
    Add {
        /// The new group's name (no slashes)
        name: String,
        /// The group to create it in: a path like Acme/Engineering, or a unique name
        #[arg(long, value_name = "PATH")]
        parent: Option<String>,
    },
    /// Show every group as a tree, with its direct members and its path
    List,
}

#[derive(Debug, Subcommand)]
enum UsersCommand {
    /// Create an account with a password
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Make the account a platform administrator
        #[arg(long)]
        admin: bool,
        /// The password (visible to other local users in the process list; prefer
        /// LORE_NEW_PASSWORD or one line on stdin)
        #[arg(long, env = "LORE_NEW_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// List accounts
    List {
        /// Only accounts whose name or email contains this
        #[arg(long)]
        query: Option<String>,
    },
    /// Stop an account from signing in; its sessions end at once
    Deactivate { email: String },
    /// Let a deactivated account sign in again
    Reactivate { email: String },
    /// Print a one-time link with which the person sets a new password
    ResetPassword {
        email: String,
        /// Address people use to reach Lore, for the link [default: http://{listen}]
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
    },
    /// Import people from a CSV file (email,name,groups,roles,manager_email); all rows or none
    Import { file: PathBuf },
    /// Print a new personal API token acting as this person (shown once)
    Token {
        email: String,
        /// What the token is for
        #[arg(long, default_value = "command line")]
        name: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes on one line, skipping a cause whose words the message before
/// it already repeats (many library errors print their source and also return it).
fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let config = load_config(&cli)?;
    logging::init(config.log_format)?;
    tracing::debug!(?config, "configuration loaded");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the async runtime: {e}"))?;
    runtime.block_on(dispatch(cli.command, config))
}

/// The flags of this invocation on top of the other layers.
fn load_config(cli: &Cli) -> anyhow::Result<Config> {
    let global = &cli.global;
    let mut overrides = Overrides {
        data_dir: global.data_dir.clone(),
        database_url: global.database_url.clone(),
        log_format: global.log_format,
        ..Overrides::default()
    };
    match &cli.command {
        Command::Serve(listen)
        | Command::Demo(DemoArgs {
            listen,
            size: _,
            no_serve: _,
        }) => {
            overrides.listen = listen.listen;
            overrides.public_url = listen.public_url.clone();
        }
        Command::Users(UsersCommand::ResetPassword { public_url, .. }) => {
            overrides.public_url = public_url.clone();
        }
        _ => {}
    }
    let generated_into_postgres = matches!(&cli.command, Command::Demo(d) if d.size != commands::demo::Size::Small)
        && global.database_url.is_some();
    if let Command::Demo(demo) = &cli.command {
        if global.database_url.is_some() && demo.size == commands::demo::Size::Small {
            anyhow::bail!(
                "lore demo --size small always uses SQLite in its data directory; drop --database-url (medium and large accept it)"
            );
        }
        overrides.data_dir = Some(
            global
                .data_dir
                .clone()
                .unwrap_or_else(|| commands::demo::DEFAULT_DATA_DIR.into()),
        );
    }
    let mut config = Config::load(global.config.as_deref(), &overrides)?;
    if let Command::Demo(_) = cli.command
        && !generated_into_postgres
    {
        config.database_url = None;
    }
    Ok(config)
}

async fn dispatch(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve(_) => commands::serve::run(&config).await,
        Command::Demo(demo) => commands::demo::run(&config, demo.size, !demo.no_serve).await,
        Command::Migrate => commands::migrate::run(&config).await,
        Command::Backup { file } => commands::backup::run(&config, &file).await,
        Command::Restore { file, force } => commands::restore::run(&config, &file, force).await,
        Command::Check => commands::check::run(&config).await,
        Command::Users(users) => match users {
            UsersCommand::Add {
                email,
                name,
                admin,
                password,
            } => commands::users::add(&config, &email, &name, admin, password).await,
            UsersCommand::List { query } => commands::users::list(&config, query.as_deref()).await,
            UsersCommand::Deactivate { email } => {
                commands::users::set_active(&config, &email, false).await
            }
            UsersCommand::Reactivate { email } => {
                commands::users::set_active(&config, &email, true).await
            }
            UsersCommand::ResetPassword { email, .. } => {
                commands::users::reset_password(&config, &email).await
            }
            UsersCommand::Import { file } => commands::users_import::run(&config, &file).await,
            UsersCommand::Token { email, name } => {
                commands::users::token(&config, &email, &name).await
            }
        },
        Command::Courses(courses) => match courses {
            CoursesCommand::Import {
                dir,
                as_email,
                no_publish,
                group,
            } => {
                commands::courses::import(
                    &config,
                    &dir,
                    as_email.as_deref(),
                    !no_publish,
                    group.as_deref(),
                )
                .await
            }
            CoursesCommand::Export {
                id,
                dir,
                version,
                as_email,
            } => commands::courses::export(&config, id, &dir, version, as_email.as_deref()).await,
        },
        Command::Jobs(JobsCommand::List { failed }) => commands::jobs::list(&config, failed).await,
        Command::Groups(groups) => match groups {
            GroupsCommand::Add { name, parent } => {
                commands::groups::add(&config, &name, parent.as_deref()).await
            }
            GroupsCommand::List => commands::groups::list(&config).await,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn error_causes_are_joined_without_repeats() {
        #[derive(Debug)]
        struct Inner;
        impl std::fmt::Display for Inner {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("pool timed out")
            }
        }
        impl std::error::Error for Inner {}
        let e = anyhow::Error::new(Inner)
            .context("database error: pool timed out")
            .context("cannot open the database");
        assert_eq!(
            one_line(&e),
            "cannot open the database: database error: pool timed out"
        );
    }

    #[test]
    fn global_flags_go_after_the_subcommand_too() -> Result<(), clap::Error> {
        let cli = Cli::try_parse_from([
            "lore",
            "users",
            "list",
            "--data-dir",
            "/tmp/x",
            "--log-format",
            "json",
        ])?;
        assert_eq!(cli.global.data_dir, Some(PathBuf::from("/tmp/x")));
        assert_eq!(cli.global.log_format, Some(LogFormat::Json));
        Ok(())
    }
}
