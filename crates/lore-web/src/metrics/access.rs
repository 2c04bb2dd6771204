//! Who may read `/metrics` by their address alone: clients inside one of the configured
//! ranges (`metrics_allow`, loopback by default). Everyone else needs a platform
//! administrator's token (see `super::scrape`).

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// A range of client addresses: `10.0.0.0/8`, `::1/128`, or one address (`192.0.2.7`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct AddressRange(IpNet);

impl AddressRange {
    /// A range in CIDR notation, or one address.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if let Ok(net) = IpNet::from_str(raw) {
            // `10.1.2.3/8` means `10.0.0.0/8`: the bits past the prefix say nothing.
            return Ok(AddressRange(net.trunc()));
        }
        IpAddr::from_str(raw)
            .map(|ip| AddressRange(IpNet::from(ip)))
            .map_err(|_| {
                format!("{raw:?} is not an address range (like 10.0.0.0/8, ::1/128 or 192.0.2.7)")
            })
    }

    /// The loopback ranges of IPv4 and IPv6: the default allow-list.
    pub fn loopback() -> Vec<AddressRange> {
        let v4 = IpNet::V4(ipnet::Ipv4Net::new_assert(
            std::net::Ipv4Addr::new(127, 0, 0, 0),
            8,
        ));
        let v6 = IpNet::V6(ipnet::Ipv6Net::new_assert(
            std::net::Ipv6Addr::LOCALHOST,
            128,
        ));
        vec![AddressRange(v4), AddressRange(v6)]
    }

    /// Is `ip` in the range? An IPv4 client seen through a dual-stack socket
    /// (`::ffff:127.0.0.1`) counts as its IPv4 address.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.contains(&ip.to_canonical())
    }
}

impl fmt::Debug for AddressRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for AddressRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Headers a reverse proxy adds to say whom it forwards for.
const FORWARDING_HEADERS: [&str; 3] = ["x-forwarded-for", "forwarded", "x-real-ip"];

/// Is the client allowed in by address? `client_ip` is the address the rest of the app uses
/// (`client::client_of`: the peer, or the first `X-Forwarded-For` entry when
/// `trust_forwarded_for` is on). When forwarded headers are *not* trusted but the request
/// carries one, it came through a proxy, so the peer address is the proxy's own (often
/// loopback) and says nothing about the client: no address lets it in.
pub fn allowed_by_address(
    allow: &[AddressRange],
    client_ip: &str,
    headers: &HeaderMap,
    trust_forwarded_for: bool,
) -> bool {
    if !trust_forwarded_for && FORWARDING_HEADERS.iter().any(|h| headers.contains_key(*h)) {
        return false;
    }
    let Ok(ip) = IpAddr::from_str(client_ip.trim()) else {
        return false;
    };
    allow.iter().any(|range| range.contains(ip))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ranges(raw: &[&str]) -> Vec<AddressRange> {
        raw.iter()
            .map(|r| AddressRange::parse(r).unwrap_or_else(|e| panic!("{e}")))
            .collect()
    }

    #[test]
    fn ranges_parse_from_cidr_or_one_address() {
        assert_eq!(ranges(&["10.1.2.3/8"]), ranges(&["10.0.0.0/8"]));
        assert_eq!(format!("{}", ranges(&["192.0.2.7"])[0]), "192.0.2.7/32");
        assert_eq!(format!("{}", ranges(&[" ::1 "])[0]), "::1/128");
        for bad in ["", "localhost", "10.0.0.0/33", "10.0.0/8", "::1/129", "*"] {
            assert!(AddressRange::parse(bad).is_err(), "{bad:?}");
        }
        let err = AddressRange::parse("lan").err().unwrap_or_default();
        assert!(err.contains("\"lan\""), "{err}");
    }

    #[test]
    fn the_default_lets_in_loopback_only() {
        let allow = AddressRange::loopback();
        let none = HeaderMap::new();
        for ip in ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"] {
            assert!(allowed_by_address(&allow, ip, &none, false), "{ip}");
        }
        for ip in ["10.0.0.1", "192.0.2.7", "::2", "fe80::1", "unknown", ""] {
            assert!(!allowed_by_address(&allow, ip, &none, false), "{ip}");
        }
    }

    #[test]
    fn a_forwarded_request_is_let_in_by_address_only_when_forwarding_is_trusted() {
        let allow = ranges(&["127.0.0.0/8", "10.0.0.0/8"]);
        let mut forwarded = HeaderMap::new();
        forwarded.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.9"));
        // Through a proxy on the same machine the peer is loopback: not the client.
        assert!(!allowed_by_address(&allow, "127.0.0.1", &forwarded, false));
        let mut other = HeaderMap::new();
        other.insert("forwarded", HeaderValue::from_static("for=10.0.0.1"));
        assert!(!allowed_by_address(&allow, "127.0.0.1", &other, false));
        // Trusted, the client address (from the header, worked out by the caller) decides.
        assert!(!allowed_by_address(&allow, "203.0.113.9", &forwarded, true));
        assert!(allowed_by_address(&allow, "10.2.3.4", &forwarded, true));
    }
}
