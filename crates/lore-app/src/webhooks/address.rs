//! The address guard: a webhook goes only to http(s) addresses whose every resolved IP
//! address is outside private networks (unless the operator allows the range), checked on
//! save and again before each attempt, which then connects to the addresses checked — so a
//! name that resolves differently the second time (DNS rebinding) cannot slip past.

use std::net::{IpAddr, SocketAddr};

use lore_domain::webhook::{AllowedRange, address_allowed};
use reqwest::Url;

use crate::{AppError, AppResult};

/// An address that may be sent to, and where it resolved.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub url: Url,
    /// The host name to pin to `addrs` (`None` when the URL names an IP address).
    pub host: Option<String>,
    pub addrs: Vec<SocketAddr>,
}

/// Why an address is refused: for the field's message on save, the log at send time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Not an http(s) URL with a host.
    Malformed(String),
    /// The name does not resolve (now; it may later).
    Unresolved(String),
    /// It resolves to a private, loopback, link-local … address.
    Internal(String),
}

impl Refusal {
    pub(crate) fn message(&self) -> String {
        match self {
            Refusal::Malformed(m) | Refusal::Unresolved(m) | Refusal::Internal(m) => m.clone(),
        }
    }
}

/// Check a subscription's address as typed; the URL as it will be stored.
pub async fn check_url(raw: &str, allowed: &[AllowedRange]) -> AppResult<String> {
    resolve(raw, allowed)
        .await
        .map(|t| t.url.to_string())
        .map_err(|r| AppError::invalid("url", r.message()))
}

/// Parse, resolve and check `raw`.
pub(crate) async fn resolve(raw: &str, allowed: &[AllowedRange]) -> Result<Target, Refusal> {
    let url = Url::parse(raw.trim()).map_err(|_| {
        Refusal::Malformed("Give a full address, like https://example.com/hooks.".into())
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Refusal::Malformed(
            "Lore sends only to http and https addresses.".into(),
        ));
    }
    if raw.len() > 2000 {
        return Err(Refusal::Malformed("The address is too long.".into()));
    }
    let port = url
        .port_or_known_default()
        .ok_or_else(|| Refusal::Malformed("The address has no port.".into()))?;
    let (host, addrs): (Option<String>, Vec<SocketAddr>) = match url.host() {
        Some(url::Host::Ipv4(ip)) => (None, vec![SocketAddr::new(IpAddr::V4(ip), port)]),
        Some(url::Host::Ipv6(ip)) => (None, vec![SocketAddr::new(IpAddr::V6(ip), port)]),
        Some(url::Host::Domain(name)) => {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((name, port))
                .await
                .map_err(|_| Refusal::Unresolved(format!("Lore could not find {name}.")))?
                .collect();
            if found.is_empty() {
                return Err(Refusal::Unresolved(format!("Lore could not find {name}.")));
            }
            (Some(name.to_owned()), found)
        }
        None => return Err(Refusal::Malformed("The address needs a host name.".into())),
    };
    if let Some(bad) = addrs.iter().find(|a| !address_allowed(a.ip(), allowed)) {
        return Err(Refusal::Internal(format!(
            "{} is a private or local address; Lore may not send there unless the operator allows its range (webhooks_allow_private).",
            bad.ip()
        )));
    }
    Ok(Target { url, host, addrs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn private_and_odd_addresses_are_refused() {
        let none: [AllowedRange; 0] = [];
        for bad in [
            "ftp://example.com/x",
            "not a url",
            "http://127.0.0.1:9/hook",
            "http://[::1]/hook",
            "http://169.254.169.254/latest",
            "http://10.0.0.7/",
            "http://localhost:8080/",
        ] {
            assert!(resolve(bad, &none).await.is_err(), "{bad}");
        }
        let loopback = [AllowedRange::parse("127.0.0.0/8").expect("range")];
        let t = resolve("http://127.0.0.1:9/hook", &loopback)
            .await
            .expect("allowed");
        assert_eq!(
            t.addrs,
            vec!["127.0.0.1:9".parse::<SocketAddr>().expect("addr")]
        );
        assert!(t.host.is_none());
        assert!(matches!(
            resolve("http://[::1]/hook", &loopback).await,
            Err(Refusal::Internal(_))
        ));
    }
}
