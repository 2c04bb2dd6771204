//! Opening the database named by the configuration, and the app on top of it.

use std::sync::Arc;

use anyhow::Context;
use lore_app::{App, Backend, Store, SystemClock};

use crate::config::{Config, Database};

/// Create the data directory and its `blobs` folder when the embedded database is used.
pub fn prepare_data_dir(config: &Config) -> anyhow::Result<()> {
    if let Database::Embedded { .. } = config.database() {
        let blobs = config.blobs_dir();
        std::fs::create_dir_all(&blobs)
            .with_context(|| format!("cannot create the data directory {}", blobs.display()))?;
    }
    Ok(())
}

/// Connect without touching the schema.
pub async fn connect(config: &Config) -> anyhow::Result<Store> {
    let database = config.database();
    prepare_data_dir(config)?;
    let url = database.url()?;
    Store::connect(&url)
        .await
        .with_context(|| format!("cannot open the database ({})", database.describe()))
}

/// Connect, bring the schema up to date, and build the app.
pub async fn open_app(config: &Config) -> anyhow::Result<App> {
    let store = connect(config).await?;
    let pending = store
        .pending_migrations()
        .await
        .context("cannot read the database schema")?;
    if !pending.is_empty() {
        tracing::info!(count = pending.len(), "applying database migrations");
        store
            .migrate()
            .await
            .context("cannot update the database schema")?;
    }
    let app = App::new(store, Arc::new(SystemClock), config.settings())
        .context("cannot start the application")?;
    // Health figures are stored from m0009 on; a database from before gets them here.
    let filled = app
        .fill_course_health()
        .await
        .context("cannot store the health of the courses")?;
    if filled > 0 {
        tracing::info!(courses = filled, "stored course health figures");
    }
    Ok(app)
}

/// The backend's name as people write it.
pub fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgresql",
    }
}
