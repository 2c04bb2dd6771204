//! `lore courses import|export`: a course as a folder of Markdown files (`course.toml`,
//! `steps/NN-slug.md`, `assets/`), so teams can keep courses in Git. The command acts as a
//! person, so the same rules apply as on the web.

use std::path::Path;

use anyhow::{Context, bail};
use lore_app::courses::archive::{CourseFolder, ImportOptions};
use lore_app::people::operator;
use lore_app::{App, Caller};

use crate::commands::operator_error;
use crate::config::Config;
use crate::database;

/// The person the command acts as: `--as EMAIL`, or the first platform administrator.
async fn acting_person(app: &App, email: Option<&str>) -> anyhow::Result<Caller> {
    let user_id = match email {
        Some(email) => operator::find(app, email).await.map_err(operator_error)?.id,
        None => {
            let people = operator::list(app, None).await.map_err(operator_error)?;
            match people
                .iter()
                .filter(|p| p.platform_admin && p.active)
                .min_by_key(|p| p.id)
            {
                Some(admin) => admin.id,
                None => bail!(
                    "there is no active platform administrator to act as; pass --as EMAIL, or add one with: lore users add --admin"
                ),
            }
        }
    };
    match app.caller(user_id).await.map_err(operator_error)? {
        Some(caller) => Ok(caller),
        None => bail!("that account is deactivated; reactivate it or pass another --as EMAIL"),
    }
}

/// Import the folder `dir` as a new course owned by the acting person.
pub async fn import(
    config: &Config,
    dir: &Path,
    as_email: Option<&str>,
    publish: bool,
    group: Option<&str>,
) -> anyhow::Result<()> {
    let app = database::open_app(config).await?;
    let caller = acting_person(&app, as_email).await?;
    let group_id = match group {
        Some(reference) => {
            let tree = app.group_tree().await.map_err(operator_error)?;
            let id = tree.resolve(reference).map_err(|reason| {
                anyhow::anyhow!("--group: {reason} lore groups list shows every group")
            })?;
            Some(id.0)
        }
        None => None,
    };
    let root = dir.to_path_buf();
    let folder = tokio::task::spawn_blocking(move || CourseFolder::from_dir(&root))
        .await
        .context("reading the folder stopped unexpectedly")?
        .map_err(operator_error)?;
    let id = app
        .import_course_with(&caller, &folder, ImportOptions { publish, group_id })
        .await
        .map_err(operator_error)?;
    let title = app
        .store()
        .version(id, 1)
        .await
        .map_err(|e| operator_error(e.into()))?
        .map(|v| v.title)
        .unwrap_or_default();
    let state = if publish {
        "published as version 1"
    } else {
        "kept as a draft"
    };
    println!(
        "Imported {title:?} as course {id}, {state}, owned by {}.",
        caller.email
    );
    Ok(())
}

/// Export a version of course `id` (the newest published one by default) into `dir`, which
/// must not exist yet or be empty.
pub async fn export(
    config: &Config,
    id: i64,
    dir: &Path,
    version: Option<i32>,
    as_email: Option<&str>,
) -> anyhow::Result<()> {
    let app = database::open_app(config).await?;
    let caller = acting_person(&app, as_email).await?;
    let folder = app
        .export_course(&caller, id, version)
        .await
        .map_err(operator_error)?;
    let root = dir.to_path_buf();
    let files = folder.len();
    tokio::task::spawn_blocking(move || folder.write_to_dir(&root))
        .await
        .context("writing the folder stopped unexpectedly")?
        .map_err(operator_error)?;
    println!("Exported course {id} to {} ({files} files).", dir.display());
    Ok(())
}
