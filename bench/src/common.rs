//! Pieces the HTTP benchmarks share: waiting for a started server, and a page's form token.

use std::time::Duration;

use anyhow::{Result, bail};

/// Wait up to two minutes for `base` to answer `/readyz`.
pub async fn wait_ready(base: &str) -> Result<()> {
    let http = reqwest::Client::new();
    for _ in 0..600 {
        if let Ok(r) = http.get(format!("{base}/readyz")).send().await
            && r.status().is_success()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("the server did not answer /readyz within two minutes")
}

/// The value of the first hidden `_csrf` field of a page.
pub fn csrf(body: &str) -> Option<String> {
    let at = body.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    Some(body[at..].split('"').next()?.to_owned())
}
