//! `lore serve`: open and migrate the database, then serve HTTP (and run background jobs)
//! until asked to stop.

use std::io;
use std::time::Duration;

use anyhow::Context;
use lore_app::App;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::database::{self, backend_name};
use crate::shutdown::Signals;

/// How long requests still running at shutdown may take before the process stops anyway.
const GRACE: Duration = Duration::from_secs(30);

pub async fn run(config: &Config) -> anyhow::Result<()> {
    let app = database::open_app(config).await?;
    serve(app, config, |_| ()).await
}

/// Bind, print where Lore runs, call `announce` with the public URL, and serve until
/// SIGTERM or Ctrl-C; then let requests in flight finish (up to [`GRACE`]).
pub async fn serve(app: App, config: &Config, announce: impl FnOnce(&str)) -> anyhow::Result<()> {
    let mut signals = Signals::install()?;
    let listener = TcpListener::bind(config.listen).await.map_err(|e| {
        anyhow::anyhow!("cannot listen on {}: {}", config.listen, plain_io_error(&e))
    })?;
    let bound = listener
        .local_addr()
        .context("cannot read the listening address")?;
    let public_url = config.public_url_for(bound);
    let options = config.web_options(&public_url)?;
    tracing::info!(
        listen = %bound,
        backend = backend_name(app.store().backend()),
        database = %config.database().describe(),
        public_url = %public_url,
        "listening"
    );
    println!("Lore is running at {public_url}");
    announce(&public_url);

    // How many stop signals have arrived: the first stops gracefully, the second at once.
    let (signalled_tx, signalled) = tokio::sync::watch::channel(0_u8);
    tokio::spawn(async move {
        signals.next().await;
        tracing::info!("shutting down");
        // A send fails only when nobody listens, that is once the server has stopped.
        let _ = signalled_tx.send(1);
        signals.next().await;
        let _ = signalled_tx.send(2);
    });
    let mut first = signalled.clone();
    let graceful = async move {
        // An error means the sender is gone, which happens only after both sends.
        let _ = first.wait_for(|n| *n >= 1).await;
    };
    let mut second = signalled;
    let deadline = async move {
        let _ = second.wait_for(|n| *n >= 1).await;
        tokio::select! {
            () = tokio::time::sleep(GRACE) => "the grace period is over",
            _ = second.wait_for(|n| *n >= 2) => "asked again",
        }
    };

    let store = app.store().clone();
    // Mail and other background jobs run beside the requests, on every server.
    let worker = app.spawn_worker();
    let server = lore_web::serve(app, options, listener, graceful);
    tokio::select! {
        served = server => {
            worker.stop().await;
            served.map_err(|e| anyhow::anyhow!("the server stopped: {}", plain_io_error(&e)))?;
            store.close().await.context("cannot close the database cleanly")?;
            tracing::info!("stopped");
        }
        why = deadline => {
            tracing::warn!(grace_secs = GRACE.as_secs(), "requests still running but {why}; stopping now");
        }
    }
    Ok(())
}

/// The kinds of error people meet when binding, in plain words.
fn plain_io_error(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::AddrInUse => "address in use".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::AddrNotAvailable => "address not available on this machine".to_owned(),
        _ => e.to_string(),
    }
}
