//! `lore serve`: open and migrate the database, then serve HTTP until asked to stop.

use std::io;
use std::time::Duration;

use anyhow::Context;
use lore_app::App;
use lore_web::WebOptions;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::database::{self, backend_name};
use crate::shutdown;

/// How long requests still running at shutdown may take before the process stops anyway.
const GRACE: Duration = Duration::from_secs(30);

pub async fn run(config: &Config) -> anyhow::Result<()> {
    let app = database::open_app(config).await?;
    serve(app, config, |_| ()).await
}

/// Bind, print where Lore runs, call `announce` with the public URL, and serve until
/// SIGTERM or Ctrl-C; then let requests in flight finish (up to [`GRACE`]).
pub async fn serve(app: App, config: &Config, announce: impl FnOnce(&str)) -> anyhow::Result<()> {
    let listener = TcpListener::bind(config.listen).await.map_err(|e| {
        anyhow::anyhow!("cannot listen on {}: {}", config.listen, plain_io_error(&e))
    })?;
    let bound = listener
        .local_addr()
        .context("cannot read the listening address")?;
    let public_url = config.public_url_for(bound);
    let options = WebOptions::for_url(&public_url);
    tracing::info!(
        listen = %bound,
        backend = backend_name(app.store().backend()),
        database = %config.database().describe(),
        public_url = %public_url,
        "listening"
    );
    println!("Lore is running at {public_url}");
    announce(&public_url);

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown::requested().await;
        tracing::info!("shutting down");
        // Nobody listening any more only means the server has already stopped.
        let _ = stop_tx.send(true);
    });
    let mut server_stop = stop_rx.clone();
    let graceful = async move {
        // An error means the sender is gone, which only happens after a stop was sent.
        let _ = server_stop.wait_for(|stop| *stop).await;
    };
    let mut deadline_stop = stop_rx;
    // After the first signal: the grace period, or a second signal, whichever comes first.
    let deadline = async move {
        let _ = deadline_stop.wait_for(|stop| *stop).await;
        tokio::select! {
            () = tokio::time::sleep(GRACE) => "the grace period is over",
            () = shutdown::requested() => "asked again",
        }
    };

    let store = app.store().clone();
    let server = lore_web::serve(app, options, listener, graceful);
    tokio::select! {
        served = server => {
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
