//! `lore users add|list|deactivate|reactivate|reset-password|token`: accounts, with the
//! server's own authority.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, bail};
use lore_app::AppError;
use lore_app::people::operator;
use lore_domain::account::Email;

use crate::commands::operator_error;
use crate::config::Config;
use crate::database;
use crate::text_table;

/// Create an account with a password. Without `password`, one line is read from stdin.
pub async fn add(
    config: &Config,
    email: &str,
    name: &str,
    admin: bool,
    password: Option<String>,
) -> anyhow::Result<()> {
    let password = match password {
        Some(p) => p,
        None => read_password_line(email)?,
    };
    let app = database::open_app(config).await?;
    let person = operator::add_user(&app, email, name, &password, admin)
        .await
        .map_err(operator_error)?;
    let role = if person.platform_admin {
        " as a platform administrator"
    } else {
        ""
    };
    println!("Added {} <{}>{role}.", person.name, person.email);
    Ok(())
}

/// The password from the first line of stdin (without its line ending).
fn read_password_line(email: &str) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        // No terminal handling here: the input shows as it is typed.
        eprint!("Password for {email} (shown as you type; or set LORE_NEW_PASSWORD): ");
        std::io::stderr()
            .flush()
            .context("cannot write the prompt")?;
    }
    let mut line = String::new();
    let read = stdin
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from stdin")?;
    if read == 0 {
        bail!("no password given: use --password, LORE_NEW_PASSWORD, or one line on stdin");
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// Print every account matching `query` (all of them without one) as a table.
pub async fn list(config: &Config, query: Option<&str>) -> anyhow::Result<()> {
    let app = database::open_app(config).await?;
    let people = operator::list(&app, query).await.map_err(operator_error)?;
    if people.is_empty() {
        match query {
            Some(q) => println!("Nobody matches {q:?}."),
            None => println!(
                "There are no accounts yet. Add one with: lore users add --email … --name … --admin"
            ),
        }
        return Ok(());
    }
    let rows: Vec<Vec<String>> = people
        .iter()
        .map(|p| {
            vec![
                p.email.clone(),
                p.name.clone(),
                if p.active { "active" } else { "deactivated" }.to_owned(),
                if p.platform_admin { "yes" } else { "" }.to_owned(),
                if p.has_password { "set" } else { "invited" }.to_owned(),
                p.created_at.date().to_string(),
            ]
        })
        .collect();
    print!(
        "{}",
        text_table::render(
            &["EMAIL", "NAME", "STATUS", "ADMIN", "PASSWORD", "CREATED"],
            &rows
        )
    );
    println!("{} account(s).", people.len());
    Ok(())
}

/// Deactivate (their sessions end at once) or reactivate an account.
pub async fn set_active(config: &Config, email: &str, active: bool) -> anyhow::Result<()> {
    let email = Email::parse(email)
        .map_err(AppError::from)
        .map_err(operator_error)?;
    let email = email.as_str();
    let app = database::open_app(config).await?;
    operator::set_active(&app, email, active)
        .await
        .map_err(|e| about_person(e, email))?;
    if active {
        println!("Reactivated {email}.");
    } else {
        println!("Deactivated {email}; their sessions have ended.");
    }
    Ok(())
}

/// Print a one-time link with which the person chooses a new password.
pub async fn reset_password(config: &Config, email: &str) -> anyhow::Result<()> {
    let email = Email::parse(email)
        .map_err(AppError::from)
        .map_err(operator_error)?;
    let email = email.as_str();
    let app = database::open_app(config).await?;
    let link = operator::reset_link(&app, email)
        .await
        .map_err(|e| about_person(e, email))?;
    println!("{}/welcome/{}", config.public_url(), link.token);
    let until = link.expires_at.to_offset(time::UtcOffset::UTC);
    eprintln!(
        "Send this one-time link to {email}; it works once, until {} {:02}:{:02} UTC.",
        until.date(),
        until.hour(),
        until.minute()
    );
    Ok(())
}

/// Name the address when nobody has it, rather than the UI's "That person was not found."
fn about_person(e: AppError, email: &str) -> anyhow::Error {
    match e {
        AppError::NotFound(_) => anyhow::anyhow!("nobody has the address {email}"),
        other => operator_error(other),
    }
}

/// Print a new personal API token of the person with this address (for a script or a test
/// that has no browser); it acts with that person's permissions and is shown only here.
pub async fn token(config: &Config, email: &str, name: &str) -> anyhow::Result<()> {
    let app = database::open_app(config).await?;
    let row = operator::find(&app, email)
        .await
        .map_err(|e| about_person(e, email))?;
    let Some(caller) = app.caller(row.id).await.map_err(operator_error)? else {
        bail!("the account of {email} is deactivated");
    };
    let (_, secret) = app
        .create_token(&caller, name)
        .await
        .map_err(operator_error)?;
    println!("{secret}");
    eprintln!("A token for {email} named {name:?}: keep it secret; it is not shown again.");
    Ok(())
}
