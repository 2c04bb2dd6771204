//! `lore demo`: seed the demo organisation (or generate a large one) into its own data
//! directory, then serve it.

use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};
use lore_app::demo::{self, DemoSignIn};
use lore_app::demo_large::{self, Progress, Scale};

use crate::commands::serve;
use crate::config::Config;
use crate::database;
use crate::text_table;

/// Where the demo lives unless `--data-dir` says otherwise; never the real data directory.
pub const DEFAULT_DATA_DIR: &str = "./lore-demo";

/// How big a demo organisation `lore demo` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Size {
    /// About thirty people and a dozen courses, written through the use cases.
    Small,
    /// 5,000 people, 200 courses, a million events.
    Medium,
    /// 50,000 people, 2,000 courses, ten million events.
    Large,
}

/// `config` must already point at the demo's data directory (and, for medium and large, at
/// most a PostgreSQL URL given on the command line).
pub async fn run(config: &Config, size: Size, serve_after: bool) -> anyhow::Result<()> {
    let app = database::open_app(config).await?;
    let sign_ins = match size {
        Size::Small => demo::seed(&app)
            .await
            .map_err(|e| anyhow::anyhow!("cannot create the demo organisation: {e}"))?,
        Size::Medium => generate(&app, Scale::MEDIUM).await?,
        Size::Large => generate(&app, Scale::LARGE).await?,
    };
    tracing::info!(data_dir = %config.data_dir.display(), "demo organisation ready");
    if !serve_after {
        print_sign_ins(&sign_ins);
        return Ok(());
    }
    serve::serve(app, config, |_| {
        print_sign_ins(&sign_ins);
        println!(
            "Demo data is kept in {}. Press Ctrl-C to stop.",
            config.data_dir.display()
        );
    })
    .await
}

async fn generate(app: &lore_app::App, scale: Scale) -> anyhow::Result<Vec<DemoSignIn>> {
    let started = std::time::Instant::now();
    let bar = Arc::new(Bar::new());
    let sign_ins = demo_large::generate(app, scale, bar.clone())
        .await
        .map_err(|e| match e {
            // The operator at the terminal may see what a web visitor may not.
            lore_app::AppError::Internal(detail) => {
                anyhow::anyhow!("cannot generate the demo organisation: {detail}")
            }
            other => anyhow::anyhow!("cannot generate the demo organisation: {other}"),
        })?;
    bar.0.finish_and_clear();
    println!(
        "Generated {} people, {} courses and {} events in {:.0?}.",
        scale.people,
        scale.courses,
        scale.events,
        started.elapsed()
    );
    Ok(sign_ins)
}

fn print_sign_ins(sign_ins: &[DemoSignIn]) {
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
}

/// The generator's progress as a bar on stderr, one phase after another.
struct Bar(ProgressBar);

impl Bar {
    fn new() -> Self {
        let bar = ProgressBar::new(0);
        if let Ok(style) =
            ProgressStyle::with_template("{msg:>32} [{bar:30}] {human_pos}/{human_len} {elapsed}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        Self(bar)
    }
}

impl Progress for Bar {
    fn phase(&self, name: &str, total: u64) {
        self.0.set_message(name.to_owned());
        self.0.set_length(total);
        self.0.set_position(0);
    }

    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
}
