//! Webhooks as rules: which events go out under which public name, what a subscription may
//! be sent, when a failed delivery is tried again, which addresses a delivery may reach and
//! what the signature header says. The sending itself is `lore-app`'s.

use std::net::IpAddr;

use serde_json::Value;
use time::Duration;

use crate::Invalid;

word_enum! {
    /// What a subscription's deliveries look like: Lore's signed JSON, or a chat service's
    /// incoming-webhook message.
    pub enum HookFormat in "format" {
        Lore = "lore",
        Slack = "slack",
        Teams = "teams",
    }
}

word_enum! {
    /// Where a delivery stands.
    pub enum DeliveryStatus in "status" {
        /// Waiting for its first or next attempt.
        Pending = "pending",
        Delivered = "delivered",
        /// Given up on (tried for a day, or its address was refused); redeliver by hand.
        Failed = "failed",
    }
}

/// Lore's event verbs as receivers know them: `(public name, verb, what it means)`. One
/// verb may give several names, told apart by its data (`submitted-attempt` → passed or
/// failed); see [`public_type`].
pub const EVENT_TYPES: &[(&str, &str, &str)] = &[
    (
        "person.created",
        "created-person",
        "A person's account was created",
    ),
    (
        "course.published",
        "published",
        "A version of a course was published",
    ),
    ("course.enrolled", "enrolled", "A person started a course"),
    (
        "course.assigned",
        "assigned",
        "A course or path reached a person by assignment",
    ),
    (
        "course.completed",
        "completed-course",
        "A person completed a course",
    ),
    (
        "evaluation.passed",
        "submitted-attempt",
        "An evaluation attempt passed",
    ),
    (
        "evaluation.failed",
        "submitted-attempt",
        "An evaluation attempt did not pass",
    ),
    (
        "certificate.awarded",
        "certificate-awarded",
        "A certificate was awarded",
    ),
    (
        "certificate.expired",
        "certificate-expired",
        "A certificate expired",
    ),
    ("need.created", "asked-need", "A learning need was asked"),
    (
        "need.answered",
        "changed-need-status",
        "A learning need was answered",
    ),
    ("reaction.created", "reacted", "A learner reacted to a step"),
    (
        "suggestion.created",
        "suggested-edit",
        "A learner suggested an edit",
    ),
    (
        "assignment.overdue",
        "reminded",
        "A person was reminded of an overdue assignment",
    ),
];

/// The events a group's chat hook (Slack, Teams) may post.
pub const CHAT_EVENT_TYPES: &[&str] = &["course.published", "need.answered", "assignment.overdue"];

/// The public name of an event, from its verb and data; `None` for events that are not sent.
pub fn public_type(verb: &str, data: &Value) -> Option<&'static str> {
    let name = match verb {
        "submitted-attempt" => match data.get("passed").and_then(Value::as_bool) {
            Some(true) => "evaluation.passed",
            _ => "evaluation.failed",
        },
        "changed-need-status" => {
            if data.get("to").and_then(Value::as_str) != Some("answered") {
                return None;
            }
            "need.answered"
        }
        "reminded" => {
            let slot = data.get("slot").and_then(Value::as_str).unwrap_or("");
            if !slot.starts_with("overdue") {
                return None;
            }
            "assignment.overdue"
        }
        other => EVENT_TYPES.iter().find(|(_, v, _)| *v == other)?.0,
    };
    Some(name)
}

/// The chosen event names, checked: known, no repeats, at least one; `chat` limits them to
/// [`CHAT_EVENT_TYPES`]. Sorted, so equal choices compare equal.
pub fn parse_event_types(raw: &[String], chat: bool) -> Result<Vec<String>, Invalid> {
    let mut chosen: Vec<String> = Vec::new();
    for name in raw.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let allowed = if chat {
            CHAT_EVENT_TYPES.contains(&name)
        } else {
            EVENT_TYPES.iter().any(|(n, _, _)| *n == name)
        };
        if !allowed {
            return Err(Invalid::new(
                "events",
                format!("{name:?} is not an event that can be sent here."),
            ));
        }
        if !chosen.iter().any(|c| c == name) {
            chosen.push(name.to_owned());
        }
    }
    if chosen.is_empty() {
        return Err(Invalid::new("events", "Choose at least one event."));
    }
    chosen.sort();
    Ok(chosen)
}

/// The pause before the next attempt after `attempts` failed ones (1 or more): 1 minute,
/// then doubling, at most 8 hours. `None` once the delivery is `age` old plus that pause is
/// more than a day: it has failed for good.
pub fn next_attempt_after(attempts: i32, age: Duration) -> Option<Duration> {
    let doublings = u32::try_from(attempts.max(1) - 1).unwrap_or(0).min(16);
    let pause = (Duration::minutes(1) * 2_i32.pow(doublings)).min(Duration::hours(8));
    (age + pause <= Duration::hours(24)).then_some(pause)
}

/// How long a rotated-out secret still signs, beside the new one.
pub const ROTATION_GRACE: Duration = Duration::hours(24);

/// The `Lore-Webhook-Signature` header: the timestamp and one `v1` (hex HMAC-SHA256 of
/// `"{timestamp}.{body}"`) per secret in use, the newest first.
pub fn signature_header(timestamp: i64, signatures: &[String]) -> String {
    let mut header = format!("t={timestamp}");
    for s in signatures {
        header.push_str(",v1=");
        header.push_str(s);
    }
    header
}

/// An address range an operator lets webhooks reach although it is private.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllowedRange {
    base: IpAddr,
    prefix: u8,
}

