//! `lore check`: is the configured database whole? SQLite's integrity and foreign-key checks
//! (PostgreSQL checks as it writes; there it only confirms Lore's schema is present).

use anyhow::{Context, bail};

use crate::config::{Config, Database};
use crate::database;

pub async fn run(config: &Config) -> anyhow::Result<()> {
    let database = config.database();
    if let Database::Embedded { file } = &database
        && !file.is_file()
    {
        bail!("there is no database at {} to check", file.display());
    }
    let store = database::connect(config).await?;
    let report = store.integrity_check().await;
    store
        .close()
        .await
        .context("cannot close the database cleanly")?;
    let report = report.context("cannot check the database")?;
    if !report.is_ok() {
        for problem in &report.problems {
            println!("{problem}");
        }
        bail!(
            "{} has {} problem(s); restore the last good backup (lore restore FILE --force)",
            database.describe(),
            report.problems.len()
        );
    }
    println!(
        "{}: integrity ok, {} migrations applied.",
        database.describe(),
        report.migrations
    );
    Ok(())
}
