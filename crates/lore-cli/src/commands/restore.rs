//! `lore restore FILE [--force]`: put a backup made by `lore backup` in place as the embedded
//! SQLite database, after checking that it is a whole Lore database. Lore must be stopped.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use lore_app::Store;

use crate::config::{Config, Database};

pub async fn run(config: &Config, backup: &Path, force: bool) -> anyhow::Result<()> {
    let target = match config.database() {
        Database::Embedded { file } => file,
        Database::Url(_) => bail!(
            "lore restore writes the embedded SQLite database; for PostgreSQL use pg_restore \
             (for example: pg_restore --clean --if-exists --no-owner --dbname=\"$LORE_DATABASE_URL\" lore.dump)"
        ),
    };
    if !backup.is_file() {
        bail!("there is no backup file at {}", backup.display());
    }
    if target.exists() && !force {
        bail!(
            "there is already a database at {}; stop Lore and add --force to replace it with the backup",
            target.display()
        );
    }
    let folder = target
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("cannot create the data directory {}", folder.display()))?;

    // The backup is checked as a copy beside the database, so the backup file itself is never
    // changed and the database is replaced by one rename, never half-written.
    let staging = folder.join("lore.db.restoring");
    remove_with_companions(&staging)?;
    std::fs::copy(backup, &staging)
        .with_context(|| format!("cannot copy {} into {}", backup.display(), folder.display()))?;
    let migrations = match check(&staging, backup).await {
        Ok(migrations) => migrations,
        Err(e) => {
            let _ = remove_with_companions(&staging);
            return Err(e);
        }
    };
    // A write-ahead log left by the old database would be replayed into the new one.
    remove_companions(&target)?;
    remove_companions(&staging)?;
    std::fs::rename(&staging, &target)
        .with_context(|| format!("cannot move the checked backup to {}", target.display()))?;
    println!(
        "Restored {} into SQLite at {} ({migrations} migrations; integrity ok). \
         Uploaded files are not in the backup: restore the blobs folder from your file backup.",
        backup.display(),
        target.display()
    );
    Ok(())
}

/// The backup's copy is a whole Lore database: SQLite's integrity check passes and it has
/// Lore's schema. Returns the number of migrations it has.
async fn check(staging: &Path, backup: &Path) -> anyhow::Result<usize> {
    let path = staging
        .to_str()
        .with_context(|| format!("the path {} is not valid UTF-8", staging.display()))?;
    let store = Store::connect(&format!("sqlite://{path}?mode=rw"))
        .await
        .with_context(|| format!("{} is not a SQLite database", backup.display()))?;
    let report = store.integrity_check().await;
    store
        .close()
        .await
        .context("cannot close the checked copy cleanly")?;
    let report =
        report.with_context(|| format!("{} is not a SQLite database", backup.display()))?;
    if !report.is_ok() {
        let shown: Vec<&str> = report.problems.iter().take(3).map(String::as_str).collect();
        bail!(
            "{} fails the integrity check ({} problem(s), first: {}); nothing was changed",
            backup.display(),
            report.problems.len(),
            shown.join("; ")
        );
    }
    if report.migrations == 0 {
        bail!(
            "{} is a SQLite file but not a Lore backup (it has no Lore schema); nothing was changed",
            backup.display()
        );
    }
    Ok(report.migrations)
}

fn companions(file: &Path) -> [PathBuf; 2] {
    let name = file.as_os_str();
    let with = |suffix: &str| {
        let mut n = name.to_owned();
        n.push(suffix);
        PathBuf::from(n)
    };
    [with("-wal"), with("-shm")]
}

fn remove_if_present(file: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(file) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot remove {}", file.display())),
    }
}

/// The `-wal` and `-shm` files SQLite keeps beside a database.
fn remove_companions(file: &Path) -> anyhow::Result<()> {
    for companion in companions(file) {
        remove_if_present(&companion)?;
    }
    Ok(())
}

fn remove_with_companions(file: &Path) -> anyhow::Result<()> {
    remove_if_present(file)?;
    remove_companions(file)
}
