//! `lore backup FILE`: a consistent copy of the live SQLite database (`VACUUM INTO`).

use std::path::Path;

use anyhow::{Context, bail};
use lore_app::Backend;

use crate::config::{Config, Database};
use crate::database;

pub async fn run(config: &Config, target: &Path) -> anyhow::Result<()> {
    let database = config.database();
    if let Database::Embedded { file } = &database
        && !file.is_file()
    {
        bail!("there is no database at {} to back up", file.display());
    }
    if target.exists() {
        bail!(
            "{} already exists; choose a new file name",
            target.display()
        );
    }
    if let Some(parent) = target.parent()
        && !parent.as_os_str().is_empty()
        && !parent.is_dir()
    {
        bail!("the folder {} does not exist", parent.display());
    }
    let target_str = target
        .to_str()
        .with_context(|| format!("the path {} is not valid UTF-8", target.display()))?;
    let store = database::connect(config).await?;
    if store.backend() != Backend::Sqlite {
        bail!(
            "lore backup copies the embedded SQLite database; for PostgreSQL use pg_dump \
             (for example: pg_dump --format=custom --file=lore.dump \"$LORE_DATABASE_URL\")"
        );
    }
    store
        .backup_sqlite(target_str)
        .await
        .with_context(|| format!("cannot write the backup to {}", target.display()))?;
    store
        .close()
        .await
        .context("cannot close the database cleanly")?;
    let size = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
    println!(
        "Backed up {} to {} ({} KiB).",
        database.describe(),
        target.display(),
        size.div_ceil(1024)
    );
    Ok(())
}
