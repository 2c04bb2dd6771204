//! Sign-in throttling per account and per client address, over a sliding window.
//! Kept in memory: each server node limits on its own (see docs/decisions).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use time::{Duration, OffsetDateTime};

/// Failed attempts allowed per account within the window.
pub const PER_ACCOUNT: usize = 5;
/// Failed attempts allowed per client address within the window.
pub const PER_ADDRESS: usize = 20;
pub const WINDOW: Duration = Duration::minutes(15);

#[derive(Debug, Default)]
pub struct SignInLimiter {
    failures: Mutex<HashMap<String, VecDeque<OffsetDateTime>>>,
}

impl SignInLimiter {
    /// Seconds to wait before another attempt for this account or address, if any.
    pub fn blocked_for(&self, account: &str, address: &str, now: OffsetDateTime) -> Option<u64> {
        let mut map = self.failures.lock().ok()?;
        let wait =
            |key: String, limit: usize, map: &mut HashMap<String, VecDeque<OffsetDateTime>>| {
                let q = map.get_mut(&key)?;
                while q.front().is_some_and(|t| *t + WINDOW <= now) {
                    q.pop_front();
                }
                if q.len() >= limit {
                    q.front()
                        .map(|oldest| (*oldest + WINDOW - now).whole_seconds().max(1) as u64)
                } else {
                    None
                }
            };
        let a = wait(format!("account:{account}"), PER_ACCOUNT, &mut map);
        let b = wait(format!("address:{address}"), PER_ADDRESS, &mut map);
        a.max(b)
    }

    pub fn record_failure(&self, account: &str, address: &str, now: OffsetDateTime) {
        if let Ok(mut map) = self.failures.lock() {
            for key in [format!("account:{account}"), format!("address:{address}")] {
                map.entry(key).or_default().push_back(now);
            }
            // Forget quiet keys so the map does not grow without bound.
            if map.len() > 100_000 {
                map.retain(|_, q| q.back().is_some_and(|t| *t + WINDOW > now));
            }
        }
    }

    pub fn record_success(&self, account: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&format!("account:{account}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_blocked_after_five_failures_until_the_window_passes() {
        let l = SignInLimiter::default();
        let t0 = OffsetDateTime::UNIX_EPOCH;
        for i in 0..PER_ACCOUNT {
            assert_eq!(l.blocked_for("ada", "1.2.3.4", t0), None, "attempt {i}");
            l.record_failure("ada", "1.2.3.4", t0);
        }
        assert_eq!(l.blocked_for("ada", "5.6.7.8", t0), Some(900));
        assert_eq!(l.blocked_for("bob", "5.6.7.8", t0), None);
        assert_eq!(l.blocked_for("ada", "1.2.3.4", t0 + WINDOW), None);
    }

    #[test]
    fn an_address_is_blocked_after_twenty_failures_across_accounts() {
        let l = SignInLimiter::default();
        let t0 = OffsetDateTime::UNIX_EPOCH;
        for i in 0..PER_ADDRESS {
            l.record_failure(&format!("user{i}"), "9.9.9.9", t0);
        }
        assert!(l.blocked_for("someone-new", "9.9.9.9", t0).is_some());
        assert!(l.blocked_for("someone-new", "8.8.8.8", t0).is_none());
    }
}