impl AllowedRange {
    /// `127.0.0.0/8`, `fd00::/8`, or one address.
    pub fn parse(raw: &str) -> Result<AllowedRange, Invalid> {
        let raw = raw.trim();
        let bad = || {
            Invalid::new(
                "webhooks_allow_private",
                format!("{raw:?} is not an address range (like 127.0.0.0/8 or ::1/128)."),
            )
        };
        let (ip, prefix) = match raw.split_once('/') {
            Some((ip, p)) => (ip, Some(p.parse::<u8>().map_err(|_| bad())?)),
            None => (raw, None),
        };
        let base: IpAddr = ip.parse().map_err(|_| bad())?;
        let max = if base.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        if prefix > max {
            return Err(bad());
        }
        Ok(AllowedRange { base, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        match (self.base, ip) {
            (IpAddr::V4(b), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(b) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(b), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(b) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

impl std::fmt::Display for AllowedRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.base, self.prefix)
    }
}

/// Addresses a webhook must not reach unless allowed: loopback, link-local, private
/// (RFC 1918, shared CGNAT space), unique-local, unspecified, multicast, broadcast and the
/// documentation ranges — places inside the operator's network rather than a receiver's.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

/// May a delivery connect to `ip`?
pub fn address_allowed(ip: IpAddr, allowed: &[AllowedRange]) -> bool {
    !is_internal(ip) || allowed.iter().any(|r| r.contains(ip))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn verbs_become_public_names() {
        assert_eq!(
            public_type("published", &Value::Null),
            Some("course.published")
        );
        assert_eq!(
            public_type("submitted-attempt", &json!({"passed": true})),
            Some("evaluation.passed")
        );
        assert_eq!(
            public_type("submitted-attempt", &json!({"passed": false})),
            Some("evaluation.failed")
        );
        assert_eq!(
            public_type(
                "changed-need-status",
                &json!({"from": "open", "to": "answered"})
            ),
            Some("need.answered")
        );
        assert_eq!(
            public_type("changed-need-status", &json!({"to": "closed"})),
            None
        );
        assert_eq!(
            public_type("reminded", &json!({"slot": "overdue-0"})),
            Some("assignment.overdue")
        );
        assert_eq!(public_type("reminded", &json!({"slot": "before-3"})), None);
        assert_eq!(public_type("viewed-step", &Value::Null), None);
        for (name, verb, _) in EVENT_TYPES {
            assert!(name.contains('.'), "{name}");
            assert!(!verb.is_empty());
        }
    }

    #[test]
    fn event_choices_are_checked() {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            parse_event_types(
                &s(&["course.published", "person.created", "course.published"]),
                false
            )
            .expect("valid"),
            s(&["course.published", "person.created"])
        );
        assert!(parse_event_types(&s(&["course.nope"]), false).is_err());
        assert!(parse_event_types(&s(&[" "]), false).is_err());
        assert!(parse_event_types(&s(&["person.created"]), true).is_err());
        assert!(parse_event_types(&s(&["need.answered"]), true).is_ok());
    }

    #[test]
    fn retries_double_up_to_a_day() {
        assert_eq!(
            next_attempt_after(1, Duration::ZERO),
            Some(Duration::minutes(1))
        );
        assert_eq!(
            next_attempt_after(2, Duration::minutes(1)),
            Some(Duration::minutes(2))
        );
        assert_eq!(
            next_attempt_after(4, Duration::minutes(7)),
            Some(Duration::minutes(8))
        );
        assert_eq!(
            next_attempt_after(12, Duration::hours(10)),
            Some(Duration::hours(8))
        );
        assert_eq!(next_attempt_after(12, Duration::hours(17)), None);
        // Every schedule ends: the pauses add up past a day after a bounded number of tries.
        let mut age = Duration::ZERO;
        let mut tries = 1;
        while let Some(p) = next_attempt_after(tries, age) {
            age += p;
            tries += 1;
        }
        assert!((10..=14).contains(&tries), "{tries}");
        assert!(age <= Duration::hours(24));
    }

    #[test]
    fn signature_header_lists_every_secret() {
        assert_eq!(
            signature_header(1700000000, &["ab".into(), "cd".into()]),
            "t=1700000000,v1=ab,v1=cd"
        );
    }

    #[test]
    fn internal_addresses_are_refused_unless_allowed() {
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        for internal in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "224.0.0.1",
            "100.64.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "ff02::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_internal(ip(internal)), "{internal}");
        }
        for public in ["93.184.216.34", "2606:2800:220:1::1", "8.8.8.8"] {
            assert!(!is_internal(ip(public)), "{public}");
        }
        let allow = [AllowedRange::parse("127.0.0.0/8").expect("range")];
        assert!(address_allowed(ip("127.0.0.1"), &allow));
        assert!(address_allowed(ip("::ffff:127.0.0.5"), &allow));
        assert!(!address_allowed(ip("10.0.0.1"), &allow));
        assert!(!address_allowed(ip("::1"), &allow));
        assert!(AllowedRange::parse("::1").expect("one").contains(ip("::1")));
        assert!(AllowedRange::parse("10.0.0.0/33").is_err());
        assert!(AllowedRange::parse("nope").is_err());
        assert_eq!(
            AllowedRange::parse("0.0.0.0/0").expect("all").to_string(),
            "0.0.0.0/0"
        );
        assert!(
            AllowedRange::parse("0.0.0.0/0")
                .expect("all")
                .contains(ip("10.9.8.7"))
        );
    }
}
