//! `lore migrate`: apply the migrations the database lacks and say which.

use anyhow::Context;

use crate::config::Config;
use crate::database;

pub async fn run(config: &Config) -> anyhow::Result<()> {
    let store = database::connect(config).await?;
    let pending = store
        .pending_migrations()
        .await
        .context("cannot read the database schema")?;
    if pending.is_empty() {
        println!(
            "The database is up to date ({}).",
            config.database().describe()
        );
    } else {
        store
            .migrate()
            .await
            .context("cannot update the database schema")?;
        println!(
            "Applied {} migration(s) to {}:",
            pending.len(),
            config.database().describe()
        );
        for name in &pending {
            println!("  {name}");
        }
    }
    store
        .close()
        .await
        .context("cannot close the database cleanly")?;
    Ok(())
}
