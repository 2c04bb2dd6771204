//! `lore demo`: seed the demo organisation into its own SQLite data directory, then serve it.

use lore_app::demo;

use crate::commands::serve;
use crate::config::Config;
use crate::database;
use crate::text_table;

/// Where the demo lives unless `--data-dir` says otherwise; never the real data directory.
pub const DEFAULT_DATA_DIR: &str = "./lore-demo";

/// `config` must already point at the demo's data directory with no database URL.
pub async fn run(config: &Config) -> anyhow::Result<()> {
    let app = database::open_app(config).await?;
    let sign_ins = demo::seed(&app)
        .await
        .map_err(|e| anyhow::anyhow!("cannot create the demo organisation: {e}"))?;
    tracing::info!(data_dir = %config.data_dir.display(), "demo organisation ready");
    serve::serve(app, config, |_| {
        let rows: Vec<Vec<String>> = sign_ins
            .iter()
            .map(|s| vec![s.role.to_owned(), s.name.clone(), s.email.clone()])
            .collect();
        println!();
        print!("{}", text_table::render(&["ROLE", "NAME", "EMAIL"], &rows));
        println!();
        println!(
            "Every demo account uses the password: {}",
            demo::DEMO_PASSWORD
        );
        println!(
            "Demo data is kept in {}. Press Ctrl-C to stop.",
            config.data_dir.display()
        );
    })
    .await
}
